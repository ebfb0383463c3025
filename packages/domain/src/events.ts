/**
 * The event catalogue: every fact the ledger records about a recruitment period, as zod
 * schemas. Payloads hold no personal data in clear: only `Sealed` ciphertexts (erasable)
 * and keyed blind indexes (for equality matching after erasure).
 */
import { z } from 'zod';

export const TRACKS = ['umum', 'cumlaude', 'disabilitas', 'diaspora', 'papua', 'tertinggal'] as const;
/** Formation track (jenis formasi). */
export const Track = z.enum(TRACKS);
export type Track = z.infer<typeof Track>;

/** CPNS or PPPK. */
export const PeriodKind = z.enum(['CPNS', 'PPPK']);
export type PeriodKind = z.infer<typeof PeriodKind>;

/** Scheduled windows of a period. */
export const STAGES = ['registration', 'verification', 'sanggah', 'skd', 'skb', 'kompetensi'] as const;
export const Stage = z.enum(STAGES);
export type Stage = z.infer<typeof Stage>;

/** Announced results: administrasi (after verification), skd, skb, kompetensi (PPPK) and final. */
export const ANNOUNCEMENTS = ['administrasi', 'skd', 'skb', 'kompetensi', 'final'] as const;
export const Announcement = z.enum(ANNOUNCEMENTS);
export type Announcement = z.infer<typeof Announcement>;

/** PPPK priority categories, highest first (Kepmen 347/2024), then everyone else. */
export const PPPK_CATEGORIES = ['p1-guru', 'eks-thk2', 'non-asn-bkn', 'non-asn-aktif', 'umum'] as const;
export const PppkCategory = z.enum(PPPK_CATEGORIES);
export type PppkCategory = z.infer<typeof PppkCategory>;

/** Official final result codes (pengumuman akhir) and SKD cut codes. */
export const FINAL_CODES = ['L', 'L-1', 'L-2', 'TL', 'TH', 'TMS', 'APS', 'DIS', 'P/L', 'P', 'U-1', 'U-3', 'E-1', 'E-2', 'E-3'] as const;
export const FinalCode = z.enum(FINAL_CODES);
export type FinalCode = z.infer<typeof FinalCode>;

/** Administrative verification verdict: memenuhi syarat or tidak memenuhi syarat. */
export const Verdict = z.enum(['MS', 'TMS']);
export type Verdict = z.infer<typeof Verdict>;

/** SKB parts; only `cat` is machine-scored, the others are hand-scored by examiners. */
export const SKB_PARTS = ['cat', 'practical', 'interview', 'psychology'] as const;
export const SkbPart = z.enum(SKB_PARTS);
export type SkbPart = z.infer<typeof SkbPart>;

/** Where a score came from: typed in by an officer, or imported from the BKN CAT export. */
export const ScoreSource = z.enum(['manual', 'cat']);
export type ScoreSource = z.infer<typeof ScoreSource>;

const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ - (at most 64)');
/** An identifier chosen by the caller (formation, application, actor, period). */
export const Identifier = Id;
const Text = z.string().trim().min(1).max(500);
const Reference = z.string().trim().min(1).max(200);
/** Hex of a keyed blind index (16 bytes). */
export const IndexHex = z.string().regex(/^[0-9a-f]{32}$/);
const Instant = z.iso.datetime({ offset: true });

/** Personal data encrypted under its subject's erasable key (see @casn/personal-data). */
export const Sealed = z.object({
  subject: z.string().min(1).max(100),
  alg: z.literal('A256GCM'),
  iv: z.string(),
  ct: z.string(),
});
export type Sealed = z.infer<typeof Sealed>;

