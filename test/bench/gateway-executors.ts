/**
 * Which federation executor the gateway should use: @graphql-tools/federation (MIT, what
 * gateway/gateway.ts runs, started here through startGateway itself) or @apollo/gateway
 * (Elastic-2.0), with the directory subgraph called directly as the no-gateway baseline. Same
 * database, same subgraph, same queries, same load.
 *
 * Each query runs twice: with every request identical, and with each request taking the next of a
 * list of variables (cursors, organisation ids). The difference matters: @graphql-tools/executor-http
 * shares one subgraph call among identical calls in flight, so identical requests flatter it.
 *
 * The servers share the main thread, as in `npm start` (gateway/hub.ts runs everything in one
 * process); the load generator runs in a worker thread so its own work does not delay responses.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import express from 'express';
import { Client } from 'pg';
import { formatGatewayError, startGateway } from '../../gateway/gateway';
import { SUPERGRAPH_FILE } from '../../gateway/hub';
import type { CouncilRole, OrganisationCategory, Qualification, Speciality } from '../../generated/prisma/enums';
import { seedDirectory } from '../../prisma/seed/directory.seed';
import { buildDirectorySubgraph } from '../../services/directory';
import { DirectoryStore } from '../../services/directory/directory.store';
import { PREFECTURES } from '../../services/directory/prefectures';
import { redact } from '../../services/shared/config';
import { openDatabase, type Database } from '../../services/shared/database';
import { createLogger, type Logger } from '../../services/shared/logger';
import { applyMigrations } from '../../services/shared/schema-engine';
import { startSubgraph } from '../../services/shared/subgraph-server';
import crypto from 'node:crypto';
import { ANONYMOUS, CONTEXT_HEADER, deriveContextKeys, signViewer } from '../../services/shared/viewer';
import { parseConfig } from '../../services/shared/config';
import { gatewayAuth } from '../../gateway/wiring';
import { AccountsStore } from '../../services/accounts/accounts.store';
import { AuthManager } from '../../services/accounts/auth.manager';
import { hashPassword } from '../../services/accounts/credentials';
import { DEFAULT_BASE_DATABASE_URL, type BenchContext, type BenchResult } from './report';

// ---------------------------------------------------------------------------------------------
// Settings

/** Extra rows on top of the seed, so a page has real work in it. */
const EXTRA_ORGANISATIONS = 500;
const EXTRA_PEOPLE = 2000;
/** Organisations 0..HUBS-1 are parents of the rest; organisation 0 is the one the nested query opens. */
const HUBS = 50;
/** Rows written concurrently while loading (the pool has 10 connections). */
const WRITE_CONCURRENCY = 8;

const WARMUP_SECONDS = 2;
const MEASURE_SECONDS = 10;
const CONNECTIONS = 20;
/** Per-request timeout of the load generator. */
const REQUEST_TIMEOUT_SECONDS = 10;
/** A run that has not reported this long after its duration is stopped and counted as a failure. */
const RUN_GRACE_MS = 30_000;
/** Bodies of a varied workload compared across all targets before the run. */
const VALIDATED_BODIES = 10;

const HOST = '127.0.0.1';

/** Recorded with the results, so a JSON file says how it was measured. */
export const GATEWAY_EXECUTOR_SETTINGS = {
  extraOrganisations: EXTRA_ORGANISATIONS,
  extraPeople: EXTRA_PEOPLE,
  warmupSeconds: WARMUP_SECONDS,
  measureSeconds: MEASURE_SECONDS,
  connections: CONNECTIONS,
  loadGenerator: 'autocannon 8, one worker thread',
  queries: ['directory page: organisations(first: 50)', 'organisation page: parent, children, members(first: 20) with affiliations'],
} as const;

// ---------------------------------------------------------------------------------------------
// autocannon (v8 ships no type declarations; this is the part of its API used here)

interface AutocannonOptions {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
  timeout: number;
  workers?: number;
  /** Responses whose body differs are counted as mismatches. */
  expectBody?: string;
  /** In worker mode: paths of CommonJS modules exporting the hook. */
  requests?: Array<{ setupRequest: string }>;
  verifyBody?: string;
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  non2xx: number;
  resets: number;
  latency: { p50: number; p99: number; average: number; totalCount: number };
  requests: { average: number; total: number; sent: number };
}

interface AutocannonInstance {
  stop(): void;
}

