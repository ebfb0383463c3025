/**
 * Errors as RFC 7807 problem+json. A problem names fields and rules, never submitted
 * values: those can be personal data.
 */
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { isStoreError, type StoreError, type StoreErrorCode } from '@casn/event-store';
import { z } from 'zod';

/** One input that broke a rule: where it is (e.g. 'body.formation.quota') and the rule, never its value. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** The optional parts of a problem. */
export interface ProblemOptions {
  /** Human-readable explanation of this occurrence; no submitted values. */
  detail?: string;
  /** A URI naming the kind of problem; defaults to 'about:blank'. */
  type?: string;
  errors?: FieldError[];
  /** Extension members added to the body (they cannot replace the standard ones). */
  extra?: Record<string, unknown>;
  /** Response headers, e.g. WWW-Authenticate or Retry-After. */
  headers?: Record<string, string>;
}

/** An error that the problem middleware answers as it is, with its status. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  readonly type: string;
  readonly detail: string | undefined;
  readonly errors: readonly FieldError[] | undefined;
  readonly extra: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly status: number,
    readonly title: string,
    opts: ProblemOptions = {},
  ) {
    super(opts.detail ?? title);
    this.type = opts.type ?? 'about:blank';
    this.detail = opts.detail;
    this.errors = opts.errors;
    this.extra = opts.extra ?? {};
    this.headers = opts.headers ?? {};
  }
}

/** The problem+json body, as documented in OpenAPI (component 'Problem'). */
export const ProblemSchema = z
  .looseObject({
    type: z.string().meta({ description: "A URI naming the kind of problem, or 'about:blank'.", example: 'urn:casn:problem:invalid-request' }),
    title: z.string().meta({ description: 'A short summary of the kind of problem.', example: 'Invalid request' }),
    status: z.number().int().meta({ description: 'The HTTP status code.', example: 400 }),
    detail: z.string().optional().meta({ description: 'What went wrong this time; never contains submitted values.' }),
    instance: z.string().meta({ description: 'The request path, without its query.', example: '/periods/2026/formations' }),
    requestId: z.string().meta({ description: 'The X-Request-Id of the request, to find it in the logs.' }),
    errors: z
      .array(
        z.object({
          field: z.string().meta({ example: 'body.formation.quota' }),
          message: z.string().meta({ example: 'Too small: expected number to be >=1' }),
        }),
      )
      .optional()
      .meta({ description: 'Each input that broke a rule: where it is and the rule.' }),
  })
  .meta({ id: 'Problem', description: 'An RFC 7807 problem; further members depend on its type.' });

/** Turns an error it recognises into a problem, or returns undefined to pass. */
export type ProblemMapper = (err: unknown) => HttpProblem | undefined;

const mappers: ProblemMapper[] = [];

/** Adds a mapper tried (in registration order) before the built-in ones; returns a function that removes it. */
export function registerProblemMapper(fn: ProblemMapper): () => void {
  mappers.push(fn);
  return () => {
    const i = mappers.indexOf(fn);
    if (i >= 0) mappers.splice(i, 1);
  };
}

const STORE_STATUS: Record<StoreErrorCode, { status: number; title: string }> = {
  CONFLICT: { status: 409, title: 'Conflict' },
  IDEMPOTENCY_MISMATCH: { status: 422, title: 'Idempotency key reused' },
  INVALID_ARGUMENT: { status: 400, title: 'Invalid request' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  KEY_MISSING: { status: 503, title: 'Service unavailable' },
  KEY_MISMATCH: { status: 500, title: 'Internal server error' },
  UNAVAILABLE: { status: 503, title: 'Service unavailable' },
};

function fromStoreError(err: StoreError, req: Request): HttpProblem {
  const { status, title } = STORE_STATUS[err.code];
  const type = `urn:casn:problem:${err.code.toLowerCase().replaceAll('_', '-')}`;
  if (status >= 500) {
    logFailure(req, err, status === 503 ? 'warn' : 'error');
    return new HttpProblem(status, title, {
      type,
      detail: status === 503 ? 'the service cannot complete this request now; retry later' : 'the request failed; quote the requestId when reporting it',
      ...(status === 503 ? { headers: { 'Retry-After': '1' } } : {}),
    });
  }
  const field = err.details.field;
  return new HttpProblem(status, title, {
    type,
    detail: err.message,
    extra: { code: err.code, ...primitives(err.details) },
    ...(typeof field === 'string' ? { errors: [{ field, message: err.message }] } : {}),
  });
}

function primitives(details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(details).filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'),
  );
}

// body-parser (and http-errors) mark client errors with `type`, `status` and `expose`; their
// messages can quote the body, so only the status is used.
function fromClientError(err: unknown): HttpProblem | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, type, expose } = err as { status?: unknown; type?: unknown; expose?: unknown };
  if (type === 'entity.parse.failed') {
    return new HttpProblem(400, 'body is not valid JSON', {
      type: 'urn:casn:problem:malformed-body',
      detail: 'the request body could not be parsed as JSON',
    });
  }
  if (type === 'entity.too.large') {
    return new HttpProblem(413, 'Payload too large', {
      type: 'urn:casn:problem:payload-too-large',
      detail: 'the request body is larger than this endpoint accepts',
    });
  }
  if (typeof status === 'number' && status >= 400 && status < 500 && expose === true) {
    return new HttpProblem(status, STATUS_CODES[status] ?? 'Client error');
  }
  return undefined;
}

function logFailure(req: Request, err: unknown, level: 'warn' | 'error'): void {
  // Only name, message and stack: an error's other properties can carry the request body.
  const e = err instanceof Error ? { type: err.name, message: err.message, stack: err.stack } : { type: typeof err, message: 'non-error thrown' };
  (req.log as Request['log'] | undefined)?.[level]({ err: e }, 'request failed');
}

function toProblem(err: unknown, req: Request): HttpProblem {
  if (err instanceof HttpProblem) return err;
  for (const mapper of mappers) {
    try {
      const problem = mapper(err);
      if (problem) return problem;
    } catch (mapperErr) {
      logFailure(req, mapperErr, 'error');
    }
  }
  if (isStoreError(err)) return fromStoreError(err, req);
  const client = fromClientError(err);
  if (client) return client;
  logFailure(req, err, 'error');
  return new HttpProblem(500, 'Internal server error', {
    type: 'urn:casn:problem:internal',
    detail: 'the request failed; quote the requestId when reporting it',
  });
}

/** The request id assigned by the logging middleware, if any. */
export function requestIdOf(req: Request): string {
  const id: unknown = req.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}

/** Writes a problem as application/problem+json. */
export function sendProblem(req: Request, res: Response, problem: HttpProblem): void {
  const body: Record<string, unknown> = {
    ...problem.extra,
    type: problem.type,
    title: problem.title,
    status: problem.status,
    ...(problem.detail === undefined ? {} : { detail: problem.detail }),
    instance: req.originalUrl.split('?', 1)[0],
    requestId: requestIdOf(req),
    ...(problem.errors === undefined ? {} : { errors: problem.errors }),
  };
  res.set(problem.headers).status(problem.status).type('application/problem+json').json(body);
}

/** The last error handler: answers every error as problem+json (500 for the unrecognised, logged). */
export const problemMiddleware: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  sendProblem(req, res, toProblem(err, req));
};

/** Answers requests that matched no route with a 404 problem. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpProblem(404, 'Not found', { type: 'urn:casn:problem:no-route', detail: `no route for ${req.method} ${req.path}` }));
};
