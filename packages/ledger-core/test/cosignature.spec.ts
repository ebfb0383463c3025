// C2SP tlog-cosignature v1 (Ed25519, type 0x04): keys, lines, messages, quorum, the witness's
// growth rule, witness lists and the tlog-witness add-checkpoint body.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openCheckpoint, signCheckpoint } from '../src/checkpoint.ts';
import {
  AddCheckpointError,
  NoteError,
  WitnessListError,
  checkCosignature,
  checkCosignatureQuorum,
  checkWitnessGrowth,
  consistencyProof,
  cosignatureMessage,
  cosignatureVerifierKey,
  cosignatureVerifierKeyOf,
  cosignerFromSignerKey,
  formatAddCheckpoint,
  formatCosignature,
  formatWitnessList,
  generateSignerKey,
  noteText,
  openNote,
  parseAddCheckpoint,
  parseCosignature,
  parseCosignatureVerifierKey,
  parseSignerKey,
  parseVerifierKey,
  rootFromLeafHashes,
  parseWitnessList,
  toHex,
  fromBase64,
  type Cosigner,
  type NodeRef,
} from '../src/index.ts';
import { describeVectors, readJsonVector, testdataDir } from './testdata.ts';

// A hand-checked vector. The witness seed is SHA-256(UTF-8("casn witness cosignature example"))
// = cb3b99081a57caf65024d8a5f70dbfcc9253f9907a4afe5b6db1a63f80623fb3 (never derive a real key
// this way). The checkpoint is the worked example of docs/ledger-format.md §10. The expected key
// ids, vkey and line were reproduced independently with Python's `cryptography` package:
//   sk = Ed25519PrivateKey.from_private_bytes(seed); pub = raw public bytes
//   kid = sha256(b"inspektorat.example.go.id\n\x04" + pub)[:4]            -> e7f54369
//   msg = b"cosignature/v1\ntime 1795338000\n" + TEXT
//   line = "— inspektorat.example.go.id " + b64(kid + struct.pack(">Q", 1795338000) + sk.sign(msg))
const WITNESS = 'inspektorat.example.go.id';
const SEED_HEX = 'cb3b99081a57caf65024d8a5f70dbfcc9253f9907a4afe5b6db1a63f80623fb3';
const SKEY = 'PRIVATE+KEY+inspektorat.example.go.id+019e0601+Acs7mQgaV8r2UCTYpfcNv8ySU/mQekr+W22xpj+AYj+z';
const NOTE_VKEY = 'inspektorat.example.go.id+019e0601+AYMSnS+I2qgQuLAx7gp3+jGSJUciY1/BinwtZ6KJ25Gy';
const COSIG_VKEY = 'inspektorat.example.go.id+e7f54369+BIMSnS+I2qgQuLAx7gp3+jGSJUciY1/BinwtZ6KJ25Gy';
const TEXT =
  'casn.tangerangselatankota.go.id/2026\n3\n1jZAspWhDC3LTtXvltpG7ALna4i52oBZytCwNMRcxVQ=\n' +
  'chain-head 939bbb848f2fa8a9768d6f3fbfce808a1b531f65003d08b62b95b17059fb51f1\n';
const LOG_VKEY = 'casn.tangerangselatankota.go.id/2026+0fb84f7e+AfRyeNPKUdsq+yRwV6SDFo5Ce8q4AJW8rV7GPLY7UkbA';
const LOG_LINE = '— casn.tangerangselatankota.go.id/2026 D7hPfiepVkD2xZCU7DTcUimy8CK7QANBS2MK3emkbVc0JJRvCTHD8CLeeDmsi9Hdiy3Wxqq6u9q/tjEYocilPXsFLgQ=\n';
const TIMESTAMP = 1795338000; // 2026-11-22T09:00:00Z
const LINE =
  '— inspektorat.example.go.id 5/VDaQAAAABrAq8QJX4Ts18dYHFCjlnj9oRl8MGUNtRnPZOuaTG/4IKs7wnCVyLyHisr8Eo/qr67vN22hOEcOLwZ1egMDfvtm0ypCQ==\n';
