/** The bundle verifier off the page's thread: one message in, progress and one outcome out. */
import { verifyPickedBundle, type PickedBundle, type TrustOptions } from './bundle-stream.ts';

interface Request {
  readonly bundle: PickedBundle;
  readonly trust: TrustOptions;
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<Request>) => void) | null; postMessage(message: unknown): void };

scope.onmessage = (e) => {
  let last = 0;
  verifyPickedBundle(e.data.bundle, e.data.trust, (lines, bytes) => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    scope.postMessage({ kind: 'progress', lines, bytes });
  })
    .then((outcome) => scope.postMessage({ kind: 'done', outcome }))
    .catch((err: unknown) => scope.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) }));
};
