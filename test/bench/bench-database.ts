/**
 * A benchmark's own PostgreSQL database: created fresh beside the base database, dropped afterwards
 * (unless BENCH_KEEP_DATABASE=1), also on Ctrl-C. Everything a bench opens registers its clean-up here,
 * and it runs last-registered first.
 */
import { Client } from 'pg';
import type { Logger } from '../../services/shared/logger';

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
