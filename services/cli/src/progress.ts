/** A progress line on stderr, shown only on a terminal so that logs and pipes stay clean. */
import type { Output } from './command.ts';

/** Reports the progress of one long run. */
export interface Progress {
  /** Shows `done` of `total` (throttled). */
  update(done: number, total?: number): void;
  /** Clears the line. */
  end(): void;
}

const INTERVAL_MS = 100;

/** A progress line labelled `label` on `out`, or a no-op when `out` is not a TTY. */
export function createProgress(out: Output, label: string, now: () => number = Date.now): Progress {
  if (!out.isTTY) return { update: () => undefined, end: () => undefined };
  let last = -Infinity;
  let shown = false;
  return {
    update(done, total) {
      const t = now();
      if (t - last < INTERVAL_MS && done !== total) return;
      last = t;
      shown = true;
      const of = total === undefined || total === 0 ? '' : ` of ${total} (${Math.floor((100 * done) / total)}%)`;
      // \r returns to the start of the line, ESC[K clears what a longer earlier line left.
      out.write(`\r${label}: ${done}${of}\x1b[K`);
    },
    end() {
      if (shown) out.write('\r\x1b[K');
      shown = false;
    },
  };
}
