import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, KeyStore } from '@casn/event-store';
import { createTestDatabase, testEngine, type TestDatabase } from '@casn/event-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const worker = join(import.meta.dirname, 'fixtures/append-worker.ts');
const origin = 'casn.processes.example/2026';

/** Starts an append worker process; resolves its acknowledged appends when it exits. */
function startWorker(url: string, id: number, events: number, concurrency: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, url, origin, String(id), String(events), String(concurrency)], {
    cwd: import.meta.dirname,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; acks: { seq: number; leaf: string }[]; stderr: string }>(
    (resolve) =>
      child.on('exit', (code, signal) => {
        // Only complete lines are acknowledgements; a kill may cut the last one short.
        const acks = out.split('\n').slice(0, -1).map((l) => JSON.parse(l) as { seq: number; leaf: string });
        resolve({ code, signal, acks, stderr: err });
      }),
  );
  return { child, exited, acked: () => out.split('\n').length - 1 };
}

// Several processes on one database need a database server: an embedded PGlite
// database belongs to the one process that opened it.
describe.runIf(testEngine === 'postgres')('several OS processes appending to one ledger', () => {
  let t: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    t = await createTestDatabase();
    store = new EventStore(t.database, { keys: new KeyStore({ dir: await mkdtemp(join(tmpdir(), 'keys-')), generate: true }) });
    await store.createLedger(origin);
  });
  afterAll(async () => t?.cleanup());

  it('yields one unbroken chain holding every acknowledged append', async () => {
    const workers = [1, 2, 3, 4].map((id) => startWorker(t.url!, id, 400, 16));
    const results = await Promise.all(workers.map((w) => w.exited));
    for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
    const acks = results.flatMap((r) => r.acks);
    expect(acks).toHaveLength(1600);
    expect(new Set(acks.map((a) => a.seq)).size).toBe(1600);
    expect(await store.size(origin)).toBe(1600);
    const stored = new Map((await store.readLedger(origin, 0, 10_000)).map((e) => [e.seq, Buffer.from(e.leaf).toString('hex')]));
    for (const a of acks) expect(stored.get(a.seq)).toBe(a.leaf);
    const verdict = await store.verify(origin);
    expect(verdict).toMatchObject({ ok: true, size: 1600 });
  });

  it('loses no acknowledged entry when an appending process is killed with SIGKILL mid-load', async () => {
    const before = await store.size(origin);
    const w = startWorker(t.url!, 9, 1_000_000, 32);
    // Let it get well into the load, then kill it without warning.
    while (w.acked() < 500) await new Promise((r) => setTimeout(r, 20));
    w.child.kill('SIGKILL');
    const { signal, acks } = await w.exited;
    expect(signal).toBe('SIGKILL');
    expect(acks.length).toBeGreaterThanOrEqual(500);
    // The server may still finish a statement the killed client sent: wait for its backends to go.
    const others = "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'append-worker'";
    while ((await t.database.query<{ n: number }>(others))[0]!.n > 0) await new Promise((r) => setTimeout(r, 20));
    const size = await store.size(origin);
    expect(size).toBeGreaterThanOrEqual(before + acks.length);
    const stored = new Map((await store.readLedger(origin, before, 1_000_000)).map((e) => [e.seq, Buffer.from(e.leaf).toString('hex')]));
    for (const a of acks) expect(stored.get(a.seq), `acknowledged seq ${a.seq}`).toBe(a.leaf);
    // The ledger stays valid and writable after the crash.
    const verdict = await store.verify(origin);
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ ok: true, size });
    const next = await store.append(origin, 'after-crash', -1, [{ type: 'E', actor: { id: 'o', role: 'officer' }, payload: {} }]);
    expect(next.firstSeq).toBe(size);
  });
});

describe.runIf(testEngine === 'pglite')('several OS processes on the embedded database', () => {
  it('are out of scope: an embedded PGlite database is opened by one process; run with DATABASE_URL for these tests', () => {
    expect(testEngine).toBe('pglite');
  });
});
