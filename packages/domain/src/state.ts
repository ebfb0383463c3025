/**
 * The state of one period ledger, folded from its events by `evolve`. The state is what
 * `decide` checks commands against and what the service and projections read: every
 * decision keeps who made it, when, and at which `seq`, so detectors can trace it.
 */
import type {
  Announcement,
  FinalCode,
  PeriodEvent,
  PeriodEvents,
  PeriodKind,
  PersonIndexes,
  PppkCategory,
  Recorded,
  Sealed,
  SkbPart,
  SkbWeights,
  Stage,
  Track,
  Verdict,
} from './events.ts';
import type { z } from 'zod';
import type { CompetencyScore, SkdScore } from './ranking.ts';
import { getRuleSet } from './rules.ts';
import type { RuleSet } from './rules.ts';

type Payload<K extends keyof typeof PeriodEvents> = z.infer<(typeof PeriodEvents)[K]>;

/** Who recorded something, when, and where in the ledger. */
export interface Stamp {
  readonly seq: number;
  readonly at: string;
  readonly actor: { readonly id: string; readonly role: string };
}

/** A stage window; `opens` is null only when an amendment scheduled a close without an opening. */
export interface ScheduleWindow {
  readonly opens: string | null;
  readonly closes: string;
}

/** One schedule amendment, with the window before and after. */
export interface ScheduleChange extends Stamp {
  readonly stage: Stage;
  readonly before: ScheduleWindow | null;
  readonly after: ScheduleWindow;
  readonly reason: string;
  readonly reference: string;
}

/** The period as opened. */
export interface PeriodInfo extends Stamp {
  readonly periodId: string;
  readonly agency: { readonly code: string; readonly name: string; readonly level: 'pusat' | 'daerah' };
  readonly year: number;
  readonly kind: PeriodKind;
  readonly rulesId: string;
  readonly skbWeights: SkbWeights | null;
}

/** A results publication (pengumuman); `formationId` null means every formation. */
export interface Publication extends Stamp {
  readonly stage: Announcement;
  readonly reference: string;
  readonly formationId: string | null;
}

/** A formation (formasi) with its decisions. */
export interface FormationState {
  readonly id: string;
  jabatan: string;
  unit: string;
  location: string;
  education: readonly string[];
  readonly track: Track;
  quota: number;
  readonly announced: Stamp;
  readonly amendments: { readonly changes: Payload<'FormationAmended'>['changes']; readonly reason: string; readonly reference: string; readonly stamp: Stamp }[];
  /** Applications to this formation, in submission order. */
  readonly applicationIds: string[];
  /** The latest SKD cut, in SKD rank order. */
  skdCut: { readonly results: Payload<'SkdCutDecided'>['results']; readonly stamp: Stamp } | null;
  /** The latest ranking (integration for CPNS, competency for PPPK). */
  ranking: { readonly ranking: Payload<'RankingDecided'>['ranking']; readonly stamp: Stamp } | null;
  readonly announcements: (Omit<Payload<'ResultsAnnounced'>, 'formationId'> & { readonly stamp: Stamp })[];
  readonly replacements: { readonly resignedApplicationId: string; readonly replacementApplicationId: string; readonly reference: string; readonly stamp: Stamp }[];
}

/** Where an application stands in administrative verification. */
export type VerificationStatus = 'submitted' | 'verified' | 'returned' | 'confirmed';

/** One step of the verification history. */
export type VerificationStep =
  | { readonly kind: 'verified'; readonly verdict: Verdict; readonly documents: Payload<'DocumentsVerified'>['documents']; readonly stamp: Stamp }
  | { readonly kind: 'confirmed'; readonly verdict: Verdict; readonly note: string | null; readonly stamp: Stamp }
  | { readonly kind: 'returned'; readonly reason: string; readonly stamp: Stamp }
  | { readonly kind: 'reverified'; readonly verdict: Verdict; readonly documents: Payload<'Reverified'>['documents']; readonly reason: string; readonly stamp: Stamp }
  | { readonly kind: 'sanggah'; readonly verdict: Verdict; readonly approvalRef: string | null; readonly stamp: Stamp };

