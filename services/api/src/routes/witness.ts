/**
 * Witnesses over HTTP: an inspectorate or ombudsman (or an administrator relaying for them)
 * hands in a C2SP tlog-cosignature of a signed checkpoint, and anyone who reads the ledger sees
 * which witnesses cosigned how far. A cosignature is stored only when it verifies under a
 * configured witness key for exactly the stored checkpoint of that size; from then on every note
 * the ledger serves for that size carries it.
 */
import { isStoreError, type WitnessStatus } from '@casn/event-store';
import type { WitnessEntry } from '@casn/ledger-core';
import type { Request } from 'express';
import { z } from 'zod';
import { defineRoute, HttpProblem, type AnyRoute, type Role } from '../http/index.ts';
import { READERS, actorOf, checkReadScope, type RouteDeps } from './context.ts';

/** What the witness routes need beyond the other routes: the configured witnesses (default: the store's). */
export interface WitnessRouteDeps extends RouteDeps {
  readonly witnesses?: readonly WitnessEntry[];
}

const LedgerParams = z.object({ period: z.string().min(1).max(64).meta({ description: "A period id, or 'directory' for the directory ledger." }) });

const CosignatureBody = z
  .object({
    size: z.number().int().min(0).meta({ description: 'Size of the checkpoint the cosignature is for.' }),
    cosignature: z
      .string()
      .min(1)
      .max(1000)
      .meta({ description: 'One C2SP tlog-cosignature line: "— <witness name> <base64(key id ‖ timestamp ‖ signature)>".' }),
  })
  .meta({ id: 'CosignatureSubmission' });

const StoredCosignatureSchema = z
  .object({
    origin: z.string(),
    size: z.number().int(),
    witness: z.string(),
    keyId: z.string().meta({ description: '8 hex digits' }),
    timestamp: z.number().int().meta({ description: "The witness's time of cosigning, Unix seconds." }),
    line: z.string(),
    receivedAt: z.string(),
    stored: z.boolean().meta({ description: 'False when a cosignature by this witness key of this checkpoint was already stored: the first one is kept.' }),
  })
  .meta({ id: 'StoredCosignature' });

const WitnessStatusSchema = z
  .object({
    name: z.string(),
    keyId: z.string(),
    vkey: z.string().meta({ description: 'Cosignature verifier key, name+hexid+base64(0x04 ‖ public key).' }),
    asked: z.boolean().meta({ description: 'Whether the worker asks this witness for cosignatures (a URL is configured).' }),
    cosignedSize: z.number().int().nullable(),
    cosignedAt: z.string().nullable().meta({ description: "The witness's timestamp on its latest cosignature (RFC 3339)." }),
    receivedAt: z.string().nullable(),
    lagEntries: z.number().int().meta({ description: 'Entries in the latest checkpoint beyond the largest one this witness cosigned.' }),
    lagSeconds: z.number().meta({ description: 'Seconds since the oldest checkpoint this witness has not cosigned was signed; 0 when it cosigned the latest.' }),
  })
  .meta({ id: 'WitnessStatus' });

/** Roles that may hand in a cosignature: the witnesses' own, and an administrator relaying one. */
const COSIGNERS: readonly Role[] = ['inspector', 'ombudsman', 'admin'];
const TEXT_LIMIT = 16 * 1024;

/** Reads a text/plain body `size <n>\n— name base64\n` (express parses JSON only). */
async function textSubmission(req: Request): Promise<z.output<typeof CosignatureBody>> {
  let text = '';
  for await (const chunk of req as AsyncIterable<Buffer>) {
    text += chunk.toString('utf8');
    if (text.length > TEXT_LIMIT) throw new HttpProblem(413, 'Payload too large', { type: 'urn:casn:problem:payload-too-large', detail: 'a cosignature body is at most 16 KiB' });
  }
  const lines = text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
  const size = /^size (0|[1-9][0-9]*)$/.exec(lines[0] ?? '')?.[1];
  if (size === undefined || !Number.isSafeInteger(Number(size))) throw invalid('body.size', 'the first line must be "size <checkpoint size>"');
  if (lines.length !== 2) throw invalid('body.cosignature', 'the second and last line must be one cosignature line');
  return { size: Number(size), cosignature: lines[1]! };
}

function invalid(field: string, message: string): HttpProblem {
  return new HttpProblem(400, 'Invalid request', { type: 'urn:casn:problem:invalid-request', detail: `${field}: ${message}`, errors: [{ field, message }] });
}

