/**
 * The notification pipeline in a process: the queues, the outbox relay (with its sweeper) and the
 * workers for each queue. Without Redis it runs in "delayed" mode: producers still commit events,
 * which wait in the outbox until a process with Redis hands them on.
 */
import { DelayedError, Queue, Worker, type Job, type Processor } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Logger } from '../shared/logger';
import { postWebhookDelivery, sendDigest, sendEmailDelivery, type ChannelDeps } from './channels';
import { deliverEvent, deliverEvents, type FanOutResult } from './delivery';
import { DEFAULT_RETRY, digestJobId, Jobs, jobOptions, Queues, type QueueName, type RetryPolicy } from './queues';
import { PipelineStore } from './pipeline.store';
import { settlesWithin } from './timeouts';
import { newRedis } from './redis';
import { HEARTBEAT, OutboxRelay, type RelayOptions, type RelayQueues } from './relay';
import { fireScheduledNotice } from './scheduling';

export interface NotificationsOptions {
  prisma: PrismaClient;
  /** null: no Redis — events wait in the outbox. */
  redisUrl: string | null;
  logger: Logger;
  /** Email and webhooks; without them the workers handle the inbox only (tests of the core). */
  channels?: Omit<ChannelDeps, 'prisma'>;
  /** BullMQ key prefix (tests use a unique one). */
  prefix?: string;
  /** Workers per queue. */
  concurrency?: Partial<Record<'events' | 'email' | 'webhooks', number>>;
  relay?: RelayOptions;
  retry?: Partial<Record<'events' | 'email' | 'webhooks', RetryPolicy>>;
  /** Run the relay / the workers in this process (both by default). */
  runRelay?: boolean;
  runWorkers?: boolean;
  /** Stalled-job detection; lower in tests that kill workers. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** How long stop() lets workers finish the jobs in hand (default 30 s). */
  closeGraceMs?: number;
}


export interface NotificationsRuntime {
  status(): 'ok' | 'delayed';
  /** Tells the relay that an event was just committed. */
  poke(): void;
  /** The queues, for the admin page (null without Redis). */
  queues: Record<QueueName, Queue> | null;
  /** Lets active jobs finish (up to the workers' close), then closes the connections. */
  stop(): Promise<void>;
}

