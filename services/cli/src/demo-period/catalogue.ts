/**
 * The fixed parts of the demo period: the agency, its formations (formasi), the stage
 * calendar of 2024 and the document checklist with the reasons a verifier gives for TMS.
 */
import type { Schedule, SkbWeights, Track } from '@casn/domain';
import { wibIso, wib } from './calendar.ts';

/** Id of the demo period. */
export const PERIOD_ID = 'tangsel-2024-cpns';
/** The recruiting agency. */
export const AGENCY = { code: 'kota-tangerang-selatan', name: 'Pemerintah Kota Tangerang Selatan', level: 'daerah' } as const;
/** Rule set in force. */
export const RULES = 'casn-2024';
/** SKB weights of the agency: CAT 60%, practical test 40% (daerah: CAT >= 50%, one extra <= 40%, no interview). */
export const SKB_WEIGHTS: SkbWeights = { cat: 0.6, practical: 0.4 };

/** One formation of the demo, with how it is staffed and tested. */
export interface FormationDef {
  readonly id: string;
  readonly jabatan: string;
  readonly unit: string;
  readonly location: string;
  readonly education: readonly string[];
  readonly track: Track;
  readonly quota: number;
  /** Relative share of applicants. */
  readonly share: number;
  /** Education level written on the application. */
  readonly level: 'S-1' | 'D-3' | 'Profesi Dokter';
  /** Added to an applicant's ability (selective formations draw stronger fields). */
  readonly strength: number;
  /** Documents checked at verification besides the common ones. */
  readonly extraDocuments: readonly string[];
  /** The two examiners of the practical SKB test. */
  readonly examiners: readonly [string, string];
}

const GURU = 'Dinas Pendidikan dan Kebudayaan';

/** The ten formations. */
export const FORMATIONS: readonly FormationDef[] = [
  {
    id: 'f01-guru-matematika', jabatan: 'Guru Ahli Pertama - Guru Matematika', unit: GURU,
    location: 'SMP Negeri 4 Kota Tangerang Selatan, Kec. Pamulang', education: ['S-1 Pendidikan Matematika', 'S-1 Matematika'],
    track: 'umum', quota: 4, share: 15, level: 'S-1', strength: 0, extraDocuments: [], examiners: ['penguji-skb-01', 'penguji-skb-02'],
  },
  {
    id: 'f02-guru-bahasa-indonesia', jabatan: 'Guru Ahli Pertama - Guru Bahasa Indonesia', unit: GURU,
    location: 'SMP Negeri 11 Kota Tangerang Selatan, Kec. Ciputat Timur', education: ['S-1 Pendidikan Bahasa dan Sastra Indonesia'],
    track: 'umum', quota: 3, share: 11, level: 'S-1', strength: 0, extraDocuments: [], examiners: ['penguji-skb-02', 'penguji-skb-03'],
  },
  {
    id: 'f03-guru-ipa', jabatan: 'Guru Ahli Pertama - Guru Ilmu Pengetahuan Alam', unit: GURU,
    location: 'SMP Negeri 8 Kota Tangerang Selatan, Kec. Serpong Utara', education: ['S-1 Pendidikan IPA', 'S-1 Pendidikan Biologi', 'S-1 Pendidikan Fisika'],
    track: 'umum', quota: 3, share: 10, level: 'S-1', strength: 0, extraDocuments: [], examiners: ['penguji-skb-01', 'penguji-skb-03'],
  },
  {
    id: 'f04-guru-kelas-sd', jabatan: 'Guru Ahli Pertama - Guru Kelas', unit: GURU,
    location: 'SD Negeri Pondok Kacang Timur 2, Kec. Pondok Aren', education: ['S-1 Pendidikan Guru Sekolah Dasar'],
    track: 'umum', quota: 6, share: 13, level: 'S-1', strength: 0, extraDocuments: [], examiners: ['penguji-skb-02', 'penguji-skb-04'],
  },
  {
    id: 'f05-perawat-terampil', jabatan: 'Perawat Terampil', unit: 'Rumah Sakit Umum Kota Tangerang Selatan',
    location: 'RSU Kota Tangerang Selatan, Kec. Pamulang', education: ['D-3 Keperawatan'],
    track: 'umum', quota: 8, share: 17, level: 'D-3', strength: 0, extraDocuments: ['Surat Tanda Registrasi (STR)'], examiners: ['penguji-skb-03', 'penguji-skb-04'],
  },
  {
    id: 'f06-pranata-komputer', jabatan: 'Pranata Komputer Ahli Pertama', unit: 'Dinas Komunikasi dan Informatika',
    location: 'Pusat Pemerintahan Kota Tangerang Selatan, Kec. Ciputat', education: ['S-1 Teknik Informatika', 'S-1 Sistem Informasi', 'S-1 Ilmu Komputer'],
    track: 'umum', quota: 2, share: 9, level: 'S-1', strength: 0.2, extraDocuments: [], examiners: ['penguji-skb-01', 'penguji-skb-04'],
  },
  {
    id: 'f07-analis-kebijakan-cumlaude', jabatan: 'Analis Kebijakan Ahli Pertama', unit: 'Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah',
    location: 'Pusat Pemerintahan Kota Tangerang Selatan, Kec. Ciputat', education: ['S-1 Administrasi Publik', 'S-1 Ilmu Pemerintahan', 'S-1 Ilmu Politik'],
    track: 'cumlaude', quota: 2, share: 5, level: 'S-1', strength: 0.6, extraDocuments: ['Bukti Akreditasi Perguruan Tinggi dan Program Studi'], examiners: ['penguji-skb-02', 'penguji-skb-03'],
  },
  {
    id: 'f08-dokter-ahli-pertama', jabatan: 'Dokter Ahli Pertama', unit: 'Dinas Kesehatan',
    location: 'UPTD Puskesmas Pondok Aren, Kec. Pondok Aren', education: ['S-1 Pendidikan Dokter dan Profesi Dokter'],
    track: 'umum', quota: 3, share: 7, level: 'Profesi Dokter', strength: 0.5, extraDocuments: ['Surat Tanda Registrasi (STR)'], examiners: ['penguji-skb-01', 'penguji-skb-02'],
  },
  {
    id: 'f09-penyuluh-pertanian', jabatan: 'Penyuluh Pertanian Ahli Pertama', unit: 'Dinas Ketahanan Pangan, Pertanian dan Perikanan',
    location: 'Balai Penyuluhan Pertanian Kec. Setu', education: ['S-1 Agribisnis', 'S-1 Agroteknologi', 'S-1 Penyuluhan Pertanian'],
    track: 'umum', quota: 1, share: 6, level: 'S-1', strength: 0, extraDocuments: [], examiners: ['penguji-skb-03', 'penguji-skb-04'],
  },
  {
    id: 'f10-arsiparis-disabilitas', jabatan: 'Arsiparis Ahli Pertama', unit: 'Dinas Perpustakaan dan Arsip Daerah',
    location: 'Dinas Perpustakaan dan Arsip Daerah, Kec. Ciputat', education: ['S-1 Kearsipan', 'S-1 Ilmu Perpustakaan'],
    track: 'disabilitas', quota: 1, share: 4, level: 'S-1', strength: -0.2, extraDocuments: ['Surat Keterangan Disabilitas dari Dokter'], examiners: ['penguji-skb-01', 'penguji-skb-03'],
  },
];

