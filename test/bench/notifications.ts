/**
 * `npm run bench:notifications`: the notification pipeline end to end — producers committing events
 * through the outbox, the relay, BullMQ, the fan-out worker writing inbox notices — against a fresh
 * PostgreSQL database and a private redis-server (or REDIS_URL's Redis with a unique prefix).
 *
 * Rows:
 * - raw BullMQ: jobs/s through a queue with a worker that does nothing, same Redis, same run — the
 *   ceiling the pipeline is measured against.
 * - pipeline burst: N events committed as fast as producers can (100 per transaction), notices/s
 *   from the first commit until the last notice is in the inbox; latencies are commit-to-inbox.
 * - pipeline steady: one event per transaction at a fixed rate (200/s by default), commit-to-inbox
 *   latency percentiles (the commit is timed when the producer's transaction returns; the notice
 *   when the worker's insert lands, both on this process's clock).
 * Targets (issue 4): ≥ 2,000 notices/s, p99 ≤ 250 ms at 200/s on the 2-core bench machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Client } from 'pg';
import { REPO_ROOT } from '../../services/registry';
import { redact } from '../../services/shared/config';
import { openDatabase, type Database } from '../../services/shared/database';
import { createLogger, setLogLevel } from '../../services/shared/logger';
import { applyMigrations } from '../../services/shared/schema-engine';
import { publishEvent, publishEvents } from '../../services/notifications/outbox';
import { newRedis, startPrivateRedis, type RedisTarget } from '../../services/notifications/redis';
import { startNotifications } from '../../services/notifications/runtime';
import { DEFAULT_BASE_DATABASE_URL, type BenchContext, type BenchResult } from './report';

export const NOTIFICATIONS_BENCH_SETTINGS = {
  rawJobs: 20_000,
  burstEvents: 10_000,
  burstBatch: 100,
  steadyRate: 200,
  steadySeconds: 15,
  workerConcurrency: 64,
  databasePool: 20,
  workerProcesses: 1,
} as const;

const S = NOTIFICATIONS_BENCH_SETTINGS;
const ORG = '8f1c2a4e-8b7d-4c1e-9a2b-0d4e5f6a7b8c';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function admin<T>(baseUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: baseUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${what}: not done within ${timeoutMs / 1000}s`);
}

async function rawBullMq(redisUrl: string): Promise<BenchResult> {
  const prefix = `bench-raw-${process.pid}`;
  const conn = newRedis(redisUrl, 'producer');
  const workerConn = newRedis(redisUrl, 'worker');
  const queue = new Queue('bench-raw', { connection: conn, prefix });
  let done = 0;
  const worker = new Worker('bench-raw', async () => undefined, { connection: workerConn, prefix, concurrency: S.workerConcurrency, autorun: false });
  worker.on('completed', () => (done += 1));
  const started = Date.now();
  void worker.run();
  for (let i = 0; i < S.rawJobs; i += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, S.rawJobs - i) }, (_, j) => ({ name: 'noop', data: { i: i + j }, opts: { jobId: `j${i + j}`, removeOnComplete: true } })));
  }
  await waitUntil(async () => done >= S.rawJobs, 120_000, 'raw BullMQ jobs');
  const seconds = (Date.now() - started) / 1000;
  await worker.close();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  conn.disconnect();
  workerConn.disconnect();
  return { name: `raw BullMQ · no-op jobs, concurrency ${S.workerConcurrency}`, requests: S.rawJobs, rps: S.rawJobs / seconds, p50Ms: NaN, p99Ms: NaN, notes: 'ceiling: add + process, nothing else' };
}

/** Commit times by event id, and the inbox insert times (createdAt is set by the worker's client). */
async function latencies(db: Database, committed: Map<string, number>): Promise<number[]> {
  const rows = await db.prisma.notification.findMany({ where: { eventId: { in: [...committed.keys()] } }, select: { eventId: true, createdAt: true } });
  return rows.map((r) => r.createdAt.getTime() - committed.get(r.eventId)!).sort((a, b) => a - b);
}

async function burst(db: Database): Promise<BenchResult> {
  const recipient = crypto.randomUUID();
  const committed = new Map<string, number>();
  const started = Date.now();
  // Producers in parallel, each committing batches of events (publishEvents: one INSERT per batch).
  const producers = 4;
  const perProducer = S.burstEvents / producers;
  await Promise.all(
    Array.from({ length: producers }, async (_, p) => {
      for (let i = 0; i < perProducer; i += S.burstBatch) {
        const ids = await db.prisma.$transaction((tx) =>
          publishEvents(
            tx,
            Array.from({ length: S.burstBatch }, (_, j) => ({
              type: 'accounts.roles_changed' as const,
              payload: { accountId: recipient, organisationId: ORG, organisationName: `ベンチ組織 ${p}-${i + j}`, roles: ['SUPPORTER'] },
            })),
          ),
        );
        const at = Date.now();
        for (const id of ids) committed.set(id, at);
      }
    }),
  );
  const committedIn = (Date.now() - started) / 1000;
  await waitUntil(async () => (await db.prisma.outboxEvent.count({ where: { publishedAt: null } })) === 0, 300_000, 'burst relayed');
  const relayedIn = (Date.now() - started) / 1000;
  await waitUntil(async () => (await db.prisma.notification.count({ where: { recipientAccountId: recipient } })) >= S.burstEvents, 300_000, 'burst delivered');
  const seconds = (Date.now() - started) / 1000;
  const lat = await latencies(db, committed);
  return {
    name: `pipeline burst · ${S.burstEvents.toLocaleString('en-US')} events → inbox`,
    requests: S.burstEvents,
    rps: S.burstEvents / seconds,
    p50Ms: percentile(lat, 50),
    p99Ms: percentile(lat, 99),
    notes: `notices/s first commit → last notice; committed in ${committedIn.toFixed(1)} s, all handed to BullMQ in ${relayedIn.toFixed(1)} s`,
  };
}

