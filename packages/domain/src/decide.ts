/**
 * The decision function of a period ledger: a command, checked against the state, becomes
 * the appends to make, or a DomainError naming the rule it breaks. Pure: the state is never
 * mutated, time comes from the context, and every append carries the expected version of
 * its stream so that concurrent writers conflict instead of interleaving.
 */
import type { z } from 'zod';
import type { PeriodCommand, PeriodCommandType } from './commands.ts';
import { DomainError } from './errors.ts';
import { streams } from './events.ts';
import type { FinalCode, PeriodEvent, PeriodEventType, PeriodEvents, Role, Verdict } from './events.ts';
import { checkCompetencyScore, checkSkdScore, decideSkdCut, rankIntegration, rankPppk, skbPercent } from './ranking.ts';
import type { IntegrationCandidate, PppkCandidate, SkdCandidate } from './ranking.ts';
import { checkSkbWeights, getRuleSet } from './rules.ts';
import type { RuleSet } from './rules.ts';
import { firstPublication, isEligible, isPublished, skbParts } from './state.ts';
import type { ApplicationState, FormationState, PeriodInfo, PeriodState } from './state.ts';

/** Who acts: an actor of the directory ledger. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
  readonly agency: string | null;
}

/** The actor and the time of a decision (an ISO instant). */
export interface DecideContext {
  readonly actor: Actor;
  readonly now: string;
}

/** Events to append to one stream, at the version the stream must be at (-1: it must not exist). */
export interface Append {
  readonly stream: string;
  readonly expectedVersion: number;
  readonly events: readonly PeriodEvent[];
}

/** What a command decides: appends made all together or not at all. */
export interface Decision {
  readonly appends: readonly Append[];
}

/** The roles allowed to issue each period command. */
export const PERIOD_COMMAND_ROLES: Readonly<Record<PeriodCommandType, readonly Role[]>> = {
  OpenPeriod: ['admin', 'supervisor'],
  AmendSchedule: ['admin', 'supervisor'],
  PublishResults: ['admin', 'supervisor'],
  AnnounceFormation: ['admin', 'supervisor'],
  AmendFormation: ['admin', 'supervisor'],
  SubmitApplication: ['portal', 'officer', 'admin'],
  VerifyDocuments: ['officer'],
  ConfirmVerification: ['supervisor'],
  ReturnVerification: ['supervisor'],
  Reverify: ['supervisor'],
  FileSanggah: ['portal'],
  DecideSanggah: ['supervisor'],
  RecordSkdScore: ['officer', 'supervisor', 'admin'],
  RecordAbsence: ['officer', 'supervisor', 'admin'],
  Disqualify: ['supervisor', 'admin'],
  DecideSkdCut: ['supervisor', 'admin'],
  RecordSkbScore: ['officer', 'supervisor', 'admin'],
  RecordCompetencyScore: ['officer', 'supervisor', 'admin'],
  DecideRanking: ['supervisor', 'admin'],
  RecordFinalDecision: ['supervisor', 'admin'],
  AnnounceResults: ['supervisor', 'admin'],
  ResignApplicant: ['portal', 'supervisor', 'admin'],
  AppointReplacement: ['supervisor', 'admin'],
  ErasePersonalData: ['admin'],
  RaiseFlags: ['inspector', 'admin'],
  DisposeFlag: ['inspector'],
  CommitStreamHeads: ['inspector', 'admin'],
};

/** Roles that act for one agency (and only on that agency's periods). */
export const AGENCY_ROLES: readonly Role[] = ['officer', 'supervisor', 'portal'];

/** Final codes that need a reference (a decision letter or Panselnas approval). */
export const REFERENCE_CODES: readonly FinalCode[] = ['L-1', 'L-2', 'U-1', 'U-3', 'E-1', 'E-2', 'E-3'];
/** Final codes meaning the applicant passed (lulus), directly or through optimalisasi. */
export const PASSED_CODES: readonly FinalCode[] = ['L', 'L-1', 'L-2', 'U-1', 'U-3', 'E-1', 'E-2', 'E-3'];

const PORTAL_CLOCK_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

type Payload<K extends PeriodEventType> = z.infer<(typeof PeriodEvents)[K]>;

function fail(rule: string, message: string, opts: { field?: string; details?: Record<string, unknown> } = {}): never {
  throw new DomainError(rule, message, opts);
}

function notFound(rule: string, field: string, message: string): never {
  throw new DomainError(rule, message, { code: 'NOT_FOUND', field });
}

