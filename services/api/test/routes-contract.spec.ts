/**
 * The contract of every route of the app, table-driven: invalid input → 400 naming the
 * field without echoing values, no token → 401, a role the route does not admit → 403,
 * another agency's actor → 403, and idempotent writes (a replayed key answers the same
 * result with `replayed: true` and stores nothing; the key with another request → 422).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Api,
  DOCUMENT_HASH,
  MS_DOCUMENTS,
  PLANTED,
  Period,
  TMS_DOCUMENTS,
  daysFromNow,
  drivePeriod,
  expectProblem,
  expectRule,
  formationBody,
  makeApplicant,
  makeNik,
  periodBody,
  registrationsCsv,
  skdCsv,
  submitBody,
  wib,
  type PeriodView,
  type Problem,
  type Reply,
  type WriteResult,
} from './fixtures.ts';
import { AGENCY, key, startApp, type TestApp } from './support.ts';

const P = 'kontrak';
const Q = 'kontrak-pppk';
const NEW_PERIOD = 'buka-baru';
const DIRECTORY = 'directory';

type Role = 'admin' | 'officer' | 'supervisor' | 'portal' | 'inspector' | 'ombudsman';
const ROLES: readonly Role[] = ['admin', 'officer', 'supervisor', 'portal', 'inspector', 'ombudsman'];
const RECORDERS: readonly Role[] = ['officer', 'supervisor', 'admin'];
const DECIDERS: readonly Role[] = ['supervisor', 'admin'];

let t: TestApp;
let api: Api;

const pp = (rest: string, period = P) => `/v1/periods/${period}${rest}`;
const long = (prefix: string) => `${prefix}${PLANTED.repeat(5)}`;

beforeAll(async () => {
  t = await startApp();
  api = new Api(t);
  await api.addOtherAgencyActors();
  await api.addActor('petugas-pensiun', 'officer', AGENCY);

  // F-A through resignation (A-1 L, A-2 L and resigned, A-6 ranked TL, A-4 TMS).
  const p = await drivePeriod(api, P, 'resigned');
  // F-B: one application per state a command needs.
  await p.announce('F-B', 1);
  for (let i = 1; i <= 11; i++) await p.submit(`B-${i}`, 'F-B');
  await p.verify('B-2');
  await p.verify('B-3');
  await p.verified('B-4');
  await p.verified('B-5', 'TMS');
  await api.write('portal', p.app('B-5', '/sanggah'), { reason: 'transkrip sudah dilegalisir' });
  await p.verified('B-6');
  await p.verified('B-7');
  await p.verified('B-11');
  // F-C: one applicant through the SKD cut and the SKB.
  await p.announce('F-C', 1);
  await p.submit('C-1', 'F-C');
  await p.verified('C-1');
  await p.skd('C-1', { twk: 100, tiu: 100, tkp: 200 });
  await p.cut('F-C');
  await p.skb('C-1', 80, 85);
  // A PPPK period with one eligible applicant.
  const q = new Period(api, Q);
  await q.open({ kind: 'PPPK' });
  await q.announce('Q-F', 1);
  await q.submit('Q-1', 'Q-F', makeApplicant(), { pppkCategory: 'umum' });
  await q.verified('Q-1');
});
afterAll(() => t.close());

async function ledgerSize(ledger: string): Promise<number> {
  if (ledger === DIRECTORY) return t.store.size(t.service.directory.origin);
  const period = await api.get<PeriodView>('inspector', `/v1/periods/${ledger}`);
  return period.status === 404 ? 0 : period.body.size;
}

// ---------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------

interface Request {
  path: string;
  body?: unknown;
  csv?: boolean;
}

interface WriteCase {
  op: string;
  route: string;
  allowed: readonly Role[];
  ledger: string;
  valid: Request;
  /** Another request under the same key. */
  other: Request;
  /** An invalid request and the field the 400 must name. */
  bad: Request & { field: string };
  /** An actor of kota-lain whose role the route admits, and a request it may not make. */
  agency?: { actor: string; request: Request };
  /** Why the replay test asserts behaviour the code does not have yet. */
}

const regRow = (applicationId: string) => ({ applicationId, formationId: 'F-B', applicant: makeApplicant(), submittedAt: wib(-1) });

