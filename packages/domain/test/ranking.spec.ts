import { describe, expect, it } from 'vitest';
import { expectDomainError } from './given.ts';
import type { Track } from '../src/events.ts';
import {
  checkCompetencyScore,
  checkSkdScore,
  compareSkd,
  decideSkdCut,
  finalScore,
  passesSkd,
  rankIntegration,
  rankPppk,
  skbPercent,
  skdTotal,
} from '../src/ranking.ts';
import type { CompetencyScore, IntegrationCandidate, PppkCandidate, SkdCandidate, SkdScore } from '../src/ranking.ts';
import { getRuleSet } from '../src/rules.ts';
import type { RuleSet } from '../src/rules.ts';


const casn2023 = getRuleSet('casn-2023');
const casn2024 = getRuleSet('casn-2024');
const pppk2024 = getRuleSet('pppk-2024');
const s = (twk: number, tiu: number, tkp: number): SkdScore => ({ twk, tiu, tkp });
const ids = (rows: readonly { applicationId: string }[]): string[] => rows.map((r) => r.applicationId);

describe('skdTotal and checkSkdScore', () => {
  it('adds the three parts', () => {
    expect(skdTotal(s(150, 175, 225))).toBe(550);
    expect(skdTotal(s(65, 80, 166))).toBe(311);
  });

  it('accepts 0 and each maximum', () => {
    expect(() => checkSkdScore(casn2024, s(0, 0, 0))).not.toThrow();
    expect(() => checkSkdScore(casn2024, s(150, 175, 225))).not.toThrow();
    expect(() => checkSkdScore(casn2024, s(65, 80, 167))).not.toThrow();
  });

  it.each([
    ['TWK above 150', s(155, 80, 166), 'twk'],
    ['TWK not a multiple of 5', s(62, 80, 166), 'twk'],
    ['TWK negative', s(-5, 80, 166), 'twk'],
    ['TIU above 175', s(65, 180, 166), 'tiu'],
    ['TIU not a multiple of 5', s(65, 81, 166), 'tiu'],
    ['TIU not a number', s(65, Number.NaN, 166), 'tiu'],
    ['TKP above 225', s(65, 80, 226), 'tkp'],
    ['TKP fractional', s(65, 80, 166.5), 'tkp'],
    ['TKP negative', s(65, 80, -1), 'tkp'],
  ])('refuses %s', (_label, score, field) => {
    const err = expectDomainError(() => checkSkdScore(casn2024, score), 'score-range', { field });
    expect(err.message).not.toMatch(/-5|62|81|226|166\.5/);
  });

  it('refuses an SKD score under a PPPK rule set', () => {
    expectDomainError(() => checkSkdScore(pppk2024, s(65, 80, 166)), 'stage-not-in-rule-set', { field: 'rules' });
  });
});

