// Bundle verification with witnesses: cosignatures on the bundle's checkpoint, a quorum of
// distinct witness keys, and a witness-cosigned trusted checkpoint.
import { describe, expect, it } from 'vitest';
import { describeVerdict, verifyBundle } from '../src/bundle.ts';
import type { Verdict } from '../src/bundle.ts';
import { cosignatureVerifierKeyOf, cosignerFromSignerKey, formatCosignature, noteText } from '../src/cosignature.ts';
import { generateSignerKey } from '../src/note.ts';
import { buildBundle, generateLogKey, signLeaves } from './bundle-fixture.ts';

const key = generateLogKey();
const bundle = buildBundle({ size: 12, chainHead: true, key });
const inspektorat = cosignerFromSignerKey(generateSignerKey('inspektorat.example.go.id').skey);
const ombudsman = cosignerFromSignerKey(generateSignerKey('ombudsman.example.go.id').skey);
const stranger = cosignerFromSignerKey(generateSignerKey('stranger.example.org').skey);
const T = 1_795_338_000;

/** The bundle's checkpoint with the cosignatures of `witnesses` appended. */
function cosigned(note: string, ...witnesses: (typeof inspektorat)[]): string {
  const text = noteText(note)!;
  return note + witnesses.map((w, i) => formatCosignature(w.cosign(text, T + i))).join('');
}

function failure(v: Verdict): Extract<Verdict, { ok: false }> {
  if (v.ok) throw new Error(`expected a failure, got ${describeVerdict(v)}`);
  return v;
}

describe('verifyBundle with witnesses', () => {
  const witnesses = [inspektorat.vkey, `${ombudsman.vkey}\n`];

  it('accepts a checkpoint cosigned by a quorum of distinct witness keys and names the cosigners', () => {
    const files = { ...bundle.files, checkpoint: cosigned(bundle.files.checkpoint, inspektorat, ombudsman, stranger) };
    const v = verifyBundle(files, { witnesses, quorum: 2 });
    expect(v.ok && v.cosigners).toEqual(['inspektorat.example.go.id', 'ombudsman.example.go.id']);
    expect(describeVerdict(v)).toMatch(/, cosigned by inspektorat.example.go.id, ombudsman.example.go.id$/);
    // Without witness options the cosignatures are ignored lines, as before.
    const plain = verifyBundle(files);
    expect(plain.ok && plain.cosigners).toBeUndefined();
  });

  it('fails with a clear reason when fewer distinct witnesses than the quorum cosigned', () => {
    const files = { ...bundle.files, checkpoint: cosigned(bundle.files.checkpoint, inspektorat, stranger) };
    const v = failure(verifyBundle(files, { witnesses, quorum: 2 }));
    expect(v.seq).toBeUndefined();
    expect(v.reason).toBe(
      'witness quorum not met: the checkpoint carries 1 valid cosignature(s) by the configured witnesses (inspektorat.example.go.id); the quorum is 2',
    );
    expect([v.expected, v.actual]).toEqual(['>= 2', '1']);
    // An uncosigned checkpoint meets no quorum, and a quorum without keys is impossible.
    expect(failure(verifyBundle(bundle.files, { witnesses, quorum: 1 })).actual).toBe('0');
    expect(failure(verifyBundle(bundle.files, { quorum: 1 })).reason).toMatch(/exceeds the 0 distinct witness key/);
  });

  it('refuses a cosignature by a configured witness that does not verify (a cosignature of another checkpoint)', () => {
    const other = signLeaves(bundle.leaves.slice(0, 11), key, { chainHead: true }).note;
    const text = noteText(other)!;
    const stolen = formatCosignature(inspektorat.cosign(text, T));
    const v = failure(verifyBundle({ ...bundle.files, checkpoint: cosigned(bundle.files.checkpoint, ombudsman) + stolen }, { witnesses, quorum: 1 }));
    expect(v.reason).toMatch(/^witness quorum not met: cosignature does not verify: invalid signature by inspektorat.example.go.id\+/);
  });

  it('refuses a malformed witness key, and the log key posing as a witness', () => {
    expect(failure(verifyBundle(bundle.files, { witnesses: ['nonsense'], quorum: 0 })).reason).toMatch(/^witness key 1 is not a cosignature verifier key/);
    const self = cosignatureVerifierKeyOf(key.vkey);
    expect(failure(verifyBundle(bundle.files, { witnesses: [self] })).reason).toMatch(/log's own key/);
  });

  it('accepts a witness-cosigned trusted checkpoint, and still detects a rewritten history with one', () => {
    const old = signLeaves(bundle.leaves.slice(0, 5), key, { chainHead: true }).note;
    const trusted = cosigned(old, inspektorat, ombudsman);
    expect(verifyBundle(bundle.files, { trusted }).ok).toBe(true);
    const rewritten = buildBundle({ size: 12, chainHead: true, key, edit: (d) => d.map((e) => (e.seq === 2 ? { ...e, payload: { nilai: 100 } } : e)) });
    const v = failure(verifyBundle(rewritten.files, { trusted, witnesses, quorum: 0 }));
    expect([v.seq, v.reason]).toEqual([4, 'entries 0..4 differ from the trusted checkpoint (history rewritten)']);
  });
});
