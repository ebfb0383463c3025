/**
 * Builds the console into dist/ unless dist/ was built from exactly the current sources:
 * a SHA-256 over every input file (the console's sources and config, and the ledger core it
 * bundles) is kept in dist/.inputs-sha256. Used by the root `pnpm start` and by the tests.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, version } from 'vite';

/** The console package's directory. */
export const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
/** Where the built console goes. */
export const DIST_DIR = join(WEB_DIR, 'dist');
const STAMP = join(DIST_DIR, '.inputs-sha256');
const CORE_DIR = join(WEB_DIR, '..', '..', 'packages', 'ledger-core');

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

/** SHA-256 over the names and contents of every input of the build, and Vite's version. */
export async function inputsDigest(): Promise<string> {
  const files = [
    join(WEB_DIR, 'index.html'),
    join(WEB_DIR, 'vite.config.ts'),
    join(WEB_DIR, 'package.json'),
    join(CORE_DIR, 'package.json'),
    ...(await filesUnder(join(WEB_DIR, 'src'))),
    ...(await filesUnder(join(CORE_DIR, 'src'))),
  ].sort();
  const hash = createHash('sha256').update(`vite ${version}\n`);
  for (const file of files) {
    hash.update(`${relative(WEB_DIR, file)}\n`);
    hash.update(await readFile(file));
  }
  return hash.digest('hex');
}

/** Builds the console when dist/ is missing or was built from other sources; resolves to whether it built. */
export async function ensureBuilt(opts: { quiet?: boolean } = {}): Promise<boolean> {
  const digest = await inputsDigest();
  const [stamp, index] = await Promise.all([readFile(STAMP, 'utf8').catch(() => ''), readFile(join(DIST_DIR, 'index.html'), 'utf8').catch(() => '')]);
  if (stamp.trim() === digest && index !== '') return false;
  if (!opts.quiet) process.stderr.write('building the console (services/web/dist)…\n');
  await build({ configFile: join(WEB_DIR, 'vite.config.ts'), logLevel: opts.quiet ? 'error' : 'warn' });
  await writeFile(STAMP, `${digest}\n`);
  return true;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await ensureBuilt();
}
