/**
 * `npm run bench:referrals`: the referral inbox page (issue 5) at 100,000 firms and 1,000,000
 * referrals, through the hub's gateway, beside the same data read by one direct SQL statement in the
 * same run.
 *
 * Data (a fresh PostgreSQL database, loaded with set-based SQL: one INSERT … SELECT per table):
 * - the directory seed plus 200 generated bodies; one staff account per body (SUPPORTER);
 * - 100,000 firms, each held by one body (skewed: a few bodies hold many firms), one FirmHolding each;
 * - 1,000,000 referrals: each picks a firm and one of three partner bodies of that firm (skewed; the
 *   benchmarked body, 新潟商工会議所, is the partner of 4% of the firm/slot pairs), sent by the firm's
 *   holder; statuses mixed, sent over the past year, the unanswered ones either due in the next days
 *   (box NEW) or overdue; accepted, in-progress, on-hold and completed ones assigned to a staff member;
 * - one consent (PROFILE, ISSUES; shared) per firm, sender and recipient actually used; 2% of them
 *   withdrawn in the last month, the referrals still open under those cancelled (as withdrawConsent does).
 * Then VACUUM ANALYZE (so that autovacuum does not run into the measurements) and a CHECKPOINT.
 *
 * Rows: for box NEW and box IN_PROGRESS, the inbox page's operation (`referralInbox(box, first: 50)`
 * with firm, sender, recipient and assignee) POSTed to the gateway with a supporter's session cookie,
 * and one SQL statement returning the same 50 rows (firm, both bodies' names, the assignee's name)
 * and the box's count, with a pg Pool of the same size as the load's connections. Same concurrency,
 * same duration, same warm-up. Before timing, the gateway's answer is checked against the SQL's
 * (same referrals in the same order, same names, same count); during the gateway runs every response
 * must have 50 nodes and no errors, or the bench fails. The notes give each path's p50 with one
 * request at a time ("alone"), i.e. without the queueing that ten connections on two cores add.
 *
 * The hub runs in this process as `npm start` runs it (every subgraph and the gateway on the main
 * thread, one database pool of 10); autocannon runs in a worker thread.
 *
 * Environment: BENCH_REFERRALS_SCALE (default 1) scales firms and referrals for a quick try (0.1 is
 * the smallest that still fills a page of NEW); BENCH_KEEP_DATABASE=1 keeps the database for EXPLAIN.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import type { OrganisationCategory } from '../../generated/prisma/enums';
import { seedDirectory } from '../../prisma/seed/directory.seed';
import { AccountsStore } from '../../services/accounts/accounts.store';
import { hashPassword } from '../../services/accounts/credentials';
import { searchTextOf } from '../../services/directory/search-text';
import { redact } from '../../services/shared/config';
import { openDatabase } from '../../services/shared/database';
import { createLogger, setLogLevel } from '../../services/shared/logger';
import { benchDatabase, benchTempDir, openBenchDatabase, startBenchHub } from './bench-database';
import { DEFAULT_BASE_DATABASE_URL, type BenchContext, type BenchResult } from './report';

// ---------------------------------------------------------------------------------------------
// Settings

const SCALE = Number(process.env.BENCH_REFERRALS_SCALE) > 0 ? Number(process.env.BENCH_REFERRALS_SCALE) : 1;

export const REFERRALS_BENCH_SETTINGS = {
  firms: Math.round(100_000 * SCALE),
  referrals: Math.round(1_000_000 * SCALE),
  generatedBodies: 200,
  benchmarkedBody: 'niigata-cci',
  /** Share of firm/partner-slot pairs whose partner is the benchmarked body (≈ its share of all referrals). */
  benchmarkedBodyShare: 0.04,
  /** Share of consents withdrawn (their open referrals cancelled, as withdrawConsent does). */
  withdrawnConsentShare: 0.02,
  /** Partner bodies per firm: a firm's referrals go to one of these. */
  partnersPerFirm: 3,
  assignees: 5,
  pageSize: 50,
  connections: 10,
  warmupSeconds: 3,
  measureSeconds: 15,
  databasePool: 10,
  /** Requests sent one at a time before the load, for the latency without queueing ("alone"). */
  aloneRequests: 20,
  loadGenerator: 'autocannon 8, one worker thread (gateway); async loop over a pg Pool (direct SQL)',
  boxes: ['NEW', 'IN_PROGRESS'],
} as const;

const S = REFERRALS_BENCH_SETTINGS;
const REQUEST_TIMEOUT_SECONDS = 10;
const RUN_GRACE_MS = 30_000;
const PASSWORD = `bench-${crypto.randomBytes(12).toString('hex')}`;

// ---------------------------------------------------------------------------------------------
// autocannon (v8 ships no type declarations; this is the part of its API used here)

export interface AutocannonOptions {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
  timeout: number;
  workers?: number;
  /** In worker mode: path of a CommonJS module exporting (body: string) => boolean. */
  verifyBody?: string;
}

export interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  non2xx: number;
  resets: number;
  latency: { p50: number; p99: number; average: number };
  requests: { total: number };
}

type Autocannon = (opts: AutocannonOptions, done: (err: Error | null, result: AutocannonResult) => void) => { stop(): void };

const autocannon = require('autocannon') as Autocannon;

export function runLoad(opts: AutocannonOptions): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let instance: { stop(): void } | undefined;
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

function problemsOf(r: AutocannonResult): string {
  const problems = (
    [
      ['errors', r.errors],
      ['timeouts', r.timeouts],
      ['non-2xx', r.non2xx],
      ['resets', r.resets],
      ['responses without 50 nodes or with errors', r.mismatches],
    ] as const
  ).filter(([, n]) => n > 0);
  return problems.map(([what, n]) => `${n} ${what}`).join(', ');
}

