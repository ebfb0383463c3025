/**
 * The commands of a period ledger and of the directory ledger, as zod schemas. Each schema
 * is the command's fields without `type` (they double as HTTP request bodies); the unions
 * `PeriodCommand` and `DirectoryCommand` add the `type` discriminator. Commands carry no
 * personal data in clear: the service seals it and computes blind indexes first.
 */
import { z } from 'zod';
import { DirectoryEvents, IndexHex, PeriodEvents, PersonIndexes } from './events.ts';

const P = PeriodEvents;
const D = DirectoryEvents;

const applicationId = P.DocumentsVerified.shape.applicationId.meta({ description: 'Id of the application (one applicant in one period).' });
const formationId = P.FormationAnnounced.shape.formationId.meta({ description: 'Id of the formation (formasi).' });
const reference = P.ApplicantDisqualified.shape.reference;
const reason = P.ApplicantDisqualified.shape.reason;
const approvalRef = P.SkdScoreRecorded.shape.approvalRef.meta({
  description: 'Reference of the approval (e.g. Ketua Panselnas) that allows a change after the results were published.',
});
const source = P.SkdScoreRecorded.shape.source.meta({ description: "'cat' when imported from the BKN CAT export, 'manual' when typed in." });
const documents = P.DocumentsVerified.shape.documents.meta({ description: 'Verdict per document; every TMS document needs a reason.' });

/** The most flags one RaiseFlags command carries; a detection raising more sends several. */
export const MAX_FLAGS_PER_COMMAND = 500;

