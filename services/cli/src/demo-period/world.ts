/**
 * The whole demo recruitment computed in memory before anything is recorded: who applies
 * where and when, every verification, sanggah, score and decision, with the planted
 * irregularities and the honest coincidences. The SKD cut and the ranking use the
 * domain's own functions, so the plan agrees with what the ledger will decide.
 */
import { decideSkdCut, getRuleSet, rankIntegration, skbPercent, type FinalCode, type IntegrationCandidate, type SkdCandidate } from '@casn/domain';
import { ADMIN, SUPERVISORS, VERIFIERS, buildActors, type ActorDef } from './actors.ts';
import { addMinutes, addSeconds, dates, wib, workdays } from './calendar.ts';
import { COMMON_DOCUMENTS, FORMATIONS, REFERENCES, SKB_WEIGHTS, TMS_REASONS, RULES, type FormationDef } from './catalogue.ts';
import { UNIVERSITIES } from './names.ts';
import { People, type Person } from './people.ts';
import { Random, clamp } from './random.ts';

/** SKD part scores. */
export interface Skd {
  readonly twk: number;
  readonly tiu: number;
  readonly tkp: number;
}

/** One document's verdict. */
export interface DocumentVerdict {
  readonly document: string;
  readonly verdict: 'MS' | 'TMS';
  readonly reason?: string;
}

/** One applicant and everything that happens to them. */
export interface Applicant {
  id: string;
  readonly person: Person;
  readonly formation: FormationDef;
  readonly education: { readonly level: string; readonly ipk: number };
  readonly university: string;
  readonly ability: number;
  channel: 'import' | 'portal';
  submittedAt: Date;
  verifier: string;
  confirmer: string;
  /** The verifier's first verdict and documents. */
  documents: DocumentVerdict[];
  verified?: Date;
  confirmed?: Date;
  /** Confirmed at 02:00 on a Sunday as part of the burst. */
  burst: boolean;
  returned?: { readonly at: Date; readonly reason: string; readonly reverifiedAt: Date; readonly documents: DocumentVerdict[]; readonly confirmedAt: Date };
  sanggah?: {
    readonly filedAt: Date;
    readonly reason: string;
    readonly decidedAt: Date;
    readonly decider: string;
    readonly accepted: boolean;
    readonly decision: string;
    readonly newVerdict?: 'MS';
    readonly approvalRef?: string;
  };
  reverified?: { readonly at: Date; readonly by: string; readonly reason: string; readonly documents: DocumentVerdict[] };
  skdDay?: string;
  skdAbsent: boolean;
  /** The CAT value imported on the test day. */
  skd?: Skd;
  /** A value typed in by hand before the CAT import (planted). */
  skdManual?: { readonly at: Date; readonly by: string; readonly score: Skd };
  /** A CAT value recorded after the SKD publication (planted). */
  skdLate?: { readonly at: Date; readonly by: string; readonly score: Skd; readonly approvalRef: string };
  cutCode?: 'P/L' | 'P' | 'TL' | 'TH' | 'DIS';
  skbDay?: string;
  skbAbsent: boolean;
  skbCat?: number;
  practical?: { readonly examiner: string; readonly score: number }[];
  rank?: number;
  finalCode?: FinalCode;
  /** The code the published announcement shows (differs once, planted). */
  announcedCode?: FinalCode;
  resigned?: { readonly at: Date; readonly reason: string };
  replaces?: string;
}

/** The verdict in force after verification, sanggah and re-verification. */
export function verdictOf(a: Applicant): 'MS' | 'TMS' {
  if (a.reverified) return a.reverified.documents.some((d) => d.verdict === 'TMS') ? 'TMS' : 'MS';
  if (a.sanggah?.newVerdict) return a.sanggah.newVerdict;
  return firstVerdict(a);
}

/** The verdict confirmed by the supervisor. */
export function firstVerdict(a: Applicant): 'MS' | 'TMS' {
  const docs = a.returned ? a.returned.documents : a.documents;
  return docs.some((d) => d.verdict === 'TMS') ? 'TMS' : 'MS';
}

/** The SKD score in force (the latest CAT value). */
export function skdOf(a: Applicant): Skd | undefined {
  return a.skdLate?.score ?? a.skd ?? a.skdManual?.score;
}

/** A planted irregularity, for inspectors and detector tests. */
export interface Planted {
  readonly kind: string;
  readonly description: string;
  readonly applicationId?: string;
  readonly actorId?: string;
  readonly formationId?: string;
  /** Further applications involved. */
  readonly related?: readonly string[];
}

