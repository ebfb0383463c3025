import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chainHeadExtension, signCheckpoint } from '../src/checkpoint.ts';
import { sealEntry } from '../src/entry.ts';
import { fromBase64, toBase64, utf8 } from '../src/hash.ts';
import { consistencyProof, inclusionProof, rootFromLeafHashes } from '../src/merkle.ts';
import { cosignerFromSignerKey, formatCosignature } from '../src/cosignature.ts';
import { generateSignerKey, parseSignerKey } from '../src/note.ts';
import {
  RECEIPT_HEADER,
  ReceiptError,
  describeReceiptVerdict,
  formatReceipt,
  parseReceipt,
  verifyReceipt,
  verifyReceiptStillThere,
  type Receipt,
} from '../src/receipt.ts';
import { buildBundle, generateLogKey, signLeaves, type BundleFixture } from './bundle-fixture.ts';

/** Node source over a list of leaf hashes: the perfect subtree (level, index) hashed from its leaves. */
const nodesOf = (leaves: readonly Uint8Array[]) => (ref: { level: number; index: number }) =>
  rootFromLeafHashes(leaves.slice(ref.index * 2 ** ref.level, (ref.index + 1) * 2 ** ref.level));

/** The receipt of entry `seq` of a bundle against its checkpoint (or against the first `size` entries). */
function receiptOf(b: BundleFixture, seq: number, size = b.lines.length): Receipt {
  const leaves = b.leaves.slice(0, size);
  const note = size === b.lines.length ? b.files.checkpoint : signLeaves(leaves, b.key, { origin: b.origin, chainHead: true }).note;
  return { entry: b.lines[seq]!, index: seq, proof: inclusionProof(seq, size, nodesOf(leaves)), checkpoint: note };
}

/** The text with line `n` (1-based) replaced by `edit(line)`; throws if nothing changed. */
function editLine(text: string, n: number, edit: (line: string) => string): string {
  const lines = text.split('\n');
  const changed = edit(lines[n - 1]!);
  if (changed === lines[n - 1]) throw new Error(`edit left line ${n} unchanged`);
  lines[n - 1] = changed;
  return lines.join('\n');
}

const bundle = buildBundle({ size: 13, chainHead: true });
const keys = { logKey: bundle.key.vkey };

