import type { PrismaClient } from '../shared/database';
import type { Viewer } from '../shared/viewer';
import { ReferralsManager } from './referrals.manager';
import { ReferralsStore } from './referrals.store';

export interface ReferralsContext {
  referrals: ReferralsManager;
  viewer: Viewer;
}

export function referralsContextFactory(prisma: PrismaClient): (viewer: Viewer) => Promise<ReferralsContext> {
  const store = new ReferralsStore(prisma);
  return async (viewer) => ({ viewer, referrals: new ReferralsManager(store, viewer) });
}

/** A manager for one viewer outside GraphQL (the gateway's file and CSV endpoints). */
export function referralsManagerFor(prisma: PrismaClient, viewer: Viewer): ReferralsManager {
  return new ReferralsManager(new ReferralsStore(prisma), viewer);
}
