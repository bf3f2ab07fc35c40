import type { PrismaClient } from '../shared/database';
import type { Viewer } from '../shared/viewer';
import { MeetingsManager } from './meetings.manager';
import { MeetingsStore } from './meetings.store';

export interface MeetingsContext {
  meetings: MeetingsManager;
  viewer: Viewer;
}

export function meetingsManagerFor(prisma: PrismaClient, viewer: Viewer, publicUrl: string): MeetingsManager {
  return new MeetingsManager(new MeetingsStore(prisma), viewer, publicUrl);
}

export function meetingsContextFactory(prisma: PrismaClient, publicUrl: string): (viewer: Viewer) => Promise<MeetingsContext> {
  const store = new MeetingsStore(prisma);
  return async (viewer) => ({ viewer, meetings: new MeetingsManager(store, viewer, publicUrl) });
}
