/**
 * The recruitment system over the configured database: the store, personal-data keys,
 * tokens, the recruitment service and the read models, opened together and closed once.
 */
import { RecruitmentService, TokenStore } from '@casn/api';
import { migrateToLatest, type EventStore } from '@casn/event-store';
import { BlindIndexer, Vault, loadPersonalDataKeys } from '@casn/personal-data';
import { ProjectionRunner } from '@casn/projections';
import type { CliConfig } from './config.ts';
import { openStore } from './open-store.ts';

/** Everything a command or the server needs to record and read. */
export interface System {
  readonly store: EventStore;
  readonly vault: Vault;
  readonly indexer: BlindIndexer;
  readonly tokens: TokenStore;
  readonly service: RecruitmentService;
  readonly runner: ProjectionRunner;
  close(): Promise<void>;
}

/**
 * Opens the system. The embedded database is created and migrated on the way; a server's
 * schema must have been migrated with `pnpm ledger migrate`.
 */
export async function openSystem(config: CliConfig): Promise<System> {
  const embedded = 'dataDir' in config.database;
  const store = await openStore(config, { schema: embedded ? 'create' : 'required' });
  try {
    if (embedded) await migrateToLatest(store.database);
    const keys = await loadPersonalDataKeys(config.keys.dir, { generate: config.keys.generate });
    const service = new RecruitmentService({ store, directoryOrigin: config.directoryOrigin, originBase: config.originBase });
    await service.init();
    return {
      store,
      vault: new Vault(store.database, keys.keyEncryptionKey),
      indexer: new BlindIndexer(keys.indexKey),
      tokens: new TokenStore(store.database),
      service,
      runner: new ProjectionRunner(store),
      close: () => store.close(),
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** Runs `fn` on the opened system and closes it whatever happens. */
export async function withSystem<T>(config: CliConfig, fn: (system: System) => Promise<T>): Promise<T> {
  const system = await openSystem(config);
  try {
    return await fn(system);
  } finally {
    await system.close();
  }
}
