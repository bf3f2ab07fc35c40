/**
 * The outward channels end to end, against the real PostgreSQL, a real Redis, a real SMTP server
 * (smtp-server, parsed with mailparser) and real HTTP receivers: Japanese mail correctly encoded,
 * preferences respected (email off, daily digest), in-app only for a recipient without an address,
 * webhooks signed as documented, a failing endpoint retried then marked failed without holding up others.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Database } from '../services/shared/database';
import { createLogger, setLogLevel } from '../services/shared/logger';
import { sendEmailDelivery } from '../services/notifications/channels';
import { createMailer, type Mailer } from '../services/notifications/email';
import { publishEvent } from '../services/notifications/outbox';
import { Jobs, Queues, Schedulers } from '../services/notifications/queues';
import { newRedis } from '../services/notifications/redis';
import { startNotifications, type NotificationsRuntime } from '../services/notifications/runtime';
import { encryptSecret, newWebhookSecret, webhookSecretKey } from '../services/notifications/webhooks';
import { privateDatabase, type PrivateDatabase } from './support/private-database';
import { TEST_REDIS_URL, TEST_SESSION_SECRET } from './support/hub';
import { NotificationsManager } from '../services/notifications/notifications.manager';
import { NotificationsStore } from '../services/notifications/notifications.store';
import { ANONYMOUS } from '../services/shared/viewer';

let db: Database;
let privateDb: PrivateDatabase;
let smtp: SMTPServer;
let smtpPort: number;
const received: ParsedMail[] = [];
const rawReceived: string[] = [];
let mailer: Mailer;
let runtime: NotificationsRuntime;
const prefix = `c-${crypto.randomUUID()}`;
const webhookKey = webhookSecretKey(TEST_SESSION_SECRET);
const logger = createLogger('channels-test');

beforeAll(async () => {
  setLogLevel('error');
  privateDb = await privateDatabase('channels');
  db = privateDb.db;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        rawReceived.push(raw.toString('latin1'));
        received.push(await simpleParser(raw));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${smtpPort}`, from: '伴走ハブ <no-reply@banso-hub.test>', fileDir: fs.mkdtempSync(path.join(os.tmpdir(), 'banso-mail-')) });
  runtime = startNotifications({
    prisma: db.prisma,
    redisUrl: TEST_REDIS_URL,
    logger,
    prefix,
    channels: { mailer, publicUrl: 'https://hub.example.jp', webhookKey, allowPrivateWebhooks: true, webhookTimeoutMs: 2000 },
    relay: { idleMs: 50, sweepEveryMs: 1000, staleAfterMs: 3000 },
    retry: { webhooks: { attempts: 3, backoffMs: 100 }, email: { attempts: 3, backoffMs: 100 } },
  });
});

afterAll(async () => {
  await runtime?.stop();
  mailer?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await privateDb?.drop();
});

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} not met within ${timeoutMs} ms`);
}

async function newAccount(email: string, name = 'テスト 花子') {
  return db.prisma.account.create({ data: { email, displayName: name, passwordHash: 'not-used' } });
}

const mailTo = (address: string) => received.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((t) => t?.value.some((v) => v.address === address)));

test('an event reaches the recipient by email in Japanese, correctly encoded, plain text and HTML', async () => {
  const address = `hanako.${crypto.randomUUID().slice(0, 8)}@example.jp`;
  const account = await newAccount(address);
  const orgId = crypto.randomUUID();
  await db.prisma.$transaction((tx) => publishEvent(tx, 'accounts.roles_changed', { accountId: account.id, organisationId: orgId, organisationName: '横浜商工会議所 <本所>', roles: ['SUPPORTER', 'TEAM_LEAD'] }));
  await waitFor(() => mailTo(address).length === 1, 20_000, 'mail received');
  const [mail] = mailTo(address);
  expect(mail.subject).toBe('【伴走ハブ】横浜商工会議所 <本所>での役割が変更されました');
  const raw = rawReceived.find((r) => r.includes(address))!;
  // Headers are 7-bit: the Japanese subject travels as an RFC 2047 encoded word.
  expect(raw.split('\r\n\r\n')[0]).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/im);
  expect(mail.text).toContain('現在の役割: 支援担当者、チームリーダー');
  expect(mail.text).toContain('Your roles are now: SUPPORTER, TEAM_LEAD');
  expect(mail.html).toContain('横浜商工会議所 &lt;本所&gt;');
  expect(mail.html).not.toContain('<本所>');
  // The row says SENT once the server's answer is back, just after the message arrived.
  await waitFor(async () => (await db.prisma.emailDelivery.findFirst({ where: { recipientAccountId: account.id } }))?.status === 'SENT', 10_000, 'email row sent');
  const row = await db.prisma.emailDelivery.findFirstOrThrow({ where: { recipientAccountId: account.id } });
  expect(row).toMatchObject({ status: 'SENT', toAddress: address, mode: 'IMMEDIATE' });
  expect(mail.messageId).toBe(`<${row.id}@banso-hub>`);
  // The in-app notice is there too.
  expect(await db.prisma.notification.count({ where: { recipientAccountId: account.id } })).toBe(1);
});

test('a delivery another worker is sending (its lease is live) is not sent twice; once the lease has lapsed it is', async () => {
  const address = `lease.${crypto.randomUUID().slice(0, 8)}@example.jp`;
  const account = await newAccount(address);
  const eventId = await db.prisma.$transaction((tx) =>
    publishEvent(tx, 'accounts.staff_removed', { accountId: account.id, organisationId: crypto.randomUUID(), organisationName: '長岡商工会議所' }),
  );
  await waitFor(() => mailTo(address).length === 1, 20_000, 'first mail');
  await waitFor(async () => (await db.prisma.emailDelivery.findFirst({ where: { eventId } }))?.status === 'SENT', 10_000, 'first row sent');
  // As if a second worker had been handed the same delivery while the first was still sending it.
  const row = await db.prisma.emailDelivery.findFirstOrThrow({ where: { eventId } });
  await db.prisma.emailDelivery.update({ where: { id: row.id }, data: { status: 'PENDING', leaseUntil: new Date(Date.now() + 60_000) } });
  const deps = { prisma: db.prisma, mailer, publicUrl: 'https://hub.example.jp', webhookKey, allowPrivateWebhooks: true };
  await expect(sendEmailDelivery(deps, row.id, { final: false })).rejects.toThrow(/being sent by another worker/);
  await new Promise((r) => setTimeout(r, 300));
  expect(mailTo(address)).toHaveLength(1);
  await db.prisma.emailDelivery.update({ where: { id: row.id }, data: { leaseUntil: new Date(Date.now() - 1000) } });
  expect(await sendEmailDelivery(deps, row.id, { final: false })).toBe('sent');
  await waitFor(() => mailTo(address).length === 2, 10_000, 'sent after the lease lapsed');
  expect((await db.prisma.emailDelivery.findUniqueOrThrow({ where: { id: row.id } })).leaseUntil).toBeNull();
});

test('preferences: email off gets the inbox only; an unknown recipient (no address) gets the inbox only', async () => {
  const address = `taro.${crypto.randomUUID().slice(0, 8)}@example.jp`;
  const account = await newAccount(address);
  await db.prisma.notificationPreference.create({ data: { accountId: account.id, eventType: 'accounts.staff_removed', inApp: true, email: false } });
  const ghost = crypto.randomUUID(); // no account row, so no address
  const orgId = crypto.randomUUID();
  await db.prisma.$transaction(async (tx) => {
    await publishEvent(tx, 'accounts.staff_removed', { accountId: account.id, organisationId: orgId, organisationName: '秋田県信用保証協会' });
    await publishEvent(tx, 'accounts.staff_removed', { accountId: ghost, organisationId: orgId, organisationName: '秋田県信用保証協会' });
  });
  await waitFor(async () => (await db.prisma.notification.count({ where: { recipientAccountId: { in: [account.id, ghost] } } })) === 2, 20_000, 'two inbox notices');
  await waitFor(async () => (await db.prisma.outboxEvent.count({ where: { deliveredAt: null, payload: { path: ['organisationId'], equals: orgId } } })) === 0, 10_000, 'fan-out done');
  expect(await db.prisma.emailDelivery.count({ where: { recipientAccountId: { in: [account.id, ghost] } } })).toBe(0);
  expect(mailTo(address)).toHaveLength(0);
});

test('daily digest: notices wait, then one mail lists them all (the scheduler is declared for 08:00 Asia/Tokyo)', async () => {
  const address = `digest.${crypto.randomUUID().slice(0, 8)}@example.jp`;
  const account = await newAccount(address, 'まとめ 読子');
  await db.prisma.notificationSettings.create({ data: { accountId: account.id, emailMode: 'DAILY_DIGEST' } });
  const orgId = crypto.randomUUID();
  for (const name of ['山形県よろず支援拠点', '庄内信用金庫', '酒田商工会議所']) {
    await db.prisma.$transaction((tx) => publishEvent(tx, 'accounts.roles_changed', { accountId: account.id, organisationId: orgId, organisationName: name, roles: ['SUPPORTER'] }));
  }
  await waitFor(async () => (await db.prisma.emailDelivery.count({ where: { recipientAccountId: account.id, mode: 'DAILY_DIGEST', status: 'PENDING' } })) === 3, 20_000, 'three digest rows');
  expect(mailTo(address)).toHaveLength(0);

  const conn = newRedis(TEST_REDIS_URL, 'producer');
  const maintenance = new Queue(Queues.maintenance, { connection: conn, prefix });
  try {
    await waitFor(async () => (await maintenance.getJobScheduler(Schedulers.digest)) !== undefined, 10_000, 'digest scheduler declared');
    const scheduler = await maintenance.getJobScheduler(Schedulers.digest);
    expect(scheduler).toMatchObject({ pattern: '0 8 * * *', tz: 'Asia/Tokyo' });
    // What the scheduler does at 08:00, now.
    await maintenance.add(Jobs.startDigests, {});
  } finally {
    await maintenance.close();
    conn.disconnect();
  }
  await waitFor(() => mailTo(address).length === 1, 20_000, 'digest received');
  const [digest] = mailTo(address);
  expect(digest.subject).toBe('【伴走ハブ】本日のお知らせ（3件）');
  for (const name of ['山形県よろず支援拠点', '庄内信用金庫', '酒田商工会議所']) expect(digest.text).toContain(`${name}での役割が変更されました`);
  await waitFor(async () => (await db.prisma.emailDelivery.count({ where: { recipientAccountId: account.id, status: 'SENT' } })) === 3, 10_000, 'three digest rows sent');
});

describe('webhooks', () => {
  interface Received {
    headers: http.IncomingHttpHeaders;
    body: string;
  }
  const servers: http.Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

  async function receiver(initialStatus: number): Promise<{ url: string; calls: Received[]; status: number }> {
    const calls: Received[] = [];
    const state = { url: '', calls, status: initialStatus };
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        calls.push({ headers: req.headers, body });
        res.writeHead(state.status).end();
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/banso`;
    return state;
  }

  async function endpoint(organisationId: string, url: string, secret: string, eventTypes: string[] = []) {
    return db.prisma.webhookEndpoint.create({ data: { organisationId, url, secretCiphertext: encryptSecret(webhookKey, secret), eventTypes, createdById: crypto.randomUUID() } });
  }

  test('a body receives its events signed as documented; a failing endpoint is retried, then marked failed, without holding up the others', async () => {
    const orgId = crypto.randomUUID();
    const otherOrg = crypto.randomUUID();
    const good = await receiver(204);
    const bad = await receiver(500);
    const elsewhere = await receiver(204);
    const secret = newWebhookSecret();
    const goodEndpoint = await endpoint(orgId, good.url, secret);
    const badEndpoint = await endpoint(orgId, bad.url, newWebhookSecret());
    await endpoint(otherOrg, elsewhere.url, newWebhookSecret());
    const filtered = await endpoint(orgId, good.url.replace('/banso', '/only-removals'), newWebhookSecret(), ['accounts.staff_removed']);

    const eventId = await db.prisma.$transaction((tx) =>
      publishEvent(tx, 'accounts.roles_changed', { accountId: crypto.randomUUID(), organisationId: orgId, organisationName: '福井県中小企業診断協会', roles: ['ORG_ADMIN'] }),
    );
    await waitFor(() => good.calls.length === 1, 20_000, 'good endpoint called');
    // Documented check: HMAC-SHA256 over `${t}.${raw body}` with the secret, hex, in X-Banso-Signature.
    const call = good.calls[0];
    const header = String(call.headers['x-banso-signature']);
    const t = /t=(\d+)/.exec(header)![1];
    const v1 = /v1=([0-9a-f]+)/.exec(header)![1];
    expect(v1).toBe(crypto.createHmac('sha256', secret).update(`${t}.${call.body}`).digest('hex'));
    expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(60);
    expect(call.headers['x-banso-event-id']).toBe(eventId);
    expect(call.headers['x-banso-event-type']).toBe('accounts.roles_changed');
    const body = JSON.parse(call.body);
    expect(body).toMatchObject({ id: eventId, type: 'accounts.roles_changed', organisationId: orgId, data: { organisationName: '福井県中小企業診断協会' } });

    // The log is written once the receiver's answer is back, just after the call above arrived.
    await waitFor(async () => (await db.prisma.webhookDelivery.findFirst({ where: { endpointId: goodEndpoint.id } }))?.status === 'SENT', 10_000, 'good delivery logged');
    const goodLog = await db.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: goodEndpoint.id } });
    expect(goodLog).toMatchObject({ status: 'SENT', attempts: 1, responseStatus: 204 });

    await waitFor(async () => (await db.prisma.webhookDelivery.findFirst({ where: { endpointId: badEndpoint.id } }))?.status === 'FAILED', 20_000, 'bad endpoint marked failed');
    const badLog = await db.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: badEndpoint.id } });
    expect(badLog).toMatchObject({ status: 'FAILED', attempts: 3, responseStatus: 500 });
    expect(bad.calls).toHaveLength(3);
    // Another body's endpoint and an endpoint filtered to other event types received nothing.
    expect(elsewhere.calls).toHaveLength(0);
    expect(await db.prisma.webhookDelivery.count({ where: { endpointId: filtered.id } })).toBe(0);

    // A hub admin sees the failed job (ids only, no URL) and retries it once the endpoint is mended.
    const admin = new NotificationsManager(new NotificationsStore(db.prisma), { ...ANONYMOUS('test'), accountId: crypto.randomUUID(), organisationId: orgId, roles: ['HUB_ADMIN'] }, { webhookKey, allowInsecureWebhooks: true, queues: runtime.queues });
    const failed = (await admin.failedJobs(50)).find((j) => j.id === badLog.id);
    expect(failed).toMatchObject({ queue: 'notification-webhooks', name: 'post-webhook', attemptsMade: 3 });
    expect(failed!.failedReason).toContain('HTTP 500');
    expect(failed!.failedReason).not.toContain('127.0.0.1');
    bad.status = 204;
    expect(await admin.retryJob(failed!.queue, failed!.id)).toMatchObject({ ok: true });
    await waitFor(async () => (await db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: badLog.id } })).status === 'SENT', 20_000, 'retried delivery sent');
    expect(bad.calls).toHaveLength(4);
    // A supporter may not list or retry.
    const supporter = new NotificationsManager(new NotificationsStore(db.prisma), { ...ANONYMOUS('test'), accountId: crypto.randomUUID(), organisationId: orgId, roles: ['SUPPORTER'] }, { webhookKey, allowInsecureWebhooks: true, queues: runtime.queues });
    await expect(supporter.retryJob(failed!.queue, failed!.id)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });
});
