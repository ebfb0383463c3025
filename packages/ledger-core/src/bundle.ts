/**
 * Bundle verification (ledger contract v1, "Export bundle"): checks every entry line of a
 * ledger against a signed checkpoint and names the first bad `seq` with the evidence.
 *
 * One streaming verifier serves both an export bundle (`verifyBundle` splits entries.jsonl)
 * and a database scan (the store pushes each stored canonical line), so both apply exactly
 * the same checks in the same order.
 */
import { chainHeadOf, openCheckpoint } from './checkpoint.ts';
import type { Checkpoint, CheckpointVerdict } from './checkpoint.ts';
import { checkCosignatureQuorum, parseCosignatureVerifierKey } from './cosignature.ts';
import type { CosignatureVerifier } from './cosignature.ts';
import { GENESIS_PREV, badEntryField } from './entry.ts';
import type { Entry } from './entry.ts';
import { EMPTY_ROOT, bytesEqual, leafHash, toBase64, toHex } from './hash.ts';
import { canonicalize } from './jcs.ts';
import { CompactRange } from './merkle.ts';
import { parseVerifierKey } from './note.ts';
import type { NoteVerifier } from './note.ts';

/** Outcome of verifying a ledger or bundle. */
export type Verdict =
  | {
      readonly ok: true;
      readonly origin: string;
      readonly size: number;
      readonly root: Uint8Array;
      readonly checkpoint: Checkpoint;
      /** Names of the witnesses whose cosignatures verified; present when witness keys were given. */
      readonly cosigners?: readonly string[];
    }
  | { readonly ok: false; readonly seq?: number; readonly reason: string; readonly expected?: string; readonly actual?: string };

/** The failure half of a Verdict. */
export type FailedVerdict = Extract<Verdict, { ok: false }>;

/** What the caller trusts beyond the bundle itself. */
export interface VerifyOptions {
  /** Verifier key pinned by the caller; the bundle's log.vkey must equal it. */
  readonly logKey?: string;
  /** Expected ledger origin. */
  readonly origin?: string;
  /** An older checkpoint note signed by the log key: the first `size` entries must reproduce its root (and chain head). */
  readonly trusted?: string;
  /**
   * Skip the RFC 8785 form check of each line. Only for bytes this system canonicalised
   * itself and stored exactly as hashed (the store's own scan): every other check, the
   * chain and the signed root still bind every byte. Bundles from elsewhere are checked.
   */
  readonly storedCanonical?: boolean;
  /**
   * Witness cosignature verifier keys (`name+hexid+base64(0x04‖pub)`, or parsed): cosignatures on
   * the checkpoint by these keys must verify, and `quorum` of them (distinct keys) are required.
   */
  readonly witnesses?: readonly (string | CosignatureVerifier)[];
  /** Least number of valid cosignatures by distinct `witnesses` keys the checkpoint must carry (default 0). */
  readonly quorum?: number;
}

/** The three files of an export bundle, as text. */
export interface BundleFiles {
  /** The whole entries.jsonl: each line the canonical bytes of one entry, then '\n'. */
  readonly entries: string;
  /** The signed checkpoint note. */
  readonly checkpoint: string;
  /** The log's verifier key (one line; a trailing '\n' is allowed). */
  readonly logVkey: string;
}

// Char codes of '0'…'9', 'a'…'f'.
const HEX_DIGIT = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/**
 * Streaming verifier of one ledger against a signed checkpoint: push each entry line in seq
 * order, then call finish. Requires lines without their trailing '\n'; never throws on bad
 * input (only a push after finish, a programming error, throws).
 */
export class BundleVerifier {
  #failure: FailedVerdict | undefined;
  #result: Verdict | undefined;
  #checkpoint: Checkpoint | undefined;
  #origin = '';
  #size = 0;
  #chainHead: Uint8Array | undefined;
  #trustedSize = -1;
  #trustedRoot: Uint8Array = EMPTY_ROOT;
  #trustedHead: Uint8Array | undefined;
  #cosigners: readonly string[] | undefined;

