import { describe, expect, it } from 'vitest';
import { explainFlag } from '../src/index.ts';
import { openedPeriod, run } from './helpers.ts';

const D = 'score-after-lock';

/** A2 confirmed MS, scored at the SKD, then the SKD results published for all formations. */
function published() {
  const b = openedPeriod();
  b.submit('A1', {});
  b.submit('A2', {}, { formationId: 'f2' });
  b.at('2024-09-11 08:30');
  b.verify('A1', 'ver-1', 'sup-1');
  b.verify('A2', 'ver-1', 'sup-1');
  b.at('2024-10-15 17:30');
  const cat = b.add('SkdScoreRecorded', { applicationId: 'A1', twk: 95, tiu: 105, tkp: 160, source: 'cat' }, { actor: 'operator-cat' });
  b.at('2024-11-04 10:00');
  const publication = b.add('ResultsPublished', { stage: 'skd', reference: 'Pengumuman SKD' });
  return { b, cat, publication };
}

describe('score-after-lock', () => {
  it('flags a score changed after the publication with an approval reference but no accepted sanggah', () => {
    const { b, cat, publication } = published();
    b.at('2024-11-05 16:40');
    const late = b.add('SkdScoreRecorded', { applicationId: 'A1', twk: 95, tiu: 105, tkp: 174, source: 'cat', approvalRef: 'Surat Kanreg 1' }, { actor: 'admin-1' });
    const flags = run(D, b);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ key: `A1:${late}`, severity: 'high', actors: ['admin-1'], applications: ['A1'], formationId: 'f1', entries: [cat, publication, late] });
    expect(flags[0]!.facts).toEqual({ stage: 'skd', score: 'skd', source: 'cat', approvalRef: true, sanggahAccepted: false, changed: true, publicationSeq: publication });
    expect(explainFlag(flags[0]!).en).toContain('without an accepted sanggah');
  });

  it('flags a first score recorded after a formation-specific publication, and an SKB part after the SKB publication', () => {
    const b = openedPeriod();
    b.submit('A1', {});
    b.verify('A1', 'ver-1', 'sup-1');
    b.at('2024-12-02 10:00');
    const pub = b.add('ResultsPublished', { stage: 'skb', reference: 'SKB f1', formationId: 'f1' });
    b.at('2024-12-03 10:00');
    const s = b.add('SkbScoreRecorded', { applicationId: 'A1', part: 'practical', score: 90, source: 'manual', examiner: 'exam-1' }, { actor: 'exam-1' });
    const [f] = run(D, b);
    expect(f).toMatchObject({ key: `A1:${s}`, entries: [pub, s] });
    expect(f!.facts).toMatchObject({ stage: 'skb', score: 'skb-practical', approvalRef: false, changed: false });
  });

  describe('near misses', () => {
    it('a change after publication with an accepted sanggah AND an approval reference', () => {
      const { b } = published();
      b.at('2024-11-06 09:00');
      b.add('SanggahDecided', { applicationId: 'A1', accepted: true, reason: 'Kesalahan impor', approvalRef: 'Persetujuan Panselnas 1' }, { actor: 'sup-1' });
      b.add('SkdScoreRecorded', { applicationId: 'A1', twk: 95, tiu: 105, tkp: 170, source: 'cat', approvalRef: 'Persetujuan Panselnas 1' }, { actor: 'admin-1' });
      expect(run(D, b)).toEqual([]);
    });

    it('scores recorded before the publication, and a publication for another formation', () => {
      const b = openedPeriod();
      b.submit('A1', {});
      b.verify('A1', 'ver-1', 'sup-1');
      b.add('SkdScoreRecorded', { applicationId: 'A1', twk: 95, tiu: 105, tkp: 160, source: 'cat' }, { actor: 'operator-cat' });
      b.add('ResultsPublished', { stage: 'skd', reference: 'SKD f2', formationId: 'f2' });
      b.add('SkdScoreRecorded', { applicationId: 'A1', twk: 95, tiu: 105, tkp: 161, source: 'cat' }, { actor: 'operator-cat' });
      expect(run(D, b)).toEqual([]);
    });

    it('an SKB score after the SKD publication (another stage)', () => {
      const { b } = published();
      b.add('SkbScoreRecorded', { applicationId: 'A1', part: 'cat', score: 70, source: 'cat' }, { actor: 'operator-cat' });
      expect(run(D, b)).toEqual([]);
    });
  });
});
