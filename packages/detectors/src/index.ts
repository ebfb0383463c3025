/**
 * @casn/detectors: red-flag detectors over a period ledger's entries and the directory.
 * Pure and deterministic: the same entries, directory and configuration give the same
 * flags, with the same ids, in the same order. The catalogue is docs/red-flags.md.
 */
import { announcementMismatch } from './detectors/announcement-mismatch.ts';
import { examinerOutlier } from './detectors/examiner-outlier.ts';
import { formationChangeLate } from './detectors/formation-change-late.ts';
import { lateAction } from './detectors/late-action.ts';
import { manualCatOverride } from './detectors/manual-cat-override.ts';
import { offHoursBulk } from './detectors/off-hours-bulk.ts';
import { rankingSkip } from './detectors/ranking-skip.ts';
import { relatedParty } from './detectors/related-party.ts';
import { scoreAfterLock } from './detectors/score-after-lock.ts';
import { segregationOfDuties } from './detectors/segregation-of-duties.ts';
import { sharedIdentity } from './detectors/shared-identity.ts';
import { verdictReversal } from './detectors/verdict-reversal.ts';
import { compareFlags } from './flag.ts';
import type { Bilingual, DetectionInput, Detector, Flag } from './types.ts';

export type { Bilingual, DetectionEntry, DetectionInput, Detector, DetectorConfig, Flag, Severity } from './types.ts';
export { DEFAULT_DETECTOR_CONFIG, DETECTOR_CONFIGS, HOLIDAYS_2024, getDetectorConfig } from './config.ts';
export { flagIdOf } from './flag.ts';
export { DETECTOR_IDS } from './ids.ts';

/** Every detector, in catalogue order. */
export const DETECTORS: readonly Detector[] = Object.freeze([
  relatedParty,
  segregationOfDuties,
  scoreAfterLock,
  manualCatOverride,
  rankingSkip,
  lateAction,
  verdictReversal,
  examinerOutlier,
  offHoursBulk,
  sharedIdentity,
  formationChangeLate,
  announcementMismatch,
]);

const BY_ID: ReadonlyMap<string, Detector> = new Map(DETECTORS.map((d) => [d.id, d]));

/** The detector of an id, if known. */
export function getDetector(id: string): Detector | undefined {
  return BY_ID.get(id);
}

/**
 * Runs every detector (or those named) and returns all flags sorted by detector then key;
 * deterministic: same entries + directory + config → identical output. Throws RangeError
 * for an unknown detector id in `only`.
 */
export function detect(input: DetectionInput, only?: readonly string[]): Flag[] {
  const chosen = only === undefined ? DETECTORS : only.map((id) => BY_ID.get(id) ?? unknown(id));
  const flags: Flag[] = [];
  for (const d of new Set(chosen)) for (const flag of d.detect(input)) flags.push(flag);
  return flags.sort(compareFlags);
}

function unknown(id: string): never {
  throw new RangeError(`unknown detector '${id}'`);
}

/** The plain-language explanation of a flag (Bahasa Indonesia and English), from its detector's template and facts. */
export function explainFlag(flag: Flag): Bilingual {
  const d = BY_ID.get(flag.detector);
  if (d) return d.explain(flag);
  return {
    id: `Tanda bahaya ${flag.detector} (versi ${flag.version}) dengan kunci ${flag.key}.`,
    en: `Red flag ${flag.detector} (version ${flag.version}) with key ${flag.key}.`,
  };
}
