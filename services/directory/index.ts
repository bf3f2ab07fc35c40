/**
 * The directory subgraph: member bodies, branches, other support bodies and supporters.
 * `buildDirectorySubgraph` is used in-process by `npm start`; `start()` runs it as its own process.
 */
import path from 'node:path';
import { runMain } from '../shared/config';
import type { Database } from '../shared/database';
import type { RunningServer, SubgraphModule } from '../shared/subgraph-server';
import { runSubgraphProcess } from '../shared/subgraph-process';
import { REPO_ROOT } from '../registry';
import { directoryContextFactory, type DirectoryContext } from './context';
import { resolvers } from './resolvers';

export const DIRECTORY_SCHEMA_FILE = path.join(REPO_ROOT, 'services/directory/schema.graphql');

export function buildDirectorySubgraph(db: Database): SubgraphModule<DirectoryContext> {
  return {
    name: 'directory',
    schemaFile: DIRECTORY_SCHEMA_FILE,
    resolvers,
    context: directoryContextFactory(db.prisma),
    ready: () => db.ping(),
  };
}

/** Runs the directory subgraph as its own process (`npm run start:services`, docker-compose). */
export function start(): Promise<RunningServer> {
  return runSubgraphProcess('directory', (db) => buildDirectorySubgraph(db));
}

if (require.main === module) runMain(start);