  /** A chain break at line `seq`, not yet attributed (see #blame). */
  #pending: { seq: number; expected: string; actual: string } | undefined;
  #count = 0;
  readonly #storedCanonical: boolean;
  #ledgerMember = '';
  /** Leaf hash of the last line pushed; undefined before the first. */
  #last: Uint8Array | undefined;
  readonly #range = new CompactRange();
  readonly #versions = new Map<string, number>();

  /** Opens the checkpoint under `logVkey` (and the options) up front; a failure there is returned by push and finish. */
  constructor(checkpointNote: string, logVkey: string, opts: VerifyOptions = {}) {
    this.#storedCanonical = opts.storedCanonical === true;
    this.#failure = this.#open(checkpointNote, logVkey, opts);
  }

  /** Checks the next line (canonical bytes without the trailing '\n'); returns the failure verdict once one is found (and keeps returning it), else undefined. */
  push(line: string): FailedVerdict | undefined {
    if (this.#failure !== undefined) return this.#failure;
    if (this.#result !== undefined) throw new Error('BundleVerifier: push after finish');
    const seq = this.#count;

    let entry: Pick<Entry, 'ledger' | 'seq' | 'prev' | 'stream' | 'version'>;
    if (this.#storedCanonical) {
      const fields = this.#storedFields(line);
      if (fields === undefined) return this.#fail(seq, 'line is not a canonical ledger entry');
      entry = fields;
    } else {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        return this.#fail(seq, 'line is not valid JSON');
      }
      let canonical: string | undefined;
      try {
        canonical = canonicalize(value);
      } catch {
        canonical = undefined; // e.g. a lone surrogate: no JCS form at all
      }
      if (canonical !== line) return this.#notCanonical(seq, line, canonical);
      const bad = badEntryField(value);
      if (bad !== undefined) return this.#fail(seq, `field "${bad}" is missing or has the wrong type`);
      entry = value as Entry;
    }
    if (entry.ledger !== this.#origin) {
      return this.#fail(seq, 'ledger differs from the checkpoint origin', this.#origin, entry.ledger);
    }
    if (entry.seq !== seq) return this.#pendingOr(seq, 'seq out of order', String(seq), String(entry.seq));
    const chains = this.#chains(entry.prev);
    if (this.#pending !== undefined) return this.#blame(chains);
    if (!chains) {
      if (seq === 0) return this.#fail(0, 'prev does not chain', GENESIS_PREV, entry.prev);
      // Either entry seq-1 was changed (its hash no longer matches what this prev commits
      // to) or this entry's prev was: the next line tells which (see #blame).
      this.#pending = { seq, expected: this.#expectedPrev(), actual: entry.prev };
    }
    const version = this.#versions.get(entry.stream) ?? 0;
    if (entry.version !== version) {
      return this.#pendingOr(
        seq,
        `version out of order in stream ${JSON.stringify(entry.stream)}`,
        String(version),
        String(entry.version),
      );
    }
    this.#versions.set(entry.stream, version + 1);
    if (seq >= this.#size) {
      return this.#pendingOr(seq, 'more lines than the checkpoint size', String(this.#size), `more than ${this.#size}`);
    }

    const leaf = leafHash(line);
    this.#range.push(leaf);
    this.#last = leaf;
    this.#count = seq + 1;
    if (this.#count === this.#trustedSize && this.#pending === undefined) return this.#checkTrusted();
    return undefined;
  }

  /**
   * The chained fields of a line the store canonicalised itself, read without parsing the
   * payload: in RFC 8785 order an entry ends with prev, schema, seq, stream, type, version,
   * and a bare `,"prev":"` cannot occur inside a JSON string, so the last one starts that
   * tail. The ledger is found as its exact canonical member, just before the payload.
   */
  #storedFields(line: string): Pick<Entry, 'ledger' | 'seq' | 'prev' | 'stream' | 'version'> | undefined {
    const at = line.lastIndexOf(',"prev":"');
    if (at < 0) return undefined;
    let tail: Record<string, unknown>;
    try {
      tail = JSON.parse(`{${line.slice(at + 1)}`) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const { prev, seq, stream, version } = tail;
    if (typeof prev !== 'string' || typeof stream !== 'string' || !Number.isSafeInteger(seq) || !Number.isSafeInteger(version)) {
      return undefined;
    }
    let ledger = this.#origin;
    if (!line.includes(this.#ledgerMember)) {
      try {
        ledger = String((JSON.parse(line) as { ledger?: unknown }).ledger);
      } catch {
        return undefined;
      }
    }
    return { ledger, seq: seq as number, prev, stream, version: version as number };
  }

  /** Fails at `seq`, unless an earlier chain break is pending: that one is reported as it stands. */
  #pendingOr(seq: number, reason: string, expected: string, actual: string): FailedVerdict {
    const p = this.#pending;
    return p ? this.#fail(p.seq, 'prev does not chain', p.expected, p.actual) : this.#fail(seq, reason, expected, actual);
  }

  /**
   * Settles a chain break found at line j, now that line j+1 is known: if j+1 chains onto
   * line j as given, line j is intact and entry j-1 is the one that changed; if it does not,
   * line j itself (its prev at least) was changed.
   */
  #blame(nextChains: boolean): FailedVerdict {
    const p = this.#pending!;
    if (nextChains) {
      return this.#fail(p.seq - 1, 'entry differs from what the next entry\'s prev commits to', p.actual, p.expected);
    }
    return this.#fail(p.seq, 'prev does not chain', p.expected, p.actual);
  }

  /** Final verdict after the last line; calling it again returns the same verdict. */
  finish(): Verdict {
    if (this.#failure !== undefined) return this.#failure;
    if (this.#result !== undefined) return this.#result;
    const n = this.#count;
    const cp = this.#checkpoint!;
    if (this.#pending !== undefined) {
      // A break at the last line: the checkpoint's chain head says whether that line is intact.
      const head = this.#chainHead;
      if (head === undefined) return this.#fail(this.#pending.seq, 'prev does not chain', this.#pending.expected, this.#pending.actual);
      return this.#blame(this.#last !== undefined && bytesEqual(this.#last, head));
    }
    if (n < this.#size) return this.#fail(n, 'fewer lines than the checkpoint size', String(this.#size), String(n));
    // The chain head is checked before the root because it can name the entry: with every
    // prev chaining, a different last leaf is the last entry changed.
    if (this.#chainHead !== undefined && this.#last !== undefined && !bytesEqual(this.#last, this.#chainHead)) {
      return this.#fail(n - 1, 'entry differs from the checkpoint chain head', toHex(this.#chainHead), toHex(this.#last));
    }
    const root = this.#range.root();
    if (!bytesEqual(root, cp.root)) {
      return this.#fail(undefined, 'root differs from the checkpoint root', toBase64(cp.root), toBase64(root));
    }
    this.#result = { ok: true, origin: cp.origin, size: n, root, checkpoint: cp, ...(this.#cosigners !== undefined && { cosigners: this.#cosigners }) };
    return this.#result;
  }

  #open(note: string, logVkey: string, opts: VerifyOptions): FailedVerdict | undefined {
    const bundleKey = withoutNewline(logVkey);
    let log: NoteVerifier;
    try {
      log = parseVerifierKey(bundleKey);
    } catch (e) {
      return failed(undefined, `log.vkey is not a verifier key: ${messageOf(e)}`);
    }
    if (opts.logKey !== undefined) {
      const pinned = withoutNewline(opts.logKey);
      if (pinned !== bundleKey) return failed(undefined, 'log key differs from the pinned key', pinned, bundleKey);
    }

    // Opened without opts.origin so that openCheckpoint holds the origin to the log key's name;
    // the caller's expected origin is compared below, with evidence.
    const opened = openCheckpoint(note, log);
    if (!opened.ok) return failed(undefined, checkpointReason('checkpoint', opened));
    const cp = opened.checkpoint;
    if (opts.origin !== undefined && cp.origin !== opts.origin) {
      return failed(undefined, 'checkpoint origin differs from the expected origin', opts.origin, cp.origin);
    }
    try {
      this.#chainHead = chainHeadOf(cp);
    } catch (e) {
      return failed(undefined, `checkpoint chain head is malformed: ${messageOf(e)}`);
    }
    if (cp.size === 0 && this.#chainHead !== undefined) {
      return failed(undefined, 'checkpoint of an empty ledger carries a chain head');
    }
    const quorum = this.#checkQuorum(note, log, opts);
    if (quorum !== undefined) return quorum;
    this.#checkpoint = cp;
    this.#origin = cp.origin;
    this.#ledgerMember = `,"ledger":${JSON.stringify(cp.origin)},"payload":{`;
    this.#size = cp.size;

    if (opts.trusted === undefined) return undefined;
    // `log` is the bundle key, which equals the pinned key when one was given.
    const old = openCheckpoint(opts.trusted, log);
    if (!old.ok) return failed(undefined, checkpointReason('trusted checkpoint', old));
    const tcp = old.checkpoint;
    try {
      this.#trustedHead = chainHeadOf(tcp);
    } catch (e) {
      return failed(undefined, `trusted checkpoint chain head is malformed: ${messageOf(e)}`);
    }
    if (tcp.size > cp.size) {
      return failed(
        undefined,
        `trusted checkpoint is larger than the bundle (size ${tcp.size} > ${cp.size})`,
        `size >= ${tcp.size}`,
        String(cp.size),
      );
    }
    if (tcp.size === 0) {
      if (!bytesEqual(tcp.root, EMPTY_ROOT) || this.#trustedHead !== undefined) {
        return failed(undefined, 'trusted checkpoint of size 0 is not the empty tree', toBase64(EMPTY_ROOT), toBase64(tcp.root));
      }
      return undefined;
    }
    this.#trustedSize = tcp.size;
    this.#trustedRoot = tcp.root;
    return undefined;
  }

  // Check 4a: the witnesses' cosignatures on the checkpoint, when witness keys or a quorum are given.
  #checkQuorum(note: string, log: NoteVerifier, opts: VerifyOptions): FailedVerdict | undefined {
    const quorum = opts.quorum ?? 0;
    const keys = opts.witnesses ?? [];
    if (keys.length === 0 && quorum === 0) return undefined;
    const witnesses: CosignatureVerifier[] = [];
    for (const [i, key] of keys.entries()) {
      try {
        witnesses.push(typeof key === 'string' ? parseCosignatureVerifierKey(withoutNewline(key).trim()) : key);
      } catch (e) {
        return failed(undefined, `witness key ${i + 1} is not a cosignature verifier key: ${messageOf(e)}`);
      }
    }
    const verdict = checkCosignatureQuorum(note, witnesses, quorum, { logKey: log });
    if (!verdict.ok) return failed(undefined, `witness quorum not met: ${verdict.reason}`, verdict.expected, verdict.actual);
    this.#cosigners = verdict.cosigners.map((c) => c.witness.name);
    return undefined;
  }

  // Called once, right after line m-1 (m = the trusted size) has been pushed.
  #checkTrusted(): FailedVerdict | undefined {
    const m = this.#trustedSize;
    const reason = `entries 0..${m - 1} differ from the trusted checkpoint (history rewritten)`;
    const root = this.#range.root();
    if (!bytesEqual(root, this.#trustedRoot)) {
      return this.#fail(m - 1, reason, toBase64(this.#trustedRoot), toBase64(root));
    }
    const last = this.#last!;
    if (this.#trustedHead !== undefined && !bytesEqual(last, this.#trustedHead)) {
      return this.#fail(m - 1, reason, toHex(this.#trustedHead), toHex(last));
    }
    return undefined;
  }

  // True when `prev` (already checked to be 64 lowercase hex) names the last leaf. Compared
  // nibble by nibble rather than through toHex: no string is built for a line that chains.
  #chains(prev: string): boolean {
    const last = this.#last;
    if (last === undefined) return prev === GENESIS_PREV;
    for (let i = 0; i < last.length; i++) {
      const byte = last[i]!;
      if (prev.charCodeAt(2 * i) !== HEX_DIGIT[byte >> 4] || prev.charCodeAt(2 * i + 1) !== HEX_DIGIT[byte & 15]) {
        return false;
      }
    }
    return true;
  }

  #expectedPrev(): string {
    return this.#last === undefined ? GENESIS_PREV : toHex(this.#last);
  }

