/**
 * Every subgraph the hub federates. Adding a subgraph means adding one line here
 * (and its folder under services/); composition, the gateway and the dev runner read this list.
 */
import path from 'node:path';

export interface SubgraphDefinition {
  /** Name in the supergraph (join__Graph) and in env variables: DIRECTORY_URL, DIRECTORY_PORT. */
  readonly name: string;
  /** Port the subgraph listens on when run as its own process or inside `npm start`. */
  readonly defaultPort: number;
  /** Path of the subgraph's SDL, relative to the repository root. */
  readonly schemaFile: string;
}

export const SUBGRAPHS: readonly SubgraphDefinition[] = [
  { name: 'directory', defaultPort: 4001, schemaFile: 'services/directory/schema.graphql' },
  { name: 'accounts', defaultPort: 4002, schemaFile: 'services/accounts/schema.graphql' },
  { name: 'notifications', defaultPort: 4003, schemaFile: 'services/notifications/schema.graphql' },
  { name: 'referrals', defaultPort: 4004, schemaFile: 'services/referrals/schema.graphql' },
  { name: 'engagements', defaultPort: 4005, schemaFile: 'services/engagements/schema.graphql' },
  { name: 'meetings', defaultPort: 4006, schemaFile: 'services/meetings/schema.graphql' },
  { name: 'reports', defaultPort: 4007, schemaFile: 'services/reports/schema.graphql' },
];

/** Repository root, whether running from sources (ts-jest) or from dist/. */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  let dir = start;
  // dist/services → repo root is two levels up; services → one level up.
  for (let i = 0; i < 4; i += 1) {
    if (require('node:fs').existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find the repository root above ${start}`);
}

export function subgraphSchemaPath(def: SubgraphDefinition): string {
  return path.join(REPO_ROOT, def.schemaFile);
}
