/**
 * Gateway hardening over real HTTP: depth, alias, token and cost limits, batched requests, and what
 * production hides (suggestions, introspection, stack traces). One hub in the test configuration and
 * one in production configuration, both on the run's PostgreSQL database.
 */
import crypto from 'node:crypto';
import { DEFAULT_GRAPHQL_LIMITS, parseConfig } from '../services/shared/config';
import { SUBGRAPHS } from '../services/registry';
import { startHub, type RunningHub } from '../gateway/hub';
import { readRunState } from './support/env';
import { graphql, startTestHub, type GraphQLResponse } from './support/hub';

/**
 * Apollo decides at construction whether to put stack traces in responses, from NODE_ENV; `npm start`
 * leaves NODE_ENV unset, where Apollo's own default is to include them. Build the servers that way.
 */
async function withNodeEnvUnset<T>(start: () => Promise<T>): Promise<T> {
  const saved = process.env.NODE_ENV;
  delete process.env.NODE_ENV;
  try {
    return await start();
  } finally {
    process.env.NODE_ENV = saved;
  }
}

/** A production hub; its depth limit comes from the environment, to show configuration reaches the gateway. */
function startProductionHub(): Promise<RunningHub> {
  const { databaseUrl } = readRunState();
  const ports = Object.fromEntries(SUBGRAPHS.map((s) => [`${s.name.toUpperCase()}_PORT`, '0']));
  const config = parseConfig({
    ...ports,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    PORT: '0',
    LOG_LEVEL: 'error',
    GRAPHQL_MAX_DEPTH: '6',
    SMTP_URL: 'smtp://127.0.0.1:2525',
  });
  return startHub({ config });
}

let hub: RunningHub;
let production: RunningHub;
beforeAll(async () => {
  hub = await withNodeEnvUnset(() => startTestHub());
  production = await withNodeEnvUnset(() => startProductionHub());
});
afterAll(async () => {
  await hub?.stop();
  await production?.stop();
});

type Body = GraphQLResponse<unknown>['body'];

/** `{ organisations(first: 1) { nodes { parent { … id } } } }`, `depth` fields deep. */
function queryOfDepth(depth: number): string {
  return `{ organisations(first: 1) { nodes { ${'parent { '.repeat(depth - 3)}id${' }'.repeat(depth - 3)} } } }`;
}

function expectRefused(res: GraphQLResponse<unknown>, code: string): Record<string, unknown> {
  expect({ status: res.status, code: res.body.errors?.[0]?.extensions?.code }).toEqual({ status: 400, code });
  expect(res.body.data).toBeUndefined();
  const [error] = res.body.errors!;
  expect(error.message).toMatch(/[\u3040-\u30ff\u4e00-\u9faf]/); // Japanese for people
  expect(error.extensions?.messageEn).toEqual(expect.any(String));
  return error.extensions!;
}

