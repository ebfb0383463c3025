/**
 * Test helpers: a ledger builder that assigns seq, stream, version, time and actor and
 * produces DetectionEntry[], a directory builder over the domain's evolveDirectory, and a
 * standard opened period to start from.
 */
import { evolveDirectory, initialDirectoryState } from '@casn/domain';
import type { DirectoryEvent, DirectoryEventType, DirectoryState, PeriodEvent, PeriodEventType, PersonIndexes } from '@casn/domain';
import { sha256, toHex, utf8 } from '@casn/ledger-core';
import { DETECTOR_CONFIGS, DEFAULT_DETECTOR_CONFIG, detect, type DetectionEntry, type DetectionInput, type DetectorConfig, type Flag } from '../src/index.ts';

/** A deterministic 32-hex blind index standing for a value. */
export const idx = (label: string): string => toHex(sha256(utf8(label))).slice(0, 32);

/** The instant of a WIB wall-clock time 'YYYY-MM-DD HH:MM[:SS]', as the ledger writes it (UTC ISO). */
export function wib(local: string): string {
  const [date, time = '00:00'] = local.split(' ');
  const t = time.length === 5 ? `${time}:00` : time;
  return new Date(`${date}T${t}+07:00`).toISOString();
}

/** The same instant written with the WIB offset (as schedules and submittedAt carry it). */
export function wibOffset(local: string): string {
  const [date, time = '00:00'] = local.split(' ');
  return `${date}T${time.length === 5 ? `${time}:00` : time}+07:00`;
}

type Payload<K extends PeriodEventType> = Extract<PeriodEvent, { type: K }>['payload'];

const FORMATION_EVENTS: readonly string[] = ['FormationAnnounced', 'FormationAmended', 'SkdCutDecided', 'RankingDecided', 'ResultsAnnounced', 'ReplacementAppointed'];

/** Roles of the test actors, by id prefix. */
function roleOf(actor: string): string {
  if (actor.startsWith('admin')) return 'admin';
  if (actor.startsWith('sup')) return 'supervisor';
  if (actor.startsWith('portal')) return 'portal';
  return 'officer';
}

/** Builds a period ledger's entries. */
export class LedgerBuilder {
  readonly entries: DetectionEntry[] = [];
  readonly #versions = new Map<string, number>();
  #at = wib('2024-08-19 09:00');

  /** Sets the clock (WIB wall clock) for the following entries. */
  at(local: string): this {
    this.#at = wib(local);
    return this;
  }

