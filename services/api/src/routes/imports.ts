/**
 * Imports of the files officers receive: SSCASN registration exports and BKN CAT score
 * exports (CSV). A file is recorded whole or not at all; every bad row is reported by
 * line. A CAT value that differs from one typed in by hand is recorded beside it (never
 * over it) and reported.
 */
import { randomUUID } from 'node:crypto';
import { PERIOD_COMMAND_ROLES, type PeriodCommand, type PeriodState } from '@casn/domain';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../http/index.ts';
import { ImportError, parseCatScores, parseRegistrations, type CatResult } from '../recruitment/import.ts';
import { sealPerson } from '../recruitment/personal.ts';
import { BatchError, type ReceiptedWriteResult } from '../recruitment/service.ts';
import { checkApplicant } from './applications.ts';
import { PeriodParams, WriteResponse, actorOf, writeRequest, type RouteDeps } from './context.ts';

const Csv = z.string().min(1).meta({ description: 'The CSV file (Content-Type: text/csv), header row first; columns in docs/import.md.' });

const Reconciliation = z.object({
  line: z.number().int(),
  applicationId: z.string(),
  recorded: z.record(z.string(), z.number()).meta({ description: 'The value typed in by hand (kept).' }),
  imported: z.record(z.string(), z.number()).meta({ description: 'The CAT value from the file (recorded beside it).' }),
});

const ImportResponse = z
  .object({
    rows: z.number().int(),
    recorded: z.number().int().meta({ description: 'Rows that added entries (rows already recorded with the same values are skipped).' }),
    write: WriteResponse.nullable(),
    reconciliation: z.array(Reconciliation).meta({ description: 'Hand-recorded scores that differ from the imported CAT value.' }),
  })
  .meta({ id: 'ImportResult' });

/**
 * The answer to a retried import: what was recorded under its key (checked against the
 * caller's agency first); a re-import of the same file under a new key records nothing.
 */
async function replayOf(
  deps: RouteDeps,
  ctx: { params: { period: string }; body: string; principal: Parameters<typeof actorOf>[1]; idempotencyKey: string | undefined },
  operation: string,
): Promise<z.input<typeof ImportResponse> | undefined> {
  const actor = await actorOf(deps, ctx.principal);
  const write = await deps.service.replayed(ctx.params.period, actor, writeRequest(operation, ctx.principal, ctx.idempotencyKey, { periodId: ctx.params.period, csv: ctx.body }));
  if (!write) return undefined;
  const receipted = await deps.service.withReceipts(write);
  // One application stream per recorded row (a registration also writes its person guard).
  const rows = new Set(write.entries.filter((e) => e.stream.startsWith('application-')).map((e) => e.stream)).size;
  return { rows, recorded: rows, write: receipted, reconciliation: [] };
}

/** Runs a batch of per-row commands, turning refusals into line-numbered row errors. */
async function recordRows(
  deps: RouteDeps,
  periodId: string,
  rows: readonly { line: number; command: () => Promise<PeriodCommand> }[],
  ctx: { principal: Parameters<typeof actorOf>[1]; idempotencyKey: string | undefined },
  operation: string,
  csv: string,
): Promise<ReceiptedWriteResult | null> {
  if (rows.length === 0) return null;
  const actor = await actorOf(deps, ctx.principal);
  const request = writeRequest(operation, ctx.principal, ctx.idempotencyKey, { periodId, csv });
  try {
    const write = await deps.service.executePeriodBatch(periodId, async () => Promise.all(rows.map((r) => r.command())), actor, request);
    return await deps.service.withReceipts(write);
  } catch (err) {
    if (!(err instanceof BatchError)) throw err;
    throw new ImportError(
      err.failures.map(({ index, error }) => ({ line: rows[index]!.line, field: error.opts.field ?? '(row)', message: `${error.rule}: ${error.message}` })),
    );
  }
}

function same(a: object, b: object): boolean {
  return Object.entries(a).every(([k, v]) => (b as Record<string, unknown>)[k] === v);
}

