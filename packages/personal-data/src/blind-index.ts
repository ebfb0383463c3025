import { createHmac } from 'node:crypto';
import { normalise, type IndexKind } from './normalise.ts';

/** Computes keyed blind indexes, so equal values can be matched without storing them. */
export class BlindIndexer {
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new RangeError(`a blind index key is 32 bytes, not ${key.length}`);
    this.#key = Buffer.from(key);
  }

  /** Keyed HMAC-SHA256 of the normalised value, domain-separated by kind, first 16 bytes as lowercase hex; undefined if normalise gives undefined. */
  index(kind: IndexKind, value: string): string | undefined {
    const normalised = normalise(kind, value);
    if (normalised === undefined) return undefined;
    return createHmac('sha256', this.#key).update(`${kind}\0${normalised}`, 'utf8').digest().subarray(0, 16).toString('hex');
  }
}