/** Blind indexes of a person's identifiers, for equality matching without clear text. */
export const PersonIndexes = z.object({
  nik: IndexHex.optional(),
  kk: IndexHex.optional(),
  /** Earlier family cards (a KK number changes on marriage, moving or pecah KK). */
  previousKk: z.array(IndexHex).max(10).optional(),
  phone: IndexHex.optional(),
  email: IndexHex.optional(),
  address: IndexHex.optional(),
  bank: IndexHex.optional(),
  /** Parents' names. */
  parents: z.array(IndexHex).max(4).optional(),
  name: IndexHex.optional(),
});
export type PersonIndexes = z.infer<typeof PersonIndexes>;

const Window = z.object({ opens: Instant, closes: Instant });
/** Stage windows of a period; PPPK uses kompetensi instead of skd/skb. */
export const Schedule = z.partialRecord(Stage, Window);
export type Schedule = z.infer<typeof Schedule>;

/** SKB weights of one agency and year, fractions summing to 1. */
export const SkbWeights = z.partialRecord(SkbPart, z.number().min(0).max(1));
export type SkbWeights = z.infer<typeof SkbWeights>;

const Document = z.object({ document: z.string().trim().min(1).max(100), verdict: Verdict, reason: z.string().trim().max(500).optional() });

/** The payload schema of each event type of a period ledger. */
export const PeriodEvents = {
  PeriodOpened: z.object({
    periodId: Id,
    agency: z.object({ code: Id, name: Text, level: z.enum(['pusat', 'daerah']) }),
    year: z.number().int().min(2000).max(2100),
    kind: PeriodKind,
    /** Id of the versioned rule set (config) in force, e.g. 'casn-2024'. */
    rules: Id,
    skbWeights: SkbWeights.optional(),
    schedule: Schedule,
  }),
  ScheduleAmended: z.object({ stage: Stage, opens: Instant.optional(), closes: Instant, reason: Text, reference: Reference }),
  ResultsPublished: z.object({ stage: Announcement, reference: Reference, formationId: Id.optional() }),
  FormationAnnounced: z.object({
    formationId: Id,
    jabatan: Text,
    unit: Text,
    location: Text,
    education: z.array(Text).min(1).max(20),
    track: Track,
    quota: z.number().int().min(1).max(100_000),
  }),
  FormationAmended: z.object({
    formationId: Id,
    changes: z.object({ jabatan: Text.optional(), unit: Text.optional(), location: Text.optional(), education: z.array(Text).min(1).max(20).optional(), quota: z.number().int().min(1).max(100_000).optional() }),
    reason: Text,
    reference: Reference,
  }),
  /** Guards one application per person per period: appended with the application, on `person-<nik index>`. */
  PersonRegistered: z.object({ applicationId: Id }),
  ApplicationSubmitted: z.object({
    applicationId: Id,
    formationId: Id,
    channel: z.enum(['portal', 'import']),
    /** When the applicant made the final submit (for an import, the time in the SSCASN export). */
    submittedAt: Instant,
    personal: Sealed,
    indexes: PersonIndexes,
    education: z.object({ level: Text, ipk: z.number().min(0).max(4).optional(), average: z.number().min(0).max(100).optional() }),
    pppkCategory: PppkCategory.optional(),
    /** An SKD score reused from an earlier year (same NIK and education level). */
    skdReusedFrom: z.number().int().optional(),
  }),
  DocumentsVerified: z.object({ applicationId: Id, verdict: Verdict, documents: z.array(Document).min(1).max(50) }),
  VerificationConfirmed: z.object({ applicationId: Id, verdict: Verdict, note: z.string().trim().max(500).optional() }),
  VerificationReturned: z.object({ applicationId: Id, reason: Text }),
  /** A supervisor's re-verification after confirmation, e.g. MS turned TMS (BKN 2023). */
  Reverified: z.object({ applicationId: Id, verdict: Verdict, documents: z.array(Document).min(1).max(50), reason: Text }),
  SanggahFiled: z.object({ applicationId: Id, reason: Text }),
  SanggahDecided: z.object({
    applicationId: Id,
    accepted: z.boolean(),
    reason: Text,
    /** The verdict after an accepted sanggah that changes the result (needs approvalRef). */
    newVerdict: Verdict.optional(),
    /** Ketua Panselnas approval of a result change. */
    approvalRef: Reference.optional(),
  }),
  SkdScoreRecorded: z.object({
    applicationId: Id,
    twk: z.number().int().min(0),
    tiu: z.number().int().min(0),
    tkp: z.number().int().min(0),
    source: ScoreSource,
    /** Required when recorded after the SKD results were published. */
    approvalRef: Reference.optional(),
  }),
  SkbScoreRecorded: z.object({
    applicationId: Id,
    part: SkbPart,
    /** Percent, 0–100. */
    score: z.number().min(0).max(100),
    source: ScoreSource,
    /** Actor id of the examiner for hand-scored parts. */
    examiner: Id.optional(),
    approvalRef: Reference.optional(),
  }),
  CompetencyScoreRecorded: z.object({
    applicationId: Id,
    teknis: z.number().int().min(0),
    manajerial: z.number().int().min(0),
    sosialKultural: z.number().int().min(0),
    wawancara: z.number().int().min(0),
    source: ScoreSource,
    approvalRef: Reference.optional(),
  }),
  AbsenceRecorded: z.object({ applicationId: Id, stage: z.enum(['skd', 'skb', 'kompetensi']) }),
  ApplicantDisqualified: z.object({ applicationId: Id, reason: Text, reference: Reference }),
  SkdCutDecided: z.object({
    formationId: Id,
    /** Everyone with an SKD outcome, in SKD rank order (absent and failing last). */
    results: z.array(z.object({ applicationId: Id, rank: z.number().int().min(1).nullable(), total: z.number().int().nullable(), code: z.enum(['P/L', 'P', 'TL', 'TH', 'DIS']) })),
  }),
  RankingDecided: z.object({
    formationId: Id,
    ranking: z.array(z.object({ applicationId: Id, rank: z.number().int().min(1), final: z.number() })),
  }),
  FinalDecisionRecorded: z.object({ applicationId: Id, code: FinalCode, reference: Reference.optional(), reason: z.string().trim().max(500).optional() }),
  /** The list as published; the detectors compare it with the recorded decisions. */
  ResultsAnnounced: z.object({
    formationId: Id,
    reference: Reference,
    /** SHA-256 (hex) of the published document. */
    documentHash: z.string().regex(/^[0-9a-f]{64}$/),
    results: z.array(z.object({ applicationId: Id, code: FinalCode })).min(1),
  }),
  ApplicantResigned: z.object({ applicationId: Id, reason: Text }),
  ReplacementAppointed: z.object({ formationId: Id, resignedApplicationId: Id, replacementApplicationId: Id, reference: Reference }),
  PersonalDataErased: z.object({ subject: z.string().min(1).max(100), legalBasis: Text, requestRef: Reference }),
  /**
   * A red flag raised by a detector, with the evidence that proves it (entry seqs), on
   * stream `flag-<flagId>`; flagId is derived from detector, version and key, so a re-run
   * raises nothing twice. Never deleted; dispositions follow on the same stream.
   */
  FlagRaised: z.object({
    flagId: IndexHex,
    detector: Id,
    version: z.string().min(1).max(20),
    /** Version of the detector configuration (thresholds) the flag was computed with. */
    config: z.string().min(1).max(40),
    severity: z.enum(['high', 'medium', 'low']),
    /** What makes this flag itself within its detector, e.g. `<actor>:<application>`. */
    key: z.string().min(1).max(300),
    /**
     * The checkpoint the detection ran on, and the directory ledger's (actors and declared
     * relatives) at the same run: both pinned, a re-run gives the same flags.
     */
    checkpoint: z.object({
      size: z.number().int().min(0),
      root: z.string(),
      directory: z.object({ size: z.number().int().min(0), root: z.string() }).optional(),
    }),
    entries: z.array(z.number().int().min(0)).min(1).max(10_000),
    actors: z.array(Id).max(1000),
    applications: z.array(Id).max(10_000),
    formationId: Id.optional(),
    /** Parameters of the explanation; never personal data. */
    facts: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])),
  }),
  FlagDisposed: z.object({
    flagId: IndexHex,
    status: z.enum(['confirmed', 'dismissed', 'referred']),
    reason: Text,
    reference: Reference.optional(),
  }),
  /**
   * A completeness commitment on stream `completeness`: the RFC 6962 root over one record
   * per group of streams (the period-wide group, then each formation's) of the entries
   * [0, asOf), each record the root of its streams' heads. See "Completeness per formation"
   * in docs/ledger-format.md; `completeness.ts` of @casn/ledger-core computes and checks it.
   */
  StreamHeadsCommitted: z.object({
    /** Covers every entry with seq < asOf. */
    asOf: z.number().int().min(1),
    /** Number of groups (leaves of the tree whose root is `root`). */
    groups: z.number().int().min(1),
    /** Number of streams with an entry below asOf. */
    streams: z.number().int().min(1),
    /** RFC 6962 root over the group records, 64 hex. */
    root: z.string().regex(/^[0-9a-f]{64}$/),
  }),
} as const;

