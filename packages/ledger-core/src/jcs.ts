/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * Why a local serialiser rather than the `canonicalize` package: both produce the same
 * bytes on every conformance vector, and this one is faster on ledger-shaped events
 * (see docs/jcs.md for the measurement). It leans on the engine for the parts JCS
 * borrows from ECMAScript: `JSON.stringify` for string escaping, Number-to-String for
 * numbers, and string comparison for UTF-16 code-unit key order.
 */

/** Raised when a value has no JSON canonical form (non-finite number, lone surrogate, …). */
export class JcsError extends Error {
  override readonly name = 'JcsError';
}

/** RFC 8785 canonical JSON text of `value`; throws JcsError when it has none. */
export function canonicalize(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quote(value, 'string');
    case 'number':
      if (!Number.isFinite(value)) throw new JcsError(`number ${value} has no JSON form`);
      // String(n) is exactly what JSON.stringify writes for a finite number (ECMA-262
      // Number::toString, -0 as "0"), which is what RFC 8785 §3.2.2.3 requires.
      return '' + value;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return canonicalizeArray(value);
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return canonicalize((value as { toJSON: () => unknown }).toJSON());
      }
      return canonicalizeObject(value as Record<string, unknown>);
    case 'undefined':
    case 'bigint':
    case 'symbol':
    case 'function':
      throw new JcsError(`a ${typeof value} has no JSON form`);
  }
}

// Code units that JSON.stringify escapes (controls, '"', '\') or that may be a lone
// surrogate. A string with none of them is written verbatim between quotes, which is
// what JSON.stringify would produce, without the call.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NEEDS_CARE = /[\u0000-\u001f"\\\ud800-\udfff]/;

function quote(text: string, what: string): string {
  if (!NEEDS_CARE.test(text)) return '"' + text + '"';
  if (!text.isWellFormed()) throw new JcsError(`${what} holds a lone surrogate`);
  return JSON.stringify(text);
}

// Why a cache: ledger entries repeat the same few dozen member names, and reusing their
// quoted form made canonicalisation about 1.35x faster (docs/jcs.md). Bounded in count
// and key length so that hostile input cannot grow it; a key left out is simply quoted
// every time. It holds only results of a pure function, so output never depends on it.
const quotedKeys = new Map<string, string>();
const MAX_CACHED_KEYS = 4096;
const MAX_CACHED_KEY_LENGTH = 64;

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = quote(key, 'member name');
    if (quotedKeys.size < MAX_CACHED_KEYS && key.length <= MAX_CACHED_KEY_LENGTH) quotedKeys.set(key, quoted);
  }
  return quoted;
}

function canonicalizeArray(items: readonly unknown[]): string {
  if (items.length === 0) return '[]';
  let out = '[' + canonicalize(items[0]);
  for (let i = 1; i < items.length; i++) out += ',' + canonicalize(items[i]);
  return out + ']';
}

/** Sorts distinct member names in place by UTF-16 code units, as RFC 8785 §3.2.3 requires. */
function sortKeys(keys: string[]): void {
  // Why not always Array.prototype.sort: for the handful of members an entry object
  // has, an insertion sort with `>` (which compares strings by UTF-16 code units, the
  // same order as the default sort) made canonicalisation about 1.2x faster.
  if (keys.length > 32) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
}

function canonicalizeObject(obj: Record<string, unknown>): string {
  const keys = Object.keys(obj);
  sortKeys(keys);
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const v = obj[key];
    if (v === undefined) continue; // as JSON.stringify: an undefined member is absent
    out += (out.length === 1 ? '' : ',') + quoteKey(key) + ':' + canonicalize(v);
  }
  return out + '}';
}

/** True when `text` is JSON already in RFC 8785 canonical form. */
export function isCanonical(text: string): boolean {
  try {
    return canonicalize(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}
