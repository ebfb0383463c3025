import { createHash } from 'node:crypto';
import type { DirectoryState } from '@casn/domain';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTOR_CONFIG, DETECTORS, DETECTOR_CONFIGS, detect, explainFlag, flagIdOf, getDetectorConfig, type Flag } from '../src/index.ts';
import { CONFIG, DirectoryBuilder, idx, openedPeriod, wibOffset } from './helpers.ts';

const IDS = [
  'related-party', 'segregation-of-duties', 'score-after-lock', 'manual-cat-override', 'ranking-skip', 'late-action',
  'verdict-reversal', 'examiner-outlier', 'off-hours-bulk', 'shared-identity', 'formation-change-late', 'announcement-mismatch',
];

/** A ledger that trips most detectors at once, and its directory. */
function kitchenSink() {
  const d = new DirectoryBuilder();
  d.actor('ver-1', 'officer', { nik: idx('v1-nik'), kk: idx('v1-kk'), phone: idx('v1-phone') });
  d.actor('ver-2', 'officer', { nik: idx('v2-nik'), kk: idx('v2-kk') });
  d.actor('sup-1', 'supervisor', { nik: idx('s1-nik'), kk: idx('s1-kk') });
  d.relative('ver-2', 'sibling', { nik: idx('v2-sib'), phone: idx('v2-sib-phone') });
  d.relative('sup-1', 'child', { nik: idx('s1-child') });
  const b = openedPeriod();
  b.at('2024-08-26 07:30');
  b.submit('A1', { kk: idx('v1-kk') });
  b.submit('A2', { phone: idx('v2-sib-phone'), email: idx('shared-mail') });
  b.submit('A3', { nik: idx('s1-child'), email: idx('shared-mail') });
  b.submit('A4', {});
  b.submit('A5', {}, { submittedAt: wibOffset('2024-09-07 10:00') });
  for (const [id, v, s] of [['A1', 'ver-1', 'sup-2'], ['A2', 'ver-2', 'sup-2'], ['A3', 'ver-3', 'sup-1'], ['A4', 'ver-3', 'sup-2']] as const) {
    b.at('2024-09-12 08:30');
    b.verify(id, v, s, 'MS', { verifiedAt: '2024-09-12 08:30', confirmedAt: '2024-09-12 13:30' });
  }
  b.at('2024-10-15 11:00');
  b.add('SkdScoreRecorded', { applicationId: 'A4', twk: 120, tiu: 120, tkp: 180, source: 'manual' }, { actor: 'ver-1' });
  b.at('2024-10-15 17:30');
  for (const id of ['A1', 'A2', 'A3', 'A4']) b.add('SkdScoreRecorded', { applicationId: id, twk: 100, tiu: 100, tkp: 170, source: 'cat' }, { actor: 'operator-cat' });
  b.at('2024-11-01 10:00');
  b.add('FormationAmended', { formationId: 'f1', changes: { quota: 3 }, reason: 'Tambah', reference: 'S-1' });
  b.at('2024-11-04 10:00');
  b.add('ResultsPublished', { stage: 'skd', reference: 'SKD' });
  b.at('2024-11-05 16:40');
  b.add('SkdScoreRecorded', { applicationId: 'A2', twk: 100, tiu: 100, tkp: 190, source: 'cat', approvalRef: 'Surat' }, { actor: 'admin-1' });
  b.at('2024-12-04 09:30');
  b.add('RankingDecided', { formationId: 'f1', ranking: ['A1', 'A2', 'A3', 'A4'].map((applicationId, i) => ({ applicationId, rank: i + 1, final: 80 - i })) }, { actor: 'sup-1' });
  b.at('2024-12-05 10:00');
  for (const [id, code] of [['A1', 'L'], ['A2', 'TL'], ['A3', 'L'], ['A4', 'TL']] as const) b.add('FinalDecisionRecorded', { applicationId: id, code }, { actor: 'sup-1' });
  b.at('2024-12-06 14:00');
  b.add('ResultsAnnounced', { formationId: 'f1', reference: 'Final', documentHash: 'c'.repeat(64), results: [{ applicationId: 'A1', code: 'L' }, { applicationId: 'A2', code: 'TL' }, { applicationId: 'A3', code: 'L' }, { applicationId: 'A4', code: 'L' }] });
  return { b, directory: d.state };
}

/** The same directory with its maps filled in another order. */
function shuffled(state: DirectoryState): DirectoryState {
  return { ...state, actors: new Map([...state.actors].reverse()), agencies: new Map([...state.agencies].reverse()), versions: new Map([...state.versions].reverse()) };
}

