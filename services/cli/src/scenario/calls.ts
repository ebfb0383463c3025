/**
 * Time and order of the scenario's requests: a clock the in-process server reads (moved
 * forward to each request's planned instant) and a dispatcher that sends requests in time
 * order with bounded concurrency, never two of one lane (one application, say) at once.
 */

/** The time the server decides and records with. */
export interface ScenarioClock {
  /** True when the scenario sets the server's time (in-process); false for a remote server's own clock. */
  readonly controllable: boolean;
  now(): Date;
  /** Moves the time forward to `to`; never back. A no-op when not controllable. */
  advance(to: Date): void;
}

/** A clock the scenario moves: it stands still between requests, and never goes back. */
export class SimulatedClock implements ScenarioClock {
  readonly controllable = true;
  #t: number;

  constructor(start: Date) {
    this.#t = start.getTime();
  }

  now = (): Date => new Date(this.#t);

  advance(to: Date): void {
    if (to.getTime() > this.#t) this.#t = to.getTime();
  }
}

/** The server's own wall clock (a remote server): the scenario cannot move it. */
export const WALL_CLOCK: ScenarioClock = { controllable: false, now: () => new Date(), advance: () => undefined };

/** One request of the scenario, planned at an instant. */
export interface Call {
  readonly at: Date;
  /** Calls sharing a lane (an actor, an application) run one after another, in time order. */
  readonly lanes?: readonly string[];
  run(): Promise<void>;
}

/**
 * Runs calls in time order (stable for equal instants), at most `concurrency` at once and
 * one per lane, moving the clock to each call's instant as it starts (so a call never
 * starts before an earlier one of its lanes has finished). Calls in flight see the clock
 * move on as later ones start, but never by more than `maxDriftMs`: a call waits until
 * every call planned that much earlier has finished. The first failure stops the dispatch
 * and is thrown once the calls in flight have settled.
 */
export async function runCalls(calls: readonly Call[], clock: ScenarioClock, concurrency: number, maxDriftMs = 5 * 60_000): Promise<void> {
  const ordered = calls.map((c, i) => ({ c, i })).sort((x, y) => x.c.at.getTime() - y.c.at.getTime() || x.i - y.i).map(({ c }) => c);
  const inFlight = new Map<Promise<void>, number>();
  const lanes = new Map<string, Promise<void>>();
  let failure: { error: unknown } | undefined;
  const earliest = (): number => Math.min(...inFlight.values());
  for (const call of ordered) {
    const at = call.at.getTime();
    while (inFlight.size > 0 && (inFlight.size >= concurrency || (clock.controllable && earliest() < at - maxDriftMs)) && !failure) await Promise.race(inFlight.keys());
    for (const lane of call.lanes ?? []) {
      const busy = lanes.get(lane);
      if (busy) await busy;
    }
    if (failure) break;
    clock.advance(call.at);
    const p: Promise<void> = call
      .run()
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => {
        inFlight.delete(p);
        for (const lane of call.lanes ?? []) if (lanes.get(lane) === p) lanes.delete(lane);
      });
    inFlight.set(p, at);
    for (const lane of call.lanes ?? []) lanes.set(lane, p);
  }
  await Promise.all(inFlight.keys());
  if (failure) throw failure.error;
}
