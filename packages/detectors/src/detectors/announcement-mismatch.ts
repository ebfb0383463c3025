/**
 * announcement-mismatch: a published list (ResultsAnnounced) that disagrees with the final
 * decisions recorded before it — a listed code differs from the application's latest
 * decision, an application is listed with no decision, or an applicant whose latest
 * decision is a pass is missing from the list. Decisions recorded after the announcement
 * (a replacement for a resignation) are compared with the next announcement, not this one.
 */
import { PASSED_CODES } from '@casn/domain';
import type { FinalCode } from '@casn/domain';
import { makeFlag } from '../flag.ts';
import { firstActor, str } from '../text.ts';
import type { Bilingual, DetectionInput, Detector, Flag } from '../types.ts';
import { viewOf } from '../view.ts';

const ID = 'announcement-mismatch';
const VERSION = '1';

function detect(input: DetectionInput): Flag[] {
  const view = viewOf(input.entries);
  const decisions = new Map<string, { code: FinalCode; seq: number }>();
  const resigned = new Set<string>();
  // Applications per formation with a decision, for the "passer missing" check.
  const decidedByFormation = new Map<string, Set<string>>();
  const flags: Flag[] = [];

  for (const { entry, event } of view.events) {
    if (event.type === 'FinalDecisionRecorded') {
      const id = event.payload.applicationId;
      decisions.set(id, { code: event.payload.code, seq: entry.seq });
      const f = view.apps.get(id)?.formationId;
      if (f !== undefined) (decidedByFormation.get(f) ?? decidedByFormation.set(f, new Set()).get(f)!).add(id);
    } else if (event.type === 'ApplicantResigned') {
      resigned.add(event.payload.applicationId);
    } else if (event.type === 'ResultsAnnounced') {
      const p = event.payload;
      const listed = new Set<string>();
      const add = (applicationId: string, announced: string, decision: { code: FinalCode; seq: number } | undefined): void => {
        flags.push(
          makeFlag(ID, VERSION, {
            key: `${p.formationId}:${applicationId}:${entry.seq}`,
            severity: 'high',
            entries: [entry.seq, ...(decision ? [decision.seq] : [])],
            actors: [entry.actor.id],
            applications: [applicationId],
            formationId: p.formationId,
            facts: { announced, decided: decision?.code ?? 'none', announcementSeq: entry.seq, reference: p.reference },
          }),
        );
      };
      for (const r of p.results) {
        listed.add(r.applicationId);
        const d = decisions.get(r.applicationId);
        // A resignation after passing is announced as APS; that is the decision, not a difference.
        if (d && (d.code === r.code || (r.code === 'APS' && resigned.has(r.applicationId)))) continue;
        add(r.applicationId, r.code, d);
      }
      for (const id of decidedByFormation.get(p.formationId) ?? []) {
        const d = decisions.get(id)!;
        if (!listed.has(id) && PASSED_CODES.includes(d.code) && !resigned.has(id)) add(id, 'not listed', d);
      }
    }
  }
  return flags;
}

function explain(flag: Flag): Bilingual {
  const app = flag.applications[0] ?? '?';
  const announced = str(flag, 'announced');
  const decided = str(flag, 'decided');
  const who = firstActor(flag);
  const ref = str(flag, 'reference');
  if (announced === 'not listed') {
    return {
      id: `Pengumuman “${ref}” untuk formasi ${flag.formationId ?? '?'} (oleh ${who}) tidak mencantumkan ${app}, padahal keputusan akhirnya ${decided}.`,
      en: `The announcement “${ref}” of formation ${flag.formationId ?? '?'} (by ${who}) omits ${app}, whose final decision is ${decided}.`,
    };
  }
  if (decided === 'none') {
    return {
      id: `Pengumuman “${ref}” untuk formasi ${flag.formationId ?? '?'} (oleh ${who}) mencantumkan ${app} dengan kode ${announced}, padahal belum ada keputusan akhir yang tercatat untuknya.`,
      en: `The announcement “${ref}” of formation ${flag.formationId ?? '?'} (by ${who}) lists ${app} as ${announced}, but no final decision was recorded for it.`,
    };
  }
  return {
    id: `Pengumuman “${ref}” untuk formasi ${flag.formationId ?? '?'} (oleh ${who}) mencantumkan ${app} dengan kode ${announced}, padahal keputusan akhir yang tercatat adalah ${decided}. Daftar yang diumumkan harus sama dengan hasil Panselnas.`,
    en: `The announcement “${ref}” of formation ${flag.formationId ?? '?'} (by ${who}) lists ${app} as ${announced}, but the recorded final decision is ${decided}. The published list must match the Panselnas result.`,
  };
}

/** The announcement-mismatch detector. */
export const announcementMismatch: Detector = {
  id: ID,
  version: VERSION,
  severity: 'high',
  title: { id: 'Pengumuman berbeda dengan keputusan', en: 'Announcement differs from the decisions' },
  detect,
  explain,
};
