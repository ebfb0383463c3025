/**
 * The recruitment service: decides commands against the current state of a period (or
 * of the directory of agencies and actors) and appends what they decide, all or nothing,
 * with idempotent retries. Only services talk to the store; the domain stays pure.
 */
import {
  DomainError,
  decide,
  decideDirectory,
  evolve,
  evolveDirectory,
  initialDirectoryState,
  initialPeriodState,
  isDomainError,
  type Actor,
  type DirectoryCommand,
  type DirectoryEvent,
  type DirectoryState,
  type PeriodCommand,
  type PeriodEvent,
  type PeriodState,
} from '@casn/domain';
import { StoreError, isStoreError, type AppendRequest, type AppendResult, type EventStore, type StoredCheckpoint } from '@casn/event-store';
import { bytesEqual, formatReceipt, fromBase64, toBase64 } from '@casn/ledger-core';
import { LedgerModel, parseEntry } from './ledger-model.ts';

/** Where a write landed: one line per stream appended to. */
export interface WriteResult {
  readonly ledger: string;
  readonly at: string;
  /** True when the idempotency key had been used for this same request: nothing new was stored. */
  readonly replayed: boolean;
  readonly entries: { readonly seq: number; readonly id: string; readonly stream: string; readonly version: number; readonly leaf: string }[];
}

/** A write result with an offline receipt for each entry it recorded (docs/ledger-format.md, "Receipts"). */
export interface ReceiptedWriteResult extends WriteResult {
  /** One C2SP tlog-proof receipt per element of `entries`, in the same order, all against one signed checkpoint. */
  readonly receipts: string[];
}

/** What makes a write request safe to retry. */
export interface WriteRequest {
  readonly idempotencyKey: string;
  /** A hash of the request as received; a replay with another request under the same key is refused. */
  readonly fingerprint: Uint8Array;
}

/** A period known to this service. */
export interface PeriodInfo {
  readonly periodId: string;
  readonly origin: string;
  readonly agency: string;
  readonly year: number;
  readonly kind: 'CPNS' | 'PPPK';
}

export interface RecruitmentServiceOptions {
  readonly store: EventStore;
  /** Origin of the directory ledger (agencies, actors, declared relatives). */
  readonly directoryOrigin: string;
  /** A period's ledger origin is `<originBase>/<periodId>`. */
  readonly originBase: string;
  readonly clock?: () => Date;
}

const RETRIES = 3;
/** How long a ledger whose log key is missing is not asked to sign again. */
const KEY_MISSING_RETRY_MS = 10_000;
/**
 * Signings of one ledger's checkpoints for receipts that may run at once. Why one: a second
 * made http-score-64 no faster (each signing is a chain of queries on the same busy pool) and
 * stores twice the checkpoints.
 */
const SIGNINGS_IN_FLIGHT = 1;
/** Entries of one receipt batch at most this far apart are read in one query. */
const BODY_RUN_GAP = 256;
/** How old a ledger's state may be before a write reads what other processes appended. */
const STALE_MS = 1000;

/** Decides the appends of a request against a state (throws DomainError). */
type Decider<S, E> = (state: S) => readonly { stream: string; expectedVersion: number; events: readonly E[] }[];

/** Commands of a batch that the domain refused; nothing of the batch was recorded. */
export class BatchError extends Error {
  override readonly name = 'BatchError';
  constructor(readonly failures: readonly { readonly index: number; readonly error: DomainError }[]) {
    super(`${failures.length} command(s) refused; nothing was recorded`);
  }
}

/** Records recruitment commands in the ledgers of one database. */
export class RecruitmentService {
  readonly store: EventStore;
  readonly directory: LedgerModel<DirectoryState, DirectoryEvent>;
  readonly #periods = new Map<string, { info: PeriodInfo; model: LedgerModel<PeriodState, PeriodEvent> }>();
  readonly #clock: () => Date;
  /** Issues receipts and signs the checkpoints they are proved against (created on first use). */
  #receiptIssuer: ReceiptIssuer | undefined;

  constructor(private readonly options: RecruitmentServiceOptions) {
    this.store = options.store;
    this.#clock = options.clock ?? (() => new Date());
    this.directory = new LedgerModel(options.store, options.directoryOrigin, { initial: initialDirectoryState, evolve: evolveDirectory });
  }

