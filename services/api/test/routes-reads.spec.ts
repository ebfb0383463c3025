/**
 * The read routes over a period recorded through the API: application state and timeline,
 * formations and their ranking, officer activity and application listings with their
 * pagination, discrepancies, and the ledger contract (checkpoint, entries, inclusion and
 * consistency proofs), each proof checked with @casn/ledger-core.
 */
import type { PeriodCommand } from '@casn/domain';
import { canonicalize, leafHash, openCheckpoint, toHex, verifyConsistency, verifyInclusion } from '@casn/ledger-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Api,
  b64,
  drivePeriod,
  expectProblem,
  periodBody,
  skdCsv,
  type ActivityItem,
  type ApplicationView,
  type Checkpoint,
  type ConsistencyProofView,
  type EntryView,
  type FormationRanking,
  type FormationView,
  type ImportResult,
  type InclusionProofView,
  type Period,
  type TimelineItem,
} from './fixtures.ts';
import { key, startApp, type TestApp } from './support.ts';

let t: TestApp;
let api: Api;
let p: Period;
const ID = 'baca';
let origin: string;

beforeAll(async () => {
  t = await startApp();
  api = new Api(t);
  p = await drivePeriod(api, ID, 'resigned');
  await p.replace('F-A', 'A-2', 'A-6');
  // F-D: a hand-recorded SKD score that the CAT export contradicts.
  await p.announce('F-D', 1);
  await p.submit('D-1', 'F-D');
  await p.submit('D-2', 'F-D');
  await p.verified('D-1');
  await p.verified('D-2');
  await p.skd('D-1', { twk: 80, tiu: 90, tkp: 170 });
  await api.write<ImportResult>(
    'officer',
    p.path('/imports/cat-scores'),
    skdCsv([
      { applicationId: 'D-1', twk: 85, tiu: 90, tkp: 170 },
      { applicationId: 'D-2', twk: 70, tiu: 90, tkp: 170 },
    ]),
    { csv: true },
  );
  origin = await api.origin(ID);
});
afterAll(() => t.close());

