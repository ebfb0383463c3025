/**
 * The files officers actually receive: the SSCASN registration export and the BKN CAT
 * score exports, as CSV. Every row is validated; a file with any bad row is refused as a
 * whole, each bad row named by its line number. The column mapping is in docs/import.md.
 */
import { parse } from 'csv-parse/sync';
import { PppkCategory, isDomainError } from '@casn/domain';
import { z } from 'zod';
import { ApplicantData } from './personal.ts';

/** One problem in an imported file; `line` counts from 1 with the header as line 1. */
export interface RowError {
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

/** A file that cannot be imported, with every bad row. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(readonly errors: readonly RowError[]) {
    super(`${errors.length} problem(s) in the file; nothing was imported`);
  }
}

const Id = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ - (at most 64)');
const blankAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalNumber = (schema: z.ZodNumber) => z.preprocess(blankAsUndefined, z.coerce.number().pipe(schema).optional());
const Score = z.coerce.number().int('must be a whole number').min(0);

// SSCASN writes times in WIB (UTC+7) as 'YYYY-MM-DD HH:mm:ss'; an explicit offset is kept.
const WibTime = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?$/, 'must be a time like 2024-09-06 23:59:59')
  .transform((v, ctx) => {
    const text = v.replace(' ', 'T');
    const withZone = /([+-]\d{2}:\d{2}|Z)$/.test(text) ? text : `${text}+07:00`;
    const date = new Date(withZone);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'is not a real date and time' });
      return z.NEVER;
    }
    return date.toISOString();
  });

const person = ApplicantData.shape;
const optionalName = z.preprocess(blankAsUndefined, z.string().trim().min(1).max(200).optional());

/** A row of the SSCASN registration export: personal data columns checked as the API checks them. */
const RegistrationRow = z.object({
  no_pendaftaran: Id,
  formasi_id: Id,
  nik: person.nik,
  no_kk: person.kk,
  nama: person.name,
  tgl_lahir: z.preprocess(blankAsUndefined, z.iso.date().optional()),
  alamat: person.address,
  no_hp: person.phone,
  email: person.email,
  nama_ayah: optionalName,
  nama_ibu: optionalName,
  pendidikan: z.string().trim().min(1).max(100),
  ipk: optionalNumber(z.number().min(0).max(4)),
  nilai_ijazah: optionalNumber(z.number().min(0).max(100)),
  kategori_pppk: z.preprocess(blankAsUndefined, PppkCategory.optional()),
  tgl_submit: WibTime,
});

/** One application of a registration export. */
export interface Registration {
  readonly line: number;
  readonly applicationId: string;
  readonly formationId: string;
  readonly submittedAt: string;
  readonly applicant: ApplicantData;
  readonly education: { level: string; ipk?: number; average?: number };
  readonly pppkCategory?: z.infer<typeof PppkCategory>;
}

/**
 * Parses an SSCASN registration export for a period of `year`: every column, the NIK's
 * structure and birth date (`checkNik` throws a DomainError), and one row per NIK; throws
 * ImportError listing every bad row.
 */
export function parseRegistrations(csv: string, checkNik: (nik: string, birthDate: string | undefined) => void): Registration[] {
  const niks = new Map<string, number>();
  const check = (r: z.output<typeof RegistrationRow>, line: number): RowError[] => {
    const first = niks.get(r.nik);
    if (first !== undefined) return [{ line, field: 'nik', message: `one-application-per-person: the same NIK as line ${first}` }];
    niks.set(r.nik, line);
    try {
      checkNik(r.nik, r.tgl_lahir);
      return [];
    } catch (err) {
      if (!isDomainError(err)) throw err;
      return [{ line, field: err.opts.field === 'birthDate' ? 'tgl_lahir' : 'nik', message: `${err.rule}: ${err.message}` }];
    }
  };
  return parseRows(csv, RegistrationRow, check).map(({ line, value: r }) => {
    const parents = [r.nama_ayah, r.nama_ibu].filter((v): v is string => v !== undefined);
    return {
      line,
      applicationId: r.no_pendaftaran,
      formationId: r.formasi_id,
      submittedAt: r.tgl_submit,
      applicant: {
        nik: r.nik,
        kk: r.no_kk,
        name: r.nama,
        address: r.alamat,
        phone: r.no_hp,
        email: r.email,
        ...(r.tgl_lahir ? { birthDate: r.tgl_lahir } : {}),
        ...(parents.length > 0 ? { parents } : {}),
      },
      education: { level: r.pendidikan, ...(r.ipk === undefined ? {} : { ipk: r.ipk }), ...(r.nilai_ijazah === undefined ? {} : { average: r.nilai_ijazah }) },
      ...(r.kategori_pppk ? { pppkCategory: r.kategori_pppk } : {}),
    };
  });
}

const Attendance = z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v), z.enum(['HADIR', 'TIDAK HADIR']));
const OptionalScore = z.preprocess(blankAsUndefined, Score.optional());

