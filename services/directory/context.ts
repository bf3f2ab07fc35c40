import type { PrismaClient } from '../shared/database';
import { DirectoryManager } from './directory.manager';
import { DirectoryStore } from './directory.store';

import type { Viewer } from '../shared/viewer';

export interface DirectoryContext {
  directory: DirectoryManager;
}

/** A fresh manager per request so DataLoader batches and caches only within that request. */
export function directoryContextFactory(prisma: PrismaClient): (viewer: Viewer) => Promise<DirectoryContext> {
  const store = new DirectoryStore(prisma);
  return async (viewer) => ({ directory: new DirectoryManager(store, viewer) });
}