/** What a CAT row records, and whether it differs from a hand-entered value; undefined when already recorded. */
function catCommand(state: PeriodState, kind: 'CPNS' | 'PPPK', row: CatResult): { command: PeriodCommand; manual?: object; imported?: object } | undefined {
  const app = state.applications.get(row.applicationId);
  if (row.absent) {
    const stage = kind === 'PPPK' ? 'kompetensi' : 'skd';
    if (app?.absent[stage]) return undefined;
    return { command: { type: 'RecordAbsence', applicationId: row.applicationId, stage } };
  }
  if ('skd' in row) {
    if (app?.skd.cat && same(row.skd, app.skd.cat.score)) return undefined;
    const manual = app?.skd.manual?.score;
    return { command: { type: 'RecordSkdScore', applicationId: row.applicationId, ...row.skd, source: 'cat' }, ...(manual && !same(row.skd, manual) ? { manual, imported: row.skd } : {}) };
  }
  if (app?.competency.cat && same(row.competency, app.competency.cat.score)) return undefined;
  const manual = app?.competency.manual?.score;
  return {
    command: { type: 'RecordCompetencyScore', applicationId: row.applicationId, ...row.competency, source: 'cat' },
    ...(manual && !same(row.competency, manual) ? { manual, imported: row.competency } : {}),
  };
}

/** Import routes. */
export function importRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/periods/:period/imports/registrations',
      operationId: 'importRegistrations',
      summary: 'Import an SSCASN registration export (CSV), all or nothing',
      tags: ['imports'],
      roles: PERIOD_COMMAND_ROLES.SubmitApplication.filter((r) => r !== 'portal'),
      params: PeriodParams,
      body: Csv,
      response: ImportResponse,
      handler: async (ctx) => {
        const period = await deps.service.period(ctx.params.period);
        const replay = await replayOf(deps, ctx, 'importRegistrations');
        if (replay) return replay;
        const registrations = parseRegistrations(ctx.body, (nik, birthDate) => void checkApplicant({ nik, birthDate }, period.year));
        const rows = registrations.map((r) => ({
          line: r.line,
          command: async (): Promise<PeriodCommand> => {
            const birthDate = checkApplicant(r.applicant, period.year);
            const { personal, indexes } = await sealPerson(deps.vault, deps.indexer, randomUUID(), { ...r.applicant, birthDate });
            return {
              type: 'SubmitApplication',
              applicationId: r.applicationId,
              formationId: r.formationId,
              channel: 'import',
              submittedAt: r.submittedAt,
              personal,
              indexes: { ...indexes, nik: indexes.nik! },
              education: r.education,
              ...(r.pppkCategory ? { pppkCategory: r.pppkCategory } : {}),
            };
          },
        }));
        const write = await recordRows(deps, ctx.params.period, rows, ctx, 'importRegistrations', ctx.body);
        return { rows: registrations.length, recorded: rows.length, write, reconciliation: [] };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/periods/:period/imports/cat-scores',
      operationId: 'importCatScores',
      summary: 'Import a BKN CAT score export (SKD for CPNS, competency for PPPK) as CSV, all or nothing, with reconciliation',
      tags: ['imports'],
      roles: PERIOD_COMMAND_ROLES.RecordSkdScore,
      params: PeriodParams,
      body: Csv,
      response: ImportResponse,
      handler: async (ctx) => {
        const period = await deps.service.period(ctx.params.period);
        const replay = await replayOf(deps, ctx, 'importCatScores');
        if (replay) return replay;
        const results = parseCatScores(ctx.body, period.kind);
        const state = await deps.service.periodState(ctx.params.period);
        const reconciliation: z.input<typeof Reconciliation>[] = [];
        const rows: { line: number; command: () => Promise<PeriodCommand> }[] = [];
        for (const row of results) {
          const planned = catCommand(state, period.kind, row);
          if (!planned) continue;
          if (planned.manual) {
            reconciliation.push({ line: row.line, applicationId: row.applicationId, recorded: planned.manual as Record<string, number>, imported: planned.imported as Record<string, number> });
          }
          rows.push({ line: row.line, command: () => Promise.resolve(planned.command) });
        }
        const write = await recordRows(deps, ctx.params.period, rows, ctx, 'importCatScores', ctx.body);
        if (reconciliation.length > 0) ctx.log.warn({ period: ctx.params.period, differences: reconciliation.length }, 'imported CAT values differ from hand-recorded scores');
        return { rows: results.length, recorded: rows.length, write, reconciliation };
      },
    }),
  ];
}
