import { PeriodEvents, type PeriodEventType } from '@casn/domain';
import { ANY, type EventStore } from '@casn/event-store';
import type { Payload } from '../src/types.ts';

export const supervisor = { id: 'supervisor-1', role: 'supervisor' };
export const officer1 = { id: 'officer-1', role: 'officer' };
export const officer2 = { id: 'officer-2', role: 'officer' };
export const portal = { id: 'portal', role: 'portal' };
type Actor = typeof supervisor;

const hex = (n: number): string => n.toString(16).padStart(32, '0');

/** Appends one valid period event (checked against the catalogue first). */
export async function record<K extends PeriodEventType>(store: EventStore, origin: string, stream: string, type: K, actor: Actor, payload: Payload<K>): Promise<number> {
  (PeriodEvents[type] as { parse(v: unknown): unknown }).parse(payload);
  return (await store.append(origin, stream, ANY, [{ type, actor, payload }])).firstSeq;
}

/** Submits an application (PersonRegistered and ApplicationSubmitted in one append). */
export async function submit(store: EventStore, origin: string, n: number, formationId: string): Promise<void> {
  const applicationId = `A-${n}`;
  const submitted: Payload<'ApplicationSubmitted'> = {
    applicationId,
    formationId,
    channel: 'portal',
    submittedAt: `2026-08-0${n}T10:00:00+07:00`,
    personal: { subject: `subject-${applicationId}`, alg: 'A256GCM', iv: 'AAAA', ct: 'AAAA' },
    indexes: { nik: hex(n), name: hex(100 + n) },
    education: { level: 'S1', ipk: 3.5 },
  };
  PeriodEvents.ApplicationSubmitted.parse(submitted);
  await store.appendAll(origin, [
    { stream: `person-${hex(n)}`, expectedVersion: ANY, events: [{ type: 'PersonRegistered', actor: portal, payload: { applicationId } }] },
    { stream: `application-${applicationId}`, expectedVersion: ANY, events: [{ type: 'ApplicationSubmitted', actor: portal, payload: submitted }] },
  ]);
}

