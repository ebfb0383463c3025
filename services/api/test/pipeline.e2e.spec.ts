/**
 * One CPNS period from OpenPeriod to the final announcement, a resignation and its
 * replacement, through HTTP only, with time moved through the stage windows; then the whole
 * ledger is verified and the read models are checked against the decisions. A short PPPK
 * period follows (rule set pppk-2024, priority categories before scores).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Api,
  MS_DOCUMENTS,
  Period,
  daysFromNow,
  expectProblem,
  expectRule,
  makeApplicant,
  registrationsCsv,
  skdCsv,
  submitBody,
  wib,
  type ApplicationView,
  type FormationRanking,
  type ImportResult,
  type PeriodView,
  type TimelineItem,
} from './fixtures.ts';
import { AGENCY, startApp, type TestApp } from './support.ts';

const DAY = 86_400_000;
let offset = 0;
const clock = (): Date => new Date(Date.now() + offset);
/** Moves the app's clock to `days` after the start. */
const at = (days: number): void => {
  offset = days * DAY;
};

let t: TestApp;
let api: Api;
const ID = 'cpns-2024';
const F = 'F-1';
const p = (): Period => new Period(api, ID);

beforeAll(async () => {
  t = await startApp({ clock });
  api = new Api(t);
});
afterAll(() => t.close());

const ids = Array.from({ length: 12 }, (_, i) => `E-${String(i + 1).padStart(2, '0')}`);
const [E01, E02, E03, E04, E05, E06, E07, E08, E09, E10, E11, E12] = ids as [string, string, string, string, string, string, string, string, string, string, string, string];

async function app(id: string, caller = 'inspector'): Promise<ApplicationView> {
  return p().application(id, caller);
}

