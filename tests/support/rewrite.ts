import { sealEntry, type Entry } from '@casn/ledger-core';

/**
 * What an operator who controls the database and the log key could do: lower every TKP
 * score from entry `from` on by one point and re-chain the rest, so every line stays
 * canonical and every prev chains. Returns the new lines and their leaf hashes.
 */
export function rewriteScoresFrom(lines: readonly string[], from: number): { lines: string[]; leaves: Uint8Array[] } {
  const out: string[] = [];
  const leaves: Uint8Array[] = [];
  let prev = '';
  for (const [seq, line] of lines.entries()) {
    let entry = JSON.parse(line) as Entry;
    if (seq >= from) {
      const payload = { ...entry.payload };
      if (typeof payload.tkp === 'number') payload.tkp -= 1;
      entry = { ...entry, payload, prev };
    }
    const sealed = sealEntry(entry);
    out.push(sealed.text);
    leaves.push(sealed.leaf);
    prev = Buffer.from(sealed.leaf).toString('hex');
  }
  return { lines: out, leaves };
}
