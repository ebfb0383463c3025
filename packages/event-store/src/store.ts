/**
 * The event store: many ledgers per database, each an append-only hash chain committed
 * into an RFC 6962 tree, with signed checkpoints and proofs.
 */
import {
  EMPTY_ROOT,
  MAX_NOTE_SIGNATURES,
  chainHeadExtension,
  checkCosignature,
  formatCosignature,
  noteText,
  consistencyProofRanges,
  hashRange,
  inclusionProofRanges,
  perfectSubtrees,
  signCheckpoint,
  toBase64,
  type LeafRange,
  type NodeRef,
  type Verdict,
  type WitnessEntry,
} from '@casn/ledger-core';
import { Worker } from 'node:worker_threads';
import type { Database } from './db.ts';
import { StoreError } from './errors.ts';
import type { KeyStore } from './keys.ts';
import { TileReader } from './tiles.ts';
import { ANY, LedgerWriter, NO_STREAM, type AppendRequest, type AppendResult, type EventDraft, type ExpectedVersion } from './writer.ts';

export { ANY, NO_STREAM };
export type { AppendRequest, AppendResult, EventDraft, ExpectedVersion };

/** A stored entry: its position, stream coordinates, leaf hash and canonical text. */
export interface StoredEntry {
  readonly seq: number;
  readonly stream: string;
  readonly version: number;
  readonly type: string;
  readonly leaf: Uint8Array;
  /** The canonical bytes exactly as hashed. */
  readonly body: string;
}

/** A signed checkpoint as stored. */
export interface StoredCheckpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  readonly note: string;
}

/** A witness cosignature (C2SP tlog-cosignature v1) of a stored checkpoint, as stored. */
export interface StoredCosignature {
  readonly origin: string;
  /** Size of the checkpoint it cosigns. */
  readonly size: number;
  /** The witness's key name. */
  readonly witness: string;
  /** The witness's key id (type 0x04), 8 lowercase hex digits. */
  readonly keyId: string;
  /** When the witness cosigned, by its own clock (Unix seconds). */
  readonly timestamp: number;
  /** The signature line `— name base64(…)`, without its newline. */
  readonly line: string;
  /** When the ledger stored it. */
  readonly receivedAt: Date;
}

/** How far a configured witness is behind a ledger's latest checkpoint. */
export interface WitnessStatus {
  readonly name: string;
  readonly keyId: string;
  /** Its cosignature verifier key (`name+hexid+base64(0x04‖pub)`). */
  readonly vkey: string;
  /** The URL the worker asks it at, if any. */
  readonly url: string | undefined;
  /** Size of the ledger's latest checkpoint (0 when none was signed). */
  readonly checkpointSize: number;
  /** Largest checkpoint size it cosigned, if any. */
  readonly cosignedSize: number | undefined;
  /** Its timestamp on that cosignature (Unix seconds). */
  readonly cosignedAt: number | undefined;
  readonly receivedAt: Date | undefined;
  /** checkpointSize − cosignedSize (or checkpointSize when it cosigned nothing). */
  readonly lagEntries: number;
  /** Seconds since the oldest checkpoint it has not cosigned (after its latest) was signed; 0 when it cosigned the latest. */
  readonly lagSeconds: number;
}

/** An RFC 6962 inclusion proof, hashes in base64. */
export interface InclusionProof {
  readonly origin: string;
  readonly index: number;
  readonly size: number;
  readonly leafHash: string;
  readonly hashes: readonly string[];
  readonly root: string;
}

/** An RFC 6962 consistency proof, hashes in base64. */
export interface ConsistencyProof {
  readonly origin: string;
  readonly size1: number;
  readonly size2: number;
  readonly hashes: readonly string[];
  readonly root1: string;
  readonly root2: string;
}

/** Options of `EventStore`. */
export interface EventStoreOptions {
  /** Log keys; required for checkpoints, exports and verification. */
  readonly keys?: KeyStore;
  /** Time source for `at` (tests pin it). */
  readonly clock?: () => Date;
  /** How often subscriptions look for entries appended by other processes. */
  readonly pollMs?: number;
  /** The witnesses of this deployment: only cosignatures by their keys are stored; exports list them in witnesses.vkey. */
  readonly witnesses?: readonly WitnessEntry[];
}