describe('a CPNS period, end to end', () => {
  it('opens the period with its rule set, SKB weights and schedule', async () => {
    at(0);
    const res = await api.write('admin', '/v1/periods', {
      periodId: ID,
      agency: { code: AGENCY, name: 'Pemerintah Kota Uji', level: 'daerah' },
      year: 2024,
      kind: 'CPNS',
      rules: 'casn-2024',
      skbWeights: { cat: 0.6, practical: 0.4 },
      schedule: { registration: { opens: daysFromNow(-10, clock), closes: daysFromNow(1, clock) } },
    });
    expect(res.entries).toHaveLength(1);
    const period = await api.read<PeriodView>('ombudsman', p().path());
    expect(period).toMatchObject({ periodId: ID, agency: AGENCY, kind: 'CPNS', rules: 'casn-2024', size: 1, publications: [] });
    // A daerah agency may not weight an interview (casn-2024).
    expectRule(
      await api.post('admin', '/v1/periods', { periodId: 'salah', agency: { code: AGENCY, name: 'X', level: 'daerah' }, year: 2024, kind: 'CPNS', rules: 'casn-2024', skbWeights: { cat: 0.5, interview: 0.5 }, schedule: {} }),
      'skb-weights',
    );
  });

  it('announces the formation (quota 2)', async () => {
    await p().announce(F, 2, 'umum');
    await p().announce('F-2', 1, 'umum');
    const { items } = await api.read<{ items: { formationId: string; quota: number }[] }>('inspector', p().path('/formations'));
    expect(items).toEqual([expect.objectContaining({ formationId: F, quota: 2 }), expect.objectContaining({ formationId: 'F-2', quota: 1 })]);
  });

  it('takes 8 applications from the portal and 4 from an SSCASN export', async () => {
    for (const id of ids.slice(0, 8)) await p().submit(id, F, makeApplicant({ birthDate: `199${ids.indexOf(id)}-03-0${(ids.indexOf(id) % 9) + 1}` }));
    const imported = await api.write<ImportResult>(
      'officer',
      p().path('/imports/registrations'),
      registrationsCsv(ids.slice(8).map((id) => ({ applicationId: id, formationId: F, applicant: makeApplicant(), submittedAt: wib(-2, clock) }))),
      { csv: true },
    );
    expect(imported).toMatchObject({ rows: 4, recorded: 4 });
    const { items } = await api.read<{ items: ApplicationView[] }>('supervisor', p().path('/applications'), { formation: F });
    expect(items.map((a) => a.applicationId).sort()).toEqual(ids);
    expect(items.filter((a) => a.channel === 'portal')).toHaveLength(8);
    expect(items.filter((a) => a.channel === 'import')).toHaveLength(4);
  });

  it('refuses submissions once registration has closed, and formations too', async () => {
    at(2);
    const before = await api.size(ID);
    const late = await api.post('officer', p().path('/imports/registrations'), registrationsCsv([{ applicationId: 'E-13', formationId: F, applicant: makeApplicant(), submittedAt: wib(-0.5, clock) }]), { csv: true });
    expect(expectProblem(late, 422).rows).toEqual([expect.objectContaining({ line: 2, message: expect.stringContaining('registration-closed') as unknown })]);
    const officer = await api.post('officer', p().path('/applications'), submitBody('E-14', F, makeApplicant(), { submittedAt: daysFromNow(-0.5, clock) }));
    expectRule(officer, 'registration-closed');
    expectRule(await api.post('supervisor', p().path('/formations'), { formationId: 'F-3', jabatan: 'x', unit: 'x', location: 'x', education: ['S1'], track: 'umum', quota: 1 }), 'registration-closed');
    expect(await api.size(ID)).toBe(before);
  });

  it('verifies every application with four eyes: officers verify, supervisors confirm or return', async () => {
    for (const id of ids) await p().verify(id, id === E11 || id === E12 ? 'TMS' : 'MS');
    // An officer may not confirm; a supervisor confirming another verdict than the verifier's is refused.
    expectProblem(await api.post('officer', p().app(E01, '/verification/confirmation'), { verdict: 'MS' }), 403);
    expectRule(await api.post('supervisor', p().app(E01, '/verification/confirmation'), { verdict: 'TMS' }), 'verdict-mismatch');
    // E-09 goes back to the verifier once.
    await api.write('supervisor2', p().app(E09, '/verification/return'), { reason: 'pindaian ijazah tidak terbaca' });
    expect(await app(E09)).toMatchObject({ status: 'returned' });
    await api.write('officer2', p().app(E09, '/verification'), { verdict: 'MS', documents: MS_DOCUMENTS });
    for (const id of ids) await p().confirm(id, id === E11 || id === E12 ? 'TMS' : 'MS');
    const { items } = await api.read<{ items: TimelineItem[] }>('inspector', p().app(E09, '/timeline'));
    expect(items.slice(2).map((i) => [i.type, i.actorId])).toEqual([
      ['DocumentsVerified', 'officer'],
      ['VerificationReturned', 'supervisor2'],
      ['DocumentsVerified', 'officer2'],
      ['VerificationConfirmed', 'supervisor'],
    ]);
    expect((await app(E12)).verdict).toBe('TMS');
  });

  it('publishes the administrasi results; a sanggah within 3 days is accepted with the Panselnas approval', async () => {
    expectRule(await api.post('portal', p().app(E11, '/sanggah'), { reason: 'belum diumumkan' }), 'sanggah-not-open');
    at(3);
    await p().publish('administrasi');
    at(4);
    await api.write('portal', p().app(E11, '/sanggah'), { reason: 'transkrip sudah dilegalisir, terlampir' });
    expectRule(await api.post('portal', p().app(E11, '/sanggah'), { reason: 'lagi' }), 'sanggah-exists');
    expectRule(await api.post('portal', p().app(E01, '/sanggah'), { reason: 'MS bukan TMS' }), 'sanggah-verdict');
    expectRule(await api.post('supervisor', p().app(E11, '/sanggah/decision'), { accepted: true, reason: 'terbukti', newVerdict: 'MS' }), 'panselnas-approval');
    await api.write('supervisor', p().app(E11, '/sanggah/decision'), { accepted: true, reason: 'terbukti dilegalisir', newVerdict: 'MS', approvalRef: 'KETUA-PANSELNAS/2024/031' });
    expect(await app(E11)).toMatchObject({ verdict: 'MS' });
    const last = (await api.read<{ items: TimelineItem[] }>('inspector', p().app(E11, '/timeline'))).items.at(-1);
    expect(last).toMatchObject({ type: 'SanggahDecided', actorId: 'supervisor', summary: { accepted: true, newVerdict: 'MS', approvalRef: 'KETUA-PANSELNAS/2024/031' } });
  });

  it('refuses a sanggah after its 3-day window', async () => {
    at(7);
    const res = await api.post('portal', p().app(E12, '/sanggah'), { reason: 'terlambat' });
    const problem = expectRule(res, 'sanggah-window');
    expect(new Date(problem.closes as string).getTime()).toBeLessThan(clock().getTime());
    expect((await app(E12)).verdict).toBe('TMS');
  });

  it('records SKD scores by hand and from the CAT export, with an absence', async () => {
    at(10);
    await p().skd(E01, { twk: 120, tiu: 130, tkp: 200 });
    await p().skd(E02, { twk: 110, tiu: 120, tkp: 190 });
    expectRule(await api.post('officer', p().app(E12, '/skd-scores'), { twk: 100, tiu: 100, tkp: 200, source: 'manual' }), 'not-eligible');
    expectRule(await api.post('supervisor', p().formation(F, '/skd-cut'), {}), 'skd-incomplete');
    const res = await api.write<ImportResult>(
      'officer',
      p().path('/imports/cat-scores'),
      skdCsv([
        { applicationId: E03, twk: 100, tiu: 110, tkp: 185 },
        { applicationId: E04, twk: 95, tiu: 100, tkp: 175 },
        { applicationId: E05, twk: 90, tiu: 100, tkp: 180 },
        { applicationId: E06, twk: 80, tiu: 90, tkp: 175 },
        { applicationId: E07, twk: 80, tiu: 90, tkp: 175 },
        { applicationId: E08, twk: 65, tiu: 80, tkp: 166 }, // exactly the passing grade
        { applicationId: E09, twk: 65, tiu: 80, tkp: 165 }, // one TKP point short
        { applicationId: E10, absent: true },
        { applicationId: E11, twk: 60, tiu: 120, tkp: 200 }, // high total, TWK below 65
      ]),
      { csv: true },
    );
    expect(res).toMatchObject({ rows: 9, recorded: 9, reconciliation: [] });
  });

  it('decides the SKD cut: 3 × quota with the tie at the boundary going on, P, TL and TH', async () => {
    await api.write('supervisor', p().formation(F, '/skd-cut'), {});
    const { skdCut } = await api.read<FormationRanking>('inspector', p().formation(F, '/ranking'));
    expect(skdCut.map((r) => [r.applicationId, r.rank, r.total, r.code])).toEqual([
      [E01, 1, 450, 'P/L'],
      [E02, 2, 420, 'P/L'],
      [E03, 3, 395, 'P/L'],
      [E05, 4, 370, 'P/L'], // same total as E-04, higher TKP
      [E04, 5, 370, 'P/L'],
      [E06, 6, 345, 'P/L'], // tied at the 6th place: both go on
      [E07, 6, 345, 'P/L'],
      [E08, 8, 311, 'P'],
      // Unranked lines follow in id order in the read model.
      [E09, null, 310, 'TL'],
      [E10, null, null, 'TH'],
      [E11, null, 380, 'TL'],
    ]);
    expect(skdCut.filter((r) => r.code === 'P/L')).toHaveLength(7);
    for (const r of skdCut) expect((await app(r.applicationId)).cutCode).toBe(r.code);
    expect((await app(E12)).cutCode).toBeNull();
  });

  it('publishes the SKD results, after which a score changes only with an approval', async () => {
    await p().publish('skd', F);
    const res = await api.post('officer', p().app(E08, '/skd-scores'), { twk: 70, tiu: 80, tkp: 166, source: 'manual' });
    expect(expectRule(res, 'score-locked').errors?.[0]?.field).toBe('body.approvalRef');
    const period = await api.read<PeriodView>('inspector', p().path());
    expect(period.publications.map((x) => [x.stage, x.formationId])).toEqual([
      ['administrasi', null],
      ['skd', F],
    ]);
  });

  it('records SKB scores: the CAT part and the practical part with its examiners', async () => {
    at(20);
    const skb: [string, number, number][] = [
      [E01, 70, 70],
      [E02, 90, 90],
      [E05, 85, 85],
      [E06, 75, 75],
      [E07, 80, 70],
    ];
    for (const [id, cat, practical] of skb) await p().skb(id, cat, practical);
    await api.write('officer', p().app(E03, '/skb-scores'), { part: 'cat', score: 80, source: 'cat' });
    await api.write('officer', p().app(E03, '/skb-scores'), { part: 'practical', score: 80, source: 'manual', examiner: 'officer2' });
    await api.write('supervisor', p().app(E03, '/skb-scores'), { part: 'practical', score: 90, source: 'manual', examiner: 'supervisor2' });
    await p().absent(E04, 'skb');
    expectRule(await api.post('officer', p().app(E08, '/skb-scores'), { part: 'cat', score: 99, source: 'cat' }), 'not-eligible');
    expectRule(await api.post('officer', p().app(E01, '/skb-scores'), { part: 'practical', score: 99, source: 'manual' }), 'examiner');
    expectRule(await api.post('officer', p().app(E01, '/skb-scores'), { part: 'interview', score: 99, source: 'manual', examiner: 'officer2' }), 'skb-part');
    expect((await app(E03)).skb.practical?.map((m) => [m.score, m.examiner])).toEqual([
      [80, 'officer2'],
      [90, 'supervisor2'],
    ]);
  });

  it('decides the ranking: 40% SKD + 60% SKB, in order', async () => {
    expectProblem(await api.post('officer', p().formation(F, '/ranking')), 403);
    await api.write('supervisor', p().formation(F, '/ranking'));
    const { ranking } = await api.read<FormationRanking>('ombudsman', p().formation(F, '/ranking'));
    expect(ranking).toEqual([
      { applicationId: E02, rank: 1, finalScore: 84.545 },
      { applicationId: E03, rank: 2, finalScore: 77.927 },
      { applicationId: E05, rank: 3, finalScore: 77.909 },
      { applicationId: E01, rank: 4, finalScore: 74.727 },
      { applicationId: E07, rank: 5, finalScore: 70.691 },
      { applicationId: E06, rank: 6, finalScore: 70.091 },
    ]);
  });

  const finals: Record<string, string> = {
    [E02]: 'L',
    [E03]: 'L',
    [E05]: 'TL',
    [E01]: 'TL',
    [E07]: 'TL',
    [E06]: 'TL',
    [E04]: 'TH',
    [E08]: 'TL',
    [E09]: 'TL',
    [E10]: 'TH',
    [E11]: 'TL',
    [E12]: 'TMS',
  };

  it('records the final decisions and announces the results with the hash of the document', async () => {
    expectRule(await api.post('supervisor', p().app(E08, '/final-decision'), { code: 'L' }), 'not-ranked');
    expectRule(await api.post('supervisor', p().app(E08, '/final-decision'), { code: 'P/L' }), 'final-code');
    expectRule(await api.post('supervisor', p().app(E08, '/final-decision'), { code: 'L-1' }), 'decision-reference');
    for (const [id, code] of Object.entries(finals)) await p().final(id, code);
    const results = ids.map((id) => ({ applicationId: id, code: finals[id]! }));
    const document = results.map((r) => `${r.applicationId};${r.code}`).join('\n');
    const documentHash = createHash('sha256').update(document).digest('hex');
    expectRule(await api.post('supervisor', p().formation('F-2', '/announcements'), { reference: 'X', documentHash, results }), 'unknown-application');
    await api.write('supervisor', p().formation(F, '/announcements'), { reference: 'PENG-AKHIR/2024/012', documentHash, results });
    const announced = (await t.store.readLedger(await api.origin(ID))).map((e) => JSON.parse(e.body) as { type: string; payload: { documentHash?: string } }).find((e) => e.type === 'ResultsAnnounced');
    expect(announced?.payload.documentHash).toBe(documentHash);
    for (const id of ids) expect(await app(id), id).toMatchObject({ finalCode: finals[id], announcedCode: finals[id] });
  });

  it('records a resignation and appoints the next-ranked applicant in place', async () => {
    at(30);
    expectRule(await api.post('portal', p().app(E05, '/resignation'), { reason: 'x' }), 'resign-state');
    expectRule(await api.post('supervisor', p().formation(F, '/replacements'), { resignedApplicationId: E03, replacementApplicationId: E05, reference: 'x' }), 'not-resigned');
    await p().resign(E03);
    expectRule(await api.post('supervisor', p().formation(F, '/replacements'), { resignedApplicationId: E03, replacementApplicationId: E02, reference: 'x' }), 'replacement-eligible');
    await p().replace(F, E03, E05);
    expectRule(await api.post('supervisor', p().formation(F, '/replacements'), { resignedApplicationId: E03, replacementApplicationId: E01, reference: 'x' }), 'replacement-exists');
    expect(await app(E03)).toMatchObject({ status: 'resigned', finalCode: 'L' });
    expect(await app(E05)).toMatchObject({ replaces: E03, rank: 3 });
    const { items } = await api.read<{ items: TimelineItem[] }>('inspector', p().app(E05, '/timeline'));
    expect(items.at(-1)).toMatchObject({ type: 'ReplacementAppointed', summary: { resignedApplicationId: E03, formationId: F } });
  });

  it('leaves a ledger that verifies whole, every entry recorded by a named actor', async () => {
    const origin = await api.origin(ID);
    const verdict = await t.store.verify(origin);
    expect(verdict.ok).toBe(true);
    const entries = await t.store.readLedger(origin);
    expect(entries.length).toBe(await api.size(ID));
    const actors = new Set(entries.map((e) => (JSON.parse(e.body) as { actor: { id: string } }).actor.id));
    expect([...actors].sort()).toEqual(['admin', 'officer', 'officer2', 'portal', 'supervisor', 'supervisor2']);
    // Time moved forward through the windows, and so did the ledger's clock.
    const times = entries.map((e) => (JSON.parse(e.body) as { at: string }).at);
    expect([...times].sort()).toEqual(times);
    expect(new Date(times.at(-1)!).getTime() - new Date(times[0]!).getTime()).toBeGreaterThan(29 * DAY);
  });

  it('has read models that agree with the decisions in the ledger', async () => {
    const ranking = await api.read<FormationRanking>('inspector', p().formation(F, '/ranking'));
    const { items } = await api.read<{ items: ApplicationView[]; next: string | null }>('inspector', p().path('/applications'), { formation: F, limit: 50 });
    expect(items.slice(0, 6).map((a) => a.applicationId)).toEqual(ranking.ranking.map((r) => r.applicationId));
    for (const r of ranking.ranking) expect(items.find((a) => a.applicationId === r.applicationId)).toMatchObject({ rank: r.rank, finalScore: r.finalScore });
    for (const c of ranking.skdCut) expect(items.find((a) => a.applicationId === c.applicationId)).toMatchObject({ cutCode: c.code, skdTotal: c.total });
    for (const a of items) expect(a.finalCode, a.applicationId).toBe(finals[a.applicationId]);
    // The state the service decides on agrees with the read model.
    const state = await t.service.periodState(ID);
    for (const a of items) {
      const s = state.applications.get(a.applicationId)!;
      expect({ rank: a.rank, cutCode: a.cutCode, finalCode: a.finalCode, verdict: a.verdict }).toEqual({ rank: s.rank, cutCode: s.cutCode, finalCode: s.finalCode, verdict: s.verdict });
    }
    const discrepancies = await api.read<{ items: ApplicationView[] }>('inspector', p().path('/discrepancies'));
    expect(discrepancies.items).toEqual([]);
  });
});