describe('passesSkd', () => {
  it.each([casn2023, casn2024])('$id umum: TWK 65, TIU 80, TKP 166 exactly met passes, one point below any fails', (rules) => {
    expect(passesSkd(rules, 'umum', s(65, 80, 166))).toBe(true);
    expect(passesSkd(rules, 'umum', s(64, 80, 166))).toBe(false);
    expect(passesSkd(rules, 'umum', s(65, 79, 166))).toBe(false);
    expect(passesSkd(rules, 'umum', s(65, 80, 165))).toBe(false);
    // the next valid TWK/TIU scores below the grade (steps of 5)
    expect(passesSkd(rules, 'umum', s(60, 175, 225))).toBe(false);
    expect(passesSkd(rules, 'umum', s(150, 75, 225))).toBe(false);
  });

  const special: [Track, number, number][] = [
    ['cumlaude', 311, 85],
    ['diaspora', 311, 85],
    ['disabilitas', 286, 60],
    ['papua', 286, 60],
    ['tertinggal', 286, 60],
  ];
  it.each(special)('casn-2024 %s: total >= %i and TIU >= %i, each exactly met passes, one below fails', (track, total, tiu) => {
    const tkp = (t: number, twk: number, tiuScore: number): number => t - twk - tiuScore;
    expect(passesSkd(casn2024, track, s(60, tiu, tkp(total, 60, tiu)))).toBe(true);
    expect(passesSkd(casn2024, track, s(60, tiu, tkp(total - 1, 60, tiu)))).toBe(false);
    expect(passesSkd(casn2024, track, s(60, tiu - 1, tkp(total, 60, tiu - 1)))).toBe(false);
    expect(passesSkd(casn2024, track, s(60, tiu - 5, tkp(total, 60, tiu - 5)))).toBe(false);
  });

  it('casn-2024 special tracks set no TWK or TKP minimum', () => {
    expect(passesSkd(casn2024, 'cumlaude', s(5, 85, 225))).toBe(true);
    expect(passesSkd(casn2024, 'papua', s(150, 60, 76))).toBe(true);
    // the umum grade would fail both
    expect(passesSkd(casn2024, 'umum', s(5, 85, 225))).toBe(false);
    expect(passesSkd(casn2024, 'umum', s(150, 60, 76))).toBe(false);
  });

  it.each(['cumlaude', 'diaspora', 'disabilitas', 'papua', 'tertinggal'] as const)('casn-2023 %s has no verified grade', (track) => {
    expectDomainError(() => passesSkd(casn2023, track, s(150, 175, 225)), 'no-passing-grade', { field: 'track' });
  });

  it('a PPPK rule set has no passing grade', () => {
    expectDomainError(() => passesSkd(pppk2024, 'umum', s(150, 175, 225)), 'no-passing-grade', { field: 'track' });
  });
});

describe('compareSkd', () => {
  it('orders by total first, whatever the parts', () => {
    expect(compareSkd(s(65, 80, 170), s(150, 175, 166))).toBeGreaterThan(0);
    expect(compareSkd(s(150, 175, 166), s(65, 80, 170))).toBeLessThan(0);
  });

  it('then by TKP, over a higher TIU or TWK', () => {
    expect(compareSkd(s(100, 100, 200), s(100, 105, 195))).toBeLessThan(0);
    expect(compareSkd(s(100, 100, 200), s(105, 100, 195))).toBeLessThan(0);
  });

  it('then by TIU, over a higher TWK (with equal total and TKP, TWK itself can never differ)', () => {
    expect(compareSkd(s(95, 105, 200), s(100, 100, 200))).toBeLessThan(0);
    expect(compareSkd(s(100, 100, 200), s(95, 105, 200))).toBeGreaterThan(0);
  });

  it('is 0 for identical scores', () => {
    expect(compareSkd(s(100, 100, 200), s(100, 100, 200))).toBe(0);
  });
});

