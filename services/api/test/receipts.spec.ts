/**
 * Offline receipts over HTTP: every write answers with one receipt per entry, any entry
 * gives one later, and each verifies with @casn/ledger-core and the log key alone; tampered
 * receipts fail with the right reason; a newer checkpoint and a consistency proof show the
 * entry is still there, and cannot for a rewritten ledger (fabricated in a second database
 * with the same log key). Concurrent writes share one checkpoint.
 */
import { ANY, EventStore, type EventStoreOptions, type KeyStore } from '@casn/event-store';
import { createTestDatabase, type TestDatabase } from '@casn/event-store/testing';
import {
  formatReceipt,
  fromBase64,
  leafHash,
  parseReceipt,
  parseSignerKey,
  signCheckpoint,
  generateSignerKey,
  openCheckpoint,
  toHex,
  verifyReceipt,
  verifyReceiptStillThere,
  type Receipt,
} from '@casn/ledger-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Api,
  expectProblem,
  formationBody,
  makeApplicant,
  periodBody,
  registrationsCsv,
  submitBody,
  wib,
  type Checkpoint,
  type ConsistencyProofView,
  type ImportResult,
  type WriteResult,
} from './fixtures.ts';
import { key, startApp, type TestApp } from './support.ts';

interface ReceiptView {
  ledger: string;
  seq: number;
  checkpointSize: number;
  receipt: string;
  verifierKey: string;
}

let t: TestApp;
let api: Api;
let origin: string;
let vkey: string;
let opened: WriteResult;
const ID = 'tanda';
const pp = (path: string) => `/v1/periods/${ID}${path}`;

beforeAll(async () => {
  t = await startApp();
  api = new Api(t);
  opened = await api.write('supervisor', '/v1/periods', periodBody(ID));
  origin = opened.ledger;
  vkey = await t.store.verifierKey(origin);
});
afterAll(() => t.close());

/** Checks that each receipt of a write verifies and proves exactly the entry the write reports. */
function expectReceiptsOf(write: WriteResult, logKey = vkey): void {
  expect(write.receipts).toHaveLength(write.entries.length);
  write.entries.forEach((entry, i) => {
    const v = verifyReceipt(write.receipts[i]!, { logKey });
    expect(v, JSON.stringify(v)).toMatchObject({ ok: true, origin: write.ledger, seq: entry.seq, id: entry.id, stream: entry.stream, version: entry.version });
    if (v.ok) expect(toHex(v.leaf)).toBe(entry.leaf);
  });
}

describe('receipts of writes', () => {
  it('come with every write and verify offline with the log key alone', async () => {
    expectReceiptsOf(opened);
    const announced = await api.write('supervisor', pp('/formations'), formationBody('F-1'));
    expectReceiptsOf(announced);
    // The checkpoint is signed, stored and served like any other.
    const latest = await api.read<Checkpoint>('inspector', `/v1/ledgers/${ID}/checkpoint`);
    expect(parseReceipt(announced.receipts[0]!).checkpoint).toBe(latest.note);
  });

  it('come with a write of several streams (an application and its person guard), all against one checkpoint', async () => {
    await api.write('supervisor', pp('/formations'), formationBody('F-2'));
    const submitted = await api.write('portal', pp('/applications'), submitBody('A-1', 'F-2', makeApplicant()));
    expect(submitted.entries.length).toBeGreaterThan(1);
    expectReceiptsOf(submitted);
    expect(new Set(submitted.receipts.map((r) => parseReceipt(r).checkpoint)).size).toBe(1);
  });

  it('come with directory writes', async () => {
    const registered = await api.write('admin', '/v1/agencies', { code: 'kota-tanda', name: 'Kota Tanda', level: 'daerah' });
    expectReceiptsOf(registered, await t.store.verifierKey(registered.ledger));
  });

  it('come with a replayed write, and verify', async () => {
    const k = key();
    const first = await api.write('supervisor', pp('/formations'), formationBody('F-3'), { key: k });
    const again = await api.write('supervisor', pp('/formations'), formationBody('F-3'), { key: k });
    expect(again).toMatchObject({ replayed: true, entries: first.entries });
    expectReceiptsOf(again);
  });

  it('come with an import, one per entry, and with its replay', async () => {
    await api.write('supervisor', pp('/formations'), formationBody('F-4'));
    const file = registrationsCsv(['I-1', 'I-2'].map((applicationId) => ({ applicationId, formationId: 'F-4', applicant: makeApplicant(), submittedAt: wib() })));
    const k = key();
    const imported = await api.write<ImportResult>('officer', pp('/imports/registrations'), file, { key: k, csv: true });
    expect(imported.write!.entries.length).toBeGreaterThanOrEqual(4);
    expectReceiptsOf(imported.write!);
    const again = await api.write<ImportResult>('officer', pp('/imports/registrations'), file, { key: k, csv: true });
    expect(again.write!.replayed).toBe(true);
    expectReceiptsOf(again.write!);
  });

  it('share one signed checkpoint among concurrent writes (group commit)', async () => {
    const before = (await t.store.latestCheckpoint(origin))!.size;
    // Appended straight to the store, then receipted together: all ask while no signing runs.
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.store.append(origin, `test-burst-${i}`, ANY, [{ type: 'TestRecorded', actor: { id: 'officer', role: 'officer' }, payload: { i } }]),
      ),
    );
    const writes = results.map((r) => ({
      ledger: origin,
      at: r.at,
      replayed: false,
      entries: r.ids.map((id, i) => ({ seq: r.firstSeq + i, id, stream: r.stream, version: r.firstVersion + i, leaf: r.leaves[i]! })),
    }));
    const receipted = await Promise.all(writes.map((w) => t.service.withReceipts(w)));
    const notes = new Set(receipted.flatMap((w) => w.receipts.map((r) => parseReceipt(r).checkpoint)));
    expect(notes.size).toBe(1);
    const size = openCheckpoint([...notes][0]!, vkey);
    expect(size.ok && size.checkpoint.size).toBe(before + 8);
    for (const w of receipted) expectReceiptsOf(w);
  });

  it('keep every receipt valid under concurrent HTTP writes', async () => {
    const writes = await Promise.all(Array.from({ length: 12 }, (_, i) => api.write('supervisor', pp('/formations'), formationBody(`C-${i}`))));
    for (const w of writes) expectReceiptsOf(w);
    const sizes = new Set(writes.map((w) => parseReceipt(w.receipts[0]!).checkpoint));
    expect(sizes.size).toBeLessThanOrEqual(writes.length);
  });
});

