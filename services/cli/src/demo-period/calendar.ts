/**
 * Wall-clock times of the 2024 recruitment in Western Indonesian Time (WIB, UTC+07:00),
 * the zone of Tangerang Selatan.
 */

/** The instant of a WIB wall-clock time; `date` is YYYY-MM-DD, `time` HH:MM or HH:MM:SS. */
export function wib(date: string, time = '00:00'): Date {
  const t = time.length === 5 ? `${time}:00` : time;
  return new Date(`${date}T${t}+07:00`);
}

/** The ISO instant written with the WIB offset, as schedules and submissions carry it. */
export function wibIso(d: Date): string {
  const local = new Date(d.getTime() + 7 * 3_600_000).toISOString();
  return `${local.slice(0, 19)}+07:00`;
}

/** The WIB calendar date (YYYY-MM-DD) of an instant. */
export function wibDate(d: Date): string {
  return new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** The instant `minutes` (may be fractional or negative) after `d`. */
export function addMinutes(d: Date, minutes: number): Date {
  return new Date(d.getTime() + Math.round(minutes * 60_000));
}

/** The instant `seconds` after `d`. */
export function addSeconds(d: Date, seconds: number): Date {
  return new Date(d.getTime() + Math.round(seconds * 1000));
}

/** Calendar dates from `from` to `to` inclusive (YYYY-MM-DD). */
export function dates(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/** National holidays and collective leave of late 2024 that fall in the recruitment. */
export const HOLIDAYS_2024: readonly string[] = [
  '2024-08-17', // Hari Kemerdekaan
  '2024-09-16', // Maulid Nabi Muhammad SAW
  '2024-11-27', // Pemungutan suara Pilkada serentak
  '2024-12-25', // Hari Raya Natal
  '2024-12-26', // Cuti bersama Natal
];

/** Working days (Monday to Friday, not a holiday) from `from` to `to` inclusive. */
export function workdays(from: string, to: string): string[] {
  return dates(from, to).filter((d) => {
    const day = new Date(`${d}T00:00:00Z`).getUTCDay();
    return day !== 0 && day !== 6 && !HOLIDAYS_2024.includes(d);
  });
}
