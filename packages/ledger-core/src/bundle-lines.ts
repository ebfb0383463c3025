/**
 * Feeds an export bundle's entries.jsonl to a BundleVerifier as byte chunks arrive (from a
 * file stream in the CLI, from a Blob's stream in the browser), so a bundle of millions of
 * entries never has to fit in one string. Lines are split on '\n' only and decoded strictly:
 * a stray '\r' or an invalid UTF-8 byte is part of the line and fails it, where a line reader
 * would silently drop or replace it. No I/O: the caller reads the chunks.
 */
import type { BundleVerifier, FailedVerdict, Verdict } from './bundle.ts';

const NEWLINE = 0x0a;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Splits byte chunks into entry lines and pushes each to `verifier`. Call `push` with each
 * chunk in order (stop at the first failure it returns), then `finish` at the end of the file.
 */
export class BundleLineFeeder {
  readonly #verifier: BundleVerifier;
  readonly #onLine: ((seq: number, line: string) => void) | undefined;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  #seq = 0;
  #carry: Uint8Array[] = [];

  /** `onLine` sees each line that decodes, with its seq, before the verifier checks it. */
  constructor(verifier: BundleVerifier, onLine?: (seq: number, line: string) => void) {
    this.#verifier = verifier;
    this.#onLine = onLine;
  }

  /** Complete lines checked so far (on a failure: the seq of the failing line). */
  get lines(): number {
    return this.#seq;
  }

  /** Checks every line the chunk completes; returns the first failure, if any. */
  push(chunk: Uint8Array): FailedVerdict | undefined {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, nl);
      const bytes = this.#carry.length === 0 ? piece : concat([...this.#carry, piece]);
      this.#carry = [];
      const failure = this.#check(bytes);
      if (failure !== undefined) return failure;
      this.#seq++;
      start = nl + 1;
    }
    // A copy: the caller may reuse the chunk's buffer.
    if (start < chunk.length) this.#carry.push(chunk.slice(start));
    return undefined;
  }

  /** The verdict after the last chunk. */
  finish(): Verdict {
    if (this.#carry.length > 0) {
      // An unterminated last line: what is wrong with its content comes first, if anything.
      return this.#check(concat(this.#carry)) ?? { ok: false, seq: this.#seq, reason: 'last line does not end with a newline' };
    }
    return this.#verifier.finish();
  }

  /** Checks one complete line (its bytes without the '\n'); returns a failure, if any. */
  #check(bytes: Uint8Array): FailedVerdict | undefined {
    const seq = this.#seq;
    let line: string;
    try {
      line = this.#decoder.decode(bytes);
    } catch {
      // push('') surfaces a failure found before this line (the checkpoint's), if any.
      const earlier = this.#verifier.push('');
      return earlier !== undefined && earlier.seq !== seq ? earlier : { ok: false, seq, reason: 'line is not valid UTF-8' };
    }
    this.#onLine?.(seq, line);
    const failure = this.#verifier.push(line);
    if (line === '') return failure !== undefined && failure.seq !== seq ? failure : { ok: false, seq, reason: 'empty line' };
    return failure;
  }
}
