/**
 * The reports subgraph: the council's and each body's figures (referrals, engagements, outcomes,
 * the network of referrals), yearly targets and the firms' satisfaction survey. `buildReportsSubgraph` runs in-process under `npm start`;
 * `start()` runs it as its own process.
 */
import path from 'node:path';
import { runMain } from '../shared/config';
import type { Database } from '../shared/database';
import type { RunningServer, SubgraphModule } from '../shared/subgraph-server';
import { runSubgraphProcess } from '../shared/subgraph-process';
import { REPO_ROOT } from '../registry';
import { reportsContextFactory, type ReportsContext } from './context';
import { resolvers } from './resolvers';

export const REPORTS_SCHEMA_FILE = path.join(REPO_ROOT, 'services/reports/schema.graphql');

export function buildReportsSubgraph(db: Database, publicUrl: string): SubgraphModule<ReportsContext> {
  return {
    name: 'reports',
    schemaFile: REPORTS_SCHEMA_FILE,
    resolvers,
    context: reportsContextFactory(db.prisma, publicUrl),
    ready: () => db.ping(),
  };
}

/** Runs the reports subgraph as its own process (`npm run start:services`, docker-compose). */
export function start(): Promise<RunningServer> {
  return runSubgraphProcess('reports', (db, cfg) => buildReportsSubgraph(db, cfg.publicUrl));
}

if (require.main === module) runMain(start);
