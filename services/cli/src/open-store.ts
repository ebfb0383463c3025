/** Opening the configured database as an event store, with clear messages when it is not there. */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EventStore, KeyStore, openDatabase, type Database } from '@casn/event-store';
import { CliError } from './command.ts';
import type { CliConfig } from './config.ts';

const MIGRATE_HINT = 'run: pnpm ledger migrate';

/**
 * Opens the store of `config`. With `schema: 'required'` a missing database or schema is a
 * CliError telling the user to migrate (and an embedded database is never created on the
 * way); with `schema: 'create'` the embedded database directory is created if need be.
 */
export async function openStore(config: CliConfig, opts: { schema: 'required' | 'create' }): Promise<EventStore> {
  const db = config.database;
  if ('dataDir' in db && db.dataDir !== 'memory') {
    if (opts.schema === 'create') await mkdir(db.dataDir, { recursive: true });
    else if (!existsSync(join(db.dataDir, 'PG_VERSION'))) {
      throw new CliError(`no ledger database at ${db.dataDir}; ${MIGRATE_HINT}`);
    }
  }
  let database: Database;
  try {
    database = await openDatabase(db);
  } catch (err) {
    throw new CliError(`cannot open the database: ${messageOf(err)}`);
  }
  try {
    // The first statement also proves the server is reachable.
    const [row] = await database.query<{ ready: boolean }>(`SELECT to_regclass('ledgers') IS NOT NULL AS ready`);
    if (opts.schema === 'required' && !row?.ready) throw new CliError(`the ledger schema is missing; ${MIGRATE_HINT}`);
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err instanceof CliError ? err : new CliError(`cannot reach the database: ${messageOf(err)}`);
  }
  // With the witnesses of LEDGER_WITNESSES: the routes accept their cosignatures, the worker
  // asks them, exports list them in witnesses.vkey.
  return new EventStore(database, { keys: new KeyStore(config.keys), ...(config.witnesses !== undefined && { witnesses: config.witnesses }) });
}

/** Runs `fn` on the opened store and closes it whatever happens. */
export async function withStore<T>(config: CliConfig, opts: { schema: 'required' | 'create' }, fn: (store: EventStore) => Promise<T>): Promise<T> {
  const store = await openStore(config, opts);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function messageOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return messageOf(err.errors[0]);
  return err instanceof Error ? err.message : String(err);
}
