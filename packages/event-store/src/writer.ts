/**
 * Group commit for one ledger. Concurrent appends queue here; one batch at a time is
 * chained in memory and written by a single autocommitted statement, so throughput
 * grows with concurrency instead of paying a commit per event.
 *
 * The ledger's head row is the lock in PostgreSQL: each statement extends the head only
 * if the size is still the one the batch was chained on (compare-and-set), and the
 * unique keys on (ledger, seq) and (ledger, stream, version) back it up. A writer in
 * another process that got there first makes the update match no row (or the inserts
 * conflict); the batch then reloads the head and is chained again. Two writers can
 * therefore never fork the chain, and entries commit in seq order, so readers never see
 * a gap that fills in later.
 */
import { randomUUID } from 'node:crypto';
import { bytesEqual, canonicalize, formatTime, prevOf, sealEntry, sha256, toHex, utf8, type Actor } from '@casn/ledger-core';
import type { Database, QueryFn } from './db.ts';
import { StoreError } from './errors.ts';
import { TILE_WIDTH, TileTree, packHashes, readHashes } from './tiles.ts';

/** Expect the stream to have no events yet. */
export const NO_STREAM = -1;
/** Append whatever version the stream is at. */
export const ANY = 'any';
/** The version a stream must be at: its last version, NO_STREAM, or ANY. */
export type ExpectedVersion = number | typeof ANY;

/** One event to record; the store adds ledger, seq, id, stream, version, at and prev. */
export interface EventDraft {
  readonly type: string;
  readonly actor: Actor;
  readonly payload: Record<string, unknown>;
  /** Payload schema version; 1 when absent. */
  readonly schema?: number;
}

/** One stream's share of an append. */
export interface AppendRequest {
  readonly stream: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly EventDraft[];
  readonly idempotencyKey?: string | undefined;
  /**
   * What a replay under the same key must match (default: a hash of the request itself).
   * Callers whose events differ between retries of one request (fresh random IVs, say)
   * pass a hash of the request they received instead.
   */
  readonly fingerprint?: Uint8Array | undefined;
}

/** What an append recorded. A replayed idempotency key returns the original result. */
export interface AppendResult {
  readonly ledger: string;
  readonly stream: string;
  readonly firstSeq: number;
  readonly firstVersion: number;
  readonly ids: readonly string[];
  readonly at: string;
  /** Leaf hash (hex) of each recorded entry, in order. */
  readonly leaves: readonly string[];
  /** True when this call replayed an earlier append with the same idempotency key. */
  readonly replayed: boolean;
}

/** Requests that commit together or not at all; a plain append is a group of one. */
interface Group {
  readonly requests: readonly AppendRequest[];
  readonly hashes: readonly Uint8Array[];
  readonly events: number;
  readonly resolve: (r: AppendResult[]) => void;
  readonly reject: (e: unknown) => void;
}

/** A tile the batch completed, in its stored form (see TileTree.fromStored). */
interface Tile {
  readonly level: number;
  readonly idx: number;
  readonly blob: Uint8Array;
  readonly root: Uint8Array;
}

interface Head {
  readonly size: number;
  readonly head: Uint8Array;
  /** edge[L]: hashes of the incomplete tile at level L (fewer than 256). */
  readonly edge: readonly (readonly Uint8Array[])[];
}

/** A chained batch, ready to write. */
interface Planned {
  readonly generation: number;
  readonly fromSize: number;
  readonly fromHead: Uint8Array;
  readonly toSize: number;
  readonly head: Uint8Array;
  readonly rows: readonly unknown[][];
  readonly tiles: readonly Tile[];
  readonly keys: readonly [string, KeyRecord][];
  readonly settle: readonly (() => void)[];
}

interface KeyRecord {
  readonly hash: Uint8Array;
  readonly result: AppendResult;
}

/** Events per statement (PostgreSQL takes at most 65,535 parameters; 6 per entry). */
const MAX_STATEMENT_EVENTS = 4000;
/** Above this many queued events, batches are halved so chaining overlaps writing. */
const SPLIT_EVENTS = 512;
/** How many times a batch is chained again after losing the head to another process. */
const MAX_RETRIES = 50;
const CACHE_LIMIT = 200_000;
const ZERO_HEAD = new Uint8Array(32);
const NO_HASH = new Uint8Array(0);

