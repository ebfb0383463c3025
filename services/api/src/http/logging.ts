/** Structured logging with pino, redacting credentials and personal data. */
import { pino, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

const PERSONAL_KEYS = ['nik', 'kk', 'phone', 'email', 'address', 'name', 'birthDate', 'bank', 'personal', 'token'];

/** Log paths that are always censored: credentials, and personal-data keys up to three levels deep. */
export const PERSONAL_DATA_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...PERSONAL_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]),
];

/** The redaction settings of every logger made here (also applied to the HTTP logger). */
export const LOG_REDACTION = { paths: [...PERSONAL_DATA_PATHS], censor: '[redacted]' };

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Minimum level; default 'info'. */
  level?: LevelWithSilent;
  /** Where lines go; default standard output. */
  destination?: DestinationStream;
  /** Fields on every line instead of pino's pid and hostname, e.g. `{ service: 'api' }`. */
  base?: Record<string, unknown>;
}

/** A JSON-lines logger with ISO timestamps, level names and personal-data redaction. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      ...(opts.base ? { base: opts.base } : {}),
      redact: LOG_REDACTION,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination ?? pino.destination(1),
  );
}
