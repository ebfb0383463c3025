/**
 * One database handle over either a PostgreSQL server (node-postgres pool) or an
 * embedded PGlite database, both speaking the same SQL through Kysely.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PostgresDialect, type Generated } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { StoreError } from './errors.ts';

/** Tables of the ledger schema, as Kysely sees them. */
export interface LedgerSchema {
  ledgers: {
    id: Generated<number>;
    origin: string;
    size: Generated<string>;
    head: Generated<Uint8Array>;
    vkey: string | null;
    created_at: Generated<Date>;
  };
  entries: {
    ledger_id: number;
    seq: string;
    stream: string;
    version: number;
    type: string;
    leaf: Uint8Array;
    body: string;
  };
  merkle_tiles: { ledger_id: number; level: number; idx: string; hashes: Uint8Array; root: Uint8Array };
  idempotency_keys: { ledger_id: number; key: string; request_hash: Uint8Array; result: string };
  checkpoints: { ledger_id: number; size: string; root: Uint8Array; note: string; created_at: Generated<Date> };
}

/** Runs one parameterised statement and returns its rows (see `Database.query`). */
export type QueryFn = <R>(text: string, params?: readonly unknown[], prepare?: string) => Promise<R[]>;

/** Which engine a handle talks to. */
export type DatabaseKind = 'postgres' | 'pglite';

/** An open database: Kysely over the schema, plus raw statement execution for the hot path. */
export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Kysely<LedgerSchema>;
  /**
   * Runs one parameterised statement (a single round trip) and returns its rows. A
   * `prepare` name makes PostgreSQL keep the plan per connection; the name must always
   * stand for the same text.
   */
  query<R>(text: string, params?: readonly unknown[], prepare?: string): Promise<R[]>;
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (query: QueryFn) => Promise<T>): Promise<T>;
  /** PGlite only: a tarball of the data directory. */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

/** Where to connect: a PostgreSQL URL, or an embedded PGlite data directory (or memory). */
export type DatabaseConfig =
  | { readonly url: string; readonly poolSize?: number }
  /** A directory path, or 'memory' for a throwaway database. */
  | { readonly dataDir: string };

// bigint (int8) arrives as a string by default; ledger sizes stay far below 2^53, so
// numbers are safe and spare every caller a conversion.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Opens a database from its configuration; the caller closes it. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if ('url' in config) {
    const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 20 });
    // An idle client that errors (server restart) must not crash the process.
    pool.on('error', () => undefined);
    const db = new Kysely<LedgerSchema>({ dialect: new PostgresDialect({ pool }) });
    return {
      kind: 'postgres',
      db,
      async query<R>(text: string, params: readonly unknown[] = [], prepare?: string) {
        const values = params as unknown[];
        const res = await (prepare ? pool.query({ name: prepare, text, values }) : pool.query(text, values));
        return res.rows as R[];
      },
      transaction: (fn) => transaction(db, fn),
      async close() {
        await db.destroy();
        // Kysely ends the pool only if it ever used it; raw queries may have been the only users.
        if (!pool.ended) await pool.end();
      },
    };
  }
  if (config.dataDir === 'memory') return openPGlite(new PGlite());
  const unlock = lockDataDir(config.dataDir);
  const lite = new PGlite(config.dataDir);
  try {
    await lite.waitReady;
  } catch (err) {
    unlock();
    throw err;
  }
  const database = openPGlite(lite);
  return {
    ...database,
    async close() {
      await database.close();
      unlock();
    },
  };
}

/**
 * Claims an embedded data directory for this process: PGlite has no locking of its own,
 * and two processes writing one directory would corrupt it. A lock left by a dead
 * process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const path = `${dataDir}.lock`;
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(readFileSync(path, 'utf8'));
    if (isAlive(holder)) {
      throw new StoreError('UNAVAILABLE', `the embedded database ${dataDir} is in use by process ${holder}; stop it, or set DATABASE_URL to share a PostgreSQL server`);
    }
    rmSync(path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Wraps an embedded PGlite instance. */
export function openPGlite(lite: PGlite): Database {
  const db = new Kysely<LedgerSchema>({ dialect: new PGliteDialect(lite) });
  return {
    kind: 'pglite',
    db,
    async query<R>(text: string, params: readonly unknown[] = []) {
      // Through Kysely, so statements share the dialect's single-connection queue.
      const res = await db.executeQuery<R>(CompiledQuery.raw(text, [...params]));
      return res.rows;
    },
    transaction: (fn) => transaction(db, fn),
    dumpDataDir: () => lite.dumpDataDir('none'),
    close: () => db.destroy(),
  };
}

function transaction<T>(db: Kysely<LedgerSchema>, fn: (query: QueryFn) => Promise<T>): Promise<T> {
  return db.transaction().execute((trx) =>
    // Kysely gives no way to name a statement; inside a transaction plans are not cached.
    fn(async <R>(text: string, params: readonly unknown[] = []) => {
      const res = await trx.executeQuery<R>(CompiledQuery.raw(text, [...params]));
      return res.rows;
    }),
  );
}
