/**
 * NIK (Nomor Induk Kependudukan): `PP KK CC DDMMYY SSSS` = province, regency (kabupaten or
 * kota), district (kecamatan) of first issue, birth date with DD+40 for women, and a serial
 * from 0001. What is and is not checked is listed in docs/rules.md.
 */
import { DomainError } from './errors.ts';
import { isProvinceCode } from './regions.ts';

/** The facts a well-formed NIK encodes. */
export interface NikFacts {
  readonly province: string;
  readonly regency: string;
  readonly district: string;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  readonly sex: 'F' | 'M';
  readonly serial: string;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

// Messages never echo the NIK or any part of it: they end up in API responses and logs.
function fail(rule: string, message: string): never {
  throw new DomainError(rule, message, { field: 'nik' });
}

/**
 * Parses a NIK, resolving the two-digit birth year to the latest year not after `referenceYear`; throws DomainError 'nik-format', 'nik-region' or 'nik-birth-date' (field 'nik').
 */
export function parseNik(nik: string, referenceYear: number): NikFacts {
  if (!Number.isInteger(referenceYear)) throw new RangeError('referenceYear must be an integer');
  if (!/^[0-9]{16}$/.test(nik)) fail('nik-format', 'NIK must be exactly 16 digits');

  const province = nik.slice(0, 2);
  const regency = nik.slice(2, 4);
  const district = nik.slice(4, 6);
  if (!isProvinceCode(province)) fail('nik-region', 'NIK province code is not in the official list');
  // Kabupaten codes run from 01 and kota codes from 71; no full kab/kota table is held, so
  // only the impossible 00 is refused.
  if (regency === '00') fail('nik-region', 'NIK regency code cannot be 00');
  if (district === '00') fail('nik-region', 'NIK district code cannot be 00');

  const rawDay = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  const serial = nik.slice(12, 16);

  const female = rawDay > 40;
  const day = female ? rawDay - 40 : rawDay;
  if (day < 1 || day > 31) fail('nik-birth-date', 'NIK birth day must be 01–31 (men) or 41–71 (women)');
  if (month < 1 || month > 12) fail('nik-birth-date', 'NIK birth month must be 01–12');

  let year = Math.floor(referenceYear / 100) * 100 + yy;
  if (year > referenceYear) year -= 100;
  if (day > daysInMonth(year, month)) fail('nik-birth-date', 'NIK birth date is not a calendar date');
  // The serial numbers people sharing a region and birth date, counting from 0001.
  if (serial === '0000') fail('nik-birth-date', 'NIK serial cannot be zero');

  return {
    province,
    regency,
    district,
    birthDate: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`,
    sex: female ? 'F' : 'M',
    serial,
  };
}
