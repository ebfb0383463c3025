// Unit tests of signed notes and checkpoints beyond the conformance vectors.
// Hashes are compared as hex: on Node, sha256 returns a Buffer, which toEqual tells apart from a Uint8Array.
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  chainHeadExtension,
  chainHeadOf,
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  type Checkpoint,
} from '../src/checkpoint.ts';
import { ed25519Verify } from '../src/ed25519.ts';
import { leafHash, sha256, toBase64, toHex, utf8 } from '../src/hash.ts';
import {
  NoteError,
  formatSignatureLine,
  generateSignerKey,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from '../src/note.ts';

const ORIGIN = 'casn.tangerangselatankota.go.id/2026';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof NoteError || e instanceof CheckpointError ? e.code : String(e);
  }
}

function keyPair(name: string) {
  const { skey, vkey } = generateSignerKey(name);
  return { signer: parseSignerKey(skey), verifier: parseVerifierKey(vkey) };
}

describe('signed notes', () => {
  it('round-trips sign and open with a generated key', () => {
    const { signer, verifier } = keyPair('example.test/log');
    expect(signer.vkey).toBe(verifier.vkey);
    const note = signNote('hello\nworld\n', [signer]);
    const opened = openNote(note, [verifier]);
    expect(opened.text).toBe('hello\nworld\n');
    expect(opened.verified.map((s) => [s.name, s.keyId])).toEqual([['example.test/log', verifier.keyId]]);
    expect(opened.unverified).toEqual([]);
    expect(note.endsWith(formatSignatureLine(opened.verified[0]!))).toBe(true);
    expect(openNote(utf8(note), [verifier]).text).toBe('hello\nworld\n');
  });

  it('generates distinct keys and refuses names Go refuses', () => {
    expect(generateSignerKey('a').vkey).not.toBe(generateSignerKey('a').vkey);
    for (const bad of ['', 'has space', 'has+plus', 'tab\there', 'nbsp\u00a0', 'nel\u0085', 'ctl\u0001']) {
      expect(codeOf(() => generateSignerKey(bad)), JSON.stringify(bad)).toBe('malformed_key');
    }
  });

  it('rejects tampered text', () => {
    const { signer, verifier } = keyPair('example.test/log');
    const note = signNote('size 10\n', [signer]);
    expect(codeOf(() => openNote(note.replace('size 10', 'size 11'), [verifier]))).toBe('invalid_signature');
  });

  it('ignores a signature by an unknown key and reports it as unverified', () => {
    const log = keyPair('example.test/log');
    const stranger = keyPair('stranger.test');
    const note = signNote('text\n', [log.signer, stranger.signer]);
    const opened = openNote(note, [log.verifier]);
    expect(opened.verified.map((s) => s.name)).toEqual(['example.test/log']);
    expect(opened.unverified.map((s) => [s.name, s.keyId])).toEqual([['stranger.test', stranger.verifier.keyId]]);
    // A verifier with the same name but another key is still unknown: the key id does not match.
    const impostor = keyPair('example.test/log');
    const err = (() => {
      try {
        openNote(note, [impostor.verifier]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(NoteError);
    expect((err as NoteError).code).toBe('no_verifiable_signatures');
    expect((err as NoteError).note?.unverified.length).toBe(2);
  });

  it('rejects a bad signature by a known key even beside a good one from the same key', () => {
    const { signer, verifier } = keyPair('example.test/log');
    const note = signNote('text\n', [signer]);
    const good = openNote(note, [verifier]).verified[0]!;
    const bad = { ...good, sig: good.sig.map((b, i) => (i === 0 ? b ^ 1 : b)) };
    expect(codeOf(() => openNote(note + formatSignatureLine(bad), [verifier]))).toBe('invalid_signature');
  });

  it('re-signing keeps other signatures and replaces the signer’s own', () => {
    const log = keyPair('example.test/log');
    const witness = keyPair('witness.test');
    const first = openNote(signNote('text\n', [log.signer, witness.signer]), [log.verifier, witness.verifier]);
    const again = signNote(first.text, [log.signer], first.verified);
    expect(again.split('\n').filter((l) => l.startsWith('\u2014 ')).map((l) => l.split(' ')[1])).toEqual([
      'witness.test',
      'example.test/log',
    ]);
    expect(openNote(again, [log.verifier, witness.verifier]).verified.length).toBe(2);
  });

  it('refuses to sign text that could not be opened', () => {
    const { signer } = keyPair('example.test/log');
    expect(codeOf(() => signNote('no final newline', [signer]))).toBe('malformed');
    expect(codeOf(() => signNote('bell\u0007\n', [signer]))).toBe('malformed');
    expect(codeOf(() => signNote('lone \ud800 surrogate\n', [signer]))).toBe('malformed');
  });

  it('keeps a leading byte-order mark as text, so the signature still verifies', () => {
    const { signer, verifier } = keyPair('example.test/log');
    const note = signNote('\ufeffwith bom\n', [signer]);
    expect(openNote(utf8(note), [verifier]).text).toBe('\ufeffwith bom\n');
  });

  it('refuses a signer key whose id does not match its seed', () => {
    const { skey } = generateSignerKey('example.test/log');
    const parts = skey.split('+');
    parts[3] = parts[3] === '00000000' ? '00000001' : '00000000';
    expect(codeOf(() => parseSignerKey(parts.join('+')))).toBe('malformed_key');
    expect(codeOf(() => parseSignerKey(skey.replace('PRIVATE', 'PUBLIC')))).toBe('malformed_key');
  });

  it('ed25519Verify returns false rather than throwing on wrong lengths', () => {
    expect(ed25519Verify(new Uint8Array(31), new Uint8Array(0), new Uint8Array(64))).toBe(false);
    expect(ed25519Verify(new Uint8Array(32), new Uint8Array(0), new Uint8Array(63))).toBe(false);
  });
});

describe('checkpoints', () => {
  const root = sha256(utf8('root'));

  it('round-trips a checkpoint carrying a chain-head extension', () => {
    const { signer, verifier } = keyPair(ORIGIN);
    const head = leafHash('{"seq":41}');
    const cp: Checkpoint = { origin: ORIGIN, size: 42, root, extensions: [chainHeadExtension(head)] };
    const note = signCheckpoint(cp, signer);
    expect(note.startsWith(`${ORIGIN}\n42\n`)).toBe(true);
    for (const key of [verifier, verifier.vkey]) {
      const verdict = openCheckpoint(note, key);
      expect(verdict.ok).toBe(true);
      if (!verdict.ok) continue;
      expect(verdict.checkpoint.size).toBe(42);
      expect(toHex(verdict.checkpoint.root)).toBe(toHex(root));
      expect(toHex(chainHeadOf(verdict.checkpoint) ?? new Uint8Array())).toBe(toHex(head));
      expect(formatCheckpoint(verdict.checkpoint)).toBe(verdict.note.text);
    }
  });

  it('checks the origin against the expected origin, else against the log key name', () => {
    const { signer, verifier } = keyPair('other.test/log');
    const note = signCheckpoint({ origin: ORIGIN, size: 1, root, extensions: [] }, signer);
    expect(openCheckpoint(note, verifier)).toMatchObject({ ok: false, error: 'origin_mismatch' });
    expect(openCheckpoint(note, verifier, { origin: ORIGIN }).ok).toBe(true);
    expect(openCheckpoint(note, verifier, { origin: 'elsewhere' })).toMatchObject({ ok: false, error: 'origin_mismatch' });
  });

  it('requires the log key among the verified signers, and witnesses to verify', () => {
    const log = keyPair(ORIGIN);
    const witness = keyPair('ombudsman.test');
    const cp: Checkpoint = { origin: ORIGIN, size: 3, root, extensions: [] };
    const witnessOnly = signCheckpoint(cp, witness.signer);
    expect(openCheckpoint(witnessOnly, log.verifier, { others: [witness.verifier] })).toMatchObject({
      ok: false,
      error: 'no_verifiable_signatures',
    });
    const both = signNote(formatCheckpoint(cp), [log.signer, witness.signer]);
    const verdict = openCheckpoint(both, log.verifier, { others: [witness.verifier] });
    expect(verdict.ok && verdict.note.verified.map((s) => s.name)).toEqual([ORIGIN, 'ombudsman.test']);
    const tampered = both.replace('\n3\n', '\n4\n');
    expect(openCheckpoint(tampered, log.verifier)).toMatchObject({ ok: false, error: 'invalid_signature' });
  });

  it('never throws: garbage notes and keys give a malformed verdict', () => {
    const { verifier } = keyPair(ORIGIN);
    expect(openCheckpoint('garbage', verifier)).toMatchObject({ ok: false, error: 'malformed' });
    expect(openCheckpoint('garbage', 'not a key')).toMatchObject({ ok: false, error: 'malformed' });
  });

  it('strict parsing rejects a 31-byte root that lax parsing accepts', () => {
    const body = formatCheckpoint({ origin: ORIGIN, size: 5, root, extensions: [] }).replace(
      /\n[^\n]+\n$/,
      `\n${toBase64(root.slice(0, 31))}\n`,
    );
    expect(codeOf(() => parseCheckpoint(body))).toBe('malformed');
    expect(parseCheckpoint(body, { strict: false }).root.length).toBe(31);
    expect(codeOf(() => formatCheckpoint({ origin: ORIGIN, size: 5, root: root.slice(0, 31), extensions: [] }))).toBe('malformed');
  });

  it('parses sizes: no leading zeros when strict, never beyond Number.MAX_SAFE_INTEGER', () => {
    const body = (size: string) => `${ORIGIN}\n${size}\n${toBase64(root)}\n`;
    expect(parseCheckpoint(body('0')).size).toBe(0);
    expect(parseCheckpoint(body(String(Number.MAX_SAFE_INTEGER))).size).toBe(Number.MAX_SAFE_INTEGER);
    expect(codeOf(() => parseCheckpoint(body('012')))).toBe('malformed');
    expect(parseCheckpoint(body('012'), { strict: false }).size).toBe(12);
    for (const size of ['9007199254740992', '18446744073709551615', '18446744073709551616', '+1', '1e3', ' 1']) {
      expect(codeOf(() => parseCheckpoint(body(size), { strict: false })), size).toBe('malformed');
    }
  });

  it('strict parsing rejects an empty extension line', () => {
    const text = `${formatCheckpoint({ origin: ORIGIN, size: 1, root, extensions: [] })}\n`;
    expect(codeOf(() => parseCheckpoint(text))).toBe('malformed');
    expect(parseCheckpoint(text, { strict: false }).extensions).toEqual(['']);
  });

  it('reads the chain head only from one well-formed line', () => {
    const head = leafHash('x');
    const cp = (extensions: string[]): Checkpoint => ({ origin: ORIGIN, size: 1, root, extensions });
    expect(chainHeadOf(cp(['other 1']))).toBeUndefined();
    expect(toHex(chainHeadOf(cp(['other 1', chainHeadExtension(head)])) ?? new Uint8Array())).toBe(toHex(head));
    expect(codeOf(() => chainHeadOf(cp([chainHeadExtension(head), chainHeadExtension(head)])))).toBe('malformed');
    expect(codeOf(() => chainHeadOf(cp([chainHeadExtension(head).toUpperCase().replace('CHAIN-HEAD', 'chain-head')])))).toBe(
      'malformed',
    );
    expect(codeOf(() => chainHeadExtension(head.slice(1)))).toBe('malformed');
  });
});
