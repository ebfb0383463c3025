// The witness routes on a real app and database: handing in cosignatures (good, bad signature,
// unknown witness, wrong size, wrong role), the checkpoint served with them, and the witnesses'
// lag.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { PeriodCommand } from '@casn/domain';
import { testEngine } from '@casn/event-store/testing';
import {
  canonicalize,
  checkCosignatureQuorum,
  cosignerFromSignerKey,
  formatCosignature,
  generateSignerKey,
  noteText,
  openCheckpoint,
  parseCosignatureVerifierKey,
  sha256,
  utf8,
  type Cosigner,
  type WitnessEntry,
} from '@casn/ledger-core';
import { BlindIndexer } from '@casn/personal-data';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics, TokenStore, createApp, createLogger } from '../src/index.ts';
import { periodBody, type Checkpoint, type Problem } from './fixtures.ts';
import { AGENCY, key, startApp, type ActorName, type TestApp } from './support.ts';

const PERIOD = 'saksi-2026';
const inspektorat = cosignerFromSignerKey(generateSignerKey('inspektorat.example.go.id').skey);
const ombudsman = cosignerFromSignerKey(generateSignerKey('ombudsman.example.go.id').skey);
const stranger = cosignerFromSignerKey(generateSignerKey('stranger.example.org').skey);
const witnesses: WitnessEntry[] = [
  { verifier: parseCosignatureVerifierKey(inspektorat.vkey), url: 'http://127.0.0.1:9/witness' },
  { verifier: parseCosignatureVerifierKey(ombudsman.vkey) },
];

let t: TestApp;
let app: Express;
let logged = '';
let origin: string;
let note: string;

const now = (): number => Math.floor(Date.now() / 1000);
const cosign = (w: Cosigner, text: string, at = now()): string => formatCosignature(w.cosign(text, at)).slice(0, -1);
const auth = (actor: ActorName): string => `Bearer ${t.tokens[actor]}`;
const post = (actor: ActorName, period: string, body: object | string) => {
  const req = request(app).post(`/v1/ledgers/${period}/cosignatures`).set('Authorization', auth(actor));
  return typeof body === 'string' ? req.set('Content-Type', 'text/plain').send(body) : req.send(body);
};
const get = (actor: ActorName, path: string) => request(app).get(path).set('Authorization', auth(actor));

function expectProblem(res: request.Response, status: number, field?: string): Problem {
  expect(res.status, res.text).toBe(status);
  expect(res.type).toBe('application/problem+json');
  const problem = res.body as Problem;
  if (field !== undefined) expect(problem.errors?.map((e) => e.field)).toEqual([field]);
  return problem;
}

beforeAll(async () => {
  t = await startApp();
  // The app of startApp knows no witnesses: build one over the same service that does.
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logged += chunk.toString();
      done();
    },
  });
  app = createApp({
    service: t.service,
    runner: t.runner,
    vault: t.vault,
    indexer: new BlindIndexer(randomBytes(32)),
    tokens: new TokenStore(t.db.database, { cacheMs: 0 }),
    logger: createLogger({ level: 'info', destination }),
    metrics: new Metrics(),
    witnesses,
  });
  const command = { type: 'OpenPeriod', ...periodBody(PERIOD) } as PeriodCommand;
  const admin = { id: 'admin', role: 'admin', agency: null } as const;
  await t.service.executePeriod(PERIOD, command, admin, { idempotencyKey: key(), fingerprint: sha256(utf8(canonicalize(command))) });
  origin = (await t.service.period(PERIOD)).origin;
  note = (await t.store.checkpoint(origin)).note;
});
afterAll(async () => t.close());

