/**
 * Drives a scenario world through the HTTP API, stage by stage on the 2024 calendar: the
 * directory and tokens, registration (SSCASN CSV imports, live portal submissions),
 * verification and confirmation, sanggah, the SKD (CAT imports), the cut, the SKB
 * (several examiners per candidate), the ranking, final decisions and announcements. The
 * planted irregularities are recorded on the way, each with the seqs the API answered, as
 * the ground truth. Later stages are planned from what the ledger decided (the cut and the
 * ranking are read back through the API).
 */
import type { FinalCode } from '@casn/domain';
import { sha256, toHex, utf8 } from '@casn/ledger-core';
import { addMinutes, addSeconds, wib, wibDate, wibIso, workdays } from '../demo-period/calendar.ts';
import { FORMATIONS, REFERENCES, REGISTRATION_EXTENDED_TO, RULES, SCHEDULE, SKB_WEIGHTS, type FormationDef } from '../demo-period/catalogue.ts';
import { Random, clamp } from '../demo-period/random.ts';
import type { DocumentVerdict } from '../demo-period/world.ts';
import { runCalls, type Call, type ScenarioClock } from './calls.ts';
import { ApiError, type ImportResult, type ScenarioClient, type WriteResult } from './client.ts';
import type { TruthItem } from './truth.ts';
import { confirmedVerdict, verdictInForce, verdictOfDocuments, type ScenarioApplicant, type ScenarioIds, type ScenarioWorld } from './world.ts';

/** How the scenario reaches the server and moves its time. */
export interface DriveOptions {
  /** The name under which the client holds an administrator's token (directory and token issuing). */
  readonly admin: string;
  readonly clock: ScenarioClock;
  /** Requests in flight at once. */
  readonly concurrency: number;
  readonly onStage?: (stage: string) => void;
}

/** What the drive recorded. */
export interface DriveResult {
  readonly truth: TruthItem[];
  /** Plants the server's clock made impossible (a remote server), with why. */
  readonly skipped: string[];
  /** Formations chosen for the adaptive plants. */
  readonly formations: Record<string, string>;
  /** The period's ledger and its size at the end. */
  readonly origin: string;
  readonly entries: number;
}

/** A token issued to an actor of the scenario. */
export interface Issued {
  readonly id: string;
  readonly token: string;
}

interface Skd {
  readonly twk: number;
  readonly tiu: number;
  readonly tkp: number;
}

interface CutRow {
  readonly applicationId: string;
  readonly code: string;
}

interface RankingView {
  readonly ranking: readonly { readonly applicationId: string; readonly rank: number }[];
  readonly skdCut: readonly CutRow[];
}

const LATE_SCORE_APPROVAL = 'Surat Kepala Kantor Regional III BKN Nomor 4406/KR.III/XI/2024';
const LATE_SKB_APPROVAL = 'Nota Dinas Ketua Panitia Seleksi Daerah Nomor 800.1.2.2/3188-BKPSDM/2024';
const CONFIRM_NOTES = ['Berkas lengkap dan sesuai persyaratan', 'Sesuai hasil verifikasi', 'Dokumen telah diperiksa dan sesuai'];
const SKD_DAYS = workdays('2024-10-14', '2024-10-31');
const SKB_DAYS = workdays('2024-11-18', '2024-11-29');

/** Records the scenario; resolves to its ground truth. */
export async function driveScenario(world: ScenarioWorld, client: ScenarioClient, opts: DriveOptions): Promise<DriveResult> {
  return new Driver(world, client, opts).run();
}

class Driver {
  readonly truth: TruthItem[] = [];
  /** Seqs written per application: its submission, its (latest) verification and confirmation. */
  readonly submissions = new Map<string, number[]>();
  readonly verified = new Map<string, number[]>();
  readonly confirmed = new Map<string, number[]>();
  readonly skipped: string[] = [];
  readonly chosen: Record<string, string> = {};
  readonly ids: ScenarioIds;
  readonly live: boolean;
  readonly base: string;
  /** Draws of the later stages, apart from the world's so that they do not depend on timing. */
  readonly random: Random;

  constructor(
    readonly world: ScenarioWorld,
    readonly client: ScenarioClient,
    readonly opts: DriveOptions,
  ) {
    this.ids = world.ids;
    this.live = !opts.clock.controllable;
    this.base = `/v1/periods/${world.ids.periodId}`;
    this.random = new Random(world.ids.seed ^ 0x5ca1ab1e);
  }

  async run(): Promise<DriveResult> {
    try {
      await this.directory();
      await this.registration();
      await this.verification();
      await this.sanggah();
      const cut = await this.skd();
      const { absent, panels } = await this.skb(cut);
      const rankings = await this.ranking(cut, absent);
      await this.results(rankings, absent, panels);
      const view = await this.client.get<{ origin: string; size: number }>(this.ids.inspector, this.base);
      return { truth: this.truth, skipped: this.skipped, formations: this.chosen, origin: view.origin, entries: view.size };
    } finally {
      // The actors' tokens were for this run only.
      await this.revokeTokens();
    }
  }

  // ---------------------------------------------------------------------------------
  // Plumbing
  // ---------------------------------------------------------------------------------

