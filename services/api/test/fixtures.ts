/**
 * Helpers of the API tests: a typed supertest client, builders of valid bodies (NIKs,
 * applicants, periods, formations, CSV files), and a driver that takes a period through
 * its stages over HTTP only.
 */
import { fromBase64 } from '@casn/ledger-core';
import request from 'supertest';
import { expect } from 'vitest';
import type { z } from 'zod';
import { TokenStore } from '../src/index.ts';
import type * as views from '../src/routes/views.ts';
import { AGENCY, OTHER_AGENCY, key, type TestApp } from './support.ts';

// ---------------------------------------------------------------------------------------
// Response shapes
// ---------------------------------------------------------------------------------------

/** The read models as the API documents them. */
export type ApplicationView = z.output<typeof views.ApplicationView> & { personal?: Record<string, unknown> | null };
export type TimelineItem = z.output<typeof views.TimelineItem>;
export type ActivityItem = z.output<typeof views.ActivityItem>;
export type FormationView = z.output<typeof views.FormationView>;
export type FormationRanking = z.output<typeof views.FormationRanking>;

export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 7807 problem as the API sends it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
  rule?: string;
  rows?: { line: number; field: string; message: string }[];
  [extra: string]: unknown;
}

export interface WriteEntry {
  seq: number;
  id: string;
  stream: string;
  version: number;
  leaf: string;
}

/** The response of every recruitment write. */
export interface WriteResult {
  ledger: string;
  at: string;
  replayed: boolean;
  entries: WriteEntry[];
  /** One offline receipt (C2SP tlog-proof text) per entry. */
  receipts: string[];
}

export interface ImportResult {
  rows: number;
  recorded: number;
  write: WriteResult | null;
  reconciliation: { line: number; applicationId: string; recorded: Record<string, number>; imported: Record<string, number> }[];
}

export interface Skd {
  twk: number;
  tiu: number;
  tkp: number;
}


export interface PeriodView {
  periodId: string;
  origin: string;
  agency: string;
  year: number;
  kind: 'CPNS' | 'PPPK';
  rules: string | null;
  schedule: Record<string, { opens: string | null; closes: string }>;
  publications: { stage: string; reference: string; formationId: string | null; at: string; seq: number }[];
  size: number;
}





export interface Checkpoint {
  origin: string;
  size: number;
  root: string;
  note: string;
  verifierKey: string;
}

export interface EntryView {
  seq: number;
  leaf: string;
  body: string;
}

export interface InclusionProofView {
  origin: string;
  index: number;
  size: number;
  leafHash: string;
  hashes: string[];
  root: string;
}

export interface ConsistencyProofView {
  origin: string;
  size1: number;
  size2: number;
  hashes: string[];
  root1: string;
  root2: string;
}

/** A response as the tests look at it; `body` is typed by the caller. */
export interface Reply<T> {
  status: number;
  body: T;
  text: string;
  type: string;
  headers: Record<string, string>;
}

// ---------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------

/** Who calls: an actor of `startApp`, an extra actor added with `addActor`, or nobody. */
export type Caller = string | null;

export interface PostOptions {
  /** Idempotency-Key; a fresh one by default, null for none. */
  key?: string | null;
  /** Send the body as text/csv. */
  csv?: boolean;
}

/** A supertest client of the app that knows every actor's token. */
export class Api {
  readonly tokens = new Map<string, string>();

  constructor(readonly t: TestApp) {
    for (const [actor, token] of Object.entries(t.tokens)) this.tokens.set(actor, token);
  }

