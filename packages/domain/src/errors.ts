/** The one error type of the domain: a broken rule, named, with the field at fault. */
export type DomainErrorCode = 'RULE_VIOLATION' | 'NOT_FOUND';

/**
 * A recruitment rule that a command would break; nothing is appended. `rule` is a stable
 * kebab-case id (e.g. 'sanggah-window'), `field` the input at fault when there is one.
 * Messages never contain personal data.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly rule: string,
    message: string,
    readonly opts: { readonly code?: DomainErrorCode; readonly field?: string; readonly details?: Readonly<Record<string, unknown>> } = {},
  ) {
    super(message);
  }

  get code(): DomainErrorCode {
    return this.opts.code ?? 'RULE_VIOLATION';
  }
}

/** True for a DomainError (also across module copies). */
export function isDomainError(e: unknown): e is DomainError {
  return e instanceof Error && e.name === 'DomainError' && typeof (e as DomainError).rule === 'string';
}
