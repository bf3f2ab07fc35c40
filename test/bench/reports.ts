/**
 * `npm run bench:reports`: the report dashboard (issue: "the dashboard query for a whole year at 1M
 * referrals, p99 under 500 ms") through the hub's gateway, for the council secretariat (the whole
 * network) and for one body's admin (their own body), beside one direct SQL statement in the same run.
 *
 * Data (a fresh PostgreSQL database, loaded with set-based SQL):
 * - the referrals bench's seed (test/bench/referrals.ts, seedReferrals): the directory seed plus 200
 *   generated bodies, 100,000 firms, their consents and 1,000,000 referrals, here sent over the past
 *   730 days (so the last complete fiscal year holds about half of them), the answered ones with
 *   respondedBusinessDays (0–10, most within three) and respondedAt to match; statuses as there (sent,
 *   accepted, in progress, on hold, completed, declined with a reason, forwarded, cancelled, drafts);
 * - 3,000 supporters (Person, one primary Membership each) spread over the bodies;
 * - 50,000 engagements opened from accepted referrals (owner = the receiver, lead = its assignee or
 *   staff member, a few days after the answer), 85% of those whose 2–18 months have passed CLOSED with
 *   closedAt; the stage reached (closed ones further), one stage change per step and, for 5%, a step
 *   back with a reason; self-reliance on closed and late-stage ones;
 * - 0–4 team members per engagement, supporters of any body (accepted, left, invited, declined, removed);
 * - 0–3 essential issues per engagement (resolved, working, open, dropped);
 * - outcome measurements for 45%: a baseline near the start and, for 80% of those, follow-ups after
 *   six and twelve months when they have passed (sales, operating profit, value added, employees);
 * - satisfaction surveys issued for 60% of the closed engagements, 70% of those answered;
 * - targets for the fiscal year (programme and the admin's body); a secretariat account (SECRETARIAT
 *   of the council secretariat, as the demo secretariat) and an ORG_ADMIN of 新潟商工会議所.
 * The database's triggers keep the referral tallies by fiscal year and each engagement's furthest stage
 * and team bodies while this loads (set-based: one transition table per statement); a full
 * report_tallies_rebuild() is timed and rolled back. Then VACUUM ANALYZE and a CHECKPOINT.
 *
 * Rows: `reportDashboard(filter)` with every figure (bodies' names on the body-to-body flows) POSTed to
 * the gateway with the viewer's session cookie — (a) the secretariat, { fiscalYear } of the fuller year,
 * the whole network; (b) the body's admin, { fiscalYear, organisationId: own body } — at 1 and 10
 * connections; and one SQL statement computing the year's referral figures for the same scope (sent,
 * received, answered, accepted, declined, forwarded, median and p90 of business days), the largest part
 * of the dashboard. Before timing the gateway's referral figures are checked against that statement's
 * (a disagreement is written in the notes); during the gateway runs every response must be ok with no
 * errors and the same sent and received counts, else the row says FAILS and how many did not (the hub's
 * pool or the gateway's subgraph timeout giving way under load is a result too). The store's statements for each
 * scope (captured from the manager over a recording client) are also run one by one, and their times
 * printed: where a slow dashboard spends its time.
 *
 * The hub runs in this process as `npm start` runs it (every subgraph and the gateway on the main
 * thread, one database pool of 10); autocannon runs in a worker thread.
 *
 * Environment: BENCH_REFERRALS_SCALE scales firms, referrals and engagements for a quick try;
 * BENCH_KEEP_DATABASE=1 keeps the database; BENCH_REPORTS_EXPLAIN=1 prints EXPLAIN (ANALYZE, BUFFERS)
 * of every store statement; BENCH_REPORTS_SEED_ONLY=1 stops after seeding (and the statement timings).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import { Prisma } from '../../generated/prisma/client';
import { AccountsStore } from '../../services/accounts/accounts.store';
import { hashPassword } from '../../services/accounts/credentials';
import { reportsManagerFor } from '../../services/reports/context';
import { redact } from '../../services/shared/config';
import { openDatabase, type PrismaClient } from '../../services/shared/database';
import { createLogger, setLogLevel } from '../../services/shared/logger';
import type { RoleName, Viewer } from '../../services/shared/viewer';
import {
  days,
  NOW_UTC,
  percentile,
  pick,
  REFERRALS_BENCH_SETTINGS,
  runLoad,
  seedReferrals,
  u,
  uid,
  type AutocannonOptions,
  type AutocannonResult,
  type Seeded,
} from './referrals';
import { BENCH_HOST, benchDatabase, benchTempDir, openBenchDatabase, startBenchHub } from './bench-database';
import { DEFAULT_BASE_DATABASE_URL, type BenchContext, type BenchResult } from './report';

// ---------------------------------------------------------------------------------------------
// Settings

const SCALE = REFERRALS_BENCH_SETTINGS.referrals / 1_000_000;

export const REPORTS_BENCH_SETTINGS = {
  firms: REFERRALS_BENCH_SETTINGS.firms,
  referrals: REFERRALS_BENCH_SETTINGS.referrals,
  /** Referrals were sent over this many days back: two fiscal years. */
  spanDays: 730,
  engagements: Math.round(50_000 * SCALE),
  persons: 3_000,
  /** Share of the closed engagements whose firm got a survey link, and of those that answered. */
  surveyIssuedShare: 0.6,
  surveyAnsweredShare: 0.7,
  secretariatBody: 'sme-agency-banso',
  adminBody: REFERRALS_BENCH_SETTINGS.benchmarkedBody,
  connections: [1, 10],
  warmupSeconds: 3,
  measureSeconds: 20,
  databasePool: 10,
  targetP99Ms: 500,
  loadGenerator: 'autocannon 8, one worker thread (gateway); async loop over a pg Pool (direct SQL)',
  viewers: ['(a) secretariat · whole network · fiscal year', '(b) body admin · own body · fiscal year'],
} as const;

