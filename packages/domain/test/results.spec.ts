import { describe, expect, it } from 'vitest';
import { ADMIN, OFFICER, PORTAL, SUPERVISOR, by, cpnsPeriod, ctx, eligible, ev, formation, given, pppkOpened, skd, submitted } from './given.ts';

const skb = (applicationId: string, cat: number, practical?: number) => [
  by(ADMIN, ev('SkbScoreRecorded', { applicationId, part: 'cat', score: cat, source: 'cat' })),
  ...(practical === undefined ? [] : [by(OFFICER, ev('SkbScoreRecorded', { applicationId, part: 'practical', score: practical, source: 'manual', examiner: 'exam-1' }))]),
];
const cut = (...ids: string[]) => ev('SkdCutDecided', { formationId: 'F-1', results: ids.map((applicationId, i) => ({ applicationId, rank: i + 1, total: 0, code: 'P/L' as const })) });

describe('DecideRanking (CPNS integration)', () => {
  const history = [
    cpnsPeriod(1),
    [...eligible('A'), ...skd('A', 120, 120, 200)],
    [...eligible('B'), ...skd('B', 110, 110, 190)],
    [...eligible('C'), ...skd('C', 100, 100, 180)],
    [...eligible('D'), ...skd('D', 100, 100, 180)],
    [...eligible('E'), ...skd('E', 100, 100, 180)],
    cut('A', 'B', 'C', 'D', 'E'),
    skb('A', 80, 70),
    skb('B', 90, 90),
    skb('C', 85, 80),
    // D has no practical score: incomplete, not ranked.
    skb('D', 85),
    ev('AbsenceRecorded', { applicationId: 'E', stage: 'skb' }),
  ];

  it('ranks P/L applicants with a complete SKB% by 40 % SKD + 60 % SKB', () => {
    // A: 0.4 × 440/550×100 + 0.6 × (0.6×80 + 0.4×70) = 32 + 45.6 = 77.6
    // B: 0.4 × 410/550×100 + 0.6 × 90 = 29.818… + 54 = 83.818
    // C: 0.4 × 380/550×100 + 0.6 × 83 = 27.636… + 49.8 = 77.436
    const state = given(history)
      .when({ type: 'DecideRanking', formationId: 'F-1', birthDates: {} }, ctx(SUPERVISOR))
      .thenAppends([
        {
          stream: 'formation-F-1',
          expectedVersion: 1,
          events: [
            ev('RankingDecided', {
              formationId: 'F-1',
              ranking: [
                { applicationId: 'B', rank: 1, final: 83.818 },
                { applicationId: 'A', rank: 2, final: 77.6 },
                { applicationId: 'C', rank: 3, final: 77.436 },
              ],
            }),
          ],
        },
      ]);
    expect(state.applications.get('B')).toMatchObject({ rank: 1, finalScore: 83.818 });
    expect(state.applications.get('D')?.rank).toBeNull();
    expect(state.formations.get('F-1')?.ranking?.ranking).toHaveLength(3);
  });

  it('breaks a full tie by the older birth date (passed in, not recorded)', () => {
    const tied = [cpnsPeriod(1), ...['X', 'Y'].map((id) => [...eligible(id), ...skd(id, 100, 100, 180)]), cut('X', 'Y'), skb('X', 85, 80), skb('Y', 85, 80)];
    given(tied)
      .when({ type: 'DecideRanking', formationId: 'F-1', birthDates: { X: '1996-05-01', Y: '1995-12-31' } }, ctx(SUPERVISOR))
      .then([
        ev('RankingDecided', {
          formationId: 'F-1',
          ranking: [
            { applicationId: 'Y', rank: 1, final: 77.436 },
            { applicationId: 'X', rank: 2, final: 77.436 },
          ],
        }),
      ]);
  });

  it('breaks a tie on the final score by the SKD total first', () => {
    // P: SKD 330 (60 %), SKB 84 → 24 + 50.4 = 74.4; Q: SKD 363 (66 %), SKB 80 → 26.4 + 48 = 74.4.
    const tied = [
      cpnsPeriod(1),
      [...eligible('P'), ...skd('P', 100, 80, 150)],
      [...eligible('Q'), ...skd('Q', 100, 80, 183)],
      cut('P', 'Q'),
      skb('P', 84, 84),
      skb('Q', 80, 80),
    ];
    given(tied)
      .when({ type: 'DecideRanking', formationId: 'F-1', birthDates: {} }, ctx(SUPERVISOR))
      .then([
        ev('RankingDecided', {
          formationId: 'F-1',
          ranking: [
            { applicationId: 'Q', rank: 1, final: 74.4 },
            { applicationId: 'P', rank: 2, final: 74.4 },
          ],
        }),
      ]);
  });

  it("refuses when nobody has complete scores: 'ranking-empty'", () => {
    given(cpnsPeriod(), eligible('A'), skd('A', 100, 100, 180), cut('A'), skb('A', 80))
      .when({ type: 'DecideRanking', formationId: 'F-1', birthDates: {} }, ctx(SUPERVISOR))
      .thenThrows('ranking-empty');
  });

  it('refuses an unknown formation: NOT_FOUND', () => {
    given(cpnsPeriod()).when({ type: 'DecideRanking', formationId: 'F-9', birthDates: {} }, ctx(SUPERVISOR)).thenThrows('formation-not-found', { code: 'NOT_FOUND' });
  });
});

