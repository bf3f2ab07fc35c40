/**
 * Reports through the gateway over a known data set across two fiscal years (令和6・7・8年度), written
 * straight into the database with the dates the figures depend on — including a referral sent on
 * 31 March and answered on 1 April. Three bodies are made for this file only, so the figures are exact
 * even while other test files write to the same database. Every dashboard figure is asserted, for the
 * body's own admin (exact) and for the secretariat (small counts suppressed), and again in the CSV. The
 * survey link is issued by the lead, answered once without an account, and refused twice and expired.
 */
import type { RunningHub } from '../gateway/hub';
import { AccountsStore } from '../services/accounts/accounts.store';
import { hashPassword } from '../services/accounts/credentials';
import { DirectoryStore } from '../services/directory/directory.store';
import { hashSurveyToken } from '../services/reports/reports.manager';
import { DEMO_PASSWORD, graphql, signIn, startTestHub } from './support/hub';

let hub: RunningHub;
const RUN = String(Date.now()).slice(-8);
const org: Record<'bank' | 'yorozu' | 'tax', string> = { bank: '', yorozu: '', tax: '' };
const cookies: Record<string, string> = {};
const accounts: Record<string, string> = {};
const engagements: Record<string, string> = {};

/** An instant in Japan time. */
const jst = (day: string, time = '10:00') => new Date(`${day}T${time}:00+09:00`);
const day = (d: string) => new Date(`${d}T00:00:00.000Z`);

type Err = { code: string; message: string; field: string | null } | null;
type Count = { value: number | null; suppressed: boolean };