function statusOut(s: WitnessStatus): z.input<typeof WitnessStatusSchema> {
  return {
    name: s.name,
    keyId: s.keyId,
    vkey: s.vkey,
    asked: s.url !== undefined,
    cosignedSize: s.cosignedSize ?? null,
    cosignedAt: s.cosignedAt === undefined ? null : new Date(s.cosignedAt * 1000).toISOString(),
    receivedAt: s.receivedAt?.toISOString() ?? null,
    lagEntries: s.lagEntries,
    lagSeconds: Math.round(s.lagSeconds * 1000) / 1000,
  };
}

/** The witness routes. */
export function witnessRoutes(deps: WitnessRouteDeps): AnyRoute[] {
  const witnesses = (): readonly WitnessEntry[] => deps.witnesses ?? deps.service.store.witnesses;
  const originOf = async (ctx: { params: { period: string }; principal: Parameters<typeof checkReadScope>[1] }): Promise<string> =>
    ctx.params.period === 'directory' ? deps.service.directory.origin : (await checkReadScope(deps, ctx.principal, ctx.params.period)).origin;
  return [
    defineRoute({
      method: 'post',
      path: '/v1/ledgers/:period/cosignatures',
      operationId: 'addCosignature',
      summary:
        'Hand in a witness cosignature (C2SP tlog-cosignature v1) of a signed checkpoint. Body: JSON {size, cosignature}, or text/plain "size <n>\\n" then the cosignature line. ' +
        '201: stored (or already stored: stored=false). 422: the line is malformed, not by a configured witness key, or does not verify for that checkpoint (field body.cosignature). ' +
        '409: no checkpoint of that size (field body.size). Storing is idempotent, so no Idempotency-Key is needed.',
      tags: ['ledger'],
      roles: COSIGNERS,
      write: false,
      params: LedgerParams,
      body: CosignatureBody.optional(),
      response: StoredCosignatureSchema,
      status: 201,
      handler: async (ctx) => {
        await actorOf(deps, ctx.principal);
        const origin = await originOf(ctx);
        let body = ctx.body;
        if (body === undefined) {
          if (!ctx.req.is('text/plain')) throw invalid('body', 'send JSON {size, cosignature} or text/plain "size <n>\\n<cosignature line>\\n"');
          body = await textSubmission(ctx.req);
        }
        try {
          const { stored, cosignature } = await deps.service.store.addCosignature(origin, body.size, body.cosignature, { witnesses: witnesses() });
          ctx.log.info({ ledger: origin, size: body.size, witness: cosignature.witness, keyId: cosignature.keyId, stored }, stored ? 'cosignature stored' : 'cosignature already stored');
          return { ...cosignature, receivedAt: cosignature.receivedAt.toISOString(), stored };
        } catch (err) {
          if (isStoreError(err, 'NOT_FOUND') && err.details.field === 'size') {
            throw new HttpProblem(409, 'Conflict', {
              type: 'urn:casn:problem:unknown-checkpoint',
              detail: `body.size: ${err.message}`,
              errors: [{ field: 'body.size', message: 'no checkpoint of this size has been signed' }],
            });
          }
          if (isStoreError(err, 'INVALID_ARGUMENT') && err.details.field === 'cosignature') {
            const reason = String(err.details.reason);
            ctx.log.warn({ ledger: origin, size: body.size, reason }, 'cosignature refused');
            throw new HttpProblem(422, 'Cosignature refused', {
              type: `urn:casn:problem:cosignature-${reason.replaceAll('_', '-')}`,
              detail: `body.cosignature: ${err.message}`,
              errors: [{ field: 'body.cosignature', message: err.message }],
              extra: { reason },
            });
          }
          if (isStoreError(err, 'INVALID_ARGUMENT') && err.details.field === 'size') throw invalid('body.size', err.message);
          throw err;
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/ledgers/:period/witnesses',
      operationId: 'listWitnesses',
      summary: "The configured witnesses of a ledger: each one's key, the largest checkpoint it cosigned, and how far it lags behind the latest",
      tags: ['ledger'],
      roles: [...READERS, 'portal'],
      params: LedgerParams,
      response: z.object({ origin: z.string(), checkpointSize: z.number().int(), witnesses: z.array(WitnessStatusSchema) }),
      handler: async (ctx) => {
        const origin = await originOf(ctx);
        const status = await deps.service.store.witnessStatus(origin, witnesses());
        const latest = await deps.service.store.latestCheckpoint(origin);
        return { origin, checkpointSize: latest?.size ?? 0, witnesses: status.map(statusOut) };
      },
    }),
  ];
}
