/**
 * The ground truth of a scenario and how flags are scored against it: one item per planted
 * irregularity, matched by a flag of the same detector that names the item's ids (or
 * shares an evidence entry with it); precision and recall per detector and overall.
 */

import { DETECTOR_IDS } from '@casn/detectors';

/** One planted irregularity (a line of truth.jsonl). */
export interface TruthItem {
  readonly detector: string;
  readonly applicationId?: string;
  readonly actorId?: string;
  readonly formationId?: string;
  /** Seqs of the period-ledger entries that make the irregularity (from the write responses). */
  readonly entries?: readonly number[];
  readonly note: string;
}

/** The parts of a flag the scoring reads. */
export interface ScoredFlag {
  readonly flagId: string;
  readonly detector: string;
  readonly key: string;
  readonly entries: readonly number[];
  readonly actors: readonly string[];
  readonly applications: readonly string[];
  readonly formationId?: string;
}

/** An honest coincidence as scenario.json lists it. */
export interface CoincidenceRef {
  readonly kind: string;
  readonly applicationIds: readonly string[];
  readonly actorId?: string;
}

/**
 * True when `flag` reports `item`: the same detector, and either every id the item gives
 * (application, actor) is among the flag's, with no other formation named, or they share
 * an evidence entry.
 */
export function matches(item: TruthItem, flag: ScoredFlag): boolean {
  if (item.detector !== flag.detector) return false;
  const ids = item.applicationId !== undefined || item.actorId !== undefined;
  const byIds =
    ids &&
    (item.applicationId === undefined || flag.applications.includes(item.applicationId)) &&
    (item.actorId === undefined || flag.actors.includes(item.actorId)) &&
    (item.formationId === undefined || flag.formationId === undefined || item.formationId === flag.formationId);
  if (byIds) return true;
  const entries = new Set(item.entries ?? []);
  return flag.entries.some((s) => entries.has(s));
}

/** The figures of one detector, or of all. */
export interface Score {
  readonly detector: string;
  readonly flags: number;
  readonly matchedFlags: number;
  readonly items: number;
  readonly recalledItems: number;
}

/** Precision (1 when there is no flag) and recall (1 when there is no item). */
export function ratios(s: Score): { precision: number; recall: number } {
  return { precision: s.flags === 0 ? 1 : s.matchedFlags / s.flags, recall: s.items === 0 ? 1 : s.recalledItems / s.items };
}

/** The outcome of scoring a detection against the truth. */
export interface Report {
  readonly perDetector: readonly Score[];
  readonly overall: Score;
  /** Flags no item explains (false positives). */
  readonly unmatched: readonly ScoredFlag[];
  /** Items no flag reports (misses). */
  readonly missed: readonly TruthItem[];
  /** Flags about an honest coincidence (all their applications in one), with whether some item explains them anyway. */
  readonly coincidenceFlags: readonly { readonly flag: ScoredFlag; readonly coincidence: CoincidenceRef; readonly matched: boolean }[];
}

/** Scores flags against the truth, per detector (the catalogue's and any other named) and overall. */
export function scoreDetection(items: readonly TruthItem[], flags: readonly ScoredFlag[], coincidences: readonly CoincidenceRef[] = []): Report {
  const matchedFlags = new Set<ScoredFlag>();
  const recalled = new Set<TruthItem>();
  for (const flag of flags) {
    for (const item of items) {
      if (!matches(item, flag)) continue;
      matchedFlags.add(flag);
      recalled.add(item);
    }
  }
  const detectors = [...new Set<string>([...DETECTOR_IDS, ...items.map((i) => i.detector), ...flags.map((f) => f.detector)])];
  const perDetector = detectors.map((detector) => {
    const fs = flags.filter((f) => f.detector === detector);
    const is = items.filter((i) => i.detector === detector);
    return { detector, flags: fs.length, matchedFlags: fs.filter((f) => matchedFlags.has(f)).length, items: is.length, recalledItems: is.filter((i) => recalled.has(i)).length };
  });
  const overall = { detector: 'overall', flags: flags.length, matchedFlags: matchedFlags.size, items: items.length, recalledItems: recalled.size };
  // A flag is on a coincidence when every application it names belongs to one (and it names the coincidence's actor).
  const coincidenceFlags = flags.flatMap((flag) => {
    const hit = coincidences.find((c) => flag.applications.length > 0 && flag.applications.every((id) => c.applicationIds.includes(id)) && (c.actorId === undefined || flag.actors.includes(c.actorId)));
    return hit ? [{ flag, coincidence: hit, matched: matchedFlags.has(flag) }] : [];
  });
  return {
    perDetector,
    overall,
    unmatched: flags.filter((f) => !matchedFlags.has(f)),
    missed: items.filter((i) => !recalled.has(i)),
    coincidenceFlags,
  };
}

/** The report as text lines: the table, the misses, the false positives, the coincidences, then `precision P recall R`. */
export function formatReport(report: Report): string[] {
  const f3 = (x: number): string => x.toFixed(3);
  const rows = [...report.perDetector, report.overall].map((s) => {
    const { precision, recall } = ratios(s);
    return [s.detector, String(s.flags), String(s.matchedFlags), String(s.items), String(s.recalledItems), f3(precision), f3(recall)];
  });
  const header = ['detector', 'flags', 'matched', 'truth', 'recalled', 'precision', 'recall'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(header), ...rows.slice(0, -1).map(line), line(widths.map((w) => '-'.repeat(w))), line(rows[rows.length - 1]!)];
  out.push('');
  out.push(`missed truth items: ${report.missed.length}`);
  for (const m of report.missed) out.push(`  ${m.detector} ${m.applicationId ?? ''} ${m.actorId ?? ''} ${m.formationId ?? ''} — ${m.note}`.replace(/ {2,}/g, ' '));
  out.push(`unmatched flags: ${report.unmatched.length}`);
  for (const f of report.unmatched) out.push(`  ${f.detector} ${f.key} (actors ${f.actors.join(',') || '-'}; applications ${f.applications.slice(0, 5).join(',') || '-'}${f.applications.length > 5 ? ',…' : ''})`);
  const honest = report.coincidenceFlags.filter((c) => !c.matched);
  out.push(`flags on honest coincidences: ${honest.length}${report.coincidenceFlags.length > honest.length ? ` (and ${report.coincidenceFlags.length - honest.length} planted flags that also touch one)` : ''}`);
  for (const c of honest) out.push(`  ${c.flag.detector} ${c.flag.key} — ${c.coincidence.kind}`);
  const { precision, recall } = ratios(report.overall);
  out.push(`precision ${f3(precision)} recall ${f3(recall)}`);
  return out;
}

/** Parses truth.jsonl; throws on a malformed line, naming it. */
export function parseTruth(text: string): TruthItem[] {
  return text
    .split('\n')
    .map((l, i) => ({ l: l.trim(), n: i + 1 }))
    .filter(({ l }) => l !== '')
    .map(({ l, n }) => {
      let item: unknown;
      try {
        item = JSON.parse(l);
      } catch {
        throw new Error(`truth line ${n} is not JSON`);
      }
      const t = item as Partial<TruthItem>;
      if (typeof t.detector !== 'string' || typeof t.note !== 'string') throw new Error(`truth line ${n} needs "detector" and "note"`);
      if (t.applicationId === undefined && t.actorId === undefined && (t.entries ?? []).length === 0) throw new Error(`truth line ${n} names no application, actor or entry`);
      return t as TruthItem;
    });
}
