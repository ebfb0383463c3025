// C2SP signed-note (c2sp.org/signed-note) with Ed25519 keys (type 0x01), following the
// semantics of Go's golang.org/x/mod/sumdb/note.
import { ED25519_KEY_SIZE, ed25519PublicKey, ed25519Sign, ed25519Verify } from './ed25519.ts';
import { fromBase64, sha256, toBase64, toHex, utf8 } from './hash.ts';

/** Signature type byte of Ed25519 keys in signed-note key encodings. */
export const ALG_ED25519 = 0x01;
/** Most signature lines a note may carry before it is rejected as malformed (Go's limit; C2SP requires at least 16). */
export const MAX_NOTE_SIGNATURES = 100;
/** Prefix of every signature line: U+2014 EM DASH and a space. */
export const SIGNATURE_LINE_PREFIX = '\u2014 ';

/** A key that can check signatures on notes. */
export interface NoteVerifier {
  readonly name: string;
  /** uint32 key id. */
  readonly keyId: number;
  /** The verifier key in `name+hexid+base64(0x01‖pub)` form. */
  readonly vkey: string;
  verify(msg: Uint8Array, sig: Uint8Array): boolean;
}

/** A key that can sign notes. */
export interface NoteSigner {
  readonly name: string;
  /** uint32 key id. */
  readonly keyId: number;
  /** The matching verifier key in `name+hexid+base64(0x01‖pub)` form. */
  readonly vkey: string;
  sign(msg: Uint8Array): Uint8Array;
}

export type NoteErrorCode = 'malformed' | 'invalid_signature' | 'no_verifiable_signatures' | 'malformed_key';

/** One signature line of a note. */
export interface NoteSignature {
  readonly name: string;
  /** uint32 key id. */
  readonly keyId: number;
  /** The signature bytes, without the 4-byte key id. */
  readonly sig: Uint8Array;
}

/** The outcome of opening a note. */
export interface OpenedNote {
  /** The signed text, ending with its final newline. */
  readonly text: string;
  /** Signatures that verified under a known key, one per key. */
  readonly verified: NoteSignature[];
  /** Signatures by keys not given to `openNote`, identical lines once. */
  readonly unverified: NoteSignature[];
}

/** Why a key or note was refused; `note` carries the parsed note when the code is 'no_verifiable_signatures'. */
export class NoteError extends Error {
  readonly code: NoteErrorCode;
  readonly note: OpenedNote | undefined;

  constructor(code: NoteErrorCode, message: string, note?: OpenedNote) {
    super(message);
    this.name = 'NoteError';
    this.code = code;
    this.note = note;
  }
}

// Go's unicode.IsSpace: the Unicode White_Space property, which includes U+0085 but not U+FEFF
// (unlike the JavaScript \s class).
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f]/;
// Lowercase only, where Go also takes uppercase: Go writes lowercase, and one key has one spelling.
const KEY_ID_HEX = /^[0-9a-f]{8}$/;

/** True when `name` is a valid key name under Go's rules: non-empty, well-formed, no '+', no white space. */
export function isValidKeyName(name: string): boolean {
  return name !== '' && name.isWellFormed() && !name.includes('+') && !GO_SPACE.test(name);
}

/** Key id of a key: the first 4 bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ keyBytes), where keyBytes is 0x01 ‖ public key. */
export function noteKeyId(name: string, keyBytes: Uint8Array): number {
  const nameBytes = utf8(name);
  const buf = new Uint8Array(nameBytes.length + 1 + keyBytes.length);
  buf.set(nameBytes, 0);
  buf[nameBytes.length] = 0x0a;
  buf.set(keyBytes, nameBytes.length + 1);
  return readUint32(sha256(buf));
}

/** Verifier for a `name+hexid+base64(0x01‖pub)` key; throws NoteError('malformed_key') unless the form, algorithm, length and key id all check. */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const [name, afterName] = chop(vkey);
  const [idHex, key64] = chop(afterName);
  const keyBytes = fromBase64(key64);
  if (!isValidKeyName(name) || !KEY_ID_HEX.test(idHex) || keyBytes === undefined || keyBytes.length === 0) {
    throw new NoteError('malformed_key', 'verifier key is not name+hexid+base64');
  }
  const keyId = Number.parseInt(idHex, 16);
  if (noteKeyId(name, keyBytes) !== keyId) throw new NoteError('malformed_key', 'verifier key id does not match the key');
  if (keyBytes[0] !== ALG_ED25519) throw new NoteError('malformed_key', 'verifier key has an unknown algorithm');
  const pub = keyBytes.slice(1);
  if (pub.length !== ED25519_KEY_SIZE) throw new NoteError('malformed_key', 'Ed25519 verifier key is not 32 bytes');
  return { name, keyId, vkey, verify: (msg, sig) => ed25519Verify(pub, msg, sig) };
}

