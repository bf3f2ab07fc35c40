/**
 * The notification pipeline as configured: which Redis (REDIS_URL, else a private redis-server in
 * DATA_DIR/redis in the embedded mode, else none and notices wait), which mail transport (SMTP_URL,
 * else .eml files in DATA_DIR/mail), and the webhook key. Used by `npm start` and by the
 * notifications service run on its own.
 */
import path from 'node:path';
import type { Config } from '../shared/config';
import type { Database } from '../shared/database';
import { redact } from '../shared/config';
import type { Logger } from '../shared/logger';
import { createMailer, type Mailer } from './email';
import { startPrivateRedis, type RedisTarget } from './redis';
import { startNotifications, type NotificationsRuntime } from './runtime';
import { webhookSecretKey } from './webhooks';

export interface Pipeline {
  runtime: NotificationsRuntime;
  /** What the pipeline runs on, for the start-up banner. */
  redis: string;
  mail: string;
  webhookKey: Buffer;
  stop(): Promise<void>;
}

export async function startPipeline(cfg: Config, db: Database, sessionSecret: string, logger: Logger): Promise<Pipeline> {
  const n = cfg.notifications;
  const webhookKey = webhookSecretKey(sessionSecret);
  let privateRedis: RedisTarget | null = null;
  let redisUrl = n.redisUrl ?? null;
  let redisLabel = redisUrl ? redact(redisUrl) : 'none — notices wait in the outbox (set REDIS_URL or install redis-server)';
  if (!redisUrl && (n.runRelay || n.runWorkers) && db.mode === 'embedded') {
    try {
      privateRedis = await startPrivateRedis(path.join(cfg.dataDir, 'redis'), undefined, (code) => logger.warn('the private redis-server stopped; restarting it (notices wait in the outbox meanwhile)', { code }));
    } catch (err) {
      logger.warn('could not start a private redis-server; notices wait in the outbox', { error: err instanceof Error ? err.message : String(err) });
    }
    if (privateRedis) {
      redisUrl = privateRedis.url;
      redisLabel = `private redis-server (${privateRedis.url}, data in ${path.join(cfg.dataDir, 'redis')})`;
    }
  }
  const mailDir = path.join(cfg.dataDir, 'mail');
  const mailer: Mailer | undefined = n.runWorkers ? createMailer({ smtpUrl: n.smtpUrl ?? null, from: n.mailFrom, fileDir: mailDir }) : undefined;
  const runtime = startNotifications({
    prisma: db.prisma,
    redisUrl,
    logger,
    prefix: n.redisPrefix,
    runRelay: n.runRelay,
    runWorkers: n.runWorkers,
    lockDurationMs: n.lockMs,
    stalledIntervalMs: Math.max(1000, Math.round(n.lockMs / 2)),
    ...(mailer ? { channels: { mailer, publicUrl: cfg.publicUrl, webhookKey, allowPrivateWebhooks: n.allowInsecureWebhooks } } : {}),
  });
  return {
    runtime,
    redis: redisLabel,
    mail: n.smtpUrl ? `SMTP ${mailer?.description ?? redact(n.smtpUrl)}` : `.eml files in ${mailDir}`,
    webhookKey,
    stop: async () => {
      await runtime.stop();
      mailer?.close();
      await privateRedis?.stop();
    },
  };
}
