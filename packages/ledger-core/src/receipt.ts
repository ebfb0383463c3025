/**
 * Offline receipts: one ledger entry, its RFC 6962 inclusion proof and the signed checkpoint
 * it is proved against, in the text format of C2SP tlog-proof (c2sp.org/tlog-proof@v1):
 *
 * ```
 * c2sp.org/tlog-proof@v1
 * extra <base64 of the entry's canonical bytes E>
 * index <seq>
 * <base64 inclusion proof hash, one a line, from the leaf's sibling up>
 *
 * <the signed checkpoint note, verbatim, with every signature line it carries>
 * ```
 *
 * The ledger profile makes the spec's optional `extra` line mandatory and gives it a meaning:
 * it is the entry itself, so the receipt is self-contained and the leaf it proves is
 * SHA-256(0x00 ‖ E). Unlike the spec's opaque extra data, E is therefore authenticated by the
 * proof. A receipt verifies with nothing but the log's verifier key; a newer checkpoint and a
 * consistency proof show later that the entry is still there.
 */
import { chainHeadOf, openCheckpoint } from './checkpoint.ts';
import type { Checkpoint } from './checkpoint.ts';
import { checkCosignatureQuorum, parseCosignatureVerifierKey } from './cosignature.ts';
import type { CosignatureVerifier } from './cosignature.ts';
import { badEntryField } from './entry.ts';
import { HASH_SIZE, bytesEqual, fromBase64, leafHash, toBase64, utf8 } from './hash.ts';
import { isCanonical } from './jcs.ts';
import { rootFromInclusionProof, verifyConsistency } from './merkle.ts';
import { NoteError, parseVerifierKey } from './note.ts';
import type { NoteVerifier } from './note.ts';

/** First line of every receipt (C2SP tlog-proof v1). */
export const RECEIPT_HEADER = 'c2sp.org/tlog-proof@v1';
/** Recommended file extension of a receipt (C2SP tlog-proof). */
export const RECEIPT_EXTENSION = '.tlog-proof';
/** Most proof hashes a receipt may carry: a tree of at most 2^53 leaves has paths of at most 53. */
export const MAX_RECEIPT_PROOF_HASHES = 64;

/** A receipt: an entry, its position, its inclusion proof and the checkpoint that commits to it. */
export interface Receipt {
  /** The entry's canonical text E (one JCS line, no newline); the `extra` line carries UTF-8(E). */
  readonly entry: string;
  /** The entry's position in its ledger (its `seq`). */
  readonly index: number;
  /** RFC 6962 inclusion proof of leaf `index` in the checkpoint's tree, nearest the leaf first. */
  readonly proof: readonly Uint8Array[];
  /** The signed checkpoint note verbatim, ending with '\n', with its witness cosignature lines. */
  readonly checkpoint: string;
}

/** Why a receipt could not be formatted or parsed; `line` is 1-based in the receipt text when known. */
export class ReceiptError extends Error {
  override readonly name = 'ReceiptError';
  constructor(
    /** What is wrong, without the line number. */
    readonly detail: string,
    readonly line?: number,
  ) {
    super(line === undefined ? detail : `line ${line}: ${detail}`);
  }
}

/** What went wrong with a receipt, in the order verifyReceipt checks. */
export type ReceiptFailure =
  /** The text is not a receipt (the `line` names where). */
  | 'malformed'
  /** The verifier key (log or witness) given to the verifier is not a key. */
  | 'bad_key'
  /** The entry is not JSON in RFC 8785 canonical form. */
  | 'entry_not_canonical'
  /** The entry lacks a member of the ledger format or has one of the wrong type. */
  | 'entry_invalid'
  /** The receipt's index differs from the entry's seq. */
  | 'index_mismatch'
  /** The checkpoint does not open: malformed, or its chain-head extension is. */
  | 'checkpoint_malformed'
  /** The checkpoint carries no valid signature by the log key (or a bad one). */
  | 'checkpoint_signature'
  /** The checkpoint's origin is not the log key's name, or the entry's ledger is not the checkpoint's origin. */
  | 'origin_mismatch'
  /** The inclusion proof does not lead from the entry's leaf to the checkpoint root. */
  | 'inclusion_failed'
  /** Fewer witnesses than the quorum cosigned the checkpoint, or a given witness's cosignature does not verify. */
  | 'quorum_not_met'
  /** verifyReceiptStillThere: the newer checkpoint does not open under the log key, or is smaller. */
  | 'newer_checkpoint'
  /** verifyReceiptStillThere: the consistency proof does not join the two checkpoints. */
  | 'consistency_failed';