const S = REPORTS_BENCH_SETTINGS;
const REQUEST_TIMEOUT_SECONDS = 30;
const PASSWORD = `bench-${crypto.randomBytes(12).toString('hex')}`;
const STAGES = ['TARGETING', 'MUTUAL_UNDERSTANDING', 'TRUST_BUILDING', 'AWARENESS', 'INTRINSIC_MOTIVATION', 'PROBLEM_SOLVING', 'FOLLOW_UP'] as const;

function problemsOf(r: AutocannonResult): string {
  const problems = (
    [
      ['errors', r.errors],
      ['timeouts', r.timeouts],
      ['non-2xx', r.non2xx],
      ['resets', r.resets],
      ['responses not ok, with errors or other counts', r.mismatches],
    ] as const
  ).filter(([, n]) => n > 0);
  return problems.map(([what, n]) => `${n} ${what}`).join(', ');
}

// ---------------------------------------------------------------------------------------------
// Data

const ISSUE_TITLES = ['販路の縮小への対応', '後継者の育成と事業承継', '原価管理と価格転嫁', '人材の確保と定着', '業務のデジタル化', '資金繰りの安定', '新商品の企画体制', '設備更新の判断'];
const SURNAMES = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤', '吉田', '山田'];
const GIVEN_NAMES = ['太郎', '花子', '一郎', '健', '美穂', '誠', '裕子', '修', '直樹', '由美'];

const STAGE_ARRAY = `(ARRAY[${STAGES.map((s) => `'${s}'`).join(',')}])`;

/** The fiscal year (April–March, Japan time) that holds `at`. */
function fiscalYearOf(at: Date): number {
  const jst = new Date(at.getTime() + 9 * 3_600_000);
  return jst.getUTCMonth() >= 3 ? jst.getUTCFullYear() : jst.getUTCFullYear() - 1;
}

/** The fiscal year's bounds as UTC timestamps (the columns hold UTC): JST midnight of 1 April. */
function fiscalYearBounds(fy: number): { from: string; to: string } {
  return { from: `${fy}-03-31 15:00:00`, to: `${fy + 1}-03-31 15:00:00` };
}

interface ReportSeed {
  fiscalYear: number;
  secretariatEmail: string;
  secretariatOrganisationId: string;
  adminEmail: string;
  adminOrganisationId: string;
  counts: Record<string, number>;
  seconds: number;
}

