/**
 * score-after-lock: a score (SKD, SKB part or PPPK competency) recorded after its stage's
 * results were published for the application's formation (or for all), unless the
 * application has an accepted sanggah AND the score cites an approval reference. The domain
 * already refuses a post-publication score without a reference; a reference alone (no
 * accepted objection) is exactly the Muna pattern: results changed after the fact on paper.
 */
import { makeFlag } from '../flag.ts';
import { bool, firstActor, firstApp, str } from '../text.ts';
import type { Bilingual, DetectionInput, Detector, Flag } from '../types.ts';
import { viewOf } from '../view.ts';
import type { ViewEntry } from '../view.ts';

const ID = 'score-after-lock';
const VERSION = '1';

type LockStage = 'skd' | 'skb' | 'kompetensi';

/** First publication seq of each locking stage: for all formations, and per formation. */
interface Locks {
  all: number | null;
  readonly byFormation: Map<string, number>;
}

/** True when two score entries are values of the same score (same event type; for SKB the same part and examiner). */
function sameKind(a: ViewEntry, b: ViewEntry): boolean {
  if (a.event.type !== b.event.type) return false;
  if (a.event.type !== 'SkbScoreRecorded' || b.event.type !== 'SkbScoreRecorded') return true;
  return a.event.payload.part === b.event.payload.part && a.event.payload.examiner === b.event.payload.examiner;
}

function detect(input: DetectionInput): Flag[] {
  const view = viewOf(input.entries);
  const locks: Record<LockStage, Locks> = {
    skd: { all: null, byFormation: new Map() },
    skb: { all: null, byFormation: new Map() },
    kompetensi: { all: null, byFormation: new Map() },
  };
  const lockOf = (stage: LockStage, formationId: string): number | null => {
    const l = locks[stage];
    const f = l.byFormation.get(formationId);
    return l.all === null ? (f ?? null) : f === undefined ? l.all : Math.min(l.all, f);
  };
  // Accepted sanggah per application (seq), and each application's score entries (to find the value a score replaces).
  const accepted = new Map<string, number>();
  const history = new Map<string, ViewEntry[]>();
  const flags: Flag[] = [];

  for (const v of view.events) {
    const { entry, event } = v;
    let stage: LockStage;
    if (event.type === 'ResultsPublished') {
      const p = event.payload;
      if (p.stage !== 'skd' && p.stage !== 'skb' && p.stage !== 'kompetensi') continue;
      const l = locks[p.stage];
      if (p.formationId === undefined) l.all ??= entry.seq;
      else if (!l.byFormation.has(p.formationId)) l.byFormation.set(p.formationId, entry.seq);
      continue;
    }
    if (event.type === 'SanggahDecided') {
      if (event.payload.accepted && !accepted.has(event.payload.applicationId)) accepted.set(event.payload.applicationId, entry.seq);
      continue;
    }
    if (event.type === 'SkdScoreRecorded') stage = 'skd';
    else if (event.type === 'SkbScoreRecorded') stage = 'skb';
    else if (event.type === 'CompetencyScoreRecorded') stage = 'kompetensi';
    else continue;
    const p = event.payload;
    const earlier = history.get(p.applicationId);
    if (earlier) earlier.push(v);
    else history.set(p.applicationId, [v]);
    const app = view.apps.get(p.applicationId);
    if (!app) continue;
    const lock = lockOf(stage, app.formationId);
    if (lock === null) continue;
    const sanggah = accepted.get(p.applicationId);
    const approval = p.approvalRef !== undefined;
    if (sanggah !== undefined && approval) continue;
    // The value this one replaces: the latest earlier score of the same kind (for SKB: part and examiner).
    const list = history.get(p.applicationId)!;
    const before = list.findLast((x) => x !== v && sameKind(x, v))?.entry.seq;
    flags.push(
      makeFlag(ID, VERSION, {
        key: `${p.applicationId}:${entry.seq}`,
        severity: 'high',
        entries: [lock, entry.seq, ...(before !== undefined ? [before] : []), ...(sanggah !== undefined ? [sanggah] : [])],
        actors: [entry.actor.id],
        applications: [p.applicationId],
        formationId: app.formationId,
        facts: {
          stage,
          score: event.type === 'SkbScoreRecorded' ? `skb-${event.payload.part}` : stage,
          source: p.source,
          approvalRef: approval,
          sanggahAccepted: sanggah !== undefined,
          changed: before !== undefined,
          publicationSeq: lock,
        },
      }),
    );
  }
  return flags;
}

const STAGE_TEXT: Readonly<Record<string, Bilingual>> = {
  skd: { id: 'SKD', en: 'SKD' },
  skb: { id: 'SKB', en: 'SKB' },
  kompetensi: { id: 'seleksi kompetensi', en: 'competency test' },
};

const SCORE_TEXT: Readonly<Record<string, Bilingual>> = {
  skd: { id: 'SKD', en: 'SKD' },
  'skb-cat': { id: 'SKB CAT', en: 'SKB CAT' },
  'skb-practical': { id: 'SKB praktik', en: 'SKB practical' },
  'skb-interview': { id: 'SKB wawancara', en: 'SKB interview' },
  'skb-psychology': { id: 'SKB psikotes', en: 'SKB psychology' },
  kompetensi: { id: 'kompetensi', en: 'competency' },
};

function explain(flag: Flag): Bilingual {
  const score = SCORE_TEXT[str(flag, 'score')] ?? { id: str(flag, 'score'), en: str(flag, 'score') };
  const stage = STAGE_TEXT[str(flag, 'stage')] ?? { id: str(flag, 'stage'), en: str(flag, 'stage') };
  const changedId = bool(flag, 'changed') ? 'mengubah' : 'mencatat';
  const changedEn = bool(flag, 'changed') ? 'changed' : 'recorded';
  const missingId = [bool(flag, 'sanggahAccepted') ? '' : 'sanggah yang diterima', bool(flag, 'approvalRef') ? '' : 'nomor persetujuan'].filter(Boolean).join(' maupun ');
  const missingEn = [bool(flag, 'sanggahAccepted') ? '' : 'an accepted sanggah', bool(flag, 'approvalRef') ? '' : 'an approval reference'].filter(Boolean).join(' or ');
  return {
    id: `${firstActor(flag)} ${changedId} nilai ${score.id} lamaran ${firstApp(flag)} setelah hasil ${stage.id} diumumkan (entri ${str(flag, 'publicationSeq')}), tanpa ${missingId}. Nilai yang telah diumumkan hanya boleh berubah melalui sanggah yang diterima dengan persetujuan Ketua Panselnas (PermenPANRB 28/2021 Pasal 31).`,
    en: `${firstActor(flag)} ${changedEn} the ${score.en} score of application ${firstApp(flag)} after the ${stage.en} results were published (entry ${str(flag, 'publicationSeq')}), without ${missingEn}. A published score may change only through an accepted sanggah with Ketua Panselnas approval (PermenPANRB 28/2021 Art. 31).`,
  };
}

/** The score-after-lock detector. */
export const scoreAfterLock: Detector = {
  id: ID,
  version: VERSION,
  severity: 'high',
  title: { id: 'Nilai diubah setelah diumumkan', en: 'Score changed after publication' },
  detect,
  explain,
};
