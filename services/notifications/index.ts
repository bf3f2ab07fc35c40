/**
 * The notifications subgraph: a person's inbox and preferences, a body's webhooks, the pipeline's
 * health and failed jobs. `buildNotificationsSubgraph` runs in-process under `npm start`; `start()`
 * runs it as its own process together with the pipeline (relay and workers) unless
 * NOTIFICATIONS_PIPELINE=off.
 */
import path from 'node:path';
import { runMain } from '../shared/config';
import type { Database } from '../shared/database';
import { createLogger } from '../shared/logger';
import type { RunningServer, SubgraphModule } from '../shared/subgraph-server';
import { runSubgraphProcess } from '../shared/subgraph-process';
import { REPO_ROOT } from '../registry';
import { notificationsContextFactory, type NotificationsContext } from './context';
import type { NotificationsDeps } from './notifications.manager';
import { resolvers } from './resolvers';
import { startPipeline, type Pipeline } from './setup';

export const NOTIFICATIONS_SCHEMA_FILE = path.join(REPO_ROOT, 'services/notifications/schema.graphql');

export function buildNotificationsSubgraph(db: Database, deps: NotificationsDeps): SubgraphModule<NotificationsContext> {
  return {
    name: 'notifications',
    schemaFile: NOTIFICATIONS_SCHEMA_FILE,
    resolvers,
    context: notificationsContextFactory(db.prisma, deps),
    ready: () => db.ping(),
  };
}

/** Runs the notifications subgraph and the pipeline as their own process (start:services, docker-compose). */
export function start(): Promise<RunningServer> {
  let pipeline: Pipeline | undefined;
  return runSubgraphProcess(
    'notifications',
    async (db, cfg) => {
      pipeline = await startPipeline(cfg, db, cfg.sessionSecret!, createLogger('notifications'));
      return buildNotificationsSubgraph(db, { webhookKey: pipeline.webhookKey, allowInsecureWebhooks: cfg.notifications.allowInsecureWebhooks, queues: pipeline.runtime.queues });
    },
    { onStop: async () => pipeline?.stop() },
  );
}

if (require.main === module) runMain(start);
