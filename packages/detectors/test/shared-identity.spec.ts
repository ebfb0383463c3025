import { describe, expect, it } from 'vitest';
import { explainFlag } from '../src/index.ts';
import { idx, openedPeriod, run } from './helpers.ts';

const D = 'shared-identity';

describe('shared-identity', () => {
  it('flags two NIKs sharing a phone and an e-mail as one flag', () => {
    const b = openedPeriod();
    const a = b.submit('J1', { kk: idx('kk-1'), address: idx('addr-1'), phone: idx('phone-x'), email: idx('mail-x') });
    const c = b.submit('J2', { kk: idx('kk-2'), address: idx('addr-2'), phone: idx('phone-x'), email: idx('mail-x') }, { formationId: 'f2' });
    const flags = run(D, b);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ key: 'J1,J2', severity: 'medium', applications: ['J1', 'J2'], entries: [a, c] });
    expect(flags[0]!.formationId).toBeUndefined();
    expect(flags[0]!.facts).toEqual({ nikReused: false, sharedPhone: true, sharedEmail: true, applicationCount: 2, distinctNiks: 2 });
    expect(explainFlag(flags[0]!).en).toContain('phone number and e-mail address');
  });

  it('flags a NIK on two applications (high), linked with a third by e-mail', () => {
    const b = openedPeriod();
    b.submit('N1', { nik: idx('nik-dup'), email: idx('m1') });
    b.submit('N2', { nik: idx('nik-dup') });
    b.submit('N3', { email: idx('m1') });
    const [f] = run(D, b);
    expect(f).toMatchObject({ key: 'N1,N2,N3', severity: 'high' });
    expect(f!.facts).toMatchObject({ nikReused: true, sharedEmail: true, distinctNiks: 2 });
  });

  it('keeps the key within 300 characters for a large group', () => {
    const b = openedPeriod();
    for (let i = 0; i < 40; i++) b.submit(`APPLICATION-${String(i).padStart(4, '0')}`, { phone: idx('shared') });
    const [f] = run(D, b);
    expect(f!.key.length).toBeLessThanOrEqual(300);
    expect(f!.applications).toHaveLength(40);
  });

  describe('near misses', () => {
    it('siblings sharing a family card and an address, and a dormitory address', () => {
      const b = openedPeriod();
      b.submit('S1', { kk: idx('family'), address: idx('home'), phone: idx('p1'), email: idx('e1') });
      b.submit('S2', { kk: idx('family'), address: idx('home'), phone: idx('p2'), email: idx('e2') }, { formationId: 'f2' });
      for (let i = 0; i < 6; i++) b.submit(`D${i}`, { kk: idx(`kk-d${i}`), address: idx('dormitory'), phone: idx(`pd${i}`) });
      expect(run(D, b)).toEqual([]);
    });
  });
});