describe('decideSkdCut', () => {
  // Eight umum passers with distinct totals 470, 465, …, 440, 437.
  const distinct: SkdCandidate[] = [200, 195, 190, 185, 180, 175, 170, 167].map((tkp, i) => ({ applicationId: `c${i + 1}`, score: s(120, 150, tkp) }));
  const withSeventh = (score: SkdScore): SkdCandidate[] => distinct.map((c) => (c.applicationId === 'c7' ? { applicationId: 'c7', score } : c));
  const codes = (rows: readonly { applicationId: string; rank: number | null; code: string }[]): string[] => rows.map((r) => `${r.applicationId}:${r.rank}:${r.code}`);

  it('quota 2 → the best 6 proceed (P/L), the other passers are P', () => {
    expect(codes(decideSkdCut(casn2024, 'umum', 2, distinct))).toEqual([
      'c1:1:P/L',
      'c2:2:P/L',
      'c3:3:P/L',
      'c4:4:P/L',
      'c5:5:P/L',
      'c6:6:P/L',
      'c7:7:P',
      'c8:8:P',
    ]);
  });

  it('a 7th tied with the 6th on every key shares rank 6 and proceeds; the next ranks 8', () => {
    const out = codes(decideSkdCut(casn2024, 'umum', 2, withSeventh(s(120, 150, 175))));
    expect(out.slice(5)).toEqual(['c6:6:P/L', 'c7:6:P/L', 'c8:8:P']);
  });

  it('a 7th tied on total but with a lower TKP does not proceed', () => {
    const out = codes(decideSkdCut(casn2024, 'umum', 2, withSeventh(s(125, 150, 170))));
    expect(out.slice(5)).toEqual(['c6:6:P/L', 'c7:7:P', 'c8:8:P']);
  });

  it('a 7th tied on total and TKP but with a lower TIU (and higher TWK) does not proceed', () => {
    const out = codes(decideSkdCut(casn2024, 'umum', 2, withSeventh(s(125, 145, 175))));
    expect(out.slice(5)).toEqual(['c6:6:P/L', 'c7:7:P', 'c8:8:P']);
  });

  it('a tie straddling the cut (5th to 7th) all proceed', () => {
    const tied = distinct.map((c) => (['c5', 'c6', 'c7'].includes(c.applicationId) ? { applicationId: c.applicationId, score: s(120, 150, 175) } : c));
    expect(codes(decideSkdCut(casn2024, 'umum', 2, tied)).slice(4)).toEqual(['c5:5:P/L', 'c6:5:P/L', 'c7:5:P/L', 'c8:8:P']);
  });

  it('gives competition ranks: ties share a rank, the next rank skips, ties ordered by applicationId', () => {
    const out = decideSkdCut(casn2024, 'umum', 10, [
      { applicationId: 'z', score: s(120, 150, 200) },
      { applicationId: 'a', score: s(120, 150, 200) },
      { applicationId: 'm', score: s(120, 150, 190) },
    ]);
    expect(codes(out)).toEqual(['a:1:P/L', 'z:1:P/L', 'm:3:P/L']);
  });

  it('a large tie at the top takes everyone in it past the cut', () => {
    const five = ['e', 'd', 'c', 'b', 'a'].map((id) => ({ applicationId: id, score: s(100, 100, 200) }));
    expect(codes(decideSkdCut(casn2024, 'umum', 1, five))).toEqual(['a:1:P/L', 'b:1:P/L', 'c:1:P/L', 'd:1:P/L', 'e:1:P/L']);
  });

  it('takes the multiplier from the rule set', () => {
    const skd = casn2024.skd;
    if (!skd) throw new Error('casn-2024 has an SKD');
    const oneTimes: RuleSet = { ...casn2024, skd: { ...skd, cutMultiplier: 1 } };
    expect(codes(decideSkdCut(oneTimes, 'umum', 2, distinct.slice(0, 3)))).toEqual(['c1:1:P/L', 'c2:2:P/L', 'c3:3:P']);
  });

  it('lists passers, then TL, TH and DIS each by applicationId, whatever the input order', () => {
    const candidates: SkdCandidate[] = [
      { applicationId: 'd2', absent: true, disqualified: true },
      { applicationId: 'f1', score: s(60, 175, 225) }, // total 460 but TWK below 65
      { applicationId: 'h2', absent: true },
      { applicationId: 'p2', score: s(65, 80, 166) },
      { applicationId: 'd1', score: s(150, 175, 225), disqualified: true },
      { applicationId: 'f0', score: s(65, 80, 165) },
      { applicationId: 'h1', absent: true, score: s(150, 175, 225) },
      { applicationId: 'p1', score: s(100, 100, 200) },
    ];
    const expected = [
      { applicationId: 'p1', rank: 1, total: 400, code: 'P/L' },
      { applicationId: 'p2', rank: 2, total: 311, code: 'P/L' },
      { applicationId: 'f0', rank: null, total: 310, code: 'TL' },
      { applicationId: 'f1', rank: null, total: 460, code: 'TL' },
      { applicationId: 'h1', rank: null, total: null, code: 'TH' },
      { applicationId: 'h2', rank: null, total: null, code: 'TH' },
      { applicationId: 'd1', rank: null, total: null, code: 'DIS' },
      { applicationId: 'd2', rank: null, total: null, code: 'DIS' },
    ];
    expect(decideSkdCut(casn2024, 'umum', 1, candidates)).toEqual(expected);
    expect(decideSkdCut(casn2024, 'umum', 1, [...candidates].reverse())).toEqual(expected);
  });

  it('applies the track’s passing grade', () => {
    const out = decideSkdCut(casn2024, 'cumlaude', 1, [
      { applicationId: 'a', score: s(60, 85, 166) }, // total 311, TIU 85
      { applicationId: 'b', score: s(150, 80, 225) }, // total 455, TIU 80 < 85
      { applicationId: 'c', score: s(150, 175, 225) },
    ]);
    expect(codes(out)).toEqual(['c:1:P/L', 'a:2:P/L', 'b:null:TL']);
  });

  it('returns nothing for no candidates', () => {
    expect(decideSkdCut(casn2024, 'umum', 3, [])).toEqual([]);
  });

  it('refuses a present candidate without a score, and an invalid score', () => {
    expectDomainError(() => decideSkdCut(casn2024, 'umum', 1, [{ applicationId: 'x' }]), 'score-missing', { field: 'score' });
    expectDomainError(() => decideSkdCut(casn2024, 'umum', 1, [{ applicationId: 'x', score: s(62, 80, 166) }]), 'score-range', { field: 'twk' });
  });

  it('refuses a track without a grade and a rule set without SKD', () => {
    expectDomainError(() => decideSkdCut(casn2023, 'papua', 1, [{ applicationId: 'x', score: s(65, 80, 166) }]), 'no-passing-grade');
    expectDomainError(() => decideSkdCut(pppk2024, 'umum', 1, []), 'stage-not-in-rule-set', { field: 'rules' });
  });
});

