/**
 * `npm start`: the whole hub in one process. With DATABASE_URL unset it runs on the embedded
 * database in DATA_DIR (default ./.data), migrated and seeded with the council's bodies at start.
 */
import { config, runMain } from '../services/shared/config';
import { setLogLevel } from '../services/shared/logger';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, startHub } from './hub';

runMain(async () => {
  const cfg = config();
  setLogLevel(cfg.logLevel);
  const embedded = !cfg.databaseUrl;
  const hub = await startHub({ config: cfg, migrate: true, seed: embedded, demoAccounts: cfg.demoMode });
  process.stdout.write(
    `\n伴走ハブ is running: ${hub.url}\n` +
      `  database: ${embedded ? `embedded (${cfg.dataDir})` : 'PostgreSQL (DATABASE_URL)'}\n` +
      `  GraphQL:  ${hub.url}graphql\n` +
      `  queue:    ${hub.pipeline.redis}\n` +
      `  mail:     ${hub.pipeline.mail}\n\n`,
  );
  if (cfg.demoMode) {
    const rows = DEMO_ACCOUNTS.map((a) => `  ${a.memberships[0].roles.join('+').padEnd(20)} ${a.email}`);
    process.stdout.write(`Demo accounts (embedded demo mode only; password for all: ${DEMO_PASSWORD}):\n${rows.join('\n')}\n\n`);
  }
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
