/**
 * The gateway's HTTP behaviour: GraphQL over HTTP, health and readiness, federation of a second
 * subgraph, and what happens when a subgraph is down.
 */
import fs from 'node:fs';
import { composeSupergraph } from '../gateway/composition';
import { startGateway, type RunningGateway } from '../gateway/gateway';
import type { RunningHub } from '../gateway/hub';
import { DIRECTORY_SCHEMA_FILE } from '../services/directory';
import { graphql, startTestHub, testConfig, testKeys } from './support/hub';
import { readRunState } from './support/env';
import { gatewayAuth } from '../gateway/wiring';
import { PROBE_SDL, startProbeSubgraph } from './support/probe-subgraph';

let hub: RunningHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub?.stop();
});

describe('GraphQL over HTTP', () => {
  test('POST answers with application/graphql-response+json when the client accepts it', async () => {
    const res = await graphql(hub.url, '{ prefectures { code nameJa } }');
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/graphql-response\+json/);
    const prefectures = (res.body.data as { prefectures: Array<{ code: string; nameJa: string }> }).prefectures;
    expect(prefectures).toHaveLength(47);
    expect(prefectures[14]).toEqual({ code: '15', nameJa: '新潟県' });
  });

  test('GET runs a query (with the CSRF-prevention header) and refuses a mutation', async () => {
    const url = new URL('graphql', hub.url);
    url.searchParams.set('query', '{ organisationCategoryCounts { category count } }');
    const res = await fetch(url, { headers: { 'apollo-require-preflight': 'true', accept: 'application/graphql-response+json' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { organisationCategoryCounts: unknown[] } };
    expect(body.data.organisationCategoryCounts.length).toBeGreaterThan(0);

    const simple = await fetch(url); // a cross-site "simple" request: no preflight header, no JSON content type
    expect(simple.status).toBe(400);

    url.searchParams.set('query', 'mutation { __typename }');
    const mutation = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(mutation.status).toBe(405);
  });

  test('malformed GraphQL is a 400 with a message, not a 5xx', async () => {
    const syntax = await graphql(hub.url, '{ organisations { nodes { nameJa ');
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(syntax.body.errors?.[0].message).toMatch(/Syntax Error/);

    const unknownField = await graphql(hub.url, '{ organisationz { totalCount } }');
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors?.[0].extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });

    const notJson = await fetch(new URL('graphql', hub.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(notJson.status).toBe(400);
  });

  test('responses carry security headers', async () => {
    const res = await fetch(new URL('healthz', hub.url));
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

describe('health and readiness', () => {
  test('/healthz says the process is alive and /readyz that the database and subgraphs answer', async () => {
    expect(await (await fetch(new URL('healthz', hub.url))).json()).toEqual({ status: 'ok' });
    const ready = await fetch(new URL('readyz', hub.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', 'subgraph:directory': 'ok', 'subgraph:accounts': 'ok', 'subgraph:notifications': 'ok', 'subgraph:referrals': 'ok', 'subgraph:engagements': 'ok', 'subgraph:meetings': 'ok', 'subgraph:reports': 'ok' }, notifications: expect.stringMatching(/^(ok|delayed)$/) });
  });
});

describe('federation with a second subgraph', () => {
  let probe: Awaited<ReturnType<typeof startProbeSubgraph>>;
  let gateway: RunningGateway;

  beforeAll(async () => {
    probe = await startProbeSubgraph();
    const directoryUrl = hub.subgraphs.find((s) => s.name === 'directory')!.server.url;
    const { supergraphSdl } = composeSupergraph([
      { name: 'directory', sdl: fs.readFileSync(DIRECTORY_SCHEMA_FILE, 'utf8'), url: directoryUrl },
      { name: 'probe', sdl: PROBE_SDL, url: probe.url },
    ]);
    gateway = await startGateway(
      {
        supergraphSdl,
        contextKeys: testKeys(),
        auth: gatewayAuth(testConfig(readRunState().databaseUrl), hub.database),
        subgraphs: [
          { name: 'directory', port: 0, url: directoryUrl },
          { name: 'probe', port: 0, url: probe.url },
        ],
        pingDatabase: () => hub.database.ping(),
        production: false,
        subgraphTimeoutMs: 2000,
      },
      { port: 0, host: '127.0.0.1' },
    );
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  const QUERY = '{ organisations(filter: { councilRole: OBSERVER }) { nodes { id nameJa probeNote } } }';

  test('fields of an entity come from the subgraph that extends it', async () => {
    const res = await graphql<{ organisations: { nodes: Array<{ id: string; nameJa: string; probeNote: string }> } }>(gateway.url, QUERY);
    expect(res.body.errors).toBeUndefined();
    const [fsa] = res.body.data!.organisations.nodes;
    expect(fsa.nameJa).toBe('金融庁 監督局 銀行第二課');
    expect(fsa.probeNote).toBe(`note for ${fsa.id.slice(0, 8)}`);
  });

  test('a subgraph slower than the timeout costs only its fields, after the timeout', async () => {
    probe.delay(4000);
    try {
      const started = Date.now();
      const res = await graphql<{ organisations: { nodes: Array<{ nameJa: string; probeNote: string | null }> } }>(gateway.url, QUERY);
      const took = Date.now() - started;
      expect(res.body.data!.organisations.nodes).toEqual([{ id: expect.any(String), nameJa: '金融庁 監督局 銀行第二課', probeNote: null }]);
      expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
      expect(took).toBeGreaterThanOrEqual(1900);
      expect(took).toBeLessThan(3900);
    } finally {
      probe.delay(0);
    }
  });

  test('a subgraph that is down costs only its fields: the rest of the answer comes, with an error', async () => {
    await probe.stop();
    const res = await graphql<{ organisations: { nodes: Array<{ nameJa: string; probeNote: string | null }> } }>(gateway.url, QUERY);
    expect(res.status).toBe(200);
    expect(res.body.data!.organisations.nodes).toEqual([{ id: expect.any(String), nameJa: '金融庁 監督局 銀行第二課', probeNote: null }]);
    expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    expect(JSON.stringify(res.body.errors)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);

    const ready = await fetch(new URL('readyz', gateway.url));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', checks: { database: 'ok', 'subgraph:directory': 'ok', 'subgraph:probe': 'unavailable' } });
  });
});
