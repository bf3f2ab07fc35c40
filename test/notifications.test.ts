/**
 * The notification pipeline against the real PostgreSQL and a real Redis (a private redis-server
 * per test, so it can be stopped, restarted and wiped): every committed event reaches the inbox
 * exactly once across Redis outages, Redis data loss, a killed worker and a restarted relay; a
 * rolled-back transaction sends nothing; a malformed event is refused at the producer; reminders
 * fire unless cancelled; a worker told to stop finishes the jobs it holds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import type { Database } from '../services/shared/database';
import { createLogger, setLogLevel } from '../services/shared/logger';
import { publishEvent } from '../services/notifications/outbox';
import { Queues } from '../services/notifications/queues';
import { newRedis, startPrivateRedis, type RedisTarget } from '../services/notifications/redis';
import { startNotifications, type NotificationsOptions, type NotificationsRuntime } from '../services/notifications/runtime';
import { cancelScheduledNotice, scheduleNotice } from '../services/notifications/scheduling';
import { REPO_ROOT } from '../services/registry';
import { pipelineHealth } from '../services/notifications/health';
import { NotificationsStore } from '../services/notifications/notifications.store';
import { privateDatabase, type PrivateDatabase } from './support/private-database';
import { TEST_SESSION_SECRET } from './support/hub';

let db: Database;
let privateDb: PrivateDatabase;
let redisDir: string;
const logger = createLogger('notifications-test');

beforeAll(async () => {
  setLogLevel('error');
  privateDb = await privateDatabase('pipeline');
  db = privateDb.db;
  redisDir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-redis-'));
});
afterAll(async () => {
  await privateDb?.drop();
  fs.rmSync(redisDir, { recursive: true, force: true });
});

/** A fresh recipient per test, so counts are this test's alone. */
const recipient = () => crypto.randomUUID();
const org = '8f1c2a4e-8b7d-4c1e-9a2b-0d4e5f6a7b8c';

async function publishMany(accountId: string, from: number, n: number): Promise<void> {
  for (let i = from; i < from + n; i += 1) {
    await db.prisma.$transaction(async (tx) => {
      await publishEvent(tx, 'accounts.roles_changed', { accountId, organisationId: org, organisationName: `テスト組織 ${i}`, roles: ['SUPPORTER'] });
    });
  }
}

async function inboxCount(accountId: string): Promise<number> {
  return db.prisma.notification.count({ where: { recipientAccountId: accountId } });
}

