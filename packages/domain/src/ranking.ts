/**
 * Scores and rankings: SKD checks and passing grades, the SKD → SKB cut, SKB percentages,
 * the SKD/SKB integration with its official tie-break, and the PPPK category ranking.
 * Pure functions over a RuleSet; no score value ever appears in an error message.
 */
import { DomainError } from './errors.ts';
import { SKB_PARTS } from './events.ts';
import type { PppkCategory, SkbPart, SkbWeights, Track } from './events.ts';
import type { RuleSet } from './rules.ts';

/** SKD (CAT BKN) part scores. */
export interface SkdScore {
  readonly twk: number;
  readonly tiu: number;
  readonly tkp: number;
}

/** The SKD total, TWK + TIU + TKP. */
export function skdTotal(s: SkdScore): number {
  return s.twk + s.tiu + s.tkp;
}

function scoreError(field: string, message: string): never {
  throw new DomainError('score-range', message, { field });
}

function missingStage(rules: RuleSet, stage: string): never {
  throw new DomainError('stage-not-in-rule-set', `rule set ${rules.id} has no ${stage}`, { field: 'rules' });
}

function checkPart(field: string, value: number, max: number, step: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max || value % step !== 0) {
    scoreError(field, step === 1 ? `${field} must be a whole number from 0 to ${max}` : `${field} must be a multiple of ${step} from 0 to ${max}`);
  }
}

/**
 * Checks TWK and TIU are multiples of 5 and TKP a whole number, each within the rule set's maximum; throws DomainError 'score-range' (field 'twk' | 'tiu' | 'tkp'), or 'stage-not-in-rule-set' when the rule set has no SKD.
 */
export function checkSkdScore(rules: RuleSet, s: SkdScore): void {
  const skd = rules.skd ?? missingStage(rules, 'SKD');
  // TWK and TIU items score 5 or 0; TKP items score 0–5.
  checkPart('twk', s.twk, skd.max.twk, 5);
  checkPart('tiu', s.tiu, skd.max.tiu, 5);
  checkPart('tkp', s.tkp, skd.max.tkp, 1);
}

/** True when every threshold of the track's passing grade is met (exactly met passes); throws DomainError 'no-passing-grade' (field 'track') if the rule set has none for the track. */
export function passesSkd(rules: RuleSet, track: Track, s: SkdScore): boolean {
  const grade = rules.skd?.passingGrades[track];
  if (!grade) throw new DomainError('no-passing-grade', `rule set ${rules.id} has no SKD passing grade for track ${track}`, { field: 'track' });
  return (
    (grade.twk === undefined || s.twk >= grade.twk) &&
    (grade.tiu === undefined || s.tiu >= grade.tiu) &&
    (grade.tkp === undefined || s.tkp >= grade.tkp) &&
    (grade.total === undefined || skdTotal(s) >= grade.total)
  );
}

/** Negative when a ranks before b in the SKD order: higher total, then TKP, then TIU, then TWK. */
export function compareSkd(a: SkdScore, b: SkdScore): number {
  // TWK can never decide (equal total, TKP and TIU imply equal TWK); it is kept to mirror the published order.
  return skdTotal(b) - skdTotal(a) || b.tkp - a.tkp || b.tiu - a.tiu || b.twk - a.twk;
}

// Code-unit order, not localeCompare: the result must not depend on the host's locale.
const byId = (a: { readonly applicationId: string }, b: { readonly applicationId: string }): number =>
  a.applicationId < b.applicationId ? -1 : a.applicationId > b.applicationId ? 1 : 0;

/** A candidate for the SKD cut; a score is required unless absent or disqualified. */
export interface SkdCandidate {
  readonly applicationId: string;
  readonly score?: SkdScore;
  readonly absent?: boolean;
  readonly disqualified?: boolean;
}

/** One line of the SKD cut: P/L proceeds to the SKB, P passed outside the cut, TL failed, TH absent, DIS disqualified. */
export interface SkdCutResult {
  readonly applicationId: string;
  readonly rank: number | null;
  readonly total: number | null;
  readonly code: 'P/L' | 'P' | 'TL' | 'TH' | 'DIS';
}

/**
 * Decides the SKD → SKB cut of one formation: passers get competition ranks by compareSkd and proceed (P/L) when ranked within cutMultiplier × quota, which takes in everyone tied with the last place; requires a valid score for everyone neither absent nor disqualified (DomainError 'score-missing' with field 'score', or 'score-range').
 */
