import type { Database } from '@casn/event-store';
import type { CompetencyScores, SkbMark, SkdScores } from './applications.ts';
import { iso, num } from './sql.ts';

/** What the read helpers need of a database. */
export type Queryable = Pick<Database, 'query'>;

/** An application as the read model holds it. */
export interface ApplicationView {
  applicationId: string;
  formationId: string;
  status: string;
  verdict: string | null;
  submittedAt: string;
  channel: string;
  skdTwk: number | null;
  skdTiu: number | null;
  skdTkp: number | null;
  skdTotal: number | null;
  skdManual: SkdScores | null;
  skdCat: SkdScores | null;
  skdManualTotal: number | null;
  skdCatTotal: number | null;
  skdDiscrepancy: boolean;
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

/** One entry of an application's timeline. */
export interface TimelineItem {
  seq: number;
  type: string;
  at: string;
  actorId: string;
  actorRole: string;
  summary: Record<string, unknown>;
}

/** One recorded action of an actor. */
export interface ActivityItem {
  seq: number;
  type: string;
  at: string;
  applicationId: string | null;
  formationId: string | null;
}

/** A formation as announced and amended. */
export interface FormationView {
  formationId: string;
  jabatan: string;
  unit: string;
  location: string;
  track: string;
  quota: number;
  education: string[];
  amendments: number;
  applicants: number;
  lastSeq: number;
}

/** A formation's latest decided ranking and SKD cut, each with the seq of its decision (null when none). */
export interface FormationRanking {
  formationId: string;
  rankingSeq: number | null;
  ranking: { applicationId: string; rank: number; finalScore: number }[];
  skdCutSeq: number | null;
  skdCut: { applicationId: string; rank: number | null; total: number | null; code: string }[];
}

const LEDGER = 'ledger_id = (SELECT id FROM ledgers WHERE origin = $1)';
const UNRANKED = 2147483647;

const APPLICATION_COLUMNS = `application_id, formation_id, status, verdict, submitted_at, channel, skd_twk, skd_tiu, skd_tkp, skd_total,
  skd_manual, skd_cat, skd_manual_total, skd_cat_total, skd_discrepancy, cut_code, skb, competency, rank, final_score, final_code,
  announced_code, sanggah, erased, pppk_category, replaces, last_seq, updated_at`;

type Row = Record<string, unknown>;

function application(r: Row): ApplicationView {
  return {
    applicationId: r.application_id as string,
    formationId: r.formation_id as string,
    status: r.status as string,
    verdict: r.verdict as string | null,
    submittedAt: iso(r.submitted_at),
    channel: r.channel as string,
    skdTwk: num(r.skd_twk),
    skdTiu: num(r.skd_tiu),
    skdTkp: num(r.skd_tkp),
    skdTotal: num(r.skd_total),
    skdManual: r.skd_manual as SkdScores | null,
    skdCat: r.skd_cat as SkdScores | null,
    skdManualTotal: num(r.skd_manual_total),
    skdCatTotal: num(r.skd_cat_total),
    skdDiscrepancy: r.skd_discrepancy as boolean,
    cutCode: r.cut_code as string | null,
    skb: r.skb as Record<string, SkbMark[]>,
    competency: r.competency as CompetencyScores | null,
    rank: num(r.rank),
    finalScore: num(r.final_score),
    finalCode: r.final_code as string | null,
    announcedCode: r.announced_code as string | null,
    sanggah: r.sanggah as string,
    erased: r.erased as boolean,
    pppkCategory: r.pppk_category as string | null,
    replaces: r.replaces as string | null,
    lastSeq: Number(r.last_seq),
    updatedAt: iso(r.updated_at),
  };
}

/**
 * Applications of a period, `limit` at a time after the application `after`: of one
 * formation in rank order (unranked last, then by id), otherwise in id order.
 */
export async function listApplications(
  db: Queryable,
  origin: string,
  opts: { formationId?: string; status?: string; limit: number; after?: string },
): Promise<ApplicationView[]> {
  const params: unknown[] = [origin];
  const where = [LEDGER];
  const param = (v: unknown): string => `$${params.push(v)}`;
  const byRank = opts.formationId !== undefined;
  if (opts.formationId !== undefined) where.push(`formation_id = ${param(opts.formationId)}`);
  if (opts.status !== undefined) where.push(`status = ${param(opts.status)}`);
  if (opts.after !== undefined) {
    const after = param(opts.after);
    where.push(
      byRank
        ? `(COALESCE(rank, ${UNRANKED}), application_id) > (SELECT COALESCE(c.rank, ${UNRANKED}), c.application_id FROM rm_applications c WHERE c.${LEDGER} AND c.application_id = ${after})`
        : `application_id > ${after}`,
    );
  }
  const order = byRank ? `COALESCE(rank, ${UNRANKED}), application_id` : 'application_id';
  const rows = await db.query<Row>(
    `SELECT ${APPLICATION_COLUMNS} FROM rm_applications WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${param(opts.limit)}`,
    params,
  );
  return rows.map(application);
}

/** One application, or undefined when the read model has none. */
export async function getApplication(db: Queryable, origin: string, applicationId: string): Promise<ApplicationView | undefined> {
  const [row] = await db.query<Row>(`SELECT ${APPLICATION_COLUMNS} FROM rm_applications WHERE ${LEDGER} AND application_id = $2`, [origin, applicationId]);
  return row && application(row);
}

/** Everything recorded about an application, in ledger order. */
export async function timeline(db: Queryable, origin: string, applicationId: string): Promise<TimelineItem[]> {
  const rows = await db.query<Row>(
    `SELECT seq, type, at, actor_id, actor_role, summary - 'subject' AS summary FROM rm_timeline
      WHERE ${LEDGER} AND application_id = $2 ORDER BY seq`,
    [origin, applicationId],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    type: r.type as string,
    at: iso(r.at),
    actorId: r.actor_id as string,
    actorRole: r.actor_role as string,
    summary: r.summary as Record<string, unknown>,
  }));
}

