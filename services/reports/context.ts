import type { PrismaClient } from '../shared/database';
import type { Viewer } from '../shared/viewer';
import { ReportsManager } from './reports.manager';
import { ReportsStore } from './reports.store';

export interface ReportsContext {
  reports: ReportsManager;
  viewer: Viewer;
}

export function reportsManagerFor(prisma: PrismaClient, viewer: Viewer, publicUrl: string): ReportsManager {
  return new ReportsManager(new ReportsStore(prisma), viewer, publicUrl);
}

export function reportsContextFactory(prisma: PrismaClient, publicUrl: string): (viewer: Viewer) => Promise<ReportsContext> {
  const store = new ReportsStore(prisma);
  return async (viewer) => ({ viewer, reports: new ReportsManager(store, viewer, publicUrl) });
}
