import { describe, expect, it } from 'vitest';
import { ADMIN, OFFICER, OFFICER2, PORTAL, SUPERVISOR, SUPERVISOR2, at, by, confirmed, cpnsPeriod, ctx, ev, given, submitted, verified } from './given.ts';

const MS_DOCS = [{ document: 'ijazah', verdict: 'MS' as const }, { document: 'ktp', verdict: 'MS' as const }];
const TMS_DOCS = [{ document: 'ijazah', verdict: 'TMS' as const, reason: 'jurusan tidak sesuai' }, { document: 'ktp', verdict: 'MS' as const }];

describe('VerifyDocuments', () => {
  const verify = { type: 'VerifyDocuments', applicationId: 'A-1', verdict: 'MS', documents: MS_DOCS } as const;

  it('records the verifier’s verdict, pending a supervisor', () => {
    const state = given(cpnsPeriod(), submitted('A-1'))
      .when(verify, ctx(OFFICER))
      .thenAppends([{ stream: 'application-A-1', expectedVersion: 0, events: [ev('DocumentsVerified', { applicationId: 'A-1', verdict: 'MS', documents: MS_DOCS })] }]);
    const app = state.applications.get('A-1');
    expect(app?.status).toBe('verified');
    expect(app?.pending?.stamp.actor.id).toBe(OFFICER.id);
    expect(app?.verdict).toBeNull();
  });

  it('accepts a TMS verdict with a reason per TMS document', () => {
    given(cpnsPeriod(), submitted('A-1'))
      .when({ ...verify, verdict: 'TMS', documents: TMS_DOCS }, ctx(OFFICER))
      .then([ev('DocumentsVerified', { applicationId: 'A-1', verdict: 'TMS', documents: TMS_DOCS })]);
  });

  it('is allowed after the verification window (a red flag, not a refusal)', () => {
    given(cpnsPeriod(), submitted('A-1')).when(verify, ctx(OFFICER, '2025-01-01T00:00:00.000Z')).then([ev('DocumentsVerified', { applicationId: 'A-1', verdict: 'MS', documents: MS_DOCS })]);
  });

  it("refuses TMS without a TMS document, and MS with one: 'verdict-documents'", () => {
    given(cpnsPeriod(), submitted('A-1')).when({ ...verify, verdict: 'TMS' }, ctx(OFFICER)).thenThrows('verdict-documents', { field: 'verdict' });
    given(cpnsPeriod(), submitted('A-1')).when({ ...verify, documents: TMS_DOCS }, ctx(OFFICER)).thenThrows('verdict-documents');
  });

  it("refuses a TMS document without a reason: 'tms-reason'", () => {
    given(cpnsPeriod(), submitted('A-1'))
      .when({ ...verify, verdict: 'TMS', documents: [{ document: 'ktp', verdict: 'MS' }, { document: 'ijazah', verdict: 'TMS' }] }, ctx(OFFICER))
      .thenThrows('tms-reason', { field: 'documents.1.reason' });
    given(cpnsPeriod(), submitted('A-1'))
      .when({ ...verify, verdict: 'TMS', documents: [{ document: 'ijazah', verdict: 'TMS', reason: '   ' }] }, ctx(OFFICER))
      .thenThrows('tms-reason');
  });

  it("refuses a second verification while one is pending or confirmed: 'verification-state'", () => {
    given(cpnsPeriod(), submitted('A-1'), verified('A-1')).when(verify, ctx(OFFICER)).thenThrows('verification-state');
    given(cpnsPeriod(), submitted('A-1'), confirmed('A-1')).when(verify, ctx(OFFICER)).thenThrows('verification-state');
  });

  it('accepts a new verification after the supervisor returned it', () => {
    given(cpnsPeriod(), submitted('A-1'), verified('A-1'), by(SUPERVISOR, ev('VerificationReturned', { applicationId: 'A-1', reason: 'periksa ulang ijazah' })))
      .when(verify, ctx(OFFICER))
      .then([ev('DocumentsVerified', { applicationId: 'A-1', verdict: 'MS', documents: MS_DOCS })]);
  });

  it('refuses an unknown application: NOT_FOUND', () => {
    given(cpnsPeriod()).when(verify, ctx(OFFICER)).thenThrows('application-not-found', { code: 'NOT_FOUND', field: 'applicationId' });
  });

  it("is for officers only: 'role'", () => {
    given(cpnsPeriod(), submitted('A-1')).when(verify, ctx(SUPERVISOR)).thenThrows('role');
  });
});

