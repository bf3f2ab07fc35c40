/**
 * The notifications rules: a person reads and changes only their own notices and preferences; a
 * body's admins manage only that body's webhooks; hub admins see and retry failed jobs. Refusals
 * are audited and say nothing about whether another person's or body's object exists.
 */
import type { Queue } from 'bullmq';
import type { EmailMode } from '../../generated/prisma/enums';
import { forbidden, unauthenticated } from '../shared/auth-errors';
import { decodeCursor, encodeCursor, isUuid } from '../shared/pagination';
import { can, PERMISSIONS, type Permission } from '../shared/permissions';
import type { Viewer } from '../shared/viewer';
import { pipelineHealth, type PipelineHealth } from './health';
import { EVENT_TYPES, eventDefinition, isEventType } from './events';
import { notificationsUserErrors, type NotificationsError, type NotificationsUserError } from './notifications.errors';
import type { EndpointRow, NotificationRow, NotificationsStore, WebhookDeliveryRow } from './notifications.store';
import { Jobs, QUEUE_NAMES, Queues, type QueueName } from './queues';
import { withTimeout } from './timeouts';
import { encryptSecret, newWebhookSecret, validateWebhookUrl } from './webhooks';

const MAX_PAGE = 100;
const MAX_ENDPOINTS_PER_BODY = 10;
/** The admin page answers within this long even when Redis does not. */
const ADMIN_QUEUE_TIMEOUT_MS = 5000;
const MAX_DESCRIPTION = 200;

type UserError = NotificationsUserError | NotificationsError;
export type Result<T> = ({ ok: true; error: null } & T) | { ok: false; error: UserError };

export interface NotificationsDeps {
  /** Encrypts webhook signing secrets at rest. */
  webhookKey: Buffer;
  /** http:// endpoints allowed (outside production). */
  allowInsecureWebhooks: boolean;
  /** The pipeline's queues, for the failed-jobs page; null when this process has no Redis. */
  queues: Record<QueueName, Queue> | null;
}

export type PipelineView = PipelineHealth;

export interface FailedJobView {
  queue: string;
  id: string;
  name: string;
  failedReason: string;
  attemptsMade: number;
  failedAt: Date | null;
  data: string;
}

