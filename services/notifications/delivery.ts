/**
 * What a worker does with one event: turn it into one inbox notice per recipient. Idempotent — a
 * retried or duplicated job inserts nothing twice (unique event × recipient).
 */
import { UnrecoverableError } from 'bullmq';
import type { PrismaClient } from '../../generated/prisma/client';
import { EVENTS, isEventType } from './events';

export async function deliverEvent(prisma: PrismaClient, eventId: string): Promise<{ inbox: number }> {
  const event = await prisma.outboxEvent.findUnique({ where: { id: eventId } });
  if (!event) return { inbox: 0 };
  if (!isEventType(event.type)) throw new UnrecoverableError(`unknown event type ${event.type}`);
  const def = EVENTS[event.type];
  const parsed = def.schema.safeParse(event.payload);
  if (!parsed.success) throw new UnrecoverableError(`malformed ${event.type} event ${event.id}`);
  // The catalogue's functions are typed per event; this call site handles every type alike.
  const payload = parsed.data as never;
  const recipients = [...new Set((def.recipients as (p: never) => string[])(payload))];
  const notice = (def.render as (p: never) => ReturnType<(typeof def)['render']>)(payload);
  const { count } = await prisma.notification.createMany({
    data: recipients.map((recipientAccountId) => ({ eventId: event.id, recipientAccountId, type: event.type, ...notice })),
    skipDuplicates: true,
  });
  return { inbox: count };
}
