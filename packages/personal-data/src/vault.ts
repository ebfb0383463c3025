import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Database } from '@casn/event-store';
import { VaultError } from './errors.ts';

/** What goes into a ledger entry instead of clear personal data (base64url; ct ends with the GCM tag). */
export interface Sealed {
  readonly subject: string;
  readonly alg: 'A256GCM';
  readonly iv: string;
  readonly ct: string;
}

interface KeyRow {
  subject: string;
  wrapped: Uint8Array | null;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const CACHE_SIZE = 10_000;
// Bounds how long another process's erase() leaves a key usable by open() here.
const CACHE_TTL_MS = 60_000;

/** Per-subject encryption of personal data with keys that can be destroyed (erasure). */
export class Vault {
  readonly #database: Database;
  readonly #kek: Buffer;
  readonly #cache = new Map<string, { key: Buffer; loaded: number }>();

  constructor(database: Database, keyEncryptionKey: Uint8Array) {
    if (keyEncryptionKey.length !== KEY_BYTES) {
      throw new RangeError(`a key-encryption key is ${KEY_BYTES} bytes, not ${keyEncryptionKey.length}`);
    }
    this.#database = database;
    this.#kek = Buffer.from(keyEncryptionKey);
  }

  /** Encrypts a subject's personal data under that subject's key, creating the key on first use; throws ERASED for an erased subject. */
  async seal(subject: string, data: Readonly<Record<string, string>>): Promise<Sealed> {
    for (const [field, value] of Object.entries(data)) {
      if (typeof value !== 'string') throw new TypeError(`personal data field ${JSON.stringify(field)} is not a string`);
    }
    const key = await this.#liveKey(subject);
    const iv = randomBytes(IV_BYTES);
    const ct = encrypt(key, iv, Buffer.from(JSON.stringify(data), 'utf8'), subject);
    return { subject, alg: 'A256GCM', iv: iv.toString('base64url'), ct: ct.toString('base64url') };
  }

  /** Decrypts; undefined when the subject's key was erased, VaultError CORRUPT when authentication fails. */
  async open(sealed: Sealed): Promise<Record<string, string> | undefined> {
    return (await this.openMany([sealed])).get(sealed.subject);
  }

  /** Decrypts many at once with one query: subject to data, or undefined where erased. */
  async openMany(sealed: readonly Sealed[]): Promise<Map<string, Record<string, string> | undefined>> {
    const keys = await this.#keys(sealed.map((s) => s.subject));
    const out = new Map<string, Record<string, string> | undefined>();
    for (const s of sealed) {
      const key = keys.get(s.subject);
      out.set(s.subject, key && decryptData(key, s));
    }
    return out;
  }