/** Everything the dashboard reads besides the referrals, on the connection that seeded them (temp table bench_body). */
async function seedReports(hubDb: Awaited<ReturnType<typeof openDatabase>>, c: Client, referrals: Seeded, log: (line: string) => void): Promise<ReportSeed> {
  const started = performance.now();
  await c.query('SET jit = off');
  const step = async (what: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    const r = await c.query(sql, params);
    log(`  ${what}: ${(r.rowCount ?? 0).toLocaleString('en-US')} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  const now = new Date((await c.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now);
  const fiscalYear = fiscalYearOf(now) - 1;
  const bodies = referrals.bodies;

  // The two viewers, through the accounts store as an invitation creates them.
  const accounts = new AccountsStore(hubDb.prisma);
  const passwordHash = await hashPassword(PASSWORD);
  const orgOf = async (slug: string) => {
    const id = (await c.query<{ id: string }>('SELECT id FROM "Organisation" WHERE slug = $1', [slug])).rows[0]?.id;
    if (!id) throw new Error(`seed organisation "${slug}" is missing`);
    return id;
  };
  const secretariatOrganisationId = await orgOf(S.secretariatBody);
  const adminOrganisationId = await orgOf(S.adminBody);
  if (adminOrganisationId !== referrals.benchOrganisationId) throw new Error('the admin body is not the referrals seed’s benchmarked body');
  const stamp = Date.now();
  const secretariatEmail = `secretariat-${stamp}@bench.example.jp`;
  const secretariat = await accounts.createAccount({ email: secretariatEmail, displayName: '木村 大輔', passwordHash });
  await accounts.upsertMembership(secretariat.id, secretariatOrganisationId, ['SECRETARIAT']);
  const adminEmail = `org-admin-${stamp}@bench.example.jp`;
  const admin = await accounts.createAccount({ email: adminEmail, displayName: '組織 管理者', passwordHash });
  await accounts.upsertMembership(admin.id, adminOrganisationId, ['ORG_ADMIN']);

  // Supporters: 3,000 people, each with a primary membership in a body (a mild skew to the low indexes).
  const personId = (p: string) => uid(`'person:' || ${p}`);
  await step(
    'people',
    `INSERT INTO "Person" (id, slug, "nameJa", "nameKana", qualifications, specialities, "regionCodes", capacity, "searchText", "updatedAt")
     SELECT ${personId('p')}, 'bench-person-' || p, ${pick(SURNAMES, u('p', 71))} || ' ' || ${pick(GIVEN_NAMES, u('p', 72))}, 'ベンチ シエンシャ' || p,
            '{SME_CONSULTANT}'::"Qualification"[], '{STRATEGY}'::"Speciality"[], ARRAY[lpad((1 + p % 47)::text, 2, '0')], 3 + p % 6, 'bench person ' || p, ${NOW_UTC}
     FROM generate_series(0, ${S.persons - 1}) AS p`,
  );
  await step(
    'memberships',
    `INSERT INTO "Membership" ("personId", "organisationId", title, "primary")
     SELECT ${personId('p')}, b.id, '支援者', true FROM generate_series(0, ${S.persons - 1}) AS p JOIN bench_body b ON b.idx = floor(${bodies} * pow(${u('p', 70)}, 1.5))::int`,
  );
  await c.query(`CREATE TEMP TABLE bench_person AS SELECT p AS idx, ${personId('p')} AS id, b.id AS org
                 FROM generate_series(0, ${S.persons - 1}) AS p JOIN bench_body b ON b.idx = floor(${bodies} * pow(${u('p', 70)}, 1.5))::int`);
  await c.query('CREATE UNIQUE INDEX ON bench_person (idx)');
  await c.query('ANALYZE bench_person');

  // The engagements' plan: from accepted referrals, numbered in the order they were opened.
  // reached: the furthest stage index (0–6); back: a step back from it at the end; fin: closedAt or now.
  await c.query(`
    CREATE TEMP TABLE bench_eng AS
    SELECT *, CASE WHEN reached >= 2 AND ${u('e', 64)} < 0.05 THEN 1 ELSE 0 END AS back, COALESCE("closedAt", ${NOW_UTC}) AS fin
    FROM (
      SELECT *, CASE WHEN "closedAt" IS NOT NULL THEN LEAST(6, 1 + floor(6 * pow(${u('e', 63)}, 0.6))::int) ELSE LEAST(6, floor(7 * pow(${u('e', 63)}, 1.4))::int) END AS reached
      FROM (
        SELECT *, ${uid(`'engagement:' || e`)} AS eid,
               CASE WHEN created + ${days(`60 + 480 * ${u('e', 62)}`)} < ${NOW_UTC} AND ${u('e', 65)} < 0.85 THEN created + ${days(`60 + 480 * ${u('e', 62)}`)} END AS "closedAt"
        FROM (
          SELECT (row_number() OVER (ORDER BY created, rid) - 1)::int AS e, * FROM (
            SELECT r.id AS rid, r."firmId", r."recipientOrganisationId" AS owner, COALESCE(r."assigneeAccountId", b.staff) AS lead, r."supportType",
                   LEAST(${NOW_UTC}, r."respondedAt" + ${days(`1 + 10 * ${u('r.number', 61)}`)}) AS created
            FROM "Referral" r JOIN bench_body b ON b.id = r."recipientOrganisationId"
            WHERE r.status IN ('ACCEPTED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED')
            ORDER BY ${u('r.number', 60)} LIMIT ${S.engagements}
          ) picked
        ) numbered
      ) closing
    ) staged`);
  await c.query('CREATE UNIQUE INDEX ON bench_eng (e)');
  await c.query('ANALYZE bench_eng');
  /** When step k of n (1-based) happened: evenly between opening and fin. */
  const stepAt = (k: string, n: string) => `created + (fin - created) * ((${k})::float8 / ((${n}) + 1))`;
  const selfReliance = `CASE WHEN "closedAt" IS NOT NULL THEN ${pick(['NOT_YET', 'PARTLY', 'PARTLY', 'SELF_RUNNING', 'SELF_RUNNING'], u('e', 66))}
                             WHEN reached >= 5 AND ${u('e', 67)} < 0.5 THEN ${pick(['NOT_YET', 'PARTLY'], u('e', 66))} END`;
  await step(
    'engagements',
    `INSERT INTO "Engagement" (id, "firmId", "ownerOrganisationId", "leadAccountId", "referralId", "supportType", stage, "stageChangedAt", status, "closedAt",
                               "selfReliance", version, "createdAt", "updatedAt")
     SELECT eid, "firmId", owner, lead, rid, "supportType", ${STAGE_ARRAY}[1 + reached - back]::"EngagementStage",
            CASE WHEN reached + back = 0 THEN created ELSE ${stepAt('reached + back', 'reached + back')} END,
            (CASE WHEN "closedAt" IS NULL THEN 'ACTIVE' ELSE 'CLOSED' END)::"EngagementStatus", "closedAt",
            (${selfReliance})::"SelfRelianceLevel", 1 + reached + back + (CASE WHEN "closedAt" IS NULL THEN 0 ELSE 1 END), created, fin
     FROM bench_eng ORDER BY e`,
  );
  await step(
    'stage changes',
    `INSERT INTO "EngagementStageChange" ("engagementId", "fromStage", "toStage", reason, "actorAccountId", at)
     SELECT eid, "fromStage"::"EngagementStage", "toStage"::"EngagementStage", reason, lead, at FROM (
       SELECT eid, lead, ${STAGE_ARRAY}[k] AS "fromStage", ${STAGE_ARRAY}[k + 1] AS "toStage", NULL AS reason, ${stepAt('k', 'reached + back')} AS at
       FROM bench_eng CROSS JOIN LATERAL generate_series(1, reached) AS k
       UNION ALL
       SELECT eid, lead, ${STAGE_ARRAY}[reached + 1], ${STAGE_ARRAY}[reached], '課題を設定し直すため一段階戻す', ${stepAt('reached + 1', 'reached + 1')}
       FROM bench_eng WHERE back = 1
     ) c ORDER BY at, eid`,
  );

  // Team members: 0–4 besides the lead, supporters of any body, one place per person and engagement.
  const k = '(e * 8 + s)';
  const memberStatus = `CASE WHEN ${u(k, 82)} < 0.7 THEN 'ACCEPTED' WHEN ${u(k, 82)} < 0.78 THEN 'LEFT' WHEN ${u(k, 82)} < 0.86 THEN 'INVITED' WHEN ${u(k, 82)} < 0.95 THEN 'DECLINED' ELSE 'REMOVED' END`;
  await step(
    'team members',
    `INSERT INTO "TeamMember" (id, "engagementId", "personId", "organisationId", slot, status, "invitedById", "invitedAt", "respondedAt", "endedAt")
     SELECT DISTINCT ON (m.e, bp.id) ${uid(`'member:' || m.e || ':' || m.s`)}, m.eid, bp.id, bp.org,
            ${pick(['FACILITATOR', 'SPECIALIST', 'FINANCIAL_INSTITUTION', 'LOCAL_ADVISOR', 'OTHER'], u('(m.e * 8 + m.s)', 83))}::"TeamSlot", m.st::"TeamMemberStatus", m.lead,
            m.created + ${days(`3 * ${u('(m.e * 8 + m.s)', 84)}`)}, CASE WHEN m.st <> 'INVITED' THEN m.created + ${days(`3 + 5 * ${u('(m.e * 8 + m.s)', 84)}`)} END,
            CASE WHEN m.st IN ('LEFT', 'REMOVED') THEN m.created + (m.fin - m.created) * 0.5 END
     FROM (SELECT e, s, eid, lead, created, fin, ${memberStatus} AS st
           FROM bench_eng CROSS JOIN LATERAL generate_series(1, floor(5 * pow(${u('e', 80)}, 1.3))::int) AS s) m
     JOIN bench_person bp ON bp.idx = floor(${S.persons} * ${u('(m.e * 8 + m.s)', 81)})::int
     ORDER BY m.e, bp.id, m.s`,
  );

  // Essential issues: 0–3 per engagement, further along on the closed ones.
  const ki = '(e * 4 + i)';
  const issueStatus = `CASE WHEN "closedAt" IS NOT NULL THEN ${pick(['RESOLVED', 'RESOLVED', 'RESOLVED', 'RESOLVED', 'RESOLVED', 'WORKING', 'WORKING', 'DROPPED', 'DROPPED', 'OPEN'], u(ki, 86))}
                             ELSE ${pick(['OPEN', 'OPEN', 'OPEN', 'WORKING', 'WORKING', 'WORKING', 'WORKING', 'RESOLVED', 'RESOLVED', 'DROPPED'], u(ki, 86))} END`;
  await step(
    'essential issues',
    `INSERT INTO "EssentialIssue" (id, "engagementId", title, status, "createdById", "createdAt", "updatedAt")
     SELECT ${uid(`'issue:' || e || ':' || i`)}, eid, ${pick(ISSUE_TITLES, u(ki, 85))}, (${issueStatus})::"IssueStatus", lead,
            created + (fin - created) * (0.3 * ${u(ki, 87)}), created + (fin - created) * (0.3 + 0.7 * ${u(ki, 87)})
     FROM bench_eng CROSS JOIN LATERAL generate_series(1, floor(4 * ${u('e', 85)})::int) AS i`,
  );

  // Outcomes: a baseline for 45%, follow-ups after 6 and 12 months (when passed) for 80% of those.
  const base = `(30 + floor(3000 * pow(${u('e', 91)}, 2)))::float8 * 1000000`;
  const km = '(e * 4 + m)';
  await step(
    'outcome measurements',
    `INSERT INTO "OutcomeMeasurement" (id, "engagementId", "measuredOn", baseline, "salesYen", "operatingProfitYen", "valueAddedYen", employees, "recordedById", "createdAt")
     SELECT ${uid(`'outcome:' || e || ':' || m`)}, eid, at::date, m = 0,
            round(CASE WHEN m = 0 THEN base ELSE base * (0.85 + 0.45 * ${u(km, 92)}) END)::bigint,
            CASE WHEN ${u(km, 95)} >= 0.1 THEN round(base * (-0.04 + 0.12 * ${u('e', 93)}) + CASE WHEN m = 0 THEN 0 ELSE base * (-0.02 + 0.06 * ${u(km, 93)}) END)::bigint END,
            round(base * (0.2 + 0.2 * ${u('e', 94)}) * CASE WHEN m = 0 THEN 1 ELSE 0.9 + 0.35 * ${u(km, 94)} END)::bigint,
            GREATEST(0, 1 + floor(200 * pow(${u('e', 96)}, 3))::int + CASE WHEN m = 0 THEN 0 ELSE floor(-3 + 11 * ${u(km, 96)})::int END),
            lead, at
     FROM (SELECT e, eid, lead, m, ${base} AS base,
                  CASE WHEN m = 0 THEN created + ${days(`14 * ${u('e', 97)}`)} ELSE created + ${days(`180 * m + 30 * ${u('(e * 4 + m)', 97)}`)} END AS at
           FROM bench_eng CROSS JOIN LATERAL generate_series(0, CASE WHEN ${u('e', 98)} < 0.8 THEN 2 ELSE 0 END) AS m
           WHERE ${u('e', 90)} < 0.45) o
     WHERE o.at < ${NOW_UTC}
     ORDER BY o.at`,
  );

  // Surveys: for 60% of the closed engagements, a link a few days after closing; 70% answered within
  // 20 days (the link lasts 30), the rest expired or still open.
  await step(
    'satisfaction surveys',
    `INSERT INTO "SatisfactionSurvey" (id, "engagementId", "organisationId", "tokenHash", "issuedAt", "issuedByAccountId", "expiresAt", "answeredAt", overall, awareness, change, comment)
     SELECT ${uid(`'survey:' || e`)}, eid, owner, encode(sha256(convert_to('bench-survey:' || e, 'UTF8')), 'hex'), issued, lead, issued + interval '30 days', answered,
            (CASE WHEN answered IS NOT NULL THEN ${pick(['VERY_SATISFIED', 'VERY_SATISFIED', 'VERY_SATISFIED', 'VERY_SATISFIED', 'SATISFIED', 'SATISFIED', 'SATISFIED', 'SATISFIED', 'SATISFIED', 'DISSATISFIED'], u('e', 102))} END)::"SurveyOverall",
            (CASE WHEN answered IS NOT NULL THEN ${pick(['STRONGLY', 'STRONGLY', 'YES', 'YES', 'YES', 'NOT_MUCH'], u('e', 103))} END)::"SurveyAwareness",
            (CASE WHEN answered IS NOT NULL THEN ${pick(['A_LOT', 'A_LOT', 'SOME', 'SOME', 'SOME', 'SOME', 'SOME', 'NOT_MUCH', 'NOT_MUCH', 'NONE'], u('e', 104))} END)::"SurveyChange",
            CASE WHEN answered IS NOT NULL AND ${u('e', 105)} < 0.2 THEN '丁寧に伴走していただき、社内で話し合う習慣ができました。' END
     FROM (SELECT e, eid, owner, lead, issued, CASE WHEN ${u('e', 101)} < ${S.surveyAnsweredShare} AND issued + ${days(`20 * ${u('e', 106)}`)} < ${NOW_UTC} THEN issued + ${days(`20 * ${u('e', 106)}`)} END AS answered
           FROM (SELECT *, LEAST(${NOW_UTC}, "closedAt" + ${days(`3 * ${u('e', 107)}`)}) AS issued FROM bench_eng WHERE "closedAt" IS NOT NULL AND ${u('e', 100)} < ${S.surveyIssuedShare}) x) s`,
  );

  // The year's targets: the programme's and the admin body's.
  await step(
    'report targets',
    `INSERT INTO "ReportTarget" (id, "fiscalYear", "scopeKey", "organisationId", metric, target, "setByAccountId", "updatedAt")
     SELECT gen_random_uuid(), $1, t.scope, t.org, m.metric::"TargetMetric", GREATEST(1, round(m.target * t.factor))::int, $2, ${NOW_UTC}
     FROM (VALUES ('programme', NULL::uuid, 1.0), ($3::uuid::text, $3::uuid, 0.04)) AS t(scope, org, factor)
     CROSS JOIN (VALUES ('FIRMS_SUPPORTED', ${Math.round(40_000 * SCALE)}), ('ENGAGEMENTS_COMPLETED', ${Math.round(15_000 * SCALE)}), ('REFERRALS_ACCEPTED', ${Math.round(250_000 * SCALE)})) AS m(metric, target)`,
    [fiscalYear, secretariat.id, adminOrganisationId],
  );

  // The tallies and engagement columns were kept by the triggers while loading; a full rebuild is timed
  // (and rolled back) for the notes: what repairing them at this size would take.
  const rebuild = performance.now();
  await c.query('BEGIN');
  await c.query('SELECT report_tallies_rebuild()');
  await c.query('ROLLBACK');
  log(`  report_tallies_rebuild() (rolled back): ${((performance.now() - rebuild) / 1000).toFixed(1)} s`);

  const t = performance.now();
  await c.query(
    'VACUUM (ANALYZE) "Account", "AccountMembership", "Person", "Membership", "Engagement", "EngagementStageChange", "TeamMember", "EssentialIssue", "OutcomeMeasurement", "SatisfactionSurvey", "ReportTarget", "ReferralPairTally", "ReferralAnswerTally"',
  );
  log(`  VACUUM ANALYZE: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await c.query('CHECKPOINT').catch(() => undefined);
  const seconds = (performance.now() - started) / 1000;

  const counts: Record<string, number> = {};
  for (const table of ['Person', 'Engagement', 'EngagementStageChange', 'TeamMember', 'EssentialIssue', 'OutcomeMeasurement', 'SatisfactionSurvey', 'ReferralPairTally', 'ReferralAnswerTally']) {
    counts[table] = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`)).rows[0]?.n ?? 0);
  }
  return { fiscalYear, secretariatEmail, secretariatOrganisationId, adminEmail, adminOrganisationId, counts, seconds };
}

// ---------------------------------------------------------------------------------------------
// The dashboard: through the gateway, and the year's referral figures as one SQL statement

const C = 'value suppressed';
const DASHBOARD = /* GraphQL */ `
  query BenchReportDashboard($filter: ReportFilter!) {
    reportDashboard(filter: $filter) {
      ok
      error { code message field }
      dashboard {
        periodLabel from to fiscalYear suppressing suppressionThreshold
        organisation { id nameJa }
        referrals {
          sent { ${C} } received { ${C} } answered { ${C} } accepted { ${C} } declined { ${C} } forwarded { ${C} }
          acceptanceRate responseDaysMedian responseDaysP90
          declinesByReason { reason count { ${C} } }
        }
        engagements {
          opened { ${C} } completed { ${C} } firmsSupported { ${C} }
          funnel { stage count { ${C} } }
          teamsByBodies { bodies count { ${C} } }
        }
        network {
          byCategory { fromKey toKey sent { ${C} } accepted { ${C} } }
          byBody { fromKey toKey from { id nameJa } to { id nameJa } sent { ${C} } accepted { ${C} } }
        }
        outcomes {
          measured { ${C} }
          sales { n medianChange medianPercent distribution { label value suppressed } }
          operatingProfit { n medianChange medianPercent distribution { label value suppressed } }
          valueAdded { n medianChange medianPercent distribution { label value suppressed } }
          employees { n medianChange medianPercent distribution { label value suppressed } }
          selfReliance { level count { ${C} } }
          issuesResolved { ${C} } issuesTotal { ${C} }
        }
        survey {
          issued { ${C} } answered { ${C} }
          overall { answer count { ${C} } share } awareness { answer count { ${C} } share } change { answer count { ${C} } share }
        }
        targets { metric target actual progress }
      }
    }
  }
`;

interface CountCell {
  value: number | null;
  suppressed: boolean;
}

interface DashboardAnswer {
  ok: boolean;
  error: { code: string; message: string } | null;
  dashboard: {
    referrals: Record<'sent' | 'received' | 'answered' | 'accepted' | 'declined' | 'forwarded', CountCell> & { responseDaysMedian: number | null; responseDaysP90: number | null };
    engagements: { opened: CountCell; completed: CountCell; firmsSupported: CountCell };
    network: { byCategory: unknown[]; byBody: unknown[] };
    outcomes: { measured: CountCell };
    survey: { issued: CountCell; answered: CountCell };
    targets: unknown[];
  } | null;
}

interface ReportFilterInput {
  fiscalYear: number;
  organisationId?: string;
}

/**
 * The year's referral figures for a scope in one statement, written from the schema's definitions:
 * referrals sent in the period; sent = by the body, received = to it (every referral for the whole
 * network); answered = received with a first answer; accepted = received and taken on (accepted, in
 * progress, on hold, completed, or cancelled after an answer); business days to answer over the answered.
 */
const DIRECT_SQL = `
  WITH r AS (
    SELECT r.status, r."respondedAt", r."respondedBusinessDays",
           ($3::uuid IS NULL OR r."senderOrganisationId" = $3::uuid) AS is_sent,
           ($3::uuid IS NULL OR r."recipientOrganisationId" = $3::uuid) AS is_received
      FROM "Referral" r
     WHERE r."sentAt" >= $1::timestamp AND r."sentAt" < $2::timestamp
       AND ($3::uuid IS NULL OR r."senderOrganisationId" = $3::uuid OR r."recipientOrganisationId" = $3::uuid)
  )
  SELECT count(*) FILTER (WHERE is_sent)::int AS sent,
         count(*) FILTER (WHERE is_received)::int AS received,
         count(*) FILTER (WHERE is_received AND "respondedAt" IS NOT NULL)::int AS answered,
         count(*) FILTER (WHERE is_received AND (status IN ('ACCEPTED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED') OR (status = 'CANCELLED' AND "respondedAt" IS NOT NULL)))::int AS accepted,
         count(*) FILTER (WHERE is_received AND status = 'DECLINED')::int AS declined,
         count(*) FILTER (WHERE is_received AND status = 'FORWARDED')::int AS forwarded,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY "respondedBusinessDays") FILTER (WHERE is_received AND "respondedBusinessDays" IS NOT NULL) AS median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY "respondedBusinessDays") FILTER (WHERE is_received AND "respondedBusinessDays" IS NOT NULL) AS p90
    FROM r`;

interface DirectRow {
  sent: number;
  received: number;
  answered: number;
  accepted: number;
  declined: number;
  forwarded: number;
  median: number | null;
  p90: number | null;
}

async function postDashboard(url: string, headers: Record<string, string>, filter: ReportFilterInput): Promise<DashboardAnswer> {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: DASHBOARD, variables: { filter } }), signal: AbortSignal.timeout(REQUEST_TIMEOUT_SECONDS * 1000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`gateway answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as { data?: { reportDashboard?: DashboardAnswer }; errors?: unknown };
  if (body.errors !== undefined || !body.data?.reportDashboard) throw new Error(`gateway answered with errors: ${text.slice(0, 500)}`);
  const answer = body.data.reportDashboard;
  if (!answer.ok || !answer.dashboard) throw new Error(`reportDashboard was not ok: ${JSON.stringify(answer.error)}`);
  return answer;
}

/** Where the gateway's referral figures differ from the direct statement's ('' when they agree). */
function disagreements(d: NonNullable<DashboardAnswer['dashboard']>, row: DirectRow): string {
  const out: string[] = [];
  for (const key of ['sent', 'received', 'answered', 'accepted', 'declined', 'forwarded'] as const) {
    const cell = d.referrals[key];
    if (cell.value !== row[key]) out.push(`${key} ${cell.suppressed ? 'suppressed' : cell.value} vs ${row[key]}`);
  }
  const near = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - Number(b)) < 1e-9);
  if (!near(d.referrals.responseDaysMedian, row.median)) out.push(`median ${d.referrals.responseDaysMedian} vs ${row.median}`);
  if (!near(d.referrals.responseDaysP90, row.p90)) out.push(`p90 ${d.referrals.responseDaysP90} vs ${row.p90}`);
  return out.join(', ');
}

