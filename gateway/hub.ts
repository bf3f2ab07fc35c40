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
import { buildAccountsSubgraph } from '../services/accounts';
import { buildNotificationsSubgraph } from '../services/notifications';
import { buildReferralsSubgraph } from '../services/referrals';
import { buildEngagementsSubgraph } from '../services/engagements';
import { buildMeetingsSubgraph } from '../services/meetings';
import { buildReportsSubgraph } from '../services/reports';
import { pipelineHealthOf } from '../services/notifications/health';
import { startPipeline, type Pipeline } from '../services/notifications/setup';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoAccounts } from '../prisma/seed/accounts.seed';
import { contextKeysOf, gatewayAuth, sessionSecretOf } from './wiring';
import { REPO_ROOT } from '../services/registry';
import { seedDirectory } from '../prisma/seed/directory.seed';
import { seedMeetings } from '../prisma/seed/meetings.seed';
import { startGateway, type RunningGateway } from './gateway';

export const SUPERGRAPH_FILE = path.join(REPO_ROOT, 'schema/supergraph.graphql');
export const WEB_DIST = path.join(REPO_ROOT, 'web/dist');
export { DEMO_ACCOUNTS, DEMO_PASSWORD };

export interface HubOptions {
  config: Config;
  /** Apply pending migrations at start (always for the embedded database). */
  migrate?: boolean;
  /** Load the directory's seed data (demo mode). */
  seed?: boolean;
  /** Create the demo accounts (embedded demo mode only). */
  demoAccounts?: boolean;
  /** Use this database instead of opening one from the configuration. */
  database?: Database;
}

export interface RunningHub {
  url: string;
  port: number;
  database: Database;
  subgraphs: Array<{ name: string; server: RunningServer }>;
  gateway: RunningGateway;
  /** The notification pipeline running in this process. */
  pipeline: Pipeline;
  stop(): Promise<void>;
}

export async function startHub(opts: HubOptions): Promise<RunningHub> {
  const { config } = opts;
  const logger = createLogger('hub');
  const database = opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const started: Array<{ name: string; server: RunningServer }> = [];
  let gateway: RunningGateway | undefined;
  let pipeline: Pipeline | undefined;
  // Stop taking requests first, then let the workers finish their jobs, then close the database.
  const stop = async () => {
    if (gateway) await gateway.stop();
    for (const s of started.reverse()) await s.server.stop();
    await pipeline?.stop();
    if (!opts.database) await database.close();
  };
  try {
    if (opts.migrate || database.mode === 'embedded') {
      const applied = await applyMigrations(database.adapterFactory);
      if (applied.length) logger.info('migrations applied', { applied });
    }
    if (opts.seed) {
      await seedDirectory(database.prisma);
      await seedMeetings(database.prisma);
    }
    if (opts.demoAccounts) {
      if (config.nodeEnv === 'production' || database.mode !== 'embedded') throw new Error('demo accounts exist only in the embedded demo mode');
      await seedDemoAccounts(database.prisma);
    }

    const secret = sessionSecretOf(config);
    const keys = contextKeysOf(secret);
    pipeline = await startPipeline(config, database, secret, createLogger('notifications'));
    const notificationDeps = { webhookKey: pipeline.webhookKey, allowInsecureWebhooks: config.notifications.allowInsecureWebhooks, queues: pipeline.runtime.queues };
    const starters: Record<string, (port: number) => Promise<RunningServer>> = {
      directory: (port) => startSubgraph(buildDirectorySubgraph(database), { host: config.subgraphHost, port, contextPublicKey: keys.publicKey }),
      accounts: (port) => startSubgraph(buildAccountsSubgraph(database, config.publicUrl), { host: config.subgraphHost, port, contextPublicKey: keys.publicKey }),
      notifications: (port) => startSubgraph(buildNotificationsSubgraph(database, notificationDeps), { host: config.subgraphHost, port, contextPublicKey: keys.publicKey }),
      referrals: (port) => startSubgraph(buildReferralsSubgraph(database), { host: config.subgraphHost, port, contextPublicKey: keys.publicKey }),
      engagements: (port) => startSubgraph(buildEngagementsSubgraph(database), { host: config.subgraphHost, port, contextPublicKey: keys.publicKey }),
      meetings: (port) => startSubgraph(buildMeetingsSubgraph(database, config.publicUrl), { host: config.subgraphHost, port, contextPublicKey: keys.publicKey }),
      reports: (port) => startSubgraph(buildReportsSubgraph(database, config.publicUrl), { host: config.subgraphHost, port, contextPublicKey: keys.publicKey }),
    };
    const endpoints: SubgraphEndpoint[] = [];
    for (const endpoint of config.subgraphs) {
      const start = starters[endpoint.name];
      if (!start) throw new Error(`no in-process module for subgraph "${endpoint.name}"`);
      const server = await start(endpoint.port);
      started.push({ name: endpoint.name, server });
      endpoints.push({ ...endpoint, port: server.port, url: server.url });
    }

    const health = pipelineHealthOf(database.prisma);
    gateway = await startGateway(
      {
        supergraphSdl: fs.readFileSync(SUPERGRAPH_FILE, 'utf8'),
        contextKeys: keys,
        auth: gatewayAuth(config, database),
        subgraphs: endpoints,
        pingDatabase: () => database.ping(),
        notificationsStatus: async () => (await health()).status,
        webDist: WEB_DIST,
        production: config.nodeEnv === 'production',
        limits: config.graphqlLimits,
      },
      { port: config.port, host: config.host },
    );
    return { url: gateway.url, port: gateway.port, database, subgraphs: started, gateway, pipeline, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
