import { StoreError } from '@casn/event-store';
import { createTestDatabase, type TestDatabase } from '@casn/event-store/testing';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createHttpApp,
  createLogger,
  defineRoute,
  HttpProblem,
  Metrics,
  registerProblemMapper,
  TokenStore,
  type AnyRoute,
  type HttpDeps,
} from '../src/http/index.ts';

const NIK = '3201234567890123';
const PHONE = '081234567890';

class RuleBroken extends Error {}

const routes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/periods/:period',
    operationId: 'getPeriod',
    summary: 'A recruitment period',
    tags: ['periods'],
    roles: 'public',
    params: z.object({ period: z.string().regex(/^\d{4}$/) }),
    response: z.object({ period: z.string(), open: z.boolean() }),
    handler: async ({ params, principal }) => {
      const period: string = params.period;
      return Promise.resolve({ period, open: principal === undefined });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/periods/:period/formations',
    operationId: 'createFormation',
    summary: 'Announce a formation',
    tags: ['formations'],
    roles: ['officer', 'supervisor'],
    params: z.object({ period: z.string().regex(/^\d{4}$/) }),
    body: z.object({
      formation: z.object({ code: z.string().min(1), quota: z.number().int().min(1) }),
      contact: z.object({ nik: z.string().length(16), phone: z.string() }).optional(),
    }),
    response: z.object({ id: z.string(), quota: z.number(), by: z.string() }).meta({ id: 'Formation' }),
    handler: async ({ params, body, principal, idempotencyKey, log }) => {
      log.info({ contact: body.contact }, 'formation received');
      // The extra key must not reach the client: the response schema drops it.
      const result = { id: `${params.period}/${body.formation.code}/${idempotencyKey}`, quota: body.formation.quota, by: principal!.actorId, nik: NIK };
      return Promise.resolve(result);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/imports',
    operationId: 'importCsv',
    summary: 'Import from CSV',
    tags: ['imports'],
    roles: ['officer'],
    body: z.string(),
    status: 202,
    response: z.object({ lines: z.number() }),
    handler: ({ body }) => Promise.resolve({ lines: body.trim().split('\n').length }),
  }),
  defineRoute({
    method: 'get',
    path: '/failures/:kind',
    operationId: 'fail',
    summary: 'Throws',
    tags: ['test'],
    roles: ['inspector'],
    params: z.object({ kind: z.enum(['conflict', 'internal', 'mapped', 'problem', 'unavailable']) }),
    response: z.object({}),
    handler: ({ params }) => {
      if (params.kind === 'conflict') throw new StoreError('CONFLICT', 'stream formation-F1 is at version 3, not 2', { stream: 'formation-F1', actual: 3 });
      if (params.kind === 'unavailable') throw new StoreError('UNAVAILABLE', 'the embedded database /secret/path is in use');
      if (params.kind === 'mapped') throw new RuleBroken('quota-exceeded');
      if (params.kind === 'problem') throw new HttpProblem(409, 'Already announced', { extra: { formation: 'F-1' } });
      throw new Error(`connection failed for ${NIK}`);
    },
  }),
];

let testDb: TestDatabase;
let tokens: TokenStore;
let lines: string[];
let deps: HttpDeps;
let app: ReturnType<typeof createHttpApp>;
const auth: Record<'officer' | 'inspector' | 'revoked', string> = { officer: '', inspector: '', revoked: '' };

function logs(): Record<string, unknown>[] {
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Lets the response's 'close' handlers (access log, metrics) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

beforeAll(async () => {
  testDb = await createTestDatabase();
  tokens = new TokenStore(testDb.database);
  auth.officer = (await tokens.issue({ actorId: 'officer-1', role: 'officer', agency: 'tangsel', label: 'test' })).token;
  auth.inspector = (await tokens.issue({ actorId: 'inspector-1', role: 'inspector', agency: null, label: 'test' })).token;
  const revoked = await tokens.issue({ actorId: 'officer-2', role: 'officer', agency: 'tangsel', label: 'old' });
  auth.revoked = revoked.token;
  await tokens.revoke(revoked.id);
  lines = [];
  deps = {
    routes,
    authenticate: tokens.authenticator,
    logger: createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } }),
    metrics: new Metrics(),
    ready: () => Promise.resolve(true),
    info: { title: 'CASN test API', version: '0.0.1' },
  };
  app = createHttpApp(deps);
});