export function decideSkdCut(rules: RuleSet, track: Track, quota: number, candidates: readonly SkdCandidate[]): SkdCutResult[] {
  const skd = rules.skd ?? missingStage(rules, 'SKD');
  const passers: { applicationId: string; score: SkdScore }[] = [];
  const failed: SkdCutResult[] = [];
  const absent: SkdCutResult[] = [];
  const disqualified: SkdCutResult[] = [];

  for (const c of candidates) {
    if (c.disqualified) {
      disqualified.push({ applicationId: c.applicationId, rank: null, total: null, code: 'DIS' });
    } else if (c.absent) {
      absent.push({ applicationId: c.applicationId, rank: null, total: null, code: 'TH' });
    } else if (!c.score) {
      throw new DomainError('score-missing', 'a candidate who was present has no SKD score', { field: 'score', details: { applicationId: c.applicationId } });
    } else {
      checkSkdScore(rules, c.score);
      if (passesSkd(rules, track, c.score)) passers.push({ applicationId: c.applicationId, score: c.score });
      else failed.push({ applicationId: c.applicationId, rank: null, total: skdTotal(c.score), code: 'TL' });
    }
  }

  passers.sort((a, b) => compareSkd(a.score, b.score) || byId(a, b));
  const limit = skd.cutMultiplier * quota;
  const ranked: SkdCutResult[] = [];
  let rank = 0;
  passers.forEach((p, i) => {
    const prev = passers[i - 1];
    if (!prev || compareSkd(prev.score, p.score) !== 0) rank = i + 1;
    // With competition ranks a tie across the limit shares the rank of its first member,
    // so "rank <= limit" already lets through everyone tied with the last place.
    ranked.push({ applicationId: p.applicationId, rank, total: skdTotal(p.score), code: rank <= limit ? 'P/L' : 'P' });
  });

  return [...ranked, ...failed.sort(byId), ...absent.sort(byId), ...disqualified.sort(byId)];
}

/**
 * Rounds half up to 3 decimals; first to 12 significant digits, so binary noise from the
 * arithmetic (80.00749999999999 for 80.0075) does not turn a paper half-up into a round-down.
 */
