/** What went wrong in the vault or with its keys. */
export type VaultErrorCode = 'ERASED' | 'CORRUPT' | 'KEY_MISSING';

/** A personal-data failure; its message never holds personal data, plaintext or ciphertext. */
export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(
    readonly code: VaultErrorCode,
    message: string,
  ) {
    super(message);
  }
}
