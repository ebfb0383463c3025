/** Export bundles: the directory format of the ledger contract. */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import type { EventStore, StoredCheckpoint } from './store.ts';

/** File names inside a bundle directory. */
export const BUNDLE_FILES = {
  entries: 'entries.jsonl',
  checkpoint: 'checkpoint',
  logKey: 'log.vkey',
} as const;

/**
 * Writes the first `size` entries of a ledger (default: all) to `dir` with a signed
 * checkpoint of exactly that size and the log's verifier key.
 */
export async function exportBundle(
  store: EventStore,
  origin: string,
  dir: string,
  opts: { size?: number; onProgress?: (done: number, total: number) => void } = {},
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
  return checkpoint;
}
