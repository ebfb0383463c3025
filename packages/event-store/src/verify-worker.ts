/**
 * Worker thread of `EventStore.verify`: runs the bundle verifier over pages of stored
 * lines posted by the reading thread, so reading and verifying use both cores.
 * Messages in: string[] (a page of lines, in seq order) or null (end). Messages out:
 * { ack: number } after each page, then { verdict } once, at the end or the first failure.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BundleVerifier, type VerifyOptions } from '@casn/ledger-core';

const { note, vkey, options } = workerData as { note: string; vkey: string; options: VerifyOptions };
const verifier = new BundleVerifier(note, vkey, options);
const port = parentPort!;

port.on('message', (page: string[] | null) => {
  if (page === null) {
    port.postMessage({ verdict: verifier.finish() });
    return;
  }
  for (const line of page) {
    const failed = verifier.push(line);
    if (failed) {
      port.postMessage({ verdict: failed });
      return;
    }
  }
  port.postMessage({ ack: page.length });
});
