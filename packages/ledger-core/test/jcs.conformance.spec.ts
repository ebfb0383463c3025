// RFC 8785 conformance against the RFC author's vectors (cyberphone/json-canonicalization),
// read from ../shared/testdata/rfc8785-jcs (see its README). Every failure is collected
// and reported by vector name before the test fails.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { canonicalize, isCanonical } from '../src/jcs.ts';
import { describeVectors, readJsonVector, readVector, readVectorBytes, testdataDir } from './testdata.ts';

interface Es6Numbers {
  samples: string[];
  generator: {
    static_u64: string[];
    serial_base: string;
    serial_count: number;
    chain: string;
    chain_seed_hex: string;
    uint64_byte_order: string;
  };
  checksums: { sha256: string; lines: number; bytes: number }[];
}

const JCS = 'rfc8785-jcs';


const view = new DataView(new ArrayBuffer(8));

/** The double whose IEEE-754 binary64 bit pattern is `bits`. */
function doubleFromBits(bits: bigint): number {
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}

/**
 * Bit patterns of the es6testfile sequence as es6_numbers.json's `generator` describes it:
 * the static values, then serial_base + i, then four little-endian uint64 per block of
 * the SHA-256 chain block_{n+1} = SHA-256(block_n), skipping 0, NaN and ±Infinity.
 */
function* es6Sequence(g: Es6Numbers['generator']): Generator<bigint> {
  for (const hex of g.static_u64) yield BigInt(`0x${hex}`);
  const base = BigInt(`0x${g.serial_base}`);
  for (let i = 0; i < g.serial_count; i++) yield base + BigInt(i);
  let block: Uint8Array = Buffer.from(g.chain_seed_hex, 'hex');
  for (;;) {
    block = createHash('sha256').update(block).digest();
    const words = new DataView(block.buffer, block.byteOffset, block.byteLength);
    for (let off = 0; off < block.length; off += 8) {
      const bits = words.getBigUint64(off, true);
      const d = doubleFromBits(bits);
      if (d === 0 || !Number.isFinite(d)) continue;
      yield bits;
    }
  }
}

describeVectors('RFC 8785 conformance vectors', `${JCS}/es6_numbers.json`, () => {
  it('canonicalises all six input files byte for byte, and isCanonical agrees', () => {
    const names = readdirSync(join(testdataDir!, JCS, 'input')).filter((f) => f.endsWith('.json'));
    const failures: string[] = [];
    let differing = 0;
    for (const name of names) {
      const base = name.slice(0, -'.json'.length);
      const input = readVector(`${JCS}/input/${name}`);
      const want = readVectorBytes(`${JCS}/output/${name}`);
      const hex = readVector(`${JCS}/outhex/${base}.txt`).trim().split(/\s+/).join('');
      if (!Buffer.from(hex, 'hex').equals(want)) failures.push(`outhex/${base}.txt: does not match output/${name}`);

      let got: string;
      try {
        got = canonicalize(JSON.parse(input));
      } catch (e) {
        failures.push(`input/${name}: threw ${String(e)}`);
        continue;
      }
      const gotBytes = Buffer.from(got, 'utf8');
      if (!gotBytes.equals(want)) {
        const at = [...gotBytes].findIndex((b, i) => b !== want[i]);
        failures.push(`input/${name}: output differs from output/${name} at byte ${at < 0 ? Math.min(gotBytes.length, want.length) : at}`);
      }
      if (!isCanonical(want.toString('utf8'))) failures.push(`output/${name}: isCanonical is false`);
      if (input !== want.toString('utf8')) {
        differing++;
        if (isCanonical(input)) failures.push(`input/${name}: isCanonical is true though it differs from its output`);
      }
    }
    expect(failures).toEqual([]);
    expect(names.sort()).toEqual(['arrays.json', 'french.json', 'structures.json', 'unicode.json', 'values.json', 'weird.json']);
    expect(differing).toBe(6); // every input is pretty-printed, so isCanonical was asked about all six
  });

  it('writes the seven es6 number samples', () => {
    const { samples } = readJsonVector<Es6Numbers>(`${JCS}/es6_numbers.json`);
    const failures: string[] = [];
    for (const line of samples) {
      const [hex = '', want = ''] = line.split(',');
      const got = canonicalize(doubleFromBits(BigInt(`0x${hex}`)));
      if (got !== want) failures.push(`sample ${hex}: got ${got}, want ${want}`);
      if (!isCanonical(want)) failures.push(`sample ${hex}: isCanonical(${want}) is false`);
    }
    expect(failures).toEqual([]);
    expect(samples.length).toBe(7);
  });

  it('reproduces the es6testfile checksums for the first 1k, 10k, 100k and 1M lines', () => {
    const spec = readJsonVector<Es6Numbers>(`${JCS}/es6_numbers.json`);
    // The generator is described in data; refuse a variant this code does not implement.
    expect([spec.generator.chain, spec.generator.uint64_byte_order, spec.generator.static_u64.length]).toEqual([
      'sha256',
      'little',
      168,
    ]);
    const targets = spec.checksums.filter((c) => c.lines <= 1_000_000).sort((a, b) => a.lines - b.lines);
    const failures: string[] = [];
    const hash = createHash('sha256');
    let lines = 0;
    let bytes = 0;
    let next = 0;
    for (const bits of es6Sequence(spec.generator)) {
      const target = targets[next];
      if (!target) break;
      const line = `${bits.toString(16)},${canonicalize(doubleFromBits(bits))}\n`;
      hash.update(line);
      lines++;
      bytes += line.length; // every line is ASCII
      if (lines === target.lines) {
        const digest = hash.copy().digest('hex');
        if (digest !== target.sha256) failures.push(`first ${target.lines} lines: sha256 ${digest}, want ${target.sha256}`);
        if (bytes !== target.bytes) failures.push(`first ${target.lines} lines: ${bytes} bytes, want ${target.bytes}`);
        next++;
      }
    }
    expect(failures).toEqual([]);
    expect(targets.map((t) => t.lines)).toEqual([1_000, 10_000, 100_000, 1_000_000]);
    expect(lines).toBe(1_000_000);
  });
});
