/**
 * The directory ledger: agencies, the actors who act on period ledgers, and the relatives
 * they declare (for conflict-of-interest matching). State, evolve and decide, like a period.
 */
import type { z } from 'zod';
import type { DirectoryCommand } from './commands.ts';
import type { DecideContext } from './decide.ts';
import { DomainError } from './errors.ts';
import { streams } from './events.ts';
import type { DirectoryEvent, DirectoryEventType, DirectoryEvents, PersonIndexes, Recorded, Role, Sealed } from './events.ts';
import type { Stamp } from './state.ts';

/** A registered agency (instansi). */
export interface AgencyState {
  readonly code: string;
  readonly name: string;
  readonly level: 'pusat' | 'daerah';
  readonly registered: Stamp;
}

/** A declared relative of an actor. */
export interface RelativeState {
  readonly relation: z.infer<(typeof DirectoryEvents)['RelativeDeclared']>['relation'];
  /** Null when not given or erased. */
  personal: Sealed | null;
  /** The personal-data subject (key id), kept after erasure. */
  readonly subject: string | null;
  readonly indexes: PersonIndexes;
  readonly declared: Stamp;
}

/** A registered actor. */
export interface ActorState {
  readonly actorId: string;
  readonly role: Role;
  readonly agency: string | null;
  active: boolean;
  deactivated: (Stamp & { readonly reason: string }) | null;
  /** Null when not given or erased. */
  personal: Sealed | null;
  /** The personal-data subject (key id), kept after erasure. */
  readonly subject: string | null;
  /** Blind indexes survive erasure. */
  readonly indexes: PersonIndexes;
  readonly relatives: RelativeState[];
  /** Seq of the ActorRegistered entry. */
  readonly registeredSeq: number;
  readonly registered: Stamp;
}

/** Everything the directory ledger has recorded. */
export interface DirectoryState {
  readonly agencies: Map<string, AgencyState>;
  readonly actors: Map<string, ActorState>;
  /** Subjects whose personal data was erased, with the entry that erased it. */
  readonly erased: Map<string, Stamp>;
  readonly versions: Map<string, number>;
  size: number;
}

/** One append of the directory ledger. */
export interface DirectoryAppend {
  readonly stream: string;
  readonly expectedVersion: number;
  readonly events: readonly DirectoryEvent[];
}

/** What a directory command decides. */
export interface DirectoryDecision {
  readonly appends: readonly DirectoryAppend[];
}

/** Roles that act for an agency and so need one. */
const AGENCY_ROLES: readonly Role[] = ['officer', 'supervisor', 'portal'];

/** The directory with no events. */
export function initialDirectoryState(): DirectoryState {
  return { agencies: new Map(), actors: new Map(), erased: new Map(), versions: new Map(), size: 0 };
}

/** Applies one recorded directory event in place; never throws on an event the schema accepts. */
export function evolveDirectory(state: DirectoryState, event: DirectoryEvent, recorded: Recorded): void {
  state.versions.set(recorded.stream, recorded.version);
  state.size = Math.max(state.size, recorded.seq + 1);
  const stamp: Stamp = { seq: recorded.seq, at: recorded.at, actor: { id: recorded.actor.id, role: recorded.actor.role } };
  switch (event.type) {
    case 'AgencyRegistered': {
      const p = event.payload;
      if (!state.agencies.has(p.code)) state.agencies.set(p.code, { code: p.code, name: p.name, level: p.level, registered: stamp });
      return;
    }
    case 'ActorRegistered': {
      const p = event.payload;
      if (state.actors.has(p.actorId)) return;
      state.actors.set(p.actorId, {
        actorId: p.actorId,
        role: p.role,
        agency: p.agency,
        active: true,
        deactivated: null,
        personal: p.personal ?? null,
        subject: p.personal?.subject ?? null,
        indexes: p.indexes,
        relatives: [],
        registeredSeq: recorded.seq,
        registered: stamp,
      });
      return;
    }
    case 'RelativeDeclared': {
      const p = event.payload;
      state.actors.get(p.actorId)?.relatives.push({ relation: p.relation, personal: p.personal ?? null, subject: p.personal?.subject ?? null, indexes: p.indexes, declared: stamp });
      return;
    }
    case 'ActorDeactivated': {
      const actor = state.actors.get(event.payload.actorId);
      if (actor && actor.active) {
        actor.active = false;
        actor.deactivated = { ...stamp, reason: event.payload.reason };
      }
      return;
    }
    case 'PersonalDataErased': {
      const subject = event.payload.subject;
      if (!state.erased.has(subject)) state.erased.set(subject, stamp);
      const actor = recorded.stream.startsWith('actor-') ? state.actors.get(recorded.stream.slice('actor-'.length)) : undefined;
      if (!actor) return;
      if (actor.personal?.subject === subject) actor.personal = null;
      for (const r of actor.relatives) if (r.personal?.subject === subject) r.personal = null;
      return;
    }
    default: {
      const never: never = event;
      return never;
    }
  }
}

