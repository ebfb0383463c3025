import { ANY, EventStore } from '@casn/event-store';
import { createTestDatabase, testEngine, type TestDatabase } from '@casn/event-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PROJECTIONS,
  ProjectionRunner,
  discrepancies,
  formationRanking,
  getApplication,
  listApplications,
  listFormations,
  officerActivity,
  timeline,
  type Projection,
} from '../src/index.ts';
import { buildPeriod, officer1, record, submit, supervisor } from './period.ts';

const PERIOD = 'casn.tangerangselatankota.go.id/2026';
const DIRECTORY = 'casn.directory.example';
const TABLES = ['rm_positions', 'rm_applications', 'rm_timeline', 'rm_officer_activity', 'rm_formations', 'rm_rankings', 'rm_skd_cut'];

let t: TestDatabase;
let store: EventStore;
let runner: ProjectionRunner;

/** Every row of every read model table of one ledger, as sorted JSON text. */
async function dump(origin: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await t.database.query<{ j: string }>(
      `SELECT row_to_json(x)::text AS j FROM ${table} x WHERE ledger_id = (SELECT id FROM ledgers WHERE origin = $1)`,
      [origin],
    );
    out[table] = rows.map((r) => r.j).sort();
  }
  return out;
}

beforeAll(async () => {
  t = await createTestDatabase();
  store = new EventStore(t.database);
  await store.append(DIRECTORY, 'actor-officer-1', ANY, [
    { type: 'ActorRegistered', actor: { id: 'admin', role: 'admin' }, payload: { actorId: 'officer-1', role: 'officer', agency: 'tangsel', indexes: {} } },
  ]);
  await buildPeriod(store, PERIOD);
  runner = new ProjectionRunner(store);
});
afterAll(async () => t.cleanup());

