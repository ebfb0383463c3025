/**
 * A real app on a fresh test database, with a registered agency, actors of every role and
 * their tokens: what the API tests drive with supertest.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, KeyStore } from '@casn/event-store';
import { createTestDatabase, type TestDatabase } from '@casn/event-store/testing';
import { canonicalize, sha256, utf8 } from '@casn/ledger-core';
import { BlindIndexer, Vault } from '@casn/personal-data';
import { ProjectionRunner } from '@casn/projections';
import type { Express } from 'express';
import { Writable } from 'node:stream';
import { Metrics, TokenStore, createApp, createLogger } from '../src/index.ts';
import { RecruitmentService } from '../src/recruitment/service.ts';

export const AGENCY = 'kota-uji';
export const OTHER_AGENCY = 'kota-lain';

/** Actors registered by `startApp`, by id: role and agency. */
export const ACTORS = {
  admin: { role: 'admin', agency: null },
  officer: { role: 'officer', agency: AGENCY },
  officer2: { role: 'officer', agency: AGENCY },
  supervisor: { role: 'supervisor', agency: AGENCY },
  supervisor2: { role: 'supervisor', agency: AGENCY },
  portal: { role: 'portal', agency: AGENCY },
  inspector: { role: 'inspector', agency: null },
  ombudsman: { role: 'ombudsman', agency: null },
  'other-officer': { role: 'officer', agency: OTHER_AGENCY },
} as const;
export type ActorName = keyof typeof ACTORS;

export interface TestApp {
  readonly app: Express;
  readonly tokens: Record<ActorName, string>;
  readonly service: RecruitmentService;
  readonly store: EventStore;
  readonly vault: Vault;
  readonly runner: ProjectionRunner;
  readonly db: TestDatabase;
  /** Everything logged, one JSON line per record. */
  readonly logs: () => string;
  /** `Authorization` header value of an actor. */
  auth(actor: ActorName): string;
  close(): Promise<void>;
}

let keyCounter = 0;
/** A fresh Idempotency-Key. */
export function key(): string {
  return `k-${Date.now().toString(36)}-${keyCounter++}-${randomBytes(4).toString('hex')}`;
}

/** Starts the real app on a fresh database; `clock` pins the domain's and the store's time. */
export async function startApp(opts: { clock?: () => Date } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const keysDir = await mkdtemp(join(tmpdir(), 'casn-api-test-'));
  const store = new EventStore(db.database, { keys: new KeyStore({ dir: keysDir, generate: true }), ...(opts.clock ? { clock: opts.clock } : {}) });
  const vault = new Vault(db.database, randomBytes(32));
  const indexer = new BlindIndexer(randomBytes(32));
  const service = new RecruitmentService({ store, directoryOrigin: 'test.casn.go.id/directory', originBase: 'test.casn.go.id', ...(opts.clock ? { clock: opts.clock } : {}) });
  await service.init();
  const system = { id: 'system', role: 'admin' as const, agency: null };
  const once = (command: object) => ({ idempotencyKey: key(), fingerprint: sha256(utf8(canonicalize(command))) });
  for (const [code, name] of [[AGENCY, 'Kota Uji'], [OTHER_AGENCY, 'Kota Lain']] as const) {
    const command = { type: 'RegisterAgency', code, name, level: 'daerah' } as const;
    await service.executeDirectory(command, system, once(command));
  }
  const tokenStore = new TokenStore(db.database, { cacheMs: 0 });
  const tokens = {} as Record<ActorName, string>;
  for (const [actorId, a] of Object.entries(ACTORS) as [ActorName, (typeof ACTORS)[ActorName]][]) {
    const command = { type: 'RegisterActor', actorId, role: a.role, agency: a.agency, indexes: {} } as const;
    await service.executeDirectory(command, system, once(command));
    tokens[actorId] = (await tokenStore.issue({ actorId, role: a.role, agency: a.agency, label: 'test' })).token;
  }
  let logged = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logged += chunk.toString();
      done();
    },
  });
  const runner = new ProjectionRunner(store);
  const app = createApp({ service, runner, vault, indexer, tokens: tokenStore, logger: createLogger({ level: 'info', destination }), metrics: new Metrics() });
  return {
    app,
    tokens,
    service,
    store,
    vault,
    runner,
    db,
    logs: () => logged,
    auth: (actor) => `Bearer ${tokens[actor]}`,
    async close() {
      await db.cleanup();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}
