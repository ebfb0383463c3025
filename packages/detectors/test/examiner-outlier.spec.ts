import { describe, expect, it } from 'vitest';
import { explainFlag } from '../src/index.ts';
import { openedPeriod, run } from './helpers.ts';

const D = 'examiner-outlier';

/** Practical scores per applicant: examiner → score. */
function scored(table: Record<string, Record<string, number>>, part: 'practical' | 'interview' = 'practical') {
  const b = openedPeriod();
  const seqs: Record<string, number[]> = {};
  for (const [app, byExaminer] of Object.entries(table)) {
    b.submit(app, {});
    for (const [examiner, score] of Object.entries(byExaminer)) {
      (seqs[examiner] ??= []).push(b.add('SkbScoreRecorded', { applicationId: app, part, score, source: 'manual', examiner }, { actor: examiner }));
    }
  }
  return { b, seqs };
}

describe('examiner-outlier', () => {
  it('flags an examiner far from the co-panelists on the same candidates, with that examiner’s scores as evidence', () => {
    const { b, seqs } = scored({
      A1: { 'exam-1': 70, 'exam-2': 72, 'exam-3': 95 },
      A2: { 'exam-1': 65, 'exam-2': 66, 'exam-3': 92 },
      A3: { 'exam-1': 80, 'exam-2': 78, 'exam-3': 98 },
    });
    const flags = run(D, b);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ key: 'exam-3:practical', severity: 'medium', actors: ['exam-3'], applications: ['A1', 'A2', 'A3'], entries: seqs['exam-3'] });
    expect(flags[0]!.facts).toEqual({ part: 'practical', sharedApplicants: 3, meanAbsDeviation: 23.2, meanDeviation: 23.2, threshold: 15 });
    expect(explainFlag(flags[0]!).en).toContain('higher on balance');
  });

  it('uses each examiner’s latest score of an applicant', () => {
    const { b } = scored({
      A1: { 'exam-1': 70, 'exam-2': 30 },
      A2: { 'exam-1': 65, 'exam-2': 25 },
      A3: { 'exam-1': 80, 'exam-2': 40 },
    });
    for (const [app, score] of [['A1', 71], ['A2', 66], ['A3', 79]] as const) b.add('SkbScoreRecorded', { applicationId: app, part: 'practical', score, source: 'manual', examiner: 'exam-2' }, { actor: 'exam-2' });
    expect(run(D, b)).toEqual([]);
  });

  describe('near misses', () => {
    it('ordinary leniency differences of a few points (the demo’s −3 and +4)', () => {
      const { b } = scored({
        A1: { 'exam-1': 75, 'exam-2': 71, 'exam-3': 80 },
        A2: { 'exam-1': 68, 'exam-2': 66, 'exam-3': 73 },
        A3: { 'exam-1': 82, 'exam-2': 78, 'exam-3': 85 },
        A4: { 'exam-1': 60, 'exam-2': 57, 'exam-3': 66 },
      });
      expect(run(D, b)).toEqual([]);
    });

    it('fewer shared applicants than the minimum', () => {
      const { b } = scored({ A1: { 'exam-1': 70, 'exam-2': 20 }, A2: { 'exam-1': 70, 'exam-2': 20 } });
      expect(run(D, b)).toEqual([]);
    });

    it('the CAT part and single-examiner applicants are not compared', () => {
      const b = openedPeriod();
      for (const app of ['A1', 'A2', 'A3']) {
        b.submit(app, {});
        b.add('SkbScoreRecorded', { applicationId: app, part: 'cat', score: 20, source: 'cat' }, { actor: 'operator-cat' });
        b.add('SkbScoreRecorded', { applicationId: app, part: 'practical', score: 99, source: 'manual', examiner: 'exam-1' }, { actor: 'exam-1' });
      }
      expect(run(D, b)).toEqual([]);
    });
  });
});
