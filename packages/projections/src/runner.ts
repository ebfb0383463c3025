import type { EventStore } from '@casn/event-store';
import { applicationsProjection } from './applications.ts';
import { formationsProjection } from './formations.ts';
import { officerActivityProjection } from './officer-activity.ts';
import { rankingsProjection } from './rankings.ts';
import { timelineProjection } from './timeline.ts';
import type { ParsedEntry, Projection, QueryFn } from './types.ts';

/** Every read model, in the order they apply a page. */
export const PROJECTIONS: readonly Projection[] = [
  applicationsProjection,
  timelineProjection,
  officerActivityProjection,
  formationsProjection,
  rankingsProjection,
];

/** Options of `ProjectionRunner`. */
export interface ProjectionRunnerOptions {
  readonly projections?: readonly Projection[];
  /** Entries per transaction (default 2000). */
  readonly pageSize?: number;
  readonly logger?: { info(obj: object, msg: string): void };
}

// First key of the transaction-scoped advisory lock that serialises the runners of a
// ledger across processes (the second key is the ledger id).
const LOCK_NAMESPACE = 0x726d_7072;

interface Progress {
  applied: number;
  /** Next seq of the slowest projection afterwards. */
  position: number;
}

interface Queue {
  tail: Promise<unknown>;
  /** A catch-up queued behind the running one and not started yet, which later callers join. */
  waiting: Promise<Progress> | undefined;
}

interface StoredRow {
  seq: unknown;
  stream: string;
  version: unknown;
  type: string;
  body: string;
}

/** Keeps the read models of every ledger up to date, page by page, one transaction per page. */
export class ProjectionRunner {
  readonly #store: EventStore;
  readonly #projections: readonly Projection[];
  readonly #names: string[];
  readonly #pageSize: number;
  readonly #logger: ProjectionRunnerOptions['logger'];
  readonly #ledgerIds = new Map<string, number>();
  readonly #periods = new Map<number, boolean>();
  readonly #queues = new Map<string, Queue>();

  constructor(store: EventStore, opts: ProjectionRunnerOptions = {}) {
    this.#store = store;
    this.#projections = opts.projections ?? PROJECTIONS;
    this.#names = this.#projections.map((p) => p.name);
    if (new Set(this.#names).size !== this.#names.length) throw new Error('projection names must be unique');
    this.#pageSize = opts.pageSize ?? 2000;
    if (!Number.isSafeInteger(this.#pageSize) || this.#pageSize < 1) throw new Error('pageSize must be a positive integer');
    this.#logger = opts.logger;
  }

  /** Applies every entry appended since each projection's position, page by page; each page and its new position commit in one transaction, so a crash never applies a page twice. Returns entries applied. */
  async catchUp(origin?: string): Promise<number> {
    let applied = 0;
    for (const o of await this.#origins(origin)) applied += (await this.#catchUpLedger(o)).applied;
    return applied;
  }

  /** Drops a projection's rows and position for the ledger(s) and catches up from seq 0. */
  async rebuild(origin?: string): Promise<number> {
    let applied = 0;
    for (const o of await this.#origins(origin)) {
      await this.#enqueue(o, () => this.#reset(o));
      applied += (await this.#catchUpLedger(o)).applied;
    }
    return applied;
  }

  /** Position (next seq) of the slowest projection for a ledger; API readers use it to wait until their own write is visible. */
  async position(origin: string): Promise<number> {
    const ledgerId = await this.#ledgerId(origin);
    if (ledgerId === undefined) return 0;
    return this.#slowest(await this.#positions((text, params) => this.#store.database.query(text, params), ledgerId));
  }

  /** Resolves once every projection of `origin` has applied entries below `size` (catching up itself), or rejects after timeoutMs. */
  async waitFor(origin: string, size: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let delay = 10;
    if ((await this.position(origin)) >= size) return;
    for (;;) {
      if ((await this.#catchUpLedger(origin)).position >= size) return;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the read models of ${origin} did not reach size ${size} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
      delay = Math.min(delay * 2, 200);
    }
  }

  async #origins(origin: string | undefined): Promise<string[]> {
    return origin === undefined ? this.#store.listLedgers() : [origin];
  }

  async #ledgerId(origin: string): Promise<number | undefined> {
    const known = this.#ledgerIds.get(origin);
    if (known !== undefined) return known;
    const [row] = await this.#store.database.query<{ id: number }>('SELECT id FROM ledgers WHERE origin = $1', [origin]);
    if (row) this.#ledgerIds.set(origin, Number(row.id));
    return row && Number(row.id);
  }

  async #positions(query: QueryFn, ledgerId: number): Promise<Map<string, number>> {
    const rows = await query<{ projection: string; position: unknown }>(
      'SELECT projection, position FROM rm_positions WHERE ledger_id = $1 AND projection = ANY($2::text[])',
      [ledgerId, this.#names],
    );
    return new Map(rows.map((r) => [r.projection, Number(r.position)]));
  }

  #slowest(positions: Map<string, number>): number {
    return Math.min(...this.#names.map((n) => positions.get(n) ?? 0));
  }

  /** Runs `fn` after everything queued for the ledger in this process. */
  #enqueue<T>(origin: string, fn: () => Promise<T>): Promise<T> {
    const queue = this.#queue(origin);
    const run = queue.tail.then(fn, fn);
    queue.tail = run.catch(() => undefined);
    return run;
  }

  #queue(origin: string): Queue {
    let queue = this.#queues.get(origin);
    if (!queue) {
      queue = { tail: Promise.resolve(), waiting: undefined };
      this.#queues.set(origin, queue);
    }
    return queue;
  }

  /** Catches a ledger up; callers arriving while one runs share the single catch-up queued after it. */
  #catchUpLedger(origin: string): Promise<Progress> {
    const queue = this.#queue(origin);
    if (queue.waiting) return queue.waiting;
    const run = this.#enqueue(origin, () => {
      queue.waiting = undefined;
      return this.#drain(origin);
    });
    queue.waiting = run;
    return run;
  }

  async #drain(origin: string): Promise<Progress> {
    const ledgerId = await this.#ledgerId(origin);
    if (ledgerId === undefined) return { applied: 0, position: 0 };
    let applied = 0;
    for (;;) {
      const page = await this.#store.database.transaction((query) => this.#page(query, ledgerId));
      applied += page.applied;
      if (page.applied < this.#pageSize) {
        if (applied > 0) this.#logger?.info({ ledger: origin, applied, position: page.position }, 'read models caught up');
        return { applied, position: page.position };
      }
    }
  }

