import type { EventStore } from '@casn/event-store';
import { describeVerdict, type WitnessEntry } from '@casn/ledger-core';
import type { ProjectionRunner } from '@casn/projections';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { DEFAULT_SCHEDULES, DEFAULT_TIMEZONE, type WorkerSchedules } from './schedules.ts';
import { WitnessRequester, type WitnessOutcome } from './witnesses.ts';

/**
 * Runs red-flag detection on one ledger at `size` entries and resolves to the number of
 * flags newly raised, or to that number and the size the run covers (past the flags it
 * recorded itself, so they do not count as growth). Injected, so the worker does not
 * depend on the API package (see `detectionJob` in @casn/api).
 */
export interface DetectionRunner {
  run(ledger: { readonly origin: string; readonly size: number }): Promise<number | { readonly raised: number; readonly size: number }>;
}

/**
 * Appends a period's completeness commitment when the ledger grew since its last one (see
 * `completenessJob` in @casn/api); run right before each checkpoint, so the checkpoint
 * covers it.
 */
export interface CompletenessRunner {
  run(ledger: { readonly origin: string }): Promise<unknown>;
}

/** What the worker runs against and how often. */
export interface WorkerOptions {
  store: EventStore;
  runner: ProjectionRunner;
  logger: Logger;
  registry: Registry;
  schedules?: WorkerSchedules;
  timezone?: string;
  /** Red-flag detection; without it the detect job is not scheduled. */
  detection?: DetectionRunner;
  /** Completeness commitments, appended before checkpoints; without it none are. */
  completeness?: CompletenessRunner;
  /** Witnesses to ask for cosignatures after checkpoints (those with a URL) and report the lag of (default: the store's). */
  witnesses?: readonly WitnessEntry[];
  /** Timeout of one request to a witness, in milliseconds (default 10 000). */
  witnessTimeoutMs?: number;
}

/** The outcome of verifying one ledger. */
export interface LedgerVerification {
  origin: string;
  ok: boolean;
  size: number;
  detail: string;
}

/** The kinds of scheduled job. */
export type JobName = 'checkpoint' | 'catchUp' | 'verify' | 'detect';

const JOBS: readonly JobName[] = ['checkpoint', 'catchUp', 'verify', 'detect'];

function raisedCounter(registry: Registry): Counter<'ledger'> {
  const name = 'detection_flags_raised_total';
  const existing = registry.getSingleMetric(name);
  return existing instanceof Counter ? existing : new Counter({ name, help: 'Red flags raised by the detect job.', labelNames: ['ledger'], registers: [registry] });
}

function gauge(registry: Registry, name: string, help: string): Gauge<'ledger'> {
  const existing = registry.getSingleMetric(name);
  return existing instanceof Gauge ? existing : new Gauge({ name, help, labelNames: ['ledger'], registers: [registry] });
}

