import { describe, expect, it } from 'vitest';
import { explainFlag } from '../src/index.ts';
import { openedPeriod, run } from './helpers.ts';

const D = 'off-hours-bulk';
const MS = [{ document: 'Ijazah', verdict: 'MS' as const }];

function apps(n: number) {
  const b = openedPeriod();
  const ids = Array.from({ length: n }, (_, i) => `A${String(i).padStart(3, '0')}`);
  b.at('2024-08-26 07:30');
  for (const id of ids) b.submit(id, {});
  return { b, ids };
}

describe('off-hours-bulk', () => {
  it('groups a night burst into one flag per actor and local date', () => {
    const { b, ids } = apps(15);
    const seqs = ids.map((id, i) => b.add('DocumentsVerified', { applicationId: id, verdict: 'MS', documents: MS }, { actor: 'ver-1', at: `2024-09-15 02:00:${String(10 + i * 2).padStart(2, '0')}` }));
    const flags = run(D, b);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ key: 'ver-1:2024-09-15', severity: 'medium', entries: seqs, actors: ['ver-1'], applications: ids });
    expect(flags[0]!.facts).toMatchObject({ date: '2024-09-15', actions: 15, entryCount: 15, night: true, weekend: true, holiday: false, burst: true, burstActions: 15, from: '02:00:10', to: '02:00:38', timezone: 'UTC+07:00' });
    expect(explainFlag(flags[0]!).id).toContain('malam hari, akhir pekan');
  });

  it('flags a daytime burst of separate actions, and off-hours work on a holiday (low)', () => {
    const { b, ids } = apps(15);
    ids.slice(0, 12).forEach((id, i) => b.add('DocumentsVerified', { applicationId: id, verdict: 'MS', documents: MS }, { actor: 'ver-1', at: `2024-09-12 10:00:${String(10 + i * 3).padStart(2, '0')}` }));
    ids.slice(12).forEach((id, i) => b.add('DocumentsVerified', { applicationId: id, verdict: 'MS', documents: MS }, { actor: 'ver-2', at: `2024-09-16 ${10 + i}:00` }));
    const flags = run(D, b);
    expect(flags.map((f) => [f.key, f.severity, f.facts.burst, f.facts.holiday])).toEqual([
      ['ver-1:2024-09-12', 'medium', true, false],
      ['ver-2:2024-09-16', 'low', false, true],
    ]);
  });

  describe('near misses', () => {
    it('the portal recording applicants’ night-time submissions', () => {
      const b = openedPeriod();
      for (let i = 0; i < 12; i++) b.submit(`P${i}`, {}, { actor: 'portal-1', channel: 'portal' });
      for (const e of b.entries) if (e.actor.id === 'portal-1') Object.assign(e, { at: '2024-08-24T17:30:00.000Z' });
      expect(run(D, b)).toEqual([]);
    });

    it('a daytime import batch (one append, one instant) of many rows, even on a Saturday morning', () => {
      const b = openedPeriod();
      b.at('2024-08-31 07:31');
      for (let i = 0; i < 300; i++) b.submit(`I${i}`, {});
      b.at('2024-09-02 09:00');
      for (let i = 0; i < 300; i++) b.add('DocumentsVerified', { applicationId: `I${i}`, verdict: 'MS', documents: MS }, { actor: 'ver-1' });
      expect(run(D, b)).toEqual([]);
    });

    it('one or two off-hours actions (fewer than the minimum)', () => {
      const { b, ids } = apps(2);
      ids.forEach((id, i) => b.add('DocumentsVerified', { applicationId: id, verdict: 'MS', documents: MS }, { actor: 'ver-1', at: `2024-09-12 23:${String(10 + 20 * i)}` }));
      expect(run(D, b)).toEqual([]);
    });
  });
});
