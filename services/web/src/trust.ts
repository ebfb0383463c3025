/**
 * What this browser remembers to check the ledger against later: log keys the person pinned
 * (obtained out of band) and the last checkpoint seen per ledger, so the next visit can prove
 * the ledger only grew (a consistency proof) instead of trusting the server.
 */

const PINNED = 'casn.console.pinnedKeys';
const SEEN = 'casn.console.seenCheckpoints';

function read<T>(key: string): Record<string, T> {
  try {
    return JSON.parse(localStorage.getItem(key) ?? '{}') as Record<string, T>;
  } catch {
    return {};
  }
}

/** The pinned verifier key of a ledger origin, if any. */
export function pinnedKey(origin: string): string | undefined {
  return read<string>(PINNED)[origin];
}

/** Pins (or with undefined, unpins) the verifier key of an origin. */
export function pinKey(origin: string, vkey: string | undefined): void {
  const all = read<string>(PINNED);
  if (vkey === undefined) delete all[origin];
  else all[origin] = vkey.trim();
  localStorage.setItem(PINNED, JSON.stringify(all));
}

/** A checkpoint seen and verified before. */
export interface SeenCheckpoint {
  readonly size: number;
  readonly root: string;
  readonly at: string;
}

/** The last checkpoint of an origin this browser verified. */
export function seenCheckpoint(origin: string): SeenCheckpoint | undefined {
  return read<SeenCheckpoint>(SEEN)[origin];
}

/** Remembers a verified checkpoint of an origin (only ever a larger one). */
export function rememberCheckpoint(origin: string, cp: { size: number; root: string }): void {
  const all = read<SeenCheckpoint>(SEEN);
  const old = all[origin];
  if (old && old.size > cp.size) return;
  all[origin] = { size: cp.size, root: cp.root, at: new Date().toISOString() };
  localStorage.setItem(SEEN, JSON.stringify(all));
}
