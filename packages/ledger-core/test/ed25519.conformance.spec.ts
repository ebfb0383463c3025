// Ed25519 (RFC 8032) against Wycheproof, DJB's sign.input and RFC 8032 §7.1 (see ../shared/testdata/README.md).
import { expect, it } from 'vitest';
import { ed25519PublicKey, ed25519Sign, ed25519Verify } from '../src/ed25519.ts';
import { bytesEqual, fromHex, toHex } from '../src/hash.ts';
import { describeVectors, readJsonVector, readVector } from './testdata.ts';

interface WycheproofFile {
  numberOfTests: number;
  testGroups: {
    publicKey: { pk: string };
    tests: { tcId: number; comment: string; msg: string; sig: string; result: 'valid' | 'invalid' | 'acceptable' }[];
  }[];
}

interface Rfc8032File {
  vectors: { name: string; secret_key: string; public_key: string; message: string; signature: string }[];
}

const DIR = 'rfc8032-ed25519';

describeVectors('ed25519 conformance vectors', `${DIR}/sign.input`, () => {
  it('Wycheproof ed25519_test.json: every test gets its expected result', () => {
    const file = readJsonVector<WycheproofFile>(`${DIR}/ed25519_test.json`);
    const failures: string[] = [];
    let ran = 0;
    let valid = 0;
    for (const group of file.testGroups) {
      const pk = fromHex(group.publicKey.pk);
      for (const t of group.tests) {
        ran++;
        const want = t.result === 'valid';
        if (want) valid++;
        const got = ed25519Verify(pk, fromHex(t.msg), fromHex(t.sig));
        if (got !== want) failures.push(`ed25519_test.json tcId ${t.tcId} (${t.comment}): want ${t.result}, verify=${got}`);
      }
    }
    expect(failures).toEqual([]);
    expect(ran).toBe(151);
    expect(ran).toBe(file.numberOfTests);
    expect(valid).toBe(88);
  });

  it('sign.input: every line derives its key, signs byte for byte and verifies', () => {
    const lines = readVector(`${DIR}/sign.input`).split('\n').filter((l) => l !== '');
    const failures: string[] = [];
    let ran = 0;
    lines.forEach((line, i) => {
      ran++;
      const id = `sign.input line ${i + 1}`;
      const [seedPk, pkHex, msgHex, sigMsgHex] = line.split(':');
      if (seedPk === undefined || pkHex === undefined || msgHex === undefined || sigMsgHex === undefined) {
        failures.push(`${id}: unparseable`);
        return;
      }
      const seed = fromHex(seedPk.slice(0, 64));
      const pk = fromHex(pkHex);
      const msg = fromHex(msgHex);
      const sigMsg = fromHex(sigMsgHex);
      const wantSig = sigMsg.slice(0, 64);
      if (msg.length !== i) failures.push(`${id}: message is ${msg.length} bytes, want ${i}`);
      if (seedPk.slice(64) !== pkHex) failures.push(`${id}: seed‖pk does not end with pk`);
      if (!bytesEqual(sigMsg.slice(64), msg)) failures.push(`${id}: sig‖msg does not end with msg`);
      const derived = ed25519PublicKey(seed);
      if (!bytesEqual(derived, pk)) failures.push(`${id}: public key ${toHex(derived)} != ${pkHex}`);
      const sig = ed25519Sign(seed, msg);
      if (!bytesEqual(sig, wantSig)) failures.push(`${id}: signature ${toHex(sig)} != ${toHex(wantSig)}`);
      if (!ed25519Verify(pk, msg, wantSig)) failures.push(`${id}: published signature does not verify`);
      const flipped = wantSig.slice();
      flipped[i % 64] = (flipped[i % 64] ?? 0) ^ 0x01;
      if (ed25519Verify(pk, msg, flipped)) failures.push(`${id}: signature with byte ${i % 64} flipped verifies`);
    });
    expect(failures).toEqual([]);
    expect(ran).toBe(1024);
  });

  it('rfc8032_section_7_1.json: every vector derives its key, signs byte for byte and verifies', () => {
    const file = readJsonVector<Rfc8032File>(`${DIR}/rfc8032_section_7_1.json`);
    const failures: string[] = [];
    let ran = 0;
    for (const v of file.vectors) {
      ran++;
      const seed = fromHex(v.secret_key);
      const msg = fromHex(v.message);
      const pub = ed25519PublicKey(seed);
      if (toHex(pub) !== v.public_key) failures.push(`rfc8032_section_7_1.json ${v.name}: public key ${toHex(pub)}`);
      const sig = ed25519Sign(seed, msg);
      if (toHex(sig) !== v.signature) failures.push(`rfc8032_section_7_1.json ${v.name}: signature ${toHex(sig)}`);
      if (!ed25519Verify(fromHex(v.public_key), msg, fromHex(v.signature))) {
        failures.push(`rfc8032_section_7_1.json ${v.name}: does not verify`);
      }
    }
    expect(failures).toEqual([]);
    expect(ran).toBe(5);
  });
});
