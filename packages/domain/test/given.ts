/**
 * Given/when/then for the decision layer: `given(events).when(command, ctx).then(events)`.
 * Events are replayed through `evolve` with synthetic Recorded metadata (stream derived from
 * the event, increasing times, the `by` actor); `when` checks the command against its schema,
 * decides, and checks that decide did not mutate the state; `then` checks the events, that
 * each append expects its stream's current version, that every payload passes its schema,
 * and returns the state after applying the appends.
 */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { DirectoryCommand, PeriodCommand } from '../src/commands.ts';
import type { DirectoryCommand as DirectoryCommandT, PeriodCommand as PeriodCommandT } from '../src/commands.ts';
import { decide } from '../src/decide.ts';
import type { Actor, Append, DecideContext, Decision } from '../src/decide.ts';
import { decideDirectory, evolveDirectory, initialDirectoryState } from '../src/directory.ts';
import type { DirectoryAppend, DirectoryDecision, DirectoryState } from '../src/directory.ts';
import { isDomainError, type DomainError } from '../src/errors.ts';
import { DirectoryEvents, PeriodEvents, streams } from '../src/events.ts';
import type { DirectoryEvent, PeriodEvent, Recorded, Sealed } from '../src/events.ts';
import { evolve, initialPeriodState } from '../src/state.ts';
import type { PeriodState } from '../src/state.ts';

// ---------------------------------------------------------------- actors and context

export const AGENCY = { code: 'KAB-CTH', name: 'Pemerintah Kabupaten Contoh', level: 'daerah' } as const;
export const ADMIN: Actor = { id: 'admin-1', role: 'admin', agency: null };
export const SUPERVISOR: Actor = { id: 'sup-1', role: 'supervisor', agency: AGENCY.code };
export const SUPERVISOR2: Actor = { id: 'sup-2', role: 'supervisor', agency: AGENCY.code };
export const OFFICER: Actor = { id: 'off-1', role: 'officer', agency: AGENCY.code };
export const OFFICER2: Actor = { id: 'off-2', role: 'officer', agency: AGENCY.code };
export const PORTAL: Actor = { id: 'portal', role: 'portal', agency: AGENCY.code };
export const INSPECTOR: Actor = { id: 'insp-1', role: 'inspector', agency: null };

/** A time well after every stage of the demo schedule. */
export const LATER = '2024-12-01T00:00:00.000Z';

/** A decision context. */
export function ctx(actor: Actor, now: string = LATER): DecideContext {
  return { actor, now };
}

// ---------------------------------------------------------------- given entries

/** An event with optional recording metadata. */
export interface Entry<E> {
  readonly event: E;
  readonly stream?: string;
  readonly at?: string;
  readonly actor?: Actor;
}
/** What `given` accepts: events, entries, and nested lists of them. */
export type Given<E> = E | Entry<E> | readonly Given<E>[];

const isEntry = <E>(g: E | Entry<E>): g is Entry<E> => typeof g === 'object' && g !== null && 'event' in g;

function flatten<E>(items: readonly Given<E>[]): Entry<E>[] {
  const out: Entry<E>[] = [];
  for (const g of items) {
    if (Array.isArray(g)) out.push(...flatten(g as readonly Given<E>[]));
    else out.push(isEntry(g as E | Entry<E>) ? (g as Entry<E>) : { event: g as E });
  }
  return out;
}

/** Records the event(s) as done by this actor. */
export function by<E>(actor: Actor, ...events: Given<E>[]): Entry<E>[] {
  return flatten(events).map((e) => ({ ...e, actor }));
}

/** Records the event(s) at this time. */
export function at<E>(time: string, ...events: Given<E>[]): Entry<E>[] {
  return flatten(events).map((e) => ({ ...e, at: time }));
}

const BASE = Date.parse('2024-08-01T00:00:00.000Z');

