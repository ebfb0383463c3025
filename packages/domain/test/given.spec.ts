import { describe, expect, it } from 'vitest';
import { ADMIN, cpnsPeriod, ctx, ev, formation, given, replay, submitted } from './given.ts';

// The helper must fail loudly, or every other spec could pass vacuously.
describe('the given/when/then helper', () => {
  const amend = { type: 'AmendFormation', formationId: 'F-1', changes: { quota: 2 }, reason: 'r', reference: 'ref' } as const;

  it('fails on different events', () => {
    expect(() => given(cpnsPeriod()).when(amend, ctx(ADMIN)).then([ev('FormationAmended', { formationId: 'F-1', changes: { quota: 3 }, reason: 'r', reference: 'ref' })])).toThrow();
  });

  it('fails when an error is expected and the command is accepted, or the rule differs', () => {
    expect(() => given(cpnsPeriod()).when(amend, ctx(ADMIN)).thenThrows('empty-change')).toThrow(/accepted/);
    expect(() => given(cpnsPeriod()).when({ ...amend, changes: {} }, ctx(ADMIN)).thenThrows('period-exists')).toThrow();
  });

  it('fails on an invalid command', () => {
    expect(() => given(cpnsPeriod()).when({ ...amend, reason: '' }, ctx(ADMIN))).toThrow(/invalid AmendFormation/);
  });

  it('numbers seq and per-stream versions like the store', () => {
    const state = replay(cpnsPeriod(), formation('F-2'), submitted('A-1'));
    expect(state.size).toBe(5);
    expect(state.versions.get('period')).toBe(0);
    expect(state.versions.get('formation-F-1')).toBe(0);
    expect(state.versions.get('application-A-1')).toBe(0);
  });
});