  #notCanonical(seq: number, line: string, canonical: string | undefined): FailedVerdict {
    if (canonical === undefined) return this.#fail(seq, 'line has no JCS canonical form (RFC 8785)');
    let i = 0;
    while (i < line.length && line.charCodeAt(i) === canonical.charCodeAt(i)) i++;
    return this.#fail(
      seq,
      `line is not in JCS canonical form (RFC 8785), first difference at character ${i}`,
      JSON.stringify(canonical.slice(i, i + 16)),
      JSON.stringify(line.slice(i, i + 16)),
    );
  }

  #fail(seq: number | undefined, reason: string, expected?: string, actual?: string): FailedVerdict {
    this.#failure = failed(seq, reason, expected, actual);
    return this.#failure;
  }
}

/**
 * Verifies an export bundle (entries.jsonl text, checkpoint note, log.vkey) and returns the
 * verdict; never throws on bad input. Every line, the last included, must end with '\n'.
 */
export function verifyBundle(files: BundleFiles, opts: VerifyOptions = {}): Verdict {
  const verifier = new BundleVerifier(files.checkpoint, files.logVkey, opts);
  const text = files.entries;
  let start = 0;
  for (let seq = 0; start < text.length; seq++) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const line = text.slice(start, end);
    const failure = verifier.push(line);
    if (newline < 0) {
      // An unterminated last line: report what is wrong with its content first, if anything.
      return failure ?? failed(seq, 'last line does not end with a newline');
    }
    if (line === '') {
      // push already failed on '' (not JSON); keep an earlier failure (e.g. the checkpoint's), else say why plainly.
      return failure !== undefined && failure.seq !== seq ? failure : failed(seq, 'empty line');
    }
    if (failure !== undefined) return failure;
    start = newline + 1;
  }
  return verifier.finish();
}

