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
import { StoreError, isStoreError, type AppendRequest, type AppendResult, type EventStore } from '@casn/event-store';
import { bytesEqual } from '@casn/ledger-core';
import { LedgerModel, parseEntry } from './ledger-model.ts';

/** Where a write landed: one line per stream appended to. */
export interface WriteResult {
  readonly ledger: string;
  readonly at: string;
  /** True when the idempotency key had been used for this same request: nothing new was stored. */
  readonly replayed: boolean;
  readonly entries: { readonly seq: number; readonly id: string; readonly stream: string; readonly version: number; readonly leaf: string }[];
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
