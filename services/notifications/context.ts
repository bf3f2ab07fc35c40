import type { PrismaClient } from '../shared/database';
import type { Viewer } from '../shared/viewer';
import { NotificationsManager, type NotificationsDeps } from './notifications.manager';
import { NotificationsStore } from './notifications.store';

export interface NotificationsContext {
  notifications: NotificationsManager;
  viewer: Viewer;
}

export function notificationsContextFactory(prisma: PrismaClient, deps: NotificationsDeps): (viewer: Viewer) => Promise<NotificationsContext> {
  const store = new NotificationsStore(prisma);
  return async (viewer) => ({ viewer, notifications: new NotificationsManager(store, viewer, deps) });
}