describe('skbPercent', () => {
  it('weights the mean of each part’s examiner scores', () => {
    // cat 80 × 0.5 = 40; practical mean (70 + 75 + 90) / 3 = 78.333… × 0.4 = 31.333…;
    // interview mean (60 + 65) / 2 = 62.5 × 0.1 = 6.25; sum 77.58333… → 77.583
    expect(skbPercent({ cat: 0.5, practical: 0.4, interview: 0.1 }, { cat: [80], practical: [70, 75, 90], interview: [60, 65] })).toBe(77.583);
  });

  it('rounds half up to 3 decimals', () => {
    // cat 80.001 × 0.5 = 40.0005; practical 80 × 0.5 = 40; sum 80.0005 → 80.001
    expect(skbPercent({ cat: 0.5, practical: 0.5 }, { cat: [80.001], practical: [80] })).toBe(80.001);
    // (2/3) × 100 = 66.666… → 66.667
    expect(skbPercent({ cat: 1 }, { cat: [100, 100, 0] })).toBe(66.667);
  });

  it('is undefined while a weighted part has no score', () => {
    expect(skbPercent({ cat: 0.5, practical: 0.4, interview: 0.1 }, { cat: [80], practical: [70] })).toBeUndefined();
    expect(skbPercent({ cat: 0.5, practical: 0.5 }, { cat: [80], practical: [] })).toBeUndefined();
    expect(skbPercent({ cat: 1 }, {})).toBeUndefined();
  });

  it('ignores parts weighted 0 or not weighted at all', () => {
    expect(skbPercent({ cat: 1, interview: 0 }, { cat: [72.5] })).toBe(72.5);
    expect(skbPercent({ cat: 1 }, { cat: [72.5], psychology: [10, 20] })).toBe(72.5);
  });
});

