/**
 * The fan-out of events: for each, in one transaction, an inbox notice per recipient who wants it, an
 * email row per recipient with an address who wants mail, and a webhook delivery row per endpoint of
 * the bodies concerned; the event is claimed (deliveredAt) in the same transaction. Every row is
 * unique per event, so a retried or duplicated job writes nothing twice. The caller hands the pending
 * email and webhook rows to their queues (job id = row id), and the sweeper does so again for any
 * whose job was lost.
 *
 * A job carries a relay batch of up to 100 events, fanned out together: a handful of queries per
 * batch instead of a dozen per event, which is what lets one worker keep up with thousands of
 * notices a second.
 */
import { UnrecoverableError } from 'bullmq';
import type { PrismaClient } from '../../generated/prisma/client';
import type { EmailMode } from '../../generated/prisma/enums';
import { eventDefinition, isEventType, type RenderedNotice } from './events';

export interface FanOutResult {
  inbox: number;
  emails: string[];
  webhooks: string[];
}

interface Planned {
  id: string;
  type: string;
  recipients: string[];
  organisations: string[];
  defaults: { inApp: boolean; email: boolean };
  notice: RenderedNotice;
  alreadyDelivered: boolean;
}

/** Fans out a batch of events; each id maps to its result or to the error that concerns it alone. */
export async function deliverEvents(prisma: PrismaClient, eventIds: readonly string[]): Promise<Map<string, FanOutResult | Error>> {
  const out = new Map<string, FanOutResult | Error>();
  const ids = [...new Set(eventIds)];
  const events = await prisma.$queryRaw<Array<{ id: string; type: string; payload: unknown; deliveredAt: Date | null }>>`
    SELECT id::text AS id, type, payload, "deliveredAt" FROM "OutboxEvent" WHERE id = ANY(${ids}::uuid[])`;
  const byId = new Map(events.map((e) => [e.id, e]));
  const planned: Planned[] = [];
  for (const id of ids) {
    const event = byId.get(id);
    if (!event) {
      out.set(id, { inbox: 0, emails: [], webhooks: [] });
      continue;
    }
    if (!isEventType(event.type)) {
      out.set(id, new UnrecoverableError(`unknown event type ${event.type}`));
      continue;
    }
    const def = eventDefinition(event.type);
    const parsed = def.schema.safeParse(event.payload);
    if (!parsed.success) {
      out.set(id, new UnrecoverableError(`malformed ${event.type} event ${event.id}`));
      continue;
    }
    planned.push({
      id,
      type: event.type,
      recipients: [...new Set(def.recipients(parsed.data))],
      organisations: [...new Set(def.organisations(parsed.data))],
      defaults: def.defaults,
      notice: def.render(parsed.data),
      alreadyDelivered: event.deliveredAt !== null,
    });
  }
  const todo = planned.filter((p) => !p.alreadyDelivered);
  const inboxByEvent = new Map<string, number>();
  let mayHaveDeliveries = planned.some((p) => p.alreadyDelivered);

  if (todo.length) {
    const recipientIds = [...new Set(todo.flatMap((p) => p.recipients))];
    const organisationIds = [...new Set(todo.flatMap((p) => p.organisations))];
    // Recipients' addresses come from the accounts table: the pipeline runs beside the database that
    // holds it (a notifications service on its own database would ask the graph instead).
    // Raw reads: on the hot path Prisma's query building costs more CPU than the queries themselves.
    const [accounts, prefs, settings, endpoints] = await Promise.all([
      recipientIds.length
        ? prisma.$queryRaw<Array<{ id: string; email: string | null; status: string }>>`SELECT id::text AS id, email, status::text AS status FROM "Account" WHERE id = ANY(${recipientIds}::uuid[])`
        : [],
      recipientIds.length
        ? prisma.$queryRaw<Array<{ accountId: string; eventType: string; inApp: boolean; email: boolean }>>`
            SELECT "accountId"::text AS "accountId", "eventType", "inApp", email FROM "NotificationPreference" WHERE "accountId" = ANY(${recipientIds}::uuid[])`
        : [],
      recipientIds.length
        ? prisma.$queryRaw<Array<{ accountId: string; emailMode: EmailMode }>>`
            SELECT "accountId"::text AS "accountId", "emailMode"::text AS "emailMode" FROM "NotificationSettings" WHERE "accountId" = ANY(${recipientIds}::uuid[])`
        : [],
      organisationIds.length
        ? prisma.$queryRaw<Array<{ id: string; organisationId: string; eventTypes: string[] }>>`
            SELECT id::text AS id, "organisationId"::text AS "organisationId", "eventTypes" FROM "WebhookEndpoint" WHERE active AND "organisationId" = ANY(${organisationIds}::uuid[])`
        : [],
    ]);
    const account = new Map(accounts.map((a) => [a.id, a]));
    const pref = new Map(prefs.map((p) => [`${p.accountId} ${p.eventType}`, p]));
    const mode = new Map<string, EmailMode>(settings.map((s) => [s.accountId, s.emailMode]));

    const notices: Array<{ eventId: string; recipientAccountId: string; type: string } & RenderedNotice> = [];
    const emails: Array<{ eventId: string; recipientAccountId: string; toAddress: string; mode: EmailMode }> = [];
    const hooks: Array<{ endpointId: string; eventId: string; eventType: string }> = [];
    for (const p of todo) {
      for (const r of p.recipients) {
        const choice = pref.get(`${r} ${p.type}`);
        if (choice?.inApp ?? p.defaults.inApp) notices.push({ eventId: p.id, recipientAccountId: r, type: p.type, ...p.notice });
        // A recipient without an email address (or a disabled account) gets the in-app notice only.
        const a = account.get(r);
        const address = a?.email?.trim();
        if ((choice?.email ?? p.defaults.email) && a?.status === 'ACTIVE' && address) emails.push({ eventId: p.id, recipientAccountId: r, toAddress: address, mode: mode.get(r) ?? 'IMMEDIATE' });
      }
      for (const e of endpoints) {
        if (p.organisations.includes(e.organisationId) && (e.eventTypes.length === 0 || e.eventTypes.includes(p.type))) hooks.push({ endpointId: e.id, eventId: p.id, eventType: p.type });
      }
    }
    // One statement, so one round trip and atomic: claim the events (one another worker finished
    // first is left alone — its rows exist) and write the rows of the claimed ones. Prisma's
    // createMany costs far more CPU per row than this, and the fan-out is the pipeline's hot path.
    // Times are UTC like Prisma's (the columns are timestamp without time zone).
    const col = <T, K extends keyof T>(rows: T[], key: K) => rows.map((r) => r[key]);
    const written = await prisma.$queryRaw<Array<{ eventId: string }>>`
      WITH claimed AS (
        UPDATE "OutboxEvent" SET "deliveredAt" = (clock_timestamp() AT TIME ZONE 'UTC')
        WHERE id = ANY(${todo.map((p) => p.id)}::uuid[]) AND "deliveredAt" IS NULL RETURNING id
      ), notices AS (
        INSERT INTO "Notification" (id, "eventId", "recipientAccountId", type, "titleJa", "titleEn", "bodyJa", "bodyEn", link, "createdAt")
        SELECT gen_random_uuid(), n.e, n.r, n.t, n.tj, n.te, n.bj, n.be, n.l, (clock_timestamp() AT TIME ZONE 'UTC')
        FROM unnest(${col(notices, 'eventId')}::uuid[], ${col(notices, 'recipientAccountId')}::uuid[], ${col(notices, 'type')}::text[],
                    ${col(notices, 'titleJa')}::text[], ${col(notices, 'titleEn')}::text[], ${col(notices, 'bodyJa')}::text[],
                    ${col(notices, 'bodyEn')}::text[], ${col(notices, 'link')}::text[]) AS n(e, r, t, tj, te, bj, be, l)
        WHERE n.e IN (SELECT id FROM claimed)
        ON CONFLICT ("eventId", "recipientAccountId") DO NOTHING
        RETURNING "eventId"
      ), emails AS (
        INSERT INTO "EmailDelivery" (id, "eventId", "recipientAccountId", "toAddress", mode)
        SELECT gen_random_uuid(), m.e, m.r, m.a, m.m::"EmailMode"
        FROM unnest(${col(emails, 'eventId')}::uuid[], ${col(emails, 'recipientAccountId')}::uuid[], ${col(emails, 'toAddress')}::text[], ${col(emails, 'mode')}::text[]) AS m(e, r, a, m)
        WHERE m.e IN (SELECT id FROM claimed)
        ON CONFLICT ("eventId", "recipientAccountId") DO NOTHING
      ), hooks AS (
        INSERT INTO "WebhookDelivery" (id, "endpointId", "eventId", "eventType")
        SELECT gen_random_uuid(), w.p, w.e, w.t
        FROM unnest(${col(hooks, 'endpointId')}::uuid[], ${col(hooks, 'eventId')}::uuid[], ${col(hooks, 'eventType')}::text[]) AS w(p, e, t)
        WHERE w.e IN (SELECT id FROM claimed)
        ON CONFLICT ("endpointId", "eventId") DO NOTHING
      )
      SELECT "eventId"::text AS "eventId" FROM notices`;
    for (const row of written) inboxByEvent.set(row.eventId, (inboxByEvent.get(row.eventId) ?? 0) + 1);
    mayHaveDeliveries ||= emails.length > 0 || hooks.length > 0;
  }

  // Pending rows of these events (new ones, or left by an earlier attempt) become jobs.
  const pendingEmails = new Map<string, string[]>();
  const pendingHooks = new Map<string, string[]>();
  if (mayHaveDeliveries && planned.length) {
    const eventIdsPlanned = planned.map((p) => p.id);
    const [e, w] = await Promise.all([
      prisma.emailDelivery.findMany({ where: { eventId: { in: eventIdsPlanned }, status: 'PENDING', mode: 'IMMEDIATE' }, select: { id: true, eventId: true } }),
      prisma.webhookDelivery.findMany({ where: { eventId: { in: eventIdsPlanned }, status: 'PENDING' }, select: { id: true, eventId: true } }),
    ]);
    for (const r of e) pendingEmails.set(r.eventId, [...(pendingEmails.get(r.eventId) ?? []), r.id]);
    for (const r of w) pendingHooks.set(r.eventId, [...(pendingHooks.get(r.eventId) ?? []), r.id]);
  }
  for (const p of planned) out.set(p.id, { inbox: inboxByEvent.get(p.id) ?? 0, emails: pendingEmails.get(p.id) ?? [], webhooks: pendingHooks.get(p.id) ?? [] });
  return out;
}

/** One event on its own (tests, tools). */
export async function deliverEvent(prisma: PrismaClient, eventId: string): Promise<FanOutResult> {
  const result = (await deliverEvents(prisma, [eventId])).get(eventId)!;
  if (result instanceof Error) throw result;
  return result;
}