type Autocannon = (opts: AutocannonOptions, done: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;

const autocannon = require('autocannon') as Autocannon;

function runLoad(opts: AutocannonOptions): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let instance: AutocannonInstance | undefined;
    const watchdog = setTimeout(() => {
      if (settled) return;
      settled = true;
      instance?.stop();
      reject(new Error(`load run against ${opts.url} did not finish within ${opts.duration}s + ${RUN_GRACE_MS / 1000}s`));
    }, opts.duration * 1000 + RUN_GRACE_MS);
    instance = autocannon(opts, (err, result) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      if (err) reject(err);
      else resolve(result);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Queries

/** What the data set offers the workloads to vary over. */
interface Fixture {
  /** Organisations with a parent, nine children and forty members each. */
  hubIds: string[];
  /** `after` cursors from which a full page of 50 organisations follows, in directory order. */
  directoryCursors: string[];
}

interface Workload {
  name: string;
  query: string;
  /**
   * One set: every request is the same, which @graphql-tools/federation collapses into one subgraph
   * call while identical calls are in flight. Several: each request takes the next set in turn, so
   * no two requests in flight are the same (as with many users on different pages).
   */
  variableSets: (f: Fixture) => Array<Record<string, unknown>>;
  /** Throws when the response does not have the shape the data set should produce. */
  check: (data: unknown) => void;
}

const ORGANISATION_FIELDS = 'totalCount nodes { id nameJa nameKana nameEn category councilRole prefecture { nameJa } } pageInfo { endCursor hasNextPage }';

const DIRECTORY_PAGE = `query BenchDirectoryPage { organisations(first: 50) { ${ORGANISATION_FIELDS} } }`;
const DIRECTORY_PAGE_AFTER = `query BenchDirectoryPageAfter($after: String) { organisations(first: 50, after: $after) { ${ORGANISATION_FIELDS} } }`;

const ORGANISATION_PAGE = /* GraphQL */ `
  query BenchOrganisationPage($id: ID!) {
    organisation(id: $id) {
      id
      nameJa
      parent { nameJa }
      children { nameJa }
      members(first: 20) {
        nodes {
          nameJa
          affiliations { title organisation { nameJa } }
          qualifications
          regions { nameJa }
        }
      }
    }
  }
`;

function field(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function expectLength(value: unknown, length: number, what: string): void {
  if (!Array.isArray(value) || value.length !== length) {
    throw new Error(`${what}: expected ${length} items, got ${Array.isArray(value) ? value.length : typeof value}`);
  }
}

function checkDirectoryPage(data: unknown): void {
  expectLength(field(data, 'organisations', 'nodes'), 50, 'organisations.nodes');
  const total = field(data, 'organisations', 'totalCount');
  if (typeof total !== 'number' || total < EXTRA_ORGANISATIONS) throw new Error(`organisations.totalCount: got ${String(total)}`);
}

function checkOrganisationPage(data: unknown): void {
  if (typeof field(data, 'organisation', 'parent', 'nameJa') !== 'string') throw new Error('organisation.parent is missing');
  expectLength(field(data, 'organisation', 'children'), EXTRA_ORGANISATIONS / HUBS - 1, 'organisation.children');
  expectLength(field(data, 'organisation', 'members', 'nodes'), 20, 'organisation.members.nodes');
  if (typeof field(data, 'organisation', 'members', 'nodes', 0, 'affiliations', 0, 'organisation', 'nameJa') !== 'string') {
    throw new Error('organisation.members.nodes[0].affiliations[0].organisation is missing');
  }
}

const WORKLOADS: Workload[] = [
  { name: 'directory page, same request', query: DIRECTORY_PAGE, variableSets: () => [{}], check: checkDirectoryPage },
  {
    name: 'directory page, varied cursor',
    query: DIRECTORY_PAGE_AFTER,
    variableSets: (f) => [{ after: null }, ...f.directoryCursors.map((after) => ({ after }))],
    check: checkDirectoryPage,
  },
  {
    name: 'organisation page, same request',
    query: ORGANISATION_PAGE,
    variableSets: (f) => [{ id: f.hubIds[0] }],
    check: checkOrganisationPage,
  },
  {
    name: `organisation page, ${HUBS} organisations`,
    query: ORGANISATION_PAGE,
    variableSets: (f) => f.hubIds.map((id) => ({ id })),
    check: checkOrganisationPage,
  },
];

// ---------------------------------------------------------------------------------------------
// Data

const KATAKANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';
const KANJI = '東西南北山川田中村本井上木森林松竹梅石原野島谷口岡橋';
const CATEGORIES: OrganisationCategory[] = ['COMMERCE_AND_INDUSTRY', 'PROFESSIONAL', 'FINANCIAL', 'ADMINISTRATIVE_AGENCY', 'OBSERVER', 'PUBLIC_BODY'];
const ROLES: CouncilRole[] = ['NONE', 'NONE', 'NONE', 'MEMBER'];
const QUALIFICATIONS: Qualification[] = ['SME_CONSULTANT', 'TAX_ACCOUNTANT', 'CPA', 'LAWYER', 'BUSINESS_ADVISOR', 'IT_COORDINATOR'];
const SPECIALITIES: Speciality[] = ['STRATEGY', 'FINANCE', 'MARKETING', 'DIGITAL', 'SUCCESSION', 'TURNAROUND'];

/** Deterministic three-character strings, so the directory order is mixed rather than by index. */
function syllables(alphabet: string, n: number): string {
  const chars = [...alphabet];
  const k = chars.length;
  const m = (n * 7919) % (k * k * k);
  return `${chars[Math.floor(m / (k * k)) % k]}${chars[Math.floor(m / k) % k]}${chars[m % k]}`;
}

/** Runs `work` for 0..count-1, at most `concurrency` at a time, in order of index. */
async function forEachIndex(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < count; start += concurrency) {
    const batch: Array<Promise<void>> = [];
    for (let i = start; i < Math.min(count, start + concurrency); i += 1) batch.push(work(i));
    await Promise.all(batch);
  }
}

/**
 * Adds EXTRA_ORGANISATIONS organisations and EXTRA_PEOPLE people through the directory store.
 * Organisations 0..HUBS-1 ("hubs") each get a seeded parent, nine children and forty members with
 * one to three affiliations, so the organisation page goes through every loader of the directory.
 */
async function loadExtraData(db: Database): Promise<{ hubIds: string[]; memberships: number }> {
  const store = new DirectoryStore(db.prisma);
  const parent = await db.prisma.organisation.findUnique({ where: { slug: 'jcci' } });
  if (!parent) throw new Error('seed organisation "jcci" is missing');
  const orgIds: string[] = new Array<string>(EXTRA_ORGANISATIONS);
  const orgId = (i: number): string => {
    const id = orgIds[i];
    if (!id) throw new Error(`organisation ${i} was not created`);
    return id;
  };
  const upsertOrg = async (i: number) => {
    const name = `${syllables(KANJI, i)}地域伴走支援センター${i}`;
    const row = await store.upsertOrganisation({
      slug: `bench-org-${i}`,
      nameJa: name,
      nameKana: `${syllables(KATAKANA, i)}チイキバンソウシエンセンター`,
      nameEn: `Bench Regional Support Centre ${i}`,
      category: CATEGORIES[i % CATEGORIES.length] ?? 'PUBLIC_BODY',
      councilRole: ROLES[i % ROLES.length] ?? 'NONE',
      prefectureCode: PREFECTURES[i % PREFECTURES.length]?.code ?? null,
      website: null,
      description: i % 2 === 0 ? `${name}は地域の中小企業の経営力再構築を伴走支援します。` : null,
      parentId: i < HUBS ? parent.id : orgId(i % HUBS),
    });
    orgIds[i] = row.id;
  };
  // Hubs first: the others name them as parent.
  await forEachIndex(HUBS, WRITE_CONCURRENCY, upsertOrg);
  await forEachIndex(EXTRA_ORGANISATIONS - HUBS, WRITE_CONCURRENCY, (i) => upsertOrg(i + HUBS));

  let memberships = 0;
  await forEachIndex(EXTRA_PEOPLE, WRITE_CONCURRENCY, async (i) => {
    const person = await store.upsertPerson({
      slug: `bench-person-${i}`,
      nameJa: `${syllables(KANJI, i)} ${syllables(KANJI, i + 17)}`,
      nameKana: `${syllables(KATAKANA, i)} ${syllables(KATAKANA, i + 17)}`,
      nameEn: i % 3 === 0 ? null : `Bench Person ${i}`,
      email: null,
      qualifications: [QUALIFICATIONS[i % QUALIFICATIONS.length] ?? 'SME_CONSULTANT', ...(i % 4 === 0 ? [QUALIFICATIONS[(i + 1) % QUALIFICATIONS.length] ?? 'CPA'] : [])],
      specialities: [SPECIALITIES[i % SPECIALITIES.length] ?? 'STRATEGY'],
      regionCodes: [PREFECTURES[i % PREFECTURES.length]?.code ?? '13', ...(i % 5 === 0 ? [PREFECTURES[(i + 3) % PREFECTURES.length]?.code ?? '15'] : [])],
      capacity: 1 + (i % 8),
    });
    // Primary at organisation i mod 500, member of hub i mod 50 (the same organisation for one in ten),
    // and a third of the people with one more affiliation elsewhere.
    const affiliations = [
      { organisationId: orgId(i % EXTRA_ORGANISATIONS), title: i % 2 === 0 ? '経営指導員' : 'コーディネーター', primary: true },
      { organisationId: orgId(i % HUBS), title: '兼務', primary: false },
      ...(i % 3 === 0 ? [{ organisationId: orgId((i * 7 + 3) % EXTRA_ORGANISATIONS), title: '会員', primary: false }] : []),
    ];
    const seen = new Set<string>();
    for (const a of affiliations) {
      if (seen.has(a.organisationId)) continue;
      seen.add(a.organisationId);
      await store.upsertMembership({ personId: person.id, ...a });
      memberships += 1;
    }
  });
  return { hubIds: orgIds.slice(0, HUBS), memberships };
}

/** `after` cursors of every organisation that has a full page after it, read through the API itself. */
async function directoryCursors(subgraphUrl: string): Promise<string[]> {
  const query = 'query BenchCursor($after: String) { organisations(first: 1, after: $after) { totalCount pageInfo { endCursor } } }';
  const cursors: string[] = [];
  let after: string | null = null;
  // Bounded by the number of organisations the data set can hold.
  for (let step = 0; step < EXTRA_ORGANISATIONS + 200; step += 1) {
    const data = await postQuery(subgraphUrl, JSON.stringify({ query, variables: { after } }));
    const total = field(data, 'organisations', 'totalCount');
    const cursor = field(data, 'organisations', 'pageInfo', 'endCursor');
    if (typeof total !== 'number' || typeof cursor !== 'string') throw new Error('directory cursor walk: unexpected response');
    if (cursors.length + 1 > total - 50) break;
    cursors.push(cursor);
    after = cursor;
  }
  return cursors;
}

// ---------------------------------------------------------------------------------------------
// Database lifecycle

function databaseUrlFor(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdminClient<T>(baseUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Targets

interface Target {
  name: string;
  url: string;
}

/** The comparison: Apollo Server 5 on express 5 with @apollo/gateway, configured like gateway/gateway.ts. */
async function startApolloGateway(supergraphSdl: string, subgraphUrl: string, logger: Logger): Promise<{ url: string; stop(): Promise<void> }> {
  const gateway = new ApolloGateway({
    supergraphSdl,
    // Every subgraph of the supergraph is the one directory subgraph started above.
    // Like the hub's gateway, @apollo/gateway must present a signed viewer to the subgraph.
    buildService: () =>
      new RemoteGraphQLDataSource({
        url: subgraphUrl,
        willSendRequest: ({ request }) => {
          request.http?.headers.set(CONTEXT_HEADER, JSON_HEADERS[CONTEXT_HEADER]);
        },
      }),
    logger,
  });
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const server = new ApolloServer({
    gateway,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
    formatError: formatGatewayError(logger, true),
    includeStacktraceInErrorResponses: false,
    introspection: false,
  });
  await server.start();
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(server));
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(0, HOST, () => resolve());
    });
  } catch (err) {
    await server.stop();
    throw err;
  }
  const { port } = httpServer.address() as AddressInfo;
  return { url: `http://${HOST}:${port}/graphql`, stop: () => server.stop() };
}

