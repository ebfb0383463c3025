import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import express from 'express';
import { createHttpApp, createLogger, defineRoute, Metrics, mountRoutes, openApiDocument, type AnyRoute } from '../src/http/index.ts';

const Quota = z.number().int().min(1).meta({ description: 'Seats in the formation', example: 3 });

const routes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/periods/:period/formations/:formation',
    operationId: 'getFormation',
    summary: 'One formation',
    tags: ['formations'],
    roles: 'public',
    params: z.object({ period: z.string(), formation: z.string() }),
    query: z.object({ include: z.enum(['history']).optional() }),
    response: z.object({ code: z.string(), quota: Quota }),
    handler: ({ params }) => Promise.resolve({ code: params.formation, quota: 1 }),
  }),
  defineRoute({
    method: 'post',
    path: '/periods/:period/formations',
    operationId: 'createFormation',
    summary: 'Announce a formation',
    tags: ['formations'],
    roles: ['officer'],
    params: z.object({ period: z.string() }),
    body: z.object({ formation: z.object({ code: z.string(), quota: Quota }) }).meta({ id: 'NewFormation' }),
    response: z.object({ id: z.string() }),
    handler: ({ body }) => Promise.resolve({ id: body.formation.code }),
  }),
  defineRoute({
    method: 'post',
    path: '/imports',
    operationId: 'importCsv',
    summary: 'Import applicants from CSV',
    tags: ['imports'],
    roles: ['officer', 'admin'],
    body: z.string(),
    status: 202,
    response: z.object({ lines: z.number() }),
    handler: ({ body }) => Promise.resolve({ lines: body.split('\n').length }),
  }),
];

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown>; responses: Record<string, unknown> };
};

describe('openApiDocument', () => {
  const doc = openApiDocument(routes, { title: 'T', version: '1' }) as Doc;

  it('is OpenAPI 3.1 with a bearer scheme and the Problem schema', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.Problem).toMatchObject({ type: 'object', required: expect.arrayContaining(['type', 'title', 'status']) as unknown });
    expect(doc.components.responses.BadRequest).toMatchObject({ content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
  });

  it('documents a public GET with path and query parameters and no security', () => {
    const op = doc.paths['/periods/{period}/formations/{formation}']!.get!;
    expect(op).toMatchObject({ operationId: 'getFormation', security: [], tags: ['formations'] });
    const params = op.parameters as { in: string; name: string; required?: boolean }[];
    expect(params.map((p) => `${p.in}:${p.name}`)).toEqual(['path:period', 'path:formation', 'query:include']);
    expect(Object.keys(op.responses as object).sort()).toEqual(['200', '400', '404']);
  });

  it('documents a write with its request schema, security, idempotency header and problem responses', () => {
    const op = doc.paths['/periods/{period}/formations']!.post!;
    expect(op).toMatchObject({ operationId: 'createFormation', security: [{ bearerAuth: [] }], 'x-roles': ['officer'] });
    expect(op.requestBody).toMatchObject({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewFormation' } } } });
    expect(doc.components.schemas.NewFormation).toMatchObject({
      properties: { formation: { properties: { quota: { type: 'integer', minimum: 1, description: 'Seats in the formation', example: 3 } } } },
    });
    const header = (op.parameters as { in: string; name: string; required: boolean; schema: { pattern: string } }[]).find((p) => p.in === 'header');
    expect(header).toMatchObject({ name: 'Idempotency-Key', required: true });
    const responses = op.responses as Record<string, { $ref?: string }>;
    expect(Object.keys(responses).sort()).toEqual(['201', '400', '401', '403', '404', '409', '413', '422']);
    expect(responses['403']).toEqual({ $ref: '#/components/responses/Forbidden' });
  });

  it('documents a string body as text/csv with its own status', () => {
    const op = doc.paths['/imports']!.post!;
    expect(op.requestBody).toMatchObject({ content: { 'text/csv': { schema: { type: 'string' } } } });
    expect(op.responses).toHaveProperty('202');
  });

  it('refuses routes whose path parameters and params schema differ, and duplicate operationIds', () => {
    const bad = defineRoute({ method: 'get', path: '/a/:id', operationId: 'a', summary: '', tags: [], roles: 'public', response: z.object({}), handler: () => Promise.resolve({}) });
    expect(() => openApiDocument([bad], { title: 'T', version: '1' })).toThrow(/path parameters \(id\)/);
    expect(() => mountRoutes(express.Router(), [bad], { authenticate: () => Promise.resolve(undefined) })).toThrow(/path parameters/);
    expect(() => openApiDocument([routes[0]!, routes[0]!], { title: 'T', version: '1' })).toThrow(/used twice/);
  });

  it('is served at /openapi.json', async () => {
    const app = createHttpApp({
      routes,
      authenticate: () => Promise.resolve(undefined),
      logger: createLogger({ level: 'silent' }),
      metrics: new Metrics(),
      ready: () => Promise.resolve(true),
      info: { title: 'T', version: '1' },
    });
    const res = await request(app).get('/openapi.json').expect(200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});
