/**
 * The people of a measured-quality scenario, computed before anything is sent: the
 * directory (officers with their identities and declared relatives), the applicants with
 * their submissions, who verifies and confirms whom and when, and which applicants carry
 * a planted irregularity or an honest coincidence. People, names, families, addresses and
 * NIKs come from the demo period's generators; the later stages are decided as the
 * scenario runs (see drive.ts), from the ledger's own cut and ranking.
 */
import type { Role } from '@casn/domain';
import type { Relative } from '../demo-period/actors.ts';
import { addMinutes, addSeconds, dates, wib, workdays } from '../demo-period/calendar.ts';
import { COMMON_DOCUMENTS, FORMATIONS, TMS_REASONS, type FormationDef } from '../demo-period/catalogue.ts';
import { People, bankAccount, type Family, type Person } from '../demo-period/people.ts';
import { Random, clamp } from '../demo-period/random.ts';
import type { DocumentVerdict } from '../demo-period/world.ts';

/** Fewest applicants the planted cases and coincidences fit in. */
export const MIN_APPLICANTS = 300;

/** An actor of the scenario's directory. */
export interface ScenarioActor {
  readonly actorId: string;
  readonly role: Role;
  readonly agency: string | null;
  readonly person: Person | null;
  readonly family: Family | null;
  readonly relatives: Relative[];
}

/** How an application reaches the ledger. */
export type Channel = 'import' | 'portal' | 'officer';

/** One applicant, with what happens to them up to the administrasi results. */
export interface ScenarioApplicant {
  id: string;
  person: Person;
  readonly formation: FormationDef;
  readonly education: { readonly level: string; readonly ipk: number };
  ability: number;
  channel: Channel;
  submittedAt: Date;
  verifier: string;
  verifiedAt: Date;
  confirmer: string;
  confirmedAt: Date;
  /** The verifier's documents (the first verification). */
  documents: DocumentVerdict[];
  /** Confirmed without a note. */
  bare: boolean;
  /** Returned by the supervisor and redone by the verifier (honest four-eyes). */
  returned?: { readonly reverifiedAt: Date; readonly documents: DocumentVerdict[]; readonly confirmedAt: Date };
  sanggah?: { readonly filedAt: Date; readonly decidedAt: Date; readonly decider: string; readonly accepted: boolean };
  /** Re-verified by a supervisor after confirmation (a planted TMS → MS, or an honest MS → TMS). */
  reverified?: { readonly at: Date; readonly by: string; readonly documents: DocumentVerdict[] };
  /** Why this applicant is special (a planted case or a coincidence), if they are. */
  tag?: string;
}

/** The ids of a scenario: its period, agency and actors, derived from the seed. */
export interface ScenarioIds {
  readonly seed: number;
  readonly periodId: string;
  readonly agency: { readonly code: string; readonly name: string; readonly level: 'daerah' };
  /** The administrator who bootstraps the directory (shared by every scenario of a database). */
  readonly bootstrapAdmin: string;
  /** The agency's administrator, who records the period's administrative steps. */
  readonly admin: string;
  readonly portal: string;
  readonly catOperator: string;
  readonly inspector: string;
  readonly verifiers: readonly string[];
  readonly supervisors: readonly string[];
  readonly examiners: readonly string[];
}

