/**
 * Test databases: a fresh database per test file on the PostgreSQL server named by
 * DATABASE_URL, or a fresh in-memory PGlite when no server is configured.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, openPGlite, type Database } from './db.ts';
import { migrateToLatest, schemaFingerprint } from './migrate.ts';

/** A migrated, empty database for one test file, and how to remove it. */
export interface TestDatabase {
  readonly database: Database;
  /** Connection URL of the fresh database (PostgreSQL only), for child processes. */
  readonly url: string | undefined;
  /** Closes the handle and drops the database. */
  cleanup(): Promise<void>;
}

/** Which engine the tests run on. */
export const testEngine: 'postgres' | 'pglite' = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/** Creates a fresh migrated database for one test file. */
export async function createTestDatabase(opts: { poolSize?: number } = {}): Promise<TestDatabase> {
  const admin = process.env.DATABASE_URL;
  if (!admin) {
    const database = openPGlite(new PGlite({ loadDataDir: await pgliteTemplate() }));
    await migrateToLatest(database);
    return { database, url: undefined, cleanup: () => database.close() };
  }
  const name = `ledger_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(admin, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), ...(opts.poolSize ? { poolSize: opts.poolSize } : {}) });
  await migrateToLatest(database);
  return {
    database,
    url: url.toString(),
    async cleanup() {
      await database.close();
      await withAdmin(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A migrated PGlite data directory dump, made once per schema and shared by test files
 * through the temp directory: loading it takes a fraction of a fresh initdb.
 */
async function pgliteTemplate(): Promise<Blob> {
  const path = join(tmpdir(), `casn-ledger-pglite-${schemaFingerprint()}.tar`);
  try {
    return new Blob([await readFile(path)]);
  } catch {
    const database = await openDatabase({ dataDir: 'memory' });
    await migrateToLatest(database);
    const dump = await database.dumpDataDir!();
    await database.close();
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await rename(tmp, path);
    return dump;
  }
}
