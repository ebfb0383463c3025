/**
 * Made-up people with well-formed identifiers: NIK (province 36 Banten, real birth date,
 * +40 on the day for women), KK numbers, addresses in Tangerang Selatan, mobile numbers
 * and e-mail addresses. Identifiers are unique unless a caller shares them on purpose
 * (siblings on one family card, a dormitory address, a planted irregularity).
 */
import {
  EMAIL_DOMAINS,
  FEMALE_NAMES,
  KECAMATAN,
  LAST_NAMES_FEMALE,
  LAST_NAMES_MALE,
  MALE_NAMES,
  MARGA,
  MARGA_WEIGHTS,
  MIDDLE_NAMES_FEMALE,
  MIDDLE_NAMES_MALE,
  OLDER_FEMALE_NAMES,
  OLDER_MALE_NAMES,
  OTHER_CITIES,
  PHONE_PREFIXES,
  STREETS,
} from './names.ts';
import type { Random } from './random.ts';

/** One person's identifying data, as it would be sealed (see PersonData in @casn/api). */
export interface Person {
  /** Opaque personal-data subject (key id); drawn at random, never derived from the NIK. */
  readonly subject: string;
  readonly nik: string;
  readonly kk: string;
  readonly name: string;
  readonly sex: 'M' | 'F';
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  readonly address: string;
  readonly phone: string;
  readonly email: string;
  readonly parents: readonly [string, string];
  readonly bankAccount?: string;
}

/** A household: the family card, the address and the parents its children share. */
export interface Family {
  readonly kk: string;
  readonly address: string;
  readonly marga: string | null;
  readonly father: string;
  readonly mother: string;
}

const PERUMAHAN = [
  'Villa Dago', 'Griya Serpong', 'Pamulang Permai', 'Bukit Pamulang Indah', 'Reni Jaya', 'Taman Mangu Indah',
  'Pondok Safari Indah', 'Puri Bintaro', 'Vila Pamulang', 'Serua Residence', 'Bumi Serpong Damai', 'Taman Kedaung',
] as const;

const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (y: number, m: number): number => (m === 2 && y % 4 === 0 ? 29 : DAYS[m - 1]!);

/** Strips what an e-mail local part cannot hold. */
function ascii(s: string): string {
  return s.toLowerCase().replace(/[^a-z]/g, '');
}

/** Makes people and keeps every identifier unique across them. */
export class People {
  readonly #used = { nik: new Set<string>(), kk: new Set<string>(), phone: new Set<string>(), email: new Set<string>(), address: new Set<string>(), subject: new Set<string>() };
  /** Names nobody else may carry as a parent or relative (the officers' families). */
  readonly #reservedNames = new Set<string>();

  constructor(private readonly random: Random) {}

  /** Keeps a name for the one family that holds it (officers' parents and relatives). */
  reserveName(name: string): void {
    this.#reservedNames.add(name.toLowerCase());
  }

  /** A fresh opaque subject id. */
  subject(): string {
    for (;;) {
      const s = `demo24-${this.random.hex(20)}`;
      if (!this.#used.subject.has(s)) {
        this.#used.subject.add(s);
        return s;
      }
    }
  }

  /** A birth date (YYYY-MM-DD) with the year in [fromYear, toYear]. */
  birthDate(fromYear: number, toYear: number): string {
    const y = this.random.int(fromYear, toYear);
    const m = this.random.int(1, 12);
    const d = this.random.int(1, daysIn(y, m));
    return `${y}-${pad(m, 2)}-${pad(d, 2)}`;
  }

  /** A unique NIK: 36, regency, district of first issue, birth date (+40 for women), serial. */
  nik(birthDate: string, sex: 'M' | 'F'): string {
    const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
    const region = this.random.weighted<readonly [string, number]>([
      [['74', 7] as const, 55],
      [['03', 29] as const, 12],
      [['71', 13] as const, 10],
      [['04', 29] as const, 5],
      [['73', 6] as const, 5],
      [['01', 35] as const, 4],
      [['02', 28] as const, 5],
      [['72', 8] as const, 4],
    ]);
    const [regency, districts] = region;
    for (;;) {
      const district = pad(this.random.int(1, districts), 2);
      const day = sex === 'F' ? d + 40 : d;
      const nik = `36${regency}${district}${pad(day, 2)}${pad(m, 2)}${pad(y % 100, 2)}${pad(this.random.int(1, 60), 4)}`;
      if (!this.#used.nik.has(nik)) {
        this.#used.nik.add(nik);
        return nik;
      }
    }
  }

  /** A unique KK number: 6-digit region, issue date DDMMYY, 4-digit family serial. */
  kk(region6: string): string {
    for (;;) {
      const y = this.random.int(2008, 2023);
      const m = this.random.int(1, 12);
      const d = this.random.int(1, daysIn(y, m));
      const kk = `${region6}${pad(d, 2)}${pad(m, 2)}${pad(y % 100, 2)}${pad(this.random.int(1, 2500), 4)}`;
      if (!this.#used.kk.has(kk)) {
        this.#used.kk.add(kk);
        return kk;
      }
    }
  }

