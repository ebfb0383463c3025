/**
 * The write routes of a period, one per command: the body is the command's schema less
 * the ids taken from the path, so the OpenAPI description and the validation are the
 * domain's own schemas.
 */
import { PERIOD_COMMAND_ROLES, PeriodCommands, type PeriodCommand, type PeriodCommandType } from '@casn/domain';
import type { z } from 'zod';
import { defineRoute, type AnyRoute } from '../http/index.ts';
import { ApplicationParams, FormationParams, PeriodParams, WriteResponse, recordPeriodCommand, type RouteDeps } from './context.ts';

interface CommandRoute {
  readonly command: PeriodCommandType;
  /** Path under /v1/periods/:period. */
  readonly path: string;
  readonly summary: string;
}

// Commands whose bodies carry personal data or data the service derives have their own routes.
const COMMAND_ROUTES: readonly CommandRoute[] = [
  { command: 'AmendSchedule', path: '/schedule/amendments', summary: 'Move a stage window (e.g. extend registration), with the announcement that moved it' },
  { command: 'PublishResults', path: '/publications', summary: 'Record that the results of a stage were published (administrasi opens the sanggah window; score stages lock scores)' },
  { command: 'AnnounceFormation', path: '/formations', summary: 'Announce a formation (formasi)' },
  { command: 'AmendFormation', path: '/formations/:formation/amendments', summary: 'Amend a formation, with a reason and reference' },
  { command: 'VerifyDocuments', path: '/applications/:application/verification', summary: 'Record the administrative verification (MS/TMS per document)' },
  { command: 'ConfirmVerification', path: '/applications/:application/verification/confirmation', summary: "Confirm the verifier's verdict (a supervisor other than the verifier)" },
  { command: 'ReturnVerification', path: '/applications/:application/verification/return', summary: 'Send a verification back to the verifier' },
  { command: 'Reverify', path: '/applications/:application/reverification', summary: 'Re-verify a confirmed application (e.g. MS turned TMS), with a reason' },
  { command: 'FileSanggah', path: '/applications/:application/sanggah', summary: 'File an objection (sanggah) within its window' },
  { command: 'DecideSanggah', path: '/applications/:application/sanggah/decision', summary: 'Accept or reject a sanggah; a changed result needs the Panselnas approval reference' },
  { command: 'RecordSkdScore', path: '/applications/:application/skd-scores', summary: 'Record SKD scores (TWK, TIU, TKP)' },
  { command: 'RecordAbsence', path: '/applications/:application/absences', summary: 'Record an absence from a test (TH)' },
  { command: 'Disqualify', path: '/applications/:application/disqualification', summary: 'Disqualify an applicant (DIS), with the reference' },
  { command: 'RecordSkbScore', path: '/applications/:application/skb-scores', summary: 'Record one SKB part score (examiner for hand-scored parts)' },
  { command: 'RecordCompetencyScore', path: '/applications/:application/competency-scores', summary: 'Record PPPK competency scores' },
  { command: 'RecordFinalDecision', path: '/applications/:application/final-decision', summary: 'Record the final result code (L, TL, TH, TMS, DIS, P/L, optimalisasi codes)' },
  { command: 'ResignApplicant', path: '/applications/:application/resignation', summary: 'Record a resignation (APS)' },
  { command: 'DecideSkdCut', path: '/formations/:formation/skd-cut', summary: 'Decide the cut to SKB (3× quota, official tie-breaks, ties at the boundary go on)' },
  { command: 'AnnounceResults', path: '/formations/:formation/announcements', summary: 'Record the published final results list and the hash of its document' },
  { command: 'AppointReplacement', path: '/formations/:formation/replacements', summary: 'Appoint the next-ranked applicant in place of one who resigned' },
];

/** Builds the route of one command from the table above. */
function commandRoute(deps: RouteDeps, spec: CommandRoute): AnyRoute {
  const schema = PeriodCommands[spec.command] as z.ZodObject;
  const onApplication = spec.path.includes(':application');
  const onFormation = spec.path.includes(':formation');
  const body = schema.omit({ ...(onApplication ? { applicationId: true } : {}), ...(onFormation ? { formationId: true } : {}) });
  const params = onApplication ? ApplicationParams : onFormation ? FormationParams : PeriodParams;
  const operationId = spec.command.charAt(0).toLowerCase() + spec.command.slice(1);
  return defineRoute({
    method: 'post',
    path: `/v1/periods/:period${spec.path}`,
    operationId,
    summary: spec.summary,
    tags: [onApplication ? 'applications' : onFormation ? 'formations' : 'periods'],
    roles: PERIOD_COMMAND_ROLES[spec.command],
    params,
    body,
    response: WriteResponse,
    handler: (ctx) => {
      const p = ctx.params as { period: string; application?: string; formation?: string };
      const command = {
        type: spec.command,
        ...(ctx.body as object),
        ...(p.application !== undefined ? { applicationId: p.application } : {}),
        ...(p.formation !== undefined ? { formationId: p.formation } : {}),
      } as PeriodCommand;
      const fields = { ...(onApplication ? { applicationId: 'params.application' } : {}), ...(onFormation ? { formationId: 'params.formation' } : {}) };
      return recordPeriodCommand(deps, ctx, operationId, p.period, command, fields);
    },
  });
}

/** Every plain command route. */
export function commandRoutes(deps: RouteDeps): AnyRoute[] {
  return COMMAND_ROUTES.map((spec) => commandRoute(deps, spec));
}
