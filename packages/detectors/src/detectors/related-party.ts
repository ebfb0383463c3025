/**
 * related-party: an official acts on an applicant tied to them — the applicant is a declared
 * relative, or shares a family card (current or earlier), both parents' names (or one parent
 * and the address), a phone, e-mail, bank account or address with the official, or shares a
 * family card, phone, e-mail, bank account or address with one of the official's declared
 * relatives (one intermediary). Blind indexes only, so it works after erasure. A name or
 * surname is never a tie on its own; an address that several unrelated families give (a
 * pesantren, a dormitory) ties nobody to an official's relative.
 */
import type { ActorState, PersonIndexes } from '@casn/domain';
import { byCodeUnit, makeFlag } from '../flag.ts';
import { actionList, bool, firstActor, firstApp, joinList, num, str } from '../text.ts';
import type { Bilingual, DetectionInput, Detector, Flag } from '../types.ts';
import { push, viewOf } from '../view.ts';
import type { AppInfo, ViewEntry } from '../view.ts';

const ID = 'related-party';
const VERSION = '1';

/** Tie kinds, strongest first. */
type TieKind = 'nik' | 'kk' | 'parents' | 'phone' | 'email' | 'bank' | 'address';
const TIE_RANK: Readonly<Record<TieKind, number>> = { nik: 0, kk: 1, parents: 2, phone: 3, email: 4, bank: 5, address: 6 };

/** Whose identifiers the applicant shares: the official's own, or a declared relative's. */
interface Holder {
  readonly actorId: string;
  readonly via: 'self' | 'relative';
  readonly relation: string | null;
  /** Directory seq of the ActorRegistered or RelativeDeclared entry. */
  readonly directorySeq: number;
  readonly indexes: PersonIndexes;
  /** Order of the holder within the directory (self first, then relatives as declared). */
  readonly order: number;
}

/** The ties of one applicant to one holder. */
interface HolderTie {
  readonly holder: Holder;
  readonly kinds: TieKind[];
  readonly declared: boolean;
}

/** The best tie of an applicant to an official, over all of the official's holders. */
interface Tie {
  readonly primary: HolderTie;
  readonly kinds: TieKind[];
  readonly declared: boolean;
}

type SingleKind = 'nik' | 'phone' | 'email' | 'bank' | 'address';
const SINGLE: readonly SingleKind[] = ['nik', 'phone', 'email', 'bank', 'address'];

function kksOf(ix: PersonIndexes): string[] {
  return [...(ix.kk !== undefined ? [ix.kk] : []), ...(ix.previousKk ?? [])];
}

/** Calls `act(actor, application)` for each official acting on an application in an entry (no allocation for the other entries). */
function forEachAct(type: string, payload: Record<string, unknown>, actorId: string, act: (actor: string, app: string) => void): void {
  const app = typeof payload.applicationId === 'string' ? payload.applicationId : undefined;
  switch (type) {
    case 'DocumentsVerified':
    case 'VerificationConfirmed':
    case 'VerificationReturned':
    case 'Reverified':
    case 'SanggahDecided':
    case 'AbsenceRecorded':
    case 'ApplicantDisqualified':
    case 'FinalDecisionRecorded':
      if (app !== undefined) act(actorId, app);
      return;
    case 'SkdScoreRecorded':
    case 'CompetencyScoreRecorded':
      // A CAT import is machine data; the person who typed a manual score acted.
      if (app !== undefined && payload.source === 'manual') act(actorId, app);
      return;
    case 'SkbScoreRecorded':
      if (app === undefined) return;
      if (typeof payload.examiner === 'string') act(payload.examiner, app);
      if (payload.source === 'manual' && payload.examiner !== actorId) act(actorId, app);
      return;
    case 'ResultsAnnounced':
      if (Array.isArray(payload.results)) for (const r of payload.results as { applicationId: string }[]) act(actorId, r.applicationId);
      return;
    case 'ReplacementAppointed':
      if (typeof payload.replacementApplicationId === 'string') act(actorId, payload.replacementApplicationId);
      return;
    default:
      return;
  }
}