/** Derives the stream of a period event as decide would choose it. */
function streamOf(event: PeriodEvent, state: PeriodState): string {
  switch (event.type) {
    case 'PeriodOpened':
    case 'ScheduleAmended':
    case 'ResultsPublished':
      return streams.period;
    case 'FormationAnnounced':
    case 'FormationAmended':
    case 'SkdCutDecided':
    case 'RankingDecided':
    case 'ResultsAnnounced':
    case 'ReplacementAppointed':
      return streams.formation(event.payload.formationId);
    case 'PersonRegistered': {
      const nik = state.applications.get(event.payload.applicationId)?.indexes.nik;
      if (nik === undefined) throw new Error(`given: PersonRegistered before ApplicationSubmitted ${event.payload.applicationId}`);
      return streams.person(nik);
    }
    case 'FlagRaised':
    case 'FlagDisposed':
      return streams.flag(event.payload.flagId);
    case 'StreamHeadsCommitted':
      return streams.completeness;
    case 'PersonalDataErased': {
      for (const a of state.applications.values()) if (a.personal?.subject === event.payload.subject) return streams.application(a.id);
      throw new Error(`given: no application with subject ${event.payload.subject}`);
    }
    case 'ApplicationSubmitted':
    case 'DocumentsVerified':
    case 'VerificationConfirmed':
    case 'VerificationReturned':
    case 'Reverified':
    case 'SanggahFiled':
    case 'SanggahDecided':
    case 'SkdScoreRecorded':
    case 'SkbScoreRecorded':
    case 'CompetencyScoreRecorded':
    case 'AbsenceRecorded':
    case 'ApplicantDisqualified':
    case 'FinalDecisionRecorded':
    case 'ApplicantResigned':
      return streams.application(event.payload.applicationId);
    default: {
      const never: never = event;
      return never;
    }
  }
}

function directoryStreamOf(event: DirectoryEvent): string {
  switch (event.type) {
    case 'AgencyRegistered':
      return streams.agency(event.payload.code);
    case 'ActorRegistered':
    case 'RelativeDeclared':
    case 'ActorDeactivated':
      return streams.actor(event.payload.actorId);
    case 'PersonalDataErased':
      throw new Error('given: give the stream of a directory PersonalDataErased');
    default: {
      const never: never = event;
      return never;
    }
  }
}

/** Appends recorded events to a state, as the store would: seq, per-stream version, time, actor. */
function record<S extends { versions: Map<string, number>; size: number }, E>(
  state: S,
  entry: Entry<E>,
  stream: string,
  apply: (s: S, e: E, r: Recorded) => void,
): void {
  const seq = state.size;
  const actor = entry.actor ?? ADMIN;
  const recorded: Recorded = {
    seq,
    stream,
    version: (state.versions.get(stream) ?? -1) + 1,
    at: entry.at ?? new Date(BASE + seq * 1000).toISOString(),
    actor: { id: actor.id, role: actor.role },
  };
  apply(state, entry.event, recorded);
}

/** Replays period events into a fresh state. */
export function replay(...events: Given<PeriodEvent>[]): PeriodState {
  const state = initialPeriodState();
  for (const e of flatten(events)) record(state, e, e.stream ?? streamOf(e.event, state), evolve);
  return state;
}

/** Applies a decision's appends to the state as recorded at ctx.now by ctx.actor. */
export function applyDecision(state: PeriodState, appends: readonly Append[], c: DecideContext): void {
  for (const a of appends) for (const event of a.events) record(state, { event, at: c.now, actor: c.actor }, a.stream, evolve);
}

function snapshot<S>(state: S): S {
  return structuredClone(state);
}

/** Expects `fn` to throw the DomainError of `rule` (and the code, field and details given); returns it. */
export function expectDomainError(
  fn: () => unknown,
  rule: string,
  opts: { code?: string; field?: string | undefined; details?: Record<string, unknown> } = {},
): DomainError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error(`expected DomainError '${rule}', but the command was accepted`);
  if (!isDomainError(error)) throw error instanceof Error ? error : new Error(`non-error thrown: ${JSON.stringify(error)}`);
  expect({ rule: error.rule, message: error.message }).toEqual({ rule, message: expect.any(String) as string });
  if (opts.code !== undefined) expect(error.code).toBe(opts.code);
  if (opts.field !== undefined) expect(error.opts.field).toBe(opts.field);
  if (opts.details !== undefined) expect(error.opts.details).toMatchObject(opts.details);
  return error;
}

/** The outcome of `when`. */
export interface When<E, A, S> {
  /** Expects exactly these events (over all appends, in order); returns the state after them. */
  then(events: readonly E[]): S;
  /** Expects exactly these appends; returns the state after them. */
  thenAppends(appends: readonly A[]): S;
  /** Expects a DomainError with this rule id (and code, field, details when given). */
  thenThrows(rule: string, opts?: { code?: string; field?: string; details?: Record<string, unknown> }): void;
  /** The decision itself (throws what decide throws). */
  decision(): { appends: readonly A[] };
}

