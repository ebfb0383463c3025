import { base64, hex } from '@scure/base';
import { sha256 } from '#sha256';

export { sha256 };

/** RFC 6962 domain-separation prefix of a leaf hash. */
export const LEAF_PREFIX = 0x00;
/** RFC 6962 domain-separation prefix of an interior node hash. */
export const NODE_PREFIX = 0x01;
/** Size of every hash in the ledger, in bytes. */
export const HASH_SIZE = 32;

/** RFC 6962 root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

// Reused for every leaf hash of a string: 0x00 then the UTF-8, so hashing an entry
// allocates neither its encoding nor a prefixed copy (both showed up in profiles).
let scratch = new Uint8Array(4096);

/** RFC 6962 leaf hash: SHA-256(0x00 ‖ data), where a string stands for its UTF-8 bytes. */
export function leafHash(data: Uint8Array | string): Uint8Array {
  if (typeof data === 'string') {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    if (scratch.length < 1 + 3 * data.length) scratch = new Uint8Array(Math.max(1 + 3 * data.length, 2 * scratch.length));
    scratch[0] = LEAF_PREFIX;
    const { written } = encoder.encodeInto(data, scratch.subarray(1));
    return sha256(scratch.subarray(0, 1 + written));
  }
  const buf = new Uint8Array(data.length + 1);
  buf[0] = LEAF_PREFIX;
  buf.set(data, 1);
  return sha256(buf);
}

// Reused by nodeHash for the usual two 32-byte children (hashing is synchronous).
const nodeScratch = new Uint8Array(1 + 2 * HASH_SIZE);

/** RFC 6962 interior node hash: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = left.length === HASH_SIZE && right.length === HASH_SIZE ? nodeScratch : new Uint8Array(1 + left.length + right.length);
  buf[0] = NODE_PREFIX;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return sha256(buf);
}

/** True when two byte arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lowercase hex of `bytes`. */
export const toHex: (bytes: Uint8Array) => string = hex.encode;

/** Bytes of a hex string; throws on odd length or a non-hex character. */
export function fromHex(text: string): Uint8Array {
  return hex.decode(text.toLowerCase());
}

/** Standard padded base64 (RFC 4648 §4) of `bytes`. */
export const toBase64: (bytes: Uint8Array) => string = base64.encode;

/** Bytes of canonical padded base64, or undefined for anything else (one value, one spelling). */
export function fromBase64(text: string): Uint8Array | undefined {
  try {
    return base64.decode(text);
  } catch {
    return undefined;
  }
}
