/**
 * Who the caller is, and the health of the ledgers the caller may read: size, latest
 * signed checkpoint, and the verdict of the worker's last full verification. The console
 * signs in and draws the ombudsman's health page with these.
 */
import { z } from 'zod';
import { Gauge } from 'prom-client';
import { ROLES, defineRoute, type AnyRoute, type Metrics } from '../http/index.ts';
import { READERS, principalOf, type RouteDeps } from './context.ts';

const Me = z
  .object({
    actorId: z.string(),
    role: z.enum(ROLES),
    agency: z.string().nullable().meta({ description: 'The agency an officer, supervisor or portal acts for; null for oversight and admins.' }),
  })
  .meta({ id: 'Me' });

const LedgerHealth = z
  .object({
    ledger: z.string().meta({ description: "The period id, or 'directory'." }),
    origin: z.string(),
    size: z.number().int().meta({ description: 'Committed entries now.' }),
    checkpoint: z
      .object({ size: z.number().int(), root: z.string().meta({ description: 'base64' }), note: z.string(), verifierKey: z.string() })
      .nullable()
      .meta({ description: 'The latest signed checkpoint (C2SP signed note); null before the first.' }),
    verification: z
      .object({
        ok: z.boolean(),
        at: z.string().meta({ description: 'When the verification ran (RFC 3339).' }),
        verifiedSize: z.number().int().nullable().meta({ description: 'Entries covered by the last successful verification.' }),
      })
      .nullable()
      .meta({ description: "The worker's last full verification of the chain (the ledger_verification_ok gauge); null when this process has not verified the ledger yet (the worker runs elsewhere or has not run)." }),
  })
  .meta({ id: 'LedgerHealth' });

/** The value of a gauge of the worker for one ledger, when this process has one. */
async function gaugeValue(metrics: Metrics, name: string, ledger: string): Promise<number | undefined> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!(metric instanceof Gauge)) return undefined;
  const { values } = await metric.get();
  return values.find((v) => v.labels.ledger === ledger)?.value;
}

/** Health routes; `metrics` is the registry the worker of this process reports to. */
export function healthRoutes(deps: RouteDeps & { readonly metrics: Metrics }): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/me',
      operationId: 'whoAmI',
      summary: 'The caller: actor id, role and agency of the bearer token',
      tags: ['tokens'],
      roles: ROLES,
      response: Me,
      handler: (ctx) => {
        const { actorId, role, agency } = principalOf(ctx.principal);
        return Promise.resolve({ actorId, role, agency });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/health/ledgers',
      operationId: 'ledgerHealth',
      summary: "The ledgers the caller may read (an agency's officers: its periods and the directory): size, latest signed checkpoint, last full verification",
      tags: ['ledger'],
      roles: READERS,
      response: z.object({ items: z.array(LedgerHealth) }),
      handler: async (ctx) => {
        const { agency } = principalOf(ctx.principal);
        const ledgers = [
          ...deps.service.periods().filter((p) => agency === null || p.agency === agency).map((p) => ({ ledger: p.periodId, origin: p.origin })),
          { ledger: 'directory', origin: deps.service.directory.origin },
        ];
        const store = deps.service.store;
        const items = [];
        for (const { ledger, origin } of ledgers) {
          const [size, checkpoint, ok, at, verifiedSize] = await Promise.all([
            store.size(origin),
            store.latestCheckpoint(origin),
            gaugeValue(deps.metrics, 'ledger_verification_ok', origin),
            gaugeValue(deps.metrics, 'ledger_verification_timestamp_seconds', origin),
            gaugeValue(deps.metrics, 'ledger_verified_size', origin),
          ]);
          items.push({
            ledger,
            origin,
            size,
            checkpoint: checkpoint
              ? { size: checkpoint.size, root: Buffer.from(checkpoint.root).toString('base64'), note: checkpoint.note, verifierKey: await store.verifierKey(origin) }
              : null,
            verification: ok === undefined || at === undefined ? null : { ok: ok === 1, at: new Date(at * 1000).toISOString(), verifiedSize: verifiedSize ?? null },
          });
        }
        return { items };
      },
    }),
  ];
}
