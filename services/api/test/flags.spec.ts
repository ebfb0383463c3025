/**
 * Red flags over HTTP: a small period driven through the API with two planted
 * irregularities (an SKD score typed by hand that the CAT import contradicts, and an
 * officer verifying an applicant of the officer's own family card), detection on demand,
 * the listing and its filters, a flag's evidence proven against its checkpoint, and the
 * inspector's dispositions. Detection is checked to be idempotent and deterministic.
 */
import { leafHash, toHex, verifyInclusion } from '@casn/ledger-core';
import { testEngine } from '@casn/event-store/testing';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../src/index.ts';
import { DETECTOR_ACTOR, DetectionCache, computeDetection, detectionJob, ensureDetectorActor, runDetection } from '../src/recruitment/flags.ts';
import type * as views from '../src/routes/views.ts';
import { AGENCY, startApp, type TestApp } from './support.ts';
import { Api, b64, drivePeriod, expectProblem, makeApplicant, skdCsv, type ImportResult, type Period, type WriteResult } from './fixtures.ts';

type FlagView = z.output<typeof views.FlagView>;
type FlagDetail = z.output<typeof views.FlagDetail>;
type DetectionResult = z.output<typeof views.DetectionResult>;

const ID = 'merah';
const RELATED = 'related-party';
const OVERRIDE = 'manual-cat-override';

let t: TestApp;
let api: Api;
let p: Period;
/** Seqs of the planted evidence. */
const planted = { manualSkd: -1, catSkd: -1, relativeVerified: -1 };
/** The family card shared by officer-kk and applicant K-1. */
let sharedKk = '';
/** The ledger size once everything is planted (before any flag). */
let plantedSize = 0;

beforeAll(async () => {
  t = await startApp();
  api = new Api(t);
  p = await drivePeriod(api, ID, 'skd');
  planted.manualSkd = (await t.service.periodState(ID)).applications.get('A-1')!.skd.manual!.stamp.seq;

  // An officer whose family card is the applicant's: registered with the identity sealed.
  const relative = makeApplicant();
  sharedKk = relative.kk;
  await api.write('admin', '/v1/actors', { actorId: 'officer-kk', role: 'officer', agency: AGENCY, person: { kk: relative.kk, name: 'Petugas Verifikasi Uji' } });
  const { token } = await new TokenStore(t.db.database, { cacheMs: 0 }).issue({ actorId: 'officer-kk', role: 'officer', agency: AGENCY, label: 'test' });
  api.tokens.set('officer-kk', token);
  await p.announce('F-K', 1);
  await p.submit('K-1', 'F-K', { ...relative, name: 'Pelamar Kerabat Uji' });
  const verified = await api.write('officer-kk', p.app('K-1', '/verification'), { verdict: 'MS', documents: [{ document: 'ijazah', verdict: 'MS' }] });
  planted.relativeVerified = verified.entries[0]!.seq;
  await p.confirm('K-1');

  // The CAT export contradicts the score typed in for A-1.
  const imported = await api.write<ImportResult>('officer', p.path('/imports/cat-scores'), skdCsv([{ applicationId: 'A-1', twk: 95, tiu: 120, tkp: 200 }]), { csv: true });
  planted.catSkd = imported.write!.entries[0]!.seq;
  plantedSize = await api.size(ID);
});
afterAll(() => t.close());

const detection = (caller: string, body: object = {}) => api.post<DetectionResult>(caller, p.path('/detection'), body, { key: null });
const flags = (query: Record<string, string | number> = {}, caller = 'inspector') => api.read<{ items: FlagView[]; next: string | null }>(caller, p.path('/flags'), query);
const flagOf = async (detector: string, application: string): Promise<FlagView> => {
  const found = (await flags({ detector })).items.find((f) => f.applications.includes(application));
  if (!found) throw new Error(`no ${detector} flag about ${application}`);
  return found;
};

