// C2SP tlog-checkpoints against checkpoints.json (C2SP example, sum.golang.org, formats; see ../shared/testdata/README.md).
import { expect, it } from 'vitest';
import { CheckpointError, formatCheckpoint, openCheckpoint, parseCheckpoint } from '../src/checkpoint.ts';
import { toBase64 } from '../src/hash.ts';
import { NoteError, generateSignerKey, openNote, parseVerifierKey, type NoteSignature } from '../src/note.ts';
import { describeVectors, readJsonVector, testdataDir } from './testdata.ts';

interface WantSig {
  name: string;
  key_id: string | null;
}

interface CheckpointsFile {
  signed: {
    desc: string;
    note: string;
    vkeys: string[];
    origin?: string;
    want: {
      error: string | null;
      origin?: string;
      size?: number;
      root_hash_b64?: string;
      extensions?: string[];
      verified?: WantSig[];
      unverified?: WantSig[];
      signatures?: WantSig[];
    };
  }[];
  bodies: {
    desc: string;
    body: string;
    want_err_formats: boolean;
    want_err_c2sp_strict: boolean;
    origin?: string;
    size?: number;
    root_hash_utf8?: string;
    rest?: string;
  }[];
}

const FILE = 'c2sp-signed-note/checkpoints.json';

function compareSigs(id: string, what: string, got: readonly NoteSignature[], want: readonly WantSig[]): string[] {
  const gotList = got.map((s, i) => ({
    name: s.name,
    key_id: want[i]?.key_id === null ? null : s.keyId.toString(16).padStart(8, '0'),
  }));
  return JSON.stringify(gotList) === JSON.stringify(want) ? [] : [`${id}: ${what} ${JSON.stringify(gotList)} != ${JSON.stringify(want)}`];
}

/** The error code of parsing `body`; `strict` undefined uses the default mode. */
function parseError(body: string, strict?: boolean): string | undefined {
  try {
    parseCheckpoint(body, strict === undefined ? {} : { strict });
    return undefined;
  } catch (e) {
    return e instanceof CheckpointError ? e.code : `threw ${String(e)}`;
  }
}

describeVectors('tlog-checkpoint conformance vectors', FILE, () => {
  const file = testdataDir ? readJsonVector<CheckpointsFile>(FILE) : undefined;

  it('signed: every note opens to its expected verdict', () => {
    const failures: string[] = [];
    let ran = 0;
    for (const [i, c] of (file?.signed ?? []).entries()) {
      ran++;
      const id = `checkpoints.json signed[${i}] "${c.desc}"`;
      const [logVkey, ...otherVkeys] = c.vkeys;
      // A parse-only case has no published key: a fresh key with the expected name cannot have signed it.
      const logKey = logVkey ?? generateSignerKey(c.want.origin ?? 'unknown').vkey;
      const opts = {
        others: otherVkeys.map(parseVerifierKey),
        ...(c.origin === undefined ? {} : { origin: c.origin }),
      };
      const verdict = openCheckpoint(c.note, logKey, opts);
      if (c.want.error !== null) {
        if (verdict.ok || verdict.error !== c.want.error) {
          failures.push(`${id}: ${verdict.ok ? 'accepted' : `${verdict.error} (${verdict.message})`}, want ${c.want.error}`);
        }
        if (c.want.signatures !== undefined && c.want.origin !== undefined) {
          // Parse-only: the body and the unverified signature are still readable.
          try {
            openNote(c.note, []);
            failures.push(`${id}: note opened without keys`);
          } catch (e) {
            const note = e instanceof NoteError ? e.note : undefined;
            if (note === undefined) {
              failures.push(`${id}: ${String(e)}`);
            } else {
              const cp = parseCheckpoint(note.text);
              if (cp.origin !== c.want.origin || cp.size !== c.want.size || toBase64(cp.root) !== c.want.root_hash_b64) {
                failures.push(`${id}: parsed ${cp.origin} ${cp.size} ${toBase64(cp.root)}`);
              }
              if (JSON.stringify(cp.extensions) !== JSON.stringify(c.want.extensions)) failures.push(`${id}: extensions ${JSON.stringify(cp.extensions)}`);
              failures.push(...compareSigs(id, 'signatures', note.unverified, c.want.signatures));
            }
          }
        }
        continue;
      }
      if (!verdict.ok) {
        failures.push(`${id}: ${verdict.error} (${verdict.message}), want success`);
        continue;
      }
      const cp = verdict.checkpoint;
      if (cp.origin !== c.want.origin) failures.push(`${id}: origin ${cp.origin}`);
      if (cp.size !== c.want.size) failures.push(`${id}: size ${cp.size}`);
      if (toBase64(cp.root) !== c.want.root_hash_b64) failures.push(`${id}: root ${toBase64(cp.root)}`);
      if (JSON.stringify(cp.extensions) !== JSON.stringify(c.want.extensions)) failures.push(`${id}: extensions ${JSON.stringify(cp.extensions)}`);
      if (formatCheckpoint(cp) !== verdict.note.text) failures.push(`${id}: formatCheckpoint does not reproduce the signed text`);
      failures.push(...compareSigs(id, 'verified', verdict.note.verified, c.want.verified ?? []));
      failures.push(...compareSigs(id, 'unverified', verdict.note.unverified, c.want.unverified ?? []));
    }
    expect(failures).toEqual([]);
    expect(ran).toBe(5);
  });

  it('bodies: lax parsing matches want_err_formats (with origin, size, root and rest) and strict parsing matches want_err_c2sp_strict', () => {
    const failures: string[] = [];
    let ran = 0;
    for (const [i, b] of (file?.bodies ?? []).entries()) {
      ran++;
      const id = `checkpoints.json bodies[${i}] "${b.desc}"`;
      const lax = parseError(b.body, false);
      if ((lax !== undefined) !== b.want_err_formats || (lax !== undefined && lax !== 'malformed')) {
        failures.push(`${id}: lax ${lax ?? 'accepted'}, want_err_formats ${b.want_err_formats}`);
      }
      if (lax === undefined && !b.want_err_formats) {
        const cp = parseCheckpoint(b.body, { strict: false });
        const root = new TextDecoder().decode(cp.root);
        const rest = cp.extensions.map((e) => `${e}\n`).join('');
        if (cp.origin !== b.origin || cp.size !== b.size || root !== b.root_hash_utf8 || rest !== b.rest) {
          failures.push(`${id}: lax parsed ${JSON.stringify({ origin: cp.origin, size: cp.size, root, rest })}`);
        }
      }
      const strict = parseError(b.body, true);
      if ((strict !== undefined) !== b.want_err_c2sp_strict || (strict !== undefined && strict !== 'malformed')) {
        failures.push(`${id}: strict ${strict ?? 'accepted'}, want_err_c2sp_strict ${b.want_err_c2sp_strict}`);
      }
      if (parseError(b.body, true) !== parseError(b.body)) {
        failures.push(`${id}: default mode is not strict`);
      }
    }
    expect(failures).toEqual([]);
    expect(ran).toBe(12);
  });
});