describe('applications', () => {
  it("shows an application's state as decided: scores, cut, rank, final and announced codes", async () => {
    const a1 = await p.application('A-1', 'ombudsman');
    expect(a1).toMatchObject({
      applicationId: 'A-1',
      formationId: 'F-A',
      verdict: 'MS',
      channel: 'portal',
      skdTwk: 100,
      skdTiu: 120,
      skdTkp: 200,
      skdTotal: 420,
      skdDiscrepancy: false,
      cutCode: 'P/L',
      rank: 1,
      finalScore: 84.545,
      finalCode: 'L',
      announcedCode: 'L',
      erased: false,
      replaces: null,
    });
    expect(a1.skb).toEqual({ cat: [{ score: 90, examiner: null, source: 'cat' }], practical: [{ score: 90, examiner: 'officer2', source: 'manual' }] });
    expect(a1).not.toHaveProperty('personal');
    const [a2, a3, a4, a5, a6] = await Promise.all(['A-2', 'A-3', 'A-4', 'A-5', 'A-6'].map((id) => p.application(id)));
    expect(a2).toMatchObject({ status: 'resigned', rank: 2, finalCode: 'L' });
    expect(a3).toMatchObject({ cutCode: 'TH', rank: null, skdTotal: null });
    expect(a4).toMatchObject({ verdict: 'TMS', cutCode: null });
    expect(a5).toMatchObject({ cutCode: 'TL', skdTotal: 306 });
    expect(a6).toMatchObject({ rank: 3, finalCode: 'TL', replaces: 'A-2' });
  });

  it("lists an application's own entries in ledger order, with who recorded each and no personal data", async () => {
    const { items } = await api.read<{ items: TimelineItem[] }>('inspector', p.app('A-1', '/timeline'));
    const types = items.map((i) => i.type);
    expect(types.slice(0, 4)).toEqual(['ApplicationSubmitted', 'PersonRegistered', 'DocumentsVerified', 'VerificationConfirmed']);
    expect(types).toEqual(expect.arrayContaining(['SkdScoreRecorded', 'SkbScoreRecorded', 'FinalDecisionRecorded']));
    expect(types.filter((x) => x === 'SkbScoreRecorded')).toHaveLength(2);
    expect(items.map((i) => i.seq)).toEqual([...items.map((i) => i.seq)].sort((a, b) => a - b));
    const by = (type: string) => items.find((i) => i.type === type)!;
    expect(by('ApplicationSubmitted')).toMatchObject({ actorId: 'portal', actorRole: 'portal', summary: { formationId: 'F-A', channel: 'portal' } });
    expect(by('DocumentsVerified')).toMatchObject({ actorId: 'officer', actorRole: 'officer', summary: { verdict: 'MS', documents: 2 } });
    expect(by('VerificationConfirmed')).toMatchObject({ actorId: 'supervisor', actorRole: 'supervisor' });
    expect(by('SkdScoreRecorded').summary).toMatchObject({ total: 420, source: 'manual' });
    expect(by('ApplicationSubmitted').summary).not.toHaveProperty('subject');
    // Each item is the entry at its seq in the ledger.
    const entry = await api.read<EntryView>('inspector', `/v1/ledgers/${ID}/entries/${by('DocumentsVerified').seq}`);
    expect(JSON.parse(entry.body)).toMatchObject({ type: 'DocumentsVerified', actor: { id: 'officer' }, payload: { applicationId: 'A-1' } });
  });

  it('answers 404 naming the path parameter for the timeline of an unknown application or the ranking of an unknown formation', async () => {
    const timeline = await api.get('inspector', p.app('A-none', '/timeline'));
    expect(timeline.status).toBe(404);
    expect(timeline.body).toMatchObject({ errors: [{ field: 'params.application' }] });
    const ranking = await api.get('inspector', p.path('/formations/F-none/ranking'));
    expect(ranking.status).toBe(404);
    expect(ranking.body).toMatchObject({ errors: [{ field: 'params.formation' }] });
  });

  it('pages through the applications with next, in id order or in rank order within a formation', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: { items: ApplicationView[]; next: string | null } = await api.read('supervisor', p.path('/applications'), { limit: 3, ...(after ? { after } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((i) => i.applicationId));
      if (page.next === null) break;
      expect(page.next).toBe(page.items.at(-1)!.applicationId);
      after = page.next;
    }
    expect(seen).toEqual(['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6', 'D-1', 'D-2']);

    const first = await api.read<{ items: ApplicationView[]; next: string | null }>('officer', p.path('/applications'), { formation: 'F-A', limit: 2 });
    expect(first.items.map((i) => i.applicationId)).toEqual(['A-1', 'A-2']);
    expect(first.next).toBe('A-2');
    const rest = await api.read<{ items: ApplicationView[]; next: string | null }>('officer', p.path('/applications'), { formation: 'F-A', limit: 10, after: 'A-2' });
    expect(rest.items.map((i) => i.applicationId)).toEqual(['A-6', 'A-3', 'A-4', 'A-5']);
    expect(rest.next).toBeNull();

    const resigned = await api.read<{ items: ApplicationView[] }>('inspector', p.path('/applications'), { status: 'resigned' });
    expect(resigned.items.map((i) => i.applicationId)).toEqual(['A-2']);
  });

  it('lists formations with their applicant counts', async () => {
    const { items } = await api.read<{ items: FormationView[] }>('ombudsman', p.path('/formations'));
    expect(items.map((f) => f.formationId)).toEqual(['F-A', 'F-D']);
    expect(items[0]).toMatchObject({ formationId: 'F-A', quota: 2, track: 'umum', applicants: 6, amendments: 0, education: ['S1 Teknik Informatika'] });
    expect(items[1]).toMatchObject({ applicants: 2 });
  });

  it("shows a formation's SKD cut and ranking as recorded in the ledger", async () => {
    const r = await api.read<FormationRanking>('inspector', p.formation('F-A', '/ranking'));
    expect(r.ranking).toEqual([
      { applicationId: 'A-1', rank: 1, finalScore: 84.545 },
      { applicationId: 'A-2', rank: 2, finalScore: 76.364 },
      { applicationId: 'A-6', rank: 3, finalScore: 68.182 },
    ]);
    expect(r.skdCut.map((c) => [c.applicationId, c.rank, c.total, c.code])).toEqual([
      ['A-1', 1, 420, 'P/L'],
      ['A-2', 2, 390, 'P/L'],
      ['A-6', 3, 360, 'P/L'],
      ['A-3', null, null, 'TH'],
      ['A-5', null, 306, 'TL'],
    ]);
    const ranking = await api.read<EntryView>('inspector', `/v1/ledgers/${ID}/entries/${r.rankingSeq}`);
    const decided = JSON.parse(ranking.body) as { type: string; payload: { ranking: { applicationId: string; rank: number; final: number }[] } };
    expect(decided.type).toBe('RankingDecided');
    expect(decided.payload.ranking.map((x) => ({ applicationId: x.applicationId, rank: x.rank, finalScore: x.final }))).toEqual(r.ranking);
    const cut = await api.read<EntryView>('inspector', `/v1/ledgers/${ID}/entries/${r.skdCutSeq}`);
    expect((JSON.parse(cut.body) as { type: string }).type).toBe('SkdCutDecided');

    const none = await api.read<FormationRanking>('inspector', p.formation('F-D', '/ranking'));
    expect(none).toEqual({ formationId: 'F-D', rankingSeq: null, ranking: [], skdCutSeq: null, skdCut: [] });
  });

  it('lists the hand-recorded scores that the CAT export contradicts, keeping both', async () => {
    const { items } = await api.read<{ items: ApplicationView[] }>('inspector', p.path('/discrepancies'));
    expect(items.map((i) => i.applicationId)).toEqual(['D-1']);
    expect(items[0]).toMatchObject({
      skdDiscrepancy: true,
      skdManual: { twk: 80, tiu: 90, tkp: 170 },
      skdCat: { twk: 85, tiu: 90, tkp: 170 },
      skdManualTotal: 340,
      skdCatTotal: 345,
      skdTotal: 345,
    });
    const d2 = await p.application('D-2');
    expect(d2).toMatchObject({ skdDiscrepancy: false, skdManual: null, skdCat: { twk: 70, tiu: 90, tkp: 170 } });
  });
});

