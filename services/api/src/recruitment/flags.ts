/**
 * Red-flag detection over a period ledger: the detectors of @casn/detectors run on the
 * entries [0, size) of a checkpoint (flag events excluded) and the directory, and the flags
 * they find are raised in the ledger with RaiseFlags. Detection is deterministic and flags
 * are keyed (flagId from detector, version and key), so the worker running as entries
 * arrive and a full re-run from the CLI raise the same flags, each once.
 */
import {
  DEFAULT_DETECTOR_CONFIG,
  DETECTOR_CONFIGS,
  detect,
  explainFlag,
  type DetectionEntry,
  type Flag,
} from '@casn/detectors';
import {
  DomainError,
  MAX_FLAGS_PER_COMMAND,
  PeriodCommand,
  evolveDirectory,
  initialDirectoryState,
  isDomainError,
  streams,
  type Actor,
  type DirectoryEvent,
  type DirectoryState,
  type FlagState,
  type FlagStatus,
  type PeriodState,
} from '@casn/domain';
import { sha256, toBase64, toHex, utf8 } from '@casn/ledger-core';
import { parseEntry } from './ledger-model.ts';
import type { RecruitmentService } from './service.ts';
import { ensureSystemActor } from './system-actors.ts';

export { explainFlag, type Flag };

/** The checkpoint a detection ran on (size and RFC 6962 root, base64), with the directory ledger's at the same run. */
export interface DetectionCheckpoint {
  readonly size: number;
  readonly root: string;
  readonly directory: { readonly size: number; readonly root: string };
}

/** What a detection found, before anything is recorded. */
export interface Detection {
  readonly periodId: string;
  readonly origin: string;
  /** Id of the detector configuration used. */
  readonly config: string;
  readonly checkpoint: DetectionCheckpoint;
  /** Every flag found, in the detectors' (deterministic) order. */
  readonly flags: Flag[];
}

/** What a detection found and how many of its flags were newly raised. */
export interface DetectionRun {
  readonly checkpoint: DetectionCheckpoint;
  readonly flags: Flag[];
  readonly raised: number;
}

/**
 * Options of a detection: the checkpoint size and the directory's size (default: each
 * ledger's current size), the configuration, and a subset of detectors.
 */
export interface DetectionOptions {
  readonly atSize?: number | undefined;
  readonly directorySize?: number | undefined;
  readonly config?: string | undefined;
  readonly only?: readonly string[] | undefined;
  /** Entries read by earlier runs, so that this one reads only what was appended since. */
  readonly cache?: DetectionCache | undefined;
}

/**
 * What detection runs have read so far: per period ledger the entries [0, size) as the
 * detectors read them (sealed personal data left out), and the directory's state at a
 * size. A run at a size at or past the cached one reads only the entries after it, and the
 * detectors' shared view is extended rather than rebuilt; a run at an earlier size reads
 * from the start without touching the cache. The results are those of a run without one.
 */
export class DetectionCache {
  readonly periods = new Map<string, { entries: DetectionEntry[]; size: number }>();
  directory: { state: DirectoryState; size: number } | undefined;
}

/** The directory actor that records detections run by the system (worker, CLI). */
export const DETECTOR_ACTOR: Actor = { id: 'detector', role: 'inspector', agency: null };

const FLAG_STREAM = 'flag-';

/** True for a stream of a period ledger that holds a flag (FlagRaised, FlagDisposed). */
export function isFlagStream(stream: string): boolean {
  return stream.startsWith(FLAG_STREAM);
}

interface EntryBody {
  readonly at: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly payload: Record<string, unknown>;
}

/**
 * Runs the detectors on a period at a checkpoint without recording anything: reads the
 * entries [0, atSize) (flag events left out), the directory, and the root of that size.
 * Throws DomainError 'detection-size' or 'unknown-detector-config'.
 */
export async function computeDetection(service: RecruitmentService, periodId: string, opts: DetectionOptions = {}): Promise<Detection> {
  const { origin } = await service.period(periodId);
  const store = service.store;
  const current = await store.size(origin);
  const size = opts.atSize ?? current;
  if (!Number.isSafeInteger(size) || size < 0 || size > current) {
    throw new DomainError('detection-size', `the ledger has ${current} entries: detect at a size from 0 to ${current}`, { field: 'atSize', details: { size: current } });
  }
  const configId = opts.config ?? DEFAULT_DETECTOR_CONFIG;
  const config = Object.hasOwn(DETECTOR_CONFIGS, configId) ? DETECTOR_CONFIGS[configId] : undefined;
  if (config === undefined) {
    throw new DomainError('unknown-detector-config', `no detector configuration ${configId}`, { field: 'config', details: { known: Object.keys(DETECTOR_CONFIGS) } });
  }
  const entries = await periodEntries(service, origin, size, opts.cache);
  const directory = await directoryAt(service, opts.directorySize, opts.cache);
  const root = toBase64(await store.root(origin, size));
  const flags = detect({ entries, directory: directory.state, config }, opts.only);
  return { periodId, origin, config: configId, checkpoint: { size, root, directory: { size: directory.size, root: directory.root } }, flags };
}