/** The payload schema of each event type of the directory ledger (agencies and actors). */
export const DirectoryEvents = {
  AgencyRegistered: z.object({ code: Id, name: Text, level: z.enum(['pusat', 'daerah']) }),
  ActorRegistered: z.object({
    actorId: Id,
    role: z.enum(['officer', 'supervisor', 'inspector', 'ombudsman', 'admin', 'portal']),
    /** The agency an officer, supervisor or portal acts for; null for oversight and admins. */
    agency: Id.nullable(),
    personal: Sealed.optional(),
    indexes: PersonIndexes,
  }),
  /** A conflict-of-interest declaration: a relative of the actor, by blind indexes. */
  RelativeDeclared: z.object({
    actorId: Id,
    relation: z.enum(['spouse', 'parent', 'child', 'sibling', 'in-law', 'cousin', 'other']),
    personal: Sealed.optional(),
    indexes: PersonIndexes,
  }),
  ActorDeactivated: z.object({ actorId: Id, reason: Text }),
  PersonalDataErased: z.object({ subject: z.string().min(1).max(100), legalBasis: Text, requestRef: Reference }),
} as const;

export type PeriodEventType = keyof typeof PeriodEvents;
export type DirectoryEventType = keyof typeof DirectoryEvents;
/** A period event, discriminated by type. */
export type PeriodEvent = { [K in PeriodEventType]: { type: K; payload: z.infer<(typeof PeriodEvents)[K]> } }[PeriodEventType];
/** A directory event, discriminated by type. */
export type DirectoryEvent = { [K in DirectoryEventType]: { type: K; payload: z.infer<(typeof DirectoryEvents)[K]> } }[DirectoryEventType];
export type Role = z.infer<(typeof DirectoryEvents)['ActorRegistered']>['role'];

/** Where and when an event was recorded, and by whom (from the ledger entry). */
export interface Recorded {
  readonly seq: number;
  readonly stream: string;
  readonly version: number;
  readonly at: string;
  readonly actor: { readonly id: string; readonly role: string };
}

/** Stream names of a period ledger. */
export const streams = {
  period: 'period',
  formation: (id: string) => `formation-${id}`,
  application: (id: string) => `application-${id}`,
  person: (nikIndex: string) => `person-${nikIndex}`,
  agency: (code: string) => `agency-${code}`,
  flag: (flagId: string) => `flag-${flagId}`,
  /** Completeness commitments (StreamHeadsCommitted). */
  completeness: 'completeness',
  actor: (id: string) => `actor-${id}`,
} as const;
