/**
 * Creates a fresh PostgreSQL database for this test run, applies the checked-in migrations and
 * loads the directory seed with `db:seed`, then tells the workers where it is.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { execFileSync } from 'node:child_process';
import { databaseUrlFor, TEST_BASE_DATABASE_URL, type RunState } from './env';

export default async function globalSetup(): Promise<void> {
  const databaseName = `banso_test_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new Client({ connectionString: TEST_BASE_DATABASE_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `integration tests need PostgreSQL at ${TEST_BASE_DATABASE_URL} (set TEST_DATABASE_URL to use another server): ${(err as Error).message}`,
    );
  }
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  await admin.end();

  const databaseUrl = databaseUrlFor(databaseName);
  // Through the project's own db script (built by `npm test`), as an operator would run it.
  const dbScript = path.join(__dirname, '../../dist/scripts/db.js');
  if (!fs.existsSync(dbScript)) throw new Error('dist/ is missing: run the tests with `npm test`, which builds first');
  execFileSync(process.execPath, [dbScript, 'seed', '--demo'], { env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' }, stdio: 'pipe' });
  const state: RunState = { databaseName, databaseUrl };
  const file = path.join(os.tmpdir(), `${databaseName}.json`);
  fs.writeFileSync(file, JSON.stringify(state));
  process.env.BANSO_TEST_RUN_STATE = file;
}