/** The holders of the directory, in a deterministic order (actor id, then declaration order). */
function holdersOf(actors: Iterable<ActorState>): Holder[] {
  const out: Holder[] = [];
  const sorted = [...actors].sort((a, b) => byCodeUnit(a.actorId, b.actorId));
  for (const a of sorted) {
    out.push({ actorId: a.actorId, via: 'self', relation: null, directorySeq: a.registeredSeq, indexes: a.indexes, order: 0 });
    a.relatives.forEach((r, i) => out.push({ actorId: a.actorId, via: 'relative', relation: r.relation, directorySeq: r.declared.seq, indexes: r.indexes, order: i + 1 }));
  }
  return out;
}

/** Index value → holders, per kind. */
interface HolderIndex {
  readonly single: Readonly<Record<SingleKind, Map<string, Holder[]>>>;
  readonly kk: Map<string, Holder[]>;
  readonly parents: Map<string, Holder[]>;
}

function indexHolders(holders: readonly Holder[]): HolderIndex {
  const single: Record<SingleKind, Map<string, Holder[]>> = { nik: new Map(), phone: new Map(), email: new Map(), bank: new Map(), address: new Map() };
  const kk = new Map<string, Holder[]>();
  const parents = new Map<string, Holder[]>();
  for (const h of holders) {
    for (const kind of SINGLE) {
      const v = h.indexes[kind];
      if (v !== undefined) push(single[kind], v, h);
    }
    for (const v of new Set(kksOf(h.indexes))) push(kk, v, h);
    for (const v of new Set(h.indexes.parents ?? [])) push(parents, v, h);
  }
  return { single, kk, parents };
}

/** Of the addresses in `candidates`, those given by applicants of at least `min` different family cards (public addresses). */
function sharedAddresses(apps: Iterable<AppInfo>, candidates: ReadonlySet<string>, min: number): Set<string> {
  const out = new Set<string>();
  if (candidates.size === 0) return out;
  const families = new Map<string, Set<string>>();
  for (const a of apps) {
    const address = a.indexes.address;
    if (address === undefined || !candidates.has(address)) continue;
    const family = a.indexes.kk ?? `app:${a.id}`;
    const set = families.get(address) ?? families.set(address, new Set()).get(address)!;
    set.add(family);
  }
  for (const [address, set] of families) if (set.size >= min) out.add(address);
  return out;
}

const NO_TIES: ReadonlyMap<string, Tie> = new Map();

/** The ties of one application to every official, by actor id. */
function tiesOf(app: AppInfo, index: HolderIndex, shared: ReadonlySet<string>): ReadonlyMap<string, Tie> {
  const ix = app.indexes;
  // Most applicants match nobody: the maps are only made on a first hit.
  let found: Map<Holder, Set<TieKind>> | undefined;
  const add = (h: Holder, kind: TieKind): void => {
    found ??= new Map();
    const set = found.get(h) ?? found.set(h, new Set()).get(h)!;
    set.add(kind);
  };
  for (const kind of SINGLE) {
    const v = ix[kind];
    if (v === undefined) continue;
    const hs = index.single[kind].get(v);
    if (hs) for (const h of hs) add(h, kind);
  }
  if (ix.kk !== undefined) for (const h of index.kk.get(ix.kk) ?? []) add(h, 'kk');
  for (const v of ix.previousKk ?? []) for (const h of index.kk.get(v) ?? []) add(h, 'kk');
  let parentHits: Map<Holder, number> | undefined;
  for (const v of new Set(ix.parents ?? [])) {
    const hs = index.parents.get(v);
    if (!hs) continue;
    parentHits ??= new Map();
    for (const h of hs) parentHits.set(h, (parentHits.get(h) ?? 0) + 1);
  }
  if (parentHits) for (const h of parentHits.keys()) if (!found?.has(h)) (found ??= new Map()).set(h, new Set());
  if (!found) return NO_TIES;

  const byActor = new Map<string, HolderTie[]>();
  for (const [h, kinds] of found) {
    // A public address ties nobody to a relative; the official's own address still counts.
    if (h.via === 'relative' && ix.address !== undefined && shared.has(ix.address)) kinds.delete('address');
    const parents = parentHits?.get(h) ?? 0;
    if (parents >= 2 || (parents === 1 && kinds.has('address'))) kinds.add('parents');
    if (kinds.size === 0) continue;
    const r = h.indexes;
    // The applicant is the declared relative: same NIK, or (declared without a NIK) the same name and a shared card or contact.
    const declared =
      h.via === 'relative' &&
      (kinds.has('nik') || (r.nik === undefined && r.name !== undefined && r.name === ix.name && (kinds.has('kk') || kinds.has('phone') || kinds.has('email') || kinds.has('bank'))));
    push(byActor, h.actorId, { holder: h, kinds: [...kinds].sort((a, b) => TIE_RANK[a] - TIE_RANK[b]), declared });
  }
  const out = new Map<string, Tie>();
  for (const [actorId, list] of byActor) {
    // The declared identity first (it says who the applicant is), then the strongest tie, then self before relatives.
    list.sort((a, b) => Number(b.declared) - Number(a.declared) || TIE_RANK[a.kinds[0]!] - TIE_RANK[b.kinds[0]!] || a.holder.order - b.holder.order);
    const kinds = [...new Set(list.flatMap((t) => t.kinds))].sort((a, b) => TIE_RANK[a] - TIE_RANK[b]);
    out.set(actorId, { primary: list[0]!, kinds, declared: list.some((t) => t.declared) });
  }
  return out;
}