/** The scenario's ids for a seed. */
export function scenarioIds(seed: number): ScenarioIds {
  const p = `s${seed}-`;
  const n = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${p}${prefix}-${String(i + 1).padStart(2, '0')}`);
  return {
    seed,
    periodId: `scenario-${seed}`,
    agency: { code: `tangsel-scenario-${seed}`, name: `Pemerintah Kota Tangerang Selatan (skenario ${seed})`, level: 'daerah' },
    bootstrapAdmin: 'scenario-admin',
    admin: `${p}admin-bkpsdm`,
    portal: `${p}portal-sscasn`,
    catOperator: `${p}operator-cat-bkn`,
    inspector: `${p}inspektorat`,
    verifiers: n('verifikator', 14),
    supervisors: n('supervisor', 5),
    examiners: n('penguji', 8),
  };
}

/** The applicants who carry the planted cases up to the administrasi results. */
export interface Cast {
  readonly rpKk: ScenarioApplicant;
  readonly rpDeclared: ScenarioApplicant;
  readonly rpPhone: ScenarioApplicant;
  readonly rpAddress: ScenarioApplicant;
  readonly rpBank: ScenarioApplicant;
  readonly rpParents: ScenarioApplicant;
  readonly rpIntermediary: ScenarioApplicant;
  readonly joki: readonly (readonly [ScenarioApplicant, ScenarioApplicant])[];
  readonly manual: readonly [ScenarioApplicant, ScenarioApplicant];
  readonly flips: readonly [ScenarioApplicant, ScenarioApplicant];
  readonly late: readonly [ScenarioApplicant, ScenarioApplicant];
  readonly lateScore: ScenarioApplicant;
  readonly weekend: readonly ScenarioApplicant[];
  readonly night: readonly ScenarioApplicant[];
  readonly bursts: readonly { readonly supervisor: string; readonly at: Date; readonly when: string; readonly gapSeconds: number; readonly members: ScenarioApplicant[] }[];
  readonly all: ReadonlySet<ScenarioApplicant>;
}

/** An honest coincidence that no detector should report. */
export interface Coincidence {
  readonly kind: 'shared-surname' | 'shared-address' | 'siblings';
  readonly description: string;
  readonly applicationIds: readonly string[];
  readonly actorId?: string;
}

/** The scenario's people and their paths to the administrasi results. */
export interface ScenarioWorld {
  readonly ids: ScenarioIds;
  readonly actors: readonly ScenarioActor[];
  readonly applicants: readonly ScenarioApplicant[];
  readonly byId: ReadonlyMap<string, ScenarioApplicant>;
  readonly cast: Cast;
  /** Applicants of each honest coincidence (filled in once ids are known). */
  readonly coincidences: Coincidence[];
  /** Applicants no planted case may use (coincidences). */
  readonly honest: ReadonlySet<ScenarioApplicant>;
  readonly actor: (id: string) => ScenarioActor;
}

/** Officers registered with their own identity: the marga makes honest surname coincidences. */
const IDENTITIES: readonly { readonly index: ['verifiers' | 'supervisors', number]; readonly marga: string | null; readonly sex: 'M' | 'F' }[] = [
  { index: ['verifiers', 0], marga: null, sex: 'F' },
  { index: ['verifiers', 1], marga: 'Siregar', sex: 'M' },
  { index: ['verifiers', 2], marga: null, sex: 'M' },
  { index: ['verifiers', 3], marga: null, sex: 'F' },
  { index: ['verifiers', 4], marga: null, sex: 'M' },
  { index: ['verifiers', 5], marga: 'Hasibuan', sex: 'F' },
  { index: ['verifiers', 6], marga: null, sex: 'M' },
  { index: ['verifiers', 7], marga: null, sex: 'F' },
  { index: ['verifiers', 8], marga: 'Lubis', sex: 'M' },
  { index: ['verifiers', 9], marga: 'Simanjuntak', sex: 'M' },
  { index: ['supervisors', 0], marga: 'Nasution', sex: 'M' },
  { index: ['supervisors', 1], marga: null, sex: 'M' },
  { index: ['supervisors', 2], marga: null, sex: 'F' },
  { index: ['supervisors', 3], marga: null, sex: 'M' },
  { index: ['supervisors', 4], marga: null, sex: 'F' },
];

/** Public addresses shared by unrelated applicants: a pesantren, a dormitory and a school. */
export const PUBLIC_ADDRESSES: readonly { readonly name: string; readonly address: string }[] = [
  { name: 'Pondok Pesantren Al-Hikmah (Setu)', address: 'Pondok Pesantren Al-Hikmah, Jl. Raya Puspiptek No. 44 RT 003/RW 002, Kel. Setu, Kec. Setu, Kota Tangerang Selatan, Banten' },
  { name: 'Asrama Putri Harapan Bangsa (Ciputat)', address: 'Asrama Putri Harapan Bangsa, Jl. Dewi Sartika No. 12 RT 001/RW 007, Kel. Ciputat, Kec. Ciputat, Kota Tangerang Selatan, Banten' },
  { name: 'SMA Negeri 9 Tangerang Selatan (Pondok Aren)', address: 'SMA Negeri 9 Kota Tangerang Selatan, Jl. Pondok Kacang Raya No. 1 RT 004/RW 003, Kel. Pondok Kacang Barat, Kec. Pondok Aren, Kota Tangerang Selatan, Banten' },
];

const VERIFY_DAYS = workdays('2024-09-11', '2024-09-18');

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Builds the world for a seed and a number of applicants; the same inputs give the same world. */
export function buildScenarioWorld(seed: number, count: number): ScenarioWorld {
  if (!Number.isInteger(count) || count < MIN_APPLICANTS) throw new RangeError(`the scenario needs at least ${MIN_APPLICANTS} applicants, not ${count}`);
  const ids = scenarioIds(seed);
  const random = new Random(seed);
  const people = new People(random);
  const actors = buildActors(random, people, ids);
  const byActor = new Map(actors.map((a) => [a.actorId, a]));
  const actor = (id: string): ScenarioActor => {
    const a = byActor.get(id);
    if (!a) throw new Error(`no actor ${id}`);
    return a;
  };

  const { applicants, siblings, publics } = buildApplicants(random, people, count);
  const honest = new Set<ScenarioApplicant>([...siblings.flat(), ...publics.flatMap((p) => p.members)]);
  const cast = castPlanted(random, people, applicants, honest, ids, actor);

  // Registration numbers follow the order of the final submit.
  applicants.sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());
  applicants.forEach((a, i) => (a.id = `SCN${seed}-${String(i + 1).padStart(5, '0')}`));

  assignVerification(random, applicants, cast, honest, ids);
  const coincidences = describeCoincidences(applicants, siblings, publics, ids, actor);
  return { ids, actors, applicants, byId: new Map(applicants.map((a) => [a.id, a])), cast, coincidences, honest, actor };
}

function buildActors(random: Random, people: People, ids: ScenarioIds): ScenarioActor[] {
  const plain = (actorId: string, role: Role, agency: string | null): ScenarioActor => ({ actorId, role, agency, person: null, family: null, relatives: [] });
  const agency = ids.agency.code;
  const identity = new Map(IDENTITIES.map((x) => [ids[x.index[0]][x.index[1]]!, x]));
  const actors: ScenarioActor[] = [plain(ids.admin, 'admin', null)];
  for (const id of [...ids.supervisors, ...ids.verifiers]) {
    const role: Role = ids.supervisors.includes(id) ? 'supervisor' : 'officer';
    const who = identity.get(id);
    if (!who) {
      actors.push(plain(id, role, agency));
      continue;
    }
    const family = people.family({ marga: who.marga, inTangsel: true });
    const person = { ...people.person({ sex: who.sex, fromYear: 1972, toYear: 1990, family }), bankAccount: bankAccount(random) };
    for (const name of [person.name, family.father, family.mother]) people.reserveName(name);
    actors.push({ actorId: id, role, agency, person, family, relatives: [] });
  }
  for (const id of ids.examiners) actors.push(plain(id, 'officer', agency));
  actors.push(plain(ids.catOperator, 'officer', agency), plain(ids.portal, 'portal', agency), plain(ids.inspector, 'inspector', null));

  // Declared relatives: spouses share the official's family card; siblings have their own household.
  const byId = new Map(actors.map((a) => [a.actorId, a]));
  const spouse = (id: string): void => {
    const a = byId.get(id)!;
    const p = people.person({ sex: a.person!.sex === 'M' ? 'F' : 'M', fromYear: 1974, toYear: 1992 });
    people.reserveName(p.name);
    a.relatives.push({ relation: 'spouse', subject: people.subject(), name: p.name, nik: p.nik, kk: a.person!.kk, phone: p.phone, birthDate: p.birthDate });
  };
  const sibling = (id: string): void => {
    const a = byId.get(id)!;
    const p = people.person({ fromYear: 1975, toYear: 1995, family: people.family({ marga: a.family!.marga }) });
    people.reserveName(p.name);
    a.relatives.push({ relation: 'sibling', subject: people.subject(), name: p.name, nik: p.nik, kk: p.kk, phone: p.phone, birthDate: p.birthDate });
  };
  const [v01, v02, v03, v04, v05, , , , v09] = ids.verifiers;
  const [s01, , s03, s04] = ids.supervisors;
  for (const id of [v01!, v02!, v03!, s01!, s03!]) spouse(id);
  for (const id of [v04!, v05!, v09!, s04!]) sibling(id);
  return actors;
}

function buildApplicants(random: Random, people: People, count: number): { applicants: ScenarioApplicant[]; siblings: [ScenarioApplicant, ScenarioApplicant][]; publics: { name: string; members: ScenarioApplicant[] }[] } {
  const applicants: ScenarioApplicant[] = [];
  const siblings: [ScenarioApplicant, ScenarioApplicant][] = [];
  const shares = FORMATIONS.map((f) => [f, f.share] as const);
  const femaleShare = (f: FormationDef): number => (f.id.startsWith('f05') || f.id.includes('guru') ? 0.7 : 0.5);
  const years = (f: FormationDef) => (f.id.startsWith('f08') ? { fromYear: 1986, toYear: 1998 } : { fromYear: 1990, toYear: 2002 });
  const make = (formation: FormationDef, person: Person): ScenarioApplicant => {
    const ability = random.normal() + formation.strength;
    const ipk = formation.track === 'cumlaude' ? round2(clamp(3.6 + 0.15 * Math.abs(random.normal()) + 0.05 * ability, 3.51, 4)) : round2(clamp(3.3 + 0.12 * ability + 0.18 * random.normal(), 2.75, 4));
    const level = formation.level === 'S-1' ? random.pick(formation.education) : formation.education[0]!;
    const epoch = new Date(0);
    return { id: '', person, formation, education: { level, ipk }, ability, channel: 'import', submittedAt: epoch, verifier: '', verifiedAt: epoch, confirmer: '', confirmedAt: epoch, documents: [], bare: false };
  };
  const pairs = Math.max(4, Math.round(count * 0.006));
  while (applicants.length < count) {
    const formation = random.weighted(shares);
    if (siblings.length < pairs && applicants.length + 2 <= count) {
      // Siblings on one family card, applying to different formations.
      const family = people.family({ marga: people.marga(0.3) });
      let other = formation;
      while (other === formation) other = random.weighted(shares);
      const pair: [ScenarioApplicant, ScenarioApplicant] = [
        make(formation, people.person({ ...years(formation), family, femaleShare: femaleShare(formation) })),
        make(other, people.person({ ...years(other), family, femaleShare: femaleShare(other) })),
      ];
      siblings.push(pair);
      applicants.push(...pair);
      continue;
    }
    applicants.push(make(formation, people.person({ ...years(formation), femaleShare: femaleShare(formation) })));
  }
  // Unrelated applicants (each of their own family) who give one public address.
  const taken = new Set(siblings.flat());
  const pool = random.shuffle(applicants.filter((a) => !taken.has(a)));
  const size = Math.max(4, Math.round(count / 300));
  const publics = PUBLIC_ADDRESSES.map((p, i) => {
    const members = pool.slice(i * size, (i + 1) * size);
    for (const a of members) a.person = { ...a.person, address: p.address };
    return { name: p.name, members };
  });
  scheduleSubmissions(random, applicants);
  return { applicants, siblings, publics };
}

function scheduleSubmissions(random: Random, applicants: readonly ScenarioApplicant[]): void {
  const days = dates('2024-08-20', '2024-09-10');
  const weights = days.map((d, i) => [d, (1 + 3 * (i / days.length) ** 2) * (['2024-09-05', '2024-09-06', '2024-09-09', '2024-09-10'].includes(d) ? 2 : 1)] as const);
  const hours = [1, 0.5, 0.3, 0.3, 0.6, 1.5, 3, 5, 7, 8, 8, 7, 5, 7, 7, 7, 6, 5, 4, 6, 8, 8, 6, 4].map((w, h) => [h, w] as const);
  const pad = (n: number): string => String(n).padStart(2, '0');
  for (const a of applicants) {
    const hour = random.weighted(hours);
    a.submittedAt = wib(random.weighted(weights), `${pad(hour)}:${pad(random.int(0, 59))}:${pad(random.int(0, 59))}`);
    // About 1% submit through the portal live, during office hours.
    if (hour >= 8 && hour <= 20 && random.chance(0.012)) a.channel = 'portal';
  }
}

function documentsOf(a: ScenarioApplicant): string[] {
  return [...COMMON_DOCUMENTS, ...a.formation.extraDocuments];
}

/** All documents MS. */
export function msDocuments(a: ScenarioApplicant): DocumentVerdict[] {
  return documentsOf(a).map((document) => ({ document, verdict: 'MS' as const }));
}

function tmsDocuments(random: Random, a: ScenarioApplicant, forced?: string): DocumentVerdict[] {
  const bad = forced ?? random.pick(documentsOf(a));
  return documentsOf(a).map((document) => (document === bad ? { document, verdict: 'TMS' as const, reason: random.pick(TMS_REASONS[document]!) } : { document, verdict: 'MS' as const }));
}

/** The verdict of a list of documents. */
export function verdictOfDocuments(docs: readonly DocumentVerdict[]): 'MS' | 'TMS' {
  return docs.some((d) => d.verdict === 'TMS') ? 'TMS' : 'MS';
}

/** The verdict the supervisor confirmed. */
export function confirmedVerdict(a: ScenarioApplicant): 'MS' | 'TMS' {
  return verdictOfDocuments(a.returned ? a.returned.documents : a.documents);
}

/** The verdict in force after sanggah and re-verification. */
export function verdictInForce(a: ScenarioApplicant): 'MS' | 'TMS' {
  if (a.reverified) return verdictOfDocuments(a.reverified.documents);
  if (a.sanggah?.accepted) return 'MS';
  return confirmedVerdict(a);
}

function castPlanted(
  random: Random,
  people: People,
  applicants: ScenarioApplicant[],
  honest: ReadonlySet<ScenarioApplicant>,
  ids: ScenarioIds,
  actor: (id: string) => ScenarioActor,
): Cast {
  const all = new Set<ScenarioApplicant>();
  const pool = random.shuffle(applicants.filter((a) => !honest.has(a) && a.formation.track === 'umum'));
  const next = (tag: string): ScenarioApplicant => {
    const a = pool.pop();
    if (!a) throw new RangeError('too few applicants for the planted cases');
    a.tag = tag;
    all.add(a);
    return a;
  };
  const [, , v03, v04, v05, , v07, v08] = ids.verifiers.map(actor);
  const [, s02, s03] = ids.supervisors.map(actor);

  // related-party: the official's own family card (undeclared), a declared child, the
  // official's phone, home address, bank account and parents, and a declared sibling's phone.
  const rpKk = next('related-party: undeclared family card');
  rpKk.person = people.person({ fromYear: 1996, toYear: 2000, family: v03!.family! });
  const rpDeclared = next('related-party: declared child');
  const husband = s03!.relatives.find((r) => r.relation === 'spouse')!;
  rpDeclared.person = people.person({ fromYear: 1997, toYear: 2001, family: { ...people.family({ marga: null }), father: husband.name, mother: s03!.person!.name } });
  const d = rpDeclared.person;
  s03!.relatives.push({ relation: 'child', subject: people.subject(), name: d.name, nik: d.nik, kk: d.kk, phone: d.phone, birthDate: d.birthDate });
  const rpPhone = next('related-party: official phone');
  rpPhone.person = { ...rpPhone.person, phone: v05!.person!.phone };
  const rpAddress = next('related-party: official address');
  rpAddress.person = { ...rpAddress.person, address: v07!.person!.address };
  const rpBank = next('related-party: official bank account');
  rpBank.person = { ...rpBank.person, bankAccount: s02!.person!.bankAccount! };
  rpBank.channel = 'officer';
  const rpParents = next("related-party: official's parents (pecah KK)");
  rpParents.person = { ...people.person({ fromYear: 1992, toYear: 2000, family: people.family({ marga: v08!.family!.marga }) }), parents: [v08!.family!.father, v08!.family!.mother] };
  const rpIntermediary = next("related-party: phone of an official's declared sibling");
  rpIntermediary.person = { ...rpIntermediary.person, phone: v04!.relatives.find((r) => r.relation === 'sibling')!.phone! };

  // Two NIKs sharing one phone and e-mail (possible joki), twice.
  const joki = [0, 1].map((i) => {
    const first = next(`shared-identity: pair ${i + 1}`);
    const second = next(`shared-identity: pair ${i + 1}`);
    second.person = { ...second.person, phone: first.person.phone, email: first.person.email };
    return [first, second] as const;
  });
  const manual = [next('manual-cat-override: SKD typed before the CAT import'), next('manual-cat-override: SKD typed after the CAT import')] as const;
  const flips = [next('verdict-reversal: TMS to MS without sanggah'), next('verdict-reversal: TMS to MS without sanggah')] as const;
  for (const f of flips) f.documents = tmsDocuments(random, f, 'Ijazah');
  const late = [next('late-action: MS after the verification window'), next('late-action: MS after the verification window')] as const;
  const lateScore = next('score-after-lock: SKD recorded after publication');
  const weekend = [0, 1, 2, 3].map(() => next('off-hours-bulk: verified on a Saturday'));
  const night = [0, 1, 2, 3].map(() => next('off-hours-bulk: verified at night'));
  // Relatives placed by an official do well; the late score is lifted over the grade.
  for (const a of [rpKk, rpDeclared, rpBank]) a.ability = 2.2 + 0.4 * random.next();
  lateScore.ability = 0.2;
  for (const a of all) if (!flips.includes(a)) a.documents = msDocuments(a);
  for (const a of all) if (a.channel === 'portal') a.channel = 'import';

  // Bursts of note-less confirmations: at 02:00 on a Sunday, and in office hours at two seconds apart.
  const bursts = [
    { supervisor: ids.supervisors[3]!, at: wib('2024-09-15', '02:00:05'), when: 'from 02:00 WIB on Sunday 15 Sep 2024', gapSeconds: 1, size: 25 },
    { supervisor: ids.supervisors[4]!, at: wib('2024-09-17', '14:00:10'), when: 'from 14:00 WIB on Tuesday 17 Sep 2024', gapSeconds: 2, size: 22 },
  ].map(({ size, ...b }) => ({ ...b, members: Array.from({ length: size }, () => next(`bursts: confirmed by ${b.supervisor}`)) }));
  for (const b of bursts) for (const m of b.members) all.delete(m);
  const burstMembers = new Set(bursts.flatMap((b) => b.members));
  return {
    rpKk, rpDeclared, rpPhone, rpAddress, rpBank, rpParents, rpIntermediary, joki, manual, flips, late, lateScore, weekend, night, bursts,
    all: new Set([...all, ...burstMembers]),
  };
}

/** Office-hours slots of the verification days for the i-th of n items. */
function slotOf(i: number, n: number, random: Random): Date {
  const day = VERIFY_DAYS[Math.min(VERIFY_DAYS.length - 1, Math.floor((i * VERIFY_DAYS.length) / n))]!;
  const perDay = Math.ceil(n / VERIFY_DAYS.length);
  const within = i % perDay;
  // 09:00 to 15:30: six and a half hours per day.
  return addSeconds(wib(day, '09:00'), Math.floor(((within + random.next() * 0.6) * 6.5 * 3600) / perDay));
}

/** The supervisor's time for a verification: an hour or two later, within office hours of a working day. */
function confirmationTime(verified: Date, offsetMinutes: number): Date {
  const t = addMinutes(verified, 60 + offsetMinutes);
  const day = VERIFY_DAYS.find((d) => wib(d, '16:30').getTime() >= t.getTime() && wib(d, '09:00').getTime() <= t.getTime());
  if (day) return t;
  const nextDay = VERIFY_DAYS.find((d) => wib(d, '09:00').getTime() > verified.getTime()) ?? '2024-09-19';
  return addMinutes(wib(nextDay, '09:00'), offsetMinutes);
}

function assignVerification(random: Random, applicants: ScenarioApplicant[], cast: Cast, honest: ReadonlySet<ScenarioApplicant>, ids: ScenarioIds): void {
  const [v01, v02, v03, v04, v05, v06, v07, v08, v09, v10, v11, v12, v13, v14] = ids.verifiers as [string, ...string[]];
  const [s01, s02, s03, s04, s05] = ids.supervisors as [string, ...string[]];
  // Honest surname coincidences: applicants of an officer's marga are routed to that officer.
  const byMarga: Readonly<Record<string, string>> = { Siregar: v02!, Hasibuan: v06!, Lubis: v09!, Simanjuntak: v10! };
  const special = new Set<ScenarioApplicant>([...cast.all]);
  const plantVerifier = new Map<ScenarioApplicant, string>([
    [cast.rpKk, v03!], [cast.rpPhone, v05!], [cast.rpAddress, v07!], [cast.rpParents, v08!], [cast.rpIntermediary, v04!],
  ]);
  const plantConfirmer = new Map<ScenarioApplicant, string>([[cast.rpDeclared, s03!], [cast.rpBank, s02!]]);
  // Verifiers and supervisors with a planted tie never meet another planted applicant by chance.
  const tiedVerifiers = new Set(plantVerifier.values());
  const regularVerifiers = [v01, v02!, v06!, v09!, v10!, v11!, v12!, v13!, v14!];
  const regularSupervisors = [s01, s02!, s03!, s04!, s05!];
  for (const a of applicants) {
    const marga = a.person.name.split(' ').pop()!;
    const routed = !special.has(a) && Object.hasOwn(byMarga, marga) ? byMarga[marga] : undefined;
    a.verifier = plantVerifier.get(a) ?? routed ?? random.pick(special.has(a) ? regularVerifiers.filter((v) => !tiedVerifiers.has(v)) : [...regularVerifiers, v03!, v04!, v05!, v07!, v08!]);
    a.confirmer = plantConfirmer.get(a) ?? (!special.has(a) && marga === 'Nasution' ? s01 : random.pick(special.has(a) ? [s01, s04!, s05!] : regularSupervisors));
    if (a.documents.length === 0) a.documents = random.chance(0.08) ? tmsDocuments(random, a) : msDocuments(a);
    a.bare = !random.chance(0.75);
  }
  for (const [i, a] of cast.weekend.entries()) {
    a.verifier = v11!;
    a.verifiedAt = addMinutes(wib('2024-09-14', '10:00'), 11 * i);
  }
  for (const [i, a] of cast.night.entries()) {
    a.verifier = v14!;
    a.verifiedAt = addMinutes(wib('2024-09-12', '23:05'), 13 * i);
  }
  // Each verifier works through their queue in submission order, during office hours.
  const timed = new Set<ScenarioApplicant>([...cast.weekend, ...cast.night, ...cast.late]);
  for (const v of ids.verifiers) {
    const queue = applicants.filter((a) => a.verifier === v && !timed.has(a));
    queue.forEach((a, i) => (a.verifiedAt = slotOf(i, queue.length, random)));
  }
  const supervisorOffset = (s: string): number => 7 * regularSupervisors.indexOf(s) + random.int(0, 40);
  for (const a of applicants) a.confirmedAt = confirmationTime(a.verifiedAt, supervisorOffset(a.confirmer));
  // MS given after the verification window closed (18 Sep), then confirmed the same afternoon.
  cast.late.forEach((a, i) => {
    a.verifier = [v12!, v13!][i]!;
    a.verifiedAt = addMinutes(wib('2024-09-20', '10:05'), 20 * i);
    a.confirmer = s05!;
    a.confirmedAt = addMinutes(wib('2024-09-20', '14:10'), 20 * i);
  });
  // The bursts: verified earlier, confirmed one after another without a note.
  for (const b of cast.bursts) {
    const latest = addMinutes(b.at, -60);
    b.members.forEach((a, i) => {
      if (a.verifiedAt.getTime() > latest.getTime()) a.verifiedAt = slotOf(i, b.members.length * 6, random);
      a.confirmer = b.supervisor;
      a.confirmedAt = addSeconds(b.at, b.gapSeconds * i + random.next() * 0.4);
      a.bare = true;
    });
  }

  // A few verifications are returned and redone (honest four-eyes at work).
  const returnable = random.shuffle(applicants.filter((a) => !special.has(a) && !honest.has(a) && a.confirmedAt.getTime() < wib('2024-09-13', '16:00').getTime() && confirmedVerdict(a) === 'MS'));
  for (const a of returnable.slice(0, Math.max(3, Math.round(applicants.length * 0.008)))) {
    a.returned = {
      reverifiedAt: addMinutes(wib('2024-09-17', '09:10'), random.int(0, 120)),
      documents: random.chance(0.5) ? tmsDocuments(random, a, 'Ijazah') : msDocuments(a),
      confirmedAt: addMinutes(wib('2024-09-17', '13:30'), random.int(0, 150)),
    };
  }

  // Sanggah: a few TMS applicants object; one is accepted with the Ketua Panselnas approval.
  const tms = random.shuffle(applicants.filter((a) => !special.has(a) && confirmedVerdict(a) === 'TMS'));
  tms.slice(0, Math.max(3, Math.round(tms.length * 0.05))).forEach((a, i) => {
    const from = wib('2024-09-20', '07:00').getTime();
    const filedAt = new Date(from + Math.floor(random.next() * 60 * 3600) * 1000);
    const decider = regularSupervisors.filter((s) => s !== a.confirmer)[i % 4]!;
    a.sanggah = { filedAt, decidedAt: addMinutes(wib(i % 2 === 0 ? '2024-09-23' : '2024-09-24', '09:00'), 9 * i), decider, accepted: i === 0 };
  });
  // Two TMS verdicts turned MS by re-verification, with no sanggah at all.
  cast.flips.forEach((a, i) => (a.reverified = { at: addMinutes(wib(i === 0 ? '2024-09-25' : '2024-09-26', '10:12'), 17 * i), by: [s01, s03!][i]!, documents: msDocuments(a) }));
  // Honest: an MS turned TMS on re-verification, with its reason (BKN, 2023).
  const msToTms = applicants.find((a) => !special.has(a) && !honest.has(a) && !a.returned && !a.sanggah && confirmedVerdict(a) === 'MS');
  if (msToTms) msToTms.reverified = { at: wib('2024-09-25', '14:05'), by: s04!, documents: tmsDocuments(random, msToTms, 'Ijazah') };
}

function describeCoincidences(
  applicants: readonly ScenarioApplicant[],
  siblings: readonly (readonly [ScenarioApplicant, ScenarioApplicant])[],
  publics: readonly { name: string; members: ScenarioApplicant[] }[],
  ids: ScenarioIds,
  actor: (id: string) => ScenarioActor,
): Coincidence[] {
  const out: Coincidence[] = [];
  for (const id of [...ids.verifiers, ...ids.supervisors]) {
    const marga = actor(id).family?.marga;
    if (!marga) continue;
    const acted = applicants.filter((a) => !a.tag && (a.verifier === id || a.confirmer === id) && a.person.name.endsWith(` ${marga}`));
    if (acted.length === 0) continue;
    out.push({
      kind: 'shared-surname',
      description: `${id} (marga ${marga}) verified or confirmed applicants also named ${marga}: a very common marga, with no shared family card, address, phone, bank account or parent.`,
      applicationIds: acted.map((a) => a.id),
      actorId: id,
    });
  }
  for (const p of publics) out.push({ kind: 'shared-address', description: `Unrelated applicants (each of their own family card) giving the address of ${p.name}.`, applicationIds: p.members.map((a) => a.id) });
  for (const [x, y] of siblings) {
    out.push({ kind: 'siblings', description: `Siblings on one family card applying to ${x.formation.id} and ${y.formation.id}, verified by ${x.verifier} and ${y.verifier}, who are not related to them.`, applicationIds: [x.id, y.id] });
  }
  return out;
}