afterAll(async () => {
  await testDb.cleanup();
});

beforeEach(() => {
  lines.length = 0;
});

const formation = { formation: { code: 'F-1', quota: 3 }, contact: { nik: NIK, phone: PHONE } };

function post(body: unknown, token = auth.officer, key: string | null = 'key-1') {
  let req = request(app).post('/periods/2026/formations').set('Authorization', `Bearer ${token}`);
  if (key !== null) req = req.set('Idempotency-Key', key);
  return req.send(body as object);
}

describe('routes', () => {
  it('serves a public route without a token', async () => {
    const res = await request(app).get('/periods/2026').expect(200);
    expect(res.body).toEqual({ period: '2026', open: true });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('gives a public route the principal of a valid token', async () => {
    const res = await request(app).get('/periods/2026').set('Authorization', `Bearer ${auth.inspector}`).expect(200);
    expect(res.body).toEqual({ period: '2026', open: false });
  });

  it('runs a write with a valid token, body and idempotency key; the response schema strips extra keys', async () => {
    const res = await post(formation).expect(201);
    expect(res.body).toEqual({ id: '2026/F-1/key-1', quota: 3, by: 'officer-1' });
    expect(res.text).not.toContain(NIK);
  });

  it('answers an invalid nested body with 400 naming the field, never echoing values', async () => {
    const res = await post({ formation: { code: 'F-1', quota: -7777 }, contact: { nik: `${NIK}9`, phone: 81234 } }).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.body as { status: number; detail: string; errors: { field: string; message: string }[]; instance: string; requestId: string };
    expect(body.status).toBe(400);
    expect(body.errors.map((e) => e.field)).toEqual(['body.formation.quota', 'body.contact.nik', 'body.contact.phone']);
    expect(body.detail).toMatch(/^body\.formation\.quota: /);
    expect(body.detail).toContain('(and 2 more)');
    expect(body.instance).toBe('/periods/2026/formations');
    expect(body.requestId).toBe(res.headers['x-request-id']);
    expect(res.text).not.toContain('7777');
    expect(res.text).not.toContain(NIK);
    expect(res.text).not.toContain('81234');
  });

  it('validates path parameters', async () => {
    const res = await request(app).get('/periods/20x6').expect(400);
    expect((res.body as { errors: { field: string }[] }).errors[0]!.field).toBe('params.period');
    expect(JSON.stringify((res.body as { errors: unknown }).errors)).not.toContain('20x6');
  });

  it('answers malformed JSON with 400, without quoting it', async () => {
    const res = await request(app)
      .post('/periods/2026/formations')
      .set('Authorization', `Bearer ${auth.officer}`)
      .set('Idempotency-Key', 'k')
      .set('Content-Type', 'application/json')
      .send(`{"contact": {"nik": "${NIK}"`)
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((res.body as { title: string }).title).toBe('body is not valid JSON');
    expect(res.text).not.toContain(NIK);
  });

  it('answers a body over 1 MB with 413', async () => {
    const res = await post({ formation: { code: 'x'.repeat(1_100_000), quota: 1 } }).expect(413);
    expect((res.body as { status: number }).status).toBe(413);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await request(app).get('/nope?nik=1').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, instance: '/nope', type: 'urn:casn:problem:no-route' });
  });

  it('requires an Idempotency-Key header on writes', async () => {
    const missing = await post(formation, auth.officer, null).expect(400);
    expect(missing.body).toMatchObject({ errors: [{ field: 'header.Idempotency-Key' }] });
    expect((missing.body as { detail: string }).detail).toContain('Idempotency-Key');
    const invalid = await post(formation, auth.officer, 'has spaces in it').expect(400);
    expect(invalid.body).toMatchObject({ errors: [{ field: 'header.Idempotency-Key' }] });
    await post(formation, auth.officer, 'x'.repeat(201)).expect(400);
    await post(formation, auth.officer, 'sscasn:2026.F-1_a').expect(201);
  });

  it('hands a text/csv body to a route whose body is z.string()', async () => {
    const res = await request(app)
      .post('/imports')
      .set('Authorization', `Bearer ${auth.officer}`)
      .set('Idempotency-Key', 'csv-1')
      .set('Content-Type', 'text/csv')
      .send('nik,name\n1,a\n2,b\n')
      .expect(202);
    expect(res.body).toEqual({ lines: 3 });
  });
});