/** Removes keys whose value is undefined, so payloads serialise as they compare. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function event<K extends PeriodEventType>(type: K, payload: Payload<K>): PeriodEvent {
  return { type, payload: defined(payload) } as PeriodEvent;
}

const ms = (iso: string): number => Date.parse(iso);

function opensBeforeCloses(opens: string | null, closes: string): boolean {
  return opens === null || ms(opens) < ms(closes);
}

/** Decides a command against the state: the appends to make, or throws DomainError naming the rule; never mutates state. */
export function decide(state: PeriodState, command: PeriodCommand, ctx: DecideContext): Decision {
  const allowed = PERIOD_COMMAND_ROLES[command.type];
  if (!allowed.includes(ctx.actor.role)) {
    fail('role', `a ${ctx.actor.role} may not ${command.type}`, { details: { role: ctx.actor.role, allowed } });
  }
  if (command.type === 'OpenPeriod') return openPeriod(state, command, ctx);

  const period = state.period;
  if (period === null) fail('period-not-open', 'the period has not been opened');
  checkAgency(ctx.actor, period.agency.code);
  const d = new Decider(state, period, ctx);

  switch (command.type) {
    case 'AmendSchedule':
      return d.amendSchedule(command);
    case 'PublishResults':
      return d.publishResults(command);
    case 'AnnounceFormation':
      return d.announceFormation(command);
    case 'AmendFormation':
      return d.amendFormation(command);
    case 'SubmitApplication':
      return d.submitApplication(command);
    case 'VerifyDocuments':
      return d.verifyDocuments(command);
    case 'ConfirmVerification':
      return d.confirmVerification(command);
    case 'ReturnVerification':
      return d.returnVerification(command);
    case 'Reverify':
      return d.reverify(command);
    case 'FileSanggah':
      return d.fileSanggah(command);
    case 'DecideSanggah':
      return d.decideSanggah(command);
    case 'RecordSkdScore':
      return d.recordSkdScore(command);
    case 'RecordAbsence':
      return d.recordAbsence(command);
    case 'Disqualify':
      return d.disqualify(command);
    case 'DecideSkdCut':
      return d.decideSkdCut(command);
    case 'RecordSkbScore':
      return d.recordSkbScore(command);
    case 'RecordCompetencyScore':
      return d.recordCompetencyScore(command);
    case 'DecideRanking':
      return d.decideRanking(command);
    case 'RecordFinalDecision':
      return d.recordFinalDecision(command);
    case 'AnnounceResults':
      return d.announceResults(command);
    case 'ResignApplicant':
      return d.resignApplicant(command);
    case 'AppointReplacement':
      return d.appointReplacement(command);
    case 'ErasePersonalData':
      return d.erasePersonalData(command);
    case 'RaiseFlags':
      return d.raiseFlags(command);
    case 'DisposeFlag':
      return d.disposeFlag(command);
    case 'CommitStreamHeads':
      return d.commitStreamHeads(command);
    default: {
      const never: never = command;
      return never;
    }
  }
}

function checkAgency(actor: Actor, agency: string): void {
  if (AGENCY_ROLES.includes(actor.role) && actor.agency !== agency) {
    fail('actor-agency', `a ${actor.role} of another agency may not act on this period`, { details: { agency } });
  }
}

type Cmd<K extends PeriodCommandType> = Extract<PeriodCommand, { type: K }>;

function openPeriod(state: PeriodState, c: Cmd<'OpenPeriod'>, ctx: DecideContext): Decision {
  if (state.period !== null || state.versions.has(streams.period)) fail('period-exists', 'the period has already been opened');
  checkAgency(ctx.actor, c.agency.code);
  const rules = getRuleSet(c.rules);
  if (rules.kind !== c.kind) fail('rule-set-kind', `rule set ${rules.id} is for ${rules.kind}, not ${c.kind}`, { field: 'rules' });
  if (c.kind === 'CPNS') {
    if (c.skbWeights === undefined) fail('skb-weights', 'a CPNS period needs SKB weights', { field: 'skbWeights' });
    checkSkbWeights(rules, c.agency.level, c.skbWeights);
  } else if (c.skbWeights !== undefined) {
    fail('skb-weights', 'a PPPK period has no SKB', { field: 'skbWeights' });
  }
  for (const [stage, w] of Object.entries(c.schedule)) {
    if (w && !opensBeforeCloses(w.opens, w.closes)) fail('schedule-window', `the ${stage} window must open before it closes`, { field: `schedule.${stage}` });
  }
  const payload: Payload<'PeriodOpened'> = { periodId: c.periodId, agency: c.agency, year: c.year, kind: c.kind, rules: c.rules, skbWeights: c.skbWeights, schedule: c.schedule };
  return { appends: [{ stream: streams.period, expectedVersion: -1, events: [event('PeriodOpened', payload)] }] };
}

