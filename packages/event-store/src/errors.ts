/** The store's one error type; `code` says what happened, only services map it to HTTP. */
export type StoreErrorCode =
  | 'CONFLICT'
  | 'IDEMPOTENCY_MISMATCH'
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'KEY_MISSING'
  | 'KEY_MISMATCH'
  | 'UNAVAILABLE';

/** A failure the caller can act on, with its details (never personal data). */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** True when `err` is a StoreError with the given code. */
export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}