function writeVerifyHook(dir: string, key: string, sent: number | null, received: number | null): string {
  const file = path.join(dir, `verify-reports-${key}.cjs`);
  fs.writeFileSync(
    file,
    `'use strict';\n// Written by test/bench/reports.ts: a response counts only when ok, without errors, with the same sent and received counts.\n` +
      `module.exports = function verifyBody(body) {\n  try {\n    const j = JSON.parse(body);\n    const r = j.data && j.data.reportDashboard;\n` +
      `    return !j.errors && !!r && r.ok === true && !!r.dashboard && r.dashboard.referrals.sent.value === ${JSON.stringify(sent)} && r.dashboard.referrals.received.value === ${JSON.stringify(received)};\n` +
      `  } catch (e) {\n    return false;\n  }\n};\n`,
  );
  return file;
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
        if (r.rows.length !== 1) throw new Error(`direct SQL returned ${r.rows.length} rows, not 1`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
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
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }
}

// ---------------------------------------------------------------------------------------------
// The store's statements, captured from the manager over a client that records instead of querying

interface Captured {
  text: string;
  values: unknown[];
}

/** A stand-in PrismaClient: raw queries are recorded and answer no rows; model reads answer nothing (or a body, for lookups by id). */
function recordingPrisma(captured: Captured[]): PrismaClient {
  const record = (first: unknown, rest: unknown[]) => {
    const sql = first instanceof Prisma.Sql ? first : Prisma.sql(first as TemplateStringsArray, ...rest);
    captured.push({ text: sql.text, values: sql.values });
    return Promise.resolve([]);
  };
  const model = new Proxy({}, { get: (_t, method) => async (args?: { where?: { id?: string } }) => (String(method).startsWith('findMany') ? [] : method === 'count' ? 0 : args?.where?.id ? { id: args.where.id, nameJa: '' } : null) });
  return new Proxy({}, { get: (_t, prop) => (prop === '$queryRaw' ? (first: unknown, ...rest: unknown[]) => record(first, rest) : prop === 'then' ? undefined : model) }) as unknown as PrismaClient;
}

