/** Starts the whole hub in-process for a test, on random ports, against the run's database. */
import { parseConfig } from '../../services/shared/config';
import { setLogLevel } from '../../services/shared/logger';
import { startHub, type RunningHub } from '../../gateway/hub';
import { readRunState } from './env';

export async function startTestHub(): Promise<RunningHub> {
  setLogLevel('error');
  const { databaseUrl } = readRunState();
  const config = parseConfig({ DATABASE_URL: databaseUrl, PORT: '0', DIRECTORY_PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'error' });
  return startHub({ config });
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
): Promise<GraphQLResponse<T>> {
  const res = await fetch(new URL('graphql', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, contentType: res.headers.get('content-type'), body: (await res.json()) as GraphQLResponse<T>['body'] };
}
