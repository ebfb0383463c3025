/**
 * Test helpers: run the CLI in-process with captured output, against a fresh database of
 * the engine under test: on PGlite the CLI's own embedded database in a temp
 * LEDGER_DATA_DIR, on PostgreSQL a fresh database on the DATABASE_URL server.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, KeyStore, openDatabase } from '@casn/event-store';
import { createTestDatabase, testEngine } from '@casn/event-store/testing';
import { loadConfig } from '../src/config.ts';
import { run, type Output } from '../src/run.ts';

/** What one run of the CLI did. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** An output that keeps what is written, optionally posing as a terminal. */
export class Capture implements Output {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** Runs the CLI in-process with `env` as its whole environment. */
export async function cli(argv: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<RunResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await run(argv, { stdout, stderr, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const made: string[] = [];

/** A temp directory, removed by `removeTempDirs`. */
export async function tempDir(prefix = 'ledger-cli-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every directory `tempDir` made in this test file. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** The environment the CLI runs in for one test file, and how to inspect and remove it. */
export interface CliEnvironment {
  readonly env: Readonly<Record<string, string>>;
  readonly dataDir: string;
  /** Opens the CLI's database as a store (closed again afterwards); on PGlite never while the CLI runs. */
  withStore<T>(fn: (store: EventStore) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
}

/**
 * A fresh environment for the engine under test; `migrated: false` leaves the database
 * without a schema (on PGlite: no database at all until the CLI creates one).
 */
export async function cliEnvironment(opts: { migrated?: boolean } = {}): Promise<CliEnvironment> {
  const migrated = opts.migrated ?? true;
  const dataDir = await tempDir();
  let env: Record<string, string> = { LEDGER_DATA_DIR: dataDir };
  let dropDatabase = (): Promise<void> => Promise.resolve();

  if (testEngine === 'postgres') {
    if (migrated) {
      const t = await createTestDatabase();
      env = { ...env, DATABASE_URL: t.url!, LEDGER_GENERATE_KEYS: 'true' };
      dropDatabase = () => t.cleanup();
    } else {
      const admin = process.env.DATABASE_URL!;
      const name = `ledger_cli_test_${randomBytes(6).toString('hex')}`;
      await withAdmin(admin, (db) => db.query(`CREATE DATABASE ${name}`));
      const url = new URL(admin);
      url.pathname = `/${name}`;
      env = { ...env, DATABASE_URL: url.toString(), LEDGER_GENERATE_KEYS: 'true' };
      dropDatabase = () => withAdmin(admin, (db) => db.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined);
    }
  } else if (migrated) {
    const res = await cli(['migrate'], env);
    if (res.code !== 0) throw new Error(`migrate failed: ${res.stderr}`);
  }

  return {
    env,
    dataDir,
    async withStore(fn) {
      const config = loadConfig(env);
      const store = new EventStore(await openDatabase(config.database), { keys: new KeyStore(config.keys) });
      try {
        return await fn(store);
      } finally {
        await store.close();
      }
    },
    async cleanup() {
      await dropDatabase();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function withAdmin<T>(url: string, fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase({ url, poolSize: 1 });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** One JSONL line of an event draft. */
export function eventLine(fields: Record<string, unknown>): string {
  return JSON.stringify({ actor: { id: 'officer-1', role: 'officer' }, payload: {}, ...fields });
}

export { testEngine };