function failures(registry: Registry): Counter<'job'> {
  const name = 'worker_job_failures_total';
  const existing = registry.getSingleMetric(name);
  return existing instanceof Counter
    ? existing
    : new Counter({ name, help: 'Scheduled jobs (or one ledger within a job) that failed.', labelNames: ['job'], registers: [registry] });
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Runs the ledger's scheduled jobs (checkpoints, read model catch-up, nightly verification, red-flag detection) and exports their metrics. */
export class Worker {
  readonly #store: EventStore;
  readonly #runner: ProjectionRunner;
  readonly #log: Logger;
  readonly #schedules: Required<WorkerSchedules>;
  readonly #timezone: string;
  readonly #inflight = new Map<JobName, Promise<unknown>>();
  readonly #detection: DetectionRunner | undefined;
  readonly #completeness: CompletenessRunner | undefined;
  /** Per ledger: the size the last detection covered, and since when (ms) growth beyond it waits for one. */
  readonly #detected = new Map<string, { size: number; pendingSince: number | undefined }>();
  readonly #witnesses: WitnessRequester | undefined;
  #tasks: ScheduledTask[] = [];
  readonly #metrics: {
    verificationOk: Gauge<'ledger'>;
    verificationTime: Gauge<'ledger'>;
    verifiedSize: Gauge<'ledger'>;
    size: Gauge<'ledger'>;
    checkpointSize: Gauge<'ledger'>;
    lag: Gauge<'ledger'>;
    failures: Counter<'job'>;
    flagsRaised: Counter<'ledger'>;
    detectionLag: Gauge<'ledger'>;
  };

  constructor(opts: WorkerOptions) {
    this.#store = opts.store;
    this.#runner = opts.runner;
    this.#log = opts.logger;
    this.#schedules = { ...DEFAULT_SCHEDULES, ...opts.schedules };
    this.#timezone = opts.timezone ?? DEFAULT_TIMEZONE;
    this.#detection = opts.detection;
    this.#completeness = opts.completeness;
    const witnesses = opts.witnesses ?? opts.store.witnesses;
    this.#witnesses =
      witnesses.length === 0
        ? undefined
        : new WitnessRequester({ store: opts.store, witnesses, logger: opts.logger.child({ component: 'witnesses' }), registry: opts.registry, ...(opts.witnessTimeoutMs !== undefined && { timeoutMs: opts.witnessTimeoutMs }) });
    for (const job of JOBS) {
      if (!cron.validate(this.#schedules[job])) throw new Error(`schedules.${job}: ${JSON.stringify(this.#schedules[job])} is not a valid cron expression`);
    }
    const r = opts.registry;
    this.#metrics = {
      verificationOk: gauge(r, 'ledger_verification_ok', '1 when the last full verification of the ledger succeeded, 0 when it failed.'),
      verificationTime: gauge(r, 'ledger_verification_timestamp_seconds', 'When the ledger was last verified (Unix seconds).'),
      verifiedSize: gauge(r, 'ledger_verified_size', 'Entries covered by the last successful verification.'),
      size: gauge(r, 'ledger_size', 'Committed entries in the ledger.'),
      checkpointSize: gauge(r, 'ledger_checkpoint_size', 'Size of the latest signed checkpoint.'),
      lag: gauge(r, 'projection_lag_entries', 'Entries committed but not yet applied by the slowest read model.'),
      failures: failures(r),
      flagsRaised: raisedCounter(r),
      detectionLag: gauge(r, 'detection_lag_seconds', 'Seconds from when the worker saw new entries of the ledger until a detection covered them; grows while they wait.'),
    };
  }

  /** Schedules the jobs; a tick that finds the previous run of its job still going is skipped. */
  start(): void {
    if (this.#tasks.length > 0) return;
    const jobs = JOBS.filter((job) => job !== 'detect' || this.#detection !== undefined);
    this.#tasks = jobs.map((job) =>
      cron.schedule(this.#schedules[job], () => this.#tick(job), {
        name: `casn-worker-${job}`,
        timezone: this.#timezone,
        noOverlap: true,
        logger: {
          info: (m) => this.#log.debug({ job }, m),
          warn: (m) => this.#log.warn({ job }, m),
          error: (m, err) => this.#log.error({ job, err: err ?? m }, 'scheduler error'),
          debug: (m) => this.#log.debug({ job }, String(m)),
        },
      }),
    );
    this.#log.info({ schedules: this.#schedules, timezone: this.#timezone, jobs }, 'worker started');
  }

  /** Stops scheduling and waits for the jobs still running. */
  async stop(): Promise<void> {
    const tasks = this.#tasks;
    this.#tasks = [];
    for (const task of tasks) await task.destroy();
    await Promise.allSettled([...this.#inflight.values()]);
    await this.#witnesses?.idle();
    if (tasks.length > 0) this.#log.info('worker stopped');
  }

  /** Signs a checkpoint of each ledger that grew since its latest checkpoint, after appending its completeness commitment when given a runner; returns the origins signed. */
  checkpointAll(): Promise<string[]> {
    return this.#exclusive('checkpoint', async () => {
      const signed: string[] = [];
      for (const origin of await this.#store.listLedgers()) {
        try {
          await this.#completeness?.run({ origin });
        } catch (err) {
          // The checkpoint is signed all the same; the commitment waits for the next run.
          this.#metrics.failures.inc({ job: 'checkpoint' });
          this.#log.error({ ledger: origin, err }, `completeness commitment failed: ${message(err)}`);
        }
        try {
          const size = await this.#store.size(origin);
          this.#metrics.size.set({ ledger: origin }, size);
          const latest = await this.#store.latestCheckpoint(origin);
          let checkpointSize = latest?.size ?? 0;
          if (size > checkpointSize) {
            const cp = await this.#store.checkpoint(origin, size);
            checkpointSize = cp.size;
            if (cp.created) {
              signed.push(origin);
              this.#log.info({ ledger: origin, size: cp.size }, 'checkpoint signed');
            }
          }
          this.#metrics.checkpointSize.set({ ledger: origin }, checkpointSize);
        } catch (err) {
          this.#metrics.failures.inc({ job: 'checkpoint' });
          this.#log.error({ ledger: origin, err }, `checkpoint failed: ${message(err)}`);
        }
      }
      // In the background: a slow or unreachable witness never holds up checkpoints.
      this.#witnesses?.request();
      return signed;
    });
  }

  /** Asks the witnesses now for cosignatures of every ledger's latest checkpoint and waits for the answers (checkpointAll starts this without waiting). */
  witnessAll(): Promise<WitnessOutcome[]> {
    return this.#witnesses?.requestAll() ?? Promise.resolve([]);
  }

  /** Catches the read models up through the runner and records each ledger's size and lag; returns entries applied. */
  catchUp(): Promise<number> {
    return this.#exclusive('catchUp', async () => {
      const applied = await this.#runner.catchUp();
      for (const origin of await this.#store.listLedgers()) {
        const [size, position] = await Promise.all([this.#store.size(origin), this.#runner.position(origin)]);
        this.#metrics.size.set({ ledger: origin }, size);
        this.#metrics.lag.set({ ledger: origin }, Math.max(0, size - position));
      }
      return applied;
    });
  }

  /** Verifies every ledger's full chain; logs each verdict (info when ok, error with the reason/seq when not) and sets gauges. */
  verifyAll(): Promise<LedgerVerification[]> {
    return this.#exclusive('verify', async () => {
      const results: LedgerVerification[] = [];
      for (const origin of await this.#store.listLedgers()) {
        const labels = { ledger: origin };
        let result: LedgerVerification;
        let size = 0;
        try {
          size = await this.#store.size(origin);
          const verdict = await this.#store.verify(origin);
          result = { origin, ok: verdict.ok, size: verdict.ok ? verdict.size : size, detail: describeVerdict(verdict) };
          if (verdict.ok) {
            this.#log.info({ ledger: origin, size: verdict.size }, result.detail);
            this.#metrics.verifiedSize.set(labels, verdict.size);
          } else {
            const { seq, reason, expected, actual } = verdict;
            this.#log.error({ ledger: origin, seq, reason, expected, actual }, `ledger verification failed: ${result.detail}`);
          }
        } catch (err) {
          this.#metrics.failures.inc({ job: 'verify' });
          result = { origin, ok: false, size, detail: `could not verify: ${message(err)}` };
          this.#log.error({ ledger: origin, err }, `ledger verification failed: ${result.detail}`);
        }
        this.#metrics.verificationOk.set(labels, result.ok ? 1 : 0);
        this.#metrics.verificationTime.set(labels, Date.now() / 1000);
        results.push(result);
      }
      return results;
    });
  }

  /**
   * Runs red-flag detection on each ledger that grew since the size its last detection
   * covered (every ledger on the first run), at its current size; resolves to the flags
   * raised. Detection is deterministic over [0, size) and flags are keyed, so this
   * incremental path and a full re-run raise the same flags. A failing ledger is logged,
   * counted and tried again on the next run.
   */
  detectAll(): Promise<number> {
    return this.#exclusive('detect', async () => {
      const detection = this.#detection;
      if (!detection) return 0;
      let total = 0;
      for (const origin of await this.#store.listLedgers()) {
        const labels = { ledger: origin };
        const known = this.#detected.get(origin) ?? { size: 0, pendingSince: undefined };
        this.#detected.set(origin, known);
        try {
          const size = await this.#store.size(origin);
          if (size <= known.size) {
            this.#metrics.detectionLag.set(labels, 0);
            continue;
          }
          known.pendingSince ??= Date.now();
          const result = await detection.run({ origin, size });
          const { raised, size: covered } = typeof result === 'number' ? { raised: result, size } : result;
          this.#metrics.detectionLag.set(labels, (Date.now() - known.pendingSince) / 1000);
          known.size = Math.max(size, covered);
          known.pendingSince = undefined;
          total += raised;
          this.#metrics.flagsRaised.inc(labels, raised);
          if (raised > 0) this.#log.info({ ledger: origin, size, raised }, 'red flags raised');
        } catch (err) {
          this.#metrics.failures.inc({ job: 'detect' });
          if (known.pendingSince !== undefined) this.#metrics.detectionLag.set(labels, (Date.now() - known.pendingSince) / 1000);
          this.#log.error({ ledger: origin, err }, `detection failed: ${message(err)}`);
        }
      }
      return total;
    });
  }

  /** Runs a job after any run of the same kind already going. */
  async #exclusive<T>(job: JobName, fn: () => Promise<T>): Promise<T> {
    for (let running = this.#inflight.get(job); running; running = this.#inflight.get(job)) await running.catch(() => undefined);
    const run = fn();
    this.#inflight.set(job, run);
    try {
      return await run;
    } finally {
      if (this.#inflight.get(job) === run) this.#inflight.delete(job);
    }
  }

  #run(job: JobName): Promise<unknown> {
    switch (job) {
      case 'checkpoint':
        return this.checkpointAll();
      case 'catchUp':
        return this.catchUp();
      case 'verify':
        return this.verifyAll();
      case 'detect':
        return this.detectAll();
    }
  }

  /** A scheduled run: skipped while the previous one runs; a failure is logged and counted, never thrown. */
  async #tick(job: JobName): Promise<void> {
    if (this.#inflight.has(job)) {
      this.#log.debug({ job }, 'previous run still going; tick skipped');
      return;
    }
    const started = performance.now();
    try {
      const result = await this.#run(job);
      this.#log.debug({ job, ms: Math.round(performance.now() - started), result }, 'job finished');
    } catch (err) {
      this.#metrics.failures.inc({ job });
      this.#log.error({ job, err }, `job ${job} failed: ${message(err)}`);
    }
  }
}
