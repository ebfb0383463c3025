/**
 * The API app: every route of the recruitment service on the HTTP framework, with the
 * domain's, the service's and the import's errors turned into problem+json. `listen` is
 * the caller's business (see the CLI's `serve`).
 */
import { isDomainError } from '@casn/domain';
import type { WitnessEntry } from '@casn/ledger-core';
import { VaultError } from '@casn/personal-data';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { createHttpApp, HttpProblem, registerProblemMapper, type Metrics, type TokenStore } from './http/index.ts';
import { ImportError } from './recruitment/import.ts';
import { BatchError } from './recruitment/service.ts';
import { applicationRoutes } from './routes/applications.ts';
import { commandRoutes } from './routes/commands.ts';
import { flagRoutes } from './routes/flags.ts';
import { healthRoutes } from './routes/health.ts';
import type { RouteDeps } from './routes/context.ts';
import { importRoutes } from './routes/imports.ts';
import { completenessRoutes } from './routes/completeness.ts';
import { ledgerRoutes } from './routes/ledger.ts';
import { periodRoutes } from './routes/periods.ts';
import { receiptRoutes } from './routes/receipts.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { witnessRoutes } from './routes/witness.ts';

/** What the app needs. */
export interface AppDeps extends RouteDeps {
  readonly tokens: TokenStore;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Witness keys whose cosignatures the ledger accepts (default: the store's, e.g. from LEDGER_WITNESSES). */
  readonly witnesses?: readonly WitnessEntry[];
}

// Field names of the domain are command fields, which are body fields in HTTP terms,
// unless a route already said where the field came from.
const bodyField = (field: string | undefined): string => {
  if (field === undefined) return 'body';
  if (field === 'period' || field === 'actor' || field === 'application' || field === 'formation') return `params.${field}`;
  return /^(params|query|body|header)\./.test(field) ? field : `body.${field}`;
};

// Rules about who may act, rather than about the recruitment itself.
const FORBIDDEN_RULES = new Set(['role', 'agency-scope', 'actor-agency', 'actor-inactive']);

registerProblemMapper((err) => {
  if (isDomainError(err)) {
    const notFound = err.code === 'NOT_FOUND';
    const field = bodyField(err.opts.field);
    return new HttpProblem(notFound ? 404 : FORBIDDEN_RULES.has(err.rule) ? 403 : 422, notFound ? 'Not Found' : 'Rule violated', {
      type: `urn:casn:rule:${err.rule}`,
      detail: `${field}: ${err.message}`,
      errors: [{ field, message: err.message }],
      extra: { rule: err.rule, ...(err.opts.details ?? {}) },
    });
  }
  if (err instanceof BatchError) {
    return new HttpProblem(422, 'Rule violated', {
      type: 'urn:casn:problem:batch-refused',
      detail: err.message,
      errors: err.failures.map((f) => ({ field: `[${f.index}].${f.error.opts.field ?? ''}`, message: `${f.error.rule}: ${f.error.message}` })),
    });
  }
  if (err instanceof ImportError) {
    return new HttpProblem(422, 'File refused', {
      type: 'urn:casn:problem:import-refused',
      detail: err.message,
      errors: err.errors.map((e) => ({ field: `line ${e.line}: ${e.field}`, message: e.message })),
      extra: { rows: err.errors },
    });
  }
  if (err instanceof VaultError && err.code === 'ERASED') {
    return new HttpProblem(410, 'Gone', { detail: "the subject's personal data was erased" });
  }
  return undefined;
});

/** Builds the API app over a recruitment service. */
export function createApp(deps: AppDeps): Express {
  return createHttpApp({
    routes: [...periodRoutes(deps), ...applicationRoutes(deps), ...commandRoutes(deps), ...importRoutes(deps), ...ledgerRoutes(deps), ...witnessRoutes(deps), ...receiptRoutes(deps), ...completenessRoutes(deps), ...flagRoutes(deps), ...healthRoutes(deps), ...tokenRoutes(deps, deps.tokens)],
    authenticate: (token) => deps.tokens.authenticate(token),
    logger: deps.logger,
    metrics: deps.metrics,
    ready: async () => {
      await deps.service.store.database.query('SELECT 1');
      return true;
    },
    info: {
      title: 'CASN recruitment audit ledger',
      version: '0.1.0',
      description: 'Records every stage of a CPNS/PPPK recruitment in an append-only, hash-chained, Merkle-committed ledger.',
    },
  });
}