describe('DecideRanking (PPPK categories)', () => {
  const competency = (applicationId: string, teknis: number) =>
    by(ADMIN, ev('CompetencyScoreRecorded', { applicationId, teknis, manajerial: 80, sosialKultural: 60, wawancara: 30, source: 'cat' }));

  it('ranks a higher priority category first, whatever the score', () => {
    const state = given(
      pppkOpened(),
      formation('F-1'),
      eligible('U', 'F-1', { pppkCategory: 'umum' }),
      competency('U', 400),
      eligible('G', 'F-1', { pppkCategory: 'p1-guru' }),
      competency('G', 200),
      eligible('T', 'F-1', { pppkCategory: 'eks-thk2' }),
      competency('T', 300),
      eligible('N', 'F-1', { pppkCategory: 'umum' }),
      ev('AbsenceRecorded', { applicationId: 'N', stage: 'kompetensi' }),
    )
      .when({ type: 'DecideRanking', formationId: 'F-1', birthDates: {} }, ctx(SUPERVISOR))
      .then([
        ev('RankingDecided', {
          formationId: 'F-1',
          ranking: [
            { applicationId: 'G', rank: 1, final: 370 },
            { applicationId: 'T', rank: 2, final: 470 },
            { applicationId: 'U', rank: 3, final: 570 },
          ],
        }),
      ]);
    expect(state.applications.get('N')?.rank).toBeNull();
  });

  it("refuses when nobody has a competency score: 'ranking-empty'", () => {
    given(pppkOpened(), formation('F-1'), eligible('U', 'F-1', { pppkCategory: 'umum' }))
      .when({ type: 'DecideRanking', formationId: 'F-1', birthDates: {} }, ctx(SUPERVISOR))
      .thenThrows('ranking-empty');
  });
});

const ranked = [
  cpnsPeriod(1),
  eligible('A'),
  eligible('B'),
  eligible('C'),
  ev('RankingDecided', {
    formationId: 'F-1',
    ranking: [
      { applicationId: 'A', rank: 1, final: 80 },
      { applicationId: 'B', rank: 2, final: 75 },
    ],
  }),
];

