import type { PrismaClient } from '../shared/database';
import type { Viewer } from '../shared/viewer';
import { AccountsManager } from './accounts.manager';
import { AccountsStore } from './accounts.store';

export interface AccountsContext {
  accounts: AccountsManager;
  viewer: Viewer;
}

export function accountsContextFactory(prisma: PrismaClient, publicUrl: string): (viewer: Viewer) => Promise<AccountsContext> {
  const store = new AccountsStore(prisma);
  return async (viewer) => ({ viewer, accounts: new AccountsManager(store, viewer, publicUrl) });
}