/** The checks of one command against one opened period. */
class Decider {
  constructor(
    private readonly state: PeriodState,
    private readonly period: PeriodInfo,
    private readonly ctx: DecideContext,
  ) {}

  private get rules(): RuleSet {
    if (this.state.rules === null) fail('unknown-rule-set', `rule set '${this.period.rulesId}' is not known to this version`);
    return this.state.rules;
  }

  private version(stream: string): number {
    return this.state.versions.get(stream) ?? -1;
  }

  private append(stream: string, ...events: PeriodEvent[]): Decision {
    return { appends: [{ stream, expectedVersion: this.version(stream), events }] };
  }

  private onPeriod(e: PeriodEvent): Decision {
    return this.append(streams.period, e);
  }

  private onApplication(app: ApplicationState, e: PeriodEvent): Decision {
    return this.append(streams.application(app.id), e);
  }

  private onFormation(f: FormationState, e: PeriodEvent): Decision {
    return this.append(streams.formation(f.id), e);
  }

  private formation(id: string): FormationState {
    return this.state.formations.get(id) ?? notFound('formation-not-found', 'formationId', `no formation ${id}`);
  }

  private application(id: string, field = 'applicationId'): ApplicationState {
    return this.state.applications.get(id) ?? notFound('application-not-found', field, `no application ${id}`);
  }

  private requireKind(kind: 'CPNS' | 'PPPK', what: string, field?: string): void {
    if (this.period.kind !== kind) fail('period-kind', `${what} is for ${kind} periods only`, field === undefined ? {} : { field });
  }

  private requireEligible(app: ApplicationState): void {
    if (!isEligible(app)) fail('not-eligible', 'the application is not eligible: it needs a confirmed MS verdict and no disqualification');
  }

  private checkLock(stage: 'skd' | 'skb' | 'kompetensi', app: ApplicationState, approvalRef: string | undefined): void {
    if (isPublished(this.state, stage, app.formationId) && approvalRef === undefined) {
      fail('score-locked', `the ${stage} results were published: a change needs an approval reference`, { field: 'approvalRef' });
    }
  }

  private now(): number {
    return ms(this.ctx.now);
  }

  amendSchedule(c: Cmd<'AmendSchedule'>): Decision {
    const opens = c.opens ?? this.state.schedule[c.stage]?.opens ?? null;
    if (opens === null) fail('schedule-window', `the ${c.stage} window has no opening: give one`, { field: 'opens' });
    if (!opensBeforeCloses(opens, c.closes)) fail('schedule-window', `the ${c.stage} window must open before it closes`, { field: 'closes' });
    return this.onPeriod(event('ScheduleAmended', { stage: c.stage, opens: c.opens, closes: c.closes, reason: c.reason, reference: c.reference }));
  }

  publishResults(c: Cmd<'PublishResults'>): Decision {
    if (c.formationId !== undefined) this.formation(c.formationId);
    if (c.stage === 'skd' || c.stage === 'skb') this.requireKind('CPNS', `${c.stage} results`, 'stage');
    if (c.stage === 'kompetensi') this.requireKind('PPPK', 'kompetensi results', 'stage');
    return this.onPeriod(event('ResultsPublished', { stage: c.stage, reference: c.reference, formationId: c.formationId }));
  }

  announceFormation(c: Cmd<'AnnounceFormation'>): Decision {
    if (this.state.formations.has(c.formationId) || this.state.versions.has(streams.formation(c.formationId))) {
      fail('formation-exists', `formation ${c.formationId} was already announced`, { field: 'formationId' });
    }
    const registration = this.state.schedule.registration;
    if (registration && this.now() > ms(registration.closes)) fail('registration-closed', 'registration has closed: formations can no longer be announced');
    const { formationId, jabatan, unit, location, education, track, quota } = c;
    return { appends: [{ stream: streams.formation(formationId), expectedVersion: -1, events: [event('FormationAnnounced', { formationId, jabatan, unit, location, education, track, quota })] }] };
  }

