/**
 * Completeness per formation: proof that a set of entries is *every* entry of one
 * formation's streams as of a point in the ledger, not only that each entry exists.
 *
 * Construction (docs/ledger-format.md, "Completeness per formation"):
 *
 * - each stream's entries are chained into a **stream head**:
 *   h_0 = 32 zero bytes, h_{v+1} = SHA-256(0x03 ‖ h_v ‖ leaf(entry with version v));
 * - every stream belongs to one **group**: the formation named by the `formationId` of its
 *   version-0 entry's payload, or the period-wide group when that entry names none;
 * - a group's root is the RFC 6962 root over its streams' records
 *   JCS({head, stream, versions}) in stream order (UTF-16 code units);
 * - a **commitment** (StreamHeadsCommitted, on stream `completeness`) holds the RFC 6962
 *   root over the group records JCS({entries, formationId, root, streams}), the period-wide
 *   group (formationId null) first, then formations in code-unit order. It stays small
 *   whatever the number of formations; a formation view proves its group record into it.
 *
 * Pure: no I/O. Verification never throws on bad input; it returns a verdict naming the
 * stream and seq at fault.
 */
import { openCheckpoint } from './checkpoint.ts';
import type { Checkpoint } from './checkpoint.ts';
import { badEntryField } from './entry.ts';
import { HASH_SIZE, bytesEqual, fromBase64, fromHex, leafHash, sha256, toHex } from './hash.ts';
import { canonicalize, isCanonical } from './jcs.ts';
import { inclusionProofRanges, rootFromLeafHashes, verifyInclusion } from './merkle.ts';
import type { NoteVerifier } from './note.ts';

/** Domain-separation prefix of a stream head step, distinct from RFC 6962's 0x00 (leaf) and 0x01 (node). */
export const STREAM_HEAD_PREFIX = 0x03;
/** Head of a stream with no entries: 32 zero bytes. */
export const EMPTY_STREAM_HEAD: Uint8Array = new Uint8Array(HASH_SIZE);
/** The stream that holds the commitments. */
export const COMPLETENESS_STREAM = 'completeness';
/** Event type of a commitment entry. */
export const COMMITMENT_TYPE = 'StreamHeadsCommitted';
/** Value of `format` in a formation view. */
export const FORMATION_VIEW_FORMAT = 'casn-formation-view/v1';

const HEX64 = /^[0-9a-f]{64}$/;