describe('operation limits', () => {
  test('a query nested deeper than 12 levels is refused with 400 QUERY_TOO_DEEP; 12 levels are answered', async () => {
    const ok = await graphql(hub.url, queryOfDepth(DEFAULT_GRAPHQL_LIMITS.maxDepth));
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();

    const refused = await graphql(hub.url, queryOfDepth(DEFAULT_GRAPHQL_LIMITS.maxDepth + 1));
    expect(expectRefused(refused, 'QUERY_TOO_DEEP')).toMatchObject({ limit: 12, actual: 13 });
  });

  test('the limits hold for GET requests too', async () => {
    const url = new URL('graphql', hub.url);
    url.searchParams.set('query', queryOfDepth(DEFAULT_GRAPHQL_LIMITS.maxDepth + 1));
    const res = await fetch(url, { headers: { 'apollo-require-preflight': 'true', accept: 'application/json' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Body).errors?.[0].extensions?.code).toBe('QUERY_TOO_DEEP');
  });

  test('fragments cannot hide depth', async () => {
    const query = `{ organisations(first: 1) { nodes { ...Up } } }
      fragment Up on Organisation { parent { parent { parent { ...Up2 } } } }
      fragment Up2 on Organisation { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } }`;
    expectRefused(await graphql(hub.url, query), 'QUERY_TOO_DEEP');
  });

  test('more than 30 aliases in one operation are refused with TOO_MANY_ALIASES', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const ok = await graphql<Record<string, string>>(hub.url, aliases(30));
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body.data!)).toHaveLength(30);

    expect(expectRefused(await graphql(hub.url, aliases(31)), 'TOO_MANY_ALIASES')).toMatchObject({ limit: 30, actual: 31 });
  });

  test('nested pages that multiply past the cost budget are refused with QUERY_TOO_COMPLEX', async () => {
    const query = '{ organisations(first: 100) { nodes { children { members(first: 100) { nodes { id nameJa } } } } } }';
    const extensions = expectRefused(await graphql(hub.url, query), 'QUERY_TOO_COMPLEX');
    expect(extensions.limit).toBe(DEFAULT_GRAPHQL_LIMITS.maxCost);
    expect(extensions.actual).toBeGreaterThan(DEFAULT_GRAPHQL_LIMITS.maxCost);

    const page = await graphql(hub.url, '{ organisations(first: 100) { totalCount nodes { id nameJa children { id nameJa } } } }');
    expect(page.status).toBe(200);
    expect(page.body.errors).toBeUndefined();
  });

  test('a document longer than 1000 tokens is refused unparsed with OPERATION_TOO_LARGE', async () => {
    const res = await graphql(hub.url, `{ ${'__typename '.repeat(5000)}}`);
    expect(expectRefused(res, 'OPERATION_TOO_LARGE')).toMatchObject({ limit: DEFAULT_GRAPHQL_LIMITS.maxTokens });

    const syntax = await graphql(hub.url, '{ organisations { nodes { nameJa ');
    expect(syntax.body.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  test('limits set in the environment reach the gateway', async () => {
    const depth7 = queryOfDepth(7);
    expect((await graphql(hub.url, depth7)).status).toBe(200);
    expect(expectRefused(await graphql(production.url, depth7), 'QUERY_TOO_DEEP')).toMatchObject({ limit: 6, actual: 7 });
  });
});

describe('batched requests', () => {
  test('a JSON array of operations gets a 400 saying to send one operation per request', async () => {
    const res = await fetch(new URL('graphql', hub.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ prefectures { code } }' }]),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Body;
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/操作は 1 つだけ/),
      extensions: { code: 'BATCHING_DISABLED', messageEn: expect.stringMatching(/one operation per request/) },
    });
  });
});

describe('production', () => {
  const unknownField = '{ organisationz { totalCount } }';
  const badEnumVariable = 'query ($role: CouncilRole) { organisations(filter: { councilRole: $role }) { totalCount } }';

  test('validation errors name no fields the client did not ask for (no "Did you mean …")', async () => {
    const dev = await graphql(hub.url, unknownField);
    expect(dev.body.errors?.[0].message).toMatch(/Did you mean .*"organisations"/);

    const prod = await graphql(production.url, unknownField);
    expect(prod.status).toBe(400);
    expect(prod.body.errors?.[0].message).toBe('Cannot query field "organisationz" on type "Query".');
  });

  test('a mistyped enum value in a variable gets no suggestion either', async () => {
    const dev = await graphql(hub.url, badEnumVariable, { role: 'OBSERVR' });
    expect(dev.body.errors?.[0].message).toMatch(/Did you mean the enum value "OBSERVER"/);

    const prod = await graphql(production.url, badEnumVariable, { role: 'OBSERVR' });
    expect(prod.status).toBe(400);
    expect(prod.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(prod.body.errors?.[0].message).not.toMatch(/Did you mean|"OBSERVER"/);
  });

  test('introspection is refused in production and answered elsewhere; __typename still works', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Organisation") { fields { name } } }']) {
      const prod = await graphql(production.url, query);
      expect({ query, status: prod.status, code: prod.body.errors?.[0].extensions?.code }).toEqual({ query, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
      expect(prod.body.errors?.[0].message).toMatch(/introspection is not allowed/);

      const dev = await graphql(hub.url, query);
      expect({ query, status: dev.status, errors: dev.body.errors }).toEqual({ query, status: 200, errors: undefined });
    }
    expect((await graphql(production.url, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
  });

  test('no error response carries a stack trace, in production or not', async () => {
    const failures: Array<[string, Record<string, unknown>?]> = [
      ['{ organisations { nodes { nameJa '], // syntax
      [unknownField], // validation
      [queryOfDepth(13)], // a limit
      [badEnumVariable, { role: 'OBSERVR' }], // variable coercion
      ['{ organisations(first: 1000) { totalCount } }'], // refused by the directory subgraph
      ['query ($id: ID!) { organisation(id: $id) { id } }'], // missing variable
    ];
    for (const target of [hub, production]) {
      for (const [query, variables] of failures) {
        const res = await graphql(target.url, query, variables);
        expect(res.body.errors?.length).toBeGreaterThan(0);
        expect({ query, status: res.status < 500 }).toEqual({ query, status: true });
        expect({ query, body: JSON.stringify(res.body) }).not.toEqual({ query, body: expect.stringMatching(/stacktrace|\s+at \S+ \(|\.ts:\d+|node_modules/) });
      }
    }
  });
});
