/**
 * `ledger serve`: the API and the worker in one process, on the configured database. With
 * --demo, a realistic recruitment period is recorded first (once) and tokens for its
 * actors are written beside the data, so the console and the API can be tried at once.
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Metrics, completenessJob, createApp, createHttpApp, createLogger, detectionJob } from '@casn/api';
import { Worker, parseWorkerSchedules } from '@casn/worker';
import { UsageError, writeLine, type Command } from '../command.ts';
import { seedDemoPeriod } from '../demo-period/index.ts';
import { openSystem, type System } from '../system.ts';

/** Tokens of the demo actors, kept in the data directory so a restart reuses them. */
async function demoTokens(system: System, file: string, actors: readonly { actorId: string }[]): Promise<Record<string, string>> {
  try {
    const known = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    if (await Promise.all(Object.values(known).map((t) => system.tokens.authenticate(t))).then((all) => all.every(Boolean))) return known;
  } catch {
    // none yet, or unreadable: issue new ones
  }
  const tokens: Record<string, string> = {};
  for (const { actorId } of actors) {
    const actor = await system.service.actor(actorId);
    tokens[actorId] = (await system.tokens.issue({ actorId, role: actor.role, agency: actor.agency, label: 'demo' })).token;
  }
  await writeFile(file, JSON.stringify(tokens, null, 2) + '\n', { mode: 0o600 });
  await chmod(file, 0o600);
  return tokens;
}

/** The audit console, built by `pnpm --filter @casn/web build` (the root `pnpm start` builds it when stale). */
const CONSOLE_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));
const API_PATH = /^\/(?:v1|docs|openapi\.json|healthz|readyz|metrics)(?:\/|$)/;
const TYPES: Readonly<Record<string, string>> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };
const CONSOLE_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * Serves the console's files on GET and HEAD outside the API's paths, and its index.html
 * for any other page that asks for HTML (the console routes in the URL fragment); every
 * other request goes to the API, which answers 404 problems as before.
 */
export function withConsole(api: RequestListener, dir: string): RequestListener {
  const root = resolve(dir);
  const send = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = decodeURIComponent((req.url ?? '/').split('?', 1)[0]!);
    let file = resolve(root, `.${path}`);
    if (file !== root && !file.startsWith(root + sep)) return false;
    if (!(await stat(file).catch(() => undefined))?.isFile()) {
      if (extname(path) !== '' || (path !== '/' && !(req.headers.accept ?? '').includes('text/html'))) return false;
      file = join(root, 'index.html');
    }
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return false;
    // Built assets carry a content hash in their names; index.html must be fetched anew.
    const immutable = path.startsWith('/assets/');
    res.writeHead(200, { ...CONSOLE_HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': info.size, 'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
    return true;
  };
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATH.test(path)) return api(req, res);
    send(req, res).then(
      (sent) => sent || api(req, res),
      () => api(req, res),
    );
  };
}

/** The serve command. */
export const serve: Command = {
  name: 'serve',
  summary: 'run the API and the worker (with --demo: on a demo recruitment period)',
  usage: '[--demo] [--no-worker | --no-api]',
  description:
    'Listens on PORT (default 3000): the audit console at / (when built), the API under /v1, OpenAPI at /openapi.json, docs at /docs, /healthz, /readyz, /metrics. ' +
    'The worker signs checkpoints, keeps the read models caught up and verifies every chain nightly ' +
    '(CHECKPOINT_CRON, CATCH_UP_CRON, VERIFY_CRON, WORKER_TIMEZONE). Stops cleanly on SIGINT or SIGTERM.',
  options: {
    demo: { type: 'boolean', help: 'record the demo period first if it is not there, and write demo tokens to LEDGER_DATA_DIR/demo-tokens.json' },
    'no-worker': { type: 'boolean', help: 'serve the API only (run the worker elsewhere)' },
    'no-api': { type: 'boolean', help: 'run the worker only, serving just /healthz, /readyz and /metrics' },
  },
  positionals: [],
  async run(args, { io, config }) {
    const cfg = config();
    if (args.options['no-api'] && args.options['no-worker']) throw new UsageError('--no-api and --no-worker together leave nothing to run');
    const { schedules, timezone } = parseWorkerSchedules(io.env);
    const logger = createLogger({ level: cfg.logLevel });
    const system = await openSystem(cfg);
    const metrics = new Metrics();
    const worker = args.options['no-worker'] ? undefined : new Worker({ store: system.store, runner: system.runner, logger: logger.child({ component: 'worker' }), registry: metrics.registry, schedules, timezone, detection: detectionJob(system.service), completeness: completenessJob(system.service) });
    try {
      if (args.options.demo) {
        writeLine(io.stderr, 'recording the demo period (first run only)…');
        const summary = await seedDemoPeriod(
          { ...system, directoryOrigin: cfg.directoryOrigin, originBase: cfg.originBase },
          { onProgress: (stage) => writeLine(io.stderr, `  ${stage}`) },
        );
        // The demo was recorded through its own service with a 2024 clock: learn its period.
        await system.service.init();
        const file = join(cfg.dataDir, 'demo-tokens.json');
        const tokens = await demoTokens(system, file, summary.actors);
        writeLine(io.stderr, `demo period ${summary.periodId}: ${summary.applicants} applicants, ${summary.entries} entries; tokens in ${file}`);
        writeLine(io.stderr, `  try: curl -H "Authorization: Bearer ${tokens['inspektorat-tangsel'] ?? Object.values(tokens)[0]}" http://localhost:${cfg.port}/v1/periods`);
      }
      await system.runner.catchUp();
      await worker?.checkpointAll();
      worker?.start();
      const app = args.options['no-api']
        ? createHttpApp({ routes: [], authenticate: () => Promise.resolve(undefined), logger, metrics, ready: () => Promise.resolve(true), info: { title: 'CASN ledger worker', version: '0.1.0' } })
        : createApp({ ...system, logger, metrics });
      const consoleBuilt = !args.options['no-api'] && (await stat(join(CONSOLE_DIR, 'index.html')).catch(() => undefined)) !== undefined;
      if (!args.options['no-api'] && !consoleBuilt) writeLine(io.stderr, 'the console is not built (pnpm --filter @casn/web build): serving the API only');
      const server = createServer(consoleBuilt ? withConsole(app, CONSOLE_DIR) : app).listen(cfg.port);
      await once(server, 'listening');
      writeLine(io.stderr, `listening on http://localhost:${(server.address() as AddressInfo).port} (${consoleBuilt ? 'console at /, ' : ''}docs at /docs)`);
      const signal = await new Promise<string>((resolve) => {
        for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => resolve(s));
      });
      writeLine(io.stderr, `${signal}: stopping`);
      await new Promise((resolve) => server.close(resolve));
      return 0;
    } finally {
      await worker?.stop();
      await system.close();
    }
  },
};
