import type { PrismaClient } from '../shared/database';
import type { Viewer } from '../shared/viewer';
import { EngagementsManager } from './engagements.manager';
import { EngagementsStore } from './engagements.store';

export interface EngagementsContext {
  engagements: EngagementsManager;
  viewer: Viewer;
}

export function engagementsContextFactory(prisma: PrismaClient): (viewer: Viewer) => Promise<EngagementsContext> {
  const store = new EngagementsStore(prisma);
  return async (viewer) => ({ viewer, engagements: new EngagementsManager(store, viewer) });
}
