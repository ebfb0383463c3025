/**
 * Red flags of a period: the listing and one flag with its explanation and its evidence
 * proven against the checkpoint it was found on (oversight and admins only), an
 * inspector's disposition, and a detection run on demand.
 */
import { DomainError, PERIOD_COMMAND_ROLES, PeriodCommands, type FlagState } from '@casn/domain';
import { z } from 'zod';
import { defineRoute, type AnyRoute, type Role } from '../http/index.ts';
import { computeDetection, explanationOf, flagOf, listFlags, recordDetection } from '../recruitment/flags.ts';
import { PeriodParams, WriteResponse, actorOf, checkReadScope, recordPeriodCommand, type RouteDeps } from './context.ts';
import { DetectionResult, FlagDetail, FlagView } from './views.ts';

/** Who reads flags: oversight and admins, never the officers, supervisors or portal of the agency (flags are about them). */
export const FLAG_READERS: readonly Role[] = ['inspector', 'ombudsman', 'admin'];
/** Who runs a detection on demand. */
export const DETECTION_ROLES: readonly Role[] = ['inspector', 'admin'];

const FlagParams = PeriodParams.extend({ flag: z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex digits').meta({ description: 'The flagId.' }) });

/** A flag of the state as the API shows it. */
function flagView(f: FlagState): z.input<typeof FlagView> {
  const p = f.payload;
  const last = f.dispositions.at(-1);
  return {
    flagId: p.flagId,
    detector: p.detector,
    version: p.version,
    config: p.config,
    severity: p.severity,
    key: p.key,
    checkpoint: p.checkpoint,
    entries: p.entries,
    actors: p.actors,
    applications: p.applications,
    formationId: p.formationId ?? null,
    facts: p.facts,
    status: f.status,
    raised: { seq: f.raised.seq, at: f.raised.at, actorId: f.raised.actor.id },
    disposition: last ? dispositionView(last) : null,
  };
}

function dispositionView(d: FlagState['dispositions'][number]) {
  return { status: d.status, reason: d.reason, reference: d.reference, seq: d.seq, at: d.at, actorId: d.actor.id };
}

/** Flag routes. */
export function flagRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/periods/:period/flags',
      operationId: 'listFlags',
      summary: 'Red flags of a period, in the order raised, with their status and latest disposition (filter by severity, detector, formation, actor, status)',
      tags: ['flags'],
      roles: FLAG_READERS,
      params: PeriodParams,
      query: z.object({
        severity: z.enum(['high', 'medium', 'low']).optional(),
        detector: z.string().max(64).optional(),
        formation: z.string().max(64).optional(),
        actor: z.string().max(64).optional().meta({ description: "An actor among the flag's actors." }),
        status: z.enum(['open', 'confirmed', 'dismissed', 'referred']).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        after: z.string().regex(/^[0-9a-f]{32}$/, 'must be a flagId').optional().meta({ description: 'flagId to continue after (keyset pagination).' }),
      }),
      response: z.object({ items: z.array(FlagView), next: z.string().nullable() }),
      handler: async (ctx) => {
        await checkReadScope(deps, ctx.principal, ctx.params.period);
        const state = await deps.service.periodState(ctx.params.period);
        const q = ctx.query;
        const items = listFlags(state, { severity: q.severity, detector: q.detector, formation: q.formation, actor: q.actor, status: q.status, after: q.after, limit: q.limit });
        return { items: items.map(flagView), next: items.length === q.limit ? items[items.length - 1]!.payload.flagId : null };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/periods/:period/flags/:flag',
      operationId: 'getFlag',
      summary: "A flag: its explanation, dispositions, and each evidence entry with its inclusion proof against the flag's checkpoint",
      tags: ['flags'],
      roles: FLAG_READERS,
      params: FlagParams,
      response: FlagDetail,
      handler: async (ctx) => {
        const { origin } = await checkReadScope(deps, ctx.principal, ctx.params.period);
        const state = await deps.service.periodState(ctx.params.period);
        const f = state.flags.get(ctx.params.flag);
        if (!f) throw new DomainError('flag-not-found', `no flag ${ctx.params.flag}`, { code: 'NOT_FOUND', field: 'params.flag' });
        const size = f.payload.checkpoint.size;
        const evidence = [];
        for (const seq of f.payload.entries) {
          const [entry] = await deps.service.store.readLedger(origin, seq, 1);
          if (!entry || entry.seq !== seq) throw new Error(`evidence entry ${seq} of flag ${f.payload.flagId} is missing`);
          const proof = await deps.service.store.inclusionProof(origin, seq, size);
          evidence.push({
            seq,
            body: entry.body,
            leaf: Buffer.from(entry.leaf).toString('hex'),
            proof: { index: proof.index, size: proof.size, leafHash: proof.leafHash, hashes: [...proof.hashes], root: proof.root },
          });
        }
        return { ...flagView(f), explanation: explanationOf(flagOf(f)), dispositions: f.dispositions.map(dispositionView), evidence };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/periods/:period/flags/:flag/disposition',
      operationId: 'disposeFlag',
      summary: 'Record an inspector’s disposition of a flag (confirmed, dismissed or referred); the latest is in force, the flag is never deleted',
      tags: ['flags'],
      roles: PERIOD_COMMAND_ROLES.DisposeFlag,
      params: FlagParams,
      body: PeriodCommands.DisposeFlag.omit({ flagId: true }),
      response: WriteResponse,
      handler: (ctx) =>
        recordPeriodCommand(deps, ctx, 'disposeFlag', ctx.params.period, { type: 'DisposeFlag', flagId: ctx.params.flag, ...ctx.body }, { flagId: 'params.flag' }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/periods/:period/detection',
      operationId: 'runDetection',
      summary: 'Run the red-flag detectors on the ledger at a checkpoint size (default: now) and raise the new flags; idempotent by construction',
      tags: ['flags'],
      roles: DETECTION_ROLES,
      params: PeriodParams,
      body: z.object({
        atSize: z.number().int().min(0).optional().meta({ description: 'Detect on the first atSize entries (default: the whole ledger).' }),
        directorySize: z.number().int().min(0).optional().meta({ description: 'Read the directory (actors, declared relatives) as of its first directorySize entries (default: all).' }),
        config: z.string().min(1).max(40).optional().meta({ description: 'Detector configuration id (default: the current one).' }),
      }),
      response: DetectionResult,
      // The run derives its own idempotency keys from the checkpoint: no header is needed.
      write: false,
      status: 200,
      handler: async (ctx) => {
        const actor = await actorOf(deps, ctx.principal);
        await checkReadScope(deps, ctx.principal, ctx.params.period);
        const detection = await computeDetection(deps.service, ctx.params.period, { atSize: ctx.body.atSize, directorySize: ctx.body.directorySize, config: ctx.body.config });
        const raised = await recordDetection(deps.service, detection, actor);
        ctx.log.info({ period: ctx.params.period, size: detection.checkpoint.size, flags: detection.flags.length, raised }, 'detection run');
        return { checkpoint: detection.checkpoint, config: detection.config, flags: detection.flags.length, raised };
      },
    }),
  ];
}
