/**
 * Personal data through the API: sealed at the edge, shown only to the agency's officers and
 * the inspectorate, erased on a lawful request without breaking the chain or its proofs, and
 * never in the ledger, in a response that refuses it, or in the logs.
 */
import { leafHash, toHex, verifyInclusion } from '@casn/ledger-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Api,
  b64,
  drivePeriod,
  expectProblem,
  expectRule,
  makeApplicant,
  makeNik,
  registrationsCsv,
  submitBody,
  wib,
  type Applicant,
  type ApplicationView,
  type EntryView,
  type ImportResult,
  type InclusionProofView,
  type Period,
  type TimelineItem,
  type WriteResult,
} from './fixtures.ts';
import { startApp, type TestApp } from './support.ts';

let t: TestApp;
let api: Api;
let p: Period;
let origin: string;
const ID = 'pribadi';
const siti: Applicant = makeApplicant({ name: 'Siti Nurhaliza Pribadiwati', birthDate: '1997-02-14', female: true });
const budi: Applicant = makeApplicant({ name: 'Budi Santoso Imporwan', birthDate: '1994-11-30' });
const applicants: Applicant[] = [siti, budi];
let submitted: WriteResult;

beforeAll(async () => {
  t = await startApp();
  api = new Api(t);
  p = await drivePeriod(api, ID, 'confirmed');
  origin = await api.origin(ID);
  submitted = await api.write('portal', p.path('/applications'), submitBody('P-1', 'F-A', siti));
  await api.write<ImportResult>(
    'officer',
    p.path('/imports/registrations'),
    registrationsCsv([{ applicationId: 'P-2', formationId: 'F-A', applicant: budi, submittedAt: wib(-2) }]),
    { csv: true },
  );
  await api.write('admin', '/v1/actors/officer/relatives', { relation: 'spouse', person: { name: 'Ratna Kerabat Petugas', nik: makeNik({ female: true }) } });
});
afterAll(() => t.close());

describe('who sees personal data', () => {
  it("shows the applicant's data to the agency's officers and supervisors and to the inspectorate", async () => {
    for (const actor of ['officer', 'supervisor', 'inspector']) {
      const app = await p.application('P-1', actor);
      expect(app.personal, actor).toMatchObject({ nik: siti.nik, kk: siti.kk, name: siti.name, address: siti.address, phone: siti.phone, email: siti.email, birthDate: '1997-02-14' });
      expect(app.erased).toBe(false);
    }
    const imported = await p.application('P-2', 'officer');
    expect(imported.personal).toMatchObject({ nik: budi.nik, name: budi.name, email: budi.email });
    expect(imported.channel).toBe('import');
  });

  it('shows it to neither the ombudsman nor the portal', async () => {
    for (const actor of ['ombudsman', 'portal']) {
      const res = await api.get<ApplicationView>(actor, p.app('P-1'));
      expect(res.status).toBe(200);
      expect(res.body, actor).not.toHaveProperty('personal');
      expect(res.text).not.toContain(siti.nik);
      expect(res.text).not.toContain(siti.email);
    }
  });

  it('shows it to no officer of another agency', async () => {
    const res = await api.get('other-officer', p.app('P-1'));
    expectProblem(res, 403);
    expect(res.text).not.toContain(siti.nik);
  });

  it('logs each read of personal data, by whom, without the data', () => {
    const reads = t
      .logs()
      .split('\n')
      .filter((l) => l.includes('personal data read'))
      .map((l) => JSON.parse(l) as { applicationId: string; actorId: string });
    expect(reads).toEqual(expect.arrayContaining([expect.objectContaining({ applicationId: 'P-1', actorId: 'inspector' }), expect.objectContaining({ applicationId: 'P-2', actorId: 'officer' })]));
  });
});

describe('refusals never echo personal data', () => {
  it('refuses a NIK whose birth date is impossible, naming the rule and the field, not the NIK', async () => {
    const bad = { ...makeApplicant(), nik: '3674013213950001' };
    const res = await api.post('portal', p.path('/applications'), submitBody('P-9', 'F-A', bad));
    expectRule(res, 'nik-birth-date');
    expect(res.text).not.toContain(bad.nik);
    expect(res.text).not.toContain(bad.email);
  });

  it('names the NIK where the client sent it: body.applicant.nik', async () => {
    const bad = { ...makeApplicant(), nik: '3674013213950001' };
    const refused = expectRule(await api.post('portal', p.path('/applications'), submitBody('P-9', 'F-A', bad)), 'nik-birth-date');
    expect(refused.errors?.map((e) => e.field)).toEqual(['body.applicant.nik']);
    const twice = expectRule(await api.post('portal', p.path('/applications'), submitBody('P-11', 'F-A', { ...siti, email: 'dua@contoh.go.id' })), 'one-application-per-person');
    expect(twice.errors?.map((e) => e.field)).toEqual(['body.applicant.nik']);
  });

  it('refuses a stated birth date that the NIK contradicts', async () => {
    const a = { ...makeApplicant({ birthDate: '1990-01-01' }), birthDate: '1990-01-02' };
    const res = await api.post('portal', p.path('/applications'), submitBody('P-9', 'F-A', a));
    const problem = expectRule(res, 'nik-birth-date');
    expect(problem.errors?.[0]?.field).toBe('body.applicant.birthDate');
    expect(res.text).not.toContain(a.nik);
  });

  it('refuses a second application of the same person without saying who', async () => {
    const res = await api.post('portal', p.path('/applications'), submitBody('P-10', 'F-A', { ...siti, email: 'lain@contoh.go.id' }));
    const problem = expectRule(res, 'one-application-per-person');
    expect(res.text).not.toContain(siti.nik);
    expect(problem.detail).not.toContain('P-1');
  });
});