describe('RecordFinalDecision', () => {
  it('records L for a ranked applicant', () => {
    const state = given(ranked)
      .when({ type: 'RecordFinalDecision', applicationId: 'A', code: 'L', reference: 'PENG-AKHIR/2024' }, ctx(SUPERVISOR))
      .then([ev('FinalDecisionRecorded', { applicationId: 'A', code: 'L', reference: 'PENG-AKHIR/2024' })]);
    expect(state.applications.get('A')?.finalCode).toBe('L');
  });

  it("refuses L for an applicant not in the ranking: 'not-ranked'", () => {
    given(ranked).when({ type: 'RecordFinalDecision', applicationId: 'C', code: 'L' }, ctx(SUPERVISOR)).thenThrows('not-ranked', { field: 'code' });
    given(cpnsPeriod(), eligible('A')).when({ type: 'RecordFinalDecision', applicationId: 'A', code: 'L' }, ctx(SUPERVISOR)).thenThrows('not-ranked');
  });

  it("requires a reference for L-1, L-2, U-1, U-3 and E-1..E-3: 'decision-reference'", () => {
    for (const code of ['L-1', 'L-2', 'U-1', 'U-3', 'E-1', 'E-2', 'E-3'] as const) {
      given(ranked).when({ type: 'RecordFinalDecision', applicationId: 'C', code }, ctx(SUPERVISOR)).thenThrows('decision-reference', { field: 'reference' });
      given(ranked)
        .when({ type: 'RecordFinalDecision', applicationId: 'C', code, reference: 'KEP-OPT/2025' }, ctx(SUPERVISOR))
        .then([ev('FinalDecisionRecorded', { applicationId: 'C', code, reference: 'KEP-OPT/2025' })]);
    }
  });

  it("sends APS through ResignApplicant: 'use-resign'", () => {
    given(ranked).when({ type: 'RecordFinalDecision', applicationId: 'A', code: 'APS' }, ctx(SUPERVISOR)).thenThrows('use-resign');
  });

  it("refuses SKD cut codes as final decisions: 'final-code'", () => {
    given(ranked).when({ type: 'RecordFinalDecision', applicationId: 'A', code: 'P/L' }, ctx(SUPERVISOR)).thenThrows('final-code');
  });

  it('records TL, TH, TMS and DIS without a reference', () => {
    given(ranked).when({ type: 'RecordFinalDecision', applicationId: 'C', code: 'TL', reason: 'di luar kebutuhan' }, ctx(SUPERVISOR)).then([ev('FinalDecisionRecorded', { applicationId: 'C', code: 'TL', reason: 'di luar kebutuhan' })]);
  });
});

describe('AnnounceResults', () => {
  const hash = 'a'.repeat(64);

  it('announces a list on the formation stream, even if it differs from the decisions (detectors flag it)', () => {
    const state = given(ranked, ev('FinalDecisionRecorded', { applicationId: 'A', code: 'L' }))
      .when({ type: 'AnnounceResults', formationId: 'F-1', reference: 'PENG-AKHIR/2024', documentHash: hash, results: [{ applicationId: 'B', code: 'L' }] }, ctx(SUPERVISOR))
      .thenAppends([{ stream: 'formation-F-1', expectedVersion: 1, events: [ev('ResultsAnnounced', { formationId: 'F-1', reference: 'PENG-AKHIR/2024', documentHash: hash, results: [{ applicationId: 'B', code: 'L' }] })] }]);
    expect(state.applications.get('B')?.announcedCode).toBe('L');
    expect(state.applications.get('A')?.announcedCode).toBeNull();
  });

  it("refuses an application of another formation or none: 'unknown-application'", () => {
    given(ranked, formation('F-2'), submitted('Z', 'F-2'))
      .when({ type: 'AnnounceResults', formationId: 'F-1', reference: 'P', documentHash: hash, results: [{ applicationId: 'A', code: 'L' }, { applicationId: 'Z', code: 'L' }] }, ctx(SUPERVISOR))
      .thenThrows('unknown-application', { field: 'results.1.applicationId' });
    given(ranked)
      .when({ type: 'AnnounceResults', formationId: 'F-1', reference: 'P', documentHash: hash, results: [{ applicationId: 'nobody', code: 'L' }] }, ctx(SUPERVISOR))
      .thenThrows('unknown-application');
  });
});