// ---------------------------------------------------------------------------------------------
// Data: SQL expressions, all deterministic in the row number

/** A uniform number in [0, 1) from an integer SQL expression and a salt. */
export const u = (expr: string, salt: number) => `((hashint8((${expr})::bigint * 1000003 + ${salt}) & 2147483647)::float8 / 2147483648.0)`;
/** A version-4-shaped UUID from a text SQL expression. */
export const uid = (textExpr: string) => `overlay(overlay(md5(${textExpr}) placing '4' from 13) placing '8' from 17)::uuid`;
/** One element of a list of SQL string literals, picked by a uniform expression. */
export const pick = (values: readonly string[], uniform: string) => `(ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}])[1 + floor(${values.length} * ${uniform})::int]`;
export const NOW_UTC = `(now() AT TIME ZONE 'UTC')`;
export const days = (expr: string) => `((${expr}) * interval '1 day')`;

const FIRM_STEMS: ReadonlyArray<readonly [string, string]> = [
  ['越後', 'エチゴ'], ['山田', 'ヤマダ'], ['佐渡', 'サド'], ['北陸', 'ホクリク'], ['東和', 'トウワ'], ['大和', 'ヤマト'], ['三国', 'ミクニ'],
  ['信濃', 'シナノ'], ['朝日', 'アサヒ'], ['日進', 'ニッシン'], ['中央', 'チュウオウ'], ['丸山', 'マルヤマ'], ['高田', 'タカダ'], ['長岡', 'ナガオカ'],
  ['青葉', 'アオバ'], ['松本', 'マツモト'], ['協和', 'キョウワ'], ['光洋', 'コウヨウ'], ['白山', 'ハクサン'], ['富士', 'フジ'], ['新栄', 'シンエイ'],
  ['若葉', 'ワカバ'], ['明星', 'ミョウジョウ'], ['清水', 'シミズ'], ['平和', 'ヘイワ'], ['共栄', 'キョウエイ'], ['旭', 'アサヒ'], ['昭和', 'ショウワ'],
];
const FIRM_SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['工業', 'コウギョウ'], ['製作所', 'セイサクショ'], ['商店', 'ショウテン'], ['建設', 'ケンセツ'], ['食品', 'ショクヒン'], ['電機', 'デンキ'],
  ['運輸', 'ウンユ'], ['印刷', 'インサツ'], ['精工', 'セイコウ'], ['農園', 'ノウエン'], ['酒造', 'シュゾウ'], ['木材', 'モクザイ'],
];
const REPRESENTATIVES = ['山田 太郎', '佐藤 花子', '鈴木 一郎', '高橋 健', '田中 美穂', '伊藤 誠', '渡辺 裕子', '小林 修', '加藤 直樹', '吉田 由美'];
const REASONS = [
  '資金繰りの相談を受けたが、本質的な課題は販路の縮小にあると考えられるため、課題設定からの伴走支援をお願いしたい。',
  '事業承継の時期が迫っているが後継者が決まっておらず、経営者との対話を通じた課題の整理が必要と判断した。',
  '原材料高で利益率が低下している。価格転嫁と原価管理の見直しについて専門的な支援が必要。',
  '人手不足で受注を断っている状況。業務の見直しとデジタル化による生産性向上の支援をお願いしたい。',
];
const SUMMARIES = [
  '売上は横ばいだが営業利益は三期連続で減少。主要取引先への依存度が高い。',
  '従業員二十五名。代表は六十八歳で、親族内に後継候補はいない。',
  '新商品の開発意欲はあるが、社内に企画を担う人材がいない。',
  '設備の老朽化が進んでおり、更新投資の判断材料を求めている。',
];
const OUTCOMES = ['経営課題を整理し、販路開拓の行動計画を策定した。', '後継者候補との面談を重ね、承継計画を作成した。', '原価管理表を導入し、価格改定を実施した。'];

/** Firm f's holder: a body index in [0, bodies), skewed toward low indexes (index 0 is the benchmarked body). */
const holderOf = (f: string, bodies: number) => `floor(${bodies} * pow(${u(f, 1)}, 1.6))::int`;
export const firmId = (f: string) => uid(`'firm:' || ${f}`);
export const staffId = (idx: string) => uid(`'staff:' || ${idx}`);

/**
 * One row per referral i: firm f, its holder (the sender) and the recipient body index. The
 * recipient is one of the firm's partners (slot k = f * partners + s), never the holder itself.
 */
function referralPlan(bodies: number): string {
  const k = 'k';
  const candidate = `CASE WHEN ${u(k, 12)} < ${S.benchmarkedBodyShare} THEN 0 ELSE 1 + floor(${bodies - 1} * pow(${u(k, 13)}, 2))::int END`;
  return `
    SELECT i, f, holder, CASE WHEN cand = holder THEN (cand + 1) % ${bodies} ELSE cand END AS rcp FROM (
      SELECT i, f, holder, ${candidate} AS cand FROM (
        SELECT i, f, ${holderOf('f', bodies)} AS holder, f * ${S.partnersPerFirm} + floor(${S.partnersPerFirm} * ${u('i', 11)})::int AS k FROM (
          SELECT i, floor(${S.firms} * ${u('i', 10)})::int AS f FROM generate_series(0, ${S.referrals - 1}) AS i
        ) a
      ) b
    ) c`;
}

