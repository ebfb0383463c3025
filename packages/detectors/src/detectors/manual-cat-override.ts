/**
 * manual-cat-override: a hand-entered (source 'manual') SKD, SKB-CAT or PPPK competency
 * score that differs from the CAT BKN value for the same application. These scores are
 * machine-generated and live-scored, so nobody should type them; a typed value that the
 * CAT contradicts is a flag whichever came first. Each manual value is compared with the
 * CAT value in force when it was typed, or else with the first CAT value imported after it.
 */
import { makeFlag } from '../flag.ts';
import { bool, firstActor, firstApp, num, str } from '../text.ts';
import type { Bilingual, DetectionInput, Detector, Flag } from '../types.ts';
import { push, viewOf } from '../view.ts';

const ID = 'manual-cat-override';
const VERSION = '1';

type Kind = 'skd' | 'skb-cat' | 'kompetensi';

const PARTS: Readonly<Record<Kind, readonly string[]>> = {
  skd: ['twk', 'tiu', 'tkp'],
  'skb-cat': ['score'],
  kompetensi: ['teknis', 'manajerial', 'sosialKultural', 'wawancara'],
};

/** One recorded value. */
interface Value {
  readonly seq: number;
  readonly actor: string;
  readonly source: 'manual' | 'cat';
  readonly parts: Readonly<Record<string, number>>;
}

function total(v: Value): number {
  return Object.values(v.parts).reduce((a, b) => a + b, 0);
}

function detect(input: DetectionInput): Flag[] {
  const view = viewOf(input.entries);
  const values = new Map<string, Value[]>();
  for (const { entry, event } of view.events) {
    let kind: Kind;
    let parts: Record<string, number>;
    if (event.type === 'SkdScoreRecorded') {
      kind = 'skd';
      parts = { twk: event.payload.twk, tiu: event.payload.tiu, tkp: event.payload.tkp };
    } else if (event.type === 'SkbScoreRecorded' && event.payload.part === 'cat') {
      kind = 'skb-cat';
      parts = { score: event.payload.score };
    } else if (event.type === 'CompetencyScoreRecorded') {
      const p = event.payload;
      kind = 'kompetensi';
      parts = { teknis: p.teknis, manajerial: p.manajerial, sosialKultural: p.sosialKultural, wawancara: p.wawancara };
    } else {
      continue;
    }
    push(values, `${event.payload.applicationId}\u0000${kind}`, { seq: entry.seq, actor: entry.actor.id, source: event.payload.source, parts });
  }

  const flags: Flag[] = [];
  for (const [k, list] of values) {
    if (!list.some((v) => v.source === 'manual') || !list.some((v) => v.source === 'cat')) continue;
    const [applicationId, kind] = k.split('\u0000') as [string, Kind];
    const seqs: number[] = [];
    const actors = new Set<string>();
    const differing = new Set<string>();
    let manualFirst = false;
    let delta = 0;
    let count = 0;
    let cat: Value | undefined;
    list.forEach((v, i) => {
      if (v.source === 'cat') {
        cat = v;
        return;
      }
      const reference = cat ?? list.slice(i + 1).find((x) => x.source === 'cat');
      if (!reference) return;
      const parts = PARTS[kind].filter((p) => v.parts[p] !== reference.parts[p]);
      if (parts.length === 0) return;
      if (count === 0) {
        manualFirst = reference.seq > v.seq;
        delta = Math.round((total(v) - total(reference)) * 10) / 10;
      }
      count += 1;
      for (const p of parts) differing.add(p);
      seqs.push(v.seq, reference.seq);
      actors.add(v.actor);
    });
    if (count === 0) continue;
    flags.push(
      makeFlag(ID, VERSION, {
        key: `${applicationId}:${kind}`,
        severity: 'high',
        entries: seqs,
        actors,
        applications: [applicationId],
        formationId: view.apps.get(applicationId)?.formationId,
        facts: {
          score: kind,
          parts: PARTS[kind].filter((p) => differing.has(p)).join(','),
          manualValues: count,
          manualFirst,
          totalDelta: delta,
        },
      }),
    );
  }
  return flags;
}

const KIND_TEXT: Readonly<Record<string, Bilingual>> = {
  skd: { id: 'SKD', en: 'SKD' },
  'skb-cat': { id: 'SKB CAT', en: 'SKB CAT' },
  kompetensi: { id: 'kompetensi PPPK', en: 'PPPK competency' },
};

const PART_TEXT: Readonly<Record<string, Bilingual>> = {
  twk: { id: 'TWK', en: 'TWK' },
  tiu: { id: 'TIU', en: 'TIU' },
  tkp: { id: 'TKP', en: 'TKP' },
  score: { id: 'nilai', en: 'score' },
  teknis: { id: 'teknis', en: 'technical' },
  manajerial: { id: 'manajerial', en: 'managerial' },
  sosialKultural: { id: 'sosial kultural', en: 'socio-cultural' },
  wawancara: { id: 'wawancara', en: 'interview' },
};

function explain(flag: Flag): Bilingual {
  const parts = (lang: 'id' | 'en'): string =>
    str(flag, 'parts')
      .split(',')
      .filter(Boolean)
      .map((p) => PART_TEXT[p]?.[lang] ?? p)
      .join(', ');
  const kind = KIND_TEXT[str(flag, 'score')] ?? { id: str(flag, 'score'), en: str(flag, 'score') };
  const d = num(flag, 'totalDelta');
  const signed = `${d > 0 ? '+' : ''}${d}`;
  const orderId = bool(flag, 'manualFirst') ? 'sebelum' : 'setelah';
  const orderEn = bool(flag, 'manualFirst') ? 'before' : 'after';
  return {
    id: `${firstActor(flag)} mengetik nilai ${kind.id} lamaran ${firstApp(flag)} secara manual ${orderId} impor CAT BKN, dan nilainya berbeda (${parts('id')}; selisih total ${signed}). Nilai CAT dihasilkan mesin dan disiarkan langsung; tidak ada petugas yang seharusnya mengetiknya.`,
    en: `${firstActor(flag)} typed the ${kind.en} score of application ${firstApp(flag)} by hand ${orderEn} the CAT BKN import, and the values differ (${parts('en')}; total difference ${signed}). CAT scores are machine-generated and live-scored; no officer should type them.`,
  };
}

/** The manual-cat-override detector. */
export const manualCatOverride: Detector = {
  id: ID,
  version: VERSION,
  severity: 'high',
  title: { id: 'Nilai CAT diketik manual dan berbeda', en: 'Manual entry contradicts the CAT score' },
  detect,
  explain,
};
