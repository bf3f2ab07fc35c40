/**
 * Reports and the satisfaction survey in the web app, in Chromium against a whole hub. A support centre
 * made for this file only receives four referrals from the bank (set up through GraphQL): its lead
 * accepts three and declines one for lack of capacity, opens an engagement for each accepted one and
 * closes them. In the browser the lead issues the survey link of one engagement; the firm, signed in to
 * nothing, answers it once and is told so on a second visit. The secretariat reads the dashboard in
 * Japanese narrowed to the centre (charts with their tables, small counts suppressed), exports the CSV
 * (UTF-8 with BOM) and opens the A4 print layout; the centre's own admin sees the survey answer
 * unsuppressed; the bank's admin sees only the bank's report and is refused the centre's. Other test
 * files write to the same database, so exact figures are asserted only for the centre.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningHub } from '../../gateway/hub';
import { AccountsStore } from '../../services/accounts/accounts.store';
import { hashPassword } from '../../services/accounts/credentials';
import { DirectoryStore } from '../../services/directory/directory.store';
import { toJstDay } from '../../services/shared/business-days';
import { openHubInBrowser, SCREENSHOT_DIR } from '../support/browser';
import { DEMO_PASSWORD, graphql, signIn as apiSignIn } from '../support/hub';

const run = crypto.randomUUID().slice(0, 8);
const CENTRE = `報告画面テスト支援センター${run}`;
const LEAD = `rpt-lead-${run}@test.example.jp`;
const CENTRE_ADMIN = `rpt-admin-${run}@test.example.jp`;
const BANK_STAFF = 'staff@echigo-shinkin.example.jp';
const BANK_ADMIN = 'admin@echigo-shinkin.example.jp';
const BANK = '越後中央信用金庫';
const SECRETARIAT = 'secretariat@banso.example.jp';

let hub: RunningHub;
let browser: Browser;
let page: Page;
let close: () => Promise<void> = async () => undefined;
let centreId: string;
const engagementIds: string[] = [];
let surveyPath: string;

/**
 * Sales, operating profit, value added (yen) and employees at the baseline and now, per engagement:
 * sales +12%, +15% and −4% (median +12.0%); employees +2, +5 and ±0 (median +2).
 */
const OUTCOMES = [
  { baseline: [100_000_000, 5_000_000, 30_000_000, 20], latest: [112_000_000, 6_000_000, 33_000_000, 22] },
  { baseline: [200_000_000, -2_000_000, 60_000_000, 40], latest: [230_000_000, 1_000_000, 66_000_000, 45] },
  { baseline: [50_000_000, 3_000_000, 15_000_000, 10], latest: [48_000_000, 3_000_000, 15_000_000, 10] },
] as const;

type Payload = { ok: boolean; error: { code: string; message: string } | null };

/** One GraphQL call as a signed-in person; fails the test on errors or a refused mutation. */
async function gql<T>(cookie: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await graphql<T>(hub.url, query, variables, { cookie });
  if (res.body.errors?.length) throw new Error(JSON.stringify(res.body.errors));
  const data = res.body.data as T;
  for (const payload of Object.values(data as Record<string, unknown>)) {
    const p = payload as Partial<Payload> | null;
    if (p && typeof p === 'object' && p.ok === false) throw new Error(`refused: ${JSON.stringify(p.error)}`);
  }
  return data;
}

