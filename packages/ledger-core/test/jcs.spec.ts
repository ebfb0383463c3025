// Edge cases of RFC 8785 canonicalisation that the conformance vectors do not pin down.
import { describe, expect, it } from 'vitest';
import { canonicalize, isCanonical, JcsError } from '../src/jcs.ts';

/** Orders strings by UTF-16 code units, written out so the test does not lean on sort(). */
function compareCodeUnits(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** RFC 8785 §3.2 transcribed as plainly as possible, as an oracle for the tuned serialiser. */
function reference(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(reference).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined);
    keys.sort(compareCodeUnits);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

describe('canonicalize: values with no JSON form', () => {
  it.each([
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', '\udc00'],
    ['a high surrogate at the end', 'abc\ud83d'],
    ['a low surrogate before its high one', '\ude02\ud83d'],
    ['two high surrogates', '\ud83d\ud83d\ude02'],
  ])('rejects a string with %s, as a value and as a member name', (_, s) => {
    expect(() => canonicalize(s)).toThrow(JcsError);
    expect(() => canonicalize([s])).toThrow(JcsError);
    expect(() => canonicalize({ a: s })).toThrow(JcsError);
    expect(() => canonicalize({ [s]: 1 })).toThrow(/member name holds a lone surrogate/);
    // Asked twice, so a cached first answer cannot turn the second into a success.
    expect(() => canonicalize({ [s]: 1 })).toThrow(JcsError);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('rejects %s at the top level, in an array and in an object', (_, n) => {
    expect(() => canonicalize(n)).toThrow(JcsError);
    expect(() => canonicalize([1, n])).toThrow(JcsError);
    expect(() => canonicalize({ a: { b: n } })).toThrow(JcsError);
  });

  it('rejects undefined, bigint, symbol and function values where JSON has no slot for them to vanish from', () => {
    expect(() => canonicalize(undefined)).toThrow(JcsError);
    // JSON.stringify would write null here; a canonical form must not invent a value.
    expect(() => canonicalize([1, undefined])).toThrow(JcsError);
    expect(() => canonicalize(10n)).toThrow(JcsError);
    expect(() => canonicalize({ a: Symbol('x') })).toThrow(JcsError);
    expect(() => canonicalize({ a: () => 1 })).toThrow(JcsError);
  });

  it('accepts a well-formed surrogate pair and writes it as itself, not escaped', () => {
    expect(canonicalize('\ud83d\ude02')).toBe('"\ud83d\ude02"');
    expect(canonicalize({ '\ud83d\ude02': '\u{1f600}' })).toBe('{"\ud83d\ude02":"\u{1f600}"}');
  });
});

describe('canonicalize: numbers', () => {
  it('writes -0 as 0', () => {
    expect(canonicalize(-0)).toBe('0');
    expect(canonicalize([-0, { z: -0 }])).toBe('[0,{"z":0}]');
  });

  it.each([
    [1, '1'],
    [-1, '-1'],
    [1.5, '1.5'],
    [100, '100'],
    [1e21, '1e+21'],
    [1e20, '100000000000000000000'],
    [1e-7, '1e-7'],
    [0.000001, '0.000001'],
    [123456789012345680000, '123456789012345680000'],
    [2 ** 53 + 2, '9007199254740994'],
    [Number.MAX_VALUE, '1.7976931348623157e+308'],
    [Number.MIN_VALUE, '5e-324'],
    [-Number.MIN_VALUE, '-5e-324'],
    [0.1 + 0.2, '0.30000000000000004'],
    [JSON.parse('333333333.33333329') as number, '333333333.3333333'], // from values.json
  ])('writes %d as %s', (n, text) => {
    expect(canonicalize(n)).toBe(text);
  });
});

describe('canonicalize: strings', () => {
  it('escapes exactly as RFC 8785 §3.2.2.2: short forms, lowercase \\u00xx, nothing else', () => {
    expect(canonicalize('\u0000\b\t\n\u000b\f\r\u001f"\\/\u007f\u0080é€')).toBe(
      '"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f\\"\\\\/\u007f\u0080é€"',
    );
  });

  it('matches JSON.stringify for every single UTF-16 code unit, and rejects each lone surrogate', () => {
    const failures: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const s = `a${String.fromCharCode(c)}z`;
      const surrogate = c >= 0xd800 && c <= 0xdfff;
      try {
        const got = canonicalize(s);
        if (surrogate) failures.push(`U+${c.toString(16)}: accepted a lone surrogate`);
        else if (got !== JSON.stringify(s)) failures.push(`U+${c.toString(16)}: got ${got}`);
        if (!surrogate && canonicalize({ [s]: 0 }) !== `{${JSON.stringify(s)}:0}`) failures.push(`U+${c.toString(16)}: as a key`);
      } catch (e) {
        if (!surrogate || !(e instanceof JcsError)) failures.push(`U+${c.toString(16)}: threw ${String(e)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('canonicalize: objects', () => {
  it('skips undefined members, as JSON.stringify does', () => {
    expect(canonicalize({ a: undefined, b: 1, c: undefined })).toBe('{"b":1}');
    expect(canonicalize({ a: undefined })).toBe('{}');
    expect(canonicalize({ a: { b: undefined }, c: null })).toBe('{"a":{},"c":null}');
  });

  it('orders member names by UTF-16 code units, not code points', () => {
    // U+1F600 is the pair D83D DE00, so it sorts before U+FB33 although its code point is higher.
    expect(canonicalize({ '\ufb33': 1, '\u{1f600}': 2, '\u20ac': 3 })).toBe('{"€":3,"\u{1f600}":2,"\ufb33":1}');
    expect(canonicalize({ b: 1, a: 2, B: 3, '': 4, aa: 5, 'a\u0000': 6 })).toBe('{"":4,"B":3,"a":2,"a\\u0000":6,"aa":5,"b":1}');
  });

  it('orders integer-like member names as strings, not in the engine\'s numeric order', () => {
    expect(canonicalize({ 10: 'a', 2: 'b', 1: 'c', '-1': 'd', x: 'e', '01': 'f' })).toBe(
      '{"-1":"d","01":"f","1":"c","10":"a","2":"b","x":"e"}',
    );
  });

  it('orders many members (past the insertion-sort cutoff) by UTF-16 code units', () => {
    const keys = Array.from({ length: 200 }, (_, i) => `${String.fromCodePoint(0x20 + ((i * 7919) % 0x1ff00))}${i}`).filter(
      (k) => k.isWellFormed(),
    );
    const obj = Object.fromEntries(keys.map((k, i) => [k, i]));
    const order = [...keys].sort(compareCodeUnits);
    expect(canonicalize(obj)).toBe(`{${order.map((k) => `${JSON.stringify(k)}:${obj[k]}`).join(',')}}`);
    expect(keys.length).toBeGreaterThan(100);
  });

  it('does not depend on insertion order', () => {
    const a = { ledger: 'x', seq: 1, actor: { role: 'r', id: 'i' }, payload: { z: [1, { b: 2, a: 1 }], y: true } };
    const b = { payload: { y: true, z: [1, { a: 1, b: 2 }] }, actor: { id: 'i', role: 'r' }, seq: 1, ledger: 'x' };
    expect(canonicalize(a)).toBe(canonicalize(b));
    expect(canonicalize(a)).toBe('{"actor":{"id":"i","role":"r"},"ledger":"x","payload":{"y":true,"z":[1,{"a":1,"b":2}]},"seq":1}');
  });

  it('serialises a "__proto__" member name as an ordinary member', () => {
    expect(canonicalize(JSON.parse('{"b":1,"__proto__":{"x":2}}'))).toBe('{"__proto__":{"x":2},"b":1}');
  });

  it('uses toJSON, as a Date does', () => {
    expect(canonicalize({ at: new Date(Date.UTC(2026, 10, 22, 8, 0, 0, 7)) })).toBe('{"at":"2026-11-22T08:00:00.007Z"}');
  });

  it('quotes long, prefix-sharing and thousands of distinct member names exactly (the name cache is bounded)', () => {
    const long = `k${'ä'.repeat(100)}"`;
    for (const key of [long, long, long.slice(0, 64), long.slice(0, 65), long.slice(0, 63), `${long}x`]) {
      expect(canonicalize({ [key]: 1 })).toBe(`{${JSON.stringify(key)}:1}`);
    }
    const many = Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`m\n${i}`, i]));
    expect(canonicalize(many)).toBe(reference(many));
    expect(canonicalize(many)).toBe(reference(many));
  });
});

describe('canonicalize: randomised against a plain transcription of RFC 8785', () => {
  it('agrees on 3000 random values, and its output is canonical and round-trips', () => {
    let seed = 0x2026_1122;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const view = new DataView(new ArrayBuffer(8));
    const units = [0x00, 0x08, 0x1f, 0x20, 0x22, 0x2f, 0x41, 0x5c, 0x7f, 0xe9, 0x20ac, 0xfb33, 0xfffe];
    const str = (): string => {
      let s = '';
      const n = Math.floor(rnd() * 8);
      for (let i = 0; i < n; i++) s += rnd() < 0.15 ? '\u{1f600}' : String.fromCharCode(rnd() < 0.5 ? pick(units) : 0x61 + Math.floor(rnd() * 26));
      return s;
    };
    const num = (): number => {
      if (rnd() < 0.5) return Math.floor(rnd() * 2001) - 1000;
      view.setUint32(0, Math.floor(rnd() * 2 ** 32));
      view.setUint32(4, Math.floor(rnd() * 2 ** 32));
      const d = view.getFloat64(0);
      return Number.isFinite(d) ? d : 0;
    };
    const value = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.45) return pick([() => str(), () => num(), () => rnd() < 0.5, () => null])();
      if (r < 0.65) return Array.from({ length: Math.floor(rnd() * 5) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      const n = rnd() < 0.05 ? 60 : Math.floor(rnd() * 8);
      for (let i = 0; i < n; i++) o[rnd() < 0.5 ? pick(['id', 'seq', 'at', '1', '10', '2', 'a', 'b']) : str()] = rnd() < 0.1 ? undefined : value(depth + 1);
      return o;
    };
    const failures: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const v = value(0);
      const got = canonicalize(v);
      const want = reference(v);
      if (got !== want) failures.push(`#${i}: got ${got}, want ${want}`);
      if (!isCanonical(got)) failures.push(`#${i}: isCanonical(${got}) is false`);
      if (canonicalize(JSON.parse(got)) !== got) failures.push(`#${i}: does not round-trip`);
    }
    expect(failures).toEqual([]);
  });
});

describe('isCanonical', () => {
  it.each([
    ['{"a":1}'],
    ['[]'],
    ['{}'],
    ['null'],
    ['0'],
    ['-1.5'],
    ['1e+21'],
    ['"\\u001f"'],
    ['"€/\u007f"'],
    ['{"\ud83d\ude02":1,"\ufb33":2}'],
  ])('accepts %s', (text) => {
    expect(isCanonical(text)).toBe(true);
  });

  it.each([
    ['leading whitespace', ' {"a":1}'],
    ['whitespace after a colon', '{"a": 1}'],
    ['whitespace after a comma', '[1, 2]'],
    ['a trailing newline', '{"a":1}\n'],
    ['a duplicate member name', '{"a":1,"a":1}'],
    ['unsorted member names', '{"b":1,"a":2}'],
    ['code-point instead of code-unit order', '{"\ufb33":2,"\ud83d\ude02":1}'],
    ['1.0 for 1', '1.0'],
    ['an exponent where none is due', '1E3'],
    ['a lowercase exponent without sign', '1e21'],
    ['-0', '-0'],
    ['an escaped solidus', '"\\/"'],
    ['an escaped letter', '"\\u0041"'],
    ['an escaped non-ASCII character', '"\\u00e9"'],
    ['an uppercase hex escape', '"\\u001F"'],
    ['a \\u escape where a short one exists', '"\\u000a"'],
    ['an escaped lone surrogate', '"\\ud800"'],
    ['invalid JSON', '{a:1}'],
    ['the empty text', ''],
  ])('rejects %s', (_, text) => {
    expect(isCanonical(text)).toBe(false);
  });
});
