import { iso, num, periodEvent, upsert, type Column } from './sql.ts';
import type { ParsedEntry, Projection, QueryFn } from './types.ts';

/** SKD sub-scores as recorded. */
export interface SkdScores {
  twk: number;
  tiu: number;
  tkp: number;
}

/** One recorded SKB score of a part. */
export interface SkbMark {
  score: number;
  examiner: string | null;
  source: string;
}

/** The effective PPPK competency scores (an imported CAT value wins over a manual one). */
export interface CompetencyScores {
  teknis: number;
  manajerial: number;
  sosialKultural: number;
  wawancara: number;
  source: string;
}

interface AppRow {
  applicationId: string;
  formationId: string;
  subject: string | null;
  status: string;
  verdict: string | null;
  submittedAt: string;
  channel: string;
  skdManual: SkdScores | null;
  skdCat: SkdScores | null;
  cutCode: string | null;
  skb: Record<string, SkbMark[]>;
  competency: CompetencyScores | null;
  rank: number | null;
  finalScore: number | null;
  finalCode: string | null;
  announcedCode: string | null;
  sanggah: string;
  erased: boolean;
  pppkCategory: string | null;
  replaces: string | null;
  lastSeq: number;
  updatedAt: string;
}

const COLUMNS: readonly Column[] = [
  ['ledger_id', 'integer'],
  ['application_id', 'text'],
  ['formation_id', 'text'],
  ['subject', 'text'],
  ['status', 'text'],
  ['verdict', 'text'],
  ['submitted_at', 'timestamptz'],
  ['channel', 'text'],
  ['skd_twk', 'integer'],
  ['skd_tiu', 'integer'],
  ['skd_tkp', 'integer'],
  ['skd_total', 'integer'],
  ['skd_manual', 'jsonb'],
  ['skd_cat', 'jsonb'],
  ['skd_manual_total', 'integer'],
  ['skd_cat_total', 'integer'],
  ['skd_discrepancy', 'boolean'],
  ['cut_code', 'text'],
  ['skb', 'jsonb'],
  ['competency', 'jsonb'],
  ['rank', 'integer'],
  ['final_score', 'double precision'],
  ['final_code', 'text'],
  ['announced_code', 'text'],
  ['sanggah', 'text'],
  ['erased', 'boolean'],
  ['pppk_category', 'text'],
  ['replaces', 'text'],
  ['last_seq', 'bigint'],
  ['updated_at', 'timestamptz'],
];

// Lifecycle order: a later-stage event never moves an application back to an earlier stage.
const ORDER: Readonly<Record<string, number>> = {
  submitted: 0,
  verified: 1,
  returned: 1,
  confirmed: 2,
  sanggah: 3,
  skd: 4,
  skb: 5,
  kompetensi: 5,
  absent: 6,
  ranked: 6,
  decided: 7,
};
const TERMINAL = new Set(['resigned', 'disqualified']);

const CONFIRMED = 2;
const SANGGAH = 3;

function advance(row: AppRow, status: string): void {
  if (!TERMINAL.has(row.status) && (ORDER[status] ?? 0) >= (ORDER[row.status] ?? 0)) row.status = status;
}

/** Sets a status of an early stage (verification, sanggah) while the application has not gone past `upTo`. */
function revisit(row: AppRow, status: string, upTo: number): void {
  if (!TERMINAL.has(row.status) && (ORDER[row.status] ?? 0) <= upTo) row.status = status;
}

const total = (s: SkdScores | null): number | null => (s ? s.twk + s.tiu + s.tkp : null);

