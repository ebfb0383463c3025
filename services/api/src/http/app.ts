/** The express app: logging, metrics, health, OpenAPI and docs around the routes. */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Authenticator } from '../auth/tokens.ts';
import { LOG_REDACTION } from './logging.ts';
import type { Metrics } from './metrics.ts';
import { HttpProblem, notFoundHandler, problemMiddleware } from './problem.ts';
import { mountRoutes, openApiDocument, type AnyRoute } from './route.ts';

/** Everything the app is made of. */
export interface HttpDeps {
  routes: readonly AnyRoute[];
  authenticate: Authenticator;
  /** Preferably from `createLogger`; the app adds the personal-data redaction in any case. */
  logger: Logger;
  metrics: Metrics;
  /** Whether the service can take traffic (database reachable, schema current); answers /readyz. */
  ready: () => Promise<boolean>;
  info: { title: string; version: string; description?: string };
}

const REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const DOCS_ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-16x16.png', 'favicon-32x32.png']);
const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** Builds the app: request ids and logs, metrics, body parsers, /healthz /readyz /metrics /openapi.json /docs, the routes, then problem+json errors. */
export function createHttpApp(deps: HttpDeps): Express {
  const document = openApiDocument(deps.routes, deps.info);
  const app = express();
  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger: deps.logger,
      redact: LOG_REDACTION,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'reqId' },
      // No bodies, no headers, no query strings: any of them can carry personal data.
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: pathOnly(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
      autoLogging: { ignore: (req) => QUIET_PATHS.has(pathOnly(req.url ?? '')) },
    }),
  );
  app.use(recordDuration(deps.metrics));

  app.get('/docs/assets/:file', label('docs'), (req, res, next) => {
    const file = req.params.file;
    if (typeof file !== 'string' || !DOCS_ASSETS.has(file)) {
      next();
      return;
    }
    res.sendFile(file, { root: swaggerDir, maxAge: '1d' }, (err) => {
      if (err) next(err);
    });
  });

  app.use((_req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    next();
  });
  app.use(express.json({ limit: '1mb' }));
  app.use(express.text({ type: 'text/csv', limit: '20mb' }));

  app.get('/healthz', label('healthz'), (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', label('readyz'), async (_req, res) => {
    const ready = await deps.ready().catch(() => false);
    if (!ready) throw new HttpProblem(503, 'Not ready', { type: 'urn:casn:problem:not-ready', detail: 'the service cannot take traffic yet' });
    res.json({ status: 'ready' });
  });
  app.get('/metrics', label('metrics'), async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  app.get('/openapi.json', label('openapi'), (_req, res) => {
    res.json(document);
  });
  app.get('/docs', label('docs'), (_req, res) => {
    res.set('Content-Security-Policy', DOCS_CSP).type('html').send(docsPage(deps.info.title));
  });
  app.get('/docs/init.js', label('docs'), (_req, res) => {
    res.type('text/javascript').send(DOCS_INIT);
  });

  const router = express.Router();
  mountRoutes(router, deps.routes, { authenticate: deps.authenticate });
  app.use(router);
  app.use(notFoundHandler);
  app.use(problemMiddleware);
  return app;
}

function pathOnly(url: string): string {
  return url.split('?', 1)[0] ?? '';
}

function label(route: string): RequestHandler {
  return (_req, res, next) => {
    res.locals.route = route;
    next();
  };
}

function recordDuration(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    res.once('close', () => {
      end({ method: req.method, route: (res.locals.route as string | undefined) ?? 'unmatched', status: String(res.statusCode) });
    });
    next();
  };
}

const DOCS_INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

function docsPage(title: string): string {
  const escaped = title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escaped}</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;
}