/** Why a completeness computation refused its input (entries out of order, a malformed first entry). */
export class CompletenessError extends Error {
  override readonly name = 'CompletenessError';
  constructor(
    message: string,
    readonly seq?: number,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------- hashing

/** The next stream head: SHA-256(0x03 ‖ head ‖ leaf). Requires two 32-byte hashes. */
export function nextStreamHead(head: Uint8Array, leaf: Uint8Array): Uint8Array {
  if (head.length !== HASH_SIZE || leaf.length !== HASH_SIZE) throw new RangeError(`stream head and leaf must be ${HASH_SIZE} bytes`);
  const buf = new Uint8Array(1 + 2 * HASH_SIZE);
  buf[0] = STREAM_HEAD_PREFIX;
  buf.set(head, 1);
  buf.set(leaf, 1 + HASH_SIZE);
  return sha256(buf);
}

/** The head of a stream whose entries have these leaf hashes, in version order. */
export function streamHead(leaves: Iterable<Uint8Array>): Uint8Array {
  let head = EMPTY_STREAM_HEAD;
  for (const leaf of leaves) head = nextStreamHead(head, leaf);
  return head;
}

/** Code-unit order of strings (as JCS sorts member names), never the locale's. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One stream as a group commits it: its name, its number of entries and its head. */
export interface StreamRecord {
  readonly stream: string;
  readonly versions: number;
  readonly head: Uint8Array;
}

/** RFC 6962 leaf hash of a stream record: SHA-256(0x00 ‖ JCS({head: hex, stream, versions})). */
export function streamRecordLeaf(r: StreamRecord): Uint8Array {
  return leafHash(canonicalize({ head: toHex(r.head), stream: r.stream, versions: r.versions }));
}

/** RFC 6962 root over stream records; requires them sorted by stream in code-unit order, without repeats. */
export function groupRoot(records: readonly StreamRecord[]): Uint8Array {
  return rootFromLeafHashes(records.map(streamRecordLeaf));
}

/** One group as a commitment holds it: the formation (null: the period-wide group), its streams, its entries and its root. */
export interface GroupRecord {
  readonly formationId: string | null;
  readonly streams: number;
  readonly entries: number;
  readonly root: Uint8Array;
}

/** RFC 6962 leaf hash of a group record: SHA-256(0x00 ‖ JCS({entries, formationId, root: hex, streams})). */
export function groupRecordLeaf(g: GroupRecord): Uint8Array {
  return leafHash(canonicalize({ entries: g.entries, formationId: g.formationId, root: toHex(g.root), streams: g.streams }));
}

/** Order of groups in a commitment: the period-wide group (null) first, then formation ids in code-unit order. */
export function compareGroups(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return compareCodeUnits(a, b);
}

/** The group of a stream from its version-0 entry's payload: its `formationId` when that is a string, else null (period-wide). */
export function groupOfPayload(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const id = Object.hasOwn(payload, 'formationId') ? (payload as Record<string, unknown>).formationId : undefined;
  return typeof id === 'string' ? id : null;
}

/** The RFC 9162 inclusion proof of leaf `index` in the tree over `leaves`. Requires 0 <= index < leaves.length. */
export function inclusionProofFromLeaves(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  return inclusionProofRanges(index, leaves.length).map(([a, b]) => rootFromLeafHashes(leaves.slice(a, b)));
}

// ---------------------------------------------------------------- commitments

/** What a StreamHeadsCommitted entry holds: the entries it covers ([0, asOf)), and the root over its group records. */
export interface Commitment {
  readonly asOf: number;
  readonly groups: number;
  readonly streams: number;
  readonly root: Uint8Array;
}

/** The payload of the StreamHeadsCommitted entry of a commitment (root in hex). */
export function commitmentPayload(c: Commitment): { asOf: number; groups: number; streams: number; root: string } {
  return { asOf: c.asOf, groups: c.groups, streams: c.streams, root: toHex(c.root) };
}

/** Parses a StreamHeadsCommitted payload; undefined when it is not one. */
export function parseCommitmentPayload(payload: unknown): Commitment | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const p = payload as Record<string, unknown>;
  const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  if (!count(p.asOf) || !count(p.groups) || !count(p.streams) || typeof p.root !== 'string' || !HEX64.test(p.root)) return undefined;
  return { asOf: p.asOf, groups: p.groups, streams: p.streams, root: fromHex(p.root) };
}

/** An entry as the stream heads read it: position, stream coordinates, leaf hash and canonical text. */
export interface HeadsEntry {
  readonly seq: number;
  readonly stream: string;
  readonly version: number;
  readonly leaf: Uint8Array;
  /** The entry's canonical text; parsed only for a stream's version 0 (to find its group). */
  readonly body: string;
}

/** A group's record, its position among the commitment's group records, its inclusion proof and its streams. */
export interface GroupProof {
  readonly record: GroupRecord;
  readonly index: number;
  /** RFC 9162 inclusion proof of the record's leaf in the tree of `groups` records. */
  readonly proof: Uint8Array[];
  /** The group's stream records, in stream order. */
  readonly streams: StreamRecord[];
}

interface StreamState {
  versions: number;
  head: Uint8Array;
  readonly group: string | null;
  /** Cached streamRecordLeaf; undefined after a change. */
  leaf: Uint8Array | undefined;
}

interface GroupState {
  readonly formationId: string | null;
  readonly streams: string[];
  sorted: boolean;
  entries: number;
  /** Cached root; undefined after a change. */
  root: Uint8Array | undefined;
}

interface JournalItem {
  readonly seq: number;
  readonly stream: string;
  readonly version: number;
  readonly leaf: Uint8Array;
  readonly group: string | null;
  readonly previous: Uint8Array;
}

/**
 * Every stream's head and group, kept current entry by entry: push the entries of a ledger
 * in seq order from 0, then read the commitment (or one group's records and proof) of the
 * entries pushed so far. Group roots are cached and recomputed only for groups that changed.
 *
 * With `journal: true` it also remembers the entries pushed since `forget(before)`, so that
 * `at(asOf, fn)` can look at an earlier size (a commitment covers entries before its own seq).
 *
 * @example
 * const heads = new StreamHeads();
 * for (const e of entries) heads.push(e);   // { seq, stream, version, leaf, body }
 * const c = heads.commitment();             // { asOf, groups, streams, root }
 */
export class StreamHeads {
  readonly #streams = new Map<string, StreamState>();
  readonly #groups = new Map<string | null, GroupState>();
  readonly #journal: JournalItem[] | undefined;
  #size = 0;

