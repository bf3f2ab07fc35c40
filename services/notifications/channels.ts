/**
 * Sending on the outward channels, one database row at a time: an immediate email, a day's digest,
 * a webhook post. Each attempt is recorded on the row (attempts, last error); the row ends SENT,
 * FAILED (after the last attempt, or at once for an answer that retrying cannot change) or SKIPPED.
 *
 * Email is at-least-once: a worker that dies after the SMTP server accepted a message but before the
 * row says SENT sends it again on retry. Each message carries a Message-ID derived from the row, so
 * receiving systems can discard the repeat.
 */
import { UnrecoverableError } from 'bullmq';
import type { PrismaClient } from '../../generated/prisma/client';
import { eventDefinition, isEventType } from './events';
import { renderDigestMail, renderNoticeMail, type Mailer, type MailNotice } from './email';
import { decryptSecret, postWebhook } from './webhooks';

export interface ChannelDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  publicUrl: string;
  /** Decrypts endpoints' signing secrets (derived from SESSION_SECRET). */
  webhookKey: Buffer;
  /** Outside production, endpoints on private addresses (a body's test system on localhost) are allowed. */
  allowPrivateWebhooks: boolean;
  webhookTimeoutMs?: number;
}

export interface Attempt {
  /** No retry follows this attempt. */
  final: boolean;
}

const short = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);

/** How long a sender holds a delivery: longer than any send may take (SMTP and webhook timeouts are 10 s). */
const LEASE_MS = 2 * 60_000;

/**
 * Takes the rows for this worker: a worker that lost its job lock (a Redis blip) while still sending
 * must not be joined by a second one sending the same thing. If another holds them, this attempt
 * fails and is retried later, by when the rows are SENT (and the retry does nothing) or the lease has
 * expired because its holder died.
 */