/** A sanggah (objection) and its decision. */
export interface SanggahState {
  readonly reason: string;
  readonly filed: Stamp;
  decision: { readonly accepted: boolean; readonly reason: string; readonly newVerdict: Verdict | null; readonly approvalRef: string | null; readonly stamp: Stamp } | null;
}

/** One recorded score with its origin. */
export interface ScoreEntry<S> {
  readonly score: S;
  readonly source: 'manual' | 'cat';
  readonly approvalRef: string | null;
  readonly stamp: Stamp;
}

/** Manual and CAT values of one score, both kept: the CAT one wins when present. */
export interface DualScore<S> {
  manual: ScoreEntry<S> | null;
  cat: ScoreEntry<S> | null;
  /** `cat ?? manual`. */
  effective: ScoreEntry<S> | null;
  /** True when both a manual and a CAT value exist and they differ. */
  discrepancy: boolean;
  readonly history: ScoreEntry<S>[];
}

/** One SKB part score (percent). */
export interface SkbEntry extends ScoreEntry<number> {
  readonly examiner: string | null;
}

/** SKD cut codes. */
export type CutCode = Payload<'SkdCutDecided'>['results'][number]['code'];
/** Test stages at which an absence can be recorded. */
export type TestStage = Payload<'AbsenceRecorded'>['stage'];

/** One application (one applicant in this period) and everything decided about it. */
export interface ApplicationState {
  readonly id: string;
  readonly formationId: string;
  readonly channel: 'portal' | 'import';
  readonly submittedAt: string;
  readonly submitted: Stamp;
  /** Null once erased. */
  personal: Sealed | null;
  erased: (Stamp & { readonly legalBasis: string; readonly requestRef: string }) | null;
  /** Blind indexes survive erasure (equality matching only). */
  readonly indexes: PersonIndexes;
  readonly education: Payload<'ApplicationSubmitted'>['education'];
  readonly pppkCategory: PppkCategory | null;
  readonly skdReusedFrom: number | null;

  status: VerificationStatus;
  /** The verifier's verdict awaiting a supervisor (status 'verified'). */
  pending: { readonly verdict: Verdict; readonly documents: Payload<'DocumentsVerified'>['documents']; readonly stamp: Stamp } | null;
  /** The verdict in force: confirmed, then changed by re-verification or an accepted sanggah; null before confirmation. */
  verdict: Verdict | null;
  readonly verifications: VerificationStep[];
  sanggah: SanggahState | null;

  readonly skd: DualScore<SkdScore>;
  readonly skb: Partial<Record<SkbPart, SkbEntry[]>>;
  readonly competency: DualScore<CompetencyScore>;
  readonly absent: Partial<Record<TestStage, Stamp>>;
  disqualified: (Stamp & { readonly reason: string; readonly reference: string }) | null;

  /** From the latest SKD cut of the formation. */
  cutCode: CutCode | null;
  skdRank: number | null;
  skdTotal: number | null;
  /** From the latest ranking of the formation. */
  rank: number | null;
  finalScore: number | null;
  /** The latest final decision. */
  finalCode: FinalCode | null;
  readonly finalDecisions: { readonly code: FinalCode; readonly reference: string | null; readonly reason: string | null; readonly stamp: Stamp }[];
  /** The code in the latest ResultsAnnounced listing this application. */
  announcedCode: FinalCode | null;
  resigned: (Stamp & { readonly reason: string }) | null;
  replacedBy: string | null;
  replaces: string | null;
}

/** Where a red flag stands: open until an inspector disposes of it (the latest disposition wins). */
export type FlagStatus = 'open' | Payload<'FlagDisposed'>['status'];

/** One review of a flag by an inspector. */
export interface FlagDisposition extends Stamp {
  readonly status: Payload<'FlagDisposed'>['status'];
  readonly reason: string;
  readonly reference: string | null;
}

