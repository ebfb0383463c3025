/**
 * Asking witnesses for cosignatures (C2SP tlog-witness): after checkpoints are signed, each
 * configured witness with a URL that has not cosigned a ledger's latest checkpoint gets
 * `POST <url>/add-checkpoint` with a consistency proof from the last size it cosigned (as the
 * ledger knows it; a 409 answer names the witness's own, and the request is made once more from
 * there). The cosignatures it returns are verified and stored by the store, so every checkpoint
 * the ledger serves from then on carries them.
 *
 * A witness that is slow, down or refuses never blocks appends or checkpoints: requests run in
 * the background with a timeout, failures are logged and counted, and how far each witness lags
 * is exported as gauges.
 */
import type { EventStore, StoredCheckpoint } from '@casn/event-store';
import { TLOG_SIZE_CONTENT_TYPE, formatAddCheckpoint, fromBase64, type WitnessEntry } from '@casn/ledger-core';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';

/** What the requester works with. */
export interface WitnessRequesterOptions {
  readonly store: EventStore;
  /** Every configured witness (lag is reported for all); only those with a URL are asked. */
  readonly witnesses: readonly WitnessEntry[];
  readonly logger: Logger;
  readonly registry: Registry;
  /** Per request, in milliseconds (default 10 000). */
  readonly timeoutMs?: number;
}

/** The outcome of asking one witness about one ledger's latest checkpoint. */
export interface WitnessOutcome {
  readonly ledger: string;
  readonly witness: string;
  readonly size: number;
  readonly ok: boolean;
  /** What happened, e.g. 'cosigned' or 'answered 422: …' or 'unreachable: ECONNREFUSED'. */
  readonly detail: string;
}

type Labels = 'ledger' | 'witness';

function gauge(registry: Registry, name: string, help: string): Gauge<Labels> {
  const existing = registry.getSingleMetric(name);
  return existing instanceof Gauge ? existing : new Gauge({ name, help, labelNames: ['ledger', 'witness'], registers: [registry] });
}

function counter(registry: Registry, name: string, help: string): Counter<Labels> {
  const existing = registry.getSingleMetric(name);
  return existing instanceof Counter ? existing : new Counter({ name, help, labelNames: ['ledger', 'witness'], registers: [registry] });
}

const message = (err: unknown): string => {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  if (typeof cause === 'string') return cause;
  if ((err as { name?: unknown } | undefined)?.name === 'TimeoutError') return 'timed out';
  return err instanceof Error ? err.message : String(err);
};

/** Asks the configured witnesses for cosignatures of each ledger's latest checkpoint. */
export class WitnessRequester {
  readonly #store: EventStore;
  readonly #witnesses: readonly WitnessEntry[];
  readonly #log: Logger;
  readonly #timeoutMs: number;
  readonly #metrics: { lagEntries: Gauge<Labels>; lagSeconds: Gauge<Labels>; failures: Counter<Labels>; cosigned: Counter<Labels> };
  /** The run going, and the one waiting to start after it. */
  #current: Promise<WitnessOutcome[]> | undefined;
  #queued: Promise<WitnessOutcome[]> | undefined;

