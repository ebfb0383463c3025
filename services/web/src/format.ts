/** Formatting of times, numbers and hashes for people (times in WIB, the agency's clock). */
import type { Lang } from './i18n.ts';

const WIB = 'Asia/Jakarta';

/** A timestamp as `22 Nov 2024 15.30 WIB` (id) or `22 Nov 2024, 15:30 WIB` (en). */
export function formatTime(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const text = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
    timeZone: WIB,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(d);
  return `${text} WIB`;
}

/** A date (no time) in WIB as YYYY-MM-DD. */
export function wibDate(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 7 * 3_600_000);
  return d.toISOString().slice(0, 10);
}

/** A whole number with thousands separators. */
export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB').format(n);
}

/** The first and last characters of a long hash, for tables (the full value goes in a title). */
export function shortHash(hash: string, keep = 10): string {
  return hash.length <= keep * 2 + 1 ? hash : `${hash.slice(0, keep)}…${hash.slice(-6)}`;
}
