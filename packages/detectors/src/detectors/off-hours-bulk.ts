/**
 * off-hours-bulk: officials' actions at night, on weekends or on national holidays (local
 * wall clock), and bursts faster than a person works. Only officials' roles count: the
 * portal records applicants, who submit at any hour. One append (same actor, same instant)
 * is one action, so a morning import of a day's export or a session's batch is one action,
 * not a burst. One flag per actor per local date.
 */
import { makeFlag } from '../flag.ts';
import { bool, firstActor, num, str } from '../text.ts';
import type { Bilingual, DetectionInput, Detector, Flag } from '../types.ts';
import { localTime, offsetLabel, viewOf } from '../view.ts';
import type { ViewEntry } from '../view.ts';

const ID = 'off-hours-bulk';
const VERSION = '1';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** One action: one append by one actor (its entries, in seq order). */
interface Action {
  readonly time: number;
  /** Local day number since 1970-01-01. */
  readonly day: number;
  readonly hour: number;
  readonly items: ViewEntry[];
}

/** The local day number of a local date YYYY-MM-DD. */
const dayOf = (date: string): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY);

/** Adds the applications an entry is about to a set. */
function addApps(payload: Record<string, unknown>, into: Set<string>): void {
  if (typeof payload.applicationId === 'string') into.add(payload.applicationId);
  else if (Array.isArray(payload.results)) for (const r of payload.results as { applicationId: string }[]) into.add(r.applicationId);
}

function detect(input: DetectionInput): Flag[] {
  const view = viewOf(input.entries);
  const cfg = input.config.offHours;
  const offset = input.config.timezoneOffsetMinutes;
  const shift = offset * 60_000;
  const roles = new Set(input.config.officialRoles);
  const holidays = new Set(cfg.holidays.map(dayOf));
  const weekend = new Set(cfg.weekendDays);
  const night = (hour: number): boolean =>
    cfg.nightStartHour > cfg.nightEndHour ? hour >= cfg.nightStartHour || hour < cfg.nightEndHour : hour >= cfg.nightStartHour && hour < cfg.nightEndHour;

  // Actions per actor, in time order (entries are in seq order; appends are contiguous).
  // Local day and hour by arithmetic: this loop sees every official entry of the period.
  const actions = new Map<string, Action[]>();
  for (const v of view.events) {
    const { entry, time } = v;
    if (!roles.has(entry.actor.role)) continue;
    let list = actions.get(entry.actor.id);
    if (!list) actions.set(entry.actor.id, (list = []));
    let last = list[list.length - 1];
    if (!last || last.time !== time) {
      const local = time + shift;
      const day = Math.floor(local / DAY);
      last = { time, day, hour: Math.floor((local - day * DAY) / HOUR), items: [] };
      list.push(last);
    }
    last.items.push(v);
  }

  const flags: Flag[] = [];
  for (const [actor, list] of actions) {
    // Bursts: windows of burstMinActions actions within burstWindowSeconds.
    const inBurst = new Set<Action>();
    let lo = 0;
    let marked = -1;
    for (let hi = 0; hi < list.length; hi++) {
      while (list[hi]!.time - list[lo]!.time > cfg.burstWindowSeconds * 1000) lo++;
      if (hi - lo + 1 < cfg.burstMinActions) continue;
      // Each action is marked once, so the scan stays linear however long the burst.
      for (let i = Math.max(lo, marked + 1); i <= hi; i++) inBurst.add(list[i]!);
      marked = hi;
    }
    const byDay = new Map<number, { off: Action[]; burst: Action[]; night: boolean; weekend: boolean; holiday: boolean }>();
    for (const a of list) {
      const isNight = night(a.hour);
      // 1970-01-01 (day 0) was a Thursday.
      const isWeekend = weekend.has((((a.day + 4) % 7) + 7) % 7);
      const isHoliday = holidays.has(a.day);
      const burst = inBurst.has(a);
      if (!isNight && !isWeekend && !isHoliday && !burst) continue;
      let d = byDay.get(a.day);
      if (!d) byDay.set(a.day, (d = { off: [], burst: [], night: false, weekend: false, holiday: false }));
      if (isNight || isWeekend || isHoliday) {
        d.off.push(a);
        d.night ||= isNight;
        d.weekend ||= isWeekend;
        d.holiday ||= isHoliday;
      }
      if (burst) d.burst.push(a);
    }
    for (const d of byDay.values()) {
      const burst = d.burst.length > 0;
      if (!burst && d.off.length < cfg.minActions) continue;
      const all = [...new Set([...d.off, ...d.burst])].sort((x, y) => x.time - y.time);
      const first = all[0]!;
      const last = all[all.length - 1]!;
      const date = localTime(first.time, offset).date;
      const items = all.flatMap((a) => a.items);
      const apps = new Set<string>();
      for (const v of items) addApps(v.entry.payload, apps);
      flags.push(
        makeFlag(ID, VERSION, {
          key: `${actor}:${date}`,
          severity: burst || d.night ? 'medium' : 'low',
          entries: items.map((v) => v.entry.seq),
          actors: [actor],
          applications: [...apps],
          facts: {
            date,
            actions: all.length,
            entryCount: items.length,
            offHoursActions: d.off.length,
            night: d.night,
            weekend: d.weekend,
            holiday: d.holiday,
            burst,
            burstActions: d.burst.length,
            from: localTime(first.time, offset).clock,
            to: localTime(last.time, offset).clock,
            spanSeconds: Math.round((last.time - first.time) / 1000),
            timezone: offsetLabel(offset),
            types: [...new Set(items.map((v) => v.entry.type))].sort().join(','),
          },
        }),
      );
    }
  }
  return flags;
}

function explain(flag: Flag): Bilingual {
  const whenId = [bool(flag, 'night') ? 'malam hari' : '', bool(flag, 'weekend') ? 'akhir pekan' : '', bool(flag, 'holiday') ? 'hari libur nasional' : ''].filter(Boolean).join(', ');
  const whenEn = [bool(flag, 'night') ? 'at night' : '', bool(flag, 'weekend') ? 'on a weekend' : '', bool(flag, 'holiday') ? 'on a national holiday' : ''].filter(Boolean).join(', ');
  const span = `${str(flag, 'date')} ${str(flag, 'from')}–${str(flag, 'to')} (${str(flag, 'timezone')})`;
  const burstId = bool(flag, 'burst') ? `, termasuk ${num(flag, 'burstActions')} tindakan beruntun lebih cepat daripada kemampuan manusia` : '';
  const burstEn = bool(flag, 'burst') ? `, including ${num(flag, 'burstActions')} actions in a burst faster than a person works` : '';
  return {
    id: `${firstActor(flag)} melakukan ${num(flag, 'actions')} tindakan (${num(flag, 'entryCount')} entri) pada ${span}${whenId ? ` — ${whenId}` : ''}${burstId}. Perubahan di luar jam kerja atau secara massal perlu diperiksa.`,
    en: `${firstActor(flag)} made ${num(flag, 'actions')} actions (${num(flag, 'entryCount')} entries) on ${span}${whenEn ? ` — ${whenEn}` : ''}${burstEn}. Off-hours or bulk changes need review.`,
  };
}

/** The off-hours-bulk detector. */
export const offHoursBulk: Detector = {
  id: ID,
  version: VERSION,
  severity: 'medium',
  title: { id: 'Tindakan di luar jam kerja atau massal', en: 'Off-hours or bulk actions' },
  detect,
  explain,
};
