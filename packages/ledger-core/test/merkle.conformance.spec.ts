// RFC 6962 / RFC 9162 conformance against transparency-dev/merkle's vectors, read from
// ../shared/testdata/rfc6962-merkle (see its README for the probe format and the edge
// cases they encode). Every failure is collected and reported by vector file name.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, fromBase64, fromHex, leafHash, nodeHash, sha256, toHex, utf8 } from '../src/hash.ts';
import {
  CompactRange,
  consistencyProof,
  consistencyProofRanges,
  hashRange,
  inclusionProof,
  perfectSubtrees,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
  type NodeRef,
  type NodeSource,
} from '../src/merkle.ts';
import { describeVectors, readJsonVector, readVector, testdataDir } from './testdata.ts';

const MERKLE = 'rfc6962-merkle';

interface InclusionProbe {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyProbe {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface TreeVectors {
  hasher: { desc: string; kind: 'empty_root' | 'leaf' | 'node'; want: string; data_hex?: string; left_hex?: string; right_hex?: string }[];
  leaves_hex: string[];
  node_hashes: { levels: string[][] };
  roots: { by_size: string[] };
  inclusion_proofs: { vectors: { leaf_index: number; tree_size: number; proof: string[] }[] };
  consistency_proofs: { vectors: { size1: number; size2: number; proof: string[] }[] };
}

/** Every .json file under a vector directory, as paths relative to the testdata root. */
function probeFiles(sub: string): string[] {
  const root = join(testdataDir!, MERKLE, sub);
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith('.json') ? [join(dir, d.name)] : []))
      .sort();
  return walk(root).map((p) => relative(testdataDir!, p));
}

/**
 * Bytes of a probe string: base64, with "" as empty bytes. Anything that is not base64
 * (the README's "don't care" strings) stands for its own UTF-8 bytes, so two equal
 * strings still compare equal and a non-hash never passes for a 32-byte hash.
 */
function probeBytes(text: string): Uint8Array {
  return fromBase64(text) ?? utf8(text);
}

/**
 * A probe's integer field as the number our API takes. JSON.parse rounds 2^64-1 to 2^64;
 * the raw text is read to make sure such a value stays outside the safe-integer range,
 * so the verifier must reject it rather than see a nearby valid index.
 */
function probeInteger(raw: string, field: string, parsed: number): number {
  const m = new RegExp(`"${field}"\\s*:\\s*(\\d+)`).exec(raw);
  if (!m?.[1]) throw new Error(`${field} is not a non-negative integer`);
  const exact = BigInt(m[1]);
  if (exact > BigInt(Number.MAX_SAFE_INTEGER)) {
    if (Number.isSafeInteger(parsed)) throw new Error(`${field} ${exact} parsed to the safe integer ${parsed}`);
    return parsed;
  }
  if (BigInt(parsed) !== exact) throw new Error(`${field} ${exact} parsed to ${parsed}`);
  return parsed;
}

function describeResult(r: { ok: true } | { ok: false; reason: string }): string {
  return r.ok ? 'it verified' : `it failed: ${r.reason}`;
}

