/**
 * Merkle storage in tiles. A tile at level L, index t holds the 256 hashes of tree
 * height 8L at node indices 256t … 256t+255; only complete tiles are stored, once, next
 * to the entries that complete them. Any perfect subtree of a tree of n ≤ 256^k leaves
 * lies inside one tile of its level band, so an inclusion or consistency proof needs at
 * most two tiles per level band: O(log n) reads, a handful of rows for 10 million entries.
 */
import { nodeHash, type NodeRef } from '@casn/ledger-core';
import type { Database, QueryFn } from './db.ts';

/** Hashes per tile. */
export const TILE_WIDTH = 256;
/** Tree heights covered by one tile band. */
export const TILE_HEIGHT = 8;

/** Number of leaves under one hash at tile level L. */
export function leavesPerHash(level: number): number {
  return TILE_WIDTH ** level;
}

/** Concatenates 32-byte hashes into one tile blob. */
export function packHashes(hashes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(hashes.length * 32);
  hashes.forEach((h, i) => out.set(h, i * 32));
  return out;
}

/**
 * The hashes of one tile and the perfect subtrees inside it (heights 8L … 8L+7), computed
 * on demand. Tiles are immutable, so a computed one can be cached forever. Each layer is
 * one packed buffer: a cache of thousands of tiles stays a few large objects instead of
 * millions of small ones for the garbage collector to walk.
 */
export class TileTree {
  readonly #layers: Uint8Array[];

  /** A tile from its bottom hashes, packed (32 bytes each). */
  constructor(bottom: Uint8Array) {
    this.#layers = [bottom];
  }

  /**
   * A complete tile as stored: its 256 hashes and then every layer above them (255 more),
   * so reading a proof computes nothing. A blob of bottom hashes only is accepted too.
   */
  static fromStored(blob: Uint8Array): TileTree {
    const tree = new TileTree(blob.subarray(0, Math.min(blob.length, TILE_WIDTH * 32)));
    for (let at = TILE_WIDTH * 32, n = TILE_WIDTH / 2; n >= 1 && at + n * 32 <= blob.length; at += n * 32, n /= 2) {
      tree.#layers.push(blob.subarray(at, at + n * 32));
    }
    return tree;
  }

  /** Number of hashes at the bottom (256 for a complete tile). */
  get width(): number {
    return this.#layers[0]!.length / 32;
  }

  /** Root of a complete tile. */
  root(): Uint8Array {
    return this.node(TILE_HEIGHT, 0);
  }

  /** Every layer, bottom first, packed: the stored form of a complete tile. */
  packed(): Uint8Array {
    this.root();
    const out = new Uint8Array(this.#layers.reduce((n, l) => n + l.length, 0));
    let at = 0;
    for (const layer of this.#layers) {
      out.set(layer, at);
      at += layer.length;
    }
    return out;
  }

  /** Hash of the subtree `sub` levels above the bottom at index `i` (must be complete). */
  node(sub: number, i: number): Uint8Array {
    while (this.#layers.length <= sub) {
      const below = this.#layers[this.#layers.length - 1]!;
      const next = new Uint8Array(Math.floor(below.length / 64) * 32);
      for (let k = 0; k < next.length; k += 32) {
        next.set(nodeHash(below.subarray(2 * k, 2 * k + 32), below.subarray(2 * k + 32, 2 * k + 64)), k);
      }
      this.#layers.push(next);
    }
    const layer = this.#layers[sub]!;
    if (32 * i + 32 > layer.length) throw new Error(`tile node ${sub}/${i} is not complete`);
    return layer.subarray(32 * i, 32 * i + 32);
  }
}

interface TileKey {
  level: number;
  idx: number;
}

/** Reads node hashes of one ledger's tree from its tiles, caching what it read (tiles never change). */
export class TileReader {
  /** Tile trees by "level/idx"; an incomplete right-edge tile is cached with the hashes it had. */
  readonly #cache = new Map<string, TileTree>();
  constructor(
    private readonly database: Database,
    private readonly ledgerId: number,
    private readonly cacheSize = 4096,
  ) {}

