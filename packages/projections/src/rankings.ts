import { periodEvent, upsert, type Column } from './sql.ts';
import type { ParsedEntry, Projection, QueryFn } from './types.ts';

const RANKING_COLUMNS: readonly Column[] = [
  ['ledger_id', 'integer'],
  ['formation_id', 'text'],
  ['application_id', 'text'],
  ['rank', 'integer'],
  ['final_score', 'double precision'],
  ['seq', 'bigint'],
];

const CUT_COLUMNS: readonly Column[] = [
  ['ledger_id', 'integer'],
  ['formation_id', 'text'],
  ['application_id', 'text'],
  ['rank', 'integer'],
  ['total', 'integer'],
  ['code', 'text'],
  ['seq', 'bigint'],
];

type Rows = Map<string, Map<string, Record<string, unknown>>>;

/** Replaces a formation's rows with those of its latest decision in the page; a later duplicate application wins. */
async function replace(query: QueryFn, table: string, columns: readonly Column[], ledgerId: number, latest: Rows): Promise<void> {
  if (latest.size === 0) return;
  await query(`DELETE FROM ${table} WHERE ledger_id = $1 AND formation_id = ANY($2::text[])`, [ledgerId, [...latest.keys()]]);
  const rows = [...latest.values()].flatMap((m) => [...m.values()]);
  await upsert(query, table, columns, ['ledger_id', 'formation_id', 'application_id'], rows);
}

/** The latest decided ranking and SKD cut of each formation. */
export const rankingsProjection: Projection = {
  name: 'rankings',

  async apply(query: QueryFn, ledgerId: number, entries: readonly ParsedEntry[]): Promise<void> {
    const rankings: Rows = new Map();
    const cuts: Rows = new Map();
    for (const entry of entries) {
      const e = periodEvent(entry);
      if (e?.type === 'RankingDecided') {
        const { formationId, ranking } = e.payload;
        rankings.set(
          formationId,
          new Map(ranking.map((r) => [r.applicationId, { ledger_id: ledgerId, formation_id: formationId, application_id: r.applicationId, rank: r.rank, final_score: r.final, seq: entry.seq }])),
        );
      } else if (e?.type === 'SkdCutDecided') {
        const { formationId, results } = e.payload;
        cuts.set(
          formationId,
          new Map(results.map((r) => [r.applicationId, { ledger_id: ledgerId, formation_id: formationId, application_id: r.applicationId, rank: r.rank, total: r.total, code: r.code, seq: entry.seq }])),
        );
      }
    }
    await replace(query, 'rm_rankings', RANKING_COLUMNS, ledgerId, rankings);
    await replace(query, 'rm_skd_cut', CUT_COLUMNS, ledgerId, cuts);
  },

  async reset(query: QueryFn, ledgerId: number): Promise<void> {
    await query('DELETE FROM rm_rankings WHERE ledger_id = $1', [ledgerId]);
    await query('DELETE FROM rm_skd_cut WHERE ledger_id = $1', [ledgerId]);
  },
};
