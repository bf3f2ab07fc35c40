/**
 * Runs one subgraph as its own process (start:services, docker-compose): configuration, database,
 * the gateway's public key, and a clean stop on SIGTERM/SIGINT.
 */
import type { BaseContext } from '@apollo/server';
import { config, type Config } from './config';
import { openDatabase, type Database } from './database';
import { setLogLevel } from './logger';
import { startSubgraph, type RunningServer, type SubgraphModule } from './subgraph-server';
import { deriveContextKeys } from './viewer';

export async function runSubgraphProcess<Ctx extends BaseContext>(
  name: string,
  build: (db: Database, cfg: Config) => SubgraphModule<Ctx> | Promise<SubgraphModule<Ctx>>,
  opts: { onStop?: () => Promise<void> } = {},
): Promise<RunningServer> {
  const cfg = config();
  setLogLevel(cfg.logLevel);
  if (!cfg.sessionSecret) throw new Error('SESSION_SECRET is required when a subgraph runs as its own process');
  const endpoint = cfg.subgraphs.find((s) => s.name === name);
  if (!endpoint) throw new Error(`${name} is not in services/registry.ts`);
  const db = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
  const server = await startSubgraph(await build(db, cfg), {
    host: cfg.host ?? cfg.subgraphHost,
    port: endpoint.port,
    contextPublicKey: deriveContextKeys(cfg.sessionSecret).publicKey,
  });
  const shutdown = async () => {
    await server.stop();
    await opts.onStop?.();
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
  return server;
}