  /** Appends one event; returns its seq. */
  add<K extends PeriodEventType>(type: K, payload: Payload<K>, opts: { actor?: string; role?: string; stream?: string; at?: string } = {}): number {
    const p = payload as Record<string, unknown>;
    const stream =
      opts.stream ??
      (FORMATION_EVENTS.includes(type)
        ? `formation-${String(p.formationId)}`
        : typeof p.applicationId === 'string'
          ? `application-${p.applicationId}`
          : 'period');
    const version = (this.#versions.get(stream) ?? -1) + 1;
    this.#versions.set(stream, version);
    const actor = opts.actor ?? 'admin-1';
    const seq = this.entries.length;
    this.entries.push({ seq, stream, version, type, at: opts.at !== undefined ? wib(opts.at) : this.#at, actor: { id: actor, role: opts.role ?? roleOf(actor) }, payload: p });
    return seq;
  }

  /** A submission and its person guard; returns the ApplicationSubmitted seq. */
  submit(applicationId: string, indexes: Partial<PersonIndexes>, opts: { formationId?: string; submittedAt?: string; actor?: string; channel?: 'portal' | 'import' } = {}): number {
    const nik = indexes.nik ?? idx(`nik-${applicationId}`);
    const seq = this.add(
      'ApplicationSubmitted',
      {
        applicationId,
        formationId: opts.formationId ?? 'f1',
        channel: opts.channel ?? 'import',
        submittedAt: opts.submittedAt ?? wibOffset('2024-08-25 10:00'),
        personal: { subject: `s-${applicationId}`, alg: 'A256GCM', iv: 'aXY=', ct: 'Y3Q=' },
        indexes: { ...indexes, nik },
        education: { level: 'S-1', ipk: 3.5 },
      },
      { actor: opts.actor ?? 'admin-1' },
    );
    this.add('PersonRegistered', { applicationId }, { stream: `person-${nik}`, actor: opts.actor ?? 'admin-1' });
    return seq;
  }

  /** Verified by one officer and confirmed by one supervisor with a verdict. */
  verify(applicationId: string, verifier: string, supervisor: string, verdict: 'MS' | 'TMS' = 'MS', opts: { note?: string; verifiedAt?: string; confirmedAt?: string } = {}): { verified: number; confirmed: number } {
    const documents = [{ document: 'Ijazah', verdict, ...(verdict === 'TMS' && { reason: 'Ijazah tidak sesuai' }) }];
    const verified = this.add('DocumentsVerified', { applicationId, verdict, documents }, { actor: verifier, ...(opts.verifiedAt !== undefined && { at: opts.verifiedAt }) });
    const confirmed = this.add(
      'VerificationConfirmed',
      { applicationId, verdict, ...(opts.note !== undefined && { note: opts.note }) },
      { actor: supervisor, ...(opts.confirmedAt !== undefined && { at: opts.confirmedAt }) },
    );
    return { verified, confirmed };
  }
}

/** A CPNS period opened on 19 Aug 2024 (registration 20 Aug–6 Sep, verification 21 Aug–18 Sep, sanggah 20–22 Sep) with formations f1 (quota 2) and f2 (quota 1). */
export function openedPeriod(): LedgerBuilder {
  const b = new LedgerBuilder();
  b.at('2024-08-19 09:30');
  b.add('PeriodOpened', {
    periodId: 'p-2024',
    agency: { code: 'agency-1', name: 'Pemerintah Kota Contoh', level: 'daerah' },
    year: 2024,
    kind: 'CPNS',
    rules: 'casn-2024',
    skbWeights: { cat: 0.6, practical: 0.4 },
    schedule: {
      registration: { opens: wibOffset('2024-08-20 00:00'), closes: wibOffset('2024-09-06 23:59:59') },
      verification: { opens: wibOffset('2024-08-21 08:00'), closes: wibOffset('2024-09-18 23:59:59') },
      sanggah: { opens: wibOffset('2024-09-20 00:00'), closes: wibOffset('2024-09-22 23:59:59') },
    },
  });
  b.at('2024-08-19 10:00');
  for (const [formationId, quota] of [['f1', 2], ['f2', 1]] as const) {
    b.add('FormationAnnounced', { formationId, jabatan: 'Guru', unit: 'Dinas', location: 'Kota', education: ['S-1'], track: 'umum', quota });
  }
  return b;
}

type DirPayload<K extends DirectoryEventType> = Extract<DirectoryEvent, { type: K }>['payload'];

/** Builds a directory state. */
export class DirectoryBuilder {
  readonly state: DirectoryState = initialDirectoryState();
  #seq = 0;

  #apply<K extends DirectoryEventType>(type: K, payload: DirPayload<K>, stream: string, actor = 'admin-1'): number {
    const seq = this.#seq++;
    const version = (this.state.versions.get(stream) ?? -1) + 1;
    evolveDirectory(this.state, { type, payload } as DirectoryEvent, { seq, stream, version, at: '2024-08-01T01:00:00.000Z', actor: { id: actor, role: 'admin' } });
    return seq;
  }

  /** Registers an actor with blind indexes; returns the directory seq. */
  actor(actorId: string, role: 'officer' | 'supervisor' | 'admin' | 'portal' | 'inspector' | 'ombudsman', indexes: Partial<PersonIndexes> = {}): number {
    return this.#apply('ActorRegistered', { actorId, role, agency: role === 'officer' || role === 'supervisor' || role === 'portal' ? 'agency-1' : null, indexes }, `actor-${actorId}`);
  }

  /** Declares a relative of an actor; returns the directory seq. */
  relative(actorId: string, relation: DirPayload<'RelativeDeclared'>['relation'], indexes: Partial<PersonIndexes>): number {
    return this.#apply('RelativeDeclared', { actorId, relation, indexes }, `actor-${actorId}`, actorId);
  }
}

/** The default configuration. */
export const CONFIG: DetectorConfig = DETECTOR_CONFIGS[DEFAULT_DETECTOR_CONFIG]!;

/** Runs one detector over a ledger and a directory. */
export function run(detector: string, b: LedgerBuilder, directory: DirectoryState = new DirectoryBuilder().state, config: DetectorConfig = CONFIG): Flag[] {
  const input: DetectionInput = { entries: b.entries, directory, config };
  return detect(input, [detector]);
}
