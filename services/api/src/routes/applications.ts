/**
 * Applications: submission (personal data sealed at the edge), the ranking decision (birth
 * dates decrypted for the last tie-break), erasure, and the reads of state and timeline.
 */
import { randomUUID } from 'node:crypto';
import { DomainError, PERIOD_COMMAND_ROLES, PeriodCommands, parseNik, type PeriodCommand } from '@casn/domain';
import * as readModels from '@casn/projections';
import { z } from 'zod';
import { defineRoute, HttpProblem, type AnyRoute } from '../http/index.ts';
import { ApplicantData, PersonData, openPerson, sealPerson } from '../recruitment/personal.ts';
import { ActivityItem, ApplicationView, FormationRanking, FormationView, TimelineItem } from './views.ts';
import {
  ApplicationParams,
  FormationParams,
  PeriodParams,
  READERS,
  WriteResponse,
  actorOf,
  checkReadScope,
  recordPeriodCommand,
  withFields,
  writeRequest,
  type RouteDeps,
} from './context.ts';

const Submit = PeriodCommands.SubmitApplication.omit({ personal: true, indexes: true, channel: true, submittedAt: true })
  .extend({
    applicant: ApplicantData,
    submittedAt: PeriodCommands.SubmitApplication.shape.submittedAt
      .optional()
      .meta({ description: 'Final-submit time; required when an officer records a submission, now when the portal submits.' }),
  })
  .meta({ id: 'SubmitApplication' });

/** Checks the NIK (and a stated birth date against it) before anything is sealed; returns the birth date. */
export function checkApplicant(applicant: Pick<ApplicantData, 'nik' | 'birthDate'>, year: number): string {
  const facts = parseNik(applicant.nik, year);
  if (applicant.birthDate !== undefined && applicant.birthDate !== facts.birthDate) {
    throw new DomainError('nik-birth-date', 'the birth date does not match the one encoded in the NIK', { field: 'birthDate' });
  }
  return facts.birthDate;
}

const APPLICANT_FIELDS = { nik: 'body.applicant.nik', birthDate: 'body.applicant.birthDate', 'indexes.nik': 'body.applicant.nik' };

/** The birth date of an applicant, from the sealed data; undefined once erased. */
async function birthDateOf(deps: RouteDeps, personal: Parameters<typeof openPerson>[1] | null): Promise<string | undefined> {
  if (!personal) return undefined;
  const data = await openPerson(deps.vault, personal);
  return data?.birthDate;
}

