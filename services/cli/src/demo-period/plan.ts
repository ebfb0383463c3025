/**
 * The demo world as an ordered list of recording steps: who records what, when (the
 * simulated WIB clock), under which idempotency key. One step is one atomic write: a
 * directory command, one period command, or a batch of period commands of one actor
 * (an import, a verification session, a CAT import of a test day).
 */
import type { Actor, DirectoryCommand, FinalCode, PeriodCommand } from '@casn/domain';
import { sha256, toHex, utf8 } from '@casn/ledger-core';
import { ADMIN, CAT_OPERATOR, EXAMINERS, PORTAL, type ActorDef, type Relative } from './actors.ts';
import { addMinutes, addSeconds, wib, wibDate, wibIso } from './calendar.ts';
import { AGENCY, FORMATIONS, PERIOD_ID, REFERENCES, REGISTRATION_EXTENDED_TO, RULES, SCHEDULE, SKB_WEIGHTS } from './catalogue.ts';
import { Random } from './random.ts';
import { firstVerdict, type Applicant, type DocumentVerdict, type World } from './world.ts';

/** Turns people into sealed commands (personal data never leaves the vault in clear). */
export interface Sealer {
  submit(a: Applicant): Promise<Extract<PeriodCommand, { type: 'SubmitApplication' }>>;
  registerActor(a: ActorDef): Promise<Extract<DirectoryCommand, { type: 'RegisterActor' }>>;
  declareRelative(a: ActorDef, r: Relative): Promise<Extract<DirectoryCommand, { type: 'DeclareRelative' }>>;
}

/** One atomic write of the demo. */
export type Step = {
  readonly key: string;
  readonly at: Date;
  readonly actor: Actor;
  readonly stage: string;
} & (
  | { readonly kind: 'directory'; readonly command: () => Promise<DirectoryCommand>; readonly skip?: { readonly agency?: string; readonly actorId?: string } }
  | { readonly kind: 'open'; readonly command: Extract<PeriodCommand, { type: 'OpenPeriod' }> }
  | { readonly kind: 'period'; readonly command: () => Promise<PeriodCommand> }
  | { readonly kind: 'batch'; readonly commands: () => Promise<PeriodCommand[]> }
);

/** Most commands in one batch (one append). */
export const BATCH_LIMIT = 1000;

