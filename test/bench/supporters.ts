/**
 * `npm run bench:supporters`: the team builder's supporter search (issue 6) over 5,000 supporters,
 * through the hub's gateway, beside the same page read by one direct SQL statement in the same run.
 *
 * Data (a fresh PostgreSQL database):
 * - the directory seed plus 200 generated bodies (商工会・商工会議所, 信用金庫・銀行, 士業の支部,
 *   診断士協会の支部, spread over the 47 prefectures);
 * - 5,000 supporters generated in the process from a seeded PRNG and inserted in one statement:
 *   a profile (経営指導員, 中小企業診断士, 税理士, 公認会計士, 弁護士, 社労士, 行政書士, 金融機関職員)
 *   gives the qualifications and a pool of 1–3 specialities; 1–3 prefectures skewed to a few
 *   (東京 13, 新潟 15, 大阪 27, 愛知 23, …); capacity 2–10; a Japanese name with its kana reading,
 *   its romaji and the search text the directory stores (searchTextOf);
 * - one primary membership per supporter to a body of the matching kind in their first prefecture
 *   (else of that kind anywhere), and a second one for 20% of them;
 * - an account (TEAM_LEAD in their primary body) for 20% of the supporters: they lead the
 *   engagements, which counts in their load as the store counts it;
 * - 4,000 engagements (3,000 ACTIVE, 1,000 CLOSED), one firm each, led by those supporters, with 2–5
 *   team members picked with a skew (the busiest supporters carry many, some over capacity), statuses
 *   mixed (ACCEPTED, INVITED, DECLINED, LEFT, REMOVED) — accounts, firms, engagements and members with
 *   set-based SQL.
 * Then VACUUM ANALYZE and a CHECKPOINT.
 *
 * Rows: three team-builder queries — (a) 新潟 (15) with FINANCE, (b) 東京 (13), SME_CONSULTANT, only
 * those below capacity, (c) the name search "やま" — each `supporterSearch(filter, first: 30)` with
 * person, organisations, load, capacity, atCapacity, totalCount and pageInfo, POSTed to the gateway
 * with a team lead's session cookie, and one SQL statement returning the same page (people, their
 * bodies' names, load) and the count with `pg`. At 10 connections and at 1 connection, 15 s each
 * after a 3 s warm-up. Before timing, the gateway's answer is checked against the SQL's (same people
 * in the same order, same loads, same bodies, same count); during the gateway runs every response
 * must have the expected number of nodes and no errors, or the bench fails. The notes give the CPU
 * time the hub's main thread (gateway and every subgraph) spent per request, which other processes on
 * the machine do not change as much as they change the latencies.
 *
 * The hub runs in this process as `npm start` runs it (every subgraph and the gateway on the main
 * thread, one database pool of 10); autocannon runs in a worker thread.
 *
 * Environment: BENCH_KEEP_DATABASE=1 keeps the database for EXPLAIN; BENCH_SUPPORTERS_EXPLAIN=1
 * prints EXPLAIN (ANALYZE, BUFFERS) of the store's two statements for each query before timing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import type { OrganisationCategory, Qualification, Speciality } from '../../generated/prisma/enums';
import { seedDirectory } from '../../prisma/seed/directory.seed';
import { AccountsStore } from '../../services/accounts/accounts.store';
import { hashPassword } from '../../services/accounts/credentials';
import { normaliseForSearch, searchTextOf } from '../../services/directory/search-text';
import { redact } from '../../services/shared/config';
import { openDatabase } from '../../services/shared/database';
import { createLogger, setLogLevel } from '../../services/shared/logger';
import { benchDatabase, benchTempDir, openBenchDatabase, startBenchHub } from './bench-database';
import { DEFAULT_BASE_DATABASE_URL, type BenchContext, type BenchResult } from './report';

// ---------------------------------------------------------------------------------------------
// Settings

export const SUPPORTERS_BENCH_SETTINGS = {
  supporters: 5_000,
  generatedBodies: 200,
  activeEngagements: 3_000,
  closedEngagements: 1_000,
  membersPerEngagement: [2, 5],
  /** Share of supporters with a second body. */
  secondMembershipShare: 0.2,
  /** Share of supporters with an account (TEAM_LEAD): they lead the engagements, which counts in their load. */
  accountShare: 0.2,
  viewerBody: 'niigata-cci',
  pageSize: 30,
  connections: [10, 1],
  warmupSeconds: 3,
  measureSeconds: 15,
  databasePool: 10,
  targetP99Ms: 100,
  loadGenerator: 'autocannon 8, one worker thread (gateway); async loop over a pg Pool (direct SQL)',
  queries: ['(a) region 15 + FINANCE', '(b) region 13 + SME_CONSULTANT + availableOnly', '(c) search "やま"'],
} as const;

const S = SUPPORTERS_BENCH_SETTINGS;
const REQUEST_TIMEOUT_SECONDS = 10;
const RUN_GRACE_MS = 30_000;
const PASSWORD = `bench-${crypto.randomBytes(12).toString('hex')}`;

interface SupporterFilter {
  qualifications?: Qualification[];
  specialities?: Speciality[];
  regionCode?: string;
  search?: string;
  availableOnly?: boolean;
}

const QUERIES: ReadonlyArray<{ key: string; label: string; filter: SupporterFilter }> = [
  { key: 'a', label: '(a) 15 · FINANCE', filter: { regionCode: '15', specialities: ['FINANCE'] } },
  { key: 'b', label: '(b) 13 · SME_CONSULTANT · available', filter: { regionCode: '13', qualifications: ['SME_CONSULTANT'], availableOnly: true } },
  { key: 'c', label: '(c) search "やま"', filter: { search: 'やま' } },
];

// ---------------------------------------------------------------------------------------------
// autocannon (v8 ships no type declarations; this is the part of its API used here)

interface AutocannonOptions {
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

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  non2xx: number;
  resets: number;
  latency: { p50: number; p99: number; average: number; max: number };
  requests: { total: number };
}

