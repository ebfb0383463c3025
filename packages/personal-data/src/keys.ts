import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { VaultError } from './errors.ts';

/** File name of the key-encryption key that wraps every subject key. */
export const KEK_FILE = 'personal-data.kek';
/** File name of the blind index key. */
export const INDEX_KEY_FILE = 'blind-index.key';

/** Loads (or, when generate is true, creates with mode 0600) the personal-data keys in `dir`; throws KEY_MISSING naming the path when absent. */
export async function loadPersonalDataKeys(
  dir: string,
  opts: { generate: boolean },
): Promise<{ keyEncryptionKey: Uint8Array; indexKey: Uint8Array }> {
  return {
    keyEncryptionKey: await loadKey(join(dir, KEK_FILE), opts.generate),
    indexKey: await loadKey(join(dir, INDEX_KEY_FILE), opts.generate),
  };
}

async function loadKey(path: string, generate: boolean): Promise<Uint8Array> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (!generate) {
      throw new VaultError('KEY_MISSING', `no personal-data key at ${path}; create the keys with generation on, or restore the file from the key backup`);
    }
    text = await create(path);
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32 || key.toString('base64') !== text.trim()) {
    throw new VaultError('CORRUPT', `${path} does not hold a 32-byte base64 key`);
  }
  return key;
}

/** Writes a new key file (mode 0600) atomically, or returns the one another process wrote first. */
async function create(path: string): Promise<string> {
  const text = randomBytes(32).toString('base64') + '\n';
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text, { flag: 'wx', mode: 0o600 });
  try {
    await chmod(tmp, 0o600);
    // link() never overwrites: an existing key always wins.
    await link(tmp, path);
    return text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readFile(path, 'utf8');
  } finally {
    await rm(tmp, { force: true });
  }
}
