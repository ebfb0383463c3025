import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliEnvironment, testEngine, type CliEnvironment } from './helpers.ts';

const L = 'casn.tangerangselatankota.go.id/2026';
let e: CliEnvironment;

beforeAll(async () => {
  e = await cliEnvironment({ migrated: false });
});
afterAll(async () => e.cleanup());

describe(`migrate on ${testEngine}`, () => {
  it('tells the user to migrate, in one line, when the schema is missing', async () => {
    for (const argv of [
      ['checkpoint', '--ledger', L],
      ['prove', '--ledger', L, '--seq', '0'],
      ['export', '--ledger', L, '--out', join(e.dataDir, 'bundle')],
    ]) {
      const res = await cli(argv, e.env);
      expect(res.code).toBe(1);
      expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(/^ledger \w+: .*; run: pnpm ledger migrate\n$/);
    }
    // Only migrate may create the embedded database.
    if (testEngine === 'pglite') expect(existsSync(join(e.dataDir, 'pglite'))).toBe(false);
  });

  it('applies the migrations and names each, then reports the schema up to date', async () => {
    const first = await cli(['migrate'], e.env);
    expect(first).toEqual({ code: 0, stdout: 'applied migration 2026-11-22T0000-ledger\napplied migration 2026-11-22T0100-personal-data\napplied migration 2026-11-22T0200-access\napplied migration 2026-11-22T0300-projections\napplied migration 2026-11-22T0400-witness\n', stderr: '' });
    const second = await cli(['migrate'], e.env);
    expect(second).toEqual({ code: 0, stdout: 'schema is up to date\n', stderr: '' });
    expect(await e.withStore((s) => s.listLedgers())).toEqual([]);
  });

  it('then reports an unknown ledger as such', async () => {
    const res = await cli(['checkpoint', '--ledger', L], e.env);
    expect(res).toEqual({ code: 1, stdout: '', stderr: `ledger checkpoint: no ledger ${L}\n` });
  });
});

describe('an unreachable database', () => {
  it('is one clear line, without the password', async () => {
    const res = await cli(['checkpoint', '--ledger', L], { DATABASE_URL: 'postgres://ledger:s3cret@127.0.0.1:9/ledger' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^ledger checkpoint: cannot reach the database: .*ECONNREFUSED.*\n$/);
    expect(res.stderr).not.toContain('s3cret');
  });
});