async function steady(db: Database): Promise<BenchResult> {
  const recipient = crypto.randomUUID();
  const committed = new Map<string, number>();
  const total = S.steadyRate * S.steadySeconds;
  const interval = 1000 / S.steadyRate;
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = started + i * interval;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      db.prisma
        .$transaction((tx) => publishEvent(tx, 'accounts.roles_changed', { accountId: recipient, organisationId: ORG, organisationName: `定常 ${i}`, roles: ['SUPPORTER'] }))
        .then((id) => void committed.set(id, Date.now())),
    );
  }
  await Promise.all(inFlight);
  await waitUntil(async () => (await db.prisma.notification.count({ where: { recipientAccountId: recipient } })) >= total, 120_000, 'steady delivered');
  const lat = await latencies(db, committed);
  return {
    name: `pipeline steady · ${S.steadyRate}/s for ${S.steadySeconds} s`,
    requests: total,
    rps: total / ((Date.now() - started) / 1000),
    p50Ms: percentile(lat, 50),
    p99Ms: percentile(lat, 99),
    notes: `commit → inbox; max ${lat[lat.length - 1]} ms`,
  };
}

function label(r: BenchResult, how: string): BenchResult {
  return { ...r, name: r.name.replace('pipeline ', `pipeline (${how}) `) };
}

function spawnWorker(databaseUrl: string, redisUrl: string, prefix: string): ChildProcess {
  return spawn(process.execPath, [path.join(REPO_ROOT, 'dist/services/notifications/worker.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'banso-bench-worker-')),
      NOTIFICATIONS_PIPELINE: 'workers',
      // e.g. BENCH_WORKER_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the workers.
      NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS ?? '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${seen}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${seen}`)));
  });
}

export async function benchNotifications(ctx: Partial<BenchContext> = {}, env: NodeJS.ProcessEnv = process.env): Promise<BenchResult[]> {
  setLogLevel('warn');
  const logger = createLogger('bench');
  const baseUrl = ctx.baseDatabaseUrl ?? DEFAULT_BASE_DATABASE_URL;
  const dbName = `banso_bench_notify_${Date.now()}_${process.pid}`;
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    await admin(baseUrl, (c) => c.query(`CREATE DATABASE "${dbName}"`));
    cleanups.push(() => admin(baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)));
    const url = new URL(baseUrl);
    url.pathname = `/${dbName}`;
    const db = await openDatabase({ databaseUrl: url.toString(), dataDir: undefined, poolSize: S.databasePool });
    cleanups.push(() => db.close());
    await applyMigrations(db.adapterFactory);

    let redisUrl = env.REDIS_URL;
    if (!redisUrl) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-bench-redis-'));
      const target: RedisTarget | null = await startPrivateRedis(dir);
      if (!target) throw new Error('the notifications bench needs Redis: set REDIS_URL or install redis-server');
      cleanups.push(async () => {
        await target.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      });
      redisUrl = target.url;
    }
    logger.warn('notifications bench', { database: redact(url.toString()), redis: redact(redisUrl) });

    const results: BenchResult[] = [await rawBullMq(redisUrl)];

    // As `npm start` runs it: relay and workers in the producers' process.
    const single = startNotifications({ prisma: db.prisma, redisUrl, logger, prefix: `bench-a-${process.pid}`, concurrency: { events: Number(env.BENCH_EVENTS_CONCURRENCY) || undefined } });
    await waitUntil(async () => single.status() === 'ok', 10_000, 'pipeline ready');
    results.push(label(await burst(db), 'one process'));
    results.push(label(await steady(db), 'one process'));
    await single.stop();

    // As a deployment scales it: the relay beside the producers, delivery in worker processes
    // (`node dist/services/notifications/worker.js`, NOTIFICATIONS_PIPELINE=workers).
    const prefix = `bench-b-${process.pid}`;
    const workers = Array.from({ length: S.workerProcesses }, () => spawnWorker(url.toString(), redisUrl!, prefix));
    cleanups.push(async () => {
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(workers.map((w) => (w.exitCode !== null ? null : new Promise((r) => w.once('exit', r)))));
    });
    await Promise.all(workers.map((w) => waitForOutput(w, /notification pipeline running/, 30_000)));
    const relay = startNotifications({ prisma: db.prisma, redisUrl, logger, prefix, runWorkers: false });
    cleanups.push(() => relay.stop());
    await waitUntil(async () => relay.status() === 'ok', 10_000, 'relay ready');
    results.push(label(await burst(db), `relay + ${S.workerProcesses} worker process`));
    results.push(label(await steady(db), `relay + ${S.workerProcesses} worker process`));
    return results;
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
}