describe('authentication and roles', () => {
  it('answers 401 with WWW-Authenticate without a token', async () => {
    const res = await request(app).post('/periods/2026/formations').set('Idempotency-Key', 'k').send(formation).expect(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers 401 to a malformed header, an unknown token and a revoked token', async () => {
    const basic = await request(app).post('/periods/2026/formations').set('Authorization', 'Basic b2ZmaWNlcjpwdw==').send(formation).expect(401);
    expect(basic.headers['www-authenticate']).toMatch(/^Bearer/);
    const unknown = await post(formation, `casn_${'A'.repeat(43)}`).expect(401);
    expect(unknown.headers['www-authenticate']).toMatch(/^Bearer.*invalid_token/);
    await post(formation, 'not-a-token').expect(401);
    const revoked = await post(formation, auth.revoked).expect(401);
    expect(revoked.headers['www-authenticate']).toMatch(/^Bearer/);
    // A public route with a bad token is refused too rather than served anonymously.
    await request(app).get('/periods/2026').set('Authorization', `Bearer ${auth.revoked}`).expect(401);
  });

  it('answers 403 to a role the route does not admit, and logs the denial without the token', async () => {
    const res = await post(formation, auth.inspector).set('X-Request-Id', 'deny-test-1').expect(403);
    expect(res.body).toMatchObject({ status: 403, requestId: 'deny-test-1' });
    await settle();
    const denial = logs().find((l) => l.msg === 'request denied');
    expect(denial).toMatchObject({ level: 'warn', reqId: 'deny-test-1', route: 'createFormation', actorId: 'inspector-1', role: 'inspector', reason: 'role-not-allowed' });
    const all = lines.join('');
    expect(all).not.toContain(auth.inspector);
    expect(all).not.toContain(auth.inspector.slice(5, 20));
    expect(all).not.toContain(NIK);
  });

  it('logs 401 denials with their reason', async () => {
    await post(formation, auth.revoked).expect(401);
    await request(app).post('/periods/2026/formations').send(formation).expect(401);
    const reasons = logs()
      .filter((l) => l.msg === 'request denied')
      .map((l) => [l.level, l.route, l.reason]);
    expect(reasons).toEqual([
      ['warn', 'createFormation', 'invalid-token'],
      ['warn', 'createFormation', 'missing-token'],
    ]);
    expect(lines.join('')).not.toContain(auth.revoked.slice(5));
  });
});

describe('errors', () => {
  const fail = (kind: string) => request(app).get(`/failures/${kind}`).set('Authorization', `Bearer ${auth.inspector}`);

  it('maps a StoreError CONFLICT to 409 with its details', async () => {
    const res = await fail('conflict').expect(409);
    expect(res.body).toMatchObject({ status: 409, code: 'CONFLICT', stream: 'formation-F1', actual: 3, type: 'urn:casn:problem:conflict' });
  });

  it('maps UNAVAILABLE to 503 without internal details', async () => {
    const res = await fail('unavailable').expect(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.text).not.toContain('/secret/path');
  });

  it('answers HttpProblem as it is, extras included', async () => {
    const res = await fail('problem').expect(409);
    expect(res.body).toMatchObject({ title: 'Already announced', formation: 'F-1', type: 'about:blank' });
  });

  it('uses registered mappers', async () => {
    const unregister = registerProblemMapper((err) =>
      err instanceof RuleBroken ? new HttpProblem(422, 'Rule broken', { extra: { rule: err.message } }) : undefined,
    );
    try {
      const res = await fail('mapped').expect(422);
      expect(res.body).toMatchObject({ rule: 'quota-exceeded' });
    } finally {
      unregister();
    }
    await fail('mapped').expect(500);
  });

  it('answers anything else with a generic 500 and logs the message at error level', async () => {
    const res = await fail('internal').set('X-Request-Id', 'boom-1').expect(500);
    expect(res.body).toMatchObject({ status: 500, title: 'Internal server error', requestId: 'boom-1' });
    expect(res.text).not.toContain('connection failed');
    await settle();
    const failure = logs().find((l) => l.msg === 'request failed');
    expect(failure).toMatchObject({ level: 'error', reqId: 'boom-1', err: { message: expect.stringContaining('connection failed') as string } });
  });
});

describe('logging', () => {
  it('round-trips a valid X-Request-Id and replaces an invalid one', async () => {
    const kept = await request(app).get('/periods/2026').set('X-Request-Id', 'abc-123').expect(200);
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await request(app).get('/periods/2026').set('X-Request-Id', 'not valid!').expect(200);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const fresh = await request(app).get('/periods/2026').expect(200);
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('redacts personal data that handlers log, and never logs bodies or query strings', async () => {
    await post(formation, auth.officer, 'redaction-1').set('X-Request-Id', 'redact-1').expect(201);
    await request(app).get(`/periods/2026?nik=${NIK}`).expect(200);
    await settle();
    const all = lines.join('');
    expect(all).not.toContain(NIK);
    expect(all).not.toContain(PHONE);
    const received = logs().find((l) => l.msg === 'formation received');
    expect(received).toMatchObject({ reqId: 'redact-1', route: 'createFormation', contact: { nik: '[redacted]', phone: '[redacted]' } });
    const access = logs().filter((l) => l.msg === 'request completed');
    expect(access.map((l) => (l.req as { url: string }).url)).toEqual(['/periods/2026/formations', '/periods/2026']);
    expect(access[0]).toMatchObject({ reqId: 'redact-1', res: { statusCode: 201 } });
  });

  it('redacts with a logger from createLogger, nested and at the top level', () => {
    const out: string[] = [];
    const log = createLogger({ destination: { write: (l: string) => void out.push(l) } });
    log.info({ nik: NIK, applicant: { phone: PHONE, email: 'a@b.id', documents: { kk: NIK, birthDate: '2000-01-01' } }, req: { headers: { authorization: 'Bearer casn_secret' } } }, 'x');
    expect(out.join('')).not.toMatch(new RegExp(`${NIK}|${PHONE}|a@b\\.id|2000-01-01|casn_secret`));
    expect(out.join('')).toContain('[redacted]');
  });
});

describe('service endpoints', () => {
  it('answers /healthz', async () => {
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 when ready and a 503 problem when not', async () => {
    await request(app).get('/readyz').expect(200);
    const notReady = createHttpApp({ ...deps, ready: () => Promise.resolve(false) });
    const res = await request(notReady).get('/readyz').expect(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const failing = createHttpApp({ ...deps, ready: () => Promise.reject(new Error('db down')) });
    await request(failing).get('/readyz').expect(503);
  });

  it('exports the request histogram on /metrics', async () => {
    await request(app).get('/periods/2026').expect(200);
    await request(app).get('/nowhere').expect(404);
    await settle();
    const res = await request(app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="getPeriod"[^}]*status="200"[^}]*\} [1-9]/);
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="unmatched"[^}]*status="404"/);
    expect(res.text).toContain('process_cpu_seconds_total');
  });

  it('serves Swagger UI from local assets only', async () => {
    const res = await request(app).get('/docs').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.text).not.toMatch(/https?:\/\//);
    const urls = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls).toEqual(expect.arrayContaining(['/docs/assets/swagger-ui.css', '/docs/assets/swagger-ui-bundle.js', '/docs/init.js']));
    for (const url of urls) {
      const asset = await request(app).get(url).buffer(true).expect(200);
      expect(Number(asset.headers['content-length'])).toBeGreaterThan(0);
    }
    const init = await request(app).get('/docs/init.js').expect(200);
    expect(init.text).toContain("url: '/openapi.json'");
    await request(app).get('/docs/assets/index.html').expect(404);
    await request(app).get('/docs/assets/..%2Fpackage.json').expect(404);
  });
});