const SIG_HEX =
  '257e13b35f1d6071428e59e3f68465f0c19436d4673d93ae6931bfe082acef09c25722f21e2b2bf04a3faabebbbcddb684e11c38bc19d5e80c0dfbed9b4ca909';
const NOTE = `${TEXT}\n${LOG_LINE}`;

// Parse-only vectors: C2SP tlog-cosignature.md's example line (no key published) and
// transparency-dev/formats note/note_cosigv1_test.go (TestCoSigV1Timestamp, TestCoSigV1NewVerifier).
const SPEC_EXAMPLE = '— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==';
const FORMATS_TIMESTAMP = '— w ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==';
const FORMATS_WRONG_TYPE = '— w eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=';
const REMORA = 'remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2';
const FORMATS_ED25519 = 'TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6';

function malformed(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof NoteError) return e.code;
    throw e;
  }
  return 'accepted';
}

function witness(name: string): Cosigner {
  return cosignerFromSignerKey(generateSignerKey(name).skey);
}

describe('cosignature keys', () => {
  it('derives the type-0x04 key id and vkey of the hand-checked vector from the signed-note key file', () => {
    const c = cosignerFromSignerKey(SKEY);
    expect(toHex(c.publicKey)).toBe(toHex(fromBase64(NOTE_VKEY.split('+').slice(2).join('+'))!.slice(1)));
    expect(c.keyId.toString(16)).toBe('e7f54369');
    expect(c.vkey).toBe(COSIG_VKEY);
    expect(cosignatureVerifierKeyOf(NOTE_VKEY)).toBe(COSIG_VKEY);
    expect(cosignatureVerifierKey(WITNESS, c.publicKey)).toBe(COSIG_VKEY);
    // The same key as a log key (0x01) has another id: the two can never be confused.
    expect(parseVerifierKey(NOTE_VKEY).keyId.toString(16)).toBe('19e0601');
    // The seed in the file is the documented one.
    expect(toHex(fromBase64(SKEY.split('+').slice(4).join('+'))!.slice(1))).toBe(SEED_HEX);
  });

  it('parses native 0x04 vkeys (transparency-dev/formats) and refuses 0x01 keys with a way out', () => {
    const v = parseCosignatureVerifierKey(REMORA);
    expect([v.name, v.keyId.toString(16), v.publicKey.length]).toEqual(['remora.n621.de', 'da77ade7', 32]);
    expect(parseCosignatureVerifierKey(COSIG_VKEY).vkey).toBe(COSIG_VKEY);
    expect(() => parseCosignatureVerifierKey(FORMATS_ED25519)).toThrow(/signed-note \(type 0x01\) key, not a cosignature key/);
    expect(() => parseCosignatureVerifierKey(NOTE_VKEY)).toThrow(/--print-vkey/);
    // A converted 0x01 key is a valid 0x04 key of the same public key.
    expect(parseCosignatureVerifierKey(cosignatureVerifierKeyOf(FORMATS_ED25519)).name).toBe('TEST');
    // And a signed-note verifier refuses the 0x04 form.
    expect(malformed(() => parseVerifierKey(COSIG_VKEY))).toBe('malformed_key');
  });

  it('refuses every malformed vkey: wrong id, wrong length, bad base64, bad name, uppercase id', () => {
    const bad = [
      'inspektorat.example.go.id+00000000+BIMSnS+I2qgQuLAx7gp3+jGSJUciY1/BinwtZ6KJ25Gy',
      'inspektorat.example.go.id+E7F54369+BIMSnS+I2qgQuLAx7gp3+jGSJUciY1/BinwtZ6KJ25Gy',
      'inspektorat.example.go.id+e7f54369+BIMSnS+I2qgQuLAx7gp3+jGSJUciY1/BinwtZ6KJ25G',
      'inspektorat.example.go.id+e7f54369',
      'two words+e7f54369+BIMSnS+I2qgQuLAx7gp3+jGSJUciY1/BinwtZ6KJ25Gy',
      'rekor.sigstore.dev+12345678+AwEB',
      '',
    ];
    for (const vkey of bad) expect(malformed(() => parseCosignatureVerifierKey(vkey)), vkey).toBe('malformed_key');
    // Every single-character change of a valid key is refused (as Go's TestNewVerifier does for 0x01 keys).
    for (let i = 0; i < COSIG_VKEY.length; i++) {
      const ch = COSIG_VKEY[i] === 'A' ? 'B' : 'A';
      const changed = COSIG_VKEY.slice(0, i) + ch + COSIG_VKEY.slice(i + 1);
      expect(malformed(() => parseCosignatureVerifierKey(changed)), `change at ${i}`).toBe('malformed_key');
    }
  });
});

