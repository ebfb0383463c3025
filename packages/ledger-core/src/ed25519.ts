import { ed25519 } from '@noble/curves/ed25519.js';

/** Length in bytes of an Ed25519 seed (RFC 8032 secret key), public key, and half a signature. */
export const ED25519_KEY_SIZE = 32;
/** Length in bytes of an Ed25519 signature. */
export const ED25519_SIGNATURE_SIZE = 64;

/** RFC 8032 public key of a 32-byte seed; throws when the seed is not 32 bytes. */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(seed);
}

/** Deterministic RFC 8032 signature of `msg` under a 32-byte seed; throws when the seed is not 32 bytes. */
export function ed25519Sign(seed: Uint8Array, msg: Uint8Array): Uint8Array {
  return ed25519.sign(msg, seed);
}

/** True when `sig` is a strict RFC 8032 Ed25519 signature of `msg` under `pub`; never throws, any wrong length is false. */
export function ed25519Verify(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  if (pub.length !== ED25519_KEY_SIZE || sig.length !== ED25519_SIGNATURE_SIZE) return false;
  try {
    // zip215: false is noble's RFC 8032 mode: rejects S >= L and non-canonical A or R encodings.
    // It also rejects small-order public keys, which no honest key is.
    return ed25519.verify(sig, msg, pub, { zip215: false });
  } catch {
    return false;
  }
}
