/**
 * A second subgraph for tests only: it extends Organisation with one field, as a member body's own
 * subgraph would, so tests can stop it and see what the gateway does without it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import { parse } from 'graphql';

export const PROBE_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Organisation @key(fields: "id") {
    id: ID!
    """A note a member body's own system keeps about the organisation."""
    probeNote: String
  }
`;

export interface ProbeSubgraph {
  url: string;
  /** Makes probeNote answer this much later (0: at once). */
  delay(ms: number): void;
  stop(): Promise<void>;
}

export async function startProbeSubgraph(): Promise<ProbeSubgraph> {
  let delayMs = 0;
  const app = express();
  const httpServer = http.createServer(app);
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(PROBE_SDL),
      resolvers: {
        Organisation: {
          __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
          probeNote: async (org: { id: string }) => {
            if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
            return `note for ${org.id.slice(0, 8)}`;
          },
        },
      },
    }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  app.use('/graphql', express.json(), expressMiddleware(server));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    delay: (ms) => {
      delayMs = ms;
    },
    stop: async () => {
      await server.stop();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
