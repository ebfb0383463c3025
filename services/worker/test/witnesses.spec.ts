// The worker asks witnesses for cosignatures after checkpoints: a real witness service
// (`pnpm ledger witness serve`, spawned), one that refuses connections and one that never
// answers. Appends and checkpoints go on whatever the witnesses do; the lag is a metric.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ANY, EventStore, KeyStore } from '@casn/event-store';
import { createTestDatabase, testEngine, type TestDatabase } from '@casn/event-store/testing';
import {
  checkCosignatureQuorum,
  cosignerFromSignerKey,
  formatAddCheckpoint,
  generateSignerKey,
  parseCosignatureVerifierKey,
  type WitnessEntry,
} from '@casn/ledger-core';
import { ProjectionRunner } from '@casn/projections';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '../src/index.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const A = 'casn.witnessed.example.go.id/2026';
const actor = { id: 'officer-1', role: 'officer' };

let t: TestDatabase;
let store: EventStore;
let dir: string;
let witnessProcess: ChildProcess;
let witnessUrl: string;
let refusing: string;
let hanging: Server;
const sockets = new Set<Socket>();
const keys = {
  live: generateSignerKey('inspektorat.example.go.id'),
  down: generateSignerKey('ombudsman.example.go.id'),
  silent: generateSignerKey('silent.example.org'),
};
const cosigners = { live: cosignerFromSignerKey(keys.live.skey), down: cosignerFromSignerKey(keys.down.skey), silent: cosignerFromSignerKey(keys.silent.skey) };

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** `pnpm ledger witness serve` on a free port; resolves once it says where it listens. */
function startWitness(args: readonly string[]): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/cli/src/main.ts', 'witness', 'serve', ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const url = /listening on (http:\/\/[^ ]+) /.exec(stderr)?.[1];
      if (url) ok({ child, url });
    });
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`witness serve exited with ${code}: ${stderr}`)));
  });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as { port: number }).port;
  await new Promise((ok) => s.close(ok));
  return port;
}

async function metric(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const m = registry.getSingleMetric(name);
  if (!m) return undefined;
  const { values } = await m.get();
  return values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;
}

/** A worker asking `witnesses`; the timeout is long unless a test is about timing out (the machine may be busy). */
function worker(witnesses: readonly WitnessEntry[], witnessTimeoutMs = 10_000): { worker: Worker; registry: Registry; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  const registry = new Registry();
  return { worker: new Worker({ store, runner: new ProjectionRunner(store), logger, registry, witnesses, witnessTimeoutMs }), registry, lines };
}

const append = (n: number) => store.appendAll(A, [{ stream: 's', expectedVersion: ANY, events: Array.from({ length: n }, (_, i) => ({ type: 'Noted', actor, payload: { i } })) }]);

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'worker-witness-'));
  const keyStore = new KeyStore({ dir: join(dir, 'keys'), generate: true });
  store = new EventStore(t.database, { keys: keyStore });
  await append(3);
  const logVkey = join(dir, 'log.vkey');
  await writeFile(logVkey, `${await store.verifierKey(A)}\n`);
  const keyFile = join(dir, 'live.key');
  await writeFile(keyFile, `${keys.live.skey}\n`, { mode: 0o600 });
  ({ child: witnessProcess, url: witnessUrl } = await startWitness(['--key', keyFile, '--state', join(dir, 'live.state.json'), '--port', '0', '--log-key', logVkey]));
  refusing = `http://127.0.0.1:${await closedPort()}`;
  hanging = createServer((socket) => {
    sockets.add(socket); // accepts and never answers
  });
  await new Promise<void>((ok) => hanging.listen(0, '127.0.0.1', ok));
});
afterAll(async () => {
  witnessProcess?.kill('SIGTERM');
  for (const s of sockets) s.destroy();
  await new Promise((ok) => hanging.close(ok));
  await t.cleanup();
});

