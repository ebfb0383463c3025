// Property tests of the RFC 6962 tree and proofs for every tree size 1..70 and every
// leaf, against a naive recursive MTH written here from RFC 6962 §2.1 with node:crypto,
// so that a shared mistake in hash.ts/merkle.ts cannot make both sides agree.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leafHash } from '../src/hash.ts';
import {
  CompactRange,
  consistencyProof,
  consistencyProofRanges,
  inclusionProof,
  inclusionProofRanges,
  perfectSubtrees,
  rootFromInclusionProof,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
  type NodeSource,
} from '../src/merkle.ts';

const MAX = 70;

const sha = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

/** RFC 6962 §2.1 MTH over leaf hashes, by the definition: split at the largest power of two < n. */
function mth(leaves: readonly Uint8Array[]): Uint8Array {
  const n = leaves.length;
  if (n === 0) return sha();
  if (n === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < n) k *= 2;
  return sha(Uint8Array.of(0x01), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

// Leaf hashes computed here from the definition, and checked against hash.ts once below.
const leafData = Array.from({ length: MAX }, (_, i) => new TextEncoder().encode(`entry ${i}`));
const leaves = leafData.map((d) => sha(Uint8Array.of(0x00), d));
const roots = Array.from({ length: MAX + 1 }, (_, n) => mth(leaves.slice(0, n)));

/** A node source over the first `size` leaves that refuses any subtree not complete inside them. */
function nodeSource(size: number): NodeSource {
  return ({ level, index }) => {
    const width = 2 ** level;
    const start = index * width;
    if (!Number.isSafeInteger(start) || start < 0 || start + width > size) {
      throw new Error(`subtree ${level}/${index} is not complete in a tree of ${size}`);
    }
    return mth(leaves.slice(start, start + width));
  };
}

/** A copy of `proof` with one byte of element `at` changed; the byte position varies with `salt`. */
function flipped(proof: readonly Uint8Array[], at: number, salt: number): Uint8Array[] {
  return proof.map((p, i) => {
    if (i !== at) return p;
    // A copy, never p.slice(): hashes from hash.ts may be Buffers, whose slice() is a view.
    const q = Uint8Array.from(p);
    const pos = salt % q.length;
    q[pos] = q[pos]! ^ (1 << (salt % 8));
    return q;
  });
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('RFC 6962 roots', () => {
  it('hash.ts leaf hashes match the definition SHA-256(0x00 ‖ data)', () => {
    const bad = leafData.filter((d, i) => hex(leafHash(d)) !== hex(leaves[i]!)).length;
    expect(bad).toBe(0);
  });

  it('rootFromLeafHashes and a streamed CompactRange equal the naive MTH for every size 0..70', () => {
    const failures: string[] = [];
    const range = new CompactRange();
    for (let n = 0; n <= MAX; n++) {
      if (n > 0) range.push(leaves[n - 1]!);
      const want = hex(roots[n]!);
      if (range.size !== n) failures.push(`size ${n}: CompactRange.size is ${range.size}`);
      if (hex(range.root()) !== want) failures.push(`size ${n}: CompactRange.root() differs from MTH`);
      if (hex(rootFromLeafHashes(leaves.slice(0, n))) !== want) failures.push(`size ${n}: rootFromLeafHashes differs from MTH`);
      // The peaks are the perfect subtrees of [0, n), largest first.
      const peaks = range.peaks.map(hex);
      const subtrees = n === 0 ? [] : perfectSubtrees([0, n]).map((r) => hex(nodeSource(n)(r)));
      if (JSON.stringify(peaks) !== JSON.stringify(subtrees)) failures.push(`size ${n}: peaks are not the perfect subtrees`);
    }
    expect(failures).toEqual([]);
  });

  it('perfectSubtrees splits [0, n) into descending powers of two that tile it', () => {
    const failures: string[] = [];
    for (let n = 1; n <= MAX; n++) {
      let pos = 0;
      let last = Infinity;
      for (const { level, index } of perfectSubtrees([0, n])) {
        const width = 2 ** level;
        if (index * width !== pos || width >= last) failures.push(`size ${n}: subtree ${level}/${index} out of place`);
        pos += width;
        last = width;
      }
      if (pos !== n) failures.push(`size ${n}: subtrees cover ${pos} leaves`);
      if (perfectSubtrees([0, n]).length !== n.toString(2).replaceAll('0', '').length) failures.push(`size ${n}: not one per set bit`);
    }
    expect(failures).toEqual([]);
  });
});

describe('inclusion proofs, every size 1..70 and every index', () => {
  it('verify against the root, and fail for any flipped byte, a wrong index, leaf or length', () => {
    const failures: string[] = [];
    let checked = 0;
    for (let size = 1; size <= MAX; size++) {
      const root = rootFromLeafHashes(leaves.slice(0, size));
      if (hex(root) !== hex(roots[size]!)) failures.push(`size ${size}: root differs from MTH`);
      for (let index = 0; index < size; index++) {
        const name = `leaf ${index} of ${size}`;
        const leaf = leaves[index]!;
        const proof = inclusionProof(index, size, nodeSource(size));
        checked++;

        // The ranges plus the leaf itself tile [0, size) exactly once.
        const covered = [[index, index + 1] as const, ...inclusionProofRanges(index, size)].sort((a, b) => a[0] - b[0]);
        if (covered.some(([s, e], i) => s !== (i === 0 ? 0 : covered[i - 1]![1]) || e <= s) || covered.at(-1)![1] !== size) {
          failures.push(`${name}: proof ranges do not tile the tree: ${JSON.stringify(covered)}`);
        }

        const r = verifyInclusion(index, size, leaf, proof, root);
        if (!r.ok) failures.push(`${name}: does not verify: ${r.reason}`);
        const implied = rootFromInclusionProof(index, size, leaf, proof);
        if (!('root' in implied) || hex(implied.root) !== hex(roots[size]!)) failures.push(`${name}: implied root is not the MTH`);

        for (let at = 0; at < proof.length; at++) {
          if (verifyInclusion(index, size, leaf, flipped(proof, at, index * 31 + size + at), root).ok) {
            failures.push(`${name}: verifies with a byte of proof[${at}] flipped`);
          }
        }
        if (verifyInclusion(index, size, flipped([leaf], 0, size + index)[0]!, proof, root).ok) failures.push(`${name}: verifies a flipped leaf`);
        if (size > 1 && verifyInclusion(index, size, leaves[(index + 1) % size]!, proof, root).ok) {
          failures.push(`${name}: verifies another leaf`);
        }
        if (size > 1 && verifyInclusion((index + 1) % size, size, leaf, proof, root).ok) failures.push(`${name}: verifies at another index`);
        if (proof.length > 0 && verifyInclusion(index, size, leaf, proof.slice(0, -1), root).ok) failures.push(`${name}: verifies truncated`);
        if (verifyInclusion(index, size, leaf, [...proof, leaf], root).ok) failures.push(`${name}: verifies extended`);
        if (size < MAX && verifyInclusion(index, size + 1, leaf, proof, roots[size + 1]!).ok) {
          failures.push(`${name}: verifies against the tree of size ${size + 1}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe((MAX * (MAX + 1)) / 2);
  });

  it('refuses indexes outside the tree and sizes beyond 2^53', () => {
    const leaf = leaves[0]!;
    const root = roots[1]!;
    expect(verifyInclusion(0, 1, leaf, [], root).ok).toBe(true);
    for (const [index, size] of [
      [1, 1],
      [-1, 1],
      [0, 0],
      [0.5, 1],
      [2 ** 64, 2 ** 64 + 1],
      [0, 2 ** 53],
      [Number.NaN, 1],
    ] as const) {
      expect(verifyInclusion(index, size, leaf, [], root).ok, `index ${index}, size ${size}`).toBe(false);
    }
    expect(() => inclusionProofRanges(3, 3)).toThrow(RangeError);
    expect(() => inclusionProofRanges(-1, 3)).toThrow(RangeError);
  });

  it('refuses a leaf hash that is not 32 bytes', () => {
    expect(verifyInclusion(0, 1, leaves[0]!.slice(0, 31), [], roots[1]!).ok).toBe(false);
  });
});

describe('consistency proofs, every 1 <= size1 <= size2 <= 70', () => {
  it('verify against both roots, and fail for any flipped byte, swapped roots or a wrong size', () => {
    const failures: string[] = [];
    let checked = 0;
    for (let size2 = 1; size2 <= MAX; size2++) {
      const root2 = rootFromLeafHashes(leaves.slice(0, size2));
      for (let size1 = 1; size1 <= size2; size1++) {
        const name = `${size1} -> ${size2}`;
        const root1 = rootFromLeafHashes(leaves.slice(0, size1));
        const proof = consistencyProof(size1, size2, nodeSource(size2));
        checked++;
        if (size1 === size2 && proof.length !== 0) failures.push(`${name}: equal sizes give a non-empty proof`);
        if (size1 < size2 && proof.length === 0) failures.push(`${name}: empty proof`);

        const r = verifyConsistency(size1, size2, proof, root1, root2);
        if (!r.ok) failures.push(`${name}: does not verify: ${r.reason}`);

        for (let at = 0; at < proof.length; at++) {
          if (verifyConsistency(size1, size2, flipped(proof, at, size1 * 37 + size2 + at), root1, root2).ok) {
            failures.push(`${name}: verifies with a byte of proof[${at}] flipped`);
          }
        }
        if (verifyConsistency(size1, size2, proof, flipped([root1], 0, size2)[0]!, root2).ok) failures.push(`${name}: verifies a flipped root1`);
        if (verifyConsistency(size1, size2, proof, root1, flipped([root2], 0, size1)[0]!).ok) failures.push(`${name}: verifies a flipped root2`);
        if (size1 < size2 && verifyConsistency(size1, size2, proof, root2, root1).ok) failures.push(`${name}: verifies swapped roots`);
        if (proof.length > 0 && verifyConsistency(size1, size2, proof.slice(0, -1), root1, root2).ok) failures.push(`${name}: verifies truncated`);
        if (verifyConsistency(size1, size2, [...proof, root1], root1, root2).ok) failures.push(`${name}: verifies extended`);
        if (verifyConsistency(size2, size1, proof, root2, root1).ok && size1 !== size2) failures.push(`${name}: verifies backwards`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe((MAX * (MAX + 1)) / 2);
  });

  it('refuses size1 = 0, size1 > size2 and sizes beyond 2^53', () => {
    const r = roots[1]!;
    expect(verifyConsistency(1, 1, [], r, r).ok).toBe(true);
    expect(verifyConsistency(0, 0, [], roots[0]!, roots[0]!).ok).toBe(false);
    expect(verifyConsistency(0, 1, [], roots[0]!, r).ok).toBe(false);
    expect(verifyConsistency(2, 1, [], roots[2]!, r).ok).toBe(false);
    expect(verifyConsistency(2 ** 64, 2 ** 64, [], r, r).ok).toBe(false);
    expect(() => consistencyProofRanges(0, 5)).toThrow(RangeError);
    expect(() => consistencyProofRanges(6, 5)).toThrow(RangeError);
    expect(consistencyProofRanges(5, 5)).toEqual([]);
  });
});