describe('finalScore', () => {
  it('is 40% × SKD/550 × 100 + 60% × SKB%, by hand', () => {
    // 440/550 × 100 = 80 → × 0.4 = 32; 75 × 0.6 = 45; 32 + 45 = 77
    expect(finalScore(casn2024, s(120, 140, 180), 75)).toBe(77);
    // 400/550 × 100 = 72.7272… → × 0.4 = 29.0909…; 82.5 × 0.6 = 49.5; 78.5909… → 78.591
    expect(finalScore(casn2024, s(100, 120, 180), 82.5)).toBe(78.591);
    // 311/550 × 100 = 56.5454… → × 0.4 = 22.6181…; 0 × 0.6 = 0 → 22.618
    expect(finalScore(casn2024, s(65, 80, 166), 0)).toBe(22.618);
    expect(finalScore(casn2023, s(150, 175, 225), 100)).toBe(100);
    expect(finalScore(casn2023, s(0, 0, 0), 0)).toBe(0);
  });

  it('rounds an exact half up, even where binary arithmetic lands just below it', () => {
    // 32 + 60.3475 × 0.6 = 32 + 36.2085 = 68.2085 exactly → 68.209
    // (the float sum is 68.20849999999999, which naive rounding would take down to 68.208)
    expect(finalScore(casn2024, s(120, 140, 180), 60.3475)).toBe(68.209);
    // 32 + 80.0125 × 0.6 = 32 + 48.0075 = 80.0075 → 80.008
    expect(finalScore(casn2024, s(120, 140, 180), 80.0125)).toBe(80.008);
    // 32 + 80.0115 × 0.6 = 32 + 48.0069 = 80.0069 → 80.007; 80.0105 × 0.6 = 48.0063 → 80.006
    expect(finalScore(casn2024, s(120, 140, 180), 80.0115)).toBe(80.007);
    expect(finalScore(casn2024, s(120, 140, 180), 80.0105)).toBe(80.006);
  });

  it('refuses an SKB% outside 0–100, a bad SKD score and a rule set without integration', () => {
    expectDomainError(() => finalScore(casn2024, s(120, 140, 180), 100.001), 'score-range', { field: 'skbPercent' });
    expectDomainError(() => finalScore(casn2024, s(120, 140, 180), -1), 'score-range', { field: 'skbPercent' });
    expectDomainError(() => finalScore(casn2024, s(120, 140, 226), 50), 'score-range', { field: 'tkp' });
    expectDomainError(() => finalScore(pppk2024, s(120, 140, 180), 50), 'stage-not-in-rule-set', { field: 'rules' });
  });
});