/** What a valid receipt proves. */
export interface ReceiptProof {
  readonly origin: string;
  readonly seq: number;
  readonly id: string;
  readonly stream: string;
  readonly version: number;
  readonly type: string;
  readonly at: string;
  readonly actor: { readonly id: string; readonly role: string };
  /** The entry as parsed from its canonical bytes. */
  readonly entry: Readonly<Record<string, unknown>>;
  /** SHA-256(0x00 ‖ E). */
  readonly leaf: Uint8Array;
  /** The checkpoint the entry is proved against. */
  readonly checkpoint: Checkpoint;
  /** The witnesses whose cosignatures of the checkpoint verified, by distinct key (empty without witness keys). */
  readonly cosigners: readonly { readonly name: string; readonly timestamp: number }[];
  /** Signature lines of the checkpoint by keys the verifier was not given (e.g. cosignatures when no witness keys were). */
  readonly unchecked: number;
}

/** Outcome of verifying a receipt: what it proves, or the first failure with its evidence. */
export type ReceiptVerdict =
  | ({ readonly ok: true } & ReceiptProof)
  | {
      readonly ok: false;
      readonly reason: ReceiptFailure;
      readonly message: string;
      /** 1-based line of the receipt text at fault, when one is. */
      readonly line?: number;
      readonly expected?: string;
      readonly actual?: string;
    };

/** The failure half of a ReceiptVerdict. */
export type FailedReceiptVerdict = Extract<ReceiptVerdict, { ok: false }>;

/** Outcome of verifyReceiptStillThere: the receipt's proof plus the newer checkpoint that still holds it. */
export type StillThereVerdict = ({ readonly ok: true; readonly newer: Checkpoint } & ReceiptProof) | FailedReceiptVerdict;

/** What the verifier trusts: the log's verifier key and, optionally, witness keys and how many must have cosigned. */
export interface ReceiptKeys {
  /** The log's verifier key, `name+hexid+base64(0x01‖pub)`, or a parsed one. Its name is the ledger origin. */
  readonly logKey: string | NoteVerifier;
  /** Witness cosignature keys (C2SP tlog-cosignature, `name+hexid+base64(0x04‖pub)`), or parsed ones. */
  readonly witnessKeys?: readonly (string | CosignatureVerifier)[];
  /** Distinct witness keys that must have cosigned the receipt's checkpoint; default 1 when witness keys are given, else 0. */
  readonly quorum?: number;
}

const INDEX = /^index (0|[1-9][0-9]*)$/;
const EXTRA_PREFIX = 'extra ';

/**
 * The receipt text of `r`. Requires a non-empty single-line entry, a safe non-negative index,
 * 32-byte proof hashes (at most MAX_RECEIPT_PROOF_HASHES) and a checkpoint note ending with
 * '\n'; throws ReceiptError otherwise. The output parses back to `r` with parseReceipt.
 * @example formatReceipt({ entry: '{"ledger":"casn.example.go.id/2026",…}', index: 0, proof: [], checkpoint: note })
 */
export function formatReceipt(r: Receipt): string {
  if (r.entry === '' || r.entry.includes('\n')) throw new ReceiptError('the entry must be one non-empty line');
  if (!r.entry.isWellFormed()) throw new ReceiptError('the entry is not well-formed Unicode');
  if (!Number.isSafeInteger(r.index) || r.index < 0) throw new ReceiptError('the index must be a non-negative safe integer');
  if (r.proof.length > MAX_RECEIPT_PROOF_HASHES) throw new ReceiptError(`at most ${MAX_RECEIPT_PROOF_HASHES} proof hashes`);
  if (r.proof.some((h) => h.length !== HASH_SIZE)) throw new ReceiptError(`every proof hash must be ${HASH_SIZE} bytes`);
  if (r.checkpoint === '' || !r.checkpoint.endsWith('\n')) throw new ReceiptError('the checkpoint note must end with a newline');
  const lines = [RECEIPT_HEADER, EXTRA_PREFIX + toBase64(utf8(r.entry)), `index ${r.index}`, ...r.proof.map(toBase64), ''];
  return lines.map((l) => `${l}\n`).join('') + r.checkpoint;
}

/**
 * Parses receipt text strictly: the header; an `extra` line of canonical base64 whose bytes are
 * UTF-8 (the entry, required by this profile); `index` in decimal without leading zeros (a safe
 * integer); zero to MAX_RECEIPT_PROOF_HASHES lines of canonical base64 of 32 bytes; one empty
 * line; then the checkpoint note, kept verbatim (verifyReceipt opens it). Lines end with '\n'
 * only. Throws ReceiptError naming the 1-based line at fault.
 */