/** Signer for a Go-format `PRIVATE+KEY+name+hexid+base64(0x01‖seed)` key; throws NoteError('malformed_key') unless it is well formed and its key id matches the derived public key. */
export function parseSignerKey(skey: string): NoteSigner {
  const [private_, afterPrivate] = chop(skey);
  const [key_, afterKey] = chop(afterPrivate);
  const [name, afterName] = chop(afterKey);
  const [idHex, key64] = chop(afterName);
  const keyBytes = fromBase64(key64);
  if (
    private_ !== 'PRIVATE' ||
    key_ !== 'KEY' ||
    !isValidKeyName(name) ||
    !KEY_ID_HEX.test(idHex) ||
    keyBytes === undefined ||
    keyBytes.length === 0
  ) {
    throw new NoteError('malformed_key', 'signer key is not PRIVATE+KEY+name+hexid+base64');
  }
  if (keyBytes[0] !== ALG_ED25519) throw new NoteError('malformed_key', 'signer key has an unknown algorithm');
  const seed = keyBytes.slice(1);
  if (seed.length !== ED25519_KEY_SIZE) throw new NoteError('malformed_key', 'Ed25519 signer seed is not 32 bytes');
  const signer = signerFromSeed(name, seed);
  if (signer.keyId !== Number.parseInt(idHex, 16)) {
    throw new NoteError('malformed_key', 'signer key id does not match the derived public key');
  }
  return signer;
}

/** A fresh Ed25519 key pair for `name` in Go's skey/vkey forms, seeded from globalThis.crypto.getRandomValues; throws NoteError('malformed_key') for an invalid name. */
export function generateSignerKey(name: string): { skey: string; vkey: string } {
  // Stricter than Go: a name with a control character could never appear in a note openNote accepts.
  if (!isValidKeyName(name) || CONTROL_EXCEPT_NEWLINE.test(name)) {
    throw new NoteError('malformed_key', 'key name must be non-empty, without "+" or white space');
  }
  const seed = globalThis.crypto.getRandomValues(new Uint8Array(ED25519_KEY_SIZE));
  const signer = signerFromSeed(name, seed);
  return { skey: `PRIVATE+KEY+${name}+${hex32(signer.keyId)}+${toBase64(withAlg(seed))}`, vkey: signer.vkey };
}

/** The signature line `— name base64(keyid ‖ sig)\n` of one signature. */
export function formatSignatureLine(sig: NoteSignature): string {
  const raw = new Uint8Array(4 + sig.sig.length);
  writeUint32(raw, sig.keyId);
  raw.set(sig.sig, 4);
  return `${SIGNATURE_LINE_PREFIX}${sig.name} ${toBase64(raw)}\n`;
}

/**
 * The signed note of `text` with the `existing` signatures (minus any by one of `signers`) followed by a new signature from each signer.
 * Requires `text` to end with '\n' and hold no control character other than '\n'; throws NoteError('malformed') otherwise,
 * or when a name is invalid or the note would carry more than MAX_NOTE_SIGNATURES signatures.
 */
export function signNote(text: string, signers: readonly NoteSigner[], existing: readonly NoteSignature[] = []): string {
  if (!text.endsWith('\n') || !isNoteSafe(text)) {
    throw new NoteError('malformed', 'note text must be well-formed, end with a newline and hold no control characters');
  }
  const replaced = new Set(signers.map((s) => nameKey(s.name, s.keyId)));
  const kept = existing.filter((s) => !replaced.has(nameKey(s.name, s.keyId)));
  if (kept.length + signers.length > MAX_NOTE_SIGNATURES) {
    throw new NoteError('malformed', `a note carries at most ${MAX_NOTE_SIGNATURES} signatures`);
  }
  const msg = utf8(text);
  const lines: string[] = [];
  for (const s of kept) {
    if (!isSignatureName(s.name) || s.sig.length === 0) throw new NoteError('malformed', 'existing signature is malformed');
    lines.push(formatSignatureLine(s));
  }
  for (const signer of signers) {
    if (!isSignatureName(signer.name)) throw new NoteError('malformed', 'signer name is invalid');
    lines.push(formatSignatureLine({ name: signer.name, keyId: signer.keyId, sig: signer.sign(msg) }));
  }
  return `${text}\n${lines.join('')}`;
}

