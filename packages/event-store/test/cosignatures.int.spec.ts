// Witness cosignatures in the store: verified before they are stored, append-only, appended to
// every checkpoint note served for their size, listed in exports, and the witnesses' lag.
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkCosignatureQuorum,
  cosignerFromSignerKey,
  formatCosignature,
  generateSignerKey,
  noteText,
  openCheckpoint,
  parseCosignatureVerifierKey,
  parseWitnessList,
  verifyBundle,
  type WitnessEntry,
} from '@casn/ledger-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANY, EventStore, KeyStore, StoreError, exportBundle } from '../src/index.ts';
import { createTestDatabase, testEngine, type TestDatabase } from '../src/testing.ts';

const L = 'casn.witnessed.example.go.id/2026';
const actor = { id: 'officer-1', role: 'officer' };
const inspektorat = cosignerFromSignerKey(generateSignerKey('inspektorat.example.go.id').skey);
const ombudsman = cosignerFromSignerKey(generateSignerKey('ombudsman.example.go.id').skey);
const stranger = cosignerFromSignerKey(generateSignerKey('stranger.example.org').skey);
const witnesses: WitnessEntry[] = [
  { verifier: parseCosignatureVerifierKey(inspektorat.vkey), url: 'http://witness.inspektorat.example.go.id' },
  { verifier: parseCosignatureVerifierKey(ombudsman.vkey) },
];

let t: TestDatabase;
let store: EventStore;

const append = (n: number) => store.append(L, 's', ANY, Array.from({ length: n }, (_, i) => ({ type: 'Noted', actor, payload: { i } })));
const line = (w: typeof inspektorat, note: string, at = 1_795_338_000) => formatCosignature(w.cosign(noteText(note)!, at));

async function refusal(p: Promise<unknown>): Promise<StoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof StoreError)) throw new Error(`expected a StoreError, got ${String(err)}`);
  return err;
}

beforeAll(async () => {
  t = await createTestDatabase();
  const keys = new KeyStore({ dir: await mkdtemp(join(tmpdir(), 'ledger-keys-')), generate: true });
  store = new EventStore(t.database, { keys, witnesses });
  await append(3);
});
afterAll(async () => t.cleanup());