function round3(x: number): number {
  const [mantissa = '0', exponent = '0'] = Number(x.toPrecision(12)).toExponential().split('e');
  return Number(`${Math.round(Number(`${mantissa}e${Number(exponent) + 3}`))}e-3`);
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/** The SKB percentage: each weighted part's mean examiner score, weighted and rounded to 3 decimals; undefined while a part with weight > 0 has no score. */
export function skbPercent(weights: SkbWeights, parts: Partial<Record<SkbPart, readonly number[]>>): number | undefined {
  let sum = 0;
  for (const part of SKB_PARTS) {
    const w = weights[part] ?? 0;
    if (w === 0) continue;
    const scores = parts[part];
    if (!scores || scores.length === 0) return undefined;
    sum += w * mean(scores);
  }
  return round3(sum);
}

/**
 * The integrated final score, skdWeight × (SKD total / SKD max × 100) + skbWeight × SKB%, rounded half up to 3 decimals; throws DomainError 'stage-not-in-rule-set' without SKD or integration rules, 'score-range' for a bad SKD score or an SKB% outside 0–100 (field 'skbPercent').
 */
export function finalScore(rules: RuleSet, skd: SkdScore, skbPercent: number): number {
  const integration = rules.integration ?? missingStage(rules, 'SKD/SKB integration');
  const skdRules = rules.skd ?? missingStage(rules, 'SKD');
  checkSkdScore(rules, skd);
  if (!Number.isFinite(skbPercent) || skbPercent < 0 || skbPercent > 100) scoreError('skbPercent', 'skbPercent must be from 0 to 100');
  const max = skdRules.max.twk + skdRules.max.tiu + skdRules.max.tkp;
  return round3(integration.skdWeight * ((skdTotal(skd) * 100) / max) + integration.skbWeight * skbPercent);
}

/** A candidate for the integrated CPNS ranking; ipk (0–4) or ijazah average (0–100) and birthDate (YYYY-MM-DD) only break ties. */
export interface IntegrationCandidate {
  readonly applicationId: string;
  readonly skd: SkdScore;
  readonly skbPercent: number;
  readonly ipk?: number;
  readonly average?: number;
  readonly birthDate?: string;
}

/** Older first; a known birth date before an unknown one; 0 when both are unknown or equal. */
function compareAge(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// An IPK (0–4) and an ijazah average (0–100) are different scales with no official
// conversion, so the key is used only when both candidates have the same kind.
function compareEducation(a: IntegrationCandidate, b: IntegrationCandidate): number {
  if (a.ipk !== undefined && b.ipk !== undefined) return b.ipk - a.ipk;
  if (a.average !== undefined && b.average !== undefined) return b.average - a.average;
  return 0;
}

/**
 * Ranks a formation's SKB candidates 1..n in the official order: final desc, then SKD total, TKP, TIU, TWK, then IPK (or ijazah average), then older first, then applicationId.
 */
export function rankIntegration(rules: RuleSet, candidates: readonly IntegrationCandidate[]): { applicationId: string; rank: number; final: number }[] {
  // Ranking on the rounded final (the published figure) makes equal scores tie exactly.
  const scored = candidates.map((c) => ({ c, final: finalScore(rules, c.skd, c.skbPercent) }));
  scored.sort(
    (x, y) =>
      y.final - x.final ||
      compareSkd(x.c.skd, y.c.skd) ||
      compareEducation(x.c, y.c) ||
      compareAge(x.c.birthDate, y.c.birthDate) ||
      byId(x.c, y.c),
  );
  return scored.map(({ c, final }, i) => ({ applicationId: c.applicationId, rank: i + 1, final }));
}

/** PPPK kompetensi part scores. */
export interface CompetencyScore {
  readonly teknis: number;
  readonly manajerial: number;
  readonly sosialKultural: number;
  readonly wawancara: number;
}

/**
 * Checks teknis is a multiple of 5, each part a whole number, and teknis, manajerial + sosialKultural and wawancara within the rule set's maxima; throws DomainError 'score-range' naming the field ('manajerialSosialKultural' for their sum), or 'stage-not-in-rule-set'.
 */
export function checkCompetencyScore(rules: RuleSet, s: CompetencyScore): void {
  const competency = rules.competency ?? missingStage(rules, 'kompetensi');
  // Teknis items score 5 or 0; the others are 1–4 per item (0 when unanswered).
  checkPart('teknis', s.teknis, competency.max.teknis, 5);
  checkPart('manajerial', s.manajerial, competency.max.manajerialSosialKultural, 1);
  checkPart('sosialKultural', s.sosialKultural, competency.max.manajerialSosialKultural, 1);
  if (s.manajerial + s.sosialKultural > competency.max.manajerialSosialKultural) {
    scoreError('manajerialSosialKultural', `manajerial + sosialKultural must be at most ${competency.max.manajerialSosialKultural}`);
  }
  checkPart('wawancara', s.wawancara, competency.max.wawancara, 1);
}

/** A candidate for the PPPK ranking. */
export interface PppkCandidate {
  readonly applicationId: string;
  readonly category: PppkCategory;
  readonly score: CompetencyScore;
  readonly birthDate?: string;
}

const competencyTotal = (s: CompetencyScore): number => s.teknis + s.manajerial + s.sosialKultural + s.wawancara;

/**
 * Ranks a PPPK formation 1..n: priority category first (a lower score in a higher category ranks first), then total desc, teknis, wawancara, older first, applicationId; final is the total; throws DomainError 'pppk-category' (field 'category') for a category outside the rule set.
 */
export function rankPppk(rules: RuleSet, candidates: readonly PppkCandidate[]): { applicationId: string; rank: number; final: number }[] {
  const competency = rules.competency ?? missingStage(rules, 'kompetensi');
  const scored = candidates.map((c) => {
    checkCompetencyScore(rules, c.score);
    const category = competency.categories.indexOf(c.category);
    if (category < 0) throw new DomainError('pppk-category', `category ${c.category} is not in rule set ${rules.id}`, { field: 'category' });
    return { c, category, total: competencyTotal(c.score) };
  });
  scored.sort(
    (x, y) =>
      x.category - y.category ||
      y.total - x.total ||
      y.c.score.teknis - x.c.score.teknis ||
      y.c.score.wawancara - x.c.score.wawancara ||
      compareAge(x.c.birthDate, y.c.birthDate) ||
      byId(x.c, y.c),
  );
  return scored.map(({ c, total }, i) => ({ applicationId: c.applicationId, rank: i + 1, final: total }));
}
