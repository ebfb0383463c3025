/**
 * The in-process server of a scenario: the real API app (createApp) over the configured
 * database, with a recruitment service and event store that read the scenario's clock,
 * listening on an ephemeral 127.0.0.1 port; and the bootstrap administrator's token.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Metrics, RecruitmentService, createApp, createLogger } from '@casn/api';
import { EventStore } from '@casn/event-store';
import type { Output } from '../command.ts';
import { registerAdmin } from '../commands/token.ts';
import type { CliConfig } from '../config.ts';
import type { System } from '../system.ts';

/** A running in-process API. */
export interface InProcessServer {
  readonly url: string;
  /** A fresh token of the bootstrap administrator (revoked by close). */
  readonly adminToken: string;
  close(): Promise<void>;
}

/**
 * Starts the API on `system`'s database with `clock` as the time of every decision and
 * entry, after registering `adminId` (as the system, like `ledger admin`) when missing.
 */
export async function startInProcessServer(system: System, cfg: CliConfig, clock: { now: () => Date }, adminId: string, log: Output): Promise<InProcessServer> {
  const store = new EventStore(system.store.database, { clock: clock.now });
  const service = new RecruitmentService({ store, directoryOrigin: cfg.directoryOrigin, originBase: cfg.originBase, clock: clock.now });
  await service.init();
  await registerAdmin(service, adminId);
  const admin = await system.tokens.issue({ actorId: adminId, role: 'admin', agency: null, label: 'scenario' });
  // Errors only, to stderr: a request line per call would drown the summary.
  const logger = createLogger({ level: 'error', destination: { write: (line: string) => void log.write(line) } });
  const app = createApp({ service, runner: system.runner, vault: system.vault, indexer: system.indexer, tokens: system.tokens, logger, metrics: new Metrics() });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    adminToken: admin.token,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await system.tokens.revoke(admin.id);
    },
  };
}
