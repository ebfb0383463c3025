import { fromBase64, verifyConsistency, verifyInclusion } from '@casn/ledger-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANY, EventStore, type Database } from '../src/index.ts';
import { createTestDatabase, testEngine, type TestDatabase } from '../src/testing.ts';

const origin = 'casn.tiles.example/2026';
// Past 256² entries the tree spans three tile levels, as a 10-million-entry ledger spans four.
const SIZE = 256 * 256 + 300;
const actor = { id: 'officer-1', role: 'officer' };
const b64 = (s: string): Uint8Array => fromBase64(s)!;

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  const store = new EventStore(t.database);
  for (let from = 0; from < SIZE; from += 4000) {
    const n = Math.min(4000, SIZE - from);
    await store.appendAll(origin, [{ stream: `s-${from}`, expectedVersion: ANY, events: Array.from({ length: n }, (_, i) => ({ type: 'E', actor, payload: { i: from + i } })) }]);
  }
}, 300_000);
afterAll(async () => t.cleanup());

/** A store on the same database that counts the statements it sends and the rows they return. */
function countingStore(): { store: EventStore; statements: () => number; rows: () => number } {
  let count = 0;
  let rows = 0;
  const counted: Database = {
    ...t.database,
    async query<R>(text: string, params?: readonly unknown[], prepare?: string): Promise<R[]> {
      count++;
      const out = await t.database.query<R>(text, params, prepare);
      rows += out.length;
      return out;
    },
  };
  return { store: new EventStore(counted), statements: () => count, rows: () => rows };
}

describe(`Merkle tiles on ${testEngine}`, () => {
  it('answers a proof from a handful of statements, with no cache, whatever the entry', async () => {
    const leafOf = async (seq: number): Promise<Uint8Array> => (await new EventStore(t.database).readLedger(origin, seq, 1))[0]!.leaf;
    for (const seq of [0, 12_345, 65_535, 65_536, SIZE - 1]) {
      const { store, statements, rows } = countingStore();
      await store.size(origin); // resolves the ledger (one statement) before counting the proof
      const before = statements();
      const proof = await store.inclusionProof(origin, seq);
      // Complete tiles come in one statement; each incomplete right-edge tile (one per level) in one more,
      // and the rows read are a few tiles plus that edge, not the 65k leaves.
      expect(statements() - before).toBeLessThanOrEqual(5);
      expect(rows()).toBeLessThan(400);
      expect(verifyInclusion(seq, SIZE, await leafOf(seq), proof.hashes.map(b64), b64(proof.root))).toEqual({ ok: true });
    }
    const { store, statements } = countingStore();
    await store.size(origin);
    const before = statements();
    const c = await store.consistencyProof(origin, 40_000 - 3, SIZE);
    expect(statements() - before).toBeLessThanOrEqual(5);
    expect(verifyConsistency(c.size1, c.size2, c.hashes.map(b64), b64(c.root1), b64(c.root2))).toEqual({ ok: true });
  });
});
