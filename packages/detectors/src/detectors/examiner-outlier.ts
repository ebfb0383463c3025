/**
 * examiner-outlier: for hand-scored SKB parts (practical, interview, psychology), each
 * examiner's latest score of an applicant is compared with the mean of the co-panelists'
 * latest scores of the same applicant on the same part; an examiner whose mean absolute
 * deviation over enough shared applicants exceeds the threshold is flagged. Ordinary
 * leniency (a few points) stays under it; a marker pushing or sinking candidates does not.
 */
import { makeFlag } from '../flag.ts';
import { firstActor, num, str } from '../text.ts';
import type { Bilingual, DetectionInput, Detector, Flag } from '../types.ts';
import { viewOf } from '../view.ts';

const ID = 'examiner-outlier';
const VERSION = '1';

const round1 = (x: number): number => Math.round(x * 10) / 10;

function detect(input: DetectionInput): Flag[] {
  const view = viewOf(input.entries);
  const cfg = input.config.examinerOutlier;
  const parts = new Set(cfg.parts);
  // part → application → examiner → latest {score, seq}.
  const scores = new Map<string, Map<string, Map<string, { score: number; seq: number }>>>();
  for (const { entry, event } of view.events) {
    if (event.type !== 'SkbScoreRecorded') continue;
    const p = event.payload;
    if (!parts.has(p.part) || p.examiner === undefined) continue;
    const byApp = scores.get(p.part) ?? scores.set(p.part, new Map()).get(p.part)!;
    const byExaminer = byApp.get(p.applicationId) ?? byApp.set(p.applicationId, new Map()).get(p.applicationId)!;
    byExaminer.set(p.examiner, { score: p.score, seq: entry.seq });
  }

  const flags: Flag[] = [];
  for (const [part, byApp] of scores) {
    const stats = new Map<string, { abs: number; signed: number; n: number; seqs: number[]; apps: string[] }>();
    for (const [app, byExaminer] of byApp) {
      if (byExaminer.size < 2) continue;
      let sum = 0;
      for (const s of byExaminer.values()) sum += s.score;
      for (const [examiner, s] of byExaminer) {
        const others = (sum - s.score) / (byExaminer.size - 1);
        const d = s.score - others;
        const st = stats.get(examiner) ?? stats.set(examiner, { abs: 0, signed: 0, n: 0, seqs: [], apps: [] }).get(examiner)!;
        st.abs += Math.abs(d);
        st.signed += d;
        st.n += 1;
        st.seqs.push(s.seq);
        st.apps.push(app);
      }
    }
    for (const [examiner, st] of stats) {
      if (st.n < cfg.minSharedApplicants) continue;
      const mad = st.abs / st.n;
      if (mad <= cfg.maxMeanAbsDeviation) continue;
      flags.push(
        makeFlag(ID, VERSION, {
          key: `${examiner}:${part}`,
          severity: 'medium',
          entries: st.seqs,
          actors: [examiner],
          applications: st.apps,
          facts: {
            part,
            sharedApplicants: st.n,
            meanAbsDeviation: round1(mad),
            meanDeviation: round1(st.signed / st.n),
            threshold: cfg.maxMeanAbsDeviation,
          },
        }),
      );
    }
  }
  return flags;
}

const PART_TEXT: Readonly<Record<string, Bilingual>> = {
  practical: { id: 'praktik', en: 'practical test' },
  interview: { id: 'wawancara', en: 'interview' },
  psychology: { id: 'psikotes', en: 'psychological test' },
};

function explain(flag: Flag): Bilingual {
  const part = PART_TEXT[str(flag, 'part')] ?? { id: str(flag, 'part'), en: str(flag, 'part') };
  const signed = num(flag, 'meanDeviation');
  const dirId = signed >= 0 ? 'lebih tinggi' : 'lebih rendah';
  const dirEn = signed >= 0 ? 'higher' : 'lower';
  return {
    id: `Penguji ${firstActor(flag)} memberi nilai SKB ${part.id} yang rata-rata menyimpang ${num(flag, 'meanAbsDeviation')} poin dari rata-rata penguji lain pada ${num(flag, 'sharedApplicants')} peserta yang sama (cenderung ${dirId}, ${Math.abs(signed)} poin); ambang ${num(flag, 'threshold')} poin. Penilaian non-CAT bersifat subjektif dan perlu diperiksa.`,
    en: `Examiner ${firstActor(flag)}'s SKB ${part.en} scores deviate by ${num(flag, 'meanAbsDeviation')} points on average from the co-panelists' mean on the same ${num(flag, 'sharedApplicants')} candidates (${Math.abs(signed)} points ${dirEn} on balance); the threshold is ${num(flag, 'threshold')}. Non-CAT scoring is subjective and needs review.`,
  };
}

/** The examiner-outlier detector. */
export const examinerOutlier: Detector = {
  id: ID,
  version: VERSION,
  severity: 'medium',
  title: { id: 'Penguji menyimpang dari panel', en: 'Examiner deviates from the panel' },
  detect,
  explain,
};