describe('the receipt route', () => {
  it('gives the receipt of any entry against the latest checkpoint covering it', async () => {
    const latest = await api.read<Checkpoint>('inspector', `/v1/ledgers/${ID}/checkpoint`);
    const r = await api.read<ReceiptView>('ombudsman', `/v1/ledgers/${ID}/entries/0/receipt`);
    expect(r).toMatchObject({ ledger: origin, seq: 0, checkpointSize: latest.size, verifierKey: vkey });
    expect(parseReceipt(r.receipt).checkpoint).toBe(latest.note);
    expect(verifyReceipt(r.receipt, { logKey: vkey })).toMatchObject({ ok: true, seq: 0, type: 'PeriodOpened' });
  });

  it('signs a checkpoint when none covers the entry yet, and serves it again unchanged', async () => {
    const appended = await t.store.append(origin, 'test-late', ANY, [{ type: 'TestRecorded', actor: { id: 'officer', role: 'officer' }, payload: {} }]);
    const before = (await t.store.latestCheckpoint(origin))!.size;
    expect(before).toBe(appended.firstSeq);
    const r = await api.read<ReceiptView>('officer', `/v1/ledgers/${ID}/entries/${appended.firstSeq}/receipt`);
    expect(r.checkpointSize).toBe(appended.firstSeq + 1);
    expect(verifyReceipt(r.receipt, { logKey: vkey })).toMatchObject({ ok: true, seq: appended.firstSeq, stream: 'test-late' });
    const again = await api.read<ReceiptView>('officer', `/v1/ledgers/${ID}/entries/${appended.firstSeq}/receipt`);
    expect(again.receipt).toBe(r.receipt);
  });

  it('serves the directory ledger too', async () => {
    const dirKey = await t.store.verifierKey(t.service.directory.origin);
    const r = await api.read<ReceiptView>('inspector', '/v1/ledgers/directory/entries/1/receipt');
    expect(verifyReceipt(r.receipt, { logKey: dirKey })).toMatchObject({ ok: true, origin: t.service.directory.origin, seq: 1 });
  });

  it('answers 404 for an entry that does not exist, 403 to another agency and 401 without a token', async () => {
    const size = await t.store.size(origin);
    const missing = expectProblem(await api.get('inspector', `/v1/ledgers/${ID}/entries/${size + 5}/receipt`), 404);
    expect(missing.errors).toEqual([{ field: 'params.seq', message: 'no such entry' }]);
    expectProblem(await api.get('inspector', '/v1/ledgers/nope/entries/0/receipt'), 404);
    expectProblem(await api.get('other-officer', `/v1/ledgers/${ID}/entries/0/receipt`), 403);
    expectProblem(await api.get(null, `/v1/ledgers/${ID}/entries/0/receipt`), 401);
    expectProblem(await api.get('inspector', `/v1/ledgers/${ID}/entries/x/receipt`), 400);
  });

  it('is documented in OpenAPI', async () => {
    const doc = await api.read<{ paths: Record<string, Record<string, { operationId: string }>> }>(null, '/openapi.json');
    expect(doc.paths['/v1/ledgers/{period}/entries/{seq}/receipt']?.get?.operationId).toBe('entryReceipt');
  });
});

