/**
 * Data access of the notification pipeline (relay, workers, sweeper). The subgraph's reads and
 * writes for people live in notifications.store.ts.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { EmailMode } from '../../generated/prisma/enums';

export interface RecipientInfo {
  id: string;
  email: string | null;
  displayName: string;
  active: boolean;
}

export interface RecipientChoice {
  inApp: boolean;
  email: boolean;
  emailMode: EmailMode;
}

export class PipelineStore {
  constructor(private readonly prisma: PrismaClient) {}

  event(id: string) {
    return this.prisma.outboxEvent.findUnique({ where: { id } });
  }

  /**
   * Recipients' addresses and status. Reads the accounts table: the pipeline runs beside the
   * database that holds it; a notifications service on its own database would ask the graph instead.
   */
  async recipients(ids: string[]): Promise<Map<string, RecipientInfo>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.account.findMany({ where: { id: { in: ids } }, select: { id: true, email: true, displayName: true, status: true } });
    return new Map(rows.map((r) => [r.id, { id: r.id, email: r.email?.trim() || null, displayName: r.displayName, active: r.status === 'ACTIVE' }]));
  }

  /** Each recipient's channels for this event type: their choice, else the type's defaults. */
  async choices(ids: string[], eventType: string, defaults: { inApp: boolean; email: boolean }): Promise<Map<string, RecipientChoice>> {
    const [prefs, settings] = await Promise.all([
      this.prisma.notificationPreference.findMany({ where: { accountId: { in: ids }, eventType } }),
      this.prisma.notificationSettings.findMany({ where: { accountId: { in: ids } } }),
    ]);
    const pref = new Map(prefs.map((p) => [p.accountId, p]));
    const mode = new Map(settings.map((s) => [s.accountId, s.emailMode]));
    return new Map(ids.map((id) => [id, { inApp: pref.get(id)?.inApp ?? defaults.inApp, email: pref.get(id)?.email ?? defaults.email, emailMode: mode.get(id) ?? 'IMMEDIATE' }]));
  }

  activeEndpointsFor(organisationIds: string[], eventType: string) {
    if (organisationIds.length === 0) return Promise.resolve([]);
    return this.prisma.webhookEndpoint.findMany({
      where: { organisationId: { in: organisationIds }, active: true, OR: [{ eventTypes: { isEmpty: true } }, { eventTypes: { has: eventType } }] },
      select: { id: true },
    });
  }

  /** Pending immediate emails and webhook posts of an event: the jobs the fan-out hands on. */
  async pendingDeliveriesOf(eventId: string): Promise<{ emails: string[]; webhooks: string[] }> {
    const [emails, webhooks] = await Promise.all([
      this.prisma.emailDelivery.findMany({ where: { eventId, status: 'PENDING', mode: 'IMMEDIATE' }, select: { id: true } }),
      this.prisma.webhookDelivery.findMany({ where: { eventId, status: 'PENDING' }, select: { id: true } }),
    ]);
    return { emails: emails.map((e) => e.id), webhooks: webhooks.map((w) => w.id) };
  }

  // --- sweeper -------------------------------------------------------------------------------

  publishedUndelivered(olderThan: Date, limit: number) {
    return this.prisma.outboxEvent.findMany({ where: { deliveredAt: null, publishedAt: { not: null, lt: olderThan } }, select: { id: true }, orderBy: { publishedAt: 'asc' }, take: limit });
  }

  stalePendingEmails(olderThan: Date, limit: number) {
    return this.prisma.emailDelivery.findMany({ where: { status: 'PENDING', mode: 'IMMEDIATE', createdAt: { lt: olderThan } }, select: { id: true }, take: limit });
  }

  stalePendingWebhooks(olderThan: Date, limit: number) {
    return this.prisma.webhookDelivery.findMany({ where: { status: 'PENDING', createdAt: { lt: olderThan } }, select: { id: true }, take: limit });
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

  pendingDigestOf(accountId: string, upTo: Date) {
    return this.prisma.emailDelivery.findMany({ where: { recipientAccountId: accountId, status: 'PENDING', mode: 'DAILY_DIGEST', createdAt: { lte: upTo } }, orderBy: { createdAt: 'desc' }, take: 500 });
  }

  // --- heartbeat -------------------------------------------------------------------------------

  beat(name: string, status: 'ok' | 'delayed', detail: string | null) {
    return this.prisma.pipelineHeartbeat.upsert({ where: { name }, create: { name, status, detail }, update: { status, detail, updatedAt: new Date() } });
  }
}
