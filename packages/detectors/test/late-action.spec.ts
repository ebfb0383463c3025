import { describe, expect, it } from 'vitest';
import { explainFlag } from '../src/index.ts';
import { openedPeriod, run, wibOffset } from './helpers.ts';

const D = 'late-action';

describe('late-action', () => {
  it('flags a submission after the registration close as it stood when recorded', () => {
    const b = openedPeriod();
    b.at('2024-09-08 07:30');
    const s = b.submit('A1', {}, { submittedAt: wibOffset('2024-09-07 08:15') });
    const flags = run(D, b);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ key: `A1:${s}`, severity: 'medium', entries: [0, s], applications: ['A1'], formationId: 'f1' });
    expect(flags[0]!.facts).toMatchObject({ action: 'ApplicationSubmitted', stage: 'registration', closes: '2024-09-06 23:59:59', at: '2024-09-07 08:15:00', lateMinutes: 495, amended: false });
    expect(explainFlag(flags[0]!).en).toContain('after registration closed');
  });

  it('flags a submission covered only by an extension recorded after it was made (retroactive)', () => {
    const b = openedPeriod();
    b.at('2024-09-08 07:30');
    b.submit('A1', {}, { submittedAt: wibOffset('2024-09-07 08:15') });
    b.at('2024-09-09 10:00');
    const ext = b.add('ScheduleAmended', { stage: 'registration', closes: wibOffset('2024-09-10 23:59:59'), reason: 'Perpanjangan', reference: 'P-2' });
    b.at('2024-09-10 07:30');
    const s = b.submit('A2', {}, { submittedAt: wibOffset('2024-09-07 09:00') });
    const flags = run(D, b);
    expect(flags.map((f) => [f.applications[0], f.facts.retroactiveExtension])).toEqual([
      ['A1', false],
      ['A2', true],
    ]);
    expect(flags[1]!.entries).toEqual([0, ext, s]);
    expect(explainFlag(flags[1]!).en).toContain('recorded only after that time');
  });

  it('flags an MS verification and an MS confirmation after the verification window (confirmation past its grace)', () => {
    const b = openedPeriod();
    b.submit('A1', {});
    b.submit('A2', {});
    const v = b.add('DocumentsVerified', { applicationId: 'A1', verdict: 'MS', documents: [{ document: 'Ijazah', verdict: 'MS' }] }, { actor: 'ver-1', at: '2024-09-19 08:30' });
    b.add('DocumentsVerified', { applicationId: 'A2', verdict: 'MS', documents: [{ document: 'Ijazah', verdict: 'MS' }] }, { actor: 'ver-1', at: '2024-09-18 15:00' });
    const c = b.add('VerificationConfirmed', { applicationId: 'A2', verdict: 'MS' }, { actor: 'sup-1', at: '2024-09-20 09:00' });
    expect(run(D, b).map((f) => [f.key, f.facts.action])).toEqual([
      [`A1:${v}`, 'DocumentsVerified'],
      [`A2:${c}`, 'VerificationConfirmed'],
    ]);
  });

  describe('near misses', () => {
    it('submissions inside an extension announced before them (the demo’s amended registration)', () => {
      const b = openedPeriod();
      b.at('2024-09-06 14:00');
      b.add('ScheduleAmended', { stage: 'registration', closes: wibOffset('2024-09-10 23:59:59'), reason: 'Perpanjangan nasional', reference: 'P-2' });
      b.at('2024-09-11 07:30');
      b.submit('A1', {}, { submittedAt: wibOffset('2024-09-10 23:59:59') });
      b.submit('A2', {}, { submittedAt: wibOffset('2024-09-08 21:00') });
      expect(run(D, b)).toEqual([]);
    });

    it('a confirmation in the next morning session after the window, a late TMS, and a verification inside the window', () => {
      const b = openedPeriod();
      b.submit('A1', {});
      b.submit('A2', {});
      b.verify('A1', 'ver-1', 'sup-1', 'MS', { verifiedAt: '2024-09-18 15:15', confirmedAt: '2024-09-19 09:10' });
      b.verify('A2', 'ver-1', 'sup-1', 'TMS', { verifiedAt: '2024-09-20 15:15', confirmedAt: '2024-09-21 09:10' });
      expect(run(D, b)).toEqual([]);
    });
  });
});