type Autocannon = (opts: AutocannonOptions, done: (err: Error | null, result: AutocannonResult) => void) => { stop(): void };

const autocannon = require('autocannon') as Autocannon;

function runLoad(opts: AutocannonOptions): Promise<AutocannonResult> {
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

function problemsOf(r: AutocannonResult, expectedNodes: number): string {
  const problems = (
    [
      ['errors', r.errors],
      ['timeouts', r.timeouts],
      ['non-2xx', r.non2xx],
      ['resets', r.resets],
      [`responses without ${expectedNodes} nodes or with errors`, r.mismatches],
    ] as const
  ).filter(([, n]) => n > 0);
  return problems.map(([what, n]) => `${n} ${what}`).join(', ');
}

// ---------------------------------------------------------------------------------------------
// Data

/** mulberry32: a small deterministic PRNG, so every run seeds the same people. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform number in [0, 1) from an integer SQL expression and a salt. */
const u = (expr: string, salt: number) => `((hashint8((${expr})::bigint * 1000003 + ${salt}) & 2147483647)::float8 / 2147483648.0)`;
/** A version-4-shaped UUID from a text SQL expression. */
const uid = (textExpr: string) => `overlay(overlay(md5(${textExpr}) placing '4' from 13) placing '8' from 17)::uuid`;
const NOW_UTC = `(now() AT TIME ZONE 'UTC')`;
const days = (expr: string) => `((${expr}) * interval '1 day')`;

/** Family names [kanji, katakana, romaji]: the common ones, a fair share with 山 (やま). */
const FAMILY: ReadonlyArray<readonly [string, string, string]> = [
  ['佐藤', 'サトウ', 'Sato'], ['鈴木', 'スズキ', 'Suzuki'], ['高橋', 'タカハシ', 'Takahashi'], ['田中', 'タナカ', 'Tanaka'], ['伊藤', 'イトウ', 'Ito'],
  ['渡辺', 'ワタナベ', 'Watanabe'], ['山本', 'ヤマモト', 'Yamamoto'], ['中村', 'ナカムラ', 'Nakamura'], ['小林', 'コバヤシ', 'Kobayashi'], ['加藤', 'カトウ', 'Kato'],
  ['吉田', 'ヨシダ', 'Yoshida'], ['山田', 'ヤマダ', 'Yamada'], ['佐々木', 'ササキ', 'Sasaki'], ['山口', 'ヤマグチ', 'Yamaguchi'], ['松本', 'マツモト', 'Matsumoto'],
  ['井上', 'イノウエ', 'Inoue'], ['木村', 'キムラ', 'Kimura'], ['林', 'ハヤシ', 'Hayashi'], ['斎藤', 'サイトウ', 'Saito'], ['清水', 'シミズ', 'Shimizu'],
  ['山崎', 'ヤマザキ', 'Yamazaki'], ['森', 'モリ', 'Mori'], ['池田', 'イケダ', 'Ikeda'], ['橋本', 'ハシモト', 'Hashimoto'], ['阿部', 'アベ', 'Abe'],
  ['石川', 'イシカワ', 'Ishikawa'], ['山下', 'ヤマシタ', 'Yamashita'], ['中島', 'ナカジマ', 'Nakajima'], ['石井', 'イシイ', 'Ishii'], ['小川', 'オガワ', 'Ogawa'],
  ['前田', 'マエダ', 'Maeda'], ['岡田', 'オカダ', 'Okada'], ['長谷川', 'ハセガワ', 'Hasegawa'], ['藤田', 'フジタ', 'Fujita'], ['後藤', 'ゴトウ', 'Goto'],
  ['近藤', 'コンドウ', 'Kondo'], ['村上', 'ムラカミ', 'Murakami'], ['遠藤', 'エンドウ', 'Endo'], ['青木', 'アオキ', 'Aoki'], ['坂本', 'サカモト', 'Sakamoto'],
  ['斉藤', 'サイトウ', 'Saito'], ['福田', 'フクダ', 'Fukuda'], ['太田', 'オオタ', 'Ota'], ['西村', 'ニシムラ', 'Nishimura'], ['藤井', 'フジイ', 'Fujii'],
  ['金子', 'カネコ', 'Kaneko'], ['岡本', 'オカモト', 'Okamoto'], ['藤原', 'フジワラ', 'Fujiwara'], ['中山', 'ナカヤマ', 'Nakayama'], ['丸山', 'マルヤマ', 'Maruyama'],
  ['杉山', 'スギヤマ', 'Sugiyama'], ['横山', 'ヨコヤマ', 'Yokoyama'], ['小山', 'コヤマ', 'Koyama'], ['五十嵐', 'イガラシ', 'Igarashi'], ['本間', 'ホンマ', 'Homma'],
];
const GIVEN: ReadonlyArray<readonly [string, string, string]> = [
  ['太郎', 'タロウ', 'Taro'], ['一郎', 'イチロウ', 'Ichiro'], ['健', 'ケン', 'Ken'], ['誠', 'マコト', 'Makoto'], ['浩二', 'コウジ', 'Koji'],
  ['大輔', 'ダイスケ', 'Daisuke'], ['直樹', 'ナオキ', 'Naoki'], ['拓也', 'タクヤ', 'Takuya'], ['修', 'オサム', 'Osamu'], ['隆', 'タカシ', 'Takashi'],
  ['亮', 'リョウ', 'Ryo'], ['翔太', 'ショウタ', 'Shota'], ['和也', 'カズヤ', 'Kazuya'], ['健一', 'ケンイチ', 'Ken-ichi'], ['雅人', 'マサト', 'Masato'],
  ['花子', 'ハナコ', 'Hanako'], ['美穂', 'ミホ', 'Miho'], ['裕子', 'ユウコ', 'Yuko'], ['由美', 'ユミ', 'Yumi'], ['美咲', 'ミサキ', 'Misaki'],
  ['彩', 'アヤ', 'Aya'], ['由香', 'ユカ', 'Yuka'], ['恵', 'メグミ', 'Megumi'], ['直子', 'ナオコ', 'Naoko'], ['亜希子', 'アキコ', 'Akiko'],
  ['陽子', 'ヨウコ', 'Yoko'], ['真由美', 'マユミ', 'Mayumi'], ['智子', 'トモコ', 'Tomoko'], ['香織', 'カオリ', 'Kaori'], ['千尋', 'チヒロ', 'Chihiro'],
];

/** Prefectures weighted: where the supporters are (the rest share what is left evenly). */
const REGION_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['13', 0.2], ['15', 0.12], ['27', 0.1], ['23', 0.07], ['14', 0.06], ['11', 0.05], ['40', 0.05], ['01', 0.04],
];

