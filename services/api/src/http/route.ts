/**
 * Routes are defined once, as data: the same definition mounts the express handler
 * (authentication, roles, validation, idempotency key) and documents it in OpenAPI.
 */
import type { Request, RequestHandler, Router } from 'express';
import { pino, type Logger } from 'pino';
import { z } from 'zod';
import {
  createDocument,
  type ZodObjectInput,
  type ZodOpenApiOperationObject,
  type ZodOpenApiParameters,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import type { Authenticator } from '../auth/tokens.ts';
import { HttpProblem, ProblemSchema, type FieldError } from './problem.ts';

/** Every role a token can carry. */
export const ROLES = ['officer', 'supervisor', 'inspector', 'ombudsman', 'admin', 'portal'] as const;

/** Who a caller is acting as; routes list the roles they admit (no role implies another). */
export type Role = (typeof ROLES)[number];

/** True when `value` is one of ROLES. */
export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

/** The authenticated caller of a request. */
export interface Principal {
  readonly actorId: string;
  readonly role: Role;
  readonly agency: string | null;
  readonly tokenId: string;
}

/** What a handler receives: validated inputs, the caller, and a logger bound to the request. */
export interface RouteContext<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  /** Undefined only on public routes called without a token. */
  principal: Principal | undefined;
  /** Always set on writes; on reads, set when the client sent a valid one. */
  idempotencyKey: string | undefined;
  /** Bound to the request id and the operationId; personal-data keys are redacted. */
  log: Logger;
  req: Request;
}

/** One endpoint: how it is called, who may call it, its schemas and its handler. */
export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  method: 'get' | 'post';
  /** Express style, e.g. '/periods/:period/formations/:formation'; every `:name` must be a key of `params`. */
  path: string;
  /** Unique; also the route's label in metrics and logs. */
  operationId: string;
  summary: string;
  tags: string[];
  /** Roles allowed to call it, or 'public' for no token needed. */
  roles: readonly Role[] | 'public';
  /** A z.object of the path parameters (strings in; use z.coerce for numbers). */
  params?: P;
  /** A z.object of the query parameters (strings or string arrays in). */
  query?: Q;
  /** The request body: a JSON schema, or z.string() for a text/csv upload. */
  body?: B;
  /** The success body; the handler's result is parsed with it, so unknown keys are dropped. */
  response: R;
  /** Success status; default 200, or 201 for POST. 204 sends no body. */
  status?: number;
  /** A write requires an Idempotency-Key header; default: method === 'post'. */
  write?: boolean;
  handler: (ctx: RouteContext<P, Q, B>) => Promise<z.input<R>>;
}

/** A route of any schemas, as lists of routes hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any, any>;

type ErasedRoute = RouteSpec<z.ZodType, z.ZodType, z.ZodType, z.ZodType>;

/** Returns its argument; it exists so that TypeScript infers the handler's context from the schemas. */
export function defineRoute<
  P extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodType,
>(spec: RouteSpec<P, Q, B, R>): RouteSpec<P, Q, B, R> {
  return spec;
}

/** What an Idempotency-Key header must look like. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

const PATH_PARAM = /:([A-Za-z_$][\w$]*)/g;
const fallbackLog = pino({ level: 'silent' });

/** Adds each route to `router`: authenticate, check the role, validate, require the idempotency key, call, respond. */
export function mountRoutes(router: Router, routes: readonly AnyRoute[], deps: { authenticate: Authenticator }): void {
  checkRoutes(routes);
  for (const route of routes as readonly ErasedRoute[]) router[route.method](route.path, handlerOf(route, deps.authenticate));
}

