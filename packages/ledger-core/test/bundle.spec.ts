import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BundleVerifier, describeVerdict, verifyBundle } from '../src/bundle.ts';
import type { Verdict, VerifyOptions } from '../src/bundle.ts';
import { chainHeadExtension, parseCheckpoint, signCheckpoint } from '../src/checkpoint.ts';
import { canonicalize } from '../src/jcs.ts';
import { parseSignerKey } from '../src/note.ts';
import type { Entry } from '../src/entry.ts';
import {
  FIXTURE_ORIGIN,
  bundleOf,
  buildBundle,
  draftEntries,
  generateLogKey,
  signLeaves,
  toJsonl,
} from './bundle-fixture.ts';
import type { BundleFixture } from './bundle-fixture.ts';

// Independent of src/hash.ts and src/merkle.ts: RFC 6962 MTH written out from the RFC.
const sha = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const mth = (leaves: readonly Uint8Array[]): Uint8Array => {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Uint8Array.of(1), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
};
const rfcLeaf = (line: string): Uint8Array => sha(Uint8Array.of(0), new TextEncoder().encode(line));

/** Expects a failure at exactly `seq` (undefined: no seq) whose reason contains `reason`. */
function expectFailure(v: Verdict, seq: number | undefined, reason: string): Extract<Verdict, { ok: false }> {
  if (v.ok) throw new Error(`expected a failure, got ${describeVerdict(v)}`);
  expect(v.seq).toBe(seq);
  expect(v.reason).toContain(reason);
  return v;
}

function expectValid(v: Verdict, fx: BundleFixture): void {
  if (!v.ok) throw new Error(`expected valid, got ${describeVerdict(v)}`);
  expect(v.origin).toBe(fx.origin);
  expect(v.size).toBe(fx.lines.length);
  expect(Buffer.from(v.root).toString('hex')).toBe(Buffer.from(mth(fx.lines.map(rfcLeaf))).toString('hex'));
}

/** The bundle with its entries.jsonl replaced by `lines`. */
function withLines(fx: BundleFixture, lines: readonly string[]) {
  return { ...fx.files, entries: toJsonl(lines) };
}

/** Copy of `lines` with line k replaced by f(line k). */
function editLine(lines: readonly string[], k: number, f: (line: string) => string): string[] {
  const out = [...lines];
  const before = out[k]!;
  const after = f(before);
  expect(after).not.toBe(before); // the edit really changed something
  out[k] = after;
  return out;
}

const N = 20;
const K = 7;

