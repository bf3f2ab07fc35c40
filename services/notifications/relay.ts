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
import { withTimeout } from './timeouts';
import { batchJobId, DEFAULT_RETRY, DIGEST_CRON, EVENTS_PER_JOB, Jobs, jobOptions, Schedulers, scheduledJobId, type RetryPolicy } from './queues';

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
const SWEEP_PAGE = 500;

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
      idleMs: opts.idleMs ?? 50,
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

  /**
   * Hands one batch to the queue; returns how many events moved. No transaction is held while Redis
   * is asked (on the embedded database that would stall every other query): a second relay, or this
   * one after a crash, may hand the same events over again, which adds nothing (same job ids).
   */
  async tick(): Promise<number> {
    const rows = await this.prisma.outboxEvent.findMany({ where: { publishedAt: null }, orderBy: { createdAt: 'asc' }, take: this.o.batchSize, select: { id: true } });
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => r.id);
    // One job per EVENTS_PER_JOB events. BullMQ waits for a connection rather than failing; bound it
    // so the events stay in the outbox.
    const jobs = [];
    for (let i = 0; i < ids.length; i += EVENTS_PER_JOB) {
      const chunk = ids.slice(i, i + EVENTS_PER_JOB);
      jobs.push({ name: Jobs.deliverEvents, data: { eventIds: chunk }, opts: jobOptions(this.retry.events, batchJobId(chunk)) });
    }
    await withTimeout(this.queues.events.addBulk(jobs), this.o.addTimeoutMs);
    await this.prisma.outboxEvent.updateMany({ where: { id: { in: ids }, publishedAt: null }, data: { publishedAt: new Date() } });
    return rows.length;
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
          opts: { ...jobOptions(this.retry.events, scheduledJobId(r.key, r.dueAt, r.updatedAt)), delay: Math.max(0, r.dueAt.getTime() - now) },
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

  /**
   * Re-adds every job the database says is owed but the queue does not hold (with the same job id);
   * a job that completed although its row is still owed (it stalled, or its row was reopened) is
   * replaced. Failed jobs are left for hub admins to see and retry. Returns how many were re-added.
   */
  async sweep(): Promise<number> {
    const cutoff = new Date(Date.now() - this.o.staleAfterMs);
    const owed = async (queue: Queue, ids: string[]) => {
      const states = await withTimeout(Promise.all(ids.map((id) => queue.getJobState(id))), this.o.addTimeoutMs);
      const stale = ids.filter((_, i) => states[i] === 'completed');
      for (const id of stale) await withTimeout(queue.remove(id), this.o.addTimeoutMs).catch(() => undefined);
      return ids.filter((_, i) => states[i] === 'unknown' || states[i] === 'completed');
    };
    // Page through every stale row (oldest first), so rows whose jobs are merely waiting cannot hide lost ones.
    const sweepRows = async (page: (after: { createdAt: Date; id: string } | null) => Promise<Array<{ id: string; createdAt: Date }>>, queue: Queue, job: (id: string) => { name: string; data: object; opts: object }) => {
      let after: { createdAt: Date; id: string } | null = null;
      let readded = 0;
      for (let pages = 0; pages < 20; pages += 1) {
        const rows = await page(after);
        if (rows.length === 0) break;
        const ids = await owed(
          queue,
          rows.map((r) => r.id),
        );
        if (ids.length) await withTimeout(queue.addBulk(ids.map(job)), this.o.addTimeoutMs);
        readded += ids.length;
        after = rows[rows.length - 1];
        if (rows.length < SWEEP_PAGE) break;
      }
      return readded;
    };
    const events = await sweepRows((a) => this.store.publishedUndelivered(cutoff, SWEEP_PAGE, a), this.queues.events, (id) => this.eventJob(id));
    const emails = await sweepRows((a) => this.store.stalePendingEmails(cutoff, SWEEP_PAGE, a), this.queues.email, (id) => ({ name: Jobs.sendEmail, data: { deliveryId: id }, opts: jobOptions(this.retry.email, id) }));
    const hooks = await sweepRows((a) => this.store.stalePendingWebhooks(cutoff, SWEEP_PAGE, a), this.queues.webhooks, (id) => ({ name: Jobs.postWebhook, data: { deliveryId: id }, opts: jobOptions(this.retry.webhooks, id) }));

    // Open reminders whose delayed job is gone: hand them over again (enqueueScheduled picks them up).
    const open = await this.store.openScheduled(500);
    const jobIds = open.map((r) => scheduledJobId(r.key, r.dueAt, r.updatedAt));
    const states = await withTimeout(Promise.all(jobIds.map((id) => this.queues.scheduled.getJobState(id))), this.o.addTimeoutMs);
    const lostKeys = open.filter((_, i) => states[i] === 'unknown').map((r) => r.key);
    if (lostKeys.length) await this.prisma.scheduledNotice.updateMany({ where: { key: { in: lostKeys }, firedAt: null }, data: { enqueuedAt: null } });

    // The digest's scheduler, if Redis lost it (re-declaring an existing one would move its next run).
    if (!(await withTimeout(this.queues.maintenance.getJobScheduler(Schedulers.digest), this.o.addTimeoutMs))) {
      await withTimeout(
        this.queues.maintenance.upsertJobScheduler(Schedulers.digest, { pattern: DIGEST_CRON.pattern, tz: DIGEST_CRON.tz }, { name: Jobs.startDigests, opts: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 30 }, removeOnFail: false } }),
        this.o.addTimeoutMs,
      );
    }

    const readded = events + emails + hooks + lostKeys.length;
    if (readded) this.logger.warn('sweeper re-enqueued jobs the queue had lost', { events, emails, webhooks: hooks, reminders: lostKeys.length });
    return readded;
  }
}