function detect(input: DetectionInput): Flag[] {
  const view = viewOf(input.entries);
  const holders = holdersOf(input.directory.actors.values());
  const index = indexHolders(holders);
  // Only relatives' addresses can be discounted as public, so only those are counted.
  const relativeAddresses = new Set(holders.filter((h) => h.via === 'relative' && h.indexes.address !== undefined).map((h) => h.indexes.address!));
  const shared = sharedAddresses(view.apps.values(), relativeAddresses, input.config.relatedParty.sharedAddressMinFamilies);
  // Officials with no indexes (their own or a relative's) cannot be tied to anyone.
  const indexed = new Set(holders.filter((h) => Object.keys(h.indexes).length > 0).map((h) => h.actorId));
  if (indexed.size === 0) return [];

  const tieCache = new Map<string, ReadonlyMap<string, Tie>>();
  const tiesFor = (app: AppInfo): ReadonlyMap<string, Tie> => tieCache.get(app.id) ?? tieCache.set(app.id, tiesOf(app, index, shared)).get(app.id)!;

  const actions = new Map<string, { actorId: string; app: AppInfo; tie: Tie; seqs: number[]; types: Set<string> }>();
  // One callback for the whole pass (not one closure per entry); `current` is the entry being read.
  let current: ViewEntry | undefined;
  const act = (actor: string, appId: string): void => {
    if (!current || !indexed.has(actor)) return;
    const app = view.apps.get(appId);
    if (!app) return;
    const tie = tiesFor(app).get(actor);
    if (!tie) return;
    const key = `${actor}:${appId}`;
    const a = actions.get(key) ?? actions.set(key, { actorId: actor, app, tie, seqs: [], types: new Set() }).get(key)!;
    a.seqs.push(current.entry.seq);
    a.types.add(current.event.type);
  };
  for (const v of view.events) {
    current = v;
    forEachAct(v.event.type, v.entry.payload, v.entry.actor.id, act);
  }

  const flags: Flag[] = [];
  for (const [key, a] of actions) {
    const { primary, kinds, declared } = a.tie;
    flags.push(
      makeFlag(ID, VERSION, {
        key,
        severity: 'high',
        entries: [a.app.seq, ...a.seqs],
        actors: [a.actorId],
        applications: [a.app.id],
        formationId: a.app.formationId,
        facts: {
          tie: primary.kinds[0]!,
          ties: kinds.join(','),
          via: primary.holder.via,
          ...(primary.holder.relation !== null && { relation: primary.holder.relation }),
          declared,
          rank: declared ? 2 : 1,
          directorySeq: primary.holder.directorySeq,
          actions: [...a.types].sort(byCodeUnit).join(','),
          actionCount: a.seqs.length,
        },
      }),
    );
  }
  return flags;
}

