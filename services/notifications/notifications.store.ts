/** Data access for the notifications subgraph: a person's inbox and preferences, a body's webhooks. */
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import type { EmailMode } from '../../generated/prisma/enums';
import { HEARTBEAT } from './relay';

export type NotificationRow = Prisma.NotificationGetPayload<object>;
export type EndpointRow = Prisma.WebhookEndpointGetPayload<object>;
export type WebhookDeliveryRow = Prisma.WebhookDeliveryGetPayload<object>;

export class NotificationsStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Newest first; keyset on (createdAt, id) after the cursor's row. */
  async inbox(accountId: string, unreadOnly: boolean, take: number, afterId: string | null): Promise<NotificationRow[]> {
    const where: Prisma.NotificationWhereInput = { recipientAccountId: accountId, ...(unreadOnly ? { readAt: null } : {}) };
    if (afterId) {
      const after = await this.prisma.notification.findFirst({ where: { id: afterId, recipientAccountId: accountId }, select: { createdAt: true, id: true } });
      if (!after) return [];
      where.OR = [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }];
    }
    return this.prisma.notification.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take });
  }

  unreadCount(accountId: string): Promise<number> {
    return this.prisma.notification.count({ where: { recipientAccountId: accountId, readAt: null } });
  }

  async markRead(id: string, accountId: string, at: Date): Promise<NotificationRow | null> {
    await this.prisma.notification.updateMany({ where: { id, recipientAccountId: accountId, readAt: null }, data: { readAt: at } });
    return this.prisma.notification.findFirst({ where: { id, recipientAccountId: accountId } });
  }

  async markAllRead(accountId: string, at: Date): Promise<number> {
    const { count } = await this.prisma.notification.updateMany({ where: { recipientAccountId: accountId, readAt: null }, data: { readAt: at } });
    return count;
  }

  async preferences(accountId: string) {
    const [prefs, settings, account] = await Promise.all([
      this.prisma.notificationPreference.findMany({ where: { accountId } }),
      this.prisma.notificationSettings.findUnique({ where: { accountId } }),
      this.prisma.account.findUnique({ where: { id: accountId }, select: { email: true } }),
    ]);
    return { prefs, emailMode: settings?.emailMode ?? ('IMMEDIATE' as EmailMode), email: account?.email ?? null };
  }

  savePreferences(accountId: string, emailMode: EmailMode | null, events: Array<{ eventType: string; inApp: boolean; email: boolean }>): Promise<unknown> {
    return this.prisma.$transaction(async (tx) => {
      if (emailMode) await tx.notificationSettings.upsert({ where: { accountId }, create: { accountId, emailMode }, update: { emailMode } });
      for (const e of events) {
        await tx.notificationPreference.upsert({
          where: { accountId_eventType: { accountId, eventType: e.eventType } },
          create: { accountId, eventType: e.eventType, inApp: e.inApp, email: e.email },
          update: { inApp: e.inApp, email: e.email },
        });
      }
    });
  }

  endpointsOf(organisationId: string): Promise<EndpointRow[]> {
    return this.prisma.webhookEndpoint.findMany({ where: { organisationId }, orderBy: { createdAt: 'asc' } });
  }

  endpoint(id: string): Promise<EndpointRow | null> {
    return this.prisma.webhookEndpoint.findUnique({ where: { id } });
  }

  countEndpoints(organisationId: string): Promise<number> {
    return this.prisma.webhookEndpoint.count({ where: { organisationId } });
  }

  createEndpoint(data: { organisationId: string; url: string; description: string; eventTypes: string[]; secretCiphertext: string; createdById: string }): Promise<EndpointRow> {
    return this.prisma.webhookEndpoint.create({ data });
  }

  updateEndpoint(id: string, data: Prisma.WebhookEndpointUpdateInput): Promise<EndpointRow> {
    return this.prisma.webhookEndpoint.update({ where: { id }, data });
  }

  async deleteEndpoint(id: string): Promise<void> {
    await this.prisma.webhookEndpoint.delete({ where: { id } });
  }

  deliveriesOf(endpointId: string, take: number): Promise<WebhookDeliveryRow[]> {
    return this.prisma.webhookDelivery.findMany({ where: { endpointId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take });
  }

  reopenEmail(id: string) {
    return this.prisma.emailDelivery.updateMany({ where: { id, status: 'FAILED' }, data: { status: 'PENDING' } });
  }

  reopenDigest(accountId: string) {
    return this.prisma.emailDelivery.updateMany({ where: { recipientAccountId: accountId, mode: 'DAILY_DIGEST', status: 'FAILED' }, data: { status: 'PENDING' } });
  }

  reopenWebhook(id: string) {
    return this.prisma.webhookDelivery.updateMany({ where: { id, status: 'FAILED' }, data: { status: 'PENDING' } });
  }

  async pipeline(): Promise<{ heartbeat: { status: string; updatedAt: Date } | null; waiting: number; oldest: Date | null }> {
    const [heartbeat, waiting, oldest] = await Promise.all([
      this.prisma.pipelineHeartbeat.findUnique({ where: { name: HEARTBEAT } }),
      this.prisma.outboxEvent.count({ where: { publishedAt: null } }),
      this.prisma.outboxEvent.findFirst({ where: { publishedAt: null }, orderBy: { createdAt: 'asc' }, select: { createdAt: true } }),
    ]);
    return { heartbeat, waiting, oldest: oldest?.createdAt ?? null };
  }

  audit(entry: { actorAccountId: string | null; actingOrganisationId: string | null; action: string; outcome: 'SUCCESS' | 'FAILURE' | 'DENIED'; targetType: string | null; targetId: string | null; ip: string | null; userAgent: string | null; details?: Record<string, unknown> }) {
    return this.prisma.auditEvent.create({ data: { ...entry, details: (entry.details ?? {}) as Prisma.InputJsonValue } });
  }
}