beforeAll(async () => {
  ({ hub, browser, page, close } = await openHubInBrowser());
  const prisma = hub.database.prisma;
  const directory = new DirectoryStore(prisma);
  const centre = await directory.upsertOrganisation({
    slug: `rpt-browser-${run}`,
    nameJa: CENTRE,
    nameEn: `Report browser test centre ${run}`,
    nameKana: 'ホウコクガメンテストシエンセンター',
    category: 'PUBLIC_BODY',
    councilRole: 'NONE',
    prefectureCode: '15',
    website: null,
    description: null,
    parentId: null,
  });
  centreId = centre.id;
  const accounts = new AccountsStore(prisma);
  for (const [email, name, roles] of [
    [LEAD, '報告 リーダー', ['TEAM_LEAD', 'SUPPORTER']],
    [CENTRE_ADMIN, '報告 管理者', ['ORG_ADMIN']],
  ] as const) {
    const account = await accounts.createAccount({ email, displayName: name, passwordHash: await hashPassword(DEMO_PASSWORD) });
    await accounts.upsertMembership(account.id, centreId, [...roles]);
  }

  const today = toJstDay(new Date());
  const fiscalYearStart = `${Number(today.slice(5, 7)) >= 4 ? today.slice(0, 4) : Number(today.slice(0, 4)) - 1}-04-01`;
  // The bank refers four firms to the centre; the lead accepts three (and opens and closes an engagement for each) and declines one.
  const bank = (await apiSignIn(hub.url, BANK_STAFF)).cookie;
  const lead = (await apiSignIn(hub.url, LEAD)).cookie;
  for (let i = 0; i < 4; i += 1) {
    const { registerFirm } = await gql<{ registerFirm: { firm: { id: string } } }>(
      bank,
      `mutation($i: RegisterFirmInput!) { registerFirm(input: $i) { ok error { code message } firm { id } } }`,
      { i: { nameJa: `株式会社報告画面テスト${i}${run}`, nameKana: 'ホウコクガメンテスト', prefectureCode: '15', industryDivision: 'E', representativeTitle: '代表取締役', representativeName: '越後 太郎' } },
    );
    const firmId = registerFirm.firm.id;
    const { recordConsent } = await gql<{ recordConsent: { consent: { id: string } } }>(
      bank,
      `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { ok error { code message } consent { id } } }`,
      { i: { firmId, recipientOrganisationId: centreId, categories: ['PROFILE', 'ISSUES'], method: 'WRITTEN', obtainedAt: '2024-06-17', givenBy: '代表取締役 越後 太郎' } },
    );
    const { createReferral } = await gql<{ createReferral: { referral: { id: string; version: number } } }>(
      bank,
      `mutation($i: CreateReferralInput!) { createReferral(input: $i, send: true) { ok error { code message } referral { id version } } }`,
      { i: { firmId, recipientOrganisationId: centreId, consentId: recordConsent.consent.id, supportType: 'ISSUE_SETTING', reason: '伴走支援をお願いしたい', summary: '経営課題の設定から支援が必要' } },
    );
    const { id, version } = createReferral.referral;
    if (i === 3) {
      await gql(lead, `mutation($id: ID!, $v: Int!) { declineReferral(id: $id, expectedVersion: $v, reason: NO_CAPACITY) { ok error { code message } } }`, { id, v: version });
      continue;
    }
    await gql(lead, `mutation($id: ID!, $v: Int!) { acceptReferral(id: $id, expectedVersion: $v) { ok error { code message } } }`, { id, v: version });
    const { openEngagement } = await gql<{ openEngagement: { engagement: { id: string; version: number } } }>(
      lead,
      `mutation($i: OpenEngagementInput!) { openEngagement(input: $i) { ok error { code message } engagement { id version } } }`,
      { i: { firmId, referralId: id, supportType: 'ISSUE_SETTING' } },
    );
    // Outcome figures: a baseline at the start of the fiscal year and a follow-up today.
    const { baseline, latest } = OUTCOMES[engagementIds.length]!;
    for (const [measuredOn, figures, isBaseline] of [[fiscalYearStart, baseline, true], [today, latest, false]] as const) {
      await gql(lead, `mutation($i: OutcomeMeasurementInput!) { recordOutcome(input: $i) { ok error { code message } } }`, {
        i: { engagementId: openEngagement.engagement.id, measuredOn, baseline: isBaseline, salesYen: figures[0], operatingProfitYen: figures[1], valueAddedYen: figures[2], employees: figures[3] },
      });
    }
    const { engagement: current } = await gql<{ engagement: { version: number } }>(lead, `query($id: ID!) { engagement(id: $id) { version } }`, { id: openEngagement.engagement.id });
    openEngagement.engagement.version = current.version;
    await gql(lead, `mutation($id: ID!, $v: Int!) { closeEngagement(id: $id, expectedVersion: $v) { ok error { code message } } }`, { id: openEngagement.engagement.id, v: openEngagement.engagement.version });
    engagementIds.push(openEngagement.engagement.id);
  }
});
afterAll(async () => {
  await close();
});

