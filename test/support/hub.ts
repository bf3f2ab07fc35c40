/** Starts the whole hub in-process for a test, on random ports, against the run's database. */
import { SUBGRAPHS } from '../../services/registry';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../services/shared/config';
import { setLogLevel } from '../../services/shared/logger';
import { startHub, type RunningHub } from '../../gateway/hub';
import { readRunState } from './env';
import { deriveContextKeys } from '../../services/shared/viewer';

export async function startTestHub(env: Record<string, string> = {}): Promise<RunningHub> {
  setLogLevel('error');
  const { databaseUrl } = readRunState();
  return startHub({ config: testConfig(databaseUrl, env) });
}

/** The machine's Redis (started by scripts/ensure-test-env.sh); each run uses its own key prefix. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Fixed for tests, so a test can sign viewers for the hub's subgraphs itself. */
export const TEST_SESSION_SECRET = 'test-only-session-secret-0123456789abcdef';
export const testKeys = () => deriveContextKeys(TEST_SESSION_SECRET);

/** The hub's settings in tests: random ports, the run's database, Redis with a per-run prefix, mail files in a temp dir. */
export function testConfig(databaseUrl: string, env: Record<string, string> = {}) {
  const run = new URL(databaseUrl).pathname.slice(1);
  return parseConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    ...Object.fromEntries(SUBGRAPHS.map((s) => [`${s.name.toUpperCase()}_PORT`, '0'])),
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    SESSION_SECRET: TEST_SESSION_SECRET,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: run.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40),
    DATA_DIR: path.join(os.tmpdir(), `banso-test-${run}`),
    ...env,
  });
}

export interface GraphQLResponse<T> {
  status: number;
  contentType: string | null;
  body: { data?: T | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }> };
}

/** POSTs an operation the way the web app does. */
export async function graphql<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  if ('cookie' in headers && !headers.cookie) delete headers.cookie;
  const res = await fetch(new URL('graphql', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, contentType: res.headers.get('content-type'), body: (await res.json()) as GraphQLResponse<T>['body'] };
}

export const DEMO_PASSWORD = 'banso-demo-2024!';

/** Signs in through POST /auth/sign-in as a browser would; returns the Cookie header to send. */
export async function signIn(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<{ cookie: string }> {
  const res = await fetch(new URL('auth/sign-in', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${email} failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0];
  if (!cookie.startsWith('banso_session=')) throw new Error(`no session cookie in ${setCookie}`);
  return { cookie };
}
