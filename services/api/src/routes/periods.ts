/** Periods and the directory (agencies, actors, declared relatives). */
import { randomUUID } from 'node:crypto';
import { DirectoryCommands, PERIOD_COMMAND_ROLES, PeriodCommands, type DirectoryCommand } from '@casn/domain';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../http/index.ts';
import { PersonData, sealPerson } from '../recruitment/personal.ts';
import { PeriodParams, READERS, WriteResponse, actorOf, checkReadScope, principalOf, recordPeriodCommand, writeRequest, type RouteDeps } from './context.ts';

const PeriodSummary = z
  .object({ periodId: z.string(), origin: z.string(), agency: z.string(), year: z.number(), kind: z.enum(['CPNS', 'PPPK']) })
  .meta({ id: 'Period' });

/**
 * Records a directory command on behalf of the caller. The request's fingerprint is taken
 * from `input` (what the client sent), as a command with sealed data differs every time.
 */
async function recordDirectoryCommand(
  deps: RouteDeps,
  ctx: Parameters<typeof recordPeriodCommand>[1],
  operation: string,
  input: unknown,
  command: DirectoryCommand | (() => Promise<DirectoryCommand>),
) {
  const actor = await actorOf(deps, ctx.principal);
  return deps.service.withReceipts(await deps.service.executeDirectory(command, actor, writeRequest(operation, ctx.principal, ctx.idempotencyKey, input)));
}

const ActorParams = z.object({ actor: z.string().min(1).max(64) });

/** Period and directory routes. */
export function periodRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/periods',
      operationId: 'listPeriods',
      summary: 'The recruitment periods the caller may read',
      tags: ['periods'],
      roles: [...READERS, 'portal'],
      response: z.object({ items: z.array(PeriodSummary) }),
      handler: (ctx) => {
        const agency = principalOf(ctx.principal).agency;
        return Promise.resolve({ items: deps.service.periods().filter((p) => agency === null || p.agency === agency) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/periods/:period',
      operationId: 'getPeriod',
      summary: 'A period: its agency, rule set, schedule as amended and publications',
      tags: ['periods'],
      roles: [...READERS, 'portal'],
      params: PeriodParams,
      response: PeriodSummary.extend({
        rules: z.string().nullable(),
        schedule: z.record(z.string(), z.object({ opens: z.string().nullable(), closes: z.string() })),
        publications: z.array(z.object({ stage: z.string(), reference: z.string(), formationId: z.string().nullable(), at: z.string(), seq: z.number().int() })),
        size: z.number().int(),
      }),
      handler: async (ctx) => {
        const period = await checkReadScope(deps, ctx.principal, ctx.params.period);
        const state = await deps.service.periodState(ctx.params.period);
        const schedule = Object.fromEntries(Object.entries(state.schedule).map(([stage, w]) => [stage, { opens: w.opens, closes: w.closes }]));
        return { ...period, rules: state.rules?.id ?? null, schedule, publications: state.publications.map((p) => ({ stage: p.stage, reference: p.reference, formationId: p.formationId, at: p.at, seq: p.seq })), size: state.size };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/periods',
      operationId: 'openPeriod',
      summary: 'Open a recruitment period of an agency: its own ledger, rule set, SKB weights and schedule',
      tags: ['periods'],
      roles: PERIOD_COMMAND_ROLES.OpenPeriod,
      body: PeriodCommands.OpenPeriod,
      response: WriteResponse,
      handler: (ctx) => recordPeriodCommand(deps, ctx, 'openPeriod', ctx.body.periodId, { type: 'OpenPeriod', ...ctx.body }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/agencies',
      operationId: 'registerAgency',
      summary: 'Register an agency (instansi)',
      tags: ['directory'],
      roles: ['admin'],
      body: DirectoryCommands.RegisterAgency,
      response: WriteResponse,
      handler: (ctx) => recordDirectoryCommand(deps, ctx, 'registerAgency', ctx.body, { type: 'RegisterAgency', ...ctx.body }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/actors',
      operationId: 'registerActor',
      summary: 'Register an actor (officer, supervisor, inspector, ombudsman staff, admin, portal) with their identity, sealed',
      tags: ['directory'],
      roles: ['admin'],
      body: DirectoryCommands.RegisterActor.omit({ personal: true, indexes: true }).extend({ person: PersonData.optional() }),
      response: WriteResponse,
      handler: (ctx) => {
        const { person, ...rest } = ctx.body;
        return recordDirectoryCommand(deps, ctx, 'registerActor', ctx.body, async () => {
          const sealed = person ? await sealPerson(deps.vault, deps.indexer, randomUUID(), person) : undefined;
          return { type: 'RegisterActor', ...rest, ...(sealed ?? { indexes: {} }) };
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/actors/:actor/relatives',
      operationId: 'declareRelative',
      summary: "Record an actor's conflict-of-interest declaration: a relative, sealed and blind-indexed",
      tags: ['directory'],
      roles: ['admin'],
      params: ActorParams,
      body: z.object({ relation: DirectoryCommands.DeclareRelative.shape.relation, person: PersonData }),
      response: WriteResponse,
      handler: (ctx) =>
        recordDirectoryCommand(deps, ctx, 'declareRelative', { actor: ctx.params.actor, body: ctx.body }, async () => {
          const sealed = await sealPerson(deps.vault, deps.indexer, randomUUID(), ctx.body.person);
          return { type: 'DeclareRelative', actorId: ctx.params.actor, relation: ctx.body.relation, ...sealed };
        }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/actors/:actor/deactivation',
      operationId: 'deactivateActor',
      summary: 'Deactivate an actor; their tokens stop working',
      tags: ['directory'],
      roles: ['admin'],
      params: ActorParams,
      body: DirectoryCommands.DeactivateActor.omit({ actorId: true }),
      response: WriteResponse,
      handler: (ctx) => recordDirectoryCommand(deps, ctx, 'deactivateActor', { actor: ctx.params.actor, body: ctx.body }, { type: 'DeactivateActor', actorId: ctx.params.actor, ...ctx.body }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/actors',
      operationId: 'listActors',
      summary: 'Registered actors: role, agency, whether active, number of declared relatives (no personal data)',
      tags: ['directory'],
      roles: ['admin', 'inspector', 'ombudsman'],
      response: z.object({
        items: z.array(z.object({ actorId: z.string(), role: z.string(), agency: z.string().nullable(), active: z.boolean(), relatives: z.number().int() })),
      }),
      handler: async () => {
        const state = await deps.service.directoryState();
        const items = [...state.actors.entries()].map(([actorId, a]) => ({ actorId, role: a.role, agency: a.agency, active: a.active, relatives: a.relatives.length }));
        return { items: items.sort((a, b) => a.actorId.localeCompare(b.actorId)) };
      },
    }),
  ];
}