const at = (pathname: string) => new URL(pathname.replace(/^\//, ''), hub.url).toString();
const shot = (target: Page, name: string) => target.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true });
const accountMenu = () => page.getByRole('button', { name: /アカウントメニュー/ });
const nav = () => page.getByRole('banner').getByRole('navigation', { name: 'メインメニュー' });
/** The cell beside a row heading in a table with the given caption. */
const cell = (caption: string, row: string | RegExp, column = 1) =>
  page.locator('table', { has: page.locator('caption', { hasText: caption }) }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: row }) }).getByRole('cell').nth(column - 1);
const kpi = (label: string) => page.locator('.report-kpi').filter({ has: page.locator('.report-kpi__label').getByText(label, { exact: true }) }).locator('.report-kpi__value');
const text = async (locator: ReturnType<Page['locator']>) => ((await locator.textContent()) ?? '').trim();

async function signIn(email: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(at('/sign-in'));
  await page.evaluate('window.localStorage.clear()');
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'サインイン' }).waitFor();
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  await accountMenu().waitFor();
}

async function signOut(): Promise<void> {
  await accountMenu().click();
  await page.getByRole('button', { name: 'サインアウト' }).click();
  await page.getByRole('link', { name: 'サインイン', exact: true }).waitFor();
}

test('the lead of a closed engagement issues the survey link, shown only once', async () => {
  await signIn(LEAD);
  // Reports are for the secretariat and bodies' admins.
  expect(await nav().getByRole('link', { name: '実績報告' }).count()).toBe(0);
  await page.goto(at(`/engagements/${engagementIds[0]}`));
  const section = page.getByRole('region', { name: '満足度アンケート' });
  await section.getByText('未発行', { exact: true }).waitFor();
  await section.getByRole('button', { name: 'アンケートのリンクを発行' }).click();
  await section.getByText('このリンクは今回だけ表示されます。', { exact: false }).waitFor();
  const url = await section.getByRole('textbox', { name: 'アンケートのリンク' }).inputValue();
  expect(url).toMatch(/\/survey\/[A-Za-z0-9_-]{43}$/);
  surveyPath = new URL(url).pathname;
  await section.getByText('回答待ち', { exact: true }).waitFor();
  await section.getByRole('button', { name: 'コピー' }).waitFor();
  await shot(page, 'reports-survey-issued-ja.png');
  await signOut();
});

test('the firm answers the survey without signing in, once', async () => {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 390, height: 844 } });
  try {
    const firm = await context.newPage();
    await firm.goto(at(surveyPath));
    await firm.getByRole('heading', { level: 1, name: '伴走支援に関する満足度アンケート' }).waitFor();
    await firm.getByText(`${CENTRE}による伴走支援をご利用いただき`, { exact: false }).waitFor();
    // The header works for anonymous visitors: a sign-in link, no reports.
    await firm.getByRole('link', { name: 'サインイン', exact: true }).waitFor();
    expect(await firm.getByRole('link', { name: '実績報告' }).count()).toBe(0);
    await shot(firm, 'reports-survey-ja.png');

    // Sending with a question unanswered says which.
    await firm.getByRole('radio', { name: '大変満足' }).check();
    await firm.getByRole('button', { name: '回答を送信する' }).click();
    await firm.getByText('お答えいただいていない質問があります。').waitFor();
    expect(await firm.getByText('いずれか1つを選んでください。').count()).toBe(2);
    await firm.getByRole('radio', { name: '大いに気づき・納得できた' }).check();
    await firm.getByRole('radio', { name: 'ある程度変化した' }).check();
    await firm.getByLabel(/ご意見・ご感想/).fill('部門間の情報共有が進み、社員が自ら動くようになった。');
    await firm.getByRole('button', { name: '回答を送信する' }).click();
    await firm.getByRole('heading', { level: 1, name: 'ご回答ありがとうございました' }).waitFor();
    await shot(firm, 'reports-survey-thanks-ja.png');

    await firm.goto(at(surveyPath));
    await firm.getByRole('heading', { level: 1, name: 'このアンケートには回答済みです' }).waitFor();
    expect(await firm.getByRole('radio').count()).toBe(0);
    // A link that never existed.
    await firm.goto(at(`/survey/${'x'.repeat(43)}`));
    await firm.getByRole('heading', { level: 1, name: 'アンケートが見つかりません' }).waitFor();
  } finally {
    await context.close();
  }
});

