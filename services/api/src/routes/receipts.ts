/**
 * Offline receipts of ledger entries: any entry, at any time, as C2SP tlog-proof text that
 * verifies with nothing but the log's verifier key (`pnpm ledger verify-receipt`). Writes
 * return the receipts of what they recorded; this route serves them again later.
 */
import { z } from 'zod';
import { defineRoute, HttpProblem, type AnyRoute } from '../http/index.ts';
import { READERS, checkReadScope, type RouteDeps } from './context.ts';

const ReceiptParams = z.object({
  period: z.string().min(1).max(64).meta({ description: "A period id, or 'directory' for the directory ledger." }),
  seq: z.coerce.number().int().min(0).meta({ description: 'The entry’s position in its ledger.' }),
});

const ReceiptResponse = z
  .object({
    ledger: z.string().meta({ description: 'Origin of the ledger.' }),
    seq: z.number().int(),
    checkpointSize: z.number().int().meta({ description: 'Size of the signed checkpoint the receipt proves the entry against.' }),
    receipt: z.string().meta({
      description:
        'The receipt as C2SP tlog-proof text (c2sp.org/tlog-proof@v1): `extra` carries the entry’s canonical bytes, then `index`, the ' +
        'inclusion proof and the signed checkpoint note with any cosignatures (docs/ledger-format.md, "Receipts"). Save it as ' +
        'a `.tlog-proof` file, byte for byte.',
      example:
        'c2sp.org/tlog-proof@v1\nextra eyJhY3Rvci…\nindex 0\nwdYIB8Mw+qgWFNHexp85swcc0Vk1VWbFL95pJ7/+8bk=\n\ncasn.example.go.id/2026\n3\n1jZAsp…\n\n— casn.example.go.id/2026 D7hPfi…\n',
    }),
    verifierKey: z.string().meta({ description: 'The log’s verifier key as the server knows it: a convenience; pin the key you trust, obtained out of band.' }),
  })
  .meta({ id: 'Receipt' });

/** The receipt route. */
export function receiptRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/ledgers/:period/entries/:seq/receipt',
      operationId: 'entryReceipt',
      summary:
        'An offline receipt of one entry (C2SP tlog-proof), against the latest signed checkpoint covering it; one is signed when none covers it yet',
      tags: ['ledger'],
      roles: [...READERS, 'portal'],
      params: ReceiptParams,
      response: ReceiptResponse,
      handler: async (ctx) => {
        const origin =
          ctx.params.period === 'directory' ? deps.service.directory.origin : (await checkReadScope(deps, ctx.principal, ctx.params.period)).origin;
        const [entry] = await deps.service.store.readLedger(origin, ctx.params.seq, 1);
        if (!entry) throw new HttpProblem(404, 'Not Found', { type: 'urn:casn:problem:not-found', detail: `params.seq: no entry ${ctx.params.seq}`, errors: [{ field: 'params.seq', message: 'no such entry' }] });
        const { receipt, checkpoint } = await deps.service.receipt(origin, ctx.params.seq);
        return { ledger: origin, seq: ctx.params.seq, checkpointSize: checkpoint.size, receipt, verifierKey: await deps.service.store.verifierKey(origin) };
      },
    }),
  ];
}
