import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyStore } from '@casn/event-store';
import { openCheckpoint, parseSignerKey, parseVerifierKey } from '@casn/ledger-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { cli, cliEnvironment, eventLine, removeTempDirs, tempDir, testEngine, type CliEnvironment } from './helpers.ts';

afterAll(removeTempDirs);

const L = 'casn.tangerangselatankota.go.id/2026';

describe('keygen --name --out', () => {
  it('writes a 0600 private key file and prints its verifier key', async () => {
    const out = join(await tempDir(), 'nested', 'witness.key');
    const res = await cli(['keygen', '--name', 'inspektorat.example.go.id', '--out', out]);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe(`wrote the private key inspektorat.example.go.id to ${out} (mode 0600)\n`);
    const vkey = res.stdout.trimEnd();
    expect(parseVerifierKey(vkey).name).toBe('inspektorat.example.go.id');
    const skey = (await readFile(out, 'utf8')).trim();
    expect(parseSignerKey(skey).vkey).toBe(vkey);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite an existing file and leaves it as it was', async () => {
    const out = join(await tempDir(), 'log.key');
    await writeFile(out, 'precious\n');
    const res = await cli(['keygen', '--name', 'x.example', '--out', out]);
    expect(res).toEqual({ code: 1, stdout: '', stderr: `ledger keygen: refusing to overwrite the existing key file ${out}\n` });
    expect(await readFile(out, 'utf8')).toBe('precious\n');
  });

  it('refuses a name a signed note cannot carry', async () => {
    const res = await cli(['keygen', '--name', 'two words', '--out', join(await tempDir(), 'k')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^ledger keygen: cannot make a key named "two words": /);
  });
});

describe(`keygen --ledger on ${testEngine}`, () => {
  let e: CliEnvironment;
  beforeAll(async () => {
    e = await cliEnvironment();
  });
  afterAll(async () => e.cleanup());

  it('does what the missing-key message says: after it, checkpoints are signed with that key', async () => {
    const env = { ...e.env, LEDGER_GENERATE_KEYS: 'false' };
    const events = join(e.dataDir, 'events.jsonl');
    await writeFile(events, eventLine({ stream: 'application/PEL-1', type: 'ApplicationSubmitted' }) + '\n');
    expect((await cli(['import', '--ledger', L, events], env)).code).toBe(0);

    const refused = await cli(['checkpoint', '--ledger', L], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`create one with: pnpm ledger keygen --ledger ${L}`);

    const made = await cli(['keygen', '--ledger', L], env);
    expect(made.code).toBe(0);
    const vkey = made.stdout.trimEnd();
    const keys = new KeyStore({ ...loadConfig(env).keys, generate: false });
    expect(made.stderr).toBe(`wrote the log key of ${L} to ${keys.keyPath(L)} (mode 0600), its verifier key beside it\n`);
    expect((await stat(keys.keyPath(L))).mode & 0o777).toBe(0o600);
    expect((await readFile(keys.keyPath(L).replace(/\.key$/, '.vkey'), 'utf8')).trim()).toBe(vkey);
    expect((await keys.signer(L)).vkey).toBe(vkey);

    const signed = await cli(['checkpoint', '--ledger', L], env);
    expect(signed.code).toBe(0);
    const opened = openCheckpoint(signed.stdout, vkey);
    expect(opened.ok && opened.checkpoint.size).toBe(1);

    const again = await cli(['keygen', '--ledger', L], env);
    expect(again).toEqual({ code: 1, stdout: '', stderr: `ledger keygen: refusing to overwrite the existing key file ${keys.keyPath(L)}\n` });
  });
});