  /** Creates the directory ledger if needed and finds the periods already recorded. */
  async init(): Promise<void> {
    await this.store.createLedger(this.options.directoryOrigin);
    await this.directory.catchUp();
    for (const origin of await this.store.listLedgers()) {
      if (origin !== this.options.directoryOrigin) await this.#discover(origin);
    }
  }

  /** Periods in id order. */
  periods(): PeriodInfo[] {
    return [...this.#periods.values()].map((p) => p.info).sort((a, b) => a.periodId.localeCompare(b.periodId));
  }

  /** A period by id (one another process opened is found too); throws DomainError NOT_FOUND. */
  async period(periodId: string): Promise<PeriodInfo> {
    return (await this.#period(periodId)).info;
  }

  /** A period's state, caught up with everything committed. */
  async periodState(periodId: string): Promise<PeriodState> {
    return (await this.#period(periodId)).model.catchUp();
  }

  /** The directory's state, caught up with everything committed. */
  directoryState(): Promise<DirectoryState> {
    return this.directory.catchUp();
  }

  /** The acting actor as the directory knows them; throws DomainError 'actor-inactive' if unknown or deactivated. */
  async actor(actorId: string): Promise<Actor> {
    const state = await this.directory.recent(STALE_MS);
    const actor = state.actors.get(actorId);
    if (!actor?.active) throw new DomainError('actor-inactive', 'the acting actor is not registered or was deactivated', { field: 'actor' });
    return { id: actorId, role: actor.role, agency: actor.agency };
  }

  /**
   * Decides and records a command of a period as `actor`. OpenPeriod creates the period's
   * ledger. Officers, supervisors and the portal act only within their agency. A command
   * may be given as a function (e.g. one that seals personal data), called once, before
   * deciding.
   */
  async executePeriod(periodId: string, given: PeriodCommand | (() => Promise<PeriodCommand>), actor: Actor, request: WriteRequest): Promise<WriteResult> {
    if (typeof given !== 'function' && given.type === 'OpenPeriod' && !this.#periods.has(periodId)) {
      const command = given;
      const origin = `${this.options.originBase}/${periodId}`;
      const info: PeriodInfo = { periodId, origin, agency: command.agency.code, year: command.year, kind: command.kind };
      const entry = { info, model: new LedgerModel(this.store, origin, { initial: initialPeriodState, evolve }) };
      this.#checkScope(actor, info);
      await this.store.createLedger(origin);
      const result = await this.#execute(entry.model, request, actor, false, () => (state) => decide(state, command, this.#context(actor)).appends);
      // Listed only once opened: a refused OpenPeriod leaves no period behind.
      if (!this.#periods.has(periodId)) this.#periods.set(periodId, entry);
      return result;
    }
    const { info, model } = await this.#period(periodId);
    this.#checkScope(actor, info);
    return this.#execute(model, request, actor, typeof given === 'function', async () => {
      const command = typeof given === 'function' ? await given() : given;
      return (state) => decide(state, command, this.#context(actor)).appends;
    });
  }

  /** The result recorded for this request in a period, if it was recorded before (a different request under its key throws). */
  async replayed(periodId: string, actor: Actor, request: WriteRequest): Promise<WriteResult | undefined> {
    const { info, model } = await this.#period(periodId);
    this.#checkScope(actor, info);
    return this.#recorded(model.origin, request);
  }

  /**
   * `result` with an offline receipt for each of its entries, against one signed checkpoint
   * covering them all. A fresh write's checkpoint is signed now, one signing shared by every
   * write waiting at that moment (group commit); a replay's is the latest stored one covering
   * its entries. When this process has no log key for the ledger (StoreError KEY_MISSING) the
   * receipts are empty: the entries are recorded all the same, and the receipt route gives
   * them once a key is configured.
   */
  async withReceipts(result: WriteResult): Promise<ReceiptedWriteResult> {
    if (result.entries.length === 0) return { ...result, receipts: [] };
    try {
      const { receipts } = await this.#receipts.issue(result.ledger, result.entries.map((e) => e.seq), !result.replayed);
      return { ...result, receipts };
    } catch (err) {
      // Failing a write that is already recorded would only make the client retry it.
      if (isStoreError(err) && err.code === 'KEY_MISSING') return { ...result, receipts: [] };
      throw err;
    }
  }

  /**
   * The offline receipt of entry `seq` of ledger `origin`, against the latest stored checkpoint
   * covering it, or one signed now (shared with concurrent callers) when none does. Throws
   * StoreError NOT_FOUND when the ledger or the entry does not exist.
   */
  async receipt(origin: string, seq: number): Promise<{ receipt: string; checkpoint: StoredCheckpoint }> {
    const { receipts, checkpoint } = await this.#receipts.issue(origin, [seq], false);
    return { receipt: receipts[0]!, checkpoint };
  }

  /** The service's time (the domain's `now`). */
  now(): Date {
    return this.#clock();
  }

  #checkScope(actor: Actor, period: PeriodInfo): void {
    if (actor.agency !== null && actor.agency !== period.agency) {
      throw new DomainError('agency-scope', 'the actor acts for another agency', { field: 'period' });
    }
  }

  /**
   * Decides many commands of a period against the same state and records them all in one
   * atomic append, or none: a BatchError lists every refused command by index.
   */
  async executePeriodBatch(
    periodId: string,
    prepare: () => Promise<readonly PeriodCommand[]>,
    actor: Actor,
    request: WriteRequest,
  ): Promise<WriteResult> {
    const { info, model } = await this.#period(periodId);
    this.#checkScope(actor, info);
    const ctx = this.#context(actor);
    return this.#execute(model, request, actor, true, async () => {
      const commands = await prepare();
      return (state) => {
      const failures: { index: number; error: DomainError }[] = [];
      const appends = commands.flatMap((command, index) => {
        try {
          return decide(state, command, ctx).appends;
        } catch (error) {
          if (!isDomainError(error)) throw error;
          failures.push({ index, error });
          return [];
        }
      });
      if (failures.length > 0) throw new BatchError(failures);
      return appends;
      };
    });
  }