  amendFormation(c: Cmd<'AmendFormation'>): Decision {
    const f = this.formation(c.formationId);
    const changes = defined(c.changes);
    if (Object.keys(changes).length === 0) fail('empty-change', 'an amendment must change at least one field', { field: 'changes' });
    return this.onFormation(f, event('FormationAmended', { formationId: f.id, changes, reason: c.reason, reference: c.reference }));
  }

  submitApplication(c: Cmd<'SubmitApplication'>): Decision {
    const { actor } = this.ctx;
    if (c.channel === 'portal' && actor.role !== 'portal') fail('channel', "only the portal submits through the 'portal' channel", { field: 'channel' });
    if (c.channel !== 'portal' && actor.role === 'portal') fail('channel', "the portal submits through the 'portal' channel only", { field: 'channel' });
    const f = this.formation(c.formationId);
    const appStream = streams.application(c.applicationId);
    if (this.state.applications.has(c.applicationId) || this.state.versions.has(appStream)) {
      fail('application-exists', `application ${c.applicationId} already exists`, { field: 'applicationId' });
    }
    const personStream = streams.person(c.indexes.nik);
    if (this.state.persons.has(c.indexes.nik) || this.state.versions.has(personStream)) {
      fail('one-application-per-person', 'this person already applied in this period', { field: 'indexes.nik' });
    }
    const at = ms(c.submittedAt);
    const registration = this.state.schedule.registration;
    if (!registration || (registration.opens !== null && at < ms(registration.opens))) {
      fail('registration-not-open', 'registration was not open at submittedAt', { field: 'submittedAt' });
    }
    if (at > ms(registration.closes)) fail('registration-closed', 'registration had closed at submittedAt', { field: 'submittedAt' });
    if (at > this.now()) fail('submitted-in-future', 'submittedAt is in the future', { field: 'submittedAt' });
    if (c.channel === 'portal' && Math.abs(this.now() - at) > PORTAL_CLOCK_SKEW_MS) {
      fail('portal-time', 'a portal submission must be recorded when it is made (within 5 minutes)', { field: 'submittedAt' });
    }
    if (this.period.kind === 'PPPK') {
      if (c.pppkCategory === undefined) fail('pppk-category', 'a PPPK application needs a priority category', { field: 'pppkCategory' });
      const categories = this.rules.competency?.categories;
      if (categories && !categories.includes(c.pppkCategory)) fail('pppk-category', `category ${c.pppkCategory} is not in rule set ${this.rules.id}`, { field: 'pppkCategory' });
    } else if (c.pppkCategory !== undefined) {
      fail('pppk-category', 'a CPNS application has no PPPK category', { field: 'pppkCategory' });
    }
    if (c.skdReusedFrom !== undefined && (this.period.kind !== 'CPNS' || c.skdReusedFrom >= this.period.year)) {
      fail('skd-reuse', 'only a CPNS application may reuse an SKD score, and only from an earlier year', { field: 'skdReusedFrom' });
    }
    const submitted = event('ApplicationSubmitted', {
      applicationId: c.applicationId,
      formationId: f.id,
      channel: c.channel,
      submittedAt: c.submittedAt,
      personal: c.personal,
      indexes: defined(c.indexes),
      education: defined(c.education),
      pppkCategory: c.pppkCategory,
      skdReusedFrom: c.skdReusedFrom,
    });
    return {
      appends: [
        { stream: appStream, expectedVersion: -1, events: [submitted] },
        { stream: personStream, expectedVersion: -1, events: [event('PersonRegistered', { applicationId: c.applicationId })] },
      ],
    };
  }

  private checkDocuments(verdict: Verdict, documents: Cmd<'VerifyDocuments'>['documents']): void {
    const tms = documents.some((d) => d.verdict === 'TMS');
    if ((verdict === 'TMS') !== tms) fail('verdict-documents', 'the verdict is TMS exactly when some document is TMS', { field: 'verdict' });
    const i = documents.findIndex((d) => d.verdict === 'TMS' && (d.reason ?? '').trim() === '');
    if (i >= 0) fail('tms-reason', 'every TMS document needs a reason', { field: `documents.${i}.reason` });
  }

  verifyDocuments(c: Cmd<'VerifyDocuments'>): Decision {
    const app = this.application(c.applicationId);
    if (app.status !== 'submitted' && app.status !== 'returned') fail('verification-state', `the application is ${app.status}, not awaiting verification`);
    this.checkDocuments(c.verdict, c.documents);
    return this.onApplication(app, event('DocumentsVerified', { applicationId: app.id, verdict: c.verdict, documents: c.documents.map((d) => defined(d)) }));
  }

