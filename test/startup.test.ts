/**
 * The hub's processes as a user starts them: `npm start` on the embedded database, the separate
 * processes of `npm run start:services` on PostgreSQL, and the one-line failures at start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readRunState } from './support/env';
import { graphql, signIn } from './support/hub';
import { spawnDist, type Spawned } from './support/process';

const COUNT = '{ organisations(filter: { councilRole: MEMBER }) { totalCount } organisationCategoryCounts { category count } }';

describe('npm start on the embedded database', () => {
  let dataDir: string;
  let hub: Spawned;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-embedded-'));
  });
  afterAll(async () => {
    await hub?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('boots on PGlite in DATA_DIR, migrated and seeded, serving the API and the web app', async () => {
    hub = spawnDist('gateway/main.js', { DATA_DIR: dataDir, PORT: '0', DIRECTORY_PORT: '0', ACCOUNTS_PORT: '0', NOTIFICATIONS_PORT: '0', REFERRALS_PORT: '0', ENGAGEMENTS_PORT: '0', MEETINGS_PORT: '0', REPORTS_PORT: '0', LOG_LEVEL: 'warn' });
    const [, url] = await hub.waitFor(/is running: (http:\/\/localhost:\d+\/)/, 90_000);
    expect(hub.output()).toContain(`embedded (${dataDir})`);
    // One demo account per role, printed in the demo mode.
    await hub.waitFor(/Demo accounts/, 5000);
    for (const role of ['HUB_ADMIN', 'SECRETARIAT', 'OBSERVER', 'ORG_ADMIN', 'SUPPORTER', 'TEAM_LEAD']) expect(hub.output()).toMatch(new RegExp(`${role}[+A-Z_]*\\s+\\S+@`));

    const res = await graphql<{ organisations: { totalCount: number } }>(url, COUNT);
    expect(res.body.data!.organisations.totalCount).toBe(16);
    const ready = await fetch(new URL('readyz', url));
    expect(ready.status).toBe(200);
    expect(fs.existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    // Notifications: a private redis-server in DATA_DIR/redis, flowing.
    expect(hub.output()).toMatch(/queue:\s+private redis-server/);
    expect(fs.existsSync(path.join(dataDir, 'redis'))).toBe(true);
    const deadline = Date.now() + 20_000;
    let notifications = '';
    while (Date.now() < deadline && notifications !== 'ok') {
      notifications = ((await (await fetch(new URL('readyz', url))).json()) as { notifications: string }).notifications;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(notifications).toBe('ok');

    // A burst of requests through two subgraphs (accounts, then the directory for the organisation)
    // leaves no abort listeners behind on the gateway's long-lived signals: no leak warning.
    const { cookie } = await signIn(url, 'hub-admin@banso.example.jp');
    for (let i = 0; i < 150; i += 1) {
      const me = await graphql<{ viewer: { activeOrganisation: { nameJa: string } } }>(url, '{ viewer { account { email } activeOrganisation { nameJa } } }', {}, { cookie });
      expect(me.body.data!.viewer.activeOrganisation.nameJa).toBeTruthy();
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(hub.output()).not.toMatch(/MaxListenersExceeded/);

    const page = await fetch(new URL('organisations', url), { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html[^>]*lang="ja"/);

    expect(await hub.stop()).toBe(0);
  });

  test('a second hub on the same data directory refuses to start while the first runs', async () => {
    hub = spawnDist('gateway/main.js', { DATA_DIR: dataDir, PORT: '0', DIRECTORY_PORT: '0', ACCOUNTS_PORT: '0', NOTIFICATIONS_PORT: '0', REFERRALS_PORT: '0', ENGAGEMENTS_PORT: '0', MEETINGS_PORT: '0', REPORTS_PORT: '0', LOG_LEVEL: 'warn' });
    await hub.waitFor(/is running: (http:\/\/localhost:\d+\/)/, 90_000);
    const second = spawnDist('gateway/main.js', { DATA_DIR: dataDir, PORT: '0', DIRECTORY_PORT: '0', ACCOUNTS_PORT: '0', NOTIFICATIONS_PORT: '0', REFERRALS_PORT: '0', ENGAGEMENTS_PORT: '0', MEETINGS_PORT: '0', REPORTS_PORT: '0', LOG_LEVEL: 'warn' });
    expect(await second.exit()).toBe(1);
    expect(second.output().trim().split('\n')).toEqual([expect.stringMatching(/^伴走ハブ: the embedded database in .* is in use by another hub process \(pid \d+\)/)]);
    expect(await hub.stop()).toBe(0);
  });

  test('a second start reuses the data and seeds nothing twice', async () => {
    hub = spawnDist('gateway/main.js', { DATA_DIR: dataDir, PORT: '0', DIRECTORY_PORT: '0', ACCOUNTS_PORT: '0', NOTIFICATIONS_PORT: '0', REFERRALS_PORT: '0', ENGAGEMENTS_PORT: '0', MEETINGS_PORT: '0', REPORTS_PORT: '0', LOG_LEVEL: 'warn' });
    const [, url] = await hub.waitFor(/is running: (http:\/\/localhost:\d+\/)/, 90_000);
    const res = await graphql<{ organisations: { totalCount: number }; organisationCategoryCounts: Array<{ count: number }> }>(url, COUNT);
    expect(res.body.data!.organisations.totalCount).toBe(16);
    expect(res.body.data!.organisationCategoryCounts.reduce((s, c) => s + c.count, 0)).toBe(25);
    expect(await hub.stop()).toBe(0);
  });
});

describe('npm run start:services against PostgreSQL', () => {
  let procs: Spawned | undefined;
  afterAll(async () => {
    await procs?.stop();
  });

  test('runs each subgraph and the gateway as separate processes and answers the same queries', async () => {
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const directoryPort = String(Number(port) + 1);
    procs = spawnDist('scripts/start-services.js', { DATABASE_URL: readRunState().databaseUrl, PORT: port, DIRECTORY_PORT: directoryPort, ACCOUNTS_PORT: String(Number(port) + 2), NOTIFICATIONS_PORT: String(Number(port) + 3), REFERRALS_PORT: String(Number(port) + 4), ENGAGEMENTS_PORT: String(Number(port) + 5), MEETINGS_PORT: String(Number(port) + 6), REPORTS_PORT: String(Number(port) + 7), LOG_LEVEL: 'warn' });
    const [, url] = await procs.waitFor(/is running: (http:\/\/localhost:\d+\/)/, 60_000);
    const res = await graphql<{ organisations: { totalCount: number } }>(url, COUNT);
    expect(res.body.data!.organisations.totalCount).toBe(16);
    const ready = (await (await fetch(new URL('readyz', url))).json()) as { checks: Record<string, string> };
    expect(ready.checks).toEqual({ database: 'ok', 'subgraph:directory': 'ok', 'subgraph:accounts': 'ok', 'subgraph:notifications': 'ok', 'subgraph:referrals': 'ok', 'subgraph:engagements': 'ok', 'subgraph:meetings': 'ok', 'subgraph:reports': 'ok' });
    expect(await procs.stop()).toBe(0);
  });
});

describe('failures at start', () => {
  test('an unreachable database stops start-up with one clear line and a non-zero exit', async () => {
    const proc = spawnDist('gateway/main.js', { DATABASE_URL: 'postgresql://banso:secret-pw@127.0.0.1:1/nowhere', PORT: '0', DIRECTORY_PORT: '0', ACCOUNTS_PORT: '0' });
    expect(await proc.exit()).toBe(1);
    const lines = proc.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^伴走ハブ: cannot reach the database \(postgresql:\/\/banso:\*\*\*@127\.0\.0\.1:1\/nowhere\)/);
    expect(proc.output()).not.toContain('secret-pw');
    expect(proc.output()).not.toMatch(/\n\s+at /);
  });

  test('malformed configuration names every bad variable in one line', async () => {
    const proc = spawnDist('gateway/main.js', { PORT: 'http', NODE_ENV: 'production', DATA_DIR: os.tmpdir() });
    expect(await proc.exit()).toBe(1);
    const lines = proc.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
    expect(lines[0]).toContain('DATABASE_URL is required when NODE_ENV=production');
  });
});