/** Documents every application carries. */
export const COMMON_DOCUMENTS: readonly string[] = ['Surat Lamaran', 'Ijazah', 'Transkrip Nilai', 'Pas Foto', 'Surat Pernyataan'];

/** Why a verifier marks a document TMS. */
export const TMS_REASONS: Readonly<Record<string, readonly string[]>> = {
  'Surat Lamaran': ['Surat lamaran tidak ditandatangani', 'Surat lamaran tidak ditujukan kepada Wali Kota Tangerang Selatan'],
  Ijazah: ['Ijazah tidak sesuai kualifikasi pendidikan formasi', 'Ijazah yang diunggah bukan ijazah asli / tidak terbaca'],
  'Transkrip Nilai': ['Transkrip nilai tidak mencantumkan IPK', 'Transkrip nilai yang diunggah tidak lengkap'],
  'Pas Foto': ['Pas foto tidak berlatar belakang merah', 'Pas foto tidak sesuai ketentuan (berkacamata hitam / tidak formal)'],
  'Surat Pernyataan': ['Surat pernyataan tidak bermeterai', 'Format surat pernyataan tidak sesuai lampiran pengumuman'],
  'Surat Tanda Registrasi (STR)': ['STR sudah tidak berlaku pada saat pendaftaran'],
  'Surat Keterangan Disabilitas dari Dokter': ['Surat keterangan tidak mencantumkan jenis dan derajat disabilitas'],
  'Bukti Akreditasi Perguruan Tinggi dan Program Studi': ['Akreditasi program studi pada saat kelulusan bukan A/Unggul'],
};

/** The stage windows as first announced (registration is extended later). */
export const SCHEDULE: Schedule = {
  registration: { opens: wibIso(wib('2024-08-20', '00:00')), closes: wibIso(wib('2024-09-06', '23:59:59')) },
  verification: { opens: wibIso(wib('2024-08-21', '08:00')), closes: wibIso(wib('2024-09-18', '23:59:59')) },
  sanggah: { opens: wibIso(wib('2024-09-20', '00:00')), closes: wibIso(wib('2024-09-22', '23:59:59')) },
  skd: { opens: wibIso(wib('2024-10-14', '07:00')), closes: wibIso(wib('2024-10-31', '17:00')) },
  skb: { opens: wibIso(wib('2024-11-18', '07:00')), closes: wibIso(wib('2024-11-29', '17:00')) },
};

/** The extended close of registration (announced on 6 September). */
export const REGISTRATION_EXTENDED_TO = wib('2024-09-10', '23:59:59');

/** References of the announcements (pengumuman) and letters of the period. */
export const REFERENCES = {
  extension: 'Pengumuman BKPSDM Kota Tangerang Selatan Nomor 800.1.2.2/1987-BKPSDM/2024',
  administrasi: 'Pengumuman Nomor 800.1.2.2/2146-BKPSDM/2024 tentang Hasil Seleksi Administrasi',
  pascaSanggah: 'Pengumuman Nomor 800.1.2.2/2231-BKPSDM/2024 tentang Hasil Seleksi Administrasi Pasca Sanggah',
  sanggahApproval: 'Persetujuan Ketua Panselnas Nomor 9271/B-KS.04.01/SD/K/2024',
  formationChange: 'Surat Sekretaris Daerah Nomor 800.1.2.2/3310-BKPSDM/2024',
  skd: 'Pengumuman Nomor 800.1.2.2/2702-BKPSDM/2024 tentang Hasil SKD',
  lateScoreApproval: 'Surat Kepala Kantor Regional III BKN Nomor 4406/KR.III/XI/2024',
  skb: 'Pengumuman Nomor 800.1.2.2/3094-BKPSDM/2024 tentang Hasil SKB',
  final: 'Pengumuman Nomor 800.1.2.2/3321-BKPSDM/2024 tentang Hasil Akhir Seleksi CPNS 2024',
  replacement: 'Persetujuan Kepala BKN Nomor 12117/B-MP.01.01/SD/K/2024 tentang Penggantian Peserta APS',
} as const;