  #auth(req: request.Test, caller: Caller): request.Test {
    if (caller === null) return req;
    const token = this.tokens.get(caller);
    if (token === undefined) throw new Error(`no token for ${caller}`);
    return req.set('Authorization', `Bearer ${token}`);
  }

  async post<T = WriteResult>(caller: Caller, path: string, body?: unknown, opts: PostOptions = {}): Promise<Reply<T>> {
    let req = this.#auth(request(this.t.app).post(path), caller);
    const k = opts.key === undefined ? key() : opts.key;
    if (k !== null) req = req.set('Idempotency-Key', k);
    if (opts.csv) req = req.set('Content-Type', 'text/csv').send(body as string);
    else if (body !== undefined) req = req.send(body as object);
    return reply<T>(await req);
  }

  async get<T>(caller: Caller, path: string, query?: Record<string, string | number>): Promise<Reply<T>> {
    let req = this.#auth(request(this.t.app).get(path), caller);
    if (query) req = req.query(query);
    return reply<T>(await req);
  }

  /** POSTs and expects 201; fails the test with the problem otherwise. */
  async write<T = WriteResult>(caller: Caller, path: string, body?: unknown, opts: PostOptions = {}): Promise<T> {
    const res = await this.post<T>(caller, path, body, opts);
    if (res.status !== 201) throw new Error(`POST ${path} as ${caller ?? 'nobody'}: ${res.status} ${res.text}`);
    return res.body;
  }

  /** GETs and expects 200. */
  async read<T>(caller: Caller, path: string, query?: Record<string, string | number>): Promise<T> {
    const res = await this.get<T>(caller, path, query);
    if (res.status !== 200) throw new Error(`GET ${path} as ${caller ?? 'nobody'}: ${res.status} ${res.text}`);
    return res.body;
  }

  /** The ledger size of a period as the API reports it. */
  async size(periodId: string): Promise<number> {
    return (await this.read<PeriodView>('inspector', `/v1/periods/${periodId}`)).size;
  }

  /** The ledger origin of a period as the API reports it. */
  async origin(periodId: string): Promise<string> {
    return (await this.read<PeriodView>('inspector', `/v1/periods/${periodId}`)).origin;
  }

  /** Registers an actor through the API (admin) and issues them a token. */
  async addActor(actorId: string, role: 'officer' | 'supervisor' | 'portal' | 'admin' | 'inspector' | 'ombudsman', agency: string | null): Promise<void> {
    await this.write('admin', '/v1/actors', { actorId, role, agency });
    const { token } = await new TokenStore(this.t.db.database, { cacheMs: 0 }).issue({ actorId, role, agency, label: 'test' });
    this.tokens.set(actorId, token);
  }

  /** Adds a supervisor and a portal of the other agency: `other-supervisor`, `other-portal`. */
  async addOtherAgencyActors(): Promise<void> {
    await this.addActor('other-supervisor', 'supervisor', OTHER_AGENCY);
    await this.addActor('other-portal', 'portal', OTHER_AGENCY);
  }
}

function reply<T>(res: request.Response): Reply<T> {
  return { status: res.status, body: res.body as T, text: res.text, type: res.type, headers: res.headers };
}

/** Asserts a problem+json response of `status` and returns the problem. */
export function expectProblem(res: Reply<unknown>, status: number): Problem {
  expect(res.type, res.text).toBe('application/problem+json');
  expect(res.status, res.text).toBe(status);
  const problem = res.body as Problem;
  expect(problem.status).toBe(status);
  return problem;
}

/** Asserts a 422 domain refusal naming `rule`. */
export function expectRule(res: Reply<unknown>, rule: string, status = 422): Problem {
  const problem = expectProblem(res, status);
  expect(problem.rule, res.text).toBe(rule);
  expect(problem.type).toBe(`urn:casn:rule:${rule}`);
  return problem;
}

/** Base64 to bytes, failing on bad input. */
export function b64(text: string): Uint8Array {
  const bytes = fromBase64(text);
  if (!bytes) throw new Error('not base64');
  return bytes;
}

// ---------------------------------------------------------------------------------------
// Personal data
// ---------------------------------------------------------------------------------------

let serial = 0;
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** A valid NIK: Banten (36), Kota Tangerang Selatan (74), a district, birth date (+40 for women), a fresh serial. */
export function makeNik(opts: { birthDate?: string; female?: boolean; province?: string; regency?: string; district?: string; serial?: number } = {}): string {
  const [y, m, d] = (opts.birthDate ?? '1995-08-17').split('-') as [string, string, string];
  const day = Number(d) + (opts.female ? 40 : 0);
  const s = opts.serial ?? ++serial;
  return `${opts.province ?? '36'}${opts.regency ?? '74'}${opts.district ?? '01'}${pad(day, 2)}${m}${y.slice(2)}${pad(s, 4)}`;
}

/** A NIK-shaped string planted in invalid requests, to check that responses never echo values. */
export const PLANTED = '3174099912340007';