interface Profile {
  share: number;
  title: string;
  /** Body kinds the person works for (first choice first). */
  bodyCategory: OrganisationCategory;
  qualifications: (r: () => number) => Qualification[];
  specialities: readonly Speciality[];
}

const PROFILES: readonly Profile[] = [
  { share: 0.32, title: '経営指導員', bodyCategory: 'COMMERCE_AND_INDUSTRY', qualifications: (r) => ['BUSINESS_ADVISOR', ...(r() < 0.2 ? (['SME_CONSULTANT'] as const) : [])], specialities: ['STRATEGY', 'FINANCE', 'MARKETING', 'SUCCESSION', 'DIGITAL'] },
  { share: 0.2, title: '中小企業診断士', bodyCategory: 'PROFESSIONAL', qualifications: (r) => ['SME_CONSULTANT', ...(r() < 0.25 ? (['IT_COORDINATOR'] as const) : []), ...(r() < 0.06 ? (['PROFESSIONAL_ENGINEER'] as const) : [])], specialities: ['STRATEGY', 'MARKETING', 'PRODUCTION', 'DIGITAL', 'HUMAN_RESOURCES', 'OVERSEAS', 'TURNAROUND'] },
  { share: 0.11, title: '税理士', bodyCategory: 'PROFESSIONAL', qualifications: (r) => ['TAX_ACCOUNTANT', ...(r() < 0.1 ? (['SME_CONSULTANT'] as const) : [])], specialities: ['FINANCE', 'SUCCESSION'] },
  { share: 0.04, title: '公認会計士', bodyCategory: 'PROFESSIONAL', qualifications: () => ['CPA', 'TAX_ACCOUNTANT'], specialities: ['FINANCE', 'TURNAROUND', 'SUCCESSION'] },
  { share: 0.03, title: '弁護士', bodyCategory: 'PROFESSIONAL', qualifications: () => ['LAWYER'], specialities: ['LEGAL_AND_LABOUR', 'SUCCESSION', 'TURNAROUND'] },
  { share: 0.05, title: '社会保険労務士', bodyCategory: 'PROFESSIONAL', qualifications: () => ['LABOUR_AND_SOCIAL_SECURITY_ATTORNEY'], specialities: ['HUMAN_RESOURCES', 'LEGAL_AND_LABOUR'] },
  { share: 0.03, title: '行政書士', bodyCategory: 'PROFESSIONAL', qualifications: () => ['ADMINISTRATIVE_SCRIVENER'], specialities: ['LEGAL_AND_LABOUR', 'SUCCESSION'] },
  { share: 0.22, title: '融資担当', bodyCategory: 'FINANCIAL', qualifications: (r) => (r() < 0.15 ? ['SME_CONSULTANT'] : []), specialities: ['FINANCE', 'TURNAROUND', 'SUCCESSION', 'STRATEGY'] },
];
const ALL_SPECIALITIES: readonly Speciality[] = ['STRATEGY', 'FINANCE', 'MARKETING', 'PRODUCTION', 'DIGITAL', 'HUMAN_RESOURCES', 'SUCCESSION', 'OVERSEAS', 'LEGAL_AND_LABOUR', 'TURNAROUND'];

const KANJI = '東西南北山川田中村本井上木森林松竹梅石原野島谷口岡橋';
const KATAKANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';
const BODY_KINDS: ReadonlyArray<{ ja: string; kana: string; en: string; category: OrganisationCategory }> = [
  { ja: '商工会', kana: 'ショウコウカイ', en: 'Society of Commerce and Industry', category: 'COMMERCE_AND_INDUSTRY' },
  { ja: '信用金庫', kana: 'シンヨウキンコ', en: 'Shinkin Bank', category: 'FINANCIAL' },
  { ja: '商工会議所', kana: 'ショウコウカイギショ', en: 'Chamber of Commerce and Industry', category: 'COMMERCE_AND_INDUSTRY' },
  { ja: '税理士会支部', kana: 'ゼイリシカイシブ', en: 'Tax Accountants Association Branch', category: 'PROFESSIONAL' },
  { ja: '銀行 支店', kana: 'ギンコウ シテン', en: 'Bank Branch', category: 'FINANCIAL' },
  { ja: '中小企業診断士協会 支部', kana: 'チュウショウキギョウシンダンシキョウカイ シブ', en: 'SME Consultants Association Branch', category: 'PROFESSIONAL' },
];

function syllables(alphabet: string, n: number): string {
  const chars = [...alphabet];
  const k = chars.length;
  const m = (n * 7919) % (k * k * k);
  return `${chars[Math.floor(m / (k * k)) % k]}${chars[Math.floor(m / k) % k]}${chars[m % k]}`;
}

function weighted<T>(r: number, items: ReadonlyArray<readonly [T, number]>, rest: readonly T[]): T {
  let acc = 0;
  for (const [item, w] of items) {
    acc += w;
    if (r < acc) return item;
  }
  return rest[Math.floor(((r - acc) / (1 - acc)) * rest.length) % rest.length]!;
}

const ALL_PREFECTURES = Array.from({ length: 47 }, (_, i) => String(i + 1).padStart(2, '0'));
const OTHER_PREFECTURES = ALL_PREFECTURES.filter((p) => !REGION_WEIGHTS.some(([c]) => c === p));