/** The steps of the demo in recording order. */
export function planSteps(world: World, seed: number, sealer: Sealer): Step[] {
  const steps: Step[] = [];
  const random = new Random(seed ^ 0x5eed5);
  const actors = new Map(world.actors.map((a) => [a.actorId, { id: a.actorId, role: a.role, agency: a.agency } satisfies Actor]));
  const as = (id: string): Actor => actors.get(id) ?? { id, role: 'admin', agency: null };
  const key = (name: string): string => `demo-${PERIOD_ID}-${name}`;
  const period = (stage: string, name: string, at: Date, actor: string, command: PeriodCommand | (() => Promise<PeriodCommand>)): void => {
    steps.push({ kind: 'period', key: key(name), at, actor: as(actor), stage, command: typeof command === 'function' ? command : () => Promise.resolve(command) });
  };
  const batch = (stage: string, name: string, at: Date, actor: string, commands: readonly PeriodCommand[] | (() => Promise<PeriodCommand[]>), size = 0): void => {
    let made: Promise<PeriodCommand[]> | undefined;
    const make = typeof commands === 'function' ? () => (made ??= commands()) : () => Promise.resolve([...commands]);
    const n = typeof commands === 'function' ? size : commands.length;
    if (n === 0) return;
    // Very large batches are split so one append stays within a statement's reach.
    const parts = Math.ceil(n / BATCH_LIMIT);
    for (let p = 0; p < parts; p++) {
      const slice = async (): Promise<PeriodCommand[]> => (await make()).slice(p * BATCH_LIMIT, (p + 1) * BATCH_LIMIT);
      steps.push({ kind: 'batch', key: key(parts === 1 ? name : `${name}-part${p + 1}`), at: addSeconds(at, p * 20), actor: as(actor), stage, commands: slice });
    }
  };

  // The directory: the admin is registered by the system, then registers the rest.
  const directory = (name: string, at: Date, actor: Actor, command: () => Promise<DirectoryCommand>, skip?: { agency?: string; actorId?: string }): void => {
    steps.push({ kind: 'directory', key: key(`directory-${name}`), at, actor, stage: 'directory', command, ...(skip && { skip }) });
  };
  const admin = world.actors.find((a) => a.actorId === ADMIN)!;
  directory(`actor-${ADMIN}`, wib('2024-08-01', '08:00'), { id: 'system', role: 'admin', agency: null }, () => sealer.registerActor(admin), { actorId: ADMIN });
  directory(`agency-${AGENCY.code}`, wib('2024-08-01', '08:05'), as(ADMIN), () => Promise.resolve({ type: 'RegisterAgency', ...AGENCY }), { agency: AGENCY.code });
  world.actors
    .filter((a) => a.actorId !== ADMIN)
    .forEach((a, i) => directory(`actor-${a.actorId}`, addMinutes(wib('2024-08-01', '08:10'), 2 * i), as(ADMIN), () => sealer.registerActor(a), { actorId: a.actorId }));
  let declaration = 0;
  for (const a of world.actors) {
    a.relatives.forEach((r, i) => {
      directory(`relative-${a.actorId}-${i + 1}`, addMinutes(wib('2024-08-05', '09:00'), 7 * declaration++), as(a.actorId), () => sealer.declareRelative(a, r));
    });
  }

  // Opening, formations and the schedule.
  steps.push({
    kind: 'open',
    key: key('open-period'),
    at: wib('2024-08-19', '09:30'),
    actor: as(ADMIN),
    stage: 'formations',
    command: { type: 'OpenPeriod', periodId: PERIOD_ID, agency: { ...AGENCY }, year: 2024, kind: 'CPNS', rules: RULES, skbWeights: SKB_WEIGHTS, schedule: SCHEDULE },
  });
  batch(
    'formations',
    'announce-formations',
    wib('2024-08-19', '10:00'),
    ADMIN,
    FORMATIONS.map((f) => ({ type: 'AnnounceFormation', formationId: f.id, jabatan: f.jabatan, unit: f.unit, location: f.location, education: [...f.education], track: f.track, quota: f.quota })),
  );
  period('registration', 'extend-registration', wib('2024-09-06', '14:00'), ADMIN, {
    type: 'AmendSchedule',
    stage: 'registration',
    closes: wibIso(REGISTRATION_EXTENDED_TO),
    reason: 'Perpanjangan masa pendaftaran sesuai perpanjangan jadwal nasional oleh Panselnas karena kendala akses portal SSCASN',
    reference: REFERENCES.extension,
  });

  // Registration: the SSCASN export of each day is imported the next morning; the portal records live.
  const byDay = new Map<string, Applicant[]>();
  for (const a of world.applicants) {
    if (a.channel === 'portal') {
      period('registration', `submit-portal-${a.id}`, addSeconds(a.submittedAt, 2 + random.int(0, 30)), PORTAL, () => sealer.submit(a));
      continue;
    }
    const day = wibDate(a.submittedAt);
    (byDay.get(day) ?? byDay.set(day, []).get(day)!).push(a);
  }
  for (const [day, list] of byDay) {
    const at = addMinutes(wib(day, '07:30'), 24 * 60 + random.int(0, 5));
    batch('registration', `import-${day}`, at, ADMIN, () => mapLimit(list, 32, (a) => sealer.submit(a)), list.length);
  }

  planVerification(world, random, period, batch);
  planSanggah(world, period);
  planSkd(world, period, batch);
  planSkb(world, batch);
  planResults(world, period, batch);

  // A repeated key would be taken for a replay and silently skip a write.
  const keys = new Set(steps.map((s) => s.key));
  if (keys.size !== steps.length) throw new Error('demo plan has a repeated idempotency key');
  // Stable: steps at the same instant keep the order they were planned in.
  return steps.map((s, i) => ({ s, i })).sort((x, y) => x.s.at.getTime() - y.s.at.getTime() || x.i - y.i).map(({ s }) => s);
}