describe('verifyBundle on valid bundles', () => {
  it('verifies a bundle without a chain-head extension', () => {
    const fx = buildBundle({ size: N });
    expect(fx.checkpoint.extensions).toEqual([]);
    expectValid(verifyBundle(fx.files), fx);
  });

  it('verifies a bundle with a chain-head extension', () => {
    const fx = buildBundle({ size: N, chainHead: true });
    expect(fx.checkpoint.extensions).toEqual([chainHeadExtension(rfcLeaf(fx.lines[N - 1]!))]);
    expectValid(verifyBundle(fx.files), fx);
  });

  it('verifies an empty ledger of size 0 (root = SHA-256 of the empty string)', () => {
    const fx = buildBundle({ size: 0, chainHead: true });
    expect(fx.files.entries).toBe('');
    const v = verifyBundle(fx.files);
    expectValid(v, fx);
    // SHA-256("") = e3b0c442…b855 (e.g. `printf '' | sha256sum`).
    expect(v.ok && Buffer.from(v.root).toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('verifies single-entry and odd-sized ledgers', () => {
    for (const size of [1, 2, 3, 5, 8, 13]) {
      const fx = buildBundle({ size, chainHead: true });
      expectValid(verifyBundle(fx.files), fx);
    }
  });

  it('hashes long multi-byte lines over their UTF-8 bytes', () => {
    // Lines of 10k+ code units, most of them 2 or 3 UTF-8 bytes: exercises the growth of
    // the verifier's reusable leaf buffer and the UTF-8 encoding of what is hashed.
    const fx = buildBundle({
      size: 6,
      chainHead: true,
      edit: (drafts) =>
        drafts.map((e) => (e.seq % 2 === 1 ? { ...e, payload: { ...e.payload, catatan: 'é✓'.repeat(1000 * e.seq) } } : e)),
    });
    expect(fx.lines[5]!.length).toBeGreaterThan(10_000);
    expectValid(verifyBundle(fx.files), fx);
    const tampered = editLine(fx.lines, 5, (l) => l.replace('é✓é', 'é✓e'));
    expectFailure(verifyBundle(withLines(fx, tampered)), 5, 'chain head');
  });

  it('accepts the pinned log key, the expected origin and a trusted prefix checkpoint', () => {
    const fx = buildBundle({ size: N, chainHead: true });
    const trusted = signLeaves(fx.leaves.slice(0, 12), fx.key, { chainHead: true }).note;
    expectValid(verifyBundle(fx.files, { logKey: fx.key.vkey, origin: FIXTURE_ORIGIN, trusted }), fx);
    // A trusted checkpoint of the same size as the bundle is the boundary case m = n.
    expectValid(verifyBundle(fx.files, { trusted: fx.files.checkpoint }), fx);
  });

  it('gives the same verdict when the lines are pushed one by one, as the store does', () => {
    const fx = buildBundle({ size: N, chainHead: true });
    const verifier = new BundleVerifier(fx.files.checkpoint, fx.key.vkey);
    for (const line of fx.lines) expect(verifier.push(line)).toBeUndefined();
    const v = verifier.finish();
    expectValid(v, fx);
    expect(verifier.finish()).toBe(v);
    expect(() => verifier.push(fx.lines[0]!)).toThrow(/after finish/);
  });

  it('describes a valid verdict in one line', () => {
    const fx = buildBundle({ size: 3 });
    const v = verifyBundle(fx.files);
    expect(describeVerdict(v)).toBe(
      `valid: origin ${FIXTURE_ORIGIN}, 3 entries, root ${Buffer.from(mth(fx.lines.map(rfcLeaf))).toString('base64')}`,
    );
  });
});

describe('BundleVerifier over lines the store canonicalised itself (storedCanonical)', () => {
  const fx = buildBundle({ size: N, chainHead: true });
  const run = (lines: readonly string[]): Verdict => {
    const verifier = new BundleVerifier(fx.files.checkpoint, fx.key.vkey, { storedCanonical: true });
    for (const line of lines) if (verifier.push(line)) break;
    return verifier.finish();
  };

  it('verifies a valid ledger to the same root as the full check', () => {
    expectValid(run(fx.lines), fx);
  });

  it('still names the changed entry, a wrong ledger, a version gap and a line that is no entry', () => {
    expectFailure(run(editLine(fx.lines, K, (l) => l.replace('lulus', 'gagal'))), K, "differs from what the next entry's prev commits to");
    const other = editLine(fx.lines, K, (l) => l.replace(`"ledger":"${FIXTURE_ORIGIN}"`, '"ledger":"casn.example.go.id/2026"'));
    expect(expectFailure(run(other), K, 'ledger differs').actual).toBe('casn.example.go.id/2026');
    expectFailure(run(editLine(fx.lines, K, (l) => l.replace(/"version":\d+\}$/, '"version":99}'))), K, 'version out of order');
    expectFailure(run(editLine(fx.lines, K, (l) => l.slice(0, -1))), K, 'not a canonical ledger entry');
    expectFailure(run(editLine(fx.lines, K, () => '{"a":1}')), K, 'not a canonical ledger entry');
  });
});

describe('verifyBundle on tampered entries', () => {
  const fx = buildBundle({ size: N, chainHead: true });

  it('names seq k when a byte change makes line k invalid JSON', () => {
    const lines = editLine(fx.lines, K, (l) => l.replace('"nilai":', '"nilai";'));
    expectFailure(verifyBundle(withLines(fx, lines)), K, 'not valid JSON');
  });

  it('names seq k when a byte change breaks the JCS member order of line k', () => {
    // "catatan" sorts first among the payload members; renamed to "zatatan" it is out of order.
    const lines = editLine(fx.lines, K, (l) => l.replace('"catatan"', '"zatatan"'));
    expectFailure(verifyBundle(withLines(fx, lines)), K, 'not in JCS canonical form');
  });

  it.each([
    ['a space after a colon', (l: string) => l.replace('"seq":', '"seq": ')],
    ['a trailing space', (l: string) => `${l} `],
    ['a carriage return (CRLF file)', (l: string) => `${l}\r`],
    ['an escaped ASCII letter', (l: string) => l.replace('"panitia"', '"p\\u0061nitia"')],
    ['a number with a fraction', (l: string) => l.replace('"schema":1', '"schema":1.0')],
    // Parsers disagree on duplicates (first or last wins), so a canonical line never has them.
    ['a duplicated member', (l: string) => l.replace('"schema":1', '"schema":1,"schema":1')],
  ])('names seq k for non-canonical JSON: %s', (_name, f) => {
    const v = expectFailure(verifyBundle(withLines(fx, editLine(fx.lines, K, f))), K, 'not in JCS canonical form');
    expect(v.expected).not.toBe(v.actual);
  });

  it('names seq k when line k holds an escaped lone surrogate, which has no JCS form', () => {
    const lines = editLine(fx.lines, K, (l) => l.replace('"role":"panitia"', '"role":"\\ud800"'));
    expectFailure(verifyBundle(withLines(fx, lines)), K, 'no JCS canonical form');
  });

  it('names seq k when a byte change in the payload of k keeps valid JCS', () => {
    // Line k is still a well-formed, canonical entry whose own prev is right: nothing inside
    // it can reveal the change. Entry k+1's prev commits to the original line k, and entry
    // k+2 still chains onto line k+1, so the changed entry is k.
    const lines = editLine(fx.lines, K, (l) => l.replace('lulus', 'gagal'));
    const v = expectFailure(verifyBundle(withLines(fx, lines)), K, "differs from what the next entry's prev commits to");
    expect(v.expected).toBe(Buffer.from(rfcLeaf(fx.lines[K]!)).toString('hex'));
    expect(v.actual).toBe(Buffer.from(rfcLeaf(lines[K]!)).toString('hex'));
  });

  it('names seq n-2 when the next-to-last entry is changed (the chain head vouches for the last)', () => {
    const lines = editLine(fx.lines, N - 2, (l) => l.replace('lulus', 'gagal'));
    expectFailure(verifyBundle(withLines(fx, lines)), N - 2, "differs from what the next entry's prev commits to");
  });

  it('names the last seq via the chain head when the last entry is changed', () => {
    // No later prev commits to the last line; the checkpoint's chain head does.
    const lines = editLine(fx.lines, N - 1, (l) => l.replace('lulus', 'gagal'));
    expectFailure(verifyBundle(withLines(fx, lines)), N - 1, 'chain head');
  });

  it('reports a root mismatch (no seq) when the last entry is changed and there is no chain head', () => {
    const plain = buildBundle({ size: N });
    const lines = editLine(plain.lines, N - 1, (l) => l.replace('lulus', 'gagal'));
    const v = expectFailure(verifyBundle(withLines(plain, lines)), undefined, 'root differs from the checkpoint root');
    expect(v.expected).toBe(Buffer.from(plain.checkpoint.root).toString('base64'));
    expect(v.actual).toBe(Buffer.from(mth(lines.map(rfcLeaf))).toString('base64'));
  });

  // Changes one hex digit of `prev`: 0 is the first (high nibble of byte 0), 63 the last (low nibble of byte 31).
  const editPrev = (line: string, digit: number): string => {
    const at = line.indexOf('"prev":"') + '"prev":"'.length + digit;
    return line.slice(0, at) + (line[at] === '0' ? '1' : '0') + line.slice(at + 1);
  };

  it.each([
    [K, 0],
    [K, 63],
    [0, 17],
  ])('names seq %i when hex digit %i of its prev is changed', (seq, digit) => {
    const lines = editLine(fx.lines, seq, (l) => editPrev(l, digit));
    const v = expectFailure(verifyBundle(withLines(fx, lines)), seq, 'prev does not chain');
    expect(v.expected).toBe(seq === 0 ? '0'.repeat(64) : Buffer.from(fx.leaves[seq - 1]!).toString('hex'));
  });

  it('names seq k when line k is removed (seq mismatch)', () => {
    const lines = fx.lines.filter((_l, i) => i !== K);
    const v = expectFailure(verifyBundle(withLines(fx, lines)), K, 'seq out of order');
    expect([v.expected, v.actual]).toEqual([String(K), String(K + 1)]);
  });

  it('names seq k when lines k and k+1 are swapped', () => {
    const lines = [...fx.lines];
    [lines[K], lines[K + 1]] = [lines[K + 1]!, lines[K]!];
    const v = expectFailure(verifyBundle(withLines(fx, lines)), K, 'seq out of order');
    expect([v.expected, v.actual]).toEqual([String(K), String(K + 1)]);
  });

  it('names seq k when the ledger field of entry k is changed', () => {
    const lines = editLine(fx.lines, K, (l) => l.replace(`"ledger":"${FIXTURE_ORIGIN}"`, '"ledger":"casn.example.go.id/2026"'));
    const v = expectFailure(verifyBundle(withLines(fx, lines)), K, 'ledger differs from the checkpoint origin');
    expect([v.expected, v.actual]).toEqual([FIXTURE_ORIGIN, 'casn.example.go.id/2026']);
  });

  it('names seq k for a stream version gap, even in a consistently chained and signed ledger', () => {
    const gap = buildBundle({
      size: N,
      edit: (drafts) => drafts.map((e) => (e.seq === K ? { ...e, version: e.version + 1 } : e)),
    });
    const v = expectFailure(verifyBundle(gap.files), K, 'version out of order in stream');
    expect(Number(v.actual)).toBe(Number(v.expected) + 1);
  });

  it('names seq k when a required field is missing, even in a consistently signed ledger', () => {
    const missing = buildBundle({
      size: N,
      edit: (drafts) =>
        drafts.map((e) => {
          if (e.seq !== K) return e;
          const { schema: _schema, ...rest } = e;
          return rest as unknown as Entry;
        }),
    });
    expectFailure(verifyBundle(missing.files), K, 'field "schema"');
  });

  it('names seq k when line k is not a JSON object of the entry shape', () => {
    const lines = editLine(fx.lines, K, () => canonicalize([1, 2, 3]));
    expectFailure(verifyBundle(withLines(fx, lines)), K, 'field "(entry)"');
  });
});

describe('verifyBundle on the file framing and the line count', () => {
  const fx = buildBundle({ size: N, chainHead: true });

  it('reports the size mismatch at the first missing seq when the last line is missing', () => {
    const v = expectFailure(verifyBundle(withLines(fx, fx.lines.slice(0, -1))), N - 1, 'fewer lines than the checkpoint size');
    expect([v.expected, v.actual]).toEqual([String(N), String(N - 1)]);
  });

  it('names the first extra seq when there are more lines than the checkpoint size', () => {
    const longer = bundleOf(draftEntries(N + 1), { key: fx.key, chainHead: true });
    const files = { ...fx.files, entries: longer.files.entries };
    expectFailure(verifyBundle(files), N, 'more lines than the checkpoint size');
  });

  it('names the last seq when the final newline is missing', () => {
    const files = { ...fx.files, entries: fx.files.entries.slice(0, -1) };
    expectFailure(verifyBundle(files), N - 1, 'does not end with a newline');
  });

  it('names the seq of an empty line', () => {
    const files = { ...fx.files, entries: fx.files.entries.replace(`${fx.lines[K]}\n`, `${fx.lines[K]}\n\n`) };
    expectFailure(verifyBundle(files), K + 1, 'empty line');
  });

  it('names seq 0 for an entries file that is a single newline', () => {
    const empty = buildBundle({ size: 0 });
    expectFailure(verifyBundle({ ...empty.files, entries: '\n' }), 0, 'empty line');
  });
});

describe('verifyBundle on keys and signatures', () => {
  const fx = buildBundle({ size: N, chainHead: true });

  it('fails with a signature reason when the checkpoint is re-signed with another key but log.vkey is unchanged', () => {
    const other = generateLogKey(FIXTURE_ORIGIN);
    const resigned = signCheckpoint(fx.checkpoint, parseSignerKey(other.skey));
    expectFailure(verifyBundle({ ...fx.files, checkpoint: resigned }), undefined, 'carries no signature by the log key');
  });

  it('fails with a signature reason when a byte of the signature is changed', () => {
    const note = fx.files.checkpoint;
    const at = note.length - 10; // inside the base64 signature, before the final newline
    const flipped = note.slice(0, at) + (note[at] === 'A' ? 'B' : 'A') + note.slice(at + 1);
    expectFailure(verifyBundle({ ...fx.files, checkpoint: flipped }), undefined, 'signature does not verify');
  });

  it('fails when the checkpoint body is changed under a valid-looking signature', () => {
    const forged = fx.files.checkpoint.replace(`\n${N}\n`, `\n${N - 1}\n`);
    expect(forged).not.toBe(fx.files.checkpoint);
    expectFailure(verifyBundle({ ...fx.files, checkpoint: forged }), undefined, 'signature does not verify');
  });

  it('fails when log.vkey is not a verifier key', () => {
    expectFailure(verifyBundle({ ...fx.files, logVkey: 'not a key\n' }), undefined, 'log.vkey is not a verifier key');
  });

  it('fails on an unexpected origin', () => {
    const v = expectFailure(
      verifyBundle(fx.files, { origin: 'casn.example.go.id/2026' }),
      undefined,
      'checkpoint origin differs from the expected origin',
    );
    expect([v.expected, v.actual]).toEqual(['casn.example.go.id/2026', FIXTURE_ORIGIN]);
  });

  describe('a whole bundle re-signed with another key and log.vkey replaced', () => {
    const attacker = generateLogKey(FIXTURE_ORIGIN);
    const forged = bundleOf(
      fx.entries.map((e) => (e.seq === K ? { ...e, payload: { ...e.payload, catatan: 'gagal' } } : e)),
      { key: attacker, chainHead: true },
    );

    it('passes without pinning: the bundle is self-consistent and nothing external says which key is the log\'s', () => {
      expectValid(verifyBundle(forged.files), forged);
    });

    it('fails with logKey pinned', () => {
      const v = expectFailure(verifyBundle(forged.files, { logKey: fx.key.vkey }), undefined, 'log key differs from the pinned key');
      expect([v.expected, v.actual]).toEqual([fx.key.vkey, attacker.vkey]);
    });

    it('fails with the trusted old checkpoint, which the replaced key did not sign', () => {
      const trusted = signLeaves(fx.leaves.slice(0, 10), fx.key, { chainHead: true }).note;
      expectFailure(verifyBundle(forged.files, { trusted }), undefined, 'trusted checkpoint carries no signature by the log key');
    });
  });
});

describe('verifyBundle against a trusted checkpoint', () => {
  const real = buildBundle({ size: N, chainHead: true });
  const k = 5;
  const m = 12;
  // The operator rewrites entry k, re-chains every later entry and re-signs with the real key.
  const rewritten = bundleOf(
    real.entries.map((e) => (e.seq === k ? { ...e, payload: { ...e.payload, nilai: 100 } } : e)),
    { key: real.key, chainHead: true },
  );
  const trustedAt = (size: number, opts: { chainHead?: boolean; extensions?: readonly string[] } = {}) =>
    signLeaves(real.leaves.slice(0, size), real.key, opts).note;

  it('passes a rewritten suffix without a trusted checkpoint (the limitation witnesses address)', () => {
    expect(rewritten.lines.slice(0, k)).toEqual(real.lines.slice(0, k));
    expect(rewritten.lines[k]).not.toBe(real.lines[k]);
    expectValid(verifyBundle(rewritten.files, { logKey: real.key.vkey }), rewritten);
  });

  it('names seq m-1 and history rewritten when the trusted checkpoint covers the rewritten entry', () => {
    const v = expectFailure(
      verifyBundle(rewritten.files, { logKey: real.key.vkey, trusted: trustedAt(m, { chainHead: true }) }),
      m - 1,
      `entries 0..${m - 1} differ from the trusted checkpoint (history rewritten)`,
    );
    expect(v.expected).toBe(Buffer.from(mth(real.leaves.slice(0, m))).toString('base64'));
    expect(v.actual).toBe(Buffer.from(mth(rewritten.leaves.slice(0, m))).toString('base64'));
  });

  it('names seq k when the trusted checkpoint ends exactly at the rewritten entry (m = k+1)', () => {
    expectFailure(verifyBundle(rewritten.files, { trusted: trustedAt(k + 1) }), k, 'history rewritten');
  });

  it('passes when the trusted checkpoint ends before the rewritten entry (m <= k)', () => {
    expectValid(verifyBundle(rewritten.files, { trusted: trustedAt(k) }), rewritten);
  });

  it('names seq m-1 when the trusted chain head differs though the root matches', () => {
    // A log that signed a chain head inconsistent with its own root: the head must still match.
    const wrongHead = chainHeadExtension(real.leaves[0]!);
    const v = expectFailure(
      verifyBundle(real.files, { trusted: trustedAt(m, { extensions: [wrongHead] }) }),
      m - 1,
      'history rewritten',
    );
    expect(v.actual).toBe(Buffer.from(real.leaves[m - 1]!).toString('hex'));
  });

  it('fails when the trusted checkpoint is larger than the bundle', () => {
    const short = bundleOf(real.entries.slice(0, m), { key: real.key, chainHead: true });
    const v = expectFailure(verifyBundle(short.files, { trusted: real.files.checkpoint }), undefined, 'trusted checkpoint is larger than the bundle');
    expect(v.actual).toBe(String(m));
  });

  it('fails when the trusted checkpoint is not a checkpoint of this log', () => {
    const other = generateLogKey(FIXTURE_ORIGIN);
    const foreign = signLeaves(real.leaves.slice(0, m), other).note;
    expectFailure(verifyBundle(real.files, { trusted: foreign }), undefined, 'trusted checkpoint carries no signature');
    expectFailure(verifyBundle(real.files, { trusted: 'garbage' }), undefined, 'trusted checkpoint is malformed');
  });
});

describe('BundleVerifier', () => {
  it('keeps returning the first failure', () => {
    const fx = buildBundle({ size: N });
    const verifier = new BundleVerifier(fx.files.checkpoint, fx.files.logVkey);
    fx.lines.slice(0, K).forEach((line) => expect(verifier.push(line)).toBeUndefined());
    const first = verifier.push(fx.lines[K + 1]!);
    expectFailure(first!, K, 'seq out of order');
    expect(verifier.push(fx.lines[K]!)).toBe(first);
    expect(verifier.finish()).toBe(first);
  });

  it('returns a checkpoint failure from push and finish', () => {
    const fx = buildBundle({ size: 2 });
    const other = generateLogKey();
    const verifier = new BundleVerifier(fx.files.checkpoint, other.vkey);
    const v = verifier.push(fx.lines[0]!);
    expectFailure(v!, undefined, 'signature');
    expect(verifier.finish()).toBe(v);
  });
});

describe('describeVerdict', () => {
  it('names the seq, the reason and abbreviated evidence in one line', () => {
    const fx = buildBundle({ size: N });
    const lines = editLine(fx.lines, K, (l) => l.replace('lulus', 'gagal'));
    const v = verifyBundle(withLines(fx, lines));
    const expected = Buffer.from(rfcLeaf(fx.lines[K]!)).toString('hex');
    const actual = Buffer.from(rfcLeaf(lines[K]!)).toString('hex');
    expect(describeVerdict(v)).toBe(
      `invalid: seq ${K}: entry differs from what the next entry's prev commits to (expected ${expected.slice(0, 12)}…, actual ${actual.slice(0, 12)}…)`,
    );
  });

  it('omits the seq for a checkpoint failure', () => {
    const fx = buildBundle({ size: 1 });
    const text = describeVerdict(verifyBundle(fx.files, { logKey: generateLogKey().vkey }));
    expect(text).toMatch(/^invalid: log key differs from the pinned key \(expected .+…, actual .+…\)$/);
    expect(text).not.toContain('\n');
  });
});

describe('the fixture', () => {
  it('builds a checkpoint that parses back to the fixture values', () => {
    const fx = buildBundle({ size: 4, chainHead: true });
    const body = fx.files.checkpoint.slice(0, fx.files.checkpoint.indexOf('\n\n') + 1);
    const cp = parseCheckpoint(body);
    expect(cp.size).toBe(4);
    expect(Buffer.from(cp.root)).toEqual(Buffer.from(mth(fx.lines.map(rfcLeaf))));
    const opts: VerifyOptions = { logKey: fx.key.vkey };
    expectValid(verifyBundle(fx.files, opts), fx);
  });
});