/** Starts a period test from these events. */
export function given(...events: Given<PeriodEvent>[]): { state: PeriodState; when(command: PeriodCommandT, c: DecideContext): When<PeriodEvent, Append, PeriodState> } {
  const state = replay(...events);
  return {
    state,
    when(command, c) {
      const parsed = PeriodCommand.safeParse(command);
      if (!parsed.success) throw new Error(`given: invalid ${command.type} command: ${parsed.error.message}`);
      const run = (): Decision => {
        const before = snapshot(state);
        try {
          return decide(state, command, c);
        } finally {
          expect(state, 'decide must not mutate the state').toEqual(before);
        }
      };
      const check = (d: Decision): PeriodState => {
        for (const a of d.appends) {
          expect(a.expectedVersion, `expectedVersion of ${a.stream}`).toBe(state.versions.get(a.stream) ?? -1);
          for (const e of a.events) expect(PeriodEvents[e.type].parse(e.payload), `${e.type} payload`).toStrictEqual(e.payload);
        }
        const next = snapshot(state);
        applyDecision(next, d.appends, c);
        return next;
      };
      return {
        then(expected) {
          const d = run();
          expect(d.appends.flatMap((a) => a.events)).toStrictEqual(expected);
          return check(d);
        },
        thenAppends(expected) {
          const d = run();
          expect(d.appends).toStrictEqual(expected);
          return check(d);
        },
        thenThrows(rule, opts = {}) {
          expectDomainError(run, rule, opts);
        },
        decision: run,
      };
    },
  };
}

/** Replays directory events into a fresh state. */
export function replayDirectory(...events: Given<DirectoryEvent>[]): DirectoryState {
  const state = initialDirectoryState();
  for (const e of flatten(events)) record(state, e, e.stream ?? directoryStreamOf(e.event), evolveDirectory);
  return state;
}

/** Starts a directory test from these events. */
export function givenDirectory(...events: Given<DirectoryEvent>[]): {
  state: DirectoryState;
  when(command: DirectoryCommandT, c: DecideContext): When<DirectoryEvent, DirectoryAppend, DirectoryState>;
} {
  const state = replayDirectory(...events);
  return {
    state,
    when(command, c) {
      const parsed = DirectoryCommand.safeParse(command);
      if (!parsed.success) throw new Error(`given: invalid ${command.type} command: ${parsed.error.message}`);
      const run = (): DirectoryDecision => {
        const before = snapshot(state);
        try {
          return decideDirectory(state, command, c);
        } finally {
          expect(state, 'decide must not mutate the state').toEqual(before);
        }
      };
      const check = (d: DirectoryDecision): DirectoryState => {
        for (const a of d.appends) {
          expect(a.expectedVersion).toBe(state.versions.get(a.stream) ?? -1);
          for (const e of a.events) expect(DirectoryEvents[e.type].parse(e.payload)).toStrictEqual(e.payload);
        }
        const next = snapshot(state);
        for (const a of d.appends) for (const event of a.events) record(next, { event, at: c.now, actor: c.actor }, a.stream, evolveDirectory);
        return next;
      };
      return {
        then(expected) {
          const d = run();
          expect(d.appends.flatMap((a) => a.events)).toStrictEqual(expected);
          return check(d);
        },
        thenAppends(expected) {
          const d = run();
          expect(d.appends).toStrictEqual(expected);
          return check(d);
        },
        thenThrows(rule, opts = {}) {
          expectDomainError(run, rule, opts);
        },
        decision: run,
      };
    },
  };
}

// ---------------------------------------------------------------- fixtures

/** A deterministic 32-hex blind index. */
export function idx(value: string): string {
  return createHash('md5').update(value).digest('hex');
}

/** A sealed personal-data stand-in. */
export function sealed(subject: string): Sealed {
  return { subject, alg: 'A256GCM', iv: 'aXYtaXYtaXY=', ct: 'Y2lwaGVydGV4dA==' };
}

/** A typed period event. */
export function ev<K extends PeriodEvent['type']>(type: K, payload: Extract<PeriodEvent, { type: K }>['payload']): PeriodEvent {
  return { type, payload } as PeriodEvent;
}

/** A typed directory event. */
export function dev<K extends DirectoryEvent['type']>(type: K, payload: Extract<DirectoryEvent, { type: K }>['payload']): DirectoryEvent {
  return { type, payload } as DirectoryEvent;
}

export const REG_OPENS = '2024-08-20T00:00:00.000Z';
export const REG_CLOSES = '2024-09-06T23:59:59.000Z';
export const SCHEDULE = {
  registration: { opens: REG_OPENS, closes: REG_CLOSES },
  verification: { opens: '2024-08-21T00:00:00.000Z', closes: '2024-09-15T23:59:59.000Z' },
  skd: { opens: '2024-10-14T00:00:00.000Z', closes: '2024-11-13T23:59:59.000Z' },
  skb: { opens: '2024-11-26T00:00:00.000Z', closes: '2024-12-15T23:59:59.000Z' },
} as const;
export const PPPK_SCHEDULE = {
  registration: { opens: REG_OPENS, closes: REG_CLOSES },
  verification: { opens: '2024-08-21T00:00:00.000Z', closes: '2024-09-15T23:59:59.000Z' },
  kompetensi: { opens: '2024-10-14T00:00:00.000Z', closes: '2024-11-13T23:59:59.000Z' },
} as const;
/** Daerah 2024: CAT at least half, one extra test at most 40 %, no interview. */
export const SKB_WEIGHTS = { cat: 0.6, practical: 0.4 } as const;