describe('ConfirmVerification and ReturnVerification (four eyes)', () => {
  const confirm = { type: 'ConfirmVerification', applicationId: 'A-1', verdict: 'MS' } as const;

  it('confirms the verdict', () => {
    const state = given(cpnsPeriod(), submitted('A-1'), verified('A-1'))
      .when({ ...confirm, note: 'sesuai' }, ctx(SUPERVISOR))
      .then([ev('VerificationConfirmed', { applicationId: 'A-1', verdict: 'MS', note: 'sesuai' })]);
    expect(state.applications.get('A-1')).toMatchObject({ status: 'confirmed', verdict: 'MS', pending: null });
    expect(state.applications.get('A-1')?.verifications.map((v) => v.kind)).toEqual(['verified', 'confirmed']);
  });

  it("refuses a supervisor confirming their own verification: 'four-eyes'", () => {
    // A supervisor who is also registered as the verifier (same id) cannot approve it.
    given(cpnsPeriod(), submitted('A-1'), by({ ...OFFICER, id: SUPERVISOR.id }, verified('A-1')))
      .when(confirm, ctx(SUPERVISOR))
      .thenThrows('four-eyes');
    given(cpnsPeriod(), submitted('A-1'), by({ ...OFFICER, id: SUPERVISOR.id }, verified('A-1')))
      .when(confirm, ctx(SUPERVISOR2))
      .then([ev('VerificationConfirmed', { applicationId: 'A-1', verdict: 'MS' })]);
  });

  it("refuses a different verdict: 'verdict-mismatch'", () => {
    given(cpnsPeriod(), submitted('A-1'), verified('A-1')).when({ ...confirm, verdict: 'TMS' }, ctx(SUPERVISOR)).thenThrows('verdict-mismatch', { field: 'verdict' });
  });

  it("refuses without a pending verification: 'verification-pending'", () => {
    given(cpnsPeriod(), submitted('A-1')).when(confirm, ctx(SUPERVISOR)).thenThrows('verification-pending');
    given(cpnsPeriod(), submitted('A-1'), confirmed('A-1')).when(confirm, ctx(SUPERVISOR)).thenThrows('verification-pending');
  });

  it('returns a verification to the verifier', () => {
    const state = given(cpnsPeriod(), submitted('A-1'), verified('A-1'))
      .when({ type: 'ReturnVerification', applicationId: 'A-1', reason: 'dokumen kurang jelas' }, ctx(SUPERVISOR))
      .then([ev('VerificationReturned', { applicationId: 'A-1', reason: 'dokumen kurang jelas' })]);
    expect(state.applications.get('A-1')).toMatchObject({ status: 'returned', pending: null, verdict: null });
  });

  it("refuses a return by the verifier or without a pending verification: 'four-eyes', 'verification-pending'", () => {
    given(cpnsPeriod(), submitted('A-1'), by({ ...OFFICER, id: SUPERVISOR.id }, verified('A-1')))
      .when({ type: 'ReturnVerification', applicationId: 'A-1', reason: 'x' }, ctx(SUPERVISOR))
      .thenThrows('four-eyes');
    given(cpnsPeriod(), submitted('A-1')).when({ type: 'ReturnVerification', applicationId: 'A-1', reason: 'x' }, ctx(SUPERVISOR)).thenThrows('verification-pending');
  });

  it("is for supervisors only: 'role'", () => {
    given(cpnsPeriod(), submitted('A-1'), verified('A-1')).when(confirm, ctx(OFFICER2)).thenThrows('role');
  });
});

