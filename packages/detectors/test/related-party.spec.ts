import { describe, expect, it } from 'vitest';
import { explainFlag } from '../src/index.ts';
import { DirectoryBuilder, idx, openedPeriod, run, wibOffset } from './helpers.ts';

/** The directory of these tests: officers with identities and declared relatives. */
function directory() {
  const d = new DirectoryBuilder();
  const seqs = {
    v1: d.actor('ver-1', 'officer', {
      nik: idx('v1-nik'), kk: idx('v1-kk'), address: idx('v1-address'), phone: idx('v1-phone'), email: idx('v1-email'), bank: idx('v1-bank'),
      parents: [idx('v1-father'), idx('v1-mother')], name: idx('name-budi-siregar'),
    }),
    v2: d.actor('ver-2', 'officer', { nik: idx('v2-nik'), kk: idx('v2-kk'), name: idx('name-v2') }),
    v3: d.actor('ver-3', 'officer'),
    sup1: d.actor('sup-1', 'supervisor', { nik: idx('sup1-nik'), kk: idx('sup1-kk'), name: idx('name-sup1') }),
    sup2: d.actor('sup-2', 'supervisor', { nik: idx('sup2-nik'), kk: idx('sup2-kk') }),
    admin: d.actor('admin-1', 'admin'),
    spouse: d.relative('ver-1', 'spouse', { nik: idx('v1-spouse-nik'), kk: idx('v1-kk'), phone: idx('v1-spouse-phone') }),
    sibling: d.relative('ver-2', 'sibling', { nik: idx('v2-sibling-nik'), kk: idx('v2-sibling-kk'), phone: idx('v2-sibling-phone'), address: idx('dormitory') }),
    child: d.relative('sup-1', 'child', { nik: idx('sup1-child-nik'), kk: idx('sup1-child-kk'), phone: idx('sup1-child-phone') }),
  };
  return { d, seqs };
}

