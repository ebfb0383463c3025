import { describe, expect, it } from 'vitest';
import type { PeriodEvent } from '../src/events.ts';
import { scoreDiscrepancies, skbParts } from '../src/state.ts';
import type { Given } from './given.ts';
import { ADMIN, OFFICER, SUPERVISOR, by, confirmed, cpnsPeriod, ctx, eligible, ev, formation, given, pppkOpened, skd, submitted } from './given.ts';

const skdCmd = { type: 'RecordSkdScore', applicationId: 'A-1', twk: 100, tiu: 100, tkp: 180, source: 'cat' } as const;
const skdEvent = (applicationId: string, twk: number, tiu: number, tkp: number, extra: { source?: 'cat' | 'manual'; approvalRef?: string } = {}) =>
  ev('SkdScoreRecorded', { applicationId, twk, tiu, tkp, source: extra.source ?? 'cat', ...(extra.approvalRef !== undefined && { approvalRef: extra.approvalRef }) });

describe('RecordSkdScore', () => {
  it('records a CAT score of an eligible applicant', () => {
    const state = given(cpnsPeriod(), eligible('A-1'))
      .when(skdCmd, ctx(ADMIN))
      .thenAppends([{ stream: 'application-A-1', expectedVersion: 2, events: [skdEvent('A-1', 100, 100, 180)] }]);
    expect(state.applications.get('A-1')?.skd.effective?.score).toEqual({ twk: 100, tiu: 100, tkp: 180 });
  });

  it('keeps manual and CAT values; the CAT one is effective and a difference is exposed', () => {
    const state = given(cpnsPeriod(), eligible('A-1'), skd('A-1', 100, 100, 180, 'manual'))
      .when({ ...skdCmd, tkp: 170 }, ctx(ADMIN))
      .then([skdEvent('A-1', 100, 100, 170)]);
    const app = state.applications.get('A-1');
    expect(app?.skd.manual?.score).toEqual({ twk: 100, tiu: 100, tkp: 180 });
    expect(app?.skd.cat?.score).toEqual({ twk: 100, tiu: 100, tkp: 170 });
    expect(app?.skd.effective?.source).toBe('cat');
    expect(app?.skd.discrepancy).toBe(true);
    expect(scoreDiscrepancies(state)).toEqual([{ applicationId: 'A-1', score: 'skd' }]);

    // A later manual value does not override the CAT import.
    const after = given(cpnsPeriod(), eligible('A-1'), skd('A-1', 100, 100, 170), skd('A-1', 150, 150, 200, 'manual')).state.applications.get('A-1');
    expect(after?.skd.effective?.score).toEqual({ twk: 100, tiu: 100, tkp: 170 });
    expect(after?.skd.history).toHaveLength(2);
  });

  it('uses the latest manual value when there is no CAT value', () => {
    const app = given(cpnsPeriod(), eligible('A-1'), skd('A-1', 100, 100, 180, 'manual'), skd('A-1', 100, 100, 181, 'manual')).state.applications.get('A-1');
    expect(app?.skd.effective?.score.tkp).toBe(181);
    expect(app?.skd.discrepancy).toBe(false);
  });

  it("refuses a score outside the rule set's ranges: 'score-range'", () => {
    given(cpnsPeriod(), eligible('A-1')).when({ ...skdCmd, twk: 155 }, ctx(ADMIN)).thenThrows('score-range', { field: 'twk' });
    given(cpnsPeriod(), eligible('A-1')).when({ ...skdCmd, tiu: 102 }, ctx(ADMIN)).thenThrows('score-range', { field: 'tiu' });
  });

  it("refuses in a PPPK period: 'period-kind'", () => {
    given(pppkOpened(), formation('F-1'), eligible('A-1', 'F-1', { pppkCategory: 'umum' })).when(skdCmd, ctx(ADMIN)).thenThrows('period-kind');
  });

  it("refuses an applicant without a confirmed MS verdict, or disqualified: 'not-eligible'", () => {
    given(cpnsPeriod(), submitted('A-1')).when(skdCmd, ctx(ADMIN)).thenThrows('not-eligible');
    given(cpnsPeriod(), submitted('A-1'), confirmed('A-1', 'TMS')).when(skdCmd, ctx(ADMIN)).thenThrows('not-eligible');
    given(cpnsPeriod(), eligible('A-1'), ev('ApplicantDisqualified', { applicationId: 'A-1', reason: 'joki', reference: 'BA-1' })).when(skdCmd, ctx(ADMIN)).thenThrows('not-eligible');
    const reverified = ev('Reverified', { applicationId: 'A-1', verdict: 'TMS', documents: [{ document: 'ijazah', verdict: 'TMS', reason: 'palsu' }], reason: 'verifikasi ulang' });
    given(cpnsPeriod(), eligible('A-1'), by(SUPERVISOR, reverified)).when(skdCmd, ctx(ADMIN)).thenThrows('not-eligible');
  });

  it('accepts an applicant made MS by an accepted sanggah', () => {
    given(
      cpnsPeriod(),
      submitted('A-1'),
      confirmed('A-1', 'TMS'),
      ev('ResultsPublished', { stage: 'administrasi', reference: 'P' }),
      ev('SanggahFiled', { applicationId: 'A-1', reason: 'r' }),
      by(SUPERVISOR, ev('SanggahDecided', { applicationId: 'A-1', accepted: true, reason: 'r', newVerdict: 'MS', approvalRef: 'PANSELNAS-1' })),
    )
      .when(skdCmd, ctx(ADMIN))
      .then([skdEvent('A-1', 100, 100, 180)]);
  });

  it("refuses a score for an applicant recorded absent: 'attendance-conflict'", () => {
    given(cpnsPeriod(), eligible('A-1'), ev('AbsenceRecorded', { applicationId: 'A-1', stage: 'skd' })).when(skdCmd, ctx(ADMIN)).thenThrows('attendance-conflict');
  });

  describe('lock after the SKD results', () => {
    const published = ev('ResultsPublished', { stage: 'skd', reference: 'PENG-SKD/2024' });

    it("refuses without an approval reference: 'score-locked'", () => {
      given(cpnsPeriod(), eligible('A-1'), published).when(skdCmd, ctx(ADMIN)).thenThrows('score-locked', { field: 'approvalRef' });
      given(cpnsPeriod(), eligible('A-1'), ev('ResultsPublished', { stage: 'skd', reference: 'P', formationId: 'F-1' })).when(skdCmd, ctx(ADMIN)).thenThrows('score-locked');
    });

    it('accepts with an approval reference', () => {
      given(cpnsPeriod(), eligible('A-1'), published)
        .when({ ...skdCmd, approvalRef: 'PANSELNAS-9/2024' }, ctx(ADMIN))
        .then([skdEvent('A-1', 100, 100, 180, { approvalRef: 'PANSELNAS-9/2024' })]);
    });

    it('is not locked by a publication for another formation', () => {
      given(cpnsPeriod(), formation('F-2'), eligible('A-1'), ev('ResultsPublished', { stage: 'skd', reference: 'P', formationId: 'F-2' }))
        .when(skdCmd, ctx(ADMIN))
        .then([skdEvent('A-1', 100, 100, 180)]);
    });
  });
});

