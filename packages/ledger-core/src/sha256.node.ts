// SHA-256 on Node.js: the one-shot native hash is about 3x faster than a pure-JS
// implementation, and hashing every entry is on the verification hot path.
// Hashing is computation, not I/O, so the core stays pure with this binding.
import { hash } from 'node:crypto';

/** SHA-256 of `data` (32 bytes). */
export function sha256(data: Uint8Array): Uint8Array {
  const digest = hash('sha256', data, 'buffer');
  // A plain Uint8Array view, so `.slice()` copies as it does on every other platform.
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}
