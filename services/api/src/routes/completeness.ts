/**
 * Completeness per formation: record a commitment of every stream's head now (oversight and
 * admins), list the commitments, and serve a formation's view that proves, against a signed
 * checkpoint, that its entries are all of them (verify it offline with
 * `pnpm ledger verify-formation`).
 */
import { PERIOD_COMMAND_ROLES } from '@casn/domain';
import { FORMATION_VIEW_FORMAT } from '@casn/ledger-core';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../http/index.ts';
import { commitCompleteness, formationView, listCommitments } from '../recruitment/completeness.ts';
import { FormationParams, PeriodParams, READERS, actorOf, checkReadScope, type RouteDeps } from './context.ts';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

const Commitment = z
  .object({
    seq: z.number().int().meta({ description: 'Seq of the StreamHeadsCommitted entry.' }),
    asOf: z.number().int().meta({ description: 'It covers every entry with seq < asOf.' }),
    groups: z.number().int().meta({ description: 'Number of group records: the period-wide group and one per formation.' }),
    streams: z.number().int(),
    root: hex64.meta({ description: 'RFC 6962 root over the group records (hex).' }),
  })
  .meta({ id: 'CompletenessCommitment' });

const CommitResult = z
  .object({
    committed: z.boolean().meta({ description: 'True when this call recorded a new commitment; false when nothing but commitments was recorded since the last one.' }),
    commitment: Commitment.nullable(),
  })
  .meta({ id: 'CompletenessCommit' });

const FormationCompletenessView = z
  .object({
    format: z.literal(FORMATION_VIEW_FORMAT),
    origin: z.string(),
    formationId: z.string().nullable(),
    checkpoint: z.string().meta({ description: 'The signed checkpoint note (C2SP signed note) whose tree includes the commitment.' }),
    commitment: z.object({
      seq: z.number().int(),
      body: z.string().meta({ description: 'Canonical bytes of the StreamHeadsCommitted entry.' }),
      proof: z.array(z.string()).meta({ description: 'RFC 9162 inclusion proof of the entry in the checkpoint tree (base64 hashes).' }),
    }),
    group: z.object({
      formationId: z.string().nullable(),
      streams: z.number().int(),
      entries: z.number().int(),
      root: hex64,
      index: z.number().int(),
      proof: z.array(z.string()).meta({ description: 'RFC 9162 inclusion proof of the group record in the commitment root (base64 hashes).' }),
    }),
    streams: z.array(
      z.object({
        stream: z.string(),
        versions: z.number().int(),
        head: hex64,
        entries: z.array(z.object({ leaf: hex64, body: z.string().meta({ description: 'Canonical bytes of the entry, exactly as hashed.' }) })),
      }),
    ),
  })
  .meta({ id: 'FormationCompletenessView', description: 'See "Completeness per formation" in docs/ledger-format.md.' });

/** Completeness routes. */
export function completenessRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/periods/:period/completeness',
      operationId: 'commitCompleteness',
      summary: "Record a completeness commitment of every stream's head at the current size (nothing when only commitments were recorded since the last); idempotent by construction",
      tags: ['ledger'],
      roles: PERIOD_COMMAND_ROLES.CommitStreamHeads,
      params: PeriodParams,
      response: CommitResult,
      // The commitment derives its own idempotency key from the size and root: no header is needed.
      write: false,
      status: 200,
      handler: async (ctx) => {
        const actor = await actorOf(deps, ctx.principal);
        await checkReadScope(deps, ctx.principal, ctx.params.period);
        const result = await commitCompleteness(deps.service, ctx.params.period, { actor });
        if (result.committed) ctx.log.info({ period: ctx.params.period, seq: result.commitment?.seq, asOf: result.commitment?.asOf }, 'completeness committed');
        return result;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/periods/:period/completeness',
      operationId: 'listCompletenessCommitments',
      summary: 'The completeness commitments of a period, in the order recorded',
      tags: ['ledger'],
      roles: READERS,
      params: PeriodParams,
      response: z.object({ items: z.array(Commitment) }),
      handler: async (ctx) => {
        await checkReadScope(deps, ctx.principal, ctx.params.period);
        return { items: await listCommitments(deps.service, ctx.params.period) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/periods/:period/formations/:formation/completeness',
      operationId: 'formationCompleteness',
      summary:
        "Every entry of a formation's streams (applications, scores, decisions, flags) as of the latest commitment a signed checkpoint includes, with the proofs that nothing was left out or added",
      tags: ['ledger'],
      roles: READERS,
      params: FormationParams,
      query: z.object({
        atSize: z.coerce.number().int().min(1).optional().meta({ description: 'Size of the checkpoint to prove against (signed now if none exists); default: the latest checkpoint that includes a commitment.' }),
      }),
      response: FormationCompletenessView,
      handler: async (ctx) => {
        await checkReadScope(deps, ctx.principal, ctx.params.period);
        const v = await formationView(deps.service, ctx.params.period, ctx.params.formation, { atSize: ctx.query.atSize });
        return {
          ...v,
          commitment: { ...v.commitment, proof: [...v.commitment.proof] },
          group: { ...v.group, proof: [...v.group.proof] },
          streams: v.streams.map((s) => ({ ...s, entries: [...s.entries] })),
        };
      },
    }),
  ];
}