/** An honest coincidence that must not be reported as an irregularity. */
export interface Coincidence {
  readonly kind: string;
  readonly description: string;
  readonly applicationIds: readonly string[];
  readonly actorId?: string;
}

/** The whole demo, computed. */
export interface World {
  readonly formations: readonly FormationDef[];
  readonly quotas: Map<string, number>;
  readonly actors: readonly ActorDef[];
  readonly applicants: readonly Applicant[];
  readonly byId: ReadonlyMap<string, Applicant>;
  readonly planted: Planted[];
  readonly coincidences: Coincidence[];
  /** Rankings per formation (application ids in rank order). */
  readonly rankings: Map<string, string[]>;
  /** Times of the period-wide steps. */
  readonly burst: { readonly supervisor: string; readonly at: Date; readonly ids: string[] };
  readonly amendedFormation: { readonly formationId: string; readonly from: number; readonly to: number };
  readonly resignation: { readonly formationId: string; readonly resigned: string; readonly replacement: string };
}

/** Smallest number of applicants the planted irregularities fit in. */
export const MIN_APPLICANTS = 200;

const SKD_DAYS = workdays('2024-10-14', '2024-10-31');
const SKB_DAYS = workdays('2024-11-18', '2024-11-29');
const VERIFY_DAYS = workdays('2024-09-11', '2024-09-18');
const VERIFY_SESSIONS = ['08:30', '10:15', '13:30', '15:15'] as const;
const RULE_SET = getRuleSet(RULES);