function fail(rule: string, message: string, opts: { code?: 'NOT_FOUND'; field?: string; details?: Record<string, unknown> } = {}): never {
  throw new DomainError(rule, message, opts);
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function event<K extends DirectoryEventType>(type: K, payload: z.infer<(typeof DirectoryEvents)[K]>): DirectoryEvent {
  return { type, payload: defined(payload) } as DirectoryEvent;
}

/** Decides a directory command against the state (admins only, except an actor declaring their own relative); throws DomainError naming the rule; never mutates state. */
export function decideDirectory(state: DirectoryState, command: DirectoryCommand, ctx: DecideContext): DirectoryDecision {
  const self = command.type === 'DeclareRelative' && command.actorId === ctx.actor.id;
  if (ctx.actor.role !== 'admin' && !self) fail('role', `a ${ctx.actor.role} may not ${command.type}`, { details: { role: ctx.actor.role, allowed: ['admin'] } });
  const append = (stream: string, e: DirectoryEvent): DirectoryDecision => ({ appends: [{ stream, expectedVersion: state.versions.get(stream) ?? -1, events: [e] }] });
  const actorOf = (actorId: string): ActorState =>
    state.actors.get(actorId) ?? fail('actor-not-found', `no actor ${actorId}`, { code: 'NOT_FOUND', field: 'actorId' });

  switch (command.type) {
    case 'RegisterAgency': {
      const stream = streams.agency(command.code);
      if (state.agencies.has(command.code) || state.versions.has(stream)) fail('agency-exists', `agency ${command.code} is already registered`, { field: 'code' });
      return append(stream, event('AgencyRegistered', { code: command.code, name: command.name, level: command.level }));
    }
    case 'RegisterActor': {
      const stream = streams.actor(command.actorId);
      if (state.actors.has(command.actorId) || state.versions.has(stream)) fail('actor-exists', `actor ${command.actorId} is already registered`, { field: 'actorId' });
      if (AGENCY_ROLES.includes(command.role)) {
        if (command.agency === null || !state.agencies.has(command.agency)) fail('actor-agency', `a ${command.role} needs a registered agency`, { field: 'agency' });
      } else if (command.agency !== null) {
        fail('actor-agency', `a ${command.role} acts for no agency`, { field: 'agency' });
      }
      return append(
        stream,
        event('ActorRegistered', { actorId: command.actorId, role: command.role, agency: command.agency, personal: command.personal, indexes: defined(command.indexes) }),
      );
    }
    case 'DeclareRelative': {
      const actor = actorOf(command.actorId);
      if (!actor.active) fail('actor-inactive', 'the actor is deactivated', { field: 'actorId' });
      if (Object.values(command.indexes).every((v) => v === undefined)) fail('relative-indexes', 'a relative needs at least one blind index', { field: 'indexes' });
      return append(
        streams.actor(actor.actorId),
        event('RelativeDeclared', { actorId: actor.actorId, relation: command.relation, personal: command.personal, indexes: defined(command.indexes) }),
      );
    }
    case 'DeactivateActor': {
      const actor = actorOf(command.actorId);
      if (!actor.active) fail('actor-inactive', 'the actor is already deactivated', { field: 'actorId' });
      return append(streams.actor(actor.actorId), event('ActorDeactivated', { actorId: actor.actorId, reason: command.reason }));
    }
    case 'ErasePersonalData': {
      const actor = actorOf(command.actorId);
      const subjects = [actor.subject, ...actor.relatives.map((r) => r.subject)].filter((s): s is string => s !== null);
      const subject = command.subject ?? actor.subject;
      if (subject === null || !subjects.includes(subject)) {
        fail('unknown-subject', "the subject is neither the actor's nor a declared relative's personal data", { field: 'subject' });
      }
      if (state.erased.has(subject)) fail('already-erased', 'this personal data was already erased', { field: 'subject' });
      return append(streams.actor(actor.actorId), event('PersonalDataErased', { subject, legalBasis: command.legalBasis, requestRef: command.requestRef }));
    }
    default: {
      const never: never = command;
      return never;
    }
  }
}