async function claim(table: { updateMany(args: { where: object; data: object }): Promise<{ count: number }> }, ids: string[], what: string): Promise<void> {
  const now = new Date();
  const { count } = await table.updateMany({
    where: { id: { in: ids }, status: 'PENDING', OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { leaseUntil: new Date(now.getTime() + LEASE_MS) },
  });
  if (count !== ids.length) throw new Error(`${what} is being sent by another worker`);
}

/** For job errors and logs: the SMTP code, not the server's text (which often quotes the address). */
function mailFailure(what: string, err: unknown): string {
  const e = err as { responseCode?: number; code?: string } | null;
  return `email ${what} failed: ${e?.responseCode ? `SMTP ${e.responseCode}` : (e?.code ?? 'error')} (details in the delivery row)`;
}

/** A 5xx SMTP answer (mailbox unknown, rejected) will not change on retry; 4xx and network errors may. */
function permanentMailFailure(err: unknown): boolean {
  const code = (err as { responseCode?: number } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

async function noticeOf(prisma: PrismaClient, eventId: string): Promise<MailNotice | null> {
  return renderEvent(await prisma.outboxEvent.findUnique({ where: { id: eventId } }));
}

function renderEvent(event: { type: string; payload: unknown; createdAt: Date } | null | undefined): MailNotice | null {
  if (!event || !isEventType(event.type)) return null;
  const def = eventDefinition(event.type);
  const parsed = def.schema.safeParse(event.payload);
  if (!parsed.success) return null;
  return { ...def.render(parsed.data), createdAt: event.createdAt };
}

async function recipientName(prisma: PrismaClient, accountId: string): Promise<{ name: string; active: boolean } | null> {
  const a = await prisma.account.findUnique({ where: { id: accountId }, select: { displayName: true, status: true } });
  return a ? { name: a.displayName, active: a.status === 'ACTIVE' } : null;
}

export async function sendEmailDelivery(deps: ChannelDeps, deliveryId: string, attempt: Attempt): Promise<'sent' | 'skipped' | 'done'> {
  const { prisma } = deps;
  const row = await prisma.emailDelivery.findUnique({ where: { id: deliveryId } });
  if (!row || row.status !== 'PENDING') return 'done';
  const [notice, who] = await Promise.all([noticeOf(prisma, row.eventId), recipientName(prisma, row.recipientAccountId)]);
  if (!notice || !who?.active) {
    await prisma.emailDelivery.update({ where: { id: row.id }, data: { status: 'SKIPPED', lastError: !notice ? 'event no longer readable' : 'account disabled or removed' } });
    return 'skipped';
  }
  await claim(prisma.emailDelivery, [row.id], `email delivery ${row.id}`);
  try {
    const mail = renderNoticeMail(notice, { publicUrl: deps.publicUrl, recipientName: who.name });
    const { messageId } = await deps.mailer.send({ ...mail, to: row.toAddress, headers: { 'Message-ID': `<${row.id}@banso-hub>` } });
    await prisma.emailDelivery.update({ where: { id: row.id }, data: { status: 'SENT', sentAt: new Date(), messageId, attempts: { increment: 1 }, lastError: null, leaseUntil: null } });
    return 'sent';
  } catch (err) {
    const final = attempt.final || permanentMailFailure(err);
    await prisma.emailDelivery.update({ where: { id: row.id }, data: { attempts: { increment: 1 }, lastError: short(err), leaseUntil: null, ...(final ? { status: 'FAILED' } : {}) } });
    throw final ? new UnrecoverableError(mailFailure(row.id, err)) : new Error(mailFailure(row.id, err));
  }
}

/** One mail with every pending digest notice of the account committed up to `upTo`. */
export async function sendDigest(deps: ChannelDeps, accountId: string, upTo: Date, attempt: Attempt): Promise<number> {
  const { prisma } = deps;
  const rows = await prisma.emailDelivery.findMany({ where: { recipientAccountId: accountId, status: 'PENDING', mode: 'DAILY_DIGEST', createdAt: { lte: upTo } }, orderBy: { createdAt: 'desc' }, take: 500 });
  if (rows.length === 0) return 0;
  const who = await recipientName(prisma, accountId);
  const ids = rows.map((r) => r.id);
  if (!who?.active) {
    await prisma.emailDelivery.updateMany({ where: { id: { in: ids }, status: 'PENDING' }, data: { status: 'SKIPPED', lastError: 'account disabled or removed' } });
    return 0;
  }
  await claim(prisma.emailDelivery, ids, `digest of ${accountId}`);
  const events = new Map((await prisma.outboxEvent.findMany({ where: { id: { in: rows.map((r) => r.eventId) } } })).map((e) => [e.id, e]));
  const notices = rows.map((r) => renderEvent(events.get(r.eventId))).filter((n: MailNotice | null): n is MailNotice => n !== null);
  try {
    const mail = renderDigestMail(notices, { publicUrl: deps.publicUrl, recipientName: who.name, date: upTo });
    // The newest row's address: a person who changed their address gets the digest at the new one.
    const { messageId } = await deps.mailer.send({ ...mail, to: rows[0].toAddress, headers: { 'Message-ID': `<digest-${rows[0].id}@banso-hub>` } });
    await prisma.emailDelivery.updateMany({ where: { id: { in: ids }, status: 'PENDING' }, data: { status: 'SENT', sentAt: new Date(), messageId, lastError: null, leaseUntil: null } });
    return notices.length;
  } catch (err) {
    const final = attempt.final || permanentMailFailure(err);
    await prisma.emailDelivery.updateMany({ where: { id: { in: ids }, status: 'PENDING' }, data: { attempts: { increment: 1 }, lastError: short(err), leaseUntil: null, ...(final ? { status: 'FAILED' } : {}) } });
    throw final ? new UnrecoverableError(mailFailure(`digest ${accountId}`, err)) : new Error(mailFailure(`digest ${accountId}`, err));
  }
}

export async function postWebhookDelivery(deps: ChannelDeps, deliveryId: string, attempt: Attempt): Promise<'sent' | 'skipped' | 'done'> {
  const { prisma } = deps;
  const row = await prisma.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { endpoint: true } });
  if (!row || row.status !== 'PENDING') return 'done';
  const event = await prisma.outboxEvent.findUnique({ where: { id: row.eventId } });
  if (!row.endpoint.active || !event) {
    await prisma.webhookDelivery.update({ where: { id: row.id }, data: { status: 'SKIPPED', lastError: !event ? 'event no longer readable' : 'endpoint paused' } });
    return 'skipped';
  }
  let secret: string;
  try {
    secret = decryptSecret(deps.webhookKey, row.endpoint.secretCiphertext);
  } catch {
    await prisma.webhookDelivery.update({ where: { id: row.id }, data: { status: 'FAILED', attempts: { increment: 1 }, lastAttemptAt: new Date(), lastError: 'signing secret unreadable (SESSION_SECRET changed?) — rotate the secret' } });
    throw new UnrecoverableError('webhook secret unreadable');
  }
  await claim(prisma.webhookDelivery, [row.id], `webhook delivery ${row.id}`);
  const result = await postWebhook({
    url: row.endpoint.url,
    secret,
    payload: { id: event.id, type: event.type, createdAt: event.createdAt.toISOString(), organisationId: row.endpoint.organisationId, data: event.payload },
    timeoutMs: deps.webhookTimeoutMs,
    allowPrivate: deps.allowPrivateWebhooks,
  });
  const now = new Date();
  const recorded = { attempts: { increment: 1 }, lastAttemptAt: now, leaseUntil: null, responseStatus: result.status, durationMs: Math.round(result.durationMs), lastError: result.error?.slice(0, 500) ?? null };
  if (result.ok) {
    await prisma.webhookDelivery.update({ where: { id: row.id }, data: { ...recorded, status: 'SENT', deliveredAt: now } });
    return 'sent';
  }
  const final = attempt.final || !result.retryable;
  await prisma.webhookDelivery.update({ where: { id: row.id }, data: { ...recorded, ...(final ? { status: 'FAILED' } : {}) } });
  // The URL (it may carry a token) and the receiver's text stay in the delivery log, not in job errors.
  const message = `webhook delivery ${row.id} to endpoint ${row.endpointId}: ${result.status ? `HTTP ${result.status}` : 'no answer'}`;
  throw result.retryable ? new Error(message) : new UnrecoverableError(message);
}