/** The schema of each period command's fields (the HTTP request body). */
export const PeriodCommands = {
  OpenPeriod: z.object({
    periodId: P.PeriodOpened.shape.periodId.meta({ description: 'Id of the recruitment period.' }),
    agency: P.PeriodOpened.shape.agency.meta({ description: 'The agency (instansi) that recruits; level pusat or daerah.' }),
    year: P.PeriodOpened.shape.year,
    kind: P.PeriodOpened.shape.kind,
    rules: P.PeriodOpened.shape.rules.meta({ description: "Id of the versioned rule set in force, e.g. 'casn-2024'." }),
    skbWeights: P.PeriodOpened.shape.skbWeights.meta({ description: 'SKB part weights (fractions summing to 1); required for CPNS, absent for PPPK.' }),
    schedule: P.PeriodOpened.shape.schedule.meta({ description: 'Stage windows (ISO instants); each opens before it closes.' }),
  }),
  AmendSchedule: z.object({
    stage: P.ScheduleAmended.shape.stage,
    opens: P.ScheduleAmended.shape.opens.meta({ description: 'New opening; the current one is kept when absent.' }),
    closes: P.ScheduleAmended.shape.closes.meta({ description: 'New closing instant.' }),
    reason,
    reference: reference.meta({ description: 'Number of the announcement that moved the window.' }),
  }),
  PublishResults: z.object({
    stage: P.ResultsPublished.shape.stage.meta({ description: 'Which results; administrasi opens the sanggah window, skd/skb/kompetensi lock the scores.' }),
    reference: reference.meta({ description: 'Number of the announcement (pengumuman).' }),
    formationId: P.ResultsPublished.shape.formationId.meta({ description: 'Only this formation; all formations when absent.' }),
  }),
  AnnounceFormation: z.object({
    formationId,
    jabatan: P.FormationAnnounced.shape.jabatan.meta({ description: 'Position (jabatan).' }),
    unit: P.FormationAnnounced.shape.unit,
    location: P.FormationAnnounced.shape.location,
    education: P.FormationAnnounced.shape.education.meta({ description: 'Accepted qualifications.' }),
    track: P.FormationAnnounced.shape.track.meta({ description: 'Formation track (jenis formasi); selects the SKD passing grade.' }),
    quota: P.FormationAnnounced.shape.quota.meta({ description: 'Number of positions (kebutuhan).' }),
  }),
  AmendFormation: z.object({
    formationId,
    changes: P.FormationAmended.shape.changes.meta({ description: 'The fields that change; at least one.' }),
    reason,
    reference,
  }),
  SubmitApplication: z.object({
    applicationId,
    formationId,
    channel: P.ApplicationSubmitted.shape.channel.meta({ description: "'portal' for a live submission (portal actors only), 'import' for an SSCASN export." }),
    submittedAt: P.ApplicationSubmitted.shape.submittedAt.meta({ description: "When the applicant made the final submit; for 'portal' within 5 minutes of now." }),
    personal: P.ApplicationSubmitted.shape.personal.meta({ description: "The applicant's personal data, sealed under the applicant's erasable key." }),
    indexes: PersonIndexes.extend({ nik: IndexHex }).meta({ description: 'Blind indexes of the applicant; nik is required (one application per person).' }),
    education: P.ApplicationSubmitted.shape.education.meta({ description: 'Education level and IPK or ijazah average (tie-break).' }),
    pppkCategory: P.ApplicationSubmitted.shape.pppkCategory.meta({ description: 'PPPK priority category; required for PPPK, forbidden for CPNS.' }),
    skdReusedFrom: P.ApplicationSubmitted.shape.skdReusedFrom.meta({ description: 'Year of an earlier SKD score reused (CPNS only).' }),
  }),
  VerifyDocuments: z.object({
    applicationId,
    verdict: P.DocumentsVerified.shape.verdict.meta({ description: 'MS or TMS; TMS exactly when some document is TMS.' }),
    documents,
  }),
  ConfirmVerification: z.object({
    applicationId,
    verdict: P.VerificationConfirmed.shape.verdict.meta({ description: "The verdict confirmed; must equal the verifier's." }),
    note: P.VerificationConfirmed.shape.note,
  }),
  ReturnVerification: z.object({ applicationId, reason }),
  Reverify: z.object({ applicationId, verdict: P.Reverified.shape.verdict, documents, reason }),
  FileSanggah: z.object({ applicationId, reason: reason.meta({ description: 'Why the administrasi result is wrong (an error not caused by the applicant).' }) }),
  DecideSanggah: z.object({
    applicationId,
    accepted: P.SanggahDecided.shape.accepted,
    reason,
    newVerdict: P.SanggahDecided.shape.newVerdict.meta({ description: 'The verdict after an accepted sanggah that changes the result.' }),
    approvalRef: P.SanggahDecided.shape.approvalRef.meta({ description: 'Ketua Panselnas approval; required when the verdict changes.' }),
  }),
  RecordSkdScore: z.object({
    applicationId,
    twk: P.SkdScoreRecorded.shape.twk.meta({ description: 'Tes Wawasan Kebangsaan.' }),
    tiu: P.SkdScoreRecorded.shape.tiu.meta({ description: 'Tes Intelegensia Umum.' }),
    tkp: P.SkdScoreRecorded.shape.tkp.meta({ description: 'Tes Karakteristik Pribadi.' }),
    source,
    approvalRef,
  }),
  RecordAbsence: z.object({ applicationId, stage: P.AbsenceRecorded.shape.stage }),
  Disqualify: z.object({ applicationId, reason, reference }),
  DecideSkdCut: z.object({ formationId }),
  RecordSkbScore: z.object({
    applicationId,
    part: P.SkbScoreRecorded.shape.part,
    score: P.SkbScoreRecorded.shape.score.meta({ description: 'Percent, 0–100.' }),
    examiner: P.SkbScoreRecorded.shape.examiner.meta({ description: 'Actor id of the examiner; required for hand-scored parts, forbidden for cat.' }),
    source,
    approvalRef,
  }),
  RecordCompetencyScore: z.object({
    applicationId,
    teknis: P.CompetencyScoreRecorded.shape.teknis,
    manajerial: P.CompetencyScoreRecorded.shape.manajerial,
    sosialKultural: P.CompetencyScoreRecorded.shape.sosialKultural,
    wawancara: P.CompetencyScoreRecorded.shape.wawancara,
    source,
    approvalRef,
  }),
  DecideRanking: z.object({
    formationId,
    birthDates: z
      .record(P.DocumentsVerified.shape.applicationId, z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'))
      .meta({ description: 'Birth date per application (decrypted by the service; the last tie-break, older first). Not recorded.' }),
  }),
  RecordFinalDecision: z.object({
    applicationId,
    code: P.FinalDecisionRecorded.shape.code.meta({ description: "Final code; 'APS' goes through ResignApplicant." }),
    reference: P.FinalDecisionRecorded.shape.reference.meta({ description: 'Required for L-1, L-2, U-1, U-3, E-1..E-3.' }),
    reason: P.FinalDecisionRecorded.shape.reason,
  }),
  AnnounceResults: z.object({
    formationId,
    reference,
    documentHash: P.ResultsAnnounced.shape.documentHash.meta({ description: 'SHA-256 (hex) of the published document.' }),
    results: P.ResultsAnnounced.shape.results.meta({ description: 'The list as published.' }),
  }),
  ResignApplicant: z.object({ applicationId, reason }),
  AppointReplacement: z.object({
    formationId,
    resignedApplicationId: applicationId.meta({ description: 'The applicant who resigned.' }),
    replacementApplicationId: applicationId.meta({ description: 'The next-ranked applicant who replaces them.' }),
    reference,
  }),
  ErasePersonalData: z.object({
    applicationId,
    legalBasis: P.PersonalDataErased.shape.legalBasis.meta({ description: 'E.g. UU 27/2022 PDP Ps 8.' }),
    requestRef: P.PersonalDataErased.shape.requestRef,
  }),
  RaiseFlags: z.object({
    checkpoint: P.FlagRaised.shape.checkpoint.meta({ description: 'The checkpoint (size and base64 root) the detection ran on; every evidence seq is below its size.' }),
    config: P.FlagRaised.shape.config.meta({ description: 'Id of the detector configuration (thresholds) the flags were computed with.' }),
    flags: z
      .array(P.FlagRaised.omit({ checkpoint: true, config: true }))
      .min(1)
      .max(MAX_FLAGS_PER_COMMAND)
      .meta({ description: `The flags found, at most ${MAX_FLAGS_PER_COMMAND}; those already raised are skipped.` }),
  }),
  DisposeFlag: z.object({
    flagId: P.FlagDisposed.shape.flagId.meta({ description: 'Id of the raised flag (32 hex).' }),
    status: P.FlagDisposed.shape.status.meta({ description: 'The outcome of the review; the latest disposition is in force.' }),
    reason,
    reference: P.FlagDisposed.shape.reference.meta({ description: 'E.g. the number of the inspection report or the referral letter.' }),
  }),
  /** Computed by the service from the ledger itself (commitCompleteness in @casn/api), never typed in. */
  CommitStreamHeads: z.object({
    asOf: P.StreamHeadsCommitted.shape.asOf.meta({ description: 'The commitment covers every entry with seq < asOf.' }),
    groups: P.StreamHeadsCommitted.shape.groups.meta({ description: 'Number of group records (the period-wide group and one per formation).' }),
    streams: P.StreamHeadsCommitted.shape.streams.meta({ description: 'Number of streams with an entry below asOf.' }),
    root: P.StreamHeadsCommitted.shape.root.meta({ description: 'RFC 6962 root over the group records, 64 hex.' }),
  }),
} as const;

/** The schema of each directory command's fields (the HTTP request body). */
export const DirectoryCommands = {
  RegisterAgency: z.object({
    code: D.AgencyRegistered.shape.code.meta({ description: 'Agency code.' }),
    name: D.AgencyRegistered.shape.name,
    level: D.AgencyRegistered.shape.level,
  }),
  RegisterActor: z.object({
    actorId: D.ActorRegistered.shape.actorId,
    role: D.ActorRegistered.shape.role,
    agency: D.ActorRegistered.shape.agency.meta({ description: 'Registered agency for officer, supervisor and portal; null for inspector, ombudsman and admin.' }),
    personal: D.ActorRegistered.shape.personal,
    indexes: D.ActorRegistered.shape.indexes,
  }),
  DeclareRelative: z.object({
    actorId: D.RelativeDeclared.shape.actorId,
    relation: D.RelativeDeclared.shape.relation,
    personal: D.RelativeDeclared.shape.personal,
    indexes: D.RelativeDeclared.shape.indexes.meta({ description: 'Blind indexes of the relative; at least one.' }),
  }),
  DeactivateActor: z.object({ actorId: D.ActorDeactivated.shape.actorId, reason: D.ActorDeactivated.shape.reason }),
  ErasePersonalData: z.object({
    actorId: D.ActorRegistered.shape.actorId,
    subject: D.PersonalDataErased.shape.subject.optional().meta({ description: "Subject to erase: the actor's own (default) or a declared relative's." }),
    legalBasis: D.PersonalDataErased.shape.legalBasis,
    requestRef: D.PersonalDataErased.shape.requestRef,
  }),
} as const;

export type PeriodCommandType = keyof typeof PeriodCommands;
export type DirectoryCommandType = keyof typeof DirectoryCommands;

/** A period command, discriminated by type. */
export type PeriodCommand = { [K in PeriodCommandType]: { type: K } & z.infer<(typeof PeriodCommands)[K]> }[PeriodCommandType];
/** A directory command, discriminated by type. */
export type DirectoryCommand = { [K in DirectoryCommandType]: { type: K } & z.infer<(typeof DirectoryCommands)[K]> }[DirectoryCommandType];

function union<R extends Record<string, z.ZodObject>>(record: R) {
  const members = Object.entries(record).map(([type, schema]) => schema.extend({ type: z.literal(type) }));
  return z.discriminatedUnion('type', members as unknown as [z.ZodObject, ...z.ZodObject[]]);
}

/** Parses a whole period command (`{ type, ...fields }`). */
export const PeriodCommand = union(PeriodCommands) as unknown as z.ZodType<PeriodCommand>;
/** Parses a whole directory command (`{ type, ...fields }`). */
export const DirectoryCommand = union(DirectoryCommands) as unknown as z.ZodType<DirectoryCommand>;
