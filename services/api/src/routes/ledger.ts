/**
 * The ledger contract over HTTP: the latest signed checkpoint, an entry by seq, and
 * inclusion and consistency proofs. Anyone with a token reads them; verification needs
 * nothing but the log's public key.
 */
import { isStoreError } from '@casn/event-store';
import { z } from 'zod';
import { defineRoute, HttpProblem, type AnyRoute } from '../http/index.ts';
import { READERS, checkReadScope, type RouteDeps } from './context.ts';

const LedgerParams = z.object({ period: z.string().min(1).max(64).meta({ description: "A period id, or 'directory' for the directory ledger." }) });
const Size = z.coerce.number().int().min(0);

/** Runs a store call, naming the query parameter at fault when the store refuses an argument. */
async function queryFields<T>(fields: Readonly<Record<string, string>>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const field = isStoreError(err) && err.code === 'INVALID_ARGUMENT' ? fields[String(err.details.field)] : undefined;
    if (field === undefined) throw err;
    throw new HttpProblem(400, 'Invalid request', { detail: `${field}: ${(err as Error).message}`, errors: [{ field, message: (err as Error).message }] });
  }
}

/** Ledger routes. */
export function ledgerRoutes(deps: RouteDeps): AnyRoute[] {
  const originOf = async (ctx: { params: { period: string }; principal: Parameters<typeof checkReadScope>[1] }): Promise<string> =>
    ctx.params.period === 'directory' ? deps.service.directory.origin : (await checkReadScope(deps, ctx.principal, ctx.params.period)).origin;
  const roles = [...READERS, 'portal'] as const;
  return [
    defineRoute({
      method: 'get',
      path: '/v1/ledgers/:period/checkpoint',
      operationId: 'latestCheckpoint',
      summary: 'The latest signed checkpoint (C2SP signed note) of a ledger',
      tags: ['ledger'],
      roles,
      params: LedgerParams,
      response: z.object({ origin: z.string(), size: z.number().int(), root: z.string().meta({ description: 'base64' }), note: z.string(), verifierKey: z.string() }),
      handler: async (ctx) => {
        const origin = await originOf(ctx);
        const checkpoint = await deps.service.store.latestCheckpoint(origin);
        if (!checkpoint) throw new HttpProblem(404, 'Not Found', { detail: 'no checkpoint has been signed yet' });
        return { origin, size: checkpoint.size, root: Buffer.from(checkpoint.root).toString('base64'), note: checkpoint.note, verifierKey: await deps.service.store.verifierKey(origin) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/ledgers/:period/entries/:seq',
      operationId: 'getEntry',
      summary: 'One entry: its canonical bytes exactly as hashed, and its leaf hash',
      tags: ['ledger'],
      roles,
      params: LedgerParams.extend({ seq: Size }),
      response: z.object({ seq: z.number().int(), leaf: z.string().meta({ description: 'hex' }), body: z.string() }),
      handler: async (ctx) => {
        const [entry] = await deps.service.store.readLedger(await originOf(ctx), ctx.params.seq, 1);
        if (!entry) throw new HttpProblem(404, 'Not Found', { detail: `no entry ${ctx.params.seq}` });
        return { seq: entry.seq, leaf: Buffer.from(entry.leaf).toString('hex'), body: entry.body };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/ledgers/:period/proofs/inclusion',
      operationId: 'inclusionProof',
      summary: 'RFC 6962 inclusion proof of the entry at seq in the tree of the given size (default: latest checkpoint)',
      tags: ['ledger'],
      roles,
      params: LedgerParams,
      query: z.object({ seq: Size, size: Size.optional() }),
      response: z.object({ origin: z.string(), index: z.number().int(), size: z.number().int(), leafHash: z.string(), hashes: z.array(z.string()), root: z.string() }),
      handler: async (ctx) => {
        const origin = await originOf(ctx);
        const size = ctx.query.size ?? (await deps.service.store.latestCheckpoint(origin))?.size;
        if (size === undefined) throw new HttpProblem(404, 'Not Found', { detail: 'no checkpoint yet: give size' });
        if (ctx.query.seq >= size) throw new HttpProblem(400, 'Invalid request', { detail: 'query.seq: must be below size', errors: [{ field: 'query.seq', message: 'must be below size' }] });
        const proof = await queryFields({ seq: 'query.seq', size: 'query.size' }, () => deps.service.store.inclusionProof(origin, ctx.query.seq, size));
        return { ...proof, hashes: [...proof.hashes] };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/ledgers/:period/proofs/consistency',
      operationId: 'consistencyProof',
      summary: 'RFC 6962 consistency proof between two tree sizes',
      tags: ['ledger'],
      roles,
      params: LedgerParams,
      query: z.object({ from: Size, to: Size }),
      response: z.object({ origin: z.string(), size1: z.number().int(), size2: z.number().int(), hashes: z.array(z.string()), root1: z.string(), root2: z.string() }),
      handler: async (ctx) => {
        if (ctx.query.from > ctx.query.to) throw new HttpProblem(400, 'Invalid request', { detail: 'query.from: must not exceed to', errors: [{ field: 'query.from', message: 'must not exceed to' }] });
        const origin = await originOf(ctx);
        const proof = await queryFields({ size1: 'query.from', size2: 'query.to', size: 'query.to' }, () => deps.service.store.consistencyProof(origin, ctx.query.from, ctx.query.to));
        return { ...proof, hashes: [...proof.hashes] };
      },
    }),
  ];
}