describe('Reverify', () => {
  const reverify = { type: 'Reverify', applicationId: 'A-1', verdict: 'TMS', documents: TMS_DOCS, reason: 'verifikasi ulang BKN' } as const;

  it('turns a confirmed MS into TMS', () => {
    const { type: _t, ...payload } = reverify;
    const state = given(cpnsPeriod(), submitted('A-1'), confirmed('A-1')).when(reverify, ctx(SUPERVISOR)).then([ev('Reverified', payload)]);
    expect(state.applications.get('A-1')?.verdict).toBe('TMS');
  });

  it("refuses before confirmation: 'reverify-state'", () => {
    given(cpnsPeriod(), submitted('A-1'), verified('A-1')).when(reverify, ctx(SUPERVISOR)).thenThrows('reverify-state');
  });

  it("refuses after the final decision: 'reverify-state'", () => {
    given(cpnsPeriod(), submitted('A-1'), confirmed('A-1'), ev('FinalDecisionRecorded', { applicationId: 'A-1', code: 'TL' }))
      .when(reverify, ctx(SUPERVISOR))
      .thenThrows('reverify-state');
  });

  it("checks the documents like a verification: 'verdict-documents', 'tms-reason'", () => {
    given(cpnsPeriod(), submitted('A-1'), confirmed('A-1')).when({ ...reverify, documents: MS_DOCS }, ctx(SUPERVISOR)).thenThrows('verdict-documents');
    given(cpnsPeriod(), submitted('A-1'), confirmed('A-1'))
      .when({ ...reverify, documents: [{ document: 'ijazah', verdict: 'TMS' }] }, ctx(SUPERVISOR))
      .thenThrows('tms-reason');
  });
});

describe('FileSanggah', () => {
  const PUBLISHED = '2024-09-20T10:00:00.000Z';
  const published = at(PUBLISHED, ev('ResultsPublished', { stage: 'administrasi', reference: 'PENG-ADM/2024' }));
  const tms = [cpnsPeriod(), submitted('A-1'), confirmed('A-1', 'TMS')];
  const file = { type: 'FileSanggah', applicationId: 'A-1', reason: 'ijazah sudah diunggah lengkap' } as const;
  const filed = ev('SanggahFiled', { applicationId: 'A-1', reason: 'ijazah sudah diunggah lengkap' });

  it('accepts exactly 3 days after the announcement', () => {
    const state = given(tms, published).when(file, ctx(PORTAL, '2024-09-23T10:00:00.000Z')).then([filed]);
    expect(state.applications.get('A-1')?.sanggah).toMatchObject({ reason: file.reason, decision: null });
  });

  it("refuses one second late: 'sanggah-window'", () => {
    given(tms, published).when(file, ctx(PORTAL, '2024-09-23T10:00:01.000Z')).thenThrows('sanggah-window');
  });

  it('uses the scheduled (amended) sanggah close when there is one', () => {
    const window = ev('ScheduleAmended', { stage: 'sanggah', opens: '2024-09-20T00:00:00.000Z', closes: '2024-09-22T23:59:59.000Z', reason: 'Jadwal sanggah', reference: 'B-3/2024' });
    given(tms, published, window).when(file, ctx(PORTAL, '2024-09-22T23:59:59.000Z')).then([filed]);
    given(tms, published, window).when(file, ctx(PORTAL, '2024-09-23T00:00:00.000Z')).thenThrows('sanggah-window');
    const extended = ev('ScheduleAmended', { stage: 'sanggah', closes: '2024-09-25T23:59:59.000Z', reason: 'Perpanjangan sanggah', reference: 'B-4/2024' });
    given(tms, published, window, extended).when(file, ctx(PORTAL, '2024-09-25T00:00:00.000Z')).then([filed]);
  });

  it('counts from the first administrasi announcement covering the formation', () => {
    const again = at('2024-09-27T10:00:00.000Z', ev('ResultsPublished', { stage: 'administrasi', reference: 'PENG-ADM-2/2024' }));
    given(tms, published, again).when(file, ctx(PORTAL, '2024-09-27T11:00:00.000Z')).thenThrows('sanggah-window');
    const forF1 = at(PUBLISHED, ev('ResultsPublished', { stage: 'administrasi', reference: 'PENG-ADM/2024', formationId: 'F-1' }));
    given(tms, forF1).when(file, ctx(PORTAL, '2024-09-21T00:00:00.000Z')).then([filed]);
  });

  it("refuses before the administrasi results are published: 'sanggah-not-open'", () => {
    given(tms).when(file, ctx(PORTAL, '2024-09-21T00:00:00.000Z')).thenThrows('sanggah-not-open');
    const forOther = at(PUBLISHED, ev('ResultsPublished', { stage: 'skd', reference: 'PENG-SKD/2024' }));
    given(tms, forOther).when(file, ctx(PORTAL, '2024-09-21T00:00:00.000Z')).thenThrows('sanggah-not-open');
  });

  it("refuses an objection to an MS verdict or an unconfirmed one: 'sanggah-verdict'", () => {
    given(cpnsPeriod(), submitted('A-1'), confirmed('A-1', 'MS'), published).when(file, ctx(PORTAL, '2024-09-21T00:00:00.000Z')).thenThrows('sanggah-verdict');
    given(cpnsPeriod(), submitted('A-1'), verified('A-1', 'TMS'), published).when(file, ctx(PORTAL, '2024-09-21T00:00:00.000Z')).thenThrows('sanggah-verdict');
  });

  it("refuses a second sanggah: 'sanggah-exists'", () => {
    given(tms, published, filed).when(file, ctx(PORTAL, '2024-09-21T00:00:00.000Z')).thenThrows('sanggah-exists');
  });

  it("is filed through the portal: 'role'", () => {
    given(tms, published).when(file, ctx(OFFICER, '2024-09-21T00:00:00.000Z')).thenThrows('role');
  });
});