describe(`cosignature routes on ${testEngine}`, () => {
  it('stores a good cosignature (JSON and text/plain), once per witness and checkpoint, and serves the checkpoint with it', async () => {
    const size = (await t.store.latestCheckpoint(origin))!.size;
    const text = noteText(note)!;
    const line = cosign(inspektorat, text);
    const first = await post('inspector', PERIOD, { size, cosignature: line });
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ origin, size, witness: 'inspektorat.example.go.id', line, stored: true });
    // The same witness again (a later timestamp): the first one is kept.
    const again = await post('admin', PERIOD, { size, cosignature: cosign(inspektorat, text, now() + 5) });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ line, stored: false });
    const byText = await post('ombudsman', PERIOD, `size ${size}\n${cosign(ombudsman, text)}\n`);
    expect(byText.status, byText.text).toBe(201);
    expect(byText.body).toMatchObject({ witness: 'ombudsman.example.go.id', stored: true });

    const served = (await get('portal', `/v1/ledgers/${PERIOD}/checkpoint`)).body as Checkpoint;
    expect(served.note.startsWith(note)).toBe(true);
    expect(served.note.slice(note.length)).toBe(`${line}\n${(byText.body as { line: string }).line}\n`);
    expect(openCheckpoint(served.note, served.verifierKey).ok).toBe(true);
    const quorum = checkCosignatureQuorum(served.note, witnesses.map((w) => w.verifier), 2);
    expect(quorum.ok && quorum.cosigners.map((c) => c.witness.name)).toEqual(['inspektorat.example.go.id', 'ombudsman.example.go.id']);
    expect(logged).toContain('"msg":"cosignature stored"');
  });

  it('refuses a bad signature, an unknown witness and a malformed line with 422 naming body.cosignature, storing nothing', async () => {
    const size = (await t.store.latestCheckpoint(origin))!.size;
    const text = noteText(note)!;
    const before = (await t.store.cosignatures(origin)).length;
    const otherBody = text.replace(`\n${size}\n`, `\n${size + 1}\n`);
    const bad = expectProblem(await post('ombudsman', PERIOD, { size, cosignature: cosign(ombudsman, otherBody) }), 422, 'body.cosignature');
    expect(bad).toMatchObject({ type: 'urn:casn:problem:cosignature-invalid-signature', reason: 'invalid_signature' });
    expect(bad.detail).toMatch(/^body\.cosignature: cosignature refused: the cosignature by ombudsman\.example\.go\.id\+[0-9a-f]{8} does not verify/);
    const unknown = expectProblem(await post('inspector', PERIOD, { size, cosignature: cosign(stranger, text) }), 422, 'body.cosignature');
    expect(unknown).toMatchObject({ type: 'urn:casn:problem:cosignature-unknown-witness', reason: 'unknown_witness' });
    expect(unknown.detail).toContain('stranger.example.org+');
    expect(unknown.detail).toContain('is not a configured witness key');
    const garbage = expectProblem(await post('inspector', PERIOD, { size, cosignature: '— inspektorat.example.go.id AAAA' }), 422, 'body.cosignature');
    expect(garbage.reason).toBe('malformed');
    expect((await t.store.cosignatures(origin)).length).toBe(before);
  });

  it('answers 409 naming body.size for a checkpoint size that was never signed', async () => {
    const text = noteText(note)!;
    const p = expectProblem(await post('inspector', PERIOD, { size: 99, cosignature: cosign(inspektorat, text) }), 409, 'body.size');
    expect(p.type).toBe('urn:casn:problem:unknown-checkpoint');
    expectProblem(await post('inspector', PERIOD, 'size 99\n' + cosign(inspektorat, text) + '\n'), 409, 'body.size');
  });

  it('refuses callers other than inspectors, the ombudsman and administrators, and malformed bodies', async () => {
    const size = (await t.store.latestCheckpoint(origin))!.size;
    const body = { size, cosignature: cosign(inspektorat, noteText(note)!) };
    expectProblem(await post('officer', PERIOD, body), 403);
    expectProblem(await post('portal', PERIOD, body), 403);
    expect((await request(app).post(`/v1/ledgers/${PERIOD}/cosignatures`).send(body)).status).toBe(401);
    expectProblem(await post('inspector', PERIOD, { cosignature: body.cosignature }), 400, 'body.size');
    expectProblem(await post('inspector', PERIOD, 'sizes 1\nx\n'), 400, 'body.size');
    expectProblem(await post('inspector', PERIOD, `size ${size}\n`), 400, 'body.cosignature');
    expectProblem(await post('inspector', 'no-such-period', body), 404);
  });
});

describe(`witness status on ${testEngine}`, () => {
  it("lists the configured witnesses with their latest cosigned size and lag, which grows with the ledger and closes when they cosign", async () => {
    const dir = t.service.directory.origin;
    const cp1 = await t.store.checkpoint(dir);
    const accepted = await post('inspector', 'directory', { size: cp1.size, cosignature: cosign(inspektorat, noteText(cp1.note)!) });
    expect(accepted.status, accepted.text).toBe(201);

    const system = { id: 'system', role: 'admin' as const, agency: null };
    const command = { type: 'RegisterActor', actorId: 'saksi-baru', role: 'officer', agency: AGENCY, indexes: {} } as const;
    await t.service.executeDirectory(command, system, { idempotencyKey: key(), fingerprint: sha256(utf8(canonicalize(command))) });
    const cp2 = await t.store.checkpoint(dir);
    expect(cp2.size).toBeGreaterThan(cp1.size);

    const res = await get('portal', '/v1/ledgers/directory/witnesses');
    expect(res.status, res.text).toBe(200);
    const body = res.body as { origin: string; checkpointSize: number; witnesses: { name: string; asked: boolean; cosignedSize: number | null; lagEntries: number; lagSeconds: number; vkey: string }[] };
    expect(body).toMatchObject({ origin: dir, checkpointSize: cp2.size });
    expect(body.witnesses.map((w) => [w.name, w.asked, w.cosignedSize, w.lagEntries])).toEqual([
      ['inspektorat.example.go.id', true, cp1.size, cp2.size - cp1.size],
      ['ombudsman.example.go.id', false, null, cp2.size],
    ]);
    expect(body.witnesses[0]!.vkey).toBe(inspektorat.vkey);
    expect(body.witnesses.every((w) => w.lagSeconds >= 0)).toBe(true);

    expect((await post('inspector', 'directory', { size: cp2.size, cosignature: cosign(inspektorat, noteText(cp2.note)!) })).status).toBe(201);
    const after = (await get('inspector', '/v1/ledgers/directory/witnesses')).body as typeof body;
    expect(after.witnesses[0]).toMatchObject({ cosignedSize: cp2.size, lagEntries: 0, lagSeconds: 0 });
  });
});
