/**
 * The detect job: which ledgers it runs detection on (those that grew since the size the
 * last run covered), what it counts, and its schedule. The detection itself is injected;
 * here a counting function on a real store stands in for runDetection (tested in the API).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANY, EventStore, KeyStore } from '@casn/event-store';
import { createTestDatabase, testEngine, type TestDatabase } from '@casn/event-store/testing';
import { ProjectionRunner } from '@casn/projections';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker, type DetectionRunner, type WorkerOptions } from '../src/index.ts';

const A = 'casn.detect-a.example/2026';
const B = 'casn.detect-b.example/2026';
const actor = { id: 'officer-1', role: 'officer' };
const NEVER = '0 0 1 1 *';

let t: TestDatabase;
let store: EventStore;

const append = (origin: string, n = 1, stream = 's') =>
  store.appendAll(origin, [{ stream, expectedVersion: ANY, events: Array.from({ length: n }, (_, i) => ({ type: 'Noted', actor, payload: { i } })) }]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A detection that records what it was asked and raises `raise(origin)` flags, as entries of a flag stream it appends itself. */
function countingDetection(raise: (origin: string) => number = () => 0, opts: { covers?: boolean; fail?: (origin: string) => boolean } = {}) {
  const calls: { origin: string; size: number }[] = [];
  const detection: DetectionRunner = {
    async run({ origin, size }) {
      calls.push({ origin, size });
      if (opts.fail?.(origin)) throw new Error('detectors unavailable');
      const n = raise(origin);
      if (n > 0) await append(origin, n, `flag-${calls.length}`);
      return opts.covers === false ? n : { raised: n, size: size + n };
    },
  };
  return { detection, calls };
}

function worker(overrides: Partial<WorkerOptions>) {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  const registry = new Registry();
  return { worker: new Worker({ store, runner: new ProjectionRunner(store), logger, registry, ...overrides }), registry, lines };
}

async function metric(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const { values } = await registry.getSingleMetric(name)!.get();
  return values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;
}

beforeAll(async () => {
  t = await createTestDatabase();
  store = new EventStore(t.database, { keys: new KeyStore({ dir: await mkdtemp(join(tmpdir(), 'worker-detect-keys-')), generate: true }) });
  await append(A, 3);
  await append(B, 2);
});
afterAll(async () => t.cleanup());

describe(`detect job on ${testEngine}`, () => {
  it('runs detection on every ledger first, then only on those that grew, at their current size', async () => {
    const { detection, calls } = countingDetection((origin) => (origin === A ? 2 : 0));
    const { worker: w, registry, lines } = worker({ detection });
    expect(await w.detectAll()).toBe(2);
    expect(calls).toEqual([
      { origin: A, size: 3 },
      { origin: B, size: 2 },
    ]);
    // A grew by its own flags only, which the run covered: nothing to do.
    expect(await store.size(A)).toBe(5);
    expect(await w.detectAll()).toBe(0);
    expect(calls).toHaveLength(2);
    await append(B);
    expect(await w.detectAll()).toBe(0);
    expect(calls.slice(2)).toEqual([{ origin: B, size: 3 }]);
    expect(await metric(registry, 'detection_flags_raised_total', { ledger: A })).toBe(2);
    expect(await metric(registry, 'detection_flags_raised_total', { ledger: B })).toBe(0);
    expect(await metric(registry, 'detection_lag_seconds', { ledger: A })).toBe(0);
    expect(await metric(registry, 'detection_lag_seconds', { ledger: B })).toBeGreaterThanOrEqual(0);
    expect(lines.find((l) => l.msg === 'red flags raised')).toMatchObject({ ledger: A, size: 3, raised: 2 });
  });

  it('takes a plain count as covering only the size it was given', async () => {
    let once = true;
    const { detection, calls } = countingDetection(
      (origin) => {
        if (origin !== A || !once) return 0;
        once = false;
        return 1;
      },
      { covers: false },
    );
    const { worker: w } = worker({ detection });
    const sizeA = await store.size(A);
    expect(await w.detectAll()).toBe(1);
    // The flag it appended counts as growth: one more run on A, which raises nothing new.
    expect(await w.detectAll()).toBe(0);
    expect(calls.map((c) => [c.origin, c.size])).toEqual([
      [A, sizeA],
      [B, await store.size(B)],
      [A, sizeA + 1],
    ]);
  });

  it('logs and counts a failing ledger, goes on with the others, and retries it on the next run', async () => {
    let broken = true;
    const { detection, calls } = countingDetection(() => 0, { fail: (origin) => origin === A && broken });
    const { worker: w, registry, lines } = worker({ detection });
    expect(await w.detectAll()).toBe(0);
    expect(calls.map((c) => c.origin)).toEqual([A, B]);
    expect(await metric(registry, 'worker_job_failures_total', { job: 'detect' })).toBe(1);
    expect(lines.some((l) => l.level === 50 && l.ledger === A && l.msg.includes('detectors unavailable'))).toBe(true);
    broken = false;
    await w.detectAll();
    expect(calls.map((c) => c.origin)).toEqual([A, B, A]);
  });

  it('is scheduled only with a detection, and runs on its schedule until stopped', async () => {
    const none = worker({ schedules: { checkpoint: NEVER, catchUp: NEVER, verify: NEVER, detect: '*/1 * * * * *' }, timezone: 'UTC' });
    none.worker.start();
    await none.worker.stop();
    expect(none.lines.find((l) => l.msg === 'worker started')?.jobs).toEqual(['checkpoint', 'catchUp', 'verify']);

    const { detection, calls } = countingDetection();
    const { worker: w, lines } = worker({ detection, schedules: { checkpoint: NEVER, catchUp: NEVER, verify: NEVER, detect: '*/1 * * * * *' }, timezone: 'UTC' });
    w.start();
    expect(lines.find((l) => l.msg === 'worker started')?.jobs).toEqual(['checkpoint', 'catchUp', 'verify', 'detect']);
    const deadline = Date.now() + 5000;
    while (calls.length < 2 && Date.now() < deadline) await sleep(50);
    await w.stop();
    expect(calls.map((c) => c.origin).sort()).toEqual([A, B]);
    const after = calls.length;
    await append(A);
    await sleep(1500);
    expect(calls).toHaveLength(after);
  });

  it('refuses an invalid detect schedule', () => {
    expect(() => worker({ schedules: { detect: 'every minute' } })).toThrow(/schedules.detect/);
  });
});