  /** Decides and records a directory command (agencies, actors, relatives); a function command as in `executePeriod`. */
  executeDirectory(given: DirectoryCommand | (() => Promise<DirectoryCommand>), actor: Actor, request: WriteRequest): Promise<WriteResult> {
    return this.#execute(this.directory, request, actor, typeof given === 'function', async () => {
      const command = typeof given === 'function' ? await given() : given;
      return (state) => decideDirectory(state, command, this.#context(actor)).appends;
    });
  }

  get #receipts(): ReceiptIssuer {
    return (this.#receiptIssuer ??= new ReceiptIssuer(this.store));
  }

  #context(actor: Actor) {
    return { actor, now: this.#clock().toISOString() };
  }

  async #execute<S, E extends { type: string; payload: object }>(
    model: LedgerModel<S, E>,
    request: WriteRequest,
    actor: Actor,
    replayFirst: boolean,
    prepare: () => Decider<S, E> | Promise<Decider<S, E>>,
  ): Promise<WriteResult> {
    // Preparing may be costly or leave traces (sealing mints a subject key): a retry of a
    // recorded request is then answered before preparing. Others look only when refused.
    const early = replayFirst ? await this.#recorded(model.origin, request) : undefined;
    if (early) return early;
    const decideOn = await prepare();
    let state = await model.recent(STALE_MS);
    let fresh = false;
    for (let attempt = 1; ; attempt++) {
      let appends;
      try {
        appends = decideOn(state);
      } catch (err) {
        if (!isDomainError(err) && !(err instanceof BatchError)) throw err;
        // A retried request may be refused by what it recorded itself: answer it as a replay.
        const recorded = await this.#recorded(model.origin, request);
        if (recorded) return recorded;
        // Another process may have recorded what this command needs: decide once more on fresh state.
        if (fresh) throw err;
        state = await model.catchUp();
        fresh = true;
        continue;
      }
      const requests: AppendRequest[] = appends.map((a, i) => ({
        stream: a.stream,
        expectedVersion: a.expectedVersion,
        events: a.events.map((e) => ({ type: e.type, actor: { id: actor.id, role: actor.role }, payload: e.payload as Record<string, unknown> })),
        // Every request carries the key (numbered after the first), so a replay returns them all.
        idempotencyKey: i === 0 ? request.idempotencyKey : `${request.idempotencyKey}#${i}`,
        fingerprint: request.fingerprint,
      }));
      try {
        const results = await this.store.appendAll(model.origin, requests);
        const last = results[results.length - 1]!;
        await model.catchUp(last.firstSeq + last.ids.length);
        return toWriteResult(model.origin, results);
      } catch (err) {
        // Another writer moved a stream since our state was read: decide again on fresh state.
        if (!(isStoreError(err) && err.code === 'CONFLICT' && attempt < RETRIES)) throw err;
        state = await model.catchUp();
        fresh = true;
      }
    }
  }

  async #recorded(origin: string, request: WriteRequest): Promise<WriteResult | undefined> {
    const recorded = await this.store.recordedAppends(origin, request.idempotencyKey).catch(ignoreMissingLedger);
    if (!recorded?.length) return undefined;
    if (!bytesEqual(recorded[0]!.fingerprint, request.fingerprint)) {
      throw new StoreError('IDEMPOTENCY_MISMATCH', 'this Idempotency-Key was already used for a different request', { field: 'Idempotency-Key' });
    }
    return toWriteResult(origin, recorded.map((r) => r.result));
  }

  async #period(periodId: string) {
    if (!this.#periods.has(periodId)) await this.#discover(`${this.options.originBase}/${periodId}`).catch(ignoreMissingLedger);
    const entry = this.#periods.get(periodId);
    if (!entry) throw new DomainError('period-not-open', `period ${periodId} does not exist`, { code: 'NOT_FOUND', field: 'period' });
    return entry;
  }

  async #discover(origin: string): Promise<void> {
    const [first] = await this.store.readLedger(origin, 0, 1);
    if (!first) return;
    const { event } = parseEntry<PeriodEvent>(first);
    if (event.type !== 'PeriodOpened') return;
    const p = event.payload;
    const info: PeriodInfo = { periodId: p.periodId, origin, agency: p.agency.code, year: p.year, kind: p.kind };
    this.#periods.set(p.periodId, { info, model: new LedgerModel(this.store, origin, { initial: initialPeriodState, evolve }) });
  }
}

