/**
 * RFC 6962 / RFC 9162 Merkle trees: roots, inclusion and consistency proofs.
 *
 * Proof generation is split in two so that storage can answer it with O(log n) reads:
 * `inclusionProofRanges` / `consistencyProofRanges` say which subtrees a proof needs
 * (as leaf ranges), `perfectSubtrees` turns each range into the stored perfect subtrees
 * it is built from, and `hashRange` folds those hashes back into the range's hash.
 */
import { bytesEqual, EMPTY_ROOT, HASH_SIZE, nodeHash } from './hash.ts';

/** The perfect subtree of 2^level leaves starting at leaf index × 2^level. */
export interface NodeRef {
  readonly level: number;
  readonly index: number;
}

/** A half-open range [start, end) of leaf positions. */
export type LeafRange = readonly [start: number, end: number];

/** Hash of the perfect subtree `ref`; the caller guarantees the subtree is complete. */
export type NodeSource = (ref: NodeRef) => Uint8Array;

/** Largest power of two strictly less than n. Requires n > 1. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Streaming RFC 6962 root: push leaf hashes in order, read the root at any size.
 * Keeps one hash per set bit of the size, so memory is O(log n).
 */
export class CompactRange {
  #stack: Uint8Array[] = [];
  #size = 0;

  /** Number of leaves pushed so far. */
  get size(): number {
    return this.#size;
  }

  /** Appends the leaf hash of the next entry. */
  push(leaf: Uint8Array): void {
    let hash = leaf;
    // Merge while the lowest bits of the old size are set: each is a full left sibling.
    for (let s = this.#size; s % 2 === 1; s = Math.floor(s / 2)) {
      hash = nodeHash(this.#stack.pop()!, hash);
    }
    this.#stack.push(hash);
    this.#size++;
  }

  /** Perfect subtree hashes, largest (leftmost) first. */
  get peaks(): readonly Uint8Array[] {
    return this.#stack;
  }

  /** RFC 6962 root of the leaves pushed so far. */
  root(): Uint8Array {
    const stack = this.#stack;
    if (stack.length === 0) return EMPTY_ROOT;
    let hash = stack[stack.length - 1]!;
    for (let i = stack.length - 2; i >= 0; i--) hash = nodeHash(stack[i]!, hash);
    return hash;
  }
}

/** RFC 6962 root of the given leaf hashes. */
export function rootFromLeafHashes(leaves: Iterable<Uint8Array>): Uint8Array {
  const range = new CompactRange();
  for (const leaf of leaves) range.push(leaf);
  return range.root();
}

/**
 * The perfect subtrees that make up a proof range, leftmost (largest) first.
 * Requires `start` aligned to the range as in any RFC 6962 subtree: greedy largest
 * aligned power of two, which is exactly RFC 6962's "largest power of two less than n" split.
 */
export function perfectSubtrees([start, end]: LeafRange): NodeRef[] {
  const refs: NodeRef[] = [];
  let pos = start;
  while (pos < end) {
    let size = 1;
    while (pos % (size * 2) === 0 && pos + size * 2 <= end) size *= 2;
    refs.push({ level: Math.log2(size), index: pos / size });
    pos += size;
  }
  return refs;
}

/** Hash of an RFC 6962 subtree range from the hashes of its perfect subtrees. */
export function hashRange(range: LeafRange, node: NodeSource): Uint8Array {
  const refs = perfectSubtrees(range);
  let hash = node(refs[refs.length - 1]!);
  for (let i = refs.length - 2; i >= 0; i--) hash = nodeHash(node(refs[i]!), hash);
  return hash;
}

/**
 * The subtree ranges of the RFC 9162 §2.1.3.1 inclusion proof of leaf `index` in the tree
 * of `size` leaves, in proof order (nearest the leaf first). Requires 0 <= index < size.
 */
export function inclusionProofRanges(index: number, size: number): LeafRange[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`index ${index} outside tree of size ${size}`);
  const out: LeafRange[] = [];
  const path = (m: number, lo: number, hi: number): void => {
    const n = hi - lo;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      path(m, lo, lo + k);
      out.push([lo + k, hi]);
    } else {
      path(m - k, lo + k, hi);
      out.push([lo, lo + k]);
    }
  };
  path(index, 0, size);
  return out;
}