export function startNotifications(opts: NotificationsOptions): NotificationsRuntime {
  const { logger, prisma } = opts;
  if (!opts.redisUrl) {
    logger.warn('notifications delayed: no Redis (set REDIS_URL or install redis-server); events wait in the outbox');
    void new PipelineStore(prisma).beat(HEARTBEAT, 'delayed', 'no Redis configured').catch(() => undefined);
    return { status: () => 'delayed', poke: () => undefined, queues: null, stop: async () => undefined };
  }
  const prefix = opts.prefix ?? 'banso';
  const retry = { ...DEFAULT_RETRY, ...opts.retry };
  // BullMQ leaves connections it was handed open on close(); we keep them to close them ourselves.
  const producer = newRedis(opts.redisUrl, 'producer');
  const connections: Redis[] = [producer];
  const queue = (name: QueueName) => {
    const q = new Queue(name, { connection: producer, prefix });
    q.on('error', () => undefined);
    return q;
  };
  const queues = {
    [Queues.events]: queue(Queues.events),
    [Queues.email]: queue(Queues.email),
    [Queues.webhooks]: queue(Queues.webhooks),
    [Queues.scheduled]: queue(Queues.scheduled),
    [Queues.maintenance]: queue(Queues.maintenance),
  } as Record<QueueName, Queue>;
  const relayQueues: RelayQueues = {
    events: queues[Queues.events],
    email: queues[Queues.email],
    webhooks: queues[Queues.webhooks],
    scheduled: queues[Queues.scheduled],
    maintenance: queues[Queues.maintenance],
  };
  const relay = opts.runRelay === false ? undefined : new OutboxRelay(prisma, relayQueues, logger, { ...opts.relay, retry });
  relay?.start();

  const workers: Worker[] = [];
  const channels: ChannelDeps | undefined = opts.channels ? { prisma, ...opts.channels } : undefined;
  const isFinal = (job: Job) => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

  const work = (name: QueueName, processor: Processor, concurrency: number) => {
    const connection = newRedis(opts.redisUrl!, 'worker');
    connections.push(connection);
    const worker = new Worker(name, processor, {
      connection,
      prefix,
      concurrency,
      ...(opts.lockDurationMs ? { lockDuration: opts.lockDurationMs } : {}),
      ...(opts.stalledIntervalMs ? { stalledInterval: opts.stalledIntervalMs } : {}),
    });
    // While Redis is away BullMQ reports every reconnect attempt; one line a minute per queue is enough.
    let lastLogged = 0;
    worker.on('error', (err) => {
      if (Date.now() - lastLogged < 60_000) return;
      lastLogged = Date.now();
      logger.warn('notification worker error (repeats are silenced for a minute)', { queue: name, error: err.message });
    });
    worker.on('failed', (job, err) => logger.warn('notification job failed', { queue: name, jobId: job?.id, attempts: job?.attemptsMade, error: err.message }));
    workers.push(worker);
  };

  if (opts.runWorkers !== false) {
    const handOn = async (results: FanOutResult[]) => {
      // Pending rows become jobs (job id = row id: a retry adds nothing twice). Without channels
      // configured in this process the sweeper of a process that has them picks the rows up.
      const emails = results.flatMap((r) => r.emails);
      const hooks = results.flatMap((r) => r.webhooks);
      if (channels && emails.length) await relayQueues.email.addBulk(emails.map((id) => ({ name: Jobs.sendEmail, data: { deliveryId: id }, opts: jobOptions(retry.email, id) })));
      if (channels && hooks.length) await relayQueues.webhooks.addBulk(hooks.map((id) => ({ name: Jobs.postWebhook, data: { deliveryId: id }, opts: jobOptions(retry.webhooks, id) })));
      return { inbox: results.reduce((n, r) => n + r.inbox, 0), emails: emails.length, webhooks: hooks.length };
    };
    work(
      Queues.events,
      async (job) => {
        if (job.name === Jobs.deliverEvents) {
          // A relay batch. An event that fails on its own (malformed after a catalogue change) gets
          // a job of its own, which fails visibly for hub admins; the rest are delivered.
          const results = await deliverEvents(prisma, (job.data as { eventIds: string[] }).eventIds);
          const failed = [...results].filter(([, r]) => r instanceof Error).map(([id]) => id);
          if (failed.length) await relayQueues.events.addBulk(failed.map((id) => ({ name: Jobs.deliverEvent, data: { eventId: id }, opts: jobOptions(retry.events, id) })));
          return { ...(await handOn([...results.values()].filter((r): r is FanOutResult => !(r instanceof Error)))), failed: failed.length };
        }
        // One event (re-added by the sweeper, or split off a batch).
        return handOn([await deliverEvent(prisma, (job.data as { eventId: string }).eventId)]);
      },
      opts.concurrency?.events ?? 8,
    );
    work(
      Queues.scheduled,
      async (job, token) => {
        const { key, dueAt } = job.data as { key: string; dueAt: string };
        const outcome = await fireScheduledNotice(prisma, key, dueAt);
        if (outcome === 'not_due') {
          // The delay was computed on another clock: wait out the rest.
          await job.moveToDelayed(new Date(dueAt).getTime(), token);
          throw new DelayedError();
        }
        if (outcome === 'fired') relay?.poke();
        return { outcome };
      },
      4,
    );
    if (channels) {
      work(
        Queues.email,
        async (job) => {
          if (job.name === Jobs.sendDigest) {
            const { accountId, upTo } = job.data as { accountId: string; upTo: string };
            return { notices: await sendDigest(channels, accountId, new Date(upTo), { final: isFinal(job) }) };
          }
          return { result: await sendEmailDelivery(channels, (job.data as { deliveryId: string }).deliveryId, { final: isFinal(job) }) };
        },
        opts.concurrency?.email ?? 4,
      );
      // Webhook posts wait on other systems (up to 10 s each): many slots, so a slow endpoint holds up few others.
      work(Queues.webhooks, async (job) => ({ result: await postWebhookDelivery(channels, (job.data as { deliveryId: string }).deliveryId, { final: isFinal(job) }) }), opts.concurrency?.webhooks ?? 32);
      work(
        Queues.maintenance,
        async (job) => {
          if (job.name !== Jobs.startDigests) return { skipped: job.name };
          // One digest job per person and day (job id), so a second scheduler tick sends nothing twice.
          // The run's scheduled time (08:00), not when the job was created.
          const upTo = new Date((job.opts as { prevMillis?: number }).prevMillis ?? job.timestamp);
          const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(upTo);
          const accounts = await new PipelineStore(prisma).accountsWithPendingDigest();
          for (let i = 0; i < accounts.length; i += 1000) {
            await relayQueues.email.addBulk(
              accounts.slice(i, i + 1000).map((accountId) => ({ name: Jobs.sendDigest, data: { accountId, upTo: upTo.toISOString() }, opts: jobOptions(retry.email, digestJobId(accountId, day)) })),
            );
          }
          return { digests: accounts.length };
        },
        1,
      );
    }
  }

  return {
    status: () => relay?.status() ?? 'ok',
    poke: () => relay?.poke(),
    queues,
    stop: async () => {
      await relay?.stop();
      // Workers finish the jobs in hand (BullMQ's close waits for them). That needs Redis: while it is
      // away a graceful close would wait for ever, so the workers are closed by force (unfinished jobs
      // stall, and another worker takes them over once their lock expires).
      const redisUp = connections.every((c) => c.status === 'ready');
      const closing = Promise.all(workers.map((w) => w.close(!redisUp)));
      if (!(await settlesWithin(closing, redisUp ? (opts.closeGraceMs ?? 30_000) : 3000))) {
        logger.warn('notification workers did not finish in time; their jobs will be retried');
        for (const c of connections) c.disconnect();
      }
      await settlesWithin(Promise.all(Object.values(queues).map((q) => q.close())), 2000);
      for (const c of connections) c.disconnect();
    },
  };
}
