/**
 * ranking-skip: in a formation's latest ranking, an applicant whose latest final code is a
 * passing one (L, L-1, L-2, optimalisasi) ranked below an applicant whose latest code is TL
 * or missing, with nothing on the ledger explaining the skip (resignation — APS,
 * disqualification — DIS, absence — TH, TMS). The ranking already applies the official
 * tie-break and, for PPPK, the priority categories, so rank order is the merit order.
 */
import { PASSED_CODES } from '@casn/domain';
import type { FinalCode } from '@casn/domain';
import { makeFlag } from '../flag.ts';
import { num, str } from '../text.ts';
import type { Bilingual, DetectionInput, Detector, Flag } from '../types.ts';
import { viewOf } from '../view.ts';

const ID = 'ranking-skip';
const VERSION = '1';

/** Codes that explain why a higher-ranked applicant did not pass. */
const EXPLAINING: ReadonlySet<FinalCode> = new Set<FinalCode>(['APS', 'TMS', 'DIS', 'TH']);

function detect(input: DetectionInput): Flag[] {
  const view = viewOf(input.entries);
  const rankings = new Map<string, { seq: number; ranking: readonly { applicationId: string; rank: number }[] }>();
  const decisions = new Map<string, { code: FinalCode; seq: number; actor: string }>();
  // Facts recorded on the ledger that explain a non-pass: resigned, disqualified, absent, TMS in force.
  const explained = new Set<string>();
  const verdict = new Map<string, 'MS' | 'TMS'>();

  for (const { entry, event } of view.events) {
    if (event.type === 'RankingDecided') {
      rankings.set(event.payload.formationId, { seq: entry.seq, ranking: event.payload.ranking });
    } else if (event.type === 'FinalDecisionRecorded') {
      decisions.set(event.payload.applicationId, { code: event.payload.code, seq: entry.seq, actor: entry.actor.id });
    } else if (event.type === 'ApplicantResigned' || event.type === 'ApplicantDisqualified' || event.type === 'AbsenceRecorded') {
      explained.add(event.payload.applicationId);
    } else if (event.type === 'VerificationConfirmed' || event.type === 'Reverified') {
      verdict.set(event.payload.applicationId, event.payload.verdict);
    } else if (event.type === 'SanggahDecided' && event.payload.accepted && event.payload.newVerdict !== undefined) {
      verdict.set(event.payload.applicationId, event.payload.newVerdict);
    }
  }

  const flags: Flag[] = [];
  for (const [formationId, { seq, ranking }] of rankings) {
    const ordered = [...ranking].sort((a, b) => a.rank - b.rank || (a.applicationId < b.applicationId ? -1 : 1));
    // Walk down the ranking keeping the unexplained non-passers seen so far.
    const skipped: { applicationId: string; rank: number }[] = [];
    for (const r of ordered) {
      const d = decisions.get(r.applicationId);
      if (d && PASSED_CODES.includes(d.code)) {
        for (const s of skipped) {
          if (s.rank >= r.rank) continue;
          const sd = decisions.get(s.applicationId);
          flags.push(
            makeFlag(ID, VERSION, {
              key: `${formationId}:${r.applicationId}:${s.applicationId}`,
              severity: 'high',
              entries: [seq, d.seq, ...(sd ? [sd.seq] : [])],
              actors: [d.actor, ...(sd ? [sd.actor] : [])],
              applications: [r.applicationId, s.applicationId],
              formationId,
              facts: {
                passed: r.applicationId,
                passedRank: r.rank,
                passedCode: d.code,
                skipped: s.applicationId,
                skippedRank: s.rank,
                skippedCode: sd?.code ?? 'none',
                rankingSeq: seq,
                decidedBy: d.actor,
              },
            }),
          );
        }
        continue;
      }
      const code = d?.code;
      const unexplained = (code === undefined || code === 'TL') && !explained.has(r.applicationId) && verdict.get(r.applicationId) !== 'TMS';
      if (unexplained && (code === undefined || !EXPLAINING.has(code))) skipped.push(r);
    }
  }
  return flags;
}

function explain(flag: Flag): Bilingual {
  const code = str(flag, 'skippedCode');
  const codeId = code === 'none' ? 'tanpa keputusan' : code;
  const codeEn = code === 'none' ? 'no decision' : code;
  return {
    id: `Di formasi ${flag.formationId ?? '?'}, ${str(flag, 'passed')} (peringkat ${num(flag, 'passedRank')}) dinyatakan ${str(flag, 'passedCode')} oleh ${str(flag, 'decidedBy')}, sedangkan ${str(flag, 'skipped')} yang peringkatnya lebih tinggi (${num(flag, 'skippedRank')}) berstatus ${codeId} tanpa kode yang menjelaskan (APS, TMS, DIS, TH). Kelulusan harus mengikuti urutan peringkat.`,
    en: `In formation ${flag.formationId ?? '?'}, ${str(flag, 'passed')} (rank ${num(flag, 'passedRank')}) was given ${str(flag, 'passedCode')} by ${str(flag, 'decidedBy')}, while ${str(flag, 'skipped')}, ranked higher (${num(flag, 'skippedRank')}), has ${codeEn} and no explaining code (APS, TMS, DIS, TH). Passing must follow the rank order.`,
  };
}

/** The ranking-skip detector. */
export const rankingSkip: Detector = {
  id: ID,
  version: VERSION,
  severity: 'high',
  title: { id: 'Peringkat dilompati', en: 'Ranking skipped' },
  detect,
  explain,
};