interface Ledger {
  readonly id: number;
  readonly origin: string;
  readonly writer: LedgerWriter;
  readonly tiles: TileReader;
  readonly waiters: Set<() => void>;
  /** Largest size known to be committed; sizes never shrink, so a smaller one needs no query. */
  committed: number;
}

const ORIGIN = /^[A-Za-z0-9][A-Za-z0-9._~:/-]{0,254}$/;
const PAGE = 5000;

/** Appends, reads, proves and checkpoints the ledgers of one database. */
export class EventStore {
  readonly #ledgers = new Map<string, Promise<Ledger>>();
  /** Per ledger id, the verifier key its row was found to hold: a ledger's key never changes once recorded. */
  readonly #recordedKeys = new Map<number, string>();
  readonly #clock: () => Date;
  readonly #pollMs: number;

  constructor(
    readonly database: Database,
    private readonly options: EventStoreOptions = {},
  ) {
    this.#clock = options.clock ?? (() => new Date());
    this.#pollMs = options.pollMs ?? 200;
  }

  /**
   * Appends events to a stream, all or nothing. Throws StoreError CONFLICT (nothing
   * stored) when the stream is not at `expected`; a repeated `idempotencyKey` returns
   * the original result with `replayed: true` and stores nothing new.
   * @example await store.append('casn.example.go.id/2026', 'application-42', NO_STREAM, [{ type: 'ApplicationSubmitted', actor: { id: 'portal', role: 'portal' }, payload: {} }])
   */
  async append(
    origin: string,
    stream: string,
    expectedVersion: ExpectedVersion,
    events: readonly EventDraft[],
    opts: { idempotencyKey?: string } = {},
  ): Promise<AppendResult> {
    const [result] = await this.appendAll(origin, [{ stream, expectedVersion, events, idempotencyKey: opts.idempotencyKey }]);
    return result!;
  }

  /**
   * Appends to several streams of one ledger atomically: either every request is
   * recorded (replayed idempotency keys included) or none is, and the error's
   * `details.index` names the request that failed.
   */
  async appendAll(origin: string, requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    if (requests.length === 0) throw new StoreError('INVALID_ARGUMENT', 'nothing to append', { field: 'requests' });
    requests.forEach((r, i) => checkAppend(r, requests.length > 1 ? `requests[${i}].` : ''));
    const ledger = await this.#ledger(origin, true);
    return ledger.writer.append(requests);
  }

  /** Creates a ledger if it does not exist yet. */
  async createLedger(origin: string): Promise<void> {
    await this.#ledger(origin, true);
  }

  /** Origins of all ledgers in the database. */
  async listLedgers(): Promise<string[]> {
    const rows = await this.database.query<{ origin: string }>('SELECT origin FROM ledgers ORDER BY origin');
    return rows.map((r) => r.origin);
  }

  /**
   * The appends recorded under an idempotency key and its numbered companions (`key#1`,
   * `key#2`, … for the other requests of one `appendAll`), in seq order, each with the
   * fingerprint it was recorded with; empty when the key is unused.
   */
  async recordedAppends(origin: string, idempotencyKey: string): Promise<{ fingerprint: Uint8Array; result: AppendResult }[]> {
    const ledger = await this.#ledger(origin);
    const rows = await this.database.query<{ request_hash: Uint8Array; result: string }>(
      `SELECT request_hash, result FROM idempotency_keys
        WHERE ledger_id = $1 AND (key = $2 OR left(key, length($2) + 1) = $2 || '#')`,
      [ledger.id, idempotencyKey],
    );
    return rows
      .map((row) => ({ fingerprint: new Uint8Array(row.request_hash), result: { ...(JSON.parse(row.result) as AppendResult), replayed: true } }))
      .sort((a, b) => a.result.firstSeq - b.result.firstSeq);
  }

  /** Number of committed entries in a ledger. */
  async size(origin: string): Promise<number> {
    const ledger = await this.#ledger(origin);
    const [row] = await this.database.query<{ size: number }>('SELECT size FROM ledgers WHERE id = $1', [ledger.id]);
    ledger.committed = Math.max(ledger.committed, Number(row!.size));
    return Number(row!.size);
  }

