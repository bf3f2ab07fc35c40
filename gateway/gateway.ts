/**
 * The gateway: Apollo Server 5 on express, executing the composed supergraph with
 * @graphql-tools/federation (MIT; see README "Choosing the executor" for the measurement), serving
 * the web app at `/`, `/healthz` (process alive) and `/readyz` (database and every subgraph).
 */
import { filesRouter } from './files';
import { calendarFeedHandler, meetingFilesRouter } from './meeting-files';
import { reportFilesRouter } from './report-files';
import events from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { GraphQLLimits, SubgraphEndpoint } from '../services/shared/config';
import { createLogger, type Logger } from '../services/shared/logger';
import { ANONYMOUS, CONTEXT_HEADER, signViewer, type ContextKeys, type Viewer } from '../services/shared/viewer';
import { auditExportHandler, authRouter, csrfGuard, jsonErrorHandler, sessionMiddleware, type GatewayAuth } from './auth';
import { formatLimitErrors, operationLimitRules, operationParseOptions } from './security/operation-limits';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Signs the viewer for each subgraph. */
  contextKeys: ContextKeys;
  /** Sessions, /auth endpoints, audit export. */
  auth: GatewayAuth;
  /** Where each subgraph named in the supergraph is reached (overrides the URLs in the SDL). */
  subgraphs: SubgraphEndpoint[];
  /** Resolves when the gateway's database answers; part of /readyz. */
  pingDatabase: () => Promise<void>;
  /** Whether notices flow; shown in /readyz without making the hub unready (it works without them). */
  notificationsStatus?: () => Promise<'OK' | 'DELAYED'>;
  /** Built web app to serve at `/`; skipped when the folder does not exist. */
  webDist?: string;
  production: boolean;
  /** Depth, alias, token and cost limits per operation; unset ones take DEFAULT_GRAPHQL_LIMITS. */
  limits?: Partial<GraphQLLimits>;
  /** Time allowed for one subgraph request. */
  subgraphTimeoutMs?: number;
  logger?: Logger;
}

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Messages for subgraph failures: say which part of the hub is unavailable, never how it is wired. */
export function formatGatewayError(logger: Logger, production: boolean) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const { stacktrace: _stack, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    const message = formatted.message;
    if (/ECONNREFUSED|fetch failed|ETIMEDOUT|ENOTFOUND|socket hang up|The operation was aborted|timeout/i.test(message)) {
      logger.warn('subgraph unreachable', { path: formatted.path, error: message });
      return {
        message: '一部のサービスに接続できないため、表示できない項目があります。',
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', messageEn: 'A service of the hub is unreachable; some fields could not be loaded.' },
      };
    }
    if (production && (extensions.code === 'INTERNAL_SERVER_ERROR' || extensions.code === undefined)) {
      return { message: '内部エラーが発生しました。', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    return { ...formatted, extensions };
  };
}

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  );
  next();
}

/** POSTs `{ __typename }` to a subgraph: the one check every federation subgraph answers. */
async function pingSubgraph(url: string, contextToken: string, timeoutMs: number): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', [CONTEXT_HEADER]: contextToken },
    body: JSON.stringify({ query: '{ __typename }' }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
}