describe('a PPPK period, short', () => {
  const Q = 'pppk-2024';
  const q = (): Period => new Period(api, Q);

  it('ranks by priority category before score', async () => {
    await q().open({ kind: 'PPPK', now: clock });
    await q().announce('G-F', 1);
    const categories: [string, string][] = [
      ['G-1', 'umum'],
      ['G-2', 'p1-guru'],
      ['G-3', 'eks-thk2'],
      ['G-4', 'umum'],
    ];
    for (const [id, pppkCategory] of categories) {
      await api.write('officer', q().path('/applications'), submitBody(id, 'G-F', makeApplicant(), { pppkCategory, submittedAt: daysFromNow(-1, clock) }));
    }
    expectRule(await api.post('officer', q().path('/applications'), submitBody('G-5', 'G-F', makeApplicant(), { submittedAt: daysFromNow(-1, clock) })), 'pppk-category');
    for (const [id] of categories) await q().verified(id);
    expectRule(await api.post('officer', q().app('G-1', '/skd-scores'), { twk: 100, tiu: 100, tkp: 200, source: 'manual' }), 'period-kind');
    const score = (teknis: number, manajerial: number, sosialKultural: number, wawancara: number) => ({ teknis, manajerial, sosialKultural, wawancara, source: 'manual' });
    await api.write('officer', q().app('G-1', '/competency-scores'), score(400, 80, 80, 35));
    await api.write('officer', q().app('G-2', '/competency-scores'), score(250, 50, 50, 20));
    await api.write('officer', q().app('G-3', '/competency-scores'), score(300, 60, 60, 25));
    await q().absent('G-4', 'kompetensi');
    expectRule(await api.post('officer', q().app('G-4', '/competency-scores'), score(300, 60, 60, 25)), 'attendance-conflict');
    await q().publish('kompetensi');
    expectRule(await api.post('officer', q().app('G-1', '/competency-scores'), score(405, 80, 80, 35)), 'score-locked');
    await api.write('supervisor', q().formation('G-F', '/ranking'));
    const { ranking } = await api.read<FormationRanking>('inspector', q().formation('G-F', '/ranking'));
    expect(ranking).toEqual([
      { applicationId: 'G-2', rank: 1, finalScore: 370 },
      { applicationId: 'G-3', rank: 2, finalScore: 445 },
      { applicationId: 'G-1', rank: 3, finalScore: 595 },
    ]);
    await q().final('G-2', 'L');
    await q().final('G-3', 'TL');
    await q().final('G-1', 'TL');
    await q().final('G-4', 'TH');
    await q().announceResults('G-F', [
      { applicationId: 'G-2', code: 'L' },
      { applicationId: 'G-3', code: 'TL' },
      { applicationId: 'G-1', code: 'TL' },
      { applicationId: 'G-4', code: 'TH' },
    ]);
    expect(await q().application('G-2')).toMatchObject({ pppkCategory: 'p1-guru', rank: 1, finalCode: 'L', announcedCode: 'L', competency: { teknis: 250, source: 'manual' } });
    expect((await t.store.verify(await api.origin(Q))).ok).toBe(true);
  });
});