const WRITES: WriteCase[] = [
  {
    op: 'openPeriod',
    route: 'POST /v1/periods',
    allowed: ['admin', 'supervisor'],
    ledger: NEW_PERIOD,
    valid: { path: '/v1/periods', body: periodBody(NEW_PERIOD) },
    other: { path: '/v1/periods', body: periodBody(NEW_PERIOD, { year: 2025 }) },
    bad: { path: '/v1/periods', body: { ...periodBody('buka-salah'), year: PLANTED }, field: 'body.year' },
    agency: { actor: 'other-supervisor', request: { path: '/v1/periods', body: periodBody('buka-lain') } },
  },
  {
    op: 'registerAgency',
    route: 'POST /v1/agencies',
    allowed: ['admin'],
    ledger: DIRECTORY,
    valid: { path: '/v1/agencies', body: { code: 'kota-baru', name: 'Kota Baru', level: 'daerah' } },
    other: { path: '/v1/agencies', body: { code: 'kota-baru', name: 'Kota Baru Sekali', level: 'daerah' } },
    bad: { path: '/v1/agencies', body: { code: 'kota-salah', name: 'Kota Salah', level: PLANTED }, field: 'body.level' },
  },
  {
    op: 'registerActor',
    route: 'POST /v1/actors',
    allowed: ['admin'],
    ledger: DIRECTORY,
    valid: { path: '/v1/actors', body: { actorId: 'petugas-baru', role: 'officer', agency: AGENCY } },
    other: { path: '/v1/actors', body: { actorId: 'petugas-baru', role: 'supervisor', agency: AGENCY } },
    bad: { path: '/v1/actors', body: { actorId: 'petugas-salah', role: PLANTED, agency: null }, field: 'body.role' },
  },
  {
    op: 'declareRelative',
    route: 'POST /v1/actors/:actor/relatives',
    allowed: ['admin'],
    ledger: DIRECTORY,
    valid: { path: '/v1/actors/officer2/relatives', body: { relation: 'sibling', person: { name: 'Adik Petugas Dua', nik: makeNik() } } },
    other: { path: '/v1/actors/officer2/relatives', body: { relation: 'cousin', person: { name: 'Adik Petugas Dua', nik: makeNik() } } },
    bad: { path: '/v1/actors/officer2/relatives', body: { relation: 'spouse', person: { nik: `${PLANTED}9` } }, field: 'body.person.nik' },
  },
  {
    op: 'deactivateActor',
    route: 'POST /v1/actors/:actor/deactivation',
    allowed: ['admin'],
    ledger: DIRECTORY,
    valid: { path: '/v1/actors/petugas-pensiun/deactivation', body: { reason: 'pensiun' } },
    other: { path: '/v1/actors/petugas-pensiun/deactivation', body: { reason: 'mutasi' } },
    bad: { path: '/v1/actors/petugas-pensiun/deactivation', body: { reason: [PLANTED] }, field: 'body.reason' },
  },
  {
    op: 'submitApplication',
    route: 'POST /v1/periods/:period/applications',
    allowed: ['portal', 'officer', 'admin'],
    ledger: P,
    valid: { path: pp('/applications'), body: submitBody('S-1', 'F-B', makeApplicant()) },
    other: { path: pp('/applications'), body: submitBody('S-1', 'F-B', makeApplicant()) },
    bad: { path: pp('/applications'), body: submitBody('S-2', 'F-B', { ...makeApplicant(), email: PLANTED }), field: 'body.applicant.email' },
    agency: { actor: 'other-portal', request: { path: pp('/applications'), body: submitBody('S-9', 'F-B', makeApplicant()) } },
  },
  {
    op: 'decideRanking',
    route: 'POST /v1/periods/:period/formations/:formation/ranking',
    allowed: DECIDERS,
    ledger: P,
    valid: { path: pp('/formations/F-C/ranking') },
    other: { path: pp('/formations/F-A/ranking') },
    bad: { path: pp(`/formations/${long('F')}/ranking`), field: 'params.formation' },
    agency: { actor: 'other-supervisor', request: { path: pp('/formations/F-A/ranking') } },
  },
  {
    op: 'erasePersonalData',
    route: 'POST /v1/periods/:period/applications/:application/erasure',
    allowed: ['admin'],
    ledger: P,
    valid: { path: pp('/applications/B-10/erasure'), body: { legalBasis: 'UU 27/2022 PDP Ps 8', requestRef: 'PERMINTAAN-1' } },
    other: { path: pp('/applications/B-10/erasure'), body: { legalBasis: 'UU 27/2022 PDP Ps 8', requestRef: 'PERMINTAAN-2' } },
    bad: { path: pp('/applications/B-10/erasure'), body: { legalBasis: [PLANTED], requestRef: 'R' }, field: 'body.legalBasis' },
  },
  {
    op: 'amendSchedule',
    route: 'POST /v1/periods/:period/schedule/amendments',
    allowed: ['admin', 'supervisor'],
    ledger: P,
    valid: { path: pp('/schedule/amendments'), body: { stage: 'skb', opens: daysFromNow(20), closes: daysFromNow(25), reason: 'jadwal SKB', reference: 'PENG-JADWAL-1' } },
    other: { path: pp('/schedule/amendments'), body: { stage: 'skb', opens: daysFromNow(20), closes: daysFromNow(25), reason: 'jadwal SKB', reference: 'PENG-JADWAL-2' } },
    bad: { path: pp('/schedule/amendments'), body: { stage: PLANTED, closes: daysFromNow(25), reason: 'r', reference: 'x' }, field: 'body.stage' },
    agency: { actor: 'other-supervisor', request: { path: pp('/schedule/amendments'), body: { stage: 'skb', closes: daysFromNow(26), opens: daysFromNow(21), reason: 'r', reference: 'x' } } },
  },
  {
    op: 'publishResults',
    route: 'POST /v1/periods/:period/publications',
    allowed: ['admin', 'supervisor'],
    ledger: P,
    valid: { path: pp('/publications'), body: { stage: 'final', reference: 'PENG-FINAL-1' } },
    other: { path: pp('/publications'), body: { stage: 'final', reference: 'PENG-FINAL-2' } },
    bad: { path: pp('/publications'), body: { stage: PLANTED, reference: 'x' }, field: 'body.stage' },
    agency: { actor: 'other-supervisor', request: { path: pp('/publications'), body: { stage: 'final', reference: 'PENG-LAIN' } } },
  },
  {
    op: 'announceFormation',
    route: 'POST /v1/periods/:period/formations',
    allowed: ['admin', 'supervisor'],
    ledger: P,
    valid: { path: pp('/formations'), body: formationBody('F-NEW', 1) },
    other: { path: pp('/formations'), body: formationBody('F-NEW', 3) },
    bad: { path: pp('/formations'), body: { ...formationBody('F-BAD'), quota: PLANTED }, field: 'body.quota' },
    agency: { actor: 'other-supervisor', request: { path: pp('/formations'), body: formationBody('F-LAIN') } },
  },
  {
    op: 'amendFormation',
    route: 'POST /v1/periods/:period/formations/:formation/amendments',
    allowed: ['admin', 'supervisor'],
    ledger: P,
    valid: { path: pp('/formations/F-B/amendments'), body: { changes: { quota: 2 }, reason: 'tambahan kebutuhan', reference: 'AMEND-1' } },
    other: { path: pp('/formations/F-B/amendments'), body: { changes: { quota: 3 }, reason: 'tambahan kebutuhan', reference: 'AMEND-1' } },
    bad: { path: pp('/formations/F-B/amendments'), body: { changes: { quota: PLANTED }, reason: 'r', reference: 'x' }, field: 'body.changes.quota' },
    agency: { actor: 'other-supervisor', request: { path: pp('/formations/F-B/amendments'), body: { changes: { quota: 5 }, reason: 'r', reference: 'x' } } },
  },
  {
    op: 'verifyDocuments',
    route: 'POST /v1/periods/:period/applications/:application/verification',
    allowed: ['officer'],
    ledger: P,
    valid: { path: pp('/applications/B-1/verification'), body: { verdict: 'MS', documents: MS_DOCUMENTS } },
    other: { path: pp('/applications/B-1/verification'), body: { verdict: 'TMS', documents: TMS_DOCUMENTS } },
    bad: { path: pp('/applications/B-1/verification'), body: { verdict: PLANTED, documents: MS_DOCUMENTS }, field: 'body.verdict' },
    agency: { actor: 'other-officer', request: { path: pp('/applications/B-1/verification'), body: { verdict: 'MS', documents: MS_DOCUMENTS } } },
  },
  {
    op: 'confirmVerification',
    route: 'POST /v1/periods/:period/applications/:application/verification/confirmation',
    allowed: ['supervisor'],
    ledger: P,
    valid: { path: pp('/applications/B-2/verification/confirmation'), body: { verdict: 'MS' } },
    other: { path: pp('/applications/B-2/verification/confirmation'), body: { verdict: 'MS', note: 'lengkap' } },
    bad: { path: pp('/applications/B-2/verification/confirmation'), body: { verdict: PLANTED }, field: 'body.verdict' },
    agency: { actor: 'other-supervisor', request: { path: pp('/applications/B-2/verification/confirmation'), body: { verdict: 'MS' } } },
  },
  {
    op: 'returnVerification',
    route: 'POST /v1/periods/:period/applications/:application/verification/return',
    allowed: ['supervisor'],
    ledger: P,
    valid: { path: pp('/applications/B-3/verification/return'), body: { reason: 'pindaian ijazah buram' } },
    other: { path: pp('/applications/B-3/verification/return'), body: { reason: 'periksa ulang' } },
    bad: { path: pp('/applications/B-3/verification/return'), body: { reason: [PLANTED] }, field: 'body.reason' },
    agency: { actor: 'other-supervisor', request: { path: pp('/applications/B-3/verification/return'), body: { reason: 'x' } } },
  },
  {
    op: 'reverify',
    route: 'POST /v1/periods/:period/applications/:application/reverification',
    allowed: ['supervisor'],
    ledger: P,
    valid: { path: pp('/applications/B-4/reverification'), body: { verdict: 'TMS', documents: TMS_DOCUMENTS, reason: 'temuan audit' } },
    other: { path: pp('/applications/B-4/reverification'), body: { verdict: 'TMS', documents: TMS_DOCUMENTS, reason: 'temuan lain' } },
    bad: { path: pp('/applications/B-4/reverification'), body: { verdict: PLANTED, documents: TMS_DOCUMENTS, reason: 'r' }, field: 'body.verdict' },
    agency: { actor: 'other-supervisor', request: { path: pp('/applications/B-4/reverification'), body: { verdict: 'TMS', documents: TMS_DOCUMENTS, reason: 'r' } } },
  },
  {
    op: 'fileSanggah',
    route: 'POST /v1/periods/:period/applications/:application/sanggah',
    allowed: ['portal'],
    ledger: P,
    valid: { path: pp('/applications/A-4/sanggah'), body: { reason: 'transkrip sudah dilegalisir' } },
    other: { path: pp('/applications/A-4/sanggah'), body: { reason: 'alasan lain' } },
    bad: { path: pp('/applications/A-4/sanggah'), body: { reason: [PLANTED] }, field: 'body.reason' },
    agency: { actor: 'other-portal', request: { path: pp('/applications/A-4/sanggah'), body: { reason: 'x' } } },
  },
  {
    op: 'decideSanggah',
    route: 'POST /v1/periods/:period/applications/:application/sanggah/decision',
    allowed: ['supervisor'],
    ledger: P,
    valid: { path: pp('/applications/B-5/sanggah/decision'), body: { accepted: true, reason: 'terbukti dilegalisir', newVerdict: 'MS', approvalRef: 'PANSELNAS-1' } },
    other: { path: pp('/applications/B-5/sanggah/decision'), body: { accepted: false, reason: 'tidak terbukti' } },
    bad: { path: pp('/applications/B-5/sanggah/decision'), body: { accepted: PLANTED, reason: 'r' }, field: 'body.accepted' },
    agency: { actor: 'other-supervisor', request: { path: pp('/applications/B-5/sanggah/decision'), body: { accepted: false, reason: 'x' } } },
  },
  {
    op: 'recordSkdScore',
    route: 'POST /v1/periods/:period/applications/:application/skd-scores',
    allowed: RECORDERS,
    ledger: P,
    valid: { path: pp('/applications/B-6/skd-scores'), body: { twk: 85, tiu: 95, tkp: 170, source: 'manual' } },
    other: { path: pp('/applications/B-6/skd-scores'), body: { twk: 90, tiu: 95, tkp: 170, source: 'manual' } },
    bad: { path: pp('/applications/B-6/skd-scores'), body: { twk: PLANTED, tiu: 95, tkp: 170, source: 'manual' }, field: 'body.twk' },
    agency: { actor: 'other-officer', request: { path: pp('/applications/B-6/skd-scores'), body: { twk: 85, tiu: 95, tkp: 170, source: 'manual' } } },
  },
  {
    op: 'recordAbsence',
    route: 'POST /v1/periods/:period/applications/:application/absences',
    allowed: RECORDERS,
    ledger: P,
    valid: { path: pp('/applications/B-7/absences'), body: { stage: 'skd' } },
    other: { path: pp('/applications/B-7/absences'), body: { stage: 'skb' } },
    bad: { path: pp('/applications/B-7/absences'), body: { stage: PLANTED }, field: 'body.stage' },
    agency: { actor: 'other-officer', request: { path: pp('/applications/B-7/absences'), body: { stage: 'skd' } } },
  },
  {
    op: 'disqualify',
    route: 'POST /v1/periods/:period/applications/:application/disqualification',
    allowed: DECIDERS,
    ledger: P,
    valid: { path: pp('/applications/B-8/disqualification'), body: { reason: 'dokumen dipalsukan', reference: 'SK-DIS-1' } },
    other: { path: pp('/applications/B-8/disqualification'), body: { reason: 'dokumen dipalsukan', reference: 'SK-DIS-2' } },
    bad: { path: pp('/applications/B-8/disqualification'), body: { reason: 'r', reference: [PLANTED] }, field: 'body.reference' },
    agency: { actor: 'other-supervisor', request: { path: pp('/applications/B-8/disqualification'), body: { reason: 'r', reference: 'x' } } },
  },
  {
    op: 'decideSkdCut',
    route: 'POST /v1/periods/:period/formations/:formation/skd-cut',
    allowed: DECIDERS,
    ledger: P,
    valid: { path: pp('/formations/F-C/skd-cut'), body: {} },
    other: { path: pp('/formations/F-A/skd-cut'), body: {} },
    bad: { path: pp('/formations/F-C/skd-cut'), body: [PLANTED], field: 'body' },
    agency: { actor: 'other-supervisor', request: { path: pp('/formations/F-C/skd-cut'), body: {} } },
  },
  {
    op: 'recordSkbScore',
    route: 'POST /v1/periods/:period/applications/:application/skb-scores',
    allowed: RECORDERS,
    ledger: P,
    valid: { path: pp('/applications/C-1/skb-scores'), body: { part: 'cat', score: 75, source: 'cat' } },
    other: { path: pp('/applications/C-1/skb-scores'), body: { part: 'cat', score: 76, source: 'cat' } },
    bad: { path: pp('/applications/C-1/skb-scores'), body: { part: PLANTED, score: 75, source: 'cat' }, field: 'body.part' },
    agency: { actor: 'other-officer', request: { path: pp('/applications/C-1/skb-scores'), body: { part: 'cat', score: 70, source: 'cat' } } },
  },
  {
    op: 'recordCompetencyScore',
    route: 'POST /v1/periods/:period/applications/:application/competency-scores',
    allowed: RECORDERS,
    ledger: Q,
    valid: { path: pp('/applications/Q-1/competency-scores', Q), body: { teknis: 300, manajerial: 60, sosialKultural: 60, wawancara: 30, source: 'manual' } },
    other: { path: pp('/applications/Q-1/competency-scores', Q), body: { teknis: 305, manajerial: 60, sosialKultural: 60, wawancara: 30, source: 'manual' } },
    bad: { path: pp('/applications/Q-1/competency-scores', Q), body: { teknis: PLANTED, manajerial: 60, sosialKultural: 60, wawancara: 30, source: 'manual' }, field: 'body.teknis' },
    agency: { actor: 'other-officer', request: { path: pp('/applications/Q-1/competency-scores', Q), body: { teknis: 300, manajerial: 60, sosialKultural: 60, wawancara: 30, source: 'manual' } } },
  },
  {
    op: 'recordFinalDecision',
    route: 'POST /v1/periods/:period/applications/:application/final-decision',
    allowed: DECIDERS,
    ledger: P,
    valid: { path: pp('/applications/B-9/final-decision'), body: { code: 'TMS' } },
    other: { path: pp('/applications/B-9/final-decision'), body: { code: 'TL' } },
    bad: { path: pp('/applications/B-9/final-decision'), body: { code: PLANTED }, field: 'body.code' },
    agency: { actor: 'other-supervisor', request: { path: pp('/applications/B-9/final-decision'), body: { code: 'TMS' } } },
  },
  {
    op: 'announceResults',
    route: 'POST /v1/periods/:period/formations/:formation/announcements',
    allowed: DECIDERS,
    ledger: P,
    valid: { path: pp('/formations/F-A/announcements'), body: { reference: 'PENG-AKHIR-2', documentHash: DOCUMENT_HASH, results: [{ applicationId: 'A-1', code: 'L' }] } },
    other: { path: pp('/formations/F-A/announcements'), body: { reference: 'PENG-AKHIR-3', documentHash: DOCUMENT_HASH, results: [{ applicationId: 'A-1', code: 'L' }] } },
    bad: { path: pp('/formations/F-A/announcements'), body: { reference: 'x', documentHash: PLANTED, results: [{ applicationId: 'A-1', code: 'L' }] }, field: 'body.documentHash' },
    agency: { actor: 'other-supervisor', request: { path: pp('/formations/F-A/announcements'), body: { reference: 'x', documentHash: DOCUMENT_HASH, results: [{ applicationId: 'A-1', code: 'L' }] } } },
  },
  {
    op: 'resignApplicant',
    route: 'POST /v1/periods/:period/applications/:application/resignation',
    allowed: ['portal', 'supervisor', 'admin'],
    ledger: P,
    valid: { path: pp('/applications/A-1/resignation'), body: { reason: 'melanjutkan studi' } },
    other: { path: pp('/applications/A-1/resignation'), body: { reason: 'alasan keluarga' } },
    bad: { path: pp('/applications/A-1/resignation'), body: { reason: [PLANTED] }, field: 'body.reason' },
    agency: { actor: 'other-portal', request: { path: pp('/applications/A-1/resignation'), body: { reason: 'x' } } },
  },
  {
    op: 'appointReplacement',
    route: 'POST /v1/periods/:period/formations/:formation/replacements',
    allowed: DECIDERS,
    ledger: P,
    valid: { path: pp('/formations/F-A/replacements'), body: { resignedApplicationId: 'A-2', replacementApplicationId: 'A-6', reference: 'SK-GANTI-1' } },
    other: { path: pp('/formations/F-A/replacements'), body: { resignedApplicationId: 'A-2', replacementApplicationId: 'A-6', reference: 'SK-GANTI-2' } },
    bad: { path: pp('/formations/F-A/replacements'), body: { resignedApplicationId: `x ${PLANTED}`, replacementApplicationId: 'A-6', reference: 'x' }, field: 'body.resignedApplicationId' },
    agency: { actor: 'other-supervisor', request: { path: pp('/formations/F-A/replacements'), body: { resignedApplicationId: 'A-2', replacementApplicationId: 'A-6', reference: 'x' } } },
  },
  {
    op: 'importRegistrations',
    route: 'POST /v1/periods/:period/imports/registrations',
    allowed: ['officer', 'admin'],
    ledger: P,
    valid: { path: pp('/imports/registrations'), body: registrationsCsv([regRow('R-1'), regRow('R-2')]), csv: true },
    other: { path: pp('/imports/registrations'), body: registrationsCsv([regRow('R-1')]), csv: true },
    bad: { path: pp('/imports/registrations'), body: { nik: PLANTED }, field: 'body' },
    agency: { actor: 'other-officer', request: { path: pp('/imports/registrations'), body: registrationsCsv([regRow('R-9')]), csv: true } },
  },
  {
    op: 'importCatScores',
    route: 'POST /v1/periods/:period/imports/cat-scores',
    allowed: RECORDERS,
    ledger: P,
    valid: { path: pp('/imports/cat-scores'), body: skdCsv([{ applicationId: 'B-11', twk: 90, tiu: 100, tkp: 180 }]), csv: true },
    other: { path: pp('/imports/cat-scores'), body: skdCsv([{ applicationId: 'B-11', twk: 95, tiu: 100, tkp: 180 }]), csv: true },
    bad: { path: pp('/imports/cat-scores'), body: { nik: PLANTED }, field: 'body' },
    agency: { actor: 'other-officer', request: { path: pp('/imports/cat-scores'), body: skdCsv([{ applicationId: 'A-5', twk: 65, tiu: 85, tkp: 170 }]), csv: true } },
  },
];