/** One line describing a verdict, e.g. 'invalid: seq 17: prev does not chain (expected ab12…, actual 9f00…)'. */
export function describeVerdict(v: Verdict): string {
  if (v.ok) {
    const cosigned = v.cosigners !== undefined && v.cosigners.length > 0 ? `, cosigned by ${v.cosigners.join(', ')}` : '';
    return `valid: origin ${v.origin}, ${v.size} entries, root ${toBase64(v.root)}${cosigned}`;
  }
  let out = 'invalid: ';
  if (v.seq !== undefined) out += `seq ${v.seq}: `;
  out += oneLine(v.reason);
  const evidence: string[] = [];
  if (v.expected !== undefined) evidence.push(`expected ${abbreviate(v.expected)}`);
  if (v.actual !== undefined) evidence.push(`actual ${abbreviate(v.actual)}`);
  return evidence.length > 0 ? `${out} (${evidence.join(', ')})` : out;
}

function failed(seq: number | undefined, reason: string, expected?: string, actual?: string): FailedVerdict {
  return {
    ok: false,
    ...(seq !== undefined && { seq }),
    reason,
    ...(expected !== undefined && { expected }),
    ...(actual !== undefined && { actual }),
  };
}

function checkpointReason(what: string, v: Extract<CheckpointVerdict, { ok: false }>): string {
  switch (v.error) {
    case 'malformed':
      return `${what} is malformed: ${v.message}`;
    case 'invalid_signature':
      return `${what} signature does not verify under the log key: ${v.message}`;
    case 'no_verifiable_signatures':
      return `${what} carries no signature by the log key`;
    case 'origin_mismatch':
      return `${what} origin is not the log key's name: ${v.message}`;
  }
}

function withoutNewline(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// Hashes (64 hex, 44 base64) are shortened for the one-line summary; the verdict keeps them whole.
function abbreviate(text: string): string {
  const line = oneLine(text);
  return line.length > 40 ? `${line.slice(0, 12)}…` : line;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
