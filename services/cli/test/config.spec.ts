import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, REPO_ROOT, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('defaults to the embedded database in <repo>/.data, keys beside it, generated on demand', () => {
    const cfg = loadConfig({});
    expect(REPO_ROOT).toBe(resolve(import.meta.dirname, '../../..') + '/');
    expect(cfg).toEqual({
      dataDir: join(REPO_ROOT, '.data'),
      database: { dataDir: join(REPO_ROOT, '.data', 'pglite') },
      keys: { dir: join(REPO_ROOT, '.data', 'keys'), generate: true },
      port: 3000,
      originBase: 'ledger.casn.go.id',
      directoryOrigin: 'ledger.casn.go.id/directory',
      logLevel: 'info',
    });
  });

  it('takes the service settings: port, origins, log level', () => {
    const cfg = loadConfig({ PORT: '8080', LEDGER_ORIGIN_BASE: 'casn.tangerangselatankota.go.id', LOG_LEVEL: 'warn' });
    expect(cfg).toMatchObject({ port: 8080, originBase: 'casn.tangerangselatankota.go.id', directoryOrigin: 'casn.tangerangselatankota.go.id/directory', logLevel: 'warn' });
    expect(loadConfig({ LEDGER_DIRECTORY_ORIGIN: 'bkd.example.go.id/actors' }).directoryOrigin).toBe('bkd.example.go.id/actors');
  });

  it('uses PostgreSQL at DATABASE_URL and then never generates keys unless told to', () => {
    const url = 'postgres://ledger@db.internal:5432/ledger';
    expect(loadConfig({ DATABASE_URL: url, LEDGER_DATA_DIR: '/srv/ledger' })).toEqual({
      dataDir: '/srv/ledger',
      database: { url },
      keys: { dir: '/srv/ledger/keys', generate: false },
      port: 3000,
      originBase: 'ledger.casn.go.id',
      directoryOrigin: 'ledger.casn.go.id/directory',
      logLevel: 'info',
    });
    expect(loadConfig({ DATABASE_URL: url, LEDGER_GENERATE_KEYS: 'true' }).keys.generate).toBe(true);
    expect(loadConfig({ LEDGER_GENERATE_KEYS: 'false' }).keys.generate).toBe(false);
  });

  it('takes LEDGER_KEYS_DIR and resolves relative paths, and treats empty values as unset', () => {
    const cfg = loadConfig({ LEDGER_DATA_DIR: 'rel/data', LEDGER_KEYS_DIR: '/etc/ledger-keys', DATABASE_URL: '' });
    expect(cfg.dataDir).toBe(resolve('rel/data'));
    expect(cfg.database).toEqual({ dataDir: join(resolve('rel/data'), 'pglite') });
    expect(cfg.keys).toEqual({ dir: '/etc/ledger-keys', generate: true });
  });

  it.each([
    [{ LEDGER_GENERATE_KEYS: 'yes' }, 'LEDGER_GENERATE_KEYS must be true or false'],
    [{ PORT: 'eighty' }, 'PORT must be a port number'],
    [{ LEDGER_ORIGIN_BASE: 'https://x' }, 'LEDGER_ORIGIN_BASE must look like a host name'],
    [{ DATABASE_URL: 'localhost:5432/ledger' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL'],
    [{ DATABASE_URL: 'mysql://u:p@h/db' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL'],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
