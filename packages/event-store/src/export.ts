/** Export bundles: the directory format of the ledger contract. */
import { createWriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { formatWitnessList, type WitnessEntry } from '@casn/ledger-core';
import type { EventStore, StoredCheckpoint } from './store.ts';

/** File names inside a bundle directory. */
export const BUNDLE_FILES = {
  entries: 'entries.jsonl',
  checkpoint: 'checkpoint',
  logKey: 'log.vkey',
  witnesses: 'witnesses.vkey',
} as const;

/**
 * Writes the first `size` entries of a ledger (default: all) to `dir` with a signed
 * checkpoint of exactly that size (carrying the witnesses' cosignatures stored so far) and the
 * log's verifier key. When witnesses are configured (`opts.witnesses`, default the store's), their
 * cosignature verifier keys go to witnesses.vkey, one a line; otherwise a witnesses.vkey left in
 * `dir` by an earlier export is removed.
 */
export async function exportBundle(
  store: EventStore,
  origin: string,
  dir: string,
  opts: { size?: number; onProgress?: (done: number, total: number) => void; witnesses?: readonly WitnessEntry[] } = {},
): Promise<StoredCheckpoint> {
  const checkpoint = await store.checkpoint(origin, opts.size);
  await mkdir(dir, { recursive: true });
  const out = createWriteStream(join(dir, BUNDLE_FILES.entries));
  let done = 0;
  let chunk = '';
  for await (const entry of store.entries(origin, 0, checkpoint.size)) {
    chunk += entry.body + '\n';
    if (++done % 1000 === 0) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
      if (done % 100_000 === 0) opts.onProgress?.(done, checkpoint.size);
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  await writeFile(join(dir, BUNDLE_FILES.checkpoint), checkpoint.note);
  await writeFile(join(dir, BUNDLE_FILES.logKey), (await store.verifierKey(origin)) + '\n');
  const witnesses = opts.witnesses ?? store.witnesses;
  // Keys only: the URLs the worker asks witnesses at are the deployment's business.
  if (witnesses.length > 0) await writeFile(join(dir, BUNDLE_FILES.witnesses), formatWitnessList(witnesses.map((w) => ({ verifier: w.verifier }))));
  else await rm(join(dir, BUNDLE_FILES.witnesses), { force: true });
  return checkpoint;
}
