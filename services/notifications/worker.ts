/**
 * The notification pipeline on its own (`node dist/services/notifications/worker.js`): relay and
 * workers, or one of them (NOTIFICATIONS_PIPELINE=relay|workers), with no HTTP server. Run more of
 * these to deliver faster; on SIGTERM each finishes the jobs it holds, then exits.
 */
import { config, runMain } from '../shared/config';
import { openDatabase } from '../shared/database';
import { createLogger, setLogLevel } from '../shared/logger';
import { startPipeline } from './setup';

export async function start(): Promise<void> {
  const cfg = config();
  setLogLevel(cfg.logLevel);
  if (!cfg.sessionSecret) throw new Error('SESSION_SECRET is required when the notification workers run as their own process');
  const logger = createLogger('notifications-worker');
  const db = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, poolSize: 8 });
  const pipeline = await startPipeline(cfg, db, cfg.sessionSecret, logger);
  logger.info('notification pipeline running', { queue: pipeline.redis, mail: pipeline.mail });
  process.stdout.write('notification pipeline running\n');
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping: finishing the jobs in hand');
    await pipeline.stop();
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

if (require.main === module) runMain(start);
