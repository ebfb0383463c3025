/**
 * Log signing keys: one Ed25519 key per ledger, kept as a signed-note private key file
 * (`PRIVATE+KEY+<origin>+<key id>+<key>`) named after the origin, with its verifier key
 * beside it. Files are read by path; new keys are generated only where allowed (the
 * embedded default), so a production ledger never silently signs with a fresh key.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSignerKey, parseSignerKey, type NoteSigner } from '@casn/ledger-core';
import { StoreError } from './errors.ts';

/** Where log keys live and whether missing ones may be created. */
export interface KeyStoreConfig {
  readonly dir: string;
  readonly generate: boolean;
}

/** File name stem of a ledger's key: the origin with anything but [A-Za-z0-9._-] as '_'. */
function keyFileStem(origin: string): string {
  return origin.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Loads (or, where allowed, creates) the signing keys of ledgers. */
export class KeyStore {
  /** Loads in flight or done, so concurrent first signatures of a ledger load (or create) its key once. */
  readonly #signers = new Map<string, Promise<NoteSigner>>();
  constructor(readonly config: KeyStoreConfig) {}

  /** Path of the private key file of a ledger. */
  keyPath(origin: string): string {
    return join(this.config.dir, `${keyFileStem(origin)}.key`);
  }

  /** The signer of a ledger; throws KEY_MISSING when there is no key file and generation is off. */
  signer(origin: string): Promise<NoteSigner> {
    let signer = this.#signers.get(origin);
    if (!signer) {
      signer = this.#load(origin);
      this.#signers.set(origin, signer);
      // A failure is not remembered: the key file may be put in place later.
      signer.catch(() => this.#signers.delete(origin));
    }
    return signer;
  }

  async #load(origin: string): Promise<NoteSigner> {
    const path = this.keyPath(origin);
    let skey: string;
    try {
      skey = (await readFile(path, 'utf8')).trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (!this.config.generate) {
        throw new StoreError('KEY_MISSING', `no log key for ledger ${origin} at ${path}; create one with: pnpm ledger keygen --ledger ${origin}`);
      }
      try {
        skey = await this.create(origin);
      } catch (created) {
        // Another process created it first: theirs is the key.
        if ((created as NodeJS.ErrnoException).code !== 'EEXIST') throw created;
        skey = (await readFile(path, 'utf8')).trim();
      }
    }
    const signer = parseSignerKey(skey);
    if (signer.name !== origin) {
      throw new StoreError('KEY_MISMATCH', `key file ${path} is for ${signer.name}, not ${origin}`);
    }
    return signer;
  }

  /** Writes a new key pair for a ledger (private key mode 0600) and returns the private key. */
  async create(origin: string): Promise<string> {
    const { skey, vkey } = generateSignerKey(origin);
    await mkdir(this.config.dir, { recursive: true });
    const path = this.keyPath(origin);
    // 'wx': never overwrite an existing key.
    await writeFile(path, skey + '\n', { flag: 'wx', mode: 0o600 });
    await chmod(path, 0o600);
    await writeFile(join(this.config.dir, `${keyFileStem(origin)}.vkey`), vkey + '\n');
    return skey;
  }
}