export class NotificationsManager {
  constructor(
    private readonly store: NotificationsStore,
    private readonly viewer: Viewer,
    private readonly deps: NotificationsDeps,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // --- a person's own notices ------------------------------------------------------------------

  async inbox(unreadOnly: boolean, first: number | null | undefined, after: string | null | undefined) {
    const me = this.requireSignedIn();
    const take = this.pageSize(first);
    const afterId = after ? decodeCursor('Notification', after) : null;
    const rows = await this.store.inbox(me, unreadOnly, take + 1, afterId);
    const nodes = rows.slice(0, take);
    return { nodes, pageInfo: { hasNextPage: rows.length > take, endCursor: nodes.length ? encodeCursor('Notification', nodes[nodes.length - 1].id) : null } };
  }

  unreadCount(): Promise<number> {
    if (!this.viewer.accountId) return Promise.resolve(0);
    return this.store.unreadCount(this.viewer.accountId);
  }

  async markRead(id: string): Promise<Result<{ notification: NotificationRow }>> {
    const me = this.requireSignedIn();
    const row = isUuid(id) ? await this.store.markRead(id.toLowerCase(), me, this.now()) : null;
    return row ? { ok: true, error: null, notification: row } : { ok: false, error: notificationsUserErrors.notFound() };
  }

  async markAllRead(): Promise<Result<{ count: number }>> {
    return { ok: true, error: null, count: await this.store.markAllRead(this.requireSignedIn(), this.now()) };
  }

  async preferences() {
    const me = this.requireSignedIn();
    const { prefs, emailMode, email } = await this.store.preferences(me);
    const chosen = new Map(prefs.map((p) => [p.eventType, p]));
    return {
      emailAddress: email,
      emailMode,
      events: EVENT_TYPES.map((eventType) => {
        const def = eventDefinition(eventType);
        const p = chosen.get(eventType);
        return { eventType, labelJa: def.labelJa, labelEn: def.labelEn, inApp: p?.inApp ?? def.defaults.inApp, email: p?.email ?? def.defaults.email };
      }),
    };
  }

  async updatePreferences(input: { emailMode?: EmailMode | null; events?: Array<{ eventType: string; inApp: boolean; email: boolean }> | null }): Promise<Result<{ preferences: Awaited<ReturnType<NotificationsManager['preferences']>> }>> {
    const me = this.requireSignedIn();
    // One choice per event type (the last wins); no list longer than the catalogue.
    const events = [...new Map((input.events ?? []).map((e) => [e.eventType, e])).values()];
    const unknown = events.find((e) => !isEventType(e.eventType));
    if (unknown) return { ok: false, error: notificationsUserErrors.unknownEventTypeChoice(unknown.eventType) };
    await this.store.savePreferences(me, input.emailMode ?? null, events);
    return { ok: true, error: null, preferences: await this.preferences() };
  }

  // --- pipeline health -------------------------------------------------------------------------

  pipeline(): Promise<PipelineView> {
    return pipelineHealth(this.store, this.now());
  }

  // --- a body's webhooks -----------------------------------------------------------------------

  async endpoints(organisationId: string): Promise<EndpointRow[]> {
    const orgId = await this.authorise('notifications.webhooks.manage', organisationId, 'webhook.list');
    return this.store.endpointsOf(orgId);
  }

  async deliveries(endpoint: EndpointRow, first: number | null | undefined): Promise<WebhookDeliveryRow[]> {
    // The endpoint was read through an authorised query; check again in case of entity access.
    if (!can(this.viewer, 'notifications.webhooks.manage', endpoint.organisationId)) throw forbidden();
    return this.store.deliveriesOf(endpoint.id, this.pageSize(first ?? 20));
  }

  async createEndpoint(input: { organisationId: string; url: string; description?: string | null; eventTypes?: string[] | null }): Promise<Result<{ endpoint: EndpointRow; secret: string }>> {
    const orgId = await this.authorise('notifications.webhooks.manage', input.organisationId, 'webhook.create');
    const url = String(input.url ?? '').trim();
    const urlError = validateWebhookUrl(url, { allowInsecure: this.deps.allowInsecureWebhooks });
    if (urlError) return { ok: false, error: urlError };
    const checked = this.checkEndpointFields(input.description, input.eventTypes);
    if ('error' in checked) return { ok: false, error: checked.error };
    if ((await this.store.countEndpoints(orgId)) >= MAX_ENDPOINTS_PER_BODY) return { ok: false, error: notificationsUserErrors.tooManyEndpoints(MAX_ENDPOINTS_PER_BODY) };
    const secret = newWebhookSecret();
    const endpoint = await this.store.createEndpoint({
      organisationId: orgId,
      url,
      description: checked.description ?? '',
      eventTypes: checked.eventTypes ?? [],
      secretCiphertext: encryptSecret(this.deps.webhookKey, secret),
      createdById: this.viewer.accountId!,
    });
    await this.audit('webhook.create', 'SUCCESS', endpoint.id, orgId, { url: redactUrl(url), eventTypes: endpoint.eventTypes });
    return { ok: true, error: null, endpoint, secret };
  }

  async updateEndpoint(input: { id: string; active?: boolean | null; description?: string | null; eventTypes?: string[] | null }): Promise<Result<{ endpoint: EndpointRow }>> {
    const endpoint = await this.ownEndpoint(input.id, 'webhook.update');
    const checked = this.checkEndpointFields(input.description, input.eventTypes);
    if ('error' in checked) return { ok: false, error: checked.error };
    const updated = await this.store.updateEndpoint(endpoint.id, {
      ...(typeof input.active === 'boolean' ? { active: input.active } : {}),
      ...(checked.description !== undefined ? { description: checked.description } : {}),
      ...(checked.eventTypes !== undefined ? { eventTypes: checked.eventTypes } : {}),
    });
    await this.audit('webhook.update', 'SUCCESS', endpoint.id, endpoint.organisationId, { active: updated.active, eventTypes: updated.eventTypes });
    return { ok: true, error: null, endpoint: updated };
  }

  async rotateSecret(id: string): Promise<Result<{ endpoint: EndpointRow; secret: string }>> {
    const endpoint = await this.ownEndpoint(id, 'webhook.rotate_secret');
    const secret = newWebhookSecret();
    const updated = await this.store.updateEndpoint(endpoint.id, { secretCiphertext: encryptSecret(this.deps.webhookKey, secret) });
    await this.audit('webhook.rotate_secret', 'SUCCESS', endpoint.id, endpoint.organisationId);
    return { ok: true, error: null, endpoint: updated, secret };
  }

  async deleteEndpoint(id: string): Promise<Result<object>> {
    const endpoint = await this.ownEndpoint(id, 'webhook.delete');
    await this.store.deleteEndpoint(endpoint.id);
    await this.audit('webhook.delete', 'SUCCESS', endpoint.id, endpoint.organisationId, { url: redactUrl(endpoint.url) });
    return { ok: true, error: null };
  }

  // --- failed jobs (hub admins) ----------------------------------------------------------------

  async failedJobs(first: number | null | undefined): Promise<FailedJobView[]> {
    await this.authorise('notifications.jobs.manage', null, 'jobs.list');
    const take = this.pageSize(first);
    const queues = this.deps.queues;
    if (!queues) throw notificationsUserErrors.queueUnavailable();
    let jobs;
    try {
      jobs = (await withTimeout(Promise.all(QUEUE_NAMES.map(async (name) => (await queues[name].getFailed(0, take - 1)).map((job) => ({ name, job })))), ADMIN_QUEUE_TIMEOUT_MS)).flat();
    } catch {
      throw notificationsUserErrors.queueUnavailable();
    }
    return jobs
      .filter(({ job }) => job)
      .map(({ name, job }) => ({
        queue: name,
        id: String(job.id),
        name: job.name,
        failedReason: job.failedReason ?? '',
        attemptsMade: job.attemptsMade,
        failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
        data: JSON.stringify(job.data),
      }))
      .sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0))
      .slice(0, take);
  }

  async retryJob(queueName: string, jobId: string): Promise<Result<object>> {
    await this.authorise('notifications.jobs.manage', null, 'jobs.retry');
    const queues = this.deps.queues;
    if (!queues) return { ok: false, error: notificationsUserErrors.queueUnavailable() };
    if (!(QUEUE_NAMES as readonly string[]).includes(queueName)) return { ok: false, error: notificationsUserErrors.notFound() };
    const queue = queues[queueName as QueueName];
    let job;
    try {
      job = await withTimeout(queue.getJob(String(jobId)), ADMIN_QUEUE_TIMEOUT_MS);
    } catch {
      return { ok: false, error: notificationsUserErrors.queueUnavailable() };
    }
    if (!job) return { ok: false, error: notificationsUserErrors.notFound() };
    if (!(await job.isFailed())) return { ok: false, error: notificationsUserErrors.jobNotFailed() };
    // The row the job stands for goes back to pending, so the channel sends it again.
    const data = job.data as { deliveryId?: string; accountId?: string };
    if (queueName === Queues.email && job.name === Jobs.sendEmail && data.deliveryId) await this.store.reopenEmail(data.deliveryId);
    if (queueName === Queues.email && job.name === Jobs.sendDigest && data.accountId) await this.store.reopenDigest(data.accountId);
    if (queueName === Queues.webhooks && data.deliveryId) await this.store.reopenWebhook(data.deliveryId);
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    await this.audit('notifications.retry_job', 'SUCCESS', `${queueName}/${job.id}`, null, { job: job.name });
    return { ok: true, error: null };
  }

  // --- helpers ---------------------------------------------------------------------------------

  private checkEndpointFields(description: string | null | undefined, eventTypes: string[] | null | undefined): { description?: string; eventTypes?: string[] } | { error: UserError } {
    const out: { description?: string; eventTypes?: string[] } = {};
    if (description !== undefined && description !== null) {
      const d = description.trim();
      if (d.length > MAX_DESCRIPTION) return { error: notificationsUserErrors.invalidDescription(MAX_DESCRIPTION) };
      out.description = d;
    }
    if (eventTypes !== undefined && eventTypes !== null) {
      const unknown = eventTypes.find((t) => !isEventType(t));
      if (unknown !== undefined) return { error: notificationsUserErrors.unknownEventTypeChoice(unknown) };
      out.eventTypes = [...new Set(eventTypes)];
    }
    return out;
  }

  private async ownEndpoint(id: string, action: string): Promise<EndpointRow> {
    this.requireSignedIn();
    const endpoint = isUuid(id) ? await this.store.endpoint(id.toLowerCase()) : null;
    if (!endpoint || !can(this.viewer, 'notifications.webhooks.manage', endpoint.organisationId)) {
      await this.audit('access.denied', 'DENIED', id, null, { permission: 'notifications.webhooks.manage', attempted: action });
      throw forbidden();
    }
    return endpoint;
  }

  private requireSignedIn(): string {
    if (!this.viewer.accountId) throw unauthenticated();
    return this.viewer.accountId;
  }

  private async authorise(permission: Permission, organisationId: string | null, action: string): Promise<string> {
    this.requireSignedIn();
    const orgId = organisationId && isUuid(organisationId) ? organisationId.toLowerCase() : null;
    const scoped = PERMISSIONS[permission].ownOrganisation;
    if (!can(this.viewer, permission, scoped ? orgId : undefined) || (scoped && !orgId)) {
      await this.audit('access.denied', 'DENIED', organisationId, null, { permission, attempted: action });
      throw forbidden();
    }
    return orgId ?? '';
  }

  private pageSize(first: number | null | undefined): number {
    const take = first ?? 20;
    if (!Number.isInteger(take) || take < 1 || take > MAX_PAGE) throw notificationsUserErrors.invalidPageSize(MAX_PAGE);
    return take;
  }

  private audit(action: string, outcome: 'SUCCESS' | 'DENIED', targetId: string | null, organisationId: string | null, details?: Record<string, unknown>) {
    return this.store.audit({
      actorAccountId: this.viewer.accountId,
      actingOrganisationId: organisationId ?? this.viewer.organisationId,
      action,
      outcome,
      targetType: action.startsWith('webhook') ? 'WebhookEndpoint' : action.startsWith('notifications') ? 'Job' : null,
      targetId: targetId ? String(targetId).slice(0, 100) : null,
      ip: this.viewer.ip,
      userAgent: this.viewer.userAgent?.slice(0, 300) ?? null,
      details,
    });
  }
}

/** The URL without query or credentials, for the audit log (query strings may hold tokens). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid)';
  }
}
