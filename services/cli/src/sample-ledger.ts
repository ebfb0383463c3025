/**
 * A synthetic recruitment at a city government, for the demo: formasi announced,
 * applications, document verification (MS/TMS), sanggah, SKD scores and final results.
 * Every identifier is made up (PEL-2026-0001, verifikator-03, ...); there is no name, NIK,
 * phone number or address anywhere. The data is the same on every run (seeded).
 */
import type { EventDraft, ExpectedVersion } from '@casn/event-store';

/** Origin of the demo ledger. */
export const DEMO_ORIGIN = 'casn.tangerangselatankota.go.id/2026';

/** One append of the sample: events for one stream at an expected version. */
export interface SampleAppend {
  readonly stream: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly EventDraft[];
}

/** A step of the recruitment; its appends touch distinct streams, so they may run concurrently. */
export interface SamplePhase {
  readonly name: string;
  readonly appends: readonly SampleAppend[];
}

interface Formasi {
  readonly code: string;
  readonly jabatan: string;
  readonly unit: string;
  readonly kualifikasi: string;
  readonly quota: number;
}

const FORMASI: readonly Formasi[] = [
  { code: 'F-01', jabatan: 'Guru Ahli Pertama - Matematika', unit: 'Dinas Pendidikan', kualifikasi: 'S1 Pendidikan Matematika', quota: 4 },
  { code: 'F-02', jabatan: 'Guru Ahli Pertama - Bahasa Indonesia', unit: 'Dinas Pendidikan', kualifikasi: 'S1 Pendidikan Bahasa Indonesia', quota: 3 },
  { code: 'F-03', jabatan: 'Dokter Ahli Pertama', unit: 'Dinas Kesehatan', kualifikasi: 'Profesi Dokter', quota: 2 },
  { code: 'F-04', jabatan: 'Perawat Terampil', unit: 'RSU Kota Tangerang Selatan', kualifikasi: 'D3 Keperawatan', quota: 4 },
  { code: 'F-05', jabatan: 'Bidan Terampil', unit: 'Dinas Kesehatan', kualifikasi: 'D3 Kebidanan', quota: 2 },
  { code: 'F-06', jabatan: 'Pranata Komputer Ahli Pertama', unit: 'Dinas Komunikasi dan Informatika', kualifikasi: 'S1 Informatika', quota: 2 },
  { code: 'F-07', jabatan: 'Analis Kebijakan Ahli Pertama', unit: 'Bappeda', kualifikasi: 'S1 Administrasi Publik', quota: 1 },
  { code: 'F-08', jabatan: 'Auditor Ahli Pertama', unit: 'Inspektorat', kualifikasi: 'S1 Akuntansi', quota: 1 },
  { code: 'F-09', jabatan: 'Arsiparis Terampil', unit: 'Dinas Perpustakaan dan Arsip', kualifikasi: 'D3 Kearsipan', quota: 1 },
  { code: 'F-10', jabatan: 'Pengelola Pengadaan Barang/Jasa Ahli Pertama', unit: 'Bagian Pengadaan Barang dan Jasa', kualifikasi: 'S1 Manajemen', quota: 2 },
];

const APPLICANTS = 300;
// SKD passing grade for the general track: TWK 65, TIU 80, TKP 166 (maxima 150, 175, 225).
const PASSING = { twk: 65, tiu: 80, tkp: 166 } as const;
const TMS_REASONS = [
  'ijazah tidak sesuai kualifikasi pendidikan formasi',
  'surat lamaran tidak ditandatangani',
  'pas foto tidak sesuai ketentuan',
] as const;

const PORTAL = { id: 'portal-sscasn', role: 'portal' } as const;
const SUPERVISOR = { id: 'supervisor-panselda-01', role: 'supervisor' } as const;
const CAT = { id: 'officer-cat-bkn-01', role: 'officer' } as const;
const verifier = (n: number) => ({ id: `verifikator-${String(n).padStart(2, '0')}`, role: 'officer' });

interface Applicant {
  readonly id: string;
  readonly stream: string;
  readonly formasi: Formasi;
  readonly ipk: number;
  version: number;
  ms: boolean;
  skd?: { twk: number; tiu: number; tkp: number; total: number; passed: boolean };
}