describe('officer activity', () => {
  it("pages through an officer's recorded actions, newest first, with next", async () => {
    const recorded = (await t.store.readLedger(origin)).filter((e) => (JSON.parse(e.body) as { actor: { id: string } }).actor.id === 'officer');
    expect(recorded.length).toBeGreaterThan(10);
    const items: ActivityItem[] = [];
    let before: number | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const page: { items: ActivityItem[]; next: number | null } = await api.read('inspector', p.path('/officers/officer/activity'), { limit: 4, ...(before !== null ? { before } : {}) });
      items.push(...page.items);
      if (page.next === null) break;
      expect(page.items).toHaveLength(4);
      expect(page.next).toBe(page.items.at(-1)!.seq);
      before = page.next;
    }
    expect(items.map((i) => i.seq)).toEqual(recorded.map((e) => e.seq).reverse());
    expect(new Set(items.map((i) => i.type))).toEqual(new Set(['DocumentsVerified', 'SkdScoreRecorded', 'AbsenceRecorded', 'SkbScoreRecorded']));
    const skd = items.find((i) => i.type === 'SkdScoreRecorded' && i.applicationId === 'A-1');
    expect(skd).toMatchObject({ formationId: 'F-A' });
    const cat = items.find((i) => i.applicationId === 'D-2');
    expect(cat).toMatchObject({ type: 'SkdScoreRecorded', formationId: 'F-D' });
  });

  it("answers an empty page for an actor who recorded nothing", async () => {
    expect(await api.read('inspector', p.path('/officers/ombudsman/activity'))).toEqual({ items: [], next: null });
  });
});

