/**
 * Recruitment thresholds, weights and windows as config, versioned by year and legal
 * reference, so decide code never holds a literal. Each value's source and confidence is
 * in docs/rules.md; add a year there and here together.
 */
import { DomainError } from './errors.ts';
import { PPPK_CATEGORIES, SKB_PARTS } from './events.ts';
import type { PeriodKind, PppkCategory, SkbWeights, Track } from './events.ts';

/** Minimum SKD scores of one track; an absent key is not checked. */
export interface PassingGrade {
  readonly twk?: number;
  readonly tiu?: number;
  readonly tkp?: number;
  readonly total?: number;
}

/** Bounds on an agency's SKB weights (fractions of 1); an absent key is not checked. */
export interface SkbWeightLimits {
  readonly catMin?: number;
  readonly catMax?: number;
  /** 0 forbids an interview. */
  readonly interviewMax?: number;
  /** Bound on each non-CAT part other than the interview (practical, psychology). */
  readonly extraMax?: number;
  /** Bound on all non-CAT parts together, the interview included. */
  readonly extrasTotalMax?: number;
}

/** One year's rules for one kind of period, with the legal reference of each part. */
export interface RuleSet {
  readonly id: string;
  readonly kind: PeriodKind;
  readonly year: number;
  readonly legal: readonly string[];
  readonly sanggah: { readonly windowDays: number; readonly legal: string };
  readonly skd?: {
    readonly max: { readonly twk: number; readonly tiu: number; readonly tkp: number };
    readonly passingGrades: Partial<Record<Track, PassingGrade>>;
    /** Candidates ranked up to cutMultiplier × quota go on to the SKB. */
    readonly cutMultiplier: number;
    readonly legal: string;
  };
  readonly skbWeightLimits?: { readonly pusat: SkbWeightLimits; readonly daerah: SkbWeightLimits; readonly legal: string };
  readonly integration?: { readonly skdWeight: number; readonly skbWeight: number; readonly legal: string };
  readonly competency?: {
    readonly max: { readonly teknis: number; readonly manajerialSosialKultural: number; readonly wawancara: number };
    /** Priority categories, highest first. */
    readonly categories: readonly PppkCategory[];
    readonly legal: string;
  };
}

const SKD_MAX = { twk: 150, tiu: 175, tkp: 225 } as const;
const UMUM_2023_2024: PassingGrade = { twk: 65, tiu: 80, tkp: 166 };

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Every known rule set by id. */
export const RULE_SETS: Readonly<Record<string, RuleSet>> = deepFreeze({
  'casn-2023': {
    id: 'casn-2023',
    kind: 'CPNS',
    year: 2023,
    legal: ['PermenPANRB 27/2021', 'KepmenPANRB 651/2023'],
    sanggah: { windowDays: 3, legal: 'PermenPANRB 28/2021 Ps 31' },
    skd: {
      max: SKD_MAX,
      // Special-track grades of 2023 are unverified, so they are left out on purpose.
      passingGrades: { umum: UMUM_2023_2024 },
      cutMultiplier: 3,
      legal: 'KepmenPANRB 651/2023',
    },
    skbWeightLimits: {
      pusat: { catMax: 0.5, interviewMax: 0.3, extraMax: 0.2 },
      daerah: { catMax: 0.5, interviewMax: 0.3, extraMax: 0.2 },
      legal: 'PermenPANRB 27/2021',
    },
    integration: { skdWeight: 0.4, skbWeight: 0.6, legal: 'PermenPANRB 27/2021' },
  },
  'casn-2024': {
    id: 'casn-2024',
    kind: 'CPNS',
    year: 2024,
    legal: ['PermenPANRB 6/2024', 'KepmenPANRB 320/2024', 'KepmenPANRB 321/2024', 'KepmenPANRB 344/2024'],
    sanggah: { windowDays: 3, legal: 'PermenPANRB 6/2024' },
    skd: {
      max: SKD_MAX,
      passingGrades: {
        umum: UMUM_2023_2024,
        cumlaude: { total: 311, tiu: 85 },
        diaspora: { total: 311, tiu: 85 },
        disabilitas: { total: 286, tiu: 60 },
        papua: { total: 286, tiu: 60 },
        tertinggal: { total: 286, tiu: 60 },
      },
      cutMultiplier: 3,
      legal: 'KepmenPANRB 321/2024',
    },
    skbWeightLimits: {
      pusat: { extrasTotalMax: 0.5, interviewMax: 0.1 },
      daerah: { catMin: 0.5, extraMax: 0.4, interviewMax: 0 },
      legal: 'PermenPANRB 6/2024',
    },
    integration: { skdWeight: 0.4, skbWeight: 0.6, legal: 'PermenPANRB 6/2024' },
  },
  'pppk-2024': {
    id: 'pppk-2024',
    kind: 'PPPK',
    year: 2024,
    legal: ['PermenPANRB 6/2024', 'KepmenPANRB 347/2024'],
    sanggah: { windowDays: 3, legal: 'PermenPANRB 6/2024' },
    competency: {
      max: { teknis: 450, manajerialSosialKultural: 180, wawancara: 40 },
      categories: [...PPPK_CATEGORIES],
      legal: 'KepmenPANRB 347/2024',
    },
  },
} satisfies Record<string, RuleSet>);

