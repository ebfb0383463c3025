import { describe, expect, it } from 'vitest';
import { explainFlag } from '../src/index.ts';
import { openedPeriod, run } from './helpers.ts';

const D = 'verdict-reversal';
const IJAZAH_MS = [{ document: 'Ijazah', verdict: 'MS' as const }];
const IJAZAH_TMS = [{ document: 'Ijazah', verdict: 'TMS' as const, reason: 'Tidak sesuai' }];

/** A1 confirmed TMS, administrasi published on 19 Sep 16:00. */
function tms() {
  const b = openedPeriod();
  b.submit('A1', {});
  b.at('2024-09-12 08:30');
  const { confirmed } = b.verify('A1', 'ver-1', 'sup-1', 'TMS');
  b.at('2024-09-19 16:00');
  b.add('ResultsPublished', { stage: 'administrasi', reference: 'Pengumuman 1' });
  return { b, confirmed };
}

describe('verdict-reversal', () => {
  it('flags TMS turned MS by re-verification with no sanggah', () => {
    const { b, confirmed } = tms();
    b.at('2024-09-25 10:12');
    const flip = b.add('Reverified', { applicationId: 'A1', verdict: 'MS', documents: IJAZAH_MS, reason: 'Perbaikan' }, { actor: 'sup-1' });
    const flags = run(D, b);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ key: `A1:${flip}`, severity: 'high', entries: [confirmed, flip], actors: ['sup-1'] });
    expect(flags[0]!.facts).toEqual({ from: 'TMS', to: 'MS', via: 'Reverified', sanggahFiled: false, sanggahInWindow: false, sanggahAccepted: false, reasonGiven: true });
    expect(explainFlag(flags[0]!).en).toContain('no sanggah was ever filed');
  });

  it('flags TMS turned MS through a sanggah filed after its window', () => {
    const { b } = tms();
    b.at('2024-09-23 09:00');
    const filed = b.add('SanggahFiled', { applicationId: 'A1', reason: 'Salah baca' }, { actor: 'portal-1' });
    b.at('2024-09-24 09:00');
    const decided = b.add('SanggahDecided', { applicationId: 'A1', accepted: true, reason: 'Diterima', newVerdict: 'MS', approvalRef: 'Panselnas 1' }, { actor: 'sup-2' });
    const [f] = run(D, b);
    expect(f!.entries).toEqual([expect.any(Number), filed, decided]);
    expect(f!.facts).toMatchObject({ via: 'SanggahDecided', sanggahFiled: true, sanggahInWindow: false, sanggahAccepted: true });
  });

  it('flags MS turned TMS other than by a re-verification with a reason', () => {
    const b = openedPeriod();
    b.submit('A1', {});
    b.verify('A1', 'ver-1', 'sup-1', 'MS');
    b.add('SanggahDecided', { applicationId: 'A1', accepted: true, reason: 'x', newVerdict: 'TMS', approvalRef: 'P' }, { actor: 'sup-2' });
    expect(run(D, b).map((f) => [f.facts.from, f.facts.to, f.facts.via])).toEqual([['MS', 'TMS', 'SanggahDecided']]);
  });

  describe('near misses', () => {
    it('TMS turned MS by an accepted sanggah filed inside its window (with Panselnas approval)', () => {
      const { b } = tms();
      b.at('2024-09-21 20:00');
      b.add('SanggahFiled', { applicationId: 'A1', reason: 'Salah baca' }, { actor: 'portal-1' });
      b.at('2024-09-23 09:00');
      b.add('SanggahDecided', { applicationId: 'A1', accepted: true, reason: 'Diterima', newVerdict: 'MS', approvalRef: 'Panselnas 1' }, { actor: 'sup-1' });
      expect(run(D, b)).toEqual([]);
    });

    it('MS turned TMS by a re-verification stating its reason (BKN 2023)', () => {
      const b = openedPeriod();
      b.submit('A1', {});
      b.verify('A1', 'ver-1', 'sup-1', 'MS');
      b.add('Reverified', { applicationId: 'A1', verdict: 'TMS', documents: IJAZAH_TMS, reason: 'Ijazah tidak sesuai kualifikasi' }, { actor: 'sup-1' });
      expect(run(D, b)).toEqual([]);
    });

    it('a verification returned and redone with another verdict before any confirmation', () => {
      const b = openedPeriod();
      b.submit('A1', {});
      b.add('DocumentsVerified', { applicationId: 'A1', verdict: 'TMS', documents: IJAZAH_TMS }, { actor: 'ver-1' });
      b.add('VerificationReturned', { applicationId: 'A1', reason: 'Periksa ulang' }, { actor: 'sup-1' });
      b.add('DocumentsVerified', { applicationId: 'A1', verdict: 'MS', documents: IJAZAH_MS }, { actor: 'ver-1' });
      b.add('VerificationConfirmed', { applicationId: 'A1', verdict: 'MS' }, { actor: 'sup-1' });
      expect(run(D, b)).toEqual([]);
    });
  });
});