/** pg sends a Date with the local offset; the columns hold UTC without a zone. */
const pgValue = (v: unknown) => (v instanceof Date ? v.toISOString().replace('T', ' ').replace('Z', '') : v);

async function storeStatements(viewer: Viewer, filter: ReportFilterInput): Promise<Captured[]> {
  const captured: Captured[] = [];
  const manager = reportsManagerFor(recordingPrisma(captured), viewer, `http://${BENCH_HOST}`);
  const result = await manager.dashboard(filter);
  if (!result.ok) throw new Error(`the reports manager refused the filter: ${JSON.stringify(result.error)}`);
  return captured;
}

/** A short name for a statement: what it computes, when recognisable, and the tables it reads. */
function labelOf(text: string): string {
  const tables = [...new Set([...text.matchAll(/(?:FROM|JOIN) "(\w+)"/g)].map((m) => m[1]))].join('+');
  const kinds: Array<[RegExp, string]> = [
    [/"isReceived"/, 'referral histogram'],
    [/category AS f/, 'flows by body and category'],
    [/GROUPING SETS/, 'engagement figures'],
    [/"EssentialIssue"/, 'issues'],
    [/"OutcomeMeasurement"/, 'outcome pairs'],
    [/"SatisfactionSurvey"[\s\S]*LATERAL/, 'survey answers'],
    [/"SatisfactionSurvey"/, 'survey counts'],
  ];
  const kind = kinds.find(([re]) => re.test(text))?.[1] ?? `${text.replace(/\s+/g, ' ').trim().slice(0, 40)}…`;
  return `${kind} [${tables}]`;
}

