// C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the signed tree head of a ledger, carried
// as the text of a C2SP signed note.
import { HASH_SIZE, fromBase64, fromHex, toBase64, toHex } from './hash.ts';
import { NoteError, openNote, parseVerifierKey, signNote } from './note.ts';
import type { NoteSigner, NoteVerifier, OpenedNote } from './note.ts';

/** A tree head: the ledger origin, its size, the RFC 6962 root of its first `size` entries, and extension lines. */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  /** Extension lines, without their newlines. */
  readonly extensions: readonly string[];
}

export type CheckpointErrorCode = 'malformed' | 'invalid_signature' | 'no_verifiable_signatures' | 'origin_mismatch';

/** Why a checkpoint was refused. */
export class CheckpointError extends Error {
  readonly code: CheckpointErrorCode;

  constructor(code: CheckpointErrorCode, message: string) {
    super(message);
    this.name = 'CheckpointError';
    this.code = code;
  }
}

/** Result of opening a signed checkpoint: the checkpoint and its opened note, or why it was refused. */
export type CheckpointVerdict =
  | { ok: true; checkpoint: Checkpoint; note: OpenedNote }
  | { ok: false; error: CheckpointErrorCode; message: string };

/** Keyword of the extension line carrying the ledger's chain head. */
export const CHAIN_HEAD_KEYWORD = 'chain-head';

const UINT64_MAX = 2n ** 64n - 1n;
const MAX_SIZE = BigInt(Number.MAX_SAFE_INTEGER);
const STRICT_SIZE = /^(?:0|[1-9][0-9]*)$/;
const LAX_SIZE = /^[0-9]+$/;
const CHAIN_HEAD_LINE = /^chain-head ([0-9a-f]{64})$/;

/** The note text `origin\nsize\nbase64(root)\n[extension\n]*` of a checkpoint; throws CheckpointError('malformed') unless it would pass the strict parse. */
export function formatCheckpoint(cp: Checkpoint): string {
  if (cp.origin === '' || cp.origin.includes('\n')) throw malformed('origin must be one non-empty line');
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) throw malformed('size must be a non-negative safe integer');
  if (cp.root.length !== HASH_SIZE) throw malformed(`root must be ${HASH_SIZE} bytes`);
  for (const ext of cp.extensions) {
    if (ext === '' || ext.includes('\n')) throw malformed('extension must be one non-empty line');
  }
  return [cp.origin, String(cp.size), toBase64(cp.root), ...cp.extensions].map((line) => `${line}\n`).join('');
}

/**
 * Parses checkpoint note text, which must end with '\n'; throws CheckpointError('malformed') otherwise.
 * strict (default): C2SP rules (32-byte root, non-empty extension lines, size without leading zeros);
 * lax: transparency-dev/formats rules (any root length, leading zeros and empty trailing lines accepted).
 * In both modes the size must be at most Number.MAX_SAFE_INTEGER.
 */
export function parseCheckpoint(text: string, opts: { strict?: boolean } = {}): Checkpoint {
  const strict = opts.strict ?? true;
  // Unlike formats, lax mode also requires the final newline: note text always has one.
  if (!text.endsWith('\n')) throw malformed('checkpoint text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeLine, rootLine] = lines;
  if (origin === undefined || sizeLine === undefined || rootLine === undefined) {
    throw malformed('checkpoint needs origin, size and root lines');
  }
  if (origin === '') throw malformed('empty origin');
  if (!(strict ? STRICT_SIZE : LAX_SIZE).test(sizeLine)) throw malformed('size is not a decimal number');
  const big = BigInt(sizeLine);
  if (big > UINT64_MAX) throw malformed('size exceeds 2^64-1');
  // Checkpoint.size is a number, so a size above 2^53-1 (valid uint64 for formats) is refused in
  // both modes rather than carried as a bigint every caller would pay for: no ledger reaches 2^53
  // entries, and a rounded number would silently name a different tree.
  if (big > MAX_SIZE) throw malformed('size exceeds Number.MAX_SAFE_INTEGER');
  const root = fromBase64(rootLine);
  if (root === undefined) throw malformed('root hash is not canonical base64');
  if (strict && root.length !== HASH_SIZE) throw malformed(`root hash must be ${HASH_SIZE} bytes`);
  const extensions = lines.slice(3);
  if (strict && extensions.includes('')) throw malformed('empty extension line');
  return { origin, size: Number(big), root, extensions };
}

/** The signed note of `cp` under `signer`; throws CheckpointError('malformed') when `cp` is not strictly valid. */
export function signCheckpoint(cp: Checkpoint, signer: NoteSigner): string {
  try {
    return signNote(formatCheckpoint(cp), [signer]);
  } catch (e) {
    if (e instanceof NoteError) throw malformed(e.message);
    throw e;
  }
}

/**
 * Opens a signed checkpoint and never throws: the log key must be among the verified signers, other
 * known keys (witnesses) must verify if present, the body must parse strictly, and its origin must equal
 * `opts.origin` when given, otherwise the log key's name.
 */
export function openCheckpoint(
  note: string,
  logKey: NoteVerifier | string,
  opts: { origin?: string; others?: readonly NoteVerifier[] } = {},
): CheckpointVerdict {
  let log: NoteVerifier;
  let opened: OpenedNote;
  try {
    log = typeof logKey === 'string' ? parseVerifierKey(logKey) : logKey;
    opened = openNote(note, [log, ...(opts.others ?? [])]);
  } catch (e) {
    if (e instanceof NoteError) {
      return refuse(e.code === 'malformed_key' ? 'malformed' : e.code, e.message);
    }
    return refuse('malformed', String(e));
  }
  if (!opened.verified.some((s) => s.name === log.name && s.keyId === log.keyId)) {
    return refuse('no_verifiable_signatures', `no signature by the log key ${log.name}`);
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = parseCheckpoint(opened.text);
  } catch (e) {
    return refuse('malformed', e instanceof Error ? e.message : String(e));
  }
  const origin = opts.origin ?? log.name;
  if (checkpoint.origin !== origin) {
    return refuse('origin_mismatch', `checkpoint origin ${JSON.stringify(checkpoint.origin)} is not ${JSON.stringify(origin)}`);
  }
  return { ok: true, checkpoint, note: opened };
}

/** The extension line `chain-head <64 lowercase hex>` carrying the ledger's chain head; requires a 32-byte hash. */
export function chainHeadExtension(head: Uint8Array): string {
  if (head.length !== HASH_SIZE) throw malformed(`chain head must be ${HASH_SIZE} bytes`);
  return `${CHAIN_HEAD_KEYWORD} ${toHex(head)}`;
}

/** The chain head carried by `cp`, or undefined when it has none; throws CheckpointError('malformed') when a chain-head line is malformed or repeated. */
export function chainHeadOf(cp: Checkpoint): Uint8Array | undefined {
  const lines = cp.extensions.filter((e) => e === CHAIN_HEAD_KEYWORD || e.startsWith(`${CHAIN_HEAD_KEYWORD} `));
  if (lines.length === 0) return undefined;
  const match = lines.length === 1 ? CHAIN_HEAD_LINE.exec(lines[0] ?? '') : null;
  const hex = match?.[1];
  if (hex === undefined) throw malformed('chain-head extension must appear once as "chain-head <64 lowercase hex>"');
  return fromHex(hex);
}

function malformed(message: string): CheckpointError {
  return new CheckpointError('malformed', message);
}

function refuse(error: CheckpointErrorCode, message: string): CheckpointVerdict {
  return { ok: false, error, message };
}