test('the secretariat reads the dashboard narrowed to the centre: charts with their tables, small counts suppressed', async () => {
  await signIn(SECRETARIAT);
  await nav().getByRole('link', { name: '実績報告' }).click();
  await page.getByRole('heading', { level: 1, name: '実績報告・ネットワーク分析' }).waitFor();
  // The current fiscal year by default, as 令和N年度（YYYY年度）.
  const fy = page.getByLabel('年度', { exact: true });
  expect(await fy.locator('option:checked').textContent()).toMatch(/^令和\d+年度（\d{4}年度）$/);

  // The whole network first.
  await page.locator('.reports-scope').getByText('ネットワーク全体').waitFor();
  await page.getByRole('img', { name: /^紹介の件数の棒グラフ：/ }).waitFor();
  await shot(page, 'reports-dashboard-network-ja.png');

  await page.getByLabel('機関名で絞り込む').fill(CENTRE);
  await page.getByRole('list', { name: '機関の候補' }).getByRole('button', { name: CENTRE }).click();
  await page.waitForURL((url) => url.searchParams.get('org') === centreId);
  await page.locator('.reports-scope').getByText(CENTRE).waitFor();
  await page.getByText('※「−（秘匿）」は1件以上3件未満の件数です。', { exact: false }).waitFor();

  // 紹介: four received, three accepted, the one declined suppressed.
  await page.getByRole('img', { name: /^紹介の件数の棒グラフ：送付 0、受付 4、受入 3、辞退 −（秘匿）、回付 0$/ }).waitFor();
  expect(await text(cell('紹介の件数', '受付'))).toBe('4');
  expect(await text(cell('紹介の件数', '回答済み'))).toBe('4');
  expect(await text(cell('紹介の件数', '受入'))).toBe('3');
  expect(await text(cell('紹介の件数', '辞退'))).toBe('−（秘匿）');
  expect(await text(cell('紹介の件数', /^受入率/))).toBe('75.0%');
  await page.getByRole('img', { name: /^辞退の理由別の件数の横棒グラフ：/ }).waitFor();
  expect(await text(cell('辞退の理由', '受入余力なし'))).toBe('−（秘匿）');
  expect(await text(cell('辞退の理由', '支援対象外'))).toBe('0');

  // 伴走支援: three opened and completed, all at the first stage, each team one body.
  await page.getByRole('img', { name: /^伴走支援の7段階のファネル図：支援対象 3、双方の理解 0/ }).waitFor();
  expect(await text(cell('段階別の到達状況（7段階）', '1. 支援対象'))).toBe('3');
  expect(await text(cell('段階別の到達状況（7段階）', '1. 支援対象', 2))).toBe('100%');
  expect(await text(cell('チームを構成する機関数', '1機関'))).toBe('3');
  expect(await text(kpi('完了した伴走支援'))).toBe('3');
  expect(await text(kpi('支援企業数'))).toBe('3');

  // The network: the bank (金融機関等) to the centre (公的機関).
  await page.getByRole('img', { name: /^紹介元の区分と紹介先の区分の組み合わせ別/ }).waitFor();
  const categoryRow = page.locator('table', { has: page.locator('caption', { hasText: '区分間の紹介の流れ' }) }).getByRole('row').filter({ hasText: '金融機関等' });
  expect((await categoryRow.first().getByRole('cell').allTextContents()).map((s) => s.trim())).toEqual(['公的機関', '4', '3', '75.0%']);
  const bodyRow = page.locator('table', { has: page.locator('caption', { hasText: '機関間の紹介の流れ' }) }).getByRole('row').filter({ hasText: BANK });
  expect((await bodyRow.first().getByRole('cell').allTextContents()).map((s) => s.trim())).toEqual(['1', CENTRE, '4', '3', '75.0%']);

  // 成果: three engagements measured, so medians are shown; buckets of one or two are suppressed.
  expect(await text(kpi('成果を測定した伴走支援'))).toBe('3');
  expect(await text(cell('成果指標の変化', '売上高', 3))).toBe('+12.0%');
  expect(await text(cell('成果指標の変化', '従業員数', 2))).toBe('+2人');
  await page.getByRole('img', { name: /^売上高の変化の分布のヒストグラム（中央値 \+12\.0%）/ }).waitFor();
  expect(await text(cell('売上高の変化の分布', '10%〜20%未満'))).toBe('−（秘匿）');

  // The survey: one link issued and answered, both suppressed in a report shared beyond the centre.
  expect(await text(kpi('回答'))).toBe('−（秘匿）');
  expect(await text(cell('満足度アンケートの結果', /^①総合満足度/))).toBe('大変満足');

  // Every chart is an image with a name, and there is a table for each.
  const charts = page.locator('svg[role="img"]');
  expect(await charts.count()).toBeGreaterThanOrEqual(6);
  for (const name of await charts.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''))) expect(name.length).toBeGreaterThan(5);
  expect(await page.locator('table.report-table').count()).toBeGreaterThanOrEqual(8);
  await shot(page, 'reports-dashboard-ja.png');
});

