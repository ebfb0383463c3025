import { randomBytes } from 'node:crypto';
import { createTestDatabase, testEngine, type TestDatabase } from '@casn/event-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault, VaultError } from '../src/index.ts';

const data = { nik: '3674011234560001', name: 'Ahmad Sutisna', phone: '0812-3456-789' };

let t: TestDatabase;
let vault: Vault;
const kek = randomBytes(32);
beforeAll(async () => {
  t = await createTestDatabase();
  vault = new Vault(t.database, kek);
});
afterAll(async () => t.cleanup());

async function rejection(p: Promise<unknown>): Promise<VaultError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VaultError);
  return err as VaultError;
}

async function keyRow(subject: string): Promise<{ wrapped: Uint8Array | null; erased: boolean } | undefined> {
  const rows = await t.database.query<{ wrapped: Uint8Array | null; erased: boolean }>(
    'SELECT wrapped, erased_at IS NOT NULL AS erased FROM subject_keys WHERE subject = $1',
    [subject],
  );
  return rows[0];
}

describe(`Vault on ${testEngine}`, () => {
  it('seals and opens; the sealed form holds no clear text', async () => {
    const sealed = await vault.seal('applicant-1', data);
    expect(sealed).toMatchObject({ subject: 'applicant-1', alg: 'A256GCM' });
    expect(sealed.iv).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(JSON.stringify(sealed)).not.toContain('Sutisna');
    expect(await vault.open(sealed)).toEqual(data);
    // A second seal reuses the subject key with a fresh IV.
    const again = await vault.seal('applicant-1', data);
    expect(again.iv).not.toBe(sealed.iv);
    expect(await new Vault(t.database, kek).open(again)).toEqual(data);
    expect((await keyRow('applicant-1'))?.wrapped).toHaveLength(12 + 32 + 16);
  });

  it('fails CORRUPT for a ciphertext moved to another subject or altered, without leaking it', async () => {
    const sealed = await vault.seal('applicant-2', data);
    await vault.seal('applicant-3', { name: 'Siti' });
    const moved = await rejection(vault.open({ ...sealed, subject: 'applicant-3' }));
    expect(moved.code).toBe('CORRUPT');
    expect(moved.message).not.toContain(sealed.ct);
    const ct = Buffer.from(sealed.ct, 'base64url');
    ct[0]! ^= 1;
    expect((await rejection(vault.open({ ...sealed, ct: ct.toString('base64url') }))).code).toBe('CORRUPT');
    expect((await rejection(vault.open({ ...sealed, iv: '' }))).code).toBe('CORRUPT');
  });

  it('fails CORRUPT under another key-encryption key', async () => {
    const sealed = await vault.seal('applicant-4', data);
    expect((await rejection(new Vault(t.database, randomBytes(32)).open(sealed))).code).toBe('CORRUPT');
  });

  it('erases: open gives undefined, seal throws ERASED, the row is a tombstone, erase is idempotent', async () => {
    const sealed = await vault.seal('applicant-5', data);
    expect(await vault.open(sealed)).toEqual(data);
    expect(await vault.isErased('applicant-5')).toBe(false);

    expect(await vault.erase('applicant-5')).toBe(true);
    expect(await vault.open(sealed)).toBeUndefined();
    expect(await new Vault(t.database, kek).open(sealed)).toBeUndefined();
    expect((await rejection(vault.seal('applicant-5', data))).code).toBe('ERASED');
    expect(await keyRow('applicant-5')).toEqual({ wrapped: null, erased: true });
    expect(await vault.isErased('applicant-5')).toBe(true);
    expect(await vault.erase('applicant-5')).toBe(false);
  });

  it('erases a subject never sealed, so that it cannot be sealed later', async () => {
    expect(await vault.isErased('applicant-6')).toBe(false);
    expect(await vault.erase('applicant-6')).toBe(false);
    expect(await vault.isErased('applicant-6')).toBe(true);
    expect((await rejection(vault.seal('applicant-6', data))).code).toBe('ERASED');
  });

  it('refuses, in the database, to put a key back into a tombstone', async () => {
    await vault.seal('applicant-7', data);
    await vault.erase('applicant-7');
    await expect(t.database.query("UPDATE subject_keys SET wrapped = '\\x00', erased_at = NULL WHERE subject = 'applicant-7'")).rejects.toThrow();
  });

  it('opens many with one query, undefined for the erased', async () => {
    const subjects = Array.from({ length: 20 }, (_, i) => `many-${i}`);
    const sealed = await Promise.all(subjects.map((s, i) => vault.seal(s, { name: `Nama ${i}` })));
    await vault.erase('many-3');
    let queries = 0;
    const counting = new Vault({ ...t.database, query: (...args) => (queries++, t.database.query(...args)) }, kek);
    const opened = await counting.openMany(sealed);
    expect(queries).toBe(1);
    expect(opened.size).toBe(20);
    expect(opened.get('many-3')).toBeUndefined();
    expect(opened.has('many-3')).toBe(true);
    expect(opened.get('many-7')).toEqual({ name: 'Nama 7' });
    // Keys are cached: opening again takes no query.
    await counting.openMany(sealed.filter((s) => s.subject !== 'many-3'));
    expect(queries).toBe(1);
    expect(await counting.openMany([])).toEqual(new Map());
  });

  it('evicts a cached key on erase', async () => {
    const sealed = await vault.seal('applicant-8', data);
    expect(await vault.open(sealed)).toEqual(data);
    await vault.erase('applicant-8');
    expect(await vault.open(sealed)).toBeUndefined();
  });

  it('creates exactly one key when a new subject is sealed concurrently', async () => {
    const vaults = Array.from({ length: 4 }, () => new Vault(t.database, kek));
    const sealed = await Promise.all(vaults.flatMap((v) => [v.seal('applicant-9', data), v.seal('applicant-9', data)]));
    const fresh = new Vault(t.database, kek);
    for (const s of sealed) expect(await fresh.open(s)).toEqual(data);
  });

  it('throws KEY_MISSING for a subject this database has no key for', async () => {
    const other = await vault.seal('applicant-10', data);
    expect((await rejection(vault.open({ ...other, subject: 'applicant-unknown' }))).code).toBe('KEY_MISSING');
  });

  it('refuses a key-encryption key that is not 32 bytes', () => {
    expect(() => new Vault(t.database, randomBytes(31))).toThrow(RangeError);
  });
});