describe(`red flags over HTTP on ${testEngine}`, () => {
  let first: DetectionResult;

  it('raises the planted flags with their evidence seqs', async () => {
    const res = await detection('inspector');
    expect(res.status, res.text).toBe(200);
    first = res.body;
    expect(first.checkpoint.size).toBe(plantedSize);
    expect(first.checkpoint.root).toBe(await t.store.root(await api.origin(ID), plantedSize).then((r) => Buffer.from(r).toString('base64')));
    expect(first.raised).toBe(first.flags);
    expect(first.flags).toBeGreaterThanOrEqual(2);

    const override = await flagOf(OVERRIDE, 'A-1');
    expect(override.entries).toEqual(expect.arrayContaining([planted.manualSkd, planted.catSkd]));
    expect(override).toMatchObject({ status: 'open', disposition: null, formationId: 'F-A', checkpoint: first.checkpoint, raised: { actorId: 'inspector' } });
    const related = await flagOf(RELATED, 'K-1');
    expect(related.entries).toContain(planted.relativeVerified);
    expect(related.actors).toContain('officer-kk');
    expect(related.severity).toBe('high');
    // No personal data in a flag: ids, seqs and facts only.
    expect(JSON.stringify(await flags())).not.toMatch(/Pelamar|Petugas|367401/);
  });

  it('raises nothing new when run again, and each flag is an entry of its own stream', async () => {
    const again = await detection('inspector');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ raised: 0, flags: first.flags });
    expect(again.body.checkpoint.size).toBe(plantedSize + first.raised);
    const listed = await flags();
    expect(listed.items).toHaveLength(first.flags);
    const seqs = listed.items.map((f) => f.raised.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const [entry] = await t.store.readLedger(await api.origin(ID), listed.items[0]!.raised.seq, 1);
    expect(entry).toMatchObject({ type: 'FlagRaised', stream: `flag-${listed.items[0]!.flagId}`, version: 0 });
  });

  it("proves each evidence entry against the flag's checkpoint root, and explains the flag in both languages", async () => {
    for (const f of [await flagOf(OVERRIDE, 'A-1'), await flagOf(RELATED, 'K-1')]) {
      const detail = await api.read<FlagDetail>('ombudsman', p.path(`/flags/${f.flagId}`));
      expect(detail.explanation.id.length).toBeGreaterThan(10);
      expect(detail.explanation.en.length).toBeGreaterThan(10);
      expect(detail.evidence.map((e) => e.seq)).toEqual(f.entries);
      const root = b64(detail.checkpoint.root);
      for (const e of detail.evidence) {
        expect(e.leaf).toBe(toHex(leafHash(e.body)));
        expect(e.proof).toMatchObject({ index: e.seq, size: detail.checkpoint.size, root: detail.checkpoint.root });
        expect(toHex(b64(e.proof.leafHash))).toBe(e.leaf);
        expect(verifyInclusion(e.seq, detail.checkpoint.size, b64(e.proof.leafHash), e.proof.hashes.map(b64), root)).toEqual({ ok: true });
      }
    }
    const bodies = (await api.read<FlagDetail>('inspector', p.path(`/flags/${(await flagOf(OVERRIDE, 'A-1')).flagId}`))).evidence.map((e) => JSON.parse(e.body) as { type: string });
    expect(bodies.map((b) => b.type)).toEqual(['SkdScoreRecorded', 'SkdScoreRecorded']);
  });

  it('records dispositions by an inspector, each an event, the latest in force', async () => {
    const f = await flagOf(OVERRIDE, 'A-1');
    const path = p.path(`/flags/${f.flagId}/disposition`);
    const body = { status: 'confirmed', reason: 'nilai diketik ulang tanpa berita acara', reference: 'LHP-07/2024' };
    const key = `dispose-${f.flagId}`;
    const written = await api.write('inspector', path, body, { key });
    expect(written.entries).toEqual([expect.objectContaining({ stream: `flag-${f.flagId}`, version: 1 })]);
    const replay = await api.post<WriteResult>('inspector', path, body, { key });
    expect(replay.status).toBe(201);
    expect(replay.body).toMatchObject({ replayed: true, entries: written.entries });
    expectProblem(await api.post('inspector', path, { ...body, reason: 'lain' }, { key }), 422);

    await api.write('inspector', path, { status: 'referred', reason: 'diteruskan ke Ombudsman RI' });
    const detail = await api.read<FlagDetail>('inspector', p.path(`/flags/${f.flagId}`));
    expect(detail.status).toBe('referred');
    expect(detail.disposition).toMatchObject({ status: 'referred', reference: null, actorId: 'inspector' });
    expect(detail.dispositions.map((d) => [d.status, d.reference])).toEqual([
      ['confirmed', 'LHP-07/2024'],
      ['referred', null],
    ]);
    // The flag itself is unchanged and listed with its latest disposition.
    expect((await flags({ status: 'referred' })).items.map((x) => x.flagId)).toEqual([f.flagId]);
  });

  it('refuses dispositions by anyone but an inspector, bad bodies, and unknown flags', async () => {
    const f = await flagOf(RELATED, 'K-1');
    const path = p.path(`/flags/${f.flagId}/disposition`);
    const body = { status: 'dismissed', reason: 'bukan kerabat' };
    for (const caller of ['officer', 'officer-kk', 'supervisor', 'admin', 'ombudsman']) expectProblem(await api.post(caller, path, body), 403);
    const bad = expectProblem(await api.post('inspector', path, { status: 'closed', reason: 'x' }), 400);
    expect(bad.errors?.map((e) => e.field)).toEqual(['body.status']);
    expectProblem(await api.post('inspector', path, { status: 'dismissed' }), 400);
    expectProblem(await api.post('inspector', path, body, { key: null }), 400);
    expectProblem(await api.post('inspector', p.path('/flags/not-a-flag/disposition'), body), 400);
    const missing = expectProblem(await api.post('inspector', p.path(`/flags/${'0'.repeat(32)}/disposition`), body), 404);
    expect(missing.rule).toBe('flag-not-found');
    expect((await api.read<FlagDetail>('inspector', p.path(`/flags/${f.flagId}`))).status).toBe('open');
  });

  it('filters the listing by severity, detector, formation, actor and status, and pages it', async () => {
    const all = (await flags()).items;
    const check = async (query: Record<string, string>, keep: (f: FlagView) => boolean) => {
      const got = (await flags(query)).items.map((f) => f.flagId);
      expect(got, JSON.stringify(query)).toEqual(all.filter(keep).map((f) => f.flagId));
      return got;
    };
    expect(await check({ severity: 'high' }, (f) => f.severity === 'high')).not.toHaveLength(0);
    expect(await check({ detector: RELATED }, (f) => f.detector === RELATED)).not.toHaveLength(0);
    expect(await check({ formation: 'F-K' }, (f) => f.formationId === 'F-K')).not.toHaveLength(0);
    expect(await check({ actor: 'officer-kk' }, (f) => f.actors.includes('officer-kk'))).not.toHaveLength(0);
    expect(await check({ status: 'open' }, (f) => f.status === 'open')).toHaveLength(all.length - 1);
    expect(await check({ detector: RELATED, formation: 'F-A', actor: 'officer-kk' }, () => false)).toEqual([]);

    const pages: string[] = [];
    let after: string | null = null;
    do {
      const page: { items: FlagView[]; next: string | null } = await flags({ limit: 1, ...(after ? { after } : {}) });
      pages.push(...page.items.map((f) => f.flagId));
      after = page.next;
    } while (after !== null);
    expect(pages).toEqual(all.map((f) => f.flagId));
    expectProblem(await api.get('inspector', p.path('/flags'), { severity: 'severe' }), 400);
    expectProblem(await api.get('inspector', p.path('/flags'), { after: '0'.repeat(32) }), 404);
  });

  it('shows flags to oversight and admins only, and runs detection for inspectors and admins', async () => {
    for (const caller of ['ombudsman', 'admin']) expect((await flags({}, caller)).items.length).toBeGreaterThan(0);
    for (const caller of ['officer', 'supervisor', 'portal', 'other-officer']) {
      expectProblem(await api.get(caller, p.path('/flags')), 403);
      const any = (await flags()).items[0]!;
      expectProblem(await api.get(caller, p.path(`/flags/${any.flagId}`)), 403);
    }
    for (const caller of ['officer', 'supervisor', 'ombudsman']) expectProblem(await detection(caller), 403);
    const byAdmin = await detection('admin');
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.raised).toBe(0);
    expectProblem(await api.get('inspector', '/v1/periods/nope/flags'), 404);
    expectProblem(await api.get('inspector', p.path(`/flags/${'1'.repeat(32)}`)), 404);
  });

  it('refuses a size beyond the ledger and an unknown configuration', async () => {
    const size = await api.size(ID);
    const tooLarge = expectProblem(await detection('inspector', { atSize: size + 1 }), 422);
    expect(tooLarge).toMatchObject({ rule: 'detection-size', errors: [{ field: 'body.atSize', message: expect.any(String) as string }] });
    expect(expectProblem(await detection('inspector', { config: 'no-such-config' }), 422).rule).toBe('unknown-detector-config');
    expectProblem(await detection('inspector', { atSize: -1 }), 400);
  });

  it('gives the same flags for the same checkpoint, whatever was appended since', async () => {
    const actor = await ensureDetectorActor(t.service);
    expect(actor).toEqual(DETECTOR_ACTOR);
    // The directory grew since the first run (the detector actor): pin it as that run did.
    const pinned = { atSize: plantedSize, directorySize: first.checkpoint.directory!.size };
    const before = await runDetection(t.service, ID, { ...pinned, actor });
    expect(before.raised).toBe(0);
    expect(before.checkpoint).toEqual(first.checkpoint);
    // More recruitment entries (and another irregularity) after the checkpoint…
    await p.cut('F-A');
    await p.publish('skd', 'F-A');
    await api.write('officer', p.app('A-2', '/skd-scores'), { twk: 95, tiu: 110, tkp: 190, source: 'manual', approvalRef: 'PANSELNAS-1' });
    const later = await runDetection(t.service, ID, { ...pinned, actor });
    expect(later.flags).toEqual(before.flags);
    expect(later.checkpoint).toEqual(before.checkpoint);
    expect(later.raised).toBe(0);
    // The entries appended since do count at the current size.
    const now = await runDetection(t.service, ID, { actor });
    expect(now.flags.length).toBeGreaterThan(before.flags.length);
    expect(now.raised).toBe(now.flags.length - before.flags.length);
    // …and the same through the API.
    const viaApi = await detection('inspector', pinned);
    expect(viaApi.body).toMatchObject({ checkpoint: first.checkpoint, flags: first.flags, raised: 0 });
  });

  it('reads the directory as of its pinned size: a relative declared later changes only a later run', async () => {
    const directorySize = await t.store.size(t.service.directory.origin);
    // The supervisor who confirmed K-1 now declares a relative on K-1's family card.
    await api.write('admin', '/v1/actors/supervisor/relatives', { relation: 'sibling', person: { kk: sharedKk, name: 'Saudara Penyelia Uji' } });
    const size = await api.size(ID);
    const related = (r: { flags: readonly { detector: string; actors: readonly string[]; applications: readonly string[] }[] }) =>
      r.flags.some((f) => f.detector === RELATED && f.actors.includes('supervisor') && f.applications.includes('K-1'));
    const pinnedRun = await computeDetection(t.service, ID, { atSize: size, directorySize });
    expect(pinnedRun.checkpoint.directory.size).toBe(directorySize);
    expect(related(pinnedRun)).toBe(false);
    const current = await computeDetection(t.service, ID, { atSize: size });
    expect(current.checkpoint.directory.size).toBe(directorySize + 1);
    expect(related(current)).toBe(true);
  });

  it('lets the worker job cover the ledger past the flags it raised itself', async () => {
    const origin = await api.origin(ID);
    const job = detectionJob(t.service);
    // Another score changed after the SKD publication, for the job to find.
    await api.write('officer', p.app('A-6', '/skd-scores'), { twk: 85, tiu: 100, tkp: 180, source: 'manual', approvalRef: 'PANSELNAS-2' });
    const size = await t.store.size(origin);
    const run = await job.run({ origin, size });
    expect(run.raised).toBeGreaterThan(0);
    const after = await t.store.size(origin);
    expect(run.size).toBe(after);
    expect(after - size).toBe(run.raised);
    expect((await job.run({ origin, size: after })).raised).toBe(0);
    expect(await job.run({ origin: t.service.directory.origin, size: 3 })).toEqual({ raised: 0, size: 3 });
    // Flags recorded by the worker are the detector's, on the checkpoint it was given.
    const byJob = (await flags()).items.filter((f) => f.raised.seq >= size);
    expect(byJob).toHaveLength(run.raised);
    for (const f of byJob) expect(f).toMatchObject({ raised: { actorId: DETECTOR_ACTOR.id }, checkpoint: { size } });
    expect(byJob.some((f) => f.applications.includes('A-6'))).toBe(true);
  });

  it('finds with a cache of earlier runs what a run from the start finds, reading only what was appended', async () => {
    const origin = await api.origin(ID);
    const cache = new DetectionCache();
    const directorySize = await t.store.size(t.service.directory.origin);
    const early = plantedSize - 5;
    const first = await computeDetection(t.service, ID, { atSize: early, directorySize: directorySize - 1, cache });
    const kept = cache.periods.get(origin)!;
    expect(kept.size).toBe(early);
    expect(kept.entries.every((e) => !('personal' in e.payload))).toBe(true);
    expect(first.flags).toEqual((await computeDetection(t.service, ID, { atSize: early, directorySize: directorySize - 1 })).flags);

    // Growth: the cached entries are extended in place, not read again.
    const rescored = await api.write('officer', p.app('A-2', '/skd-scores'), { twk: 90, tiu: 100, tkp: 180, source: 'manual', approvalRef: 'PANSELNAS-3' });
    const size = await api.size(ID);
    const grown = await computeDetection(t.service, ID, { atSize: size, cache });
    expect(cache.periods.get(origin)).toBe(kept);
    expect(kept.size).toBe(size);
    expect(cache.directory!.size).toBe(directorySize);
    const fresh = await computeDetection(t.service, ID, { atSize: size });
    expect(grown).toEqual(fresh);
    expect(grown.flags.some((f) => f.entries.includes(rescored.entries[0]!.seq))).toBe(true);

    // An earlier size reads from the start and leaves the cache as it was.
    expect(await computeDetection(t.service, ID, { atSize: early, directorySize: directorySize - 1, cache })).toEqual(first);
    expect(kept.size).toBe(size);
  });

  it('documents the flag routes in OpenAPI', async () => {
    const doc = await api.read<{ paths: Record<string, Record<string, { operationId: string }>> }>(null, '/openapi.json');
    expect(doc.paths['/v1/periods/{period}/flags']?.get?.operationId).toBe('listFlags');
    expect(doc.paths['/v1/periods/{period}/flags/{flag}']?.get?.operationId).toBe('getFlag');
    expect(doc.paths['/v1/periods/{period}/flags/{flag}/disposition']?.post?.operationId).toBe('disposeFlag');
    expect(doc.paths['/v1/periods/{period}/detection']?.post?.operationId).toBe('runDetection');
  });
});