  /** Entries of one stream in version order, from `fromVersion` (default 0). */
  async readStream(origin: string, stream: string, fromVersion = 0): Promise<StoredEntry[]> {
    const ledger = await this.#ledger(origin);
    const rows = await this.database.query<StoredEntry>(
      `SELECT seq, stream, version, type, leaf, body FROM entries
        WHERE ledger_id = $1 AND stream = $2 AND version >= $3 ORDER BY version`,
      [ledger.id, stream, fromVersion],
    );
    return rows.map(toEntry);
  }

  /** Up to `limit` entries of a ledger from `from` (a seq), in seq order. */
  async readLedger(origin: string, from = 0, limit = PAGE): Promise<StoredEntry[]> {
    const ledger = await this.#ledger(origin);
    return this.#page(ledger.id, from, limit);
  }

  async #page(ledgerId: number, from: number, limit: number, to = Number.MAX_SAFE_INTEGER): Promise<StoredEntry[]> {
    // Seqs have no gaps, so a page is a closed key range: cheap whatever the planner's
    // statistics say (with a LIMIT alone, stale statistics after a bulk load can make it
    // sort the whole rest of the ledger for every page).
    const rows = await this.database.query<StoredEntry>(
      `SELECT seq, stream, version, type, leaf, body FROM entries
        WHERE ledger_id = $1 AND seq >= $2 AND seq < $3 ORDER BY seq`,
      [ledgerId, from, Math.min(to, from + limit)],
    );
    return rows.map(toEntry);
  }

  /** Every entry of a ledger in [from, to), read in pages with the next page prefetched. */
  async *entries(origin: string, from = 0, to = Number.MAX_SAFE_INTEGER): AsyncGenerator<StoredEntry> {
    const ledger = await this.#ledger(origin);
    let next = this.#page(ledger.id, from, PAGE, to);
    for (;;) {
      const page = await next;
      if (page.length === 0) return;
      const after = page[page.length - 1]!.seq + 1;
      if (page.length === PAGE) next = this.#page(ledger.id, after, PAGE, to);
      yield* page;
      if (page.length < PAGE) return;
    }
  }

  /**
   * Follows a ledger from `from`: yields every committed entry in seq order, then waits
   * for more. It never advances past a missing seq, so nothing committed late is skipped.
   * Ends when `signal` aborts.
   */
  async *subscribe(origin: string, from: number, signal: AbortSignal): AsyncGenerator<StoredEntry> {
    const ledger = await this.#ledger(origin, true);
    let next = from;
    while (!signal.aborted) {
      const page = await this.#page(ledger.id, next, PAGE);
      let advanced = false;
      for (const entry of page) {
        if (entry.seq !== next) break; // a gap: wait until it fills rather than skip it
        yield entry;
        next++;
        advanced = true;
        if (signal.aborted) return;
      }
      if (!advanced) await this.#wait(ledger, signal);
    }
  }

  #wait(ledger: Ledger, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        ledger.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, this.#pollMs);
      ledger.waiters.add(done);
      signal.addEventListener('abort', done);
    });
  }

  /** RFC 6962 root of the first `size` entries (default: all). */
  async root(origin: string, size?: number): Promise<Uint8Array> {
    const ledger = await this.#ledger(origin);
    const n = await this.#checkSize(ledger, size);
    if (n === 0) return EMPTY_ROOT;
    const [root] = await this.#rangeHashes(ledger, [[0, n]], n);
    return root!;
  }

  /** Inclusion proof of entry `seq` in the tree of `size` entries (default: all). */
  async inclusionProof(origin: string, seq: number, size?: number): Promise<InclusionProof> {
    const ledger = await this.#ledger(origin);
    const n = await this.#checkSize(ledger, size);
    if (!Number.isSafeInteger(seq) || seq < 0 || seq >= n) {
      throw new StoreError('INVALID_ARGUMENT', `seq ${seq} is not in a tree of size ${n}`, { field: 'seq' });
    }
    const [leaf, root, ...hashes] = await this.#rangeHashes(ledger, [[seq, seq + 1], [0, n], ...inclusionProofRanges(seq, n)], n);
    return { origin, index: seq, size: n, leafHash: toBase64(leaf!), hashes: hashes.map(toBase64), root: toBase64(root!) };
  }

  /** Consistency proof between the trees of `size1` and `size2` entries. Requires 0 < size1 <= size2. */
  async consistencyProof(origin: string, size1: number, size2: number): Promise<ConsistencyProof> {
    const ledger = await this.#ledger(origin);
    await this.#checkSize(ledger, size2);
    if (!Number.isSafeInteger(size1) || size1 < 1 || size1 > size2) {
      throw new StoreError('INVALID_ARGUMENT', `no consistency proof from size ${size1} to ${size2}`, { field: 'size1' });
    }
    const ranges = size1 === size2 ? [] : consistencyProofRanges(size1, size2);
    const [root1, root2, ...hashes] = await this.#rangeHashes(ledger, [[0, size1], [0, size2], ...ranges], size2);
    return { origin, size1, size2, hashes: hashes.map(toBase64), root1: toBase64(root1!), root2: toBase64(root2!) };
  }

  /** Hashes of RFC 6962 subtree ranges, fetching every tile they need at once. */
  async #rangeHashes(ledger: Ledger, ranges: readonly LeafRange[], size: number): Promise<Uint8Array[]> {
    const refs: NodeRef[] = ranges.flatMap((r) => perfectSubtrees(r));
    const hashes = await ledger.tiles.nodes(refs, size);
    const byRef = new Map(refs.map((r, i) => [`${r.level}/${r.index}`, hashes[i]!]));
    return ranges.map((r) => hashRange(r, (ref) => byRef.get(`${ref.level}/${ref.index}`)!));
  }

  async #checkSize(ledger: Ledger, size: number | undefined): Promise<number> {
    if (size !== undefined && Number.isSafeInteger(size) && size >= 0 && size <= ledger.committed) return size;
    const current = await this.size(ledger.origin);
    if (size === undefined) return current;
    if (!Number.isSafeInteger(size) || size < 0 || size > current) {
      throw new StoreError('INVALID_ARGUMENT', `size ${size} is outside 0..${current}`, { field: 'size' });
    }
    return size;
  }

  /**
   * The signed checkpoint of the first `size` entries (default: all), signing and storing
   * one if none exists for that size. `created` says whether it was signed now.
   */
  async checkpoint(origin: string, size?: number): Promise<StoredCheckpoint & { created: boolean }> {
    const ledger = await this.#ledger(origin);
    const n = await this.#checkSize(ledger, size);
    const existing = await this.#storedCheckpoint(ledger, n);
    if (existing) return { ...(await this.#cosigned(ledger, existing)), created: false };
    const signer = await this.#signer(ledger);
    const root = await this.root(origin, n);
    const extensions: string[] = [];
    if (n > 0) {
      const [last] = await this.#page(ledger.id, n - 1, 1);
      extensions.push(chainHeadExtension(last!.leaf));
    }
    const note = signCheckpoint({ origin, size: n, root, extensions }, signer);
    const inserted = await this.database.query(
      'INSERT INTO checkpoints (ledger_id, size, root, note) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING size',
      [ledger.id, n, root, note],
    );
    // A checkpoint signed just now has no cosignature yet.
    if (inserted.length > 0) return { origin, size: n, root, note, created: true };
    // Another process signed the same size first; theirs is the stored one.
    const stored = await this.#storedCheckpoint(ledger, n);
    return { ...(await this.#cosigned(ledger, stored!)), created: false };
  }

  /** The most recent stored checkpoint of a ledger (with its witnesses' cosignature lines), if any. */
  async latestCheckpoint(origin: string): Promise<StoredCheckpoint | undefined> {
    const ledger = await this.#ledger(origin);
    const [row] = await this.database.query<{ size: number; root: Uint8Array; note: string }>(
      'SELECT size, root, note FROM checkpoints WHERE ledger_id = $1 ORDER BY size DESC LIMIT 1',
      [ledger.id],
    );
    return row && this.#cosigned(ledger, { origin, size: Number(row.size), root: row.root, note: row.note });
  }

  async #storedCheckpoint(ledger: Ledger, size: number): Promise<StoredCheckpoint | undefined> {
    const [row] = await this.database.query<{ root: Uint8Array; note: string }>(
      'SELECT root, note FROM checkpoints WHERE ledger_id = $1 AND size = $2',
      [ledger.id, size],
    );
    return row && { origin: ledger.origin, size, root: row.root, note: row.note };
  }

  /**
   * The stored checkpoint with its witnesses' cosignature lines appended after the log signature,
   * in the order they were received (at most MAX_NOTE_SIGNATURES − 1 of them). Every cosignature
   * was verified against the checkpoint text before it was stored.
   */
  async #cosigned(ledger: Ledger, cp: StoredCheckpoint): Promise<StoredCheckpoint> {
    const rows = await this.database.query<{ line: string }>(
      'SELECT line FROM ledger_cosignatures WHERE ledger_id = $1 AND size = $2 ORDER BY id LIMIT $3',
      [ledger.id, cp.size, MAX_NOTE_SIGNATURES - 1],
    );
    if (rows.length === 0) return cp;
    return { ...cp, note: cp.note + rows.map((r) => `${r.line}\n`).join('') };
  }

  /** The witnesses this store was configured with. */
  get witnesses(): readonly WitnessEntry[] {
    return this.options.witnesses ?? [];
  }

  /**
   * Stores a witness's cosignature line of the checkpoint of `size` entries, after checking that it
   * verifies under one of `opts.witnesses` (default: the store's) for exactly that checkpoint's
   * text. `stored` is false when a cosignature by that witness key of that checkpoint was already
   * stored (the first one is kept). Throws StoreError NOT_FOUND (field 'size') when no checkpoint
   * of that size was signed, INVALID_ARGUMENT (field 'cosignature', details.reason 'malformed',
   * 'unknown_witness' or 'invalid_signature') when the line is refused.
   */
  async addCosignature(
    origin: string,
    size: number,
    line: string,
    opts: { witnesses?: readonly WitnessEntry[] } = {},
  ): Promise<{ stored: boolean; cosignature: StoredCosignature }> {
    const ledger = await this.#ledger(origin);
    if (!Number.isSafeInteger(size) || size < 0) throw new StoreError('INVALID_ARGUMENT', 'size must be a non-negative integer', { field: 'size' });
    const cp = await this.#storedCheckpoint(ledger, size);
    if (!cp) throw new StoreError('NOT_FOUND', `no checkpoint of size ${size} has been signed for ${origin}`, { field: 'size', size });
    const check = checkCosignature(line, noteText(cp.note)!, (opts.witnesses ?? this.witnesses).map((w) => w.verifier));
    if (!check.ok) {
      throw new StoreError('INVALID_ARGUMENT', `cosignature refused: ${check.message}`, { field: 'cosignature', reason: check.error });
    }
    const c = check.cosignature;
    const keyId = c.keyId.toString(16).padStart(8, '0');
    const inserted = await this.database.query<{ id: number }>(
      `INSERT INTO ledger_cosignatures (ledger_id, size, witness, key_id, cosigned_at, line) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (ledger_id, size, witness, key_id) DO NOTHING RETURNING id`,
      [ledger.id, size, c.name, keyId, c.timestamp, formatCosignature(c).slice(0, -1)],
    );
    const [row] = await this.database.query<CosignatureRow>(
      `SELECT size, witness, key_id, cosigned_at, line, received_at FROM ledger_cosignatures
        WHERE ledger_id = $1 AND size = $2 AND witness = $3 AND key_id = $4`,
      [ledger.id, size, c.name, keyId],
    );
    return { stored: inserted.length > 0, cosignature: toCosignature(origin, row!) };
  }

  /** The stored cosignatures of a ledger's checkpoints (of one size, or all), oldest first. */
  async cosignatures(origin: string, size?: number): Promise<StoredCosignature[]> {
    const ledger = await this.#ledger(origin);
    const rows = await this.database.query<CosignatureRow>(
      `SELECT size, witness, key_id, cosigned_at, line, received_at FROM ledger_cosignatures
        WHERE ledger_id = $1 AND ($2::bigint IS NULL OR size = $2) ORDER BY id`,
      [ledger.id, size ?? null],
    );
    return rows.map((r) => toCosignature(origin, r));
  }

  /** For each of `witnesses` (default: the store's), the largest checkpoint of the ledger it cosigned and how far behind the latest it is. */
  async witnessStatus(origin: string, witnesses: readonly WitnessEntry[] = this.witnesses): Promise<WitnessStatus[]> {
    const ledger = await this.#ledger(origin);
    const [latest] = await this.database.query<{ size: number }>(
      'SELECT size FROM checkpoints WHERE ledger_id = $1 ORDER BY size DESC LIMIT 1',
      [ledger.id],
    );
    const checkpointSize = latest === undefined ? 0 : Number(latest.size);
    const out: WitnessStatus[] = [];
    for (const { verifier, url } of witnesses) {
      const keyId = verifier.keyId.toString(16).padStart(8, '0');
      const [best] = await this.database.query<CosignatureRow>(
        `SELECT size, witness, key_id, cosigned_at, line, received_at FROM ledger_cosignatures
          WHERE ledger_id = $1 AND witness = $2 AND key_id = $3 ORDER BY size DESC LIMIT 1`,
        [ledger.id, verifier.name, keyId],
      );
      const cosigned = best && toCosignature(origin, best);
      const cosignedSize = cosigned?.size;
      let lagSeconds = 0;
      if (checkpointSize > (cosignedSize ?? 0) || (cosignedSize === undefined && latest !== undefined)) {
        const [oldest] = await this.database.query<{ age: number }>(
          `SELECT EXTRACT(EPOCH FROM (now() - created_at))::float8 AS age FROM checkpoints
            WHERE ledger_id = $1 AND size > $2 ORDER BY size LIMIT 1`,
          [ledger.id, cosignedSize ?? -1],
        );
        lagSeconds = Math.max(0, Number(oldest?.age ?? 0));
      }
      out.push({
        name: verifier.name,
        keyId,
        vkey: verifier.vkey,
        url,
        checkpointSize,
        cosignedSize,
        cosignedAt: cosigned?.timestamp,
        receivedAt: cosigned?.receivedAt,
        lagEntries: Math.max(0, checkpointSize - (cosignedSize ?? 0)),
        lagSeconds,
      });
    }
    return out;
  }

  /** The verifier key of a ledger's log key (signed-note form). */
  async verifierKey(origin: string): Promise<string> {
    const ledger = await this.#ledger(origin);
    return (await this.#signer(ledger)).vkey;
  }

  /** The ledger's signer, checked against (or recorded as) the key the ledger is known by. */
  async #signer(ledger: Ledger) {
    if (!this.options.keys) throw new StoreError('KEY_MISSING', 'no key store configured for signing checkpoints');
    const signer = await this.options.keys.signer(ledger.origin);
    if (this.#recordedKeys.get(ledger.id) === signer.vkey) return signer;
    await this.database.query('UPDATE ledgers SET vkey = $2 WHERE id = $1 AND vkey IS NULL', [ledger.id, signer.vkey]);
    const [row] = await this.database.query<{ vkey: string }>('SELECT vkey FROM ledgers WHERE id = $1', [ledger.id]);
    if (row!.vkey !== signer.vkey) {
      throw new StoreError('KEY_MISMATCH', `the key file of ${ledger.origin} is not the key its checkpoints were signed with`);
    }
    this.#recordedKeys.set(ledger.id, signer.vkey);
    return signer;
  }

  /**
   * Verifies the whole stored ledger as a bundle verifier would (seq, chain, stream
   * versions, root and signature) against a checkpoint of its current size. Stored bodies
   * are hashed as stored, not re-serialised; the checks run on a worker thread while this
   * one reads the next pages.
   */
  async verify(origin: string, onProgress?: (done: number, total: number) => void): Promise<Verdict> {
    const ledger = await this.#ledger(origin);
    const cp = await this.checkpoint(origin);
    const worker = new Worker(new URL('./verify-worker.mjs', import.meta.url), {
      workerData: { note: cp.note, vkey: await this.verifierKey(origin), options: { storedCanonical: true } },
    });
    try {
      const verdict = new Promise<Verdict>((resolve, reject) => {
        worker.on('message', (m: { verdict?: Verdict; ack?: number }) => {
          if (m.verdict) resolve(m.verdict);
          else acked(m.ack!);
        });
        worker.on('error', reject);
        worker.on('exit', (code) => reject(new Error(`verification worker exited with code ${code}`)));
      });
      // At most a few pages in flight, so a slow worker does not pile the ledger up in memory.
      let inFlight = 0;
      let done = 0;
      let wake: (() => void) | undefined;
      const acked = (n: number): void => {
        inFlight--;
        done += n;
        if (done % 100_000 < n) onProgress?.(done, cp.size);
        wake?.();
      };
      const finished = verdict.then(() => true);
      for (let from = 0; from < cp.size; from += PAGE) {
        const rows = await this.database.query<{ body: string }>(
          'SELECT body FROM entries WHERE ledger_id = $1 AND seq >= $2 AND seq < $3 ORDER BY seq',
          [ledger.id, from, Math.min(cp.size, from + PAGE)],
        );
        while (inFlight >= 3) {
          const more = new Promise<void>((r) => (wake = r));
          if (await Promise.race([more.then(() => false), finished])) return await verdict;
        }
        inFlight++;
        worker.postMessage(rows.map((r) => r.body));
      }
      worker.postMessage(null);
      return await verdict;
    } finally {
      await worker.terminate();
    }
  }

  /** Closes the database. */
  close(): Promise<void> {
    return this.database.close();
  }

  #ledger(origin: string, create = false): Promise<Ledger> {
    let ledger = this.#ledgers.get(origin);
    if (!ledger) {
      ledger = this.#loadLedger(origin, create);
      this.#ledgers.set(origin, ledger);
      ledger.catch(() => this.#ledgers.delete(origin));
    }
    return ledger;
  }

  async #loadLedger(origin: string, create: boolean): Promise<Ledger> {
    if (!ORIGIN.test(origin)) {
      throw new StoreError('INVALID_ARGUMENT', 'origin must be a schema-less URL such as casn.example.go.id/2026', {
        field: 'ledger',
      });
    }
    if (create) {
      await this.database.query('INSERT INTO ledgers (origin) VALUES ($1) ON CONFLICT (origin) DO NOTHING', [origin]);
    }
    const [row] = await this.database.query<{ id: number }>('SELECT id FROM ledgers WHERE origin = $1', [origin]);
    if (!row) throw new StoreError('NOT_FOUND', `no ledger ${origin}`, { ledger: origin });
    const waiters = new Set<() => void>();
    const ledger: Ledger = {
      id: row.id,
      origin,
      writer: new LedgerWriter(this.database, row.id, origin, this.#clock, (size) => {
        ledger.committed = Math.max(ledger.committed, size);
        for (const wake of [...waiters]) wake();
      }),
      tiles: new TileReader(this.database, row.id),
      waiters,
      committed: 0,
    };
    return ledger;
  }
}