const TIE_TEXT: Readonly<Record<string, Bilingual>> = {
  nik: { id: 'NIK yang sama', en: 'the same NIK' },
  kk: { id: 'nomor Kartu Keluarga yang sama (kini atau sebelumnya)', en: 'the same family card number (current or earlier)' },
  parents: { id: 'nama orang tua yang sama', en: "the same parents' names" },
  phone: { id: 'nomor telepon yang sama', en: 'the same phone number' },
  email: { id: 'alamat e-mail yang sama', en: 'the same e-mail address' },
  bank: { id: 'rekening bank yang sama', en: 'the same bank account' },
  address: { id: 'alamat tempat tinggal yang sama', en: 'the same home address' },
};

const RELATION_TEXT: Readonly<Record<string, Bilingual>> = {
  spouse: { id: 'pasangan', en: 'spouse' },
  parent: { id: 'orang tua', en: 'parent' },
  child: { id: 'anak', en: 'child' },
  sibling: { id: 'saudara kandung', en: 'sibling' },
  'in-law': { id: 'keluarga semenda', en: 'in-law' },
  cousin: { id: 'sepupu', en: 'cousin' },
  other: { id: 'kerabat', en: 'relative' },
};

function explain(flag: Flag): Bilingual {
  const actor = firstActor(flag);
  const app = firstApp(flag);
  const ties = (lang: 'id' | 'en') => joinList(str(flag, 'ties').split(',').filter(Boolean).map((t) => TIE_TEXT[t]?.[lang] ?? t), lang);
  const relation = RELATION_TEXT[str(flag, 'relation')] ?? RELATION_TEXT.other!;
  const viaRelative = str(flag, 'via') === 'relative';
  const declared = bool(flag, 'declared');
  const n = num(flag, 'actionCount');
  const id = declared
    ? `${actor} bertindak (${actionList(str(flag, 'actions'), 'id')}, ${n} kali) atas lamaran ${app}, padahal pelamarnya adalah ${relation.id} yang telah ia deklarasikan (${ties('id')}). Pejabat yang berbenturan kepentingan wajib mundur dari keputusan dan digantikan pejabat lain (UU 30/2014 Pasal 42–43; PermenPANRB 17/2024).`
    : `${actor} bertindak (${actionList(str(flag, 'actions'), 'id')}, ${n} kali) atas lamaran ${app}, yang pelamarnya memiliki ${ties('id')} dengan ${viaRelative ? `${relation.id} yang dideklarasikan pejabat tersebut` : 'pejabat tersebut'}. Hubungan ini tidak pernah dideklarasikan. Pejabat yang berbenturan kepentingan dilarang mengambil keputusan (UU 30/2014 Pasal 42–43; PermenPANRB 17/2024).`;
  const en = declared
    ? `${actor} acted (${actionList(str(flag, 'actions'), 'en')}, ${n} time${n === 1 ? '' : 's'}) on application ${app} although the applicant is their own declared ${relation.en} (${ties('en')}). An official with a conflict of interest must step aside and let another official decide (UU 30/2014 Art. 42–43; PermenPANRB 17/2024).`
    : `${actor} acted (${actionList(str(flag, 'actions'), 'en')}, ${n} time${n === 1 ? '' : 's'}) on application ${app}, whose applicant shares ${ties('en')} with ${viaRelative ? `the official's declared ${relation.en}` : 'the official'}. The tie was never declared. An official with a conflict of interest may not decide (UU 30/2014 Art. 42–43; PermenPANRB 17/2024).`;
  return { id, en };
}

/** The related-party detector. */
export const relatedParty: Detector = {
  id: ID,
  version: VERSION,
  severity: 'high',
  title: { id: 'Tindakan atas pelamar yang memiliki hubungan dengan pejabat', en: 'Official acted on a related applicant' },
  detect,
  explain,
};
