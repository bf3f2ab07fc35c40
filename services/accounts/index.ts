/**
 * The accounts subgraph: the viewer, staff and invitations of each body, the audit log and the
 * permission table. `buildAccountsSubgraph` runs in-process under `npm start`; `start()` on its own.
 */
import path from 'node:path';
import { config, runMain } from '../shared/config';
import { openDatabase, type Database } from '../shared/database';
import { setLogLevel } from '../shared/logger';
import { startSubgraph, type RunningServer, type SubgraphModule } from '../shared/subgraph-server';
import { deriveContextKeys } from '../shared/viewer';
import { REPO_ROOT } from '../registry';
import { accountsContextFactory, type AccountsContext } from './context';
import { resolvers } from './resolvers';

export const ACCOUNTS_SCHEMA_FILE = path.join(REPO_ROOT, 'services/accounts/schema.graphql');

export function buildAccountsSubgraph(db: Database, publicUrl: string): SubgraphModule<AccountsContext> {
  return {
    name: 'accounts',
    schemaFile: ACCOUNTS_SCHEMA_FILE,
    resolvers,
    context: accountsContextFactory(db.prisma, publicUrl),
    ready: () => db.ping(),
  };
}

export async function start(): Promise<RunningServer> {
  const cfg = config();
  setLogLevel(cfg.logLevel);
  if (!cfg.sessionSecret) throw new Error('SESSION_SECRET is required when a subgraph runs as its own process');
  const db = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
  const endpoint = cfg.subgraphs.find((s) => s.name === 'accounts');
  if (!endpoint) throw new Error('accounts is not in services/registry.ts');
  const server = await startSubgraph(buildAccountsSubgraph(db, cfg.publicUrl), {
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