/**
 * Parses a signed note and checks its signatures against `verifiers` (matched by name and key id).
 * Throws NoteError: 'malformed' for invalid UTF-8, control characters, bad structure or more than MAX_NOTE_SIGNATURES lines;
 * 'invalid_signature' when any signature by a known key fails; 'no_verifiable_signatures' when no known key signed (with `note`).
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const msg = typeof note === 'string' ? note : decodeUtf8(note);
  if (msg === undefined || !isNoteSafe(msg)) {
    throw new NoteError('malformed', 'note is not well-formed UTF-8 without control characters');
  }
  const split = msg.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed', 'note has no blank line before its signatures');
  const text = msg.slice(0, split + 1);
  const block = msg.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) throw new NoteError('malformed', 'signature block must end with a newline');

  // Parse every line before verifying any, so a structurally broken note is 'malformed' whatever its signatures.
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw new NoteError('malformed', `note has more than ${MAX_NOTE_SIGNATURES} signatures`);
  }
  const parsed = lines.map(parseSignatureLine);

  const body = utf8(text);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seenVerified = new Set<string>();
  const seenLines = new Set<string>();
  for (let i = 0; i < parsed.length; i++) {
    const sig = parsed[i];
    const line = lines[i];
    if (sig === undefined || line === undefined || seenLines.has(line)) continue;
    seenLines.add(line);
    const verifier = verifiers.find((v) => v.name === sig.name && v.keyId === sig.keyId);
    if (verifier === undefined) {
      unverified.push(sig);
      continue;
    }
    // Go skips any later signature by a key it has already seen; we verify every distinct line
    // from a known key, so a note cannot carry a bad signature next to a good one.
    if (!verifier.verify(body, sig.sig)) {
      throw new NoteError('invalid_signature', `invalid signature by ${sig.name}+${hex32(sig.keyId)}`);
    }
    const key = nameKey(sig.name, sig.keyId);
    if (seenVerified.has(key)) continue;
    seenVerified.add(key);
    verified.push(sig);
  }
  if (verified.length === 0) {
    throw new NoteError('no_verifiable_signatures', 'no signature by a known key', { text, verified, unverified });
  }
  return { text, verified, unverified };
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_LINE_PREFIX)) throw new NoteError('malformed', 'line in signature block is not a signature');
  const rest = line.slice(SIGNATURE_LINE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const raw = space < 0 ? undefined : fromBase64(rest.slice(space + 1));
  if (!isValidKeyName(name) || raw === undefined || raw.length < 5) {
    throw new NoteError('malformed', 'signature line is not "— name base64"');
  }
  return { name, keyId: readUint32(raw), sig: raw.slice(4) };
}

function signerFromSeed(name: string, seed: Uint8Array): NoteSigner {
  const keyBytes = withAlg(ed25519PublicKey(seed));
  const keyId = noteKeyId(name, keyBytes);
  const secret = seed.slice();
  return {
    name,
    keyId,
    vkey: `${name}+${hex32(keyId)}+${toBase64(keyBytes)}`,
    sign: (msg) => ed25519Sign(secret, msg),
  };
}

// Splits at the first '+' only (as Go's chop): the base64 tail of a key may itself contain '+'.
function chop(key: string): [string, string] {
  const plus = key.indexOf('+');
  return plus < 0 ? [key, ''] : [key.slice(0, plus), key.slice(plus + 1)];
}

function isNoteSafe(text: string): boolean {
  return text.isWellFormed() && !CONTROL_EXCEPT_NEWLINE.test(text);
}

function isSignatureName(name: string): boolean {
  return isValidKeyName(name) && !CONTROL_EXCEPT_NEWLINE.test(name);
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    // ignoreBOM keeps a leading U+FEFF as text, as Go does, instead of silently dropping it.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function withAlg(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + key.length);
  out[0] = ALG_ED25519;
  out.set(key, 1);
  return out;
}

function nameKey(name: string, keyId: number): string {
  return `${name}+${hex32(keyId)}`;
}

function hex32(n: number): string {
  const b = new Uint8Array(4);
  writeUint32(b, n);
  return toHex(b);
}

function readUint32(b: Uint8Array): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0, false);
}

function writeUint32(b: Uint8Array, n: number): void {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(0, n, false);
}
