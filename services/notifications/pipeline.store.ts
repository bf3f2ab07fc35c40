/**
 * Data access of the notification pipeline (relay, workers, sweeper). The subgraph's reads and
 * writes for people live in notifications.store.ts.
 */
import type { PrismaClient } from '../../generated/prisma/client';

/** Rows after (createdAt, id), for paging in that order. */
function keyset(after: { createdAt: Date; id: string } | null) {
  return after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {};
}

export class PipelineStore {
  constructor(private readonly prisma: PrismaClient) {}

  // --- sweeper -------------------------------------------------------------------------------

  publishedUndelivered(olderThan: Date, limit: number, after: { createdAt: Date; id: string } | null) {
    return this.prisma.outboxEvent.findMany({ where: { deliveredAt: null, publishedAt: { not: null, lt: olderThan }, ...keyset(after) }, select: { id: true, createdAt: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit });
  }

  stalePendingEmails(olderThan: Date, limit: number, after: { createdAt: Date; id: string } | null) {
    return this.prisma.emailDelivery.findMany({ where: { status: 'PENDING', mode: 'IMMEDIATE', createdAt: { lt: olderThan }, ...keyset(after) }, select: { id: true, createdAt: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit });
  }

  stalePendingWebhooks(olderThan: Date, limit: number, after: { createdAt: Date; id: string } | null) {
    return this.prisma.webhookDelivery.findMany({ where: { status: 'PENDING', createdAt: { lt: olderThan }, ...keyset(after) }, select: { id: true, createdAt: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit });
  }

  /** Reminders not yet handed to the queue, and open ones whose delayed job may have been lost. */
  scheduledToEnqueue(limit: number) {
    return this.prisma.scheduledNotice.findMany({ where: { enqueuedAt: null, firedAt: null, cancelledAt: null }, orderBy: { dueAt: 'asc' }, take: limit });
  }

  openScheduled(limit: number) {
    return this.prisma.scheduledNotice.findMany({ where: { firedAt: null, cancelledAt: null, enqueuedAt: { not: null } }, orderBy: { dueAt: 'asc' }, take: limit });
  }

  markScheduledEnqueued(keys: string[], at: Date) {
    return this.prisma.scheduledNotice.updateMany({ where: { key: { in: keys } }, data: { enqueuedAt: at } });
  }

  // --- digests ---------------------------------------------------------------------------------

  async accountsWithPendingDigest(): Promise<string[]> {
    const rows = await this.prisma.emailDelivery.findMany({ where: { status: 'PENDING', mode: 'DAILY_DIGEST' }, select: { recipientAccountId: true }, distinct: ['recipientAccountId'] });
    return rows.map((r) => r.recipientAccountId);
  }

  // --- heartbeat -------------------------------------------------------------------------------

  beat(name: string, status: 'ok' | 'delayed', detail: string | null) {
    return this.prisma.pipelineHeartbeat.upsert({ where: { name }, create: { name, status, detail }, update: { status, detail, updatedAt: new Date() } });
  }
}
