/** What a blind index is computed over; each kind has its own normalisation and its own domain. */
export type IndexKind = 'nik' | 'kk' | 'phone' | 'email' | 'address' | 'bank' | 'name';

/** Normalises a value for blind indexing; returns undefined when nothing meaningful remains. */
export function normalise(kind: IndexKind, value: string): string | undefined {
  let out: string;
  switch (kind) {
    case 'nik':
    case 'kk':
      out = digits(value);
      break;
    case 'phone':
      out = phone(value);
      break;
    case 'email':
      out = value.trim().toLowerCase();
      break;
    case 'bank':
      out = bank(value);
      break;
    case 'name':
      out = name(value);
      break;
    case 'address':
      out = address(value);
      break;
  }
  return out === '' ? undefined : out;
}

function digits(value: string): string {
  return value.replace(/\D/g, '');
}

function phone(value: string): string {
  let d = digits(value);
  if (d.startsWith('00')) d = d.slice(2);
  // '+62 (0)812…' is written often; no Indonesian number continues 62 with a 0.
  if (d.startsWith('620')) d = '62' + d.slice(3);
  if (d.startsWith('0')) return '62' + d.slice(1);
  if (d.startsWith('8')) return '62' + d;
  return d;
}

function bank(value: string): string {
  const m = /^\s*(?:bank\s+)?([a-z]+)(.*)$/i.exec(value);
  if (!m) return '';
  const account = digits(m[2]!);
  return account === '' ? '' : `${m[1]!.toUpperCase()}:${account}`;
}

/** Lowercase, without diacritics. */
function fold(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Letters and digits only, single spaces; apostrophes vanish (ma'ruf = maruf). */
function words(value: string): string {
  return value.replace(/['’`]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Honorifics written before a name. */
const TITLES = ['prof', 'dr', 'drs', 'dra', 'drg', 'drh', 'ir', 'h', 'hj', 'kh', 'apt', 'ns'];

/** Degrees written after a name, atoms separated by dots ('s.pd' also matches 'spd', 's. pd.'). */
const DEGREES = [
  // Sarjana, sarjana terapan and diploma.
  's.pd', 's.pd.i', 's.pd.sd', 's.kom', 's.h', 's.h.i', 's.e', 's.e.i', 's.t', 's.si', 's.sos', 's.sos.i',
  's.ag', 's.ip', 's.i.p', 's.i.kom', 's.psi', 's.farm', 's.ked', 's.kep', 's.kes', 's.k.m', 's.gz', 's.s',
  's.sn', 's.ds', 's.hut', 's.p', 's.pt', 's.pi', 's.th', 's.th.i', 's.hum', 's.ak', 's.m', 's.ab', 's.an',
  's.stat', 's.tp', 's.keb', 's.tr', 's.tr.kes', 's.tr.keb', 's.tr.t', 's.s.t', 's.st', 's.i.pust',
  'a.md', 'a.md.kep', 'a.md.keb', 'a.md.kes', 'a.md.ak', 'a.md.kom', 'a.ma', 'a.ma.pd', 'a.p',
  // Magister and doktor.
  'm.pd', 'm.pd.i', 'm.si', 'm.kom', 'm.h', 'm.h.i', 'm.m', 'm.t', 'm.e', 'm.e.i', 'm.kes', 'm.ag', 'm.a',
  'm.sc', 'm.eng', 'm.b.a', 'm.ak', 'm.ap', 'm.kn', 'm.psi', 'm.hum', 'm.farm', 'm.kep', 'm.ked', 'm.sos',
  'm.ip', 'm.p', 'm.p.h', 'm.tr', 'm.i.kom', 'ph.d', 'b.sc', 'b.a', 'lc',
  // Specialists and professions.
  'sp.a', 'sp.b', 'sp.pd', 'sp.og', 'sp.m', 'sp.jp', 'sp.an', 'sp.rad', 'sp.kk', 'sp.tht', 'sp.s', 'sp.p',
  'sp.n', 'sp.u', 'sp.ot', 'sp.kj', 'sp.pk', 'sp.pa', 'apt', 'ns', 'ners', 'cht',
];

const atoms = (degree: string): string => degree.split('.').filter(Boolean).join('(?:\\.\\s*)?');
const titlePrefix = new RegExp(`^(?:${TITLES.join('|')})(?:\\.\\s*|\\s+)`);
// Any dotted specialist degree ('Sp.KG', 'Sp.PD(K)') besides the listed undotted ones.
const degreeSuffix = new RegExp(`[\\s,]+(?:${DEGREES.map(atoms).join('|')}|sp\\.\\s*[a-z]{1,5}(?:\\s*\\(k\\))?)\\.?$`);

function name(value: string): string {
  let s = fold(value).trim();
  for (let t = titlePrefix.exec(s); t; t = titlePrefix.exec(s)) s = s.slice(t[0].length);
  for (;;) {
    s = s.replace(/[\s,;.]+$/, '');
    const d = degreeSuffix.exec(s);
    if (!d) break;
    s = s.slice(0, d.index);
  }
  return words(s).replace(/\s+/g, ' ');
}

const ABBREVIATIONS: Readonly<Record<string, string>> = {
  jl: 'jalan',
  jln: 'jalan',
  gg: 'gang',
  no: 'nomor',
  kel: 'kelurahan',
  kec: 'kecamatan',
  kab: 'kabupaten',
  blk: 'blok',
};

function address(value: string): string {
  return words(fold(value))
    .replace(/\brt\s*rw\s*0*(\d+)\s+0*(\d+)\b/g, 'rt $1 rw $2')
    .replace(/\b(rt|rw)\s*0*(\d+)\b/g, '$1 $2')
    .split(/\s+/)
    .map((w) => ABBREVIATIONS[w] ?? w)
    .join(' ');
}
