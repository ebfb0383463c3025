/**
 * Versioned detector configurations. A threshold never changes inside a version: a new
 * value is a new id, so a flag's `config` says exactly which thresholds produced it.
 * The values and their sources are in docs/red-flags.md.
 */
import type { DetectorConfig } from './types.ts';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** National holidays (libur nasional) and collective leave (cuti bersama) of 2024, plus the Pilkada voting day. */
export const HOLIDAYS_2024: readonly string[] = [
  '2024-01-01', // Tahun Baru Masehi
  '2024-02-08', // Isra Mikraj
  '2024-02-09', // cuti bersama Imlek
  '2024-02-10', // Tahun Baru Imlek
  '2024-03-11', // Nyepi
  '2024-03-12', // cuti bersama Nyepi
  '2024-03-29', // Wafat Isa Almasih
  '2024-03-31', // Paskah
  '2024-04-08', // cuti bersama Idul Fitri
  '2024-04-09', // cuti bersama Idul Fitri
  '2024-04-10', // Idul Fitri
  '2024-04-11', // Idul Fitri
  '2024-04-12', // cuti bersama Idul Fitri
  '2024-04-15', // cuti bersama Idul Fitri
  '2024-05-01', // Hari Buruh
  '2024-05-09', // Kenaikan Isa Almasih
  '2024-05-10', // cuti bersama Kenaikan Isa Almasih
  '2024-05-23', // Waisak
  '2024-05-24', // cuti bersama Waisak
  '2024-06-01', // Hari Lahir Pancasila
  '2024-06-17', // Idul Adha
  '2024-06-18', // cuti bersama Idul Adha
  '2024-07-07', // Tahun Baru Islam
  '2024-08-17', // Hari Kemerdekaan
  '2024-09-16', // Maulid Nabi Muhammad SAW
  '2024-11-27', // pemungutan suara Pilkada serentak
  '2024-12-25', // Natal
  '2024-12-26', // cuti bersama Natal
];

/** Every known detector configuration by id. */
export const DETECTOR_CONFIGS: Readonly<Record<string, DetectorConfig>> = deepFreeze({
  'detectors-2024.1': {
    id: 'detectors-2024.1',
    basis: 'docs/red-flags.md; holidays per SKB 3 Menteri on libur nasional and cuti bersama 2024 and the 27 Nov 2024 Pilkada holiday',
    timezoneOffsetMinutes: 420,
    officialRoles: ['officer', 'supervisor', 'admin'],
    relatedParty: { sharedAddressMinFamilies: 3 },
    segregation: { bulkMinConfirmations: 10, bulkMaxMedianGapSeconds: 5, bulkRunBreakSeconds: 60, bulkBatchMin: 50 },
    lateAction: { submissionGraceSeconds: 0, verificationGraceSeconds: 0, confirmationGraceSeconds: 24 * 3600 },
    verdictReversal: { sanggahWindowDays: 3 },
    examinerOutlier: { parts: ['practical', 'interview', 'psychology'], minSharedApplicants: 3, maxMeanAbsDeviation: 15 },
    offHours: {
      nightStartHour: 22,
      nightEndHour: 5,
      weekendDays: [0, 6],
      holidays: HOLIDAYS_2024,
      minActions: 3,
      burstMinActions: 10,
      burstWindowSeconds: 60,
    },
  },
} satisfies Record<string, DetectorConfig>);

/** Id of the configuration used when none is named. */
export const DEFAULT_DETECTOR_CONFIG = 'detectors-2024.1';

/** The configuration of an id; throws RangeError for an unknown one. */
export function getDetectorConfig(id: string = DEFAULT_DETECTOR_CONFIG): DetectorConfig {
  const config = Object.hasOwn(DETECTOR_CONFIGS, id) ? DETECTOR_CONFIGS[id] : undefined;
  if (!config) throw new RangeError(`unknown detector configuration '${id}'`);
  return config;
}