interface CosignatureRow {
  size: number | string;
  witness: string;
  key_id: string;
  cosigned_at: number | string;
  line: string;
  received_at: Date | string;
}

function toCosignature(origin: string, r: CosignatureRow): StoredCosignature {
  return {
    origin,
    size: Number(r.size),
    witness: r.witness,
    keyId: r.key_id,
    timestamp: Number(r.cosigned_at),
    line: r.line,
    receivedAt: new Date(r.received_at),
  };
}

function toEntry(row: StoredEntry): StoredEntry {
  return { ...row, seq: Number(row.seq), version: Number(row.version) };
}

function checkAppend(r: AppendRequest, at: string): void {
  const bad = (field: string, message: string): never => {
    throw new StoreError('INVALID_ARGUMENT', message, { field: at + field });
  };
  if (typeof r.stream !== 'string' || r.stream.length === 0 || r.stream.length > 200) bad('stream', 'stream must be 1-200 characters');
  const v = r.expectedVersion;
  if (v !== ANY && !(Number.isSafeInteger(v) && v >= NO_STREAM)) {
    bad('expectedVersion', `expectedVersion must be ${NO_STREAM} (no stream yet), a version, or "${ANY}"`);
  }
  if (!Array.isArray(r.events) || r.events.length === 0) bad('events', 'at least one event is required');
  r.events.forEach((e, i) => {
    if (typeof e.type !== 'string' || e.type.length === 0) bad(`events[${i}].type`, 'type is required');
    if (typeof e.actor?.id !== 'string' || typeof e.actor?.role !== 'string') bad(`events[${i}].actor`, 'actor needs id and role');
    if (typeof e.payload !== 'object' || e.payload === null || Array.isArray(e.payload)) bad(`events[${i}].payload`, 'payload must be an object');
    if (e.schema !== undefined && !Number.isSafeInteger(e.schema)) bad(`events[${i}].schema`, 'schema must be an integer');
  });
  const key = r.idempotencyKey;
  if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > 220)) {
    bad('idempotencyKey', 'idempotencyKey must be 1-220 characters');
  }
}
