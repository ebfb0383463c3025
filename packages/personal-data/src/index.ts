export { normalise, type IndexKind } from './normalise.ts';
export { BlindIndexer } from './blind-index.ts';
export { Vault, type Sealed } from './vault.ts';
export { VaultError, type VaultErrorCode } from './errors.ts';
export { loadPersonalDataKeys, KEK_FILE, INDEX_KEY_FILE } from './keys.ts';