  /** Applies the next page of a ledger and records the projections' new positions, in the caller's transaction. */
  async #page(query: QueryFn, ledgerId: number): Promise<Progress> {
    await query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, ledgerId]);
    const positions = await this.#positions(query, ledgerId);
    const from = this.#slowest(positions);
    const rows = await query<StoredRow>(
      'SELECT seq, stream, version, type, body FROM entries WHERE ledger_id = $1 AND seq >= $2 AND seq < $3 ORDER BY seq',
      [ledgerId, from, from + this.#pageSize],
    );
    // Entries commit in seq order; never step over a gap all the same.
    let end = from;
    while (end - from < rows.length && Number(rows[end - from]!.seq) === end) end++;
    if (end === from) return { applied: 0, position: from };
    const period = await this.#isPeriod(query, ledgerId, rows);
    const entries = period ? rows.slice(0, end - from).map(parse) : [];
    for (const projection of this.#projections) {
      const at = positions.get(projection.name) ?? 0;
      if (at >= end) continue;
      const mine = entries.filter((e) => e.seq >= at);
      if (mine.length > 0) await projection.apply(query, ledgerId, mine);
    }
    const moved = this.#names.filter((n) => (positions.get(n) ?? 0) < end);
    await query(
      `INSERT INTO rm_positions (projection, ledger_id, position) SELECT unnest($1::text[]), $2::integer, $3::bigint
       ON CONFLICT (projection, ledger_id) DO UPDATE SET position = EXCLUDED.position`,
      [moved, ledgerId, end],
    );
    for (const n of moved) positions.set(n, end);
    return { applied: end - from, position: this.#slowest(positions) };
  }

  /** Whether a ledger is a period ledger (its entry 0 is PeriodOpened); the directory and others are skipped. */
  async #isPeriod(query: QueryFn, ledgerId: number, page: readonly StoredRow[]): Promise<boolean> {
    const known = this.#periods.get(ledgerId);
    if (known !== undefined) return known;
    const first = Number(page[0]!.seq) === 0 ? page[0] : (await query<StoredRow>('SELECT type FROM entries WHERE ledger_id = $1 AND seq = 0', [ledgerId]))[0];
    const period = first?.type === 'PeriodOpened';
    this.#periods.set(ledgerId, period);
    return period;
  }

  async #reset(origin: string): Promise<void> {
    const ledgerId = await this.#ledgerId(origin);
    if (ledgerId === undefined) return;
    await this.#store.database.transaction(async (query) => {
      await query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, ledgerId]);
      for (const projection of this.#projections) await projection.reset(query, ledgerId);
      await query('DELETE FROM rm_positions WHERE ledger_id = $1 AND projection = ANY($2::text[])', [ledgerId, this.#names]);
    });
  }
}

function parse(row: StoredRow): ParsedEntry {
  const body = JSON.parse(row.body) as { at: string; actor: { id: string; role: string }; payload: Record<string, unknown> };
  return {
    seq: Number(row.seq),
    stream: row.stream,
    version: Number(row.version),
    type: row.type,
    at: body.at,
    actor: { id: body.actor.id, role: body.actor.role },
    payload: body.payload,
  };
}