type AddOne = (stage: string, name: string, at: Date, actor: string, command: PeriodCommand | (() => Promise<PeriodCommand>)) => void;
type AddBatch = (stage: string, name: string, at: Date, actor: string, commands: readonly PeriodCommand[]) => void;

/** Groups items by a key, keeping first-seen order. */
function groupBy<T>(items: readonly T[], keyOf: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of items) {
    const k = keyOf(t);
    (out.get(k) ?? out.set(k, []).get(k)!).push(t);
  }
  return out;
}

const docs = (d: readonly DocumentVerdict[]): DocumentVerdict[] => d.map((x) => ({ ...x }));
const verdictOfDocs = (d: readonly DocumentVerdict[]): 'MS' | 'TMS' => (d.some((x) => x.verdict === 'TMS') ? 'TMS' : 'MS');

function planVerification(world: World, random: Random, period: AddOne, batch: AddBatch): void {
  const apps = world.applicants;
  const stamp = (d: Date): string => wibIso(d).slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  for (const [, list] of groupBy(apps, (a) => `${a.verifier}@${a.verified!.getTime()}`)) {
    const a0 = list[0]!;
    batch('verification', `verify-${a0.verifier}-${stamp(a0.verified!)}`, a0.verified!, a0.verifier, list.map((a) => ({ type: 'VerifyDocuments', applicationId: a.id, verdict: verdictOfDocs(a.documents), documents: docs(a.documents) })));
  }
  const notes = ['Berkas lengkap dan sesuai persyaratan', 'Sesuai hasil verifikasi', 'Dokumen telah diperiksa'];
  const confirm = (a: Applicant, verdict: 'MS' | 'TMS'): PeriodCommand => {
    const note = verdict === 'TMS' ? 'TMS sesuai alasan verifikator' : random.chance(0.55) ? random.pick(notes) : undefined;
    return { type: 'ConfirmVerification', applicationId: a.id, verdict, ...(note !== undefined && { note }) };
  };
  // Supervisors in their sessions: returns and confirmations of the previous session.
  const regular = apps.filter((a) => !a.burst);
  for (const [, list] of groupBy(regular, (a) => `${a.confirmer}@${a.confirmed!.getTime()}`)) {
    const a0 = list[0]!;
    batch(
      'verification',
      `confirm-${a0.confirmer}-${stamp(a0.confirmed!)}`,
      a0.confirmed!,
      a0.confirmer,
      list.map((a) => (a.returned ? { type: 'ReturnVerification', applicationId: a.id, reason: a.returned.reason } : confirm(a, verdictOfDocs(a.documents)))),
    );
  }
  const returned = apps.filter((a) => a.returned);
  for (const [, list] of groupBy(returned, (a) => `${a.verifier}@${a.returned!.reverifiedAt.getTime()}`)) {
    const a0 = list[0]!;
    batch('verification', `reverify-${a0.verifier}-${stamp(a0.returned!.reverifiedAt)}`, a0.returned!.reverifiedAt, a0.verifier, list.map((a) => ({ type: 'VerifyDocuments', applicationId: a.id, verdict: verdictOfDocs(a.returned!.documents), documents: docs(a.returned!.documents) })));
  }
  for (const [, list] of groupBy(returned, (a) => `${a.confirmer}@${a.returned!.confirmedAt.getTime()}`)) {
    const a0 = list[0]!;
    batch('verification', `confirm-returned-${a0.confirmer}-${stamp(a0.returned!.confirmedAt)}`, a0.returned!.confirmedAt, a0.confirmer, list.map((a) => confirm(a, firstVerdict(a))));
  }
  // The burst: one confirmation at a time, about a second apart, no notes.
  for (const id of world.burst.ids) {
    const a = world.byId.get(id)!;
    period('verification', `confirm-burst-${a.id}`, a.confirmed!, a.confirmer, { type: 'ConfirmVerification', applicationId: a.id, verdict: verdictOfDocs(a.documents) });
  }
  period('verification', 'publish-administrasi', wib('2024-09-19', '16:00'), ADMIN, { type: 'PublishResults', stage: 'administrasi', reference: REFERENCES.administrasi });
}

