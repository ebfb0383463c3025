import { describe, expect, it } from 'vitest';
import { explainFlag } from '../src/index.ts';
import { openedPeriod, run } from './helpers.ts';

const D = 'ranking-skip';

/** f1 with R1..R4 ranked 1..4. */
function ranked() {
  const b = openedPeriod();
  const ids = ['R1', 'R2', 'R3', 'R4'];
  for (const id of ids) b.submit(id, {});
  for (const id of ids) b.verify(id, 'ver-1', 'sup-1');
  b.at('2024-12-04 09:30');
  const ranking = b.add('RankingDecided', { formationId: 'f1', ranking: ids.map((applicationId, i) => ({ applicationId, rank: i + 1, final: 80 - i })) }, { actor: 'sup-1' });
  b.at('2024-12-05 10:00');
  return { b, ranking };
}

describe('ranking-skip', () => {
  it('flags a lower-ranked applicant passed over a higher-ranked one left TL with no code', () => {
    const { b, ranking } = ranked();
    b.add('FinalDecisionRecorded', { applicationId: 'R1', code: 'L' }, { actor: 'sup-1' });
    const tl = b.add('FinalDecisionRecorded', { applicationId: 'R2', code: 'TL' }, { actor: 'sup-1' });
    const l = b.add('FinalDecisionRecorded', { applicationId: 'R3', code: 'L' }, { actor: 'sup-1' });
    b.add('FinalDecisionRecorded', { applicationId: 'R4', code: 'TL' }, { actor: 'sup-1' });
    const flags = run(D, b);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ key: 'f1:R3:R2', severity: 'high', formationId: 'f1', applications: ['R2', 'R3'], entries: [ranking, tl, l] });
    expect(flags[0]!.facts).toMatchObject({ passed: 'R3', passedRank: 3, passedCode: 'L', skipped: 'R2', skippedRank: 2, skippedCode: 'TL', decidedBy: 'sup-1' });
    expect(explainFlag(flags[0]!).en).toContain('ranked higher (2)');
  });

  it('flags a skipped applicant with no decision at all, and an optimalisasi code below', () => {
    const { b } = ranked();
    b.add('FinalDecisionRecorded', { applicationId: 'R1', code: 'L' }, { actor: 'sup-1' });
    b.add('FinalDecisionRecorded', { applicationId: 'R3', code: 'U-1', reference: 'Optimalisasi 1' }, { actor: 'sup-1' });
    expect(run(D, b).map((f) => [f.key, f.facts.skippedCode])).toEqual([['f1:R3:R2', 'none']]);
  });

  describe('near misses', () => {
    it('higher-ranked applicants who resigned, were disqualified, were absent or are TMS', () => {
      const { b } = ranked();
      b.add('FinalDecisionRecorded', { applicationId: 'R1', code: 'L' }, { actor: 'sup-1' });
      b.add('ApplicantResigned', { applicationId: 'R1', reason: 'Diterima di instansi lain' }, { actor: 'portal-1' });
      b.add('ApplicantDisqualified', { applicationId: 'R2', reason: 'Joki', reference: 'BA-1' }, { actor: 'sup-1' });
      b.add('FinalDecisionRecorded', { applicationId: 'R2', code: 'DIS' }, { actor: 'sup-1' });
      b.add('FinalDecisionRecorded', { applicationId: 'R3', code: 'TH' }, { actor: 'sup-1' });
      b.add('FinalDecisionRecorded', { applicationId: 'R4', code: 'L' }, { actor: 'sup-1' });
      expect(run(D, b)).toEqual([]);
    });

    it('passing in rank order, and a replacement after a resignation (APS)', () => {
      const { b } = ranked();
      b.add('FinalDecisionRecorded', { applicationId: 'R1', code: 'L' }, { actor: 'sup-1' });
      b.add('FinalDecisionRecorded', { applicationId: 'R2', code: 'L' }, { actor: 'sup-1' });
      b.add('FinalDecisionRecorded', { applicationId: 'R3', code: 'TL' }, { actor: 'sup-1' });
      b.add('FinalDecisionRecorded', { applicationId: 'R4', code: 'TL' }, { actor: 'sup-1' });
      b.add('ApplicantResigned', { applicationId: 'R2', reason: 'APS' }, { actor: 'portal-1' });
      b.add('ReplacementAppointed', { formationId: 'f1', resignedApplicationId: 'R2', replacementApplicationId: 'R3', reference: 'BKN-1' }, { actor: 'sup-1' });
      b.add('FinalDecisionRecorded', { applicationId: 'R3', code: 'L', reference: 'BKN-1' }, { actor: 'sup-1' });
      expect(run(D, b)).toEqual([]);
    });

    it('the latest ranking counts, not an earlier one', () => {
      const { b } = ranked();
      b.add('RankingDecided', { formationId: 'f1', ranking: [{ applicationId: 'R2', rank: 1, final: 90 }, { applicationId: 'R1', rank: 2, final: 80 }] }, { actor: 'sup-1' });
      b.add('FinalDecisionRecorded', { applicationId: 'R2', code: 'L' }, { actor: 'sup-1' });
      b.add('FinalDecisionRecorded', { applicationId: 'R1', code: 'TL' }, { actor: 'sup-1' });
      expect(run(D, b)).toEqual([]);
    });
  });
});
