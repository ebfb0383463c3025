/**
 * The directory of the demo: the agency's admin, verifiers (officers), supervisors, the
 * SSCASN portal, the CAT operator and SKB examiners, and the oversight bodies; some
 * officers with their own identity and declared relatives.
 */
import type { Role } from '@casn/domain';
import { AGENCY } from './catalogue.ts';
import { bankAccount, type Family, type People, type Person } from './people.ts';
import type { Random } from './random.ts';

/** A declared relative of an actor; only the fields given are sealed and indexed. */
export interface Relative {
  readonly relation: 'spouse' | 'parent' | 'child' | 'sibling' | 'in-law' | 'cousin' | 'other';
  readonly subject: string;
  readonly name: string;
  readonly nik?: string;
  readonly kk?: string;
  readonly phone?: string;
  readonly birthDate?: string;
}

/** An actor of the directory. */
export interface ActorDef {
  readonly actorId: string;
  readonly role: Role;
  readonly agency: string | null;
  /** The actor's own identity, when registered with one. */
  readonly person: Person | null;
  /** The household of the actor (undeclared relatives share it). */
  readonly family: Family | null;
  readonly relatives: Relative[];
}

/** The acting actors of the period, by id. */
export const ADMIN = 'admin-bkpsdm';
export const PORTAL = 'portal-sscasn';
export const CAT_OPERATOR = 'operator-cat-bkn';
export const VERIFIERS = ['verifikator-01', 'verifikator-02', 'verifikator-03', 'verifikator-04', 'verifikator-05', 'verifikator-06'] as const;
export const SUPERVISORS = ['supervisor-01', 'supervisor-02', 'supervisor-03'] as const;
export const EXAMINERS = ['penguji-skb-01', 'penguji-skb-02', 'penguji-skb-03', 'penguji-skb-04'] as const;
export const INSPECTOR = 'inspektorat-tangsel';
export const OMBUDSMAN = 'ombudsman-banten';

/** Officers of the agency whose identity (and family) is registered. */
const WITH_IDENTITY: Readonly<Record<string, { marga: string | null; sex: 'M' | 'F' }>> = {
  'verifikator-01': { marga: null, sex: 'F' },
  // A Siregar verifying applicants named Siregar is a coincidence of a very common marga, not evidence.
  'verifikator-02': { marga: 'Siregar', sex: 'M' },
  'verifikator-03': { marga: null, sex: 'M' },
  'verifikator-04': { marga: null, sex: 'F' },
  'verifikator-05': { marga: 'Lubis', sex: 'M' },
  'supervisor-01': { marga: 'Nasution', sex: 'M' },
  'supervisor-02': { marga: null, sex: 'M' },
  'supervisor-03': { marga: null, sex: 'F' },
};

/** Builds the actors; `people` must be fresh so the officers' names stay theirs. */
export function buildActors(random: Random, people: People): ActorDef[] {
  const actors: ActorDef[] = [];
  const plain = (actorId: string, role: Role, agency: string | null): ActorDef => ({ actorId, role, agency, person: null, family: null, relatives: [] });

  actors.push(plain(ADMIN, 'admin', null));
  for (const id of [...SUPERVISORS, ...VERIFIERS]) {
    const role: Role = id.startsWith('supervisor') ? 'supervisor' : 'officer';
    const who = WITH_IDENTITY[id];
    if (!who) {
      actors.push(plain(id, role, AGENCY.code));
      continue;
    }
    const family = people.family({ marga: who.marga, inTangsel: true });
    const person = { ...people.person({ sex: who.sex, fromYear: 1972, toYear: 1990, family }), bankAccount: bankAccount(random) };
    people.reserveName(person.name);
    people.reserveName(family.father);
    people.reserveName(family.mother);
    actors.push({ actorId: id, role, agency: AGENCY.code, person, family, relatives: [] });
  }
  actors.push(plain(PORTAL, 'portal', AGENCY.code));
  actors.push(plain(CAT_OPERATOR, 'officer', AGENCY.code));
  for (const id of EXAMINERS) actors.push(plain(id, 'officer', AGENCY.code));
  actors.push(plain(INSPECTOR, 'inspector', null));
  actors.push(plain(OMBUDSMAN, 'ombudsman', null));

  // Declared relatives: spouses share the actor's family card; siblings have their own.
  const byId = new Map(actors.map((a) => [a.actorId, a]));
  const spouse = (id: string): void => {
    const a = byId.get(id)!;
    const sex = a.person!.sex === 'M' ? 'F' : 'M';
    const p = people.person({ sex, fromYear: 1974, toYear: 1992 });
    people.reserveName(p.name);
    a.relatives.push({ relation: 'spouse', subject: people.subject(), name: p.name, nik: p.nik, kk: a.person!.kk, phone: p.phone, birthDate: p.birthDate });
  };
  const sibling = (id: string): void => {
    const a = byId.get(id)!;
    const own = people.family({ marga: a.family!.marga });
    const p = people.person({ fromYear: 1975, toYear: 1995, family: own });
    people.reserveName(p.name);
    a.relatives.push({ relation: 'sibling', subject: people.subject(), name: p.name, nik: p.nik, kk: p.kk, phone: p.phone, birthDate: p.birthDate });
  };
  spouse('verifikator-01');
  spouse('verifikator-02');
  spouse('verifikator-03');
  sibling('verifikator-04');
  sibling('verifikator-05');
  spouse('supervisor-01');
  spouse('supervisor-03');
  return actors;
}