/** The latest decided ranking of a formation and its SKD cut. */
export async function formationRanking(db: Queryable, origin: string, formationId: string): Promise<FormationRanking> {
  const ranking = await db.query<Row>(
    `SELECT application_id, rank, final_score, seq FROM rm_rankings WHERE ${LEDGER} AND formation_id = $2 ORDER BY rank, application_id`,
    [origin, formationId],
  );
  const cut = await db.query<Row>(
    `SELECT application_id, rank, total, code, seq FROM rm_skd_cut WHERE ${LEDGER} AND formation_id = $2
      ORDER BY COALESCE(rank, ${UNRANKED}), application_id`,
    [origin, formationId],
  );
  return {
    formationId,
    rankingSeq: ranking[0] ? Number(ranking[0].seq) : null,
    ranking: ranking.map((r) => ({ applicationId: r.application_id as string, rank: Number(r.rank), finalScore: Number(r.final_score) })),
    skdCutSeq: cut[0] ? Number(cut[0].seq) : null,
    skdCut: cut.map((r) => ({ applicationId: r.application_id as string, rank: num(r.rank), total: num(r.total), code: r.code as string })),
  };
}

/** An actor's recorded actions in a period, newest first, `limit` at a time before seq `before`. */
export async function officerActivity(
  db: Queryable,
  origin: string,
  actorId: string,
  opts: { limit: number; before?: number },
): Promise<ActivityItem[]> {
  const rows = await db.query<Row>(
    `SELECT seq, type, at, application_id, formation_id FROM rm_officer_activity
      WHERE ${LEDGER} AND actor_id = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4`,
    [origin, actorId, opts.before ?? Number.MAX_SAFE_INTEGER, opts.limit],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    type: r.type as string,
    at: iso(r.at),
    applicationId: r.application_id as string | null,
    formationId: r.formation_id as string | null,
  }));
}

/** The formations of a period, by id. */
export async function listFormations(db: Queryable, origin: string): Promise<FormationView[]> {
  const rows = await db.query<Row>(
    `SELECT formation_id, jabatan, unit, location, track, quota, education, amendments, applicants, last_seq
       FROM rm_formations WHERE ${LEDGER} ORDER BY formation_id`,
    [origin],
  );
  return rows.map((r) => ({
    formationId: r.formation_id as string,
    jabatan: r.jabatan as string,
    unit: r.unit as string,
    location: r.location as string,
    track: r.track as string,
    quota: Number(r.quota),
    education: r.education as string[],
    amendments: Number(r.amendments),
    applicants: Number(r.applicants),
    lastSeq: Number(r.last_seq),
  }));
}

/** Applications whose manually recorded SKD differs from the imported CAT value, by id. */
export async function discrepancies(db: Queryable, origin: string): Promise<ApplicationView[]> {
  const rows = await db.query<Row>(
    `SELECT ${APPLICATION_COLUMNS} FROM rm_applications WHERE ${LEDGER} AND skd_discrepancy ORDER BY application_id`,
    [origin],
  );
  return rows.map(application);
}
