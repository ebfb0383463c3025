import { describe, expect, it } from 'vitest';
import { explainFlag } from '../src/index.ts';
import { openedPeriod, run } from './helpers.ts';

const D = 'manual-cat-override';

function sitting() {
  const b = openedPeriod();
  b.submit('A1', {});
  b.verify('A1', 'ver-1', 'sup-1');
  return b;
}

describe('manual-cat-override', () => {
  it('flags a hand-typed SKD score that the later CAT import contradicts', () => {
    const b = sitting();
    b.at('2024-10-14 11:20');
    const manual = b.add('SkdScoreRecorded', { applicationId: 'A1', twk: 120, tiu: 115, tkp: 174, source: 'manual' }, { actor: 'ver-4' });
    b.at('2024-10-14 17:30');
    const cat = b.add('SkdScoreRecorded', { applicationId: 'A1', twk: 105, tiu: 95, tkp: 163, source: 'cat' }, { actor: 'operator-cat' });
    const flags = run(D, b);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ key: 'A1:skd', severity: 'high', actors: ['ver-4'], applications: ['A1'], entries: [manual, cat] });
    expect(flags[0]!.facts).toEqual({ score: 'skd', parts: 'twk,tiu,tkp', manualValues: 1, manualFirst: true, totalDelta: 46 });
    expect(explainFlag(flags[0]!).id).toContain('secara manual sebelum impor CAT BKN');
  });

  it('flags a manual SKB-CAT value typed after the import, and a PPPK competency override', () => {
    const b = sitting();
    const cat = b.add('SkbScoreRecorded', { applicationId: 'A1', part: 'cat', score: 61.5, source: 'cat' }, { actor: 'operator-cat' });
    const manual = b.add('SkbScoreRecorded', { applicationId: 'A1', part: 'cat', score: 81.5, source: 'manual' }, { actor: 'ver-2' });
    b.add('CompetencyScoreRecorded', { applicationId: 'A1', teknis: 300, manajerial: 80, sosialKultural: 60, wawancara: 30, source: 'cat' }, { actor: 'operator-cat' });
    b.add('CompetencyScoreRecorded', { applicationId: 'A1', teknis: 350, manajerial: 80, sosialKultural: 60, wawancara: 30, source: 'manual' }, { actor: 'ver-2' });
    const flags = run(D, b);
    expect(flags.map((f) => [f.key, f.facts.parts, f.facts.manualFirst, f.facts.totalDelta])).toEqual([
      ['A1:kompetensi', 'teknis', false, 50],
      ['A1:skb-cat', 'score', false, 20],
    ]);
    expect(flags[1]!.entries).toEqual([cat, manual]);
  });

  describe('near misses', () => {
    it('a manual value equal to the CAT value, and CAT values alone', () => {
      const b = sitting();
      b.add('SkdScoreRecorded', { applicationId: 'A1', twk: 105, tiu: 95, tkp: 163, source: 'manual' }, { actor: 'ver-4' });
      b.add('SkdScoreRecorded', { applicationId: 'A1', twk: 105, tiu: 95, tkp: 163, source: 'cat' }, { actor: 'operator-cat' });
      b.add('SkdScoreRecorded', { applicationId: 'A1', twk: 105, tiu: 95, tkp: 170, source: 'cat', approvalRef: 'X' }, { actor: 'admin-1' });
      expect(run(D, b)).toEqual([]);
    });

    it('hand-scored SKB parts (practical) are manual by nature', () => {
      const b = sitting();
      b.add('SkbScoreRecorded', { applicationId: 'A1', part: 'practical', score: 80, source: 'manual', examiner: 'exam-1' }, { actor: 'exam-1' });
      b.add('SkbScoreRecorded', { applicationId: 'A1', part: 'cat', score: 70, source: 'cat' }, { actor: 'operator-cat' });
      expect(run(D, b)).toEqual([]);
    });

    it('a manual value with no CAT import to compare', () => {
      const b = sitting();
      b.add('SkdScoreRecorded', { applicationId: 'A1', twk: 105, tiu: 95, tkp: 163, source: 'manual' }, { actor: 'ver-4' });
      expect(run(D, b)).toEqual([]);
    });
  });
});