/** Records a small CPNS period: two formations, four applications through verification, sanggah, SKD, SKB, two rankings and a final decision. */
export async function buildPeriod(store: EventStore, origin: string): Promise<void> {
  const app = (id: string): string => `application-${id}`;
  await record(store, origin, 'period', 'PeriodOpened', supervisor, {
    periodId: 'cpns-2026',
    agency: { code: 'tangsel', name: 'Pemerintah Kota Tangerang Selatan', level: 'daerah' },
    year: 2026,
    kind: 'CPNS',
    rules: 'casn-2024',
    schedule: { registration: { opens: '2026-08-01T00:00:00+07:00', closes: '2026-08-15T23:59:59+07:00' } },
  });
  const formation = { jabatan: 'Analis Kebijakan', unit: 'Bappeda', location: 'Serpong', education: ['S1 Ilmu Pemerintahan'], track: 'umum' } as const;
  await record(store, origin, 'formation-F-1', 'FormationAnnounced', supervisor, { formationId: 'F-1', ...formation, education: [...formation.education], quota: 2 });
  await record(store, origin, 'formation-F-2', 'FormationAnnounced', supervisor, { formationId: 'F-2', ...formation, education: [...formation.education], quota: 1 });
  await submit(store, origin, 1, 'F-1');
  await submit(store, origin, 2, 'F-1');
  await submit(store, origin, 3, 'F-1');
  await submit(store, origin, 4, 'F-2');
  await record(store, origin, 'formation-F-1', 'FormationAmended', supervisor, { formationId: 'F-1', changes: { quota: 3 }, reason: 'tambahan formasi', reference: 'SK-12/2026' });
  const docs = (verdict: 'MS' | 'TMS') => [{ document: 'ijazah', verdict, ...(verdict === 'TMS' ? { reason: 'ijazah tidak terbaca' } : {}) }];
  await record(store, origin, app('A-1'), 'DocumentsVerified', officer1, { applicationId: 'A-1', verdict: 'MS', documents: docs('MS') });
  await record(store, origin, app('A-1'), 'VerificationConfirmed', supervisor, { applicationId: 'A-1', verdict: 'MS' });
  await record(store, origin, app('A-2'), 'DocumentsVerified', officer1, { applicationId: 'A-2', verdict: 'TMS', documents: docs('TMS') });
  await record(store, origin, app('A-2'), 'VerificationConfirmed', supervisor, { applicationId: 'A-2', verdict: 'TMS' });
  await record(store, origin, app('A-3'), 'DocumentsVerified', officer2, { applicationId: 'A-3', verdict: 'MS', documents: docs('MS') });
  await record(store, origin, app('A-3'), 'VerificationReturned', supervisor, { applicationId: 'A-3', reason: 'periksa ulang ijazah' });
  await record(store, origin, app('A-4'), 'DocumentsVerified', officer1, { applicationId: 'A-4', verdict: 'MS', documents: docs('MS') });
  await record(store, origin, app('A-4'), 'VerificationConfirmed', supervisor, { applicationId: 'A-4', verdict: 'MS' });
  await record(store, origin, app('A-2'), 'SanggahFiled', portal, { applicationId: 'A-2', reason: 'ijazah sudah dilegalisir' });
  await record(store, origin, app('A-2'), 'SanggahDecided', supervisor, { applicationId: 'A-2', accepted: true, reason: 'dokumen sah', newVerdict: 'MS', approvalRef: 'PANSELNAS-7' });
  await store.append(origin, 'notes', ANY, [{ type: 'LegacyNote', actor: officer1, payload: { text: 'not in the catalogue' } }]);
  await record(store, origin, app('A-1'), 'SkdScoreRecorded', officer1, { applicationId: 'A-1', twk: 100, tiu: 90, tkp: 150, source: 'manual' });
  await record(store, origin, app('A-1'), 'SkdScoreRecorded', officer2, { applicationId: 'A-1', twk: 100, tiu: 90, tkp: 160, source: 'cat' });
  await record(store, origin, app('A-2'), 'SkdScoreRecorded', officer2, { applicationId: 'A-2', twk: 80, tiu: 85, tkp: 170, source: 'cat' });
  await record(store, origin, app('A-4'), 'SkdScoreRecorded', officer1, { applicationId: 'A-4', twk: 90, tiu: 90, tkp: 150, source: 'manual' });
  await record(store, origin, 'formation-F-1', 'SkdCutDecided', supervisor, {
    formationId: 'F-1',
    results: [
      { applicationId: 'A-1', rank: 1, total: 350, code: 'P/L' },
      { applicationId: 'A-2', rank: 2, total: 335, code: 'P/L' },
      { applicationId: 'A-3', rank: null, total: null, code: 'TH' },
    ],
  });
  await record(store, origin, app('A-1'), 'SkbScoreRecorded', officer1, { applicationId: 'A-1', part: 'interview', score: 80, source: 'manual', examiner: 'examiner-1' });
  await record(store, origin, app('A-1'), 'SkbScoreRecorded', officer1, { applicationId: 'A-1', part: 'interview', score: 70, source: 'manual', examiner: 'examiner-2' });
  await record(store, origin, app('A-1'), 'SkbScoreRecorded', officer1, { applicationId: 'A-1', part: 'cat', score: 90, source: 'cat' });
  await record(store, origin, 'formation-F-1', 'RankingDecided', supervisor, {
    formationId: 'F-1',
    ranking: [
      { applicationId: 'A-1', rank: 1, final: 85.5 },
      { applicationId: 'A-2', rank: 2, final: 80 },
    ],
  });
  await record(store, origin, 'formation-F-1', 'RankingDecided', supervisor, {
    formationId: 'F-1',
    ranking: [
      { applicationId: 'A-2', rank: 1, final: 86.25 },
      { applicationId: 'A-1', rank: 2, final: 85.5 },
    ],
  });
  await record(store, origin, app('A-2'), 'FinalDecisionRecorded', supervisor, { applicationId: 'A-2', code: 'L', reference: 'PENG-1/2026' });
  await record(store, origin, app('A-4'), 'ApplicantResigned', portal, { applicationId: 'A-4', reason: 'diterima di instansi lain' });
  await record(store, origin, app('A-3'), 'PersonalDataErased', supervisor, { subject: 'subject-A-3', legalBasis: 'UU 27/2022 pasal 8', requestRef: 'REQ-9' });
}
