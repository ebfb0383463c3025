import { describe, expect, it } from 'vitest';
import { PeriodCommand } from '../src/commands.ts';
import type { PeriodEvent } from '../src/events.ts';
import { ADMIN, INSPECTOR, OFFICER, SUPERVISOR, by, cpnsPeriod, ctx, eligible, ev, given, idx, skd } from './given.ts';

type FlagRaised = Extract<PeriodEvent, { type: 'FlagRaised' }>['payload'];
type FlagBody = Omit<FlagRaised, 'checkpoint' | 'config'>;

const ROOT = 'q5Zx8Qm9mN0aJk8b4xUzL6cG5cWcQ0cYdU8lWw1s9GQ=';
const CONFIG = 'default-2024';
const INSPECTOR2 = { ...INSPECTOR, id: 'insp-2' };

/** A flag as a detector would report it. */
function flag(name: string, entries: number[] = [3], overrides: Partial<FlagBody> = {}): FlagBody {
  return {
    flagId: idx(`flag-${name}`),
    detector: 'manual-cat-override',
    version: '1',
    severity: 'high',
    key: `A-1:${name}`,
    entries,
    actors: [OFFICER.id],
    applications: ['A-1'],
    formationId: 'F-1',
    facts: { part: 'skd', manualTotal: 420, catTotal: 400 },
    ...overrides,
  };
}

function raise(size: number, ...flags: FlagBody[]) {
  return { type: 'RaiseFlags', checkpoint: { size, root: ROOT }, config: CONFIG, flags } as const;
}

/** The FlagRaised event of a flag raised at `size`. */
function raised(f: FlagBody, size: number): PeriodEvent {
  return ev('FlagRaised', { ...f, config: CONFIG, checkpoint: { size, root: ROOT } });
}

// 0 PeriodOpened, 1 FormationAnnounced, 2-5 A-1 eligible, 6 SKD manual, 7 SKD CAT: 8 entries.
const history = () => [cpnsPeriod(), eligible('A-1'), skd('A-1', 100, 100, 200, 'manual'), skd('A-1', 90, 100, 200, 'cat')];

describe('RaiseFlags', () => {
  it('raises each flag on its own stream, new (expectedVersion -1), with the checkpoint and config', () => {
    const a = flag('a', [6, 7]);
    const { formationId: _, ...b } = flag('b', [2], { detector: 'off-hours-burst', severity: 'low', key: 'off-1:2024-08-25' });
    const state = given(history())
      .when(raise(8, a, b), ctx(INSPECTOR))
      .thenAppends([
        { stream: `flag-${a.flagId}`, expectedVersion: -1, events: [raised(a, 8)] },
        { stream: `flag-${b.flagId}`, expectedVersion: -1, events: [raised(b, 8)] },
      ]);
    expect([...state.flags.keys()]).toEqual([a.flagId, b.flagId]);
    expect(state.flags.get(a.flagId)).toMatchObject({ status: 'open', dispositions: [], raised: { seq: 8, actor: { id: INSPECTOR.id, role: 'inspector' } } });
    expect(state.flags.get(a.flagId)?.payload).toMatchObject({ entries: [6, 7], checkpoint: { size: 8, root: ROOT }, config: CONFIG });
    expect(state.flags.get(b.flagId)?.payload.formationId).toBeUndefined();
  });

  it('is also open to an admin (the detection running as the system)', () => {
    given(history()).when(raise(8, flag('a')), ctx(ADMIN)).then([raised(flag('a'), 8)]);
  });

  it('skips flags already raised, silently: a re-run raises nothing twice', () => {
    const a = flag('a');
    const b = flag('b');
    // A later run, on a larger checkpoint, finds the same flag a and a new one b.
    given(history(), by(INSPECTOR, raised(a, 8)))
      .when(raise(9, a, b), ctx(INSPECTOR))
      .thenAppends([{ stream: `flag-${b.flagId}`, expectedVersion: -1, events: [raised(b, 9)] }]);
  });

  it("refuses a run where every flag was already raised: 'no-new-flags'", () => {
    const a = flag('a');
    given(history(), by(INSPECTOR, raised(a, 8))).when(raise(8, a), ctx(INSPECTOR)).thenThrows('no-new-flags');
  });

  it('keeps the first raising of a flag even when its stream is written again', () => {
    const a = flag('a');
    const state = given(history(), by(INSPECTOR, raised(a, 8)), by(INSPECTOR, { event: raised({ ...a, severity: 'low' }, 9), stream: `flag-${a.flagId}` })).state;
    expect(state.flags.get(a.flagId)?.payload.severity).toBe('high');
    expect(state.flags.get(a.flagId)?.raised.seq).toBe(8);
  });

  it("refuses evidence outside the checkpoint: 'flag-evidence'", () => {
    given(history())
      .when(raise(8, flag('a'), flag('b', [3, 8])), ctx(INSPECTOR))
      .thenThrows('flag-evidence', { field: 'flags.1.entries.1', details: { size: 8 } });
  });

  it("refuses a checkpoint beyond the ledger: 'flag-checkpoint'", () => {
    given(history()).when(raise(9, flag('a')), ctx(INSPECTOR)).thenThrows('flag-checkpoint', { field: 'checkpoint.size' });
  });

  it("refuses the same flag twice in one command: 'flag-duplicate'", () => {
    given(history()).when(raise(8, flag('a'), flag('a')), ctx(INSPECTOR)).thenThrows('flag-duplicate', { field: 'flags.1.flagId' });
  });

  it("is for inspectors and admins only: officers and supervisors never raise flags ('role')", () => {
    given(history()).when(raise(8, flag('a')), ctx(OFFICER)).thenThrows('role');
    given(history()).when(raise(8, flag('a')), ctx(SUPERVISOR)).thenThrows('role');
    given(history()).when(raise(8, flag('a')), ctx({ id: 'ombudsman-1', role: 'ombudsman', agency: null })).thenThrows('role');
  });

  it("needs the period opened: 'period-not-open'", () => {
    given().when(raise(0, flag('a')), ctx(INSPECTOR)).thenThrows('period-not-open');
  });

  it('takes at most 500 flags and at least one (schema)', () => {
    const many = Array.from({ length: 501 }, (_, i) => flag(`f${i}`));
    expect(PeriodCommand.safeParse(raise(8, ...many)).success).toBe(false);
    expect(PeriodCommand.safeParse(raise(8)).success).toBe(false);
    expect(PeriodCommand.safeParse(raise(8, ...many.slice(0, 500))).success).toBe(true);
    expect(PeriodCommand.safeParse(raise(8, flag('a', []))).success).toBe(false);
    expect(PeriodCommand.safeParse(raise(8, { ...flag('a'), flagId: 'not-hex' })).success).toBe(false);
  });
});

