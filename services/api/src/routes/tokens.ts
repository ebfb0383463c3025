/**
 * API tokens over HTTP: an administrator issues a token to a registered, active actor
 * (with the role and agency the directory gives that actor, never ones the caller
 * names) and revokes tokens. The secret is in the issuing response only.
 */
import { z } from 'zod';
import { HttpProblem, defineRoute, type AnyRoute, type TokenStore } from '../http/index.ts';
import { actorOf, type RouteDeps } from './context.ts';

const ActorParams = z.object({ actor: z.string().min(1).max(64) });
const TokenParams = z.object({ id: z.string().min(1).max(64) });

const IssueBody = z
  .object({ label: z.string().trim().min(1).max(200).optional().meta({ description: "What the token is for, e.g. 'Operator BKPSDM laptop 3'; default 'api'." }) })
  .meta({ id: 'IssueToken' });

const IssuedToken = z
  .object({
    id: z.string().meta({ description: 'Token id: name it to revoke the token.' }),
    token: z.string().meta({ description: 'The bearer token. Shown in this response only: the server keeps its SHA-256.' }),
    actorId: z.string(),
    role: z.string().meta({ description: "The actor's role in the directory." }),
    agency: z.string().nullable().meta({ description: "The actor's agency in the directory." }),
    label: z.string(),
  })
  .meta({ id: 'IssuedToken' });

const notFound = (field: string, detail: string) => new HttpProblem(404, 'Not Found', { type: 'urn:casn:problem:not-found', detail, errors: [{ field, message: detail }] });

/** The token routes (admin only); `tokens` is the store the app authenticates with. */
export function tokenRoutes(deps: RouteDeps, tokens: TokenStore): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/actors/:actor/tokens',
      operationId: 'issueToken',
      summary:
        "Issue a bearer token to a registered, active actor, with the actor's directory role and agency. Not idempotent: no Idempotency-Key, and a retry issues another token (revoke the spare one).",
      tags: ['directory'],
      roles: ['admin'],
      // A replay could not return the secret again (only its hash is kept), so issuing is not a keyed write.
      write: false,
      params: ActorParams,
      body: IssueBody.optional(),
      response: IssuedToken,
      status: 201,
      handler: async (ctx) => {
        await actorOf(deps, ctx.principal);
        const actor = (await deps.service.directoryState()).actors.get(ctx.params.actor);
        if (!actor) throw notFound('params.actor', 'no such actor in the directory');
        if (!actor.active) {
          throw new HttpProblem(422, 'Rule violated', {
            type: 'urn:casn:rule:actor-inactive',
            detail: 'params.actor: the actor was deactivated',
            errors: [{ field: 'params.actor', message: 'the actor was deactivated' }],
            extra: { rule: 'actor-inactive' },
          });
        }
        const label = ctx.body?.label ?? 'api';
        const grant = { actorId: ctx.params.actor, role: actor.role, agency: actor.agency, label };
        const issued = await tokens.issue(grant);
        ctx.log.info({ tokenId: issued.id, actorId: grant.actorId, issuedBy: ctx.principal?.actorId }, 'token issued');
        return { ...issued, ...grant };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/tokens/:id/revocation',
      operationId: 'revokeToken',
      summary: 'Revoke a token: it stops working at once here and within 30 seconds in other processes. Revoking a revoked token answers the same (no Idempotency-Key needed).',
      tags: ['directory'],
      roles: ['admin'],
      write: false,
      params: TokenParams,
      response: z.object({ id: z.string(), revoked: z.literal(true) }).meta({ id: 'RevokedToken' }),
      status: 200,
      handler: async (ctx) => {
        await actorOf(deps, ctx.principal);
        if (!(await tokens.revoke(ctx.params.id))) {
          const known = (await tokens.list()).some((t) => t.id === ctx.params.id);
          if (!known) throw notFound('params.id', 'no such token');
        }
        ctx.log.info({ tokenId: ctx.params.id, revokedBy: ctx.principal?.actorId }, 'token revoked');
        return { id: ctx.params.id, revoked: true as const };
      },
    }),
  ];
}