function planSanggah(world: World, period: AddOne): void {
  for (const a of world.applicants) {
    const s = a.sanggah;
    if (!s) continue;
    period('sanggah', `sanggah-file-${a.id}`, s.filedAt, PORTAL, { type: 'FileSanggah', applicationId: a.id, reason: s.reason });
    period('sanggah', `sanggah-decide-${a.id}`, s.decidedAt, s.decider, {
      type: 'DecideSanggah',
      applicationId: a.id,
      accepted: s.accepted,
      reason: s.decision,
      ...(s.newVerdict !== undefined && { newVerdict: s.newVerdict }),
      ...(s.approvalRef !== undefined && { approvalRef: s.approvalRef }),
    });
  }
  for (const a of world.applicants) {
    const r = a.reverified;
    if (r) period('sanggah', `reverify-${a.id}`, r.at, r.by, { type: 'Reverify', applicationId: a.id, verdict: verdictOfDocs(r.documents), documents: docs(r.documents), reason: r.reason });
  }
  period('sanggah', 'publish-administrasi-pasca-sanggah', wib('2024-09-27', '16:00'), ADMIN, { type: 'PublishResults', stage: 'administrasi', reference: REFERENCES.pascaSanggah });
}

function planSkd(world: World, period: AddOne, batch: AddBatch): void {
  const sitting = world.applicants.filter((a) => a.skdDay !== undefined);
  for (const a of sitting) {
    const m = a.skdManual;
    if (m) period('skd', `skd-manual-${a.id}`, m.at, m.by, { type: 'RecordSkdScore', applicationId: a.id, ...m.score, source: 'manual' });
  }
  for (const [day, list] of groupBy(sitting, (a) => a.skdDay!)) {
    batch(
      'skd',
      `skd-cat-${day}`,
      wib(day, '17:30'),
      CAT_OPERATOR,
      list.map((a) => (a.skdAbsent ? { type: 'RecordAbsence', applicationId: a.id, stage: 'skd' } : { type: 'RecordSkdScore', applicationId: a.id, ...a.skd!, source: 'cat' })),
    );
  }
  const amend = world.amendedFormation;
  period('skd', `amend-${amend.formationId}`, wib('2024-11-01', '10:00'), ADMIN, {
    type: 'AmendFormation',
    formationId: amend.formationId,
    changes: { quota: amend.to },
    reason: 'Penambahan kebutuhan Pranata Komputer untuk pengembangan layanan Tangsel Smart City',
    reference: REFERENCES.formationChange,
  });
  period('skd', 'publish-skd', wib('2024-11-04', '10:00'), ADMIN, { type: 'PublishResults', stage: 'skd', reference: REFERENCES.skd });
  for (const a of sitting) {
    const l = a.skdLate;
    if (l) period('skd', `skd-late-${a.id}`, l.at, l.by, { type: 'RecordSkdScore', applicationId: a.id, ...l.score, source: 'cat', approvalRef: l.approvalRef });
  }
  batch('skd', 'skd-cut', wib('2024-11-07', '09:30'), 'supervisor-01', FORMATIONS.map((f) => ({ type: 'DecideSkdCut', formationId: f.id })));
}

function planSkb(world: World, batch: AddBatch): void {
  const sitting = world.applicants.filter((a) => a.skbDay !== undefined);
  for (const [day, list] of groupBy(sitting, (a) => a.skbDay!)) {
    EXAMINERS.forEach((examiner, i) => {
      const scored = list.filter((a) => a.practical?.some((p) => p.examiner === examiner));
      batch(
        'skb',
        `skb-practical-${examiner}-${day}`,
        addMinutes(wib(day, '15:30'), 6 * i),
        examiner,
        scored.map((a) => ({ type: 'RecordSkbScore', applicationId: a.id, part: 'practical', score: a.practical!.find((p) => p.examiner === examiner)!.score, source: 'manual', examiner })),
      );
    });
    batch(
      'skb',
      `skb-cat-${day}`,
      wib(day, '17:00'),
      CAT_OPERATOR,
      list.map((a) => (a.skbAbsent ? { type: 'RecordAbsence', applicationId: a.id, stage: 'skb' } : { type: 'RecordSkbScore', applicationId: a.id, part: 'cat', score: a.skbCat!, source: 'cat' })),
    );
  }
  batch('skb', 'publish-skb', wib('2024-12-02', '10:00'), ADMIN, [{ type: 'PublishResults', stage: 'skb', reference: REFERENCES.skb }]);
}

