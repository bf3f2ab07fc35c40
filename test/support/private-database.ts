/**
 * A database of a test file's own, migrated from the checked-in migrations: for tests whose
 * notification relay must not share the outbox with the hubs other test files run in parallel.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { openDatabase, type Database } from '../../services/shared/database';
import { databaseUrlFor, readRunState, TEST_BASE_DATABASE_URL } from './env';

export interface PrivateDatabase {
  db: Database;
  url: string;
  drop(): Promise<void>;
}

export async function privateDatabase(label: string): Promise<PrivateDatabase> {
  const name = `${readRunState().databaseName}_${label}`.slice(0, 63);
  const admin = new Client({ connectionString: TEST_BASE_DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = databaseUrlFor(name);
  // Through the built db script, as global-setup does (the wasm schema engine needs ESM, which jest's VM lacks).
  execFileSync(process.execPath, [path.join(__dirname, '../../dist/scripts/db.js'), 'migrate'], { env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' }, stdio: 'pipe' });
  const db = await openDatabase({ databaseUrl: url, dataDir: undefined, poolSize: 8 });
  return {
    db,
    url,
    drop: async () => {
      await db.close();
      const c = new Client({ connectionString: TEST_BASE_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
