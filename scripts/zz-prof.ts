import os from 'node:os';
import path from 'node:path';
import { startHub } from '../gateway/hub';
import { AccountsStore } from '../services/accounts/accounts.store';
import { hashPassword } from '../services/accounts/credentials';
import { SUBGRAPHS } from '../services/registry';
import { parseConfig } from '../services/shared/config';
import { setLogLevel } from '../services/shared/logger';

async function main() {
  setLogLevel('error');
  const config = parseConfig({ DATABASE_URL: process.env.U!, PORT: '0', ...Object.fromEntries(SUBGRAPHS.map((s) => [`${s.name.toUpperCase()}_PORT`, '0'])), NODE_ENV: 'test', LOG_LEVEL: 'error', SESSION_SECRET: 'x'.repeat(40), DATA_DIR: path.join(os.tmpdir(), `zz-${Date.now()}`) });
  const hub = await startHub({ config });
  const p = hub.database.prisma;
  const accounts = new AccountsStore(p);
  const email = `prof-${Date.now()}@bench.example.jp`;
  const a = await accounts.createAccount({ email, displayName: 'prof', passwordHash: await hashPassword('prof-password-123!') });
  const sec = await p.organisation.findFirstOrThrow({ where: { slug: 'sme-agency-banso' } });
  await accounts.upsertMembership(a.id, sec.id, ['SECRETARIAT']);
  const res = await fetch(new URL('auth/sign-in', hub.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'prof-password-123!' }) });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const q = require('fs').readFileSync('/tmp/dashboard.graphql', 'utf8');
  const one = async () => {
    const t = performance.now();
    const r = await fetch(new URL('graphql', hub.url), { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'apollo-require-preflight': '1' }, body: JSON.stringify({ query: q, variables: { filter: { fiscalYear: 2025 } } }) });
    const text = await r.text();
    if (!text.includes('"ok":true')) throw new Error(text.slice(0, 300));
    return performance.now() - t;
  };
  for (let i = 0; i < 5; i++) await one();
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < Number(process.env.N ?? 40); i++) times.push(await one());
  const cpu = process.cpuUsage(cpu0);
  times.sort((x, y) => x - y);
  console.log('p50', times[Math.floor(times.length / 2)]!.toFixed(0), 'max', times[times.length - 1]!.toFixed(0), 'cpu/req ms', ((cpu.user + cpu.system) / 1000 / times.length).toFixed(1));
  await hub.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