test('the secretariat sets a yearly target for the centre and sees its progress', async () => {
  const dashboard = page.url();
  await page.getByRole('link', { name: '目標の設定' }).first().click();
  await page.getByRole('heading', { level: 1, name: '目標の設定' }).waitFor();
  await page.getByRole('radio', { name: '機関を指定' }).check();
  await page.getByRole('button', { name: '目標を保存' }).click();
  await page.getByText('目標を設定する機関を選んでください。').waitFor();
  await page.getByLabel('機関名で絞り込む').fill(CENTRE);
  await page.getByRole('list', { name: '機関の候補' }).getByRole('button', { name: CENTRE }).click();
  await page.getByLabel('指標').selectOption({ label: '支援企業数' });
  await page.getByLabel(/^目標$/).fill('６');
  await page.getByRole('button', { name: '目標を保存' }).click();
  await page.locator('#main').getByText(`${CENTRE}の「支援企業数」の目標を6に設定しました。`).waitFor();
  const card = page.getByRole('region', { name: CENTRE });
  await card.getByRole('img', { name: /支援企業数 3 \/ 6（50%）/ }).waitFor();
  expect((await card.getByRole('row').filter({ hasText: '支援企業数' }).getByRole('cell').allTextContents()).slice(0, 3).map((s) => s.trim())).toEqual(['6', '3', '50.0%']);
  await shot(page, 'reports-targets-ja.png');

  await page.goto(dashboard);
  await page.getByRole('img', { name: /^目標に対する実績の進捗バー：支援企業数 3 \/ 6（50%）$/ }).waitFor();
  expect(await text(cell('目標に対する実績', '支援企業数', 3))).toBe('50.0%');
});