/**
 * The fetch the subgraph executor uses by default (the @whatwg-node ponyfill), loaded without its
 * type declarations: they pull the DOM library into every file's global types.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const subgraphFetch: typeof fetch = require('@whatwg-node/fetch').fetch;

export async function startGateway(opts: GatewayOptions, listen: { port: number; host?: string }): Promise<RunningGateway> {
  const logger = opts.logger ?? createLogger('gateway');
  // The executor names subgraphs by their join__Graph enum value (DIRECTORY), not by their name.
  const endpoints = new Map(opts.subgraphs.map((s) => [s.name.toUpperCase(), s]));
  const timeout = opts.subgraphTimeoutMs ?? 10_000;
  // Every subgraph call of a request listens for that request's abort; a list page fans out to more
  // than Node's default of 10 calls, which is not a leak (the listeners go with the request).
  events.setMaxListeners(Math.max(events.defaultMaxListeners, 100));
  const schema = getStitchedSchemaFromSupergraphSdl({
    supergraphSdl: opts.supergraphSdl,
    // Not disposable: a disposable executor hangs an abort listener per request on one long-lived signal.
    httpExecutorOpts: ({ name, endpoint }) => {
      const subgraph = endpoints.get(name.toUpperCase());
      const audience = subgraph?.name ?? name.toLowerCase();
      return {
        endpoint: subgraph?.url ?? endpoint,
        // The timeout is each call's own signal rather than the executor's `timeout`, which is combined
        // with the executor's long-lived disposal signal by an abort listener per call that stays until
        // the timer's signal is garbage-collected (hundreds under load, and Node's leak warning). The
        // disposal signal is left out with it: these executors are never disposed.
        fetch: (url: string, init?: RequestInit) => subgraphFetch(url, { ...init, signal: AbortSignal.timeout(timeout) }),
        disposable: false,
        // Each subgraph call carries the viewer, signed for that subgraph alone.
        headers: (request) => {
          const viewer = (request?.context as { viewer?: Viewer } | undefined)?.viewer ?? ANONYMOUS('internal');
          return { [CONTEXT_HEADER]: signViewer(viewer, audience, opts.contextKeys) };
        },
      };
    },
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  const httpServer = http.createServer(app);
  const server = new ApolloServer({
    schema,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
    formatError: formatLimitErrors(formatGatewayError(logger, opts.production), { limits: opts.limits, production: opts.production }),
    validationRules: operationLimitRules(opts.limits),
    parseOptions: operationParseOptions(opts.limits),
    // Off (Apollo's default, stated here on purpose): the web app sends one operation per request, and a
    // batch would multiply every per-operation limit above by its length inside one request. Clients get
    // a 400 BATCHING_DISABLED; HTTP keep-alive makes separate requests cheap.
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    // The process entry points own SIGTERM/SIGINT and stop everything in order.
    stopOnTerminationSignals: false,
    introspection: !opts.production,
    hideSchemaDetailsFromClientErrors: opts.production,
  });
  await server.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    await Promise.all([
      opts.pingDatabase().then(
        () => void (checks.database = 'ok'),
        () => void (checks.database = 'unavailable'),
      ),
      ...opts.subgraphs.map((s) =>
        pingSubgraph(s.url, signViewer(ANONYMOUS('readyz'), s.name, opts.contextKeys), 2000).then(
          () => void (checks[`subgraph:${s.name}`] = 'ok'),
          () => void (checks[`subgraph:${s.name}`] = 'unavailable'),
        ),
      ),
    ]);
    const ready = Object.values(checks).every((v) => v === 'ok');
    let notifications: string | undefined;
    if (opts.notificationsStatus) notifications = await opts.notificationsStatus().then((s) => (s === 'OK' ? 'ok' : 'delayed'), () => 'unknown');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks, ...(notifications ? { notifications } : {}) });
  });
  const session = sessionMiddleware(opts.auth, logger);
  const csrf = csrfGuard(opts.auth);
  app.use('/auth', csrf, authRouter(opts.auth, logger));
  app.get('/admin/audit.csv', session, auditExportHandler(opts.auth, logger));
  app.use('/files', csrf, session, filesRouter(opts.auth, logger), meetingFilesRouter(opts.auth.meetings, logger), reportFilesRouter(opts.auth.reports, logger));
  app.get('/calendar/:token.ics', calendarFeedHandler(opts.auth.meetings, logger));
  app.use(
    '/graphql',
    csrf,
    session,
    express.json({ limit: '1mb' }),
    expressMiddleware(server, { context: async ({ res }) => ({ viewer: res.locals.viewer as Viewer }) }),
  );

  app.use(jsonErrorHandler);

  if (opts.webDist && fs.existsSync(path.join(opts.webDist, 'index.html'))) {
    const indexHtml = path.join(opts.webDist, 'index.html');
    app.use(express.static(opts.webDist, { index: false, maxAge: '1h' }));
    // History-mode routes of the web app: any other GET that wants HTML gets the app shell.
    app.get(/.*/, (req, res, next) => {
      if (!req.accepts('html')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(indexHtml);
    });
  } else {
    logger.warn('web app not built; run `npm run build` to serve it at /', { webDist: opts.webDist });
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(listen.port, listen.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  return { url: `http://localhost:${port}/`, port, stop: () => server.stop() };
}