/** Application routes. */
export function applicationRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/periods/:period/applications',
      operationId: 'submitApplication',
      summary: 'Submit an application (the portal live, or an officer from an SSCASN record)',
      tags: ['applications'],
      roles: PERIOD_COMMAND_ROLES.SubmitApplication,
      params: PeriodParams,
      body: Submit,
      response: WriteResponse,
      handler: async (ctx) => {
        const actor = await actorOf(deps, ctx.principal);
        const period = await deps.service.period(ctx.params.period);
        const { applicant, submittedAt, ...rest } = ctx.body;
        const portal = actor.role === 'portal';
        if (!portal && submittedAt === undefined) {
          throw new HttpProblem(400, 'Invalid request', { detail: 'body.submittedAt: required when an officer records a submission', errors: [{ field: 'body.submittedAt', message: 'required when an officer records a submission' }] });
        }
        const birthDate = await withFields(APPLICANT_FIELDS, () => Promise.resolve(checkApplicant(applicant, period.year)));
        const request = writeRequest('submitApplication', ctx.principal, ctx.idempotencyKey, { period: ctx.params.period, body: ctx.body });
        const command = async (): Promise<PeriodCommand> => {
          const { personal, indexes } = await sealPerson(deps.vault, deps.indexer, randomUUID(), { ...applicant, birthDate });
          return {
            type: 'SubmitApplication',
            ...rest,
            channel: portal ? 'portal' : 'import',
            submittedAt: portal ? deps.service.now().toISOString() : submittedAt!,
            personal,
            indexes: { ...indexes, nik: indexes.nik! },
          };
        };
        return deps.service.withReceipts(await withFields(APPLICANT_FIELDS, () => deps.service.executePeriod(ctx.params.period, command, actor, request)));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/periods/:period/formations/:formation/ranking',
      operationId: 'decideRanking',
      summary: 'Integrate SKD and SKB (or PPPK competency) scores and rank the formation with the official tie-breaks',
      tags: ['formations'],
      roles: PERIOD_COMMAND_ROLES.DecideRanking,
      params: FormationParams,
      response: WriteResponse,
      handler: async (ctx) => {
        // Scope first: birth dates are decrypted only for the agency's own officers.
        await checkReadScope(deps, ctx.principal, ctx.params.period);
        const state = await deps.service.periodState(ctx.params.period);
        const birthDates: Record<string, string> = {};
        for (const app of state.applications.values()) {
          if (app.formationId !== ctx.params.formation) continue;
          const date = await birthDateOf(deps, app.personal);
          if (date !== undefined) birthDates[app.id] = date;
        }
        const command: PeriodCommand = { type: 'DecideRanking', formationId: ctx.params.formation, birthDates };
        return recordPeriodCommand(deps, ctx, 'decideRanking', ctx.params.period, command, { formationId: 'params.formation' });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/periods/:period/applications/:application/erasure',
      operationId: 'erasePersonalData',
      summary: "Erase an applicant's personal data on a lawful request (UU 27/2022): the key is destroyed, the chain and proofs stay valid",
      tags: ['applications'],
      roles: PERIOD_COMMAND_ROLES.ErasePersonalData,
      params: ApplicationParams,
      body: PeriodCommands.ErasePersonalData.omit({ applicationId: true }),
      response: WriteResponse,
      handler: async (ctx) => {
        const state = await deps.service.periodState(ctx.params.period);
        const app = state.applications.get(ctx.params.application);
        if (!app) throw new DomainError('unknown-application', 'no such application', { code: 'NOT_FOUND', field: 'application' });
        // The key goes first: should recording the event fail, the data is erased all the same and a retry records it.
        if (app.personal) await deps.vault.erase(app.personal.subject);
        const command: PeriodCommand = { type: 'ErasePersonalData', applicationId: ctx.params.application, ...ctx.body };
        return recordPeriodCommand(deps, ctx, 'erasePersonalData', ctx.params.period, command, { applicationId: 'params.application' });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/periods/:period/applications',
      operationId: 'listApplications',
      summary: 'List applications (paginated; filter by formation and status)',
      tags: ['applications'],
      roles: READERS,
      params: PeriodParams,
      query: z.object({
        formation: z.string().max(64).optional(),
        status: z.string().max(32).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        after: z.string().max(64).optional().meta({ description: 'Application id to continue after (keyset pagination).' }),
      }),
      response: z.object({ items: z.array(ApplicationView), next: z.string().nullable() }),
      handler: async (ctx) => {
        const origin = await readable(deps, ctx);
        const items = await readModels.listApplications(deps.service.store.database, origin, {
          limit: ctx.query.limit,
          ...(ctx.query.formation ? { formationId: ctx.query.formation } : {}),
          ...(ctx.query.status ? { status: ctx.query.status } : {}),
          ...(ctx.query.after ? { after: ctx.query.after } : {}),
        });
        return { items, next: items.length === ctx.query.limit ? items[items.length - 1]!.applicationId : null };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/periods/:period/applications/:application',
      operationId: 'getApplication',
      summary: "An application's current state; personal data only for the agency's officers and the inspectorate",
      tags: ['applications'],
      roles: [...READERS, 'portal'],
      params: ApplicationParams,
      response: ApplicationView.extend({ personal: PersonData.nullable().optional().meta({ description: 'Null once erased; absent for roles that may not see it.' }) }),
      handler: async (ctx) => {
        const origin = await readable(deps, ctx);
        const row = await readModels.getApplication(deps.service.store.database, origin, ctx.params.application);
        if (!row) throw new HttpProblem(404, 'Not Found', { detail: 'no such application', errors: [{ field: 'params.application', message: 'no such application' }] });
        const role = ctx.principal!.role;
        if (role !== 'officer' && role !== 'supervisor' && role !== 'inspector') return row;
        const app = (await deps.service.periodState(ctx.params.period)).applications.get(ctx.params.application);
        const personal = app?.personal ? ((await openPerson(deps.vault, app.personal)) ?? null) : null;
        ctx.log.info({ applicationId: ctx.params.application, actorId: ctx.principal!.actorId }, 'personal data read');
        return { ...row, personal };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/periods/:period/applications/:application/timeline',
      operationId: 'applicationTimeline',
      summary: 'Everything recorded about an application, in ledger order',
      tags: ['applications'],
      roles: [...READERS, 'portal'],
      params: ApplicationParams,
      response: z.object({ items: z.array(TimelineItem) }),
      handler: async (ctx) => {
        const origin = await readable(deps, ctx);
        const items = await readModels.timeline(deps.service.store.database, origin, ctx.params.application);
        if (items.length === 0) throw new HttpProblem(404, 'Not Found', { detail: 'no such application', errors: [{ field: 'params.application', message: 'no such application' }] });
        return { items };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/periods/:period/formations',
      operationId: 'listFormations',
      summary: 'The formations of a period',
      tags: ['formations'],
      roles: READERS,
      params: PeriodParams,
      response: z.object({ items: z.array(FormationView) }),
      handler: async (ctx) => ({ items: await readModels.listFormations(deps.service.store.database, await readable(deps, ctx)) }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/periods/:period/formations/:formation/ranking',
      operationId: 'formationRanking',
      summary: "A formation's decided ranking and SKD cut",
      tags: ['formations'],
      roles: READERS,
      params: FormationParams,
      response: FormationRanking,
      handler: async (ctx) => {
        const origin = await readable(deps, ctx);
        if (!(await deps.service.periodState(ctx.params.period)).formations.has(ctx.params.formation)) {
          throw new HttpProblem(404, 'Not Found', { detail: 'no such formation', errors: [{ field: 'params.formation', message: 'no such formation' }] });
        }
        return readModels.formationRanking(deps.service.store.database, origin, ctx.params.formation);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/periods/:period/discrepancies',
      operationId: 'listDiscrepancies',
      summary: 'Scores recorded by hand that differ from the imported CAT value (both kept)',
      tags: ['applications'],
      roles: READERS,
      params: PeriodParams,
      response: z.object({ items: z.array(ApplicationView) }),
      handler: async (ctx) => ({ items: await readModels.discrepancies(deps.service.store.database, await readable(deps, ctx)) }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/periods/:period/officers/:actor/activity',
      operationId: 'officerActivity',
      summary: "An officer's recorded actions, newest first (paginated)",
      tags: ['actors'],
      roles: READERS,
      params: PeriodParams.extend({ actor: z.string().min(1).max(64) }),
      query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), before: z.coerce.number().int().min(0).optional().meta({ description: 'Continue before this seq.' }) }),
      response: z.object({ items: z.array(ActivityItem), next: z.number().nullable() }),
      handler: async (ctx) => {
        const origin = await readable(deps, ctx);
        const items = await readModels.officerActivity(deps.service.store.database, origin, ctx.params.actor, {
          limit: ctx.query.limit,
          ...(ctx.query.before !== undefined ? { before: ctx.query.before } : {}),
        });
        return { items, next: items.length === ctx.query.limit ? items[items.length - 1]!.seq : null };
      },
    }),
  ];
}

/** Checks the caller may read the period and waits until the read models include every entry committed so far. */
async function readable(deps: RouteDeps, ctx: { params: { period: string }; principal: Parameters<typeof checkReadScope>[1] }): Promise<string> {
  const { origin } = await checkReadScope(deps, ctx.principal, ctx.params.period);
  await deps.runner.waitFor(origin, await deps.service.store.size(origin));
  return origin;
}
