/**
 * Entity references from other subgraphs are resolved in batches: one query per entity type per
 * request, however many references arrive.
 */
import { openDatabase, type Database } from '../services/shared/database';
import { startSubgraph, type RunningServer } from '../services/shared/subgraph-server';
import { buildDirectorySubgraph } from '../services/directory';
import { setLogLevel } from '../services/shared/logger';
import { readRunState } from './support/env';
import { graphql } from './support/hub';

let db: Database;
let subgraph: RunningServer;
let statements: string[] = [];

beforeAll(async () => {
  setLogLevel('error');
  db = await openDatabase({ databaseUrl: readRunState().databaseUrl, dataDir: undefined, poolSize: 2, onQuery: (sql) => statements.push(sql) });
  subgraph = await startSubgraph(buildDirectorySubgraph(db), { host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await subgraph?.stop();
  await db?.close();
});

const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Organisation { id nameJa }
      ... on Person { id nameJa affiliations { organisation { nameJa } } }
    }
  }
`;

test('the subgraph publishes its SDL for composition', async () => {
  const res = await graphql<{ _service: { sdl: string } }>(subgraph.url.replace(/graphql$/, ''), '{ _service { sdl } }');
  expect(res.body.data!._service.sdl).toMatch(/type Organisation\s+@key\(fields: "id"\)/);
});

test('twenty organisation and ten person references cost one query per entity type', async () => {
  const ids = await db.prisma.organisation.findMany({ select: { id: true }, take: 20, orderBy: { slug: 'asc' } });
  const people = await db.prisma.person.findMany({ select: { id: true }, take: 10, orderBy: { slug: 'asc' } });
  expect(ids).toHaveLength(20);
  expect(people).toHaveLength(10);

  statements = [];
  const res = await graphql<{ _entities: Array<{ id: string; nameJa: string; affiliations?: Array<{ organisation: { nameJa: string } }> }> }>(
    subgraph.url.replace(/graphql$/, ''),
    ENTITIES,
    {
      representations: [
        ...ids.map((o) => ({ __typename: 'Organisation', id: o.id })),
        ...people.map((p) => ({ __typename: 'Person', id: p.id })),
        { __typename: 'Organisation', id: '00000000-0000-4000-8000-000000000000' },
      ],
    },
  );
  expect(res.body.errors).toBeUndefined();
  const entities = res.body.data!._entities;
  expect(entities).toHaveLength(31);
  expect(entities.slice(0, 20).map((e) => e.id)).toEqual(ids.map((o) => o.id));
  expect(entities[30]).toBeNull();
  expect(entities.slice(20, 30).every((p) => (p.affiliations ?? []).length > 0)).toBe(true);

  const selects = statements.filter((s) => /^SELECT/i.test(s.trim()));
  const perTable = (table: string) => selects.filter((s) => new RegExp(`FROM "public"\\."${table}"`).test(s)).length;
  // Organisations: the references, then the affiliations' organisations (already cached or one more batch).
  expect(perTable('Person')).toBe(1);
  expect(perTable('Membership')).toBe(1);
  expect(perTable('Organisation')).toBeLessThanOrEqual(2);
  expect(selects.length).toBeLessThanOrEqual(4);
});
