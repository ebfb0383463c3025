/**
 * Screenshots of the console's main screens at laptop size (1366×768) into docs/screenshots/,
 * taken from `ledger serve --demo` (the Tangerang Selatan demo period with its planted
 * irregularities) on a fresh embedded database, in headless Debian Chromium.
 *
 *   pnpm --filter @casn/web screenshots
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { ensureBuilt } from './ensure-built.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const OUT = join(REPO, 'docs', 'screenshots');
const PERIOD = 'tangsel-2024-cpns';
const ORIGIN = `ledger.casn.go.id/${PERIOD}`;

function cliEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LEDGER_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  return env;
}

/** Starts `ledger serve --demo --no-worker`; resolves to the child and its base URL. */
async function serve(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'services/cli/src/main.ts'), 'serve', '--demo', '--no-worker'], { cwd: REPO, env: cliEnv(dataDir), stdio: ['ignore', 'ignore', 'pipe'] });
  const base = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /listening on (http:\/\/localhost:\d+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  return { child, base };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, `${name}.png`) });
  process.stderr.write(`  docs/screenshots/${name}.png\n`);
}

const dataDir = await mkdtemp(join(tmpdir(), 'casn-screenshots-'));
try {
  await ensureBuilt();
  await mkdir(OUT, { recursive: true });
  process.stderr.write('recording the demo period…\n');
  // First start records the demo and signs a checkpoint; the bundle is exported while no server holds the database.
  await stop((await serve(dataDir)).child);
  const bundle = join(dataDir, 'bundle');
  const exported = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'services/cli/src/main.ts'), 'export', '--ledger', ORIGIN, '--out', bundle], { cwd: REPO, env: cliEnv(dataDir), encoding: 'utf8' });
  if (exported.status !== 0) throw new Error(`export failed: ${exported.stderr}`);
  const tampered = join(dataDir, 'tampered');
  await cp(bundle, tampered, { recursive: true });
  const lines = (await readFile(join(tampered, 'entries.jsonl'), 'utf8')).split('\n');
  const at = lines.findIndex((l, i) => i > 1000 && l.includes('"type":"SkdScoreRecorded"'));
  lines[at] = lines[at]!.replace(/"tkp":(\d+)/, (_m, n: string) => `"tkp":${Number(n) + 20}`);
  await writeFile(join(tampered, 'entries.jsonl'), lines.join('\n'));

  const { child, base } = await serve(dataDir);
  try {
    const tokens = JSON.parse(await readFile(join(dataDir, 'demo-tokens.json'), 'utf8')) as Record<string, string>;
    const detection = await fetch(`${base}/v1/periods/${PERIOD}/detection`, { method: 'POST', headers: { Authorization: `Bearer ${tokens['inspektorat-tangsel']}`, 'Content-Type': 'application/json' }, body: '{}' });
    if (!detection.ok) throw new Error(`detection: ${detection.status} ${await detection.text()}`);
    const flags = (await (await fetch(`${base}/v1/periods/${PERIOD}/flags?detector=related-party`, { headers: { Authorization: `Bearer ${tokens['inspektorat-tangsel']}` } })).json()) as { items: { flagId: string }[] };

    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
    const open = async (actor: string | undefined, lang: 'id' | 'en' = 'id'): Promise<Page> => {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      await page.goto(`${base}/`);
      if (lang === 'en') await page.getByRole('button', { name: 'English' }).click();
      if (actor !== undefined) {
        await page.locator('#token').fill(tokens[actor]!);
        await page.locator('button[type=submit]').click();
        await page.getByTestId('whoami').waitFor();
      }
      return page;
    };

    const signIn = await open(undefined);
    await shot(signIn, '01-sign-in');

    const inspector = await open('inspektorat-tangsel');
    await inspector.getByRole('figure', { name: 'Menurut waktu tindakan' }).waitFor({ timeout: 60_000 });
    await shot(inspector, '02-dashboard');
    await inspector.goto(`${base}/#/p/${PERIOD}/flags/${flags.items[0]!.flagId}`);
    await inspector.getByTestId('explanation').waitFor();
    await shot(inspector, '03-flag');
    await inspector.getByRole('heading', { name: /^Bukti/ }).scrollIntoViewIfNeeded();
    await inspector.waitForFunction(() => document.querySelector('[data-testid=proof-summary]')?.className.includes('alert-ok'));
    await inspector.evaluate(() => document.getElementById('evidence-title')?.scrollIntoView());
    await shot(inspector, '04-flag-evidence');
    await inspector.goto(`${base}/#/p/${PERIOD}/applications/TSEL24-00726`);
    await inspector.getByTestId('timeline').waitFor();
    await shot(inspector, '05-timeline');

    const ombudsman = await open('ombudsman-banten');
    await ombudsman.getByTestId('ledger-card').first().waitFor();
    await shot(ombudsman, '06-health');
    await ombudsman.goto(`${base}/#/verify?tab=bundle`);
    await ombudsman.getByLabel('Atau pilih berkasnya').setInputFiles(['entries.jsonl', 'checkpoint', 'log.vkey'].map((f) => join(tampered, f)));
    await ombudsman.getByRole('button', { name: 'Verifikasi', exact: true }).click();
    await ombudsman.getByTestId('failing-seq').waitFor({ timeout: 60_000 });
    await shot(ombudsman, '07-verify-tampered-bundle');

    const officer = await open('verifikator-04');
    await officer.goto(`${base}/#/p/${PERIOD}/record?form=RecordSkdScore`);
    await officer.getByLabel(/^Nomor lamaran/).fill('TSEL24-00156');
    await officer.getByLabel(/^TWK/).fill('-5');
    await officer.getByLabel(/^TIU/).fill('100');
    await officer.getByLabel(/^TKP/).fill('170');
    await officer.getByRole('button', { name: 'Catat', exact: true }).click();
    await officer.locator('.error-summary').waitFor();
    await shot(officer, '08-record-field-error');

    const english = await open('inspektorat-tangsel', 'en');
    await english.getByRole('figure', { name: 'By time of the action' }).waitFor({ timeout: 60_000 });
    await shot(english, '09-dashboard-en');
    await browser.close();
  } finally {
    await stop(child);
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