describe(`cosignatures on ${testEngine}`, () => {
  it('stores a verified cosignature once and appends it to every note served for that size', async () => {
    const cp = await store.checkpoint(L);
    const a = await store.addCosignature(L, cp.size, line(inspektorat, cp.note));
    expect(a).toMatchObject({ stored: true, cosignature: { origin: L, size: 3, witness: 'inspektorat.example.go.id', timestamp: 1_795_338_000 } });
    expect(a.cosignature.keyId).toBe(inspektorat.keyId.toString(16).padStart(8, '0'));
    // A second one by the same key (later timestamp) is not stored; the first is kept.
    const again = await store.addCosignature(L, cp.size, line(inspektorat, cp.note, 1_795_338_100));
    expect(again).toMatchObject({ stored: false, cosignature: { timestamp: 1_795_338_000 } });
    await store.addCosignature(L, cp.size, line(ombudsman, cp.note));

    const expected = cp.note + line(inspektorat, cp.note) + line(ombudsman, cp.note);
    expect((await store.latestCheckpoint(L))!.note).toBe(expected);
    const same = await store.checkpoint(L, 3);
    expect(same).toMatchObject({ note: expected, created: false });
    expect(openCheckpoint(expected, await store.verifierKey(L)).ok).toBe(true);
    expect(checkCosignatureQuorum(expected, witnesses.map((w) => w.verifier), 2).ok).toBe(true);
    expect((await store.cosignatures(L, 3)).map((c) => c.witness)).toEqual(['inspektorat.example.go.id', 'ombudsman.example.go.id']);
    // The store's own verification is unaffected by the extra lines.
    expect((await store.verify(L)).ok).toBe(true);
  });

  it('refuses a cosignature that does not verify, is by an unknown key, is malformed, or names a size never signed', async () => {
    const cp = (await store.latestCheckpoint(L))!;
    const before = (await store.cosignatures(L)).length;
    const otherText = noteText(cp.note)!.replace('\n3\n', '\n4\n');
    const forged = formatCosignature(ombudsman.cosign(otherText, 1_795_338_000));
    const bad = await refusal(store.addCosignature(L, 3, forged));
    expect([bad.code, bad.details]).toEqual(['INVALID_ARGUMENT', { field: 'cosignature', reason: 'invalid_signature' }]);
    expect((await refusal(store.addCosignature(L, 3, line(stranger, cp.note)))).details.reason).toBe('unknown_witness');
    expect((await refusal(store.addCosignature(L, 3, '— x AAAA'))).details.reason).toBe('malformed');
    // A witness configured elsewhere is accepted only when passed explicitly.
    const elsewhere = [{ verifier: parseCosignatureVerifierKey(stranger.vkey) }];
    const missing = await refusal(store.addCosignature(L, 2, line(stranger, cp.note), { witnesses: elsewhere }));
    expect([missing.code, missing.details.field]).toEqual(['NOT_FOUND', 'size']);
    expect((await store.cosignatures(L)).length).toBe(before);
  });

  it('keeps cosignatures append-only', async () => {
    for (const sql of ['UPDATE ledger_cosignatures SET line = line', 'DELETE FROM ledger_cosignatures', 'TRUNCATE ledger_cosignatures']) {
      await expect(t.database.query(sql)).rejects.toThrow(/append-only/);
    }
  });

  it('reports how far each witness lags behind the latest checkpoint', async () => {
    await append(2);
    const cp = await store.checkpoint(L);
    expect(cp.size).toBe(5);
    expect(cp.note.split('\n\u2014 ')).toHaveLength(2); // the log signature only: nobody cosigned size 5 yet
    const status = await store.witnessStatus(L);
    expect(status.map((s) => [s.name, s.url, s.checkpointSize, s.cosignedSize, s.lagEntries])).toEqual([
      ['inspektorat.example.go.id', 'http://witness.inspektorat.example.go.id', 5, 3, 2],
      ['ombudsman.example.go.id', undefined, 5, 3, 2],
    ]);
    expect(status.every((s) => s.lagSeconds >= 0 && s.lagSeconds < 600)).toBe(true);
    await store.addCosignature(L, 5, line(inspektorat, cp.note, 1_795_338_200));
    const [a, b] = await store.witnessStatus(L);
    expect([a!.lagEntries, a!.lagSeconds, a!.cosignedAt, b!.lagEntries]).toEqual([0, 0, 1_795_338_200, 2]);
  });

  it('exports witnesses.vkey (keys only) and a checkpoint carrying the cosignatures; removes a stale one without witnesses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ledger-export-'));
    const cp = await exportBundle(store, L, dir);
    const listed = await readFile(join(dir, 'witnesses.vkey'), 'utf8');
    expect(listed).toBe(`${inspektorat.vkey}\n${ombudsman.vkey}\n`);
    const files = {
      entries: await readFile(join(dir, 'entries.jsonl'), 'utf8'),
      checkpoint: await readFile(join(dir, 'checkpoint'), 'utf8'),
      logVkey: await readFile(join(dir, 'log.vkey'), 'utf8'),
    };
    expect(files.checkpoint).toBe(cp.note);
    const v = verifyBundle(files, { witnesses: parseWitnessList(listed).map((w) => w.verifier), quorum: 1 });
    expect(v.ok && v.cosigners).toEqual(['inspektorat.example.go.id']);

    await writeFile(join(dir, 'witnesses.vkey'), 'stale\n');
    await exportBundle(store, L, dir, { witnesses: [] });
    expect((await readdir(dir)).sort()).toEqual(['checkpoint', 'entries.jsonl', 'log.vkey']);
  });
});