  constructor(opts: { journal?: boolean } = {}) {
    this.#journal = opts.journal === true ? [] : undefined;
  }

  /** Number of entries pushed: the commitment read now covers [0, size). */
  get size(): number {
    return this.#size;
  }

  /** Number of streams seen. */
  get streamCount(): number {
    return this.#streams.size;
  }

  /**
   * Adds the next entry. Requires `seq` = size and `version` = the stream's number of entries
   * so far; throws CompletenessError otherwise, or when a version-0 body is not JSON.
   */
  push(e: HeadsEntry): void {
    if (e.seq !== this.#size) throw new CompletenessError(`entry seq ${e.seq} pushed at size ${this.#size}`, e.seq);
    const s = this.#streams.get(e.stream);
    const expected = s?.versions ?? 0;
    if (e.version !== expected) throw new CompletenessError(`stream ${e.stream}: version ${e.version} where ${expected} was expected`, e.seq);
    let group: string | null;
    if (s === undefined) {
      let body: unknown;
      try {
        body = JSON.parse(e.body);
      } catch {
        throw new CompletenessError(`entry seq ${e.seq} is not JSON`, e.seq);
      }
      group = groupOfPayload((body as { payload?: unknown } | null)?.payload);
    } else {
      group = s.group;
    }
    this.#journal?.push({ seq: e.seq, stream: e.stream, version: e.version, leaf: e.leaf, group, previous: s?.head ?? EMPTY_STREAM_HEAD });
    this.#apply(e.stream, e.leaf, group);
    this.#size++;
  }

  #apply(stream: string, leaf: Uint8Array, group: string | null): void {
    let s = this.#streams.get(stream);
    let g = this.#groups.get(group);
    if (g === undefined) {
      g = { formationId: group, streams: [], sorted: true, entries: 0, root: undefined };
      this.#groups.set(group, g);
    }
    if (s === undefined) {
      s = { versions: 0, head: EMPTY_STREAM_HEAD, group, leaf: undefined };
      this.#streams.set(stream, s);
      const last = g.streams[g.streams.length - 1];
      if (last !== undefined && compareCodeUnits(last, stream) > 0) g.sorted = false;
      g.streams.push(stream);
    }
    s.head = nextStreamHead(s.head, leaf);
    s.versions++;
    s.leaf = undefined;
    g.entries++;
    g.root = undefined;
  }

  #undo(item: JournalItem): void {
    const s = this.#streams.get(item.stream)!;
    const g = this.#groups.get(item.group)!;
    if (item.version === 0) {
      this.#streams.delete(item.stream);
      const i = g.streams.lastIndexOf(item.stream);
      g.streams.splice(i, 1);
      if (g.streams.length === 0) this.#groups.delete(item.group);
    } else {
      s.versions = item.version;
      s.head = item.previous;
      s.leaf = undefined;
    }
    g.entries--;
    g.root = undefined;
    this.#size--;
  }