describe('RecordAbsence and Disqualify', () => {
  it('records an absence from the SKD', () => {
    const state = given(cpnsPeriod(), eligible('A-1')).when({ type: 'RecordAbsence', applicationId: 'A-1', stage: 'skd' }, ctx(OFFICER)).then([ev('AbsenceRecorded', { applicationId: 'A-1', stage: 'skd' })]);
    expect(state.applications.get('A-1')?.absent.skd).toBeDefined();
  });

  it("refuses a stage of the other kind: 'period-kind'", () => {
    given(cpnsPeriod(), eligible('A-1')).when({ type: 'RecordAbsence', applicationId: 'A-1', stage: 'kompetensi' }, ctx(OFFICER)).thenThrows('period-kind', { field: 'stage' });
    given(pppkOpened(), formation('F-1'), eligible('A-1', 'F-1', { pppkCategory: 'umum' }))
      .when({ type: 'RecordAbsence', applicationId: 'A-1', stage: 'skd' }, ctx(OFFICER))
      .thenThrows('period-kind');
  });

  it("refuses an absence of someone not eligible, or from the SKB without P/L: 'not-eligible'", () => {
    given(cpnsPeriod(), submitted('A-1')).when({ type: 'RecordAbsence', applicationId: 'A-1', stage: 'skd' }, ctx(OFFICER)).thenThrows('not-eligible');
    given(cpnsPeriod(), eligible('A-1'), skd('A-1', 100, 100, 180)).when({ type: 'RecordAbsence', applicationId: 'A-1', stage: 'skb' }, ctx(OFFICER)).thenThrows('not-eligible');
  });

  it("refuses a second absence, or one after a score: 'absence-exists', 'attendance-conflict'", () => {
    const absent = ev('AbsenceRecorded', { applicationId: 'A-1', stage: 'skd' });
    given(cpnsPeriod(), eligible('A-1'), absent).when({ type: 'RecordAbsence', applicationId: 'A-1', stage: 'skd' }, ctx(OFFICER)).thenThrows('absence-exists');
    given(cpnsPeriod(), eligible('A-1'), skd('A-1', 100, 100, 180)).when({ type: 'RecordAbsence', applicationId: 'A-1', stage: 'skd' }, ctx(OFFICER)).thenThrows('attendance-conflict');
  });

  it("disqualifies once: 'already-disqualified'", () => {
    const cmd = { type: 'Disqualify', applicationId: 'A-1', reason: 'joki (akses jarak jauh)', reference: 'BA-CAT-12/2024' } as const;
    const state = given(cpnsPeriod(), eligible('A-1')).when(cmd, ctx(SUPERVISOR)).then([ev('ApplicantDisqualified', { applicationId: 'A-1', reason: cmd.reason, reference: cmd.reference })]);
    expect(state.applications.get('A-1')?.disqualified?.reference).toBe(cmd.reference);
    given(cpnsPeriod(), eligible('A-1'), ev('ApplicantDisqualified', { applicationId: 'A-1', reason: 'x', reference: 'y' })).when(cmd, ctx(SUPERVISOR)).thenThrows('already-disqualified');
  });
});

