import { describe, expect, it } from 'vitest';
import { explainFlag } from '../src/index.ts';
import { openedPeriod, run, wibOffset } from './helpers.ts';

const D = 'formation-change-late';

describe('formation-change-late', () => {
  it('flags a quota raised after registration closed and after SKD scores were recorded', () => {
    const b = openedPeriod();
    b.submit('A1', {}, { formationId: 'f2' });
    b.verify('A1', 'ver-1', 'sup-1');
    b.at('2024-10-15 17:30');
    const score = b.add('SkdScoreRecorded', { applicationId: 'A1', twk: 100, tiu: 100, tkp: 170, source: 'cat' }, { actor: 'operator-cat' });
    b.at('2024-11-01 10:00');
    const amend = b.add('FormationAmended', { formationId: 'f2', changes: { quota: 3 }, reason: 'Tambahan kebutuhan', reference: 'Surat Sekda 1' });
    const flags = run(D, b);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ key: `f2:${amend}`, severity: 'medium', formationId: 'f2', actors: ['admin-1'], entries: [0, score, amend], applications: [] });
    expect(flags[0]!.facts).toEqual({ changes: 'quota', quotaTo: 3, afterRegistrationClose: true, registrationCloses: '2024-09-06 23:59:59', timezone: 'UTC+07:00', afterScores: true, scoresBefore: 1 });
    expect(explainFlag(flags[0]!).en).toContain('quota now 3');
  });

  it('uses the close as amended at the time of the change', () => {
    const b = openedPeriod();
    b.at('2024-09-06 14:00');
    const ext = b.add('ScheduleAmended', { stage: 'registration', closes: wibOffset('2024-09-10 23:59:59'), reason: 'Perpanjangan', reference: 'P-2' });
    b.at('2024-09-11 10:00');
    const amend = b.add('FormationAmended', { formationId: 'f1', changes: { education: ['S-1', 'D-4'] }, reason: 'Kualifikasi', reference: 'S-1' });
    expect(run(D, b).map((f) => [f.key, f.entries, f.facts.registrationCloses])).toEqual([[`f1:${amend}`, [ext, amend], '2024-09-10 23:59:59']]);
  });

  describe('near misses', () => {
    it('a change during registration (inside the extension), before any score', () => {
      const b = openedPeriod();
      b.at('2024-09-06 14:00');
      b.add('ScheduleAmended', { stage: 'registration', closes: wibOffset('2024-09-10 23:59:59'), reason: 'Perpanjangan', reference: 'P-2' });
      b.at('2024-09-08 10:00');
      b.add('FormationAmended', { formationId: 'f1', changes: { quota: 3 }, reason: 'Tambahan', reference: 'S-1' });
      expect(run(D, b)).toEqual([]);
    });
  });
});