export interface Applicant {
  nik: string;
  kk: string;
  name: string;
  address: string;
  phone: string;
  email: string;
  birthDate?: string;
}

let person = 0;
/** A valid applicant with unique identifiers (name, phone and email easy to search for). */
export function makeApplicant(opts: { birthDate?: string; female?: boolean; name?: string } = {}): Applicant {
  const n = ++person;
  return {
    nik: makeNik({ ...(opts.birthDate ? { birthDate: opts.birthDate } : {}), ...(opts.female ? { female: true } : {}) }),
    kk: `367401${pad(n, 6)}0001`,
    name: opts.name ?? `Pelamar Uji Nomor${n}`,
    address: `Jl. Merdeka No. ${n}, Pamulang`,
    phone: `0812${pad(777000 + n, 8)}`,
    email: `pelamar${n}.uji@contoh.go.id`,
  };
}

// ---------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------

const DAY = 86_400_000;

/** An ISO instant `days` from now (on the given clock). */
export function daysFromNow(days: number, now: () => Date = () => new Date()): string {
  return new Date(now().getTime() + days * DAY).toISOString();
}

export interface PeriodOptions {
  kind?: 'CPNS' | 'PPPK';
  agency?: string;
  year?: number;
  now?: () => Date;
  schedule?: Record<string, { opens: string; closes: string }>;
}

/** A valid OpenPeriod body: registration open from 10 days ago to 60 days ahead. */
export function periodBody(periodId: string, opts: PeriodOptions = {}) {
  const kind = opts.kind ?? 'CPNS';
  const agency = opts.agency ?? AGENCY;
  return {
    periodId,
    agency: { code: agency, name: agency === AGENCY ? 'Pemerintah Kota Uji' : 'Pemerintah Kota Lain', level: 'daerah' as const },
    year: opts.year ?? 2024,
    kind,
    rules: kind === 'CPNS' ? 'casn-2024' : 'pppk-2024',
    ...(kind === 'CPNS' ? { skbWeights: { cat: 0.6, practical: 0.4 } } : {}),
    schedule: opts.schedule ?? { registration: { opens: daysFromNow(-10, opts.now), closes: daysFromNow(60, opts.now) } },
  };
}

/** A valid AnnounceFormation body. */
export function formationBody(formationId: string, quota = 2, track = 'umum') {
  return { formationId, jabatan: 'Pranata Komputer Ahli Pertama', unit: 'Dinas Komunikasi dan Informatika', location: 'Kota Uji', education: ['S1 Teknik Informatika'], track, quota };
}

/** A valid SubmitApplication body (portal; give submittedAt for an officer). */
export function submitBody(applicationId: string, formationId: string, applicant: Applicant, opts: { ipk?: number; submittedAt?: string; pppkCategory?: string } = {}) {
  return {
    applicationId,
    formationId,
    education: { level: 'S1', ipk: opts.ipk ?? 3.5 },
    applicant,
    ...(opts.submittedAt ? { submittedAt: opts.submittedAt } : {}),
    ...(opts.pppkCategory ? { pppkCategory: opts.pppkCategory } : {}),
  };
}

export const MS_DOCUMENTS = [
  { document: 'ijazah', verdict: 'MS' },
  { document: 'transkrip', verdict: 'MS' },
];
export const TMS_DOCUMENTS = [
  { document: 'ijazah', verdict: 'MS' },
  { document: 'transkrip', verdict: 'TMS', reason: 'transkrip tidak dilegalisir' },
];

/** A SHA-256-looking document hash. */
export const DOCUMENT_HASH = 'a'.repeat(64);

// ---------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------

