/**
 * Witness cosignatures: C2SP tlog-cosignature v1 with Ed25519 (c2sp.org/tlog-cosignature,
 * signature type 0x04), the witness list a ledger and its verifiers configure, the body of a
 * C2SP tlog-witness `add-checkpoint` request (c2sp.org/tlog-witness), and the one rule a
 * witness applies before it cosigns: the new checkpoint extends the last one it cosigned.
 *
 * A cosignature is a signed-note signature line
 *
 * ```
 * — <witness name> base64(key id[4] ‖ timestamp uint64 BE[8] ‖ Ed25519 signature[64])
 * ```
 *
 * whose signature covers `"cosignature/v1\ntime <timestamp>\n"` followed by the checkpoint's
 * note text. The key id is SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4], so the same Ed25519
 * key has different ids as a log key (0x01) and as a witness key (0x04).
 */
import { ED25519_KEY_SIZE, ED25519_SIGNATURE_SIZE, ed25519Verify } from './ed25519.ts';
import { EMPTY_ROOT, HASH_SIZE, bytesEqual, fromBase64, toBase64, toHex, utf8 } from './hash.ts';
import { verifyConsistency } from './merkle.ts';
import type { Checkpoint } from './checkpoint.ts';
import {
  ALG_ED25519,
  NoteError,
  SIGNATURE_LINE_PREFIX,
  isValidKeyName,
  noteKeyId,
  openNote,
  parseSignerKey,
  parseVerifierKey,
} from './note.ts';
import type { NoteSigner, NoteVerifier } from './note.ts';

/** Signature type byte of a timestamped Ed25519 cosignature key (C2SP tlog-cosignature v1). */
export const ALG_COSIGNATURE_V1 = 0x04;
/** First line of every message a witness signs (domain separation from log signatures). */
export const COSIGNATURE_V1_HEADER = 'cosignature/v1';
/** Bytes of a cosignature after its key id: an 8-byte timestamp and a 64-byte Ed25519 signature. */
export const COSIGNATURE_V1_SIZE = 8 + ED25519_SIGNATURE_SIZE;
/**
 * Largest timestamp accepted, in Unix seconds. C2SP allows up to 2^63 − 1 and lets verifiers
 * refuse future times; this code keeps timestamps as numbers, so it refuses any above 2^53 − 1
 * (a date some 285 million years from now).
 */
export const MAX_COSIGNATURE_TIMESTAMP = Number.MAX_SAFE_INTEGER;
/** Most consistency proof lines an add-checkpoint request may carry (C2SP tlog-witness). */
export const MAX_ADD_CHECKPOINT_PROOF = 63;
/** Content type of the body of a 409 answer to add-checkpoint: the witness's size and a newline. */
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