describe('erasure', () => {
  const seq = () => submitted.entries[0]!.seq;
  let before: { size: number; root: string; proof: InclusionProofView; entry: EntryView };

  it('is for admins only, and 404 for an unknown application', async () => {
    for (const actor of ['officer', 'supervisor', 'inspector', 'ombudsman', 'portal']) {
      expectProblem(await api.post(actor, p.app('P-1', '/erasure'), { legalBasis: 'UU 27/2022 PDP Ps 8', requestRef: 'REQ-X' }), 403);
    }
    expectProblem(await api.post('admin', p.app('TIDAK-ADA', '/erasure'), { legalBasis: 'UU 27/2022 PDP Ps 8', requestRef: 'REQ-X' }), 404);
    expect((await p.application('P-1', 'officer')).personal).not.toBeNull();
  });

  it('destroys the data: personal null and erased true, the key gone', async () => {
    const cp = await t.store.checkpoint(origin);
    const proof = await api.read<InclusionProofView>('inspector', `/v1/ledgers/${ID}/proofs/inclusion`, { seq: seq() });
    const entry = await api.read<EntryView>('inspector', `/v1/ledgers/${ID}/entries/${seq()}`);
    before = { size: cp.size, root: proof.root, proof, entry };
    const subject = (JSON.parse(entry.body) as { payload: { personal: { subject: string } } }).payload.personal.subject;

    const erased = await api.write('admin', p.app('P-1', '/erasure'), { legalBasis: 'UU 27/2022 PDP Ps 8', requestRef: 'PERMOHONAN-2024-17' });
    expect(erased.entries).toHaveLength(1);
    expect(await t.vault.isErased(subject)).toBe(true);
    for (const actor of ['officer', 'supervisor', 'inspector']) {
      const app = await p.application('P-1', actor);
      expect(app.personal, actor).toBeNull();
      expect(app.erased).toBe(true);
    }
    const { items } = await api.read<{ items: TimelineItem[] }>('inspector', p.app('P-1', '/timeline'));
    expect(items.at(-1)).toMatchObject({ type: 'PersonalDataErased', actorId: 'admin', summary: { legalBasis: 'UU 27/2022 PDP Ps 8', requestRef: 'PERMOHONAN-2024-17' } });
    // The other applicants keep theirs.
    expect((await p.application('P-2', 'officer')).personal).toMatchObject({ nik: budi.nik });
  });

  it('keeps the ledger verifiable and the old proofs valid', async () => {
    expect((await t.store.verify(origin)).ok).toBe(true);
    const entry = await api.read<EntryView>('inspector', `/v1/ledgers/${ID}/entries/${seq()}`);
    expect(entry).toEqual(before.entry);
    expect(toHex(leafHash(entry.body))).toBe(entry.leaf);
    expect(verifyInclusion(seq(), before.size, b64(before.proof.leafHash), before.proof.hashes.map(b64), b64(before.root))).toEqual({ ok: true });
    await t.store.checkpoint(origin);
    const now = await api.read<InclusionProofView>('inspector', `/v1/ledgers/${ID}/proofs/inclusion`, { seq: seq() });
    expect(now.size).toBeGreaterThan(before.size);
    expect(verifyInclusion(seq(), now.size, leafHash(entry.body), now.hashes.map(b64), b64(now.root))).toEqual({ ok: true });
    const old = await api.read<InclusionProofView>('inspector', `/v1/ledgers/${ID}/proofs/inclusion`, { seq: seq(), size: before.size });
    expect(old).toEqual(before.proof);
  });

  it('refuses a second erasure', async () => {
    expectRule(await api.post('admin', p.app('P-1', '/erasure'), { legalBasis: 'UU 27/2022 PDP Ps 8', requestRef: 'PERMOHONAN-LAGI' }), 'already-erased');
  });

  it('lets the recruitment go on for an erased applicant', async () => {
    await p.verified('P-1');
    const app = await p.application('P-1', 'officer');
    expect(app).toMatchObject({ verdict: 'MS', personal: null, erased: true });
  });
});

describe('nothing personal leaves the vault', () => {
  it('puts no NIK, KK, name, phone, e-mail or address in any ledger', async () => {
    const bodies = [...(await t.store.readLedger(origin)), ...(await t.store.readLedger(t.service.directory.origin))].map((e) => e.body).join('\n');
    expect(bodies).toContain('ApplicationSubmitted');
    for (const a of applicants) {
      for (const value of [a.nik, a.kk, a.name, a.phone, a.email, a.address]) expect(bodies, value).not.toContain(value);
    }
    expect(bodies).not.toContain('Ratna Kerabat Petugas');
    expect(bodies).not.toMatch(/"nik":"\d{16}"/);
  });

  it('logs no NIK, phone, e-mail, name or token', () => {
    const logs = t.logs();
    expect(logs).toContain('"route":"getApplication"');
    for (const a of applicants) {
      for (const value of [a.nik, a.kk, a.name, a.phone, a.email]) expect(logs, value).not.toContain(value);
    }
    for (const token of api.tokens.values()) expect(logs).not.toContain(token);
    expect(logs).not.toMatch(/casn_[A-Za-z0-9_-]{43}/);
    expect(logs).not.toContain('3674013213950001');
  });
});