/** Serialises and batches the appends of one ledger within this process. */
export class LedgerWriter {
  #queue: Group[] = [];
  #running = false;
  #state: Head | undefined;
  /** Next version of streams this process knows (valid while #state is). */
  readonly #streams = new Map<string, number>();
  /** Idempotency keys this process has seen. */
  readonly #keys = new Map<string, KeyRecord>();
  /** Bumped whenever the cached head is dropped, so plans made on it are not written. */
  #generation = 0;

  constructor(
    private readonly database: Database,
    readonly ledgerId: number,
    readonly origin: string,
    private readonly clock: () => Date,
    private readonly onCommit: (size: number) => void,
  ) {}

  /**
   * Queues requests that commit together (all or nothing) and resolves with one result
   * each once durably committed; rejects, storing nothing, on the first failing request.
   */
  append(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    let hashes: Uint8Array[];
    try {
      hashes = requests.map((r) =>
        r.idempotencyKey === undefined
          ? NO_HASH
          : (r.fingerprint ?? sha256(utf8(canonicalize({ stream: r.stream, expectedVersion: r.expectedVersion, events: r.events })))),
      );
    } catch (err) {
      return Promise.reject(new StoreError('INVALID_ARGUMENT', (err as Error).message));
    }
    const events = requests.reduce((n, r) => n + r.events.length, 0);
    return new Promise((resolve, reject) => {
      this.#queue.push({ requests, hashes, events, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      // While one batch's statement is in flight, the next batch is chained on top of it,
      // so canonicalising and hashing overlap the database's work. Statements still go
      // one at a time, in order.
      let inFlight: { batch: readonly Group[]; planned: Planned; written: Promise<unknown> } | undefined;
      for (;;) {
        // Let callers whose previous append just settled queue their next one, so each
        // batch carries every waiting caller instead of alternating half-full batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const batch = this.#take();
        const planned = batch && (await this.#plan(batch).catch(() => undefined));
        if (inFlight) await this.#land(inFlight);
        inFlight = undefined;
        if (!batch) {
          if (this.#queue.length === 0) return;
          continue;
        }
        if (planned && planned.generation === this.#generation) {
          inFlight = { batch, planned, written: this.#write(planned).catch((err: unknown) => err) };
        } else {
          await this.#commit(batch);
        }
      }
    } finally {
      this.#running = false;
    }
  }

  /**
   * The next batch: every queued group within the statement limit, or, when many events
   * wait, half of them. Small batches are bound by the commit, so one is best; large ones
   * by chaining, so halves let one be chained while the other is written.
   */
  #take(): Group[] | undefined {
    if (this.#queue.length === 0) return undefined;
    const queued = this.#queue.reduce((n, g) => n + g.events, 0);
    const most = queued > SPLIT_EVENTS ? Math.ceil(this.#queue.length / 2) : this.#queue.length;
    let take = 1;
    let events = this.#queue[0]!.events;
    while (take < most && events + this.#queue[take]!.events <= MAX_STATEMENT_EVENTS) {
      events += this.#queue[take]!.events;
      take++;
    }
    return this.#queue.splice(0, take);
  }

  /** Settles a batch whose statement was sent ahead; on a lost race or error it is committed again from scratch. */
  async #land({ batch, planned, written }: { batch: readonly Group[]; planned: Planned; written: Promise<unknown> }): Promise<void> {
    const outcome = await written;
    if (outcome === true) {
      this.#finish(planned);
      return;
    }
    this.#forget();
    if (outcome === false || isUniqueViolation(outcome)) await this.#commit(batch);
    else for (const g of batch) g.reject(outcome);
  }

  async #commit(batch: readonly Group[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let error: unknown;
      try {
        // First optimistically on the cached head (one statement); after losing a race,
        // under the head row's lock, so a contended ledger still makes progress.
        if (await (attempt === 0 ? this.#tryCommit(batch) : this.#commitLocked(batch))) return;
        error = new StoreError('UNAVAILABLE', `ledger ${this.origin} is contended; append not recorded`);
      } catch (err) {
        if (!isUniqueViolation(err)) {
          this.#forget();
          for (const g of batch) g.reject(err);
          return;
        }
        error = err;
      }
      this.#forget();
      if (attempt >= MAX_RETRIES) {
        for (const g of batch) g.reject(error);
        return;
      }
    }
  }

  /** Commits a batch holding the head row lock for the whole read-chain-write cycle. */
  #commitLocked(batch: readonly Group[]): Promise<boolean> {
    return this.#transaction(async (query) => {
      await query('SELECT 1 FROM ledgers WHERE id = $1 FOR UPDATE', [this.ledgerId]);
      return this.#tryCommit(batch, query);
    });
  }

  /** Runs `fn` in a transaction that commits if it returns true and rolls back if it returns false. */
  async #transaction(fn: (query: QueryFn) => Promise<boolean>): Promise<boolean> {
    try {
      return await this.database.transaction(async (query) => {
        if (!(await fn(query))) throw lostRace;
        return true;
      });
    } catch (err) {
      if (err === lostRace) return false;
      throw err;
    }
  }

