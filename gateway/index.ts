/**
 * The gateway as its own process (`npm run start:services`, docker-compose): it federates the
 * subgraphs at their *_URL addresses and checks DATABASE_URL for /readyz.
 */
import fs from 'node:fs';
import { config, runMain } from '../services/shared/config';
import { openDatabase } from '../services/shared/database';
import { setLogLevel } from '../services/shared/logger';
import { pipelineHealthOf } from '../services/notifications/health';
import { startGateway } from './gateway';
import { SUPERGRAPH_FILE, WEB_DIST } from './hub';
import { contextKeysOf, gatewayAuth } from './wiring';

export async function start() {
  const cfg = config();
  setLogLevel(cfg.logLevel);
  if (!cfg.databaseUrl) throw new Error('DATABASE_URL is required when the gateway runs as its own process');
  if (!cfg.sessionSecret) throw new Error('SESSION_SECRET is required when the gateway runs as its own process');
  const db = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: undefined, poolSize: 5 });
  const health = pipelineHealthOf(db.prisma);
  const gateway = await startGateway(
    {
      supergraphSdl: fs.readFileSync(SUPERGRAPH_FILE, 'utf8'),
      contextKeys: contextKeysOf(cfg.sessionSecret),
      auth: gatewayAuth(cfg, db),
      subgraphs: cfg.subgraphs,
      pingDatabase: () => db.ping(),
      notificationsStatus: async () => (await health()).status,
      webDist: WEB_DIST,
      production: cfg.nodeEnv === 'production',
      limits: cfg.graphqlLimits,
    },
    { port: cfg.port, host: cfg.host },
  );
  process.stdout.write(`伴走ハブ gateway: ${gateway.url}\n`);
  const shutdown = async () => {
    await gateway.stop();
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
  return gateway;
}

if (require.main === module) runMain(start);
