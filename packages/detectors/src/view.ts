/**
 * One typed pass over a period ledger shared by all detectors: entries with their event,
 * the applications with their formation and blind indexes, and local-time helpers.
 * Computed once per entries array and cached (the entries are immutable evidence); when the
 * array only grew, the view is extended by the new entries.
 */
import { PeriodEvents } from '@casn/domain';
import type { PeriodEvent, PersonIndexes } from '@casn/domain';
import type { DetectionEntry } from './types.ts';

/** An entry with its typed event and its time in epoch milliseconds. */
export interface ViewEntry {
  readonly entry: DetectionEntry;
  readonly event: PeriodEvent;
  readonly time: number;
}

/** One application as submitted. */
export interface AppInfo {
  readonly id: string;
  readonly formationId: string;
  /** Seq of its ApplicationSubmitted. */
  readonly seq: number;
  readonly indexes: PersonIndexes;
  readonly submittedAt: string;
  readonly channel: 'portal' | 'import';
}

/** The typed ledger. */
export interface LedgerView {
  /** Every non-flag entry of a known type, in seq order. */
  readonly events: readonly ViewEntry[];
  /** Applications by id (the first submission of an id). */
  readonly apps: ReadonlyMap<string, AppInfo>;
  /** CPNS or PPPK, and the rule set id, when the period was opened. */
  readonly kind: 'CPNS' | 'PPPK' | null;
  readonly rulesId: string | null;
}

/** Flag events are the detectors' output, never their input; completeness commitments are the system's bookkeeping. */
const IGNORED = new Set(['FlagRaised', 'FlagDisposed', 'StreamHeadsCommitted']);

interface Cached {
  readonly view: { events: ViewEntry[]; apps: Map<string, AppInfo>; kind: LedgerView['kind']; rulesId: string | null };
  length: number;
  last: DetectionEntry | undefined;
}

// Keyed by the array, checked by length and last element: a caller that appends to its
// array between runs gets the view extended by the new entries only; any other change to
// the array gets a fresh view, never a stale one.
const cache = new WeakMap<readonly DetectionEntry[], Cached>();

/** The typed view of a ledger's entries (cached per array; extended when the array only grew). */
export function viewOf(entries: readonly DetectionEntry[]): LedgerView {
  let cached = cache.get(entries);
  const grown = cached !== undefined && cached.length <= entries.length && entries[cached.length - 1] === cached.last;
  if (!cached || !grown) {
    cached = { view: { events: [], apps: new Map(), kind: null, rulesId: null }, length: 0, last: undefined };
    cache.set(entries, cached);
  }
  const view = cached.view;
  for (let i = cached.length; i < entries.length; i++) {
    const entry = entries[i]!;
    if (IGNORED.has(entry.type) || !Object.hasOwn(PeriodEvents, entry.type)) continue;
    // Entries were validated against the catalogue when they were appended; the cast only names
    // their type. The entry itself is the event (type and payload), so nothing is copied.
    const event = entry as unknown as PeriodEvent;
    view.events.push({ entry, event, time: Date.parse(entry.at) });
    if (event.type === 'ApplicationSubmitted') {
      const p = event.payload;
      if (!view.apps.has(p.applicationId)) {
        view.apps.set(p.applicationId, { id: p.applicationId, formationId: p.formationId, seq: entry.seq, indexes: p.indexes, submittedAt: p.submittedAt, channel: p.channel });
      }
    } else if (event.type === 'PeriodOpened' && view.kind === null) {
      view.kind = event.payload.kind;
      view.rulesId = event.payload.rules;
    }
  }
  cached.length = entries.length;
  cached.last = entries[entries.length - 1];
  return view;
}

/** A wall-clock reading of an instant at a fixed UTC offset. */
export interface LocalTime {
  /** YYYY-MM-DD. */
  readonly date: string;
  /** HH:MM:SS. */
  readonly clock: string;
  readonly hour: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
}

/** Reads an instant (epoch ms) on the wall clock `offsetMinutes` from UTC. */
export function localTime(time: number, offsetMinutes: number): LocalTime {
  const d = new Date(time + offsetMinutes * 60_000);
  const iso = d.toISOString();
  return { date: iso.slice(0, 10), clock: iso.slice(11, 19), hour: d.getUTCHours(), weekday: d.getUTCDay() };
}

/** Local date and clock of an instant, for explanations: "YYYY-MM-DD HH:MM:SS". */
export function localStamp(time: number, offsetMinutes: number): string {
  const t = localTime(time, offsetMinutes);
  return `${t.date} ${t.clock}`;
}

/** "UTC+07:00" for an offset in minutes. */
export function offsetLabel(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Appends to a list in a map, creating it. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