/** One POST outside the load run; returns `data`, throws on HTTP or GraphQL errors. */
async function postQuery(url: string, body: string): Promise<unknown> {
  return (await postForBody(url, body)).data;
}

async function postForBody(url: string, body: string): Promise<{ text: string; data: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: JSON_HEADERS,
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_SECONDS * 1000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}: ${text.slice(0, 300)}`);
  const parsed = JSON.parse(text) as { data?: unknown; errors?: unknown };
  if (parsed.errors !== undefined) throw new Error(`errors from ${url}: ${JSON.stringify(parsed.errors).slice(0, 300)}`);
  return { text, data: parsed.data };
}

const JSON_HEADERS: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };

/**
 * autocannon's worker thread loads per-request hooks from files: this writes one that gives each
 * request the next body in turn, and one that rejects responses carrying GraphQL errors.
 */
function writeRequestHooks(dir: string, name: string, bodies: string[]): { setupRequest: string; verifyBody: string } {
  const setupRequest = path.join(dir, `${name}.setup-request.cjs`);
  const verifyBody = path.join(dir, 'verify-body.cjs');
  fs.writeFileSync(
    setupRequest,
    `'use strict';\n// Written by test/bench/gateway-executors.ts.\nconst bodies = ${JSON.stringify(bodies)};\nlet next = 0;\n` +
      `module.exports = function setupRequest(req) {\n  const body = bodies[next];\n  next = (next + 1) % bodies.length;\n  return Object.assign({}, req, { body });\n};\n`,
  );
  fs.writeFileSync(
    verifyBody,
    `'use strict';\n// Written by test/bench/gateway-executors.ts.\nmodule.exports = function verifyBody(body) {\n  return body.startsWith('{"data":{') && !body.includes('"errors":[');\n};\n`,
  );
  return { setupRequest, verifyBody };
}

