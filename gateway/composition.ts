import fs from 'node:fs';
import { parse } from 'graphql';
import { composeServices } from '@theguild/federation-composition';
import { SUBGRAPHS, subgraphSchemaPath, type SubgraphDefinition } from '../services/registry';

export interface ComposedSupergraph {
  supergraphSdl: string;
  publicSdl: string;
}

/** The URL written into the checked-in supergraph; the gateway overrides it from configuration. */
export function defaultSubgraphUrl(def: SubgraphDefinition): string {
  return `http://127.0.0.1:${def.defaultPort}/graphql`;
}

/** Composes the given subgraph SDLs (default: every registered subgraph) or throws with every error. */
export function composeSupergraph(
  services: Array<{ name: string; sdl: string; url: string }> = SUBGRAPHS.map((def) => ({
    name: def.name,
    sdl: fs.readFileSync(subgraphSchemaPath(def), 'utf8'),
    url: defaultSubgraphUrl(def),
  })),
): ComposedSupergraph {
  const result = composeServices(
    services.map((s) => ({ name: s.name, typeDefs: parse(s.sdl), url: s.url })),
  );
  if (result.errors) {
    throw new Error(`supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return { supergraphSdl: result.supergraphSdl, publicSdl: result.publicSdl };
}