describe('rankIntegration', () => {
  const base = { skd: s(120, 140, 180), skbPercent: 80 }; // final 32 + 48 = 80
  const order = (candidates: IntegrationCandidate[]): string[] => ids(rankIntegration(casn2024, candidates));

  it('ranks by final score, 1..n, returning the final', () => {
    expect(
      rankIntegration(casn2024, [
        { applicationId: 'low', skd: s(120, 140, 180), skbPercent: 70 }, // 32 + 42 = 74
        { applicationId: 'high', skd: s(120, 140, 180), skbPercent: 90 }, // 32 + 54 = 86
        { applicationId: 'mid', skd: s(150, 175, 225), skbPercent: 50 }, // 40 + 30 = 70
      ]),
    ).toEqual([
      { applicationId: 'high', rank: 1, final: 86 },
      { applicationId: 'low', rank: 2, final: 74 },
      { applicationId: 'mid', rank: 3, final: 70 },
    ]);
  });

  it('on equal finals, the higher SKD total first, over a higher SKB', () => {
    // a: 473/550 × 40 = 34.4, 80 × 0.6 = 48 → 82.4; b: 440 → 32, 84 × 0.6 = 50.4 → 82.4
    const out = rankIntegration(casn2024, [
      { applicationId: 'b', skd: s(120, 140, 180), skbPercent: 84 },
      { applicationId: 'a', skd: s(120, 150, 203), skbPercent: 80 },
    ]);
    expect(out).toEqual([
      { applicationId: 'a', rank: 1, final: 82.4 },
      { applicationId: 'b', rank: 2, final: 82.4 },
    ]);
  });

  it('compares finals as published (3 decimals), so a sub-rounding difference does not decide', () => {
    // a: 32 + 80.0005 × 0.6 = 80.0003 → 80; b: 80; b has the higher TKP
    const out = rankIntegration(casn2024, [
      { applicationId: 'a', skd: s(120, 145, 175), skbPercent: 80.0005 },
      { applicationId: 'b', skd: s(120, 140, 180), skbPercent: 80 },
    ]);
    expect(out.map((r) => [r.applicationId, r.final])).toEqual([
      ['b', 80],
      ['a', 80],
    ]);
  });

  it('then the higher TKP, over a higher TIU, IPK or age', () => {
    expect(
      order([
        { applicationId: 'b', ...base, skd: s(120, 145, 175), ipk: 4, birthDate: '1980-01-01' },
        { applicationId: 'a', ...base, skd: s(120, 140, 180), ipk: 2.5, birthDate: '2000-01-01' },
      ]),
    ).toEqual(['a', 'b']);
  });

  it('then the higher TIU, over a higher TWK', () => {
    expect(order([{ applicationId: 'b', ...base, skd: s(120, 140, 180) }, { applicationId: 'a', ...base, skd: s(115, 145, 180) }])).toEqual(['a', 'b']);
  });

  it('then the higher IPK, over age', () => {
    expect(
      order([
        { applicationId: 'a', ...base, ipk: 3.5, birthDate: '1990-01-01' },
        { applicationId: 'b', ...base, ipk: 3.8, birthDate: '1995-01-01' },
      ]),
    ).toEqual(['b', 'a']);
  });

  it('uses the ijazah average when neither has an IPK', () => {
    expect(
      order([
        { applicationId: 'a', ...base, average: 85, birthDate: '1990-01-01' },
        { applicationId: 'b', ...base, average: 90, birthDate: '1995-01-01' },
      ]),
    ).toEqual(['b', 'a']);
  });

  it('uses the average when only one has an IPK but both have an average', () => {
    expect(
      order([
        { applicationId: 'a', ...base, ipk: 3.9, average: 80 },
        { applicationId: 'b', ...base, average: 90 },
      ]),
    ).toEqual(['b', 'a']);
  });

  it('skips the education key when one has only an IPK and the other only an average (no IPK × 25)', () => {
    // 3.9 × 25 = 97.5 < 99 would put b first; the key is skipped, so age decides
    expect(
      order([
        { applicationId: 'b', ...base, average: 99, birthDate: '1995-01-01' },
        { applicationId: 'a', ...base, ipk: 3.9, birthDate: '1990-01-01' },
      ]),
    ).toEqual(['a', 'b']);
    expect(
      order([
        { applicationId: 'b', ...base, average: 99, birthDate: '1990-01-01' },
        { applicationId: 'a', ...base, ipk: 3.9, birthDate: '1995-01-01' },
      ]),
    ).toEqual(['b', 'a']);
  });

  it('then the older candidate, with an unknown birth date after a known one', () => {
    expect(
      order([
        { applicationId: 'a', ...base, ipk: 3.5 },
        { applicationId: 'b', ...base, ipk: 3.5, birthDate: '1990-06-02' },
        { applicationId: 'c', ...base, ipk: 3.5, birthDate: '1990-06-01' },
      ]),
    ).toEqual(['c', 'b', 'a']);
  });

  it('orders a complete tie by applicationId', () => {
    expect(
      rankIntegration(casn2024, [
        { applicationId: 'b', ...base },
        { applicationId: 'c', ...base },
        { applicationId: 'a', ...base },
      ]),
    ).toEqual([
      { applicationId: 'a', rank: 1, final: 80 },
      { applicationId: 'b', rank: 2, final: 80 },
      { applicationId: 'c', rank: 3, final: 80 },
    ]);
  });

  it('refuses a PPPK rule set', () => {
    expectDomainError(() => rankIntegration(pppk2024, [{ applicationId: 'a', ...base }]), 'stage-not-in-rule-set', { field: 'rules' });
  });
});

describe('checkCompetencyScore', () => {
  const c = (teknis: number, manajerial: number, sosialKultural: number, wawancara: number): CompetencyScore => ({ teknis, manajerial, sosialKultural, wawancara });

  it('accepts 0 and the maxima (450, 180 together, 40)', () => {
    expect(() => checkCompetencyScore(pppk2024, c(0, 0, 0, 0))).not.toThrow();
    expect(() => checkCompetencyScore(pppk2024, c(450, 100, 80, 40))).not.toThrow();
    expect(() => checkCompetencyScore(pppk2024, c(445, 0, 180, 39))).not.toThrow();
  });

  it.each([
    ['teknis above 450', c(455, 100, 80, 40), 'teknis'],
    ['teknis not a multiple of 5', c(447, 100, 80, 40), 'teknis'],
    ['manajerial negative', c(400, -1, 80, 40), 'manajerial'],
    ['sosialKultural fractional', c(400, 100, 79.5, 40), 'sosialKultural'],
    ['manajerial + sosialKultural 181', c(400, 101, 80, 40), 'manajerialSosialKultural'],
    ['wawancara 41', c(400, 100, 80, 41), 'wawancara'],
  ])('refuses %s', (_label, score, field) => {
    expectDomainError(() => checkCompetencyScore(pppk2024, score), 'score-range', { field });
  });

  it('refuses a CPNS rule set', () => {
    expectDomainError(() => checkCompetencyScore(casn2024, c(0, 0, 0, 0)), 'stage-not-in-rule-set', { field: 'rules' });
  });
});

