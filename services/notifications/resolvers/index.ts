/** Thin resolvers: unpack arguments, call the manager, map rows to the schema's shape. */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { toResultPayload } from '../../shared/results';
import type { EmailMode } from '../../../generated/prisma/enums';
import type { NotificationsContext } from '../context';
import type { FailedJobView, PipelineView } from '../notifications.manager';
import type { EndpointRow, NotificationRow, WebhookDeliveryRow } from '../notifications.store';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

type Ctx = NotificationsContext;

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    notifications: (_: unknown, a: { unreadOnly?: boolean; first?: number; after?: string }, ctx: Ctx) => ctx.notifications.inbox(a.unreadOnly ?? false, a.first, a.after),
    unreadNotificationCount: (_: unknown, __: unknown, ctx: Ctx) => ctx.notifications.unreadCount(),
    notificationPreferences: (_: unknown, __: unknown, ctx: Ctx) => ctx.notifications.preferences(),
    notificationPipeline: (_: unknown, __: unknown, ctx: Ctx) => ctx.notifications.pipeline(),
    webhookEndpoints: (_: unknown, a: { organisationId: string }, ctx: Ctx) => ctx.notifications.endpoints(a.organisationId),
    failedNotificationJobs: (_: unknown, a: { first?: number }, ctx: Ctx) => ctx.notifications.failedJobs(a.first),
  },
  Mutation: {
    markNotificationRead: async (_: unknown, a: { id: string }, ctx: Ctx) => toResultPayload(await ctx.notifications.markRead(a.id)),
    markAllNotificationsRead: async (_: unknown, __: unknown, ctx: Ctx) => toResultPayload(await ctx.notifications.markAllRead()),
    updateNotificationPreferences: async (_: unknown, a: { input: { emailMode?: EmailMode; events?: Array<{ eventType: string; inApp: boolean; email: boolean }> } }, ctx: Ctx) =>
      toResultPayload(await ctx.notifications.updatePreferences(a.input)),
    createWebhookEndpoint: async (_: unknown, a: { input: { organisationId: string; url: string; description?: string; eventTypes?: string[] } }, ctx: Ctx) =>
      toResultPayload(await ctx.notifications.createEndpoint(a.input)),
    updateWebhookEndpoint: async (_: unknown, a: { input: { id: string; active?: boolean; description?: string; eventTypes?: string[] } }, ctx: Ctx) =>
      toResultPayload(await ctx.notifications.updateEndpoint(a.input)),
    rotateWebhookSecret: async (_: unknown, a: { id: string }, ctx: Ctx) => toResultPayload(await ctx.notifications.rotateSecret(a.id)),
    deleteWebhookEndpoint: async (_: unknown, a: { id: string }, ctx: Ctx) => toResultPayload(await ctx.notifications.deleteEndpoint(a.id)),
    retryNotificationJob: async (_: unknown, a: { queue: string; jobId: string }, ctx: Ctx) => toResultPayload(await ctx.notifications.retryJob(a.queue, a.jobId)),
  },
  Notification: {
    read: (n: NotificationRow) => n.readAt !== null,
    createdAt: (n: NotificationRow) => iso(n.createdAt),
  },
  NotificationPipeline: {
    oldestWaitingSince: (p: PipelineView) => iso(p.oldestWaitingSince),
  },
  WebhookEndpoint: {
    organisation: (e: EndpointRow) => ({ __typename: 'Organisation', id: e.organisationId }),
    createdAt: (e: EndpointRow) => iso(e.createdAt),
    deliveries: (e: EndpointRow, a: { first?: number }, ctx: Ctx) => ctx.notifications.deliveries(e, a.first),
  },
  WebhookDelivery: {
    lastAttemptAt: (d: WebhookDeliveryRow) => iso(d.lastAttemptAt),
    deliveredAt: (d: WebhookDeliveryRow) => iso(d.deliveredAt),
    createdAt: (d: WebhookDeliveryRow) => iso(d.createdAt),
  },
  FailedNotificationJob: {
    failedAt: (j: FailedJobView) => iso(j.failedAt),
  },
};
