/**
 * The producers' one API: write an event into the outbox inside the caller's transaction, so the
 * business change and the notice commit or roll back together.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { EVENTS, isEventType, type EventPayload, type EventType } from './events';
import { notificationsErrors } from './notifications.errors';

/** A Prisma client or the transaction client of `$transaction(async (tx) => …)`. */
export type OutboxWriter = Pick<PrismaClient, 'outboxEvent'>;

/** The payload as the catalogue parses it; a typed error for an unknown type or a malformed payload. */
export function checkEvent(type: string, payload: unknown): object {
  if (!isEventType(type)) throw notificationsErrors.unknownEventType(String(type));
  const parsed = EVENTS[type].schema.safeParse(payload);
  if (!parsed.success) throw notificationsErrors.malformedEvent(type, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data as object;
}

export async function publishEvent<T extends EventType>(db: OutboxWriter, type: T, payload: EventPayload<T>): Promise<string> {
  const row = await db.outboxEvent.create({ data: { type, payload: checkEvent(type, payload) } });
  return row.id;
}

/** Many events in one statement (a meeting's invitations, a batch import); all are checked first. */
export async function publishEvents(db: OutboxWriter, events: ReadonlyArray<{ [T in EventType]: { type: T; payload: EventPayload<T> } }[EventType]>): Promise<string[]> {
  const rows = events.map(({ type, payload }) => ({ type, payload: checkEvent(type, payload) }));
  if (rows.length === 0) return [];
  const created = await db.outboxEvent.createManyAndReturn({ data: rows, select: { id: true } });
  return created.map((r) => r.id);
}
