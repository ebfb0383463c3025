/**
 * Completeness per formation: commitments of every stream's head recorded in a period
 * ledger (StreamHeadsCommitted), and formation views that prove, against a signed
 * checkpoint, that a formation's entries are all of them as of a commitment. The hashing
 * and the verification are @casn/ledger-core's (completeness.ts); this file reads the
 * store and records the commitments. See docs/ledger-format.md, "Completeness per formation".
 */
import { DomainError, PeriodCommand, isDomainError, type Actor, type CompletenessCommitment, type PeriodState } from '@casn/domain';
import { isStoreError, type StoredCheckpoint } from '@casn/event-store';
import {
  FORMATION_VIEW_FORMAT,
  StreamHeads,
  commitmentPayload,
  sha256,
  toBase64,
  toHex,
  utf8,
  type FormationView,
  type GroupProof,
} from '@casn/ledger-core';
import type { RecruitmentService } from './service.ts';
import { ensureSystemActor } from './system-actors.ts';

/** The directory actor that records the commitments the system makes (worker, CLI): an inspector without agency. */
export const COMPLETENESS_ACTOR: Actor = { id: 'completeness', role: 'inspector', agency: null };

/** Streams read at once when a view gathers a formation's entries. */
const READ_PARALLEL = 16;

/** Where the latest commitment of a period stands, and whether this call recorded it. */
export interface CompletenessCommit {
  /** True when this call recorded a new commitment; false when the ledger held nothing new to commit. */
  readonly committed: boolean;
  /** The latest commitment, or null when the period has none. */
  readonly commitment: CompletenessCommitment | null;
}

/** The entries of a period's streams, kept per ledger between calls so a commitment reads only what was appended since. */
interface HeadsCache {
  heads: StreamHeads;
  /** Serialises the calls on one ledger: the heads are extended in place. */
  queue: Promise<unknown>;
}

const caches = new WeakMap<RecruitmentService, Map<string, HeadsCache>>();

/**
 * Runs `fn` on the stream heads of `origin` at exactly `asOf` entries: the cached heads,
 * extended by the entries appended since, or, for a size before the cache's, heads read
 * from the start (not cached). Calls on one ledger run one at a time.
 */
async function withHeads<T>(service: RecruitmentService, origin: string, asOf: number, fn: (heads: StreamHeads) => T): Promise<T> {
  let byOrigin = caches.get(service);
  if (!byOrigin) caches.set(service, (byOrigin = new Map<string, HeadsCache>()));
  let cache = byOrigin.get(origin);
  if (!cache) byOrigin.set(origin, (cache = { heads: new StreamHeads(), queue: Promise.resolve() }));
  const entry = cache;
  const run = entry.queue.then(async () => {
    const heads = entry.heads.size <= asOf ? entry.heads : new StreamHeads();
    for await (const e of service.store.entries(origin, heads.size, asOf)) heads.push(e);
    if (heads.size !== asOf) throw new Error(`ledger ${origin} has ${heads.size} entries, not ${asOf}`);
    return fn(heads);
  });
  entry.queue = run.catch(() => undefined);
  return run;
}

/** True when something other than commitments was recorded since the last commitment's asOf (the rule of CommitStreamHeads). */
function grewSince(state: PeriodState): boolean {
  const last = state.completeness.at(-1);
  const from = last?.asOf ?? 0;
  const own = state.completeness.filter((c) => c.seq >= from).length;
  return state.size - from > own;
}

/**
 * Records a completeness commitment of a period at its current size when something other
 * than commitments was recorded since the last one; otherwise records nothing. Idempotent:
 * the key is derived from the size and root, so a retry, or another process committing the
 * same size, records one entry. Recorded as `opts.actor` (an inspector or admin), by
 * default the system's `completeness` actor (registered in the directory when missing).
 * @example const { committed, commitment } = await commitCompleteness(service, 'cpns-2026');
 */
export async function commitCompleteness(service: RecruitmentService, periodId: string, opts: { readonly actor?: Actor } = {}): Promise<CompletenessCommit> {
  const { origin } = await service.period(periodId);
  const state = await service.periodState(periodId);
  if (!grewSince(state)) return { committed: false, commitment: state.completeness.at(-1) ?? null };
  const commitment = await withHeads(service, origin, state.size, (heads) => heads.commitment());
  const command = PeriodCommand.parse({ type: 'CommitStreamHeads', ...commitmentPayload(commitment) });
  const idempotencyKey = `completeness:${commitment.asOf}:${toHex(commitment.root).slice(0, 32)}`;
  const actor = opts.actor ?? (await ensureCompletenessActor(service));
  try {
    const result = await service.executePeriod(periodId, command, actor, { idempotencyKey, fingerprint: sha256(utf8(idempotencyKey)) });
    const seq = result.entries[0]!.seq;
    const recorded = (await service.periodState(periodId)).completeness.find((c) => c.seq === seq) ?? null;
    return { committed: !result.replayed, commitment: recorded };
  } catch (err) {
    // Another process committed since the state was read: its commitment stands.
    if (!(isDomainError(err) && (err.rule === 'completeness-unchanged' || err.rule === 'completeness-order'))) throw err;
    return { committed: false, commitment: (await service.periodState(periodId)).completeness.at(-1) ?? null };
  }
}

/** The completeness actor of the directory, registered (by the system, as an inspector without agency) when missing. */
export function ensureCompletenessActor(service: RecruitmentService): Promise<Actor> {
  return ensureSystemActor(service, COMPLETENESS_ACTOR);
}