  private pendingOf(app: ApplicationState): NonNullable<ApplicationState['pending']> {
    if (app.status !== 'verified' || app.pending === null) fail('verification-pending', 'no verification is awaiting a supervisor');
    if (app.pending.stamp.actor.id === this.ctx.actor.id) fail('four-eyes', 'the supervisor must not be the verifier');
    return app.pending;
  }

  confirmVerification(c: Cmd<'ConfirmVerification'>): Decision {
    const app = this.application(c.applicationId);
    const pending = this.pendingOf(app);
    if (c.verdict !== pending.verdict) fail('verdict-mismatch', `the verifier's verdict is ${pending.verdict}: return it instead`, { field: 'verdict' });
    return this.onApplication(app, event('VerificationConfirmed', { applicationId: app.id, verdict: c.verdict, note: c.note }));
  }

  returnVerification(c: Cmd<'ReturnVerification'>): Decision {
    const app = this.application(c.applicationId);
    this.pendingOf(app);
    return this.onApplication(app, event('VerificationReturned', { applicationId: app.id, reason: c.reason }));
  }

  reverify(c: Cmd<'Reverify'>): Decision {
    const app = this.application(c.applicationId);
    if (app.status !== 'confirmed') fail('reverify-state', 'only a confirmed verification can be re-verified');
    if (app.finalCode !== null) fail('reverify-state', 'the final decision has been recorded');
    this.checkDocuments(c.verdict, c.documents);
    return this.onApplication(app, event('Reverified', { applicationId: app.id, verdict: c.verdict, documents: c.documents.map((d) => defined(d)), reason: c.reason }));
  }

  fileSanggah(c: Cmd<'FileSanggah'>): Decision {
    const app = this.application(c.applicationId);
    const published = firstPublication(this.state, 'administrasi', app.formationId);
    if (!published) fail('sanggah-not-open', 'the administrasi results have not been published');
    if (app.sanggah !== null) fail('sanggah-exists', 'a sanggah was already filed for this application');
    if (app.status !== 'confirmed' || app.verdict !== 'TMS') fail('sanggah-verdict', 'only a confirmed TMS verdict can be objected to');
    const scheduled = this.state.schedule.sanggah;
    const deadline = scheduled ? ms(scheduled.closes) : ms(published.at) + this.rules.sanggah.windowDays * DAY_MS;
    if (this.now() > deadline) fail('sanggah-window', 'the sanggah window has closed', { details: { closes: new Date(deadline).toISOString() } });
    return this.onApplication(app, event('SanggahFiled', { applicationId: app.id, reason: c.reason }));
  }

  decideSanggah(c: Cmd<'DecideSanggah'>): Decision {
    const app = this.application(c.applicationId);
    if (app.sanggah === null || app.sanggah.decision !== null) fail('sanggah-missing', 'no undecided sanggah for this application');
    if (c.newVerdict !== undefined && !c.accepted) fail('sanggah-rejected-change', 'a rejected sanggah cannot change the verdict', { field: 'newVerdict' });
    if (c.newVerdict !== undefined && c.newVerdict !== app.verdict && c.approvalRef === undefined) {
      fail('panselnas-approval', 'a sanggah that changes the result needs Ketua Panselnas approval', { field: 'approvalRef' });
    }
    return this.onApplication(app, event('SanggahDecided', { applicationId: app.id, accepted: c.accepted, reason: c.reason, newVerdict: c.newVerdict, approvalRef: c.approvalRef }));
  }

  recordSkdScore(c: Cmd<'RecordSkdScore'>): Decision {
    this.requireKind('CPNS', 'the SKD');
    const app = this.application(c.applicationId);
    this.requireEligible(app);
    if (app.absent.skd) fail('attendance-conflict', 'the applicant was recorded absent from the SKD');
    const score = { twk: c.twk, tiu: c.tiu, tkp: c.tkp };
    checkSkdScore(this.rules, score);
    this.checkLock('skd', app, c.approvalRef);
    return this.onApplication(app, event('SkdScoreRecorded', { applicationId: app.id, ...score, source: c.source, approvalRef: c.approvalRef }));
  }

