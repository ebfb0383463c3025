import { periodEvent, upsert, type Column } from './sql.ts';
import type { ParsedEntry, Projection, QueryFn } from './types.ts';

const COLUMNS: readonly Column[] = [
  ['ledger_id', 'integer'],
  ['formation_id', 'text'],
  ['jabatan', 'text'],
  ['unit', 'text'],
  ['location', 'text'],
  ['track', 'text'],
  ['quota', 'integer'],
  ['education', 'jsonb'],
  ['amendments', 'integer'],
  ['applicants', 'integer'],
  ['last_seq', 'bigint'],
];

interface FormationRow {
  formation_id: string;
  jabatan: string;
  unit: string;
  location: string;
  track: string;
  quota: number;
  education: string[];
  amendments: number;
  applicants: number;
  last_seq: number;
}

/** Formations as announced and amended, with their number of applicants. */
export const formationsProjection: Projection = {
  name: 'formations',

  async apply(query: QueryFn, ledgerId: number, entries: readonly ParsedEntry[]): Promise<void> {
    const ids = new Set<string>();
    for (const entry of entries) {
      const e = periodEvent(entry);
      if (e?.type === 'FormationAnnounced' || e?.type === 'FormationAmended' || e?.type === 'ApplicationSubmitted') ids.add(e.payload.formationId);
    }
    if (ids.size === 0) return;
    const loaded = await query<FormationRow>(
      `SELECT formation_id, jabatan, unit, location, track, quota, education, amendments, applicants, last_seq
         FROM rm_formations WHERE ledger_id = $1 AND formation_id = ANY($2::text[])`,
      [ledgerId, [...ids]],
    );
    const rows = new Map(loaded.map((r) => [r.formation_id, { ...r, last_seq: Number(r.last_seq) }]));
    const dirty = new Set<FormationRow>();
    for (const entry of entries) {
      const e = periodEvent(entry);
      if (!e) continue;
      if (e.type === 'FormationAnnounced') {
        const p = e.payload;
        const previous = rows.get(p.formationId);
        const row: FormationRow = {
          formation_id: p.formationId,
          jabatan: p.jabatan,
          unit: p.unit,
          location: p.location,
          track: p.track,
          quota: p.quota,
          education: p.education,
          amendments: previous?.amendments ?? 0,
          applicants: previous?.applicants ?? 0,
          last_seq: entry.seq,
        };
        rows.set(p.formationId, row);
        dirty.add(row);
      } else if (e.type === 'FormationAmended') {
        const row = rows.get(e.payload.formationId);
        if (!row) continue;
        const c = e.payload.changes;
        if (c.jabatan !== undefined) row.jabatan = c.jabatan;
        if (c.unit !== undefined) row.unit = c.unit;
        if (c.location !== undefined) row.location = c.location;
        if (c.education !== undefined) row.education = c.education;
        if (c.quota !== undefined) row.quota = c.quota;
        row.amendments++;
        row.last_seq = entry.seq;
        dirty.add(row);
      } else if (e.type === 'ApplicationSubmitted') {
        const row = rows.get(e.payload.formationId);
        if (!row) continue;
        row.applicants++;
        row.last_seq = entry.seq;
        dirty.add(row);
      }
    }
    await upsert(query, 'rm_formations', COLUMNS, ['ledger_id', 'formation_id'], [...dirty].map((r) => ({ ledger_id: ledgerId, ...r })));
  },

  async reset(query: QueryFn, ledgerId: number): Promise<void> {
    await query('DELETE FROM rm_formations WHERE ledger_id = $1', [ledgerId]);
  },
};
