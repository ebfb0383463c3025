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

/** RFC 6962 leaf hash: SHA-256(0x00 ‖ data). */
export function leafHash(data: Uint8Array | string): Uint8Array {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const buf = new Uint8Array(bytes.length + 1);
  buf[0] = LEAF_PREFIX;
  buf.set(bytes, 1);
  return sha256(buf);
}

/** RFC 6962 interior node hash: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + left.length + right.length);
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