  constructor(opts: WitnessRequesterOptions) {
    this.#store = opts.store;
    this.#witnesses = opts.witnesses;
    this.#log = opts.logger;
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
    const r = opts.registry;
    this.#metrics = {
      lagEntries: gauge(r, 'witness_lag_entries', "Entries in the ledger's latest checkpoint beyond the largest checkpoint the witness cosigned."),
      lagSeconds: gauge(r, 'witness_lag_seconds', 'Seconds since the oldest checkpoint the witness has not cosigned was signed (0: it cosigned the latest).'),
      failures: counter(r, 'witness_request_failures_total', 'Requests to a witness that did not end with a stored cosignature (unreachable, timed out, refused).'),
      cosigned: counter(r, 'witness_cosignatures_total', 'Cosignatures a witness returned that verified and were stored.'),
    };
  }

  /**
   * The answers of the latest run asked for (waiting to start, or going), or of a new run when
   * none is: every witness with a URL that is behind a ledger's latest checkpoint is asked, then
   * the lag gauges of every witness are set. Rejects only when the store fails.
   */
  requestAll(): Promise<WitnessOutcome[]> {
    return this.#queued ?? this.#current ?? this.#next();
  }

  /**
   * Makes sure a run starts after this call (after the one going, if any; calls meanwhile share
   * it), in the background: a failure is logged, never thrown.
   */
  request(): void {
    this.#next().catch((err: unknown) => this.#log.error({ err }, `asking witnesses failed: ${message(err)}`));
  }

  /** Resolves when no run is going or waiting. */
  async idle(): Promise<void> {
    for (let p = this.#queued ?? this.#current; p !== undefined; p = this.#queued ?? this.#current) await p.catch(() => undefined);
  }

  #next(): Promise<WitnessOutcome[]> {
    if (this.#queued) return this.#queued;
    const before = this.#current;
    const run: Promise<WitnessOutcome[]> = (before ?? Promise.resolve())
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.#queued = undefined;
        this.#current = run;
        return this.#run();
      });
    if (before) this.#queued = run;
    else this.#current = run;
    run
      .finally(() => {
        if (this.#current === run) this.#current = undefined;
      })
      .catch(() => undefined);
    return run;
  }

  async #run(): Promise<WitnessOutcome[]> {
    const outcomes: WitnessOutcome[] = [];
    for (const origin of await this.#store.listLedgers()) {
      const latest = await this.#store.latestCheckpoint(origin);
      if (latest === undefined) continue;
      const before = await this.#store.witnessStatus(origin, this.#witnesses);
      await Promise.all(
        this.#witnesses.map(async (w, i) => {
          const known = before[i]?.cosignedSize;
          if (w.url === undefined || (known !== undefined && known >= latest.size)) return;
          outcomes.push(await this.#ask(origin, latest, w, w.url, known ?? 0));
        }),
      );
      for (const s of await this.#store.witnessStatus(origin, this.#witnesses)) {
        const labels = { ledger: origin, witness: s.name };
        this.#metrics.lagEntries.set(labels, s.lagEntries);
        this.#metrics.lagSeconds.set(labels, s.lagSeconds);
      }
    }
    return outcomes;
  }

  /** One add-checkpoint exchange (and one retry from the size a 409 names); never throws. */
  async #ask(origin: string, cp: StoredCheckpoint, w: WitnessEntry, url: string, knownSize: number): Promise<WitnessOutcome> {
    const witness = w.verifier.name;
    const labels = { ledger: origin, witness };
    const fail = (detail: string, err?: unknown): WitnessOutcome => {
      this.#metrics.failures.inc(labels);
      this.#log.warn({ ledger: origin, witness, size: cp.size, ...(err !== undefined && { err: { message: message(err) } }) }, `witness request failed: ${detail}`);
      return { ledger: origin, witness, size: cp.size, ok: false, detail };
    };
    let old = knownSize;
    for (let attempt = 0; ; attempt++) {
      let body: string;
      try {
        const proof = old > 0 && old < cp.size ? (await this.#store.consistencyProof(origin, old, cp.size)).hashes.map((h) => fromBase64(h)!) : [];
        body = formatAddCheckpoint({ oldSize: old, proof, checkpoint: cp.note });
      } catch (err) {
        return fail(`cannot build the request from size ${old}: ${message(err)}`, err);
      }
      let status: number;
      let type: string;
      let text: string;
      try {
        const res = await fetch(`${url}/add-checkpoint`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body,
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        status = res.status;
        type = res.headers.get('content-type') ?? '';
        text = await res.text();
      } catch (err) {
        return fail(`unreachable: ${message(err)}`, err);
      }
      if (status === 409 && type.startsWith(TLOG_SIZE_CONTENT_TYPE)) {
        const theirs = /^(0|[1-9][0-9]*)\n?$/.test(text) ? Number(text) : NaN;
        if (!Number.isSafeInteger(theirs)) return fail('answered 409 without a size');
        if (theirs > cp.size) return fail(`the witness has cosigned size ${theirs}, beyond the ledger's latest checkpoint ${cp.size}`);
        if (attempt > 0 || theirs === old) return fail(`answered 409: it last cosigned size ${theirs}`);
        old = theirs;
        continue;
      }
      if (status !== 200) return fail(`answered ${status}: ${text.trim().split('\n', 1)[0] ?? ''}`.trimEnd());
      return this.#store200(origin, cp, w, text, fail);
    }
  }

  /** Stores the cosignatures of a 200 answer; the witness's own must be among them. */
  async #store200(origin: string, cp: StoredCheckpoint, w: WitnessEntry, text: string, fail: (detail: string, err?: unknown) => WitnessOutcome): Promise<WitnessOutcome> {
    const witness = w.verifier.name;
    let own = false;
    let refusal = 'no cosignature line';
    for (const line of text.split('\n').filter((l) => l.startsWith('\u2014 '))) {
      try {
        const { stored, cosignature } = await this.#store.addCosignature(origin, cp.size, line, { witnesses: this.#witnesses });
        if (cosignature.witness !== witness || cosignature.keyId !== w.verifier.keyId.toString(16).padStart(8, '0')) continue;
        own = true;
        if (stored) this.#metrics.cosigned.inc({ ledger: origin, witness });
      } catch (err) {
        // Lines by keys the ledger does not know are ignored (C2SP tlog-witness); a bad one by a known key is noted.
        refusal = message(err);
      }
    }
    if (!own) return fail(`answered 200 without a valid cosignature by its key (${refusal})`);
    this.#log.info({ ledger: origin, witness, size: cp.size }, 'witness cosigned the checkpoint');
    return { ledger: origin, witness, size: cp.size, ok: true, detail: 'cosigned' };
  }
}