  /**
   * Hashes of the given perfect subtrees of the tree of `size` leaves, in order.
   * Requires every ref to lie within the first `size` leaves, which must be committed.
   */
  async nodes(refs: readonly NodeRef[], size: number): Promise<Uint8Array[]> {
    const wanted = new Map<string, TileKey>();
    for (const ref of refs) {
      const k = tileOf(ref);
      wanted.set(`${k.level}/${k.idx}`, k);
    }
    const trees = new Map<string, TileTree>();
    const missing: TileKey[] = [];
    for (const [id, k] of wanted) {
      const hit = this.#cache.get(id);
      if (hit && hit.width >= hashesIn(k, size)) {
        this.#cache.delete(id); // refresh LRU position
        this.#cache.set(id, hit);
        trees.set(id, hit);
      } else missing.push(k);
    }
    if (missing.length > 0) {
      for (const [id, tree] of await this.#load(missing, size)) {
        trees.set(id, tree);
        this.#cache.set(id, tree);
        if (this.#cache.size > this.cacheSize) this.#cache.delete(this.#cache.keys().next().value!);
      }
    }
    return refs.map((ref) => {
      const k = tileOf(ref);
      const sub = ref.level - k.level * TILE_HEIGHT;
      return trees.get(`${k.level}/${k.idx}`)!.node(sub, ref.index - k.idx * (TILE_WIDTH / 2 ** sub));
    });
  }

  async #load(keys: readonly TileKey[], size: number): Promise<Map<string, TileTree>> {
    const out = new Map<string, TileTree>();
    const rows = await this.database.query<{ level: number; idx: number; hashes: Uint8Array }>(
      `SELECT level, idx, hashes FROM merkle_tiles WHERE ledger_id = $1 AND (level, idx) IN (${keys
        .map((_, i) => `($${2 * i + 2}::smallint, $${2 * i + 3}::bigint)`)
        .join(', ')})`,
      [this.ledgerId, ...keys.flatMap((k) => [k.level, k.idx])],
    );
    for (const row of rows) out.set(`${row.level}/${Number(row.idx)}`, TileTree.fromStored(row.hashes));
    // A tile not stored is the incomplete one at the right edge: rebuild it from the level below.
    for (const k of keys) {
      const id = `${k.level}/${k.idx}`;
      if (!out.has(id)) out.set(id, new TileTree(packHashes(await this.#partial(k, size))));
    }
    return out;
  }

  #partial(k: TileKey, size: number): Promise<Uint8Array[]> {
    const first = k.idx * TILE_WIDTH;
    return readHashes((text, params) => this.database.query(text, params), this.ledgerId, k.level, first, first + hashesIn(k, size));
  }
}

/**
 * The hashes at tile level `level` with node indices [first, end): leaf hashes of entries
 * at level 0, roots of complete tiles of the level below otherwise. Used for the
 * incomplete right-edge tile, which is never stored.
 */
export async function readHashes(query: QueryFn, ledgerId: number, level: number, first: number, end: number): Promise<Uint8Array[]> {
  const rows =
    level === 0
      ? await query<{ h: Uint8Array }>('SELECT leaf AS h FROM entries WHERE ledger_id = $1 AND seq >= $2 AND seq < $3 ORDER BY seq', [
          ledgerId,
          first,
          end,
        ])
      : await query<{ h: Uint8Array }>(
          'SELECT root AS h FROM merkle_tiles WHERE ledger_id = $1 AND level = $2 AND idx >= $3 AND idx < $4 ORDER BY idx',
          [ledgerId, level - 1, first, end],
        );
  return rows.map((r) => r.h);
}

/** How many of a tile's hashes exist in the tree of `size` leaves (256 when complete). */
function hashesIn({ level, idx }: TileKey, size: number): number {
  return Math.min(TILE_WIDTH, Math.floor(size / leavesPerHash(level)) - idx * TILE_WIDTH);
}

function tileOf(ref: NodeRef): TileKey {
  const level = Math.floor(ref.level / TILE_HEIGHT);
  const sub = ref.level - level * TILE_HEIGHT;
  return { level, idx: Math.floor((ref.index * 2 ** sub) / TILE_WIDTH) };
}