describe('DecideSkdCut', () => {
  const scored = (id: string, twk: number, tiu: number, tkp: number) => [...eligible(id), ...skd(id, twk, tiu, tkp)];

  it('gives P/L to a passing grade exactly met (TWK 65, TIU 80, TKP 166)', () => {
    const state = given(cpnsPeriod(), scored('A-1', 65, 80, 166))
      .when({ type: 'DecideSkdCut', formationId: 'F-1' }, ctx(SUPERVISOR))
      .thenAppends([{ stream: 'formation-F-1', expectedVersion: 0, events: [ev('SkdCutDecided', { formationId: 'F-1', results: [{ applicationId: 'A-1', rank: 1, total: 311, code: 'P/L' }] })] }]);
    expect(state.applications.get('A-1')).toMatchObject({ cutCode: 'P/L', skdRank: 1, skdTotal: 311 });
  });

  it('fails one point under a threshold (TL)', () => {
    given(cpnsPeriod(), scored('A-1', 65, 80, 165))
      .when({ type: 'DecideSkdCut', formationId: 'F-1' }, ctx(SUPERVISOR))
      .then([ev('SkdCutDecided', { formationId: 'F-1', results: [{ applicationId: 'A-1', rank: null, total: 310, code: 'TL' }] })]);
  });

  it('lets everyone tied at the 3 × quota cut proceed, and codes P, TL, TH and DIS', () => {
    const events: Given<PeriodEvent>[] = [
      ...cpnsPeriod(1),
      scored('A', 120, 120, 200),
      scored('B', 110, 110, 190),
      scored('C', 100, 100, 180),
      scored('D', 100, 100, 180),
      scored('E', 100, 100, 170),
      scored('F', 60, 80, 166),
      [...eligible('G'), ev('AbsenceRecorded', { applicationId: 'G', stage: 'skd' })],
      [...eligible('H'), ev('ApplicantDisqualified', { applicationId: 'H', reason: 'joki', reference: 'BA-2' })],
      [...submitted('I'), ...confirmed('I', 'TMS')],
      submitted('J'),
    ];
    const state = given(...events)
      .when({ type: 'DecideSkdCut', formationId: 'F-1' }, ctx(SUPERVISOR))
      .then([
        ev('SkdCutDecided', {
          formationId: 'F-1',
          results: [
            { applicationId: 'A', rank: 1, total: 440, code: 'P/L' },
            { applicationId: 'B', rank: 2, total: 410, code: 'P/L' },
            { applicationId: 'C', rank: 3, total: 380, code: 'P/L' },
            { applicationId: 'D', rank: 3, total: 380, code: 'P/L' },
            { applicationId: 'E', rank: 5, total: 370, code: 'P' },
            { applicationId: 'F', rank: null, total: 306, code: 'TL' },
            { applicationId: 'G', rank: null, total: null, code: 'TH' },
            { applicationId: 'H', rank: null, total: null, code: 'DIS' },
          ],
        }),
      ]);
    expect(state.applications.get('I')?.cutCode).toBeNull();
    expect(state.formations.get('F-1')?.skdCut?.results).toHaveLength(8);
  });

  it('uses the CAT score over a differing manual one', () => {
    given(cpnsPeriod(), eligible('A-1'), skd('A-1', 65, 80, 166), skd('A-1', 150, 175, 225, 'manual'))
      .when({ type: 'DecideSkdCut', formationId: 'F-1' }, ctx(SUPERVISOR))
      .then([ev('SkdCutDecided', { formationId: 'F-1', results: [{ applicationId: 'A-1', rank: 1, total: 311, code: 'P/L' }] })]);
  });

  it('uses the amended quota', () => {
    given(cpnsPeriod(1), ev('FormationAmended', { formationId: 'F-1', changes: { quota: 2 }, reason: 'r', reference: 'ref' }), ...['A', 'B', 'C', 'D'].map((id, i) => scored(id, 100, 100, 180 - i)))
      .when({ type: 'DecideSkdCut', formationId: 'F-1' }, ctx(SUPERVISOR))
      .then([
        ev('SkdCutDecided', {
          formationId: 'F-1',
          results: [
            { applicationId: 'A', rank: 1, total: 380, code: 'P/L' },
            { applicationId: 'B', rank: 2, total: 379, code: 'P/L' },
            { applicationId: 'C', rank: 3, total: 378, code: 'P/L' },
            { applicationId: 'D', rank: 4, total: 377, code: 'P/L' },
          ],
        }),
      ]);
  });

  it("refuses while an eligible applicant has no score, absence or DIS: 'skd-incomplete'", () => {
    given(cpnsPeriod(), scored('A-1', 100, 100, 180), eligible('A-2'), eligible('A-3'))
      .when({ type: 'DecideSkdCut', formationId: 'F-1' }, ctx(SUPERVISOR))
      .thenThrows('skd-incomplete', { details: { missing: 2 } });
  });

  it("refuses an unknown formation, and a PPPK period: NOT_FOUND, 'period-kind'", () => {
    given(cpnsPeriod()).when({ type: 'DecideSkdCut', formationId: 'F-9' }, ctx(SUPERVISOR)).thenThrows('formation-not-found', { code: 'NOT_FOUND' });
    given(pppkOpened(), formation('F-1')).when({ type: 'DecideSkdCut', formationId: 'F-1' }, ctx(SUPERVISOR)).thenThrows('period-kind');
  });

  it('a new cut replaces the codes of the previous one', () => {
    const first = ev('SkdCutDecided', { formationId: 'F-1', results: [{ applicationId: 'A-1', rank: 1, total: 380, code: 'P/L' }] });
    const state = given(cpnsPeriod(), scored('A-1', 100, 100, 180), first, ev('ApplicantDisqualified', { applicationId: 'A-1', reason: 'joki', reference: 'BA' }))
      .when({ type: 'DecideSkdCut', formationId: 'F-1' }, ctx(SUPERVISOR))
      .then([ev('SkdCutDecided', { formationId: 'F-1', results: [{ applicationId: 'A-1', rank: null, total: null, code: 'DIS' }] })]);
    expect(state.applications.get('A-1')?.cutCode).toBe('DIS');
  });
});