  recordAbsence(c: Cmd<'RecordAbsence'>): Decision {
    if (c.stage === 'kompetensi') this.requireKind('PPPK', 'the kompetensi test', 'stage');
    else this.requireKind('CPNS', `the ${c.stage}`, 'stage');
    const app = this.application(c.applicationId);
    if (c.stage === 'skb') {
      if (app.cutCode !== 'P/L' || app.disqualified !== null) fail('not-eligible', 'only applicants who proceed (P/L) sit the SKB');
    } else {
      this.requireEligible(app);
    }
    if (app.absent[c.stage]) fail('absence-exists', `the absence from the ${c.stage} was already recorded`);
    const scored = c.stage === 'skd' ? app.skd.history.length > 0 : c.stage === 'kompetensi' ? app.competency.history.length > 0 : Object.keys(app.skb).length > 0;
    if (scored) fail('attendance-conflict', `the applicant already has a ${c.stage} score`);
    return this.onApplication(app, event('AbsenceRecorded', { applicationId: app.id, stage: c.stage }));
  }

  disqualify(c: Cmd<'Disqualify'>): Decision {
    const app = this.application(c.applicationId);
    if (app.disqualified !== null) fail('already-disqualified', 'the applicant was already disqualified');
    return this.onApplication(app, event('ApplicantDisqualified', { applicationId: app.id, reason: c.reason, reference: c.reference }));
  }

  decideSkdCut(c: Cmd<'DecideSkdCut'>): Decision {
    this.requireKind('CPNS', 'the SKD cut');
    const f = this.formation(c.formationId);
    const candidates: SkdCandidate[] = [];
    let missing = 0;
    for (const id of f.applicationIds) {
      const app = this.state.applications.get(id);
      if (!app || app.status !== 'confirmed' || app.verdict !== 'MS') continue;
      const score = app.skd.effective?.score;
      const absent = app.absent.skd !== undefined;
      const disqualified = app.disqualified !== null;
      if (!score && !absent && !disqualified) missing += 1;
      candidates.push({ applicationId: id, ...(score && { score }), ...(absent && { absent }), ...(disqualified && { disqualified }) });
    }
    if (missing > 0) fail('skd-incomplete', `${missing} eligible applicant(s) have no SKD score, absence or disqualification`, { details: { missing } });
    const results = decideSkdCut(this.rules, f.track, f.quota, candidates).map((r) => ({ applicationId: r.applicationId, rank: r.rank, total: r.total, code: r.code }));
    return this.onFormation(f, event('SkdCutDecided', { formationId: f.id, results }));
  }

  recordSkbScore(c: Cmd<'RecordSkbScore'>): Decision {
    this.requireKind('CPNS', 'the SKB');
    const app = this.application(c.applicationId);
    const f = this.formation(app.formationId);
    if (f.skdCut === null || app.cutCode !== 'P/L' || app.disqualified !== null) fail('not-eligible', 'only applicants who proceed (P/L) after the SKD cut sit the SKB');
    if (app.absent.skb) fail('attendance-conflict', 'the applicant was recorded absent from the SKB');
    if ((this.period.skbWeights?.[c.part] ?? 0) <= 0) fail('skb-part', `the ${c.part} part has no weight in this period`, { field: 'part' });
    if (c.part === 'cat' && c.examiner !== undefined) fail('examiner', 'the CAT part is machine-scored: no examiner', { field: 'examiner' });
    if (c.part !== 'cat' && c.examiner === undefined) fail('examiner', `the ${c.part} part is hand-scored: name the examiner`, { field: 'examiner' });
    this.checkLock('skb', app, c.approvalRef);
    return this.onApplication(app, event('SkbScoreRecorded', { applicationId: app.id, part: c.part, score: c.score, source: c.source, examiner: c.examiner, approvalRef: c.approvalRef }));
  }

  recordCompetencyScore(c: Cmd<'RecordCompetencyScore'>): Decision {
    this.requireKind('PPPK', 'the competency test');
    const app = this.application(c.applicationId);
    this.requireEligible(app);
    if (app.absent.kompetensi) fail('attendance-conflict', 'the applicant was recorded absent from the competency test');
    const score = { teknis: c.teknis, manajerial: c.manajerial, sosialKultural: c.sosialKultural, wawancara: c.wawancara };
    checkCompetencyScore(this.rules, score);
    this.checkLock('kompetensi', app, c.approvalRef);
    return this.onApplication(app, event('CompetencyScoreRecorded', { applicationId: app.id, ...score, source: c.source, approvalRef: c.approvalRef }));
  }

