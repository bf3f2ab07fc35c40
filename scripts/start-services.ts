/**
 * `npm run start:services`: the hub as separate processes — each subgraph and the gateway — against
 * DATABASE_URL, the topology of docker-compose.yml. Migrations are applied first; seeding is an
 * explicit step (`npm run db:seed`), as in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { config, runMain } from '../services/shared/config';
import { openDatabase } from '../services/shared/database';
import { applyMigrations } from '../services/shared/schema-engine';
import { REPO_ROOT } from '../services/registry';

const DIST = path.join(REPO_ROOT, 'dist');

async function waitUntilUp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url} exited with code ${child.exitCode} before it was up`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up within ${timeoutMs / 1000}s`);
}

runMain(async () => {
  const cfg = config();
  if (!cfg.databaseUrl) throw new Error('DATABASE_URL is required: start:services runs the PostgreSQL topology (use `npm start` for the embedded database)');
  const db = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: undefined, poolSize: 1 });
  try {
    const applied = await applyMigrations(db.adapterFactory);
    if (applied.length) process.stdout.write(`migrations applied: ${applied.join(', ')}\n`);
  } finally {
    await db.close();
  }

  // The processes share SESSION_SECRET (their context-signing keys derive from it); outside
  // production a random one for this run will do.
  const env = { ...process.env, SESSION_SECRET: cfg.sessionSecret ?? crypto.randomBytes(32).toString('hex') };
  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    setTimeout(() => process.exit(code), 5000).unref();
    Promise.all(children.map((c) => (c.exitCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r))))).then(() => process.exit(code));
  };
  const run = (name: string, script: string) => {
    const child = spawn(process.execPath, [path.join(DIST, script)], { stdio: 'inherit', env });
    child.once('exit', (code) => {
      if (!stopping) {
        process.stderr.write(`伴走ハブ: ${name} exited (code ${code}); stopping the others\n`);
        stopAll(1);
      }
    });
    children.push(child);
    return child;
  };
  process.once('SIGTERM', () => stopAll(0));
  process.once('SIGINT', () => stopAll(0));

  for (const sg of cfg.subgraphs) {
    const child = run(sg.name, `services/${sg.name}/index.js`);
    await waitUntilUp(`http://127.0.0.1:${sg.port}/healthz`, child, 30_000);
  }
  const gateway = run('gateway', 'gateway/index.js');
  await waitUntilUp(`http://127.0.0.1:${cfg.port}/readyz`, gateway, 30_000);
  process.stdout.write(`\n伴走ハブ (separate processes) is running: http://localhost:${cfg.port}/\n`);
});