describe('ResignApplicant and AppointReplacement', () => {
  const passed = [ranked, ev('FinalDecisionRecorded', { applicationId: 'A', code: 'L' })];
  const resigned = [passed, ev('ApplicantResigned', { applicationId: 'A', reason: 'diterima di instansi lain' })];
  const replace = { type: 'AppointReplacement', formationId: 'F-1', resignedApplicationId: 'A', replacementApplicationId: 'B', reference: 'KEP-PENGGANTI/2025' } as const;

  it('records a resignation (APS) after L', () => {
    const state = given(passed).when({ type: 'ResignApplicant', applicationId: 'A', reason: 'mengundurkan diri' }, ctx(PORTAL)).then([ev('ApplicantResigned', { applicationId: 'A', reason: 'mengundurkan diri' })]);
    expect(state.applications.get('A')?.resigned?.reason).toBe('mengundurkan diri');
  });

  it("refuses a resignation before an L-type decision, or a second one: 'resign-state'", () => {
    given(ranked).when({ type: 'ResignApplicant', applicationId: 'A', reason: 'x' }, ctx(PORTAL)).thenThrows('resign-state');
    given(ranked, ev('FinalDecisionRecorded', { applicationId: 'C', code: 'TL' })).when({ type: 'ResignApplicant', applicationId: 'C', reason: 'x' }, ctx(PORTAL)).thenThrows('resign-state');
    given(resigned).when({ type: 'ResignApplicant', applicationId: 'A', reason: 'x' }, ctx(PORTAL)).thenThrows('resign-state');
  });

  it('appoints the next-ranked applicant in place of one who resigned', () => {
    const { type: _t, ...payload } = replace;
    const state = given(resigned).when(replace, ctx(SUPERVISOR)).thenAppends([{ stream: 'formation-F-1', expectedVersion: 1, events: [ev('ReplacementAppointed', payload)] }]);
    expect(state.applications.get('A')?.replacedBy).toBe('B');
    expect(state.applications.get('B')?.replaces).toBe('A');
  });

  it("refuses to replace someone who did not resign: 'not-resigned'", () => {
    given(passed).when(replace, ctx(SUPERVISOR)).thenThrows('not-resigned');
  });

  it("refuses a replacement not in the ranking or already passed: 'replacement-eligible'", () => {
    given(resigned).when({ ...replace, replacementApplicationId: 'C' }, ctx(SUPERVISOR)).thenThrows('replacement-eligible');
    given(resigned, ev('FinalDecisionRecorded', { applicationId: 'B', code: 'L' })).when(replace, ctx(SUPERVISOR)).thenThrows('replacement-eligible');
  });

  it("refuses a second replacement of the same slot: 'replacement-exists'", () => {
    given(resigned, ev('ReplacementAppointed', { formationId: 'F-1', resignedApplicationId: 'A', replacementApplicationId: 'B', reference: 'K' }))
      .when({ ...replace, replacementApplicationId: 'C' }, ctx(SUPERVISOR))
      .thenThrows('replacement-exists');
  });

  it('refuses unknown applications: NOT_FOUND naming the field', () => {
    given(resigned).when({ ...replace, resignedApplicationId: 'nobody' }, ctx(SUPERVISOR)).thenThrows('application-not-found', { code: 'NOT_FOUND', field: 'resignedApplicationId' });
    given(resigned).when({ ...replace, replacementApplicationId: 'nobody' }, ctx(SUPERVISOR)).thenThrows('application-not-found', { field: 'replacementApplicationId' });
  });
});

describe('ErasePersonalData', () => {
  const erase = { type: 'ErasePersonalData', applicationId: 'A', legalBasis: 'UU 27/2022 Ps 8', requestRef: 'PDP-REQ-1' } as const;

  it("erases the applicant's subject on the application stream and keeps the blind indexes", () => {
    const state = given(cpnsPeriod(), submitted('A'))
      .when(erase, ctx(ADMIN))
      .thenAppends([{ stream: 'application-A', expectedVersion: 0, events: [ev('PersonalDataErased', { subject: 'subj-A', legalBasis: 'UU 27/2022 Ps 8', requestRef: 'PDP-REQ-1' })] }]);
    const app = state.applications.get('A');
    expect(app?.personal).toBeNull();
    expect(app?.erased?.requestRef).toBe('PDP-REQ-1');
    expect(app?.indexes.nik).toMatch(/^[0-9a-f]{32}$/);
  });

  it("erases once: 'already-erased'", () => {
    given(cpnsPeriod(), submitted('A'), ev('PersonalDataErased', { subject: 'subj-A', legalBasis: 'x', requestRef: 'y' })).when(erase, ctx(ADMIN)).thenThrows('already-erased');
  });

  it("is an admin's act: 'role'", () => {
    given(cpnsPeriod(), submitted('A')).when(erase, ctx(SUPERVISOR)).thenThrows('role');
  });
});