describe('DecideSanggah', () => {
  const filed = [cpnsPeriod(), submitted('A-1'), confirmed('A-1', 'TMS'), ev('ResultsPublished', { stage: 'administrasi', reference: 'P' }), ev('SanggahFiled', { applicationId: 'A-1', reason: 'r' })];
  const decideIt = { type: 'DecideSanggah', applicationId: 'A-1', accepted: true, reason: 'bukan kesalahan pelamar', newVerdict: 'MS', approvalRef: 'PANSELNAS-77/2024' } as const;

  it('accepts a sanggah that turns TMS into MS with Panselnas approval', () => {
    const { type: _t, ...payload } = decideIt;
    const state = given(filed).when(decideIt, ctx(SUPERVISOR)).then([ev('SanggahDecided', payload)]);
    const app = state.applications.get('A-1');
    expect(app?.verdict).toBe('MS');
    expect(app?.sanggah?.decision).toMatchObject({ accepted: true, newVerdict: 'MS', approvalRef: 'PANSELNAS-77/2024' });
    expect(app?.verifications.at(-1)).toMatchObject({ kind: 'sanggah', verdict: 'MS' });
  });

  it("refuses a verdict change without approval: 'panselnas-approval'", () => {
    const { approvalRef: _a, ...cmd } = decideIt;
    given(filed).when(cmd, ctx(SUPERVISOR)).thenThrows('panselnas-approval', { field: 'approvalRef' });
  });

  it('accepts an accepted sanggah that keeps the verdict without approval', () => {
    given(filed)
      .when({ type: 'DecideSanggah', applicationId: 'A-1', accepted: true, reason: 'diterima, tetap TMS', newVerdict: 'TMS' }, ctx(SUPERVISOR))
      .then([ev('SanggahDecided', { applicationId: 'A-1', accepted: true, reason: 'diterima, tetap TMS', newVerdict: 'TMS' })]);
  });

  it('rejects a sanggah', () => {
    const state = given(filed)
      .when({ type: 'DecideSanggah', applicationId: 'A-1', accepted: false, reason: 'kesalahan pelamar' }, ctx(SUPERVISOR))
      .then([ev('SanggahDecided', { applicationId: 'A-1', accepted: false, reason: 'kesalahan pelamar' })]);
    expect(state.applications.get('A-1')?.verdict).toBe('TMS');
  });

  it("refuses a new verdict on a rejected sanggah: 'sanggah-rejected-change'", () => {
    given(filed).when({ ...decideIt, accepted: false }, ctx(SUPERVISOR)).thenThrows('sanggah-rejected-change', { field: 'newVerdict' });
  });

  it("refuses without a filed, undecided sanggah: 'sanggah-missing'", () => {
    given(filed.slice(0, 4)).when(decideIt, ctx(SUPERVISOR)).thenThrows('sanggah-missing');
    given(filed, by(SUPERVISOR, ev('SanggahDecided', { applicationId: 'A-1', accepted: false, reason: 'x' }))).when(decideIt, ctx(SUPERVISOR)).thenThrows('sanggah-missing');
  });

  it("is decided by a supervisor: 'role'", () => {
    given(filed).when(decideIt, ctx(ADMIN)).thenThrows('role');
  });
});