function cell(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** CSV text of a header and rows. */
export function csv(header: readonly string[], rows: readonly (readonly (string | number | undefined)[])[]): string {
  return [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}

export const REGISTRATION_HEADER = ['no_pendaftaran', 'formasi_id', 'nik', 'no_kk', 'nama', 'tgl_lahir', 'alamat', 'no_hp', 'email', 'pendidikan', 'ipk', 'kategori_pppk', 'tgl_submit'] as const;

export interface RegistrationRow {
  applicationId: string;
  formationId: string;
  applicant: Applicant;
  ipk?: number;
  pppkCategory?: string;
  /** WIB, 'YYYY-MM-DD HH:mm:ss'. */
  submittedAt: string;
}

/** An SSCASN registration export. */
export function registrationsCsv(rows: readonly RegistrationRow[]): string {
  return csv(
    REGISTRATION_HEADER,
    rows.map((r) => [r.applicationId, r.formationId, r.applicant.nik, r.applicant.kk, r.applicant.name, r.applicant.birthDate, r.applicant.address, r.applicant.phone, r.applicant.email, 'S1', r.ipk ?? 3.4, r.pppkCategory, r.submittedAt]),
  );
}

/** A time as SSCASN writes it (WIB, UTC+7), `days` from now on the given clock. */
export function wib(days = -1, now: () => Date = () => new Date()): string {
  const d = new Date(now().getTime() + days * DAY + 7 * 3_600_000);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

export type CatRow = { applicationId: string; absent: true } | ({ applicationId: string; absent?: false } & Skd);

/** A BKN CAT SKD export. */
export function skdCsv(rows: readonly CatRow[]): string {
  return csv(
    ['no_pendaftaran', 'kehadiran', 'twk', 'tiu', 'tkp', 'total'],
    rows.map((r) => (r.absent ? [r.applicationId, 'TIDAK HADIR', '', '', '', ''] : [r.applicationId, 'HADIR', r.twk, r.tiu, r.tkp, r.twk + r.tiu + r.tkp])),
  );
}

// ---------------------------------------------------------------------------------------
// Driving a period
// ---------------------------------------------------------------------------------------

/** Records a period's stages through the API, each step expected to succeed. */
export class Period {
  constructor(
    readonly api: Api,
    readonly id: string,
  ) {}

  path(rest = ''): string {
    return `/v1/periods/${this.id}${rest}`;
  }

  app(applicationId: string, rest = ''): string {
    return this.path(`/applications/${applicationId}${rest}`);
  }

  formation(formationId: string, rest = ''): string {
    return this.path(`/formations/${formationId}${rest}`);
  }

  open(opts: PeriodOptions = {}): Promise<WriteResult> {
    return this.api.write('admin', '/v1/periods', periodBody(this.id, opts));
  }

  announce(formationId: string, quota = 2, track = 'umum'): Promise<WriteResult> {
    return this.api.write('supervisor', this.path('/formations'), formationBody(formationId, quota, track));
  }

  submit(applicationId: string, formationId: string, applicant: Applicant = makeApplicant(), opts: { ipk?: number; pppkCategory?: string } = {}): Promise<WriteResult> {
    return this.api.write('portal', this.path('/applications'), submitBody(applicationId, formationId, applicant, opts));
  }

  verify(applicationId: string, verdict: 'MS' | 'TMS' = 'MS'): Promise<WriteResult> {
    return this.api.write('officer', this.app(applicationId, '/verification'), { verdict, documents: verdict === 'MS' ? MS_DOCUMENTS : TMS_DOCUMENTS });
  }

  confirm(applicationId: string, verdict: 'MS' | 'TMS' = 'MS'): Promise<WriteResult> {
    return this.api.write('supervisor', this.app(applicationId, '/verification/confirmation'), { verdict });
  }

  /** Verification by an officer and confirmation by a supervisor (four eyes). */
  async verified(applicationId: string, verdict: 'MS' | 'TMS' = 'MS'): Promise<void> {
    await this.verify(applicationId, verdict);
    await this.confirm(applicationId, verdict);
  }

  publish(stage: string, formationId?: string): Promise<WriteResult> {
    return this.api.write('supervisor', this.path('/publications'), { stage, reference: `PENG-${stage}-${formationId ?? 'semua'}`, ...(formationId ? { formationId } : {}) });
  }

  skd(applicationId: string, score: Skd, source: 'manual' | 'cat' = 'manual'): Promise<WriteResult> {
    return this.api.write('officer', this.app(applicationId, '/skd-scores'), { ...score, source });
  }

  absent(applicationId: string, stage: 'skd' | 'skb' | 'kompetensi' = 'skd'): Promise<WriteResult> {
    return this.api.write('officer', this.app(applicationId, '/absences'), { stage });
  }

  cut(formationId: string): Promise<WriteResult> {
    return this.api.write('supervisor', this.formation(formationId, '/skd-cut'), {});
  }

  async skb(applicationId: string, cat: number, practical: number): Promise<void> {
    await this.api.write('officer', this.app(applicationId, '/skb-scores'), { part: 'cat', score: cat, source: 'cat' });
    await this.api.write('officer', this.app(applicationId, '/skb-scores'), { part: 'practical', score: practical, source: 'manual', examiner: 'officer2' });
  }

  rank(formationId: string): Promise<WriteResult> {
    return this.api.write('supervisor', this.formation(formationId, '/ranking'));
  }

  final(applicationId: string, code: string, reference?: string): Promise<WriteResult> {
    return this.api.write('supervisor', this.app(applicationId, '/final-decision'), { code, ...(reference ? { reference } : {}) });
  }

  announceResults(formationId: string, results: { applicationId: string; code: string }[]): Promise<WriteResult> {
    return this.api.write('supervisor', this.formation(formationId, '/announcements'), { reference: `PENG-AKHIR-${formationId}`, documentHash: DOCUMENT_HASH, results });
  }

  resign(applicationId: string): Promise<WriteResult> {
    return this.api.write('portal', this.app(applicationId, '/resignation'), { reason: 'diterima di instansi lain' });
  }

  replace(formationId: string, resignedApplicationId: string, replacementApplicationId: string): Promise<WriteResult> {
    return this.api.write('supervisor', this.formation(formationId, '/replacements'), { resignedApplicationId, replacementApplicationId, reference: `PENGGANTI-${resignedApplicationId}` });
  }

  async application(applicationId: string, caller: Caller = 'inspector'): Promise<ApplicationView> {
    return this.api.read<ApplicationView>(caller, this.app(applicationId));
  }
}

/** The stages `drivePeriod` can stop after, in order. */
export const STAGES = ['opened', 'formation', 'submitted', 'confirmed', 'administrasi', 'skd', 'cut', 'skb', 'ranked', 'final', 'announced', 'resigned'] as const;
export type DriveStage = (typeof STAGES)[number];

/**
 * The standard small scenario, on formation F-A (quota 2, track umum), recorded up to `stage`:
 * pass and are ranked 1 and 2 (final L), A-6 is ranked 3 (TL); A-3 misses the
 * SKD (TH), A-4 is TMS, A-5 fails the SKD passing grade; A-2 resigns.
 */
export async function drivePeriod(api: Api, periodId: string, stage: DriveStage, opts: PeriodOptions = {}): Promise<Period> {
  const p = new Period(api, periodId);
  await p.open(opts);
  if (stage === 'opened') return p;
  await p.announce('F-A', 2);
  if (stage === 'formation') return p;
  const ids = ['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6'];
  for (const id of ids) await p.submit(id, 'F-A', makeApplicant({ birthDate: '1996-05-12' }));
  if (stage === 'submitted') return p;
  for (const id of ids) await p.verified(id, id === 'A-4' ? 'TMS' : 'MS');
  if (stage === 'confirmed') return p;
  await p.publish('administrasi');
  if (stage === 'administrasi') return p;
  await p.skd('A-1', { twk: 100, tiu: 120, tkp: 200 });
  await p.skd('A-2', { twk: 90, tiu: 110, tkp: 190 });
  await p.skd('A-6', { twk: 80, tiu: 100, tkp: 180 });
  await p.absent('A-3');
  await p.skd('A-5', { twk: 60, tiu: 80, tkp: 166 });
  if (stage === 'skd') return p;
  await p.cut('F-A');
  await p.publish('skd', 'F-A');
  if (stage === 'cut') return p;
  await p.skb('A-1', 90, 90);
  await p.skb('A-2', 80, 80);
  await p.skb('A-6', 70, 70);
  if (stage === 'skb') return p;
  await p.rank('F-A');
  if (stage === 'ranked') return p;
  await p.final('A-1', 'L');
  await p.final('A-2', 'L');
  await p.final('A-6', 'TL');
  if (stage === 'final') return p;
  await p.announceResults('F-A', [
    { applicationId: 'A-1', code: 'L' },
    { applicationId: 'A-2', code: 'L' },
    { applicationId: 'A-6', code: 'TL' },
  ]);
  if (stage === 'announced') return p;
  await p.resign('A-2');
  return p;
}
