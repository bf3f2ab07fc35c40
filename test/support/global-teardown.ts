import fs from 'node:fs';
import { Client } from 'pg';
import { readRunState, TEST_BASE_DATABASE_URL } from './env';

export default async function globalTeardown(): Promise<void> {
  const file = process.env.BANSO_TEST_RUN_STATE;
  if (!file || !fs.existsSync(file)) return;
  const { databaseName } = readRunState();
  const admin = new Client({ connectionString: TEST_BASE_DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  // Test files' private databases (test/support/private-database.ts) left by an interrupted run.
  const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${databaseName}\_%`]);
  for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
  await admin.end();
  fs.rmSync(file, { force: true });
}