export function parseReceipt(input: string | Uint8Array): Receipt {
  const text = typeof input === 'string' ? input : decodeUtf8(input);
  if (text === undefined) throw new ReceiptError('the receipt is not valid UTF-8');
  let pos = 0;
  let lineNo = 0;
  const next = (what: string): string => {
    lineNo++;
    if (pos >= text.length) throw new ReceiptError(`missing: ${what}`, lineNo);
    const end = text.indexOf('\n', pos);
    if (end < 0) throw new ReceiptError(`${what} does not end with a newline`, lineNo);
    const line = text.slice(pos, end);
    pos = end + 1;
    return line;
  };

  if (next('the header') !== RECEIPT_HEADER) throw new ReceiptError(`the first line must be ${RECEIPT_HEADER}`, lineNo);

  const extra = next('the extra line carrying the entry');
  if (!extra.startsWith(EXTRA_PREFIX)) {
    throw new ReceiptError('expected "extra <base64 of the entry>": a ledger receipt carries its entry', lineNo);
  }
  const bytes = fromBase64(extra.slice(EXTRA_PREFIX.length));
  if (bytes === undefined || bytes.length === 0) throw new ReceiptError('the extra data is not canonical non-empty base64', lineNo);
  const entry = decodeUtf8(bytes);
  if (entry === undefined) throw new ReceiptError('the entry (extra data) is not valid UTF-8', lineNo);
  if (entry.includes('\n')) throw new ReceiptError('the entry (extra data) holds a newline, so it is not one canonical line', lineNo);

  const indexLine = next('the index line');
  const index = INDEX.exec(indexLine)?.[1];
  if (index === undefined) throw new ReceiptError('expected "index <seq>" in decimal without leading zeros', lineNo);
  if (!Number.isSafeInteger(Number(index))) throw new ReceiptError('the index exceeds 2^53 - 1', lineNo);

  const proof: Uint8Array[] = [];
  for (;;) {
    const line = next('the empty line before the checkpoint');
    if (line === '') break;
    const hash = fromBase64(line);
    if (hash === undefined || hash.length !== HASH_SIZE) {
      throw new ReceiptError(`expected a proof hash (canonical base64 of ${HASH_SIZE} bytes) or the empty line before the checkpoint`, lineNo);
    }
    if (proof.length === MAX_RECEIPT_PROOF_HASHES) throw new ReceiptError(`more than ${MAX_RECEIPT_PROOF_HASHES} proof hashes`, lineNo);
    proof.push(hash);
  }
  const checkpoint = text.slice(pos);
  if (checkpoint === '') throw new ReceiptError('missing: the checkpoint after the empty line', lineNo + 1);
  return { entry, index: Number(index), proof, checkpoint };
}

/** 1-based line of the receipt text where the checkpoint note begins. */
export function receiptCheckpointLine(r: Receipt): number {
  return 3 + r.proof.length + 2;
}

/**
 * Verifies a receipt offline and never throws. Checks, in order: the text parses; the entry is
 * JSON in RFC 8785 form with every member of the ledger format; its seq equals the index; the
 * checkpoint opens under the log key (well formed, signed, origin = the key's name, a
 * well-formed chain head); the entry's ledger equals the checkpoint origin; the index lies in
 * the checkpoint's tree and the inclusion proof leads from SHA-256(0x00 ‖ E) to its root; and,
 * with witness keys, at least `quorum` distinct witnesses cosigned the checkpoint (a cosignature
 * by a given witness that does not verify fails the receipt). The first failure is returned with
 * the line at fault and, for a proof, the expected and computed root.
 * @example const v = verifyReceipt(text, { logKey: 'casn.example.go.id/2026+0fb84f7e+AfRy…' }); if (!v.ok) console.log(describeReceiptVerdict(v));
 */
