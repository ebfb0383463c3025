import cron from 'node-cron';
import { z } from 'zod';

/** Cron expressions (node-cron syntax, optional seconds field) of the worker's jobs. */
export interface WorkerSchedules {
  readonly checkpoint?: string;
  readonly catchUp?: string;
  readonly verify?: string;
  /** Red-flag detection on the ledgers that grew (runs only when the worker is given a detection). */
  readonly detect?: string;
}

/** Schedules used when none is configured: checkpoints every 5 minutes, catch-up every 5 seconds, verification nightly at 02:00, detection every 10 seconds. */
export const DEFAULT_SCHEDULES: Required<WorkerSchedules> = {
  checkpoint: '*/5 * * * *',
  catchUp: '*/5 * * * * *',
  verify: '0 2 * * *',
  detect: '*/10 * * * * *',
};

/** Time zone the schedules are read in when none is configured. */
export const DEFAULT_TIMEZONE = 'Asia/Jakarta';

const unsetIfBlank = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const Cron = (fallback: string) =>
  z.preprocess(
    unsetIfBlank,
    z
      .string()
      .trim()
      .refine((v) => cron.validate(v), { message: 'is not a valid cron expression' })
      .default(fallback),
  );

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const Env = z.object({
  CHECKPOINT_CRON: Cron(DEFAULT_SCHEDULES.checkpoint),
  CATCH_UP_CRON: Cron(DEFAULT_SCHEDULES.catchUp),
  VERIFY_CRON: Cron(DEFAULT_SCHEDULES.verify),
  DETECT_CRON: Cron(DEFAULT_SCHEDULES.detect),
  WORKER_TIMEZONE: z.preprocess(unsetIfBlank, z.string().trim().refine(isTimeZone, { message: 'is not a known IANA time zone' }).default(DEFAULT_TIMEZONE)),
});

/**
 * The worker's schedules and time zone from CHECKPOINT_CRON, CATCH_UP_CRON, VERIFY_CRON,
 * DETECT_CRON and WORKER_TIMEZONE (unset or blank: the defaults); throws an Error naming each
 * invalid variable.
 */
export function parseWorkerSchedules(env: Readonly<Record<string, string | undefined>>): { schedules: Required<WorkerSchedules>; timezone: string } {
  const parsed = Env.safeParse({
    CHECKPOINT_CRON: env.CHECKPOINT_CRON,
    CATCH_UP_CRON: env.CATCH_UP_CRON,
    VERIFY_CRON: env.VERIFY_CRON,
    DETECT_CRON: env.DETECT_CRON,
    WORKER_TIMEZONE: env.WORKER_TIMEZONE,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const name = String(i.path[0]);
      return `${name} ${JSON.stringify(env[name] ?? '')} ${i.message}`;
    });
    throw new Error(`invalid worker configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return { schedules: { checkpoint: e.CHECKPOINT_CRON, catchUp: e.CATCH_UP_CRON, verify: e.VERIFY_CRON, detect: e.DETECT_CRON }, timezone: e.WORKER_TIMEZONE };
}