/** A red flag raised by a detector, with every disposition; a flag is never deleted. */
export interface FlagState {
  readonly payload: Payload<'FlagRaised'>;
  readonly raised: Stamp;
  readonly dispositions: FlagDisposition[];
  status: FlagStatus;
}

/** A completeness commitment: its seq, the entries it covers ([0, asOf)) and its root over the group records. */
export interface CompletenessCommitment {
  readonly seq: number;
  readonly asOf: number;
  readonly groups: number;
  readonly streams: number;
  readonly root: string;
}

/** Everything a period ledger has recorded, indexed for decisions and reads. */
export interface PeriodState {
  period: PeriodInfo | null;
  /** The rule set in force; null until opened (or if the ledger names a rule set this build does not know). */
  rules: RuleSet | null;
  /** Stage windows as amended. */
  readonly schedule: Partial<Record<Stage, ScheduleWindow>>;
  readonly scheduleChanges: ScheduleChange[];
  readonly publications: Publication[];
  readonly formations: Map<string, FormationState>;
  readonly applications: Map<string, ApplicationState>;
  /** NIK blind index → application id. */
  readonly persons: Map<string, string>;
  /** Red flags by flagId, in the order raised. */
  readonly flags: Map<string, FlagState>;
  /** Completeness commitments (StreamHeadsCommitted) in the order recorded: where each is and what it covers. */
  readonly completeness: CompletenessCommitment[];
  /** Last version of each stream (absent = the stream does not exist). */
  readonly versions: Map<string, number>;
  /** Last seq + 1. */
  size: number;
}

/** The state of a ledger with no events. */
export function initialPeriodState(): PeriodState {
  return {
    period: null,
    rules: null,
    schedule: {},
    scheduleChanges: [],
    publications: [],
    formations: new Map(),
    applications: new Map(),
    persons: new Map(),
    flags: new Map(),
    completeness: [],
    versions: new Map(),
    size: 0,
  };
}

function dual<S>(): DualScore<S> {
  return { manual: null, cat: null, effective: null, discrepancy: false, history: [] };
}

function sameValues(a: object, b: object): boolean {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return Object.keys(ra).every((k) => ra[k] === rb[k]);
}

function recordScore<S extends object>(d: DualScore<S>, entry: ScoreEntry<S>): void {
  d.history.push(entry);
  if (entry.source === 'cat') d.cat = entry;
  else d.manual = entry;
  d.effective = d.cat ?? d.manual;
  d.discrepancy = d.cat !== null && d.manual !== null && !sameValues(d.cat.score, d.manual.score);
}

function stampOf(recorded: Recorded): Stamp {
  return { seq: recorded.seq, at: recorded.at, actor: { id: recorded.actor.id, role: recorded.actor.role } };
}

function ruleSetOrNull(id: string): RuleSet | null {
  try {
    return getRuleSet(id);
  } catch {
    return null;
  }
}

