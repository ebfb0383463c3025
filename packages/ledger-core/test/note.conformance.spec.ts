// C2SP signed notes against notes.json (C2SP examples and Go's sumdb/note tests; see ../shared/testdata/README.md).
import { expect, it } from 'vitest';
import { fromHex } from '../src/hash.ts';
import {
  NoteError,
  formatSignatureLine,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  type NoteSignature,
  type OpenedNote,
} from '../src/note.ts';
import { describeVectors, readJsonVector, testdataDir } from './testdata.ts';

interface WantSig {
  name: string;
  key_id: string | null;
}

interface NotesFile {
  keys: { vkey: string; skey?: string }[];
  bad_vkeys: { vkey: string; why: string }[];
  sign: { desc: string; skey: string; text: string; want_note: string }[];
  notes: {
    desc: string;
    note?: string;
    note_hex?: string;
    vkeys: string[];
    want: { error: string | null; text?: string; verified?: WantSig[]; unverified?: WantSig[] };
  }[];
}

const FILE = 'c2sp-signed-note/notes.json';
const PETER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';

function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/** Differences between signatures and their expectation; a null key_id is not asserted. */
function compareSigs(id: string, what: string, got: readonly NoteSignature[], want: readonly WantSig[]): string[] {
  const gotList = got.map((s, i) => ({ name: s.name, key_id: want[i]?.key_id === null ? null : keyIdHex(s.keyId) }));
  return JSON.stringify(gotList) === JSON.stringify(want) ? [] : [`${id}: ${what} ${JSON.stringify(gotList)} != ${JSON.stringify(want)}`];
}

function rejects(vkey: string): boolean {
  try {
    parseVerifierKey(vkey);
    return false;
  } catch (e) {
    return e instanceof NoteError && e.code === 'malformed_key';
  }
}

describeVectors('signed-note conformance vectors', FILE, () => {
  const file = testdataDir ? readJsonVector<NotesFile>(FILE) : undefined;

  it('keys: every vkey parses to its name and id; every skey matches its vkey and signs what it verifies', () => {
    const failures: string[] = [];
    let ran = 0;
    for (const [i, k] of (file?.keys ?? []).entries()) {
      ran++;
      const id = `notes.json keys[${i}] ${k.vkey.split('+')[0]}`;
      try {
        const v = parseVerifierKey(k.vkey);
        const [name, hexId] = k.vkey.split('+');
        if (v.name !== name || keyIdHex(v.keyId) !== hexId || v.vkey !== k.vkey) {
          failures.push(`${id}: parsed as ${v.name}+${keyIdHex(v.keyId)} (${v.vkey})`);
        }
        if (k.skey !== undefined) {
          const s = parseSignerKey(k.skey);
          if (s.vkey !== k.vkey || s.name !== v.name || s.keyId !== v.keyId) failures.push(`${id}: skey gives ${s.vkey}`);
          const msg = new TextEncoder().encode(`signed by ${s.name}\n`);
          const sig = s.sign(msg);
          if (!v.verify(msg, sig)) failures.push(`${id}: signature by skey does not verify under vkey`);
          if (v.verify(new TextEncoder().encode('something else\n'), sig)) failures.push(`${id}: signature verifies another message`);
        }
      } catch (e) {
        failures.push(`${id}: threw ${String(e)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(ran).toBe(11);
  });

  it('bad_vkeys, and every substring and single-byte increment of the PeterNeumann vkey, are rejected', () => {
    const failures: string[] = [];
    let ran = 0;
    for (const [i, k] of (file?.bad_vkeys ?? []).entries()) {
      ran++;
      if (!rejects(k.vkey)) failures.push(`notes.json bad_vkeys[${i}] (${k.why}): accepted`);
    }
    expect(ran).toBe(2);

    expect(rejects(PETER)).toBe(false);
    let mangled = 0;
    for (let i = 0; i <= PETER.length; i++) {
      for (let j = i + 1; j <= PETER.length; j++) {
        if (i === 0 && j === PETER.length) continue;
        mangled++;
        if (!rejects(PETER.slice(i, j))) failures.push(`PeterNeumann substring [${i}:${j}] accepted`);
      }
    }
    for (let i = 0; i < PETER.length; i++) {
      mangled++;
      const changed = PETER.slice(0, i) + String.fromCharCode(PETER.charCodeAt(i) + 1) + PETER.slice(i + 1);
      if (!rejects(changed)) failures.push(`PeterNeumann byte ${i} incremented accepted: ${changed}`);
    }
    expect(failures).toEqual([]);
    const n = PETER.length;
    expect(mangled).toBe((n * (n + 1)) / 2 - 1 + n);
  });

  it('sign: deterministic signing reproduces want_note byte for byte', () => {
    const failures: string[] = [];
    let ran = 0;
    for (const v of file?.sign ?? []) {
      ran++;
      const got = signNote(v.text, [parseSignerKey(v.skey)]);
      if (got !== v.want_note) failures.push(`notes.json sign "${v.desc}": got ${JSON.stringify(got)}`);
    }
    expect(failures).toEqual([]);
    expect(ran).toBe(1);
  });

  it('notes: every case opens to its expected error, text and signature lists', () => {
    const failures: string[] = [];
    let ran = 0;
    for (const [i, c] of (file?.notes ?? []).entries()) {
      ran++;
      const id = `notes.json notes[${i}] "${c.desc}"`;
      const input = c.note ?? fromHex(c.note_hex ?? '');
      const noteText = typeof input === 'string' ? input : new TextDecoder().decode(input);
      let opened: OpenedNote | undefined;
      let error: NoteError | undefined;
      try {
        opened = openNote(input, c.vkeys.map(parseVerifierKey));
      } catch (e) {
        if (!(e instanceof NoteError)) {
          failures.push(`${id}: threw ${String(e)}`);
          continue;
        }
        error = e;
      }
      if ((error?.code ?? null) !== c.want.error) {
        failures.push(`${id}: error ${error?.code ?? null} (${error?.message ?? ''}), want ${c.want.error}`);
        continue;
      }
      // For no_verifiable_signatures the error carries the parsed note, as Go's UnverifiedNoteError does.
      const got = opened ?? error?.note;
      if (c.want.text !== undefined) {
        if (got === undefined) {
          failures.push(`${id}: no note to compare`);
          continue;
        }
        if (got.text !== c.want.text) failures.push(`${id}: text ${JSON.stringify(got.text)}`);
        failures.push(...compareSigs(id, 'verified', got.verified, c.want.verified ?? []));
        failures.push(...compareSigs(id, 'unverified', got.unverified, c.want.unverified ?? []));
        for (const s of [...got.verified, ...got.unverified]) {
          if (!noteText.includes(formatSignatureLine(s))) failures.push(`${id}: ${s.name} does not re-format to a line of the note`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(ran).toBe(15);
  });
});