function ignoreMissingLedger(err: unknown): undefined {
  if (isStoreError(err) && err.code === 'NOT_FOUND') return undefined;
  throw err;
}

function toWriteResult(ledger: string, results: readonly AppendResult[]): WriteResult {
  return {
    ledger,
    at: results[0]!.at,
    replayed: results.every((r) => r.replayed),
    entries: results.flatMap((r) =>
      r.ids.map((id, i) => ({ seq: r.firstSeq + i, id, stream: r.stream, version: r.firstVersion + i, leaf: r.leaves[i]! })),
    ),
  };
}

/** Receipts of one signing: the checkpoint and the bodies of the entries its callers asked for. */
interface Signed {
  readonly checkpoint: StoredCheckpoint;
  readonly bodies: ReadonlyMap<number, string>;
}

/** Callers waiting for the next signing of a ledger: the entries they want receipts of. */
interface Batch {
  readonly seqs: number[];
  readonly done: Promise<Signed>;
  readonly resolve: (signed: Signed) => void;
  readonly reject: (err: unknown) => void;
}

/** The signings of one ledger: how many run, the batch waiting to start, and a missing key. */
interface LedgerReceipts {
  active: number;
  next?: Batch | undefined;
  keyMissing?: { until: number; error: Error } | undefined;
}

/**
 * Receipts, with the checkpoints they are proved against signed group-commit style: per
 * ledger at most one signing runs; callers arriving meanwhile join the next one, which signs
 * a checkpoint covering all their entries and reads all their bodies in one query. A burst of
 * concurrent writes thus costs one signature, one stored checkpoint and one read, not one per
 * write; the inclusion proofs at that size then come from the store's cached tiles.
 */
class ReceiptIssuer {
  readonly #ledgers = new Map<string, LedgerReceipts>();

  constructor(private readonly store: EventStore) {}

