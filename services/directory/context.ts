import type { PrismaClient } from '../shared/database';
import { DirectoryManager } from './directory.manager';
import { DirectoryStore } from './directory.store';

export interface DirectoryContext {
  directory: DirectoryManager;
}

/** A fresh manager per request so DataLoader batches and caches only within that request. */
export function directoryContextFactory(prisma: PrismaClient): () => Promise<DirectoryContext> {
  const store = new DirectoryStore(prisma);
  return async () => ({ directory: new DirectoryManager(store) });
}