  #forget(): void {
    this.#generation++;
    this.#state = undefined;
    this.#streams.clear();
    this.#keys.clear();
  }

  /**
   * Chains and writes one batch; false when another writer moved the head first. With
   * `tx`, everything runs inside that transaction (which holds the head lock).
   */
  async #tryCommit(batch: readonly Group[], tx?: QueryFn): Promise<boolean> {
    const planned = await this.#plan(batch, tx);
    if (!(await this.#write(planned, tx))) return false;
    this.#finish(planned);
    return true;
  }

  /**
   * Chains a batch onto the head this writer believes in, and moves that belief (head,
   * stream versions, keys) past the batch before it is written: a failed write forgets it.
   */
  async #plan(batch: readonly Group[], tx?: QueryFn): Promise<Planned> {
    const query: QueryFn = tx ?? ((text, params, prepare) => this.database.query(text, params, prepare));
    const generation = this.#generation;
    const state = this.#state ?? (await this.#loadHead(query));
    await this.#lookup(batch, query);

    const at = formatTime(this.clock());
    const edge = state.edge.map((t) => [...t]);
    const tiles: Tile[] = [];
    const rows: unknown[][] = [];
    const versions = new Map<string, number>();
    const keys = new Map<string, KeyRecord>();
    const settle: (() => void)[] = [];
    let size = state.size;
    let head = state.head;

    for (const group of batch) {
      const planned = this.#planGroup(group, { size, head, versions, keys, at });
      if ('error' in planned) {
        settle.push(() => group.reject(planned.error));
        continue;
      }
      for (const row of planned.rows) {
        rows.push(row);
        size++;
        pushLeaf(edge, row[4] as Uint8Array, size, tiles);
        head = row[4] as Uint8Array;
      }
      for (const [s, v] of planned.versions) versions.set(s, v);
      for (const [k, rec] of planned.keys) keys.set(k, rec);
      settle.push(() => group.resolve(planned.results));
    }

    if (generation === this.#generation) {
      this.#state = { size, head, edge };
      for (const [s, v] of versions) this.#streams.set(s, v);
      for (const [k, rec] of keys) if (!rec.result.replayed) this.#keys.set(k, rec);
      if (this.#streams.size > CACHE_LIMIT) this.#streams.clear();
      if (this.#keys.size > CACHE_LIMIT) this.#keys.clear();
    }
    const fresh = [...keys].filter(([, rec]) => !rec.result.replayed);
    return { generation, fromSize: state.size, fromHead: state.head, toSize: size, head, rows, tiles, keys: fresh, settle };
  }

  /** Reports a written (or entirely refused) batch to its callers. */
  #finish(planned: Planned): void {
    if (planned.rows.length > 0) this.onCommit(planned.toSize);
    for (const settle of planned.settle) settle();
  }

  /** Chains one group onto the batch so far, or says why the whole group is refused. */
  #planGroup(
    group: Group,
    batch: { size: number; head: Uint8Array; versions: Map<string, number>; keys: Map<string, KeyRecord>; at: string },
  ): { rows: unknown[][]; versions: Map<string, number>; keys: Map<string, KeyRecord>; results: AppendResult[] } | { error: unknown } {
    const versions = new Map<string, number>();
    const keys = new Map<string, KeyRecord>();
    const rows: unknown[][] = [];
    const results: AppendResult[] = [];
    let { size, head } = batch;
    let prevHex = prevOf(head);
    for (const [i, req] of group.requests.entries()) {
      const key = req.idempotencyKey;
      const seen = key === undefined ? undefined : (keys.get(key) ?? batch.keys.get(key) ?? this.#keys.get(key));
      if (seen) {
        if (!bytesEqual(seen.hash, group.hashes[i]!)) {
          return { error: new StoreError('IDEMPOTENCY_MISMATCH', 'idempotency key was already used for a different append', { index: i }) };
        }
        results.push({ ...seen.result, replayed: true });
        continue;
      }
      const next = versions.get(req.stream) ?? batch.versions.get(req.stream) ?? this.#streams.get(req.stream) ?? 0;
      if (req.expectedVersion !== ANY && req.expectedVersion !== next - 1) {
        return {
          error: new StoreError('CONFLICT', `stream ${req.stream} is at version ${next - 1}, not ${req.expectedVersion}`, {
            index: i,
            stream: req.stream,
            expected: req.expectedVersion,
            actual: next - 1,
          }),
        };
      }
      const firstSeq = size;
      const ids: string[] = [];
      const leaves: string[] = [];
      try {
        for (const [j, draft] of req.events.entries()) {
          const id = randomUUID();
          const { text, leaf } = sealEntry({
            ledger: this.origin,
            seq: size,
            id,
            stream: req.stream,
            version: next + j,
            type: draft.type,
            schema: draft.schema ?? 1,
            at: batch.at,
            actor: draft.actor,
            payload: draft.payload,
            prev: prevHex,
          });
          rows.push([size, req.stream, next + j, draft.type, leaf, text]);
          ids.push(id);
          prevHex = toHex(leaf);
          leaves.push(prevHex);
          head = leaf;
          size++;
        }
      } catch (err) {
        return { error: new StoreError('INVALID_ARGUMENT', (err as Error).message, { index: i }) };
      }
      versions.set(req.stream, next + req.events.length);
      const result: AppendResult = { ledger: this.origin, stream: req.stream, firstSeq, firstVersion: next, ids, at: batch.at, leaves, replayed: false };
      if (key !== undefined) keys.set(key, { hash: group.hashes[i]!, result });
      results.push(result);
    }
    return { rows, versions, keys, results };
  }

  /**
   * Writes the batch: per chunk of entries one statement that compare-and-sets the head
   * and inserts the entries (the last chunk also the completed tiles and new keys). One
   * chunk commits on its own; several share one transaction. False if the head moved.
   */
  async #write(planned: Planned, tx?: QueryFn): Promise<boolean> {
    const { rows, tiles, keys, head } = planned;
    if (rows.length === 0) return true;
    const chunks: (readonly unknown[][])[] = [];
    for (let i = 0; i < rows.length; i += MAX_STATEMENT_EVENTS) chunks.push(rows.slice(i, i + MAX_STATEMENT_EVENTS));
    const run = async (query: QueryFn): Promise<boolean> => {
      let size = planned.fromSize;
      let from = planned.fromHead;
      for (const [i, chunk] of chunks.entries()) {
        const last = i === chunks.length - 1;
        const to = size + chunk.length;
        const chunkHead = last ? head : (chunk[chunk.length - 1]![4] as Uint8Array);
        const { text, params, prepare } = this.#statement(size, from, to, chunkHead, chunk, last ? tiles : [], last ? keys : []);
        const [out] = await query<{ n: number }>(text, params, prepare);
        if (out?.n !== 1) return false;
        size = to;
        from = chunkHead;
      }
      return true;
    };
    if (tx) return run(tx);
    if (chunks.length === 1) return run((text, params, prepare) => this.database.query(text, params, prepare));
    return this.#transaction(run);
  }

  #statement(
    fromSize: number,
    fromHead: Uint8Array,
    toSize: number,
    head: Uint8Array,
    rows: readonly unknown[][],
    tiles: readonly Tile[],
    keys: readonly [string, KeyRecord][],
  ): { text: string; params: unknown[]; prepare: string | undefined } {
    const params: unknown[] = [toSize, head, fromSize, this.ledgerId, fromHead];
    const p = (v: unknown, type = ''): string => `$${params.push(v)}${type}`;
    // Only the first VALUES row needs types; PostgreSQL resolves the rest from it.
    const values = (list: readonly unknown[][], types: readonly string[]): string =>
      list.map((row, r) => `(${row.map((v, c) => p(v, r === 0 ? types[c] : '')).join(', ')})`).join(', ');
    let text = `WITH up AS (
        UPDATE ledgers SET size = $1, head = $2 WHERE id = $4 AND size = $3 AND head = $5 RETURNING id
      ), e AS (
        INSERT INTO entries (ledger_id, seq, stream, version, type, leaf, body)
        SELECT $4::int, v.* FROM (VALUES ${values(rows, ['::bigint', '::text', '::int', '::text', '::bytea', '::text'])})
          AS v(seq, stream, version, type, leaf, body)
        WHERE EXISTS (SELECT 1 FROM up)
      )`;
    if (tiles.length > 0) {
      const list = tiles.map((t) => [t.level, t.idx, t.blob, t.root]);
      text += `, t AS (
        INSERT INTO merkle_tiles (ledger_id, level, idx, hashes, root)
        SELECT $4::int, v.* FROM (VALUES ${values(list, ['::smallint', '::bigint', '::bytea', '::bytea'])}) AS v(level, idx, hashes, root)
        WHERE EXISTS (SELECT 1 FROM up)
      )`;
    }
    if (keys.length > 0) {
      const list = keys.map(([k, rec]) => [k, rec.hash, JSON.stringify(rec.result)]);
      text += `, k AS (
        INSERT INTO idempotency_keys (ledger_id, key, request_hash, result)
        SELECT $4::int, v.* FROM (VALUES ${values(list, ['::text', '::bytea', '::text'])}) AS v(key, request_hash, result)
        WHERE EXISTS (SELECT 1 FROM up)
      )`;
    }
    // The text depends only on the shape, so a shape can be prepared once per connection
    // (planning this statement costs as much as executing it). Large shapes are rare.
    const prepare = rows.length <= 512 ? `ledger_append_${rows.length}_${tiles.length}_${keys.length}` : undefined;
    return { text: text + ' SELECT count(*)::int AS n FROM up', params, prepare };
  }

  /** Reads the head row and the right edge of the tree (at most 255 hashes per level). */
  async #loadHead(query: QueryFn): Promise<Head> {
    const [row] = await query<{ size: string | number; head: Uint8Array }>('SELECT size, head FROM ledgers WHERE id = $1', [
      this.ledgerId,
    ]);
    if (!row) throw new StoreError('NOT_FOUND', `ledger ${this.origin} does not exist`);
    const size = Number(row.size);
    const edge: Uint8Array[][] = [];
    for (let level = 0, per = 1; level === 0 || per <= size; level++, per *= TILE_WIDTH) {
      const complete = Math.floor(size / per); // hashes at this level
      edge.push(await readHashes(query, this.ledgerId, level, complete - (complete % TILE_WIDTH), complete));
    }
    this.#state = { size, head: size === 0 ? ZERO_HEAD : row.head, edge };
    return this.#state;
  }

  /** Fetches the versions of streams and the idempotency keys this process has not seen yet. */
  async #lookup(batch: readonly Group[], query: QueryFn): Promise<void> {
    const requests = batch.flatMap((g) => g.requests);
    const streams = [...new Set(requests.map((r) => r.stream))].filter((s) => !this.#streams.has(s));
    const keys = [...new Set(requests.flatMap((r) => (r.idempotencyKey === undefined ? [] : [r.idempotencyKey])))].filter(
      (k) => !this.#keys.has(k),
    );
    if (streams.length === 0 && keys.length === 0) return;
    const rows = await query<{ kind: string; name: string; version: number | null; hash: Uint8Array | null; result: string | null }>(
      `SELECT 's' AS kind, s.name, (SELECT max(version) FROM entries WHERE ledger_id = $1 AND stream = s.name) AS version,
              NULL::bytea AS hash, NULL::text AS result
         FROM unnest($2::text[]) AS s(name)
       UNION ALL
       SELECT 'k', key, NULL, request_hash, result FROM idempotency_keys WHERE ledger_id = $1 AND key = ANY($3::text[])`,
      [this.ledgerId, streams, keys],
    );
    for (const row of rows) {
      if (row.kind === 's') this.#streams.set(row.name, row.version === null ? 0 : Number(row.version) + 1);
      else this.#keys.set(row.name, { hash: row.hash!, result: JSON.parse(row.result!) as AppendResult });
    }
  }
}

/** Thrown inside a transaction only to roll it back. */
const lostRace = new Error('head moved');

/** Adds a leaf to the right edge, moving every tile it completes into `tiles`. */
function pushLeaf(edge: Uint8Array[][], leaf: Uint8Array, size: number, tiles: Tile[]): void {
  let hash = leaf;
  for (let level = 0; ; level++) {
    const tile = (edge[level] ??= []);
    tile.push(hash);
    if (tile.length < TILE_WIDTH) return;
    const tree = new TileTree(packHashes(tile));
    const root = tree.root();
    tiles.push({ level, idx: Math.floor((size - 1) / TILE_WIDTH ** (level + 1)), blob: tree.packed(), root });
    edge[level] = [];
    hash = root;
  }
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}