  /**
   * Receipts of entries `seqs` of `origin` (committed, else NOT_FOUND), all against one
   * checkpoint. `fresh`: just appended, so no stored checkpoint is looked for; otherwise the
   * latest stored one is used when it covers them all.
   */
  async issue(origin: string, seqs: readonly number[], fresh: boolean): Promise<{ receipts: string[]; checkpoint: StoredCheckpoint }> {
    const end = Math.max(...seqs) + 1;
    let signed: Signed | undefined;
    if (!fresh) {
      const latest = await this.store.latestCheckpoint(origin);
      if (latest && latest.size >= end) signed = { checkpoint: latest, bodies: await this.#bodies(origin, seqs) };
    }
    signed ??= await this.#join(origin, seqs);
    const { checkpoint, bodies } = signed;
    const root = toBase64(checkpoint.root);
    const receipts: string[] = [];
    for (const seq of seqs) {
      const entry = bodies.get(seq);
      if (entry === undefined) throw new StoreError('NOT_FOUND', `no entry ${seq} in ${origin}`, { ledger: origin, field: 'seq' });
      // After the signing, every proof at its size is answered from the store's cached tiles.
      const proof = await this.store.inclusionProof(origin, seq, checkpoint.size);
      // A guard, not a verification: the receipt's checker recomputes all of it.
      if (proof.root !== root) throw new Error(`the tree of ${origin} at size ${checkpoint.size} does not match its signed checkpoint`);
      receipts.push(formatReceipt({ entry, index: seq, proof: proof.hashes.map((h) => fromBase64(h)!), checkpoint: checkpoint.note }));
    }
    return { receipts, checkpoint };
  }

  #join(origin: string, seqs: readonly number[]): Promise<Signed> {
    let state = this.#ledgers.get(origin);
    if (!state) this.#ledgers.set(origin, (state = { active: 0 }));
    // Join the signing that has not started yet; one already running may have read its size before our entries committed.
    if (state.next) {
      state.next.seqs.push(...seqs);
      return state.next.done;
    }
    // A process without the ledger's key stays without it for a while: do not ask the database again for every write.
    if (state.keyMissing && Date.now() < state.keyMissing.until) return Promise.reject(state.keyMissing.error);
    let settle!: { resolve: (s: Signed) => void; reject: (e: unknown) => void };
    const done = new Promise<Signed>((resolve, reject) => (settle = { resolve, reject }));
    state.next = { seqs: [...seqs], done, ...settle };
    // Started on a microtask, so that callers of the same tick join this signing.
    const s = state;
    queueMicrotask(() => this.#start(origin, s));
    return done;
  }

  /** Starts the waiting signing of a ledger when fewer than SIGNINGS_IN_FLIGHT run. */
  #start(origin: string, s: LedgerReceipts): void {
    const batch = s.next;
    if (!batch || s.active >= SIGNINGS_IN_FLIGHT) return;
    s.next = undefined;
    s.active++;
    void this.#sign(origin, s, batch.seqs)
      .then(batch.resolve, batch.reject)
      .finally(() => {
        s.active--;
        this.#start(origin, s);
      });
  }

  async #sign(origin: string, s: LedgerReceipts, seqs: readonly number[]): Promise<Signed> {
    try {
      // A size the caller knows is committed spares the store a query for the current one.
      const [checkpoint, bodies] = await Promise.all([this.store.checkpoint(origin, Math.max(...seqs) + 1), this.#bodies(origin, seqs)]);
      s.keyMissing = undefined;
      return { checkpoint, bodies };
    } catch (err) {
      if (isStoreError(err) && err.code === 'KEY_MISSING') s.keyMissing = { until: Date.now() + KEY_MISSING_RETRY_MS, error: err };
      if (isStoreError(err) && err.code === 'INVALID_ARGUMENT' && err.details.field === 'size') {
        throw new StoreError('NOT_FOUND', `no such entry in ${origin}`, { ledger: origin, field: 'seq' });
      }
      throw err;
    }
  }

  /** Bodies of the given entries, one query per run of nearby seqs. */
  async #bodies(origin: string, seqs: readonly number[]): Promise<Map<number, string>> {
    const sorted = [...new Set(seqs)].sort((a, b) => a - b);
    const runs: [number, number][] = [];
    for (const seq of sorted) {
      const last = runs[runs.length - 1];
      if (last && seq - last[1] <= BODY_RUN_GAP) last[1] = seq;
      else runs.push([seq, seq]);
    }
    const pages = await Promise.all(runs.map(([from, to]) => this.store.readLedger(origin, from, to - from + 1)));
    const wanted = new Set(sorted);
    return new Map(pages.flat().filter((e) => wanted.has(e.seq)).map((e) => [e.seq, e.body]));
  }
}
