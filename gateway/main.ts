/**
 * `npm start`: the whole hub in one process. With DATABASE_URL unset it runs on the embedded
 * database in DATA_DIR (default ./.data), migrated and seeded with the council's bodies at start.
 */
import { config, runMain } from '../services/shared/config';
import { setLogLevel } from '../services/shared/logger';
import { startHub } from './hub';

runMain(async () => {
  const cfg = config();
  setLogLevel(cfg.logLevel);
  const embedded = !cfg.databaseUrl;
  const hub = await startHub({ config: cfg, migrate: true, seed: embedded });
  process.stdout.write(
    `\n伴走ハブ is running: ${hub.url}\n` +
      `  database: ${embedded ? `embedded (${cfg.dataDir})` : 'PostgreSQL (DATABASE_URL)'}\n` +
      `  GraphQL:  ${hub.url}graphql\n\n`,
  );
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await hub.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
});