export function verifyReceipt(receipt: Receipt | string | Uint8Array, keys: ReceiptKeys): ReceiptVerdict {
  let r: Receipt;
  try {
    r = typeof receipt === 'string' || receipt instanceof Uint8Array ? parseReceipt(receipt) : receipt;
  } catch (e) {
    if (e instanceof ReceiptError) return fail('malformed', e.detail, e.line);
    throw e;
  }
  const log = verifierOf(keys.logKey);
  if ('reason' in log) return log;
  const witnesses = witnessesOf(keys.witnessKeys ?? []);
  if ('reason' in witnesses) return witnesses;

  // The entry: canonical bytes, the ledger format's members, its position.
  if (!isCanonical(r.entry)) return fail('entry_not_canonical', 'the entry is not JSON in RFC 8785 (JCS) canonical form', 2);
  const entry = JSON.parse(r.entry) as Record<string, unknown>;
  const bad = badEntryField(entry);
  if (bad !== undefined) return fail('entry_invalid', `the entry's field "${bad}" is missing or has the wrong type`, 2);
  if (entry.seq !== r.index) {
    return { ...fail('index_mismatch', `the index ${r.index} is not the entry's seq ${String(entry.seq)}`, 3), expected: String(entry.seq), actual: String(r.index) };
  }

  // The checkpoint: signed by the log key, of the entry's ledger.
  const opened = openCheckpointOf(r, log, witnesses);
  if ('reason' in opened) return opened;
  const cp = opened.checkpoint;
  if (entry.ledger !== cp.origin) {
    return {
      ...fail('origin_mismatch', `the entry belongs to ledger ${JSON.stringify(entry.ledger)}, the checkpoint to ${JSON.stringify(cp.origin)}`, 2),
      expected: cp.origin,
      actual: String(entry.ledger),
    };
  }

  // The proof: from the entry's leaf to the signed root.
  const leaf = leafHash(r.entry);
  const firstHashLine = 4;
  if (r.index >= cp.size) {
    return fail('inclusion_failed', `the index ${r.index} is outside the checkpoint's tree of size ${cp.size}`, 3);
  }
  const got = rootFromInclusionProof(r.index, cp.size, leaf, r.proof);
  if ('reason' in got) return fail('inclusion_failed', `the inclusion proof does not fit a tree of size ${cp.size}: ${got.reason}`, firstHashLine);
  if (!bytesEqual(got.root, cp.root)) {
    return {
      ...fail('inclusion_failed', "the inclusion proof does not lead from the entry's leaf to the checkpoint root"),
      expected: toBase64(cp.root),
      actual: toBase64(got.root),
    };
  }

  // The witnesses: enough of them cosigned this checkpoint (each checked that it extends what they saw before).
  const quorum = keys.quorum ?? (witnesses.length > 0 ? 1 : 0);
  let cosigners: { name: string; timestamp: number }[] = [];
  if (witnesses.length > 0 || quorum > 0) {
    const q = checkCosignatureQuorum(r.checkpoint, witnesses, quorum, { logKey: log });
    if (!q.ok) {
      return {
        ...fail('quorum_not_met', q.reason, receiptCheckpointLine(r)),
        ...(q.expected !== undefined ? { expected: q.expected } : {}),
        ...(q.actual !== undefined ? { actual: q.actual } : {}),
      };
    }
    cosigners = q.cosigners.map((c) => ({ name: c.witness.name, timestamp: c.timestamp }));
  }

  return {
    ok: true,
    origin: cp.origin,
    seq: r.index,
    id: entry.id as string,
    stream: entry.stream as string,
    version: entry.version as number,
    type: entry.type as string,
    at: entry.at as string,
    actor: entry.actor as { id: string; role: string },
    entry,
    leaf,
    checkpoint: cp,
    cosigners,
    unchecked: opened.unchecked,
  };
}

/**
 * Proves that a receipt's entry is still in its ledger: the receipt verifies (verifyReceipt),
 * `newerNote` opens under the same log key with a size at least the receipt checkpoint's, and
 * `consistencyProof` (RFC 9162 §2.1.4, hashes as bytes or base64) shows the receipt's tree is a
 * prefix of the newer one. The witness quorum of `keys` applies to the receipt's checkpoint; the
 * newer one needs only the log's signature (a live checkpoint may not be cosigned yet). Never throws.
 */
