/**
 * A benchmark's own PostgreSQL database: created fresh beside the base database, dropped afterwards
 * (unless BENCH_KEEP_DATABASE=1), also on Ctrl-C. Everything a bench opens registers its clean-up here,
 * and it runs last-registered first.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startHub, type RunningHub } from '../../gateway/hub';
import { SUBGRAPHS } from '../../services/registry';
import { parseConfig } from '../../services/shared/config';
import { openDatabase, type Database } from '../../services/shared/database';
import type { Logger } from '../../services/shared/logger';
import { applyMigrations } from '../../services/shared/schema-engine';

/** Where a bench's hub listens. */
export const BENCH_HOST = '127.0.0.1';

export async function withAdminClient<T>(baseUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  /** The new database's connection URL. */
  url: string;
  /** Clean-ups, run in reverse order by close(). */
  cleanups: Array<{ what: string; run: () => Promise<unknown> }>;
  /** Runs the clean-ups (once) and stops listening for signals. */
  close(): Promise<void>;
}

export async function benchDatabase(kind: string, baseUrl: string, env: NodeJS.ProcessEnv, log: (line: string) => void, logger: Logger): Promise<BenchDatabase> {
  const name = `banso_bench_${kind}_${Date.now()}_${process.pid}`;
  const cleanups: BenchDatabase['cleanups'] = [];
  let cleaned: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaned ??= (async () => {
      for (const c of cleanups.reverse()) {
        await c.run().catch((err: unknown) => logger.error('cleanup failed', { what: c.what, error: err instanceof Error ? err.message : String(err) }));
      }
    })());
  const onSignal = () => {
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const close = async () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await cleanUp();
  };
  try {
    await withAdminClient(baseUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  } catch (err) {
    await close();
    throw err;
  }
  if (env.BENCH_KEEP_DATABASE === '1') log(`keeping database ${name} (BENCH_KEEP_DATABASE=1); drop it with DROP DATABASE "${name}"`);
  else cleanups.push({ what: `drop database ${name}`, run: () => withAdminClient(baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)) });
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), cleanups, close };
}

/** The bench's database opened as the hub opens it (a pool of `poolSize`), migrated, and a plain connection for loading it. */
export async function openBenchDatabase(bench: BenchDatabase, poolSize: number): Promise<{ db: Database; loader: Client }> {
  const db = await openDatabase({ databaseUrl: bench.url, dataDir: undefined, poolSize });
  bench.cleanups.push({ what: 'close database', run: () => db.close() });
  await applyMigrations(db.adapterFactory);
  const loader = new Client({ connectionString: bench.url });
  await loader.connect();
  bench.cleanups.push({ what: 'close loader connection', run: () => loader.end() });
  return { db, loader };
}

/** A temporary directory, removed with the bench's clean-ups. */
export function benchTempDir(bench: BenchDatabase, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  bench.cleanups.push({ what: `remove ${dir}`, run: async () => fs.rmSync(dir, { recursive: true, force: true }) });
  return dir;
}

/** The hub as `npm start` runs it in production, over the bench's database and its pool; notifications off. */
export async function startBenchHub(bench: BenchDatabase, db: Database, kind: string): Promise<{ hub: RunningHub; origin: string; graphqlUrl: string }> {
  const config = parseConfig({
    NODE_ENV: 'production',
    DATABASE_URL: bench.url,
    HOST: BENCH_HOST,
    PORT: '0',
    ...Object.fromEntries(SUBGRAPHS.map((s) => [`${s.name.toUpperCase()}_PORT`, '0'])),
    LOG_LEVEL: 'warn',
    SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    NOTIFICATIONS_PIPELINE: 'off',
    DATA_DIR: benchTempDir(bench, `banso-bench-${kind}-`),
  });
  const hub = await startHub({ config, database: db });
  bench.cleanups.push({ what: 'stop hub', run: () => hub.stop() });
  const origin = `http://${BENCH_HOST}:${hub.port}`;
  return { hub, origin, graphqlUrl: `${origin}/graphql` };
}
