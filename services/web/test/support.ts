/**
 * The console's test rig: the real API on a fresh database (PostgreSQL when DATABASE_URL is
 * set, else PGlite), served with the built console exactly as `ledger serve` serves it, a
 * small period recorded over HTTP with a planted irregularity, and headless Chromium.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metrics, RecruitmentService, TokenStore, createApp, createLogger } from '@casn/api';
import { EventStore, KeyStore } from '@casn/event-store';
import { createTestDatabase, type TestDatabase } from '@casn/event-store/testing';
import { canonicalize, sha256, utf8 } from '@casn/ledger-core';
import { BlindIndexer, Vault } from '@casn/personal-data';
import { ProjectionRunner } from '@casn/projections';
import { chromium, type Browser, type Page } from 'playwright-core';
// The static serving of `ledger serve` itself, so the tests load the console the way a user does.
import { withConsole } from '../../cli/src/commands/serve.ts';
import { DIST_DIR } from '../scripts/ensure-built.ts';

export const AGENCY = 'kota-uji';
export const PERIOD = 'uji-2026';

/** Actors registered on the fresh database, by id. */
export const ACTORS = {
  admin: { role: 'admin', agency: null },
  officer: { role: 'officer', agency: AGENCY },
  penguji: { role: 'officer', agency: AGENCY },
  supervisor: { role: 'supervisor', agency: AGENCY },
  portal: { role: 'portal', agency: AGENCY },
  inspector: { role: 'inspector', agency: null },
  ombudsman: { role: 'ombudsman', agency: null },
} as const;
export type ActorName = keyof typeof ACTORS;

/** The running API with the console, its store and the tokens of every actor. */
export interface ConsoleServer {
  readonly url: string;
  readonly tokens: Record<ActorName, string>;
  readonly store: EventStore;
  readonly service: RecruitmentService;
  readonly db: TestDatabase;
  /** Calls the API as an actor; throws on a non-2xx answer. */
  call<T = unknown>(actor: ActorName, method: 'GET' | 'POST', path: string, body?: unknown, csv?: boolean): Promise<T>;
  close(): Promise<void>;
}

let keyCounter = 0;

/** Starts the API and the console on a fresh database with the directory registered. */
export async function startConsoleServer(): Promise<ConsoleServer> {
  const db = await createTestDatabase();
  const keysDir = await mkdtemp(join(tmpdir(), 'casn-web-test-'));
  const store = new EventStore(db.database, { keys: new KeyStore({ dir: keysDir, generate: true }) });
  const service = new RecruitmentService({ store, directoryOrigin: 'uji.casn.go.id/directory', originBase: 'uji.casn.go.id' });
  await service.init();
  const system = { id: 'system', role: 'admin' as const, agency: null };
  const once = (command: object) => ({ idempotencyKey: `setup-${keyCounter++}-${randomBytes(4).toString('hex')}`, fingerprint: sha256(utf8(canonicalize(command))) });
  const agency = { type: 'RegisterAgency', code: AGENCY, name: 'Pemerintah Kota Uji', level: 'daerah' } as const;
  await service.executeDirectory(agency, system, once(agency));
  const tokenStore = new TokenStore(db.database, { cacheMs: 0 });
  const tokens = {} as Record<ActorName, string>;
  for (const [actorId, a] of Object.entries(ACTORS) as [ActorName, (typeof ACTORS)[ActorName]][]) {
    const command = { type: 'RegisterActor', actorId, role: a.role, agency: a.agency, indexes: {} } as const;
    await service.executeDirectory(command, system, once(command));
    tokens[actorId] = (await tokenStore.issue({ actorId, role: a.role, agency: a.agency, label: 'web-test' })).token;
  }
  const app = createApp({
    service,
    runner: new ProjectionRunner(store),
    vault: new Vault(db.database, randomBytes(32)),
    indexer: new BlindIndexer(randomBytes(32)),
    tokens: tokenStore,
    logger: createLogger({ level: 'silent' }),
    metrics: new Metrics(),
  });
  const server: Server = createServer(withConsole(app, DIST_DIR));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const call = async <T>(actor: ActorName, method: 'GET' | 'POST', path: string, body?: unknown, csv = false): Promise<T> => {
    const headers: Record<string, string> = { Authorization: `Bearer ${tokens[actor]}` };
    if (method === 'POST') {
      headers['Idempotency-Key'] = `test-${keyCounter++}-${randomBytes(4).toString('hex')}`;
      headers['Content-Type'] = csv ? 'text/csv' : 'application/json';
    }
    const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body: csv ? (body as string) : JSON.stringify(body) } : {}) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} as ${actor}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };

  return {
    url,
    tokens,
    store,
    service,
    db,
    call,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await db.cleanup();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}

