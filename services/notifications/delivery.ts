/**
 * The fan-out of one event: in one transaction, an inbox notice per recipient who wants it, an email
 * row per recipient with an address who wants mail, and a webhook delivery row per endpoint of the
 * bodies concerned; then the event is marked delivered. Every row is unique per event, so a retried
 * or duplicated job writes nothing twice. The caller hands the pending email and webhook rows to
 * their queues (job id = row id), and the sweeper does so again for any whose job was lost.
 */
import { UnrecoverableError } from 'bullmq';
import type { PrismaClient } from '../../generated/prisma/client';
import { eventDefinition, isEventType } from './events';
import { PipelineStore } from './pipeline.store';

export interface FanOutResult {
  inbox: number;
  emails: string[];
  webhooks: string[];
}

export async function deliverEvent(prisma: PrismaClient, eventId: string): Promise<FanOutResult> {
  const store = new PipelineStore(prisma);
  const event = await store.event(eventId);
  if (!event) return { inbox: 0, emails: [], webhooks: [] };
  if (!isEventType(event.type)) throw new UnrecoverableError(`unknown event type ${event.type}`);
  const def = eventDefinition(event.type);
  const parsed = def.schema.safeParse(event.payload);
  if (!parsed.success) throw new UnrecoverableError(`malformed ${event.type} event ${event.id}`);
  const payload: unknown = parsed.data;
  let inbox = 0;
  if (!event.deliveredAt) {
    const recipientIds = [...new Set(def.recipients(payload))];
    const [people, choices, endpoints] = await Promise.all([
      store.recipients(recipientIds),
      store.choices(recipientIds, event.type, def.defaults),
      store.activeEndpointsFor([...new Set(def.organisations(payload))], event.type),
    ]);
    const notice = def.render(payload);
    const forInbox = recipientIds.filter((id) => choices.get(id)!.inApp);
    // A recipient without an email address (or a disabled account) gets the in-app notice only.
    const forEmail = recipientIds.filter((id) => choices.get(id)!.email && people.get(id)?.active && people.get(id)?.email);
    inbox = await prisma.$transaction(async (tx) => {
      const claimed = await tx.outboxEvent.updateMany({ where: { id: event.id, deliveredAt: null }, data: { deliveredAt: new Date() } });
      if (claimed.count === 0) return 0; // another worker finished it first
      const { count } = await tx.notification.createMany({
        data: forInbox.map((recipientAccountId) => ({ eventId: event.id, recipientAccountId, type: event.type, ...notice })),
        skipDuplicates: true,
      });
      await tx.emailDelivery.createMany({
        data: forEmail.map((id) => ({ eventId: event.id, recipientAccountId: id, toAddress: people.get(id)!.email!, mode: choices.get(id)!.emailMode })),
        skipDuplicates: true,
      });
      await tx.webhookDelivery.createMany({ data: endpoints.map((e) => ({ endpointId: e.id, eventId: event.id, eventType: event.type })), skipDuplicates: true });
      return count;
    });
  }
  const pending = await store.pendingDeliveriesOf(event.id);
  return { inbox, ...pending };
}