describe('related-party', () => {
  it('flags an officer verifying an undeclared relative on their own family card, with the evidence', () => {
    const { d, seqs } = directory();
    const b = openedPeriod();
    b.at('2024-08-26 07:30');
    const submitted = b.submit('A1', { kk: idx('v1-kk'), address: idx('v1-address'), parents: [idx('v1-father'), idx('v1-mother')], phone: idx('a1-phone') });
    b.at('2024-09-11 08:30');
    const { verified } = b.verify('A1', 'ver-1', 'sup-2');
    const flags = run('related-party', b, d.state);
    expect(flags).toHaveLength(1);
    const f = flags[0]!;
    expect(f).toMatchObject({ detector: 'related-party', version: '1', severity: 'high', key: 'ver-1:A1', actors: ['ver-1'], applications: ['A1'], formationId: 'f1' });
    expect(f.entries).toEqual([submitted, verified]);
    expect(f.facts).toMatchObject({ tie: 'kk', ties: 'kk,parents,address', via: 'self', declared: false, rank: 1, directorySeq: seqs.v1, actions: 'DocumentsVerified', actionCount: 1 });
    expect(f.flagId).toMatch(/^[0-9a-f]{32}$/);
    const text = explainFlag(f);
    expect(text.en).toContain('never declared');
    expect(text.id).toContain('tidak pernah dideklarasikan');
  });

  it('flags a supervisor who confirmed her own declared child: declared, ranked after undeclared ties', () => {
    const { d, seqs } = directory();
    const b = openedPeriod();
    b.submit('A2', { nik: idx('sup1-child-nik'), kk: idx('sup1-child-kk'), phone: idx('sup1-child-phone'), parents: [idx('name-sup1'), idx('someone')] });
    b.at('2024-09-11 08:30');
    const { confirmed } = b.verify('A2', 'ver-3', 'sup-1');
    const [f, ...rest] = run('related-party', b, d.state);
    expect(rest).toHaveLength(0);
    expect(f).toMatchObject({ key: 'sup-1:A2', severity: 'high' });
    expect(f!.entries).toContain(confirmed);
    expect(f!.facts).toMatchObject({ tie: 'nik', via: 'relative', relation: 'child', declared: true, rank: 2, directorySeq: seqs.child, actions: 'VerificationConfirmed' });
    expect(explainFlag(f!).en).toContain('declared child');
  });

  it("flags a tie through one intermediary: the applicant uses the phone of the officer's declared sibling", () => {
    const { d, seqs } = directory();
    const b = openedPeriod();
    b.submit('A3', { kk: idx('a3-kk'), phone: idx('v2-sibling-phone') });
    b.at('2024-09-11 08:30');
    b.verify('A3', 'ver-2', 'sup-2');
    const [f] = run('related-party', b, d.state);
    expect(f).toMatchObject({ key: 'ver-2:A3' });
    expect(f!.facts).toMatchObject({ tie: 'phone', via: 'relative', relation: 'sibling', declared: false, rank: 1, directorySeq: seqs.sibling });
  });

  it("matches earlier family cards on either side, and both parents' names", () => {
    const { d } = directory();
    const b = openedPeriod();
    b.submit('A4', { kk: idx('a4-new-kk'), previousKk: [idx('v1-kk')] });
    b.submit('A5', { kk: idx('a5-kk'), parents: [idx('v1-mother'), idx('v1-father')] });
    b.at('2024-09-11 08:30');
    b.verify('A4', 'ver-1', 'sup-2');
    b.verify('A5', 'ver-1', 'sup-2');
    const flags = run('related-party', b, d.state);
    expect(flags.map((f) => [f.key, f.facts.tie])).toEqual([
      ['ver-1:A4', 'kk'],
      ['ver-1:A5', 'parents'],
    ]);
  });

  it('collects every action of the official on the applicant into one flag: scores as examiner, final decision, announcement', () => {
    const { d } = directory();
    const b = openedPeriod();
    const s = b.submit('A1', { phone: idx('v1-phone') });
    b.at('2024-09-11 08:30');
    const { confirmed } = b.verify('A1', 'ver-3', 'sup-2');
    b.at('2024-11-20 15:30');
    const skb = b.add('SkbScoreRecorded', { applicationId: 'A1', part: 'practical', score: 90, source: 'manual', examiner: 'ver-1' }, { actor: 'admin-1' });
    // A CAT import is machine data, not the officer's judgement.
    b.add('SkdScoreRecorded', { applicationId: 'A1', twk: 100, tiu: 100, tkp: 170, source: 'cat' }, { actor: 'ver-1' });
    const manual = b.add('SkdScoreRecorded', { applicationId: 'A1', twk: 100, tiu: 100, tkp: 170, source: 'manual' }, { actor: 'ver-1' });
    const flags = run('related-party', b, d.state);
    expect(flags).toHaveLength(1);
    expect(flags[0]!.entries).toEqual([s, skb, manual]);
    expect(flags[0]!.entries).not.toContain(confirmed);
    expect(flags[0]!.facts).toMatchObject({ actions: 'SkbScoreRecorded,SkdScoreRecorded', actionCount: 2, tie: 'phone' });
  });

  it('still matches after the personal data was erased (blind indexes only)', () => {
    const { d } = directory();
    const b = openedPeriod();
    b.submit('A1', { kk: idx('v1-kk') });
    b.add('PersonalDataErased', { subject: 's-A1', legalBasis: 'UU 27/2022 Ps 8', requestRef: 'REQ-1' });
    b.at('2024-09-11 08:30');
    b.verify('A1', 'ver-1', 'sup-2');
    expect(run('related-party', b, d.state).map((f) => f.key)).toEqual(['ver-1:A1']);
  });

  describe('near misses that must not be flagged', () => {
    it("a shared name or surname index only (the officer's name even equals a parent's name)", () => {
      const { d } = directory();
      const b = openedPeriod();
      b.submit('A1', { kk: idx('a1-kk'), name: idx('name-budi-siregar'), parents: [idx('name-budi-siregar'), idx('other-mother')] });
      b.verify('A1', 'ver-1', 'sup-2');
      expect(run('related-party', b, d.state)).toEqual([]);
    });

    it("one shared parent's name without a shared address", () => {
      const { d } = directory();
      const b = openedPeriod();
      b.submit('A1', { kk: idx('a1-kk'), parents: [idx('v1-father'), idx('other-mother')] });
      b.verify('A1', 'ver-1', 'sup-2');
      expect(run('related-party', b, d.state)).toEqual([]);
    });

    it("a dormitory address shared by unrelated applicants and an officer's relative", () => {
      const { d } = directory();
      const b = openedPeriod();
      for (const id of ['D1', 'D2', 'D3']) b.submit(id, { kk: idx(`kk-${id}`), address: idx('dormitory'), phone: idx(`phone-${id}`) });
      for (const id of ['D1', 'D2', 'D3']) b.verify(id, 'ver-2', 'sup-2');
      expect(run('related-party', b, d.state)).toEqual([]);
    });

    it("but the officer's own address at the dormitory is a tie", () => {
      const d = new DirectoryBuilder();
      d.actor('ver-9', 'officer', { nik: idx('v9-nik'), address: idx('dormitory') });
      const b = openedPeriod();
      for (const id of ['D1', 'D2', 'D3']) b.submit(id, { kk: idx(`kk-${id}`), address: idx('dormitory') });
      b.verify('D1', 'ver-9', 'sup-2');
      expect(run('related-party', b, d.state).map((f) => [f.key, f.facts.tie, f.facts.via])).toEqual([['ver-9:D1', 'address', 'self']]);
    });

    it('siblings sharing a family card, verified by officers with no tie to them', () => {
      const { d } = directory();
      const b = openedPeriod();
      b.submit('S1', { kk: idx('family'), address: idx('home'), parents: [idx('p1'), idx('p2')] });
      b.submit('S2', { kk: idx('family'), address: idx('home'), parents: [idx('p1'), idx('p2')] }, { formationId: 'f2' });
      b.verify('S1', 'ver-1', 'sup-1');
      b.verify('S2', 'ver-2', 'sup-2');
      expect(run('related-party', b, d.state)).toEqual([]);
    });

    it('a declared relative handled by someone else (the official recused)', () => {
      const { d } = directory();
      const b = openedPeriod();
      b.submit('A2', { nik: idx('sup1-child-nik'), kk: idx('sup1-child-kk'), phone: idx('sup1-child-phone') });
      b.verify('A2', 'ver-3', 'sup-2');
      expect(run('related-party', b, d.state)).toEqual([]);
    });

    it('a tie to an official who never acted on the application', () => {
      const { d } = directory();
      const b = openedPeriod();
      b.submit('A1', { kk: idx('v1-kk') }, { submittedAt: wibOffset('2024-08-25 10:00') });
      b.verify('A1', 'ver-3', 'sup-2');
      expect(run('related-party', b, d.state)).toEqual([]);
    });
  });
});
