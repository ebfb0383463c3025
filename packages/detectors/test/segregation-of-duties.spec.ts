import { describe, expect, it } from 'vitest';
import { explainFlag } from '../src/index.ts';
import { openedPeriod, run, wib } from './helpers.ts';

const D = 'segregation-of-duties';

/** N applications submitted and verified by ver-1, awaiting confirmation. */
function pending(n: number) {
  const b = openedPeriod();
  const ids = Array.from({ length: n }, (_, i) => `A${String(i).padStart(3, '0')}`);
  for (const id of ids) b.submit(id, {});
  b.at('2024-09-13 08:30');
  for (const id of ids) b.add('DocumentsVerified', { applicationId: id, verdict: 'MS', documents: [{ document: 'Ijazah', verdict: 'MS' }] }, { actor: 'ver-1' });
  return { b, ids };
}

describe('segregation-of-duties', () => {
  it('flags the same actor verifying and confirming one application', () => {
    const b = openedPeriod();
    b.submit('A1', {});
    const { verified, confirmed } = b.verify('A1', 'sup-9', 'sup-9');
    const [f, ...rest] = run(D, b);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ key: 'sup-9:A1', severity: 'medium', actors: ['sup-9'], applications: ['A1'], entries: [verified, confirmed] });
    expect(f!.facts).toEqual({ kind: 'pair', pairs: 'verify-confirm' });
  });

  it('flags an examiner who scored an applicant and recorded the same applicant’s final decision', () => {
    const b = openedPeriod();
    b.submit('A1', {});
    b.verify('A1', 'ver-1', 'sup-1');
    const skb = b.add('SkbScoreRecorded', { applicationId: 'A1', part: 'practical', score: 88, source: 'manual', examiner: 'sup-2' }, { actor: 'admin-1' });
    const decision = b.add('FinalDecisionRecorded', { applicationId: 'A1', code: 'L' }, { actor: 'sup-2' });
    const flags = run(D, b);
    expect(flags.map((f) => [f.key, f.facts.pairs, f.entries])).toEqual([['sup-2:A1', 'score-decide', [skb, decision]]]);
  });

  it('flags recording a formation’s final decisions and announcing them oneself', () => {
    const b = openedPeriod();
    b.submit('A1', {});
    b.submit('A2', {});
    const d1 = b.add('FinalDecisionRecorded', { applicationId: 'A1', code: 'L' }, { actor: 'sup-1' });
    const d2 = b.add('FinalDecisionRecorded', { applicationId: 'A2', code: 'TL' }, { actor: 'sup-1' });
    const ann = b.add('ResultsAnnounced', { formationId: 'f1', reference: 'P-1', documentHash: 'a'.repeat(64), results: [{ applicationId: 'A1', code: 'L' }, { applicationId: 'A2', code: 'TL' }] }, { actor: 'sup-1' });
    const [f] = run(D, b);
    expect(f).toMatchObject({ key: 'sup-1:formation:f1', formationId: 'f1', applications: ['A1', 'A2'], entries: [d1, d2, ann] });
    expect(f!.facts).toMatchObject({ pairs: 'decide-announce', decisions: 2, announcements: 1 });
  });

  it('flags machine-speed confirmations without a note, one flag per actor and day', () => {
    const { b, ids } = pending(12);
    const seqs = ids.map((id, i) => b.add('VerificationConfirmed', { applicationId: id, verdict: 'MS' }, { actor: 'sup-2', at: `2024-09-15 02:00:${String(4 + i).padStart(2, '0')}` }));
    const flags = run(D, b);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ key: 'sup-2:bulk:2024-09-15', entries: seqs, applications: ids, actors: ['sup-2'] });
    expect(flags[0]!.facts).toMatchObject({ kind: 'bulk', confirmations: 12, medianGapSeconds: 1, from: '02:00:04', to: '02:00:15', timezone: 'UTC+07:00' });
    expect(explainFlag(flags[0]!).en).toContain('12 verifications without a note');
  });

  it('flags one append of many confirmations none of which has a note', () => {
    const { b, ids } = pending(60);
    b.at('2024-09-13 10:15');
    for (const id of ids) b.add('VerificationConfirmed', { applicationId: id, verdict: 'MS' }, { actor: 'sup-2' });
    const [f] = run(D, b);
    expect(f!.facts).toMatchObject({ kind: 'bulk', confirmations: 60, batchSize: 60 });
  });

  describe('near misses', () => {
    it('an ordinary session batch with notes on some confirmations', () => {
      const { b, ids } = pending(60);
      b.at('2024-09-13 10:15');
      ids.forEach((id, i) => b.add('VerificationConfirmed', { applicationId: id, verdict: 'MS', ...(i % 2 === 0 && { note: 'Berkas lengkap' }) }, { actor: 'sup-2' }));
      expect(run(D, b)).toEqual([]);
    });

    it('note-less confirmations at a reading pace', () => {
      const { b, ids } = pending(12);
      const start = Date.parse(wib('2024-09-13 10:15'));
      ids.forEach((id, i) => b.entries.push({ ...b.entries[0]!, seq: b.entries.length, stream: `application-${id}`, type: 'VerificationConfirmed', at: new Date(start + i * 40_000).toISOString(), actor: { id: 'sup-2', role: 'supervisor' }, payload: { applicationId: id, verdict: 'MS' } }));
      expect(run(D, b)).toEqual([]);
    });

    it('fast confirmations that all carry a note', () => {
      const { b, ids } = pending(12);
      ids.forEach((id, i) => b.add('VerificationConfirmed', { applicationId: id, verdict: 'MS', note: 'Sesuai' }, { actor: 'sup-2', at: `2024-09-13 10:15:${String(10 + i).padStart(2, '0')}` }));
      expect(run(D, b)).toEqual([]);
    });

    it('four eyes: different verifier and supervisor; different decider and announcer', () => {
      const b = openedPeriod();
      b.submit('A1', {});
      b.verify('A1', 'ver-1', 'sup-1');
      b.add('SkbScoreRecorded', { applicationId: 'A1', part: 'practical', score: 88, source: 'manual', examiner: 'ver-2' }, { actor: 'ver-2' });
      b.add('FinalDecisionRecorded', { applicationId: 'A1', code: 'L' }, { actor: 'sup-1' });
      b.add('ResultsAnnounced', { formationId: 'f1', reference: 'P-1', documentHash: 'a'.repeat(64), results: [{ applicationId: 'A1', code: 'L' }] }, { actor: 'admin-1' });
      expect(run(D, b)).toEqual([]);
    });
  });
});
