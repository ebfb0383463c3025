import type { PeriodEvent, PeriodEventType } from '@casn/domain';
import type { QueryFn } from '@casn/event-store';

export type { QueryFn };

/** A ledger entry with its body parsed, as projections receive it. */
export interface ParsedEntry {
  seq: number;
  stream: string;
  version: number;
  type: string;
  at: string;
  actor: { id: string; role: string };
  payload: Record<string, unknown>;
}

/** A read model kept up to date from the entries of period ledgers. */
export interface Projection {
  readonly name: string;
  /** Applies a page of entries of one ledger inside a transaction. */
  apply(query: QueryFn, ledgerId: number, entries: readonly ParsedEntry[]): Promise<void>;
  /** Deletes its rows for a ledger (rebuild). */
  reset(query: QueryFn, ledgerId: number): Promise<void>;
}

/** The payload type of one period event type. */
export type Payload<K extends PeriodEventType> = Extract<PeriodEvent, { type: K }>['payload'];
