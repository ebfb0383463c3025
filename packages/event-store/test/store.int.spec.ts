import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fromBase64,
  leafHash,
  rootFromLeafHashes,
  toBase64,
  utf8,
  verifyConsistency,
  verifyInclusion,
  openCheckpoint,
  isCanonical,
} from '@casn/ledger-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANY, EventStore, KeyStore, NO_STREAM, StoreError, type EventDraft } from '../src/index.ts';
import { createTestDatabase, testEngine, type TestDatabase } from '../src/testing.ts';

const L = 'casn.tangerangselatankota.go.id/2026';
const actor = { id: 'officer-1', role: 'officer' };
const ev = (type: string, payload: Record<string, unknown> = {}): EventDraft => ({ type, actor, payload });
const b64 = (s: string): Uint8Array => fromBase64(s)!;

let t: TestDatabase;
let store: EventStore;

beforeAll(async () => {
  t = await createTestDatabase();
  const keys = new KeyStore({ dir: await mkdtemp(join(tmpdir(), 'ledger-keys-')), generate: true });
  store = new EventStore(t.database, { keys, clock: () => new Date('2026-08-20T01:02:03.004Z') });
});
afterAll(async () => t.cleanup());

describe(`event store on ${testEngine}`, () => {
  it('appends, assigns gapless seq and stream versions, and chains prev', async () => {
    const a = await store.append(L, 'app-1', NO_STREAM, [ev('ApplicationSubmitted', { formasi: 'F-1' }), ev('DocumentsUploaded')]);
    expect(a).toMatchObject({ firstSeq: 0, firstVersion: 0, replayed: false, stream: 'app-1', at: '2026-08-20T01:02:03.004Z' });
    const b = await store.append(L, 'app-2', NO_STREAM, [ev('ApplicationSubmitted')]);
    expect(b.firstSeq).toBe(2);
    const c = await store.append(L, 'app-1', 1, [ev('VerificationRecorded', { result: 'MS' })]);
    expect(c).toMatchObject({ firstSeq: 3, firstVersion: 2 });

    const all = await store.readLedger(L);
    expect(all.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    let prev = '0'.repeat(64);
    for (const e of all) {
      expect(isCanonical(e.body)).toBe(true);
      const parsed = JSON.parse(e.body) as { prev: string; seq: number; ledger: string };
      expect(parsed.prev).toBe(prev);
      expect(parsed.ledger).toBe(L);
      expect(Buffer.from(e.leaf)).toEqual(Buffer.from(leafHash(utf8(e.body))));
      prev = Buffer.from(e.leaf).toString('hex');
    }
    const stream = await store.readStream(L, 'app-1');
    expect(stream.map((e) => [e.version, e.type])).toEqual([
      [0, 'ApplicationSubmitted'],
      [1, 'DocumentsUploaded'],
      [2, 'VerificationRecorded'],
    ]);
  });

  it('refuses a stale expected version with CONFLICT and stores nothing', async () => {
    const before = await store.size(L);
    const err = await store.append(L, 'app-1', 0, [ev('ScoreRecorded')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: 'CONFLICT', details: { expected: 0, actual: 2 } });
    await expect(store.append(L, 'app-1', NO_STREAM, [ev('X')])).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await store.size(L)).toBe(before);
  });

  it('replays an idempotency key without storing anything new, and refuses its reuse for another append', async () => {
    const first = await store.append(L, 'app-3', ANY, [ev('ApplicationSubmitted')], { idempotencyKey: 'k-1' });
    const size = await store.size(L);
    const again = await store.append(L, 'app-3', ANY, [ev('ApplicationSubmitted')], { idempotencyKey: 'k-1' });
    expect(again).toEqual({ ...first, replayed: true });
    expect(await store.size(L)).toBe(size);
    await expect(store.append(L, 'app-3', ANY, [ev('Different')], { idempotencyKey: 'k-1' })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_MISMATCH',
    });
    // A second store instance (another process) sees the stored key, not just this one's cache.
    const other = new EventStore(t.database);
    const third = await other.append(L, 'app-3', ANY, [ev('ApplicationSubmitted')], { idempotencyKey: 'k-1' });
    expect(third).toEqual({ ...first, replayed: true });
    expect(await store.size(L)).toBe(size);
  });

  it('replays by a caller-given fingerprint, and lists the appends recorded under a key and its numbered companions', async () => {
    const fingerprint = new Uint8Array(32).fill(7);
    const results = await store.appendAll(L, [
      { stream: 'app-f1', expectedVersion: NO_STREAM, events: [ev('ApplicationSubmitted', { n: 1 })], idempotencyKey: 'fk', fingerprint },
      { stream: 'person-f1', expectedVersion: NO_STREAM, events: [ev('PersonRegistered')], idempotencyKey: 'fk#1', fingerprint },
    ]);
    // Different events (a fresh ciphertext, say) under the same key and fingerprint are a replay.
    const again = await store.append(L, 'app-f1', NO_STREAM, [ev('ApplicationSubmitted', { n: 2 })], { idempotencyKey: 'fk' }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'IDEMPOTENCY_MISMATCH' }); // without the fingerprint, the request hash differs
    const replay = await store.appendAll(L, [{ stream: 'app-f1', expectedVersion: NO_STREAM, events: [ev('ApplicationSubmitted', { n: 2 })], idempotencyKey: 'fk', fingerprint }]);
    expect(replay).toEqual([{ ...results[0], replayed: true }]);
    const recorded = await store.recordedAppends(L, 'fk');
    expect(recorded.map((r) => r.result)).toEqual(results.map((r) => ({ ...r, replayed: true })));
    expect(recorded.every((r) => r.fingerprint.every((b) => b === 7))).toBe(true);
    // A key that merely starts like another is not its companion.
    expect(await store.recordedAppends(L, 'f')).toEqual([]);
  });

  it('lets exactly one of many concurrent appends at the same expected version win', async () => {
    const origin = 'casn.race.example/2026';
    await store.append(origin, 'app-r', NO_STREAM, [ev('ApplicationSubmitted')]);
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => store.append(origin, 'app-r', 0, [ev('VerificationRecorded', { by: i }), ev('VerificationConfirmed')])),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(39);
    for (const r of lost) expect(r.reason).toMatchObject({ code: 'CONFLICT' });
    expect((await store.readStream(origin, 'app-r')).map((e) => e.version)).toEqual([0, 1, 2]);
    expect(await store.size(origin)).toBe(3);
  });

  it('appends several streams atomically, refusing the whole group when one request conflicts', async () => {
    const origin = 'casn.group.example/2026';
    const ok = await store.appendAll(origin, [
      { stream: 'formasi-1', expectedVersion: NO_STREAM, events: [ev('FormationAnnounced')] },
      { stream: 'formasi-2', expectedVersion: NO_STREAM, events: [ev('FormationAnnounced')] },
    ]);
    expect(ok.map((r) => r.firstSeq)).toEqual([0, 1]);
    const err = await store
      .appendAll(origin, [
        { stream: 'formasi-3', expectedVersion: NO_STREAM, events: [ev('FormationAnnounced')] },
        { stream: 'formasi-1', expectedVersion: NO_STREAM, events: [ev('FormationAnnounced')] },
      ])
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFLICT', details: { index: 1, stream: 'formasi-1' } });
    expect(await store.size(origin)).toBe(2);
    expect(await store.readStream(origin, 'formasi-3')).toEqual([]);
  });

  it('writes a group larger than one statement in one transaction', async () => {
    const origin = 'casn.bulk.example/2026';
    const events = Array.from({ length: 4500 }, (_, i) => ev('ScoreImported', { row: i }));
    const [r] = await store.appendAll(origin, [{ stream: 'import-1', expectedVersion: NO_STREAM, events }]);
    expect(r).toMatchObject({ firstSeq: 0, firstVersion: 0 });
    expect(await store.size(origin)).toBe(4500);
    expect(await store.verify(origin)).toMatchObject({ ok: true, size: 4500 });
  });

  it('rejects bad input with the field named and stores nothing', async () => {
    const size = await store.size(L);
    await expect(store.append(L, '', ANY, [ev('X')])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'stream' } });
    await expect(store.append(L, 's', ANY, [])).rejects.toMatchObject({ details: { field: 'events' } });
    await expect(store.append(L, 's', -2, [ev('X')])).rejects.toMatchObject({ details: { field: 'expectedVersion' } });
    await expect(store.append(L, 's', ANY, [ev('X', { n: Number.NaN })])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.append('not a valid origin', 's', ANY, [ev('X')])).rejects.toMatchObject({ details: { field: 'ledger' } });
    expect(await store.size(L)).toBe(size);
  });

  it('keeps ledgers apart', async () => {
    const other = 'casn.medan.go.id/2026';
    const r = await store.append(other, 'app-1', NO_STREAM, [ev('ApplicationSubmitted')]);
    expect(r.firstSeq).toBe(0);
    expect(JSON.parse((await store.readLedger(other))[0]!.body)).toMatchObject({ ledger: other, prev: '0'.repeat(64) });
    expect(await store.listLedgers()).toEqual(expect.arrayContaining([L, other]));
  });

  it('serves roots and proofs that verify, across tile boundaries', async () => {
    const origin = 'casn.palembang.go.id/2026';
    // 700 entries: two complete tiles at level 0 and a partial one.
    const appends = [];
    for (let i = 0; i < 700; i++) appends.push(store.append(origin, `s-${i % 7}`, ANY, [ev('E', { i })]));
    await Promise.all(appends);
    const entries = await store.readLedger(origin, 0, 10_000);
    expect(entries.map((e) => e.seq)).toEqual([...Array(700).keys()]);
    const leaves = entries.map((e) => e.leaf);
    for (const size of [1, 2, 255, 256, 257, 511, 512, 513, 700]) {
      const root = rootFromLeafHashes(leaves.slice(0, size));
      expect(toBase64(await store.root(origin, size))).toBe(toBase64(root));
      for (const seq of [0, size - 1, Math.floor(size / 2), 255 % size]) {
        const p = await store.inclusionProof(origin, seq, size);
        expect(p.leafHash).toBe(toBase64(leaves[seq]!));
        expect(verifyInclusion(seq, size, leaves[seq]!, p.hashes.map(b64), root)).toEqual({ ok: true });
      }
      for (const size1 of [1, 3, 256, size]) {
        if (size1 > size) continue;
        const c = await store.consistencyProof(origin, size1, size);
        expect(verifyConsistency(size1, size, c.hashes.map(b64), b64(c.root1), b64(c.root2))).toEqual({ ok: true });
      }
    }
    await expect(store.inclusionProof(origin, 700)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'seq' } });
    await expect(store.consistencyProof(origin, 0, 5)).rejects.toMatchObject({ details: { field: 'size1' } });
  });

  it('signs checkpoints that verify under the log key, once per size', async () => {
    const cp = await store.checkpoint(L);
    expect(cp.created).toBe(true);
    const vkey = await store.verifierKey(L);
    const opened = openCheckpoint(cp.note, vkey, { origin: L });
    expect(opened.ok).toBe(true);
    if (opened.ok) {
      expect(opened.checkpoint.size).toBe(await store.size(L));
      expect(toBase64(opened.checkpoint.root)).toBe(toBase64(await store.root(L)));
    }
    const again = await store.checkpoint(L);
    expect(again).toMatchObject({ created: false, note: cp.note });
    expect((await store.latestCheckpoint(L))?.note).toBe(cp.note);
  });

  it('verifies the stored ledger end to end', async () => {
    const verdict = await store.verify(L);
    expect(verdict).toMatchObject({ ok: true, size: await store.size(L) });
  });

  it.runIf(testEngine === 'postgres')('does not hold up one ledger while another ledger is locked', async () => {
    const a = 'casn.lock-a.example/2026';
    const b = 'casn.lock-b.example/2026';
    await store.append(a, 's', ANY, [ev('E')]);
    await store.append(b, 's', ANY, [ev('E')]);
    // Another session holds ledger a's head row, as a long transaction elsewhere would.
    let pendingA: Promise<unknown> = Promise.resolve();
    let aDone = false;
    await t.database.transaction(async (query) => {
      await query('SELECT 1 FROM ledgers WHERE origin = $1 FOR UPDATE', [a]);
      const other = new EventStore(t.database);
      pendingA = other.append(a, 's', ANY, [ev('E')]).then(() => (aDone = true));
      await new Promise((r) => setTimeout(r, 100));
      const resultB = await other.append(b, 's', ANY, [ev('E')]);
      expect(resultB.firstSeq).toBe(1);
      expect(aDone).toBe(false); // still waiting for the row this transaction holds
    });
    await pendingA; // proceeds once the lock is released
    expect(aDone).toBe(true);
    expect(await store.size(a)).toBe(2);
  });

  it('names the entry a database superuser rewrote behind the triggers', async () => {
    const origin = 'casn.rewrite.example/2026';
    for (let i = 0; i < 6; i++) await store.append(origin, `app-${i}`, NO_STREAM, [ev('ScoreRecorded', { twk: 100 + i })]);
    expect((await store.verify(origin)).ok).toBe(true);
    const [{ id }] = (await t.database.query<{ id: number }>('SELECT id FROM ledgers WHERE origin = $1', [origin])) as [{ id: number }];
    await t.database.query('ALTER TABLE entries DISABLE TRIGGER entries_append_only');
    await t.database.query(`UPDATE entries SET body = replace(body, '"twk":102', '"twk":150') WHERE ledger_id = $1 AND seq = 2`, [id]);
    await t.database.query('ALTER TABLE entries ENABLE TRIGGER entries_append_only');
    const verdict = await store.verify(origin);
    expect(verdict).toMatchObject({ ok: false, seq: 2, reason: expect.stringContaining("next entry's prev") as string });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of entries at the database', async () => {
    for (const sql of ["UPDATE entries SET body = '{}'", 'DELETE FROM entries', 'TRUNCATE entries', 'DELETE FROM merkle_tiles', 'UPDATE checkpoints SET note = note']) {
      await expect(t.database.query(sql)).rejects.toThrow(/append-only/);
    }
    expect((await store.verify(L)).ok).toBe(true);
  });
});
