/**
 * `ledger serve` serves the built console beside the API: the page and its hashed assets,
 * index.html for other pages, and the API's own answers (problems included) unchanged.
 * Runs the real command in a child process on an embedded database of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
let child: ChildProcess | undefined;
let dataDir: string;
let base: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'casn-web-serve-'));
  const env: NodeJS.ProcessEnv = { ...process.env, LEDGER_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL; // static serving does not depend on the engine: the embedded one needs no setup
  child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'services/cli/src/main.ts'), 'serve', '--no-worker'], { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] });
  base = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 90_000);
    child!.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /listening on (http:\/\/localhost:\d+) \(console at \//.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child!.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

describe('ledger serve with the console', () => {
  it('serves the page, its hashed assets with long caching, and a content security policy', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${base}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('answers index.html for other pages and leaves the API as it was', async () => {
    const deep = await fetch(`${base}/konsol/apa-saja`, { headers: { Accept: 'text/html' } });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="app">');
    const missingAsset = await fetch(`${base}/assets/tidak-ada.js`);
    expect(missingAsset.status).toBe(404);
    expect(missingAsset.headers.get('content-type')).toContain('application/problem+json');
    const api = await fetch(`${base}/v1/periods`, { headers: { Accept: 'text/html' } });
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    const noRoute = await fetch(`${base}/v1/tidak-ada`);
    expect(noRoute.status).toBe(404);
    const escape = await fetch(`${base}/..%2f..%2fpackage.json`);
    expect(await escape.text()).not.toContain('"casn-audit-ledger"');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
