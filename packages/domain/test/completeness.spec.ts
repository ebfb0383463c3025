import { describe, expect, it } from 'vitest';
import type { PeriodEvent } from '../src/events.ts';
import { ADMIN, INSPECTOR, OFFICER, SUPERVISOR, by, cpnsPeriod, ctx, ev, given, submitted } from './given.ts';

const ROOT = 'ab'.repeat(32);

function commit(asOf: number, root = ROOT) {
  return { type: 'CommitStreamHeads', asOf, groups: 2, streams: 3, root } as const;
}

function committed(asOf: number, root = ROOT): PeriodEvent {
  return ev('StreamHeadsCommitted', { asOf, groups: 2, streams: 3, root });
}

// 0 PeriodOpened, 1 FormationAnnounced F-1: 2 entries.
const history = () => cpnsPeriod();

describe('CommitStreamHeads', () => {
  it('records the commitment on stream completeness, new or after the last one', () => {
    const state = given(history())
      .when(commit(2), ctx(INSPECTOR))
      .thenAppends([{ stream: 'completeness', expectedVersion: -1, events: [committed(2)] }]);
    expect(state.completeness).toEqual([{ seq: 2, asOf: 2, groups: 2, streams: 3, root: ROOT }]);

    // 2 the first commitment, 3-4 A-1 (application and person): the second covers them.
    const next = given(history(), committed(2), submitted('A-1'))
      .when(commit(5, 'cd'.repeat(32)), ctx(ADMIN))
      .thenAppends([{ stream: 'completeness', expectedVersion: 0, events: [committed(5, 'cd'.repeat(32))] }]);
    expect(next.completeness.map((c) => [c.seq, c.asOf])).toEqual([[2, 2], [5, 5]]);
  });

  it('may cover fewer entries than the ledger has (appended meanwhile by others)', () => {
    given(history(), submitted('A-1')).when(commit(2), ctx(INSPECTOR)).then([committed(2)]);
  });

  it("refuses to cover entries the ledger does not have: 'completeness-size'", () => {
    given(history()).when(commit(3), ctx(INSPECTOR)).thenThrows('completeness-size', { field: 'asOf', details: { size: 2 } });
  });

  it("refuses a commitment that does not go past the last one: 'completeness-order'", () => {
    const g = given(history(), committed(2), submitted('A-1'));
    g.when(commit(2), ctx(INSPECTOR)).thenThrows('completeness-order', { field: 'asOf', details: { asOf: 2, seq: 2 } });
    g.when(commit(1), ctx(INSPECTOR)).thenThrows('completeness-order');
  });

  it("refuses when nothing but commitments was recorded since the last one: 'completeness-unchanged'", () => {
    given(history(), committed(2)).when(commit(3), ctx(INSPECTOR)).thenThrows('completeness-unchanged');
    // Two commitments in a row (the second covering the first is refused above, but a ledger may hold them).
    given(history(), committed(2), committed(3)).when(commit(4), ctx(INSPECTOR)).thenThrows('completeness-unchanged');
    // One recruitment entry among them is enough.
    given(history(), committed(2), by(SUPERVISOR, ev('ResultsPublished', { stage: 'administrasi', reference: 'P-1' }))).when(commit(4), ctx(INSPECTOR)).then([committed(4)]);
  });

  it("is open to inspectors and admins only: 'role'", () => {
    given(history()).when(commit(2), ctx(OFFICER)).thenThrows('role');
    given(history()).when(commit(2), ctx(SUPERVISOR)).thenThrows('role');
  });

  it("needs the period opened: 'period-not-open'", () => {
    given().when(commit(1), ctx(ADMIN)).thenThrows('period-not-open');
  });
});
