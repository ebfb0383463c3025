/**
 * shared-identity: a NIK index on more than one application (the one-per-person guard should
 * make it impossible — checked anyway), and a phone or e-mail index shared by applications
 * of different NIKs (a possible joki or ghost applicant). Family cards and addresses are
 * never compared here: siblings share both legitimately, and so do residents of a pesantren
 * or dormitory. Applications linked by any of these indexes form one flag.
 */
import { byCodeUnit, makeFlag } from '../flag.ts';
import { bool, joinList, num } from '../text.ts';
import type { Bilingual, DetectionInput, Detector, Flag } from '../types.ts';
import { push, viewOf } from '../view.ts';
import type { AppInfo } from '../view.ts';

const ID = 'shared-identity';
const VERSION = '1';

/** Union-find over application ids. */
class Groups {
  readonly #parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    for (let p = this.#parent.get(root); p !== undefined && p !== root; p = this.#parent.get(root)) root = p;
    // Path compression.
    for (let y = x; y !== root; ) {
      const next = this.#parent.get(y)!;
      this.#parent.set(y, root);
      y = next;
    }
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    // The smaller id becomes the root, so the grouping does not depend on input order.
    if (ra < rb) this.#parent.set(rb, ra);
    else this.#parent.set(ra, rb);
  }
}

function detect(input: DetectionInput): Flag[] {
  const view = viewOf(input.entries);
  const person = (a: AppInfo): string => a.indexes.nik ?? `app:${a.id}`;
  const byNik = new Map<string, AppInfo[]>();
  const byPhone = new Map<string, AppInfo[]>();
  const byEmail = new Map<string, AppInfo[]>();
  for (const a of view.apps.values()) {
    push(byNik, person(a), a);
    if (a.indexes.phone !== undefined) push(byPhone, a.indexes.phone, a);
    if (a.indexes.email !== undefined) push(byEmail, a.indexes.email, a);
  }
  // Every application submitted under a reused NIK (duplicates of one id included) is evidence.
  const submissions = new Map<string, number[]>();
  for (const { entry, event } of view.events) if (event.type === 'ApplicationSubmitted') push(submissions, event.payload.applicationId, entry.seq);

  const groups = new Groups();
  const reason = new Map<string, { nik: boolean; phone: boolean; email: boolean }>();
  const mark = (list: readonly AppInfo[], kind: 'nik' | 'phone' | 'email'): void => {
    for (const a of list.slice(1)) groups.union(list[0]!.id, a.id);
    for (const a of list) {
      const r = reason.get(a.id) ?? reason.set(a.id, { nik: false, phone: false, email: false }).get(a.id)!;
      r[kind] = true;
    }
  };
  for (const [, list] of byNik) if (list.length > 1) mark(list, 'nik');
  for (const [kind, map] of [['phone', byPhone], ['email', byEmail]] as const) {
    for (const [, list] of map) if (list.length > 1 && new Set(list.map(person)).size > 1) mark(list, kind);
  }
  const duplicateIds = [...submissions].filter(([, seqs]) => seqs.length > 1);
  for (const [id] of duplicateIds) {
    const r = reason.get(id) ?? reason.set(id, { nik: false, phone: false, email: false }).get(id)!;
    r.nik = true;
    groups.find(id);
  }

  const members = new Map<string, string[]>();
  for (const id of reason.keys()) push(members, groups.find(id), id);
  const flags: Flag[] = [];
  for (const ids of members.values()) {
    ids.sort(byCodeUnit);
    const apps = ids.map((id) => view.apps.get(id)).filter((a): a is AppInfo => a !== undefined);
    const rs = ids.map((id) => reason.get(id)!);
    const nik = rs.some((r) => r.nik);
    const formations = [...new Set(apps.map((a) => a.formationId))];
    flags.push(
      makeFlag(ID, VERSION, {
        key: ids.join(','),
        severity: nik ? 'high' : 'medium',
        entries: ids.flatMap((id) => submissions.get(id) ?? []),
        applications: ids,
        ...(formations.length === 1 && { formationId: formations[0] }),
        facts: {
          nikReused: nik,
          sharedPhone: rs.some((r) => r.phone),
          sharedEmail: rs.some((r) => r.email),
          applicationCount: ids.length,
          distinctNiks: new Set(apps.map(person)).size,
        },
      }),
    );
  }
  return flags;
}

function explain(flag: Flag): Bilingual {
  const list = joinList([...flag.applications], 'en');
  const listId = joinList([...flag.applications], 'id');
  if (bool(flag, 'nikReused')) {
    return {
      id: `NIK yang sama dipakai pada ${num(flag, 'applicationCount')} lamaran (${listId}). Satu orang hanya boleh melamar satu kali per periode; periksa kemungkinan data ganda atau pemalsuan identitas.`,
      en: `One NIK is used on ${num(flag, 'applicationCount')} applications (${list}). A person may apply once per period; check for duplicate records or identity fraud.`,
    };
  }
  const whatId = [bool(flag, 'sharedPhone') ? 'nomor telepon' : '', bool(flag, 'sharedEmail') ? 'alamat e-mail' : ''].filter(Boolean).join(' dan ');
  const whatEn = [bool(flag, 'sharedPhone') ? 'phone number' : '', bool(flag, 'sharedEmail') ? 'e-mail address' : ''].filter(Boolean).join(' and ');
  return {
    id: `${num(flag, 'distinctNiks')} pelamar dengan NIK berbeda (${listId}) memakai ${whatId} yang sama. Kontak bersama antar-identitas adalah indikator joki atau pelamar fiktif.`,
    en: `${num(flag, 'distinctNiks')} applicants with different NIKs (${list}) use the same ${whatEn}. Contacts shared across identities indicate a joki (stand-in) or a ghost applicant.`,
  };
}

/** The shared-identity detector. */
export const sharedIdentity: Detector = {
  id: ID,
  version: VERSION,
  severity: 'medium',
  title: { id: 'Identitas atau kontak dipakai bersama', en: 'Shared identity or contact' },
  detect,
  explain,
};
