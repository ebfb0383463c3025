/** Schema migrations with Kysely's migrator; migrations are frozen once shipped. */
import { createHash } from 'node:crypto';
import { Migrator, type Migration, type MigrationResult } from 'kysely';
import type { Database } from './db.ts';
import * as m0 from './migrations/2026-11-22T0000-ledger.ts';
import * as m1 from './migrations/2026-11-22T0100-personal-data.ts';
import * as m2 from './migrations/2026-11-22T0200-access.ts';
import * as m3 from './migrations/2026-11-22T0300-projections.ts';
import * as m4 from './migrations/2026-11-22T0400-witness.ts';

// Listed here (not read from a directory) so they ship with the code, whatever runs it.
const migrations: Record<string, Migration> = {
  '2026-11-22T0000-ledger': m0,
  '2026-11-22T0100-personal-data': m1,
  '2026-11-22T0200-access': m2,
  '2026-11-22T0300-projections': m3,
  '2026-11-22T0400-witness': m4,
};

/** Brings the schema up to date; returns each migration's result, throws on the first failure. */
export async function migrateToLatest(database: Database): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
  return results;
}

/** A short fingerprint of the migrations this code knows (names and code), e.g. to key a cached template. */
export function schemaFingerprint(): string {
  const text = Object.keys(migrations)
    .sort()
    .map((name) => `${name}\n${migrations[name]!.up.toString()}`)
    .join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
