/**
 * The token routes: an admin issues a token to a registered actor (role and agency from
 * the directory) that then authenticates on the API; other roles are refused; unknown and
 * deactivated actors are refused; a revoked token stops working at once.
 */
import { randomBytes } from 'node:crypto';
import { BlindIndexer } from '@casn/personal-data';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics, TOKEN_PATTERN, TokenStore, createHttpApp, createLogger } from '../src/index.ts';
import { tokenRoutes } from '../src/routes/tokens.ts';
import { AGENCY, ACTORS, key, startApp, type ActorName, type TestApp } from './support.ts';

let t: TestApp;
let tokenApp: ReturnType<typeof createHttpApp>;

beforeAll(async () => {
  t = await startApp();
  // The app of the tests is built without these routes: serve them beside it, on the same database.
  const tokens = new TokenStore(t.db.database, { cacheMs: 0 });
  tokenApp = createHttpApp({
    routes: tokenRoutes({ service: t.service, runner: t.runner, vault: t.vault, indexer: new BlindIndexer(randomBytes(32)) }, tokens),
    authenticate: tokens.authenticator,
    logger: createLogger({ level: 'silent' }),
    metrics: new Metrics(),
    ready: () => Promise.resolve(true),
    info: { title: 'tokens', version: '1' },
  });
});
afterAll(async () => t.close());

const issue = (caller: ActorName | null, actor: string, body?: object) => {
  let req = request(tokenApp).post(`/v1/actors/${actor}/tokens`);
  if (caller) req = req.set('Authorization', t.auth(caller));
  return body === undefined ? req : req.send(body);
};
const revoke = (caller: ActorName, id: string) => request(tokenApp).post(`/v1/tokens/${id}/revocation`).set('Authorization', t.auth(caller));
/** Lists periods on the main app with a bearer token: 200 when it authenticates. */
const periods = (token: string) => request(t.app).get('/v1/periods').set('Authorization', `Bearer ${token}`);

describe('POST /v1/actors/:actor/tokens', () => {
  it("issues a token with the actor's directory role and agency, which then authenticates", async () => {
    const res = await issue('admin', 'officer2', { label: 'laptop verifikasi 2' }).expect(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^tok_/) as unknown, token: expect.stringMatching(TOKEN_PATTERN) as unknown, actorId: 'officer2', role: 'officer', agency: AGENCY, label: 'laptop verifikasi 2' });
    const body = res.body as { token: string };
    await periods(body.token).expect(200);
    // An officer of the agency reads the agency's periods, not the admin's view.
    const listed = await request(t.app).get('/v1/actors').set('Authorization', `Bearer ${body.token}`);
    expect(listed.status).toBe(403);
  });

  it('takes the role from the directory, never from the request, and defaults the label', async () => {
    const res = await issue('admin', 'inspector', { role: 'admin', agency: AGENCY }).expect(201);
    expect(res.body).toMatchObject({ role: 'inspector', agency: null, label: 'api' });
    const none = await issue('admin', 'ombudsman').expect(201);
    expect(none.body).toMatchObject({ role: 'ombudsman', label: 'api' });
  });

  it('needs no Idempotency-Key and issues a new token on every call', async () => {
    const a = await issue('admin', 'portal').set('Idempotency-Key', key()).expect(201);
    const b = await issue('admin', 'portal').expect(201);
    expect((a.body as { token: string }).token).not.toBe((b.body as { token: string }).token);
  });

  it.each(['officer', 'supervisor', 'inspector', 'portal', 'ombudsman'] as const)('refuses a %s with 403', async (caller) => {
    const res = await issue(caller, 'officer2').expect(403);
    expect(res.type).toBe('application/problem+json');
  });

  it('answers 401 without a token', async () => {
    await issue(null, 'officer2').expect(401);
  });

  it('answers 404 for an actor the directory does not know', async () => {
    const res = await issue('admin', 'nobody-here').expect(404);
    expect(res.body).toMatchObject({ type: 'urn:casn:problem:not-found', errors: [{ field: 'params.actor' }] });
  });

  it('answers 422 for a deactivated actor', async () => {
    await request(t.app).post('/v1/actors').set('Authorization', t.auth('admin')).set('Idempotency-Key', key()).send({ actorId: 'petugas-lama', role: 'officer', agency: AGENCY }).expect(201);
    await request(t.app).post('/v1/actors/petugas-lama/deactivation').set('Authorization', t.auth('admin')).set('Idempotency-Key', key()).send({ reason: 'pensiun' }).expect(201);
    const res = await issue('admin', 'petugas-lama').expect(422);
    expect(res.body).toMatchObject({ type: 'urn:casn:rule:actor-inactive', rule: 'actor-inactive' });
  });

  it('answers 400 to a bad label', async () => {
    const res = await issue('admin', 'officer2', { label: '' }).expect(400);
    expect(res.body).toMatchObject({ errors: [{ field: 'body.label' }] });
  });
});

describe('POST /v1/tokens/:id/revocation', () => {
  it('revokes a token at once; revoking it again answers the same', async () => {
    const issued = (await issue('admin', 'supervisor2').expect(201)).body as { id: string; token: string };
    await periods(issued.token).expect(200);
    expect((await revoke('admin', issued.id).expect(200)).body).toEqual({ id: issued.id, revoked: true });
    await periods(issued.token).expect(401);
    await revoke('admin', issued.id).expect(200);
  });

  it('answers 404 for an unknown token and 403 to a non-admin', async () => {
    await revoke('admin', 'tok_unknown').expect(404);
    const issued = (await issue('admin', 'officer').expect(201)).body as { id: string; token: string };
    for (const caller of Object.keys(ACTORS).filter((a) => a !== 'admin') as ActorName[]) await revoke(caller, issued.id).expect(403);
    await periods(issued.token).expect(200);
  });
});
