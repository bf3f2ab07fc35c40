/**
 * The engagements subgraph: 伴走支援 cases and their cross-organisation teams.
 * `buildEngagementsSubgraph` runs in-process under `npm start`; `start()` runs it as its own process.
 */
import path from 'node:path';
import { runMain } from '../shared/config';
import type { Database } from '../shared/database';
import type { RunningServer, SubgraphModule } from '../shared/subgraph-server';
import { runSubgraphProcess } from '../shared/subgraph-process';
import { REPO_ROOT } from '../registry';
import { engagementsContextFactory, type EngagementsContext } from './context';
import { resolvers } from './resolvers';

export const ENGAGEMENTS_SCHEMA_FILE = path.join(REPO_ROOT, 'services/engagements/schema.graphql');

export function buildEngagementsSubgraph(db: Database): SubgraphModule<EngagementsContext> {
  return {
    name: 'engagements',
    schemaFile: ENGAGEMENTS_SCHEMA_FILE,
    resolvers,
    context: engagementsContextFactory(db.prisma),
    ready: () => db.ping(),
  };
}

/** Runs the engagements subgraph as its own process (`npm run start:services`, docker-compose). */
export function start(): Promise<RunningServer> {
  return runSubgraphProcess('engagements', (db) => buildEngagementsSubgraph(db));
}

if (require.main === module) runMain(start);