/** The problem as text without `instance`, which is the request path by RFC 7807 (a bad path parameter is in it by design). */
function withoutInstance(problem: Problem): string {
  const { instance, ...rest } = problem;
  expect(instance).toMatch(/^\/v1\//);
  return JSON.stringify(rest);
}

const send = (caller: string | null, r: Request, opts: { key?: string | null } = {}) => api.post<unknown>(caller, r.path, r.body, { ...opts, ...(r.csv ? { csv: true } : {}) });

describe.each(WRITES)('$route ($op)', (c) => {
  it('answers 401 without a token', async () => {
    const res = await send(null, c.valid);
    expect(expectProblem(res, 401).type).toBe('urn:casn:problem:unauthenticated');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it(`answers 403 to every role but ${c.allowed.join(', ')}`, async () => {
    const denied = ROLES.filter((r) => !c.allowed.includes(r));
    expect(denied).toEqual(expect.arrayContaining(['inspector', 'ombudsman']));
    for (const role of denied) {
      const res = await send(role, c.valid);
      expect(expectProblem(res, 403).type, `${role} on ${c.op}`).toBe('urn:casn:problem:forbidden');
    }
  });

  it('answers 400 to an invalid request, naming the field without echoing the value', async () => {
    const before = await ledgerSize(c.ledger);
    const res = await send(c.allowed[0]!, c.bad);
    const problem = expectProblem(res, 400);
    expect(problem.type).toBe('urn:casn:problem:invalid-request');
    expect(problem.errors?.map((e) => e.field)).toContain(c.bad.field);
    expect(withoutInstance(problem)).not.toContain(PLANTED);
    expect(await ledgerSize(c.ledger)).toBe(before);
  });

  it('answers 400 to a write without an Idempotency-Key', async () => {
    const res = await send(c.allowed[0]!, c.valid, { key: null });
    const problem = expectProblem(res, 400);
    expect(problem.type).toBe('urn:casn:problem:idempotency-key');
    expect(problem.errors?.[0]?.field).toBe('header.Idempotency-Key');
  });

  if (c.agency) {
    const agency = c.agency;
    it(`answers 403 to ${agency.actor} of another agency`, async () => {
      const before = await ledgerSize(c.ledger);
      const res = await send(agency.actor, agency.request);
      expect(expectProblem(res, 403).type).toMatch(/agency/);
      expect(await ledgerSize(c.ledger)).toBe(before);
    });
  }

  let usedKey: string | undefined;
  it(`records once per Idempotency-Key: a replay answers the same result with replayed: true`, async () => {
    const k = key();
    usedKey = k;
    const before = await ledgerSize(c.ledger);
    const first = await send(c.allowed[0]!, c.valid, { key: k });
    expect(first.status, first.text).toBe(201);
    const firstWrite = c.valid.csv ? (first.body as { write: WriteResult }).write : (first.body as WriteResult);
    expect(firstWrite.replayed).toBe(false);
    expect(firstWrite.entries.length).toBeGreaterThan(0);
    const after = await ledgerSize(c.ledger);
    expect(after).toBe(before + firstWrite.entries.length);

    const again = await send(c.allowed[0]!, c.valid, { key: k });
    expect(again.status, again.text).toBe(201);
    expect(again.body).toEqual(c.valid.csv ? { ...(first.body as object), write: { ...firstWrite, replayed: true } } : { ...firstWrite, replayed: true });
    expect(await ledgerSize(c.ledger)).toBe(after);
  });

  it('answers 422 to the same Idempotency-Key with another request, recording nothing', async () => {
    expect(usedKey).toBeDefined();
    const before = await ledgerSize(c.ledger);
    const res = await send(c.allowed[0]!, c.other, { key: usedKey! });
    const problem = expectProblem(res, 422);
    expect(problem.type).toBe('urn:casn:problem:idempotency-mismatch');
    expect(await ledgerSize(c.ledger)).toBe(before);
  });
});

describe('idempotency details', () => {
  it('replays the registration of an actor with personal data', async () => {
    const k = key();
    const body = { actorId: 'petugas-berdata', role: 'officer', agency: AGENCY, person: { name: 'Petugas Berdata', nik: makeNik() } };
    const first = await api.post('admin', '/v1/actors', body, { key: k });
    expect(first.status, first.text).toBe(201);
    const size = await t.store.size(t.service.directory.origin);
    const again = await api.post('admin', '/v1/actors', body, { key: k });
    expect(again.status, again.text).toBe(201);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect(await t.store.size(t.service.directory.origin)).toBe(size);
  });

  it('seals no personal data again when a submission or an import is replayed', async () => {
    const keys = async () => Number((await t.db.database.query<{ n: number }>('SELECT count(*)::int AS n FROM subject_keys'))[0]!.n);
    const k1 = key();
    const body = submitBody('S-20', 'F-B', makeApplicant());
    await api.write('portal', pp('/applications'), body, { key: k1 });
    const k2 = key();
    const file = registrationsCsv([regRow('R-20'), regRow('R-21')]);
    await api.write('officer', pp('/imports/registrations'), file, { key: k2, csv: true });
    const before = await keys();
    expect((await api.write('portal', pp('/applications'), body, { key: k1 })).replayed).toBe(true);
    expect((await api.write<{ write: WriteResult }>('officer', pp('/imports/registrations'), file, { key: k2, csv: true })).write.replayed).toBe(true);
    expect(await keys()).toBe(before);
  });

  it('records a request sent twice at once exactly once', async () => {
    const k = key();
    const body = submitBody('S-30', 'F-B', makeApplicant());
    const before = await api.size(P);
    const [a, b] = await Promise.all([api.post('portal', pp('/applications'), body, { key: k }), api.post('portal', pp('/applications'), body, { key: k })]);
    expect([a.status, b.status], `${a.text} ${b.text}`).toEqual([201, 201]);
    expect([a.body.replayed, b.body.replayed].sort()).toEqual([false, true]);
    expect(a.body.entries[0]).toEqual(b.body.entries[0]);
    expect(await api.size(P)).toBe(before + 2);
  });

  it('lands concurrent writes to one application one after another', async () => {
    const before = await api.size(P);
    const writes = await Promise.all([71, 72, 73].map((score) => api.post('officer', pp('/applications/C-1/skb-scores'), { part: 'cat', score, source: 'cat' })));
    expect(writes.map((w) => w.status)).toEqual([201, 201, 201]);
    const versions = writes.map((w) => w.body.entries[0]!.version).sort((x, y) => x - y);
    expect(versions[1]).toBe(versions[0]! + 1);
    expect(versions[2]).toBe(versions[0]! + 2);
    expect(await api.size(P)).toBe(before + 3);
  });

  it('refuses the same key from another actor: the caller is part of the request', async () => {
    const k = key();
    await api.write('supervisor', pp('/applications/B-8/final-decision'), { code: 'TMS' }, { key: k });
    const before = await api.size(P);
    const res = await api.post('supervisor2', pp('/applications/B-8/final-decision'), { code: 'TMS' }, { key: k });
    expect(expectProblem(res, 422).type).toBe('urn:casn:problem:idempotency-mismatch');
    expect(await api.size(P)).toBe(before);
  });

  it('refuses a malformed Idempotency-Key', async () => {
    const res = await api.post('supervisor', pp('/publications'), { stage: 'final', reference: 'X' }, { key: 'bad key with spaces' });
    expect(expectProblem(res, 400).errors?.[0]?.field).toBe('header.Idempotency-Key');
  });
});

// ---------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------

interface ReadCase {
  op: string;
  route: string;
  allowed: readonly Role[];
  path: string;
  query?: Record<string, string | number>;
  bad?: { path: string; query?: Record<string, string | number>; field: string };
  /** False for reads outside any period (the directory, the list of periods). */
  scoped: boolean;
}

const ALL: readonly Role[] = ROLES;
const READERS: readonly Role[] = ['officer', 'supervisor', 'inspector', 'ombudsman', 'admin'];

const READS: ReadCase[] = [
  { op: 'listPeriods', route: 'GET /v1/periods', allowed: ALL, path: '/v1/periods', scoped: false },
  { op: 'getPeriod', route: 'GET /v1/periods/:period', allowed: ALL, path: pp(''), bad: { path: `/v1/periods/${long('p')}`, field: 'params.period' }, scoped: true },
  { op: 'listActors', route: 'GET /v1/actors', allowed: ['admin', 'inspector', 'ombudsman'], path: '/v1/actors', scoped: false },
  {
    op: 'listApplications',
    route: 'GET /v1/periods/:period/applications',
    allowed: READERS,
    path: pp('/applications'),
    query: { limit: 5 },
    bad: { path: pp('/applications'), query: { limit: PLANTED }, field: 'query.limit' },
    scoped: true,
  },
  { op: 'getApplication', route: 'GET /v1/periods/:period/applications/:application', allowed: ALL, path: pp('/applications/A-1'), bad: { path: pp(`/applications/${long('A')}`), field: 'params.application' }, scoped: true },
  {
    op: 'applicationTimeline',
    route: 'GET /v1/periods/:period/applications/:application/timeline',
    allowed: ALL,
    path: pp('/applications/A-1/timeline'),
    bad: { path: pp(`/applications/${long('A')}/timeline`), field: 'params.application' },
    scoped: true,
  },
  { op: 'listFormations', route: 'GET /v1/periods/:period/formations', allowed: READERS, path: pp('/formations'), bad: { path: `/v1/periods/${long('p')}/formations`, field: 'params.period' }, scoped: true },
  {
    op: 'formationRanking',
    route: 'GET /v1/periods/:period/formations/:formation/ranking',
    allowed: READERS,
    path: pp('/formations/F-A/ranking'),
    bad: { path: pp(`/formations/${long('F')}/ranking`), field: 'params.formation' },
    scoped: true,
  },
  { op: 'listDiscrepancies', route: 'GET /v1/periods/:period/discrepancies', allowed: READERS, path: pp('/discrepancies'), bad: { path: `/v1/periods/${long('p')}/discrepancies`, field: 'params.period' }, scoped: true },
  {
    op: 'officerActivity',
    route: 'GET /v1/periods/:period/officers/:actor/activity',
    allowed: READERS,
    path: pp('/officers/officer/activity'),
    bad: { path: pp('/officers/officer/activity'), query: { before: `x${PLANTED}` }, field: 'query.before' },
    scoped: true,
  },
  { op: 'latestCheckpoint', route: 'GET /v1/ledgers/:period/checkpoint', allowed: ALL, path: `/v1/ledgers/${P}/checkpoint`, bad: { path: `/v1/ledgers/${long('p')}/checkpoint`, field: 'params.period' }, scoped: true },
  { op: 'getEntry', route: 'GET /v1/ledgers/:period/entries/:seq', allowed: ALL, path: `/v1/ledgers/${P}/entries/0`, bad: { path: `/v1/ledgers/${P}/entries/${PLANTED}x`, field: 'params.seq' }, scoped: true },
  {
    op: 'inclusionProof',
    route: 'GET /v1/ledgers/:period/proofs/inclusion',
    allowed: ALL,
    path: `/v1/ledgers/${P}/proofs/inclusion`,
    query: { seq: 0 },
    bad: { path: `/v1/ledgers/${P}/proofs/inclusion`, query: { seq: `${PLANTED}x` }, field: 'query.seq' },
    scoped: true,
  },
  {
    op: 'consistencyProof',
    route: 'GET /v1/ledgers/:period/proofs/consistency',
    allowed: ALL,
    path: `/v1/ledgers/${P}/proofs/consistency`,
    query: { from: 1, to: 2 },
    bad: { path: `/v1/ledgers/${P}/proofs/consistency`, query: { from: `x${PLANTED}`, to: 2 }, field: 'query.from' },
    scoped: true,
  },
];

describe.each(READS)('$route ($op)', (c) => {
  beforeAll(async () => {
    // The checkpoint read needs one signed checkpoint.
    if (c.op === 'latestCheckpoint' || c.op === 'inclusionProof') await t.store.checkpoint(`test.casn.go.id/${P}`);
  });

  it('answers 401 without a token', async () => {
    const res = await api.get(null, c.path, c.query);
    expect(expectProblem(res, 401).type).toBe('urn:casn:problem:unauthenticated');
  });

  it(`answers 200 to ${c.allowed.join(', ')} and 403 to any other role`, async () => {
    for (const role of ROLES) {
      const res = await api.get(role, c.path, c.query);
      if (c.allowed.includes(role)) expect(res.status, `${role}: ${res.text}`).toBe(200);
      else expect(expectProblem(res, 403).type, role).toBe('urn:casn:problem:forbidden');
    }
  });

  if (c.bad) {
    const bad = c.bad;
    it('answers 400 to an invalid path or query, naming it without echoing the value', async () => {
      const res = await api.get('inspector', bad.path, bad.query);
      const problem = expectProblem(res, 400);
      expect(problem.type).toBe('urn:casn:problem:invalid-request');
      expect(problem.errors?.map((e) => e.field)).toContain(bad.field);
      expect(withoutInstance(problem)).not.toContain(PLANTED);
    });
  }

  if (c.scoped) {
    it("answers 403 to an officer of another agency reading kota-uji's period", async () => {
      const res = await api.get('other-officer', c.path, c.query);
      const problem = expectProblem(res, 403);
      expect(problem.type).toBe('urn:casn:problem:agency-scope');
    });
  }
});

describe('outside the table', () => {
  it('lists only the periods of an agency to its officers, every period to oversight', async () => {
    await api.write('other-supervisor', '/v1/periods', periodBody('lain-2024', { agency: 'kota-lain' }));
    const own = await api.read<{ items: { periodId: string; agency: string }[] }>('other-officer', '/v1/periods');
    expect(own.items.map((p) => p.periodId)).toEqual(['lain-2024']);
    const all = await api.read<{ items: { periodId: string }[] }>('ombudsman', '/v1/periods');
    expect(all.items.map((p) => p.periodId)).toEqual(expect.arrayContaining([P, Q, 'lain-2024']));
    const mine = await api.read<{ items: { periodId: string; agency: string }[] }>('officer', '/v1/periods');
    expect(mine.items.every((p) => p.agency === AGENCY)).toBe(true);
  });

  it('answers 404 for an unknown period, application or formation', async () => {
    expect(expectProblem(await api.get('inspector', '/v1/periods/tidak-ada'), 404).type).toBe('urn:casn:rule:period-not-open');
    expectProblem(await api.get('inspector', pp('/applications/TIDAK-ADA')), 404);
    expectRule(await api.post('officer', pp('/applications/TIDAK-ADA/verification'), { verdict: 'MS', documents: MS_DOCUMENTS }), 'application-not-found', 404);
    expectRule(await api.post('supervisor', pp('/formations/TIDAK-ADA/skd-cut'), {}), 'formation-not-found', 404);
    const unknown = expectRule(await api.post('portal', pp('/applications'), submitBody('S-404', 'F-TIDAK-ADA', makeApplicant())), 'formation-not-found', 404);
    expect(unknown.errors?.[0]?.field).toBe('body.formationId');
  });

  it('names path parameters in 404s as the 400s do: params.<name>', async () => {
    const fields = async (res: Promise<Reply<unknown>>) => expectProblem(await res, 404).errors?.map((e) => e.field);
    expect(await fields(api.get('inspector', '/v1/periods/tidak-ada'))).toEqual(['params.period']);
    expect(await fields(api.post('officer', pp('/applications/TIDAK-ADA/verification'), { verdict: 'MS', documents: MS_DOCUMENTS }))).toEqual(['params.application']);
    expect(await fields(api.post('admin', pp('/applications/TIDAK-ADA/erasure'), { legalBasis: 'UU 27/2022', requestRef: 'R-1' }))).toEqual(['params.application']);
    expect(await fields(api.post('supervisor', pp('/formations/TIDAK-ADA/skd-cut'), {}))).toEqual(['params.formation']);
    expect(await fields(api.post('supervisor', pp('/formations/TIDAK-ADA/ranking')))).toEqual(['params.formation']);
  });

  it('answers a domain refusal with 422, its rule, the urn and the field', async () => {
    const before = await api.size(P);
    const res = await api.post('officer', pp('/applications/A-1/skd-scores'), { twk: 101, tiu: 100, tkp: 100, source: 'manual' });
    const problem = expectRule(res, 'score-range');
    expect(problem.errors?.[0]?.field).toBe('body.twk');
    expect(await api.size(P)).toBe(before);
  });

  it('keeps verification four-eyed by role: officers verify, only supervisors confirm or return', async () => {
    expectProblem(await api.post('officer', pp('/applications/B-2/verification/confirmation'), { verdict: 'MS' }), 403);
    expectProblem(await api.post('officer2', pp('/applications/B-2/verification/return'), { reason: 'x' }), 403);
    expectProblem(await api.post('supervisor', pp('/applications/B-1/verification'), { verdict: 'MS', documents: MS_DOCUMENTS }), 403);
  });

  it('stops a deactivated actor at once', async () => {
    await api.addActor('petugas-sementara', 'officer', AGENCY);
    await api.write('admin', '/v1/actors/petugas-sementara/deactivation', { reason: 'kontrak selesai' });
    const res = await api.post('petugas-sementara', pp('/applications/B-6/absences'), { stage: 'skd' });
    expectRule(res, 'actor-inactive', 403);
  });

  it('lists actors without personal data', async () => {
    const res = await api.read<{ items: { actorId: string; role: string; agency: string | null; active: boolean; relatives: number }[] }>('inspector', '/v1/actors');
    const officer2 = res.items.find((a) => a.actorId === 'officer2');
    expect(officer2).toMatchObject({ role: 'officer', agency: AGENCY, active: true });
    expect(res.items.find((a) => a.actorId === 'petugas-pensiun')?.active).toBe(false);
    expect(JSON.stringify(res)).not.toMatch(/Adik Petugas|nik/i);
  });
});