const DAY = 86_400_000;
const iso = (days: number): string => new Date(Date.now() + days * DAY).toISOString();
let serial = 0;

/** A valid applicant: a Banten NIK born 17 Aug 1995, unique identifiers. */
function applicant(n: number) {
  const s = String(++serial + 100 * n).padStart(4, '0');
  return {
    nik: `367401170895${s}`,
    kk: `367401${String(n).padStart(6, '0')}0001`,
    name: `Pelamar Uji ${n}`,
    address: `Jl. Merdeka No. ${n}, Pamulang`,
    phone: `0812${String(777000 + n).padStart(8, '0')}`,
    email: `pelamar${n}@contoh.go.id`,
  };
}

/**
 * Records period uji-2026 (formation F-A): A-1…A-5 submitted; verified and
 * confirmed; A-3 verified, not yet confirmed; only submitted. After the
 * administrasi publication A-1 gets a hand-typed SKD score that the CAT import contradicts
 * (the manual-cat-override detector flags it), A-2 its CAT score; detection runs, and a
 * checkpoint is signed after the flags.
 */
export async function recordPeriod(s: ConsoleServer): Promise<void> {
  const p = `/v1/periods/${PERIOD}`;
  await s.call('admin', 'POST', '/v1/periods', {
    periodId: PERIOD,
    agency: { code: AGENCY, name: 'Pemerintah Kota Uji', level: 'daerah' },
    year: 2024,
    kind: 'CPNS',
    rules: 'casn-2024',
    skbWeights: { cat: 0.6, practical: 0.4 },
    schedule: { registration: { opens: iso(-10), closes: iso(60) } },
  });
  await s.call('supervisor', 'POST', `${p}/formations`, {
    formationId: 'F-A',
    jabatan: 'Pranata Komputer Ahli Pertama',
    unit: 'Dinas Komunikasi dan Informatika',
    location: 'Kota Uji',
    education: ['S1 Teknik Informatika'],
    track: 'umum',
    quota: 2,
  });
  for (let n = 1; n <= 5; n++) {
    await s.call('portal', 'POST', `${p}/applications`, { applicationId: `A-${n}`, formationId: 'F-A', education: { level: 'S1', ipk: 3.5 }, applicant: applicant(n) });
  }
  const documents = [
    { document: 'ijazah', verdict: 'MS' },
    { document: 'transkrip', verdict: 'MS' },
  ];
  for (const id of ['A-1', 'A-2', 'A-3']) await s.call('officer', 'POST', `${p}/applications/${id}/verification`, { verdict: 'MS', documents });
  for (const id of ['A-1', 'A-2']) await s.call('supervisor', 'POST', `${p}/applications/${id}/verification/confirmation`, { verdict: 'MS', note: 'berkas lengkap' });
  await s.call('supervisor', 'POST', `${p}/publications`, { stage: 'administrasi', reference: 'PENG-ADM-01' });
  await s.call('officer', 'POST', `${p}/applications/A-1/skd-scores`, { twk: 120, tiu: 115, tkp: 174, source: 'manual' });
  await s.call('officer', 'POST', `${p}/imports/cat-scores`, 'no_pendaftaran,kehadiran,twk,tiu,tkp,total\nA-1,HADIR,105,95,163,363\n', true);
  await s.call('inspector', 'POST', `${p}/detection`, {});
  const { origin } = await s.service.period(PERIOD);
  await s.store.checkpoint(origin);
}

/** Headless Debian Chromium (never a downloaded browser). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A laptop-sized page signed in as `actor` (the token pasted on the sign-in screen). */
export async function signedInPage(browser: Browser, s: ConsoleServer, actor: ActorName, lang: 'id' | 'en' = 'id'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: lang === 'id' ? 'id-ID' : 'en-GB' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  uncaught.set(page, errors);
  await page.goto(`${s.url}/`);
  await page.getByLabel(/Token API|API token/).fill(s.tokens[actor]);
  await page.getByRole('button', { name: /^(Masuk|Sign in)$/ }).click();
  await page.getByTestId('whoami').waitFor();
  return page;
}

const uncaught = new WeakMap<Page, string[]>();

/** Uncaught errors the page threw. */
export function pageErrors(page: Page): string[] {
  return uncaught.get(page) ?? [];
}
