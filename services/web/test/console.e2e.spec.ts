/**
 * The console in headless Chromium against the real API on a fresh database: every role
 * signs in and sees its screens; the inspector opens a flag, sees its evidence verified and
 * records a disposition; the ombudsman verifies a good and a tampered export bundle; an
 * officer records a score with a bad value, then a good one; a form is used by keyboard only.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportBundle } from '@casn/event-store';
import { verifyBundle } from '@casn/ledger-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERIOD, launchBrowser, pageErrors, recordPeriod, signedInPage, startConsoleServer, type ConsoleServer } from './support.ts';

let s: ConsoleServer;
let browser: Browser;
const pages: Page[] = [];

beforeAll(async () => {
  [s, browser] = await Promise.all([startConsoleServer(), launchBrowser()]);
  await recordPeriod(s);
});

afterAll(async () => {
  for (const p of pages) expect(pageErrors(p), 'uncaught errors in the page').toEqual([]);
  await browser?.close();
  await s?.close();
});

async function as(actor: Parameters<typeof signedInPage>[2]): Promise<Page> {
  const page = await signedInPage(browser, s, actor);
  pages.push(page);
  return page;
}

async function navLinks(page: Page): Promise<string[]> {
  return page.getByRole('navigation', { name: 'Navigasi utama' }).getByRole('link').allTextContents();
}

describe('signing in', () => {
  it('refuses an unknown token and keeps the person on the sign-in screen', async () => {
    const page = await browser.newPage();
    await page.goto(`${s.url}/`);
    await page.getByLabel('Token API').fill(`casn_${'A'.repeat(43)}`);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Token tidak dikenal');
    await page.close();
  });

  it('shows each role its own screens, in Bahasa Indonesia by default', async () => {
    const inspector = await as('inspector');
    expect(await inspector.locator('html').getAttribute('lang')).toBe('id');
    expect(await navLinks(inspector)).toEqual(['Dasbor tanda bahaya', 'Lamaran', 'Aktivitas petugas', 'Kesehatan ledger', 'Verifikasi']);
    await inspector.getByRole('heading', { level: 1, name: /Tanda bahaya/ }).waitFor();

    const ombudsman = await as('ombudsman');
    expect(await navLinks(ombudsman)).toEqual(['Dasbor tanda bahaya', 'Lamaran', 'Aktivitas petugas', 'Kesehatan ledger', 'Verifikasi']);
    await ombudsman.getByRole('heading', { level: 1, name: 'Kesehatan ledger' }).waitFor();

    const officer = await as('officer');
    expect(await navLinks(officer)).toEqual(['Catat hasil', 'Impor CSV', 'Lamaran', 'Aktivitas petugas', 'Kesehatan ledger', 'Verifikasi']);
    const officerForms = await officer.getByRole('navigation', { name: 'Pilih formulir' }).getByRole('link').allTextContents();
    expect(officerForms).toEqual(['Verifikasi dokumen (MS/TMS)', 'Nilai SKD', 'Nilai SKB']);

    const supervisor = await as('supervisor');
    const supervisorForms = await supervisor.getByRole('navigation', { name: 'Pilih formulir' }).getByRole('link').allTextContents();
    expect(supervisorForms).toEqual(['Konfirmasi verifikasi', 'Nilai SKD', 'Nilai SKB']);
    await supervisor.getByRole('link', { name: 'Impor CSV' }).click();
    await supervisor.getByRole('heading', { name: 'Nilai CAT BKN' }).waitFor();
    expect(await supervisor.getByRole('heading', { name: 'Pendaftaran SSCASN' }).count()).toBe(0);

    const admin = await as('admin');
    expect(await navLinks(admin)).toEqual(['Dasbor tanda bahaya', 'Catat hasil', 'Impor CSV', 'Lamaran', 'Aktivitas petugas', 'Kesehatan ledger', 'Verifikasi']);
    await admin.getByRole('heading', { level: 1, name: /Tanda bahaya/ }).waitFor();
  });

  it('switches to English and back', async () => {
    const page = await as('inspector');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: /Red flags/ }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
    await page.getByRole('heading', { level: 1, name: /Tanda bahaya/ }).waitFor();
  });

  it('shows a 403 clearly when a role opens a screen it may not use', async () => {
    const officer = await as('officer');
    await officer.goto(`${s.url}/#/p/${PERIOD}/flags`);
    const alert = officer.getByRole('alert').first();
    await expect.poll(() => alert.textContent()).toContain('Akses ditolak');
    expect(await alert.textContent()).toContain('HTTP 403');
  });
});

describe('the inspectorate', () => {
  it('sees the dashboard, opens a flag with its evidence proven, and records a disposition', async () => {
    const page = await as('inspector');
    await expect.poll(() => page.getByTestId('flag-total').textContent()).toMatch(/^[1-9]\d* tanda bahaya/);
    const detectorChart = page.getByRole('table', { name: 'Menurut detektor' });
    expect(await detectorChart.textContent()).toContain('Input manual berbeda dari nilai CAT');
    await page.getByRole('figure', { name: 'Menurut waktu tindakan' }).waitFor();

    await page.getByTestId('flag-link').filter({ hasText: 'Input manual berbeda dari nilai CAT' }).click();
    await page.getByRole('heading', { level: 1, name: /Input manual berbeda dari nilai CAT/ }).waitFor();
    expect(await page.getByTestId('explanation').textContent()).toMatch(/A-1/);
    const summary = page.getByTestId('proof-summary');
    await expect.poll(() => summary.textContent()).toContain('konsisten dengan checkpoint bertanda tangan terbaru');
    expect(await summary.getAttribute('class')).toContain('alert-ok');
    const rows = page.getByTestId('evidence-row');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    expect(await rows.first().textContent()).toContain('hash cocok');
    expect(await page.getByTestId('flag-status').textContent()).toBe('Terbuka');

    // Nothing chosen and no reason: the API's field errors appear at the fields.
    await page.getByRole('button', { name: 'Catat disposisi' }).click();
    const summaryBox = page.locator('.error-summary');
    await summaryBox.waitFor();
    expect(await page.locator('#disposition-reason-error').count()).toBe(1);
    expect(await page.getByRole('textbox', { name: 'Alasan' }).getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel(/Ditolak/).check();
    await page.getByRole('textbox', { name: 'Alasan' }).fill('Nilai manual diketik sebelum impor CAT; CAT berlaku, tidak ada manipulasi.');
    await page.getByLabel('Nomor rujukan (opsional)').fill('LHP-700/12/2026');
    await page.getByRole('button', { name: 'Catat disposisi' }).click();
    await page.getByRole('heading', { name: 'Disposisi tercatat' }).waitFor();
    await expect.poll(() => page.getByTestId('flag-status').textContent()).toBe('Ditolak');
    expect(await page.locator('.dispositions').textContent()).toContain('LHP-700/12/2026');
  });

  it("reads an applicant's full timeline and an officer's activity", async () => {
    const page = await as('inspector');
    await page.goto(`${s.url}/#/p/${PERIOD}/applications/A-1`);
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    const text = await timeline.textContent();
    for (const type of ['ApplicationSubmitted', 'DocumentsVerified', 'VerificationConfirmed', 'SkdScoreRecorded']) expect(text).toContain(type);
    await page.getByRole('link', { name: 'officer' }).first().click();
    await page.getByRole('heading', { level: 1, name: /Aktivitas petugas/ }).waitFor();
    await expect.poll(() => page.getByRole('table').textContent()).toContain('DocumentsVerified');
  });
});

describe('the ombudsman', () => {
  let dir: string;
  let good: string;
  let bad: string;
  let expected: { seq?: number; reason: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'casn-web-bundle-'));
    good = join(dir, 'good');
    bad = join(dir, 'tampered');
    const { origin } = await s.service.period(PERIOD);
    await exportBundle(s.store, origin, good);
    await cp(good, bad, { recursive: true });
    // One byte of the payload of the second application changes: still canonical JSON, but no
    // longer what the next entry's prev commits to.
    const lines = (await readFile(join(bad, 'entries.jsonl'), 'utf8')).split('\n');
    const at = lines.findIndex((l, i) => i > 3 && l.includes('"type":"ApplicationSubmitted"'));
    lines[at] = lines[at]!.replace('"formationId":"F-A"', '"formationId":"F-B"');
    await writeFile(join(bad, 'entries.jsonl'), lines.join('\n'));
    const files = async (d: string) => ({ entries: await readFile(join(d, 'entries.jsonl'), 'utf8'), checkpoint: await readFile(join(d, 'checkpoint'), 'utf8'), logVkey: await readFile(join(d, 'log.vkey'), 'utf8') });
    expect(verifyBundle(await files(good)).ok).toBe(true);
    const verdict = verifyBundle(await files(bad));
    if (verdict.ok) throw new Error('the tampered bundle verifies');
    expected = verdict;
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sees ledger health with the checkpoint signature checked in the browser', async () => {
    const page = await as('ombudsman');
    const card = page.getByTestId('ledger-card').first();
    await card.waitFor();
    expect(await card.getByTestId('checkpoint-signature').textContent()).toContain('sah, oleh uji.casn.go.id/uji-2026');
    expect(await card.getByTestId('verification-verdict').textContent()).toContain('Belum diverifikasi');
  });

  it('verifies a good bundle and names the failing seq of a tampered one', async () => {
    const page = await as('ombudsman');
    await page.getByRole('link', { name: 'Verifikasi', exact: true }).click();
    const pick = page.getByLabel('Atau pilih berkasnya');
    await pick.setInputFiles(['entries.jsonl', 'checkpoint', 'log.vkey'].map((f) => join(good, f)));
    await expect.poll(() => page.getByTestId('bundle-picked').textContent()).toContain('entries.jsonl');
    await page.getByRole('button', { name: 'Verifikasi', exact: true }).click();
    const verdict = page.getByTestId('bundle-verdict');
    await expect.poll(() => verdict.textContent()).toContain('Bundel sah');

    await pick.setInputFiles(['entries.jsonl', 'checkpoint', 'log.vkey'].map((f) => join(bad, f)));
    await page.getByRole('button', { name: 'Verifikasi', exact: true }).click();
    await expect.poll(() => verdict.textContent()).toContain('Tidak sah');
    expect(await page.getByTestId('failing-seq').textContent()).toBe(`seq ${expected.seq}`);
    expect(await page.getByTestId('failing-reason').textContent()).toBe(expected.reason);
    expect(await verdict.textContent()).toContain('Entri itu: ApplicationSubmitted');
  });
  it('verifies an offline receipt in the browser, and refuses an altered one', async () => {
    const served = await s.call<{ receipt: string }>('ombudsman', 'GET', `/v1/ledgers/${PERIOD}/entries/3/receipt`);
    const page = await as('ombudsman');
    await page.goto(`${s.url}/#/verify?tab=receipt`);
    await page.getByLabel('Atau tempel teks tanda terima').fill(served.receipt);
    const key = page.getByLabel('Kunci verifikasi log');
    await expect.poll(() => key.inputValue()).toMatch(/^uji\.casn\.go\.id\/uji-2026\+/);
    await page.getByRole('button', { name: 'Verifikasi', exact: true }).click();
    const verdict = page.getByTestId('receipt-verdict');
    await expect.poll(() => verdict.textContent()).toContain('Tanda terima sah: entri seq 3');
    await page.getByLabel('Atau tempel teks tanda terima').fill(served.receipt.replace('\nindex 3\n', '\nindex 2\n'));
    await page.getByRole('button', { name: 'Verifikasi', exact: true }).click();
    await expect.poll(() => verdict.textContent()).toContain('index_mismatch');
  });
});

describe('officers', () => {
  it('records an SKD score: a bad value is shown at its field, a good one shows the recorded entry', async () => {
    const page = await as('officer');
    await page.getByRole('link', { name: 'Nilai SKD' }).click();
    await page.getByLabel(/^Nomor lamaran/).fill('A-2');
    await page.getByLabel(/^TWK/).fill('-5');
    await page.getByLabel(/^TIU/).fill('100');
    await page.getByLabel(/^TKP/).fill('170');
    await page.getByRole('button', { name: 'Catat', exact: true }).click();
    const twkError = page.locator('#form-RecordSkdScore-twk-error');
    await twkError.waitFor();
    expect(await twkError.textContent()).toMatch(/>=\s*0|0/);
    expect(await page.getByLabel(/^TWK/).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.error-summary').textContent()).toContain('TWK');

    await page.getByLabel(/^TWK/).fill('95');
    await page.getByRole('button', { name: 'Catat', exact: true }).click();
    await page.getByRole('heading', { name: 'Tercatat di ledger' }).waitFor();
    const seq = Number(await page.getByTestId('entry-seq').first().textContent());
    expect(seq).toBeGreaterThan(0);
    expect(await page.locator('#form-RecordSkdScore-twk-error').count()).toBe(0);
    // Receipts come with writes: each is checked in the browser against the log key.
    await page.getByRole('button', { name: 'Unduh' }).first().waitFor();
    await page.getByTestId('receipt-verified').first().waitFor();
  });

  it('shows a domain refusal at the field it names', async () => {
    const page = await as('officer');
    await page.getByRole('link', { name: 'Nilai SKD' }).click();
    await page.getByLabel(/^Nomor lamaran/).fill('A-404');
    await page.getByLabel(/^TWK/).fill('90');
    await page.getByLabel(/^TIU/).fill('90');
    await page.getByLabel(/^TKP/).fill('170');
    await page.getByRole('button', { name: 'Catat', exact: true }).click();
    await page.locator('#form-RecordSkdScore-application-error').waitFor();
  });

  it('a supervisor confirms a verification using the keyboard only', async () => {
    const page = await as('supervisor');
    await page.getByRole('heading', { name: 'Konfirmasi verifikasi' }).waitFor();
    // The skip link is the first thing to tab to, and moves focus to the content.
    expect(await page.evaluate(() => document.querySelector('a[href], button, input, select, textarea')?.textContent)).toBe('Langsung ke konten');
    await page.focus('.skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.focus('#form-ConfirmVerification-application');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.type('A-3');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('MS');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('form-ConfirmVerification-note');
    await page.keyboard.type('Berkas diperiksa ulang');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Catat');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Tercatat di ledger' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.closest('section')?.getAttribute('aria-labelledby'))).toBe('write-result-title');
  });
});
