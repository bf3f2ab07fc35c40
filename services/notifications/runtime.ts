/**
 * The notification pipeline in a process: the BullMQ queue, the outbox relay and the event worker.
 * Without Redis it runs in "delayed" mode: producers still commit events, which wait in the outbox.
 */
import { Queue, Worker } from 'bullmq';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Logger } from '../shared/logger';
import { deliverEvent } from './delivery';
import { Queues } from './queues';
import { newRedis } from './redis';
import { OutboxRelay, type RelayOptions } from './relay';

export interface NotificationsOptions {
  prisma: PrismaClient;
  /** null: no Redis — events wait in the outbox. */
  redisUrl: string | null;
  logger: Logger;
  /** BullMQ key prefix (tests use a unique one). */
  prefix?: string;
  concurrency?: number;
  relay?: RelayOptions;
  /** Run the relay / the worker in this process (both by default). */
  runRelay?: boolean;
  runWorker?: boolean;
  /** Stalled-job detection; lower in tests that kill workers. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface NotificationsRuntime {
  status(): 'ok' | 'delayed';
  /** Tells the relay that an event was just committed. */
  poke(): void;
  stop(): Promise<void>;
}

export function startNotifications(opts: NotificationsOptions): NotificationsRuntime {
  const { logger } = opts;
  if (!opts.redisUrl) {
    logger.warn('notifications delayed: no Redis (set REDIS_URL or install redis-server); events wait in the outbox');
    return { status: () => 'delayed', poke: () => undefined, stop: async () => undefined };
  }
  const prefix = opts.prefix ?? 'banso';
  // BullMQ leaves connections it was handed open on close(); we keep them to close them ourselves.
  const producer = newRedis(opts.redisUrl, 'producer');
  const consumer = opts.runWorker === false ? undefined : newRedis(opts.redisUrl, 'worker');
  const queue = new Queue(Queues.events, { connection: producer, prefix });
  queue.on('error', () => undefined);
  const relay = opts.runRelay === false ? undefined : new OutboxRelay(opts.prisma, queue, logger, opts.relay);
  relay?.start();
  let worker: Worker | undefined;
  if (consumer) {
    worker = new Worker(Queues.events, async (job) => deliverEvent(opts.prisma, (job.data as { eventId: string }).eventId), {
      connection: consumer,
      prefix,
      concurrency: opts.concurrency ?? 16,
      ...(opts.lockDurationMs ? { lockDuration: opts.lockDurationMs } : {}),
      ...(opts.stalledIntervalMs ? { stalledInterval: opts.stalledIntervalMs } : {}),
    });
    worker.on('error', (err) => logger.warn('notification worker error', { error: err.message }));
    worker.on('failed', (job, err) => logger.warn('notification job failed', { jobId: job?.id, attempts: job?.attemptsMade, error: err.message }));
  }
  return {
    status: () => relay?.status() ?? 'ok',
    poke: () => relay?.poke(),
    stop: async () => {
      await relay?.stop();
      await worker?.close();
      await queue.close();
      producer.disconnect();
      consumer?.disconnect();
    },
  };
}