const KANJI = '東西南北山川田中村本井上木森林松竹梅石原野島谷口岡橋';
const KATAKANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';
const BODY_KINDS: ReadonlyArray<{ ja: string; kana: string; en: string; category: OrganisationCategory }> = [
  { ja: '商工会', kana: 'ショウコウカイ', en: 'Society of Commerce and Industry', category: 'COMMERCE_AND_INDUSTRY' },
  { ja: '信用金庫', kana: 'シンヨウキンコ', en: 'Shinkin Bank', category: 'FINANCIAL' },
  { ja: '商工会議所', kana: 'ショウコウカイギショ', en: 'Chamber of Commerce and Industry', category: 'COMMERCE_AND_INDUSTRY' },
  { ja: '税理士会支部', kana: 'ゼイリシカイシブ', en: 'Tax Accountants Association Branch', category: 'PROFESSIONAL' },
  { ja: '銀行 支店', kana: 'ギンコウ シテン', en: 'Bank Branch', category: 'FINANCIAL' },
];

function syllables(alphabet: string, n: number): string {
  const chars = [...alphabet];
  const k = chars.length;
  const m = (n * 7919) % (k * k * k);
  return `${chars[Math.floor(m / (k * k)) % k]}${chars[Math.floor(m / k) % k]}${chars[m % k]}`;
}

export interface Seeded {
  benchOrganisationId: string;
  bodies: number;
  viewerEmail: string;
  counts: Record<string, number>;
  seconds: number;
}

/**
 * What another benchmark (test/bench/reports.ts) changes in the seed; the defaults are this bench's own
 * data, generated by the very same statements.
 */
export interface ReferralSeedOptions {
  /** Days back over which referrals were sent (default 365). */
  spanDays?: number;
  /**
   * Also set respondedBusinessDays (0–10, skewed to the first days) on answered referrals, with
   * respondedAt that many business days (about 1.4 calendar days each) after sending. Default false:
   * respondedAt within three days of sending, respondedBusinessDays left null.
   */
  respondedBusinessDays?: boolean;
}

/**
 * Loads the directory seed, the generated bodies, the staff accounts (among them the benchmarked body's
 * supporter who signs in here, whose email is returned), the firms, consents and referrals, then
 * VACUUM ANALYZE and a CHECKPOINT. `c` keeps the temp table bench_body (idx, id, staff,
 * "nameJa"; idx 0 is the benchmarked body) for the caller.
 */