/** Returns the rule set with this id; throws DomainError 'unknown-rule-set' (field 'rules') if there is none. */
export function getRuleSet(id: string): RuleSet {
  const rules = Object.hasOwn(RULE_SETS, id) ? RULE_SETS[id] : undefined;
  if (!rules) throw new DomainError('unknown-rule-set', `unknown rule set '${id}'`, { field: 'rules' });
  return rules;
}

// Weights arrive as decimal fractions (0.1 + 0.2 !== 0.3), so sums and bounds get slack.
const EPSILON = 1e-9;

function weightError(message: string, part?: string): never {
  throw new DomainError('skb-weights', message, { field: part ? `skbWeights.${part}` : 'skbWeights' });
}

/**
 * Checks that SKB weights are fractions summing to 1 (±1e-9) within the rule set's limits for the agency level; throws DomainError 'skb-weights' (field 'skbWeights.<part>' or 'skbWeights').
 */
export function checkSkbWeights(rules: RuleSet, level: 'pusat' | 'daerah', weights: SkbWeights): void {
  const limits = rules.skbWeightLimits?.[level];
  if (!limits) weightError(`rule set ${rules.id} has no SKB weight limits`);

  let sum = 0;
  let extras = 0;
  for (const part of SKB_PARTS) {
    const w = weights[part];
    if (w === undefined) continue;
    if (!Number.isFinite(w) || w < 0 || w > 1) weightError(`${part} weight must be between 0 and 1`, part);
    sum += w;
    if (part !== 'cat') extras += w;
  }
  if (Math.abs(sum - 1) > EPSILON) weightError(`SKB weights must sum to 1, not ${sum}`);

  const cat = weights.cat ?? 0;
  if (limits.catMin !== undefined && cat < limits.catMin - EPSILON) weightError(`cat weight must be at least ${limits.catMin} for a ${level} agency`, 'cat');
  if (limits.catMax !== undefined && cat > limits.catMax + EPSILON) weightError(`cat weight must be at most ${limits.catMax} for a ${level} agency`, 'cat');
  const interview = weights.interview ?? 0;
  if (limits.interviewMax !== undefined && interview > limits.interviewMax + EPSILON) {
    weightError(limits.interviewMax === 0 ? `a ${level} agency may not weight an interview` : `interview weight must be at most ${limits.interviewMax} for a ${level} agency`, 'interview');
  }
  if (limits.extraMax !== undefined) {
    for (const part of ['practical', 'psychology'] as const) {
      if ((weights[part] ?? 0) > limits.extraMax + EPSILON) weightError(`${part} weight must be at most ${limits.extraMax} for a ${level} agency`, part);
    }
  }
  if (limits.extrasTotalMax !== undefined && extras > limits.extrasTotalMax + EPSILON) {
    weightError(`non-CAT weights together must be at most ${limits.extrasTotalMax} for a ${level} agency`);
  }
}
