import { describe, expect, it } from 'vitest';
import { BundleVerifier, describeVerdict, verifyBundle } from '../src/bundle.ts';
import type { BundleFiles, Verdict } from '../src/bundle.ts';
import { BundleLineFeeder } from '../src/bundle-lines.ts';
import { buildBundle } from './bundle-fixture.ts';

const encoder = new TextEncoder();

/** Feeds `bytes` in chunks of `size` bytes; the verdict, the lines counted and the lines seen by onLine. */
function feed(files: BundleFiles, bytes: Uint8Array, size: number): { verdict: Verdict; lines: number; seen: Map<number, string> } {
  const seen = new Map<number, string>();
  const feeder = new BundleLineFeeder(new BundleVerifier(files.checkpoint, files.logVkey.trimEnd()), (seq, line) => seen.set(seq, line));
  for (let at = 0; at < bytes.length; at += size) {
    const failure = feeder.push(bytes.subarray(at, at + size));
    if (failure !== undefined) return { verdict: failure, lines: feeder.lines, seen };
  }
  return { verdict: feeder.finish(), lines: feeder.lines, seen };
}

function expectFailure(v: Verdict, seq: number | undefined, reason: string): void {
  if (v.ok) throw new Error(`expected a failure, got ${describeVerdict(v)}`);
  expect(v.seq).toBe(seq);
  expect(v.reason).toContain(reason);
}

describe('BundleLineFeeder', () => {
  const b = buildBundle({ size: 12 });
  const bytes = encoder.encode(b.files.entries);

  it('gives the same verdict as verifyBundle, whatever the chunk size', () => {
    const whole = verifyBundle(b.files);
    expect(whole.ok).toBe(true);
    for (const size of [1, 2, 7, 64, 1000, bytes.length, bytes.length + 1]) {
      const { verdict, lines, seen } = feed(b.files, bytes, size);
      expect(verdict).toEqual(whole);
      expect(lines).toBe(12);
      expect([...seen.values()]).toEqual(b.lines);
      expect([...seen.keys()]).toEqual(b.lines.map((_, i) => i));
    }
  });

  it('copies a partial line, so the caller may reuse its buffer', () => {
    const seen = new Map<number, string>();
    const feeder = new BundleLineFeeder(new BundleVerifier(b.files.checkpoint, b.files.logVkey.trimEnd()), (seq, line) => seen.set(seq, line));
    const buffer = new Uint8Array(5);
    for (let at = 0; at < bytes.length; at += buffer.length) {
      const n = Math.min(buffer.length, bytes.length - at);
      buffer.set(bytes.subarray(at, at + n));
      expect(feeder.push(buffer.subarray(0, n))).toBeUndefined();
      buffer.fill(0);
    }
    expect(feeder.finish().ok).toBe(true);
    expect([...seen.values()]).toEqual(b.lines);
  });

  it('fails a line with a stray \\r (split on \\n only)', () => {
    const text = b.files.entries.replace('\n', '\r\n');
    const { verdict, lines } = feed(b.files, encoder.encode(text), 16);
    expectFailure(verdict, 0, '');
    expect(lines).toBe(0);
  });

  it('fails a line that is not valid UTF-8, at its seq', () => {
    const lines = b.files.entries.split('\n');
    const head = encoder.encode(`${lines.slice(0, 3).join('\n')}\n`);
    const bad = Uint8Array.of(0x7b, 0xff, 0x7d, 0x0a);
    const tail = encoder.encode(lines.slice(4).join('\n'));
    const all = new Uint8Array(head.length + bad.length + tail.length);
    all.set(head, 0);
    all.set(bad, head.length);
    all.set(tail, head.length + bad.length);
    const out = feed(b.files, all, 10);
    expectFailure(out.verdict, 3, 'line is not valid UTF-8');
    expect(out.lines).toBe(3);
    expect(out.seen.has(3)).toBe(false);
  });

  it('fails an empty line', () => {
    const lines = b.files.entries.split('\n');
    const text = `${lines.slice(0, 5).join('\n')}\n\n${lines.slice(5).join('\n')}`;
    expectFailure(feed(b.files, encoder.encode(text), 33).verdict, 5, 'empty line');
  });

  it('fails an unterminated last line', () => {
    const text = b.files.entries.slice(0, -1);
    expectFailure(feed(b.files, encoder.encode(text), 50).verdict, 11, 'last line does not end with a newline');
  });

  it('reports a bad checkpoint before a bad line', () => {
    const feeder = new BundleLineFeeder(new BundleVerifier('not a checkpoint', b.files.logVkey.trimEnd()));
    const failure = feeder.push(Uint8Array.of(0xff, 0x0a));
    expect(failure?.ok).toBe(false);
    expect(failure?.reason).not.toContain('UTF-8');
  });
});