/** The published final list of a formation: one line per application, as hashed into documentHash. */
export function renderAnnouncement(world: World, formationId: string): { text: string; results: { applicationId: string; code: FinalCode }[] } {
  const f = world.formations.find((x) => x.id === formationId)!;
  const list = world.applicants.filter((a) => a.formation.id === formationId);
  const results = list.map((a) => ({ applicationId: a.id, code: a.announcedCode! }));
  const lines = [
    'PENGUMUMAN HASIL AKHIR SELEKSI PENGADAAN CALON PEGAWAI NEGERI SIPIL',
    `${AGENCY.name.toUpperCase()} TAHUN ANGGARAN 2024`,
    `Nomor: ${REFERENCES.final}`,
    `Formasi: ${f.id} | ${f.jabatan} | ${f.unit} | ${f.location} | jenis ${f.track} | kebutuhan ${world.quotas.get(f.id)}`,
    'No.|Nomor Peserta|Kode',
    ...results.map((r, i) => `${i + 1}|${r.applicationId}|${r.code}`),
    'Tangerang Selatan, 6 Desember 2024 — Ketua Panitia Seleksi Daerah',
  ];
  return { text: lines.join('\n') + '\n', results };
}

function planResults(world: World, period: AddOne, batch: AddBatch): void {
  const birthDates = (formationId: string): Record<string, string> =>
    Object.fromEntries(world.applicants.filter((a) => a.formation.id === formationId && a.rank !== undefined).map((a) => [a.id, a.person.birthDate]));
  batch('ranking', 'decide-ranking', wib('2024-12-04', '09:30'), 'supervisor-01', [...world.rankings.keys()].map((formationId) => ({ type: 'DecideRanking', formationId, birthDates: birthDates(formationId) })));
  FORMATIONS.forEach((f, i) => {
    const list = world.applicants.filter((a) => a.formation === f);
    batch('final', `final-${f.id}`, addMinutes(wib('2024-12-05', '10:00'), 4 * i), 'supervisor-01', list.map((a) => ({ type: 'RecordFinalDecision', applicationId: a.id, code: a.finalCode! })));
  });
  FORMATIONS.forEach((f, i) => {
    period('announcement', `announce-${f.id}`, addMinutes(wib('2024-12-06', '14:00'), 2 * i), ADMIN, () => {
      const { text, results } = renderAnnouncement(world, f.id);
      return Promise.resolve({ type: 'AnnounceResults', formationId: f.id, reference: REFERENCES.final, documentHash: sha256Hex(text), results });
    });
  });
  const r = world.resignation;
  const resigned = world.byId.get(r.resigned)!;
  period('announcement', `resign-${r.resigned}`, resigned.resigned!.at, PORTAL, { type: 'ResignApplicant', applicationId: r.resigned, reason: resigned.resigned!.reason });
  period('announcement', `replace-${r.resigned}`, wib('2024-12-23', '10:00'), 'supervisor-01', {
    type: 'AppointReplacement',
    formationId: r.formationId,
    resignedApplicationId: r.resigned,
    replacementApplicationId: r.replacement,
    reference: REFERENCES.replacement,
  });
  period('announcement', `final-replacement-${r.replacement}`, wib('2024-12-23', '10:05'), 'supervisor-01', {
    type: 'RecordFinalDecision',
    applicationId: r.replacement,
    code: 'L',
    reference: REFERENCES.replacement,
    reason: `Pengganti peserta ${r.resigned} yang mengundurkan diri (APS)`,
  });
}

function sha256Hex(text: string): string {
  return toHex(sha256(utf8(text)));
}

/** Maps with at most `limit` calls in flight, keeping the order of `items`. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