interface GeneratedPerson {
  id: string;
  slug: string;
  nameJa: string;
  nameKana: string;
  nameEn: string;
  searchText: string;
  qualifications: string;
  specialities: string;
  regionCodes: string;
  capacity: number;
  primaryOrg: string;
  primaryTitle: string;
  secondOrg: string | null;
}

function generatePeople(bodies: ReadonlyArray<{ id: string; category: string; prefectureCode: string | null }>): GeneratedPerson[] {
  const r = prng(20261128);
  const byKind = new Map<string, Array<{ id: string }>>();
  for (const b of bodies) {
    for (const key of [`${b.category}:${b.prefectureCode}`, `${b.category}:*`]) {
      const list = byKind.get(key) ?? [];
      list.push(b);
      byKind.set(key, list);
    }
  }
  const profileOf = (x: number) => {
    let acc = 0;
    for (const p of PROFILES) {
      acc += p.share;
      if (x < acc) return p;
    }
    return PROFILES[PROFILES.length - 1]!;
  };
  return Array.from({ length: S.supporters }, (_, i) => {
    const [fJa, fKana, fEn] = FAMILY[Math.floor(r() * FAMILY.length)]!;
    const [gJa, gKana, gEn] = GIVEN[Math.floor(r() * GIVEN.length)]!;
    const nameJa = `${fJa} ${gJa}`;
    const nameKana = `${fKana} ${gKana}`;
    const nameEn = `${gEn} ${fEn}`;
    const profile = profileOf(r());
    const qualifications = profile.qualifications(r);
    const specs = new Set<Speciality>();
    const n = 1 + Math.floor(r() * 3);
    while (specs.size < Math.min(n, profile.specialities.length)) specs.add(profile.specialities[Math.floor(r() * profile.specialities.length)]!);
    if (r() < 0.1) specs.add(ALL_SPECIALITIES[Math.floor(r() * ALL_SPECIALITIES.length)]!);
    const regions = [weighted(r(), REGION_WEIGHTS, OTHER_PREFECTURES)];
    const extra = r() < 0.15 ? 2 : r() < 0.35 ? 1 : 0;
    for (let k = 0; k < extra; k += 1) {
      const code = weighted(r(), REGION_WEIGHTS, OTHER_PREFECTURES);
      if (!regions.includes(code)) regions.push(code);
    }
    const local = byKind.get(`${profile.bodyCategory}:${regions[0]}`) ?? byKind.get(`${profile.bodyCategory}:*`)!;
    const primaryOrg = local[Math.floor(r() * local.length)]!.id;
    let secondOrg: string | null = null;
    if (r() < S.secondMembershipShare) {
      const other = bodies[Math.floor(r() * bodies.length)]!.id;
      if (other !== primaryOrg) secondOrg = other;
    }
    return {
      id: crypto.randomUUID(),
      slug: `bench-person-${i}`,
      nameJa,
      nameKana,
      nameEn,
      searchText: searchTextOf(nameJa, nameKana, nameEn),
      qualifications: qualifications.join(','),
      specialities: [...specs].join(','),
      regionCodes: regions.join(','),
      capacity: 2 + Math.floor(r() * 9),
      primaryOrg,
      primaryTitle: profile.title,
      secondOrg,
    };
  });
}

interface Seeded {
  viewerEmail: string;
  counts: Record<string, number>;
  loads: string;
  seconds: number;
}