function toRecord(ledgerId: number, r: AppRow): Record<string, unknown> {
  const effective = r.skdCat ?? r.skdManual;
  const discrepancy =
    r.skdCat !== null && r.skdManual !== null && (r.skdCat.twk !== r.skdManual.twk || r.skdCat.tiu !== r.skdManual.tiu || r.skdCat.tkp !== r.skdManual.tkp);
  return {
    ledger_id: ledgerId,
    application_id: r.applicationId,
    formation_id: r.formationId,
    subject: r.subject,
    status: r.status,
    verdict: r.verdict,
    submitted_at: r.submittedAt,
    channel: r.channel,
    skd_twk: effective?.twk ?? null,
    skd_tiu: effective?.tiu ?? null,
    skd_tkp: effective?.tkp ?? null,
    skd_total: total(effective),
    skd_manual: r.skdManual,
    skd_cat: r.skdCat,
    skd_manual_total: total(r.skdManual),
    skd_cat_total: total(r.skdCat),
    skd_discrepancy: discrepancy,
    cut_code: r.cutCode,
    skb: r.skb,
    competency: r.competency,
    rank: r.rank,
    final_score: r.finalScore,
    final_code: r.finalCode,
    announced_code: r.announcedCode,
    sanggah: r.sanggah,
    erased: r.erased,
    pppk_category: r.pppkCategory,
    replaces: r.replaces,
    last_seq: r.lastSeq,
    updated_at: r.updatedAt,
  };
}

interface DbRow {
  application_id: string;
  formation_id: string;
  subject: string | null;
  status: string;
  verdict: string | null;
  submitted_at: unknown;
  channel: string;
  skd_manual: SkdScores | null;
  skd_cat: SkdScores | null;
  cut_code: string | null;
  skb: Record<string, SkbMark[]>;
  competency: CompetencyScores | null;
  rank: unknown;
  final_score: unknown;
  final_code: string | null;
  announced_code: string | null;
  sanggah: string;
  erased: boolean;
  pppk_category: string | null;
  replaces: string | null;
  last_seq: unknown;
  updated_at: unknown;
}

function fromDb(r: DbRow): AppRow {
  return {
    applicationId: r.application_id,
    formationId: r.formation_id,
    subject: r.subject,
    status: r.status,
    verdict: r.verdict,
    submittedAt: iso(r.submitted_at),
    channel: r.channel,
    skdManual: r.skd_manual,
    skdCat: r.skd_cat,
    cutCode: r.cut_code,
    skb: r.skb,
    competency: r.competency,
    rank: num(r.rank),
    finalScore: num(r.final_score),
    finalCode: r.final_code,
    announcedCode: r.announced_code,
    sanggah: r.sanggah,
    erased: r.erased,
    pppkCategory: r.pppk_category,
    replaces: r.replaces,
    lastSeq: Number(r.last_seq),
    updatedAt: iso(r.updated_at),
  };
}

/** What rows a page touches: applications by id, whole formations (rankings, cuts) and erased subjects. */
function affected(entries: readonly ParsedEntry[]): { ids: Set<string>; formations: Set<string>; subjects: Set<string> } {
  const ids = new Set<string>();
  const formations = new Set<string>();
  const subjects = new Set<string>();
  for (const entry of entries) {
    const e = periodEvent(entry);
    if (!e) continue;
    switch (e.type) {
      case 'SkdCutDecided':
      case 'RankingDecided':
        formations.add(e.payload.formationId);
        break;
      case 'ResultsAnnounced':
        for (const r of e.payload.results) ids.add(r.applicationId);
        break;
      case 'ReplacementAppointed':
        ids.add(e.payload.replacementApplicationId);
        break;
      case 'PersonalDataErased':
        subjects.add(e.payload.subject);
        break;
      case 'FlagRaised':
      case 'FlagDisposed':
      case 'StreamHeadsCommitted':
        break;
      case 'ApplicationSubmitted':
      case 'DocumentsVerified':
      case 'VerificationConfirmed':
      case 'VerificationReturned':
      case 'Reverified':
      case 'SanggahFiled':
      case 'SanggahDecided':
      case 'SkdScoreRecorded':
      case 'SkbScoreRecorded':
      case 'CompetencyScoreRecorded':
      case 'AbsenceRecorded':
      case 'ApplicantDisqualified':
      case 'FinalDecisionRecorded':
      case 'ApplicantResigned':
        ids.add(e.payload.applicationId);
        break;
      case 'PeriodOpened':
      case 'ScheduleAmended':
      case 'ResultsPublished':
      case 'FormationAnnounced':
      case 'FormationAmended':
      case 'PersonRegistered':
        break;
    }
  }
  return { ids, formations, subjects };
}