/** A witness key that checks cosignatures; usable with openNote, where `sig` is timestamp ‖ signature. */
export interface CosignatureVerifier extends NoteVerifier {
  /** The verifier key in `name+hexid+base64(0x04‖pub)` form. */
  readonly vkey: string;
  /** The 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
}

/** One parsed cosignature line. */
export interface Cosignature {
  /** The witness's key name. */
  readonly name: string;
  /** uint32 key id (type 0x04). */
  readonly keyId: number;
  /** When the witness signed, in Unix seconds. */
  readonly timestamp: number;
  /** The 64-byte Ed25519 signature. */
  readonly signature: Uint8Array;
}

/** A witness key that can cosign checkpoints. */
export interface Cosigner {
  readonly name: string;
  /** uint32 key id (type 0x04). */
  readonly keyId: number;
  /** The cosignature verifier key, `name+hexid+base64(0x04‖pub)`: what ledgers and verifiers configure. */
  readonly vkey: string;
  readonly publicKey: Uint8Array;
  /** The cosignature of checkpoint note text `text` at `timestamp` (Unix seconds); requires text ending with '\n' and a safe non-negative integer timestamp. */
  cosign(text: string, timestamp: number): Cosignature;
}

/** A configured witness: its cosignature key and, if the ledger should ask it, the URL prefix of its tlog-witness API. */
export interface WitnessEntry {
  readonly verifier: CosignatureVerifier;
  /** Submission prefix: the worker POSTs to `<url>/add-checkpoint`. */
  readonly url?: string;
}

/** Why a witness list could not be read; `line` is 1-based. */
export class WitnessListError extends Error {
  override readonly name = 'WitnessListError';
  constructor(
    readonly detail: string,
    readonly line?: number,
  ) {
    super(line === undefined ? detail : `line ${line}: ${detail}`);
  }
}

// Lowercase only, as everywhere in this ledger (see note.ts).
const KEY_ID_HEX = /^[0-9a-f]{8}$/;
const MAX_TIMESTAMP_BIG = 2n ** 63n - 1n;

/** Key id of a cosignature key: the first 4 bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ 0x04 ‖ pub). Requires a 32-byte key. */
export function cosignatureKeyId(name: string, publicKey: Uint8Array): number {
  return noteKeyId(name, withAlg(ALG_COSIGNATURE_V1, publicKey));
}

/**
 * The cosignature verifier key `name+hexid+base64(0x04‖pub)` of a witness; throws
 * NoteError('malformed_key') for an invalid name or a key that is not 32 bytes.
 * @example cosignatureVerifierKey('inspektorat.example.go.id', pub) // 'inspektorat.example.go.id+1a2b3c4d+BP…'
 */
export function cosignatureVerifierKey(name: string, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new NoteError('malformed_key', 'key name must be non-empty, without "+" or white space');
  if (publicKey.length !== ED25519_KEY_SIZE) throw new NoteError('malformed_key', 'Ed25519 public key is not 32 bytes');
  return `${name}+${hex32(cosignatureKeyId(name, publicKey))}+${toBase64(withAlg(ALG_COSIGNATURE_V1, publicKey))}`;
}

/**
 * Verifier of a `name+hexid+base64(0x04‖pub)` cosignature key; throws NoteError('malformed_key')
 * unless the form, the type byte 0x04, the 32-byte length and the key id all check. A signed-note
 * (0x01) key is refused with a message saying how to get the cosignature key.
 */
export function parseCosignatureVerifierKey(vkey: string): CosignatureVerifier {
  const [name, afterName] = chop(vkey);
  const [idHex, key64] = chop(afterName);
  const keyBytes = fromBase64(key64);
  if (!isValidKeyName(name) || !KEY_ID_HEX.test(idHex) || keyBytes === undefined || keyBytes.length === 0) {
    throw new NoteError('malformed_key', 'witness key is not name+hexid+base64');
  }
  const keyId = Number.parseInt(idHex, 16);
  if (noteKeyId(name, keyBytes) !== keyId) throw new NoteError('malformed_key', 'witness key id does not match the key');
  if (keyBytes[0] === ALG_ED25519) {
    throw new NoteError(
      'malformed_key',
      'this is a signed-note (type 0x01) key, not a cosignature key (type 0x04); convert it with cosignatureVerifierKeyOf or print it with `pnpm ledger witness --key FILE --print-vkey`',
    );
  }
  if (keyBytes[0] !== ALG_COSIGNATURE_V1) throw new NoteError('malformed_key', 'witness key is not of type 0x04 (Ed25519 cosignature v1)');
  const publicKey = keyBytes.slice(1);
  if (publicKey.length !== ED25519_KEY_SIZE) throw new NoteError('malformed_key', 'Ed25519 witness key is not 32 bytes');
  return verifierOf(name, keyId, vkey, publicKey);
}

/**
 * The cosignature verifier key of the same Ed25519 key as a signed-note (0x01) verifier key, as
 * transparency-dev's VKeyToCosignatureV1 does; throws NoteError('malformed_key') when `noteVkey`
 * is not a valid 0x01 key.
 */
export function cosignatureVerifierKeyOf(noteVkey: string): string {
  const v = parseVerifierKey(noteVkey);
  const pub = fromBase64(chop(chop(noteVkey)[1])[1])!.slice(1);
  return cosignatureVerifierKey(v.name, pub);
}

/**
 * The cosigner of a Go-format signed-note private key `PRIVATE+KEY+name+hexid+base64(0x01‖seed)`
 * (what `pnpm ledger keygen --name` writes), or of a parsed signer; throws NoteError('malformed_key')
 * for a malformed key. The witness name is the key's name.
 */
export function cosignerFromSignerKey(skey: string | NoteSigner): Cosigner {
  const signer = typeof skey === 'string' ? parseSignerKey(skey.trim()) : skey;
  const pub = fromBase64(chop(chop(signer.vkey)[1])[1])!.slice(1);
  const keyId = cosignatureKeyId(signer.name, pub);
  return {
    name: signer.name,
    keyId,
    vkey: cosignatureVerifierKey(signer.name, pub),
    publicKey: pub,
    cosign(text, timestamp) {
      if (!text.endsWith('\n')) throw new NoteError('malformed', 'checkpoint text must end with a newline');
      if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new NoteError('malformed', 'timestamp must be a non-negative safe integer');
      return { name: signer.name, keyId, timestamp, signature: signer.sign(cosignatureMessage(text, timestamp)) };
    },
  };
}

/**
 * The bytes a witness signs: `cosignature/v1\ntime <timestamp>\n` followed by the checkpoint note
 * text (every line before the blank line, each with its '\n'). Requires a safe non-negative integer.
 * @example cosignatureMessage('example.com/log\n1\nAAAA…=\n', 1679315147) // "cosignature/v1\ntime 1679315147\nexample.com/log\n…"
 */
export function cosignatureMessage(text: string, timestamp: number): Uint8Array {
  return utf8(`${COSIGNATURE_V1_HEADER}\ntime ${timestamp}\n${text}`);
}

/** The signature line `— name base64(keyid ‖ timestamp ‖ signature)\n` of a cosignature; requires a 64-byte signature. */
export function formatCosignature(c: Cosignature): string {
  if (c.signature.length !== ED25519_SIGNATURE_SIZE) throw new NoteError('malformed', 'an Ed25519 cosignature is 64 bytes');
  if (!Number.isSafeInteger(c.timestamp) || c.timestamp < 0) throw new NoteError('malformed', 'timestamp must be a non-negative safe integer');
  const raw = new Uint8Array(4 + COSIGNATURE_V1_SIZE);
  const view = new DataView(raw.buffer);
  view.setUint32(0, c.keyId, false);
  view.setBigUint64(4, BigInt(c.timestamp), false);
  raw.set(c.signature, 12);
  return `${SIGNATURE_LINE_PREFIX}${c.name} ${toBase64(raw)}\n`;
}

/**
 * Parses one cosignature line (with or without its final '\n'): `— name base64` where the base64 is
 * canonical and decodes to exactly 4 + 8 + 64 bytes and the timestamp is at most
 * MAX_COSIGNATURE_TIMESTAMP. Throws NoteError('malformed') naming what is wrong. It does not verify.
 */
export function parseCosignature(line: string): Cosignature {
  const text = line.endsWith('\n') ? line.slice(0, -1) : line;
  if (text.includes('\n')) throw new NoteError('malformed', 'a cosignature is one line');
  if (!text.startsWith(SIGNATURE_LINE_PREFIX)) throw new NoteError('malformed', 'a cosignature line starts with "— " (U+2014 EM DASH, space)');
  const rest = text.slice(SIGNATURE_LINE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  if (!isValidKeyName(name)) throw new NoteError('malformed', 'the cosignature line has no valid key name');
  const raw = space < 0 ? undefined : fromBase64(rest.slice(space + 1));
  if (raw === undefined) throw new NoteError('malformed', 'the cosignature is not canonical base64');
  if (raw.length !== 4 + COSIGNATURE_V1_SIZE) {
    throw new NoteError('malformed', `a tlog-cosignature v1 is ${4 + COSIGNATURE_V1_SIZE} bytes (key id, timestamp, signature), this one ${raw.length}`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const big = view.getBigUint64(4, false);
  if (big > MAX_TIMESTAMP_BIG) throw new NoteError('malformed', 'the cosignature timestamp exceeds 2^63 - 1');
  if (big > BigInt(MAX_COSIGNATURE_TIMESTAMP)) throw new NoteError('malformed', 'the cosignature timestamp exceeds 2^53 - 1');
  return { name, keyId: view.getUint32(0, false), timestamp: Number(big), signature: raw.slice(12) };
}

/** True when `c` is `verifier`'s valid cosignature of checkpoint note text `text` (name and key id must match too). */
export function verifyCosignature(text: string, c: Cosignature, verifier: CosignatureVerifier): boolean {
  if (c.name !== verifier.name || c.keyId !== verifier.keyId) return false;
  return ed25519Verify(verifier.publicKey, cosignatureMessage(text, c.timestamp), c.signature);
}

/** Outcome of checking one cosignature line against a checkpoint body and the configured witnesses. */
export type CosignatureCheck =
  | { readonly ok: true; readonly cosignature: Cosignature; readonly verifier: CosignatureVerifier }
  | { readonly ok: false; readonly error: 'malformed' | 'unknown_witness' | 'invalid_signature'; readonly message: string };

/**
 * Checks a cosignature line against checkpoint note text `text`: it must parse, come from one of
 * `witnesses` (same name and key id) and verify. Never throws.
 */
export function checkCosignature(line: string, text: string, witnesses: readonly CosignatureVerifier[]): CosignatureCheck {
  let c: Cosignature;
  try {
    c = parseCosignature(line);
  } catch (e) {
    return { ok: false, error: 'malformed', message: e instanceof Error ? e.message : String(e) };
  }
  const verifier = witnesses.find((w) => w.name === c.name && w.keyId === c.keyId);
  if (verifier === undefined) {
    return { ok: false, error: 'unknown_witness', message: `${c.name}+${hex32(c.keyId)} is not a configured witness key` };
  }
  if (!verifyCosignature(text, c, verifier)) {
    return { ok: false, error: 'invalid_signature', message: `the cosignature by ${c.name}+${hex32(c.keyId)} does not verify for this checkpoint` };
  }
  return { ok: true, cosignature: c, verifier };
}

/** A cosignature that verified, with the witness key that made it. */
export interface VerifiedCosignature {
  readonly witness: CosignatureVerifier;
  readonly timestamp: number;
}

/** Outcome of counting a note's cosignatures against a quorum. */
export type QuorumVerdict =
  | { readonly ok: true; readonly cosigners: readonly VerifiedCosignature[] }
  | { readonly ok: false; readonly reason: string; readonly cosigners: readonly VerifiedCosignature[]; readonly expected?: string; readonly actual?: string };

/**
 * Counts the valid cosignatures of a signed note by distinct witness keys and checks there are at
 * least `quorum`. Keys are distinct by public key: the Ed25519 cosignature does not commit to the
 * name, so one key listed under two names counts once. A line by a configured witness that does
 * not verify fails the whole note (as a bad log signature does); lines by other keys are ignored.
 * A witness key equal to the log key (`opts.logKey`) is refused: a log cannot witness itself.
 * Never throws.
 */
export function checkCosignatureQuorum(
  note: string,
  witnesses: readonly CosignatureVerifier[],
  quorum: number,
  opts: { logKey?: NoteVerifier } = {},
): QuorumVerdict {
  if (!Number.isSafeInteger(quorum) || quorum < 0) return { ok: false, reason: 'the quorum must be a non-negative integer', cosigners: [] };
  const logPub = opts.logKey === undefined ? undefined : publicKeyOfVkey(opts.logKey.vkey);
  const distinct: CosignatureVerifier[] = [];
  for (const w of witnesses) {
    if (logPub !== undefined && bytesEqual(w.publicKey, logPub)) {
      return { ok: false, reason: `witness key ${w.name}+${hex32(w.keyId)} is the log's own key: a log cannot witness itself`, cosigners: [] };
    }
    if (!distinct.some((d) => bytesEqual(d.publicKey, w.publicKey))) distinct.push(w);
  }
  if (quorum > distinct.length) {
    return {
      ok: false,
      reason: `the quorum of ${quorum} cosignatures exceeds the ${distinct.length} distinct witness key(s) given`,
      cosigners: [],
      expected: `>= ${quorum} witness keys`,
      actual: String(distinct.length),
    };
  }
  let verified: readonly { name: string; keyId: number; sig: Uint8Array }[] = [];
  try {
    verified = openNote(note, witnesses).verified;
  } catch (e) {
    if (!(e instanceof NoteError) || e.code !== 'no_verifiable_signatures') {
      const message = e instanceof Error ? e.message : String(e);
      return { ok: false, reason: `cosignature does not verify: ${message}`, cosigners: [] };
    }
  }
  const cosigners: VerifiedCosignature[] = [];
  for (const s of verified) {
    const w = witnesses.find((x) => x.name === s.name && x.keyId === s.keyId)!;
    if (cosigners.some((c) => bytesEqual(c.witness.publicKey, w.publicKey))) continue;
    cosigners.push({ witness: w, timestamp: Number(new DataView(s.sig.buffer, s.sig.byteOffset, 8).getBigUint64(0, false)) });
  }
  if (cosigners.length < quorum) {
    const names = cosigners.map((c) => c.witness.name).join(', ') || 'none';
    return {
      ok: false,
      reason: `the checkpoint carries ${cosigners.length} valid cosignature(s) by the configured witnesses (${names}); the quorum is ${quorum}`,
      cosigners,
      expected: `>= ${quorum}`,
      actual: String(cosigners.length),
    };
  }
  return { ok: true, cosigners };
}

/**
 * Parses a witness list: one witness a line, `<cosignature vkey> [url]`, where the URL (http or
 * https) is the prefix of the witness's tlog-witness API. Blank lines and lines starting with '#'
 * are skipped. A key listed twice (same public key) is refused. Throws WitnessListError naming the line.
 * @example parseWitnessList('inspektorat.example.go.id+1a2b3c4d+BP… https://witness.inspektorat.example.go.id\n')
 */
export function parseWitnessList(text: string): WitnessEntry[] {
  const out: WitnessEntry[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [vkey = '', url, ...extra] = line.split(/[ \t]+/);
    if (extra.length > 0) throw new WitnessListError('expected "<cosignature vkey> [url]"', i + 1);
    let verifier: CosignatureVerifier;
    try {
      verifier = parseCosignatureVerifierKey(vkey);
    } catch (e) {
      throw new WitnessListError(e instanceof Error ? e.message : String(e), i + 1);
    }
    if (out.some((w) => bytesEqual(w.verifier.publicKey, verifier.publicKey))) throw new WitnessListError(`witness key ${verifier.name} is listed twice`, i + 1);
    if (url !== undefined && !isHttpUrl(url)) throw new WitnessListError('the witness URL must be an http:// or https:// URL', i + 1);
    out.push(url === undefined ? { verifier } : { verifier, url: url.replace(/\/+$/, '') });
  }
  return out;
}

/** The witness list text of `witnesses`: each `vkey[ url]` then '\n' (parseWitnessList reads it back). */
export function formatWitnessList(witnesses: readonly WitnessEntry[]): string {
  return witnesses.map((w) => `${w.verifier.vkey}${w.url === undefined ? '' : ` ${w.url}`}\n`).join('');
}

/** The body of a C2SP tlog-witness add-checkpoint request. */
export interface AddCheckpointRequest {
  /** Size of the checkpoint the witness last cosigned for this log, as the client believes (0: none). */
  readonly oldSize: number;
  /** RFC 6962 consistency proof from oldSize to the checkpoint's size (empty when oldSize is 0). */
  readonly proof: readonly Uint8Array[];
  /** The signed checkpoint note, ending with '\n'. */
  readonly checkpoint: string;
}

/** Why an add-checkpoint body was refused (HTTP 400). */
export class AddCheckpointError extends Error {
  override readonly name = 'AddCheckpointError';
}

/** The add-checkpoint body `old <size>\n` + one base64 proof hash a line + `\n` + the checkpoint; requires at most 63 hashes of 32 bytes. */
export function formatAddCheckpoint(r: AddCheckpointRequest): string {
  if (!Number.isSafeInteger(r.oldSize) || r.oldSize < 0) throw new AddCheckpointError('old size must be a non-negative safe integer');
  if (r.proof.length > MAX_ADD_CHECKPOINT_PROOF) throw new AddCheckpointError(`at most ${MAX_ADD_CHECKPOINT_PROOF} proof hashes`);
  if (r.proof.some((h) => h.length !== HASH_SIZE)) throw new AddCheckpointError(`every proof hash must be ${HASH_SIZE} bytes`);
  if (!r.checkpoint.endsWith('\n')) throw new AddCheckpointError('the checkpoint note must end with a newline');
  return `old ${r.oldSize}\n${r.proof.map((h) => `${toBase64(h)}\n`).join('')}\n${r.checkpoint}`;
}

/**
 * Parses an add-checkpoint body strictly: `old <decimal without leading zeros>\n`, at most 63
 * lines of canonical base64 of 32 bytes, one empty line, then a non-empty checkpoint note (not
 * opened here). The proof must be empty when the old size is 0. Throws AddCheckpointError.
 */
export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  const first = body.indexOf('\n');
  const oldLine = first < 0 ? body : body.slice(0, first);
  const old = /^old (0|[1-9][0-9]*)$/.exec(oldLine)?.[1];
  if (old === undefined || first < 0) throw new AddCheckpointError('the body must start with "old <size>\\n"');
  const oldSize = Number(old);
  if (!Number.isSafeInteger(oldSize)) throw new AddCheckpointError('the old size exceeds 2^53 - 1');
  const proof: Uint8Array[] = [];
  let pos = first + 1;
  for (;;) {
    const end = body.indexOf('\n', pos);
    if (end < 0) throw new AddCheckpointError('missing the empty line before the checkpoint');
    const line = body.slice(pos, end);
    pos = end + 1;
    if (line === '') break;
    const hash = fromBase64(line);
    if (hash === undefined || hash.length !== HASH_SIZE) throw new AddCheckpointError(`proof line ${proof.length + 1} is not canonical base64 of ${HASH_SIZE} bytes`);
    if (proof.length === MAX_ADD_CHECKPOINT_PROOF) throw new AddCheckpointError(`more than ${MAX_ADD_CHECKPOINT_PROOF} proof lines`);
    proof.push(hash);
  }
  if (oldSize === 0 && proof.length > 0) throw new AddCheckpointError('the proof must be empty when the old size is 0');
  const checkpoint = body.slice(pos);
  if (checkpoint === '') throw new AddCheckpointError('missing the checkpoint after the empty line');
  return { oldSize, proof, checkpoint };
}

/** What a witness remembers of a log: the size and root of the last checkpoint it cosigned. */
export interface WitnessedTree {
  readonly size: number;
  readonly root: Uint8Array;
}

/** Why a witness refuses a checkpoint: each is evidence of a split view or a rollback. */
export type GrowthFailure = 'smaller' | 'same_size_different_root' | 'inconsistent';

/** Outcome of checkWitnessGrowth. */
export type GrowthVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: GrowthFailure; readonly reason: string; readonly expected?: string; readonly actual?: string };

/**
 * The witness's rule (C2SP tlog-witness): a checkpoint may be cosigned only if it extends the
 * last one cosigned. With nothing cosigned yet (`last` undefined, or its size 0 with the empty
 * root), anything is accepted. A smaller size, the same size with another root, or a
 * consistency `proof` (RFC 9162 §2.1.4, from last.size to next.size) that does not join the two
 * roots is refused. Never throws.
 */
export function checkWitnessGrowth(last: WitnessedTree | undefined, next: Pick<Checkpoint, 'size' | 'root'>, proof: readonly Uint8Array[]): GrowthVerdict {
  if (last === undefined) return { ok: true };
  if (next.size < last.size) {
    return { ok: false, error: 'smaller', reason: `the checkpoint (size ${next.size}) is smaller than the last one cosigned (size ${last.size}): the log rolled back`, expected: `size >= ${last.size}`, actual: String(next.size) };
  }
  if (next.size === last.size) {
    if (bytesEqual(next.root, last.root)) return { ok: true };
    return {
      ok: false,
      error: 'same_size_different_root',
      reason: `the checkpoint has the size of the last one cosigned (${last.size}) but another root: two views of the same tree`,
      expected: toBase64(last.root),
      actual: toBase64(next.root),
    };
  }
  if (last.size === 0) {
    if (bytesEqual(last.root, EMPTY_ROOT)) return { ok: true };
    return { ok: false, error: 'inconsistent', reason: 'the last cosigned checkpoint of size 0 does not have the empty root', expected: toBase64(EMPTY_ROOT), actual: toBase64(last.root) };
  }
  const result = verifyConsistency(last.size, next.size, proof, last.root, next.root);
  if (result.ok) return { ok: true };
  return {
    ok: false,
    error: 'inconsistent',
    reason: `the checkpoint of size ${next.size} is not consistent with the last one cosigned (size ${last.size}): ${result.reason}`,
    ...(result.expected ? { expected: toBase64(result.expected) } : {}),
    ...(result.actual ? { actual: toBase64(result.actual) } : {}),
  };
}

/** The note text of a signed note (everything up to and including the '\n' before the last blank line), or undefined when it has no blank line. */
export function noteText(note: string): string | undefined {
  const split = note.lastIndexOf('\n\n');
  return split < 0 ? undefined : note.slice(0, split + 1);
}

function verifierOf(name: string, keyId: number, vkey: string, publicKey: Uint8Array): CosignatureVerifier {
  return {
    name,
    keyId,
    vkey,
    publicKey,
    // As a NoteVerifier: `sig` is the signature line's bytes after the key id.
    verify(msg, sig) {
      if (sig.length !== COSIGNATURE_V1_SIZE) return false;
      const big = new DataView(sig.buffer, sig.byteOffset, sig.byteLength).getBigUint64(0, false);
      if (big > BigInt(MAX_COSIGNATURE_TIMESTAMP)) return false;
      const header = utf8(`${COSIGNATURE_V1_HEADER}\ntime ${big}\n`);
      const full = new Uint8Array(header.length + msg.length);
      full.set(header, 0);
      full.set(msg, header.length);
      return ed25519Verify(publicKey, full, sig.subarray(8));
    },
  };
}

function publicKeyOfVkey(vkey: string): Uint8Array | undefined {
  return fromBase64(chop(chop(vkey)[1])[1])?.slice(1);
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.search === '' && u.hash === '' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

// Splits at the first '+' only: the base64 tail of a key may itself contain '+'.
function chop(key: string): [string, string] {
  const plus = key.indexOf('+');
  return plus < 0 ? [key, ''] : [key.slice(0, plus), key.slice(plus + 1)];
}

function withAlg(alg: number, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + key.length);
  out[0] = alg;
  out.set(key, 1);
  return out;
}

function hex32(n: number): string {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, false);
  return toHex(b);
}