describe('RecordSkbScore', () => {
  const cut = ev('SkdCutDecided', {
    formationId: 'F-1',
    results: [
      { applicationId: 'A-1', rank: 1, total: 380, code: 'P/L' },
      { applicationId: 'A-2', rank: 4, total: 370, code: 'P' },
    ],
  });
  const base = [cpnsPeriod(), eligible('A-1'), skd('A-1', 100, 100, 180), eligible('A-2'), skd('A-2', 100, 100, 170), cut];
  const catCmd = { type: 'RecordSkbScore', applicationId: 'A-1', part: 'cat', score: 82.5, source: 'cat' } as const;

  it('records the CAT part without an examiner', () => {
    given(base).when(catCmd, ctx(ADMIN)).then([ev('SkbScoreRecorded', { applicationId: 'A-1', part: 'cat', score: 82.5, source: 'cat' })]);
  });

  it('records a hand-scored part per examiner; the latest value of each examiner counts', () => {
    const practical = (examiner: string, score: number) => by(OFFICER, ev('SkbScoreRecorded', { applicationId: 'A-1', part: 'practical', score, source: 'manual', examiner }));
    const state = given(base, practical('exam-1', 70), practical('exam-2', 80))
      .when({ type: 'RecordSkbScore', applicationId: 'A-1', part: 'practical', score: 75, source: 'manual', examiner: 'exam-1' }, ctx(OFFICER))
      .then([ev('SkbScoreRecorded', { applicationId: 'A-1', part: 'practical', score: 75, source: 'manual', examiner: 'exam-1' })]);
    const app = state.applications.get('A-1');
    if (!app) throw new Error('missing');
    expect(skbParts(app).practical?.sort()).toEqual([75, 80]);
    expect(app.skb.practical).toHaveLength(3);
  });

  it("refuses before the cut or for a code other than P/L: 'not-eligible'", () => {
    given(cpnsPeriod(), eligible('A-1'), skd('A-1', 100, 100, 180)).when(catCmd, ctx(ADMIN)).thenThrows('not-eligible');
    given(base).when({ ...catCmd, applicationId: 'A-2' }, ctx(ADMIN)).thenThrows('not-eligible');
  });

  it("refuses a part without weight (a daerah interview): 'skb-part'", () => {
    given(base).when({ ...catCmd, part: 'interview', examiner: 'exam-1', source: 'manual' }, ctx(ADMIN)).thenThrows('skb-part', { field: 'part' });
  });

  it("requires an examiner for hand-scored parts and forbids one for cat: 'examiner'", () => {
    given(base).when({ ...catCmd, part: 'practical', source: 'manual' }, ctx(ADMIN)).thenThrows('examiner', { field: 'examiner' });
    given(base).when({ ...catCmd, examiner: 'exam-1' }, ctx(ADMIN)).thenThrows('examiner');
  });

  it("locks after the SKB results: 'score-locked' without, accepted with an approval reference", () => {
    const published = ev('ResultsPublished', { stage: 'skb', reference: 'PENG-SKB/2024' });
    given(base, published).when(catCmd, ctx(ADMIN)).thenThrows('score-locked');
    given(base, published)
      .when({ ...catCmd, approvalRef: 'PANSELNAS-3' }, ctx(ADMIN))
      .then([ev('SkbScoreRecorded', { applicationId: 'A-1', part: 'cat', score: 82.5, source: 'cat', approvalRef: 'PANSELNAS-3' })]);
  });

  it("refuses a score of an applicant absent from the SKB: 'attendance-conflict'", () => {
    given(base, ev('AbsenceRecorded', { applicationId: 'A-1', stage: 'skb' })).when(catCmd, ctx(ADMIN)).thenThrows('attendance-conflict');
  });

  it('exposes a manual value of the CAT part that differs from the import', () => {
    const state = given(base, by(ADMIN, ev('SkbScoreRecorded', { applicationId: 'A-1', part: 'cat', score: 82.5, source: 'cat' })))
      .when({ ...catCmd, score: 95, source: 'manual' }, ctx(OFFICER))
      .then([ev('SkbScoreRecorded', { applicationId: 'A-1', part: 'cat', score: 95, source: 'manual' })]);
    const app = state.applications.get('A-1');
    if (!app) throw new Error('missing');
    expect(skbParts(app).cat).toEqual([82.5]);
    expect(scoreDiscrepancies(state)).toEqual([{ applicationId: 'A-1', score: 'skb-cat' }]);
  });
});