beforeAll(async () => {
  hub = await startTestHub();
  const prisma = hub.database.prisma;
  const directory = new DirectoryStore(prisma);
  const body = async (key: keyof typeof org, nameJa: string, category: 'FINANCIAL' | 'PUBLIC_BODY' | 'PROFESSIONAL') => {
    const row = await directory.upsertOrganisation({ slug: `rpt-${key}-${RUN}`, nameJa: `${nameJa}${RUN}`, nameEn: `Report ${key} ${RUN}`, nameKana: 'レポート', category, councilRole: 'NONE', prefectureCode: '15', website: null, description: null, parentId: null });
    org[key] = row.id;
  };
  await body('bank', '報告テスト地域金融', 'FINANCIAL');
  await body('yorozu', '報告テストよろず支援拠点', 'PUBLIC_BODY');
  await body('tax', '報告テスト税理士会', 'PROFESSIONAL');
  const store = new AccountsStore(prisma);
  const account = async (key: string, organisationId: string, roles: Array<'ORG_ADMIN' | 'SUPPORTER' | 'TEAM_LEAD' | 'SECRETARIAT'>) => {
    const email = `rpt-${key.toLowerCase()}-${RUN}@test.example.jp`;
    const a = await store.createAccount({ email, displayName: `報告テスト ${key}`, passwordHash: await hashPassword(DEMO_PASSWORD) });
    await store.upsertMembership(a.id, organisationId, roles);
    accounts[key] = a.id;
    cookies[key] = (await signIn(hub.url, email)).cookie;
  };
  await account('yorozuAdmin', org.yorozu, ['ORG_ADMIN']);
  await account('lead', org.yorozu, ['TEAM_LEAD', 'SUPPORTER']);
  await account('bankAdmin', org.bank, ['ORG_ADMIN']);
  await account('secretariat', (await prisma.organisation.findFirstOrThrow({ where: { slug: 'sme-agency-banso' } })).id, ['SECRETARIAT']);
  const person = await directory.upsertPerson({ slug: `rpt-person-${RUN}`, nameJa: '報告 太郎', nameKana: 'ホウコク タロウ', nameEn: null, email: null, qualifications: [], specialities: [], regionCodes: ['15'], capacity: 5 });

  const firms: string[] = [];
  for (let i = 0; i < 6; i += 1) {
    const f = await prisma.firm.create({ data: { nameJa: `株式会社報告テスト${i}-${RUN}`, nameKana: 'ホウコクテスト', prefectureCode: '15', industryDivision: 'E', matchKey: `rpt-${RUN}-${i}`, createdByOrganisationId: org.bank, createdByAccountId: accounts.bankAdmin } });
    firms.push(f.id);
  }
  const referral = (n: number, from: string, to: string, sentAt: Date, answer: { at: Date; days: number; status: 'ACCEPTED' | 'IN_PROGRESS' | 'COMPLETED' | 'DECLINED' | 'FORWARDED'; reason?: 'NO_CAPACITY' | 'OUT_OF_AREA' } | null) =>
    prisma.referral.create({
      data: {
        firmId: firms[n % firms.length]!,
        senderOrganisationId: from,
        senderAccountId: accounts.bankAdmin,
        recipientOrganisationId: to,
        supportType: 'ISSUE_SETTING',
        reason: '報告テスト',
        summary: '報告テスト',
        status: answer?.status ?? 'SENT',
        sentAt,
        respondedAt: answer?.at ?? null,
        respondedBusinessDays: answer?.days ?? null,
        declineReason: answer?.reason ?? null,
      },
    });
  // 令和7年度 (FY2025): six from the bank, one from the tax accountants, all to the よろず支援拠点.
  await referral(1, org.bank, org.yorozu, jst('2026-03-31', '16:00'), { at: jst('2026-04-01', '09:30'), days: 1, status: 'IN_PROGRESS' }); // sent on 31 March, answered on 1 April
  await referral(2, org.bank, org.yorozu, jst('2025-06-02'), { at: jst('2025-06-04'), days: 2, status: 'COMPLETED' });
  await referral(3, org.bank, org.yorozu, jst('2025-07-01'), { at: jst('2025-07-01', '15:00'), days: 0, status: 'DECLINED', reason: 'NO_CAPACITY' });
  await referral(4, org.bank, org.yorozu, jst('2025-09-01'), { at: jst('2025-09-05'), days: 4, status: 'DECLINED', reason: 'NO_CAPACITY' });
  await referral(5, org.bank, org.yorozu, jst('2025-10-01'), { at: jst('2025-10-02'), days: 1, status: 'FORWARDED' });
  await referral(0, org.bank, org.yorozu, jst('2025-11-04'), null);
  await referral(2, org.tax, org.yorozu, jst('2025-12-01'), { at: jst('2025-12-02'), days: 1, status: 'ACCEPTED' });
  // 令和8年度 and 令和6年度: outside FY2025.
  await referral(3, org.bank, org.yorozu, jst('2026-04-01', '11:00'), { at: jst('2026-04-02'), days: 1, status: 'ACCEPTED' });
  await referral(4, org.yorozu, org.bank, jst('2025-03-31', '23:30'), { at: jst('2025-04-01'), days: 1, status: 'DECLINED', reason: 'OUT_OF_AREA' });

  const engagement = async (key: string, firm: number, createdAt: Date, e: { stage: 'AWARENESS' | 'PROBLEM_SOLVING' | 'FOLLOW_UP' | 'TARGETING'; closedAt?: Date; selfReliance?: 'PARTLY' | 'SELF_RUNNING'; history: Array<'MUTUAL_UNDERSTANDING' | 'TRUST_BUILDING' | 'AWARENESS' | 'INTRINSIC_MOTIVATION' | 'PROBLEM_SOLVING' | 'FOLLOW_UP'>; members?: string[] }) => {
    const row = await prisma.engagement.create({
      data: { firmId: firms[firm]!, ownerOrganisationId: org.yorozu, leadAccountId: accounts.lead, supportType: 'ISSUE_SETTING', stage: e.stage, status: e.closedAt ? 'CLOSED' : 'ACTIVE', closedAt: e.closedAt ?? null, selfReliance: e.selfReliance ?? null, createdAt },
    });
    engagements[key] = row.id;
    let from: string | null = 'TARGETING';
    for (const [i, to] of e.history.entries()) {
      await prisma.engagementStageChange.create({ data: { engagementId: row.id, fromStage: from as never, toStage: to, actorAccountId: accounts.lead, at: new Date(createdAt.getTime() + (i + 1) * 86_400_000) } });
      from = to;
    }
    for (const m of e.members ?? []) await prisma.teamMember.create({ data: { engagementId: row.id, personId: person.id, organisationId: m, slot: 'SPECIALIST', status: 'ACCEPTED', invitedById: accounts.lead } });
    return row.id;
  };
  const measure = (engagementId: string, measuredOn: string, baseline: boolean, sales: number, profit: number, valueAdded: number, employees: number) =>
    prisma.outcomeMeasurement.create({ data: { engagementId, measuredOn: day(measuredOn), baseline, salesYen: BigInt(sales), operatingProfitYen: BigInt(profit), valueAddedYen: BigInt(valueAdded), employees, recordedById: accounts.lead } });
  const all7 = ['MUTUAL_UNDERSTANDING', 'TRUST_BUILDING', 'AWARENESS', 'INTRINSIC_MOTIVATION', 'PROBLEM_SOLVING', 'FOLLOW_UP'] as const;
  // e1: the whole way, closed in February, a team of three bodies.
  const e1 = await engagement('e1', 2, jst('2025-06-10'), { stage: 'FOLLOW_UP', closedAt: jst('2026-02-20'), selfReliance: 'SELF_RUNNING', history: [...all7], members: [org.bank, org.tax] });
  await measure(e1, '2025-06-15', true, 100_000_000, 5_000_000, 30_000_000, 20);
  await measure(e1, '2026-02-15', false, 115_000_000, 7_000_000, 33_000_000, 22);
  await prisma.essentialIssue.createMany({ data: [{ engagementId: e1, title: '部門間の情報共有', status: 'RESOLVED', createdById: accounts.lead }, { engagementId: e1, title: '在庫管理', status: 'WORKING', createdById: accounts.lead }] });
  // e2: from the tax accountants' referral, at 気づき・腹落ち, a team of two bodies; an operating loss narrowing.
  const e2 = await engagement('e2', 3, jst('2025-12-05'), { stage: 'AWARENESS', history: ['MUTUAL_UNDERSTANDING', 'TRUST_BUILDING', 'AWARENESS'], members: [org.bank] });
  await measure(e2, '2025-12-10', true, 50_000_000, -2_000_000, 10_000_000, 8);
  await measure(e2, '2026-03-20', false, 49_000_000, -1_000_000, 11_000_000, 8);
  await prisma.essentialIssue.createMany({ data: [{ engagementId: e2, title: '販路', status: 'OPEN', createdById: accounts.lead }, { engagementId: e2, title: '見送り', status: 'DROPPED', createdById: accounts.lead }] });
  // e3: reached フォローアップ, went back to 課題解決; alone.
  const e3 = await engagement('e3', 4, jst('2025-04-10'), { stage: 'PROBLEM_SOLVING', selfReliance: 'PARTLY', history: [...all7, 'PROBLEM_SOLVING'] });
  await measure(e3, '2025-04-15', true, 200_000_000, 10_000_000, 60_000_000, 40);
  await measure(e3, '2025-10-15', false, 260_000_000, 12_000_000, 66_000_000, 46);
  await prisma.essentialIssue.create({ data: { engagementId: e3, title: '生産管理', status: 'WORKING', createdById: accounts.lead } });
  // Outside FY2025: opened in FY2026; closed in FY2024 (its survey, answered in April 2025, counts in FY2025).
  await engagement('e4', 5, jst('2026-04-05'), { stage: 'TARGETING', history: [] });
  const e5 = await engagement('e5', 0, jst('2024-05-01'), { stage: 'FOLLOW_UP', closedAt: jst('2025-03-15'), history: [...all7] });
  const survey = (engagementId: string, issuedAt: Date, answeredAt: Date, a: { overall: 'VERY_SATISFIED' | 'SATISFIED'; awareness: 'STRONGLY' | 'YES'; change: 'A_LOT' | 'SOME' }) =>
    prisma.satisfactionSurvey.create({ data: { engagementId, organisationId: org.yorozu, tokenHash: hashSurveyToken(`${engagementId}-${RUN}`), issuedAt, issuedByAccountId: accounts.lead, expiresAt: new Date(issuedAt.getTime() + 30 * 86_400_000), answeredAt, ...a } });
  await survey(e1, jst('2026-02-21'), jst('2026-03-01'), { overall: 'VERY_SATISFIED', awareness: 'STRONGLY', change: 'A_LOT' });
  await survey(e5, jst('2025-03-20'), jst('2025-04-02'), { overall: 'SATISFIED', awareness: 'YES', change: 'SOME' });
});
afterAll(async () => {
  await hub?.stop();
});

