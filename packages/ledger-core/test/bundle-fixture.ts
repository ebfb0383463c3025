// Builds valid in-memory export bundles for tests: deterministic entries over a few streams,
// chained with sealEntry/prevOf and committed by a checkpoint signed with a generated key.
import { chainHeadExtension, signCheckpoint } from '../src/checkpoint.ts';
import type { Checkpoint } from '../src/checkpoint.ts';
import { GENESIS_PREV, prevOf, sealEntry } from '../src/entry.ts';
import type { Entry } from '../src/entry.ts';
import { CompactRange } from '../src/merkle.ts';
import { generateSignerKey, parseSignerKey } from '../src/note.ts';
import type { BundleFiles } from '../src/bundle.ts';

/** Origin of fixture ledgers unless another is asked for. */
export const FIXTURE_ORIGIN = 'casn.tangerangselatankota.go.id/2026';

/** A log key pair in signed-note form. */
export interface LogKey {
  readonly skey: string;
  readonly vkey: string;
}

/** A fresh Ed25519 log key named `origin` (the contract names the log key after the origin). */
export function generateLogKey(origin: string = FIXTURE_ORIGIN): LogKey {
  return generateSignerKey(origin);
}

/** Options of `draftEntries`. */
export interface DraftOptions {
  readonly origin?: string;
  /** Number of streams the entries are dealt over, round robin (default 3). */
  readonly streams?: number;
}

const TYPES = ['ApplicationSubmitted', 'DocumentsVerified', 'ScoreRecorded', 'SanggahFiled'];
const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);

/**
 * `size` deterministic entries with seq 0..size-1 and per-stream versions without gaps; `prev` is
 * GENESIS_PREV everywhere until `chainEntries` sets it. Payloads hold non-ASCII text on purpose.
 */
export function draftEntries(size: number, opts: DraftOptions = {}): Entry[] {
  const origin = opts.origin ?? FIXTURE_ORIGIN;
  const streams = opts.streams ?? 3;
  const versions = new Map<string, number>();
  const out: Entry[] = [];
  for (let seq = 0; seq < size; seq++) {
    const stream = `application/${seq % streams}`;
    const version = versions.get(stream) ?? 0;
    versions.set(stream, version + 1);
    out.push({
      ledger: origin,
      seq,
      id: `00000000-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`,
      stream,
      version,
      type: TYPES[seq % TYPES.length]!,
      schema: 1,
      at: new Date(T0 + seq * 1000).toISOString(),
      actor: { id: `panitia-${seq % 2}`, role: 'panitia' },
      // Members deliberately out of JCS order, so canonicalisation has work to do.
      payload: { nilai: (seq * 37) % 100, formasi: 'Analis Kebijakan Ahli Pertama', catatan: 'lulus ✓ — tahap 1' },
      prev: GENESIS_PREV,
    });
  }
  return out;
}

/** Entries with their canonical lines and leaf hashes. */
export interface ChainedEntries {
  readonly entries: readonly Entry[];
  /** Canonical bytes of each entry, without '\n'. */
  readonly lines: readonly string[];
  readonly leaves: readonly Uint8Array[];
}

/** Sets each entry's `prev` to the previous leaf hash (GENESIS_PREV for the first), in array order, and seals them. */
export function chainEntries(drafts: readonly Entry[]): ChainedEntries {
  const entries: Entry[] = [];
  const lines: string[] = [];
  const leaves: Uint8Array[] = [];
  let prev = GENESIS_PREV;
  for (const draft of drafts) {
    const entry = { ...draft, prev };
    const sealed = sealEntry(entry);
    entries.push(entry);
    lines.push(sealed.text);
    leaves.push(sealed.leaf);
    prev = prevOf(sealed.leaf);
  }
  return { entries, lines, leaves };
}

/** Options of `signLeaves`. */
export interface SignOptions {
  readonly origin?: string;
  /** Add the `chain-head` extension (ignored for an empty ledger, which has no head). */
  readonly chainHead?: boolean;
  /** Extension lines to carry instead of the computed ones. */
  readonly extensions?: readonly string[];
}

/** The checkpoint over `leaves` (size = leaves.length) and its note signed by `key`. */
export function signLeaves(
  leaves: readonly Uint8Array[],
  key: LogKey,
  opts: SignOptions = {},
): { checkpoint: Checkpoint; note: string } {
  const range = new CompactRange();
  for (const leaf of leaves) range.push(leaf);
  const last = leaves[leaves.length - 1];
  const extensions = opts.extensions ?? (opts.chainHead && last !== undefined ? [chainHeadExtension(last)] : []);
  const checkpoint: Checkpoint = { origin: opts.origin ?? FIXTURE_ORIGIN, size: leaves.length, root: range.root(), extensions };
  return { checkpoint, note: signCheckpoint(checkpoint, parseSignerKey(key.skey)) };
}

/** entries.jsonl text of canonical lines: each followed by '\n'. */
export function toJsonl(lines: readonly string[]): string {
  let out = '';
  for (const line of lines) out += `${line}\n`;
  return out;
}

/** A complete valid bundle and what it was built from. */
export interface BundleFixture extends ChainedEntries {
  readonly origin: string;
  readonly key: LogKey;
  readonly checkpoint: Checkpoint;
  /** The three bundle files; log.vkey carries its trailing newline as a file would. */
  readonly files: BundleFiles;
}

/** Options of `buildBundle`. */
export interface BundleOptions extends DraftOptions {
  /** Number of entries (default 20). */
  readonly size?: number;
  readonly chainHead?: boolean;
  /** Log key to sign with (default: a fresh one named after the origin). */
  readonly key?: LogKey;
  /** Edits the drafts before they are chained and signed (to build a consistently signed but invalid ledger). */
  readonly edit?: (drafts: Entry[]) => Entry[];
}

/** A valid bundle of `size` entries (or of the edited drafts), chained and signed. */
export function buildBundle(opts: BundleOptions = {}): BundleFixture {
  const origin = opts.origin ?? FIXTURE_ORIGIN;
  const drafts = draftEntries(opts.size ?? 20, opts);
  return bundleOf(opts.edit ? opts.edit(drafts) : drafts, {
    origin,
    key: opts.key ?? generateLogKey(origin),
    chainHead: opts.chainHead ?? false,
  });
}

/** Chains `drafts` as given and signs a checkpoint over all of them with `opts.key`. */
export function bundleOf(drafts: readonly Entry[], opts: { origin?: string; key: LogKey; chainHead?: boolean }): BundleFixture {
  const origin = opts.origin ?? FIXTURE_ORIGIN;
  const chained = chainEntries(drafts);
  const { checkpoint, note } = signLeaves(chained.leaves, opts.key, { origin, chainHead: opts.chainHead ?? false });
  return {
    ...chained,
    origin,
    key: opts.key,
    checkpoint,
    files: { entries: toJsonl(chained.lines), checkpoint: note, logVkey: `${opts.key.vkey}\n` },
  };
}