  decideRanking(c: Cmd<'DecideRanking'>): Decision {
    const f = this.formation(c.formationId);
    const apps = f.applicationIds.map((id) => this.state.applications.get(id)).filter((a): a is ApplicationState => a !== undefined);
    const birth = (id: string) => (Object.hasOwn(c.birthDates, id) ? c.birthDates[id] : undefined);
    let ranking: readonly { applicationId: string; rank: number; final: number }[];
    if (this.period.kind === 'CPNS') {
      const weights = this.period.skbWeights ?? {};
      const candidates: IntegrationCandidate[] = [];
      for (const app of apps) {
        const skd = app.skd.effective?.score;
        if (app.cutCode !== 'P/L' || app.disqualified !== null || app.absent.skb || !skd) continue;
        const percent = skbPercent(weights, skbParts(app));
        if (percent === undefined) continue;
        const birthDate = birth(app.id);
        const { ipk, average } = app.education;
        candidates.push({
          applicationId: app.id,
          skd,
          skbPercent: percent,
          ...(ipk !== undefined && { ipk }),
          ...(average !== undefined && { average }),
          ...(birthDate !== undefined && { birthDate }),
        });
      }
      ranking = candidates.length === 0 ? [] : rankIntegration(this.rules, candidates);
    } else {
      const candidates: PppkCandidate[] = [];
      for (const app of apps) {
        const score = app.competency.effective?.score;
        if (!isEligible(app) || app.absent.kompetensi || !score) continue;
        const birthDate = birth(app.id);
        candidates.push({ applicationId: app.id, category: app.pppkCategory ?? 'umum', score, ...(birthDate !== undefined && { birthDate }) });
      }
      ranking = candidates.length === 0 ? [] : rankPppk(this.rules, candidates);
    }
    if (ranking.length === 0) fail('ranking-empty', 'no applicant of this formation has complete scores to rank', { field: 'formationId' });
    return this.onFormation(f, event('RankingDecided', { formationId: f.id, ranking: ranking.map((r) => ({ applicationId: r.applicationId, rank: r.rank, final: r.final })) }));
  }

  recordFinalDecision(c: Cmd<'RecordFinalDecision'>): Decision {
    const app = this.application(c.applicationId);
    if (c.code === 'APS') fail('use-resign', 'a resignation (APS) is recorded with ResignApplicant', { field: 'code' });
    if (c.code === 'P/L' || c.code === 'P') fail('final-code', `${c.code} is an SKD cut code, not a final decision`, { field: 'code' });
    if (c.code === 'L' && !this.formation(app.formationId).ranking?.ranking.some((r) => r.applicationId === app.id)) {
      fail('not-ranked', "L needs the application in the formation's ranking", { field: 'code' });
    }
    if (REFERENCE_CODES.includes(c.code) && c.reference === undefined) fail('decision-reference', `${c.code} needs a reference`, { field: 'reference' });
    return this.onApplication(app, event('FinalDecisionRecorded', { applicationId: app.id, code: c.code, reference: c.reference, reason: c.reason }));
  }

  announceResults(c: Cmd<'AnnounceResults'>): Decision {
    const f = this.formation(c.formationId);
    c.results.forEach((r, i) => {
      if (this.state.applications.get(r.applicationId)?.formationId !== f.id) {
        fail('unknown-application', `application ${r.applicationId} is not in formation ${f.id}`, { field: `results.${i}.applicationId` });
      }
    });
    return this.onFormation(f, event('ResultsAnnounced', { formationId: f.id, reference: c.reference, documentHash: c.documentHash, results: c.results }));
  }

  resignApplicant(c: Cmd<'ResignApplicant'>): Decision {
    const app = this.application(c.applicationId);
    if (app.resigned !== null) fail('resign-state', 'the applicant has already resigned');
    if (app.finalCode === null || !PASSED_CODES.includes(app.finalCode)) fail('resign-state', 'only an applicant who passed (L) can resign (APS)');
    return this.onApplication(app, event('ApplicantResigned', { applicationId: app.id, reason: c.reason }));
  }

