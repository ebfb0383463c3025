/** Picking an export bundle from disk and verifying it in a worker. */
import { verifyPickedBundle, type BundleOutcome, type PickedBundle, type TrustOptions } from './bundle-stream.ts';

/** The bundle's files by name, from a directory pick (webkitdirectory) or a multiple-file pick. */
export async function pickBundle(files: readonly File[]): Promise<PickedBundle & { names: string[] }> {
  const byName = new Map<string, File>();
  for (const f of files) {
    // In a directory pick the name is the last path segment; nested directories are ignored.
    const depth = (f.webkitRelativePath || f.name).split('/').length;
    if (!byName.has(f.name) || depth < (byName.get(f.name)!.webkitRelativePath || f.name).split('/').length) byName.set(f.name, f);
  }
  const text = async (name: string): Promise<string | undefined> => byName.get(name)?.text();
  return {
    entries: byName.get('entries.jsonl'),
    checkpoint: await text('checkpoint'),
    logVkey: await text('log.vkey'),
    witnesses: await text('witnesses.vkey'),
    names: [...byName.keys()].sort(),
  };
}

/** Verifies in a worker (the page stays responsive on a million lines); on the page where workers are unavailable. */
export function verifyInWorker(bundle: PickedBundle, trust: TrustOptions, onProgress: (lines: number, bytes: number) => void): Promise<BundleOutcome> {
  if (typeof Worker === 'undefined') return verifyPickedBundle(bundle, trust, onProgress);
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./bundle.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<{ kind: 'progress'; lines: number; bytes: number } | { kind: 'done'; outcome: BundleOutcome } | { kind: 'error'; message: string }>) => {
      const m = e.data;
      if (m.kind === 'progress') onProgress(m.lines, m.bytes);
      else {
        worker.terminate();
        if (m.kind === 'done') resolve(m.outcome);
        else reject(new Error(m.message));
      }
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message || 'the verification worker failed'));
    };
    worker.postMessage({ bundle: { entries: bundle.entries, checkpoint: bundle.checkpoint, logVkey: bundle.logVkey, witnesses: bundle.witnesses }, trust });
  });
}
