/**
 * The directory subgraph: member bodies, branches, other support bodies and supporters.
 * `buildDirectorySubgraph` is used in-process by `npm start`; `start()` runs it as its own process.
 */
import path from 'node:path';
import { config, runMain } from '../shared/config';
import { openDatabase, type Database } from '../shared/database';
import { setLogLevel } from '../shared/logger';
import { startSubgraph, type RunningServer, type SubgraphModule } from '../shared/subgraph-server';
import { REPO_ROOT } from '../registry';
import { deriveContextKeys } from '../shared/viewer';
import { directoryContextFactory, type DirectoryContext } from './context';
import { resolvers } from './resolvers';

export const DIRECTORY_SCHEMA_FILE = path.join(REPO_ROOT, 'services/directory/schema.graphql');

export function buildDirectorySubgraph(db: Database): SubgraphModule<DirectoryContext> {
  return {
    name: 'directory',
    schemaFile: DIRECTORY_SCHEMA_FILE,
    resolvers,
    context: directoryContextFactory(db.prisma),
    ready: () => db.ping(),
  };
}

/** Runs the directory subgraph as its own process against DATABASE_URL (see `npm run start:services`). */
export async function start(): Promise<RunningServer> {
  const cfg = config();
  setLogLevel(cfg.logLevel);
  if (!cfg.sessionSecret) throw new Error('SESSION_SECRET is required when a subgraph runs as its own process');
  const db = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
  const endpoint = cfg.subgraphs.find((s) => s.name === 'directory');
  if (!endpoint) throw new Error('directory is not in services/registry.ts');
  const server = await startSubgraph(buildDirectorySubgraph(db), {
    host: cfg.host ?? cfg.subgraphHost,
    port: endpoint.port,
    contextPublicKey: deriveContextKeys(cfg.sessionSecret).publicKey,
  });
  const shutdown = async () => {
    await server.stop();
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
  return server;
}

if (require.main === module) runMain(start);