/** Applies one recorded event in place (state is owned by the caller; copying per event would make replay of a million events quadratic); never throws on an event the schema accepts. */
export function evolve(state: PeriodState, event: PeriodEvent, recorded: Recorded): void {
  state.versions.set(recorded.stream, recorded.version);
  state.size = Math.max(state.size, recorded.seq + 1);
  const stamp = stampOf(recorded);
  // Events about unknown applications or formations cannot come from decide; they are
  // counted in versions and size above and otherwise ignored.
  const app = 'applicationId' in event.payload ? state.applications.get(event.payload.applicationId) : undefined;

  switch (event.type) {
    case 'PeriodOpened': {
      const p = event.payload;
      state.period = { ...stamp, periodId: p.periodId, agency: { ...p.agency }, year: p.year, kind: p.kind, rulesId: p.rules, skbWeights: p.skbWeights ?? null };
      state.rules = ruleSetOrNull(p.rules);
      for (const [stage, w] of Object.entries(p.schedule)) state.schedule[stage as Stage] = { opens: w.opens, closes: w.closes };
      return;
    }
    case 'ScheduleAmended': {
      const p = event.payload;
      const before = state.schedule[p.stage] ?? null;
      const after: ScheduleWindow = { opens: p.opens ?? before?.opens ?? null, closes: p.closes };
      state.schedule[p.stage] = after;
      state.scheduleChanges.push({ ...stamp, stage: p.stage, before, after, reason: p.reason, reference: p.reference });
      return;
    }
    case 'ResultsPublished':
      state.publications.push({ ...stamp, stage: event.payload.stage, reference: event.payload.reference, formationId: event.payload.formationId ?? null });
      return;
    case 'FormationAnnounced': {
      const p = event.payload;
      if (state.formations.has(p.formationId)) return;
      state.formations.set(p.formationId, {
        id: p.formationId,
        jabatan: p.jabatan,
        unit: p.unit,
        location: p.location,
        education: [...p.education],
        track: p.track,
        quota: p.quota,
        announced: stamp,
        amendments: [],
        applicationIds: [],
        skdCut: null,
        ranking: null,
        announcements: [],
        replacements: [],
      });
      return;
    }
    case 'FormationAmended': {
      const f = state.formations.get(event.payload.formationId);
      if (!f) return;
      const c = event.payload.changes;
      if (c.jabatan !== undefined) f.jabatan = c.jabatan;
      if (c.unit !== undefined) f.unit = c.unit;
      if (c.location !== undefined) f.location = c.location;
      if (c.education !== undefined) f.education = [...c.education];
      if (c.quota !== undefined) f.quota = c.quota;
      f.amendments.push({ changes: c, reason: event.payload.reason, reference: event.payload.reference, stamp });
      return;
    }
    case 'PersonRegistered':
      if (recorded.stream.startsWith('person-')) state.persons.set(recorded.stream.slice('person-'.length), event.payload.applicationId);
      return;
    case 'ApplicationSubmitted': {
      const p = event.payload;
      if (app) return;
      state.applications.set(p.applicationId, {
        id: p.applicationId,
        formationId: p.formationId,
        channel: p.channel,
        submittedAt: p.submittedAt,
        submitted: stamp,
        personal: p.personal,
        erased: null,
        indexes: p.indexes,
        education: p.education,
        pppkCategory: p.pppkCategory ?? null,
        skdReusedFrom: p.skdReusedFrom ?? null,
        status: 'submitted',
        pending: null,
        verdict: null,
        verifications: [],
        sanggah: null,
        skd: dual(),
        skb: {},
        competency: dual(),
        absent: {},
        disqualified: null,
        cutCode: null,
        skdRank: null,
        skdTotal: null,
        rank: null,
        finalScore: null,
        finalCode: null,
        finalDecisions: [],
        announcedCode: null,
        resigned: null,
        replacedBy: null,
        replaces: null,
      });
      if (p.indexes.nik !== undefined && !state.persons.has(p.indexes.nik)) state.persons.set(p.indexes.nik, p.applicationId);
      state.formations.get(p.formationId)?.applicationIds.push(p.applicationId);
      return;
    }
    case 'DocumentsVerified':
      if (!app) return;
      app.status = 'verified';
      app.pending = { verdict: event.payload.verdict, documents: event.payload.documents, stamp };
      app.verifications.push({ kind: 'verified', verdict: event.payload.verdict, documents: event.payload.documents, stamp });
      return;
    case 'VerificationConfirmed':
      if (!app) return;
      app.status = 'confirmed';
      app.pending = null;
      app.verdict = event.payload.verdict;
      app.verifications.push({ kind: 'confirmed', verdict: event.payload.verdict, note: event.payload.note ?? null, stamp });
      return;
    case 'VerificationReturned':
      if (!app) return;
      app.status = 'returned';
      app.pending = null;
      app.verifications.push({ kind: 'returned', reason: event.payload.reason, stamp });
      return;
    case 'Reverified':
      if (!app) return;
      app.verdict = event.payload.verdict;
      app.verifications.push({ kind: 'reverified', verdict: event.payload.verdict, documents: event.payload.documents, reason: event.payload.reason, stamp });
      return;
    case 'SanggahFiled':
      if (!app) return;
      app.sanggah ??= { reason: event.payload.reason, filed: stamp, decision: null };
      return;
    case 'SanggahDecided': {
      if (!app) return;
      const p = event.payload;
      const decision = { accepted: p.accepted, reason: p.reason, newVerdict: p.newVerdict ?? null, approvalRef: p.approvalRef ?? null, stamp };
      if (app.sanggah) app.sanggah.decision = decision;
      else app.sanggah = { reason: p.reason, filed: stamp, decision };
      if (p.accepted && p.newVerdict !== undefined) {
        app.verdict = p.newVerdict;
        app.verifications.push({ kind: 'sanggah', verdict: p.newVerdict, approvalRef: p.approvalRef ?? null, stamp });
      }
      return;
    }
    case 'SkdScoreRecorded': {
      if (!app) return;
      const p = event.payload;
      recordScore(app.skd, { score: { twk: p.twk, tiu: p.tiu, tkp: p.tkp }, source: p.source, approvalRef: p.approvalRef ?? null, stamp });
      return;
    }
    case 'SkbScoreRecorded': {
      if (!app) return;
      const p = event.payload;
      (app.skb[p.part] ??= []).push({ score: p.score, source: p.source, examiner: p.examiner ?? null, approvalRef: p.approvalRef ?? null, stamp });
      return;
    }
    case 'CompetencyScoreRecorded': {
      if (!app) return;
      const p = event.payload;
      const score = { teknis: p.teknis, manajerial: p.manajerial, sosialKultural: p.sosialKultural, wawancara: p.wawancara };
      recordScore(app.competency, { score, source: p.source, approvalRef: p.approvalRef ?? null, stamp });
      return;
    }
    case 'AbsenceRecorded':
      if (!app) return;
      app.absent[event.payload.stage] ??= stamp;
      return;
    case 'ApplicantDisqualified':
      if (!app) return;
      app.disqualified ??= { ...stamp, reason: event.payload.reason, reference: event.payload.reference };
      return;
    case 'SkdCutDecided': {
      const f = state.formations.get(event.payload.formationId);
      if (!f) return;
      f.skdCut = { results: event.payload.results, stamp };
      for (const id of f.applicationIds) {
        const a = state.applications.get(id);
        if (a) [a.cutCode, a.skdRank, a.skdTotal] = [null, null, null];
      }
      for (const r of event.payload.results) {
        const a = state.applications.get(r.applicationId);
        if (a) [a.cutCode, a.skdRank, a.skdTotal] = [r.code, r.rank, r.total];
      }
      return;
    }
    case 'RankingDecided': {
      const f = state.formations.get(event.payload.formationId);
      if (!f) return;
      f.ranking = { ranking: event.payload.ranking, stamp };
      for (const id of f.applicationIds) {
        const a = state.applications.get(id);
        if (a) [a.rank, a.finalScore] = [null, null];
      }
      for (const r of event.payload.ranking) {
        const a = state.applications.get(r.applicationId);
        if (a) [a.rank, a.finalScore] = [r.rank, r.final];
      }
      return;
    }
    case 'FinalDecisionRecorded':
      if (!app) return;
      app.finalCode = event.payload.code;
      app.finalDecisions.push({ code: event.payload.code, reference: event.payload.reference ?? null, reason: event.payload.reason ?? null, stamp });
      return;
    case 'ResultsAnnounced': {
      const { formationId, ...rest } = event.payload;
      state.formations.get(formationId)?.announcements.push({ ...rest, stamp });
      for (const r of event.payload.results) {
        const a = state.applications.get(r.applicationId);
        if (a) a.announcedCode = r.code;
      }
      return;
    }
    case 'ApplicantResigned':
      if (!app) return;
      app.resigned ??= { ...stamp, reason: event.payload.reason };
      return;
    case 'ReplacementAppointed': {
      const p = event.payload;
      state.formations.get(p.formationId)?.replacements.push({ resignedApplicationId: p.resignedApplicationId, replacementApplicationId: p.replacementApplicationId, reference: p.reference, stamp });
      const resigned = state.applications.get(p.resignedApplicationId);
      const replacement = state.applications.get(p.replacementApplicationId);
      if (resigned) resigned.replacedBy = p.replacementApplicationId;
      if (replacement) replacement.replaces = p.resignedApplicationId;
      return;
    }
    case 'PersonalDataErased': {
      // The subject names whose key was destroyed; on an application stream it is that applicant.
      const target = recorded.stream.startsWith('application-') ? state.applications.get(recorded.stream.slice('application-'.length)) : undefined;
      if (target && !target.erased) {
        target.personal = null;
        target.erased = { ...stamp, legalBasis: event.payload.legalBasis, requestRef: event.payload.requestRef };
      }
      return;
    }
    case 'FlagRaised': {
      const p = event.payload;
      if (!state.flags.has(p.flagId)) state.flags.set(p.flagId, { payload: p, raised: stamp, dispositions: [], status: 'open' });
      return;
    }
    case 'FlagDisposed': {
      const p = event.payload;
      const flag = state.flags.get(p.flagId);
      if (!flag) return;
      flag.dispositions.push({ ...stamp, status: p.status, reason: p.reason, reference: p.reference ?? null });
      flag.status = p.status;
      return;
    }
    case 'StreamHeadsCommitted': {
      const p = event.payload;
      state.completeness.push({ seq: recorded.seq, asOf: p.asOf, groups: p.groups, streams: p.streams, root: p.root });
      return;
    }
    default: {
      const never: never = event;
      return never;
    }
  }
}

