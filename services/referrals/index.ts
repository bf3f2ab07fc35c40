/**
 * The referrals subgraph: firms, consents, APPI provision records and referrals between bodies.
 * `buildReferralsSubgraph` runs in-process under `npm start`; `start()` runs it as its own process.
 * Its notices go through the notifications outbox in the same database.
 */
import path from 'node:path';
import { runMain } from '../shared/config';
import type { Database } from '../shared/database';
import type { RunningServer, SubgraphModule } from '../shared/subgraph-server';
import { runSubgraphProcess } from '../shared/subgraph-process';
import { REPO_ROOT } from '../registry';
import { referralsContextFactory, type ReferralsContext } from './context';
import { resolvers } from './resolvers';

export const REFERRALS_SCHEMA_FILE = path.join(REPO_ROOT, 'services/referrals/schema.graphql');

export function buildReferralsSubgraph(db: Database): SubgraphModule<ReferralsContext> {
  return {
    name: 'referrals',
    schemaFile: REFERRALS_SCHEMA_FILE,
    resolvers,
    context: referralsContextFactory(db.prisma),
    ready: () => db.ping(),
  };
}

/** Runs the referrals subgraph as its own process (`npm run start:services`, docker-compose). */
export function start(): Promise<RunningServer> {
  return runSubgraphProcess('referrals', (db) => buildReferralsSubgraph(db));
}

if (require.main === module) runMain(start);
