/**
 * The deployment commands: `admin` bootstraps an administrator, `token` issues, lists and
 * revokes hashed API tokens, and `serve` runs the API and worker until SIGINT.
 */
import { TokenStore } from '@casn/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/run.ts';
import { Capture, cli, cliEnvironment, testEngine, type CliEnvironment } from './helpers.ts';

let e: CliEnvironment;
/** A token of an administrator registered for the serve tests. */
let adminToken = '';
beforeAll(async () => {
  e = await cliEnvironment();
  adminToken = (await cli(['admin', '--id', 'admin-serve'], e.env)).stdout.trim();
});
afterAll(async () => e.cleanup());

const authenticate = (token: string) => e.withStore((store) => new TokenStore(store.database, { cacheMs: 0 }).authenticate(token));

describe(`admin and token on ${testEngine}`, () => {
  let first = '';

  it('registers the first administrator once and prints a new token each time', async () => {
    const res = await cli(['admin', '--id', 'admin-1'], e.env);
    expect(res).toMatchObject({ code: 0, stderr: 'registered admin admin-1\n' });
    first = res.stdout.trim();
    expect(first).toMatch(/^casn_[A-Za-z0-9_-]{43}$/);
    const again = await cli(['admin', '--id', 'admin-1'], e.env);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout.trim()).not.toBe(first);
    expect(await authenticate(first)).toMatchObject({ actorId: 'admin-1', role: 'admin', agency: null });
  });

  it('issues, lists and revokes tokens of a registered actor; the token stops working', async () => {
    const issued = await cli(['token', 'issue', '--actor', 'admin-1', '--label', 'laptop 3'], e.env);
    expect(issued.code).toBe(0);
    const token = issued.stdout.trim();
    const id = /issued token (\S+) to admin-1/.exec(issued.stderr)![1]!;
    const listed = (await cli(['token', 'list', '--actor', 'admin-1'], e.env)).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; label: string });
    expect(listed).toHaveLength(3);
    expect(listed.find((t) => t.id === id)).toMatchObject({ label: 'laptop 3' });
    // The list shows no secret: tokens are kept as hashes only.
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(await cli(['token', 'revoke', '--id', id], e.env)).toEqual({ code: 0, stdout: '', stderr: `revoked token ${id}\n` });
    expect(await authenticate(token)).toBeUndefined();
    expect(await cli(['token', 'revoke', '--id', id], e.env)).toEqual({ code: 1, stdout: '', stderr: `ledger token: no active token ${id}\n` });
  });

  it('refuses an unknown actor, a missing option and an unknown action, issuing nothing', async () => {
    const before = (await cli(['token', 'list'], e.env)).stdout;
    expect(await cli(['token', 'issue', '--actor', 'nobody'], e.env)).toMatchObject({ code: 1, stdout: '', stderr: 'ledger token: actor nobody is not registered or was deactivated\n' });
    expect((await cli(['token', 'issue'], e.env)).code).toBe(2);
    expect((await cli(['token', 'frobnicate'], e.env)).code).toBe(2);
    expect((await cli(['admin'], e.env)).code).toBe(2);
    expect((await cli(['token', 'list'], e.env)).stdout).toBe(before);
  });
});

describe(`serve on ${testEngine}`, () => {
  it('refuses to run nothing, and a port that is not one', async () => {
    expect((await cli(['serve', '--no-api', '--no-worker'], e.env)).code).toBe(2);
    const bad = await cli(['serve'], { ...e.env, PORT: 'eighty' });
    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(bad.stderr).toContain('PORT must be a port number');
  });

  it('serves the API until SIGINT: health, authenticated reads, 401 without a token', async () => {
    const stderr = new Capture();
    const done = run(['serve'], { stdout: new Capture(), stderr, env: { ...e.env, PORT: '0' } });
    let base: string | undefined;
    for (let i = 0; i < 300 && base === undefined; i++) {
      base = /listening on (http:\/\/localhost:\d+)/.exec(stderr.text)?.[1];
      if (base === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    expect(base, stderr.text).toBeDefined();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/v1/periods`)).status).toBe(401);
    const periods = await fetch(`${base}/v1/periods`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(periods.status).toBe(200);
    expect(await periods.json()).toEqual({ items: [] });
    process.emit('SIGINT');
    expect(await done).toBe(0);
    expect(stderr.text).toContain('SIGINT: stopping');
  });
});

