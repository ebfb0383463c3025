/**
 * Configuration from the environment, parsed with zod so that a typo fails at start-up
 * with the name of the variable rather than later with a confusing error.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseConfig, KeyStoreConfig } from '@casn/event-store';
import { WitnessListError, parseWitnessList, type WitnessEntry } from '@casn/ledger-core';
import { z } from 'zod';

/** Everything the commands need to know about where the ledger lives. */
export interface CliConfig {
  /** LEDGER_DATA_DIR: the embedded database, the keys and the demo bundle live here by default. */
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly keys: KeyStoreConfig;
  /** PORT: where `serve` listens (default 3000). */
  readonly port: number;
  /** LEDGER_ORIGIN_BASE: a period's ledger is `<base>/<periodId>`. */
  readonly originBase: string;
  /** LEDGER_DIRECTORY_ORIGIN: the ledger of agencies, actors and declared relatives. */
  readonly directoryOrigin: string;
  /** LOG_LEVEL for the services (default info). */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * LEDGER_WITNESSES: the witnesses read from that file (`<cosignature vkey> [url]`, one a line).
   * Only their cosignatures are stored; the worker asks those with a URL. Absent when unset.
   */
  readonly witnesses?: readonly WitnessEntry[];
}

/** A setting in the environment that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The repository root, found from this file's location (services/cli/src). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// An empty value counts as unset, as with most tools that read the environment.
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const ORIGIN_BASE = /^[A-Za-z0-9][A-Za-z0-9.-]*(\/[A-Za-z0-9._~-]+)*$/;

const Env = z.object({
  DATABASE_URL: unsetIfEmpty(z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })),
  LEDGER_DATA_DIR: unsetIfEmpty(z.string()),
  LEDGER_KEYS_DIR: unsetIfEmpty(z.string()),
  LEDGER_GENERATE_KEYS: unsetIfEmpty(z.enum(['true', 'false'], { error: 'must be true or false' })),
  PORT: unsetIfEmpty(z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535)),
  LEDGER_ORIGIN_BASE: unsetIfEmpty(z.string().regex(ORIGIN_BASE, 'must look like a host name with an optional path')),
  LEDGER_DIRECTORY_ORIGIN: unsetIfEmpty(z.string().regex(ORIGIN_BASE, 'must look like a host name with an optional path')),
  LOG_LEVEL: unsetIfEmpty(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  LEDGER_WITNESSES: unsetIfEmpty(z.string()),
});

/** The witness list in the file named by LEDGER_WITNESSES; throws ConfigError naming the variable and the line. */
function readWitnesses(path: string): readonly WitnessEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`invalid configuration: LEDGER_WITNESSES cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): ${path}`);
  }
  try {
    return parseWitnessList(text);
  } catch (err) {
    if (err instanceof WitnessListError) throw new ConfigError(`invalid configuration: LEDGER_WITNESSES ${path}: ${err.message}`);
    throw err;
  }
}

/**
 * Parses the configuration from `env`: PostgreSQL at DATABASE_URL, else the embedded PGlite
 * database in LEDGER_DATA_DIR; keys in LEDGER_KEYS_DIR; new keys generated only where
 * LEDGER_GENERATE_KEYS allows (default: only for the embedded database); the witnesses listed in
 * the file LEDGER_WITNESSES names, if set. Throws ConfigError.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): CliConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    // Issues name the variable but never echo its value: a URL may carry a password.
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.LEDGER_DATA_DIR ?? join(REPO_ROOT, '.data'));
  const keysDir = e.LEDGER_KEYS_DIR === undefined ? join(dataDir, 'keys') : resolve(e.LEDGER_KEYS_DIR);
  const database: DatabaseConfig = e.DATABASE_URL === undefined ? { dataDir: join(dataDir, 'pglite') } : { url: e.DATABASE_URL };
  // A server-backed ledger must never sign with a key made up on the spot: its checkpoints
  // would verify against nothing anyone trusts. Only the embedded default may create one.
  const generate = e.LEDGER_GENERATE_KEYS === undefined ? e.DATABASE_URL === undefined : e.LEDGER_GENERATE_KEYS === 'true';
  const originBase = e.LEDGER_ORIGIN_BASE ?? 'ledger.casn.go.id';
  return {
    dataDir,
    database,
    keys: { dir: keysDir, generate },
    port: e.PORT ?? 3000,
    originBase,
    directoryOrigin: e.LEDGER_DIRECTORY_ORIGIN ?? `${originBase}/directory`,
    logLevel: e.LOG_LEVEL ?? 'info',
    ...(e.LEDGER_WITNESSES !== undefined && { witnesses: readWitnesses(resolve(e.LEDGER_WITNESSES)) }),
  };
}