function handlerOf(route: ErasedRoute, authenticate: Authenticator): RequestHandler {
  const write = isWrite(route);
  const status = successStatus(route);
  return async (req, res) => {
    res.locals.route = route.operationId;
    const log = ((req.log as Logger | undefined) ?? fallbackLog).child({ route: route.operationId });
    const principal = await authorize(route, req, log, authenticate);
    const errors: FieldError[] = [];
    const params: unknown = parse('params', route.params, req.params, errors);
    const query: unknown = parse('query', route.query, req.query, errors);
    const body: unknown = parse('body', route.body, req.body, errors);
    if (errors.length > 0) {
      const [first] = errors as [FieldError, ...FieldError[]];
      throw new HttpProblem(400, 'Invalid request', {
        type: 'urn:casn:problem:invalid-request',
        detail: `${first.field}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
        errors,
      });
    }
    const idempotencyKey = idempotencyKeyOf(req, write);
    const result = await route.handler({ params, query, body, principal, idempotencyKey, log, req });
    const out = route.response.safeParse(result);
    if (!out.success) {
      const fields = fieldErrors('response', out.error).map((e) => e.field).join(', ');
      throw new Error(`the result of ${route.operationId} does not match its response schema at ${fields}`);
    }
    if (status === 204) res.status(204).end();
    else res.status(status).json(out.data);
  };
}

async function authorize(route: ErasedRoute, req: Request, log: Logger, authenticate: Authenticator): Promise<Principal | undefined> {
  const header = req.get('authorization');
  if (header === undefined || header === '') {
    if (route.roles === 'public') return undefined;
    throw deny(log, 401, 'missing-token', 'send an Authorization: Bearer token', 'Bearer');
  }
  const token = /^Bearer +(\S+) *$/i.exec(header)?.[1];
  if (token === undefined) {
    throw deny(log, 401, 'malformed-authorization', 'the Authorization header must be "Bearer <token>"', 'Bearer error="invalid_request"');
  }
  const principal = await authenticate(token);
  if (!principal) throw deny(log, 401, 'invalid-token', 'the token is unknown or revoked', 'Bearer error="invalid_token"');
  if (route.roles !== 'public' && !route.roles.includes(principal.role)) {
    throw deny(log, 403, 'role-not-allowed', `role ${principal.role} may not use ${route.operationId}`, undefined, principal);
  }
  return principal;
}

function deny(log: Logger, status: 401 | 403, reason: string, detail: string, challenge?: string, principal?: Principal): HttpProblem {
  log.warn({ reason, ...(principal ? { actorId: principal.actorId, role: principal.role } : {}) }, 'request denied');
  if (status === 403) return new HttpProblem(403, 'Forbidden', { type: 'urn:casn:problem:forbidden', detail });
  return new HttpProblem(401, 'Authentication required', {
    type: 'urn:casn:problem:unauthenticated',
    detail,
    headers: { 'WWW-Authenticate': challenge ?? 'Bearer' },
  });
}

function parse(part: string, schema: z.ZodType | undefined, value: unknown, errors: FieldError[]): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  errors.push(...fieldErrors(part, result.error));
  return undefined;
}

// Zod's messages name the rule (expected type, bounds, options), never the input.
function fieldErrors(part: string, error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ field: [part, ...issue.path.map(String)].join('.'), message: issue.message }));
}

function idempotencyKeyOf(req: Request, write: boolean): string | undefined {
  const key = req.get('idempotency-key');
  if (key !== undefined && IDEMPOTENCY_KEY_PATTERN.test(key)) return key;
  if (!write) return undefined;
  const message =
    key === undefined
      ? 'required on requests that change state, so that a retry is not recorded twice'
      : 'must be 1 to 200 characters of A-Z a-z 0-9 . _ : -';
  throw new HttpProblem(400, 'Idempotency-Key header required', {
    type: 'urn:casn:problem:idempotency-key',
    detail: `Idempotency-Key header: ${message}`,
    errors: [{ field: 'header.Idempotency-Key', message }],
  });
}

function isWrite(route: ErasedRoute): boolean {
  return route.write ?? route.method === 'post';
}

function successStatus(route: ErasedRoute): number {
  return route.status ?? (route.method === 'post' ? 201 : 200);
}

function pathParams(path: string): string[] {
  return [...path.matchAll(PATH_PARAM)].map((m) => m[1]!);
}

/** Throws on a route list that cannot be served or documented: duplicate operationIds, undeclared path parameters, a GET body. */
function checkRoutes(routes: readonly AnyRoute[]): void {
  const ids = new Set<string>();
  for (const route of routes as readonly ErasedRoute[]) {
    const where = `route ${route.operationId} (${route.method.toUpperCase()} ${route.path})`;
    if (ids.has(route.operationId)) throw new Error(`${where}: operationId is used twice`);
    ids.add(route.operationId);
    if (!route.path.startsWith('/')) throw new Error(`${where}: path must start with /`);
    if (route.method === 'get' && route.body) throw new Error(`${where}: a GET has no body`);
    const names = pathParams(route.path).sort();
    const declared = route.params instanceof z.ZodObject ? Object.keys(route.params.shape).sort() : [];
    if (route.params && !(route.params instanceof z.ZodObject)) throw new Error(`${where}: params must be a z.object`);
    if (names.join() !== declared.join()) {
      throw new Error(`${where}: params must declare exactly the path parameters (${names.join(', ') || 'none'})`);
    }
  }
}

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

const PROBLEM_RESPONSES = {
  BadRequest: {
    description: 'Invalid request: a field broke a rule (see `errors`), the body is not valid JSON, or a write lacks its Idempotency-Key header.',
    content: problemContent,
  },
  Unauthorized: { description: 'No bearer token, or an unknown or revoked one.', content: problemContent },
  Forbidden: { description: "The token's role may not call this operation.", content: problemContent },
  NotFound: { description: 'A resource named in the path does not exist.', content: problemContent },
  Conflict: { description: 'The state changed since the client read it (expected version); read again and retry.', content: problemContent },
  PayloadTooLarge: { description: 'The body is larger than this endpoint accepts.', content: problemContent },
  UnprocessableEntity: {
    description: 'The request breaks a recruitment rule, or reuses an Idempotency-Key with a different body.',
    content: problemContent,
  },
} satisfies Record<string, ZodOpenApiResponseObject>;

const ref = (name: keyof typeof PROBLEM_RESPONSES) => ({ $ref: `#/components/responses/${name}` });

function operationOf(route: ErasedRoute): ZodOpenApiOperationObject {
  const write = isWrite(route);
  const status = successStatus(route);
  const isPublic = route.roles === 'public';
  const requestParams: ZodOpenApiParameters = {
    ...(route.params ? { path: route.params as ZodObjectInput } : {}),
    ...(route.query ? { query: route.query as ZodObjectInput } : {}),
    ...(write ? { header: idempotencyHeader } : {}),
  };
  const responses: ZodOpenApiResponsesObject = {
    [String(status)]:
      status === 204
        ? { description: 'Done; no body.' }
        : { description: 'Success.', content: { 'application/json': { schema: route.response } } },
    ...(route.params || route.query || route.body || write ? { 400: ref('BadRequest') } : {}),
    ...(isPublic ? {} : { 401: ref('Unauthorized'), 403: ref('Forbidden') }),
    ...(route.params ? { 404: ref('NotFound') } : {}),
    ...(write ? { 409: ref('Conflict'), 422: ref('UnprocessableEntity') } : {}),
    ...(route.body ? { 413: ref('PayloadTooLarge') } : {}),
  };
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: route.tags,
    description: route.roles === 'public' ? 'Public: no token needed.' : `Roles: ${route.roles.join(', ')}.`,
    security: isPublic ? [] : [{ bearerAuth: [] }],
    'x-roles': route.roles === 'public' ? [] : [...route.roles],
    requestParams,
    ...(route.body
      ? { requestBody: { required: true, content: { [route.body instanceof z.ZodString ? 'text/csv' : 'application/json']: { schema: route.body } } } }
      : {}),
    responses,
  };
}

const idempotencyHeader = z.object({
  'Idempotency-Key': z.string().regex(IDEMPOTENCY_KEY_PATTERN).meta({
    description: 'A client-chosen key, unique per intended change: a retry with the same key and body is answered with the original result, not recorded twice.',
    example: 'sscasn-2026-000123',
  }),
});

/** The OpenAPI 3.1 document of `routes`, with bearer security and the problem responses of each route. */
export function openApiDocument(routes: readonly AnyRoute[], info: { title: string; version: string; description?: string }): object {
  checkRoutes(routes);
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes as readonly ErasedRoute[]) {
    const item = (paths[route.path.replace(PATH_PARAM, '{$1}')] ??= {});
    item[route.method] = operationOf(route);
  }
  return createDocument({
    openapi: '3.1.0',
    info: { ...info },
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'casn_<43 base64url characters>', description: 'An API token issued by an administrator.' },
      },
      responses: PROBLEM_RESPONSES,
    },
  });
}