describe('ledger', () => {
  let checkpoint: Checkpoint;

  it('answers 404 before a checkpoint is signed, then the latest signed checkpoint', async () => {
    // Opened through the service, which signs nothing: a write through the API signs a checkpoint for its receipts.
    const command = { type: 'OpenPeriod', ...periodBody('baca-kosong') } as PeriodCommand;
    const fresh = await t.service.executePeriod('baca-kosong', command, { id: 'admin', role: 'admin', agency: null }, { idempotencyKey: key(), fingerprint: new Uint8Array(32) });
    expect(fresh.entries).toHaveLength(1);
    expectProblem(await api.get('inspector', '/v1/ledgers/baca-kosong/checkpoint'), 404);

    const size = await api.size(ID);
    const signed = await t.store.checkpoint(origin);
    expect(signed.size).toBe(size);
    checkpoint = await api.read<Checkpoint>('portal', `/v1/ledgers/${ID}/checkpoint`);
    expect(checkpoint).toMatchObject({ origin, size });
    expect(toHex(b64(checkpoint.root))).toBe(toHex(signed.root));
    const opened = openCheckpoint(checkpoint.note, checkpoint.verifierKey, { origin });
    expect(opened.ok).toBe(true);
    if (opened.ok) {
      expect(opened.checkpoint.size).toBe(size);
      expect(toHex(opened.checkpoint.root)).toBe(toHex(b64(checkpoint.root)));
    }
  });

  it('answers an entry by seq: its canonical body, whose leaf hash is the one given', async () => {
    for (const seq of [0, 7, checkpoint.size - 1]) {
      const entry = await api.read<EntryView>('ombudsman', `/v1/ledgers/${ID}/entries/${seq}`);
      expect(entry.seq).toBe(seq);
      expect(toHex(leafHash(entry.body))).toBe(entry.leaf);
      const parsed = JSON.parse(entry.body) as { seq: number; ledger: string };
      expect(parsed).toMatchObject({ seq, ledger: origin });
      expect(canonicalize(parsed)).toBe(entry.body);
    }
    const genesis = await api.read<EntryView>('inspector', `/v1/ledgers/${ID}/entries/0`);
    expect((JSON.parse(genesis.body) as { type: string }).type).toBe('PeriodOpened');
    expectProblem(await api.get('inspector', `/v1/ledgers/${ID}/entries/${checkpoint.size + 100}`), 404);
  });

  it('answers inclusion proofs that verify against the checkpoint root', async () => {
    for (const seq of [0, 1, Math.floor(checkpoint.size / 2), checkpoint.size - 1]) {
      const proof = await api.read<InclusionProofView>('inspector', `/v1/ledgers/${ID}/proofs/inclusion`, { seq });
      expect(proof).toMatchObject({ origin, index: seq, size: checkpoint.size, root: checkpoint.root });
      const entry = await api.read<EntryView>('inspector', `/v1/ledgers/${ID}/entries/${seq}`);
      expect(toHex(b64(proof.leafHash))).toBe(entry.leaf);
      expect(verifyInclusion(seq, proof.size, leafHash(entry.body), proof.hashes.map(b64), b64(checkpoint.root))).toEqual({ ok: true });
      // A proof for another leaf does not verify.
      expect(verifyInclusion(seq, proof.size, leafHash(`${entry.body} `), proof.hashes.map(b64), b64(checkpoint.root)).ok).toBe(false);
    }
  });

  it('answers an inclusion proof in a tree of a given size, and 400 for a seq outside it', async () => {
    const proof = await api.read<InclusionProofView>('inspector', `/v1/ledgers/${ID}/proofs/inclusion`, { seq: 3, size: 10 });
    expect(proof.size).toBe(10);
    expect(verifyInclusion(3, 10, b64(proof.leafHash), proof.hashes.map(b64), await t.store.root(origin, 10))).toEqual({ ok: true });
    const problem = expectProblem(await api.get('inspector', `/v1/ledgers/${ID}/proofs/inclusion`, { seq: 10, size: 10 }), 400);
    expect(problem.errors?.[0]?.field).toBe('query.seq');
  });

  it('answers a consistency proof between two checkpoints that verifies', async () => {
    const before = checkpoint;
    await p.publish('final');
    await p.final('A-5', 'TL');
    const after = await t.store.checkpoint(origin);
    expect(after.size).toBe(before.size + 2);
    const latest = await api.read<Checkpoint>('inspector', `/v1/ledgers/${ID}/checkpoint`);
    expect(latest.size).toBe(after.size);
    const proof = await api.read<ConsistencyProofView>('inspector', `/v1/ledgers/${ID}/proofs/consistency`, { from: before.size, to: after.size });
    expect(proof).toMatchObject({ origin, size1: before.size, size2: after.size, root1: before.root, root2: latest.root });
    expect(verifyConsistency(before.size, after.size, proof.hashes.map(b64), b64(before.root), b64(latest.root))).toEqual({ ok: true });
    expect(verifyConsistency(before.size, after.size, proof.hashes.map(b64), b64(before.root), await t.store.root(origin, after.size - 1)).ok).toBe(false);
    // Old inclusion proofs still verify against the old root; new ones against the new.
    const old = await api.read<InclusionProofView>('inspector', `/v1/ledgers/${ID}/proofs/inclusion`, { seq: 5, size: before.size });
    expect(verifyInclusion(5, before.size, b64(old.leafHash), old.hashes.map(b64), b64(before.root))).toEqual({ ok: true });
    const now = await api.read<InclusionProofView>('inspector', `/v1/ledgers/${ID}/proofs/inclusion`, { seq: 5 });
    expect(verifyInclusion(5, after.size, b64(now.leafHash), now.hashes.map(b64), b64(latest.root))).toEqual({ ok: true });
  });

  it('answers 400 to a consistency proof from a larger size than its end', async () => {
    const problem = expectProblem(await api.get('inspector', `/v1/ledgers/${ID}/proofs/consistency`, { from: 5, to: 4 }), 400);
    expect(problem.errors?.[0]?.field).toBe('query.from');
  });

  it('answers 400 naming the query parameter to a consistency proof from 0 or to a size beyond the ledger', async () => {
    const size = await api.size(ID);
    const zero = expectProblem(await api.get('inspector', `/v1/ledgers/${ID}/proofs/consistency`, { from: 0, to: 3 }), 400);
    expect(zero.errors?.map((e) => e.field)).toEqual(['query.from']);
    const beyond = expectProblem(await api.get('inspector', `/v1/ledgers/${ID}/proofs/consistency`, { from: 1, to: size + 5 }), 400);
    expect(beyond.errors?.map((e) => e.field)).toEqual(['query.to']);
    const inclusion = expectProblem(await api.get('inspector', `/v1/ledgers/${ID}/proofs/inclusion`, { seq: 1, size: size + 5 }), 400);
    expect(inclusion.errors?.map((e) => e.field)).toEqual(['query.size']);
  });

  it('serves the directory ledger to every role', async () => {
    const entry = await api.read<EntryView>('portal', '/v1/ledgers/directory/entries/0');
    expect((JSON.parse(entry.body) as { type: string }).type).toBe('AgencyRegistered');
    expect(toHex(leafHash(entry.body))).toBe(entry.leaf);
  });

  it('verifies as a whole', async () => {
    const verdict = await t.store.verify(origin);
    expect(verdict.ok).toBe(true);
  });
});