/** The entries [0, size) of a period ledger as the detectors read them: flag events and sealed personal data left out. */
async function periodEntries(service: RecruitmentService, origin: string, size: number, cache: DetectionCache | undefined): Promise<DetectionEntry[]> {
  const kept = cache?.periods.get(origin);
  const read = kept !== undefined && kept.size <= size ? kept : { entries: [] as DetectionEntry[], size: 0 };
  // The size moves with each entry read, so a read that fails halfway leaves the cache whole.
  for await (const e of service.store.entries(origin, read.size, size)) {
    if (!isFlagStream(e.stream)) {
      const { at, actor, payload } = JSON.parse(e.body) as EntryBody;
      // The detectors match on blind indexes; ciphertexts would only weigh on the heap.
      const { personal: _sealed, ...rest } = payload;
      read.entries.push({ seq: e.seq, stream: e.stream, version: e.version, type: e.type, at, actor: { id: actor.id, role: actor.role }, payload: rest });
    }
    read.size = e.seq + 1;
  }
  if (cache && (kept === undefined || kept === read)) cache.periods.set(origin, read);
  return read.entries;
}

/** The directory's state replayed up to `size` entries (default: all), with that size's root. */
async function directoryAt(service: RecruitmentService, at: number | undefined, cache: DetectionCache | undefined): Promise<{ state: DirectoryState; size: number; root: string }> {
  const origin = service.directory.origin;
  const current = await service.store.size(origin);
  const size = at ?? current;
  if (!Number.isSafeInteger(size) || size < 0 || size > current) {
    throw new DomainError('detection-size', `the directory has ${current} entries: detect with a directory size from 0 to ${current}`, { field: 'directorySize', details: { size: current } });
  }
  const kept = cache?.directory;
  const read = kept !== undefined && kept.size <= size ? kept : { state: initialDirectoryState(), size: 0 };
  for await (const e of service.store.entries(origin, read.size, size)) {
    const { event, recorded } = parseEntry<DirectoryEvent>(e);
    evolveDirectory(read.state, event, recorded);
    read.size = e.seq + 1;
  }
  if (cache && (kept === undefined || kept === read)) cache.directory = read;
  return { state: read.state, size, root: toBase64(await service.store.root(origin, size)) };
}

/** The FlagRaised fields of a flag that RaiseFlags carries (no checkpoint or config: the command gives them). */
function flagBody(f: Flag) {
  return {
    flagId: f.flagId,
    detector: f.detector,
    version: f.version,
    severity: f.severity,
    key: f.key,
    entries: [...f.entries],
    actors: [...f.actors],
    applications: [...f.applications],
    ...(f.formationId !== undefined ? { formationId: f.formationId } : {}),
    facts: { ...f.facts },
  };
}

/**
 * Records the flags of a detection that are not raised yet, as `actor`, with RaiseFlags
 * commands of at most 500 flags. Each command's idempotency key is derived from
 * `detect:<config>:<size>` and the flags it carries, so a retry replays it; flags another
 * process raised meanwhile are skipped. Resolves to the number of flags newly raised.
 */
export async function recordDetection(service: RecruitmentService, detection: Detection, actor: Actor): Promise<number> {
  const state = await service.periodState(detection.periodId);
  const fresh = detection.flags.filter((f) => !state.flags.has(f.flagId));
  let raised = 0;
  for (let i = 0; i < fresh.length; i += MAX_FLAGS_PER_COMMAND) {
    const batch = fresh.slice(i, i + MAX_FLAGS_PER_COMMAND);
    const digest = toHex(sha256(utf8(batch.map((f) => f.flagId).join(',')))).slice(0, 32);
    const idempotencyKey = `detect:${detection.config}:${detection.checkpoint.size}:${digest}`;
    // Checked against the ledger contract here: a detector's output is not a client's input.
    const command = PeriodCommand.parse({ type: 'RaiseFlags', checkpoint: detection.checkpoint, config: detection.config, flags: batch.map(flagBody) });
    try {
      const result = await service.executePeriod(detection.periodId, command, actor, { idempotencyKey, fingerprint: sha256(utf8(idempotencyKey)) });
      if (!result.replayed) raised += result.entries.length;
    } catch (err) {
      // Another process raised every flag of this batch since the state was read.
      if (!(isDomainError(err) && err.rule === 'no-new-flags')) throw err;
    }
  }
  return raised;
}

/**
 * Runs the detectors on a period at a checkpoint (default: the ledger's current size) and
 * raises the new flags as `actor` (an inspector or admin). Running it again raises nothing
 * twice; the same checkpoint, configuration and detector versions give the same flags.
 */
export async function runDetection(
  service: RecruitmentService,
  periodId: string,
  opts: DetectionOptions & { readonly actor: Actor },
): Promise<DetectionRun> {
  const detection = await computeDetection(service, periodId, opts);
  const raised = await recordDetection(service, detection, opts.actor);
  return { checkpoint: detection.checkpoint, flags: detection.flags, raised };
}

