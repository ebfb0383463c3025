/**
 * The ids of the detectors, in catalogue order (docs/red-flags.md). Imports nothing, so the
 * console can load it (`@casn/detectors/ids`) without the detectors themselves.
 */
export const DETECTOR_IDS = [
  'related-party',
  'segregation-of-duties',
  'score-after-lock',
  'manual-cat-override',
  'ranking-skip',
  'late-action',
  'verdict-reversal',
  'examiner-outlier',
  'off-hours-bulk',
  'shared-identity',
  'formation-change-late',
  'announcement-mismatch',
] as const;