/**
 * The subtree ranges of the RFC 9162 §2.1.4.1 consistency proof from `size1` to `size2`,
 * in proof order. Requires 0 < size1 <= size2.
 */
export function consistencyProofRanges(size1: number, size2: number): LeafRange[] {
  if (!(size1 > 0 && size1 <= size2)) throw new RangeError(`no consistency proof from ${size1} to ${size2}`);
  const out: LeafRange[] = [];
  const subproof = (m: number, lo: number, hi: number, whole: boolean): void => {
    const n = hi - lo;
    if (m === n) {
      if (!whole) out.push([lo, hi]);
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      subproof(m, lo, lo + k, whole);
      out.push([lo + k, hi]);
    } else {
      subproof(m - k, lo + k, hi, false);
      out.push([lo, lo + k]);
    }
  };
  subproof(size1, 0, size2, true);
  return out;
}

/** Inclusion proof from a node source (see `inclusionProofRanges`). */
export function inclusionProof(index: number, size: number, node: NodeSource): Uint8Array[] {
  return inclusionProofRanges(index, size).map((r) => hashRange(r, node));
}

/** Consistency proof from a node source (see `consistencyProofRanges`). */
export function consistencyProof(size1: number, size2: number, node: NodeSource): Uint8Array[] {
  return consistencyProofRanges(size1, size2).map((r) => hashRange(r, node));
}

/** Outcome of a proof check: ok, or why not with the expected and computed roots. */
export type ProofResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string; readonly expected?: Uint8Array; readonly actual?: Uint8Array };

const half = (n: number): number => Math.floor(n / 2);
const odd = (n: number): boolean => n % 2 === 1;

/**
 * Root implied by an inclusion proof (RFC 9162 §2.1.3.2), or a reason it cannot be one.
 * Requires nothing: every malformed input is reported, never thrown.
 */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): { root: Uint8Array } | { reason: string } {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    return { reason: `index ${index} is outside the tree of size ${size}` };
  }
  if (leaf.length !== HASH_SIZE) return { reason: `leaf hash has ${leaf.length} bytes, want ${HASH_SIZE}` };
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return { reason: 'proof is longer than the path' };
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return { reason: 'proof is shorter than the path' };
  return { root: r };
}

/** Checks an RFC 9162 inclusion proof of `leaf` at `index` against `root` of a tree of `size`. */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): ProofResult {
  const got = rootFromInclusionProof(index, size, leaf, proof);
  if ('reason' in got) return { ok: false, reason: got.reason };
  if (!bytesEqual(got.root, root)) {
    return { ok: false, reason: 'computed root differs from the expected root', expected: root, actual: got.root };
  }
  return { ok: true };
}

/**
 * Checks an RFC 9162 §2.1.4.2 consistency proof between `root1` (size1) and `root2`
 * (size2). A zero size1 is refused, as an empty tree proves nothing.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): ProofResult {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2)) return { ok: false, reason: 'size out of range' };
  if (size1 <= 0) return { ok: false, reason: 'size1 must be positive' };
  if (size1 > size2) return { ok: false, reason: `size1 ${size1} exceeds size2 ${size2}` };
  if (size1 === size2) {
    if (proof.length !== 0) return { ok: false, reason: 'equal sizes need an empty proof' };
    return bytesEqual(root1, root2)
      ? { ok: true }
      : { ok: false, reason: 'equal sizes but different roots', expected: root1, actual: root2 };
  }
  if (proof.length === 0) return { ok: false, reason: 'empty proof' };
  const path = Number.isInteger(Math.log2(size1)) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return { ok: false, reason: 'proof is longer than the path' };
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return { ok: false, reason: 'proof is shorter than the path' };
  if (!bytesEqual(fr, root1)) return { ok: false, reason: 'old root mismatch', expected: root1, actual: fr };
  if (!bytesEqual(sr, root2)) return { ok: false, reason: 'new root mismatch', expected: root2, actual: sr };
  return { ok: true };
}
