import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANY, EventStore, KeyStore } from '@casn/event-store';
import { createTestDatabase, testEngine, type TestDatabase } from '@casn/event-store/testing';
import { ProjectionRunner } from '@casn/projections';
import { pino, type Logger } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULES, Worker, parseWorkerSchedules, type WorkerOptions } from '../src/index.ts';

const A = 'casn.a.example/2026';
const B = 'casn.b.example/2026';
const actor = { id: 'officer-1', role: 'officer' };
const NEVER = '0 0 1 1 *';

let t: TestDatabase;
let store: EventStore;
let runner: ProjectionRunner;

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

function capture(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  return { logger, lines };
}

function worker(overrides: Partial<WorkerOptions> = {}): { worker: Worker; registry: Registry; lines: LogLine[] } {
  const { logger, lines } = capture();
  const registry = new Registry();
  return { worker: new Worker({ store, runner, logger, registry, ...overrides }), registry, lines };
}

async function metric(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const m = registry.getSingleMetric(name);
  const { values } = await m!.get();
  return values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;
}

const append = (origin: string, n = 1) =>
  store.appendAll(origin, [{ stream: 's', expectedVersion: ANY, events: Array.from({ length: n }, (_, i) => ({ type: 'Noted', actor, payload: { i } })) }]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(50);
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  store = new EventStore(t.database, { keys: new KeyStore({ dir: await mkdtemp(join(tmpdir(), 'worker-keys-')), generate: true }) });
  runner = new ProjectionRunner(store);
  await append(A, 3);
  await append(B, 2);
});
afterAll(async () => t.cleanup());

describe(`worker on ${testEngine}`, () => {
  it('signs checkpoints only of ledgers that grew since their latest one', async () => {
    const { worker: w, registry } = worker();
    expect(await w.checkpointAll()).toEqual([A, B]);
    expect(await w.checkpointAll()).toEqual([]);
    await append(A);
    expect(await w.checkpointAll()).toEqual([A]);
    expect((await store.latestCheckpoint(A))?.size).toBe(4);
    expect(await metric(registry, 'ledger_checkpoint_size', { ledger: A })).toBe(4);
    expect(await metric(registry, 'ledger_checkpoint_size', { ledger: B })).toBe(2);
    expect(await metric(registry, 'ledger_size', { ledger: A })).toBe(4);
  });

  it('catches the read models up through the runner and reports the lag', async () => {
    const P = 'casn.period.example/2026';
    await store.append(P, 'period', ANY, [
      {
        type: 'PeriodOpened',
        actor,
        payload: { periodId: 'p', agency: { code: 'x', name: 'X', level: 'daerah' }, year: 2026, kind: 'CPNS', rules: 'casn-2024', schedule: {} },
      },
      {
        type: 'FormationAnnounced',
        actor,
        payload: { formationId: 'F-1', jabatan: 'Guru', unit: 'Dinas', location: 'Kota', education: ['S1'], track: 'umum', quota: 1 },
      },
    ]);
    const { worker: w, registry } = worker();
    const before = await Promise.all([A, B, P].map((o) => runner.position(o)));
    const sizes = await Promise.all([A, B, P].map((o) => store.size(o)));
    const expected = sizes.reduce((sum, s, i) => sum + s - before[i]!, 0);
    expect(await w.catchUp()).toBe(expected);
    expect(await runner.position(P)).toBe(2);
    const rows = await t.database.query<{ formation_id: string }>('SELECT formation_id FROM rm_formations');
    expect(rows.map((r) => r.formation_id)).toEqual(['F-1']);
    expect(await metric(registry, 'projection_lag_entries', { ledger: P })).toBe(0);
    await append(A, 2);
    expect(await w.catchUp()).toBe(2);
  });

  it('verifies every ledger, logs the verdicts and sets the gauges', async () => {
    const { worker: w, registry, lines } = worker();
    const results = await w.verifyAll();
    expect(results.map((r) => r.origin).sort()).toEqual((await store.listLedgers()).sort());
    for (const r of results) expect(r).toMatchObject({ ok: true, size: await store.size(r.origin), detail: expect.stringMatching(/^valid: /) as string });
    expect(await metric(registry, 'ledger_verification_ok', { ledger: A })).toBe(1);
    expect(await metric(registry, 'ledger_verified_size', { ledger: A })).toBe(await store.size(A));
    expect(await metric(registry, 'ledger_verification_timestamp_seconds', { ledger: A })).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(lines.filter((l) => l.level === 30 && l.ledger === A && l.msg.startsWith('valid: '))).toHaveLength(1);
  });

  it('runs a job on a per-second schedule until stopped', async () => {
    await append(B);
    const { worker: w } = worker({ schedules: { checkpoint: '*/1 * * * * *', catchUp: NEVER, verify: NEVER }, timezone: 'UTC' });
    const grown = await store.size(B);
    w.start();
    await until(async () => (await store.latestCheckpoint(B))?.size === grown);
    await w.stop();
    await append(B);
    await sleep(2500);
    expect((await store.latestCheckpoint(B))?.size).toBe(grown);
  });

  it('logs and counts a failing scheduled job without throwing, and never overlaps runs of a job', async () => {
    let active = 0;
    let most = 0;
    let calls = 0;
    const slow = {
      catchUp: async () => {
        calls++;
        active++;
        most = Math.max(most, active);
        await sleep(2200);
        active--;
        throw new Error('projection store unavailable');
      },
      position: () => Promise.resolve(0),
    } as unknown as ProjectionRunner;
    const { worker: w, registry, lines } = worker({ runner: slow, schedules: { checkpoint: NEVER, catchUp: '*/1 * * * * *', verify: NEVER } });
    w.start();
    await until(async () => ((await metric(registry, 'worker_job_failures_total', { job: 'catchUp' })) ?? 0) >= 1, 6000);
    await w.stop();
    expect(most).toBe(1);
    expect(calls).toBeLessThanOrEqual(2);
    expect(lines.some((l) => l.level === 50 && l.job === 'catchUp' && l.msg.includes('projection store unavailable'))).toBe(true);
  });

  it('reports a ledger rewritten behind the triggers as not ok, naming the seq', async () => {
    const C = 'casn.tampered.example/2026';
    for (let i = 0; i < 6; i++) await store.append(C, `app-${i}`, ANY, [{ type: 'ScoreRecorded', actor, payload: { twk: 100 + i } }]);
    const { worker: w, registry, lines } = worker();
    await w.checkpointAll();
    const [{ id }] = (await t.database.query<{ id: number }>('SELECT id FROM ledgers WHERE origin = $1', [C])) as [{ id: number }];
    // What only a database superuser can do: switch the append-only triggers off and rewrite an entry.
    await t.database.query('ALTER TABLE entries DISABLE TRIGGER USER');
    await t.database.query(`UPDATE entries SET body = replace(body, '"twk":102', '"twk":150') WHERE ledger_id = $1 AND seq = 2`, [id]);
    await t.database.query('ALTER TABLE entries ENABLE TRIGGER USER');
    const results = await w.verifyAll();
    const bad = results.find((r) => r.origin === C)!;
    expect(bad).toMatchObject({ ok: false, size: 6, detail: expect.stringContaining('seq 2:') as string });
    expect(results.filter((r) => r.origin !== C).every((r) => r.ok)).toBe(true);
    expect(await metric(registry, 'ledger_verification_ok', { ledger: C })).toBe(0);
    expect(await metric(registry, 'ledger_verification_ok', { ledger: A })).toBe(1);
    expect(lines.find((l) => l.level === 50 && l.ledger === C)).toMatchObject({ seq: 2, reason: expect.any(String) as string });
  });
});

