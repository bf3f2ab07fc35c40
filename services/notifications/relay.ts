/**
 * Moves committed outbox events into BullMQ. The job id is the event id, so an event handed over
 * twice (a relay restarted between adding the job and marking the event) is still one job; and the
 * inbox insert is idempotent as well. While Redis is unreachable, events stay in the outbox.
 */
import type { Queue } from 'bullmq';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Logger } from '../shared/logger';
import { DEFAULT_JOB_OPTIONS, Jobs } from './queues';

export interface RelayOptions {
  batchSize?: number;
  /** Pause between polls when the outbox is empty. */
  idleMs?: number;
  /** How long to wait for Redis to take a batch before leaving it in the outbox. */
  addTimeoutMs?: number;
}

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
  private wake: (() => void) | undefined;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly addTimeoutMs: number;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly queue: Queue,
    private readonly logger: Logger,
    opts: RelayOptions = {},
  ) {
    this.batchSize = opts.batchSize ?? 500;
    this.idleMs = opts.idleMs ?? 100;
    this.addTimeoutMs = opts.addTimeoutMs ?? 3000;
  }

  /** 'delayed' while events cannot reach the queue. */
  status(): 'ok' | 'delayed' {
    return this.healthy ? 'ok' : 'delayed';
  }

  start(): void {
    if (this.running) return;
    this.running = true;
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
    let backoff = this.idleMs;
    while (this.running) {
      let moved = 0;
      try {
        moved = await this.tick();
        if (!this.healthy) this.logger.info('notifications flowing again');
        this.healthy = true;
        backoff = this.idleMs;
      } catch (err) {
        if (this.healthy) this.logger.warn('notifications delayed: cannot hand events to the queue', { error: err instanceof Error ? err.message : String(err) });
        this.healthy = false;
        backoff = Math.min(backoff * 2, 5000);
      }
      if (moved < this.batchSize && this.running) await this.sleep(this.healthy ? this.idleMs : backoff);
    }
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

  /** Hands one batch to the queue; returns how many events moved. */
  async tick(): Promise<number> {
    return this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<Array<{ id: string }>>`
          SELECT id FROM "OutboxEvent" WHERE "publishedAt" IS NULL
          ORDER BY "createdAt" LIMIT ${this.batchSize} FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return 0;
        // BullMQ waits for a connection rather than failing; bound it so the transaction rolls back and
        // the events stay in the outbox. A late add that lands anyway is harmless: same job ids.
        await withTimeout(
          this.queue.addBulk(rows.map((r) => ({ name: Jobs.deliverEvent, data: { eventId: r.id }, opts: { ...DEFAULT_JOB_OPTIONS, jobId: r.id } }))),
          this.addTimeoutMs,
        );
        await tx.outboxEvent.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { publishedAt: new Date() } });
        return rows.length;
      },
      { timeout: 20_000 },
    );
  }
}
