/**
 * The accounts subgraph: the viewer, staff and invitations of each body, the audit log and the
 * permission table. `buildAccountsSubgraph` runs in-process under `npm start`; `start()` on its own.
 */
import path from 'node:path';
import { runMain } from '../shared/config';
import type { Database } from '../shared/database';
import type { RunningServer, SubgraphModule } from '../shared/subgraph-server';
import { runSubgraphProcess } from '../shared/subgraph-process';
import { REPO_ROOT } from '../registry';
import { accountsContextFactory, type AccountsContext } from './context';
import { resolvers } from './resolvers';

export const ACCOUNTS_SCHEMA_FILE = path.join(REPO_ROOT, 'services/accounts/schema.graphql');

export function buildAccountsSubgraph(db: Database, publicUrl: string): SubgraphModule<AccountsContext> {
  return {
    name: 'accounts',
    schemaFile: ACCOUNTS_SCHEMA_FILE,
    resolvers,
    context: accountsContextFactory(db.prisma, publicUrl),
    ready: () => db.ping(),
  };
}

/** Runs the accounts subgraph as its own process (`npm run start:services`, docker-compose). */
export function start(): Promise<RunningServer> {
  return runSubgraphProcess('accounts', (db, cfg) => buildAccountsSubgraph(db, cfg.publicUrl));
}

if (require.main === module) runMain(start);
