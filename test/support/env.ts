/**
 * Test-run settings. The base URL points at a PostgreSQL server where each run creates and later
 * drops its own database; CI and developers use the local server on 127.0.0.1:5432.
 */
import fs from 'node:fs';

export const TEST_BASE_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function databaseUrlFor(name: string): string {
  const url = new URL(TEST_BASE_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface RunState {
  databaseName: string;
  databaseUrl: string;
}

export function readRunState(): RunState {
  const file = process.env.BANSO_TEST_RUN_STATE;
  if (!file || !fs.existsSync(file)) throw new Error('test run state missing: run the integration tests through jest (global setup)');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RunState;
}