export async function seedReferrals(hubDb: Awaited<ReturnType<typeof openDatabase>>, c: Client, log: (line: string) => void, options: ReferralSeedOptions = {}): Promise<Seeded> {
  const started = performance.now();
  const span = options.spanDays ?? 365;
  // The generated expressions are large: compiling them (JIT) would take longer than running them.
  await c.query('SET jit = off');
  const step = async (what: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    const r = await c.query(sql, params);
    log(`  ${what}: ${(r.rowCount ?? 0).toLocaleString('en-US')} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };

  // The directory seed, as `db:seed` loads it, then the generated bodies in one statement.
  await seedDirectory(hubDb.prisma);
  const generated = Array.from({ length: S.generatedBodies }, (_, i) => {
    const kind = BODY_KINDS[i % BODY_KINDS.length] ?? BODY_KINDS[0]!;
    const nameJa = `${syllables(KANJI, i)}${kind.ja}`;
    const nameKana = `${syllables(KATAKANA, i)}${kind.kana}`;
    const nameEn = `Bench ${kind.en} ${i}`;
    return { slug: `bench-body-${i}`, nameJa, nameKana, nameEn, category: kind.category, prefectureCode: String((i % 47) + 1).padStart(2, '0'), searchText: searchTextOf(nameJa, nameKana, nameEn) };
  });
  const col = <K extends keyof (typeof generated)[number]>(k: K) => generated.map((g) => g[k]);
  await step(
    'organisations (generated)',
    `INSERT INTO "Organisation" (id, slug, "nameJa", "nameKana", "nameEn", category, "prefectureCode", "searchText", "updatedAt")
     SELECT gen_random_uuid(), slug, "nameJa", "nameKana", "nameEn", category::"OrganisationCategory", "prefectureCode", "searchText", ${NOW_UTC}
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS g(slug, "nameJa", "nameKana", "nameEn", category, "prefectureCode", "searchText")`,
    [col('slug'), col('nameJa'), col('nameKana'), col('nameEn'), col('category'), col('prefectureCode'), col('searchText')],
  );

  // Bodies by index: the benchmarked body is 0; the others in slug order.
  const bench = await c.query<{ id: string }>(`SELECT id FROM "Organisation" WHERE slug = $1`, [S.benchmarkedBody]);
  const benchOrganisationId = bench.rows[0]?.id;
  if (!benchOrganisationId) throw new Error(`seed organisation "${S.benchmarkedBody}" is missing`);
  // (CREATE TABLE AS takes no parameters; the id comes from the database.)
  const rank = `(row_number() OVER (ORDER BY id = '${benchOrganisationId}'::uuid DESC, slug) - 1)`;
  await c.query(`CREATE TEMP TABLE bench_body AS SELECT ${rank}::int AS idx, id, ${staffId(rank)} AS staff, "nameJa" FROM "Organisation"`);
  await c.query('CREATE UNIQUE INDEX ON bench_body (idx)');
  await c.query('ANALYZE bench_body');
  const bodies = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM bench_body')).rows[0]?.n ?? 0);

  // One staff account per body (senders, consent recorders, assignees of the other bodies), then the
  // benchmarked body's supporter who signs in, and its assignees, through the accounts store.
  const staffHash = await hashPassword(crypto.randomBytes(16).toString('hex'));
  await step(
    'accounts (one staff member per body)',
    `INSERT INTO "Account" (id, email, "displayName", "passwordHash", "updatedAt")
     SELECT staff, 'staff-' || idx || '@bench.example.jp', "nameJa" || ' 担当者', $1, ${NOW_UTC} FROM bench_body`,
    [staffHash],
  );
  await step(
    'account memberships',
    `INSERT INTO "AccountMembership" ("accountId", "organisationId", roles, "updatedAt") SELECT staff, id, '{SUPPORTER}'::"Role"[], ${NOW_UTC} FROM bench_body`,
  );
  const accounts = new AccountsStore(hubDb.prisma);
  const passwordHash = await hashPassword(PASSWORD);
  const viewerEmail = `inbox-${Date.now()}@bench.example.jp`;
  const viewer = await accounts.createAccount({ email: viewerEmail, displayName: '受付 担当', passwordHash });
  await accounts.upsertMembership(viewer.id, benchOrganisationId, ['SUPPORTER']);
  const assigneeIds: string[] = [];
  for (const [n, name] of ['佐藤 浩二', '中村 彩', '小川 大輔', '森 由香', '石田 亮'].slice(0, S.assignees).entries()) {
    const a = await accounts.createAccount({ email: `assignee-${n}-${Date.now()}@bench.example.jp`, displayName: name, passwordHash });
    await accounts.upsertMembership(a.id, benchOrganisationId, ['SUPPORTER']);
    assigneeIds.push(a.id);
  }

  // Firms and their holdings.
  const stem = (salt: number) => `floor(${FIRM_STEMS.length} * ${u('f', salt)})::int`;
  const suffix = `floor(${FIRM_SUFFIXES.length} * ${u('f', 4)})::int`;
  const form = u('f', 5); // < 0.7 株式会社, < 0.8 有限会社, else a sole proprietor (no 法人番号)
  const stemJa = (s: string) => `(ARRAY[${FIRM_STEMS.map(([ja]) => `'${ja}'`).join(',')}])[1 + ${s}]`;
  const stemKana = (s: string) => `(ARRAY[${FIRM_STEMS.map(([, kana]) => `'${kana}'`).join(',')}])[1 + ${s}]`;
  const sufJa = `(ARRAY[${FIRM_SUFFIXES.map(([ja]) => `'${ja}'`).join(',')}])[1 + ${suffix}]`;
  const sufKana = `(ARRAY[${FIRM_SUFFIXES.map(([, kana]) => `'${kana}'`).join(',')}])[1 + ${suffix}]`;
  const bare = `${stemJa(stem(2))} || ${stemJa(stem(3))} || ${sufJa}`;
  const nameJa = `CASE WHEN ${form} < 0.7 THEN '株式会社' || ${bare} WHEN ${form} < 0.8 THEN '有限会社' || ${bare} ELSE ${bare} END`;
  const nameKana = `${stemKana(stem(2))} || ${stemKana(stem(3))} || ${sufKana}`;
  const prefecture = `lpad((1 + f % 47)::text, 2, '0')`;
  // 法人番号: twelve digits unique per firm (multiplying by a number prime to 10 permutes them), with its check digit in front.
  const twelve = `lpad(((f::bigint * 104729 + 314159) % 1000000000000)::text, 12, '0')`;
  const checkDigit = `(9 - (SELECT sum(substr(t.twelve, p, 1)::int * CASE WHEN p % 2 = 0 THEN 1 ELSE 2 END) FROM generate_series(1, 12) AS p) % 9)::text`;
  await step(
    'firms',
    `INSERT INTO "Firm" (id, "corporateNumber", "nameJa", "nameKana", "prefectureCode", "industryDivision", "industryCode", "representativeName", "representativeTitle",
                         "matchKey", "createdByOrganisationId", "createdByAccountId", "createdAt", "updatedAt")
     SELECT ${firmId('f')}, CASE WHEN ${form} < 0.8 THEN ${checkDigit} || t.twelve END, ${nameJa}, ${nameKana}, ${prefecture},
            chr(65 + f % 20), CASE WHEN f % 3 = 0 THEN lpad((1 + f % 99)::text, 2, '0') END,
            ${pick(REPRESENTATIVES, u('f', 6))}, CASE WHEN ${form} < 0.8 THEN '代表取締役' ELSE '代表' END,
            ${prefecture} || ':' || ${stemJa(stem(2))} || ${stemJa(stem(3))} || ${sufJa},
            b.id, b.staff, ${NOW_UTC} - ${days(`400 + 800 * ${u('f', 7)}`)}, ${NOW_UTC} - ${days(`400 * ${u('f', 8)}`)}
     FROM (SELECT f, ${twelve} AS twelve FROM generate_series(0, ${S.firms - 1}) AS f) t
     JOIN bench_body b ON b.idx = ${holderOf('f', bodies)}`,
  );
  await step(
    'firm holdings',
    `INSERT INTO "FirmHolding" ("firmId", "organisationId", "capitalYen", employees, "annualSalesYen", "fiscalYearEndMonth", since, "updatedAt")
     SELECT ${firmId('f')}, b.id, (1 + floor(100 * ${u('f', 20)}))::bigint * 1000000, 1 + floor(300 * pow(${u('f', 21)}, 3))::int,
            (10 + floor(5000 * pow(${u('f', 22)}, 2)))::bigint * 1000000, 1 + f % 12, ${NOW_UTC} - ${days(`400 + 800 * ${u('f', 7)}`)}, ${NOW_UTC}
     FROM generate_series(0, ${S.firms - 1}) AS f JOIN bench_body b ON b.idx = ${holderOf('f', bodies)}`,
  );

  // One consent per firm, sender and recipient used; obtained before the oldest referral. A share
  // was withdrawn in the last month: the referrals still open under those are cancelled (below), as
  // withdrawConsent does, and the recipient no longer sees any of them.
  const consentId = (f: string, rcp: string) => uid(`'consent:' || ${f} || ':' || ${rcp}`);
  const withdrawn = (f: string, rcp: string) => `(${u(`${f} * 997 + ${rcp}`, 40)} < ${S.withdrawnConsentShare})`;
  const obtained = `${NOW_UTC} - ${days(`${span + 7} + 5 * ${u('d.f * 997 + d.rcp', 30)}`)}`;
  const withdrawnAt = `CASE WHEN ${withdrawn('d.f', 'd.rcp')} THEN ${NOW_UTC} - ${days(`30 * ${u('d.f * 997 + d.rcp', 41)}`)} END`;
  await step(
    'consents',
    `INSERT INTO "FirmConsent" (id, "firmId", "providerOrganisationId", "recipientOrganisationId", categories, method, "obtainedAt", "givenBy", "recordedByAccountId", "recordedAt", "firstSharedAt",
                               "withdrawnAt", "withdrawnByAccountId", "withdrawalNote")
     SELECT ${consentId('d.f', 'd.rcp')}, ${firmId('d.f')}, hb.id, rb.id, '{PROFILE,ISSUES}'::"ConsentCategory"[],
            (CASE WHEN d.rcp % 2 = 0 THEN 'WRITTEN' ELSE 'ELECTRONIC' END)::"ConsentMethod", ${obtained}, '代表取締役 ' || ${pick(REPRESENTATIVES, u('d.f', 6))},
            hb.staff, ${obtained} + interval '1 hour', ${obtained} + interval '2 hours',
            ${withdrawnAt}, CASE WHEN ${withdrawn('d.f', 'd.rcp')} THEN hb.staff END, CASE WHEN ${withdrawn('d.f', 'd.rcp')} THEN '企業からの申し出により撤回' END
     FROM (SELECT DISTINCT f, holder, rcp FROM (${referralPlan(bodies)}) p) d
     JOIN bench_body hb ON hb.idx = d.holder JOIN bench_body rb ON rb.idx = d.rcp`,
  );

  // The referrals, in the order they were created (so `number` grows with time, as in use).
  const st = `CASE WHEN pst < 5 THEN 'DRAFT' WHEN pst < 17 THEN 'SENT' WHEN pst < 22 THEN 'ACCEPTED' WHEN pst < 34 THEN 'IN_PROGRESS' WHEN pst < 37 THEN 'ON_HOLD'
                   WHEN pst < 75 THEN 'COMPLETED' WHEN pst < 87 THEN 'DECLINED' WHEN pst < 91 THEN 'FORWARDED' ELSE 'CANCELLED' END`;
  const stUnderConsent = `CASE WHEN st0 IN ('SENT', 'ACCEPTED', 'IN_PROGRESS', 'ON_HOLD') AND ${withdrawn('f', 'rcp')} THEN 'CANCELLED' ELSE st0 END`;
  // Unanswered: 55% sent in the last two days (due in three to five days: box NEW), the rest overdue.
  const sent = `CASE WHEN st = 'DRAFT' THEN NULL
                     WHEN st = 'SENT' AND ${u('i', 21)} < 0.55 THEN ${NOW_UTC} - ${days(`2 * ${u('i', 22)}`)}
                     WHEN st = 'SENT' THEN ${NOW_UTC} - ${days(`7 + ${span - 7} * ${u('i', 22)}`)}
                     ELSE ${NOW_UTC} - ${days(`5 + ${span - 5} * ${u('i', 22)}`)} END`;
  const answered = `st IN ('ACCEPTED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED', 'DECLINED', 'FORWARDED')`;
  // Business days to the first answer: 0–10, most within three.
  const businessDays = `floor(11 * pow(${u('i', 39)}, 2.2))::int`;
  const responded = options.respondedBusinessDays
    ? `CASE WHEN ${answered} THEN LEAST(${NOW_UTC}, "sentAt" + ${days(`"respondedBusinessDays" * 1.4 + 0.9 * ${u('i', 25)}`)}) END`
    : `CASE WHEN ${answered} THEN "sentAt" + ${days(`3 * ${u('i', 25)}`)} END`;
  const rbdColumn = options.respondedBusinessDays ? ', "respondedBusinessDays"' : '';
  const rbdValue = options.respondedBusinessDays ? `, CASE WHEN ${answered} THEN ${businessDays} END AS "respondedBusinessDays"` : '';
  const closed = `CASE WHEN st IN ('DECLINED', 'FORWARDED') THEN "respondedAt"
                       WHEN st = 'COMPLETED' THEN LEAST(${NOW_UTC}, "respondedAt" + ${days(`14 + 120 * ${u('i', 26)}`)})
                       WHEN st = 'CANCELLED' THEN LEAST(${NOW_UTC}, "sentAt" + ${days(`10 * ${u('i', 26)}`)}) END`;
  const assigned = `st IN ('IN_PROGRESS', 'ON_HOLD', 'COMPLETED') OR (st = 'ACCEPTED' AND ${u('i', 27)} < 0.7)`;
  await step(
    'referrals',
    `INSERT INTO "Referral" (id, "firmId", "consentId", "senderOrganisationId", "senderAccountId", "recipientOrganisationId", "assigneeAccountId", "supportType", urgency,
                             reason, summary, status, version, "sentAt", "responseBusinessDays", "responseDueAt", "escalatesAt", "respondedAt", "closedAt",
                             "declineReason", "outcomeSummary", "outcomeStage", "outcomeResult", "createdAt", "updatedAt"${rbdColumn})
     SELECT id, "firmId", "consentId", "senderOrganisationId", "senderAccountId", "recipientOrganisationId", "assigneeAccountId", "supportType", urgency,
            reason, summary, status, version, "sentAt", "responseBusinessDays", "responseDueAt", "escalatesAt", "respondedAt", "closedAt",
            "declineReason", "outcomeSummary", "outcomeStage", "outcomeResult", "createdAt", COALESCE("closedAt", "movedAt", "sentAt", "createdAt")${rbdColumn}
     FROM (
       SELECT *, ${closed} AS "closedAt",
              CASE WHEN st IN ('ACCEPTED', 'IN_PROGRESS', 'ON_HOLD') THEN LEAST(${NOW_UTC}, "respondedAt" + ${days(`60 * ${u('i', 28)}`)}) END AS "movedAt"
       FROM (
         SELECT *, ${responded} AS "respondedAt", "sentAt" + interval '5 days' AS "responseDueAt", "sentAt" + interval '6 days' AS "escalatesAt",
                COALESCE("sentAt", ${NOW_UTC} - ${days(`30 * ${u('i', 23)}`)}) - ${days(u('i', 24))} AS "createdAt"
         FROM (
           SELECT i, st, ${uid(`'referral:' || i`)} AS id, ${firmId('p.f')} AS "firmId", ${consentId('p.f', 'p.rcp')} AS "consentId",
                  hb.id AS "senderOrganisationId", hb.staff AS "senderAccountId", rb.id AS "recipientOrganisationId",
                  CASE WHEN NOT (${assigned}) THEN NULL WHEN p.rcp = 0 THEN ($1::uuid[])[1 + floor(${S.assignees} * ${u('i', 29)})::int] ELSE rb.staff END AS "assigneeAccountId",
                  (CASE WHEN ${u('i', 31)} < 0.6 THEN 'ISSUE_SETTING' ELSE 'ISSUE_SOLVING' END)::"SupportType" AS "supportType",
                  (CASE WHEN ${u('i', 32)} < 0.1 THEN 'URGENT' WHEN ${u('i', 32)} < 0.3 THEN 'HIGH' ELSE 'NORMAL' END)::"ReferralUrgency" AS urgency,
                  ${pick(REASONS, u('i', 33))} AS reason, ${pick(SUMMARIES, u('i', 34))} AS summary, st::"ReferralStatus" AS status,
                  CASE st WHEN 'DRAFT' THEN 1 WHEN 'SENT' THEN 2 WHEN 'ACCEPTED' THEN 4 WHEN 'IN_PROGRESS' THEN 5 WHEN 'ON_HOLD' THEN 6 WHEN 'COMPLETED' THEN 7 ELSE 3 END AS version,
                  ${sent} AS "sentAt", CASE WHEN st <> 'DRAFT' THEN 3 END AS "responseBusinessDays",
                  (CASE WHEN st = 'DECLINED' THEN ${pick(['OUT_OF_SCOPE', 'NO_CAPACITY', 'OUT_OF_AREA', 'FIRM_UNREACHABLE', 'ALREADY_SUPPORTED', 'OTHER'], u('i', 35))} END)::"DeclineReason" AS "declineReason",
                  CASE WHEN st = 'COMPLETED' THEN ${pick(OUTCOMES, u('i', 36))} END AS "outcomeSummary",
                  (CASE WHEN st = 'COMPLETED' THEN ${pick(['ISSUE_SETTING', 'ISSUE_SOLVING', 'SELF_RUNNING'], u('i', 37))} END)::"OutcomeStage" AS "outcomeStage",
                  (CASE WHEN st = 'COMPLETED' THEN ${pick(['RESOLVED', 'PARTLY_RESOLVED', 'NOT_RESOLVED', 'FIRM_WITHDREW'], u('i', 38))} END)::"OutcomeResult" AS "outcomeResult"${rbdValue}
           FROM (SELECT *, ${stUnderConsent} AS st FROM (SELECT *, ${st} AS st0 FROM (SELECT *, floor(100 * ${u('i', 20)})::int AS pst FROM (${referralPlan(bodies)}) p0) p1) p2) p
           JOIN bench_body hb ON hb.idx = p.holder JOIN bench_body rb ON rb.idx = p.rcp
         ) x
       ) y
     ) z
     ORDER BY "createdAt", id`,
    [assigneeIds],
  );
  const t = performance.now();
  await c.query('VACUUM (ANALYZE) "Organisation", "Account", "AccountMembership", "Firm", "FirmHolding", "FirmConsent", "Referral"');
  log(`  VACUUM ANALYZE: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  // So that the checkpoint of the load does not fall into a measurement (needs superuser or pg_checkpoint).
  await c.query('CHECKPOINT').catch(() => undefined);
  const seconds = (performance.now() - started) / 1000;

  const counts: Record<string, number> = {};
  for (const table of ['Organisation', 'Account', 'Firm', 'FirmHolding', 'FirmConsent', 'Referral']) {
    counts[table] = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`)).rows[0]?.n ?? 0);
  }
  return { benchOrganisationId, bodies, viewerEmail, counts, seconds };
}

// ---------------------------------------------------------------------------------------------
// The inbox: through the gateway, and as one SQL statement

type Box = (typeof S.boxes)[number];

const INBOX = /* GraphQL */ `
  query BenchReferralInbox($box: ReferralBox!) {
    referralInbox(box: $box, first: ${S.pageSize}) {
      totalCount
      nodes {
        id reference status urgency sentAt
        clock { dueAt businessDaysLeft overdue }
        firm { id nameJa nameKana prefectureCode }
        sender { id nameJa }
        recipient { id nameJa }
        assignee { id displayName }
      }
      pageInfo { endCursor hasNextPage }
    }
  }
`;

interface InboxNode {
  id: string;
  firm: { nameJa: string } | null;
  sender: { nameJa: string };
  recipient: { nameJa: string };
  assignee: { displayName: string } | null;
}

interface InboxPage {
  totalCount: number;
  nodes: InboxNode[];
}

/**
 * The same page and count in one statement, as the store defines the boxes: received, consent not
 * withdrawn; NEW by deadline (due from now on), IN_PROGRESS newest change first. The firm only while
 * it is not merged (the referral's own consent, shared when it was sent, lets the receiver see it). The box is inlined into both the page
 * and the count (NOT MATERIALIZED), so each can use whatever index suits it.
 */
function directSql(box: Box): string {
  const byDeadline = box === 'NEW';
  const [key, dir] = byDeadline ? ['"responseDueAt"', 'ASC'] : ['"updatedAt"', 'DESC'];
  const where = byDeadline ? `r.status = 'SENT' AND r."responseDueAt" >= ($2::timestamptz AT TIME ZONE 'UTC')` : `r.status IN ('ACCEPTED', 'IN_PROGRESS', 'ON_HOLD') AND $2::timestamptz IS NOT NULL`;
  return `
    WITH box AS NOT MATERIALIZED (
      SELECT r.id, r.number, r.status, r.urgency, r."sentAt", r."responseDueAt", r."responseBusinessDays", r."respondedAt", r."updatedAt",
             r."firmId", r."senderOrganisationId", r."recipientOrganisationId", r."assigneeAccountId"
      FROM "Referral" r
      WHERE r."recipientOrganisationId" = $1::uuid AND ${where} AND r."consentId" IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM "FirmConsent" c WHERE c.id = r."consentId" AND c."withdrawnAt" IS NOT NULL)
    ), page AS (
      SELECT * FROM box ORDER BY ${key} ${dir}, id ${dir} LIMIT ${S.pageSize}
    )
    SELECT p.id, p.number, p.status, p.urgency, p."sentAt", p."responseDueAt", p."responseBusinessDays", p."respondedAt",
           f.id AS "firmId", f."nameJa" AS "firmNameJa", f."nameKana" AS "firmNameKana", f."prefectureCode",
           s.id AS "senderId", s."nameJa" AS "senderNameJa", rc.id AS "recipientId", rc."nameJa" AS "recipientNameJa",
           a.id AS "assigneeId", a."displayName" AS "assigneeDisplayName",
           (SELECT count(*) FROM box) AS "totalCount"
    FROM page p
    LEFT JOIN "Firm" f ON f.id = p."firmId" AND f."mergedIntoId" IS NULL
    JOIN "Organisation" s ON s.id = p."senderOrganisationId"
    JOIN "Organisation" rc ON rc.id = p."recipientOrganisationId"
    LEFT JOIN "Account" a ON a.id = p."assigneeAccountId"
    ORDER BY p.${key} ${dir}, p.id ${dir}`;
}

interface DirectRow {
  id: string;
  firmNameJa: string | null;
  senderNameJa: string;
  recipientNameJa: string;
  assigneeDisplayName: string | null;
  totalCount: string;
}

async function postInbox(url: string, headers: Record<string, string>, box: Box): Promise<InboxPage> {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: INBOX, variables: { box } }), signal: AbortSignal.timeout(REQUEST_TIMEOUT_SECONDS * 1000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`gateway answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as { data?: { referralInbox?: InboxPage }; errors?: unknown };
  if (body.errors !== undefined || !body.data?.referralInbox) throw new Error(`gateway answered with errors: ${text.slice(0, 300)}`);
  return body.data.referralInbox;
}

/** The gateway's page must be the SQL statement's: same referrals in order, same names, same count. */
function compare(box: Box, page: InboxPage, rows: DirectRow[]): void {
  const fail = (what: string) => {
    throw new Error(`box ${box}: the gateway and the direct SQL disagree: ${what}`);
  };
  if (page.nodes.length !== S.pageSize) fail(`the gateway returned ${page.nodes.length} nodes, not ${S.pageSize} (is the box big enough?)`);
  if (rows.length !== page.nodes.length) fail(`${rows.length} rows against ${page.nodes.length} nodes`);
  if (Number(rows[0]?.totalCount) !== page.totalCount) fail(`count ${rows[0]?.totalCount} against totalCount ${page.totalCount}`);
  page.nodes.forEach((n, i) => {
    const r = rows[i]!;
    const gateway = [n.id, n.firm?.nameJa ?? null, n.sender.nameJa, n.recipient.nameJa, n.assignee?.displayName ?? null];
    const sql = [r.id, r.firmNameJa, r.senderNameJa, r.recipientNameJa, r.assigneeDisplayName];
    if (JSON.stringify(gateway) !== JSON.stringify(sql)) fail(`row ${i}: ${JSON.stringify(gateway)} against ${JSON.stringify(sql)}`);
  });
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** `connections` loops, each sending the next query when the previous one returned, for `seconds`. */
async function sqlLoad(pool: Pool, sql: string, params: () => unknown[], seconds: number): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: S.connections }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const r = await pool.query(sql, params());
        if (r.rows.length !== S.pageSize) throw new Error(`direct SQL returned ${r.rows.length} rows, not ${S.pageSize}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

/** p50 of `n` requests sent one after another: the latency without queueing. */
export async function alone(n: number, send: () => Promise<unknown>): Promise<number> {
  const latencies: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t = performance.now();
    await send();
    latencies.push(performance.now() - t);
  }
  return percentile(latencies.sort((a, b) => a - b), 50);
}

function writeVerifyHook(dir: string): string {
  const file = path.join(dir, 'verify-inbox.cjs');
  fs.writeFileSync(
    file,
    `'use strict';\n// Written by test/bench/referrals.ts: a response counts only with ${S.pageSize} nodes and no errors.\n` +
      `module.exports = function verifyBody(body) {\n  try {\n    const j = JSON.parse(body);\n` +
      `    return !j.errors && !!j.data && !!j.data.referralInbox && j.data.referralInbox.nodes.length === ${S.pageSize};\n  } catch (e) {\n    return false;\n  }\n};\n`,
  );
  return file;
}

// ---------------------------------------------------------------------------------------------


export async function benchReferrals(ctx: Partial<BenchContext> = {}, env: NodeJS.ProcessEnv = process.env): Promise<BenchResult[]> {
  setLogLevel('warn');
  const logger = createLogger('bench');
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const baseUrl = ctx.baseDatabaseUrl ?? DEFAULT_BASE_DATABASE_URL;
  const bench = await benchDatabase('referrals', baseUrl, env, log, logger);
  const { cleanups } = bench;
  try {
    const databaseUrl = bench.url;
    logger.warn('referrals bench', { database: redact(databaseUrl), firms: S.firms, referrals: S.referrals });

    const { db, loader } = await openBenchDatabase(bench, S.databasePool);
    log(`seeding ${S.firms.toLocaleString('en-US')} firms and ${S.referrals.toLocaleString('en-US')} referrals:`);
    const seeded = await seedReferrals(db, loader, log);
    await loader.end();
    cleanups.pop();
    log(`seeded in ${seeded.seconds.toFixed(1)} s: ${Object.entries(seeded.counts).map(([t, n]) => `${n.toLocaleString('en-US')} ${t}`).join(', ')}`);

    // The hub as `npm start` runs it, over the same database (one pool of S.databasePool).
    const { origin, graphqlUrl } = await startBenchHub(bench, db, 'referrals');

    // Sign in as the browser does.
    const signIn = await fetch(`${origin}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: seeded.viewerEmail, password: PASSWORD }) });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    if (signIn.status !== 200 || !cookie.includes('=')) throw new Error(`sign-in failed: HTTP ${signIn.status} ${await signIn.text()}`);
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', cookie };

    const pool = new Pool({ connectionString: databaseUrl, max: S.connections });
    cleanups.push({ what: 'close pg pool', run: () => pool.end() });
    const hookDir = benchTempDir(bench, 'banso-bench-referrals-hooks-');
    const verifyBody = writeVerifyHook(hookDir);
    const received = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "Referral" WHERE "recipientOrganisationId" = $1 AND status <> 'DRAFT'`, [seeded.benchOrganisationId])).rows[0]?.n ?? 0);

    const results: BenchResult[] = [];
    for (const box of S.boxes) {
      const sql = directSql(box);
      const params = () => [seeded.benchOrganisationId, new Date().toISOString()];
      // Before timing: the two paths must return the same page.
      const page = await postInbox(graphqlUrl, headers, box);
      const direct = (await pool.query<DirectRow>(sql, params())).rows;
      compare(box, page, direct);
      const assigned = page.nodes.filter((n) => n.assignee).length;
      if (box === 'IN_PROGRESS' && assigned === 0) throw new Error('box IN_PROGRESS: no assignee on the first page');
      const boxNote = `box ${page.totalCount.toLocaleString('en-US')} of ${received.toLocaleString('en-US')} received`;
      const gatewayAlone = await alone(S.aloneRequests, () => postInbox(graphqlUrl, headers, box));
      const sqlAlone = await alone(S.aloneRequests, () => pool.query(sql, params()));

      logger.warn('measuring', { box, target: 'gateway', connections: S.connections, seconds: S.measureSeconds });
      const opts: AutocannonOptions = {
        url: graphqlUrl,
        method: 'POST',
        headers,
        body: JSON.stringify({ query: INBOX, variables: { box } }),
        connections: S.connections,
        duration: S.warmupSeconds,
        timeout: REQUEST_TIMEOUT_SECONDS,
        workers: 1,
        verifyBody,
      };
      const warm = await runLoad(opts);
      if (problemsOf(warm)) throw new Error(`box ${box}, gateway warm-up: ${problemsOf(warm)}`);
      const g = await runLoad({ ...opts, duration: S.measureSeconds });
      if (problemsOf(g)) throw new Error(`box ${box}, gateway: ${problemsOf(g)} (of ${g.requests.total} requests)`);
      const gRps = g.duration > 0 ? g.requests.total / g.duration : 0;

      logger.warn('measuring', { box, target: 'direct SQL', connections: S.connections, seconds: S.measureSeconds });
      await sqlLoad(pool, sql, params, S.warmupSeconds);
      const d = await sqlLoad(pool, sql, params, S.measureSeconds);
      const dRps = d.latencies.length / d.seconds;
      const dP50 = percentile(d.latencies, 50);
      const dP99 = percentile(d.latencies, 99);

      results.push({
        name: `gateway · referralInbox(${box}, first: ${S.pageSize})`,
        requests: g.requests.total,
        rps: gRps,
        p50Ms: g.latency.p50,
        p99Ms: g.latency.p99,
        notes: `${(g.latency.p50 / dP50).toFixed(1)}× direct p50, ${(dRps / gRps).toFixed(1)}× fewer req/s; alone p50 ${gatewayAlone.toFixed(0)} ms; ${box === 'IN_PROGRESS' ? `${assigned} of ${page.nodes.length} assigned on page 1; ` : ''}all ${S.pageSize} nodes, no errors`,
      });
      results.push({
        name: `direct SQL · ${box} page + count, one statement`,
        requests: d.latencies.length,
        rps: dRps,
        p50Ms: dP50,
        p99Ms: dP99,
        notes: `${boxNote}; alone p50 ${sqlAlone.toFixed(1)} ms`,
      });
    }
    log(`\n${S.connections} connections, ${S.measureSeconds} s after a ${S.warmupSeconds} s warm-up; seeding took ${seeded.seconds.toFixed(1)} s\n`);
    return results;
  } finally {
    await bench.close();
  }
}
