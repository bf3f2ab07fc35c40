/** Whether notices flow, judged from the database so every process gives the same answer. */
import type { PrismaClient } from '../../generated/prisma/client';
import { NotificationsStore } from './notifications.store';

/** The relay beats every few seconds; silence this long means nobody is relaying. */
export const HEARTBEAT_STALE_MS = 30_000;
/** An event waiting this long in the outbox means notices are late, whatever the heartbeat says. */
export const WAITING_TOO_LONG_MS = 60_000;

export interface PipelineHealth {
  status: 'OK' | 'DELAYED';
  waitingEvents: number;
  oldestWaitingSince: Date | null;
}

export async function pipelineHealth(store: NotificationsStore, now = new Date()): Promise<PipelineHealth> {
  const { heartbeat, waiting, oldest } = await store.pipeline();
  const t = now.getTime();
  const delayed = !heartbeat || heartbeat.status !== 'ok' || t - heartbeat.updatedAt.getTime() > HEARTBEAT_STALE_MS || (oldest !== null && t - oldest.getTime() > WAITING_TOO_LONG_MS);
  return { status: delayed ? 'DELAYED' : 'OK', waitingEvents: waiting, oldestWaitingSince: oldest };
}

export function pipelineHealthOf(prisma: PrismaClient): () => Promise<PipelineHealth> {
  const store = new NotificationsStore(prisma);
  return () => pipelineHealth(store);
}