/** One row per application: lifecycle status, effective verdict and scores, ranking and final result. */
export const applicationsProjection: Projection = {
  name: 'applications',

  async apply(query: QueryFn, ledgerId: number, entries: readonly ParsedEntry[]): Promise<void> {
    const { ids, formations, subjects } = affected(entries);
    if (ids.size + formations.size + subjects.size === 0) return;
    const loaded = await query<DbRow>(
      `SELECT * FROM rm_applications WHERE ledger_id = $1
         AND (application_id = ANY($2::text[]) OR formation_id = ANY($3::text[]) OR subject = ANY($4::text[]))`,
      [ledgerId, [...ids], [...formations], [...subjects]],
    );
    const rows = new Map(loaded.map((r) => [r.application_id, fromDb(r)]));
    const dirty = new Set<AppRow>();
    for (const entry of entries) reduce(rows, dirty, entry);
    await upsert(query, 'rm_applications', COLUMNS, ['ledger_id', 'application_id'], [...dirty].map((r) => toRecord(ledgerId, r)));
  },

  async reset(query: QueryFn, ledgerId: number): Promise<void> {
    await query('DELETE FROM rm_applications WHERE ledger_id = $1', [ledgerId]);
  },
};

function reduce(rows: Map<string, AppRow>, dirty: Set<AppRow>, entry: ParsedEntry): void {
  const e = periodEvent(entry);
  if (!e) return;
  const touch = (row: AppRow): AppRow => {
    row.lastSeq = entry.seq;
    row.updatedAt = entry.at;
    dirty.add(row);
    return row;
  };
  const row = (id: string): AppRow | undefined => {
    const r = rows.get(id);
    return r && touch(r);
  };
  const ofFormation = (formationId: string): AppRow[] => [...rows.values()].filter((r) => r.formationId === formationId);
  switch (e.type) {
    case 'ApplicationSubmitted': {
      const p = e.payload;
      const r: AppRow = {
        applicationId: p.applicationId,
        formationId: p.formationId,
        subject: p.personal.subject,
        status: 'submitted',
        verdict: null,
        submittedAt: p.submittedAt,
        channel: p.channel,
        skdManual: null,
        skdCat: null,
        cutCode: null,
        skb: {},
        competency: null,
        rank: null,
        finalScore: null,
        finalCode: null,
        announcedCode: null,
        sanggah: 'none',
        erased: false,
        pppkCategory: p.pppkCategory ?? null,
        replaces: null,
        lastSeq: entry.seq,
        updatedAt: entry.at,
      };
      rows.set(r.applicationId, touch(r));
      return;
    }
    case 'DocumentsVerified':
    case 'VerificationConfirmed': {
      const r = row(e.payload.applicationId);
      if (!r) return;
      r.verdict = e.payload.verdict;
      revisit(r, e.type === 'DocumentsVerified' ? 'verified' : 'confirmed', CONFIRMED);
      return;
    }
    case 'VerificationReturned': {
      const r = row(e.payload.applicationId);
      if (!r) return;
      r.verdict = null;
      revisit(r, 'returned', CONFIRMED);
      return;
    }
    case 'Reverified': {
      const r = row(e.payload.applicationId);
      if (r) r.verdict = e.payload.verdict;
      return;
    }
    case 'SanggahFiled': {
      const r = row(e.payload.applicationId);
      if (!r) return;
      r.sanggah = 'filed';
      revisit(r, 'sanggah', SANGGAH);
      return;
    }
    case 'SanggahDecided': {
      const r = row(e.payload.applicationId);
      if (!r) return;
      r.sanggah = e.payload.accepted ? 'accepted' : 'rejected';
      if (e.payload.newVerdict) r.verdict = e.payload.newVerdict;
      if (r.status === 'sanggah') r.status = 'confirmed';
      return;
    }
    case 'SkdScoreRecorded': {
      const r = row(e.payload.applicationId);
      if (!r) return;
      const scores = { twk: e.payload.twk, tiu: e.payload.tiu, tkp: e.payload.tkp };
      if (e.payload.source === 'cat') r.skdCat = scores;
      else r.skdManual = scores;
      advance(r, 'skd');
      return;
    }
    case 'SkbScoreRecorded': {
      const r = row(e.payload.applicationId);
      if (!r) return;
      const p = e.payload;
      r.skb = { ...r.skb, [p.part]: [...(r.skb[p.part] ?? []), { score: p.score, examiner: p.examiner ?? null, source: p.source }] };
      advance(r, 'skb');
      return;
    }
    case 'CompetencyScoreRecorded': {
      const r = row(e.payload.applicationId);
      if (!r) return;
      const p = e.payload;
      if (p.source === 'cat' || r.competency?.source !== 'cat') {
        r.competency = { teknis: p.teknis, manajerial: p.manajerial, sosialKultural: p.sosialKultural, wawancara: p.wawancara, source: p.source };
      }
      advance(r, 'kompetensi');
      return;
    }
    case 'AbsenceRecorded': {
      const r = row(e.payload.applicationId);
      if (r) advance(r, 'absent');
      return;
    }
    case 'ApplicantDisqualified':
    case 'ApplicantResigned': {
      const r = row(e.payload.applicationId);
      if (r) r.status = e.type === 'ApplicantDisqualified' ? 'disqualified' : 'resigned';
      return;
    }
    case 'FinalDecisionRecorded': {
      const r = row(e.payload.applicationId);
      if (!r) return;
      r.finalCode = e.payload.code;
      advance(r, 'decided');
      return;
    }
    case 'SkdCutDecided': {
      const codes = new Map(e.payload.results.map((x) => [x.applicationId, x.code]));
      for (const r of ofFormation(e.payload.formationId)) {
        const code = codes.get(r.applicationId) ?? null;
        if (code !== r.cutCode) touch(r).cutCode = code;
      }
      return;
    }
    case 'RankingDecided': {
      const ranked = new Map(e.payload.ranking.map((x) => [x.applicationId, x]));
      for (const r of ofFormation(e.payload.formationId)) {
        const x = ranked.get(r.applicationId);
        if (x) {
          touch(r);
          r.rank = x.rank;
          r.finalScore = x.final;
          advance(r, 'ranked');
        } else if (r.rank !== null || r.finalScore !== null) {
          touch(r);
          r.rank = null;
          r.finalScore = null;
        }
      }
      return;
    }
    case 'ResultsAnnounced':
      for (const x of e.payload.results) {
        const r = row(x.applicationId);
        if (r) r.announcedCode = x.code;
      }
      return;
    case 'ReplacementAppointed': {
      const r = row(e.payload.replacementApplicationId);
      if (r) r.replaces = e.payload.resignedApplicationId;
      return;
    }
    case 'PersonalDataErased':
      for (const r of rows.values()) if (r.subject === e.payload.subject) touch(r).erased = true;
      return;
    case 'PeriodOpened':
    case 'ScheduleAmended':
    case 'ResultsPublished':
    case 'FormationAnnounced':
    case 'FormationAmended':
    case 'PersonRegistered':
    case 'FlagRaised':
    case 'FlagDisposed':
    case 'StreamHeadsCommitted':
      return;
  }
}