describe('the detectors API', () => {
  it('lists the twelve detectors by id, each at version 1 with a bilingual title', () => {
    expect(DETECTORS.map((d) => d.id)).toEqual(IDS);
    for (const d of DETECTORS) {
      expect(d.version).toBe('1');
      expect(['high', 'medium', 'low']).toContain(d.severity);
      expect(d.title.id.length).toBeGreaterThan(5);
      expect(d.title.en.length).toBeGreaterThan(5);
    }
  });

  it('derives flag ids from SHA-256 of the JCS of {detector, version, key}', () => {
    const expected = createHash('sha256').update('{"detector":"related-party","key":"ver-1:A1","version":"1"}').digest('hex').slice(0, 32);
    expect(flagIdOf('related-party', '1', 'ver-1:A1')).toBe(expected);
    expect(flagIdOf('related-party', '2', 'ver-1:A1')).not.toBe(expected);
  });

  it('has a default configuration with every threshold', () => {
    expect(DEFAULT_DETECTOR_CONFIG).toBe('detectors-2024.1');
    expect(getDetectorConfig()).toBe(DETECTOR_CONFIGS['detectors-2024.1']);
    expect(() => getDetectorConfig('nope')).toThrow(RangeError);
    expect(Object.isFrozen(CONFIG.offHours.holidays)).toBe(true);
    expect(CONFIG.offHours.holidays).toContain('2024-09-16');
  });

  it('runs every detector, sorted by detector then key, with well-formed flags', () => {
    const { b, directory } = kitchenSink();
    const flags = detect({ entries: b.entries, directory, config: CONFIG });
    const detectors = new Set(flags.map((f) => f.detector));
    for (const id of ['related-party', 'manual-cat-override', 'score-after-lock', 'formation-change-late', 'ranking-skip', 'announcement-mismatch', 'late-action', 'shared-identity']) {
      expect(detectors.has(id), id).toBe(true);
    }
    const order = flags.map((f) => `${f.detector}\u0000${f.key}`);
    expect(order).toEqual([...order].sort());
    for (const f of flags) {
      expect(f.flagId).toBe(flagIdOf(f.detector, f.version, f.key));
      expect(f.entries.length).toBeGreaterThan(0);
      expect([...f.entries]).toEqual([...f.entries].sort((x, y) => x - y));
      expect([...f.actors]).toEqual([...f.actors].sort());
      expect([...f.applications]).toEqual([...f.applications].sort());
      for (const v of Object.values(f.facts)) expect(['string', 'number', 'boolean']).toContain(typeof v);
      const text = explainFlag(f);
      expect(text.id).not.toMatch(/undefined|NaN/);
      expect(text.en).not.toMatch(/undefined|NaN/);
    }
    expect(flags.filter((f) => f.detector === 'related-party').map((f) => [f.key, f.facts.rank])).toEqual([
      ['sup-1:A3', 2],
      ['ver-1:A1', 1],
      ['ver-2:A2', 1],
    ]);
  });

  it('is deterministic: same input twice, and a directory whose maps were filled in another order', () => {
    const { b, directory } = kitchenSink();
    const first = detect({ entries: b.entries, directory, config: CONFIG });
    const second = detect({ entries: b.entries.map((e) => ({ ...e })), directory, config: CONFIG });
    const third = detect({ entries: b.entries, directory: shuffled(directory), config: CONFIG });
    expect(second).toEqual(first);
    expect(third).toEqual(first);
  });

  it('runs only the named detectors and refuses unknown ones', () => {
    const { b, directory } = kitchenSink();
    const only = detect({ entries: b.entries, directory, config: CONFIG }, ['ranking-skip', 'late-action']);
    expect(new Set(only.map((f) => f.detector))).toEqual(new Set(['late-action', 'ranking-skip']));
    expect(() => detect({ entries: b.entries, directory, config: CONFIG }, ['nope'])).toThrow(RangeError);
  });

  it('ignores flag events and unknown entry types as input', () => {
    const { b, directory } = kitchenSink();
    const before = detect({ entries: b.entries, directory, config: CONFIG });
    const f: Flag = before[0]!;
    b.add('FlagRaised', { ...f, facts: { ...f.facts }, entries: [...f.entries], actors: [...f.actors], applications: [...f.applications], config: CONFIG.id, checkpoint: { size: 10, root: 'x' } }, { actor: 'sup-1', stream: `flag-${f.flagId}`, at: '2024-12-07 02:00' });
    b.add('FlagDisposed', { flagId: f.flagId, status: 'dismissed', reason: 'x' }, { actor: 'sup-1', stream: `flag-${f.flagId}`, at: '2024-12-07 02:00' });
    b.entries.push({ ...b.entries[0]!, seq: b.entries.length, type: 'SomethingNew', payload: {} });
    expect(detect({ entries: b.entries, directory, config: CONFIG })).toEqual(before);
  });

  it('sees entries appended to the same array after a run', () => {
    const b = openedPeriod();
    b.submit('A1', {});
    expect(detect({ entries: b.entries, directory: new DirectoryBuilder().state, config: CONFIG }, ['late-action'])).toEqual([]);
    b.at('2024-09-08 07:30');
    b.submit('A2', {}, { submittedAt: wibOffset('2024-09-07 10:00') });
    expect(detect({ entries: b.entries, directory: new DirectoryBuilder().state, config: CONFIG }, ['late-action'])).toHaveLength(1);
  });

  it('explains a flag of an unknown detector generically', () => {
    const text = explainFlag({ flagId: '0'.repeat(32), detector: 'future-detector', version: '9', severity: 'low', key: 'k', entries: [1], actors: [], applications: [], facts: {} });
    expect(text.en).toContain('future-detector');
    expect(text.id).toContain('future-detector');
  });
});
