/** Flag identity and construction: ids derived from content, evidence sorted and bounded. */
import { canonicalize, sha256, toHex, utf8 } from '@casn/ledger-core';
import type { Flag, Severity } from './types.ts';

/** Most entries and applications one flag carries (the FlagRaised schema's bound). */
export const MAX_EVIDENCE = 10_000;
/** Most actors one flag carries (the FlagRaised schema's bound). */
export const MAX_ACTORS = 1000;
/** Longest key (the FlagRaised schema's bound). */
export const MAX_KEY = 300;
/** Longest string fact (the FlagRaised schema's bound). */
export const MAX_FACT = 200;

/** The flag id: the first 16 bytes of SHA-256 of the JCS of {detector, version, key}, as 32 hex; a re-run on the same facts gives the same id. */
export function flagIdOf(detector: string, version: string, key: string): string {
  return toHex(sha256(utf8(canonicalize({ detector, version, key }))).subarray(0, 16));
}

// Code-unit order, never localeCompare: the output must not depend on the host's locale.
/** Compares strings by UTF-16 code units. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(byCodeUnit);
}

/** A key of at most MAX_KEY characters: long keys keep their start and gain a hash of the whole. */
export function boundedKey(key: string): string {
  if (key.length <= MAX_KEY) return key;
  const digest = toHex(sha256(utf8(key)).subarray(0, 16));
  return `${key.slice(0, MAX_KEY - 34)}~${digest}`;
}

/** What a detector knows about one finding, before it becomes a Flag. */
export interface FlagDraft {
  readonly key: string;
  readonly severity: Severity;
  readonly entries: Iterable<number>;
  readonly actors?: Iterable<string>;
  readonly applications?: Iterable<string>;
  readonly formationId?: string | undefined;
  readonly facts: Record<string, string | number | boolean>;
}

/** Builds a flag: id from (detector, version, key), evidence deduplicated, sorted and bounded, string facts bounded. */
export function makeFlag(detector: string, version: string, draft: FlagDraft): Flag {
  const key = boundedKey(draft.key);
  const entries = [...new Set(draft.entries)].sort((a, b) => a - b);
  if (entries.length === 0) throw new Error(`a ${detector} flag needs at least one evidence entry`);
  const applications = sortedUnique(draft.applications ?? []);
  const actors = sortedUnique(draft.actors ?? []);
  const facts: Record<string, string | number | boolean> = {};
  for (const k of Object.keys(draft.facts).sort(byCodeUnit)) {
    const v = draft.facts[k]!;
    facts[k] = typeof v === 'string' && v.length > MAX_FACT ? `${v.slice(0, MAX_FACT - 1)}…` : v;
  }
  // Evidence beyond the schema's bounds is cut, and the cut is said in the facts.
  if (entries.length > MAX_EVIDENCE) facts.entriesOmitted = entries.length - MAX_EVIDENCE;
  if (applications.length > MAX_EVIDENCE) facts.applicationsOmitted = applications.length - MAX_EVIDENCE;
  if (actors.length > MAX_ACTORS) facts.actorsOmitted = actors.length - MAX_ACTORS;
  return {
    flagId: flagIdOf(detector, version, key),
    detector,
    version,
    severity: draft.severity,
    key,
    entries: entries.slice(0, MAX_EVIDENCE),
    actors: actors.slice(0, MAX_ACTORS),
    applications: applications.slice(0, MAX_EVIDENCE),
    ...(draft.formationId !== undefined && { formationId: draft.formationId }),
    facts,
  };
}

/** Sorts flags by detector, then key (code-unit order). */
export function compareFlags(a: Flag, b: Flag): number {
  return byCodeUnit(a.detector, b.detector) || byCodeUnit(a.key, b.key);
}
