/**
 * The whole hub in one process (`npm start`): the database (embedded PGlite unless DATABASE_URL is
 * set), every subgraph on its internal port, and the gateway. Tests start it the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config, SubgraphEndpoint } from '../services/shared/config';
import { openDatabase, type Database } from '../services/shared/database';
import { createLogger } from '../services/shared/logger';
import { applyMigrations } from '../services/shared/schema-engine';
import { startSubgraph, type RunningServer } from '../services/shared/subgraph-server';
import { buildDirectorySubgraph } from '../services/directory';
import { REPO_ROOT } from '../services/registry';
import { seedDirectory } from '../prisma/seed/directory.seed';
import { startGateway, type RunningGateway } from './gateway';

export const SUPERGRAPH_FILE = path.join(REPO_ROOT, 'schema/supergraph.graphql');
export const WEB_DIST = path.join(REPO_ROOT, 'web/dist');

export interface HubOptions {
  config: Config;
  /** Apply pending migrations at start (always for the embedded database). */
  migrate?: boolean;
  /** Load the directory's seed data (demo mode). */
  seed?: boolean;
  /** Use this database instead of opening one from the configuration. */
  database?: Database;
}

export interface RunningHub {
  url: string;
  port: number;
  database: Database;
  subgraphs: Array<{ name: string; server: RunningServer }>;
  gateway: RunningGateway;
  stop(): Promise<void>;
}

export async function startHub(opts: HubOptions): Promise<RunningHub> {
  const { config } = opts;
  const logger = createLogger('hub');
  const database = opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const started: Array<{ name: string; server: RunningServer }> = [];
  let gateway: RunningGateway | undefined;
  const stop = async () => {
    if (gateway) await gateway.stop();
    for (const s of started.reverse()) await s.server.stop();
    if (!opts.database) await database.close();
  };
  try {
    if (opts.migrate || database.mode === 'embedded') {
      const applied = await applyMigrations(database.adapterFactory);
      if (applied.length) logger.info('migrations applied', { applied });
    }
    if (opts.seed) await seedDirectory(database.prisma);

    const modules = { directory: buildDirectorySubgraph(database) };
    const endpoints: SubgraphEndpoint[] = [];
    for (const endpoint of config.subgraphs) {
      const mod = modules[endpoint.name as keyof typeof modules];
      if (!mod) throw new Error(`no in-process module for subgraph "${endpoint.name}"`);
      const server = await startSubgraph(mod, { host: config.subgraphHost, port: endpoint.port });
      started.push({ name: endpoint.name, server });
      endpoints.push({ ...endpoint, port: server.port, url: server.url });
    }

    gateway = await startGateway(
      {
        supergraphSdl: fs.readFileSync(SUPERGRAPH_FILE, 'utf8'),
        subgraphs: endpoints,
        pingDatabase: () => database.ping(),
        webDist: WEB_DIST,
        production: config.nodeEnv === 'production',
      },
      { port: config.port, host: config.host },
    );
    return { url: gateway.url, port: gateway.port, database, subgraphs: started, gateway, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
