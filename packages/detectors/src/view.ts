/**
 * One typed pass over a period ledger shared by all detectors: entries with their event,
 * the applications with their formation and blind indexes, and local-time helpers.
 * Computed once per entries array and cached (the entries are immutable evidence).
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

/** Flag events are the detectors' output, never their input. */
const IGNORED = new Set(['FlagRaised', 'FlagDisposed']);

// Keyed by the array, checked by length and last element: a caller that appends to its
// array between runs gets a fresh view, never a stale one.
const cache = new WeakMap<readonly DetectionEntry[], { readonly view: LedgerView; readonly length: number; readonly last: DetectionEntry | undefined }>();

/** The typed view of a ledger's entries (cached per array while it is unchanged). */
export function viewOf(entries: readonly DetectionEntry[]): LedgerView {
  const cached = cache.get(entries);
  if (cached && cached.length === entries.length && cached.last === entries[entries.length - 1]) return cached.view;
  const events: ViewEntry[] = [];
  const apps = new Map<string, AppInfo>();
  let kind: 'CPNS' | 'PPPK' | null = null;
  let rulesId: string | null = null;
  for (const entry of entries) {
    if (IGNORED.has(entry.type) || !Object.hasOwn(PeriodEvents, entry.type)) continue;
    // Entries were validated against the catalogue when they were appended; the cast only names
    // their type. The entry itself is the event (type and payload), so nothing is copied.
    const event = entry as unknown as PeriodEvent;
    events.push({ entry, event, time: Date.parse(entry.at) });
    if (event.type === 'ApplicationSubmitted') {
      const p = event.payload;
      if (!apps.has(p.applicationId)) {
        apps.set(p.applicationId, { id: p.applicationId, formationId: p.formationId, seq: entry.seq, indexes: p.indexes, submittedAt: p.submittedAt, channel: p.channel });
      }
    } else if (event.type === 'PeriodOpened' && kind === null) {
      kind = event.payload.kind;
      rulesId = event.payload.rules;
    }
  }
  const view: LedgerView = { events, apps, kind, rulesId };
  cache.set(entries, { view, length: entries.length, last: entries[entries.length - 1] });
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