/** Every event of the recipient has exactly one notice, and there are `n` of them. */
async function expectExactlyOnce(accountId: string, n: number): Promise<void> {
  const rows = await db.prisma.notification.findMany({ where: { recipientAccountId: accountId }, select: { titleJa: true, eventId: true } });
  expect(rows).toHaveLength(n);
  expect(new Set(rows.map((r) => r.titleJa)).size).toBe(n);
  expect(new Set(rows.map((r) => r.eventId)).size).toBe(n);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} not met within ${timeoutMs} ms`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a malformed event is refused at the producer and nothing is written', async () => {
  const accountId = recipient();
  await expect(
    db.prisma.$transaction((tx) => publishEvent(tx, 'accounts.roles_changed', { accountId, organisationId: 'not-a-uuid', organisationName: '', roles: [] } as never)),
  ).rejects.toMatchObject({ code: 'notifications/malformed_event' });
  await expect(db.prisma.$transaction((tx) => publishEvent(tx, 'no.such_event' as never, {} as never))).rejects.toMatchObject({ code: 'notifications/unknown_event_type' });
  expect(await db.prisma.outboxEvent.count({ where: { payload: { path: ['accountId'], equals: accountId } } })).toBe(0);
});

describe('with Redis', () => {
  // Each test gets its own redis-server (own port and data directory), which it may stop, restart or wipe.
  let redis: RedisTarget | undefined;
  let runtimes: NotificationsRuntime[] = [];
  let children: ChildProcess[] = [];
  let prefix: string;
  beforeEach(() => {
    prefix = `t-${crypto.randomUUID()}`;
  });
  afterEach(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    children = [];
    await Promise.all(runtimes.map((r) => r.stop()));
    runtimes = [];
    await redis?.stop();
    redis = undefined;
  });

  const newPort = () => 20000 + Math.floor(Math.random() * 20000);
  const startRedis = async (dir?: string, port?: number) => (await startPrivateRedis(dir ?? fs.mkdtempSync(path.join(redisDir, 'r-')), port ?? newPort()))!;
  const start = (url: string, extra: Partial<NotificationsOptions> = {}) => {
    const runtime = startNotifications({
      prisma: db.prisma,
      redisUrl: url,
      logger,
      prefix,
      relay: { idleMs: 50, sweepEveryMs: 500, staleAfterMs: 1500, addTimeoutMs: 1000, heartbeatEveryMs: 500 },
      retry: { events: { attempts: 20, backoffMs: 200 } },
      lockDurationMs: 2000,
      stalledIntervalMs: 1000,
      ...extra,
    });
    runtimes.push(runtime);
    return runtime;
  };
  const stopRuntime = async (runtime: NotificationsRuntime) => {
    await runtime.stop();
    runtimes = runtimes.filter((r) => r !== runtime);
  };

  test('the private redis-server (npm start without REDIS_URL) is restarted when it dies, and notices flow again', async () => {
    const restarts: Array<number | null> = [];
    redis = (await startPrivateRedis(fs.mkdtempSync(path.join(redisDir, 'sup-')), newPort(), (code) => restarts.push(code)))!;
    const runtime = start(redis.url);
    const accountId = recipient();
    await publishMany(accountId, 0, 3);
    await waitFor(async () => (await inboxCount(accountId)) === 3, 15_000, 'first notices');
    const admin = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    admin.on('error', () => undefined);
    await admin.call('SHUTDOWN', 'NOSAVE').catch(() => undefined); // the server goes away mid-answer
    admin.disconnect();
    await waitFor(async () => restarts.length === 1, 10_000, 'restart noticed');
    await publishMany(accountId, 3, 3);
    await waitFor(async () => (await inboxCount(accountId)) === 6, 30_000, 'notices after the restart');
    await waitFor(async () => runtime.status() === 'ok', 10_000, 'ok again');
    await expectExactlyOnce(accountId, 6);
  });

  test('an event that cannot be delivered (malformed after a catalogue change) fails on its own, visibly; its batch is delivered', async () => {
    redis = await startRedis();
    const runtime = start(redis.url);
    const accountId = recipient();
    // Written around the producer API, as an old event would look after its schema changed.
    const bad = await db.prisma.outboxEvent.create({ data: { type: 'accounts.roles_changed', payload: { accountId, organisationId: org } } });
    await publishMany(accountId, 0, 3);
    await waitFor(async () => (await inboxCount(accountId)) === 3, 15_000, 'good events delivered');
    const conn = newRedis(redis.url, 'producer');
    const q = new Queue(Queues.events, { connection: conn, prefix });
    try {
      await waitFor(async () => (await q.getJobState(bad.id)) === 'failed', 15_000, 'the bad event failed as its own job');
      const job = await q.getJob(bad.id);
      expect(job!.failedReason).toBe(`malformed accounts.roles_changed event ${bad.id}`);
      expect(job!.attemptsMade).toBe(1); // unrecoverable: not retried
    } finally {
      await q.close();
      conn.disconnect();
    }
    expect((await db.prisma.outboxEvent.findUniqueOrThrow({ where: { id: bad.id } })).deliveredAt).toBeNull();
    expect(runtime.queues).not.toBeNull();
  });

  test('a rolled-back transaction sends nothing; a committed one arrives once', async () => {
    redis = await startRedis();
    start(redis.url);
    const accountId = recipient();
    await expect(
      db.prisma.$transaction(async (tx) => {
        await publishEvent(tx, 'accounts.staff_removed', { accountId, organisationId: org, organisationName: '取り消される組織' });
        throw new Error('business change failed');
      }),
    ).rejects.toThrow('business change failed');
    await publishMany(accountId, 0, 1);
    await waitFor(async () => (await inboxCount(accountId)) === 1, 15_000);
    await sleep(500);
    const inbox = await db.prisma.notification.findMany({ where: { recipientAccountId: accountId } });
    expect(inbox.map((n) => n.titleJa)).toEqual(['テスト組織 0での役割が変更されました']);
  });

  test('every committed event reaches the inbox exactly once across a Redis stop and restart and a relay restart', async () => {
    const dir = fs.mkdtempSync(path.join(redisDir, 'restart-'));
    const port = newPort();
    redis = await startRedis(dir, port);
    let runtime = start(redis.url);
    const accountId = recipient();
    await publishMany(accountId, 0, 40);
    await waitFor(async () => (await inboxCount(accountId)) > 0, 15_000, 'first notices');

    // Redis goes away mid-stream; producers keep committing; the pipeline says it is delayed.
    await redis.stop();
    await publishMany(accountId, 40, 40);
    await waitFor(async () => runtime.status() === 'delayed', 15_000, 'delayed status');
    const waiting = await db.prisma.outboxEvent.count({ where: { publishedAt: null, payload: { path: ['accountId'], equals: accountId } } });
    expect(waiting).toBeGreaterThan(0);

    // The relay is restarted while Redis is down, and Redis comes back on the same data.
    await stopRuntime(runtime);
    redis = await startRedis(dir, port);
    runtime = start(redis.url);
    await publishMany(accountId, 80, 40);
    await waitFor(async () => (await inboxCount(accountId)) >= 120, 60_000, '120 notices');
    await waitFor(async () => runtime.status() === 'ok', 10_000, 'ok status');
    await sleep(1500); // time for any duplicate to show up
    await expectExactlyOnce(accountId, 120);
  });

  test('when Redis comes back empty (failover, lost data) the sweeper re-enqueues what the database says is owed', async () => {
    const port = newPort();
    redis = await startRedis(fs.mkdtempSync(path.join(redisDir, 'wipe-a-')), port);
    const accountId = recipient();
    // Relay only: events are handed to Redis (publishedAt set) but nobody delivers them yet.
    const relayOnly = start(redis.url, { runWorkers: false });
    await publishMany(accountId, 0, 30);
    await waitFor(async () => (await db.prisma.outboxEvent.count({ where: { publishedAt: null, payload: { path: ['accountId'], equals: accountId } } })) === 0, 15_000, 'events handed over');
    await stopRuntime(relayOnly);
    // Redis is replaced by an empty one on the same address: every queued job is gone.
    await redis.stop();
    redis = await startRedis(fs.mkdtempSync(path.join(redisDir, 'wipe-b-')), port);
    start(redis.url);
    await waitFor(async () => (await inboxCount(accountId)) >= 30, 30_000, '30 notices after the wipe');
    await sleep(1500);
    await expectExactlyOnce(accountId, 30);
  });

  /** A worker process of the real build (dist/), with a short job lock so its death is noticed quickly. */
  function spawnWorker(redisUrl: string, lockMs = 2000): ChildProcess {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/services/notifications/worker.js')], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'error',
        DATABASE_URL: privateDb.url,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: prefix,
        SESSION_SECRET: TEST_SESSION_SECRET,
        DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'banso-worker-')),
        NOTIFICATIONS_PIPELINE: 'workers',
        NOTIFICATIONS_LOCK_MS: String(lockMs),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    return child;
  }

  /** Holds the outbox rows of a recipient's events locked, so a worker's fan-out blocks mid-job. */
  async function lockEventsOf(accountId: string): Promise<Client> {
    const client = new Client({ connectionString: privateDb.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query(`SELECT id FROM "OutboxEvent" WHERE payload->>'accountId' = $1 FOR UPDATE`, [accountId]);
    return client;
  }

  async function activeJobs(redisUrl: string): Promise<number> {
    const conn = newRedis(redisUrl, 'producer');
    const q = new Queue(Queues.events, { connection: conn, prefix });
    try {
      return await q.getActiveCount();
    } finally {
      await q.close();
      conn.disconnect();
    }
  }

  test('a worker killed mid-job: its jobs are taken over and every event is delivered exactly once', async () => {
    redis = await startRedis();
    const accountId = recipient();
    // Events go into the queue first (relay only), then their rows are locked so the fan-out blocks.
    const relay = start(redis.url, { runWorkers: false });
    await publishMany(accountId, 0, 30);
    await waitFor(async () => (await db.prisma.outboxEvent.count({ where: { publishedAt: null, payload: { path: ['accountId'], equals: accountId } } })) === 0, 15_000, 'events handed over');
    const lock = await lockEventsOf(accountId);
    const child = spawnWorker(redis.url);
    await waitFor(async () => (await activeJobs(redis!.url)) > 0, 30_000, 'the worker holds jobs');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // PostgreSQL notices a vanished client only when it next talks to it: a backend still waiting on the
    // lock would finish the dead worker's statement after the rollback. End those backends, as the
    // server's keepalive would, so the dead worker's half-done jobs stay undone.
    await lock.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`);
    await lock.query('ROLLBACK');
    await lock.end();
    expect(await inboxCount(accountId)).toBe(0);
    // Another worker notices the dead one's stalled jobs and delivers everything.
    start(redis.url, { runRelay: false });
    await waitFor(async () => (await inboxCount(accountId)) >= 30, 30_000, '30 notices after the kill');
    await sleep(1500);
    await expectExactlyOnce(accountId, 30);
    await stopRuntime(relay);
  });

  test('on SIGTERM a worker finishes the jobs it holds before it exits', async () => {
    redis = await startRedis();
    const accountId = recipient();
    start(redis.url, { runWorkers: false });
    await publishMany(accountId, 0, 5);
    await waitFor(async () => (await db.prisma.outboxEvent.count({ where: { publishedAt: null, payload: { path: ['accountId'], equals: accountId } } })) === 0, 15_000, 'events handed over');
    const lock = await lockEventsOf(accountId);
    // A long lock: nothing but this worker may finish these jobs.
    const child = spawnWorker(redis.url, 60_000);
    await waitFor(async () => (await activeJobs(redis!.url)) >= 1, 30_000, 'the worker holds the jobs');
    child.kill('SIGTERM');
    await sleep(500);
    expect(child.exitCode).toBeNull(); // still finishing
    await lock.query('ROLLBACK');
    await lock.end();
    const code = await new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (c) => r(c))));
    expect(code).toBe(0);
    await expectExactlyOnce(accountId, 5);
  });

  test('a reminder fires at its time through a delayed job; a cancelled one never does', async () => {
    redis = await startRedis();
    start(redis.url);
    const kept = recipient();
    const cancelled = recipient();
    const payload = (inviter: string) => ({
      invitationId: crypto.randomUUID(),
      inviterAccountId: inviter,
      organisationId: org,
      organisationName: '秋田県よろず支援拠点',
      email: 'new.person@example.jp',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const dueAt = new Date(Date.now() + 1500);
    await db.prisma.$transaction(async (tx) => {
      await scheduleNotice(tx, { key: `test-kept-${kept}`, dueAt, type: 'accounts.invitation_expiring', payload: payload(kept) });
      await scheduleNotice(tx, { key: `test-cancelled-${cancelled}`, dueAt, type: 'accounts.invitation_expiring', payload: payload(cancelled) });
    });
    // The reminder is handed over as a delayed job, then what it reminds about is done.
    await waitFor(async () => (await db.prisma.scheduledNotice.count({ where: { key: `test-cancelled-${cancelled}`, enqueuedAt: { not: null } } })) === 1, 10_000, 'reminder enqueued');
    await db.prisma.$transaction((tx) => cancelScheduledNotice(tx, `test-cancelled-${cancelled}`));
    expect(await inboxCount(kept)).toBe(0); // not before its time
    await waitFor(async () => (await inboxCount(kept)) === 1, 15_000, 'reminder delivered');
    await sleep(1000);
    expect(await inboxCount(cancelled)).toBe(0);
    const [notice] = await db.prisma.notification.findMany({ where: { recipientAccountId: kept } });
    expect(notice.titleJa).toBe('new.person@example.jp さんへの招待がまもなく期限切れです');
    expect(notice.link).toBe('/admin/staff');
  });
});

test('without Redis the pipeline reports itself delayed and the events wait in the outbox', async () => {
  const runtime = startNotifications({ prisma: db.prisma, redisUrl: null, logger });
  const accountId = recipient();
  await publishMany(accountId, 0, 2);
  expect(runtime.status()).toBe('delayed');
  expect(await db.prisma.outboxEvent.count({ where: { publishedAt: null, payload: { path: ['accountId'], equals: accountId } } })).toBe(2);
  await waitFor(async () => (await db.prisma.pipelineHeartbeat.findUnique({ where: { name: 'relay' } }))?.status === 'delayed', 5000, 'heartbeat says delayed');
  // What /readyz and the UI's notice read.
  expect(await pipelineHealth(new NotificationsStore(db.prisma))).toMatchObject({ status: 'DELAYED' });
  await runtime.stop();
});