/** The detector actor of the directory, registered (by the system, as an inspector without agency) when missing. */
export function ensureDetectorActor(service: RecruitmentService): Promise<Actor> {
  return ensureSystemActor(service, DETECTOR_ACTOR);
}

/**
 * The detection job of the worker, over every period ledger: runs at the given size as the
 * detector actor, reading only the entries appended since its last run (a DetectionCache
 * per job), and reports how far the ledger is covered — past the flags it raised
 * itself, so that only new recruitment entries make the next run necessary. Ledgers that
 * are not a period's (the directory) are covered as they are.
 */
export function detectionJob(service: RecruitmentService, opts: { readonly config?: string } = {}): {
  run(ledger: { readonly origin: string; readonly size: number }): Promise<{ raised: number; size: number }>;
} {
  let actor: Actor | undefined;
  const cache = new DetectionCache();
  return {
    async run({ origin, size }) {
      let period = service.periods().find((p) => p.origin === origin);
      if (!period && origin !== service.directory.origin) {
        await service.init();
        period = service.periods().find((p) => p.origin === origin);
      }
      if (!period) return { raised: 0, size };
      // Flags and completeness commitments are no input to the detectors: growth made only
      // of them (since the last run, or since this one) needs no run.
      const oversightUntil = async (from: number): Promise<number> => {
        let covered = from;
        for await (const e of service.store.entries(origin, from)) {
          if (!isFlagStream(e.stream) && e.stream !== streams.completeness) break;
          covered = e.seq + 1;
        }
        return covered;
      };
      const last = cache.periods.get(origin)?.size;
      if (last !== undefined && last <= size && (await oversightUntil(last)) >= size) return { raised: 0, size: await oversightUntil(size) };
      actor ??= await ensureDetectorActor(service);
      const run = await runDetection(service, period.periodId, { atSize: size, config: opts.config, actor, cache });
      return { raised: run.raised, size: await oversightUntil(size) };
    },
  };
}

/** A raised flag as the detectors describe it (the recorded payload less checkpoint and config). */
export function flagOf(state: FlagState): Flag {
  const p = state.payload;
  return {
    flagId: p.flagId,
    detector: p.detector,
    version: p.version,
    severity: p.severity,
    key: p.key,
    entries: p.entries,
    actors: p.actors,
    applications: p.applications,
    ...(p.formationId !== undefined ? { formationId: p.formationId } : {}),
    facts: p.facts,
  };
}

/** The explanation of a flag in Indonesian and English; a generic one when this build no longer knows its detector. */
export function explanationOf(flag: Flag): { id: string; en: string } {
  try {
    return explainFlag(flag);
  } catch {
    return { id: `Tanda ${flag.detector} versi ${flag.version}.`, en: `Flag of ${flag.detector} version ${flag.version}.` };
  }
}

/** One line of a detection report: the flag, its explanation and the checkpoint it was found on. */
export function flagRecord(flag: Flag, checkpoint: DetectionCheckpoint) {
  return {
    flagId: flag.flagId,
    detector: flag.detector,
    version: flag.version,
    severity: flag.severity,
    key: flag.key,
    entries: [...flag.entries],
    actors: [...flag.actors],
    applications: [...flag.applications],
    formationId: flag.formationId ?? null,
    facts: { ...flag.facts },
    explanation: explanationOf(flag),
    checkpoint: { size: checkpoint.size, root: checkpoint.root, directory: { ...checkpoint.directory } },
  };
}

/** Filters of a flag listing; every one given must hold. */
export interface FlagFilter {
  readonly severity?: Flag['severity'] | undefined;
  readonly detector?: string | undefined;
  readonly formation?: string | undefined;
  /** An actor among the flag's actors. */
  readonly actor?: string | undefined;
  readonly status?: FlagStatus | undefined;
  /** Continue after this flagId (in the order raised). */
  readonly after?: string | undefined;
  readonly limit?: number | undefined;
}

/** The flags of a period matching `filter`, in the order raised; throws DomainError NOT_FOUND for an unknown `after`. */
export function listFlags(state: PeriodState, filter: FlagFilter = {}): FlagState[] {
  let from = -1;
  if (filter.after !== undefined) {
    const after = state.flags.get(filter.after);
    if (!after) throw new DomainError('flag-not-found', `no flag ${filter.after} to continue after`, { code: 'NOT_FOUND', field: 'query.after' });
    from = after.raised.seq;
  }
  const out: FlagState[] = [];
  const limit = filter.limit ?? Number.MAX_SAFE_INTEGER;
  for (const f of state.flags.values()) {
    if (out.length >= limit) break;
    const p = f.payload;
    if (f.raised.seq <= from) continue;
    if (filter.severity !== undefined && p.severity !== filter.severity) continue;
    if (filter.detector !== undefined && p.detector !== filter.detector) continue;
    if (filter.formation !== undefined && p.formationId !== filter.formation) continue;
    if (filter.actor !== undefined && !p.actors.includes(filter.actor)) continue;
    if (filter.status !== undefined && f.status !== filter.status) continue;
    out.push(f);
  }
  return out;
}