describeVectors('RFC 6962 conformance vectors', `${MERKLE}/tree_vectors.json`, () => {
  it('every inclusion probe verifies exactly when wantErr is false', () => {
    const files = probeFiles('inclusion');
    const failures: string[] = [];
    let valid = 0;
    let huge = 0;
    for (const file of files) {
      const raw = readVector(file);
      const p = JSON.parse(raw) as InclusionProbe;
      let result;
      try {
        const index = probeInteger(raw, 'leafIdx', p.leafIdx);
        if (!Number.isSafeInteger(index)) huge++;
        result = verifyInclusion(
          index,
          probeInteger(raw, 'treeSize', p.treeSize),
          probeBytes(p.leafHash),
          (p.proof ?? []).map(probeBytes),
          probeBytes(p.root),
        );
      } catch (e) {
        failures.push(`${file}: threw ${String(e)}`);
        continue;
      }
      if (!p.wantErr) valid++;
      if (result.ok === p.wantErr) failures.push(`${file} (${p.desc}): wantErr ${p.wantErr} but ${describeResult(result)}`);
    }
    expect(failures).toEqual([]);
    expect(files.length).toBe(98);
    expect(valid).toBe(6); // happy-path in 0-4 and single-entry/matching-root-and-leaf
    expect(huge).toBe(2); // the two leafIdx = 2^64-1 probes were run, and rejected
  });

  it('every consistency probe verifies exactly when wantErr is false', () => {
    const files = probeFiles('consistency');
    const failures: string[] = [];
    let valid = 0;
    for (const file of files) {
      const raw = readVector(file);
      const p = JSON.parse(raw) as ConsistencyProbe;
      let result;
      try {
        result = verifyConsistency(
          probeInteger(raw, 'size1', p.size1),
          probeInteger(raw, 'size2', p.size2),
          (p.proof ?? []).map(probeBytes),
          probeBytes(p.root1),
          probeBytes(p.root2),
        );
      } catch (e) {
        failures.push(`${file}: threw ${String(e)}`);
        continue;
      }
      if (!p.wantErr) valid++;
      if (result.ok === p.wantErr) failures.push(`${file} (${p.desc}): wantErr ${p.wantErr} but ${describeResult(result)}`);
    }
    expect(failures).toEqual([]);
    expect(files.length).toBe(98);
    expect(valid).toBe(6); // happy-path in 0-4 and additional/sizes-are-equal-one-and-proof-is-empty
  });

  describe('tree_vectors.json', () => {
    const load = (): TreeVectors => readJsonVector<TreeVectors>(`${MERKLE}/tree_vectors.json`);
    const hex = (b: Uint8Array): string => toHex(b);

    /** Stored perfect-subtree hashes, as a database would serve them; refuses any other node. */
    const tableSource =
      (levels: string[][]): NodeSource =>
      ({ level, index }: NodeRef) => {
        const h = levels[level]?.[index];
        if (h === undefined) throw new Error(`no stored node at level ${level}, index ${index}`);
        return fromHex(h);
      };

    it('hasher: empty root, leaf and node hashes', () => {
      const v = load();
      const failures: string[] = [];
      for (const c of v.hasher) {
        let got: Uint8Array;
        if (c.kind === 'empty_root') {
          got = EMPTY_ROOT;
          if (hex(rootFromLeafHashes([])) !== c.want) failures.push(`${c.desc}: rootFromLeafHashes([]) differs`);
          if (hex(sha256(new Uint8Array(0))) !== c.want) failures.push(`${c.desc}: sha256('') differs`);
        } else if (c.kind === 'leaf') {
          got = leafHash(fromHex(c.data_hex ?? ''));
        } else {
          got = nodeHash(fromHex(c.left_hex ?? ''), fromHex(c.right_hex ?? ''));
        }
        if (hex(got) !== c.want) failures.push(`${c.desc}: got ${hex(got)}, want ${c.want}`);
      }
      expect(failures).toEqual([]);
      expect(v.hasher.map((c) => c.kind)).toEqual(['empty_root', 'leaf', 'leaf', 'node']);
    });

    it('roots of the first n leaves for n = 0..8, in one pass and streamed', () => {
      const v = load();
      const leaves = v.leaves_hex.map((h) => leafHash(fromHex(h)));
      const failures: string[] = [];
      const range = new CompactRange();
      v.roots.by_size.forEach((want, n) => {
        if (n > 0) range.push(leaves[n - 1]!);
        if (hex(rootFromLeafHashes(leaves.slice(0, n))) !== want) failures.push(`roots.by_size[${n}]: rootFromLeafHashes differs`);
        if (hex(range.root()) !== want) failures.push(`roots.by_size[${n}]: CompactRange.root() differs`);
        if (n > 0 && hex(hashRange([0, n], tableSource(v.node_hashes.levels))) !== want) {
          failures.push(`roots.by_size[${n}]: hashRange([0, ${n}]) over stored nodes differs`);
        }
      });
      expect(failures).toEqual([]);
      expect(v.roots.by_size.length).toBe(9);
      expect(leaves.length).toBe(8);
    });

    it('every complete subtree hash, via perfectSubtrees and hashRange', () => {
      const v = load();
      const leaves = v.leaves_hex.map((h) => leafHash(fromHex(h)));
      // A node source that knows only the leaves: a perfect subtree is folded from them.
      const fromLeaves: NodeSource = ({ level, index }) => {
        const width = 2 ** level;
        const part = leaves.slice(index * width, (index + 1) * width);
        if (part.length !== width) throw new Error(`subtree ${level}/${index} is not complete`);
        return rootFromLeafHashes(part);
      };
      const failures: string[] = [];
      let nodes = 0;
      v.node_hashes.levels.forEach((row, level) => {
        row.forEach((want, index) => {
          nodes++;
          const width = 2 ** level;
          const range = [index * width, (index + 1) * width] as const;
          const refs = perfectSubtrees(range);
          if (refs.length !== 1 || refs[0]!.level !== level || refs[0]!.index !== index) {
            failures.push(`levels[${level}][${index}]: perfectSubtrees(${range.join(',')}) = ${JSON.stringify(refs)}`);
          }
          const got = hex(hashRange(range, fromLeaves));
          if (got !== want) failures.push(`levels[${level}][${index}]: got ${got}, want ${want}`);
        });
      });
      expect(failures).toEqual([]);
      expect(nodes).toBe(15);
    });

    it('the five known inclusion proofs, generated byte for byte and verified', () => {
      const v = load();
      const source = tableSource(v.node_hashes.levels);
      const failures: string[] = [];
      for (const c of v.inclusion_proofs.vectors) {
        const name = `inclusion leaf ${c.leaf_index} of ${c.tree_size}`;
        const got = inclusionProof(c.leaf_index, c.tree_size, source).map(hex);
        if (JSON.stringify(got) !== JSON.stringify(c.proof)) failures.push(`${name}: got ${JSON.stringify(got)}`);
        const leaf = leafHash(fromHex(v.leaves_hex[c.leaf_index]!));
        const root = fromHex(v.roots.by_size[c.tree_size]!);
        const r = verifyInclusion(c.leaf_index, c.tree_size, leaf, c.proof.map(fromHex), root);
        if (!r.ok) failures.push(`${name}: does not verify: ${r.reason}`);
      }
      expect(failures).toEqual([]);
      expect(v.inclusion_proofs.vectors.length).toBe(5);
    });

    it('the five known consistency proofs, generated byte for byte and verified', () => {
      const v = load();
      const source = tableSource(v.node_hashes.levels);
      const failures: string[] = [];
      for (const c of v.consistency_proofs.vectors) {
        const name = `consistency ${c.size1} -> ${c.size2}`;
        const got = consistencyProof(c.size1, c.size2, source).map(hex);
        if (JSON.stringify(got) !== JSON.stringify(c.proof)) failures.push(`${name}: got ${JSON.stringify(got)}`);
        const r = verifyConsistency(
          c.size1,
          c.size2,
          c.proof.map(fromHex),
          fromHex(v.roots.by_size[c.size1]!),
          fromHex(v.roots.by_size[c.size2]!),
        );
        if (!r.ok) failures.push(`${name}: does not verify: ${r.reason}`);
      }
      expect(failures).toEqual([]);
      expect(v.consistency_proofs.vectors.length).toBe(5);
      expect(v.consistency_proofs.vectors.filter((c) => c.size1 === c.size2).map((c) => c.proof)).toEqual([[]]);
    });

    it('a consistency proof from size 0 is refused, not generated', () => {
      const source = tableSource(load().node_hashes.levels);
      for (const size2 of [0, 1, 8]) {
        expect(() => consistencyProofRanges(0, size2)).toThrow(RangeError);
        expect(() => consistencyProof(0, size2, source)).toThrow(RangeError);
      }
      expect(consistencyProof(8, 8, source)).toEqual([]);
    });
  });
});
