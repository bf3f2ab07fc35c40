/**
 * `npm run bench [-- <filter>...]`: runs every benchmark module (or those whose name contains a
 * filter), prints each table and writes a JSON copy to bench-results/<name>-<timestamp>.json.
 *
 * The one setting read from the environment is TEST_DATABASE_URL, a PostgreSQL URL whose user may
 * create and drop databases (default postgresql://postgres@127.0.0.1:5432/postgres).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../services/registry';
import { redact } from '../../services/shared/config';
import { benchGatewayExecutors, GATEWAY_EXECUTOR_SETTINGS } from './gateway-executors';
import { benchNotifications, NOTIFICATIONS_BENCH_SETTINGS } from './notifications';
import { benchReferrals, REFERRALS_BENCH_SETTINGS } from './referrals';
import { benchReports, REPORTS_BENCH_SETTINGS } from './reports';
import { benchSupporters, SUPPORTERS_BENCH_SETTINGS } from './supporters';
import { DEFAULT_BASE_DATABASE_URL, printTable, type BenchContext, type BenchResult } from './report';

interface BenchModule {
  name: string;
  title: string;
  settings: Readonly<Record<string, unknown>>;
  run(ctx: BenchContext): Promise<BenchResult[]>;
}

/** Every benchmark in test/bench; a new one is added here. */
const MODULES: readonly BenchModule[] = [
  {
    name: 'gateway-executors',
    title: 'Gateway executors: @graphql-tools/federation vs @apollo/gateway vs the subgraph directly',
    settings: GATEWAY_EXECUTOR_SETTINGS,
    run: benchGatewayExecutors,
  },
  {
    name: 'notifications',
    title: 'Notifications: outbox → relay → BullMQ → inbox, beside raw BullMQ in the same run',
    settings: NOTIFICATIONS_BENCH_SETTINGS,
    run: (ctx) => benchNotifications(ctx),
  },
  {
    name: 'referrals',
    title: 'Referral inbox at 100k firms and 1M referrals: through the gateway, beside one direct SQL statement in the same run',
    settings: REFERRALS_BENCH_SETTINGS,
    run: (ctx) => benchReferrals(ctx),
  },
  {
    name: 'reports',
    title: 'Report dashboard for a whole fiscal year at 1M referrals and 50k engagements: through the gateway, beside one direct SQL statement in the same run',
    settings: REPORTS_BENCH_SETTINGS,
    run: (ctx) => benchReports(ctx),
  },
  {
    name: 'supporters',
    title: 'Supporter search over 5,000 supporters: through the gateway, beside one direct SQL statement in the same run',
    settings: SUPPORTERS_BENCH_SETTINGS,
    run: (ctx) => benchSupporters(ctx),
  },
];

export const RESULTS_DIR = path.join(REPO_ROOT, 'bench-results');

function readContext(env: NodeJS.ProcessEnv): BenchContext {
  const baseDatabaseUrl = env.TEST_DATABASE_URL || DEFAULT_BASE_DATABASE_URL;
  if (!/^postgres(ql)?:\/\//.test(baseDatabaseUrl)) {
    throw new Error(`TEST_DATABASE_URL must be a postgres:// or postgresql:// URL (got "${redact(baseDatabaseUrl)}")`);
  }
  return { baseDatabaseUrl };
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const filters = argv.filter((a) => !a.startsWith('-')).map((a) => a.toLowerCase());
  const selected = MODULES.filter((m) => filters.length === 0 || filters.some((f) => m.name.includes(f)));
  if (selected.length === 0) {
    process.stderr.write(`no benchmark matches ${filters.join(', ')}; there are: ${MODULES.map((m) => m.name).join(', ')}\n`);
    return 2;
  }
  const ctx = readContext(process.env);
  const host = machine();
  process.stdout.write(`machine: ${host.cpus} × ${host.cpuModel}, ${host.memoryGiB} GiB, ${host.platform}, Node ${host.node}\n`);

  let failed = 0;
  for (const mod of selected) {
    const startedAt = new Date();
    process.stdout.write(`\n## ${mod.title}\n\n`);
    let results: BenchResult[];
    try {
      results = await mod.run(ctx);
    } catch (err) {
      failed += 1;
      process.stderr.write(`${mod.name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      continue;
    }
    printTable(results);
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${mod.name}-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    const record = { benchmark: mod.name, title: mod.title, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), machine: host, settings: mod.settings, results };
    fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
    process.stdout.write(`\nwritten to ${path.relative(REPO_ROOT, file)}\n`);
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Keep-alive sockets of the HTTP clients can hold the event loop open for a while after the servers stop.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
