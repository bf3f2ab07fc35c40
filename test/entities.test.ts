/**
 * Entity references from other subgraphs are resolved in batches: one query per entity type per
 * request, however many references arrive.
 */
import { openDatabase, type Database } from '../services/shared/database';
import { startSubgraph, type RunningServer } from '../services/shared/subgraph-server';
import { buildDirectorySubgraph } from '../services/directory';
import { setLogLevel } from '../services/shared/logger';
import { readRunState } from './support/env';
import { graphql, testKeys } from './support/hub';
import { ANONYMOUS, CONTEXT_HEADER, deriveContextKeys, signViewer } from '../services/shared/viewer';

let db: Database;
let subgraph: RunningServer;
let statements: string[] = [];
// What the gateway would send for a signed-in supporter, signed for the directory alone.
const asSupporter = () => ({
  [CONTEXT_HEADER]: signViewer({ ...ANONYMOUS('test'), accountId: '9f1c2a4e-8b7d-4c1e-9a2b-0d4e5f6a7b8c', organisationId: '8f1c2a4e-8b7d-4c1e-9a2b-0d4e5f6a7b8c', roles: ['SUPPORTER'] }, 'directory', testKeys()),
});

beforeAll(async () => {
  setLogLevel('error');
  db = await openDatabase({ databaseUrl: readRunState().databaseUrl, dataDir: undefined, poolSize: 2, onQuery: (sql) => statements.push(sql) });
  subgraph = await startSubgraph(buildDirectorySubgraph(db), { host: '127.0.0.1', port: 0, contextPublicKey: testKeys().publicKey });
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
  const res = await graphql<{ _service: { sdl: string } }>(subgraph.url.replace(/graphql$/, ''), '{ _service { sdl } }', {}, asSupporter());
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
    asSupporter(),
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

describe('a subgraph trusts only the gateway', () => {
  const base = () => subgraph.url.replace(/graphql$/, '');
  test('a call without the signed context is refused', async () => {
    const res = await graphql(base(), '{ organisations { totalCount } }');
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  test('a context signed for another subgraph, or with another key, is refused', async () => {
    const viewer = { ...ANONYMOUS('test'), accountId: '9f1c2a4e-8b7d-4c1e-9a2b-0d4e5f6a7b8c', roles: ['HUB_ADMIN' as const] };
    const otherAudience = await graphql(base(), '{ organisations { totalCount } }', {}, { [CONTEXT_HEADER]: signViewer(viewer, 'accounts', testKeys()) });
    expect(otherAudience.status).toBe(401);
    const otherKey = await graphql(base(), '{ organisations { totalCount } }', {}, { [CONTEXT_HEADER]: signViewer(viewer, 'directory', deriveContextKeys('another-secret-of-at-least-32-characters')) });
    expect(otherKey.status).toBe(401);
    const expired = await graphql(base(), '{ organisations { totalCount } }', {}, { [CONTEXT_HEADER]: signViewer(viewer, 'directory', testKeys(), Date.now() - 120_000) });
    expect(expired.status).toBe(401);
    const unsigned = await graphql(base(), '{ organisations { totalCount } }', {}, { 'x-user-id': viewer.accountId, 'x-roles': 'HUB_ADMIN' });
    expect(unsigned.status).toBe(401);
  });

  test("an anonymous viewer reads the bodies but not the supporters' details", async () => {
    const token = { [CONTEXT_HEADER]: signViewer(ANONYMOUS('test'), 'directory', testKeys()) };
    const orgs = await graphql<{ organisations: { totalCount: number } }>(base(), '{ organisations { totalCount } }', {}, token);
    expect(orgs.body.data!.organisations.totalCount).toBeGreaterThan(16);
    const people = await graphql(base(), '{ people { totalCount } }', {}, token);
    expect(people.body.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