/** Generates the demo for a seed; the same seed and count give the same world. */
export function buildWorld(seed: number, count: number): World {
  if (!Number.isInteger(count) || count < MIN_APPLICANTS) throw new RangeError(`the demo needs at least ${MIN_APPLICANTS} applicants, not ${count}`);
  const random = new Random(seed);
  const people = new People(random);
  const actors = buildActors(random, people);
  const actor = (id: string): ActorDef => actors.find((a) => a.actorId === id)!;

  const applicants = buildApplicants(random, people, count);
  const planted: Planted[] = [];
  const coincidences: Coincidence[] = [];
  const cast = castPlanted(random, applicants);

  // (1) The undeclared sibling of verifikator-03, on the officer's own family card.
  // (2) The declared child of supervisor-03.  (3) An applicant using the phone of verifikator-05's declared sibling.
  // (11) Two people sharing one phone and e-mail.
  const v03 = actor('verifikator-03');
  const sup03 = actor('supervisor-03');
  const v05 = actor('verifikator-05');
  const sibling05 = v05.relatives.find((r) => r.relation === 'sibling')!;
  replacePerson(cast.undeclared, people.person({ fromYear: 1996, toYear: 2000, family: v03.family! }));
  const husband = sup03.relatives.find((r) => r.relation === 'spouse')!;
  const childFamily = { ...people.family({ marga: null }), father: husband.name, mother: sup03.person!.name };
  replacePerson(cast.declared, people.person({ fromYear: 1997, toYear: 2000, family: childFamily }));
  sup03.relatives.push({
    relation: 'child', subject: people.subject(), name: cast.declared.person.name, nik: cast.declared.person.nik,
    kk: cast.declared.person.kk, phone: cast.declared.person.phone, birthDate: cast.declared.person.birthDate,
  });
  replacePerson(cast.phoneTie, { ...cast.phoneTie.person, phone: sibling05.phone! });
  replacePerson(cast.joki[1], { ...cast.joki[1].person, phone: cast.joki[0].person.phone, email: cast.joki[0].person.email });

  scheduleSubmissions(random, applicants);
  // Registration numbers follow the order of the final submit.
  applicants.sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());
  applicants.forEach((a, i) => (a.id = `TSEL24-${String(i + 1).padStart(5, '0')}`));
  const byId = new Map(applicants.map((a) => [a.id, a]));

  verify(random, applicants, cast);
  const burst = confirmAll(random, applicants, cast);
  sanggahAndReverify(random, applicants, cast);
  const quotas = new Map(FORMATIONS.map((f) => [f.id, f.quota]));
  const amendedFormation = { formationId: 'f06-pranata-komputer', from: 2, to: 3 };
  quotas.set(amendedFormation.formationId, amendedFormation.to);
  skd(random, applicants, cast, quotas);
  skb(random, applicants, cast);
  const rankings = rank(applicants);
  const { skip, mismatch, resignation } = decideFinal(random, applicants, rankings, quotas, cast);

  const s = (a: Applicant) => `${a.id} (${a.formation.id})`;
  planted.push(
    {
      kind: 'undeclared-kk-relative',
      description: `verifikator-03 verified ${s(cast.undeclared)} as MS; the applicant is on the officer's own family card (same KK number, address and parents) and was never declared.`,
      applicationId: cast.undeclared.id, actorId: 'verifikator-03', formationId: cast.undeclared.formation.id,
    },
    {
      kind: 'declared-relative-acted',
      description: `supervisor-03 declared ${s(cast.declared)} as her child (NIK, KK, phone) and still confirmed the applicant's MS verification herself.`,
      applicationId: cast.declared.id, actorId: 'supervisor-03', formationId: cast.declared.formation.id,
    },
    {
      kind: 'relative-phone-tie',
      description: `${s(cast.phoneTie)} gave the mobile number of verifikator-05's declared sibling; verifikator-05 verified the application as MS (a tie through one intermediary).`,
      applicationId: cast.phoneTie.id, actorId: 'verifikator-05', formationId: cast.phoneTie.formation.id,
    },
    {
      kind: 'manual-skd-override',
      description: `verifikator-04 typed an SKD score by hand (source manual) for ${s(cast.manual)} on the test day; the CAT import of the same day differs. Both values are kept; the CAT value is in force.`,
      applicationId: cast.manual.id, actorId: 'verifikator-04', formationId: cast.manual.formation.id,
    },
    {
      kind: 'tms-to-ms-without-sanggah',
      description: `supervisor-01 re-verified ${s(cast.flip)} from TMS to MS on 25 Sep 2024, after the sanggah window closed; no sanggah was ever filed for it.`,
      applicationId: cast.flip.id, actorId: 'supervisor-01', formationId: cast.flip.formation.id,
    },
    {
      kind: 'off-hours-burst',
      description: `supervisor-02 confirmed ${burst.ids.length} verifications between 02:00 and 02:03 WIB on Sunday 15 Sep 2024, one every ~0.8 s, all without a note.`,
      actorId: burst.supervisor, related: burst.ids,
    },
    {
      kind: 'score-after-lock',
      description: `admin-bkpsdm recorded a new SKD score (TKP raised over the passing grade) for ${s(cast.late)} on 5 Nov 2024, after the SKD results were published on 4 Nov, citing an approval letter; no sanggah exists.`,
      applicationId: cast.late.id, actorId: ADMIN, formationId: cast.late.formation.id,
    },
    {
      kind: 'formation-changed-after-close',
      description: `admin-bkpsdm raised the quota of ${amendedFormation.formationId} from ${amendedFormation.from} to ${amendedFormation.to} on 1 Nov 2024, after registration closed and the SKD scores were known (widening the SKB cut).`,
      actorId: ADMIN, formationId: amendedFormation.formationId,
    },
    {
      kind: 'ranking-skip',
      description: `In ${skip.formationId} (quota ${quotas.get(skip.formationId)}) supervisor-01 recorded L for ${skip.promoted} (rank ${skip.quota + 1}) and TL for ${skip.skipped} (rank ${skip.quota}) with no reason or code explaining it.`,
      applicationId: skip.promoted, actorId: 'supervisor-01', formationId: skip.formationId, related: [skip.skipped],
    },
    {
      kind: 'announcement-mismatch',
      description: `The final announcement of ${mismatch.formationId} lists ${mismatch.applicationId} as L, but the recorded final decision is TL.`,
      applicationId: mismatch.applicationId, actorId: ADMIN, formationId: mismatch.formationId,
    },
    {
      kind: 'shared-contact-identity',
      description: `${s(cast.joki[0])} and ${s(cast.joki[1])} have different NIKs, names and family cards but one mobile number and one e-mail address (possible joki).`,
      applicationId: cast.joki[0].id, related: [cast.joki[1].id], formationId: cast.joki[0].formation.id,
    },
  );

  coincidences.push(...honestCoincidences(applicants, cast));
  return {
    formations: FORMATIONS,
    quotas,
    actors,
    applicants,
    byId,
    planted,
    coincidences,
    rankings,
    burst,
    amendedFormation,
    resignation,
  };
}

/** The applicants who carry the planted irregularities and the honest coincidences. */
interface Cast {
  readonly undeclared: Applicant;
  readonly declared: Applicant;
  readonly phoneTie: Applicant;
  readonly joki: readonly [Applicant, Applicant];
  readonly manual: Applicant;
  readonly flip: Applicant;
  readonly late: Applicant;
  readonly all: Set<Applicant>;
  readonly siblings: [Applicant, Applicant][];
  readonly dormitories: { readonly name: string; readonly members: Applicant[] }[];
}

function replacePerson(a: Applicant, person: Person): void {
  (a as { person: Person }).person = person;
}

