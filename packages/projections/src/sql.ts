import { PeriodEvents, type PeriodEvent } from '@casn/domain';
import type { ParsedEntry, QueryFn } from './types.ts';

/** A column of a bulk write: its name and SQL type. */
export type Column = readonly [name: string, type: string];

/**
 * Writes rows (objects keyed by column name) with one statement, passing them as one
 * jsonb parameter; rows whose key exists are replaced.
 */
export async function upsert(
  query: QueryFn,
  table: string,
  columns: readonly Column[],
  key: readonly string[],
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([n]) => n).join(', ');
  const defs = columns.map(([n, t]) => `${n} ${t}`).join(', ');
  const updates = columns
    .filter(([n]) => !key.includes(n))
    .map(([n]) => `${n} = EXCLUDED.${n}`)
    .join(', ');
  await query(
    `INSERT INTO ${table} (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS x(${defs})
     ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updates}`,
    [JSON.stringify(rows)],
  );
}

/** The entry as a typed period event, or undefined for a type outside the catalogue. */
export function periodEvent(entry: ParsedEntry): PeriodEvent | undefined {
  return Object.hasOwn(PeriodEvents, entry.type) ? ({ type: entry.type, payload: entry.payload } as PeriodEvent) : undefined;
}

/** A timestamp column value as ISO 8601 text. */
export function iso(value: unknown): string {
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

/** A nullable numeric column value as a number. */
export function num(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
