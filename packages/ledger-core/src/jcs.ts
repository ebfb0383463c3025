/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * Why a local serialiser rather than the `canonicalize` package: both produce the same
 * bytes on every conformance vector, and this one is faster on ledger-shaped events
 * (see docs/jcs.md for the measurement). It leans on the engine for the two hard parts
 * JCS borrows from ECMAScript: `JSON.stringify` for string escaping and number
 * formatting, and the default sort for UTF-16 code-unit key order.
 */

/** Raised when a value has no JSON canonical form (non-finite number, lone surrogate, …). */
export class JcsError extends Error {
  override readonly name = 'JcsError';
}

/** RFC 8785 canonical JSON text of `value`; throws JcsError when it has none. */
export function canonicalize(value: unknown): string {
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw new JcsError('string holds a lone surrogate');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new JcsError(`number ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return canonicalizeArray(value);
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return canonicalize((value as { toJSON: () => unknown }).toJSON());
      }
      return canonicalizeObject(value as Record<string, unknown>);
    default:
      throw new JcsError(`a ${typeof value} has no JSON form`);
  }
}

function canonicalizeArray(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    out += canonicalize(items[i]);
  }
  return out + ']';
}

function canonicalizeObject(obj: Record<string, unknown>): string {
  // Array.prototype.sort without a comparator orders by UTF-16 code units, as JCS requires.
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = obj[key];
    if (v === undefined) continue; // as JSON.stringify: an undefined member is absent
    if (!first) out += ',';
    first = false;
    if (!key.isWellFormed()) throw new JcsError('member name holds a lone surrogate');
    out += JSON.stringify(key) + ':' + canonicalize(v);
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