describe('a tampered receipt', () => {
  let r: Receipt;
  let text: string;
  beforeAll(async () => {
    const write = await api.write('supervisor', pp('/formations'), formationBody('T-1'));
    text = write.receipts[0]!;
    r = parseReceipt(text);
  });
  const flip = (b64: string) => {
    const bytes = fromBase64(b64)!;
    bytes[0]! ^= 1;
    return bytes;
  };

  it('fails with the right reason', async () => {
    const dirOrigin = t.service.directory.origin;
    const dirCheckpoint = (await t.store.checkpoint(dirOrigin)).note;
    const dirKey = await t.store.verifierKey(dirOrigin);
    const otherKey = parseSignerKey(generateSignerKey(origin).skey);
    const opened = openCheckpoint(r.checkpoint, vkey);
    if (!opened.ok) throw new Error(opened.message);
    const cases: [string, string, string, string?][] = [
      ['a changed entry byte', formatReceipt({ ...r, entry: r.entry.replace('"quota":2', '"quota":3') }), 'inclusion_failed'],
      ['the wrong index', formatReceipt({ ...r, index: r.index + 1 }), 'index_mismatch'],
      ['a changed proof hash', formatReceipt({ ...r, proof: r.proof.map((h, i) => (i === 0 ? flip(Buffer.from(h).toString('base64')) : h)) }), 'inclusion_failed'],
      ['the checkpoint re-signed with another key', formatReceipt({ ...r, checkpoint: signCheckpoint(opened.checkpoint, otherKey) }), 'checkpoint_signature'],
      ['a checkpoint of another ledger', formatReceipt({ ...r, checkpoint: dirCheckpoint }), 'checkpoint_signature'],
      ["a checkpoint of another ledger, under that ledger's key", formatReceipt({ ...r, checkpoint: dirCheckpoint }), 'origin_mismatch', dirKey],
    ];
    expect(r.proof.length).toBeGreaterThan(0);
    for (const [what, bad, reason, k] of cases) {
      expect(bad, what).not.toBe(text);
      expect(verifyReceipt(bad, { logKey: k ?? vkey }), what).toMatchObject({ ok: false, reason });
    }
  });
});

describe('still there', () => {
  let early: WriteResult;
  let second: TestDatabase | undefined;
  beforeAll(async () => {
    early = await api.write('supervisor', pp('/formations'), formationBody('S-1'));
    for (let i = 0; i < 5; i++) await api.write('supervisor', pp('/formations'), formationBody(`S-${i + 2}`));
  });
  afterAll(async () => second?.cleanup());

  it('is proved by the latest checkpoint and a consistency proof from the API', async () => {
    const receipt = parseReceipt(early.receipts[0]!);
    const older = openCheckpoint(receipt.checkpoint, vkey);
    if (!older.ok) throw new Error(older.message);
    const latest = await api.read<Checkpoint>('inspector', `/v1/ledgers/${ID}/checkpoint`);
    expect(latest.size).toBeGreaterThan(older.checkpoint.size);
    const proof = await api.read<ConsistencyProofView>('inspector', `/v1/ledgers/${ID}/proofs/consistency`, { from: older.checkpoint.size, to: latest.size });
    const v = verifyReceiptStillThere(receipt, latest.note, proof.hashes, { logKey: vkey });
    expect(v).toMatchObject({ ok: true, seq: early.entries[0]!.seq });
  });

  it('fails against a rewritten ledger signed with the real log key', async () => {
    // The operator (who holds the key) rebuilds the period's ledger in another database with
    // one earlier entry changed, and signs a checkpoint of it: internally consistent, and wrong.
    second = await createTestDatabase();
    const keys = (t.store as unknown as { options: EventStoreOptions }).options.keys as KeyStore;
    const forged = new EventStore(second.database, { keys });
    await forged.createLedger(origin);
    const receipt = parseReceipt(early.receipts[0]!);
    const target = early.entries[0]!.seq;
    for await (const entry of t.store.entries(origin)) {
      const e = JSON.parse(entry.body) as { type: string; actor: { id: string; role: string }; payload: Record<string, unknown>; stream: string };
      const payload = entry.seq === target ? { ...e.payload, quota: 99 } : e.payload;
      await forged.append(origin, e.stream, ANY, [{ type: e.type, actor: e.actor, payload }]);
    }
    const size = await forged.size(origin);
    const fake = await forged.checkpoint(origin);
    expect(openCheckpoint(fake.note, vkey).ok).toBe(true);
    const from = openCheckpoint(receipt.checkpoint, vkey);
    if (!from.ok) throw new Error(from.message);
    const proof = await forged.consistencyProof(origin, from.checkpoint.size, size);
    const v = verifyReceiptStillThere(receipt, fake.note, proof.hashes, { logKey: vkey });
    expect(v).toMatchObject({ ok: false, reason: 'consistency_failed' });
    // The entry the receipt carries is not the one in the forged ledger.
    const [forgedEntry] = await forged.readLedger(origin, target, 1);
    expect(toHex(forgedEntry!.leaf)).not.toBe(toHex(leafHash(receipt.entry)));
  });
});