describe('formatReceipt and parseReceipt', () => {
  it('writes the C2SP tlog-proof layout and parses it back', () => {
    const r = receiptOf(bundle, 5);
    const text = formatReceipt(r);
    const lines = text.split('\n');
    expect(lines[0]).toBe(RECEIPT_HEADER);
    expect(lines[1]).toBe(`extra ${toBase64(utf8(bundle.lines[5]!))}`);
    expect(lines[2]).toBe('index 5');
    expect(lines.slice(3, 3 + r.proof.length)).toEqual(r.proof.map(toBase64));
    expect(lines[3 + r.proof.length]).toBe('');
    expect(text.endsWith(`\n\n${bundle.files.checkpoint}`)).toBe(true);
    expect(parseReceipt(text)).toEqual(r);
    expect(parseReceipt(utf8(text))).toEqual(r);
  });

  it('parses a receipt with an empty proof (a tree of one entry)', () => {
    const one = buildBundle({ size: 1 });
    const r = receiptOf(one, 0);
    expect(r.proof).toEqual([]);
    expect(parseReceipt(formatReceipt(r))).toEqual(r);
  });

  it('refuses what it could not parse back', () => {
    const r = receiptOf(bundle, 1);
    expect(() => formatReceipt({ ...r, entry: 'a\nb' })).toThrow(ReceiptError);
    expect(() => formatReceipt({ ...r, index: -1 })).toThrow(ReceiptError);
    expect(() => formatReceipt({ ...r, proof: [new Uint8Array(31)] })).toThrow(ReceiptError);
    expect(() => formatReceipt({ ...r, checkpoint: r.checkpoint.slice(0, -1) })).toThrow(ReceiptError);
  });

  const text = formatReceipt(receiptOf(bundle, 5));
  const cases: [string, string, number, RegExp][] = [
    ['another header', editLine(text, 1, () => 'c2sp.org/tlog-proof@v2'), 1, /first line/],
    ['no extra line', editLine(text, 2, () => 'index 5').replace('index 5\nindex 5\n', 'index 5\n'), 2, /extra/],
    ['extra not canonical base64', editLine(text, 2, (l) => l.replace(/=*$/, '')), 2, /base64/],
    ['extra not UTF-8', editLine(text, 2, () => `extra ${toBase64(new Uint8Array([0x7b, 0xff, 0x7d]))}`), 2, /UTF-8/],
    ['index with a leading zero', editLine(text, 3, () => 'index 05'), 3, /leading zeros/],
    ['index not a number', editLine(text, 3, () => 'index five'), 3, /index/],
    ['index beyond 2^53', editLine(text, 3, () => 'index 9007199254740993'), 3, /2\^53/],
    ['a proof hash of 31 bytes', editLine(text, 5, () => toBase64(new Uint8Array(31))), 5, /32 bytes/],
    ['a CR at the end of a line', editLine(text, 4, (l) => `${l}\r`), 4, /proof hash/],
    ['no empty line before the checkpoint', text.replace(/\n\n/, '\n'), 8, /proof hash/],
    ['no checkpoint', text.slice(0, text.indexOf('\n\n') + 2), 9, /missing: the checkpoint/],
    ['truncated header', 'c2sp.org/tlog-proof@v1', 1, /newline/],
    ['empty text', '', 1, /missing: the header/],
  ];
  it.each(cases)('names the line: %s', (_, bad, line, message) => {
    let error: unknown;
    try {
      parseReceipt(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReceiptError);
    expect((error as ReceiptError).line).toBe(line);
    expect((error as ReceiptError).message).toMatch(message);
    expect((error as ReceiptError).message.startsWith(`line ${line}: `)).toBe(true);
  });

  it('refuses more than 64 proof hashes', () => {
    const hash = toBase64(new Uint8Array(32));
    const bad = text.replace('index 5\n', `index 5\n${`${hash}\n`.repeat(65)}`);
    expect(() => parseReceipt(bad)).toThrow(/line 68: more than 64 proof hashes/);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(() => parseReceipt(new Uint8Array([0x63, 0xff, 0x0a]))).toThrow(/not valid UTF-8/);
  });
});

describe('verifyReceipt', () => {
  it('proves every entry of a ledger, against checkpoints of every size that holds it', () => {
    const failures: string[] = [];
    for (let size = 1; size <= bundle.lines.length; size++) {
      for (let seq = 0; seq < size; seq++) {
        const v = verifyReceipt(formatReceipt(receiptOf(bundle, seq, size)), keys);
        if (!v.ok) failures.push(`seq ${seq} size ${size}: ${describeReceiptVerdict(v)}`);
        else if (v.seq !== seq || v.checkpoint.size !== size) failures.push(`seq ${seq} size ${size}: proved ${v.seq} in ${v.checkpoint.size}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('says what it proved', () => {
    const v = verifyReceipt(formatReceipt(receiptOf(bundle, 4)), keys);
    expect(v).toMatchObject({
      ok: true,
      origin: bundle.origin,
      seq: 4,
      stream: bundle.entries[4]!.stream,
      version: bundle.entries[4]!.version,
      type: bundle.entries[4]!.type,
      cosigners: [],
      unchecked: 0,
    });
    if (!v.ok) return;
    expect(v.leaf).toEqual(bundle.leaves[4]);
    expect(v.checkpoint.size).toBe(13);
    expect(describeReceiptVerdict(v)).toBe(
      `valid receipt: ${bundle.origin} seq 4 ${v.type} on ${v.stream} (version ${v.version}) by ${v.actor.id} (${v.actor.role}) at ${v.at}; ` +
        `included in the checkpoint of size 13 (root ${toBase64(bundle.checkpoint.root)})`,
    );
  });

  it('accepts a parsed receipt and a pinned key with a trailing newline', () => {
    expect(verifyReceipt(receiptOf(bundle, 0), { logKey: `${bundle.key.vkey}\n` }).ok).toBe(true);
  });

  const text = formatReceipt(receiptOf(bundle, 5));
  const r = receiptOf(bundle, 5);
  const other = buildBundle({ size: 13, chainHead: true, origin: 'casn.example.go.id/other' });

  /** The receipt with its entry replaced by `entry`, still well-formed. */
  const withEntry = (entry: string) => formatReceipt({ ...r, entry });

  const cases: [string, () => string, string, { logKey: string }?][] = [
    ['a changed entry byte', () => withEntry(r.entry.replace('"nilai":', '"nilai":1')), 'inclusion_failed'],
    ['an entry that is not canonical', () => withEntry(r.entry.replace('{"actor"', '{ "actor"')), 'entry_not_canonical'],
    ['an entry that is not JSON', () => withEntry(r.entry.slice(0, -1)), 'entry_not_canonical'],
    ['an entry without a seq', () => withEntry(r.entry.replace(/"seq":5,/, '')), 'entry_invalid'],
    ['the wrong index', () => editLine(text, 3, () => 'index 6'), 'index_mismatch'],
    ['the entry and index of another seq', () => formatReceipt({ ...r, entry: bundle.lines[6]!, index: 6 }), 'inclusion_failed'],
    ['a changed proof hash', () => editLine(text, 5, (l) => toBase64(fromBase64(l)!.map((b, i) => (i === 0 ? b ^ 1 : b)))), 'inclusion_failed'],
    ['a missing proof hash', () => formatReceipt({ ...r, proof: r.proof.slice(1) }), 'inclusion_failed'],
    ['an extra proof hash', () => formatReceipt({ ...r, proof: [...r.proof, r.proof[0]!] }), 'inclusion_failed'],
    ['an index beyond the checkpoint', () => formatReceipt({ ...receiptOf(bundle, 5, 6), checkpoint: signLeaves(bundle.leaves.slice(0, 5), bundle.key, { chainHead: true }).note }), 'inclusion_failed'],
    [
      'the checkpoint re-signed with another key',
      () => formatReceipt({ ...r, checkpoint: signCheckpoint(bundle.checkpoint, parseSignerKey(generateLogKey(bundle.origin).skey)) }),
      'checkpoint_signature',
    ],
    ['a checkpoint of another ledger', () => formatReceipt({ ...r, checkpoint: other.files.checkpoint }), 'checkpoint_signature'],
    ["a checkpoint of another ledger, given that ledger's key", () => formatReceipt({ ...r, checkpoint: other.files.checkpoint }), 'origin_mismatch', { logKey: other.key.vkey }],
    ['a changed checkpoint root', () => formatReceipt({ ...r, checkpoint: r.checkpoint.replace(/\n([A-Za-z0-9+/]{4})/, (_, b) => `\n${b === 'AAAA' ? 'BBBB' : 'AAAA'}`) }), 'checkpoint_signature'],
    [
      'a malformed chain head',
      () => formatReceipt({ ...r, checkpoint: signCheckpoint({ ...bundle.checkpoint, extensions: ['chain-head 00'] }, parseSignerKey(bundle.key.skey)) }),
      'checkpoint_malformed',
    ],
    ['a malformed line', () => editLine(text, 3, () => 'index -1'), 'malformed'],
  ];
  it.each(cases)('fails with the right reason: %s', (_, make, reason, k) => {
    const v = verifyReceipt(make(), k ?? keys);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.reason).toBe(reason);
    expect(describeReceiptVerdict(v)).toMatch(new RegExp(`^invalid receipt: ${reason}: `));
  });

  it('gives the expected and computed root when the proof fails', () => {
    const v = verifyReceipt(withEntry(r.entry.replace('"nilai":', '"nilai":1')), keys);
    expect(v).toMatchObject({ ok: false, reason: 'inclusion_failed', expected: toBase64(bundle.checkpoint.root) });
  });

  it('names the line of the checkpoint when it does not open', () => {
    const v = verifyReceipt(formatReceipt({ ...r, checkpoint: other.files.checkpoint }), keys);
    expect(v).toMatchObject({ ok: false, line: 3 + r.proof.length + 2 });
  });

  it('refuses a log key that is not a key', () => {
    expect(verifyReceipt(text, { logKey: 'not a key' })).toMatchObject({ ok: false, reason: 'bad_key' });
  });
});

describe('verifyReceiptStillThere', () => {
  const grown = buildBundle({ size: 40, chainHead: true, key: bundle.key });
  const early = receiptOf(grown, 7, 13);
  const proof = (from: number, to: number) => consistencyProof(from, to, nodesOf(grown.leaves.slice(0, to)));

  it('passes when the newer checkpoint extends the receipt’s', () => {
    const v = verifyReceiptStillThere(formatReceipt(early), grown.files.checkpoint, proof(13, 40), keys);
    expect(v).toMatchObject({ ok: true, seq: 7 });
    if (!v.ok) return;
    expect(v.newer.size).toBe(40);
    expect(describeReceiptVerdict(v)).toMatch(/; still there at size 40 \(root /);
  });

  it('takes the proof hashes in base64, as the API serves them', () => {
    expect(verifyReceiptStillThere(early, grown.files.checkpoint, proof(13, 40).map(toBase64), keys).ok).toBe(true);
  });

  it('passes against the same checkpoint with an empty proof', () => {
    expect(verifyReceiptStillThere(early, early.checkpoint, [], keys).ok).toBe(true);
  });

  it('fails for a rewritten ledger signed with the same key', () => {
    // The same log key signs a history in which entry 7 was changed and everything after re-chained.
    const rewritten = buildBundle({
      size: 40,
      chainHead: true,
      key: bundle.key,
      edit: (drafts) => drafts.map((d) => (d.seq === 7 ? { ...d, payload: { ...d.payload, nilai: 100 } } : d)),
    });
    const nodes = nodesOf(rewritten.leaves);
    const v = verifyReceiptStillThere(early, rewritten.files.checkpoint, consistencyProof(13, 40, nodes), keys);
    expect(v).toMatchObject({ ok: false, reason: 'consistency_failed' });
    // The forger's best try, the honest proof, fails too.
    expect(verifyReceiptStillThere(early, rewritten.files.checkpoint, proof(13, 40), keys)).toMatchObject({ ok: false, reason: 'consistency_failed' });
  });

  it('fails for a newer checkpoint under another key, a smaller one, or a bad proof hash', () => {
    const foreign = buildBundle({ size: 40, chainHead: true });
    expect(verifyReceiptStillThere(early, foreign.files.checkpoint, proof(13, 40), keys)).toMatchObject({ ok: false, reason: 'newer_checkpoint' });
    const smaller = signLeaves(grown.leaves.slice(0, 12), bundle.key, { chainHead: true }).note;
    expect(verifyReceiptStillThere(early, smaller, [], keys)).toMatchObject({ ok: false, reason: 'newer_checkpoint' });
    expect(verifyReceiptStillThere(early, grown.files.checkpoint, ['AAAA'], keys)).toMatchObject({ ok: false, reason: 'consistency_failed' });
  });

  it('fails first on the receipt itself', () => {
    const bad = formatReceipt({ ...early, index: 8 });
    expect(verifyReceiptStillThere(bad, grown.files.checkpoint, proof(13, 40), keys)).toMatchObject({ ok: false, reason: 'index_mismatch' });
  });
});

describe('the worked example of docs/ledger-format.md', () => {
  // The receipt of entry 0 of the three-entry example (§10 of the format), as printed in the "Receipts" section.
  const vkey = 'casn.tangerangselatankota.go.id/2026+0fb84f7e+AfRyeNPKUdsq+yRwV6SDFo5Ce8q4AJW8rV7GPLY7UkbA';
  const e0 =
    '{"actor":{"id":"panselnas-01","role":"officer"},"at":"2026-11-22T08:00:00.000Z","id":"3f1c2a9e-6b7d-4e21-9a4f-0c8d5e7b1a23","ledger":"casn.tangerangselatankota.go.id/2026","payload":{"jabatan":"Analis Kebijakan Ahli Pertama","kuota":2,"lokasi":"Tangerang Selatan — Kota"},"prev":"0000000000000000000000000000000000000000000000000000000000000000","schema":1,"seq":0,"stream":"formasi/F-01","type":"FormasiAnnounced","version":0}';
  const note =
    'casn.tangerangselatankota.go.id/2026\n3\n1jZAspWhDC3LTtXvltpG7ALna4i52oBZytCwNMRcxVQ=\nchain-head 939bbb848f2fa8a9768d6f3fbfce808a1b531f65003d08b62b95b17059fb51f1\n\n' +
    '— casn.tangerangselatankota.go.id/2026 D7hPfiepVkD2xZCU7DTcUimy8CK7QANBS2MK3emkbVc0JJRvCTHD8CLeeDmsi9Hdiy3Wxqq6u9q/tjEYocilPXsFLgQ=\n';
  const receipt: Receipt = {
    entry: e0,
    index: 0,
    proof: ['wdYIB8Mw+qgWFNHexp85swcc0Vk1VWbFL95pJ7/+8bk=', 'k5u7hI8vqKl2jW8/v86AihtTH2UAPQi2K5WxcFn7UfE='].map((h) => fromBase64(h)!),
    checkpoint: note,
  };

  it('verifies', () => {
    expect(sealEntry(JSON.parse(e0) as Parameters<typeof sealEntry>[0]).text).toBe(e0);
    const v = verifyReceipt(formatReceipt(receipt), { logKey: vkey });
    expect(v).toMatchObject({ ok: true, seq: 0, type: 'FormasiAnnounced', stream: 'formasi/F-01' });
    expect(formatReceipt(receipt).split('\n').slice(2, 5)).toEqual(['index 0', 'wdYIB8Mw+qgWFNHexp85swcc0Vk1VWbFL95pJ7/+8bk=', 'k5u7hI8vqKl2jW8/v86AihtTH2UAPQi2K5WxcFn7UfE=']);
  });

  it('is the receipt printed in the "Receipts" section of docs/ledger-format.md, byte for byte', () => {
    const doc = readFileSync(new URL('../../../docs/ledger-format.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Receipts (offline proof of one entry)'));
    const example = section.slice(section.indexOf('### Worked example'));
    const block = /```\n([\s\S]*?)```/.exec(example)?.[1];
    expect(block).toBe(formatReceipt(receipt));
    expect(utf8(block!).length).toBe(996);
  });

  it('uses the chain-head helper the store uses', () => {
    expect(note).toContain(chainHeadExtension(fromBase64('k5u7hI8vqKl2jW8/v86AihtTH2UAPQi2K5WxcFn7UfE=')!));
  });
});

describe('witness cosignatures', () => {
  const witnesses = ['inspektorat.example.go.id', 'ombudsman.example.go.id', 'bpkp.example.go.id'].map((name) => cosignerFromSignerKey(generateSignerKey(name).skey));
  const r = receiptOf(bundle, 3);
  const text = r.checkpoint.slice(0, r.checkpoint.indexOf('\n\n') + 1);
  /** The receipt with cosignature lines by `by` appended to its checkpoint note. */
  const cosigned = (by: readonly typeof witnesses[number][], edit: (line: string) => string = (l) => l) =>
    formatReceipt({ ...r, checkpoint: r.checkpoint + by.map((w) => edit(formatCosignature(w.cosign(text, 1_790_000_000)))).join('') });
  const vkeys = witnesses.map((w) => w.vkey);

  it('counts the cosignatures of the given witnesses against the quorum', () => {
    const v = verifyReceipt(cosigned(witnesses.slice(0, 2)), { ...keys, witnessKeys: vkeys, quorum: 2 });
    expect(v).toMatchObject({ ok: true, unchecked: 0 });
    if (!v.ok) return;
    expect(v.cosigners.map((c) => c.name).sort()).toEqual(['inspektorat.example.go.id', 'ombudsman.example.go.id']);
    expect(v.cosigners[0]!.timestamp).toBe(1_790_000_000);
    expect(describeReceiptVerdict(v)).toMatch(/, cosigned by /);
  });

  it('fails when fewer witnesses than the quorum cosigned', () => {
    const v = verifyReceipt(cosigned(witnesses.slice(0, 1)), { ...keys, witnessKeys: vkeys, quorum: 2 });
    expect(v).toMatchObject({ ok: false, reason: 'quorum_not_met', expected: '>= 2', actual: '1', line: 3 + r.proof.length + 2 });
  });

  it('requires one cosignature by default when witness keys are given', () => {
    expect(verifyReceipt(formatReceipt(r), { ...keys, witnessKeys: vkeys })).toMatchObject({ ok: false, reason: 'quorum_not_met' });
    expect(verifyReceipt(cosigned(witnesses.slice(2)), { ...keys, witnessKeys: vkeys }).ok).toBe(true);
  });

  it("fails on a given witness's cosignature that does not verify", () => {
    const forged = cosigned(witnesses.slice(0, 1), (line) => line.replace(/[A-Za-z0-9+/]{4}=*\n$/, (tail) => (tail.startsWith('AAAA') ? 'BBBB' : 'AAAA') + tail.slice(4)));
    expect(verifyReceipt(forged, { ...keys, witnessKeys: vkeys, quorum: 0 })).toMatchObject({ ok: false, reason: 'quorum_not_met' });
  });

  it('leaves cosignatures unchecked without witness keys, and says how many', () => {
    const v = verifyReceipt(cosigned(witnesses), keys);
    expect(v).toMatchObject({ ok: true, cosigners: [], unchecked: 3 });
  });

  it('refuses a witness key that is not a cosignature key', () => {
    expect(verifyReceipt(cosigned(witnesses), { ...keys, witnessKeys: [bundle.key.vkey] })).toMatchObject({ ok: false, reason: 'bad_key' });
  });

  it('keeps the quorum on the receipt, not on the newer checkpoint, when proving it still there', () => {
    const v = verifyReceiptStillThere(cosigned(witnesses.slice(0, 2)), r.checkpoint, [], { ...keys, witnessKeys: vkeys, quorum: 2 });
    expect(v).toMatchObject({ ok: true });
  });
});