  /** Destroys the subject's key, keeping a tombstone; idempotent; true when a key was destroyed by this call. */
  async erase(subject: string): Promise<boolean> {
    this.#cache.delete(subject);
    try {
      for (;;) {
        const erased = await this.#database.query(
          'UPDATE subject_keys SET wrapped = NULL, erased_at = now() WHERE subject = $1 AND erased_at IS NULL RETURNING subject',
          [subject],
        );
        if (erased.length > 0) return true;
        // Never sealed: a tombstone still stops later seals.
        const tombstone = await this.#database.query(
          'INSERT INTO subject_keys (subject, wrapped, erased_at) VALUES ($1, NULL, now()) ON CONFLICT (subject) DO NOTHING RETURNING subject',
          [subject],
        );
        if (tombstone.length > 0 || (await this.isErased(subject))) return false;
      }
    } finally {
      this.#cache.delete(subject);
    }
  }

  /** Whether the subject's key was erased. */
  async isErased(subject: string): Promise<boolean> {
    const rows = await this.#database.query<{ erased: boolean }>(
      'SELECT erased_at IS NOT NULL AS erased FROM subject_keys WHERE subject = $1',
      [subject],
    );
    return rows[0]?.erased ?? false;
  }

  /** The subject's key, read from the database every time so that an erasure anywhere is final. */
  async #liveKey(subject: string): Promise<Buffer> {
    let row = await this.#row(subject);
    if (!row) {
      const key = randomBytes(KEY_BYTES);
      const inserted = await this.#database.query(
        'INSERT INTO subject_keys (subject, wrapped) VALUES ($1, $2) ON CONFLICT (subject) DO NOTHING RETURNING subject',
        [subject, this.#wrap(subject, key)],
      );
      if (inserted.length > 0) return this.#remember(subject, key);
      row = await this.#row(subject);
    }
    if (!row) throw new VaultError('KEY_MISSING', 'a subject key vanished while it was being created');
    if (!row.wrapped) throw new VaultError('ERASED', 'the subject was erased: no personal data may be sealed for it');
    return this.#remember(subject, this.#unwrap(subject, row.wrapped));
  }

  async #row(subject: string): Promise<KeyRow | undefined> {
    const rows = await this.#database.query<KeyRow>('SELECT subject, wrapped FROM subject_keys WHERE subject = $1', [subject]);
    return rows[0];
  }

  /** Keys of many subjects (undefined where erased) from the cache, the rest with one query. */
  async #keys(subjects: readonly string[]): Promise<Map<string, Buffer | undefined>> {
    const out = new Map<string, Buffer | undefined>();
    const missing: string[] = [];
    for (const subject of new Set(subjects)) {
      const key = this.#cached(subject);
      if (key) out.set(subject, key);
      else missing.push(subject);
    }
    if (missing.length === 0) return out;
    const rows = await this.#database.query<KeyRow>(
      'SELECT subject, wrapped FROM subject_keys WHERE subject = ANY($1::text[])',
      [missing],
    );
    for (const row of rows) {
      out.set(row.subject, row.wrapped ? this.#remember(row.subject, this.#unwrap(row.subject, row.wrapped)) : undefined);
    }
    if (rows.length < missing.length) {
      throw new VaultError('KEY_MISSING', 'subject_keys has no row for a sealed subject: is this the database the data was sealed with?');
    }
    return out;
  }

  #cached(subject: string): Buffer | undefined {
    const entry = this.#cache.get(subject);
    if (!entry) return undefined;
    this.#cache.delete(subject);
    if (Date.now() - entry.loaded > CACHE_TTL_MS) return undefined;
    this.#cache.set(subject, entry);
    return entry.key;
  }

  #remember(subject: string, key: Buffer): Buffer {
    this.#cache.delete(subject);
    this.#cache.set(subject, { key, loaded: Date.now() });
    if (this.#cache.size > CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
    return key;
  }

  #wrap(subject: string, key: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    return Buffer.concat([iv, encrypt(this.#kek, iv, key, subject)]);
  }

  #unwrap(subject: string, wrapped: Uint8Array): Buffer {
    const bytes = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength);
    const key = bytes.length === IV_BYTES + KEY_BYTES + TAG_BYTES ? decrypt(this.#kek, bytes.subarray(0, IV_BYTES), bytes.subarray(IV_BYTES), subject) : undefined;
    if (!key) throw new VaultError('CORRUPT', 'a subject key does not unwrap: wrong key-encryption key, or an altered subject_keys row');
    return key;
  }
}

/** AES-256-GCM with the subject id as associated data; returns ciphertext || tag. */
function encrypt(key: Buffer, iv: Buffer, plaintext: Buffer, subject: string): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(subject, 'utf8'));
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** Inverse of encrypt; undefined when authentication fails. */
function decrypt(key: Buffer, iv: Buffer, sealed: Buffer, subject: string): Buffer | undefined {
  if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(subject, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}

function decryptData(key: Buffer, sealed: Sealed): Record<string, string> {
  const plaintext =
    sealed.alg === 'A256GCM'
      ? decrypt(key, Buffer.from(sealed.iv, 'base64url'), Buffer.from(sealed.ct, 'base64url'), sealed.subject)
      : undefined;
  const data = plaintext && parseData(plaintext);
  if (!data) throw new VaultError('CORRUPT', 'sealed personal data does not authenticate under its subject key');
  return data;
}

function parseData(plaintext: Buffer): Record<string, string> | undefined {
  try {
    const data: unknown = JSON.parse(plaintext.toString('utf8'));
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
    return Object.values(data).every((v) => typeof v === 'string') ? (data as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}