/**
 * A row of a BKN CAT export with the given score columns and their `total`: scores are
 * required of those present (HADIR), and the total must be their sum.
 */
function catRow<const K extends string>(parts: readonly K[]) {
  const shape = Object.fromEntries([...parts, 'total'].map((k) => [k, OptionalScore])) as Record<K | 'total', typeof OptionalScore>;
  return z
    .object({ no_pendaftaran: Id, kehadiran: Attendance, ...shape })
    .superRefine((row, ctx) => {
      const r = row as unknown as Record<K | 'total', number | undefined> & { kehadiran: string };
      if (r.kehadiran === 'TIDAK HADIR') return;
      for (const k of [...parts, 'total' as const]) if (r[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: 'is required when present (HADIR)' });
      if (parts.every((k) => r[k] !== undefined) && r.total !== undefined && r.total !== parts.reduce((n, k) => n + r[k]!, 0)) {
        ctx.addIssue({ code: 'custom', path: ['total'], message: `is not ${parts.join(' + ')}` });
      }
    });
}

/** A row of the BKN CAT SKD export. */
const SkdRow = catRow(['twk', 'tiu', 'tkp']);
/** A row of the BKN CAT PPPK competency export. */
const CompetencyRow = catRow(['teknis', 'manajerial', 'sosial_kultural', 'wawancara']);

/** One application's result in a CAT export: absent, or its scores. */
export type CatResult =
  | { readonly line: number; readonly applicationId: string; readonly absent: true }
  | { readonly line: number; readonly applicationId: string; readonly absent: false; readonly skd: { twk: number; tiu: number; tkp: number } }
  | {
      readonly line: number;
      readonly applicationId: string;
      readonly absent: false;
      readonly competency: { teknis: number; manajerial: number; sosialKultural: number; wawancara: number };
    };

/** Parses a CAT export of SKD scores (CPNS) or competency scores (PPPK); throws ImportError. */
export function parseCatScores(csv: string, kind: 'CPNS' | 'PPPK'): CatResult[] {
  if (kind === 'CPNS') {
    return parseRows(csv, SkdRow).map(({ line, value: r }): CatResult =>
      r.kehadiran === 'TIDAK HADIR'
        ? { line, applicationId: r.no_pendaftaran, absent: true }
        : { line, applicationId: r.no_pendaftaran, absent: false, skd: { twk: r.twk!, tiu: r.tiu!, tkp: r.tkp! } },
    );
  }
  return parseRows(csv, CompetencyRow).map(({ line, value: r }): CatResult =>
    r.kehadiran === 'TIDAK HADIR'
      ? { line, applicationId: r.no_pendaftaran, absent: true }
      : {
          line,
          applicationId: r.no_pendaftaran,
          absent: false,
          competency: { teknis: r.teknis!, manajerial: r.manajerial!, sosialKultural: r.sosial_kultural!, wawancara: r.wawancara! },
        },
  );
}

/**
 * Parses CSV rows with a zod schema; every problem of every row is collected before the
 * file is refused. Messages name columns, never values: a value may be personal data.
 */
function parseRows<S extends z.ZodType>(
  csv: string,
  schema: S,
  check: (value: z.output<S>, line: number) => RowError[] = () => [],
): { line: number; value: z.output<S> }[] {
  let records: { line: number; row: Record<string, string> }[];
  try {
    const parsed: { record: Record<string, string>; info: { lines: number } }[] = parse(csv, {
      columns: (header: string[]) => header.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      bom: true,
      info: true,
    });
    records = parsed.map((r) => ({ line: r.info.lines, row: r.record }));
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    throw new ImportError([{ line, field: '(file)', message: `is not valid CSV: ${(err as { code?: string }).code ?? 'parse error'}` }]);
  }
  if (records.length === 0) throw new ImportError([{ line: 1, field: '(file)', message: 'has no data rows' }]);
  const errors: RowError[] = [];
  const out: { line: number; value: z.output<S> }[] = [];
  const seen = new Map<string, number>();
  for (const { line, row } of records) {
    const parsed = schema.safeParse(row);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ line, field: issue.path.join('.') || '(row)', message: issue.message });
      continue;
    }
    const id = (row.no_pendaftaran ?? '').trim();
    const first = seen.get(id);
    if (first !== undefined) errors.push({ line, field: 'no_pendaftaran', message: `repeats line ${first}` });
    else seen.set(id, line);
    errors.push(...check(parsed.data, line));
    out.push({ line, value: parsed.data });
  }
  if (errors.length > 0) throw new ImportError(errors);
  return out;
}