/** True when a publication of `stage` covers the formation (published for it or for all). */
export function isPublished(state: PeriodState, stage: Announcement, formationId: string): boolean {
  return state.publications.some((p) => p.stage === stage && (p.formationId === null || p.formationId === formationId));
}

/** The first publication of `stage` covering the formation, if any. */
export function firstPublication(state: PeriodState, stage: Announcement, formationId: string): Publication | undefined {
  return state.publications.find((p) => p.stage === stage && (p.formationId === null || p.formationId === formationId));
}

/** True when the application may sit the tests: verification confirmed, verdict MS, not disqualified. */
export function isEligible(app: ApplicationState): boolean {
  return app.status === 'confirmed' && app.verdict === 'MS' && app.disqualified === null;
}

/** The SKB part values that count, per part: the latest value per examiner for hand-scored parts; for the CAT part the latest CAT import, else the latest manual value. */
export function skbParts(app: ApplicationState): Partial<Record<SkbPart, number[]>> {
  const out: Partial<Record<SkbPart, number[]>> = {};
  for (const [part, entries] of Object.entries(app.skb) as [SkbPart, SkbEntry[]][]) {
    if (entries.length === 0) continue;
    if (part === 'cat') {
      const latest = entries.findLast((e) => e.source === 'cat') ?? entries.at(-1);
      if (latest) out[part] = [latest.score];
      continue;
    }
    const byExaminer = new Map<string, number>();
    for (const e of entries) byExaminer.set(e.examiner ?? '', e.score);
    out[part] = [...byExaminer.values()];
  }
  return out;
}

/** Applications whose manual and CAT values of a score differ (the manual-override red flag). */
export function scoreDiscrepancies(state: PeriodState): { applicationId: string; score: 'skd' | 'competency' | 'skb-cat' }[] {
  const out: { applicationId: string; score: 'skd' | 'competency' | 'skb-cat' }[] = [];
  for (const app of state.applications.values()) {
    if (app.skd.discrepancy) out.push({ applicationId: app.id, score: 'skd' });
    if (app.competency.discrepancy) out.push({ applicationId: app.id, score: 'competency' });
    const cat = app.skb.cat ?? [];
    const lastCat = cat.findLast((e) => e.source === 'cat');
    const lastManual = cat.findLast((e) => e.source === 'manual');
    if (lastCat && lastManual && lastCat.score !== lastManual.score) out.push({ applicationId: app.id, score: 'skb-cat' });
  }
  return out;
}