async function gql<T>(who: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await graphql<T>(hub.url, query, variables, cookies[who] ? { cookie: cookies[who] } : {});
  if (res.body.errors?.length) throw new Error(`${who}: ${JSON.stringify(res.body.errors)}`);
  return res.body.data as T;
}

const C = 'value suppressed';
const DASHBOARD = `query($f: ReportFilter!) { reportDashboard(filter: $f) { ok error { code message field } dashboard {
  periodLabel from to fiscalYear suppressing suppressionThreshold
  referrals { sent { ${C} } received { ${C} } answered { ${C} } accepted { ${C} } declined { ${C} } forwarded { ${C} } acceptanceRate responseDaysMedian responseDaysP90 declinesByReason { reason count { ${C} } } }
  engagements { opened { ${C} } completed { ${C} } firmsSupported { ${C} } funnel { stage count { ${C} } } teamsByBodies { bodies count { ${C} } } }
  network { byCategory { fromKey toKey sent { ${C} } accepted { ${C} } } byBody { from { id } to { id } sent { ${C} } accepted { ${C} } } }
  outcomes { measured { ${C} } sales { n medianChange medianPercent distribution { label value suppressed } } operatingProfit { n medianChange medianPercent distribution { label value suppressed } }
    valueAdded { n medianChange medianPercent distribution { label value suppressed } } employees { n medianChange distribution { label value suppressed } }
    selfReliance { level count { ${C} } } issuesResolved { ${C} } issuesTotal { ${C} } }
  survey { issued { ${C} } answered { ${C} } overall { answer count { ${C} } share } awareness { answer count { ${C} } share } change { answer count { ${C} } share } }
  targets { metric target actual progress }
} } }`;
type Dashboard = Record<string, unknown> & {
  referrals: Record<string, unknown>;
  engagements: Record<string, unknown>;
  network: { byCategory: unknown[]; byBody: unknown[] };
  outcomes: Record<string, unknown>;
  survey: Record<string, unknown>;
  targets: unknown[];
};
const dashboard = async (who: string, filter: Record<string, unknown>) => (await gql<{ reportDashboard: { ok: boolean; error: Err; dashboard: Dashboard | null } }>(who, DASHBOARD, { f: filter })).reportDashboard;