/** The phases of the sample recruitment, in order; about 900 entries in all. */
export function sampleRecruitment(seed = 2026): SamplePhase[] {
  const random = seededRandom(seed);
  const between = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const phases: SamplePhase[] = [];

  phases.push({
    name: 'formasi announced',
    appends: FORMASI.map((f) => ({
      stream: `formasi/${f.code}`,
      expectedVersion: -1,
      events: [
        {
          type: 'FormasiAnnounced',
          actor: SUPERVISOR,
          payload: { formasi: f.code, jabatan: f.jabatan, unit: f.unit, kualifikasi: f.kualifikasi, quota: f.quota, jenis: 'umum' },
        },
      ],
    })),
  });

  const applicants: Applicant[] = [];
  for (let i = 1; i <= APPLICANTS; i++) {
    const id = `PEL-2026-${String(i).padStart(4, '0')}`;
    // Teachers' and nurses' formasi draw more applicants, as they do in practice.
    const formasi = FORMASI[Math.min(FORMASI.length - 1, Math.floor(random() ** 1.4 * FORMASI.length))]!;
    applicants.push({ id, stream: `application/${id}`, formasi, ipk: between(285, 395) / 100, version: 0, ms: false });
  }
  phases.push({
    name: 'applications submitted',
    appends: applicants.map((a) => ({
      stream: a.stream,
      expectedVersion: -1,
      events: [
        {
          type: 'ApplicationSubmitted',
          actor: PORTAL,
          payload: {
            applicant: a.id,
            formasi: a.formasi.code,
            ipk: a.ipk,
            dokumen: ['surat-lamaran', 'ijazah', 'transkrip-nilai', 'pas-foto'],
          },
        },
      ],
    })),
  });

  const verification = (a: Applicant, result: 'MS' | 'TMS', reason?: string, extra: Record<string, unknown> = {}): SampleAppend => {
    const append = {
      stream: a.stream,
      expectedVersion: a.version,
      events: [
        {
          type: 'DocumentsVerified',
          actor: verifier(1 + (Number(a.id.slice(-4)) % 6)),
          payload: { applicant: a.id, result, ...(reason !== undefined && { alasan: reason }), ...extra },
        },
      ],
    };
    a.version++;
    a.ms = result === 'MS';
    return append;
  };
  phases.push({
    name: 'documents verified',
    appends: applicants.map((a) => {
      if (a.ipk < 3) return verification(a, 'TMS', 'IPK di bawah syarat minimal 3,00');
      if (random() < 0.1) return verification(a, 'TMS', TMS_REASONS[between(0, TMS_REASONS.length - 1)]);
      return verification(a, 'MS');
    }),
  });

  // Two sanggah (appeals) against a TMS: one upheld, after which the documents are verified
  // again as MS, and one rejected.
  const appealable = applicants.filter((a) => !a.ms && a.ipk >= 3);
  const [upheld, rejected] = appealable;
  if (upheld && rejected) {
    const sanggah = (a: Applicant, alasan: string): SampleAppend => {
      const append = { stream: a.stream, expectedVersion: a.version, events: [{ type: 'SanggahFiled', actor: PORTAL, payload: { applicant: a.id, alasan } }] };
      a.version++;
      return append;
    };
    phases.push({
      name: 'sanggah filed',
      appends: [
        sanggah(upheld, 'dokumen yang dipersyaratkan sudah lengkap dan sesuai, mohon diperiksa kembali'),
        sanggah(rejected, 'mohon pertimbangan kembali'),
      ],
    });
    const resolution = (a: Applicant, outcome: 'diterima' | 'ditolak', catatan: string): SampleAppend => {
      const append = {
        stream: a.stream,
        expectedVersion: a.version,
        events: [{ type: 'SanggahResolved', actor: SUPERVISOR, payload: { applicant: a.id, outcome, catatan } }],
      };
      a.version++;
      return append;
    };
    phases.push({
      name: 'sanggah resolved',
      appends: [
        resolution(upheld, 'diterima', 'dokumen asli diperiksa ulang dan memenuhi syarat'),
        resolution(rejected, 'ditolak', 'dokumen tetap tidak memenuhi syarat'),
      ],
    });
    phases.push({ name: 'documents verified again', appends: [verification(upheld, 'MS', undefined, { afterSanggah: true })] });
  }

  const eligible = applicants.filter((a) => a.ms);
  phases.push({
    name: 'SKD scores recorded',
    appends: eligible.map((a) => {
      const twk = 5 * between(9, 26);
      const tiu = 5 * between(12, 30);
      const tkp = between(140, 205);
      const skd = { twk, tiu, tkp, total: twk + tiu + tkp, passed: twk >= PASSING.twk && tiu >= PASSING.tiu && tkp >= PASSING.tkp };
      a.skd = skd;
      const append = {
        stream: a.stream,
        expectedVersion: a.version,
        events: [{ type: 'SkdScoreRecorded', actor: CAT, payload: { applicant: a.id, ...skd, passingGrade: PASSING } }],
      };
      a.version++;
      return append;
    }),
  });

  phases.push({
    name: 'final results announced',
    appends: FORMASI.map((f) => {
      // Ranked by total, then TKP, TIU and TWK, as the SKD tie-break rules order them.
      const ranked = eligible
        .filter((a) => a.formasi === f && a.skd?.passed)
        .sort((x, y) => y.skd!.total - x.skd!.total || y.skd!.tkp - x.skd!.tkp || y.skd!.tiu - x.skd!.tiu || y.skd!.twk - x.skd!.twk);
      return {
        stream: `formasi/${f.code}`,
        expectedVersion: 0,
        events: [
          {
            type: 'FinalResultsAnnounced',
            actor: SUPERVISOR,
            payload: {
              formasi: f.code,
              quota: f.quota,
              lulus: ranked.slice(0, f.quota).map((a) => a.id),
              cadangan: ranked.slice(f.quota, f.quota + 3).map((a) => a.id),
            },
          },
        ],
      };
    }),
  });
  return phases;
}

/** A small seeded generator (mulberry32) of numbers in [0, 1): the same seed, the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