describe(`projections on ${testEngine}`, () => {
  it('builds the read models of a period and skips the directory ledger while advancing its position', async () => {
    const size = await store.size(PERIOD);
    expect(await runner.catchUp()).toBe(size + 1);
    expect(await runner.position(PERIOD)).toBe(size);
    expect(await runner.position(DIRECTORY)).toBe(1);
    const dir = await t.database.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM rm_officer_activity WHERE ledger_id = (SELECT id FROM ledgers WHERE origin = $1)',
      [DIRECTORY],
    );
    expect(dir[0]!.n).toBe(0);

    const a1 = await getApplication(t.database, PERIOD, 'A-1');
    expect(a1).toMatchObject({
      formationId: 'F-1',
      status: 'ranked',
      verdict: 'MS',
      channel: 'portal',
      submittedAt: '2026-08-01T03:00:00.000Z',
      skdTwk: 100,
      skdTiu: 90,
      skdTkp: 160,
      skdTotal: 350,
      skdManualTotal: 340,
      skdCatTotal: 350,
      skdManual: { twk: 100, tiu: 90, tkp: 150 },
      skdCat: { twk: 100, tiu: 90, tkp: 160 },
      skdDiscrepancy: true,
      cutCode: 'P/L',
      rank: 2,
      finalScore: 85.5,
      finalCode: null,
      sanggah: 'none',
      erased: false,
    });
    expect(a1!.skb).toEqual({
      interview: [
        { score: 80, examiner: 'examiner-1', source: 'manual' },
        { score: 70, examiner: 'examiner-2', source: 'manual' },
      ],
      cat: [{ score: 90, examiner: null, source: 'cat' }],
    });
    expect(await getApplication(t.database, PERIOD, 'A-2')).toMatchObject({
      status: 'decided',
      verdict: 'MS',
      sanggah: 'accepted',
      skdTotal: 335,
      skdManualTotal: null,
      skdDiscrepancy: false,
      rank: 1,
      finalScore: 86.25,
      finalCode: 'L',
    });
    expect(await getApplication(t.database, PERIOD, 'A-3')).toMatchObject({ status: 'returned', verdict: null, cutCode: 'TH', erased: true, rank: null });
    expect(await getApplication(t.database, PERIOD, 'A-4')).toMatchObject({ status: 'resigned', verdict: 'MS', skdTotal: 330, skdCatTotal: null, skdDiscrepancy: false });
    expect(await getApplication(t.database, PERIOD, 'A-9')).toBeUndefined();
    expect((await discrepancies(t.database, PERIOD)).map((a) => a.applicationId)).toEqual(['A-1']);
  });

  it('lists applications by formation in rank order, by status, with keyset pagination', async () => {
    const f1 = await listApplications(t.database, PERIOD, { formationId: 'F-1', limit: 10 });
    expect(f1.map((a) => a.applicationId)).toEqual(['A-2', 'A-1', 'A-3']);
    const first = await listApplications(t.database, PERIOD, { formationId: 'F-1', limit: 2 });
    const rest = await listApplications(t.database, PERIOD, { formationId: 'F-1', limit: 2, after: first[1]!.applicationId });
    expect([...first, ...rest].map((a) => a.applicationId)).toEqual(['A-2', 'A-1', 'A-3']);
    expect((await listApplications(t.database, PERIOD, { limit: 10 })).map((a) => a.applicationId)).toEqual(['A-1', 'A-2', 'A-3', 'A-4']);
    expect((await listApplications(t.database, PERIOD, { limit: 10, after: 'A-2' })).map((a) => a.applicationId)).toEqual(['A-3', 'A-4']);
    expect((await listApplications(t.database, PERIOD, { status: 'resigned', limit: 10 })).map((a) => a.applicationId)).toEqual(['A-4']);
    expect(await listApplications(t.database, PERIOD, { formationId: 'F-2', status: 'ranked', limit: 10 })).toEqual([]);
  });

  it('keeps only the latest decided ranking and SKD cut of a formation', async () => {
    const ranking = await formationRanking(t.database, PERIOD, 'F-1');
    expect(ranking.ranking).toEqual([
      { applicationId: 'A-2', rank: 1, finalScore: 86.25 },
      { applicationId: 'A-1', rank: 2, finalScore: 85.5 },
    ]);
    expect(ranking.skdCut).toEqual([
      { applicationId: 'A-1', rank: 1, total: 350, code: 'P/L' },
      { applicationId: 'A-2', rank: 2, total: 335, code: 'P/L' },
      { applicationId: 'A-3', rank: null, total: null, code: 'TH' },
    ]);
    expect(ranking.rankingSeq).toBeGreaterThan(ranking.skdCutSeq!);
    expect(await formationRanking(t.database, PERIOD, 'F-2')).toEqual({ formationId: 'F-2', rankingSeq: null, ranking: [], skdCutSeq: null, skdCut: [] });
  });

  it('keeps formations with their amendments and applicants', async () => {
    expect(await listFormations(t.database, PERIOD)).toMatchObject([
      { formationId: 'F-1', quota: 3, amendments: 1, applicants: 3, track: 'umum', education: ['S1 Ilmu Pemerintahan'] },
      { formationId: 'F-2', quota: 1, amendments: 0, applicants: 1 },
    ]);
  });

  it('gives an application timeline in ledger order, without personal data', async () => {
    const items = await timeline(t.database, PERIOD, 'A-2');
    expect(items.map((i) => i.type)).toEqual([
      'PersonRegistered',
      'ApplicationSubmitted',
      'DocumentsVerified',
      'VerificationConfirmed',
      'SanggahFiled',
      'SanggahDecided',
      'SkdScoreRecorded',
      'FinalDecisionRecorded',
    ]);
    expect(items.map((i) => i.seq)).toEqual([...items.map((i) => i.seq)].sort((a, b) => a - b));
    expect(items[1]!.summary).toEqual({ formationId: 'F-1', channel: 'portal', submittedAt: '2026-08-02T10:00:00+07:00' });
    expect(items[2]).toMatchObject({ actorId: 'officer-1', actorRole: 'officer', summary: { verdict: 'TMS', documents: 1, rejected: [{ document: 'ijazah', reason: 'ijazah tidak terbaca' }] } });
    expect(items[5]!.summary).toEqual({ accepted: true, reason: 'dokumen sah', newVerdict: 'MS', approvalRef: 'PANSELNAS-7' });
    const erased = await timeline(t.database, PERIOD, 'A-3');
    expect(erased.at(-1)).toMatchObject({ type: 'PersonalDataErased', summary: { legalBasis: 'UU 27/2022 pasal 8', requestRef: 'REQ-9' } });
    expect(JSON.stringify(items)).not.toContain('AAAA');
  });

  it("pages an officer's activity newest first", async () => {
    const expected = (await store.readLedger(PERIOD))
      .map((e) => ({ seq: e.seq, type: e.type, actor: (JSON.parse(e.body) as { actor: { id: string } }).actor.id }))
      .filter((e) => e.actor === 'officer-1' && e.type !== 'LegacyNote')
      .map((e) => e.seq)
      .reverse();
    expect(expected.length).toBeGreaterThan(5);
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await officerActivity(t.database, PERIOD, 'officer-1', { limit: 3, ...(before !== undefined ? { before } : {}) });
      seen.push(...page.map((p) => p.seq));
      if (page.length < 3) break;
      before = page.at(-1)!.seq;
    }
    expect(seen).toEqual(expected);
    const [latest] = await officerActivity(t.database, PERIOD, 'officer-1', { limit: 1 });
    expect(latest).toMatchObject({ type: 'SkbScoreRecorded', applicationId: 'A-1', formationId: 'F-1' });
  });

  it('catches up incrementally, applying only new entries', async () => {
    const before = await store.size(PERIOD);
    await record(store, PERIOD, 'application-A-1', 'FinalDecisionRecorded', supervisor, { applicationId: 'A-1', code: 'L-1' });
    await submit(store, PERIOD, 5, 'F-2');
    expect(await runner.catchUp(PERIOD)).toBe(3);
    expect(await runner.catchUp()).toBe(0);
    expect(await runner.position(PERIOD)).toBe(before + 3);
    expect(await getApplication(t.database, PERIOD, 'A-1')).toMatchObject({ status: 'decided', finalCode: 'L-1' });
    expect(await getApplication(t.database, PERIOD, 'A-5')).toMatchObject({ status: 'submitted', formationId: 'F-2' });
    expect((await listFormations(t.database, PERIOD))[1]).toMatchObject({ formationId: 'F-2', applicants: 2 });
  });

  it('rebuilds from zero into identical tables, whatever the page size', async () => {
    const before = await dump(PERIOD);
    expect(before.rm_timeline!.length).toBeGreaterThan(10);
    const size = await store.size(PERIOD);
    expect(await runner.rebuild(PERIOD)).toBe(size);
    expect(await dump(PERIOD)).toEqual(before);
    expect(await new ProjectionRunner(store, { pageSize: 3 }).rebuild(PERIOD)).toBe(size);
    expect(await dump(PERIOD)).toEqual(before);
  });

  it('leaves no partial page when a projection fails mid-page, and resumes identically', async () => {
    const origin = 'casn.crash.example/2026';
    await buildPeriod(store, origin);
    let failures = 0;
    const failing: Projection[] = PROJECTIONS.map((p) =>
      p.name !== 'formations'
        ? p
        : {
            ...p,
            apply: async (query, ledgerId, entries) => {
              if (failures === 0 && entries.some((e) => e.seq === 10)) {
                failures++;
                throw new Error('simulated crash');
              }
              await p.apply(query, ledgerId, entries);
            },
          },
    );
    const crashing = new ProjectionRunner(store, { projections: failing, pageSize: 4 });
    await expect(crashing.catchUp(origin)).rejects.toThrow('simulated crash');
    expect(await crashing.position(origin)).toBe(8);
    const positions = await t.database.query<{ position: number }>(
      'SELECT position FROM rm_positions WHERE ledger_id = (SELECT id FROM ledgers WHERE origin = $1)',
      [origin],
    );
    expect(positions.map((p) => Number(p.position))).toEqual(PROJECTIONS.map(() => 8));
    const partial = await dump(origin);
    for (const table of ['rm_applications', 'rm_timeline', 'rm_officer_activity', 'rm_formations']) {
      for (const row of partial[table]!) {
        const r = JSON.parse(row) as { seq?: number; last_seq?: number };
        expect(r.seq ?? r.last_seq).toBeLessThan(8);
      }
    }
    const size = await store.size(origin);
    expect(await crashing.catchUp(origin)).toBe(size - 8);
    const resumed = await dump(origin);
    await runner.rebuild(origin);
    expect(await dump(origin)).toEqual(resumed);
  });

  it('never applies a page twice when runners race', async () => {
    const origin = 'casn.race.example/2026';
    await buildPeriod(store, origin);
    const size = await store.size(origin);
    const others = [new ProjectionRunner(store, { pageSize: 5 }), new ProjectionRunner(store, { pageSize: 7 })];
    const [mine, joined, ...theirs] = await Promise.all([runner.catchUp(origin), runner.catchUp(origin), ...others.map((r) => r.catchUp(origin))]);
    expect(joined).toBe(mine); // concurrent calls on one runner share one catch-up
    expect(mine + theirs.reduce((a, b) => a + b, 0)).toBe(size);
    const raced = await dump(origin);
    await runner.rebuild(origin);
    expect(await dump(origin)).toEqual(raced);
  });

  it('waits until its own write is visible, or times out', async () => {
    const seq = await record(store, PERIOD, 'application-A-5', 'DocumentsVerified', officer1, {
      applicationId: 'A-5',
      verdict: 'MS',
      documents: [{ document: 'ijazah', verdict: 'MS' }],
    });
    await runner.waitFor(PERIOD, seq + 1);
    expect(await getApplication(t.database, PERIOD, 'A-5')).toMatchObject({ status: 'verified', verdict: 'MS' });
    await expect(runner.waitFor(PERIOD, seq + 10, 100)).rejects.toThrow(/did not reach/);
  });
});
