/**
 * Completeness commitments in the checkpoint job: the injected runner appends its
 * commitment before the checkpoint is signed, so the checkpoint covers it; a failing runner
 * is logged and counted and the checkpoint is signed all the same. The commitment itself is
 * the API's (completenessJob, tested there); here a runner on a real store stands in.
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
import { Worker, type CompletenessRunner } from '../src/index.ts';

const A = 'casn.completeness-a.example/2026';
const B = 'casn.completeness-b.example/2026';
const actor = { id: 'completeness', role: 'inspector' };

let t: TestDatabase;
let store: EventStore;

const append = (origin: string, stream: string) => store.appendAll(origin, [{ stream, expectedVersion: ANY, events: [{ type: 'Noted', actor, payload: {} }] }]);

beforeAll(async () => {
  t = await createTestDatabase();
  store = new EventStore(t.database, { keys: new KeyStore({ dir: await mkdtemp(join(tmpdir(), 'worker-completeness-keys-')), generate: true }) });
  await append(A, 's');
  await append(B, 's');
});
afterAll(async () => t.cleanup());

describe(`completeness commitments before checkpoints on ${testEngine}`, () => {
  it('signs each checkpoint over the commitment appended just before it, and goes on when one fails', async () => {
    const asked: string[] = [];
    const completeness: CompletenessRunner = {
      async run({ origin }) {
        asked.push(origin);
        if (origin === B) throw new Error('commitment refused');
        await append(origin, 'completeness');
      },
    };
    const lines: { msg: string; ledger?: string }[] = [];
    const registry = new Registry();
    const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as { msg: string }) });
    const w = new Worker({ store, runner: new ProjectionRunner(store), logger, registry, completeness });
    expect(await w.checkpointAll()).toEqual([A, B]);
    expect(asked).toEqual([A, B]);
    // A's commitment (its second entry) is inside A's checkpoint; B was signed without one.
    expect((await store.latestCheckpoint(A))?.size).toBe(2);
    expect((await store.latestCheckpoint(B))?.size).toBe(1);
    expect(lines.find((l) => l.msg.startsWith('completeness commitment failed'))).toMatchObject({ ledger: B });
    const failures = await registry.getSingleMetric('worker_job_failures_total')!.get();
    expect(failures.values.find((v) => v.labels.job === 'checkpoint')?.value).toBe(1);
  });
});
