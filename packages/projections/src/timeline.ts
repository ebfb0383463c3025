import type { PeriodEvent } from '@casn/domain';
import { periodEvent, upsert, type Column } from './sql.ts';
import type { ParsedEntry, Projection, QueryFn } from './types.ts';

const COLUMNS: readonly Column[] = [
  ['ledger_id', 'integer'],
  ['application_id', 'text'],
  ['seq', 'bigint'],
  ['type', 'text'],
  ['at', 'timestamptz'],
  ['actor_id', 'text'],
  ['actor_role', 'text'],
  ['summary', 'jsonb'],
];

type Summary = Record<string, unknown>;

/** Drops undefined fields so a summary stays small and its JSON stable. */
function compact(o: Summary): Summary {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * The application an event is about and a small summary without personal data, or
 * undefined for events about no single application. The subject of an application's
 * sealed data (a pseudonymous key id) is kept so that a later erasure can be placed.
 */
function describe(e: PeriodEvent): { applicationId: string; summary: Summary } | undefined {
  switch (e.type) {
    case 'ApplicationSubmitted': {
      const p = e.payload;
      return {
        applicationId: p.applicationId,
        summary: compact({ formationId: p.formationId, channel: p.channel, submittedAt: p.submittedAt, pppkCategory: p.pppkCategory, skdReusedFrom: p.skdReusedFrom, subject: p.personal.subject }),
      };
    }
    case 'PersonRegistered':
      return { applicationId: e.payload.applicationId, summary: {} };
    case 'DocumentsVerified':
    case 'Reverified': {
      const p = e.payload;
      const rejected = p.documents.filter((d) => d.verdict === 'TMS').map((d) => compact({ document: d.document, reason: d.reason }));
      return { applicationId: p.applicationId, summary: compact({ verdict: p.verdict, documents: p.documents.length, rejected, reason: 'reason' in p ? p.reason : undefined }) };
    }
    case 'VerificationConfirmed':
      return { applicationId: e.payload.applicationId, summary: compact({ verdict: e.payload.verdict, note: e.payload.note }) };
    case 'VerificationReturned':
    case 'SanggahFiled':
    case 'ApplicantResigned':
      return { applicationId: e.payload.applicationId, summary: { reason: e.payload.reason } };
    case 'SanggahDecided': {
      const p = e.payload;
      return { applicationId: p.applicationId, summary: compact({ accepted: p.accepted, reason: p.reason, newVerdict: p.newVerdict, approvalRef: p.approvalRef }) };
    }
    case 'SkdScoreRecorded': {
      const p = e.payload;
      return { applicationId: p.applicationId, summary: compact({ twk: p.twk, tiu: p.tiu, tkp: p.tkp, total: p.twk + p.tiu + p.tkp, source: p.source, approvalRef: p.approvalRef }) };
    }
    case 'SkbScoreRecorded': {
      const p = e.payload;
      return { applicationId: p.applicationId, summary: compact({ part: p.part, score: p.score, source: p.source, examiner: p.examiner, approvalRef: p.approvalRef }) };
    }
    case 'CompetencyScoreRecorded': {
      const { applicationId, ...scores } = e.payload;
      return { applicationId, summary: compact(scores) };
    }
    case 'AbsenceRecorded':
      return { applicationId: e.payload.applicationId, summary: { stage: e.payload.stage } };
    case 'ApplicantDisqualified':
      return { applicationId: e.payload.applicationId, summary: { reason: e.payload.reason, reference: e.payload.reference } };
    case 'FinalDecisionRecorded': {
      const p = e.payload;
      return { applicationId: p.applicationId, summary: compact({ code: p.code, reference: p.reference, reason: p.reason }) };
    }
    case 'ReplacementAppointed': {
      const p = e.payload;
      return { applicationId: p.replacementApplicationId, summary: { formationId: p.formationId, resignedApplicationId: p.resignedApplicationId, reference: p.reference } };
    }
    case 'PeriodOpened':
    case 'ScheduleAmended':
    case 'ResultsPublished':
    case 'FormationAnnounced':
    case 'FormationAmended':
    case 'SkdCutDecided':
    case 'RankingDecided':
    case 'ResultsAnnounced':
    case 'PersonalDataErased':
    case 'FlagRaised':
    case 'FlagDisposed':
    case 'StreamHeadsCommitted':
      return undefined;
  }
}

/** Each application's own entries, in ledger order, with small summaries. */
export const timelineProjection: Projection = {
  name: 'timeline',

  async apply(query: QueryFn, ledgerId: number, entries: readonly ParsedEntry[]): Promise<void> {
    const bySubject = new Map<string, string>();
    const erased = new Set<string>();
    for (const entry of entries) {
      const e = periodEvent(entry);
      if (e?.type === 'PersonalDataErased') erased.add(e.payload.subject);
    }
    if (erased.size > 0) {
      const found = await query<{ subject: string; application_id: string }>(
        `SELECT summary->>'subject' AS subject, application_id FROM rm_timeline
          WHERE ledger_id = $1 AND type = 'ApplicationSubmitted' AND summary->>'subject' = ANY($2::text[]) ORDER BY seq`,
        [ledgerId, [...erased]],
      );
      for (const f of found) if (!bySubject.has(f.subject)) bySubject.set(f.subject, f.application_id);
    }
    const rows: Record<string, unknown>[] = [];
    for (const entry of entries) {
      const e = periodEvent(entry);
      if (!e) continue;
      let described = describe(e);
      if (e.type === 'ApplicationSubmitted' && !bySubject.has(e.payload.personal.subject)) {
        bySubject.set(e.payload.personal.subject, e.payload.applicationId);
      }
      if (e.type === 'PersonalDataErased') {
        const applicationId = bySubject.get(e.payload.subject);
        if (applicationId) described = { applicationId, summary: { legalBasis: e.payload.legalBasis, requestRef: e.payload.requestRef } };
      }
      if (!described) continue;
      rows.push({
        ledger_id: ledgerId,
        application_id: described.applicationId,
        seq: entry.seq,
        type: entry.type,
        at: entry.at,
        actor_id: entry.actor.id,
        actor_role: entry.actor.role,
        summary: described.summary,
      });
    }
    await upsert(query, 'rm_timeline', COLUMNS, ['ledger_id', 'seq'], rows);
  },

  async reset(query: QueryFn, ledgerId: number): Promise<void> {
    await query('DELETE FROM rm_timeline WHERE ledger_id = $1', [ledgerId]);
  },
};