  #stage(name: string): void {
    this.opts.onStage?.(name);
  }

  /** A call posting `body` at `at` as `actor`, serialised with the actor's and the application's other calls. */
  call(at: Date, actor: string, path: string, body: unknown, key: string, opts: { app?: string; then?: (r: WriteResult) => void } = {}): Call {
    return {
      at,
      lanes: [actor, ...(opts.app !== undefined ? [opts.app] : [])],
      run: async () => {
        const r = await this.client.post(actor, path, body, key);
        opts.then?.(r);
      },
    };
  }

  async run1(at: Date, actor: string, path: string, body: unknown, key: string): Promise<WriteResult> {
    let out: WriteResult | undefined;
    await this.calls([this.call(at, actor, path, body, key, { then: (r) => (out = r) })]);
    return out!;
  }

  calls(list: readonly Call[]): Promise<void> {
    return runCalls(list, this.opts.clock, this.opts.concurrency);
  }

  app(id: string, rest = ''): string {
    return `${this.base}/applications/${id}${rest}`;
  }

  plant(item: TruthItem): void {
    this.truth.push(item);
  }

  /** Seqs of a write on application streams (not the person guard). */
  static seqs(r: WriteResult): number[] {
    return r.entries.filter((e) => !e.stream.startsWith('person-')).map((e) => e.seq);
  }

  // ---------------------------------------------------------------------------------
  // Directory
  // ---------------------------------------------------------------------------------

  async directory(): Promise<void> {
    this.#stage('directory');
    const admin = this.opts.admin;
    try {
      await this.client.get(admin, this.base);
      throw new ScenarioError(`period ${this.ids.periodId} already exists: choose another --seed`);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
    }
    const at = wib('2024-08-01', '08:00');
    await this.run1(at, admin, '/v1/agencies', this.ids.agency, 'agency').catch((err: unknown) => {
      // Registered by an earlier run of this seed that stopped before opening the period.
      if (!(err instanceof ApiError && err.problem.rule === 'agency-exists')) throw err;
    });
    const calls: Call[] = [];
    this.world.actors.forEach((a, i) => {
      const p = a.person;
      const person = p && {
        nik: p.nik, kk: p.kk, name: p.name, birthDate: p.birthDate, address: p.address, phone: p.phone, email: p.email, parents: [...p.parents],
        ...(p.bankAccount !== undefined && { bankAccount: p.bankAccount }),
      };
      calls.push(this.call(addMinutes(at, 5 + i), admin, '/v1/actors', { actorId: a.actorId, role: a.role, agency: a.agency, ...(person && { person }) }, `actor-${a.actorId}`));
    });
    await this.calls(calls);
    let k = 0;
    const relatives: Call[] = [];
    for (const a of this.world.actors) {
      a.relatives.forEach((r, i) => {
        const person = { name: r.name, ...(r.nik !== undefined && { nik: r.nik }), ...(r.kk !== undefined && { kk: r.kk }), ...(r.phone !== undefined && { phone: r.phone }), ...(r.birthDate !== undefined && { birthDate: r.birthDate }) };
        relatives.push(this.call(addMinutes(wib('2024-08-05', '09:00'), 7 * k++), admin, `/v1/actors/${a.actorId}/relatives`, { relation: r.relation, person }, `relative-${a.actorId}-${i + 1}`));
      });
    }
    await this.calls(relatives);
    // A token for every actor, with the role and agency the directory gives them.
    const tokens = this.world.actors.map((a): Call => ({
      at: wib('2024-08-05', '14:00'),
      run: async () => this.client.setToken(a.actorId, await this.issueToken(a.actorId)),
    }));
    await this.calls(tokens);
  }

  /** Ids of the tokens issued, revoked at the end. */
  readonly issued: string[] = [];

  async issueToken(actorId: string): Promise<string> {
    const issued = await this.client.post<Issued>(this.opts.admin, `/v1/actors/${actorId}/tokens`, { label: `scenario ${this.ids.seed}` }, null);
    this.issued.push(issued.id);
    return issued.token;
  }

  async revokeTokens(): Promise<void> {
    for (const id of this.issued.splice(0)) await this.client.post(this.opts.admin, `/v1/tokens/${id}/revocation`, undefined, null);
  }

  // ---------------------------------------------------------------------------------
  // Registration
  // ---------------------------------------------------------------------------------

  async registration(): Promise<void> {
    this.#stage('registration');
    const { admin, portal } = this.ids;
    const now = Date.now();
    // A remote server decides with its own clock: the windows it checks must contain it.
    const schedule = this.live
      ? { ...SCHEDULE, registration: { opens: SCHEDULE.registration!.opens, closes: new Date(now + 12 * 3600_000).toISOString() }, verification: { opens: SCHEDULE.verification!.opens, closes: new Date(now + 24 * 3600_000).toISOString() }, sanggah: undefined }
      : SCHEDULE;
    await this.run1(wib('2024-08-19', '09:30'), admin, '/v1/periods', {
      periodId: this.ids.periodId, agency: this.ids.agency, year: 2024, kind: 'CPNS', rules: RULES, skbWeights: SKB_WEIGHTS, schedule: JSON.parse(JSON.stringify(schedule)) as object,
    }, 'open-period');
    await this.calls(
      FORMATIONS.map((f, i) =>
        this.call(addMinutes(wib('2024-08-19', '10:00'), i), admin, `${this.base}/formations`, { formationId: f.id, jabatan: f.jabatan, unit: f.unit, location: f.location, education: [...f.education], track: f.track, quota: f.quota }, `formation-${f.id}`),
      ),
    );

    const calls: Call[] = [];
    if (!this.live) {
      calls.push(this.call(wib('2024-09-06', '14:00'), admin, `${this.base}/schedule/amendments`, {
        stage: 'registration', closes: wibIso(REGISTRATION_EXTENDED_TO), reason: 'Perpanjangan masa pendaftaran sesuai perpanjangan jadwal nasional oleh Panselnas', reference: REFERENCES.extension,
      }, 'extend-registration'));
    }
    // Each day's SSCASN export is imported on the next working day, in files of at most 500 rows.
    const byDay = new Map<string, ScenarioApplicant[]>();
    for (const a of this.world.applicants) {
      if (a.channel === 'portal' && !this.live) {
        calls.push(this.call(addSeconds(a.submittedAt, 3 + this.random.int(0, 40)), portal, `${this.base}/applications`, { applicationId: a.id, formationId: a.formation.id, education: a.education, applicant: applicantBody(a) }, `submit-${a.id}`, { app: a.id, then: (r) => this.#submitted(a, r) }));
        continue;
      }
      const day = nextWorkday(wibDate(a.submittedAt));
      (byDay.get(day) ?? byDay.set(day, []).get(day)!).push(a);
    }
    for (const [day, list] of byDay) {
      const officer = list.filter((a) => a.channel === 'officer');
      const rows = list.filter((a) => a.channel !== 'officer');
      for (let i = 0; i * 500 < rows.length; i++) {
        const chunk = rows.slice(i * 500, (i + 1) * 500);
        calls.push({
          at: addMinutes(wib(day, '08:30'), 3 * i),
          lanes: [admin],
          run: async () => {
            const r = await this.client.post<ImportResult>(admin, `${this.base}/imports/registrations`, registrationsCsv(chunk), `import-${day}-${i + 1}`, { csv: true });
            for (const a of chunk) this.#submittedFrom(a, r.write);
          },
        });
      }
      // Recorded by hand from the applicant's file (the SSCASN row lacked the bank account).
      officer.forEach((a, i) => {
        calls.push(this.call(addMinutes(wib(day, '08:50'), 2 * i), admin, `${this.base}/applications`, {
          applicationId: a.id, formationId: a.formation.id, education: a.education, applicant: applicantBody(a), submittedAt: a.submittedAt.toISOString(),
        }, `submit-${a.id}`, { app: a.id, then: (r) => this.#submitted(a, r) }));
      });
    }
    await this.calls(calls);
    if (this.live) {
      // The server's clock is in the future of 2024: close registration as it closed then.
      await this.run1(new Date(), admin, `${this.base}/schedule/amendments`, {
        stage: 'registration', closes: wibIso(REGISTRATION_EXTENDED_TO), reason: 'Penutupan pendaftaran sesuai jadwal yang telah diperpanjang', reference: REFERENCES.extension,
      }, 'close-registration');
    }
  }

  #submitted(a: ScenarioApplicant, r: WriteResult): void {
    this.submissions.set(a.id, Driver.seqs(r));
  }

  #submittedFrom(a: ScenarioApplicant, w: WriteResult | null): void {
    const e = w?.entries.find((x) => x.stream === `application-${a.id}`);
    if (e) this.submissions.set(a.id, [e.seq]);
  }

  // ---------------------------------------------------------------------------------
  // Verification, sanggah
  // ---------------------------------------------------------------------------------

  #verify(a: ScenarioApplicant, at: Date, by: string, docs: readonly DocumentVerdict[], key: string): Call {
    return this.call(at, by, this.app(a.id, '/verification'), { verdict: verdictOfDocuments(docs), documents: docs }, key, { app: a.id, then: (r) => this.verified.set(a.id, Driver.seqs(r)) });
  }

  #confirm(a: ScenarioApplicant, at: Date, by: string, key: string): Call {
    const verdict = confirmedVerdict(a);
    const note = a.bare ? undefined : verdict === 'TMS' ? 'TMS sesuai alasan verifikator' : CONFIRM_NOTES[a.id.charCodeAt(a.id.length - 1) % CONFIRM_NOTES.length];
    return this.call(at, by, this.app(a.id, '/verification/confirmation'), { verdict, ...(note !== undefined && { note }) }, key, { app: a.id, then: (r) => this.confirmed.set(a.id, Driver.seqs(r)) });
  }

  async verification(): Promise<void> {
    this.#stage('verification');
    const { cast } = this.world;
    const late = new Set(cast.late);
    const calls: Call[] = [];
    for (const a of this.world.applicants) {
      if (late.has(a)) continue;
      calls.push(this.#verify(a, a.verifiedAt, a.verifier, a.documents, `verify-${a.id}`));
      if (a.returned) {
        calls.push(
          this.call(a.confirmedAt, a.confirmer, this.app(a.id, '/verification/return'), { reason: 'Mohon diperiksa ulang kesesuaian ijazah dengan kualifikasi pendidikan formasi' }, `return-${a.id}`, { app: a.id }),
          this.#verify(a, a.returned.reverifiedAt, a.verifier, a.returned.documents, `verify-again-${a.id}`),
          this.#confirm(a, a.returned.confirmedAt, a.confirmer, `confirm-${a.id}`),
        );
      } else {
        calls.push(this.#confirm(a, a.confirmedAt, a.confirmer, `confirm-${a.id}`));
      }
    }
    // The education of a formation widened after registration closed.
    const f03 = FORMATIONS.find((f) => f.id === 'f03-guru-ipa')!;
    calls.push(this.call(wib('2024-09-12', '10:00'), this.ids.admin, `${this.base}/formations/${f03.id}/amendments`, {
      changes: { education: [...f03.education, 'S-1 Pendidikan Kimia'] },
      reason: 'Penyesuaian kualifikasi pendidikan atas usulan Dinas Pendidikan dan Kebudayaan',
      reference: 'Surat Kepala Dinas Pendidikan dan Kebudayaan Nomor 800/1432-Disdikbud/2024',
    }, `amend-${f03.id}`, {
      then: (r) => this.plant({ detector: 'formation-change-late', formationId: f03.id, actorId: this.ids.admin, entries: Driver.seqs(r), note: `${f03.id}: education widened on 12 Sep 2024, after registration closed (10 Sep).` }),
    }));
    await this.calls(calls);

    const { verifiers, supervisors } = this.ids;
    const tie = (a: ScenarioApplicant, actorId: string, note: string, seqs: ReadonlyMap<string, number[]>): void =>
      this.plant({ detector: 'related-party', applicationId: a.id, actorId, entries: seqs.get(a.id) ?? [], note });
    tie(cast.rpKk, verifiers[2]!, `${verifiers[2]} verified ${cast.rpKk.id}, who is on the officer's own family card (same KK, address and parents), never declared.`, this.verified);
    tie(cast.rpDeclared, supervisors[2]!, `${supervisors[2]} confirmed the verification of ${cast.rpDeclared.id}, her own declared child.`, this.confirmed);
    tie(cast.rpPhone, verifiers[4]!, `${verifiers[4]} verified ${cast.rpPhone.id}, who gave the officer's own mobile number.`, this.verified);
    tie(cast.rpAddress, verifiers[6]!, `${verifiers[6]} verified ${cast.rpAddress.id}, who lives at the officer's home address (another family card).`, this.verified);
    tie(cast.rpBank, supervisors[1]!, `${supervisors[1]} confirmed ${cast.rpBank.id}, whose bank account is the supervisor's.`, this.confirmed);
    tie(cast.rpParents, verifiers[7]!, `${verifiers[7]} verified ${cast.rpParents.id}, who has the officer's parents (a sibling on another family card after pecah KK).`, this.verified);
    tie(cast.rpIntermediary, verifiers[3]!, `${verifiers[3]} verified ${cast.rpIntermediary.id}, who gave the phone number of the officer's declared sibling.`, this.verified);
    for (const b of cast.bursts) {
      const entries = b.members.flatMap((a) => this.confirmed.get(a.id) ?? []);
      const what = `${b.supervisor} confirmed ${b.members.length} verifications without a note, ${b.gapSeconds} s apart, ${b.when}`;
      this.plant({ detector: 'segregation-of-duties', actorId: b.supervisor, entries, note: `${what}: machine-speed bulk approval.` });
      this.plant({ detector: 'off-hours-bulk', actorId: b.supervisor, entries, note: `${what}: a burst faster than a person works.` });
    }
    if (this.live) {
      this.skipped.push('off-hours-bulk: the weekend and night verifications need the server clock on a 2024 weekend or night; recorded as ordinary verifications');
    } else {
      this.plant({ detector: 'off-hours-bulk', actorId: verifiers[10]!, entries: cast.weekend.flatMap((a) => this.verified.get(a.id) ?? []), note: `${verifiers[10]} verified ${cast.weekend.length} applications on Saturday 14 Sep 2024.` });
      this.plant({ detector: 'off-hours-bulk', actorId: verifiers[13]!, entries: cast.night.flatMap((a) => this.verified.get(a.id) ?? []), note: `${verifiers[13]} verified ${cast.night.length} applications between 23:05 and 23:50 on 12 Sep 2024.` });
    }
    for (const [x, y] of cast.joki) {
      this.plant({ detector: 'shared-identity', applicationId: x.id, entries: [...(this.submissions.get(x.id) ?? []), ...(this.submissions.get(y.id) ?? [])], note: `${x.id} and ${y.id}: two NIKs, one phone number and one e-mail address.` });
    }
  }

  async sanggah(): Promise<void> {
    this.#stage('sanggah');
    const { admin, portal } = this.ids;
    const { cast } = this.world;
    if (this.live) {
      // Close the verification window now, so that the late MS below comes after it.
      await this.run1(new Date(), admin, `${this.base}/schedule/amendments`, { stage: 'verification', closes: new Date(Date.now() - 1000).toISOString(), reason: 'Penutupan masa verifikasi', reference: REFERENCES.administrasi }, 'close-verification');
    }
    await this.run1(wib('2024-09-19', '16:00'), admin, `${this.base}/publications`, { stage: 'administrasi', reference: REFERENCES.administrasi }, 'publish-administrasi');
    const calls: Call[] = [];
    for (const a of cast.late) {
      calls.push(this.#verify(a, a.verifiedAt, a.verifier, a.documents, `verify-${a.id}`), this.#confirm(a, a.confirmedAt, a.confirmer, `confirm-${a.id}`));
    }
    for (const a of this.world.applicants) {
      const s = a.sanggah;
      if (!s) continue;
      calls.push(
        this.call(s.filedAt, portal, this.app(a.id, '/sanggah'), { reason: 'Dokumen yang diunggah sudah sesuai ketentuan; kesalahan pembacaan oleh verifikator' }, `sanggah-${a.id}`, { app: a.id }),
        this.call(s.decidedAt, s.decider, this.app(a.id, '/sanggah/decision'), s.accepted
          ? { accepted: true, reason: 'Sanggah diterima: kesalahan verifikasi, bukan kesalahan pelamar', newVerdict: 'MS', approvalRef: REFERENCES.sanggahApproval }
          : { accepted: false, reason: 'Sanggah ditolak: dokumen yang diunggah memang tidak memenuhi syarat' }, `sanggah-decision-${a.id}`, { app: a.id }),
      );
    }
    for (const a of this.world.applicants) {
      const r = a.reverified;
      if (!r) continue;
      const planted = cast.flips.includes(a);
      const reason = planted ? 'Perbaikan hasil verifikasi: ijazah dinyatakan sesuai setelah diperiksa ulang' : 'Hasil verifikasi ulang BKN: ijazah tidak sesuai kualifikasi pendidikan formasi';
      calls.push(this.call(r.at, r.by, this.app(a.id, '/reverification'), { verdict: verdictOfDocuments(r.documents), documents: r.documents, reason }, `reverify-${a.id}`, {
        app: a.id,
        then: (res) => {
          if (planted) this.plant({ detector: 'verdict-reversal', applicationId: a.id, actorId: r.by, entries: Driver.seqs(res), note: `${r.by} turned ${a.id} from TMS to MS by re-verification; no sanggah was filed.` });
        },
      }));
    }
    await this.calls(calls);
    for (const a of cast.late) {
      this.plant({ detector: 'late-action', applicationId: a.id, entries: [...(this.verified.get(a.id) ?? []), ...(this.confirmed.get(a.id) ?? [])], note: `${a.verifier} verified ${a.id} as MS on 20 Sep 2024 (and ${a.confirmer} confirmed it), after the verification window closed on 18 Sep.` });
    }
    await this.run1(wib('2024-09-27', '16:00'), admin, `${this.base}/publications`, { stage: 'administrasi', reference: REFERENCES.pascaSanggah }, 'publish-administrasi-pasca-sanggah');
  }

  // ---------------------------------------------------------------------------------
  // SKD and the cut
  // ---------------------------------------------------------------------------------

  async skd(): Promise<Map<string, CutRow[]>> {
    this.#stage('skd');
    const { admin, catOperator, verifiers, supervisors } = this.ids;
    const { cast } = this.world;
    const eligible = this.world.applicants
      .filter((a) => verdictInForce(a) === 'MS')
      .sort((x, y) => FORMATIONS.indexOf(x.formation) - FORMATIONS.indexOf(y.formation) || (x.id < y.id ? -1 : 1));
    const day = new Map<ScenarioApplicant, string>();
    const scores = new Map<ScenarioApplicant, Skd | null>();
    eligible.forEach((a, i) => {
      day.set(a, SKD_DAYS[Math.floor((i * SKD_DAYS.length) / eligible.length)]!);
      scores.set(a, !a.tag && this.random.chance(0.04) ? null : skdScore(this.random, a.ability));
    });
    // Failing on TKP alone, lifted over the grade after the publication.
    scores.set(cast.lateScore, { twk: 95, tiu: 105, tkp: 156 + this.random.int(0, 6) });

    const calls: Call[] = [];
    const byDay = new Map<string, ScenarioApplicant[]>();
    for (const a of eligible) (byDay.get(day.get(a)!) ?? byDay.set(day.get(a)!, []).get(day.get(a)!)!).push(a);
    for (const [d, list] of byDay) {
      for (let i = 0; i * 500 < list.length; i++) {
        const chunk = list.slice(i * 500, (i + 1) * 500);
        calls.push({
          at: addMinutes(wib(d, '17:30'), 3 * i),
          lanes: [catOperator],
          run: async () => void (await this.client.post<ImportResult>(catOperator, `${this.base}/imports/cat-scores`, skdCsv(chunk.map((a) => [a.id, scores.get(a)!] as const)), `skd-cat-${d}-${i + 1}`, { csv: true })),
        });
      }
    }
    // Typed by hand: one before the CAT import of the test day, one the next working day.
    const [m0, m1] = cast.manual;
    const typed = (a: ScenarioApplicant, bump: Skd): Skd => {
      const s = scores.get(a)!;
      return { twk: Math.min(150, s.twk + bump.twk), tiu: Math.min(175, s.tiu + bump.tiu), tkp: Math.min(225, s.tkp + bump.tkp) };
    };
    const manual: [ScenarioApplicant, Date, string][] = [
      [m0, wib(day.get(m0)!, '11:20'), verifiers[11]!],
      [m1, wib(nextWorkday(day.get(m1)!), '10:00'), verifiers[12]!],
    ];
    for (const [a, at, by] of manual) {
      const score = typed(a, a === m0 ? { twk: 15, tiu: 20, tkp: 11 } : { twk: 10, tiu: 15, tkp: 9 });
      calls.push(this.call(at, by, this.app(a.id, '/skd-scores'), { ...score, source: 'manual' }, `skd-manual-${a.id}`, {
        app: a.id,
        then: (r) => this.plant({ detector: 'manual-cat-override', applicationId: a.id, entries: Driver.seqs(r), note: `${by} typed an SKD score for ${a.id} by hand ${a === m0 ? 'before' : 'after'} the CAT import, which differs from it.` }),
      }));
    }
    // The quota of a formation raised once the SKD scores were known.
    const f06 = FORMATIONS.find((f) => f.id === 'f06-pranata-komputer')!;
    calls.push(this.call(wib('2024-11-01', '10:00'), admin, `${this.base}/formations/${f06.id}/amendments`, {
      changes: { quota: f06.quota + 1 }, reason: 'Penambahan kebutuhan Pranata Komputer untuk layanan kota cerdas', reference: REFERENCES.formationChange,
    }, `amend-${f06.id}`, {
      then: (r) => this.plant({ detector: 'formation-change-late', formationId: f06.id, actorId: admin, entries: Driver.seqs(r), note: `${f06.id}: quota raised from ${f06.quota} to ${f06.quota + 1} on 1 Nov 2024, after the SKD scores were recorded.` }),
    }));
    await this.calls(calls);
    await this.run1(wib('2024-11-04', '10:00'), admin, `${this.base}/publications`, { stage: 'skd', reference: REFERENCES.skd }, 'publish-skd');
    const lifted = { ...scores.get(cast.lateScore)!, tkp: scores.get(cast.lateScore)!.tkp + 14 };
    const late = await this.run1(wib('2024-11-05', '16:40'), admin, this.app(cast.lateScore.id, '/skd-scores'), { ...lifted, source: 'cat', approvalRef: LATE_SCORE_APPROVAL }, `skd-late-${cast.lateScore.id}`);
    this.plant({ detector: 'score-after-lock', applicationId: cast.lateScore.id, actorId: admin, entries: Driver.seqs(late), note: `${admin} recorded a new SKD score for ${cast.lateScore.id} (TKP +14, over the grade) on 5 Nov 2024, after the SKD results were published on 4 Nov, citing a regional letter; no sanggah.` });

    await this.calls(FORMATIONS.map((f, i) => this.call(addMinutes(wib('2024-11-07', '09:30'), i), supervisors[0]!, `${this.base}/formations/${f.id}/skd-cut`, {}, `skd-cut-${f.id}`)));
    const cut = new Map<string, CutRow[]>();
    for (const f of FORMATIONS) cut.set(f.id, [...(await this.client.get<RankingView>(this.ids.inspector, `${this.base}/formations/${f.id}/ranking`)).skdCut]);
    return cut;
  }

  // ---------------------------------------------------------------------------------
  // SKB
  // ---------------------------------------------------------------------------------

  async skb(cut: ReadonlyMap<string, CutRow[]>): Promise<{ absent: Set<string>; panels: Map<string, string[]> }> {
    this.#stage('skb');
    const { admin, catOperator, examiners, supervisors } = this.ids;
    const candidates = new Map(FORMATIONS.map((f) => [f.id, cut.get(f.id)!.filter((r) => r.code === 'P/L').map((r) => this.world.byId.get(r.applicationId)!)]));
    const bySize = [...FORMATIONS].sort((x, y) => candidates.get(y.id)!.length - candidates.get(x.id)!.length || (x.id < y.id ? -1 : 1));
    const [f0, f1, f2, f3, f4] = bySize.map((f) => f.id);
    // Panels of four: honest examiners in rotation; two outliers and one supervisor sit on chosen panels.
    const honest = examiners.slice(0, 6);
    const [outHigh, outLow] = [examiners[6]!, examiners[7]!];
    const scorer = supervisors[1]!;
    const panels = new Map<string, string[]>();
    bySize.forEach((f, i) => {
      const panel = [0, 1, 2, 3].map((k) => honest[(i + k * 2 + Math.floor(k / 3)) % honest.length]!);
      const unique = [...new Set(panel)];
      while (unique.length < 4) unique.push(honest.find((h) => !unique.includes(h))!);
      if (f.id === f0 || f.id === f3) unique[3] = outHigh;
      if (f.id === f1 || f.id === f4) unique[3] = outLow;
      if (f.id === f2) unique[3] = scorer;
      panels.set(f.id, unique);
    });
    this.chosen['examiner-outlier-high'] = `${f0},${f3}`;
    this.chosen['examiner-outlier-low'] = `${f1},${f4}`;
    this.chosen['score-decide'] = f2!;

    const going = FORMATIONS.flatMap((f) => candidates.get(f.id)!.sort((x, y) => (x.id < y.id ? -1 : 1)));
    const absent = new Set(going.filter((a) => !a.tag && this.random.chance(0.04)).map((a) => a.id));
    const bias = (e: string): number => (e === outHigh ? 24 : e === outLow ? -22 : ((examiners.indexOf(e) + 1) % 5) - 2);
    const calls: Call[] = [];
    const practical = new Map<string, Map<string, number>>();
    const outlierSeqs = new Map<string, number[]>();
    going.forEach((a, i) => {
      const d = SKB_DAYS[Math.floor((i * SKB_DAYS.length) / going.length)]!;
      const k = going.filter((x, j) => j < i && SKB_DAYS[Math.floor((j * SKB_DAYS.length) / going.length)] === d).length;
      // The CAT operator enters the day's CAT results (or the absence) one by one, 20 s apart.
      const entered = addSeconds(wib(d, '17:00'), 20 * k);
      if (absent.has(a.id)) {
        calls.push(this.call(entered, catOperator, this.app(a.id, '/absences'), { stage: 'skb' }, `skb-absent-${a.id}`, { app: a.id }));
        return;
      }
      const merit = 70 + 8 * (0.6 * a.ability + 0.8 * this.random.normal());
      const scores = new Map<string, number>();
      panels.get(a.formation.id)!.forEach((e, j) => {
        const score = Math.round(clamp(merit + bias(e) + 3 * this.random.normal(), 20, 100));
        scores.set(e, score);
        calls.push(this.call(addMinutes(wib(d, '15:30'), 3 * k + j), e, this.app(a.id, '/skb-scores'), { part: 'practical', score, source: 'manual', examiner: e }, `skb-practical-${e}-${a.id}`, {
          app: a.id,
          then: (r) => {
            if (e === outHigh || e === outLow) (outlierSeqs.get(e) ?? outlierSeqs.set(e, []).get(e)!).push(...Driver.seqs(r));
          },
        }));
      });
      practical.set(a.id, scores);
      const cat = Math.round(clamp(58 + 12 * (0.6 * a.ability + 0.8 * this.random.normal()), 15, 98) * 10) / 10;
      calls.push(this.call(entered, catOperator, this.app(a.id, '/skb-scores'), { part: 'cat', score: cat, source: 'cat' }, `skb-cat-${a.id}`, { app: a.id }));
    });
    await this.calls(calls);
    for (const [e, dir] of [[outHigh, 'higher'], [outLow, 'lower']] as const) {
      this.plant({ detector: 'examiner-outlier', actorId: e, entries: outlierSeqs.get(e) ?? [], note: `${e} scored the practical SKB about ${e === outHigh ? 24 : 22} points ${dir} than the co-panelists on every candidate of ${e === outHigh ? `${f0} and ${f3}` : `${f1} and ${f4}`}.` });
    }

    await this.run1(wib('2024-12-02', '10:00'), admin, `${this.base}/publications`, { stage: 'skb', reference: REFERENCES.skb }, 'publish-skb');
    // A practical score raised after the publication, on a note of the committee chair.
    const plain = FORMATIONS.map((f) => f.id).filter((f) => ![f0, f1, f2, f3, f4].includes(f));
    const target = [...plain, f2!].flatMap((f) => candidates.get(f)!).find((a) => !absent.has(a.id) && !a.tag);
    if (target) {
      const e = panels.get(target.formation.id)![0]!;
      const score = Math.min(100, practical.get(target.id)!.get(e)! + 7);
      const r = await this.run1(wib('2024-12-03', '10:30'), e, this.app(target.id, '/skb-scores'), { part: 'practical', score, source: 'manual', examiner: e, approvalRef: LATE_SKB_APPROVAL }, `skb-late-${target.id}`);
      this.plant({ detector: 'score-after-lock', applicationId: target.id, actorId: e, entries: Driver.seqs(r), note: `${e} raised the practical SKB score of ${target.id} by 7 points on 3 Dec 2024, after the SKB results were published on 2 Dec; no sanggah.` });
    } else {
      this.skipped.push('score-after-lock (SKB): no SKB candidate outside the other plants');
    }
    return { absent, panels };
  }

  // ---------------------------------------------------------------------------------
  // Ranking, final decisions, announcements
  // ---------------------------------------------------------------------------------

  async ranking(cut: ReadonlyMap<string, CutRow[]>, absent: ReadonlySet<string>): Promise<Map<string, string[]>> {
    this.#stage('ranking');
    const rankable = FORMATIONS.filter((f) => cut.get(f.id)!.some((r) => r.code === 'P/L' && !absent.has(r.applicationId)));
    await this.calls(rankable.map((f, i) => this.call(addMinutes(wib('2024-12-04', '09:30'), 2 * i), this.ids.supervisors[0]!, `${this.base}/formations/${f.id}/ranking`, {}, `ranking-${f.id}`)));
    const rankings = new Map<string, string[]>();
    for (const f of rankable) {
      const view = await this.client.get<RankingView>(this.ids.inspector, `${this.base}/formations/${f.id}/ranking`);
      rankings.set(f.id, [...view.ranking].sort((x, y) => x.rank - y.rank).map((r) => r.applicationId));
    }
    return rankings;
  }

  async results(rankings: ReadonlyMap<string, string[]>, absent: ReadonlySet<string>, panels: ReadonlyMap<string, string[]>): Promise<void> {
    this.#stage('final');
    const { admin, supervisors } = this.ids;
    const quota = (f: FormationDef): number => f.quota + (f.id === 'f06-pranata-komputer' ? 1 : 0);
    const tagged = (id: string): boolean => this.world.byId.get(id)!.tag !== undefined;
    const scoreDecide = this.chosen['score-decide']!;
    // Formations for the ranking skips and the decide-and-announce pair.
    const free = FORMATIONS.filter((f) => f.id !== scoreDecide && rankings.has(f.id));
    const fits = (f: FormationDef): boolean => {
      const r = rankings.get(f.id)!;
      return r.length > quota(f) && r.slice(0, quota(f) + 1).every((id) => !tagged(id));
    };
    const take = (pred: (f: FormationDef) => boolean): FormationDef | undefined => {
      const i = free.findIndex(pred);
      return i < 0 ? undefined : free.splice(i, 1)[0];
    };
    const skips = [take(fits), take(fits)].filter((f): f is FormationDef => f !== undefined);
    const announcer = take(() => true) ?? skips[skips.length - 1];
    if (skips.length < 2) this.skipped.push(`ranking-skip: only ${skips.length} formation(s) have enough ranked applicants`);
    if (!announcer) this.skipped.push('segregation-of-duties (decide-announce): no ranked formation');
    this.chosen['ranking-skip'] = skips.map((f) => f.id).join(',');
    if (announcer) this.chosen['decide-announce'] = announcer.id;

    const deciderOf = (f: string): string => (f === scoreDecide ? supervisors[1]! : f === announcer?.id ? supervisors[2]! : supervisors[0]!);
    const decisions = new Map<string, Map<string, FinalCode>>();
    const decisionSeq = new Map<string, number[]>();
    const calls: Call[] = [];
    const next = new Map<string, number>();
    const decide = (f: FormationDef, id: string, code: FinalCode): void => {
      (decisions.get(f.id) ?? decisions.set(f.id, new Map()).get(f.id)!).set(id, code);
      const by = deciderOf(f.id);
      const k = next.get(by) ?? 0;
      next.set(by, k + 1);
      calls.push(this.call(addSeconds(wib('2024-12-05', '09:00'), 40 * k), by, this.app(id, '/final-decision'), { code }, `final-${id}`, { app: id, then: (r) => decisionSeq.set(id, Driver.seqs(r)) }));
    };
    for (const f of FORMATIONS) {
      const ranked = rankings.get(f.id) ?? [];
      const q = quota(f);
      const codes = ranked.map((_, i): FinalCode => (i < q ? 'L' : 'TL'));
      if (skips.includes(f)) [codes[q - 1], codes[q]] = ['TL', 'L'];
      ranked.forEach((id, i) => decide(f, id, codes[i]!));
      for (const a of this.world.applicants) if (a.formation === f && absent.has(a.id)) decide(f, a.id, 'TH');
    }
    await this.calls(calls);
    for (const f of skips) {
      const r = rankings.get(f.id)!;
      const q = quota(f);
      this.plant({ detector: 'ranking-skip', applicationId: r[q]!, formationId: f.id, entries: decisionSeq.get(r[q]!) ?? [], note: `${f.id} (quota ${q}): ${deciderOf(f.id)} recorded L for ${r[q]} (rank ${q + 1}) and TL for ${r[q - 1]} (rank ${q}), with no code explaining it.` });
    }
    const scorer = supervisors[1]!;
    if (panels.get(scoreDecide)?.includes(scorer) && rankings.has(scoreDecide)) {
      const scored = [...(decisions.get(scoreDecide)?.keys() ?? [])].filter((id) => !absent.has(id));
      this.plant({ detector: 'segregation-of-duties', actorId: scorer, formationId: scoreDecide, entries: scored.flatMap((id) => decisionSeq.get(id) ?? []), note: `${scorer} sat on the SKB panel of ${scoreDecide}, scoring its candidates by hand, and recorded their final decisions.` });
    }

    this.#stage('announcement');
    // Two published lists that differ from the decisions: a TL listed as L, and an L left out.
    const order = [...FORMATIONS].sort((x, y) => Number(skips.includes(x) || x.id === scoreDecide) - Number(skips.includes(y) || y.id === scoreDecide));
    const pickApp = (f: FormationDef, code: FinalCode): string | undefined => (rankings.get(f.id) ?? []).find((id) => decisions.get(f.id)?.get(id) === code && !tagged(id));
    const listedAsL = order.find((f) => f !== announcer && pickApp(f, 'TL') !== undefined);
    const leftOut = order.find((f) => f !== announcer && f !== listedAsL && pickApp(f, 'L') !== undefined);
    const mismatches = new Map<FormationDef, { applicationId: string; listed: FinalCode | null; note: string }>();
    if (listedAsL) {
      const id = pickApp(listedAsL, 'TL')!;
      mismatches.set(listedAsL, { applicationId: id, listed: 'L', note: `The announcement of ${listedAsL.id} lists ${id} as L; the recorded final decision is TL.` });
    }
    if (leftOut) {
      const id = pickApp(leftOut, 'L')!;
      mismatches.set(leftOut, { applicationId: id, listed: null, note: `The announcement of ${leftOut.id} leaves out ${id}, whose final decision is L.` });
    }
    if (mismatches.size < 2) this.skipped.push(`announcement-mismatch: only ${mismatches.size} formation(s) fit`);
    this.chosen['announcement-mismatch'] = [...mismatches.keys()].map((f) => f.id).join(',');
    const announcements: Call[] = [];
    FORMATIONS.forEach((f, i) => {
      const decided = decisions.get(f.id);
      if (!decided) return;
      const plantNote = mismatches.get(f);
      const results = [...decided].flatMap(([applicationId, code]) => {
        if (plantNote?.applicationId !== applicationId) return [{ applicationId, code }];
        return plantNote.listed === null ? [] : [{ applicationId, code: plantNote.listed }];
      });
      const by = f === announcer ? supervisors[2]! : admin;
      const text = [`PENGUMUMAN HASIL AKHIR SELEKSI CPNS 2024 — ${this.ids.agency.name}`, `Nomor: ${REFERENCES.final}`, `Formasi: ${f.id} | ${f.jabatan}`, ...results.map((r, n) => `${n + 1}|${r.applicationId}|${r.code}`)].join('\n') + '\n';
      announcements.push(this.call(addMinutes(wib('2024-12-06', '14:00'), 3 * i), by, `${this.base}/formations/${f.id}/announcements`, { reference: REFERENCES.final, documentHash: toHex(sha256(utf8(text))), results }, `announce-${f.id}`, {
        then: (r) => {
          if (plantNote) this.plant({ detector: 'announcement-mismatch', applicationId: plantNote.applicationId, formationId: f.id, entries: Driver.seqs(r), note: plantNote.note });
          if (f === announcer) this.plant({ detector: 'segregation-of-duties', actorId: by, formationId: f.id, entries: Driver.seqs(r), note: `${by} recorded the final decisions of ${f.id} and also announced them.` });
        },
      }));
    });
    await this.calls(announcements);

    // Honest: a passed applicant resigns (APS) and the next-ranked one replaces them, with the BKN approval.
    const used = new Set([...skips, ...mismatches.keys(), ...(announcer ? [announcer] : [])]);
    const resignIn = FORMATIONS.find((f) => !used.has(f) && f.id !== scoreDecide && fitsReplacement(rankings.get(f.id) ?? [], quota(f), (id) => decisions.get(f.id)?.get(id), tagged));
    if (resignIn) {
      const ranked = rankings.get(resignIn.id)!;
      const [resigned, replacement] = [ranked[Math.min(1, quota(resignIn) - 1)]!, ranked[quota(resignIn)]!];
      this.chosen.resignation = resignIn.id;
      await this.run1(wib('2024-12-16', '10:20'), this.ids.portal, this.app(resigned, '/resignation'), { reason: 'Mengundurkan diri karena diterima bekerja di instansi lain' }, `resign-${resigned}`);
      await this.run1(wib('2024-12-23', '10:00'), supervisors[0]!, `${this.base}/formations/${resignIn.id}/replacements`, { resignedApplicationId: resigned, replacementApplicationId: replacement, reference: REFERENCES.replacement }, `replace-${resigned}`);
      await this.run1(wib('2024-12-23', '10:05'), supervisors[0]!, this.app(replacement, '/final-decision'), { code: 'L', reference: REFERENCES.replacement, reason: `Pengganti peserta ${resigned} yang mengundurkan diri (APS)` }, `final-replacement-${replacement}`);
    }
  }
}

/** A formation where the rank-2 (or rank-1) passer can resign and the first non-passer replace them, none planted. */
function fitsReplacement(ranked: readonly string[], quota: number, code: (id: string) => FinalCode | undefined, tagged: (id: string) => boolean): boolean {
  if (ranked.length <= quota) return false;
  const resigned = ranked[Math.min(1, quota - 1)]!;
  const replacement = ranked[quota]!;
  return code(resigned) === 'L' && code(replacement) === 'TL' && !tagged(resigned) && !tagged(replacement);
}

/** The scenario cannot run as asked (e.g. its period exists). */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

/** The working day after `date` (YYYY-MM-DD). */
function nextWorkday(date: string): string {
  const from = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return workdays(from, '2025-12-31')[0]!;
}

function applicantBody(a: ScenarioApplicant) {
  const p = a.person;
  return {
    nik: p.nik, kk: p.kk, name: p.name, birthDate: p.birthDate, address: p.address, phone: p.phone, email: p.email, parents: [...p.parents],
    ...(p.bankAccount !== undefined && { bankAccount: p.bankAccount }),
  };
}

function cell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function csv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}

/** The SSCASN registration export of some applicants (docs/import.md). */
function registrationsCsv(list: readonly ScenarioApplicant[]): string {
  const header = ['no_pendaftaran', 'formasi_id', 'nik', 'no_kk', 'nama', 'tgl_lahir', 'alamat', 'no_hp', 'email', 'nama_ayah', 'nama_ibu', 'pendidikan', 'ipk', 'tgl_submit'];
  return csv(header, list.map((a) => {
    const p = a.person;
    const submitted = wibIso(a.submittedAt).slice(0, 19).replace('T', ' ');
    return [a.id, a.formation.id, p.nik, p.kk, p.name, p.birthDate, p.address, p.phone, p.email, p.parents[0], p.parents[1], a.education.level, a.education.ipk, submitted];
  }));
}

/** The BKN CAT SKD export of a test day; null is an absence. */
function skdCsv(rows: readonly (readonly [string, Skd | null])[]): string {
  return csv(['no_pendaftaran', 'kehadiran', 'twk', 'tiu', 'tkp', 'total'], rows.map(([id, s]) => (s ? [id, 'HADIR', s.twk, s.tiu, s.tkp, s.twk + s.tiu + s.tkp] : [id, 'TIDAK HADIR', '', '', '', ''])));
}

/** SKD part scores from ability: TWK and TIU in steps of 5, TKP 45–225. */
function skdScore(random: Random, ability: number): Skd {
  const right = (questions: number, mean: number, sd: number): number => clamp(Math.round(mean + sd * (0.65 * ability + 0.76 * random.normal())), 0, questions);
  return { twk: 5 * right(30, 18, 3.8), tiu: 5 * right(35, 19.5, 4.6), tkp: clamp(Math.round(170 + 11 * (0.5 * ability + 0.87 * random.normal())), 45, 225) };
}