describe('cosignature lines', () => {
  it('signs the hand-checked vector byte for byte (Ed25519 is deterministic)', () => {
    const c = cosignerFromSignerKey(SKEY);
    const cosig = c.cosign(TEXT, TIMESTAMP);
    expect(toHex(cosig.signature)).toBe(SIG_HEX);
    expect(formatCosignature(cosig)).toBe(LINE);
    expect(new TextDecoder().decode(cosignatureMessage(TEXT, TIMESTAMP))).toBe(`cosignature/v1\ntime 1795338000\n${TEXT}`);
  });

  it('verifies the vector under the configured witness key and refuses any change', () => {
    const w = parseCosignatureVerifierKey(COSIG_VKEY);
    // The cosigned checkpoint is the worked example, signed by its log key.
    expect(openCheckpoint(NOTE, LOG_VKEY).ok).toBe(true);
    expect(checkCosignature(LINE, TEXT, [w])).toMatchObject({ ok: true, cosignature: { name: WITNESS, timestamp: TIMESTAMP } });
    // Another body, another timestamp, an unknown key, a flipped signature bit.
    expect(checkCosignature(LINE, TEXT.replace('\n3\n', '\n4\n'), [w])).toMatchObject({ ok: false, error: 'invalid_signature' });
    const parsed = parseCosignature(LINE);
    const later = formatCosignature({ ...parsed, timestamp: TIMESTAMP + 1 });
    expect(checkCosignature(later, TEXT, [w])).toMatchObject({ ok: false, error: 'invalid_signature' });
    expect(checkCosignature(LINE, TEXT, [parseCosignatureVerifierKey(REMORA)])).toMatchObject({ ok: false, error: 'unknown_witness' });
    const flipped = Uint8Array.from(parsed.signature);
    flipped[10]! ^= 1;
    expect(checkCosignature(formatCosignature({ ...parsed, signature: flipped }), TEXT, [w])).toMatchObject({ ok: false, error: 'invalid_signature' });
    // The same name with another key id is another key.
    expect(checkCosignature(formatCosignature({ ...parsed, keyId: parsed.keyId ^ 1 }), TEXT, [w])).toMatchObject({ ok: false, error: 'unknown_witness' });
  });

  it('a cosignature is no log signature and a log signature is no cosignature (domain separation by type byte and header)', () => {
    const w = parseCosignatureVerifierKey(COSIG_VKEY);
    const plain = parseSignerKey(SKEY).sign(new TextEncoder().encode(TEXT));
    // A plain signature of the text, under the 0x04 key id: the wrong length, then (with a zero timestamp) the wrong message.
    const asLine = (sig: Uint8Array) => {
      const raw = new Uint8Array(4 + sig.length);
      new DataView(raw.buffer).setUint32(0, w.keyId, false);
      raw.set(sig, 4);
      return `— ${WITNESS} ${Buffer.from(raw).toString('base64')}`;
    };
    expect(checkCosignature(asLine(plain), TEXT, [w])).toMatchObject({ ok: false, error: 'malformed' });
    expect(checkCosignature(asLine(Uint8Array.from([...new Uint8Array(8), ...plain])), TEXT, [w])).toMatchObject({ ok: false, error: 'invalid_signature' });
    // The cosignature line carries the 0x04 key id, which a signed-note (0x01) verifier of the same key does not know.
    expect(malformed(() => openNote(`${TEXT}\n${LINE}`, [parseVerifierKey(NOTE_VKEY)]))).toBe('no_verifiable_signatures');
    // As a NoteVerifier the witness key opens the note it cosigned.
    expect(openNote(`${NOTE}${LINE}`, [w]).verified.map((s) => s.name)).toEqual([WITNESS]);
  });

  it('parses the C2SP spec example and the transparency-dev/formats timestamp vector (parse only: no keys published)', () => {
    const spec = parseCosignature(SPEC_EXAMPLE);
    expect([spec.name, spec.keyId.toString(16), spec.timestamp, spec.signature.length]).toEqual(['witness.example.com/w1', '8d66cf3f', 1679315147, 64]);
    const formats = parseCosignature(FORMATS_TIMESTAMP);
    expect([formats.keyId.toString(16), formats.timestamp]).toEqual(['646846b9', 1727964367]);
    // formats' "wrong type of signature" (a 0x01 note signature: key id and 64 bytes) is not a cosignature.
    expect(() => parseCosignature(FORMATS_WRONG_TYPE)).toThrow(/76 bytes/);
    // Round trip: formatting a parsed line gives it back.
    expect(formatCosignature(spec)).toBe(`${SPEC_EXAMPLE}\n`);
  });

  it('refuses malformed lines: no dash, no name, bad base64, timestamps beyond 2^63-1 and 2^53-1', () => {
    const raw = fromBase64(LINE.slice(LINE.lastIndexOf(' ') + 1, -1))!;
    const withTimestamp = (hi: number): string => {
      const b = Uint8Array.from(raw);
      new DataView(b.buffer).setUint32(4, hi, false);
      return `— ${WITNESS} ${Buffer.from(b).toString('base64')}`;
    };
    expect(() => parseCosignature(withTimestamp(0x80000000))).toThrow(/2\^63/);
    expect(() => parseCosignature(withTimestamp(0x00200000))).toThrow(/2\^53/);
    expect(() => parseCosignature(LINE.replace('— ', '- '))).toThrow(/EM DASH/);
    expect(() => parseCosignature('— ')).toThrow(/key name/);
    expect(() => parseCosignature(LINE.replace('==\n', '=\n'))).toThrow(/base64/);
    expect(() => parseCosignature(`${LINE}${LINE}`)).toThrow(/one line/);
  });
});

