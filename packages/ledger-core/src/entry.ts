/** Ledger entries: the canonical bytes that are hashed, chained and committed. */
import { leafHash, toHex } from './hash.ts';
import { canonicalize } from './jcs.ts';

/** `prev` of entry 0: 64 zeros. */
export const GENESIS_PREV = '0'.repeat(64);

/** Who recorded an entry. */
export interface Actor {
  readonly id: string;
  readonly role: string;
}

/** One recorded event, as defined by the ledger contract. */
export interface Entry {
  readonly ledger: string;
  readonly seq: number;
  readonly id: string;
  readonly stream: string;
  readonly version: number;
  readonly type: string;
  readonly schema: number;
  /** RFC 3339 UTC with milliseconds, e.g. 2026-11-22T08:00:00.000Z. */
  readonly at: string;
  readonly actor: Actor;
  readonly payload: Record<string, unknown>;
  /** Leaf hash of the previous entry as lowercase hex, or GENESIS_PREV. */
  readonly prev: string;
}

/** An entry's canonical text and its RFC 6962 leaf hash, which the next entry's `prev` names. */
export interface SealedEntry {
  readonly text: string;
  readonly leaf: Uint8Array;
}

/** Canonicalises and hashes an entry. Throws JcsError when the payload has no JSON form. */
export function sealEntry(entry: Entry): SealedEntry {
  const text = canonicalize(entry);
  return { text, leaf: leafHash(text) };
}

/** The `prev` value that follows an entry with this leaf hash. */
export function prevOf(leaf: Uint8Array): string {
  return toHex(leaf);
}

/** RFC 3339 UTC timestamp with milliseconds, the only form `at` takes. */
export function formatTime(date: Date): string {
  return date.toISOString();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ENTRY_KEYS = ['actor', 'at', 'id', 'ledger', 'payload', 'prev', 'schema', 'seq', 'stream', 'type', 'version'];

/**
 * Checks the shape of a parsed entry; returns the name of the first bad field, or
 * undefined when every required field has the right type.
 */
export function badEntryField(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '(entry)';
  const e = value as Record<string, unknown>;
  for (const key of ENTRY_KEYS) if (!(key in e)) return key;
  if (typeof e.ledger !== 'string') return 'ledger';
  if (!Number.isSafeInteger(e.seq) || (e.seq as number) < 0) return 'seq';
  if (typeof e.id !== 'string' || !UUID.test(e.id)) return 'id';
  if (typeof e.stream !== 'string' || e.stream === '') return 'stream';
  if (!Number.isSafeInteger(e.version) || (e.version as number) < 0) return 'version';
  if (typeof e.type !== 'string' || e.type === '') return 'type';
  if (!Number.isSafeInteger(e.schema)) return 'schema';
  if (typeof e.at !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(e.at)) return 'at';
  const actor = e.actor as Record<string, unknown> | null;
  if (typeof actor !== 'object' || actor === null || typeof actor.id !== 'string' || typeof actor.role !== 'string') {
    return 'actor';
  }
  if (typeof e.payload !== 'object' || e.payload === null || Array.isArray(e.payload)) return 'payload';
  if (typeof e.prev !== 'string' || !/^[0-9a-f]{64}$/.test(e.prev)) return 'prev';
  return undefined;
}
