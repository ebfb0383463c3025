import { periodEvent, upsert, type Column } from './sql.ts';
import type { ParsedEntry, Projection, QueryFn } from './types.ts';

const COLUMNS: readonly Column[] = [
  ['ledger_id', 'integer'],
  ['actor_id', 'text'],
  ['seq', 'bigint'],
  ['type', 'text'],
  ['at', 'timestamptz'],
  ['application_id', 'text'],
  ['formation_id', 'text'],
];

function subject(entry: ParsedEntry): { applicationId: string | null; formationId: string | null } {
  const e = periodEvent(entry);
  if (!e) return { applicationId: null, formationId: null };
  if (e.type === 'ReplacementAppointed') return { applicationId: e.payload.replacementApplicationId, formationId: e.payload.formationId };
  return {
    applicationId: 'applicationId' in e.payload ? e.payload.applicationId : null,
    formationId: 'formationId' in e.payload ? (e.payload.formationId ?? null) : null,
  };
}

/** Every entry of a period by the actor who recorded it, with the application and formation it concerns. */
export const officerActivityProjection: Projection = {
  name: 'officer-activity',

  async apply(query: QueryFn, ledgerId: number, entries: readonly ParsedEntry[]): Promise<void> {
    const known = entries.filter((e) => periodEvent(e) !== undefined);
    const subjects = known.map(subject);
    const earlier = new Set<string>();
    subjects.forEach((s, i) => {
      if (s.applicationId !== null && s.formationId === null && known[i]!.type !== 'ApplicationSubmitted') earlier.add(s.applicationId);
    });
    const formationOf = new Map<string, string>();
    if (earlier.size > 0) {
      const found = await query<{ application_id: string; formation_id: string }>(
        `SELECT application_id, formation_id FROM rm_officer_activity
          WHERE ledger_id = $1 AND application_id = ANY($2::text[]) AND type = 'ApplicationSubmitted' ORDER BY seq`,
        [ledgerId, [...earlier]],
      );
      for (const f of found) formationOf.set(f.application_id, f.formation_id);
    }
    const rows = known.map((entry, i) => {
      const s = subjects[i]!;
      if (entry.type === 'ApplicationSubmitted' && s.applicationId !== null && s.formationId !== null) formationOf.set(s.applicationId, s.formationId);
      return {
        ledger_id: ledgerId,
        actor_id: entry.actor.id,
        seq: entry.seq,
        type: entry.type,
        at: entry.at,
        application_id: s.applicationId,
        formation_id: s.formationId ?? (s.applicationId === null ? null : (formationOf.get(s.applicationId) ?? null)),
      };
    });
    await upsert(query, 'rm_officer_activity', COLUMNS, ['ledger_id', 'seq'], rows);
  },

  async reset(query: QueryFn, ledgerId: number): Promise<void> {
    await query('DELETE FROM rm_officer_activity WHERE ledger_id = $1', [ledgerId]);
  },
};