async function timeStatements(pool: Pool, statements: Captured[], explain: boolean, log: (line: string) => void): Promise<{ sumMs: number; slowest: string }> {
  let sumMs = 0;
  let slowest = { ms: 0, label: '' };
  for (const [i, s] of statements.entries()) {
    const values = s.values.map(pgValue);
    const times: number[] = [];
    let rows = 0;
    for (let run = 0; run < 3; run += 1) {
      const t = performance.now();
      rows = (await pool.query(s.text, values)).rowCount ?? 0;
      times.push(performance.now() - t);
    }
    const ms = percentile(times.sort((a, b) => a - b), 50);
    sumMs += ms;
    const label = labelOf(s.text);
    if (ms > slowest.ms) slowest = { ms, label };
    log(`    ${String(i + 1).padStart(2)}. ${ms.toFixed(1).padStart(7)} ms  ${rows} rows  ${label}`);
    if (explain) {
      const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, values);
      log(`\n-- statement ${i + 1}\n${s.text.trim()}\n-- values ${JSON.stringify(values)}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
    }
  }
  return { sumMs, slowest: `${slowest.ms.toFixed(0)} ms ${slowest.label}` };
}

// ---------------------------------------------------------------------------------------------

export async function benchReports(ctx: Partial<BenchContext> = {}, env: NodeJS.ProcessEnv = process.env): Promise<BenchResult[]> {
  setLogLevel('warn');
  const logger = createLogger('bench');
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const baseUrl = ctx.baseDatabaseUrl ?? DEFAULT_BASE_DATABASE_URL;
  const bench = await benchDatabase('reports', baseUrl, env, log, logger);
  const { cleanups } = bench;
  try {
    const databaseUrl = bench.url;
    logger.warn('reports bench', { database: redact(databaseUrl), referrals: S.referrals, engagements: S.engagements });

    const { db, loader } = await openBenchDatabase(bench, S.databasePool);
    log(`seeding ${S.firms.toLocaleString('en-US')} firms and ${S.referrals.toLocaleString('en-US')} referrals over ${S.spanDays} days (the referrals bench's seed):`);
    const referrals = await seedReferrals(db, loader, log, { spanDays: S.spanDays, respondedBusinessDays: true });
    log(`  … in ${referrals.seconds.toFixed(1)} s: ${Object.entries(referrals.counts).map(([t, n]) => `${n.toLocaleString('en-US')} ${t}`).join(', ')}`);
    log(`seeding ${S.engagements.toLocaleString('en-US')} engagements and what hangs on them:`);
    const seeded = await seedReports(db, loader, referrals, log);
    await loader.end();
    cleanups.pop();
    log(`  … in ${seeded.seconds.toFixed(1)} s: ${Object.entries(seeded.counts).map(([t, n]) => `${n.toLocaleString('en-US')} ${t}`).join(', ')}`);

    const pool = new Pool({ connectionString: databaseUrl, max: Math.max(...S.connections) });
    cleanups.push({ what: 'close pg pool', run: () => pool.end() });
    const { from, to } = fiscalYearBounds(seeded.fiscalYear);
    const share = (await pool.query<{ year: string; all: string }>(`SELECT count(*) FILTER (WHERE "sentAt" >= $1 AND "sentAt" < $2) AS year, count("sentAt") AS all FROM "Referral"`, [from, to])).rows[0]!;
    log(`fiscal year ${seeded.fiscalYear} (${from} to ${to} UTC) holds ${Number(share.year).toLocaleString('en-US')} of ${Number(share.all).toLocaleString('en-US')} sent referrals`);

    const viewers = [
      { key: 'a', label: `(a) secretariat · network · FY${seeded.fiscalYear}`, email: seeded.secretariatEmail, organisationId: seeded.secretariatOrganisationId, roles: ['SECRETARIAT'] as RoleName[], filter: { fiscalYear: seeded.fiscalYear } as ReportFilterInput, scope: null as string | null },
      { key: 'b', label: `(b) body admin · own body · FY${seeded.fiscalYear}`, email: seeded.adminEmail, organisationId: seeded.adminOrganisationId, roles: ['ORG_ADMIN'] as RoleName[], filter: { fiscalYear: seeded.fiscalYear, organisationId: seeded.adminOrganisationId } as ReportFilterInput, scope: seeded.adminOrganisationId as string | null },
    ];

    // Where the time goes: the store's statements for each scope, one at a time.
    const statementNotes = new Map<string, string>();
    for (const v of viewers) {
      const statements = await storeStatements({ accountId: crypto.randomUUID(), organisationId: v.organisationId, roles: v.roles, sessionId: null, ip: null, userAgent: null, requestId: 'bench' }, v.filter);
      log(`\n${v.label}: the store's ${statements.length} statements, one at a time (p50 of 3):`);
      const timed = await timeStatements(pool, statements, env.BENCH_REPORTS_EXPLAIN === '1', log);
      log(`    sum ${timed.sumMs.toFixed(0)} ms; slowest ${timed.slowest}`);
      statementNotes.set(v.key, `store's ${statements.length} statements one by one: sum ${timed.sumMs.toFixed(0)} ms, slowest ${timed.slowest}`);
    }
    if (env.BENCH_REPORTS_SEED_ONLY === '1') {
      log('\nBENCH_REPORTS_SEED_ONLY=1: stopping before the hub starts');
      return [];
    }

    // The hub as `npm start` runs it, over the same database (one pool of S.databasePool).
    const { origin, graphqlUrl } = await startBenchHub(bench, db, 'reports');
    const hookDir = benchTempDir(bench, 'banso-bench-reports-hooks-');

    // Sign in as the browser does; check each viewer's dashboard against the direct statement.
    const prepared: Array<{ v: (typeof viewers)[number]; headers: Record<string, string>; params: unknown[]; verifyBody: string; note: string }> = [];
    for (const v of viewers) {
      const signIn = await fetch(`${origin}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: v.email, password: PASSWORD }) });
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      if (signIn.status !== 200 || !cookie.includes('=')) throw new Error(`sign-in failed: HTTP ${signIn.status} ${await signIn.text()}`);
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', cookie };
      const params = [from, to, v.scope];
      const t = performance.now();
      const answer = await postDashboard(graphqlUrl, headers, v.filter);
      const firstMs = performance.now() - t;
      const d = answer.dashboard!;
      const row = (await pool.query<DirectRow>(DIRECT_SQL, params)).rows[0]!;
      const differs = disagreements(d, row);
      if (differs) log(`WARNING ${v.label}: the gateway's referral figures disagree with the direct SQL: ${differs}`);
      const r = d.referrals;
      log(
        `${v.label}: first answer in ${firstMs.toFixed(0)} ms; sent ${r.sent.value}, received ${r.received.value}, accepted ${r.accepted.value}, median ${r.responseDaysMedian} bd; ` +
          `opened ${d.engagements.opened.value}, completed ${d.engagements.completed.value}, firms ${d.engagements.firmsSupported.value}; measured ${d.outcomes.measured.value}; ` +
          `surveys ${d.survey.answered.value}/${d.survey.issued.value}; ${d.network.byCategory.length} category flows, ${d.network.byBody.length} body flows, ${d.targets.length} targets` +
          `${differs ? '' : '; referral figures agree with the direct SQL'}`,
      );
      prepared.push({ v, headers, params, verifyBody: writeVerifyHook(hookDir, v.key, r.sent.value, r.received.value), note: differs ? `DISAGREES with direct SQL: ${differs}` : 'referral figures = direct SQL' });
    }

    const loadBefore = os.loadavg()[0] ?? 0;
    if (loadBefore > 0.5) log(`note: load average ${loadBefore.toFixed(2)} before measuring: other processes are using the CPU`);
    const results: BenchResult[] = [];
    for (const connections of S.connections) {
      for (const { v, headers, params, verifyBody, note } of prepared) {
        logger.warn('measuring', { viewer: v.label, target: 'gateway', connections, seconds: S.measureSeconds });
        const opts: AutocannonOptions = {
          url: graphqlUrl,
          method: 'POST',
          headers,
          body: JSON.stringify({ query: DASHBOARD, variables: { filter: v.filter } }),
          connections,
          duration: S.warmupSeconds,
          timeout: REQUEST_TIMEOUT_SECONDS,
          workers: 1,
          verifyBody,
        };
        // A run with failed answers is a result too (e.g. the hub's pool timing out under load): it is
        // written as FAILS with what went wrong, and the bench goes on to the next run.
        const warm = await runLoad(opts);
        const cpuBefore = hubCpuMs();
        const g = await runLoad({ ...opts, duration: S.measureSeconds });
        const hubCpuPerRequest = (hubCpuMs() - cpuBefore) / Math.max(1, g.requests.total);
        const failed = problemsOf(g) ? `FAILS: ${problemsOf(g)} of ${g.requests.total} requests${problemsOf(warm) ? ` (warm-up: ${problemsOf(warm)})` : ''}` : '';
        if (failed) log(`${v.label}, ${connections} conn: ${failed}`);
        const gRps = g.duration > 0 ? g.requests.total / g.duration : 0;

        logger.warn('measuring', { viewer: v.label, target: 'direct SQL', connections, seconds: S.measureSeconds });
        await sqlLoad(pool, params, connections, S.warmupSeconds);
        const d = await sqlLoad(pool, params, connections, S.measureSeconds);
        const dRps = d.latencies.length / d.seconds;
        const dP50 = percentile(d.latencies, 50);
        const dP99 = percentile(d.latencies, 99);

        const verdict = failed || (g.latency.p99 < S.targetP99Ms ? `meets p99 < ${S.targetP99Ms} ms` : `MISSES p99 < ${S.targetP99Ms} ms`);
        results.push({
          name: `gateway · ${v.label} · ${connections} conn`,
          requests: g.requests.total,
          rps: gRps,
          p50Ms: g.latency.p50,
          p99Ms: g.latency.p99,
          notes: `${verdict}; ${(g.latency.p50 / dP50).toFixed(1)}× direct p50; hub main thread ${hubCpuPerRequest.toFixed(1)} ms CPU/request; ${failed ? '' : 'every answer ok; '}${statementNotes.get(v.key) ?? ''}`,
        });
        results.push({
          name: `direct SQL · ${v.key === 'a' ? '(a) network' : '(b) own body'} year's referral figures · ${connections} conn`,
          requests: d.latencies.length,
          rps: dRps,
          p50Ms: dP50,
          p99Ms: dP99,
          notes: `one statement over the year's referrals; ${note}`,
        });
      }
    }
    log(`\n${S.connections.join(' and ')} connections, ${S.measureSeconds} s each after a ${S.warmupSeconds} s warm-up; seeding took ${(referrals.seconds + seeded.seconds).toFixed(1)} s; load average ${loadBefore.toFixed(2)} before, ${(os.loadavg()[0] ?? 0).toFixed(2)} after\n`);
    return results;
  } finally {
    await bench.close();
  }
}
