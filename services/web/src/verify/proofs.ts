/**
 * Checks, in the browser, what the API serves: a signed checkpoint under a log key, an
 * entry's leaf hash, its inclusion proof, and a consistency proof between two checkpoints.
 * Every function returns a verdict and never throws; they are the core's own functions.
 */
import {
  bytesEqual,
  fromBase64,
  leafHash,
  openCheckpoint,
  toBase64,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from '@casn/ledger-core';

/** A check's outcome: ok, or why not with the expected and computed values. */
export type Check = { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly expected?: string; readonly actual?: string };

/** An inclusion proof as the API serves it (hashes and root in base64). */
export interface ProofView {
  readonly index: number;
  readonly size: number;
  readonly leafHash: string;
  readonly hashes: readonly string[];
  readonly root: string;
}

/** A signed checkpoint as the API serves it. */
export interface CheckpointView {
  readonly origin: string;
  readonly size: number;
  readonly root: string;
  readonly note: string;
  readonly verifierKey: string;
}

/** What an opened checkpoint says, with the names of every signature line it carries. */
export interface OpenedCheckpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: string;
  readonly signers: readonly string[];
  readonly others: readonly string[];
}

const b64 = (text: string): Uint8Array | undefined => fromBase64(text);

/** Opens a checkpoint note under a log verifier key: signature, origin, form. */
export function checkCheckpoint(note: string, logKey: string): ({ ok: true } & OpenedCheckpoint) | Extract<Check, { ok: false }> {
  const v = openCheckpoint(note, logKey.trim());
  if (!v.ok) return { ok: false, reason: `${v.error}: ${v.message}` };
  return {
    ok: true,
    origin: v.checkpoint.origin,
    size: v.checkpoint.size,
    root: toBase64(v.checkpoint.root),
    signers: v.note.verified.map((s) => s.name),
    others: v.note.unverified.map((s) => s.name),
  };
}

/** The signature lines of a note, by key name (log key and witness cosignatures), without checking them. */
export function signatureNames(note: string): string[] {
  const block = note.slice(note.lastIndexOf('\n\n') + 2);
  return block
    .split('\n')
    .filter((l) => l.startsWith('\u2014 '))
    .map((l) => l.slice(2).split(' ')[0] ?? '');
}

/** The entry's canonical bytes hash to the leaf the API gave (hex). */
export function checkLeaf(body: string, leafHex: string): Check {
  const actual = toHex(leafHash(body));
  return actual === leafHex ? { ok: true } : { ok: false, reason: 'leaf hash of the entry bytes differs', expected: leafHex, actual };
}

/** An inclusion proof of the entry `body` leads to `root` (base64) of the proof's tree. */
export function checkInclusion(body: string, proof: ProofView, root: string): Check {
  const leaf = leafHash(body);
  const given = b64(proof.leafHash);
  if (given === undefined || !bytesEqual(given, leaf)) {
    return { ok: false, reason: 'the proof is for another leaf', expected: toBase64(leaf), actual: proof.leafHash };
  }
  const hashes = proof.hashes.map(b64);
  const expectedRoot = b64(root);
  if (expectedRoot === undefined || hashes.some((h) => h === undefined)) return { ok: false, reason: 'a proof hash is not base64' };
  const v = verifyInclusion(proof.index, proof.size, leaf, hashes as Uint8Array[], expectedRoot);
  if (v.ok) return { ok: true };
  return { ok: false, reason: v.reason, ...(v.expected ? { expected: toBase64(v.expected) } : {}), ...(v.actual ? { actual: toBase64(v.actual) } : {}) };
}

/** A consistency proof joins the tree `root1` of `size1` to `root2` of `size2` (base64). */
export function checkConsistency(size1: number, size2: number, hashes: readonly string[], root1: string, root2: string): Check {
  const proof = hashes.map(b64);
  const r1 = b64(root1);
  const r2 = b64(root2);
  if (r1 === undefined || r2 === undefined || proof.some((h) => h === undefined)) return { ok: false, reason: 'a hash is not base64' };
  const v = verifyConsistency(size1, size2, proof as Uint8Array[], r1, r2);
  if (v.ok) return { ok: true };
  return { ok: false, reason: v.reason, ...(v.expected ? { expected: toBase64(v.expected) } : {}), ...(v.actual ? { actual: toBase64(v.actual) } : {}) };
}

/** The fields of an entry's canonical bytes that people read. */
export interface EntrySummary {
  readonly seq: number;
  readonly type: string;
  readonly at: string;
  readonly stream: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly payload: Record<string, unknown>;
}

/** Parses an entry's canonical bytes; undefined when they are not an entry. */
export function parseEntry(body: string): EntrySummary | undefined {
  try {
    const e = JSON.parse(body) as Partial<EntrySummary>;
    if (typeof e.seq !== 'number' || typeof e.type !== 'string' || typeof e.at !== 'string' || typeof e.stream !== 'string' || !e.actor) return undefined;
    return { seq: e.seq, type: e.type, at: e.at, stream: e.stream, actor: e.actor, payload: e.payload ?? {} };
  } catch {
    return undefined;
  }
}
