import { describe, expect, it } from 'vitest';
import { explainFlag } from '../src/index.ts';
import { openedPeriod, run } from './helpers.ts';

const D = 'announcement-mismatch';
const HASH = 'b'.repeat(64);

describe('announcement-mismatch', () => {
  it('flags a listed code that differs from the recorded decision, and a listed application with no decision', () => {
    const b = openedPeriod();
    for (const id of ['A1', 'A2', 'A3']) b.submit(id, {});
    b.at('2024-12-05 10:00');
    b.add('FinalDecisionRecorded', { applicationId: 'A1', code: 'L' }, { actor: 'sup-1' });
    const tl = b.add('FinalDecisionRecorded', { applicationId: 'A2', code: 'TL' }, { actor: 'sup-1' });
    b.at('2024-12-06 14:00');
    const ann = b.add('ResultsAnnounced', { formationId: 'f1', reference: 'Pengumuman 9', documentHash: HASH, results: [{ applicationId: 'A1', code: 'L' }, { applicationId: 'A2', code: 'L' }, { applicationId: 'A3', code: 'TL' }] });
    const flags = run(D, b);
    expect(flags.map((f) => f.key)).toEqual([`f1:A2:${ann}`, `f1:A3:${ann}`]);
    expect(flags[0]).toMatchObject({ severity: 'high', entries: [tl, ann], actors: ['admin-1'], applications: ['A2'], formationId: 'f1' });
    expect(flags[0]!.facts).toEqual({ announced: 'L', decided: 'TL', announcementSeq: ann, reference: 'Pengumuman 9' });
    expect(flags[1]!.facts).toMatchObject({ announced: 'TL', decided: 'none' });
    expect(explainFlag(flags[0]!).en).toContain('lists A2 as L, but the recorded final decision is TL');
  });

  it('flags a passer missing from the list', () => {
    const b = openedPeriod();
    for (const id of ['A1', 'A2']) b.submit(id, {});
    b.add('FinalDecisionRecorded', { applicationId: 'A1', code: 'L' }, { actor: 'sup-1' });
    b.add('FinalDecisionRecorded', { applicationId: 'A2', code: 'L' }, { actor: 'sup-1' });
    const ann = b.add('ResultsAnnounced', { formationId: 'f1', reference: 'P', documentHash: HASH, results: [{ applicationId: 'A1', code: 'L' }] });
    expect(run(D, b).map((f) => [f.key, f.facts.announced])).toEqual([[`f1:A2:${ann}`, 'not listed']]);
  });

  describe('near misses', () => {
    it('a decision recorded after the announcement (a replacement), and an APS listed for a resigned passer', () => {
      const b = openedPeriod();
      for (const id of ['A1', 'A2', 'A3']) b.submit(id, {});
      b.add('FinalDecisionRecorded', { applicationId: 'A1', code: 'L' }, { actor: 'sup-1' });
      b.add('FinalDecisionRecorded', { applicationId: 'A2', code: 'TL' }, { actor: 'sup-1' });
      b.add('FinalDecisionRecorded', { applicationId: 'A3', code: 'TL' }, { actor: 'sup-1' });
      b.add('ResultsAnnounced', { formationId: 'f1', reference: 'P', documentHash: HASH, results: [{ applicationId: 'A1', code: 'L' }, { applicationId: 'A2', code: 'TL' }, { applicationId: 'A3', code: 'TL' }] });
      b.add('ApplicantResigned', { applicationId: 'A1', reason: 'APS' }, { actor: 'portal-1' });
      b.add('FinalDecisionRecorded', { applicationId: 'A2', code: 'L', reference: 'BKN-1' }, { actor: 'sup-1' });
      b.add('ResultsAnnounced', { formationId: 'f1', reference: 'P-2', documentHash: HASH, results: [{ applicationId: 'A1', code: 'APS' }, { applicationId: 'A2', code: 'L' }] });
      expect(run(D, b)).toEqual([]);
    });
  });
});