const v = (value: number): Count => ({ value, suppressed: false });
const hidden: Count = { value: null, suppressed: true };

describe('the dashboard over a known data set', () => {
  test('the secretariat sets a yearly target for the body; only the secretariat may', async () => {
    const set = await gql<{ setReportTarget: { ok: boolean; error: Err } }>('secretariat', 'mutation($i: ReportTargetInput!) { setReportTarget(input: $i) { ok error { code } } }', { i: { fiscalYear: 2025, organisationId: org.yorozu, metric: 'FIRMS_SUPPORTED', target: 6 } });
    expect(set.setReportTarget.ok).toBe(true);
    const bad = await gql<{ setReportTarget: { error: Err } }>('secretariat', 'mutation($i: ReportTargetInput!) { setReportTarget(input: $i) { ok error { code field } } }', { i: { fiscalYear: 2025, metric: 'FIRMS_SUPPORTED', target: -1 } });
    expect(bad.setReportTarget.error).toMatchObject({ code: 'reports/invalid_target', field: 'target' });
    const denied = await graphql(hub.url, 'mutation { setReportTarget(input: { fiscalYear: 2025, metric: FIRMS_SUPPORTED, target: 1 }) { ok } }', {}, { cookie: cookies.yorozuAdmin });
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test('the body’s own admin sees every figure of 令和7年度 exactly', async () => {
    const r = await dashboard('yorozuAdmin', { fiscalYear: 2025 });
    expect(r.error).toBeNull();
    const d = r.dashboard!;
    expect(d).toMatchObject({ periodLabel: '令和7年度', from: '2025-04-01', to: '2026-03-31', fiscalYear: 2025, suppressing: false, suppressionThreshold: 3 });
    expect(d.referrals).toEqual({
      sent: v(0), // its one referral to the bank went on 31 March 2025: 令和6年度
      received: v(7),
      answered: v(6),
      accepted: v(3),
      declined: v(2),
      forwarded: v(1),
      acceptanceRate: 0.5,
      responseDaysMedian: 1, // 0, 1, 1, 1, 2, 4 business days (31 March → 1 April is one)
      responseDaysP90: 3,
      declinesByReason: [
        { reason: 'OUT_OF_SCOPE', count: v(0) },
        { reason: 'NO_CAPACITY', count: v(2) },
        { reason: 'OUT_OF_AREA', count: v(0) },
        { reason: 'FIRM_UNREACHABLE', count: v(0) },
        { reason: 'ALREADY_SUPPORTED', count: v(0) },
        { reason: 'OTHER', count: v(0) },
      ],
    });
    expect(d.engagements).toEqual({
      opened: v(3),
      completed: v(1),
      firmsSupported: v(3),
      funnel: [v(3), v(3), v(3), v(3), v(2), v(2), v(2)].map((count, i) => ({ stage: ['TARGETING', 'MUTUAL_UNDERSTANDING', 'TRUST_BUILDING', 'AWARENESS', 'INTRINSIC_MOTIVATION', 'PROBLEM_SOLVING', 'FOLLOW_UP'][i], count })),
      teamsByBodies: [
        { bodies: 1, count: v(1) },
        { bodies: 2, count: v(1) },
        { bodies: 3, count: v(1) },
        { bodies: 4, count: v(0) },
      ],
    });
    expect(d.network.byCategory).toEqual([
      { fromKey: 'FINANCIAL', toKey: 'PUBLIC_BODY', sent: v(6), accepted: v(2) },
      { fromKey: 'PROFESSIONAL', toKey: 'PUBLIC_BODY', sent: v(1), accepted: v(1) },
    ]);
    expect(d.network.byBody).toEqual([
      { from: { id: org.bank }, to: { id: org.yorozu }, sent: v(6), accepted: v(2) },
      { from: { id: org.tax }, to: { id: org.yorozu }, sent: v(1), accepted: v(1) },
    ]);
    const o = d.outcomes as Record<string, { n: number; medianChange: number | null; medianPercent?: number | null; distribution: Array<{ label: string; value: number | null; suppressed: boolean }> }> & Record<string, unknown>;
    expect(o.measured).toEqual(v(3));
    expect(o.sales).toEqual({
      n: 3,
      medianChange: 15_000_000,
      medianPercent: 15,
      distribution: [
        { label: '−10%未満', ...v(0) },
        { label: '−10%〜0%未満', ...v(1) },
        { label: '0%〜10%未満', ...v(0) },
        { label: '10%〜20%未満', ...v(1) },
        { label: '20%以上', ...v(1) },
      ],
    });
    expect(o.operatingProfit).toEqual({ n: 3, medianChange: 2_000_000, medianPercent: null, distribution: [{ label: '減少', ...v(0) }, { label: '変化なし', ...v(0) }, { label: '増加', ...v(3) }] });
    expect(o.valueAdded).toMatchObject({ n: 3, medianChange: 3_000_000, medianPercent: 10 });
    expect(o.valueAdded.distribution.find((b) => b.label === '10%〜20%未満')).toEqual({ label: '10%〜20%未満', ...v(3) });
    expect(o.employees).toEqual({ n: 3, medianChange: 2, distribution: [{ label: '減少', ...v(0) }, { label: '変化なし', ...v(1) }, { label: '1〜4人増', ...v(1) }, { label: '5人以上増', ...v(1) }] });
    expect(o.selfReliance).toEqual([{ level: 'NOT_YET', count: v(0) }, { level: 'PARTLY', count: v(1) }, { level: 'SELF_RUNNING', count: v(1) }]);
    expect(o.issuesResolved).toEqual(v(1));
    expect(o.issuesTotal).toEqual(v(4));
    expect(d.survey).toEqual({
      issued: v(1),
      answered: v(2),
      overall: [{ answer: 'VERY_SATISFIED', count: v(1), share: 0.5 }, { answer: 'SATISFIED', count: v(1), share: 0.5 }, { answer: 'DISSATISFIED', count: v(0), share: 0 }],
      awareness: [{ answer: 'STRONGLY', count: v(1), share: 0.5 }, { answer: 'YES', count: v(1), share: 0.5 }, { answer: 'NOT_MUCH', count: v(0), share: 0 }],
      change: [{ answer: 'A_LOT', count: v(1), share: 0.5 }, { answer: 'SOME', count: v(1), share: 0.5 }, { answer: 'NOT_MUCH', count: v(0), share: 0 }, { answer: 'NONE', count: v(0), share: 0 }],
    });
    expect(d.targets).toEqual([{ metric: 'FIRMS_SUPPORTED', target: 6, actual: 3, progress: 0.5 }]);
  });

  test('令和8年度 holds the referral sent on 1 April and the engagement opened then', async () => {
    const d = (await dashboard('yorozuAdmin', { fiscalYear: 2026 })).dashboard!;
    expect(d.referrals).toMatchObject({ received: v(1), accepted: v(1), responseDaysMedian: 1 });
    // e2 and e3 are still active in 令和8年度, and e4 opened in it; none closed.
    expect(d.engagements).toMatchObject({ opened: v(1), completed: v(0), firmsSupported: v(3) });
  });

  test('the secretariat sees the same body with small counts suppressed; the bank admin may not ask for it', async () => {
    const d = (await dashboard('secretariat', { fiscalYear: 2025, organisationId: org.yorozu })).dashboard!;
    expect(d.suppressing).toBe(true);
    expect(d.referrals).toMatchObject({ received: v(7), accepted: v(3), declined: hidden, forwarded: hidden, acceptanceRate: 0.5, responseDaysMedian: 1 });
    expect(d.engagements).toMatchObject({ opened: v(3), completed: hidden, teamsByBodies: [{ bodies: 1, count: hidden }, { bodies: 2, count: hidden }, { bodies: 3, count: hidden }, { bodies: 4, count: v(0) }] });
    expect(d.network.byCategory).toEqual([
      { fromKey: 'FINANCIAL', toKey: 'PUBLIC_BODY', sent: v(6), accepted: hidden },
      { fromKey: 'PROFESSIONAL', toKey: 'PUBLIC_BODY', sent: hidden, accepted: hidden },
    ]);
    expect((d.outcomes as { sales: { medianChange: number } }).sales.medianChange).toBe(15_000_000);
    expect((d.survey as { overall: Array<{ count: Count; share: number | null }> }).overall[0]).toEqual({ answer: 'VERY_SATISFIED', count: hidden, share: null });
    expect(d.targets).toEqual([{ metric: 'FIRMS_SUPPORTED', target: 6, actual: 3, progress: 0.5 }]);

    const other = await dashboard('bankAdmin', { fiscalYear: 2025, organisationId: org.yorozu });
    expect(other.error).toMatchObject({ code: 'reports/organisation_not_allowed', field: 'organisationId' });
    // The bank's own report: six sent in 令和7年度 (and the one it declined from the よろず belongs to 令和6年度).
    const own = (await dashboard('bankAdmin', { fiscalYear: 2025 })).dashboard!;
    expect(own.referrals).toMatchObject({ sent: v(6), received: v(0) });
    const denied = await graphql(hub.url, DASHBOARD, { f: { fiscalYear: 2025 } }, { cookie: cookies.lead });
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test('bad periods are refused with a clear message', async () => {
    expect((await dashboard('yorozuAdmin', { from: '2026-03-31', to: '2025-04-01' })).error).toMatchObject({ code: 'reports/invalid_range', field: 'from' });
    expect((await dashboard('yorozuAdmin', { from: '2026-02-30', to: '2026-03-31' })).error).toMatchObject({ code: 'reports/invalid_period' });
    expect((await dashboard('yorozuAdmin', {})).error).toMatchObject({ code: 'reports/invalid_period' });
    expect((await dashboard('yorozuAdmin', { from: '2015-01-01', to: '2026-01-01' })).error).toMatchObject({ code: 'reports/range_too_long' });
    expect((await dashboard('secretariat', { fiscalYear: 2025, prefectureCode: '99' })).error).toMatchObject({ code: 'reports/invalid_prefecture' });
    // A range: 31 March and 1 April 2026 only — the referral sent on the 31st is in it, answered the next day.
    const range = (await dashboard('yorozuAdmin', { from: '2026-03-31', to: '2026-04-01' })).dashboard!;
    expect(range).toMatchObject({ periodLabel: '2026-03-31〜2026-04-01', fiscalYear: null });
    expect(range.referrals).toMatchObject({ received: v(2), accepted: v(2), responseDaysMedian: 1 });
  });

  test('a period of whole fiscal years and days around them: the years from the tallies, the days from the referrals', async () => {
    // 令和6・7年度 whole (tallied) and April 2026 (counted from the referrals).
    const mixed = (await dashboard('yorozuAdmin', { from: '2024-04-01', to: '2026-04-30' })).dashboard!;
    const { responseDaysP90, ...referrals } = mixed.referrals;
    expect(responseDaysP90).toBeCloseTo(2.8, 10);
    expect(referrals).toEqual({
      sent: v(1), // to the bank on 31 March 2025, declined
      received: v(8),
      answered: v(7),
      accepted: v(4),
      declined: v(2),
      forwarded: v(1),
      acceptanceRate: 4 / 7,
      responseDaysMedian: 1, // 0, 1, 1, 1, 1, 2, 4
      declinesByReason: ['OUT_OF_SCOPE', 'NO_CAPACITY', 'OUT_OF_AREA', 'FIRM_UNREACHABLE', 'ALREADY_SUPPORTED', 'OTHER'].map((reason) => ({ reason, count: v(reason === 'NO_CAPACITY' ? 2 : 0) })),
    });
    expect(mixed.network.byBody).toEqual([
      { from: { id: org.bank }, to: { id: org.yorozu }, sent: v(7), accepted: v(3) },
      ...[
        { from: { id: org.tax }, to: { id: org.yorozu }, sent: v(1), accepted: v(1) },
        { from: { id: org.yorozu }, to: { id: org.bank }, sent: v(1), accepted: v(0) },
      ].sort((a, b) => a.from.id.localeCompare(b.from.id)),
    ]);
    expect(mixed.network.byCategory).toEqual([
      { fromKey: 'FINANCIAL', toKey: 'PUBLIC_BODY', sent: v(7), accepted: v(3) },
      { fromKey: 'PROFESSIONAL', toKey: 'PUBLIC_BODY', sent: v(1), accepted: v(1) },
      { fromKey: 'PUBLIC_BODY', toKey: 'FINANCIAL', sent: v(1), accepted: v(0) },
    ]);
    // A prefecture filter reads every day from the referrals (all these firms are in 新潟県): the same figures.
    const counted = (await dashboard('yorozuAdmin', { from: '2024-04-01', to: '2026-04-30', prefectureCode: '15' })).dashboard!;
    expect(counted.referrals).toEqual(mixed.referrals);
    expect(counted.network).toEqual(mixed.network);
    // Inside one year nothing is tallied: June 2025 to March 2026 holds all of 令和7年度's referrals.
    const inside = (await dashboard('yorozuAdmin', { from: '2025-06-01', to: '2026-03-31' })).dashboard!;
    const year = (await dashboard('yorozuAdmin', { fiscalYear: 2025 })).dashboard!;
    expect(inside.referrals).toEqual(year.referrals);
    expect(inside.network).toEqual(year.network);
  });

  test('the CSV carries the same figures, opens in Excel (BOM, CRLF) and is scoped like the query', async () => {
    const res = await fetch(new URL(`files/reports/dashboard.csv?fiscalYear=2025`, hub.url), { headers: { cookie: cookies.yorozuAdmin } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('"区分","項目","内訳","件数・値","受入件数","割合"');
    for (const expected of [
      '"期間","令和7年度","2025-04-01〜2026-03-31","","",""',
      '"紹介","送付","","0","",""',
      '"紹介","受付","","7","",""',
      '"紹介","回答済み","","6","",""',
      '"紹介","受入","","3","",""',
      '"紹介","辞退","","2","",""',
      '"紹介","回付","","1","",""',
      '"紹介","受入率","","50.0%","",""',
      '"紹介","回答までの営業日数","中央値","1","",""',
      '"紹介","回答までの営業日数","90パーセンタイル","3","",""',
      '"辞退理由","受入余力なし","","2","",""',
      '"伴走支援","開始","","3","",""',
      '"伴走支援","完了","","1","",""',
      '"伴走支援","支援企業数","","3","",""',
      '"段階（到達）","支援対象","","3","",""',
      '"段階（到達）","フォローアップ・自走化","","2","",""',
      '"チームの機関数","3機関","","1","",""',
      '"紹介の流れ（区分）","金融機関等 → 公的機関","","6","2",""',
      `"紹介の流れ（機関）","報告テスト地域金融${RUN} → 報告テストよろず支援拠点${RUN}","","6","2",""`,
      '"成果","測定済みの伴走支援","","3","",""',
      '"成果","売上高","変化の中央値","15000000","",""',
      '"成果","売上高","変化率の中央値","15%","",""',
      '"成果の分布","売上高","20%以上","1","",""',
      '"成果","従業員数","変化の中央値","2","",""',
      '"自走化の評価","自走化","","1","",""',
      '"本質的課題","解決","","1","",""',
      '"満足度アンケート","回答","","2","",""',
      '"満足度アンケート","①総合満足度","大変満足","1","","50.0%"',
      '"満足度アンケート","③自走化に向けた行動・意識の変化","あまり変化しなかった","0","","0.0%"',
      '"目標","支援企業数","目標 6","3","","50.0%"',
    ])
      expect(lines).toContain(expected);
    const secretariat = Buffer.from(await (await fetch(new URL(`files/reports/dashboard.csv?fiscalYear=2025&organisationId=${org.yorozu}`, hub.url), { headers: { cookie: cookies.secretariat } })).arrayBuffer()).toString('utf8');
    expect(secretariat).toContain('"紹介","辞退","","秘匿","",""');
    expect(secretariat).toContain('"注記","秘匿","3件未満の件数は秘匿","","",""');
    const refused = await fetch(new URL(`files/reports/dashboard.csv?fiscalYear=2025&organisationId=${org.yorozu}`, hub.url), { headers: { cookie: cookies.bankAdmin } });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('他の機関の報告は表示できません');
  });
});

describe('the satisfaction survey', () => {
  test('the lead issues the link of a closed engagement; the firm answers once without an account', async () => {
    const open = await gql<{ issueSurveyLink: { error: Err } }>('lead', 'mutation($e: ID!) { issueSurveyLink(engagementId: $e) { ok error { code } } }', { e: engagements.e2 });
    expect(open.issueSurveyLink.error).toMatchObject({ code: 'reports/engagement_not_closed' });
    const answeredAlready = await gql<{ issueSurveyLink: { error: Err } }>('lead', 'mutation($e: ID!) { issueSurveyLink(engagementId: $e) { ok error { code } } }', { e: engagements.e1 });
    expect(answeredAlready.issueSurveyLink.error).toMatchObject({ code: 'reports/survey_answered' });
    const notLead = await gql<{ issueSurveyLink: { error: Err } }>('lead', 'mutation($e: ID!) { issueSurveyLink(engagementId: $e) { ok error { code } } }', { e: '00000000-0000-4000-8000-000000000000' });
    expect(notLead.issueSurveyLink.error).toMatchObject({ code: 'reports/engagement_not_found' });

    // A closed engagement without a survey yet.
    const closedId = (await hub.database.prisma.engagement.create({ data: { firmId: (await hub.database.prisma.engagement.findUniqueOrThrow({ where: { id: engagements.e1 } })).firmId, ownerOrganisationId: org.yorozu, leadAccountId: accounts.lead, supportType: 'ISSUE_SOLVING', status: 'CLOSED', closedAt: new Date(), stage: 'FOLLOW_UP' } })).id;
    const issued = await gql<{ issueSurveyLink: { ok: boolean; url: string; survey: { expiresAt: string; answeredAt: string | null } } }>('lead', 'mutation($e: ID!) { issueSurveyLink(engagementId: $e) { ok url survey { expiresAt answeredAt } } }', { e: closedId });
    expect(issued.issueSurveyLink.ok).toBe(true);
    const token = new URL(issued.issueSurveyLink.url).pathname.split('/').pop()!;
    expect(new URL(issued.issueSurveyLink.url).pathname).toMatch(/^\/survey\/[A-Za-z0-9_-]{43}$/);
    expect(await hub.database.prisma.satisfactionSurvey.count({ where: { tokenHash: token } })).toBe(0); // only its hash is kept

    const lookup = await gql<{ survey: { state: string; organisationName: string } }>('anonymous', 'query($t: String!) { survey(token: $t) { state organisationName expiresAt } }', { t: token });
    expect(lookup.survey).toMatchObject({ state: 'OPEN', organisationName: `報告テストよろず支援拠点${RUN}` });
    const ANSWER = 'mutation($t: String!, $i: SurveyAnswerInput!) { answerSurvey(token: $t, input: $i) { ok error { code message } } }';
    const answers = { overall: 'SATISFIED', awareness: 'STRONGLY', change: 'SOME', comment: '気づきが多かった' };
    expect((await gql<{ answerSurvey: { ok: boolean } }>('anonymous', ANSWER, { t: token, i: answers })).answerSurvey.ok).toBe(true);
    const twice = (await gql<{ answerSurvey: { error: Err } }>('anonymous', ANSWER, { t: token, i: answers })).answerSurvey;
    expect(twice.error).toMatchObject({ code: 'reports/survey_answered', message: 'このアンケートには回答済みです。ご協力ありがとうございました。' });
    expect((await gql<{ survey: { state: string } }>('anonymous', 'query($t: String!) { survey(token: $t) { state } }', { t: token })).survey.state).toBe('ANSWERED');
    expect((await gql<{ answerSurvey: { error: Err } }>('anonymous', ANSWER, { t: 'x'.repeat(43), i: answers })).answerSurvey.error).toMatchObject({ code: 'reports/survey_not_found' });
    const reissue = await gql<{ issueSurveyLink: { error: Err } }>('lead', 'mutation($e: ID!) { issueSurveyLink(engagementId: $e) { ok error { code } } }', { e: closedId });
    expect(reissue.issueSurveyLink.error).toMatchObject({ code: 'reports/survey_answered' });

    // An expired link.
    const expiring = (await hub.database.prisma.engagement.create({ data: { firmId: (await hub.database.prisma.engagement.findUniqueOrThrow({ where: { id: engagements.e1 } })).firmId, ownerOrganisationId: org.yorozu, leadAccountId: accounts.lead, supportType: 'ISSUE_SOLVING', status: 'CLOSED', closedAt: new Date(), stage: 'FOLLOW_UP' } })).id;
    const link = await gql<{ issueSurveyLink: { url: string } }>('lead', 'mutation($e: ID!) { issueSurveyLink(engagementId: $e) { url } }', { e: expiring });
    const expiredToken = new URL(link.issueSurveyLink.url).pathname.split('/').pop()!;
    await hub.database.prisma.satisfactionSurvey.update({ where: { engagementId: expiring }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await gql<{ survey: { state: string } }>('anonymous', 'query($t: String!) { survey(token: $t) { state } }', { t: expiredToken })).survey.state).toBe('EXPIRED');
    expect((await gql<{ answerSurvey: { error: Err } }>('anonymous', ANSWER, { t: expiredToken, i: answers })).answerSurvey.error).toMatchObject({ code: 'reports/survey_expired' });

    // The answer rolls up: 令和8年度 (today) now has one answer for the body.
    const now = new Date();
    const fy = now.getUTCMonth() + 1 >= 4 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
    const d = (await dashboard('yorozuAdmin', { fiscalYear: fy })).dashboard!;
    expect(d.survey).toMatchObject({ answered: v(1), overall: [{ answer: 'VERY_SATISFIED', count: v(0) }, { answer: 'SATISFIED', count: v(1), share: 1 }, { answer: 'DISSATISFIED', count: v(0) }] });
  });
});
