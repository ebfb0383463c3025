/**
 * The period's stage windows as they stood at each point of the ledger: fed the entries in
 * seq order, it answers "when did this stage close, as amended so far?" and "as amended by
 * a given instant?" (an extension recorded later does not cover an earlier act).
 */
import type { Stage } from '@casn/domain';
import type { ViewEntry } from './view.ts';

/** A stage window in epoch ms; `opens` is null when unknown. */
export interface Window {
  readonly opens: number | null;
  readonly closes: number;
  /** ISO text of the close, as recorded. */
  readonly closesText: string;
  /** Seq of the entry that set this window (PeriodOpened or the latest ScheduleAmended). */
  readonly seq: number;
  /** When that entry was recorded (epoch ms). */
  readonly since: number;
  readonly amended: boolean;
}

/** Stage windows as amended up to the last entry applied, with their history. */
export class ScheduleTracker {
  readonly #history = new Map<Stage, Window[]>();

  /** Applies one entry (anything but PeriodOpened and ScheduleAmended is ignored). */
  apply(v: ViewEntry): void {
    const ev = v.event;
    if (ev.type === 'PeriodOpened') {
      if (this.#history.size > 0) return;
      for (const [stage, w] of Object.entries(ev.payload.schedule)) {
        if (w) this.#history.set(stage as Stage, [{ opens: Date.parse(w.opens), closes: Date.parse(w.closes), closesText: w.closes, seq: v.entry.seq, since: v.time, amended: false }]);
      }
    } else if (ev.type === 'ScheduleAmended') {
      const p = ev.payload;
      const list = this.#history.get(p.stage) ?? this.#history.set(p.stage, []).get(p.stage)!;
      const before = list[list.length - 1];
      const opens = p.opens !== undefined ? Date.parse(p.opens) : (before?.opens ?? null);
      list.push({ opens, closes: Date.parse(p.closes), closesText: p.closes, seq: v.entry.seq, since: v.time, amended: true });
    }
  }

  /** The window of a stage as it stands now. */
  window(stage: Stage): Window | undefined {
    const list = this.#history.get(stage);
    return list?.[list.length - 1];
  }

  /** The window of a stage as amended by entries recorded at or before `time` (the first window when none was). */
  windowAt(stage: Stage, time: number): Window | undefined {
    const list = this.#history.get(stage);
    if (!list || list.length === 0) return undefined;
    let found = list[0]!;
    for (const w of list) if (w.since <= time) found = w;
    return found;
  }
}
