/**
 * CSV imports through the API (docs/import.md): SSCASN registration exports and BKN CAT
 * score exports, recorded whole or not at all, every bad row reported by line without its
 * values, and CAT values reconciled with hand-recorded ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Api,
  Period,
  REGISTRATION_HEADER,
  csv,
  expectProblem,
  makeApplicant,
  registrationsCsv,
  skdCsv,
  wib,
  type ApplicationView,
  type ImportResult,
  type Problem,
  type RegistrationRow,
  type TimelineItem,
} from './fixtures.ts';
import { key, startApp, type TestApp } from './support.ts';

let t: TestApp;
let api: Api;
const ID = 'impor';
const p = (): Period => new Period(api, ID);
const REG = `/v1/periods/${ID}/imports/registrations`;
const CAT = `/v1/periods/${ID}/imports/cat-scores`;

const row = (applicationId: string, formationId = 'F-I', applicant = makeApplicant()): RegistrationRow => ({ applicationId, formationId, applicant, submittedAt: wib(-1) });
const rows20 = Array.from({ length: 20 }, (_, i) => row(`I-${String(i + 1).padStart(2, '0')}`));

beforeAll(async () => {
  t = await startApp();
  api = new Api(t);
  await api.addOtherAgencyActors();
  await p().open();
  await p().announce('F-I', 2);
});
afterAll(() => t.close());

async function listAll(): Promise<ApplicationView[]> {
  return (await api.read<{ items: ApplicationView[] }>('inspector', p().path('/applications'), { limit: 500 })).items;
}

function rowsOf(problem: Problem): { line: number; field: string; message: string }[] {
  return problem.rows ?? [];
}

describe('registration export', () => {
  it('imports 20 good rows as 20 applications, all at once', async () => {
    const before = await api.size(ID);
    const res = await api.post<ImportResult>('officer', REG, registrationsCsv(rows20), { csv: true });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ rows: 20, recorded: 20, reconciliation: [] });
    expect(res.body.write?.replayed).toBe(false);
    expect(res.body.write?.entries).toHaveLength(40);
    expect(await api.size(ID)).toBe(before + 40);
    const apps = await listAll();
    expect(apps.map((a) => a.applicationId)).toEqual(rows20.map((r) => r.applicationId));
    expect(apps.every((a) => a.channel === 'import' && a.status === 'submitted' && a.formationId === 'F-I')).toBe(true);
    // SSCASN times are WIB (UTC+7).
    const [first] = rows20;
    expect(apps[0]!.submittedAt).toBe(new Date(`${first!.submittedAt.replace(' ', 'T')}+07:00`).toISOString());
    const personal = (await p().application('I-01', 'officer')).personal;
    expect(personal).toMatchObject({ nik: first!.applicant.nik, email: first!.applicant.email, address: first!.applicant.address });
  });

  it('refuses a file with two bad rows, listing exactly those lines, storing nothing', async () => {
    const good = Array.from({ length: 7 }, (_, i) => row(`J-${i + 1}`));
    good[1] = { ...good[1]!, applicant: { ...good[1]!.applicant, nik: '36740157089500' } }; // line 3: a NIK of 14 digits
    good[5] = { ...good[5]!, applicant: { ...good[5]!.applicant, email: '' } }; // line 7: no e-mail
    const before = await api.size(ID);
    const res = await api.post('officer', REG, registrationsCsv(good), { csv: true });
    const problem = expectProblem(res, 422);
    expect(problem.type).toBe('urn:casn:problem:import-refused');
    expect(rowsOf(problem).map((r) => [r.line, r.field])).toEqual([
      [3, 'nik'],
      [7, 'email'],
    ]);
    expect(problem.errors?.map((e) => e.field)).toEqual(['line 3: nik', 'line 7: email']);
    expect(res.text).not.toContain('36740157089500');
    expect(res.text).not.toContain(good[0]!.applicant.name);
    expect(await api.size(ID)).toBe(before);
    expect((await listAll()).some((a) => a.applicationId.startsWith('J-'))).toBe(false);
  });

  it('reports a NIK with an impossible birth date together with a row missing its e-mail', async () => {
    const good = Array.from({ length: 7 }, (_, i) => row(`K-${i + 1}`));
    good[1] = { ...good[1]!, applicant: { ...good[1]!.applicant, nik: '3674013213950001' } }; // line 3: month 13
    good[5] = { ...good[5]!, applicant: { ...good[5]!.applicant, email: '' } }; // line 7
    const before = await api.size(ID);
    const res = await api.post('officer', REG, registrationsCsv(good), { csv: true });
    const problem = expectProblem(res, 422);
    expect(rowsOf(problem).map((r) => [r.line, r.field])).toEqual([
      [3, 'nik'],
      [7, 'email'],
    ]);
    expect(res.text).not.toContain('3674013213950001');
    expect(await api.size(ID)).toBe(before);
  });

  it('refuses a NIK that is not a real NIK, naming the rule and the line', async () => {
    const rows = [row('L-1'), { ...row('L-2'), applicant: { ...makeApplicant(), nik: '9974015708950001' } }];
    const res = await api.post('officer', REG, registrationsCsv(rows), { csv: true });
    const problem = expectProblem(res, 422);
    expect(rowsOf(problem)).toEqual([{ line: 3, field: 'nik', message: expect.stringContaining('nik-region') as unknown }]);
    expect(res.text).not.toContain('9974015708950001');
  });

  it('refuses a NIK repeated within a file, naming both lines', async () => {
    const same = makeApplicant();
    const rows = [row('M-1'), row('M-2', 'F-I', same), row('M-3'), row('M-4', 'F-I', { ...makeApplicant(), nik: same.nik })];
    const before = await api.size(ID);
    const res = await api.post('officer', REG, registrationsCsv(rows), { csv: true });
    const problem = expectProblem(res, 422);
    const [dup, ...more] = rowsOf(problem);
    expect(more).toEqual([]);
    expect(dup).toMatchObject({ line: 5, field: 'nik' });
    expect(dup!.message).toContain('one-application-per-person');
    expect(dup!.message).toContain('line 3');
    expect(res.text).not.toContain(same.nik);
    expect(await api.size(ID)).toBe(before);
  });

  it('refuses a person who already applied, and a repeated registration number, at their lines', async () => {
    const already = rows20[4]!.applicant;
    const res = await api.post('officer', REG, registrationsCsv([row('N-1'), row('N-2', 'F-I', { ...makeApplicant(), nik: already.nik })]), { csv: true });
    const problem = expectProblem(res, 422);
    expect(rowsOf(problem)).toEqual([expect.objectContaining({ line: 3, message: expect.stringContaining('one-application-per-person') as unknown })]);
    const twice = await api.post('officer', REG, registrationsCsv([row('N-3'), row('N-3')]), { csv: true });
    expect(rowsOf(expectProblem(twice, 422))).toEqual([{ line: 3, field: 'no_pendaftaran', message: 'repeats line 2' }]);
    const existing = await api.post('officer', REG, registrationsCsv([row('I-01')]), { csv: true });
    expect(rowsOf(expectProblem(existing, 422))).toEqual([expect.objectContaining({ line: 2, field: 'applicationId', message: expect.stringContaining('application-exists') as unknown })]);
  });

  it('refuses an unknown formation and a submission after registration closed, at their lines', async () => {
    const late = { ...row('O-2'), submittedAt: wib(90) };
    const res = await api.post('officer', REG, registrationsCsv([row('O-1', 'F-TIDAK-ADA'), late]), { csv: true });
    const problem = expectProblem(res, 422);
    expect(rowsOf(problem).map((r) => [r.line, r.field, r.message.split(':')[0]])).toEqual([
      [2, 'formationId', 'formation-not-found'],
      [3, 'submittedAt', 'registration-closed'],
    ]);
  });

  it('matches headers case-insensitively, ignores extra columns, reads quoted cells and a BOM', async () => {
    const a = makeApplicant();
    const header = ['NO_PENDAFTARAN', 'Formasi_ID', 'NIK', 'No_KK', 'Nama', 'Alamat', 'No_HP', 'Email', 'Pendidikan', 'IPK', 'Tgl_Submit', 'Catatan'];
    const text = `\uFEFF${csv(header, [['P-1', 'F-I', a.nik, a.kk, a.name, 'Jl. Melati, RT 01/RW 02, "Blok C"', a.phone, a.email, 'S1', '3.81', wib(-1), 'bebas'] as string[]])}`;
    const res = await api.post<ImportResult>('admin', REG, text, { csv: true });
    expect(res.status, res.text).toBe(201);
    expect((await p().application('P-1', 'officer')).personal).toMatchObject({ address: 'Jl. Melati, RT 01/RW 02, "Blok C"', nik: a.nik });
  });

  it('refuses a file that is not CSV, or has no rows, as a whole', async () => {
    const broken = await api.post('officer', REG, `${REGISTRATION_HEADER.join(',')}\n"unterminated,F-I\n`, { csv: true });
    expect(rowsOf(expectProblem(broken, 422))[0]).toMatchObject({ field: '(file)' });
    const empty = await api.post('officer', REG, `${REGISTRATION_HEADER.join(',')}\n`, { csv: true });
    expect(rowsOf(expectProblem(empty, 422))).toEqual([{ line: 1, field: '(file)', message: 'has no data rows' }]);
  });

  it('is for officers and admins of the agency only', async () => {
    const text = registrationsCsv([row('Q-1')]);
    for (const actor of ['supervisor', 'portal', 'inspector', 'ombudsman']) expectProblem(await api.post(actor, REG, text, { csv: true }), 403);
    expectProblem(await api.post('other-officer', REG, text, { csv: true }), 403);
  });
});

describe('CAT SKD export', () => {
  const scored = ['I-01', 'I-02', 'I-03', 'I-04', 'I-05', 'I-06'];
  const file = skdCsv([
    { applicationId: 'I-01', twk: 100, tiu: 110, tkp: 190 },
    { applicationId: 'I-02', twk: 65, tiu: 80, tkp: 166 },
    { applicationId: 'I-03', twk: 85, tiu: 90, tkp: 170 },
    { applicationId: 'I-04', twk: 70, tiu: 95, tkp: 175 },
    { applicationId: 'I-05', absent: true },
    { applicationId: 'I-06', twk: 60, tiu: 85, tkp: 170 },
  ]);
  let firstImport: ImportResult;

  beforeAll(async () => {
    for (const id of scored) await p().verified(id);
    // Typed in by hand before the export arrived: I-03 differs from the CAT value, I-04 agrees.
    await p().skd('I-03', { twk: 80, tiu: 90, tkp: 170 });
    await p().skd('I-04', { twk: 70, tiu: 95, tkp: 175 });
  });

  it('imports the scores and absences, reporting the hand-recorded values that differ', async () => {
    const before = await api.size(ID);
    const res = await api.post<ImportResult>('officer', CAT, file, { csv: true });
    expect(res.status, res.text).toBe(201);
    firstImport = res.body;
    expect(res.body).toMatchObject({ rows: 6, recorded: 6 });
    expect(res.body.reconciliation).toEqual([{ line: 4, applicationId: 'I-03', recorded: { twk: 80, tiu: 90, tkp: 170 }, imported: { twk: 85, tiu: 90, tkp: 170 } }]);
    expect(await api.size(ID)).toBe(before + 6);

    const i1 = await p().application('I-01');
    expect(i1).toMatchObject({ skdCat: { twk: 100, tiu: 110, tkp: 190 }, skdManual: null, skdTotal: 400, skdDiscrepancy: false });
    const { items } = await api.read<{ items: TimelineItem[] }>('inspector', p().app('I-05', '/timeline'));
    expect(items.at(-1)).toMatchObject({ type: 'AbsenceRecorded', actorId: 'officer', summary: { stage: 'skd' } });
    const cat = (await api.read<{ items: TimelineItem[] }>('inspector', p().app('I-02', '/timeline'))).items.at(-1);
    expect(cat).toMatchObject({ type: 'SkdScoreRecorded', summary: { source: 'cat', total: 311 } });
  });

  it('keeps the hand-recorded score beside the CAT value and lists the discrepancy', async () => {
    const i3 = await p().application('I-03');
    expect(i3).toMatchObject({ skdManual: { twk: 80, tiu: 90, tkp: 170 }, skdCat: { twk: 85, tiu: 90, tkp: 170 }, skdDiscrepancy: true, skdTotal: 345, skdManualTotal: 340, skdCatTotal: 345 });
    const i4 = await p().application('I-04');
    expect(i4).toMatchObject({ skdDiscrepancy: false, skdManual: { twk: 70, tiu: 95, tkp: 175 }, skdCat: { twk: 70, tiu: 95, tkp: 175 } });
    const { items } = await api.read<{ items: ApplicationView[] }>('ombudsman', p().path('/discrepancies'));
    expect(items.map((a) => a.applicationId)).toEqual(['I-03']);
    expect(items[0]).toMatchObject({ skdDiscrepancy: true, skdManual: { twk: 80, tiu: 90, tkp: 170 }, skdCat: { twk: 85, tiu: 90, tkp: 170 } });
  });

  it('records nothing when the same file is imported again under a new key', async () => {
    const before = await api.size(ID);
    const res = await api.post<ImportResult>('officer', CAT, file, { csv: true, key: key() });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({ rows: 6, recorded: 0, write: null, reconciliation: [] });
    expect(await api.size(ID)).toBe(before);
  });

  it('records only the rows that changed', async () => {
    const before = await api.size(ID);
    const res = await api.post<ImportResult>('supervisor', CAT, skdCsv([{ applicationId: 'I-01', twk: 100, tiu: 110, tkp: 190 }, { applicationId: 'I-02', twk: 65, tiu: 80, tkp: 167 }]), { csv: true });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ rows: 2, recorded: 1, reconciliation: [] });
    expect(await api.size(ID)).toBe(before + 1);
    expect(await p().application('I-02')).toMatchObject({ skdTkp: 167 });
    expect(firstImport.write?.entries).toHaveLength(6);
  });

  it("refuses an officer of another agency even when the file is already recorded", async () => {
    const recorded = skdCsv([{ applicationId: 'I-01', twk: 100, tiu: 110, tkp: 190 }]);
    expect((await api.write<ImportResult>('officer', CAT, recorded, { csv: true })).recorded).toBe(0);
    const res = await api.post('other-officer', CAT, recorded, { csv: true });
    expectProblem(res, 403);
  });

  it('refuses bad rows by line: a wrong total, an unknown or ineligible application', async () => {
    const before = await api.size(ID);
    const wrongTotal = csv(['no_pendaftaran', 'kehadiran', 'twk', 'tiu', 'tkp', 'total'], [['I-06', 'HADIR', 60, 85, 170, 999], ['I-01', 'hadir', 100, 110, 190, '']]);
    const res = await api.post('officer', CAT, wrongTotal, { csv: true });
    expect(rowsOf(expectProblem(res, 422)).map((r) => [r.line, r.field])).toEqual([
      [2, 'total'],
      [3, 'total'],
    ]);
    const domain = await api.post('officer', CAT, skdCsv([{ applicationId: 'X-404', twk: 60, tiu: 85, tkp: 170 }, { applicationId: 'I-10', twk: 60, tiu: 85, tkp: 170 }, { applicationId: 'I-06', twk: 61, tiu: 85, tkp: 170 }]), { csv: true });
    expect(rowsOf(expectProblem(domain, 422)).map((r) => [r.line, r.message.split(':')[0]])).toEqual([
      [2, 'application-not-found'],
      [3, 'not-eligible'],
      [4, 'score-range'],
    ]);
    expect(await api.size(ID)).toBe(before);
  });

  it('refuses scores after the SKD results were published (they are locked)', async () => {
    await p().publish('skd');
    const res = await api.post('officer', CAT, skdCsv([{ applicationId: 'I-06', twk: 65, tiu: 85, tkp: 170 }]), { csv: true });
    expect(rowsOf(expectProblem(res, 422))).toEqual([expect.objectContaining({ line: 2, field: 'approvalRef', message: expect.stringContaining('score-locked') as unknown })]);
  });
});

describe('CAT competency export (PPPK)', () => {
  it('imports competency scores of a PPPK period', async () => {
    const q = new Period(api, 'impor-pppk');
    await q.open({ kind: 'PPPK' });
    await q.announce('Q-F', 1);
    await api.write(
      'officer',
      q.path('/imports/registrations'),
      registrationsCsv([
        { ...row('Q-1', 'Q-F'), pppkCategory: 'p1-guru' },
        { ...row('Q-2', 'Q-F'), pppkCategory: 'umum' },
      ]),
      { csv: true },
    );
    await q.verified('Q-1');
    await q.verified('Q-2');
    const text = csv(
      ['no_pendaftaran', 'kehadiran', 'teknis', 'manajerial', 'sosial_kultural', 'wawancara', 'total'],
      [
        ['Q-1', 'HADIR', 300, 60, 70, 30, 460],
        ['Q-2', 'TIDAK HADIR', '', '', '', '', ''],
      ],
    );
    const res = await api.post<ImportResult>('officer', q.path('/imports/cat-scores'), text, { csv: true });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ rows: 2, recorded: 2 });
    expect(await q.application('Q-1')).toMatchObject({ pppkCategory: 'p1-guru', competency: { teknis: 300, manajerial: 60, sosialKultural: 70, wawancara: 30, source: 'cat' } });
    const skd = await api.post('officer', q.path('/imports/cat-scores'), skdCsv([{ applicationId: 'Q-1', twk: 60, tiu: 85, tkp: 170 }]), { csv: true });
    expect(rowsOf(expectProblem(skd, 422)).map((r) => r.field)).toEqual(expect.arrayContaining(['teknis']));
  });
});