describe('rankPppk', () => {
  const score = (teknis: number, manajerial: number, sosialKultural: number, wawancara: number): CompetencyScore => ({ teknis, manajerial, sosialKultural, wawancara });

  it('puts a lower score in a higher category first, in the Kepmen 347/2024 order', () => {
    const out = rankPppk(pppk2024, [
      { applicationId: 'umum', category: 'umum', score: score(450, 100, 80, 40) },
      { applicationId: 'aktif', category: 'non-asn-aktif', score: score(400, 100, 80, 40) },
      { applicationId: 'bkn', category: 'non-asn-bkn', score: score(300, 100, 80, 40) },
      { applicationId: 'thk2', category: 'eks-thk2', score: score(200, 100, 80, 40) },
      { applicationId: 'guru', category: 'p1-guru', score: score(100, 50, 40, 10) },
    ]);
    expect(out).toEqual([
      { applicationId: 'guru', rank: 1, final: 200 },
      { applicationId: 'thk2', rank: 2, final: 420 },
      { applicationId: 'bkn', rank: 3, final: 520 },
      { applicationId: 'aktif', rank: 4, final: 620 },
      { applicationId: 'umum', rank: 5, final: 670 },
    ]);
  });

  const ranked = (candidates: PppkCandidate[]): string[] => ids(rankPppk(pppk2024, candidates));

  it('within a category: total, then teknis (over wawancara), then wawancara', () => {
    expect(ranked([{ applicationId: 'a', category: 'umum', score: score(400, 100, 60, 30) }, { applicationId: 'b', category: 'umum', score: score(400, 100, 60, 35) }])).toEqual(['b', 'a']);
    // both 590: a has the higher teknis, b the higher wawancara
    expect(ranked([{ applicationId: 'b', category: 'umum', score: score(395, 100, 60, 35) }, { applicationId: 'a', category: 'umum', score: score(400, 100, 60, 30) }])).toEqual(['a', 'b']);
    // both 590 with teknis 400: a has the higher wawancara
    expect(ranked([{ applicationId: 'b', category: 'umum', score: score(400, 100, 60, 30) }, { applicationId: 'a', category: 'umum', score: score(400, 100, 55, 35) }])).toEqual(['a', 'b']);
  });

  it('then older first (unknown birth date last), then applicationId', () => {
    const same = score(400, 100, 60, 30);
    expect(
      ranked([
        { applicationId: 'a', category: 'umum', score: same },
        { applicationId: 'd', category: 'umum', score: same },
        { applicationId: 'b', category: 'umum', score: same, birthDate: '1992-03-04' },
        { applicationId: 'c', category: 'umum', score: same, birthDate: '1988-03-04' },
      ]),
    ).toEqual(['c', 'b', 'a', 'd']);
  });

  it('refuses a category outside the rule set, an invalid score and a CPNS rule set', () => {
    const competency = pppk2024.competency;
    if (!competency) throw new Error('pppk-2024 has a competency stage');
    const guruOnly: RuleSet = { ...pppk2024, competency: { ...competency, categories: ['p1-guru'] } };
    expectDomainError(() => rankPppk(guruOnly, [{ applicationId: 'a', category: 'umum', score: score(0, 0, 0, 0) }]), 'pppk-category', { field: 'category' });
    expectDomainError(() => rankPppk(pppk2024, [{ applicationId: 'a', category: 'umum', score: score(452, 0, 0, 0) }]), 'score-range', { field: 'teknis' });
    expectDomainError(() => rankPppk(casn2024, []), 'stage-not-in-rule-set', { field: 'rules' });
  });
});