  /**
   * Runs `fn` on the state as it was at `asOf` entries, then restores the current one.
   * Requires a journal reaching back to asOf (see `forget`) and asOf <= size.
   */
  at<T>(asOf: number, fn: () => T): T {
    if (asOf === this.#size) return fn();
    const journal = this.#journal;
    if (journal === undefined || asOf > this.#size || asOf < 0) throw new RangeError(`cannot look at size ${asOf} from size ${this.#size}`);
    const from = journal.length - (this.#size - asOf);
    if (from < 0 || journal[from]?.seq !== asOf) throw new RangeError(`the journal does not reach back to size ${asOf}`);
    const undone = journal.slice(from);
    for (let i = undone.length - 1; i >= 0; i--) this.#undo(undone[i]!);
    try {
      return fn();
    } finally {
      for (const item of undone) {
        this.#apply(item.stream, item.leaf, item.group);
        this.#size++;
      }
    }
  }

  /** Drops the journal of entries before `before`: `at` will not look earlier than that. */
  forget(before: number): void {
    const journal = this.#journal;
    if (journal === undefined) return;
    let n = 0;
    while (n < journal.length && journal[n]!.seq < before) n++;
    journal.splice(0, n);
  }

  #records(g: GroupState): StreamRecord[] {
    if (!g.sorted) {
      g.streams.sort(compareCodeUnits);
      g.sorted = true;
    }
    return g.streams.map((stream) => {
      const s = this.#streams.get(stream)!;
      return { stream, versions: s.versions, head: s.head };
    });
  }

  #root(g: GroupState): Uint8Array {
    if (g.root !== undefined) return g.root;
    if (!g.sorted) {
      g.streams.sort(compareCodeUnits);
      g.sorted = true;
    }
    const leaves = g.streams.map((stream) => {
      const s = this.#streams.get(stream)!;
      s.leaf ??= streamRecordLeaf({ stream, versions: s.versions, head: s.head });
      return s.leaf;
    });
    g.root = rootFromLeafHashes(leaves);
    return g.root;
  }

  /** The group records of the entries pushed so far, in commitment order. */
  groupRecords(): GroupRecord[] {
    const groups = [...this.#groups.values()].sort((a, b) => compareGroups(a.formationId, b.formationId));
    return groups.map((g) => ({ formationId: g.formationId, streams: g.streams.length, entries: g.entries, root: this.#root(g) }));
  }

  /** The commitment of the entries pushed so far ([0, size)). */
  commitment(): Commitment {
    const records = this.groupRecords();
    return { asOf: this.#size, groups: records.length, streams: this.#streams.size, root: rootFromLeafHashes(records.map(groupRecordLeaf)) };
  }

  /** The group of a stream seen so far (null: period-wide), or undefined for an unknown stream. */
  groupOf(stream: string): string | null | undefined {
    return this.#streams.get(stream)?.group;
  }

  /** A group's streams, record, position and inclusion proof in the commitment of the entries pushed so far; undefined when it has no stream. */
  group(formationId: string | null): GroupProof | undefined {
    const records = this.groupRecords();
    const index = records.findIndex((r) => r.formationId === formationId);
    if (index < 0) return undefined;
    const proof = inclusionProofFromLeaves(records.map(groupRecordLeaf), index);
    return { record: records[index]!, index, proof, streams: this.#records(this.#groups.get(formationId)!) };
  }
}

/** The commitment of entries given in seq order from 0 (see StreamHeads). */
export function buildCommitment(entries: Iterable<HeadsEntry>): Commitment {
  const heads = new StreamHeads();
  for (const e of entries) heads.push(e);
  return heads.commitment();
}

// ---------------------------------------------------------------- formation views

/** One entry of a formation view: its canonical bytes and (a diagnostic aid) the leaf hash the commitment holds for it. */
export interface ViewEntry {
  /** SHA-256(0x00 ‖ body) as the producer computed it, 64 hex. */
  readonly leaf: string;
  /** The entry's canonical bytes, exactly as hashed. */
  readonly body: string;
}

/** One stream of a formation view: its record as committed and its entries in version order. */
export interface ViewStream {
  readonly stream: string;
  readonly versions: number;
  /** 64 hex. */
  readonly head: string;
  readonly entries: readonly ViewEntry[];
}

/**
 * Everything of one formation (or, with formationId null, of the period-wide group) as of a
 * commitment, with the proofs that tie it to a signed checkpoint: see verifyFormationView.
 */
export interface FormationView {
  readonly format: typeof FORMATION_VIEW_FORMAT;
  readonly origin: string;
  readonly formationId: string | null;
  /** The signed checkpoint note (size C); the commitment's seq is below C. */
  readonly checkpoint: string;
  /** The commitment entry, and its RFC 9162 inclusion proof (base64 hashes) in the tree of size C. */
  readonly commitment: { readonly seq: number; readonly body: string; readonly proof: readonly string[] };
  /** The group's record (root in hex), its index among the commitment's group records and its inclusion proof (base64 hashes). */
  readonly group: {
    readonly formationId: string | null;
    readonly streams: number;
    readonly entries: number;
    readonly root: string;
    readonly index: number;
    readonly proof: readonly string[];
  };
  /** Every stream of the group, in stream order (UTF-16 code units). */
  readonly streams: readonly ViewStream[];
}

/** What a valid formation view proves: all `entries` entries of the group's `streams` streams among [0, asOf). */
export interface ValidFormationView {
  readonly ok: true;
  readonly origin: string;
  readonly formationId: string | null;
  readonly checkpoint: Checkpoint;
  readonly commitmentSeq: number;
  readonly asOf: number;
  readonly streams: number;
  readonly entries: number;
}

/** Outcome of verifying a formation view: what it proves, or the first failure naming the stream and seq at fault when there is one. */
export type FormationViewVerdict =
  | ValidFormationView
  | { readonly ok: false; readonly reason: string; readonly stream?: string; readonly seq?: number; readonly expected?: string; readonly actual?: string };

type Failure = Extract<FormationViewVerdict, { ok: false }>;

/** Options of verifyFormationView. */
export interface FormationViewOptions {
  /** The formation the caller asked for; the view must be of it. Undefined: whatever the view says. */
  readonly formationId?: string | null;
}

function fail(reason: string, at: { stream?: string; seq?: number; expected?: string; actual?: string } = {}): Failure {
  return { ok: false, reason, ...at };
}

const groupName = (id: string | null): string => (id === null ? 'the period-wide group' : `formation ${id}`);

interface ParsedEntry {
  readonly seq: number;
  readonly stream: string;
  readonly version: number;
  readonly type: string;
  readonly ledger: string;
  readonly payload: Record<string, unknown>;
}

/** Parses an entry's canonical bytes; a reason when they are not a canonical entry. */
function parseEntryBody(body: string): ParsedEntry | string {
  if (!isCanonical(body)) return 'is not JSON in RFC 8785 canonical form';
  const value: unknown = JSON.parse(body);
  const bad = badEntryField(value);
  if (bad !== undefined) return `field "${bad}" is missing or has the wrong type`;
  return value as ParsedEntry;
}

function hashList(list: readonly string[]): Uint8Array[] | undefined {
  const out: Uint8Array[] = [];
  for (const item of list) {
    const bytes = fromBase64(item);
    if (bytes?.length !== HASH_SIZE) return undefined;
    out.push(bytes);
  }
  return out;
}

/** The first reason the value is not shaped as a formation view (a JSON path), or undefined. */
function shapeError(v: unknown): string | undefined {
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  const count = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) >= 0;
  const strings = (x: unknown): boolean => Array.isArray(x) && x.every((s) => typeof s === 'string');
  const hex = (x: unknown): boolean => typeof x === 'string' && HEX64.test(x);
  const formation = (x: unknown): boolean => x === null || typeof x === 'string';
  if (!isObj(v)) return 'the view is not a JSON object';
  if (v.format !== FORMATION_VIEW_FORMAT) return `format must be "${FORMATION_VIEW_FORMAT}"`;
  if (typeof v.origin !== 'string') return 'origin';
  if (!formation(v.formationId)) return 'formationId';
  if (typeof v.checkpoint !== 'string') return 'checkpoint';
  const c = v.commitment;
  if (!isObj(c) || !count(c.seq) || typeof c.body !== 'string' || !strings(c.proof)) return 'commitment';
  const g = v.group;
  if (!isObj(g) || !formation(g.formationId) || !count(g.streams) || !count(g.entries) || !hex(g.root) || !count(g.index) || !strings(g.proof)) return 'group';
  if (!Array.isArray(v.streams)) return 'streams';
  for (let i = 0; i < v.streams.length; i++) {
    const s: unknown = v.streams[i];
    if (!isObj(s) || typeof s.stream !== 'string' || !count(s.versions) || !hex(s.head) || !Array.isArray(s.entries)) return `streams[${i}]`;
    for (let j = 0; j < s.entries.length; j++) {
      const e: unknown = s.entries[j];
      if (!isObj(e) || typeof e.body !== 'string' || !hex(e.leaf)) return `streams[${i}].entries[${j}]`;
    }
  }
  return undefined;
}

/**
 * Verifies a formation view (parsed JSON) under the pinned log key: the checkpoint's
 * signature, the commitment's inclusion in it, the group record's inclusion in the
 * commitment, and that the view's entries are exactly the committed streams of the group
 * (no entry or stream left out or added, none changed, none of another formation).
 * Never throws on bad input; the first failure is returned with the stream and seq at fault.
 * The checks and their order are those of docs/ledger-format.md, "Completeness per formation".
 */
export function verifyFormationView(view: unknown, logKey: string | NoteVerifier, opts: FormationViewOptions = {}): FormationViewVerdict {
  // 1. Shape.
  const shape = shapeError(view);
  if (shape !== undefined) return fail(`the view is malformed: ${shape}`);
  const v = view as FormationView;
  const F = v.formationId;
  if (opts.formationId !== undefined && opts.formationId !== F) {
    return fail(`the view is of ${groupName(F)}, not of ${groupName(opts.formationId)}`);
  }
  if (v.group.formationId !== F) return fail(`the group record is of ${groupName(v.group.formationId)}, not of ${groupName(F)}`);

  // 2. Checkpoint.
  const opened = openCheckpoint(v.checkpoint, logKey);
  if (!opened.ok) return fail(`checkpoint: ${opened.message}`);
  const cp = opened.checkpoint;
  if (cp.origin !== v.origin) return fail(`the checkpoint is of ${cp.origin}, the view says ${v.origin}`);

  // 3. Commitment entry and its inclusion in the checkpoint.
  const cseq = v.commitment.seq;
  const centry = parseEntryBody(v.commitment.body);
  if (typeof centry === 'string') return fail(`the commitment entry ${centry}`, { seq: cseq });
  if (centry.seq !== cseq) return fail(`the commitment entry has seq ${centry.seq}, the view says ${cseq}`, { seq: cseq });
  if (centry.ledger !== v.origin) return fail(`the commitment entry is of ledger ${centry.ledger}`, { seq: cseq });
  if (centry.type !== COMMITMENT_TYPE || centry.stream !== COMPLETENESS_STREAM) {
    return fail(`entry ${cseq} is a ${centry.type} on stream ${centry.stream}, not a ${COMMITMENT_TYPE} on stream ${COMPLETENESS_STREAM}`, { seq: cseq });
  }
  const commitment = parseCommitmentPayload(centry.payload);
  if (commitment === undefined) return fail('the commitment payload is malformed', { seq: cseq });
  if (commitment.asOf > cseq) return fail(`the commitment covers ${commitment.asOf} entries but is itself entry ${cseq}`, { seq: cseq });
  if (cseq >= cp.size) return fail(`the commitment (seq ${cseq}) is not in the checkpoint of size ${cp.size}`, { seq: cseq });
  const cproof = hashList(v.commitment.proof);
  if (cproof === undefined) return fail('the commitment inclusion proof is malformed', { seq: cseq });
  const cincluded = verifyInclusion(cseq, cp.size, leafHash(v.commitment.body), cproof, cp.root);
  if (!cincluded.ok) return fail(`the commitment is not included in the checkpoint: ${cincluded.reason}`, { seq: cseq });
  const asOf = commitment.asOf;

  // 4. The group record and its inclusion in the commitment.
  const record: GroupRecord = { formationId: F, streams: v.group.streams, entries: v.group.entries, root: fromHex(v.group.root) };
  const gproof = hashList(v.group.proof);
  if (gproof === undefined) return fail('the group inclusion proof is malformed');
  const gincluded = verifyInclusion(v.group.index, commitment.groups, groupRecordLeaf(record), gproof, commitment.root);
  if (!gincluded.ok) return fail(`the record of ${groupName(F)} is not in the commitment at seq ${cseq}: ${gincluded.reason}`, { seq: cseq });

  // 5. Each stream on its own: order, entries, versions, coverage, membership.
  const computed: Uint8Array[][] = [];
  const seqs: number[][] = [];
  let previous: string | undefined;
  for (const s of v.streams) {
    const S = s.stream;
    if (previous !== undefined && compareCodeUnits(previous, S) >= 0) return fail(`stream ${S} is listed after ${previous}: streams must be in code-unit order, once each`, { stream: S });
    previous = S;
    if (s.versions === 0) return fail(`stream ${S} is listed with no versions`, { stream: S });
    const leaves: Uint8Array[] = [];
    const streamSeqs: number[] = [];
    for (let j = 0; j < s.entries.length; j++) {
      const body = s.entries[j]!.body;
      const e = parseEntryBody(body);
      if (typeof e === 'string') return fail(`entry ${j} of stream ${S} ${e}`, { stream: S });
      const at = { stream: S, seq: e.seq };
      if (e.ledger !== v.origin) return fail(`entry ${e.seq} is of ledger ${e.ledger}, not ${v.origin}`, at);
      if (e.stream !== S) return fail(`entry ${e.seq} is of stream ${e.stream} but listed under stream ${S}`, at);
      if (e.version > j) return fail(`stream ${S}: version ${j} is missing (the next entry listed, seq ${e.seq}, has version ${e.version})`, at);
      if (e.version < j) return fail(`stream ${S}: entry ${e.seq} has version ${e.version} but is listed as version ${j} (out of order or repeated)`, at);
      if (e.seq >= asOf) return fail(`entry ${e.seq} of stream ${S} is not covered by the commitment (it covers the entries below ${asOf})`, at);
      if (j === 0) {
        const group = groupOfPayload(e.payload);
        if (group !== F) return fail(`stream ${S} belongs to ${groupName(group)}, not to ${groupName(F)} (its first entry, seq ${e.seq}, says so)`, at);
      } else if (e.seq <= streamSeqs[j - 1]!) {
        return fail(`stream ${S}: entry ${e.seq} (version ${j}) comes before the previous version's seq ${streamSeqs[j - 1]!}`, at);
      }
      leaves.push(leafHash(body));
      streamSeqs.push(e.seq);
    }
    computed.push(leaves);
    seqs.push(streamSeqs);
  }

  // 6. The listed stream records against the committed group record.
  const total = v.streams.reduce((n, s) => n + s.versions, 0);
  if (v.streams.length !== record.streams) {
    return fail(`the view lists ${v.streams.length} streams of ${groupName(F)}, the commitment at seq ${cseq} has ${record.streams}: ${v.streams.length < record.streams ? 'a stream was left out' : 'a stream was added'}`, { seq: cseq });
  }
  if (total !== record.entries) {
    return fail(`the streams of ${groupName(F)} are listed with ${total} entries, the commitment at seq ${cseq} has ${record.entries}`, { seq: cseq });
  }
  const listed = v.streams.map((s) => ({ stream: s.stream, versions: s.versions, head: fromHex(s.head) }));
  const root = groupRoot(listed);
  if (!bytesEqual(root, record.root)) {
    return fail(`the streams listed for ${groupName(F)} differ from the commitment at seq ${cseq} (group root)`, { seq: cseq, expected: toHex(record.root), actual: toHex(root) });
  }

  // 7. Each stream's entries against its committed record (now bound to the commitment).
  for (let i = 0; i < v.streams.length; i++) {
    const s = v.streams[i]!;
    const S = s.stream;
    const leaves = computed[i]!;
    const streamSeqs = seqs[i]!;
    if (leaves.length < s.versions) {
      const missing = leaves.length === 0 ? 'none is in the view (the whole stream was left out)' : `versions ${leaves.length}..${s.versions - 1} are missing`;
      return fail(`stream ${S}: the commitment has ${s.versions} entries, ${missing}`, { stream: S });
    }
    if (leaves.length > s.versions) {
      return fail(`stream ${S}: the commitment has ${s.versions} entries; entry ${streamSeqs[s.versions]!} (version ${s.versions}) and after are not committed`, { stream: S, seq: streamSeqs[s.versions]! });
    }
    const head = streamHead(leaves);
    const committed = fromHex(s.head);
    if (bytesEqual(head, committed)) continue;
    // The listed leaves are the committed ones if they chain to the committed head: then the
    // first entry whose bytes hash to another leaf is the one changed.
    const claimed = s.entries.map((e) => fromHex(e.leaf));
    if (bytesEqual(streamHead(claimed), committed)) {
      const j = leaves.findIndex((leaf, k) => !bytesEqual(leaf, claimed[k]!));
      return fail(`entry ${streamSeqs[j]!} (stream ${S}, version ${j}) differs from the committed entry`, { stream: S, seq: streamSeqs[j]!, expected: toHex(claimed[j]!), actual: toHex(leaves[j]!) });
    }
    return fail(`stream ${S}: its entries (seqs ${streamSeqs.join(', ')}) differ from the committed head`, { stream: S, expected: toHex(committed), actual: toHex(head) });
  }

  return { ok: true, origin: v.origin, formationId: F, checkpoint: cp, commitmentSeq: cseq, asOf, streams: record.streams, entries: record.entries };
}

/** One line describing a formation view verdict, e.g. 'invalid: stream application-A-3, seq 17: …'. */
export function describeFormationVerdict(v: FormationViewVerdict): string {
  if (v.ok) {
    return `valid: ${groupName(v.formationId)} of ${v.origin}: ${v.streams} streams, ${v.entries} entries, complete as of ${v.asOf} entries (commitment at seq ${v.commitmentSeq}, checkpoint size ${v.checkpoint.size})`;
  }
  let out = 'invalid: ';
  if (v.seq !== undefined) out += `seq ${v.seq}: `;
  out += v.reason;
  const evidence: string[] = [];
  if (v.expected !== undefined) evidence.push(`expected ${v.expected}`);
  if (v.actual !== undefined) evidence.push(`actual ${v.actual}`);
  return evidence.length > 0 ? `${out} (${evidence.join(', ')})` : out;
}

// ---------------------------------------------------------------- auditing commitments

/** Outcome of auditing every commitment of a ledger: how many were checked, or the first one that is wrong. */
export type CommitmentAudit =
  | { readonly ok: true; readonly commitments: number; readonly size: number }
  | { readonly ok: false; readonly seq: number; readonly reason: string; readonly expected?: string; readonly actual?: string };

/**
 * Recomputes every commitment of a ledger from its entries: push each entry (canonical text,
 * in seq order from 0, already verified as a bundle), then `finish`. A StreamHeadsCommitted
 * entry must be on stream `completeness`, cover fewer entries than its own seq and more than
 * the previous commitment, and equal the commitment of the entries below its asOf.
 * Memory: one head per stream, plus the entries since the last commitment's asOf.
 */
export class CommitmentAuditor {
  readonly #heads = new StreamHeads({ journal: true });
  #lastAsOf = 0;
  #count = 0;
  #failure: Extract<CommitmentAudit, { ok: false }> | undefined;

  /** Checks one entry (its canonical text); returns the failure, once there is one. */
  push(body: string): Extract<CommitmentAudit, { ok: false }> | undefined {
    if (this.#failure !== undefined) return this.#failure;
    const seq = this.#heads.size;
    let e: { seq: number; stream: string; version: number; type: string; payload: unknown };
    try {
      e = JSON.parse(body) as typeof e;
    } catch {
      return (this.#failure = { ok: false, seq, reason: 'entry is not JSON' });
    }
    if (e.type === COMMITMENT_TYPE) {
      const failure = this.#check(seq, e.stream, e.payload);
      if (failure !== undefined) return (this.#failure = failure);
    }
    try {
      this.#heads.push({ seq: e.seq, stream: e.stream, version: e.version, leaf: leafHash(body), body });
    } catch (err) {
      return (this.#failure = { ok: false, seq, reason: err instanceof Error ? err.message : String(err) });
    }
    return undefined;
  }

  #check(seq: number, stream: string, payload: unknown): Extract<CommitmentAudit, { ok: false }> | undefined {
    if (stream !== COMPLETENESS_STREAM) return { ok: false, seq, reason: `a ${COMMITMENT_TYPE} entry on stream ${stream}, not ${COMPLETENESS_STREAM}` };
    const claimed = parseCommitmentPayload(payload);
    if (claimed === undefined) return { ok: false, seq, reason: 'the commitment payload is malformed' };
    if (claimed.asOf > seq) return { ok: false, seq, reason: `the commitment covers ${claimed.asOf} entries but is itself entry ${seq}` };
    if (claimed.asOf <= this.#lastAsOf) return { ok: false, seq, reason: `the commitment covers ${claimed.asOf} entries, no more than the previous one (${this.#lastAsOf})` };
    const actual = this.#heads.at(claimed.asOf, () => this.#heads.commitment());
    for (const field of ['groups', 'streams'] as const) {
      if (claimed[field] !== actual[field]) {
        return { ok: false, seq, reason: `the commitment of the entries below ${claimed.asOf} has ${actual[field]} ${field}, the entry says ${claimed[field]}`, expected: String(actual[field]), actual: String(claimed[field]) };
      }
    }
    if (!bytesEqual(claimed.root, actual.root)) {
      return { ok: false, seq, reason: `the commitment root differs from the one of the entries below ${claimed.asOf}`, expected: toHex(actual.root), actual: toHex(claimed.root) };
    }
    this.#lastAsOf = claimed.asOf;
    this.#heads.forget(claimed.asOf);
    this.#count++;
    return undefined;
  }

  /** The outcome after the last entry. */
  finish(): CommitmentAudit {
    return this.#failure ?? { ok: true, commitments: this.#count, size: this.#heads.size };
  }
}

/** Audits the commitments of a ledger's entries given as canonical texts in seq order from 0 (see CommitmentAuditor). */
export function auditCommitments(bodies: Iterable<string>): CommitmentAudit {
  const auditor = new CommitmentAuditor();
  for (const body of bodies) if (auditor.push(body) !== undefined) break;
  return auditor.finish();
}
