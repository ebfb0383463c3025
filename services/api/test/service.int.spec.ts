/**
 * The recruitment service's own guarantees: concurrent writes, two replicas on one
 * database, and idempotent retries that the domain would refuse the second time.
 */
import { randomBytes } from 'node:crypto';
import { EventStore, isStoreError } from '@casn/event-store';
import { createTestDatabase, type TestDatabase } from '@casn/event-store/testing';
import { canonicalize, sha256, utf8 } from '@casn/ledger-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecruitmentService, type WriteRequest } from '../src/recruitment/service.ts';

const AGENCY = 'kota-uji';
const system = { id: 'system', role: 'admin' as const, agency: null };
const request = (key: string, input: unknown = key): WriteRequest => ({ idempotencyKey: key, fingerprint: sha256(utf8(canonicalize({ input }))) });
const far = { opens: '2020-01-01T00:00:00Z', closes: '2099-01-01T00:00:00Z' };
const personal = (i: number) => ({ subject: `s-${i}`, alg: 'A256GCM' as const, iv: 'AAAA', ct: 'AAAA' });

let db: TestDatabase;
let a: RecruitmentService;
let b: RecruitmentService;

async function newService(): Promise<RecruitmentService> {
  const service = new RecruitmentService({ store: new EventStore(db.database), directoryOrigin: 'svc.test/directory', originBase: 'svc.test' });
  await service.init();
  return service;
}

beforeAll(async () => {
  db = await createTestDatabase();
  a = await newService();
  await a.executeDirectory({ type: 'RegisterAgency', code: AGENCY, name: 'Kota Uji', level: 'daerah' }, system, request('agency'));
  for (const [actorId, role] of [['admin', 'admin'], ['officer', 'officer'], ['supervisor', 'supervisor']] as const) {
    await a.executeDirectory({ type: 'RegisterActor', actorId, role, agency: role === 'admin' ? null : AGENCY, indexes: {} }, system, request(actorId));
  }
  const admin = await a.actor('admin');
  await a.executePeriod(
    'p1',
    { type: 'OpenPeriod', periodId: 'p1', agency: { code: AGENCY, name: 'Kota Uji', level: 'daerah' }, year: 2024, kind: 'CPNS', rules: 'casn-2024', skbWeights: { cat: 0.6, practical: 0.4 }, schedule: { registration: far } },
    admin,
    request('open'),
  );
  b = await newService();
});
afterAll(() => db.cleanup());

const formation = (id: string) => ({ type: 'AnnounceFormation' as const, formationId: id, jabatan: 'Guru', unit: 'Dinas', location: 'Kota', education: ['S1'], track: 'umum' as const, quota: 2 });
const submit = (i: number, formationId: string) => ({
  type: 'SubmitApplication' as const,
  applicationId: `A${i}`,
  formationId,
  channel: 'import' as const,
  submittedAt: new Date(Date.now() - 60_000).toISOString(),
  personal: personal(i),
  indexes: { nik: randomBytes(16).toString('hex') },
  education: { level: 'S1', ipk: 3 },
});

describe('RecruitmentService', () => {
  it('records 40 concurrent submissions, each once, with the state caught up', async () => {
    const admin = await a.actor('admin');
    const officer = await a.actor('officer');
    await a.executePeriod('p1', formation('F1'), admin, request('F1'));
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => a.executePeriod('p1', submit(i, 'F1'), officer, request(`sub-${i}`))));
    expect(new Set(results.map((r) => r.entries[0]!.seq)).size).toBe(40);
    const state = await a.periodState('p1');
    expect([...state.applications.keys()].filter((id) => /^A\d+$/.test(id))).toHaveLength(40);
  });

  it('lets a replica act at once on what another replica recorded', async () => {
    const officerB = await b.actor('officer');
    await b.executePeriod('p1', submit(101, 'F1'), officerB, request('sub-101'));
    await a.executePeriod('p1', formation('F2'), await a.actor('admin'), request('F2'));
    // b's state was read just now, before F2, so it is not read again before deciding:
    // the refusal (no formation F2) must be retried on fresh state, not returned.
    const result = await b.executePeriod('p1', submit(100, 'F2'), officerB, request('sub-100'));
    expect(result.replayed).toBe(false);
  });

  it('answers a retried request as a replay even when the domain would now refuse it', async () => {
    const officer = await a.actor('officer');
    const verify = { type: 'VerifyDocuments' as const, applicationId: 'A1', verdict: 'MS' as const, documents: [{ document: 'ijazah', verdict: 'MS' as const }] };
    const first = await a.executePeriod('p1', verify, officer, request('verify-A1'));
    const again = await a.executePeriod('p1', verify, officer, request('verify-A1'));
    expect(again).toMatchObject({ replayed: true, entries: first.entries });
    // A different request under the same key is refused, and nothing is stored.
    const size = (await a.periodState('p1')).size;
    const other = { ...verify, applicationId: 'A2' };
    const err = await a.executePeriod('p1', other, officer, request('verify-A1', 'different')).catch((e: unknown) => e);
    expect(isStoreError(err) && err.code).toBe('IDEMPOTENCY_MISMATCH');
    expect((await a.periodState('p1')).size).toBe(size);
  });

  it('refuses an officer of another agency and stores nothing', async () => {
    await a.executeDirectory({ type: 'RegisterAgency', code: 'kota-lain', name: 'Kota Lain', level: 'daerah' }, system, request('agency-2'));
    await a.executeDirectory({ type: 'RegisterActor', actorId: 'stranger', role: 'officer', agency: 'kota-lain', indexes: {} }, system, request('stranger'));
    const size = (await a.periodState('p1')).size;
    await expect(a.executePeriod('p1', formation('F9'), await a.actor('stranger'), request('F9'))).rejects.toMatchObject({ rule: 'agency-scope' });
    expect((await a.periodState('p1')).size).toBe(size);
  });
});