/** PeriodOpened of a CPNS 2024 period of a daerah agency. */
export function cpnsOpened(overrides: Partial<Extract<PeriodEvent, { type: 'PeriodOpened' }>['payload']> = {}): PeriodEvent {
  return ev('PeriodOpened', { periodId: 'cpns-2024', agency: { ...AGENCY }, year: 2024, kind: 'CPNS', rules: 'casn-2024', skbWeights: { ...SKB_WEIGHTS }, schedule: SCHEDULE, ...overrides });
}

/** PeriodOpened of a PPPK 2024 period. */
export function pppkOpened(): PeriodEvent {
  return ev('PeriodOpened', { periodId: 'pppk-2024', agency: { ...AGENCY }, year: 2024, kind: 'PPPK', rules: 'pppk-2024', schedule: PPPK_SCHEDULE });
}

/** FormationAnnounced of an 'umum' formation. */
export function formation(formationId = 'F-1', overrides: Partial<Extract<PeriodEvent, { type: 'FormationAnnounced' }>['payload']> = {}): PeriodEvent {
  return ev('FormationAnnounced', { formationId, jabatan: 'Analis Kebijakan Ahli Pertama', unit: 'Bappeda', location: 'Kota Contoh', education: ['S1 Ilmu Administrasi'], track: 'umum', quota: 1, ...overrides });
}

/** The ApplicationSubmitted payload of an import. */
export function submission(applicationId: string, formationId = 'F-1', overrides: Partial<Extract<PeriodEvent, { type: 'ApplicationSubmitted' }>['payload']> = {}): Extract<PeriodEvent, { type: 'ApplicationSubmitted' }>['payload'] {
  return {
    applicationId,
    formationId,
    channel: 'import',
    submittedAt: '2024-08-25T03:00:00.000Z',
    personal: sealed(`subj-${applicationId}`),
    indexes: { nik: idx(`nik-${applicationId}`) },
    education: { level: 'S1', ipk: 3.5 },
    ...overrides,
  };
}

/** ApplicationSubmitted and PersonRegistered of an imported application. */
export function submitted(applicationId: string, formationId = 'F-1', overrides: Partial<Extract<PeriodEvent, { type: 'ApplicationSubmitted' }>['payload']> = {}): Entry<PeriodEvent>[] {
  return by(OFFICER, ev('ApplicationSubmitted', submission(applicationId, formationId, overrides)), ev('PersonRegistered', { applicationId }));
}

/** Documents verified by OFFICER with this verdict. */
export function verified(applicationId: string, verdict: 'MS' | 'TMS' = 'MS'): Entry<PeriodEvent>[] {
  const documents = verdict === 'MS' ? [{ document: 'ijazah', verdict: 'MS' as const }] : [{ document: 'ijazah', verdict: 'TMS' as const, reason: 'ijazah tidak sesuai formasi' }];
  return by(OFFICER, ev('DocumentsVerified', { applicationId, verdict, documents }));
}

/** Verified by OFFICER and confirmed by SUPERVISOR. */
export function confirmed(applicationId: string, verdict: 'MS' | 'TMS' = 'MS'): Entry<PeriodEvent>[] {
  return [...verified(applicationId, verdict), ...by(SUPERVISOR, ev('VerificationConfirmed', { applicationId, verdict }))];
}

/** Submitted, verified and confirmed MS. */
export function eligible(applicationId: string, formationId = 'F-1', overrides: Partial<Extract<PeriodEvent, { type: 'ApplicationSubmitted' }>['payload']> = {}): Entry<PeriodEvent>[] {
  return [...submitted(applicationId, formationId, overrides), ...confirmed(applicationId)];
}

/** A CAT SKD score. */
export function skd(applicationId: string, twk: number, tiu: number, tkp: number, source: 'cat' | 'manual' = 'cat'): Entry<PeriodEvent>[] {
  return by(ADMIN, ev('SkdScoreRecorded', { applicationId, twk, tiu, tkp, source }));
}

/** A CPNS period with formation F-1 (quota 1). */
export function cpnsPeriod(quota = 1): PeriodEvent[] {
  return [cpnsOpened(), formation('F-1', { quota })];
}