describe('parseWorkerSchedules', () => {
  it('uses the defaults when nothing (or blank) is set', () => {
    expect(parseWorkerSchedules({})).toEqual({ schedules: DEFAULT_SCHEDULES, timezone: 'Asia/Jakarta' });
    expect(DEFAULT_SCHEDULES.detect).toBe('*/10 * * * * *');
    expect(parseWorkerSchedules({ CHECKPOINT_CRON: ' ', WORKER_TIMEZONE: '' })).toEqual({ schedules: DEFAULT_SCHEDULES, timezone: 'Asia/Jakarta' });
  });

  it('takes valid expressions and time zones from the environment', () => {
    expect(parseWorkerSchedules({ CHECKPOINT_CRON: '*/10 * * * *', CATCH_UP_CRON: '*/2 * * * * *', VERIFY_CRON: '30 1 * * *', DETECT_CRON: '*/15 * * * * *', WORKER_TIMEZONE: 'Asia/Makassar' })).toEqual({
      schedules: { checkpoint: '*/10 * * * *', catchUp: '*/2 * * * * *', verify: '30 1 * * *', detect: '*/15 * * * * *' },
      timezone: 'Asia/Makassar',
    });
  });

  it('names the invalid variable', () => {
    expect(() => parseWorkerSchedules({ CATCH_UP_CRON: 'every 5 seconds' })).toThrow(/CATCH_UP_CRON "every 5 seconds" is not a valid cron expression/);
    expect(() => parseWorkerSchedules({ VERIFY_CRON: '61 2 * * *' })).toThrow(/VERIFY_CRON/);
    expect(() => parseWorkerSchedules({ CHECKPOINT_CRON: '* * *' })).toThrow(/CHECKPOINT_CRON/);
    expect(() => parseWorkerSchedules({ DETECT_CRON: 'often' })).toThrow(/DETECT_CRON "often" is not a valid cron expression/);
    expect(() => parseWorkerSchedules({ WORKER_TIMEZONE: 'Asia/Atlantis' })).toThrow(/WORKER_TIMEZONE "Asia\/Atlantis" is not a known IANA time zone/);
  });
});
