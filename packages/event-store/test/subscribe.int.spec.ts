import { leafHash, sealEntry, utf8 } from '@casn/ledger-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANY, EventStore, type StoredEntry } from '../src/index.ts';
import { createTestDatabase, testEngine, type TestDatabase } from '../src/testing.ts';

const actor = { id: 'officer-1', role: 'officer' };
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t.cleanup());

/** Collects `count` entries from a subscription, or fails after a timeout. */
async function collect(store: EventStore, origin: string, from: number, count: number, signal: AbortSignal): Promise<StoredEntry[]> {
  const seen: StoredEntry[] = [];
  for await (const e of store.subscribe(origin, from, signal)) {
    seen.push(e);
    if (seen.length === count) break;
  }
  return seen;
}

describe(`catch-up subscription on ${testEngine}`, () => {
  it('delivers every entry exactly once, in order, while many writers append concurrently', async () => {
    const origin = 'casn.subscribe.example/concurrent';
    const writerA = new EventStore(t.database);
    const writerB = new EventStore(t.database); // a second writer instance, as another process would be
    const reader = new EventStore(t.database, { pollMs: 20 });
    await writerA.createLedger(origin);
    const total = 1200;
    const ac = new AbortController();
    const received = collect(reader, origin, 0, total, ac.signal);
    const appends: Promise<unknown>[] = [];
    for (let i = 0; i < total / 2; i++) {
      appends.push(writerA.append(origin, `a-${i % 13}`, ANY, [{ type: 'E', actor, payload: { i } }]));
      appends.push(writerB.append(origin, `b-${i % 11}`, ANY, [{ type: 'E', actor, payload: { i } }]));
    }
    await Promise.all(appends);
    const timer = setTimeout(() => ac.abort(), 30_000);
    const seen = await received;
    clearTimeout(timer);
    expect(seen.map((e) => e.seq)).toEqual([...Array(total).keys()]);
  });

  it('waits at a gap instead of skipping an entry that commits late', async () => {
    const origin = 'casn.subscribe.example/gap';
    const store = new EventStore(t.database, { pollMs: 10 });
    await store.append(origin, 's', ANY, [{ type: 'E', actor, payload: {} }]);
    const [{ id }] = (await t.database.query<{ id: number }>('SELECT id FROM ledgers WHERE origin = $1', [origin])) as [{ id: number }];
    // Rows inserted behind the writer's back: seq 2 becomes visible before seq 1 does.
    const row = (seq: number): unknown[] => {
      const { text } = sealEntry({
        ledger: origin, seq, id: `00000000-0000-4000-8000-00000000000${seq}`, stream: 'late', version: seq - 1,
        type: 'E', schema: 1, at: '2026-01-01T00:00:00.000Z', actor, payload: {}, prev: '0'.repeat(64),
      });
      return [id, seq, 'late', seq - 1, 'E', leafHash(utf8(text)), text];
    };
    const insert = 'INSERT INTO entries (ledger_id, seq, stream, version, type, leaf, body) VALUES ($1, $2, $3, $4, $5, $6, $7)';
    await t.database.query(insert, row(2));

    const ac = new AbortController();
    const seen: number[] = [];
    const done = (async () => {
      for await (const e of store.subscribe(origin, 0, ac.signal)) {
        seen.push(e.seq);
        if (seen.length === 3) break;
      }
    })();
    await new Promise((r) => setTimeout(r, 150));
    expect(seen).toEqual([0]); // seq 2 is committed but 1 is not: the subscription holds at the gap
    await t.database.query(insert, row(1));
    const timer = setTimeout(() => ac.abort(), 10_000);
    await done;
    clearTimeout(timer);
    expect(seen).toEqual([0, 1, 2]);
  });
});
