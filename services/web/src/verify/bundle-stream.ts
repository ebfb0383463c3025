/**
 * Verifies an export bundle chosen in the browser, streaming entries.jsonl through the core's
 * BundleLineFeeder and BundleVerifier, the same code as the CLI's verifyBundleDir
 * (services/cli/src/verify-dir.ts): lines split on '\n' only and decoded strictly, so a stray
 * '\r' or invalid UTF-8 fails the line.
 * Runs in a worker (bundle.worker.ts) or, where there is none, on the page.
 */
import { BundleLineFeeder, BundleVerifier, toBase64, type FailedVerdict, type VerifyOptions } from '@casn/ledger-core';

/** The files of a bundle as picked: entries.jsonl as a Blob (it may be large), the rest as text. */
export interface PickedBundle {
  readonly entries: Blob | undefined;
  readonly checkpoint: string | undefined;
  readonly logVkey: string | undefined;
  readonly witnesses: string | undefined;
}

/** What the user trusts beyond the bundle: a pinned log key, an origin, an older checkpoint, a witness quorum. */
export interface TrustOptions {
  readonly logKey?: string;
  readonly origin?: string;
  readonly trusted?: string;
  readonly quorum?: number;
}

/** The outcome shown on screen: the verdict in plain data (roots as base64), and the entry at fault. */
export type BundleOutcome =
  | { readonly ok: true; readonly origin: string; readonly size: number; readonly root: string; readonly cosigners: readonly string[] | undefined; readonly lines: number }
  | { readonly ok: false; readonly seq?: number; readonly reason: string; readonly expected?: string; readonly actual?: string; readonly line?: string; readonly lines: number };

/** Verifies a picked bundle; `onProgress` gets the lines checked and the bytes read so far. */
export async function verifyPickedBundle(bundle: PickedBundle, trust: TrustOptions, onProgress?: (lines: number, bytes: number) => void): Promise<BundleOutcome> {
  if (bundle.entries === undefined) return { ok: false, reason: 'bundle has no entries.jsonl file', lines: 0 };
  if (bundle.checkpoint === undefined) return { ok: false, reason: 'bundle has no checkpoint file', lines: 0 };
  if (bundle.logVkey === undefined) return { ok: false, reason: 'bundle has no log.vkey file', lines: 0 };

  const witnesses = (bundle.witnesses ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(/[ \t]+/)[0] ?? '');
  const opts: VerifyOptions = {
    ...(trust.logKey ? { logKey: trust.logKey.trim() } : {}),
    ...(trust.origin ? { origin: trust.origin.trim() } : {}),
    ...(trust.trusted ? { trusted: trust.trusted } : {}),
    ...(witnesses.length > 0 ? { witnesses, quorum: trust.quorum ?? 0 } : {}),
  };
  // The last lines by seq, to show the entry a failure names: a chain break found at line j
  // is settled at line j+1 and may blame line j-1.
  const recent = new Map<number, string>();
  const feeder = new BundleLineFeeder(new BundleVerifier(bundle.checkpoint, bundle.logVkey.trimEnd(), opts), (seq, line) => {
    recent.set(seq, line);
    recent.delete(seq - 3);
  });
  const fail = (f: FailedVerdict): BundleOutcome => {
    const line = f.seq === undefined ? undefined : recent.get(f.seq);
    return { ...f, ...(line !== undefined ? { line } : {}), lines: feeder.lines };
  };

  let bytesRead = 0;
  const reader = bundle.entries.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytesRead += value.length;
    const failure = feeder.push(value);
    if (failure !== undefined) {
      await reader.cancel();
      return fail(failure);
    }
    onProgress?.(feeder.lines, bytesRead);
  }
  const verdict = feeder.finish();
  if (!verdict.ok) return fail(verdict);
  return { ok: true, origin: verdict.origin, size: verdict.size, root: toBase64(verdict.root), cosigners: verdict.cosigners, lines: feeder.lines };
}