async function seed(hubDb: Awaited<ReturnType<typeof openDatabase>>, c: Client, log: (line: string) => void): Promise<Seeded> {
  const started = performance.now();
  await c.query('SET jit = off');
  const step = async (what: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    const res = await c.query(sql, params);
    log(`  ${what}: ${(res.rowCount ?? 0).toLocaleString('en-US')} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };

  // The directory seed, as `db:seed` loads it, then the generated bodies in one statement.
  await seedDirectory(hubDb.prisma);
  const generated = Array.from({ length: S.generatedBodies }, (_, i) => {
    const kind = BODY_KINDS[i % BODY_KINDS.length] ?? BODY_KINDS[0]!;
    const nameJa = `${syllables(KANJI, i)}${kind.ja}`;
    const nameKana = `${syllables(KATAKANA, i)}${kind.kana}`;
    const nameEn = `Bench ${kind.en} ${i}`;
    return { slug: `bench-body-${i}`, nameJa, nameKana, nameEn, category: kind.category, prefectureCode: ALL_PREFECTURES[(i * 7) % 47]!, searchText: searchTextOf(nameJa, nameKana, nameEn) };
  });
  const col = <K extends keyof (typeof generated)[number]>(k: K) => generated.map((g) => g[k]);
  await step(
    'organisations (generated)',
    `INSERT INTO "Organisation" (id, slug, "nameJa", "nameKana", "nameEn", category, "prefectureCode", "searchText", "updatedAt")
     SELECT gen_random_uuid(), slug, "nameJa", "nameKana", "nameEn", category::"OrganisationCategory", "prefectureCode", "searchText", ${NOW_UTC}
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS g(slug, "nameJa", "nameKana", "nameEn", category, "prefectureCode", "searchText")`,
    [col('slug'), col('nameJa'), col('nameKana'), col('nameEn'), col('category'), col('prefectureCode'), col('searchText')],
  );
  const bodies = (await c.query<{ id: string; category: string; prefectureCode: string | null }>('SELECT id, category::text AS category, "prefectureCode" FROM "Organisation" ORDER BY slug')).rows;

  // The team lead who signs in, through the accounts store.
  const viewerOrg = (await c.query<{ id: string }>(`SELECT id FROM "Organisation" WHERE slug = $1`, [S.viewerBody])).rows[0]?.id;
  if (!viewerOrg) throw new Error(`seed organisation "${S.viewerBody}" is missing`);
  const accounts = new AccountsStore(hubDb.prisma);
  const viewerEmail = `team-lead-${Date.now()}@bench.example.jp`;
  const viewer = await accounts.createAccount({ email: viewerEmail, displayName: '伴走 リーダー', passwordHash: await hashPassword(PASSWORD) });
  await accounts.upsertMembership(viewer.id, viewerOrg, ['TEAM_LEAD', 'SUPPORTER']);

  // The supporters and their memberships: generated here, each table in one statement.
  const people = generatePeople(bodies);
  const p = <K extends keyof GeneratedPerson>(k: K) => people.map((x) => x[k]);
  await step(
    'people',
    `INSERT INTO "Person" (id, slug, "nameJa", "nameKana", "nameEn", qualifications, specialities, "regionCodes", capacity, "searchText", "updatedAt")
     SELECT id, slug, "nameJa", "nameKana", "nameEn", string_to_array(q, ',')::"Qualification"[], string_to_array(s, ',')::"Speciality"[], string_to_array(r, ','), capacity, "searchText", ${NOW_UTC}
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::text[]) AS g(id, slug, "nameJa", "nameKana", "nameEn", q, s, r, capacity, "searchText")`,
    [p('id'), p('slug'), p('nameJa'), p('nameKana'), p('nameEn'), p('qualifications'), p('specialities'), p('regionCodes'), p('capacity'), p('searchText')],
  );
  const second = people.filter((x) => x.secondOrg);
  await step(
    'memberships',
    `INSERT INTO "Membership" ("personId", "organisationId", title, "primary", "createdAt")
     SELECT "personId", "organisationId", title, "primary", ${NOW_UTC} - ${days('400')} + CASE WHEN "primary" THEN interval '0' ELSE interval '1 day' END
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::boolean[]) AS g("personId", "organisationId", title, "primary")`,
    [
      [...p('id'), ...second.map((x) => x.id)],
      [...p('primaryOrg'), ...second.map((x) => x.secondOrg)],
      [...p('primaryTitle'), ...second.map(() => '会員')],
      [...people.map(() => true), ...second.map(() => false)],
    ],
  );
  await c.query(`CREATE TEMP TABLE bench_person AS SELECT (row_number() OVER (ORDER BY p.slug) - 1)::int AS idx, p.id, p."nameJa", m."organisationId" AS org
                 FROM "Person" p JOIN "Membership" m ON m."personId" = p.id AND m."primary"`);
  await c.query('CREATE UNIQUE INDEX ON bench_person (idx)');
  await c.query('ANALYZE bench_person');
  const persons = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM bench_person')).rows[0]?.n ?? 0);

  // A share of the supporters have an account (TEAM_LEAD in their primary body): they lead the engagements.
  const accountId = (idx: string) => uid(`'account:' || ${idx}`);
  const hasAccount = `${u('idx', 50)} < ${S.accountShare}`;
  await step(
    'accounts (supporters who lead engagements)',
    `INSERT INTO "Account" (id, email, "displayName", "passwordHash", "personId", "updatedAt")
     SELECT ${accountId('idx')}, 'supporter-' || idx || '@bench.example.jp', "nameJa", $1, id, ${NOW_UTC} FROM bench_person WHERE ${hasAccount}`,
    [await hashPassword(crypto.randomBytes(16).toString('hex'))],
  );
  await step(
    'account memberships',
    `INSERT INTO "AccountMembership" ("accountId", "organisationId", roles, "updatedAt")
     SELECT ${accountId('idx')}, org, '{TEAM_LEAD,SUPPORTER}'::"Role"[], ${NOW_UTC} FROM bench_person WHERE ${hasAccount}`,
  );
  await c.query(`CREATE TEMP TABLE bench_lead AS SELECT (row_number() OVER (ORDER BY idx) - 1)::int AS lidx, ${accountId('idx')} AS account, id AS person, org
                 FROM bench_person WHERE ${hasAccount}`);
  await c.query('CREATE UNIQUE INDEX ON bench_lead (lidx)');
  await c.query('ANALYZE bench_lead');
  const leads = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM bench_lead')).rows[0]?.n ?? 0);

  // Engagements: one firm each, led by a supporter with an account (a mild skew: the busiest tenth of
  // the leads lead a sixth), owned by the lead's body.
  const engagements = S.activeEngagements + S.closedEngagements;
  const lead = (e: string) => `floor(${leads} * pow(${u(e, 1)}, 1.3))::int`;
  await step(
    'firms (one per engagement)',
    `INSERT INTO "Firm" (id, "nameJa", "nameKana", "prefectureCode", "industryDivision", "matchKey", "createdByOrganisationId", "createdByAccountId", "updatedAt")
     SELECT ${uid(`'firm:' || e`)}, '株式会社ベンチ' || e, 'ベンチ' || e, COALESCE(o."prefectureCode", '13'), chr(65 + e % 20),
            COALESCE(o."prefectureCode", '13') || ':ベンチ' || e, l.org, l.account, ${NOW_UTC}
     FROM generate_series(0, ${engagements - 1}) AS e JOIN bench_lead l ON l.lidx = ${lead('e')} JOIN "Organisation" o ON o.id = l.org`,
  );
  const stages = ['TARGETING', 'MUTUAL_UNDERSTANDING', 'TRUST_BUILDING', 'AWARENESS', 'INTRINSIC_MOTIVATION', 'PROBLEM_SOLVING', 'FOLLOW_UP'];
  await step(
    'engagements',
    `INSERT INTO "Engagement" (id, "firmId", "ownerOrganisationId", "leadAccountId", "supportType", stage, "stageChangedAt", status, "createdAt", "updatedAt")
     SELECT ${uid(`'engagement:' || e`)}, ${uid(`'firm:' || e`)}, l.org, l.account, (CASE WHEN ${u('e', 2)} < 0.7 THEN 'ISSUE_SETTING' ELSE 'ISSUE_SOLVING' END)::"SupportType",
            (ARRAY[${stages.map((s) => `'${s}'`).join(',')}])[1 + floor(${stages.length} * ${u('e', 3)})::int]::"EngagementStage",
            ${NOW_UTC} - ${days(`60 * ${u('e', 4)}`)}, (CASE WHEN e < ${S.activeEngagements} THEN 'ACTIVE' ELSE 'CLOSED' END)::"EngagementStatus",
            ${NOW_UTC} - ${days(`60 + 300 * ${u('e', 5)}`)}, ${NOW_UTC} - ${days(`60 * ${u('e', 4)}`)}
     FROM generate_series(0, ${engagements - 1}) AS e JOIN bench_lead l ON l.lidx = ${lead('e')}
     ORDER BY 9`,
  );
  // Members: 2–5 per engagement besides its lead, people picked with a skew (pow 1.5: the busiest
  // tenth carry about a fifth of the places), one place per person and engagement.
  const [minMembers, maxMembers] = S.membersPerEngagement;
  const slots = ['FACILITATOR', 'SPECIALIST', 'FINANCIAL_INSTITUTION', 'LOCAL_ADVISOR', 'OTHER'];
  const k = `(e * 8 + s)`;
  const status = `CASE WHEN ${u(k, 12)} < 0.65 THEN 'ACCEPTED' WHEN ${u(k, 12)} < 0.8 THEN 'INVITED' WHEN ${u(k, 12)} < 0.9 THEN 'DECLINED' WHEN ${u(k, 12)} < 0.95 THEN 'LEFT' ELSE 'REMOVED' END`;
  await step(
    'team members',
    `INSERT INTO "TeamMember" (id, "engagementId", "personId", "organisationId", slot, status, "invitedById", "invitedAt", "respondedAt", "endedAt")
     SELECT DISTINCT ON (e, bp.id) ${uid(`'member:' || e || ':' || s`)}, ${uid(`'engagement:' || e`)}, bp.id, bp.org,
            (ARRAY[${slots.map((x) => `'${x}'`).join(',')}])[1 + floor(${slots.length} * ${u(k, 13)})::int]::"TeamSlot",
            st::"TeamMemberStatus", l.account, ${NOW_UTC} - ${days(`30 + 200 * ${u(k, 14)}`)},
            CASE WHEN st <> 'INVITED' THEN ${NOW_UTC} - ${days(`29 * ${u(k, 14)}`)} END,
            CASE WHEN st IN ('LEFT', 'REMOVED') THEN ${NOW_UTC} - ${days(`10 * ${u(k, 15)}`)} END
     FROM (SELECT e, s, ${status} AS st FROM generate_series(0, ${engagements - 1}) AS e
           CROSS JOIN LATERAL generate_series(0, ${minMembers - 1} + floor(${maxMembers - minMembers + 1} * ${u('e', 10)})::int) AS s) m
     JOIN bench_person bp ON bp.idx = floor(${persons} * pow(${u(k, 11)}, 1.5))::int
     JOIN bench_lead l ON l.lidx = ${lead('e')}
     WHERE bp.id <> l.person
     ORDER BY e, bp.id, s`,
  );

  const t = performance.now();
  await c.query('VACUUM (ANALYZE) "Organisation", "Account", "AccountMembership", "Person", "Membership", "Firm", "Engagement", "TeamMember"');
  log(`  VACUUM ANALYZE: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await c.query('CHECKPOINT').catch(() => undefined);
  const seconds = (performance.now() - started) / 1000;

  const counts: Record<string, number> = {};
  for (const table of ['Organisation', 'Person', 'Membership', 'Account', 'Engagement', 'TeamMember']) {
    counts[table] = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`)).rows[0]?.n ?? 0);
  }
  const l = (
    await c.query<{ loaded: string; at_capacity: string; max: number; p90: number }>(
      `SELECT count(*) FILTER (WHERE n > 0) AS loaded, count(*) FILTER (WHERE n >= capacity) AS at_capacity, max(n) AS max,
              percentile_disc(0.9) WITHIN GROUP (ORDER BY n) AS p90
       FROM (SELECT p.capacity, COALESCE(l.n, 0) AS n FROM "Person" p LEFT JOIN (${LOAD}) l ON l."personId" = p.id) x`,
    )
  ).rows[0]!;
  const loads = `${Number(l.loaded).toLocaleString('en-US')} supporters with a load, ${Number(l.at_capacity).toLocaleString('en-US')} at or over capacity, p90 load ${l.p90}, max ${l.max}`;
  return { viewerEmail, counts, loads, seconds };
}

// ---------------------------------------------------------------------------------------------
// The search: through the gateway, and as one SQL statement

const SEARCH = /* GraphQL */ `
  query BenchSupporterSearch($filter: SupporterFilter) {
    supporterSearch(filter: $filter, first: ${S.pageSize}) {
      nodes {
        person { id nameJa nameKana qualifications specialities }
        organisations { id nameJa }
        load capacity atCapacity
      }
      totalCount
      pageInfo { endCursor hasNextPage }
    }
  }
`;

interface SearchNode {
  person: { id: string; nameJa: string };
  organisations: Array<{ id: string; nameJa: string }>;
  load: number;
  capacity: number;
  atCapacity: boolean;
}

interface SearchPage {
  totalCount: number;
  nodes: SearchNode[];
  pageInfo: { hasNextPage: boolean };
}

/** The store's parameters for a filter, as the manager builds them. */
function paramsOf(f: SupporterFilter): unknown[] {
  const search = f.search ? normaliseForSearch(f.search).slice(0, 100).replace(/[\\%_]/g, (ch) => `\\${ch}`) : '';
  return [(f.qualifications ?? []).join(','), (f.specialities ?? []).join(','), f.regionCode ?? '', search, !!f.availableOnly];
}

const WHERE = `
  ($1 = '' OR p.qualifications && string_to_array($1, ',')::"Qualification"[])
  AND ($2 = '' OR p.specialities && string_to_array($2, ',')::"Speciality"[])
  AND ($3 = '' OR $3 = ANY(p."regionCodes"))
  AND ($4 = '' OR p."searchText" LIKE '%' || $4 || '%')
  AND (NOT $5::boolean OR COALESCE(l.n, 0) < p.capacity)`;
/** The load as the store counts it: active engagements the person is on or invited to, and those they lead. */
const LOAD = `SELECT x."personId", count(*)::int AS n FROM (
    SELECT tm."personId" FROM "TeamMember" tm JOIN "Engagement" e ON e.id = tm."engagementId" AND e.status = 'ACTIVE'
     WHERE tm.status IN ('INVITED', 'ACCEPTED')
    UNION ALL
    SELECT a."personId" FROM "Engagement" e JOIN "Account" a ON a.id = e."leadAccountId"
     WHERE e.status = 'ACTIVE' AND a."personId" IS NOT NULL) x
   GROUP BY x."personId"`;

/** The store's two statements (page, then count), for EXPLAIN. */
const STORE_PAGE = `SELECT p.id, p.capacity, COALESCE(l.n, 0)::int AS load FROM "Person" p LEFT JOIN (${LOAD}) l ON l."personId" = p.id WHERE ${WHERE}
  ORDER BY (COALESCE(l.n, 0) >= p.capacity), p."nameKana", p.id LIMIT ${S.pageSize} OFFSET 0`;
const STORE_COUNT = `SELECT count(*)::int AS n FROM "Person" p LEFT JOIN (${LOAD}) l ON l."personId" = p.id WHERE ${WHERE}`;

/**
 * The same page and count in one statement: the matching people with their load (the load
 * aggregate computed once), the first page in the store's order, each with their bodies (primary
 * first, as the manager lists them), and the count.
 */
const DIRECT_SQL = `
  WITH hit AS MATERIALIZED (
    SELECT p.id, p."nameJa", p."nameKana", p.capacity, COALESCE(l.n, 0)::int AS load
    FROM "Person" p LEFT JOIN (${LOAD}) l ON l."personId" = p.id
    WHERE ${WHERE}
  ), page AS (
    SELECT * FROM hit ORDER BY (load >= capacity), "nameKana", id LIMIT ${S.pageSize}
  )
  SELECT pg.id, pg."nameJa", pg.load, pg.capacity, q.qualifications::text[] AS qualifications, q.specialities::text[] AS specialities,
         (SELECT COALESCE(json_agg(json_build_object('id', o.id, 'nameJa', o."nameJa") ORDER BY m."primary" DESC, m."createdAt"), '[]')
            FROM "Membership" m JOIN "Organisation" o ON o.id = m."organisationId" WHERE m."personId" = pg.id) AS organisations,
         (SELECT count(*) FROM hit) AS "totalCount"
  FROM page pg JOIN "Person" q ON q.id = pg.id
  ORDER BY (pg.load >= pg.capacity), pg."nameKana", pg.id`;

interface DirectRow {
  id: string;
  nameJa: string;
  load: number;
  capacity: number;
  organisations: Array<{ id: string; nameJa: string }>;
  totalCount: string;
}

async function postSearch(url: string, headers: Record<string, string>, filter: SupporterFilter): Promise<SearchPage> {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: SEARCH, variables: { filter } }), signal: AbortSignal.timeout(REQUEST_TIMEOUT_SECONDS * 1000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`gateway answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as { data?: { supporterSearch?: SearchPage }; errors?: unknown };
  if (body.errors !== undefined || !body.data?.supporterSearch) throw new Error(`gateway answered with errors: ${text.slice(0, 300)}`);
  return body.data.supporterSearch;
}

/** The gateway's page must be the SQL statement's: same people in order, same loads and bodies, same count. */
function compare(label: string, page: SearchPage, rows: DirectRow[]): void {
  const fail = (what: string) => {
    throw new Error(`${label}: the gateway and the direct SQL disagree: ${what}`);
  };
  if (page.nodes.length !== S.pageSize) fail(`the gateway returned ${page.nodes.length} nodes, not ${S.pageSize} (does the filter match enough people?)`);
  if (rows.length !== page.nodes.length) fail(`${rows.length} rows against ${page.nodes.length} nodes`);
  if (Number(rows[0]?.totalCount) !== page.totalCount) fail(`count ${rows[0]?.totalCount} against totalCount ${page.totalCount}`);
  if (page.pageInfo.hasNextPage !== page.totalCount > S.pageSize) fail('hasNextPage');
  page.nodes.forEach((n, i) => {
    const r = rows[i]!;
    const gateway = [n.person.id, n.person.nameJa, n.load, n.capacity, n.atCapacity, n.organisations];
    const sql = [r.id, r.nameJa, r.load, r.capacity, r.load >= r.capacity, r.organisations];
    if (JSON.stringify(gateway) !== JSON.stringify(sql)) fail(`row ${i}: ${JSON.stringify(gateway)} against ${JSON.stringify(sql)}`);
  });
}

/**
 * CPU time of this process's main thread (the hub: gateway and every subgraph; autocannon runs in a
 * worker) in ms, from /proc on Linux; elsewhere the whole process's, worker included.
 */
function hubCpuMs(): number {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in ticks of 10 ms
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** `connections` loops, each sending the next query when the previous one returned, for `seconds`. */
async function sqlLoad(pool: Pool, params: unknown[], connections: number, seconds: number): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const r = await pool.query(DIRECT_SQL, params);
        if (r.rows.length !== S.pageSize) throw new Error(`direct SQL returned ${r.rows.length} rows, not ${S.pageSize}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

function writeVerifyHook(dir: string, expectedNodes: number): string {
  const file = path.join(dir, `verify-supporters-${expectedNodes}.cjs`);
  fs.writeFileSync(
    file,
    `'use strict';\n// Written by test/bench/supporters.ts: a response counts only with ${expectedNodes} nodes and no errors.\n` +
      `module.exports = function verifyBody(body) {\n  try {\n    const j = JSON.parse(body);\n` +
      `    return !j.errors && !!j.data && !!j.data.supporterSearch && j.data.supporterSearch.nodes.length === ${expectedNodes};\n  } catch (e) {\n    return false;\n  }\n};\n`,
  );
  return file;
}

// ---------------------------------------------------------------------------------------------


export async function benchSupporters(ctx: Partial<BenchContext> = {}, env: NodeJS.ProcessEnv = process.env): Promise<BenchResult[]> {
  setLogLevel('warn');
  const logger = createLogger('bench');
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const baseUrl = ctx.baseDatabaseUrl ?? DEFAULT_BASE_DATABASE_URL;
  const bench = await benchDatabase('supporters', baseUrl, env, log, logger);
  const { cleanups } = bench;
  try {
    const databaseUrl = bench.url;
    logger.warn('supporters bench', { database: redact(databaseUrl), supporters: S.supporters });

    const { db, loader } = await openBenchDatabase(bench, S.databasePool);
    log(`seeding ${S.supporters.toLocaleString('en-US')} supporters and ${(S.activeEngagements + S.closedEngagements).toLocaleString('en-US')} engagements:`);
    const seeded = await seed(db, loader, log);
    await loader.end();
    cleanups.pop();
    log(`seeded in ${seeded.seconds.toFixed(1)} s: ${Object.entries(seeded.counts).map(([t, n]) => `${n.toLocaleString('en-US')} ${t}`).join(', ')}; ${seeded.loads}`);

    // The hub as `npm start` runs it, over the same database (one pool of S.databasePool).
    const { origin, graphqlUrl } = await startBenchHub(bench, db, 'supporters');

    // Sign in as the browser does.
    const signIn = await fetch(`${origin}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: seeded.viewerEmail, password: PASSWORD }) });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    if (signIn.status !== 200 || !cookie.includes('=')) throw new Error(`sign-in failed: HTTP ${signIn.status} ${await signIn.text()}`);
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', cookie };

    const pool = new Pool({ connectionString: databaseUrl, max: Math.max(...S.connections) });
    cleanups.push({ what: 'close pg pool', run: () => pool.end() });
    const hookDir = benchTempDir(bench, 'banso-bench-supporters-hooks-');
    const verifyBody = writeVerifyHook(hookDir, S.pageSize);

    // Before timing: the two paths must return the same page.
    const totals = new Map<string, number>();
    for (const q of QUERIES) {
      const page = await postSearch(graphqlUrl, headers, q.filter);
      const direct = (await pool.query<DirectRow>(DIRECT_SQL, paramsOf(q.filter))).rows;
      compare(q.label, page, direct);
      totals.set(q.key, page.totalCount);
      const atCap = page.nodes.filter((n) => n.atCapacity).length;
      log(`${q.label}: ${page.totalCount.toLocaleString('en-US')} supporters match; first page agrees with the direct SQL (${atCap} at capacity on it)`);
      if (env.BENCH_SUPPORTERS_EXPLAIN === '1') {
        for (const [what, sql] of [['store page', STORE_PAGE], ['store count', STORE_COUNT], ['direct SQL', DIRECT_SQL]] as const) {
          const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, paramsOf(q.filter));
          log(`\n-- ${q.label} · ${what}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
        }
      }
    }

    // Other processes on the machine take cores from the hub, PostgreSQL and the load generator.
    const loadBefore = os.loadavg()[0] ?? 0;
    if (loadBefore > 0.5) log(`note: load average ${loadBefore.toFixed(2)} before measuring: other processes are using the CPU`);
    const results: BenchResult[] = [];
    for (const connections of S.connections) {
      for (const q of QUERIES) {
        const params = paramsOf(q.filter);
        logger.warn('measuring', { query: q.label, target: 'gateway', connections, seconds: S.measureSeconds });
        const opts: AutocannonOptions = {
          url: graphqlUrl,
          method: 'POST',
          headers,
          body: JSON.stringify({ query: SEARCH, variables: { filter: q.filter } }),
          connections,
          duration: S.warmupSeconds,
          timeout: REQUEST_TIMEOUT_SECONDS,
          workers: 1,
          verifyBody,
        };
        const warm = await runLoad(opts);
        if (problemsOf(warm, S.pageSize)) throw new Error(`${q.label}, gateway warm-up: ${problemsOf(warm, S.pageSize)}`);
        const cpuBefore = hubCpuMs();
        const g = await runLoad({ ...opts, duration: S.measureSeconds });
        const hubCpuPerRequest = (hubCpuMs() - cpuBefore) / Math.max(1, g.requests.total);
        if (problemsOf(g, S.pageSize)) throw new Error(`${q.label}, gateway: ${problemsOf(g, S.pageSize)} (of ${g.requests.total} requests)`);
        const gRps = g.duration > 0 ? g.requests.total / g.duration : 0;

        logger.warn('measuring', { query: q.label, target: 'direct SQL', connections, seconds: S.measureSeconds });
        await sqlLoad(pool, params, connections, S.warmupSeconds);
        const d = await sqlLoad(pool, params, connections, S.measureSeconds);
        const dRps = d.latencies.length / d.seconds;
        const dP50 = percentile(d.latencies, 50);
        const dP99 = percentile(d.latencies, 99);

        const verdict = g.latency.p99 < S.targetP99Ms ? `meets p99 < ${S.targetP99Ms} ms` : `MISSES p99 < ${S.targetP99Ms} ms`;
        results.push({
          name: `gateway · ${q.label} · ${connections} conn`,
          requests: g.requests.total,
          rps: gRps,
          p50Ms: g.latency.p50,
          p99Ms: g.latency.p99,
          notes: `${verdict}; ${(g.latency.p50 / dP50).toFixed(1)}× direct p50; hub main thread ${hubCpuPerRequest.toFixed(1)} ms CPU/request; all ${S.pageSize} nodes, no errors`,
        });
        results.push({
          name: `direct SQL · ${q.label} · ${connections} conn`,
          requests: d.latencies.length,
          rps: dRps,
          p50Ms: dP50,
          p99Ms: dP99,
          notes: `page + count of ${(totals.get(q.key) ?? 0).toLocaleString('en-US')}, one statement`,
        });
      }
    }
    log(`\n${S.connections.join(' and ')} connections, ${S.measureSeconds} s each after a ${S.warmupSeconds} s warm-up; seeding took ${seeded.seconds.toFixed(1)} s; load average ${loadBefore.toFixed(2)} before, ${(os.loadavg()[0] ?? 0).toFixed(2)} after\n`);
    return results;
  } finally {
    await bench.close();
  }
}