export function verifyReceiptStillThere(
  receipt: Receipt | string | Uint8Array,
  newerNote: string,
  consistencyProof: readonly Uint8Array[] | readonly string[],
  keys: ReceiptKeys,
): StillThereVerdict {
  const verdict = verifyReceipt(receipt, keys);
  if (!verdict.ok) return verdict;
  const log = verifierOf(keys.logKey);
  if ('reason' in log) return log;
  const opened = openCheckpoint(newerNote, log);
  if (!opened.ok) return fail('newer_checkpoint', `the newer checkpoint does not open under the log key: ${opened.message}`);
  const older = verdict.checkpoint;
  const newer = opened.checkpoint;
  if (newer.size < older.size) {
    return fail('newer_checkpoint', `the newer checkpoint (size ${newer.size}) is smaller than the receipt's (size ${older.size})`);
  }
  const hashes: Uint8Array[] = [];
  for (const [i, h] of consistencyProof.entries()) {
    const bytes = typeof h === 'string' ? fromBase64(h) : h;
    if (bytes === undefined || bytes.length !== HASH_SIZE) {
      return fail('consistency_failed', `consistency proof hash ${i} is not ${HASH_SIZE} bytes of canonical base64`);
    }
    hashes.push(bytes);
  }
  const result = verifyConsistency(older.size, newer.size, hashes, older.root, newer.root);
  if (!result.ok) {
    return {
      ...fail('consistency_failed', `the ledger at size ${newer.size} does not extend the receipt's checkpoint of size ${older.size}: ${result.reason}`),
      ...(result.expected ? { expected: toBase64(result.expected) } : {}),
      ...(result.actual ? { actual: toBase64(result.actual) } : {}),
    };
  }
  return { ...verdict, newer };
}

/** One line describing a receipt verdict: what it proved, or where and why it failed. */
export function describeReceiptVerdict(v: ReceiptVerdict | StillThereVerdict): string {
  if (!v.ok) {
    const evidence = v.expected !== undefined || v.actual !== undefined ? ` (expected ${v.expected ?? '?'}, got ${v.actual ?? '?'})` : '';
    return `invalid receipt: ${v.reason}: ${v.line !== undefined ? `line ${v.line}: ` : ''}${v.message}${evidence}`;
  }
  const cosigned = v.cosigners.length > 0 ? `, cosigned by ${v.cosigners.map((c) => c.name).join(', ')}` : '';
  const still = 'newer' in v ? `; still there at size ${v.newer.size} (root ${toBase64(v.newer.root)})` : '';
  return (
    `valid receipt: ${v.origin} seq ${v.seq} ${v.type} on ${v.stream} (version ${v.version}) by ${v.actor.id} (${v.actor.role}) at ${v.at}; ` +
    `included in the checkpoint of size ${v.checkpoint.size} (root ${toBase64(v.checkpoint.root)})${cosigned}${still}`
  );
}

function verifierOf(key: string | NoteVerifier): NoteVerifier | FailedReceiptVerdict {
  if (typeof key !== 'string') return key;
  try {
    return parseVerifierKey(key.trim());
  } catch (e) {
    if (e instanceof NoteError) return fail('bad_key', `the log key is not a verifier key: ${e.message}`);
    throw e;
  }
}

function witnessesOf(keys: readonly (string | CosignatureVerifier)[]): CosignatureVerifier[] | FailedReceiptVerdict {
  const out: CosignatureVerifier[] = [];
  for (const [i, key] of keys.entries()) {
    if (typeof key !== 'string') {
      out.push(key);
      continue;
    }
    try {
      out.push(parseCosignatureVerifierKey(key.trim()));
    } catch (e) {
      if (e instanceof NoteError) return fail('bad_key', `witness key ${i + 1} is not a cosignature verifier key: ${e.message}`);
      throw e;
    }
  }
  return out;
}

function openCheckpointOf(r: Receipt, log: NoteVerifier, witnesses: readonly CosignatureVerifier[]): { checkpoint: Checkpoint; unchecked: number } | FailedReceiptVerdict {
  const line = receiptCheckpointLine(r);
  const opened = openCheckpoint(r.checkpoint, log);
  if (!opened.ok) {
    const reason: ReceiptFailure =
      opened.error === 'malformed' ? 'checkpoint_malformed' : opened.error === 'origin_mismatch' ? 'origin_mismatch' : 'checkpoint_signature';
    return fail(reason, `the checkpoint: ${opened.message}`, line);
  }
  try {
    chainHeadOf(opened.checkpoint);
  } catch (e) {
    return fail('checkpoint_malformed', `the checkpoint: ${e instanceof Error ? e.message : String(e)}`, line);
  }
  // Lines by keys the verifier was not given; a witness's line is checked by the quorum.
  const unchecked = opened.note.unverified.filter((u) => !witnesses.some((w) => w.name === u.name && w.keyId === u.keyId)).length;
  return { checkpoint: opened.checkpoint, unchecked };
}

function fail(reason: ReceiptFailure, message: string, line?: number): FailedReceiptVerdict {
  return line === undefined ? { ok: false, reason, message } : { ok: false, reason, message, line };
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    // ignoreBOM keeps a leading U+FEFF as text rather than silently dropping bytes that were hashed.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