const PESANTREN = "Pondok Pesantren Darul Ilmi, Jl. Raya Setu No. 17 RT 002/RW 004, Kel. Muncul, Kec. Setu, Kota Tangerang Selatan, Banten";
const ASRAMA = 'Asrama Mahasiswi Nusantara, Jl. Ir. H. Juanda No. 95 RT 002/RW 005, Kel. Cempaka Putih, Kec. Ciputat Timur, Kota Tangerang Selatan, Banten';

function buildApplicants(random: Random, people: People, count: number): Applicant[] {
  const out: Applicant[] = [];
  const pairs = Math.max(3, Math.round(count * 0.007));
  const pesantren = Math.max(3, Math.round(count / 375));
  const asrama = Math.max(3, Math.round(count / 500));
  const shares = FORMATIONS.map((f) => [f, f.share] as const);
  const femaleShare = (f: FormationDef): number => (f.id.startsWith('f05') || f.id.includes('guru') ? 0.72 : 0.5);

  const make = (formation: FormationDef, person: Person): Applicant => {
    const ability = random.normal() + formation.strength;
    const ipk =
      formation.track === 'cumlaude'
        ? round2(clamp(3.62 + 0.15 * Math.abs(random.normal()) + 0.05 * ability, 3.51, 4))
        : round2(clamp(3.32 + 0.22 * (0.5 * ability + 0.85 * random.normal()), 2.75, 4));
    return {
      id: '',
      person,
      formation,
      education: { level: formation.level === 'S-1' ? random.pick(formation.education) : formation.education[0]!, ipk },
      university: random.pick(UNIVERSITIES),
      ability,
      channel: 'import',
      submittedAt: new Date(0),
      verifier: '',
      confirmer: '',
      documents: [],
      burst: false,
      skdAbsent: false,
      skbAbsent: false,
    };
  };
  const birthYears = (f: FormationDef): { fromYear: number; toYear: number } => (f.id.startsWith('f08') ? { fromYear: 1986, toYear: 1998 } : { fromYear: 1990, toYear: 2002 });

  for (let i = 0; out.length < count; i++) {
    const formation = random.weighted(shares);
    if (i < pairs && out.length + 2 <= count) {
      // Siblings on one family card, applying to different formations.
      const family = people.family({ marga: people.marga(0.3) });
      const first = make(formation, people.person({ ...birthYears(formation), family, femaleShare: femaleShare(formation) }));
      let other = formation;
      while (other === formation) other = random.weighted(shares);
      const second = make(other, people.person({ ...birthYears(other), family, femaleShare: femaleShare(other) }));
      out.push(first, second);
      continue;
    }
    const person = people.person({ ...birthYears(formation), femaleShare: femaleShare(formation) });
    out.push(make(formation, person));
  }
  // Unrelated people living in the same pesantren or dormitory (an honest shared address).
  const candidates = random.shuffle(out.slice(pairs * 2));
  for (const a of candidates.slice(0, pesantren)) replacePerson(a, { ...a.person, address: PESANTREN });
  let asramaMembers = 0;
  for (const a of candidates.slice(pesantren)) {
    if (asramaMembers >= asrama) break;
    if (a.person.sex !== 'F') continue;
    replacePerson(a, { ...a.person, address: ASRAMA });
    asramaMembers++;
  }
  return out;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function castPlanted(random: Random, applicants: Applicant[]): Cast {
  const dormitories = [
    { name: 'Pondok Pesantren Darul Ilmi (Setu)', members: applicants.filter((a) => a.person.address === PESANTREN) },
    { name: 'Asrama Mahasiswi Nusantara (Ciputat Timur)', members: applicants.filter((a) => a.person.address === ASRAMA) },
  ];
  const siblings: [Applicant, Applicant][] = [];
  for (let i = 0; i + 1 < applicants.length && applicants[i]!.person.kk === applicants[i + 1]!.person.kk; i += 2) siblings.push([applicants[i]!, applicants[i + 1]!]);
  const taken = new Set<Applicant>([...siblings.flat(), ...dormitories.flatMap((d) => d.members)]);
  const pool = random.shuffle(applicants.filter((a) => !taken.has(a) && a.formation.id !== 'f10-arsiparis-disabilitas'));
  const next = (fits: (a: Applicant) => boolean = () => true): Applicant => {
    const i = pool.findLastIndex(fits);
    if (i < 0) throw new RangeError('too few applicants for the planted irregularities');
    const [a] = pool.splice(i, 1) as [Applicant];
    taken.add(a);
    return a;
  };
  const undeclared = next();
  const declared = next();
  const phoneTie = next();
  const joki = [next(), next()] as const;
  const manual = next();
  const flip = next();
  // Lifted over the general passing grade (TWK/TIU/TKP), so on the general track.
  const late = next((a) => a.formation.track === 'umum');
  // Relatives placed by an official do well in the tests.
  for (const a of [undeclared, declared]) (a as { ability: number }).ability = 2.4 + 0.4 * random.next();
  (late as { ability: number }).ability = 0.3;
  return { undeclared, declared, phoneTie, joki, manual, flip, late, all: new Set([undeclared, declared, phoneTie, ...joki, manual, flip, late]), siblings, dormitories };
}

function scheduleSubmissions(random: Random, applicants: Applicant[]): void {
  const days = dates('2024-08-20', '2024-09-10');
  // More people submit as a deadline nears: the original one (6 Sep) and the extended one (10 Sep).
  const weights = days.map((d, i) => {
    let w = 1 + 3 * (i / days.length) ** 2;
    if (d === '2024-09-05' || d === '2024-09-06') w *= 2.2;
    if (d === '2024-09-09' || d === '2024-09-10') w *= 1.8;
    return [d, w] as const;
  });
  const hours: (readonly [number, number])[] = [
    [0, 1], [1, 0.5], [2, 0.3], [3, 0.3], [4, 0.6], [5, 1.5], [6, 3], [7, 5], [8, 7], [9, 8], [10, 8], [11, 7],
    [12, 5], [13, 7], [14, 7], [15, 7], [16, 6], [17, 5], [18, 4], [19, 6], [20, 8], [21, 8], [22, 6], [23, 4],
  ];
  const portal = Math.max(3, Math.round(applicants.length * 0.01));
  const chosen = new Set(random.shuffle(applicants).slice(0, portal));
  for (const a of applicants) {
    const day = random.weighted(weights);
    const hour = random.weighted(hours);
    a.submittedAt = wib(day, `${String(hour).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}`);
    // The portal records live, during office-hours monitoring of the new SSCASN channel.
    if (chosen.has(a) && hour >= 8 && hour <= 20) a.channel = 'portal';
  }
}

function documentsOf(a: Applicant): string[] {
  return [...COMMON_DOCUMENTS, ...a.formation.extraDocuments];
}

function tmsDocuments(random: Random, a: Applicant, forced?: string): DocumentVerdict[] {
  const docs = documentsOf(a);
  const bad = new Set<string>(forced ? [forced] : [random.pick(docs)]);
  if (!forced && random.chance(0.2)) bad.add(random.pick(docs));
  return docs.map((d) => (bad.has(d) ? { document: d, verdict: 'TMS' as const, reason: random.pick(TMS_REASONS[d]!) } : { document: d, verdict: 'MS' as const }));
}

function msDocuments(a: Applicant): DocumentVerdict[] {
  return documentsOf(a).map((d) => ({ document: d, verdict: 'MS' as const }));
}

function verify(random: Random, applicants: Applicant[], cast: Cast): void {
  for (const a of applicants) {
    a.verifier = random.pick(VERIFIERS);
    const tms = random.chance(0.08);
    a.documents = tms ? tmsDocuments(random, a) : msDocuments(a);
  }
  cast.undeclared.verifier = 'verifikator-03';
  cast.phoneTie.verifier = 'verifikator-05';
  while (cast.declared.verifier === 'verifikator-03' || cast.declared.verifier === 'verifikator-05') cast.declared.verifier = random.pick(VERIFIERS);
  for (const a of cast.all) a.documents = msDocuments(a);
  cast.flip.documents = tmsDocuments(random, cast.flip, 'Ijazah');

  // Each verifier works through their queue in submission order, four sessions a day.
  const slots = VERIFY_DAYS.flatMap((d) => VERIFY_SESSIONS.map((t) => wib(d, t)));
  VERIFIERS.forEach((v, vi) => {
    const queue = applicants.filter((a) => a.verifier === v);
    queue.forEach((a, i) => {
      const slot = Math.min(slots.length - 1, Math.floor((i * slots.length) / queue.length));
      a.verified = addMinutes(slots[slot]!, vi * 4);
    });
  });
}

function confirmAll(random: Random, applicants: Applicant[], cast: Cast): World['burst'] {
  const slots = VERIFY_DAYS.flatMap((d) => VERIFY_SESSIONS.map((t) => wib(d, t)));
  const next = (verified: Date): Date => {
    // Confirmed in the session after the one the verification was made in.
    const i = slots.findIndex((s) => s.getTime() > verified.getTime());
    return i < 0 ? wib('2024-09-19', '09:00') : addMinutes(slots[i]!, 30);
  };
  for (const a of applicants) {
    a.confirmer = random.pick(SUPERVISORS);
    a.confirmed = addMinutes(next(a.verified!), SUPERVISORS.indexOf(a.confirmer as (typeof SUPERVISORS)[number]) * 5);
  }
  cast.declared.confirmer = 'supervisor-03';
  cast.declared.confirmed = addMinutes(next(cast.declared.verified!), 10);

  const early = (a: Applicant): boolean => a.verified!.getTime() < wib('2024-09-14').getTime();
  // A few verifications are returned and redone (honest four-eyes at work): returned by
  // Friday afternoon, redone and confirmed on the next working day (Tuesday 17 Sep).
  const returnable = random.shuffle(
    applicants.filter((a) => a.verified!.getTime() < wib('2024-09-13', '14:00').getTime() && !cast.all.has(a) && firstVerdict(a) === 'MS'),
  );
  for (const a of returnable.slice(0, Math.max(2, Math.round(applicants.length * 0.008)))) {
    const ijazahBad = random.chance(0.5);
    const documents = ijazahBad ? tmsDocuments(random, a, 'Ijazah') : msDocuments(a);
    a.returned = {
      at: a.confirmed!,
      reason: 'Mohon diperiksa ulang kesesuaian ijazah dengan kualifikasi pendidikan formasi',
      reverifiedAt: addMinutes(wib('2024-09-17', '08:00'), VERIFIERS.indexOf(a.verifier as (typeof VERIFIERS)[number]) * 3),
      documents,
      confirmedAt: addMinutes(wib('2024-09-17', '11:00'), SUPERVISORS.indexOf(a.confirmer as (typeof SUPERVISORS)[number]) * 5),
    };
  }

  // The burst: a supervisor confirms a pile at 02:00 on Sunday, about one a second, without notes.
  const size = Math.min(150, Math.max(10, Math.round(applicants.length * 0.05)));
  const pile = random.shuffle(applicants.filter((a) => early(a) && !cast.all.has(a) && !a.returned && a.confirmer !== 'supervisor-03')).slice(0, size);
  pile.sort((x, y) => x.verified!.getTime() - y.verified!.getTime() || (x.id < y.id ? -1 : 1));
  const start = wib('2024-09-15', '02:00:04');
  let t = start;
  for (const a of pile) {
    a.burst = true;
    a.confirmer = 'supervisor-02';
    a.confirmed = t;
    t = addSeconds(t, 0.6 + 0.4 * random.next());
  }
  return { supervisor: 'supervisor-02', at: start, ids: pile.map((a) => a.id) };
}

function sanggahAndReverify(random: Random, applicants: Applicant[], cast: Cast): void {
  const tms = applicants.filter((a) => firstVerdict(a) === 'TMS' && a !== cast.flip && !a.returned);
  const filers = random.shuffle(tms).slice(0, Math.max(3, Math.round(tms.length * 0.05)));
  const from = wib('2024-09-20', '07:00').getTime();
  const to = wib('2024-09-22', '22:00').getTime();
  const filed = filers.map((a) => ({ a, at: new Date(from + Math.floor(random.next() * (to - from) / 1000) * 1000) })).sort((x, y) => x.at.getTime() - y.at.getTime());
  const reasons = [
    'Dokumen yang diunggah sudah sesuai ketentuan; kesalahan pembacaan oleh verifikator',
    'Ijazah telah dilegalisir dan terbaca jelas pada halaman kedua berkas',
    'Surat pernyataan sudah bermeterai elektronik sesuai ketentuan',
    'Akreditasi program studi pada saat kelulusan adalah A sesuai SK BAN-PT terlampir pada berkas',
  ];
  filed.forEach(({ a, at }, i) => {
    const accepted = i === 0;
    const decider = i % 2 === 0 ? 'supervisor-01' : 'supervisor-03';
    const decidedAt = addMinutes(wib(i < filed.length / 2 ? '2024-09-23' : '2024-09-24', '09:00'), 12 * (i % 12));
    a.sanggah = accepted
      ? { filedAt: at, reason: random.pick(reasons), decidedAt, decider, accepted, decision: 'Sanggah diterima: kesalahan verifikasi, bukan kesalahan pelamar', newVerdict: 'MS', approvalRef: REFERENCES.sanggahApproval }
      : { filedAt: at, reason: random.pick(reasons), decidedAt, decider, accepted, decision: 'Sanggah ditolak: dokumen yang diunggah memang tidak memenuhi syarat' };
  });
  cast.flip.reverified = {
    at: wib('2024-09-25', '10:12'),
    by: 'supervisor-01',
    reason: 'Perbaikan hasil verifikasi: ijazah dinyatakan sesuai setelah diperiksa ulang',
    documents: msDocuments(cast.flip),
  };
}

function skdScore(random: Random, ability: number): Skd {
  const twk = clamp(Math.round(18 + 3.6 * (0.6 * ability + 0.8 * random.normal())), 0, 30);
  const tiu = clamp(Math.round(19.5 + 4.5 * (0.7 * ability + 0.71 * random.normal())), 0, 35);
  const tkp = clamp(Math.round(170 + 11 * (0.5 * ability + 0.87 * random.normal())), 45, 225);
  return { twk: twk * 5, tiu: tiu * 5, tkp };
}

function skd(random: Random, applicants: Applicant[], cast: Cast, quotas: Map<string, number>): void {
  const eligible = applicants.filter((a) => verdictOf(a) === 'MS');
  const order = [...eligible].sort((x, y) => FORMATIONS.indexOf(x.formation) - FORMATIONS.indexOf(y.formation) || (x.id < y.id ? -1 : 1));
  order.forEach((a, i) => {
    a.skdDay = SKD_DAYS[Math.floor((i * SKD_DAYS.length) / order.length)]!;
    a.skdAbsent = !cast.all.has(a) && random.chance(0.04);
    if (!a.skdAbsent) a.skd = skdScore(random, a.ability);
  });
  // (7) Failing on TKP alone, then lifted over the grade after the publication.
  const late = cast.late;
  late.skd = { twk: 95, tiu: 105, tkp: 158 + random.int(0, 6) };
  late.skdLate = { at: wib('2024-11-05', '16:40'), by: ADMIN, score: { ...late.skd, tkp: late.skd.tkp + 14 }, approvalRef: REFERENCES.lateScoreApproval };
  // (4) A value typed in by hand that the CAT import contradicts.
  const m = cast.manual;
  const cat = m.skd!;
  m.skdManual = {
    at: wib(m.skdDay!, '11:20'),
    by: 'verifikator-04',
    score: { twk: Math.min(150, cat.twk + 15), tiu: Math.min(175, cat.tiu + 20), tkp: Math.min(225, cat.tkp + 11) },
  };
  // The cut, by the domain's own rule.
  for (const f of FORMATIONS) {
    const candidates: SkdCandidate[] = eligible
      .filter((a) => a.formation === f)
      .map((a) => {
        const score = skdOf(a);
        return a.skdAbsent || !score ? { applicationId: a.id, absent: true } : { applicationId: a.id, score };
      });
    const byId = new Map(eligible.map((a) => [a.id, a]));
    for (const r of decideSkdCut(RULE_SET, f.track, quotas.get(f.id)!, candidates)) byId.get(r.applicationId)!.cutCode = r.code;
  }
}

function skb(random: Random, applicants: Applicant[], cast: Cast): void {
  const bias: Readonly<Record<string, number>> = { 'penguji-skb-01': 0, 'penguji-skb-02': -3, 'penguji-skb-03': 4, 'penguji-skb-04': 1 };
  const going = applicants
    .filter((a) => a.cutCode === 'P/L')
    .sort((x, y) => FORMATIONS.indexOf(x.formation) - FORMATIONS.indexOf(y.formation) || (x.id < y.id ? -1 : 1));
  going.forEach((a, i) => {
    a.skbDay = SKB_DAYS[Math.floor((i * SKB_DAYS.length) / going.length)]!;
    a.skbAbsent = random.chance(0.04) && !cast.all.has(a);
    if (a.skbAbsent) return;
    a.skbCat = Math.round(clamp(58 + 12 * (0.6 * a.ability + 0.8 * random.normal()), 15, 98) * 10) / 10;
    const merit = 74 + 8 * (0.6 * a.ability + 0.8 * random.normal());
    a.practical = a.formation.examiners.map((examiner) => ({ examiner, score: Math.round(clamp(merit + bias[examiner]! + 3 * random.normal(), 40, 98)) }));
  });
}

function rank(applicants: Applicant[]): Map<string, string[]> {
  const rankings = new Map<string, string[]>();
  for (const f of FORMATIONS) {
    const candidates: IntegrationCandidate[] = [];
    for (const a of applicants) {
      if (a.formation !== f || a.cutCode !== 'P/L' || a.skbAbsent) continue;
      const percent = skbPercent(SKB_WEIGHTS, { cat: [a.skbCat!], practical: a.practical!.map((p) => p.score) })!;
      candidates.push({ applicationId: a.id, skd: skdOf(a)!, skbPercent: percent, ipk: a.education.ipk, birthDate: a.person.birthDate });
    }
    if (candidates.length === 0) continue;
    const ranking = rankIntegration(RULE_SET, candidates);
    rankings.set(f.id, ranking.map((r) => r.applicationId));
  }
  for (const [, ids] of rankings) ids.forEach((id, i) => (applicants.find((a) => a.id === id)!.rank = i + 1));
  return rankings;
}

function decideFinal(
  random: Random,
  applicants: Applicant[],
  rankings: Map<string, string[]>,
  quotas: Map<string, number>,
  cast: Cast,
): { skip: { formationId: string; quota: number; promoted: string; skipped: string }; mismatch: { formationId: string; applicationId: string }; resignation: World['resignation'] } {
  for (const a of applicants) {
    const q = quotas.get(a.formation.id)!;
    if (verdictOf(a) === 'TMS') a.finalCode = 'TMS';
    else if (a.skdAbsent || a.skbAbsent) a.finalCode = 'TH';
    else if (a.rank !== undefined) a.finalCode = a.rank <= q ? 'L' : 'TL';
    else a.finalCode = 'TL';
  }
  // Formations for the ranking skip, the announcement mismatch and the resignation: enough
  // ranked applicants, and none of the other planted applicants at the ranks involved.
  const byId = new Map(applicants.map((a) => [a.id, a]));
  const usable = random.shuffle(FORMATIONS.filter((f) => {
    const ids = rankings.get(f.id) ?? [];
    const q = quotas.get(f.id)!;
    return f.id !== 'f06-pranata-komputer' && ids.length >= q + 2 && ids.slice(0, q + 2).every((id) => !cast.all.has(byId.get(id)!));
  }));
  if (usable.length < 3) throw new RangeError('too few ranked applicants for the planted irregularities: use more applicants');
  const [f9, f10, f14] = usable as [FormationDef, FormationDef, FormationDef];

  const q9 = quotas.get(f9.id)!;
  const r9 = rankings.get(f9.id)!;
  byId.get(r9[q9 - 1]!)!.finalCode = 'TL';
  byId.get(r9[q9]!)!.finalCode = 'L';
  for (const a of applicants) a.announcedCode = a.finalCode!;
  const q10 = quotas.get(f10.id)!;
  const mismatch = rankings.get(f10.id)![q10]!;
  byId.get(mismatch)!.announcedCode = 'L';

  const q14 = quotas.get(f14.id)!;
  const r14 = rankings.get(f14.id)!;
  const resigned = byId.get(r14[Math.min(1, q14 - 1)]!)!;
  const replacement = byId.get(r14[q14]!)!;
  resigned.resigned = { at: wib('2024-12-16', '10:20'), reason: 'Mengundurkan diri karena diterima bekerja di instansi lain' };
  replacement.replaces = resigned.id;
  return {
    skip: { formationId: f9.id, quota: q9, promoted: r9[q9]!, skipped: r9[q9 - 1]! },
    mismatch: { formationId: f10.id, applicationId: mismatch },
    resignation: { formationId: f14.id, resigned: resigned.id, replacement: replacement.id },
  };
}

function honestCoincidences(applicants: Applicant[], cast: Cast): Coincidence[] {
  const out: Coincidence[] = [];
  const siregar = applicants.filter((a) => a.verifier === 'verifikator-02' && a.person.name.endsWith(' Siregar'));
  if (siregar.length > 0) {
    out.push({
      kind: 'shared-surname',
      description: 'verifikator-02 (marga Siregar) verified applicants who are also named Siregar: a very common marga, with no shared KK, address, phone or parent.',
      applicationIds: siregar.map((a) => a.id),
      actorId: 'verifikator-02',
    });
  }
  const nasution = applicants.filter((a) => a.confirmer === 'supervisor-01' && a.person.name.endsWith(' Nasution'));
  if (nasution.length > 0) {
    out.push({
      kind: 'shared-surname',
      description: 'supervisor-01 (marga Nasution) confirmed applicants named Nasution: a shared marga only.',
      applicationIds: nasution.map((a) => a.id),
      actorId: 'supervisor-01',
    });
  }
  for (const d of cast.dormitories) {
    out.push({ kind: 'shared-address', description: `Unrelated applicants living at ${d.name} (different KK, parents and contacts).`, applicationIds: d.members.map((a) => a.id) });
  }
  for (const [x, y] of cast.siblings) {
    out.push({ kind: 'siblings', description: `Siblings on one family card (same KK, address and parents) applying to ${x.formation.id} and ${y.formation.id}; no officer is related to them.`, applicationIds: [x.id, y.id] });
  }
  return out;
}
