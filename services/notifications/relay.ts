/**
 * Moves committed outbox events into BullMQ, and keeps the queues honest with the database.
 *
 * - Events: the job id is the event id, so an event handed over twice (a relay restarted between
 *   adding the job and marking the event) is still one job; and the fan-out is idempotent as well.
 *   While Redis is unreachable, events stay in the outbox and the relay reports "delayed".
 * - Reminders: open scheduled notices become delayed jobs.
 * - Sweeper: Redis acknowledges a job before it is safe on disk, and a Redis that failed over or was
 *   restored may have lost it. Whatever the database says is still owed — a published event without
 *   its fan-out, a pending email or webhook post, an open reminder — and has no job is added again,
 *   with the same job id. The digest's job scheduler is re-declared for the same reason.
 * - Heartbeat: the relay's state goes into PipelineHeartbeat so every process can tell whether
 *   notices flow (/readyz, the UI's notice).
 */
import type { Queue } from 'bullmq';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Logger } from '../shared/logger';
import { PipelineStore } from './pipeline.store';
import { DEFAULT_RETRY, DIGEST_CRON, Jobs, jobOptions, Schedulers, scheduledJobId, type RetryPolicy } from './queues';

export interface RelayQueues {
  events: Queue;
  email: Queue;
  webhooks: Queue;
  scheduled: Queue;
  maintenance: Queue;
}

export interface RelayOptions {
  batchSize?: number;
  /** Pause between polls when the outbox is empty. */
  idleMs?: number;
  /** How long to wait for Redis to take a batch before leaving it in the outbox. */
  addTimeoutMs?: number;
  /** How often to sweep, and how old an owed job must be before the sweeper re-adds it. */
  sweepEveryMs?: number;
  staleAfterMs?: number;
  heartbeatEveryMs?: number;
  retry?: Partial<Record<'events' | 'email' | 'webhooks', RetryPolicy>>;
}

