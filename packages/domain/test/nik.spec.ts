import { describe, expect, it } from 'vitest';
import { DomainError } from '../src/errors.ts';
import { parseNik } from '../src/nik.ts';
import { PROVINCES, isProvinceCode } from '../src/regions.ts';

// Made-up NIKs: PP KK CC DDMMYY SSSS.
/** Expects parseNik to throw `rule` on field 'nik' with a message that leaks no part of the NIK. */
function expectNikError(nik: string, rule: string, referenceYear = 2024): void {
  let err: unknown;
  try {
    parseNik(nik, referenceYear);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DomainError);
  const e = err as DomainError;
  expect(e.rule).toBe(rule);
  expect(e.opts.field).toBe('nik');
  if (nik !== '') expect(e.message).not.toContain(nik);
  expect(e.message).not.toMatch(/[0-9]{3,}/);
}

describe('parseNik: valid NIKs', () => {
  it('reads a man’s NIK', () => {
    expect(parseNik('3201011505900001', 2024)).toEqual({
      province: '32',
      regency: '01',
      district: '01',
      birthDate: '1990-05-15',
      sex: 'M',
      serial: '0001',
    });
  });

  it('reads a woman’s NIK (day + 40)', () => {
    expect(parseNik('3174015505900002', 2024)).toEqual({
      province: '31',
      regency: '74',
      district: '01',
      birthDate: '1990-05-15',
      sex: 'F',
      serial: '0002',
    });
  });

  it('accepts the day bounds 01, 31, 41 and 71', () => {
    expect(parseNik('3201010101900001', 2024)).toMatchObject({ birthDate: '1990-01-01', sex: 'M' });
    expect(parseNik('3201013101900001', 2024)).toMatchObject({ birthDate: '1990-01-31', sex: 'M' });
    expect(parseNik('3201014101900001', 2024)).toMatchObject({ birthDate: '1990-01-01', sex: 'F' });
    expect(parseNik('3201017112900001', 2024)).toMatchObject({ birthDate: '1990-12-31', sex: 'F' });
  });

  it('accepts a kota regency code, a high district code, serial 9999 and a 2022 Papua province', () => {
    expect(parseNik('9571995912859999', 2024)).toEqual({
      province: '95',
      regency: '71',
      district: '99',
      birthDate: '1985-12-19',
      sex: 'F',
      serial: '9999',
    });
  });
});

describe('parseNik: century', () => {
  it('takes the latest year not after the reference year', () => {
    expect(parseNik('3201010101240001', 2024).birthDate).toBe('2024-01-01');
    expect(parseNik('3201010101240001', 2023).birthDate).toBe('1924-01-01');
    expect(parseNik('3201010101250001', 2024).birthDate).toBe('1925-01-01');
    expect(parseNik('3201010101000001', 2024).birthDate).toBe('2000-01-01');
    expect(parseNik('3201010101990001', 2024).birthDate).toBe('1999-01-01');
    expect(parseNik('3201010101990001', 2099).birthDate).toBe('2099-01-01');
  });

  it('checks 29 February against the chosen century (2000 is a leap year, 1900 is not)', () => {
    expect(parseNik('3201012902000001', 2024).birthDate).toBe('2000-02-29');
    expect(parseNik('3201016902240001', 2024)).toMatchObject({ birthDate: '2024-02-29', sex: 'F' });
    expectNikError('3201012902000001', 'nik-birth-date', 1999);
    expectNikError('3201012902230001', 'nik-birth-date', 2024);
  });
});

describe('parseNik: format', () => {
  it.each([
    ['empty', ''],
    ['15 digits', '320101150590000'],
    ['17 digits', '32010115059000011'],
    ['a letter', '32010115059000a1'],
    ['a space', '3201011505 900001'],
    ['a leading space', ' 3201011505900001'],
    ['a trailing newline', '3201011505900001\n'],
    ['a sign', '+201011505900001'],
    ['full-width digits', '３２０１０１１５０５９００００１'],
    ['Arabic-Indic digits', '٣٢٠١٠١١٥٠٥٩٠٠٠٠١'],
  ])('refuses %s', (_label, nik) => {
    expectNikError(nik, 'nik-format');
  });
});

describe('parseNik: region', () => {
  it.each([
    ['province 00', '0001011505900001'],
    ['province 10', '1001011505900001'],
    ['province 20', '2001011505900001'],
    ['province 37', '3701011505900001'],
    ['province 97', '9701011505900001'],
    ['province 99', '9901011505900001'],
    ['regency 00', '3200011505900001'],
    ['district 00', '3201001505900001'],
  ])('refuses %s', (_label, nik) => {
    expectNikError(nik, 'nik-region');
  });

  it('holds the 38 provinces, 11 (Aceh) to 96 (Papua Barat Daya)', () => {
    expect(Object.keys(PROVINCES)).toHaveLength(38);
    expect(isProvinceCode('11')).toBe(true);
    expect(isProvinceCode('96')).toBe(true);
    expect(isProvinceCode('toString')).toBe(false);
    for (const code of Object.keys(PROVINCES)) expect(parseNik(`${code}01011505900001`, 2024).province).toBe(code);
  });
});

describe('parseNik: birth date and serial', () => {
  it.each([
    ['day 00', '3201010005900001'],
    ['day 32', '3201013205900001'],
    ['day 40 (a woman’s day 0)', '3201014005900001'],
    ['day 72 (a woman’s day 32)', '3201017205900001'],
    ['day 99', '3201019905900001'],
    ['month 00', '3201011500900001'],
    ['month 13', '3201011513900001'],
    ['31 February', '3201013102900001'],
    ['30 February', '3201013002900001'],
    ['29 February of a common year', '3201012902900001'],
    ['31 April', '3201013104900001'],
    ['a woman’s 31 June (day 71)', '3201017106900001'],
    ['serial 0000', '3201011505900000'],
  ])('refuses %s', (_label, nik) => {
    expectNikError(nik, 'nik-birth-date');
  });
});