describe('DisposeFlag', () => {
  const a = flag('a', [6, 7]);
  const stream = `flag-${a.flagId}`;
  const withFlag = () => [history(), by(INSPECTOR, raised(a, 8))];

  it('records a disposition on the flag stream; the flag stays, now confirmed', () => {
    const state = given(withFlag())
      .when({ type: 'DisposeFlag', flagId: a.flagId, status: 'confirmed', reason: 'nilai diketik ulang tanpa dasar', reference: 'LHP-12/2024' }, ctx(INSPECTOR))
      .thenAppends([{ stream, expectedVersion: 0, events: [ev('FlagDisposed', { flagId: a.flagId, status: 'confirmed', reason: 'nilai diketik ulang tanpa dasar', reference: 'LHP-12/2024' })] }]);
    const f = state.flags.get(a.flagId);
    expect(f?.status).toBe('confirmed');
    expect(f?.dispositions).toEqual([expect.objectContaining({ seq: 9, status: 'confirmed', reason: 'nilai diketik ulang tanpa dasar', reference: 'LHP-12/2024', actor: { id: INSPECTOR.id, role: 'inspector' } })]);
    expect(f?.payload.entries).toEqual([6, 7]);
  });

  it('takes any number of dispositions, each an event; the latest wins', () => {
    const first = by(INSPECTOR, ev('FlagDisposed', { flagId: a.flagId, status: 'dismissed', reason: 'koreksi sah' }));
    const state = given(withFlag(), first)
      .when({ type: 'DisposeFlag', flagId: a.flagId, status: 'referred', reason: 'diteruskan ke Ombudsman', reference: 'SURAT-7' }, ctx(INSPECTOR2))
      .thenAppends([{ stream, expectedVersion: 1, events: [ev('FlagDisposed', { flagId: a.flagId, status: 'referred', reason: 'diteruskan ke Ombudsman', reference: 'SURAT-7' })] }]);
    const f = state.flags.get(a.flagId);
    expect(f?.status).toBe('referred');
    expect(f?.dispositions.map((d) => [d.status, d.reference, d.actor.id])).toEqual([
      ['dismissed', null, INSPECTOR.id],
      ['referred', 'SURAT-7', INSPECTOR2.id],
    ]);
  });

  it('refuses an unknown flag: NOT_FOUND', () => {
    given(history())
      .when({ type: 'DisposeFlag', flagId: a.flagId, status: 'dismissed', reason: 'tidak ada' }, ctx(INSPECTOR))
      .thenThrows('flag-not-found', { code: 'NOT_FOUND', field: 'flagId' });
  });

  it("is for inspectors only: not officers, supervisors or admins ('role')", () => {
    for (const actor of [OFFICER, SUPERVISOR, ADMIN]) {
      given(withFlag()).when({ type: 'DisposeFlag', flagId: a.flagId, status: 'dismissed', reason: 'bukan masalah' }, ctx(actor)).thenThrows('role');
    }
  });

  it('ignores a disposition of an unknown flag on replay (it cannot come from decide)', () => {
    const state = given(history(), by(INSPECTOR, ev('FlagDisposed', { flagId: a.flagId, status: 'dismissed', reason: 'x' }))).state;
    expect(state.flags.size).toBe(0);
    expect(state.versions.get(stream)).toBe(0);
  });
});
