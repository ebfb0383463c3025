import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INDEX_KEY_FILE, KEK_FILE, loadPersonalDataKeys, VaultError } from '../src/index.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'casn-pd-keys-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('loadPersonalDataKeys', () => {
  it('generates two distinct 32-byte keys with mode 0600, then loads the same keys', async () => {
    const dir = join(await tempDir(), 'keys');
    const made = await loadPersonalDataKeys(dir, { generate: true });
    expect(made.keyEncryptionKey).toHaveLength(32);
    expect(made.indexKey).toHaveLength(32);
    expect(Buffer.from(made.keyEncryptionKey).equals(made.indexKey)).toBe(false);
    for (const file of [KEK_FILE, INDEX_KEY_FILE]) {
      expect((await stat(join(dir, file))).mode & 0o777).toBe(0o600);
      expect((await readFile(join(dir, file), 'utf8')).trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    }
    const loaded = await loadPersonalDataKeys(dir, { generate: false });
    expect(Buffer.from(loaded.keyEncryptionKey).equals(made.keyEncryptionKey)).toBe(true);
    expect(Buffer.from(loaded.indexKey).equals(made.indexKey)).toBe(true);
    expect(Buffer.from((await loadPersonalDataKeys(dir, { generate: true })).indexKey).equals(made.indexKey)).toBe(true);
  });

  it('agrees on one key when several callers generate at once', async () => {
    const dir = await tempDir();
    const all = await Promise.all(Array.from({ length: 8 }, () => loadPersonalDataKeys(dir, { generate: true })));
    for (const keys of all) expect(Buffer.from(keys.keyEncryptionKey).equals(all[0]!.keyEncryptionKey)).toBe(true);
  });

  it('throws KEY_MISSING naming the file when a key is absent and generation is off', async () => {
    const dir = await tempDir();
    const err = await loadPersonalDataKeys(dir, { generate: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultError);
    expect((err as VaultError).code).toBe('KEY_MISSING');
    expect((err as VaultError).message).toContain(join(dir, KEK_FILE));

    await writeFile(join(dir, KEK_FILE), Buffer.alloc(32, 1).toString('base64'));
    await expect(loadPersonalDataKeys(dir, { generate: false })).rejects.toThrow(join(dir, INDEX_KEY_FILE));
  });

  it('refuses a key file that is not 32 bytes of base64', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, KEK_FILE), Buffer.alloc(16).toString('base64'));
    await expect(loadPersonalDataKeys(dir, { generate: true })).rejects.toMatchObject({ code: 'CORRUPT' });
  });
});
