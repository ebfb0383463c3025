/**
 * The contract of the red-flag detectors: what they read (a period ledger's entries and the
 * directory), how they are tuned (a versioned configuration) and what they return (flags
 * with the seqs of the entries that prove them).
 */
import type { DirectoryState } from '@casn/domain';

/** One entry of a period ledger as the detectors read it (the ledger entry without its hash fields). */
export interface DetectionEntry {
  readonly seq: number;
  readonly stream: string;
  readonly version: number;
  readonly type: string;
  readonly at: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly payload: Record<string, unknown>;
}

/** How serious a flag is: high goes to an inspector first. */
export type Severity = 'high' | 'medium' | 'low';

/** One red flag: a detector's finding, its identity and the evidence that proves it. */
export interface Flag {
  /** 32 hex: the first 16 bytes of SHA-256 of the JCS of {detector, version, key}. */
  readonly flagId: string;
  readonly detector: string;
  readonly version: string;
  readonly severity: Severity;
  /** Stable identity within the detector, e.g. `${actorId}:${applicationId}`. */
  readonly key: string;
  /** Seqs of the entries that prove it, ascending, at least one. */
  readonly entries: readonly number[];
  /** Actor ids involved, sorted. */
  readonly actors: readonly string[];
  /** Application ids involved, sorted. */
  readonly applications: readonly string[];
  readonly formationId?: string;
  /** Parameters of the explanation; never personal data. */
  readonly facts: Readonly<Record<string, string | number | boolean>>;
}

/** A plain-language text in Bahasa Indonesia (`id`) and English (`en`). */
export interface Bilingual {
  readonly id: string;
  readonly en: string;
}

/** Thresholds of the detectors, versioned: a flag records the configuration it was computed with. */
export interface DetectorConfig {
  /** Version id of this configuration, e.g. 'detectors-2024.1'. */
  readonly id: string;
  /** The legal or documentary basis of the thresholds. */
  readonly basis: string;
  /** Offset of the agency's wall clock from UTC in minutes (WIB = 420). */
  readonly timezoneOffsetMinutes: number;
  /** Roles whose actions count as an official's actions (the portal's and applicants' do not). */
  readonly officialRoles: readonly string[];
  readonly relatedParty: {
    /** An address held by applicants of at least this many different family cards is a shared (public) address: it ties nobody to an officer's relative. */
    readonly sharedAddressMinFamilies: number;
  };
  readonly segregation: {
    /** Bulk: at least this many separate note-less confirmations in one run… */
    readonly bulkMinConfirmations: number;
    /** …whose median gap is below this many seconds. */
    readonly bulkMaxMedianGapSeconds: number;
    /** A gap longer than this ends a run of confirmations. */
    readonly bulkRunBreakSeconds: number;
    /** One submission (append) of at least this many confirmations, none with a note, is bulk too. */
    readonly bulkBatchMin: number;
  };
  readonly lateAction: {
    /** Tolerance after the registration close for submittedAt. */
    readonly submissionGraceSeconds: number;
    /** Tolerance after the verification close for a verifier's MS. */
    readonly verificationGraceSeconds: number;
    /** Tolerance after the verification close for a supervisor's MS confirmation (the next session). */
    readonly confirmationGraceSeconds: number;
  };
  readonly verdictReversal: {
    /** Sanggah window in days after the administrasi publication, when the period's rule set is unknown and no sanggah window is scheduled. */
    readonly sanggahWindowDays: number;
  };
  readonly examinerOutlier: {
    /** Hand-scored SKB parts compared across examiners. */
    readonly parts: readonly string[];
    /** Applicants an examiner must share with co-panelists before being judged. */
    readonly minSharedApplicants: number;
    /** Mean absolute deviation (points of 100) from the co-panelists' mean above which an examiner is an outlier. */
    readonly maxMeanAbsDeviation: number;
  };
  readonly offHours: {
    /** Local hour (0–23) at which the night starts. */
    readonly nightStartHour: number;
    /** Local hour (0–23) at which the night ends. */
    readonly nightEndHour: number;
    /** Local weekdays off (0 = Sunday … 6 = Saturday). */
    readonly weekendDays: readonly number[];
    /** National holidays and collective leave, local dates YYYY-MM-DD. */
    readonly holidays: readonly string[];
    /** Off-hours actions (one append = one action) of one actor on one local date before a flag is raised. */
    readonly minActions: number;
    /** A burst: at least this many actions… */
    readonly burstMinActions: number;
    /** …within this many seconds. */
    readonly burstWindowSeconds: number;
  };
}

/** What a detector reads. */
export interface DetectionInput {
  /** A period ledger's entries [0, size) in seq order. */
  readonly entries: readonly DetectionEntry[];
  readonly directory: DirectoryState;
  readonly config: DetectorConfig;
}

/** One red-flag detector. */
export interface Detector {
  readonly id: string;
  readonly version: string;
  readonly severity: Severity;
  readonly title: Bilingual;
  /** Finds this detector's flags; pure and deterministic. */
  detect(input: DetectionInput): Flag[];
  /** The plain-language explanation of one of this detector's flags, filled from its facts. */
  explain(flag: Flag): Bilingual;
}