test('the CSV export has the same filter and a BOM, and the print layout is an A4 report', async () => {
  const csvLink = page.getByRole('link', { name: 'CSVをダウンロード（Excel対応）' });
  const href = (await csvLink.getAttribute('href')) ?? '';
  expect(href).toContain(`organisationId=${centreId}`);
  expect(href).toMatch(/fiscalYear=\d{4}/);
  const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
  const bytes = fs.readFileSync((await download.path()) as string);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = bytes.toString('utf8');
  expect(csv).toContain('"紹介","受付","","4"');
  expect(csv).toContain('"紹介","辞退","","秘匿"');

  await page.getByRole('link', { name: '印刷用（A4）' }).click();
  await page.waitForURL((url) => url.pathname === '/reports/print' && url.searchParams.get('org') === centreId);
  const title = page.getByRole('heading', { level: 1, name: /^令和\d+年度 伴走支援 実績報告$/ });
  await title.waitFor();
  await page.locator('.report-sheet').getByText(CENTRE).first().waitFor();
  expect(await text(cell('紹介の件数', '受付'))).toBe('4');
  const printButton = page.getByRole('button', { name: '印刷する' });
  expect(await printButton.isVisible()).toBe(true);
  await shot(page, 'reports-print-ja.png');
  // On paper (A4 portrait at 96 dpi, less the 15 mm margins): the report only, no header or button.
  await page.setViewportSize({ width: 680, height: 1010 });
  await page.emulateMedia({ media: 'print' });
  expect(await printButton.isVisible()).toBe(false);
  expect(await page.getByRole('banner').isVisible()).toBe(false);
  expect(await title.isVisible()).toBe(true);
  await shot(page, 'reports-print-media-ja.png');
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 1280, height: 900 });
  await signOut();
});

test('the centre’s own admin sees its report unsuppressed, with the survey answer', async () => {
  await signIn(CENTRE_ADMIN);
  await nav().getByRole('link', { name: '実績報告' }).click();
  await page.locator('.reports-scope').getByText(CENTRE).waitFor();
  await page.getByText('※自組織の報告のため', { exact: false }).waitFor();
  expect(await text(cell('紹介の件数', '辞退'))).toBe('1');
  expect(await text(cell('満足度アンケートの結果', /^①総合満足度/, 2))).toBe('1');
  expect(await text(cell('満足度アンケートの結果', /^①総合満足度/, 3))).toBe('100.0%');
  await page.getByRole('img', { name: /①総合満足度：大変満足 100\.0%/ }).waitFor();
  // Its own outcome distribution in full.
  expect(await text(cell('売上高の変化の分布', '10%〜20%未満'))).toBe('2');
  expect(await text(cell('売上高の変化の分布', '−10%〜0%未満'))).toBe('1');
  expect(await text(cell('従業員数の変化の分布', '5人以上増'))).toBe('1');
  await shot(page, 'reports-dashboard-own-ja.png');

  // In English too.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Reports and network analytics' }).waitFor();
  expect(await text(cell('Referral counts', 'Declined'))).toBe('1');
  await page.getByRole('img', { name: /^Stacked bar chart of the share of each answer by question: ① Overall satisfaction: Very satisfied 100\.0%/ }).waitFor();
  await shot(page, 'reports-dashboard-own-en.png');
  await page.getByRole('button', { name: '日本語' }).click();
  await page.getByRole('heading', { level: 1, name: '実績報告・ネットワーク分析' }).waitFor();
  await signOut();
});

test('the bank’s admin sees only the bank’s report, and is refused the centre’s', async () => {
  await signIn(BANK_ADMIN);
  await nav().getByRole('link', { name: '実績報告' }).click();
  await page.locator('.reports-scope').getByText(BANK).waitFor();
  await page.getByText('組織管理者は自組織の報告のみ表示できます。').waitFor();
  expect(await page.getByLabel('機関名で絞り込む').count()).toBe(0);
  // At least the four referrals of this file were sent by the bank (other files send more).
  expect(Number(await text(cell('紹介の件数', '送付')))).toBeGreaterThanOrEqual(4);
  await page.goto(at(`/reports?org=${centreId}`));
  await page.getByText('他の機関の報告は表示できません。', { exact: false }).waitFor();
  // And no setting of targets.
  await page.goto(at('/reports/targets'));
  await page.getByRole('heading', { name: '権限がありません' }).waitFor();
  await signOut();
});