function describe(result: AutocannonResult): string {
  const problems = (
    [
      ['errors', result.errors],
      ['timeouts', result.timeouts],
      ['non-2xx', result.non2xx],
      ['resets', result.resets],
      ['body mismatches', result.mismatches],
    ] as const
  ).filter(([, n]) => n > 0);
  return problems.length ? problems.map(([what, n]) => `${n} ${what}`).join(', ') : '';
}

// ---------------------------------------------------------------------------------------------

/** Measures both executors and the direct subgraph under the same load; see the module comment. */
export async function benchGatewayExecutors(ctx: Partial<BenchContext> = {}): Promise<BenchResult[]> {
  const baseUrl = ctx.baseDatabaseUrl ?? DEFAULT_BASE_DATABASE_URL;
  const logger = createLogger('bench');
  const quiet: Logger = { ...logger, info: () => undefined, debug: () => undefined };
  const dbName = `banso_bench_${Date.now()}_${process.pid}`;
  const cleanups: Array<{ what: string; run: () => Promise<void> }> = [];
  let cleaned: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaned ??= (async () => {
      for (const c of cleanups.reverse()) {
        await c.run().catch((err: unknown) => logger.error('cleanup failed', { what: c.what, error: err instanceof Error ? err.message : String(err) }));
      }
    })());
  // Ctrl-C during a run still drops the database.
  const onSignal = () => {
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    await withAdminClient(baseUrl, (c) => c.query(`CREATE DATABASE "${dbName}"`));
    cleanups.push({ what: `drop database ${dbName}`, run: () => withAdminClient(baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)).then(() => undefined) });
    const databaseUrl = databaseUrlFor(baseUrl, dbName);
    logger.info('bench database created', { database: redact(databaseUrl) });

    const db = await openDatabase({ databaseUrl, dataDir: undefined });
    cleanups.push({ what: 'close database', run: () => db.close() });
    await applyMigrations(db.adapterFactory);
    await seedDirectory(db.prisma);
    const loadStarted = Date.now();
    const { hubIds, memberships } = await loadExtraData(db);
    const [organisations, people] = await Promise.all([db.prisma.organisation.count(), db.prisma.person.count()]);
    logger.info('bench data loaded', { organisations, people, memberships, ms: Date.now() - loadStarted });

    // The gateway signs a viewer per request; the bench's own direct calls carry one signed for the
    // whole run (an hour).
    const keys = deriveContextKeys(crypto.randomBytes(32).toString('hex'));
    // A signed-in supporter: the organisation page lists supporters, which need sign-in. The
    // gateways get the session cookie; direct calls get the viewer the gateway would sign.
    const benchOrg = await db.prisma.organisation.findFirstOrThrow({ where: { slug: 'niigata-yorozu' } });
    const accounts = new AccountsStore(db.prisma);
    const account = await accounts.createAccount({ email: `bench-${Date.now()}@bench.example.jp`, displayName: 'bench', passwordHash: await hashPassword('bench-password-0123') });
    await accounts.upsertMembership(account.id, benchOrg.id, ['SUPPORTER']);
    const session = await new AuthManager(accounts).signIn({ email: account.email, password: 'bench-password-0123' }, { ip: '127.0.0.1', userAgent: 'bench' });
    JSON_HEADERS.cookie = `banso_session=${session.token}`;
    JSON_HEADERS[CONTEXT_HEADER] = signViewer(
      { ...ANONYMOUS('bench'), accountId: account.id, organisationId: benchOrg.id, roles: ['SUPPORTER'] },
      'directory',
      keys,
      Date.now(),
      3600,
    );
    const subgraph = await startSubgraph(buildDirectorySubgraph(db), { host: HOST, port: 0, logger: quiet, contextPublicKey: keys.publicKey });
    cleanups.push({ what: 'stop subgraph', run: () => subgraph.stop() });
    const fixture: Fixture = { hubIds, directoryCursors: await directoryCursors(subgraph.url) };

    const supergraphSdl = fs.readFileSync(SUPERGRAPH_FILE, 'utf8');
    const tools = await startGateway(
      {
        supergraphSdl,
        contextKeys: keys,
        auth: gatewayAuth(parseConfig({ DATABASE_URL: databaseUrl, SESSION_SECRET: 'x'.repeat(32) }), db),
        subgraphs: [{ name: 'directory', port: subgraph.port, url: subgraph.url }],
        pingDatabase: () => db.ping(),
        production: true,
        logger: quiet,
      },
      { port: 0, host: HOST },
    );
    cleanups.push({ what: 'stop @graphql-tools/federation gateway', run: () => tools.stop() });

    const apollo = await startApolloGateway(supergraphSdl, subgraph.url, quiet);
    cleanups.push({ what: 'stop @apollo/gateway', run: () => apollo.stop() });

    const hookDir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-bench-'));
    cleanups.push({ what: `remove ${hookDir}`, run: async () => fs.rmSync(hookDir, { recursive: true, force: true }) });

    const baseline: Target = { name: 'subgraph direct (no gateway)', url: subgraph.url };
    const targets: Target[] = [
      baseline,
      { name: '@graphql-tools/federation (MIT)', url: `http://${HOST}:${tools.port}/graphql` },
      { name: '@apollo/gateway (Elastic-2.0)', url: apollo.url },
    ];

    const results: BenchResult[] = [];
    for (const [w, workload] of WORKLOADS.entries()) {
      const bodies = workload.variableSets(fixture).map((variables) => JSON.stringify({ query: workload.query, variables }));
      if (bodies.length === 0) throw new Error(`${workload.name}: no requests`);
      // Before anything is timed, every executor must return exactly the subgraph's data (for up to
      // VALIDATED_BODIES of the bodies, spread over the list).
      const expected = new Map<Target, string>();
      const step = Math.max(1, Math.floor(bodies.length / VALIDATED_BODIES));
      for (let b = 0; b < bodies.length; b += step) {
        const body = bodies[b] ?? '';
        let reference: string | undefined;
        for (const target of targets) {
          const { text, data } = await postForBody(target.url, body).catch((err: unknown) => {
            throw new Error(`${target.name} · ${workload.name}: ${err instanceof Error ? err.message : String(err)}`);
          });
          workload.check(data);
          const json = JSON.stringify(data);
          reference ??= json;
          if (json !== reference) throw new Error(`${target.name} · ${workload.name}: data differs from the direct subgraph's`);
          if (b === 0) expected.set(target, text);
        }
      }
      const hooks = bodies.length > 1 ? writeRequestHooks(hookDir, `workload-${w}`, bodies) : undefined;

      let baselineRps: number | undefined;
      for (const target of targets) {
        const opts: AutocannonOptions = {
          url: target.url,
          method: 'POST',
          headers: JSON_HEADERS,
          body: bodies[0] ?? '',
          connections: CONNECTIONS,
          duration: WARMUP_SECONDS,
          timeout: REQUEST_TIMEOUT_SECONDS,
          workers: 1,
          // Identical requests must get identical bodies; varied ones must carry data and no errors.
          ...(hooks ? { requests: [{ setupRequest: hooks.setupRequest }], verifyBody: hooks.verifyBody } : { expectBody: expected.get(target) }),
        };
        logger.info('measuring', { target: target.name, workload: workload.name, distinctRequests: bodies.length });
        await runLoad(opts);
        const r = await runLoad({ ...opts, duration: MEASURE_SECONDS });
        const rps = r.duration > 0 ? r.requests.total / r.duration : 0;
        if (target === baseline) baselineRps = rps;
        const relative = target !== baseline && baselineRps ? `${Math.round((rps / baselineRps) * 100)}% of direct req/s` : '';
        results.push({
          name: `${target.name} · ${workload.name}`,
          requests: r.requests.total,
          rps,
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          notes: [relative, describe(r)].filter(Boolean).join('; ') || undefined,
        });
      }
    }
    return results;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await cleanUp();
  }
}
