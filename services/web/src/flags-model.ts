/** Red flags as the API serves them, and the detectors' names in both languages. */
import { get, ledgerPath, periodPath } from './api.ts';

export type Severity = 'high' | 'medium' | 'low';
export type FlagStatus = 'open' | 'confirmed' | 'dismissed' | 'referred';

export interface Disposition {
  readonly status: Exclude<FlagStatus, 'open'>;
  readonly reason: string;
  readonly reference: string | null;
  readonly seq: number;
  readonly at: string;
  readonly actorId: string;
}

/** GET …/flags items. */
export interface FlagView {
  readonly flagId: string;
  readonly detector: string;
  readonly version: string;
  readonly config: string;
  readonly severity: Severity;
  readonly key: string;
  readonly checkpoint: { readonly size: number; readonly root: string; readonly directory?: { readonly size: number; readonly root: string } };
  readonly entries: readonly number[];
  readonly actors: readonly string[];
  readonly applications: readonly string[];
  readonly formationId: string | null;
  readonly facts: Readonly<Record<string, string | number | boolean>>;
  readonly status: FlagStatus;
  readonly raised: { readonly seq: number; readonly at: string; readonly actorId: string };
  readonly disposition: Disposition | null;
}

/** GET …/flags/{flag}. */
export interface FlagDetail extends FlagView {
  readonly explanation: { readonly id: string; readonly en: string };
  readonly dispositions: readonly Disposition[];
  readonly evidence: readonly {
    readonly seq: number;
    readonly body: string;
    readonly leaf: string;
    readonly proof: { readonly index: number; readonly size: number; readonly leafHash: string; readonly hashes: readonly string[]; readonly root: string };
  }[];
}

/** Server-side filters of the flag list. */
export interface FlagFilters {
  readonly severity?: string | undefined;
  readonly detector?: string | undefined;
  readonly formation?: string | undefined;
  readonly actor?: string | undefined;
  readonly status?: string | undefined;
}

/** The most flags the dashboard loads for its charts (20 pages of 500). */
export const FLAG_LOAD_LIMIT = 10_000;

/** Every flag matching the filters, page by page (the API filters; at most FLAG_LOAD_LIMIT). */
export async function loadFlags(period: string, filters: FlagFilters): Promise<{ items: FlagView[]; truncated: boolean }> {
  const items: FlagView[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await get<{ items: FlagView[]; next: string | null }>(periodPath(period, 'flags'), { ...filters, limit: 500, after });
    items.push(...page.items);
    if (page.next === null) return { items, truncated: false };
    if (items.length >= FLAG_LOAD_LIMIT) return { items, truncated: true };
    after = page.next;
  }
}

// Entries never change once recorded, so their times are kept for the whole visit.
const entryTimes = new Map<string, string>();

/** The time (`at`) of entry `seq` of a period's ledger. */
export async function entryTime(period: string, seq: number): Promise<string> {
  const key = `${period}#${seq}`;
  const known = entryTimes.get(key);
  if (known !== undefined) return known;
  const entry = await get<{ seq: number; body: string }>(ledgerPath(period, 'entries', seq));
  const at = (JSON.parse(entry.body) as { at: string }).at;
  entryTimes.set(key, at);
  return at;
}

/** Runs `fn` over `items` with at most `limit` at a time; resolves to the results in order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>, onDone?: (n: number) => void): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
      onDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
