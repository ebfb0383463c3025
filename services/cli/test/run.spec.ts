import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/run.ts';
import { cli } from './helpers.ts';

describe('command line parsing', () => {
  it('prints the usage on stderr and exits 2 without a command', async () => {
    const res = await cli([]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^usage: pnpm ledger <command>/);
  });

  it('lists every command on --help, on stdout, with exit 0', async () => {
    const res = await cli(['--help']);
    expect(res.code).toBe(0);
    for (const name of ['migrate', 'import', 'checkpoint', 'export', 'verify', 'prove', 'keygen', 'demo']) {
      expect(res.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    }
  });

  it.each(COMMANDS.map((c) => c.name))('prints the usage of %s on --help', async (name) => {
    const res = await cli([name, '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^usage: pnpm ledger ${name}`));
    expect(res.stderr).toBe('');
    expect((await cli(['help', name])).stdout).toBe(res.stdout);
  });

  it('refuses an unknown command with exit 2, naming it', async () => {
    const res = await cli(['frobnicate']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('unknown command "frobnicate"');
    expect(res.stderr).toContain('usage: pnpm ledger <command>');
  });

  it('refuses an unknown option with exit 2 and the usage of the command', async () => {
    const res = await cli(['verify', 'dir', '--trusted-checkpoint', 'x']);
    expect(res.code).toBe(2);
    expect(res.stderr.split('\n')[0]).toBe('ledger verify: unknown option --trusted-checkpoint');
    expect(res.stderr).toContain('usage: pnpm ledger verify DIR');
  });

  it.each([
    [['import', 'events.jsonl'], 'missing --ledger ORIGIN'],
    [['import', '--ledger', 'casn.example.go.id/2026'], 'missing FILE.jsonl'],
    [['import', '--ledger', 'casn.example.go.id/2026', 'a.jsonl', 'b.jsonl'], 'unexpected argument "b.jsonl"'],
    [['checkpoint'], 'missing --ledger ORIGIN'],
    [['export', '--ledger', 'casn.example.go.id/2026'], 'missing --out DIR'],
    [['export', '--ledger', 'casn.example.go.id/2026', '--out', 'x', '--size', 'ten'], '--size must be a non-negative integer'],
    [['verify'], 'missing DIR'],
    [['prove', '--ledger', 'casn.example.go.id/2026'], 'missing --seq N'],
    [['prove', '--ledger', 'casn.example.go.id/2026', '--seq', '1.5'], '--seq must be a non-negative integer'],
    [['prove', '--ledger'], 'option --ledger needs a value'],
    [['keygen'], 'give --ledger ORIGIN, or --name NAME and --out FILE'],
    [['keygen', '--ledger', 'casn.example.go.id/2026', '--name', 'x'], 'give either --ledger or --name and --out, not both'],
    [['migrate', 'now'], 'unexpected argument "now"'],
  ])('%j is a usage error: %s', async (argv, message) => {
    const res = await cli(argv);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr.split('\n')[0]).toBe(`ledger ${argv[0]}: ${message}`);
    expect(res.stderr).toContain(`usage: pnpm ledger ${argv[0]}`);
  });

  it('fails fast on a malformed setting, naming the variable but not echoing its value', async () => {
    const res = await cli(['checkpoint', '--ledger', 'casn.example.go.id/2026'], {
      LEDGER_GENERATE_KEYS: 'ture',
      DATABASE_URL: 'mysql://root:hunter2@db/ledger',
    });
    expect(res.code).toBe(1);
    expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain('LEDGER_GENERATE_KEYS must be true or false');
    expect(res.stderr).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
    expect(res.stderr).not.toContain('hunter2');
  });
});