describe('RecordCompetencyScore', () => {
  const pppk = [pppkOpened(), formation('F-1'), eligible('A-1', 'F-1', { pppkCategory: 'umum' })];
  const cmd = { type: 'RecordCompetencyScore', applicationId: 'A-1', teknis: 300, manajerial: 80, sosialKultural: 60, wawancara: 30, source: 'cat' } as const;
  const { type: _t, ...payload } = cmd;

  it('records a PPPK competency score', () => {
    const state = given(pppk).when(cmd, ctx(ADMIN)).then([ev('CompetencyScoreRecorded', payload)]);
    expect(state.applications.get('A-1')?.competency.effective?.score).toEqual({ teknis: 300, manajerial: 80, sosialKultural: 60, wawancara: 30 });
  });

  it("refuses in a CPNS period: 'period-kind'", () => {
    given(cpnsPeriod(), eligible('A-1')).when(cmd, ctx(ADMIN)).thenThrows('period-kind');
  });

  it("refuses a score outside the ranges: 'score-range'", () => {
    given(pppk).when({ ...cmd, teknis: 455 }, ctx(ADMIN)).thenThrows('score-range', { field: 'teknis' });
    given(pppk).when({ ...cmd, manajerial: 100, sosialKultural: 81 }, ctx(ADMIN)).thenThrows('score-range');
  });

  it("refuses an applicant not eligible: 'not-eligible'", () => {
    given(pppkOpened(), formation('F-1'), submitted('A-1', 'F-1', { pppkCategory: 'umum' })).when(cmd, ctx(ADMIN)).thenThrows('not-eligible');
  });

  it("locks after the kompetensi results: 'score-locked'", () => {
    const published = ev('ResultsPublished', { stage: 'kompetensi', reference: 'PENG-K/2024' });
    given(pppk, published).when(cmd, ctx(ADMIN)).thenThrows('score-locked');
    given(pppk, published).when({ ...cmd, approvalRef: 'PANSELNAS-4' }, ctx(ADMIN)).then([ev('CompetencyScoreRecorded', { ...payload, approvalRef: 'PANSELNAS-4' })]);
  });
});
