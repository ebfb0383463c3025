/**
 * What the routes share: the app's dependencies, the response of a write, and the one
 * way every write runs (the caller resolved to a directory actor, a request fingerprint
 * for idempotent retries).
 */
import { DomainError, isDomainError, type Actor, type PeriodCommand } from '@casn/domain';
import type { BlindIndexer, Vault } from '@casn/personal-data';
import type { ProjectionRunner } from '@casn/projections';
import { canonicalize, sha256, utf8 } from '@casn/ledger-core';
import { z } from 'zod';
import { HttpProblem, type Principal, type Role } from '../http/index.ts';
import type { PeriodInfo, RecruitmentService, WriteRequest } from '../recruitment/service.ts';

/** The parts an API app is made of. */
export interface RouteDeps {
  readonly service: RecruitmentService;
  readonly runner: ProjectionRunner;
  readonly vault: Vault;
  readonly indexer: BlindIndexer;
}

/** Roles that record a period's stages. */
export const RECORDERS: readonly Role[] = ['officer', 'supervisor'];
/** Roles that read everything and write no recruitment event. */
export const OVERSIGHT: readonly Role[] = ['inspector', 'ombudsman'];
/** Everyone who may read a period (officers only their agency's). */
export const READERS: readonly Role[] = [...RECORDERS, ...OVERSIGHT, 'admin'];

/** The response to every write: where each recorded entry landed, and an offline receipt of each. */
export const WriteResponse = z
  .object({
    ledger: z.string().meta({ description: 'Origin of the ledger written to.' }),
    at: z.string(),
    replayed: z.boolean().meta({ description: 'True when this Idempotency-Key was already used for this request: nothing new was recorded.' }),
    entries: z.array(z.object({ seq: z.number().int(), id: z.string(), stream: z.string(), version: z.number().int(), leaf: z.string() })),
    receipts: z.array(z.string()).meta({
      description:
        'One offline receipt per element of `entries`, in the same order: the entry, its RFC 6962 inclusion proof and a signed checkpoint, ' +
        'as C2SP tlog-proof text (docs/ledger-format.md, "Receipts"). Verify with `pnpm ledger verify-receipt FILE --log-key FILE`. ' +
        'Empty only when the server holds no log key to sign a checkpoint with: the entries are recorded all the same, and ' +
        '`GET /v1/ledgers/{period}/entries/{seq}/receipt` gives their receipts once it does.',
    }),
  })
  .meta({ id: 'WriteResult' });

/** Path parameters shared by the period routes. */
export const PeriodParams = z.object({ period: z.string().min(1).max(64) });
export const ApplicationParams = PeriodParams.extend({ application: z.string().min(1).max(64) });
export const FormationParams = PeriodParams.extend({ formation: z.string().min(1).max(64) });

/** The principal of a non-public route (the framework guarantees one). */
export function principalOf(principal: Principal | undefined): Principal {
  if (!principal) throw new HttpProblem(401, 'Unauthorized');
  return principal;
}

/** The caller as the directory knows them now (a deactivated actor's token stops working). */
export async function actorOf(deps: RouteDeps, principal: Principal | undefined): Promise<Actor> {
  const p = principalOf(principal);
  const actor = await deps.service.actor(p.actorId);
  if (actor.role !== p.role) throw new HttpProblem(403, 'Forbidden', { detail: 'the token was issued for another role than the actor now has' });
  return actor;
}

/**
 * The idempotency of a write: its key, and a fingerprint of what was asked (the
 * operation, the caller and the validated input) that a replay must match.
 */
export function writeRequest(operation: string, principal: Principal | undefined, key: string | undefined, input: unknown): WriteRequest {
  if (key === undefined) throw new HttpProblem(400, 'Idempotency-Key required');
  const fingerprint = sha256(utf8(canonicalize({ operation, actor: principalOf(principal).actorId, input: input as object })));
  return { idempotencyKey: key, fingerprint };
}

/** The period, unless the caller is an officer, supervisor or portal of another agency (403). */
export async function checkReadScope(deps: RouteDeps, principal: Principal | undefined, periodId: string): Promise<PeriodInfo> {
  const p = principalOf(principal);
  const period = await deps.service.period(periodId);
  if (p.agency !== null && p.agency !== period.agency) {
    throw new HttpProblem(403, 'Forbidden', { detail: 'this period belongs to another agency', type: 'urn:casn:problem:agency-scope' });
  }
  return period;
}

/**
 * Runs `fn`, renaming the field of a refusal from the command's name to where the client
 * sent it (e.g. applicationId → params.application), so errors point at the request.
 */
export async function withFields<T>(fields: Readonly<Record<string, string>>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const field = isDomainError(err) ? err.opts.field : undefined;
    const renamed = field === undefined ? undefined : fields[field];
    if (!isDomainError(err) || renamed === undefined) throw err;
    throw new DomainError(err.rule, err.message, { ...err.opts, field: renamed });
  }
}

/** Records a period command on behalf of the caller; `fields` as in withFields. */
export async function recordPeriodCommand(
  deps: RouteDeps,
  ctx: { principal: Principal | undefined; idempotencyKey: string | undefined },
  operation: string,
  periodId: string,
  command: PeriodCommand,
  fields: Readonly<Record<string, string>> = {},
) {
  const actor = await actorOf(deps, ctx.principal);
  const request = writeRequest(operation, ctx.principal, ctx.idempotencyKey, { periodId, command });
  return deps.service.withReceipts(await withFields(fields, () => deps.service.executePeriod(periodId, command, actor, request)));
}