  /** A unique street address, mostly in Tangerang Selatan; returns it and the 6-digit region of its KK. */
  address(inTangsel = this.random.chance(0.82)): { address: string; region6: string } {
    for (;;) {
      const rtRw = `RT ${pad(this.random.int(1, 12), 3)}/RW ${pad(this.random.int(1, 16), 3)}`;
      const street = this.random.chance(0.22)
        ? `Perum ${this.random.pick(PERUMAHAN)} Blok ${String.fromCharCode(65 + this.random.int(0, 7))}${this.random.int(1, 12)} No. ${this.random.int(1, 40)}`
        : `${this.random.pick(STREETS)} No. ${this.random.int(1, 150)}`;
      let address: string;
      let region6: string;
      if (inTangsel) {
        const kec = this.random.pick(KECAMATAN);
        address = `${street} ${rtRw}, Kel. ${this.random.pick(kec.kelurahan)}, Kec. ${kec.name}, Kota Tangerang Selatan, Banten`;
        region6 = `3674${kec.code}`;
      } else {
        const c = this.random.pick(OTHER_CITIES);
        const k = this.random.int(0, c.kec.length - 1);
        address = `${street} ${rtRw}, Kec. ${c.kec[k]!}, ${c.city}, Banten`;
        region6 = `36${c.regency}${pad(k + 1, 2)}`;
      }
      const key = address.toLowerCase();
      if (!this.#used.address.has(key)) {
        this.#used.address.add(key);
        return { address, region6 };
      }
    }
  }

  /** A unique mobile number, written the way people type it. */
  phone(): string {
    for (;;) {
      const prefix = this.random.pick(PHONE_PREFIXES);
      const rest = `${this.random.int(1, 9)}${pad(this.random.int(0, 9_999_999), this.random.chance(0.6) ? 7 : 6)}`;
      const digits = prefix + rest;
      if (this.#used.phone.has(digits)) continue;
      this.#used.phone.add(digits);
      const style = this.random.next();
      if (style < 0.7) return digits;
      if (style < 0.9) return `${digits.slice(0, 4)}-${digits.slice(4, 8)}-${digits.slice(8)}`;
      return `+62 ${digits.slice(1, 4)}-${digits.slice(4, 8)}-${digits.slice(8)}`;
    }
  }

  /** A unique e-mail address made from the name. */
  email(name: string): string {
    const words = name.split(' ').map(ascii).filter(Boolean);
    const first = words[0] ?? 'peserta';
    const last = words[words.length - 1] ?? 'cpns';
    for (;;) {
      const style = this.random.int(0, 3);
      const n = this.random.int(1, 99);
      const local = style === 0 ? `${first}.${last}${n}` : style === 1 ? `${first}${last}${n}` : style === 2 ? `${first}_${n}${this.random.int(0, 9)}` : `${last}.${first}${1990 + this.random.int(0, 12)}`;
      const email = `${local}@${this.random.weighted(EMAIL_DOMAINS)}`;
      if (!this.#used.email.has(email)) {
        this.#used.email.add(email);
        return email;
      }
    }
  }

  /** A Batak marga (weighted), or null for a family without one. */
  marga(p: number): string | null {
    if (!this.random.chance(p)) return null;
    return this.random.weighted(MARGA.map((m, i) => [m, MARGA_WEIGHTS[i]!] as const));
  }

  /** A new household, with its own family card and address. */
  family(opts: { marga?: string | null; inTangsel?: boolean } = {}): Family {
    const marga = opts.marga === undefined ? this.marga(0.2) : opts.marga;
    const { address, region6 } = this.address(opts.inTangsel);
    for (;;) {
      const father = marga ? `${this.random.pick(OLDER_MALE_NAMES)} ${marga}` : this.random.chance(0.5) ? this.random.pick(OLDER_MALE_NAMES) : `${this.random.pick(OLDER_MALE_NAMES)} ${this.random.pick(LAST_NAMES_MALE)}`;
      const motherMarga = marga ? this.marga(1) : null;
      const mother = motherMarga && motherMarga !== marga ? `${this.random.pick(OLDER_FEMALE_NAMES)} br. ${motherMarga}` : this.random.pick(OLDER_FEMALE_NAMES);
      if (this.#reservedNames.has(father.toLowerCase()) || this.#reservedNames.has(mother.toLowerCase())) continue;
      return { kk: this.kk(region6), address, marga, father, mother };
    }
  }

  /** A given-and-family name for a child of the family. */
  name(sex: 'M' | 'F', marga: string | null): string {
    for (;;) {
      const first = this.random.pick(sex === 'M' ? MALE_NAMES : FEMALE_NAMES);
      const middle = this.random.chance(0.35) ? ` ${this.random.pick(sex === 'M' ? MIDDLE_NAMES_MALE : MIDDLE_NAMES_FEMALE)}` : '';
      const last = marga ?? (this.random.chance(0.8) ? this.random.pick(sex === 'M' ? LAST_NAMES_MALE : LAST_NAMES_FEMALE) : '');
      const name = `${first}${middle}${last ? ` ${last}` : ''}`;
      if (name.split(' ').length < 2 && this.random.chance(0.5)) continue; // most people here carry two or more names
      if (!this.#reservedNames.has(name.toLowerCase())) return name;
    }
  }

  /** A person of the family (or of a new one), born between the given years. */
  person(opts: { sex?: 'M' | 'F'; fromYear: number; toYear: number; family?: Family; femaleShare?: number }): Person {
    const sex = opts.sex ?? (this.random.chance(opts.femaleShare ?? 0.5) ? 'F' : 'M');
    const family = opts.family ?? this.family();
    const birthDate = this.birthDate(opts.fromYear, opts.toYear);
    const name = this.name(sex, family.marga);
    return {
      subject: this.subject(),
      nik: this.nik(birthDate, sex),
      kk: family.kk,
      name,
      sex,
      birthDate,
      address: family.address,
      phone: this.phone(),
      email: this.email(name),
      parents: [family.father, family.mother],
    };
  }
}

/** A bank account in the form the vault accepts ("BJB 0071234567"). */
export function bankAccount(random: Random): string {
  return `${random.pick(['BJB', 'BRI', 'BNI', 'Mandiri', 'BSI'])} ${pad(random.int(0, 99_999), 5)}${pad(random.int(0, 99_999), 5)}`;
}