describe(`worker and witnesses on ${testEngine}`, () => {
  it('asks a running witness after a checkpoint and stores its cosignature; an unreachable one is a failure and a lag, not a blocker', async () => {
    const witnesses: WitnessEntry[] = [
      { verifier: parseCosignatureVerifierKey(cosigners.live.vkey), url: witnessUrl },
      { verifier: parseCosignatureVerifierKey(cosigners.down.vkey), url: refusing },
    ];
    const { worker: w, registry, lines } = worker(witnesses);
    expect(await w.checkpointAll()).toEqual([A]);
    const outcomes = await w.witnessAll();
    expect(outcomes.map((o) => [o.witness, o.ok, o.size]).sort()).toEqual([
      ['inspektorat.example.go.id', true, 3],
      ['ombudsman.example.go.id', false, 3],
    ]);
    expect(outcomes.find((o) => !o.ok)!.detail).toBe('unreachable: ECONNREFUSED');

    const note = (await store.latestCheckpoint(A))!.note;
    const quorum = checkCosignatureQuorum(note, witnesses.map((x) => x.verifier), 1);
    expect(quorum.ok && quorum.cosigners.map((c) => c.witness.name)).toEqual(['inspektorat.example.go.id']);
    expect(await metric(registry, 'witness_lag_entries', { ledger: A, witness: 'inspektorat.example.go.id' })).toBe(0);
    expect(await metric(registry, 'witness_lag_entries', { ledger: A, witness: 'ombudsman.example.go.id' })).toBe(3);
    expect(await metric(registry, 'witness_lag_seconds', { ledger: A, witness: 'inspektorat.example.go.id' })).toBe(0);
    expect(await metric(registry, 'witness_lag_seconds', { ledger: A, witness: 'ombudsman.example.go.id' })).toBeGreaterThanOrEqual(0);
    expect(await metric(registry, 'witness_request_failures_total', { ledger: A, witness: 'ombudsman.example.go.id' })).toBe(1);
    expect(await metric(registry, 'witness_cosignatures_total', { ledger: A, witness: 'inspektorat.example.go.id' })).toBe(1);
    const failed = lines.find((l) => l.msg.startsWith('witness request failed'));
    expect(failed).toMatchObject({ ledger: A, witness: 'ombudsman.example.go.id', size: 3, msg: 'witness request failed: unreachable: ECONNREFUSED' });

    // The ledger grows on: the live witness cosigns the growth from the size it cosigned, with a proof.
    await append(2);
    expect(await w.checkpointAll()).toEqual([A]);
    const again = await w.witnessAll();
    expect(again.map((o) => [o.witness, o.ok, o.size]).sort()).toEqual([
      ['inspektorat.example.go.id', true, 5],
      ['ombudsman.example.go.id', false, 5],
    ]);
    expect(await metric(registry, 'witness_lag_entries', { ledger: A, witness: 'inspektorat.example.go.id' })).toBe(0);
    expect(await metric(registry, 'witness_lag_entries', { ledger: A, witness: 'ombudsman.example.go.id' })).toBe(5);
    expect(await metric(registry, 'witness_request_failures_total', { ledger: A, witness: 'ombudsman.example.go.id' })).toBe(2);
    const state = JSON.parse(await readFile(join(dir, 'live.state.json'), 'utf8')) as { logs: Record<string, { size: number }> };
    expect(state.logs[A]!.size).toBe(5);
    await w.stop();
  });

  it('starts over from the size a 409 names when the witness cosigned more than the ledger knows', async () => {
    // The witness cosigns size 7 through its own API; the ledger never hears of it.
    await append(2);
    const cp7 = await store.checkpoint(A);
    const proof = (await store.consistencyProof(A, 5, 7)).hashes.map((h) => Buffer.from(h, 'base64'));
    const direct = await fetch(`${witnessUrl}/add-checkpoint`, { method: 'POST', body: formatAddCheckpoint({ oldSize: 5, proof, checkpoint: cp7.note }) });
    expect(direct.status).toBe(200);
    await append(1);
    const { worker: w } = worker([{ verifier: parseCosignatureVerifierKey(cosigners.live.vkey), url: witnessUrl }]);
    await w.checkpointAll();
    // Asked from 5 (what the ledger knows), answered 409 "7", asked again from 7.
    expect(await w.witnessAll()).toEqual([{ ledger: A, witness: 'inspektorat.example.go.id', size: 8, ok: true, detail: 'cosigned' }]);
    await w.stop();
  });

  it('does not hold up checkpoints or appends while a witness hangs; the request times out and counts as a failure', async () => {
    const port = (hanging.address() as { port: number }).port;
    const silent = [{ verifier: parseCosignatureVerifierKey(cosigners.silent.vkey), url: `http://127.0.0.1:${port}` }];
    // A witness that never answers, asked with a minute to answer: the checkpoint and the next
    // append are done while the request still waits.
    const { worker: patient } = worker(silent, 60_000);
    const connected = sockets.size;
    await append(1);
    expect(await patient.checkpointAll()).toEqual([A]);
    await append(1);
    await expect.poll(() => sockets.size).toBeGreaterThan(connected);
    for (const socket of sockets) socket.destroy();
    await patient.stop();

    const { worker: w, registry } = worker(silent, 500);
    const outcomes = await w.witnessAll();
    expect(outcomes).toEqual([{ ledger: A, witness: 'silent.example.org', size: 9, ok: false, detail: 'unreachable: timed out' }]);
    expect(await metric(registry, 'witness_lag_entries', { ledger: A, witness: 'silent.example.org' })).toBe(9);
    expect(await metric(registry, 'witness_request_failures_total', { ledger: A, witness: 'silent.example.org' })).toBeGreaterThanOrEqual(1);
    await w.stop();
  });
});
