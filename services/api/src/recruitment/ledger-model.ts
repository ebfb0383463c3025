/**
 * An in-memory model of one ledger (a period's or the directory's state), built by
 * replaying its entries through the domain's `evolve` and kept current by reading what
 * was appended since, by this process or any other.
 */
import type { Recorded } from '@casn/domain';
import type { EventStore, StoredEntry } from '@casn/event-store';

/** How a ledger's entries turn into state. */
export interface Reducer<S, E> {
  initial(): S;
  evolve(state: S, event: E, recorded: Recorded): void;
}

interface EntryBody {
  readonly type: string;
  readonly at: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly payload: Record<string, unknown>;
}

/** Parses a stored entry into the domain's event and its recording metadata. */
export function parseEntry<E>(entry: StoredEntry): { event: E; recorded: Recorded } {
  const body = JSON.parse(entry.body) as EntryBody;
  return {
    event: { type: body.type, payload: body.payload } as E,
    recorded: { seq: entry.seq, stream: entry.stream, version: entry.version, at: body.at, actor: body.actor },
  };
}

/** One ledger's state, caught up on demand; concurrent callers share one read. */
export class LedgerModel<S, E> {
  #state: S;
  #size = 0;
  #reading: Promise<void> | undefined;
  /** When the last completed read started (ms since epoch). */
  #readAt = 0;

  constructor(
    private readonly store: EventStore,
    readonly origin: string,
    private readonly reducer: Reducer<S, E>,
  ) {
    this.#state = reducer.initial();
  }

  /** The state as of the last catch-up; callers must not mutate it. */
  get state(): S {
    return this.#state;
  }

  /** Number of entries applied. */
  get size(): number {
    return this.#size;
  }

  /** Applies every entry committed before this call (at least up to `size` when given). */
  async catchUp(size?: number): Promise<S> {
    for (;;) {
      // A read already under way may have started before what the caller needs was
      // committed: wait for it, then read again unless it went far enough.
      const ours = this.#reading === undefined;
      this.#reading ??= this.#readAll().finally(() => (this.#reading = undefined));
      await this.#reading;
      if (size !== undefined && this.#size >= size) return this.#state;
      if (ours) {
        if (size === undefined) return this.#state;
        throw new Error(`ledger ${this.origin} has ${this.#size} entries, not ${size}`);
      }
    }
  }

  /**
   * The state, caught up only if the last read started more than `maxAgeMs` ago. Writes
   * of this process are applied as they are made; this bounds how late another
   * process's writes are seen.
   */
  async recent(maxAgeMs: number): Promise<S> {
    return Date.now() - this.#readAt > maxAgeMs ? this.catchUp() : this.#state;
  }

  async #readAll(): Promise<void> {
    const started = Date.now();
    for (;;) {
      const page = await this.store.readLedger(this.origin, this.#size);
      for (const entry of page) {
        const { event, recorded } = parseEntry<E>(entry);
        this.reducer.evolve(this.#state, event, recorded);
        this.#size = entry.seq + 1;
      }
      if (page.length === 0) {
        this.#readAt = started;
        return;
      }
    }
  }
}