  appointReplacement(c: Cmd<'AppointReplacement'>): Decision {
    const f = this.formation(c.formationId);
    const resigned = this.application(c.resignedApplicationId, 'resignedApplicationId');
    if (resigned.formationId !== f.id) fail('unknown-application', `application ${resigned.id} is not in formation ${f.id}`, { field: 'resignedApplicationId' });
    if (resigned.resigned === null) fail('not-resigned', 'the applicant to replace has not resigned', { field: 'resignedApplicationId' });
    if (resigned.replacedBy !== null) fail('replacement-exists', 'this applicant was already replaced', { field: 'resignedApplicationId' });
    const replacement = this.application(c.replacementApplicationId, 'replacementApplicationId');
    const ranked = replacement.formationId === f.id && f.ranking?.ranking.some((r) => r.applicationId === replacement.id) === true;
    const passed = replacement.finalCode !== null && PASSED_CODES.includes(replacement.finalCode);
    if (!ranked || passed || replacement.disqualified !== null || replacement.resigned !== null) {
      fail('replacement-eligible', "the replacement must be in the formation's ranking, not passed already, disqualified or resigned", { field: 'replacementApplicationId' });
    }
    return this.onFormation(f, event('ReplacementAppointed', { formationId: f.id, resignedApplicationId: resigned.id, replacementApplicationId: replacement.id, reference: c.reference }));
  }

  erasePersonalData(c: Cmd<'ErasePersonalData'>): Decision {
    const app = this.application(c.applicationId);
    if (app.erased !== null || app.personal === null) fail('already-erased', "the applicant's personal data was already erased");
    return this.onApplication(app, event('PersonalDataErased', { subject: app.personal.subject, legalBasis: c.legalBasis, requestRef: c.requestRef }));
  }

  raiseFlags(c: Cmd<'RaiseFlags'>): Decision {
    const { checkpoint, config } = c;
    if (checkpoint.size > this.state.size) {
      fail('flag-checkpoint', `the checkpoint has ${checkpoint.size} entries but the ledger only ${this.state.size}`, { field: 'checkpoint.size' });
    }
    const seen = new Set<string>();
    const appends: Append[] = [];
    c.flags.forEach((f, i) => {
      if (seen.has(f.flagId)) fail('flag-duplicate', `flag ${f.flagId} is given twice`, { field: `flags.${i}.flagId` });
      seen.add(f.flagId);
      const j = f.entries.findIndex((seq) => seq >= checkpoint.size);
      if (j >= 0) fail('flag-evidence', 'every evidence entry must be in the checkpoint', { field: `flags.${i}.entries.${j}`, details: { size: checkpoint.size } });
      const stream = streams.flag(f.flagId);
      // Raised before, by an earlier run or another process: never raised twice.
      if (this.state.flags.has(f.flagId) || this.state.versions.has(stream)) return;
      appends.push({ stream, expectedVersion: -1, events: [event('FlagRaised', { ...f, config, checkpoint })] });
    });
    if (appends.length === 0) fail('no-new-flags', 'every flag was already raised');
    return { appends };
  }

  disposeFlag(c: Cmd<'DisposeFlag'>): Decision {
    const flag = this.state.flags.get(c.flagId) ?? notFound('flag-not-found', 'flagId', `no flag ${c.flagId}`);
    return this.append(streams.flag(flag.payload.flagId), event('FlagDisposed', { flagId: flag.payload.flagId, status: c.status, reason: c.reason, reference: c.reference }));
  }

  /**
   * A completeness commitment of the entries [0, asOf). The service computes its content from
   * the ledger; decide checks only what the state knows: the size, the order of commitments,
   * and that something other than commitments was recorded since the last one (so commitments
   * never beget commitments).
   */
  commitStreamHeads(c: Cmd<'CommitStreamHeads'>): Decision {
    if (c.asOf > this.state.size) {
      fail('completeness-size', `the ledger has ${this.state.size} entries: a commitment cannot cover ${c.asOf}`, { field: 'asOf', details: { size: this.state.size } });
    }
    const commitments = this.state.completeness;
    const last = commitments.at(-1);
    if (last !== undefined && c.asOf <= last.asOf) {
      fail('completeness-order', `the last commitment already covers ${last.asOf} entries`, { field: 'asOf', details: { asOf: last.asOf, seq: last.seq } });
    }
    const from = last?.asOf ?? 0;
    const own = commitments.filter((k) => k.seq >= from && k.seq < c.asOf).length;
    if (c.asOf - from === own) fail('completeness-unchanged', 'nothing but commitments was recorded since the last commitment', { field: 'asOf' });
    return this.append(streams.completeness, event('StreamHeadsCommitted', { asOf: c.asOf, groups: c.groups, streams: c.streams, root: c.root }));
  }
}