describe('quorum', () => {
  const log = generateSignerKey('casn.example.go.id/2026');
  const cp = { origin: 'casn.example.go.id/2026', size: 5, root: new Uint8Array(32).fill(7), extensions: [] };
  const signed = signCheckpoint(cp, parseSignerKey(log.skey));
  const text = noteText(signed)!;
  const a = witness('inspektorat.example.go.id');
  const b = witness('ombudsman.example.go.id');
  const c = witness('third.example.org');
  const cosigned = signed + formatCosignature(a.cosign(text, 1_800_000_000)) + formatCosignature(b.cosign(text, 1_800_000_001));
  const keys = [a, b, c].map((w) => parseCosignatureVerifierKey(w.vkey));

  it('counts valid cosignatures by distinct configured keys, and the log signature still opens the note', () => {
    const met = checkCosignatureQuorum(cosigned, keys, 2);
    expect(met.ok && met.cosigners.map((x) => [x.witness.name, x.timestamp])).toEqual([
      ['inspektorat.example.go.id', 1_800_000_000],
      ['ombudsman.example.go.id', 1_800_000_001],
    ]);
    expect(openCheckpoint(cosigned, log.vkey).ok).toBe(true);
    const unmet = checkCosignatureQuorum(cosigned, keys, 3);
    expect(unmet).toMatchObject({ ok: false, expected: '>= 3', actual: '2' });
    expect(!unmet.ok && unmet.reason).toContain('2 valid cosignature(s) by the configured witnesses (inspektorat.example.go.id, ombudsman.example.go.id); the quorum is 3');
    expect(checkCosignatureQuorum(signed, keys, 1)).toMatchObject({ ok: false, actual: '0' });
    expect(checkCosignatureQuorum(signed, keys, 0).ok).toBe(true);
  });

  it('counts one key once, whatever names it is listed under', () => {
    const alias = parseCosignatureVerifierKey(cosignatureVerifierKey('alias.example', a.publicKey));
    const aliasLine = formatCosignature({ ...a.cosign(text, 1_800_000_002), name: 'alias.example', keyId: alias.keyId });
    const v = checkCosignatureQuorum(signed + formatCosignature(a.cosign(text, 1_800_000_000)) + aliasLine, [keys[0]!, alias, keys[1]!], 2);
    expect(v).toMatchObject({ ok: false, actual: '1' });
  });

  it('fails on a bad cosignature by a configured witness, on the log key posing as a witness, on a quorum above the keys', () => {
    const wrong = formatCosignature(a.cosign(text.replace('\n5\n', '\n6\n'), 1_800_000_000));
    expect(checkCosignatureQuorum(signed + wrong, keys, 0)).toMatchObject({ ok: false, reason: expect.stringMatching(/invalid signature by inspektorat/) as unknown });
    const self = parseCosignatureVerifierKey(cosignatureVerifierKeyOf(log.vkey));
    expect(checkCosignatureQuorum(cosigned, [self], 0, { logKey: parseVerifierKey(log.vkey) })).toMatchObject({ ok: false, reason: expect.stringMatching(/log's own key/) as unknown });
    expect(checkCosignatureQuorum(cosigned, keys.slice(0, 1), 2)).toMatchObject({ ok: false, reason: expect.stringMatching(/exceeds the 1 distinct witness key/) as unknown });
  });
});

describeVectors('legacy witness signatures in the conformance vectors', 'c2sp-signed-note/checkpoints.json', () => {
  interface Signed {
    desc: string;
    note: string;
    vkeys: string[];
  }
  const file = testdataDir ? readJsonVector<{ signed: Signed[] }>('c2sp-signed-note/checkpoints.json') : undefined;

  it('the sum.golang.org witnesses signed with plain 0x01 note signatures: they are not tlog-cosignature v1 and count 0 toward a quorum', () => {
    const c = file!.signed.find((s) => s.desc.includes('3 witness cosignatures'))!;
    const [logKey, ...witnessKeys] = c.vkeys;
    // As 0x01 keys they verify the note (what the vectors assert) ...
    expect(openNote(c.note, witnessKeys.map(parseVerifierKey)).verified.map((s) => s.name)).toEqual(['monkeys', 'bananas', 'witness']);
    // ... but they are refused as cosignature keys, and their 0x04 forms match no line (other key ids).
    for (const k of witnessKeys) expect(malformed(() => parseCosignatureVerifierKey(k))).toBe('malformed_key');
    const converted = witnessKeys.map((k) => parseCosignatureVerifierKey(cosignatureVerifierKeyOf(k)));
    expect(checkCosignatureQuorum(c.note, converted, 1, { logKey: parseVerifierKey(logKey!) })).toMatchObject({ ok: false, actual: '0' });
    // And their lines do not parse as cosignatures (68 bytes, not 76).
    const lines = c.note.slice(c.note.lastIndexOf('\n\n') + 2).split('\n').filter((l) => l.startsWith('— monkeys'));
    expect(() => parseCosignature(lines[0]!)).toThrow(/76 bytes/);
  });
});

describe('the witness growth rule', () => {
  // Leaves as RFC 6962 leaf hashes of "0", "1", …, so trees of any size can be built and rewritten.
  const leaf = (s: string): Uint8Array => new Uint8Array(createHash('sha256').update(Buffer.concat([Buffer.of(0), Buffer.from(s)])).digest());
  const leaves = Array.from({ length: 20 }, (_, i) => leaf(String(i)));
  const rewritten = leaves.map((l, i) => (i === 3 ? leaf('3, rewritten') : l));
  const node = (ls: readonly Uint8Array[]) => (ref: NodeRef) => rootFromLeafHashes(ls.slice(ref.index * 2 ** ref.level, (ref.index + 1) * 2 ** ref.level));
  const tree = (ls: readonly Uint8Array[], n: number) => ({ size: n, root: rootFromLeafHashes(ls.slice(0, n)) });

  it('accepts the first checkpoint, growth with a good proof, and the same checkpoint again', () => {
    expect(checkWitnessGrowth(undefined, tree(leaves, 7), []).ok).toBe(true);
    expect(checkWitnessGrowth(tree(leaves, 7), tree(leaves, 13), consistencyProof(7, 13, node(leaves))).ok).toBe(true);
    expect(checkWitnessGrowth(tree(leaves, 8), tree(leaves, 20), consistencyProof(8, 20, node(leaves))).ok).toBe(true);
    expect(checkWitnessGrowth(tree(leaves, 13), tree(leaves, 13), []).ok).toBe(true);
    expect(checkWitnessGrowth(tree(leaves, 0), tree(leaves, 5), []).ok).toBe(true);
  });

  it('refuses a smaller checkpoint, the same size with another root, and a rewritten history', () => {
    expect(checkWitnessGrowth(tree(leaves, 13), tree(leaves, 7), [])).toMatchObject({ ok: false, error: 'smaller', actual: '7' });
    expect(checkWitnessGrowth(tree(leaves, 13), tree(rewritten, 13), [])).toMatchObject({ ok: false, error: 'same_size_different_root' });
    // The rewritten log's own proof joins its own roots, not the witness's.
    const v = checkWitnessGrowth(tree(leaves, 7), tree(rewritten, 13), consistencyProof(7, 13, node(rewritten)));
    expect(v).toMatchObject({ ok: false, error: 'inconsistent' });
    expect(!v.ok && v.reason).toContain('not consistent with the last one cosigned (size 7)');
    expect(checkWitnessGrowth(tree(leaves, 7), tree(leaves, 13), [])).toMatchObject({ ok: false, error: 'inconsistent' });
  });
});

describe('witness lists', () => {
  const a = witness('inspektorat.example.go.id');
  const b = witness('ombudsman.example.go.id');

  it('reads "<vkey> [url]" lines with comments and blank lines, and writes them back', () => {
    const text = `# witnesses of this deployment\n${a.vkey} https://witness.inspektorat.example.go.id/\n\n  ${b.vkey}\n`;
    const list = parseWitnessList(text);
    expect(list.map((w) => [w.verifier.name, w.url])).toEqual([
      ['inspektorat.example.go.id', 'https://witness.inspektorat.example.go.id'],
      ['ombudsman.example.go.id', undefined],
    ]);
    const flat = (l: typeof list) => l.map((w) => [w.verifier.vkey, w.url]);
    expect(flat(parseWitnessList(formatWitnessList(list)))).toEqual(flat(list));
  });

  it('names the line of a bad key, a bad URL, a duplicate or extra words', () => {
    const cases: [string, RegExp][] = [
      [`${a.vkey}\nnot-a-key\n`, /^line 2: witness key is not/],
      [`${a.vkey} ftp://x.example\n`, /^line 1: the witness URL must be/],
      [`${a.vkey}\n${a.vkey}\n`, /^line 2: .*listed twice/],
      [`${a.vkey} https://x.example extra\n`, /^line 1: expected/],
      [`${NOTE_VKEY}\n`, /^line 1: this is a signed-note/],
    ];
    for (const [text, want] of cases) {
      expect(() => parseWitnessList(text)).toThrow(WitnessListError);
      expect(() => parseWitnessList(text)).toThrow(want);
    }
  });
});

describe('add-checkpoint bodies (C2SP tlog-witness)', () => {
  // The example request body of tlog-witness.md.
  const SPEC_BODY =
    'old 20852014\n' +
    'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\njrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n' +
    '5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n\n' +
    'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
    '— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n' +
    '— example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n';

  it('parses the spec example and formats it back byte for byte', () => {
    const r = parseAddCheckpoint(SPEC_BODY);
    expect(r.oldSize).toBe(20852014);
    expect(r.proof).toHaveLength(4);
    expect(r.checkpoint.startsWith('example.com/behind-the-sofa\n20852163\n')).toBe(true);
    expect(formatAddCheckpoint(r)).toBe(SPEC_BODY);
    expect(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: NOTE })).toBe(`old 0\n\n${NOTE}`);
  });

  it('refuses bodies that break the protocol', () => {
    const bad = [
      'old 01\n\nx\n',
      'old -1\n\nx\n',
      'old 5\nnot base64\n\nx\n',
      'old 5\nAAAA\n\nx\n',
      'old 0\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n\nx\n',
      'old 5\n',
      'old 5\n\n',
      `old 5\n${'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n'.repeat(64)}\nx\n`,
      'new 5\n\nx\n',
    ];
    for (const body of bad) expect(() => parseAddCheckpoint(body), JSON.stringify(body)).toThrow(AddCheckpointError);
  });
});
