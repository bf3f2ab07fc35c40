/**
 * Every subgraph runs the same way: Apollo Server 5 on express with a federation v2 schema
 * (buildSubgraphSchema adds _service and _entities), /healthz and /readyz, domain errors mapped
 * to GraphQL errors, and a clean stop.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express from 'express';
import type { KeyObject } from 'node:crypto';
import { CONTEXT_HEADER, InvalidContextError, verifyViewer, type Viewer } from './viewer';
import { GraphQLError, parse, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError, toGraphQLError } from './errors';
import { createLogger, type Logger } from './logger';

export interface SubgraphModule<Ctx extends BaseContext> {
  name: string;
  schemaFile: string;
  resolvers: GraphQLResolverMap<Ctx>;
  /** Builds the request's context from the viewer the gateway vouched for. */
  context: (viewer: Viewer) => Promise<Ctx>;
  /** Throws when a dependency (the database) is not ready. */
  ready: () => Promise<void>;
}

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Domain errors keep their user-facing message; GraphQL errors (parse, validation, auth) pass
 * through; anything else is logged and replaced by a generic message. Never a stack trace.
 */
export function formatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof GraphQLError) return stripStack(formatted);
    const mapped = toGraphQLError(original);
    if (!(original instanceof DomainError)) {
      logger.error('resolver failed', { path: formatted.path, error: original instanceof Error ? original.message : String(original) });
    }
    return { message: mapped.message, locations: formatted.locations, path: formatted.path, extensions: mapped.extensions };
  };
}

function stripStack(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _drop, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}

export async function startSubgraph<Ctx extends BaseContext>(
  mod: SubgraphModule<Ctx>,
  opts: { host: string; port: number; logger?: Logger; /** Verifies the gateway's signed viewer (see viewer.ts). */ contextPublicKey: KeyObject },
): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(mod.name);
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const server = new ApolloServer<Ctx>({
    schema: buildSubgraphSchema({ typeDefs: parse(fs.readFileSync(mod.schemaFile, 'utf8')), resolvers: mod.resolvers as GraphQLResolverMap<unknown> }),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginInlineTraceDisabled()],
    formatError: formatError(logger),
    includeStacktraceInErrorResponses: false,
    // The process entry points own SIGTERM/SIGINT and stop everything in order.
    stopOnTerminationSignals: false,
  });
  await server.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await mod.ready();
      res.json({ status: 'ready' });
    } catch (err) {
      res.status(503).json({ status: 'unavailable', reason: err instanceof Error ? err.message : String(err) });
    }
  });
  // Every call must carry the gateway's signed viewer for this subgraph; unsigned headers mean nothing.
  app.use('/graphql', express.json({ limit: '1mb' }), async (req, res, next) => {
    try {
      res.locals.viewer = verifyViewer(req.get(CONTEXT_HEADER), mod.name, opts.contextPublicKey);
      next();
    } catch (err) {
      logger.warn('call without a valid gateway context refused', { reason: err instanceof InvalidContextError ? err.message : 'error', ip: req.ip });
      res.status(401).json({ errors: [{ message: 'この操作はゲートウェイ経由でのみ行えます。', extensions: { code: 'UNAUTHENTICATED', messageEn: 'Calls must come through the gateway.' } }] });
    }
  });
  app.use('/graphql', expressMiddleware(server, { context: async ({ res }) => mod.context(res.locals.viewer as Viewer) }));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, opts.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}/graphql`;
  logger.info('subgraph listening', { url });
  return { url, port, stop: () => server.stop() };
}
