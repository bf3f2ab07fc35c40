/**
 * The meetings subgraph: council and working-group meetings, their agendas, materials, attendance,
 * minutes, decisions and action items. `buildMeetingsSubgraph` runs in-process under `npm start`;
 * `start()` runs it as its own process.
 */
import path from 'node:path';
import { runMain } from '../shared/config';
import type { Database } from '../shared/database';
import type { RunningServer, SubgraphModule } from '../shared/subgraph-server';
import { runSubgraphProcess } from '../shared/subgraph-process';
import { REPO_ROOT } from '../registry';
import { meetingsContextFactory, type MeetingsContext } from './context';
import { resolvers } from './resolvers';

export const MEETINGS_SCHEMA_FILE = path.join(REPO_ROOT, 'services/meetings/schema.graphql');

export function buildMeetingsSubgraph(db: Database, publicUrl: string): SubgraphModule<MeetingsContext> {
  return {
    name: 'meetings',
    schemaFile: MEETINGS_SCHEMA_FILE,
    resolvers,
    context: meetingsContextFactory(db.prisma, publicUrl),
    ready: () => db.ping(),
  };
}

/** Runs the meetings subgraph as its own process (`npm run start:services`, docker-compose). */
export function start(): Promise<RunningServer> {
  return runSubgraphProcess('meetings', (db, cfg) => buildMeetingsSubgraph(db, cfg.publicUrl));
}

if (require.main === module) runMain(start);