/**
 * The completeness job of the worker, over every period ledger: commits a ledger when it
 * grew since its last commitment (call it right before signing checkpoints, so that the
 * checkpoint includes the commitment). Ledgers that are not a period's (the directory) are
 * skipped.
 */
export function completenessJob(service: RecruitmentService): {
  run(ledger: { readonly origin: string }): Promise<CompletenessCommit | undefined>;
} {
  let actor: Actor | undefined;
  return {
    async run({ origin }) {
      if (origin === service.directory.origin) return undefined;
      let period = service.periods().find((p) => p.origin === origin);
      if (!period) {
        await service.init();
        period = service.periods().find((p) => p.origin === origin);
      }
      if (!period) return undefined;
      actor ??= await ensureCompletenessActor(service);
      return commitCompleteness(service, period.periodId, { actor });
    },
  };
}

/** The commitments of a period in the order recorded. */
export async function listCommitments(service: RecruitmentService, periodId: string): Promise<CompletenessCommitment[]> {
  return [...(await service.periodState(periodId)).completeness];
}

/**
 * The view of one formation (null: the period-wide group) at a signed checkpoint: every
 * entry of its streams below the latest commitment the checkpoint includes, with that
 * commitment, its inclusion proof and the group's proof into it (see verifyFormationView in
 * @casn/ledger-core). `atSize` picks the checkpoint (signed now if none of that size
 * exists); by default the view is of the latest commitment, against the latest checkpoint
 * when that includes it, else against a checkpoint of the current size. Throws DomainError NOT_FOUND 'formation-not-found' or 'completeness-missing'
 * (no commitment in the checkpoint, or the formation has no entry below it), and
 * 'completeness-size' for an atSize beyond the ledger.
 */
export async function formationView(service: RecruitmentService, periodId: string, formationId: string | null, opts: { readonly atSize?: number | undefined } = {}): Promise<FormationView> {
  const { origin } = await service.period(periodId);
  const state = await service.periodState(periodId);
  if (formationId !== null && !state.formations.has(formationId)) {
    throw new DomainError('formation-not-found', `no formation ${formationId}`, { code: 'NOT_FOUND', field: 'formation' });
  }
  const store = service.store;
  let checkpoint: StoredCheckpoint | undefined;
  let commitment: CompletenessCommitment | undefined;
  if (opts.atSize !== undefined) {
    try {
      checkpoint = await store.checkpoint(origin, opts.atSize);
    } catch (err) {
      if (!isStoreError(err, 'INVALID_ARGUMENT')) throw err;
      throw new DomainError('completeness-size', `the ledger has ${await store.size(origin)} entries: atSize must not exceed it`, { field: 'query.atSize' });
    }
    const size = checkpoint.size;
    commitment = state.completeness.findLast((c) => c.seq < size);
  } else {
    commitment = state.completeness.at(-1);
    if (commitment) {
      const latest = await store.latestCheckpoint(origin);
      checkpoint = latest && latest.size > commitment.seq ? latest : await store.checkpoint(origin, state.size);
    }
  }
  if (!commitment || !checkpoint) {
    const size = checkpoint?.size ?? state.size;
    throw new DomainError('completeness-missing', `no completeness commitment among the first ${size} entries: commit one first`, { code: 'NOT_FOUND', details: { size } });
  }
  const { seq, asOf, root: recorded } = commitment;
  const group = await withHeads(service, origin, asOf, (heads): GroupProof | undefined => {
    const root = toHex(heads.commitment().root);
    // The recorded commitment must be the one of the entries: anything else is an integrity failure.
    if (root !== recorded) throw new Error(`the commitment at seq ${seq} of ${origin} does not match its entries (root ${recorded}, entries give ${root})`);
    return heads.group(formationId);
  });
  if (!group) {
    throw new DomainError('completeness-missing', `formation ${formationId ?? '(period-wide)'} has no entry below ${asOf}, where the commitment at seq ${seq} stops: commit again`, {
      code: 'NOT_FOUND',
      field: 'formation',
      details: { seq, asOf },
    });
  }
  const [body] = await store.readLedger(origin, seq, 1);
  const proof = await store.inclusionProof(origin, seq, checkpoint.size);
  const streams: FormationView['streams'][number][] = [];
  for (let i = 0; i < group.streams.length; i += READ_PARALLEL) {
    const chunk = group.streams.slice(i, i + READ_PARALLEL);
    const read = await Promise.all(chunk.map((s) => store.readStream(origin, s.stream)));
    chunk.forEach((s, k) => {
      const entries = read[k]!.slice(0, s.versions);
      if (entries.length !== s.versions) throw new Error(`stream ${s.stream} of ${origin} has ${entries.length} entries, not ${s.versions}`);
      streams.push({ stream: s.stream, versions: s.versions, head: toHex(s.head), entries: entries.map((e) => ({ leaf: toHex(e.leaf), body: e.body })) });
    });
  }
  return {
    format: FORMATION_VIEW_FORMAT,
    origin,
    formationId,
    checkpoint: checkpoint.note,
    commitment: { seq, body: body!.body, proof: [...proof.hashes] },
    group: {
      formationId,
      streams: group.record.streams,
      entries: group.record.entries,
      root: toHex(group.record.root),
      index: group.index,
      proof: group.proof.map(toBase64),
    },
    streams,
  };
}
