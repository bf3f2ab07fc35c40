/**
 * Every queue and job name of the notification pipeline, and their retry policies, in one place.
 * Job ids are deterministic (the database row they stand for), so adding a job twice is one job.
 * BullMQ refuses ':' in custom ids; ours are UUIDs or hashes.
 */
import crypto from 'node:crypto';
import type { JobsOptions } from 'bullmq';

export const Queues = {
  /**
   * Fan-out of outbox events to inbox, email and webhook rows: one job per relay batch (job id from
   * the batch's event ids), and one per event (job id = event id) for the sweeper and for an event
   * that fails on its own.
   */
  events: 'notification-events',
  /** One job per immediate email (job id = EmailDelivery id) and per digest. */
  email: 'notification-email',
  /** One job per webhook delivery (job id = WebhookDelivery id). */
  webhooks: 'notification-webhooks',
  /** Delayed jobs that fire reminders and escalations (job id = hash of key and due time). */
  scheduled: 'notification-scheduled',
  /** Job schedulers: the sweeper, the daily digest. */
  maintenance: 'notification-maintenance',
} as const;
export type QueueName = (typeof Queues)[keyof typeof Queues];
export const QUEUE_NAMES: readonly QueueName[] = Object.values(Queues);

export const Jobs = {
  deliverEvent: 'deliver-event',
  deliverEvents: 'deliver-events',
  sendEmail: 'send-email',
  sendDigest: 'send-digest',
  postWebhook: 'post-webhook',
  fireScheduled: 'fire-scheduled',
  sweep: 'sweep',
  startDigests: 'start-digests',
} as const;

export const Schedulers = {
  sweep: 'outbox-sweeper',
  digest: 'daily-email-digest',
} as const;

/** The daily digest goes out at 08:00 Japan time. */
export const DIGEST_CRON = { pattern: '0 8 * * *', tz: 'Asia/Tokyo' } as const;

export interface RetryPolicy {
  attempts: number;
  /** First retry delay; doubles each time. */
  backoffMs: number;
}

/** Fan-out: 12 tries over ~1 h (a database restart must not fail events for good). Email: ~20 min. Webhooks: a member body's system may be down for a while (~42 min in all). */
export const DEFAULT_RETRY: Record<'events' | 'email' | 'webhooks', RetryPolicy> = {
  events: { attempts: 12, backoffMs: 1000 },
  email: { attempts: 8, backoffMs: 5000 },
  webhooks: { attempts: 8, backoffMs: 10_000 },
};

/** Completed jobs are trimmed; failed jobs are kept for hub admins to inspect and retry. */
export function jobOptions(retry: RetryPolicy, jobId: string): JobsOptions {
  return {
    jobId,
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: false,
  };
}

/** Per key, due time and version of the notice: scheduling the same key again makes a new job. */
export function scheduledJobId(key: string, dueAt: Date, version: Date): string {
  return `s-${crypto.createHash('sha256').update(`${key}\n${dueAt.toISOString()}\n${version.toISOString()}`).digest('hex').slice(0, 40)}`;
}

/** The same events give the same id, so a batch handed over twice (a relay restarted) is one job. */
export function batchJobId(eventIds: readonly string[]): string {
  return `b-${crypto.createHash('sha256').update([...eventIds].sort().join(',')).digest('hex').slice(0, 40)}`;
}

/** Events per fan-out job: large enough to spare Redis round trips, small enough to retry cheaply. */
export const EVENTS_PER_JOB = 100;

export function digestJobId(accountId: string, day: string): string {
  return `d-${accountId}-${day}`;
}
