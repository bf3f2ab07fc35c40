/**
 * Reminders and escalations. A producer schedules a notice inside its own transaction (so it exists
 * exactly when the thing it reminds about does) and cancels it in the transaction that finishes that
 * thing. The relay hands each open notice to BullMQ as a delayed job; when the job fires, the notice's
 * event is published through the outbox — unless it was cancelled or rescheduled meanwhile.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { isEventType, type EventPayload, type EventType } from './events';
import { notificationsErrors } from './notifications.errors';
import { checkEvent, publishEvent } from './outbox';

export type SchedulerWriter = Pick<PrismaClient, 'scheduledNotice'>;

export async function scheduleNotice<T extends EventType>(db: SchedulerWriter, notice: { key: string; dueAt: Date; type: T; payload: EventPayload<T> }): Promise<void> {
  const payload = checkEvent(notice.type, notice.payload);
  if (!notice.key || notice.key.length > 200) throw notificationsErrors.malformedEvent(notice.type, 'key must be 1–200 characters');
  const data = { type: notice.type, payload, dueAt: notice.dueAt, enqueuedAt: null, firedAt: null, cancelledAt: null };
  await db.scheduledNotice.upsert({ where: { key: notice.key }, create: { key: notice.key, ...data }, update: data });
}

/** Cancels an open notice (no-op when there is none or it already fired). */
export async function cancelScheduledNotice(db: SchedulerWriter, key: string): Promise<boolean> {
  const { count } = await db.scheduledNotice.updateMany({ where: { key, firedAt: null, cancelledAt: null }, data: { cancelledAt: new Date() } });
  return count === 1;
}

export type FireOutcome = 'fired' | 'cancelled' | 'rescheduled' | 'not_due' | 'gone';

/**
 * Fires a notice whose delayed job came due: publishes its event and marks it fired, in one
 * transaction under the row's lock, so a duplicate job fires nothing.
 */
export async function fireScheduledNotice(prisma: PrismaClient, key: string, dueAtIso: string | null, now = new Date()): Promise<FireOutcome> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ key: string; type: string; payload: unknown; dueAt: Date; firedAt: Date | null; cancelledAt: Date | null }>>`
      SELECT key, type, payload, "dueAt", "firedAt", "cancelledAt" FROM "ScheduledNotice" WHERE key = ${key} FOR UPDATE`;
    const row = rows[0];
    if (!row || row.firedAt) return 'gone';
    if (row.cancelledAt) return 'cancelled';
    if (dueAtIso && row.dueAt.toISOString() !== dueAtIso) return 'rescheduled';
    if (row.dueAt.getTime() > now.getTime() + 1000) return 'not_due';
    if (!isEventType(row.type)) return 'gone';
    await publishEvent(tx, row.type, row.payload as never);
    await tx.scheduledNotice.update({ where: { key }, data: { firedAt: now } });
    return 'fired';
  });
}