export const HEARTBEAT = 'relay';

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`queue did not answer within ${ms} ms`)), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private healthy = true;
  private lastError: string | null = null;
  private wake: (() => void) | undefined;
  private lastSweep = 0;
  private lastBeat = 0;
  private lastBeatStatus: 'ok' | 'delayed' | null = null;
  private readonly store: PipelineStore;
  private readonly o: Required<Omit<RelayOptions, 'retry'>>;
  private readonly retry: Record<'events' | 'email' | 'webhooks', RetryPolicy>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly queues: RelayQueues,
    private readonly logger: Logger,
    opts: RelayOptions = {},
  ) {
    this.store = new PipelineStore(prisma);
    this.o = {
      batchSize: opts.batchSize ?? 500,
      idleMs: opts.idleMs ?? 100,
      addTimeoutMs: opts.addTimeoutMs ?? 3000,
      sweepEveryMs: opts.sweepEveryMs ?? 30_000,
      staleAfterMs: opts.staleAfterMs ?? 60_000,
      heartbeatEveryMs: opts.heartbeatEveryMs ?? 5000,
    };
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
  }

  /** 'delayed' while events cannot reach the queue. */
  status(): 'ok' | 'delayed' {
    return this.healthy ? 'ok' : 'delayed';
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.lastSweep = 0;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Nudges the relay to look now (after a producer commits), instead of at the next poll. */
  poke(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    let backoff = this.o.idleMs;
    while (this.running) {
      let moved = 0;
      try {
        moved = await this.tick();
        await this.enqueueScheduled();
        if (Date.now() - this.lastSweep >= this.o.sweepEveryMs) {
          await this.sweep();
          this.lastSweep = Date.now();
        }
        if (!this.healthy) this.logger.info('notifications flowing again');
        this.healthy = true;
        this.lastError = null;
        backoff = this.o.idleMs;
      } catch (err) {
        this.lastError = err instanceof Error ? err.message : String(err);
        if (this.healthy) this.logger.warn('notifications delayed: cannot hand events to the queue', { error: this.lastError });
        this.healthy = false;
        backoff = Math.min(backoff * 2, 5000);
      }
      await this.heartbeat().catch(() => undefined);
      if (moved < this.o.batchSize && this.running) await this.sleep(this.healthy ? this.o.idleMs : backoff);
    }
  }

  private async heartbeat(): Promise<void> {
    const status = this.status();
    if (status === this.lastBeatStatus && Date.now() - this.lastBeat < this.o.heartbeatEveryMs) return;
    await this.store.beat(HEARTBEAT, status, status === 'delayed' ? 'queue unreachable' : null);
    this.lastBeat = Date.now();
    this.lastBeatStatus = status;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private eventJob(id: string) {
    return { name: Jobs.deliverEvent, data: { eventId: id }, opts: jobOptions(this.retry.events, id) };
  }

  /** Hands one batch to the queue; returns how many events moved. */
  async tick(): Promise<number> {
    return this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<Array<{ id: string }>>`
          SELECT id FROM "OutboxEvent" WHERE "publishedAt" IS NULL
          ORDER BY "createdAt" LIMIT ${this.o.batchSize} FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return 0;
        // BullMQ waits for a connection rather than failing; bound it so the transaction rolls back and
        // the events stay in the outbox. A late add that lands anyway is harmless: same job ids.
        await withTimeout(this.queues.events.addBulk(rows.map((r) => this.eventJob(r.id))), this.o.addTimeoutMs);
        await tx.outboxEvent.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { publishedAt: new Date() } });
        return rows.length;
      },
      { timeout: 20_000 },
    );
  }

  /** Open reminders become delayed jobs that fire at their due time. */
  async enqueueScheduled(): Promise<number> {
    const rows = await this.store.scheduledToEnqueue(200);
    if (rows.length === 0) return 0;
    const now = Date.now();
    await withTimeout(
      this.queues.scheduled.addBulk(
        rows.map((r) => ({
          name: Jobs.fireScheduled,
          data: { key: r.key, dueAt: r.dueAt.toISOString() },
          opts: { ...jobOptions(this.retry.events, scheduledJobId(r.key, r.dueAt)), delay: Math.max(0, r.dueAt.getTime() - now) },
        })),
      ),
      this.o.addTimeoutMs,
    );
    await this.store.markScheduledEnqueued(
      rows.map((r) => r.key),
      new Date(),
    );
    return rows.length;
  }

  /** Re-adds every job the database says is owed but the queue does not hold. Returns how many. */
  async sweep(): Promise<number> {
    const cutoff = new Date(Date.now() - this.o.staleAfterMs);
    let readded = 0;
    const missing = async (queue: Queue, ids: string[]) => {
      const states = await withTimeout(Promise.all(ids.map((id) => queue.getJobState(id))), this.o.addTimeoutMs);
      return ids.filter((_, i) => states[i] === 'unknown');
    };

    const events = await missing(this.queues.events, (await this.store.publishedUndelivered(cutoff, 500)).map((r) => r.id));
    if (events.length) await withTimeout(this.queues.events.addBulk(events.map((id) => this.eventJob(id))), this.o.addTimeoutMs);

    const emails = await missing(this.queues.email, (await this.store.stalePendingEmails(cutoff, 500)).map((r) => r.id));
    if (emails.length) {
      await withTimeout(this.queues.email.addBulk(emails.map((id) => ({ name: Jobs.sendEmail, data: { deliveryId: id }, opts: jobOptions(this.retry.email, id) }))), this.o.addTimeoutMs);
    }

    const hooks = await missing(this.queues.webhooks, (await this.store.stalePendingWebhooks(cutoff, 500)).map((r) => r.id));
    if (hooks.length) {
      await withTimeout(this.queues.webhooks.addBulk(hooks.map((id) => ({ name: Jobs.postWebhook, data: { deliveryId: id }, opts: jobOptions(this.retry.webhooks, id) }))), this.o.addTimeoutMs);
    }

    // Open reminders whose delayed job is gone: hand them over again (enqueueScheduled picks them up).
    const open = await this.store.openScheduled(500);
    const lost = await missing(
      this.queues.scheduled,
      open.map((r) => scheduledJobId(r.key, r.dueAt)),
    );
    const lostKeys = open.filter((r) => lost.includes(scheduledJobId(r.key, r.dueAt))).map((r) => r.key);
    if (lostKeys.length) await this.prisma.scheduledNotice.updateMany({ where: { key: { in: lostKeys }, firedAt: null }, data: { enqueuedAt: null } });

    await withTimeout(this.queues.maintenance.upsertJobScheduler(Schedulers.digest, { pattern: DIGEST_CRON.pattern, tz: DIGEST_CRON.tz }, { name: Jobs.startDigests }), this.o.addTimeoutMs);

    readded = events.length + emails.length + hooks.length + lostKeys.length;
    if (readded) this.logger.warn('sweeper re-enqueued jobs the queue had lost', { events: events.length, emails: emails.length, webhooks: hooks.length, reminders: lostKeys.length });
    return readded;
  }
}
