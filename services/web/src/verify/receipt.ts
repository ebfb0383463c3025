/** Offline receipts (C2SP tlog-proof) checked in the browser with the core's verifyReceipt. */
import { RECEIPT_EXTENSION, describeReceiptVerdict, verifyReceipt, type ReceiptVerdict } from '@casn/ledger-core';

/** The outcome shown on screen. */
export type ReceiptOutcome =
  | { readonly ok: true; readonly origin: string; readonly seq: number; readonly type: string; readonly at: string; readonly actor: string; readonly checkpointSize: number; readonly cosigners: readonly string[]; readonly description: string }
  | { readonly ok: false; readonly reason: string; readonly message: string; readonly line?: number; readonly expected?: string; readonly actual?: string; readonly description: string };

// The core names cosigners by witness key name (older drafts gave plain strings).
const cosignerName = (c: string | { readonly name: string }): string => (typeof c === 'string' ? c : c.name);

/** Verifies a receipt's text under a log verifier key. */
export function checkReceipt(text: string, logKey: string): ReceiptOutcome {
  let v: ReceiptVerdict;
  try {
    v = verifyReceipt(text, { logKey: logKey.trim() });
  } catch (err) {
    return { ok: false, reason: 'malformed', message: err instanceof Error ? err.message : String(err), description: 'invalid receipt' };
  }
  const description = describeReceiptVerdict(v);
  if (!v.ok) {
    return {
      ok: false,
      reason: v.reason,
      message: v.message,
      description,
      ...(v.line !== undefined ? { line: v.line } : {}),
      ...(v.expected !== undefined ? { expected: v.expected } : {}),
      ...(v.actual !== undefined ? { actual: v.actual } : {}),
    };
  }
  return { ok: true, origin: v.origin, seq: v.seq, type: v.type, at: v.at, actor: `${v.actor.id} (${v.actor.role})`, checkpointSize: v.checkpoint.size, cosigners: v.cosigners.map(cosignerName), description };
}

/** The file name a receipt is saved under. */
export function receiptFileName(ledgerOrigin: string, seq: number): string {
  return `${ledgerOrigin.replace(/[^A-Za-z0-9._-]+/g, '_')}-${seq}${RECEIPT_EXTENSION}`;
}

/** Offers `text` as a file download. */
export function download(text: string, fileName: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
