/**
 * The referral admin pages in the web app, in Chromium against a whole hub: an organisation admin of
 * 越後中央信用金庫 finds two records of one firm (same name and prefecture, one without 法人番号) on
 * 重複の疑いがある企業, merges them after the confirmation, and sees the record merged away gone (its
 * page says the firm cannot be found) while the earlier record remains with the 法人番号; a pair someone
 * else settled meanwhile gets the server's Japanese message; another pair is marked as different firms.
 * Then the admin sets the body's referral response time to 5 business days (a value out of range gets
 * the server's message at the field) and finds it kept after a reload.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningHub } from '../../gateway/hub';
import { corporateNumberCheckDigit } from '../../services/referrals/firm-identity';
import { openHubInBrowser, SCREENSHOT_DIR } from '../support/browser';
import { DEMO_PASSWORD, graphql, signIn as signInApi } from '../support/hub';

const ADMIN = 'admin@echigo-shinkin.example.jp';
// Firms of this run's own, so nothing another run or test registered gets in the way.
const run = crypto.randomUUID().slice(0, 8);
const FIRM = `株式会社越後重複テスト${run}`;
const OTHER_FIRM = `越後別企業テスト${run}`;
const SETTLED_FIRM = `越後処理済みテスト${run}`;
const BASE_NUMBER = String(crypto.randomInt(1e11, 1e12)).padStart(12, '0');
const CORPORATE_NUMBER = `${corporateNumberCheckDigit(BASE_NUMBER)}${BASE_NUMBER}`;
/** 和暦 with the Western date in brackets, as the firm pages show dates. */
const WAREKI = /^令和(元|\d+)年\d+月\d+日（\d{4}年\d+月\d+日）$/;

let hub: RunningHub;
let page: Page;
let close: () => Promise<void> = async () => undefined;
let cookie = '';
let organisationId = '';
let originalDays: number | null = null;
/** The earlier record (no 法人番号) and the later one (with it), which the merge folds into the earlier. */
let olderId = '';
let newerId = '';
let settledFlagId = '';

const at = (pathname: string) => new URL(pathname.replace(/^\//, ''), hub.url).toString();
/** Screenshots go to /tmp/referral-admin-*.png, to be looked at. */
const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `referral-admin-${name}.png`), fullPage: true });
const accountMenu = () => page.getByRole('button', { name: /アカウントメニュー/ });
/** The app's one polite live region (App.vue), where decisions away from the focus are read out. */
const announcer = () => page.locator('[role="status"][aria-live="polite"][aria-atomic="true"]');
const pairs = () => page.getByRole('list', { name: '判断を待っている組' });
const pair = (name: string) => pairs().getByRole('article').filter({ hasText: name });

type Err = { code: string; message: string; field: string | null } | null;

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await graphql<T>(hub.url, query, variables, { cookie });
  if (res.body.errors?.length) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data as T;
}

const REGISTER = `mutation($i: RegisterFirmInput!) { registerFirm(input: $i) { ok error { code message field } possibleDuplicates { id } firm { id corporateNumber } } }`;

async function registerFirm(nameJa: string, nameKana: string, corporateNumber: string | null = null) {
  const r = (
    await gql<{ registerFirm: { ok: boolean; error: Err; possibleDuplicates: Array<{ id: string }>; firm: { id: string } } }>(REGISTER, {
      i: { corporateNumber, nameJa, nameKana, prefectureCode: '15', industryDivision: 'E' },
    })
  ).registerFirm;
  expect(r.error).toBeNull();
  return r;
}

async function flagOf(firmId: string): Promise<string> {
  const { firmDuplicates } = await gql<{ firmDuplicates: Array<{ id: string; firm: { id: string } }> }>('{ firmDuplicates { id firm { id } } }');
  const flag = firmDuplicates.find((d) => d.firm.id === firmId);
  if (!flag) throw new Error(`no open duplicate flag for ${firmId}`);
  return flag.id;
}

beforeAll(async () => {
  ({ hub, page, close } = await openHubInBrowser());
  ({ cookie } = await signInApi(hub.url, ADMIN));
  organisationId = (await gql<{ viewer: { activeOrganisation: { id: string } } }>('{ viewer { activeOrganisation { id } } }')).viewer.activeOrganisation.id;
  originalDays = (
    await gql<{ referralSettings: { responseBusinessDays: number } }>('query($o: ID!) { referralSettings(organisationId: $o) { responseBusinessDays } }', { o: organisationId })
  ).referralSettings.responseBusinessDays;

  // One firm registered twice: first without 法人番号, then with it. The second registration is flagged.
  olderId = (await registerFirm(FIRM, 'エチゴチョウフクテスト')).firm.id;
  const newer = await registerFirm(FIRM, 'エチゴチョウフクテスト', CORPORATE_NUMBER);
  newerId = newer.firm.id;
  expect(newer.possibleDuplicates.map((d) => d.id)).toEqual([olderId]);
  // Two more pairs: one to be told apart in the page, one that is settled behind the page's back.
  await registerFirm(OTHER_FIRM, 'エチゴベツキギョウテスト');
  await registerFirm(OTHER_FIRM, 'エチゴベツキギョウテスト');
  await registerFirm(SETTLED_FIRM, 'エチゴショリズミテスト');
  settledFlagId = await flagOf((await registerFirm(SETTLED_FIRM, 'エチゴショリズミテスト')).firm.id);
});
afterAll(async () => {
  // Other tests share the run's database: give the body its response time back.
  if (hub && cookie && organisationId && originalDays !== null) {
    await graphql(hub.url, 'mutation($o: ID!, $d: Int!) { setReferralResponseDays(organisationId: $o, days: $d) { ok } }', { o: organisationId, d: originalDays }, { cookie }).catch(() => undefined);
  }
  await close();
});

async function signIn(email: string): Promise<void> {
  // Start anonymous (and in Japanese).
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

test('the org admin finds the possible duplicates from the firms page and sees both records side by side', async () => {
  await signIn(ADMIN);
  // The account menu's administration section links to the page as well.
  await accountMenu().click();
  const admin = page.getByRole('navigation', { name: '管理メニュー' });
  await admin.getByRole('link', { name: '重複の疑いがある企業' }).waitFor();
  await admin.getByRole('link', { name: '紹介への回答期限' }).waitFor();
  await accountMenu().click();

  await page.goto(at('/firms'));
  await page.getByRole('heading', { level: 1, name: '企業' }).waitFor();
  await page.getByRole('main').getByRole('link', { name: '重複の疑いがある企業' }).click();
  await page.waitForURL((url) => url.pathname === '/firms/duplicates');
  await page.getByRole('heading', { level: 1, name: '重複の疑いがある企業' }).waitFor();
  await page.getByText('後から登録された記録（左、狭い画面では上）が先に登録された記録にまとめられ', { exact: false }).waitFor();

  const row = pair(FIRM);
  await row.waitFor();
  // Left: the later record, which would be merged away; right: the earlier one, which remains.
  const merged = row.getByRole('region', { name: '統合される記録（後から登録）' });
  const kept = row.getByRole('region', { name: '残る記録（先に登録）' });
  await merged.getByText(CORPORATE_NUMBER, { exact: true }).waitFor();
  await kept.getByText('なし（個人事業主・未登録）', { exact: true }).waitFor();
  for (const record of [merged, kept]) {
    await record.getByText('フリガナ：エチゴチョウフクテスト', { exact: true }).waitFor();
    await record.getByText('新潟県', { exact: true }).waitFor();
    await record.getByText('E 製造業', { exact: true }).waitFor();
    expect(await record.locator('time').textContent()).toMatch(WAREKI);
  }
  expect(await merged.getByRole('link', { name: FIRM }).getAttribute('href')).toBe(`/firms/${newerId}`);
  expect(await kept.getByRole('link', { name: FIRM }).getAttribute('href')).toBe(`/firms/${olderId}`);
  await shot('duplicates');
});

test('a pair settled elsewhere meanwhile gets the server’s Japanese message', async () => {
  const row = pair(SETTLED_FIRM);
  await row.waitFor();
  const settled = (
    await gql<{ resolveFirmDuplicate: { ok: boolean } }>('mutation($id: ID!) { resolveFirmDuplicate(id: $id, resolution: DISTINCT) { ok } }', { id: settledFlagId })
  ).resolveFirmDuplicate;
  expect(settled.ok).toBe(true);

  await row.getByRole('button', { name: '別の企業' }).click();
  await row.getByRole('alert').getByText('この重複の疑いはすでに処理されています。').waitFor();
  await shot('duplicate-settled');
  await row.getByRole('button', { name: '一覧を読み込み直す' }).click();
  await pair(SETTLED_FIRM).waitFor({ state: 'detached' });
  await pair(FIRM).waitFor();
});

test('another pair is marked as different firms and leaves the list with an announcement', async () => {
  const row = pair(OTHER_FIRM);
  await row.getByRole('button', { name: '別の企業' }).click();
  await row.waitFor({ state: 'detached' });
  await announcer().getByText(`「${OTHER_FIRM}」の2件の記録を、別の企業として記録しました。`).waitFor();
});

test('merging asks first, then the pair leaves the list with an announcement', async () => {
  const row = pair(FIRM);
  await row.getByRole('button', { name: '同一企業として統合' }).click();
  const dialog = page.getByRole('dialog', { name: '同一企業として統合しますか？' });
  await dialog.waitFor();
  await dialog.getByText('統合すると元に戻せません。').waitFor();
  await dialog.getByText(`法人番号 ${CORPORATE_NUMBER} は、残る記録に引き継がれます。`).waitFor();
  // The safe choice has focus first.
  expect(await dialog.getByRole('button', { name: 'キャンセル' }).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
  await shot('merge-confirm');

  await dialog.getByRole('button', { name: '統合する', exact: true }).click();
  await row.waitFor({ state: 'detached' });
  await dialog.waitFor({ state: 'hidden' });
  await announcer().getByText(`「${FIRM}」の2件の記録を1件に統合しました。`).waitFor();
  await page.getByRole('link', { name: '残る企業のページを開く' }).waitFor();
  await shot('merged');
});

test('the merged-away firm’s page says it cannot be found; the earlier record remains with the 法人番号', async () => {
  await page.goto(at(`/firms/${newerId}`));
  await page.getByRole('heading', { level: 1, name: '企業が見つかりません' }).waitFor();
  await shot('merged-away');

  await page.goto(at(`/firms/${olderId}`));
  await page.getByRole('heading', { level: 1, name: FIRM }).waitFor();
  await page.getByText(CORPORATE_NUMBER, { exact: true }).waitFor();
  await shot('survivor');

  // Nothing left to decide for this firm.
  await page.goto(at('/firms/duplicates'));
  await page.getByRole('heading', { level: 1, name: '重複の疑いがある企業' }).waitFor();
  // The count appears once the list has loaded.
  await page.getByRole('heading', { level: 2, name: /^判断を待っている組\s*\d+組$/ }).waitFor();
  expect(await pair(FIRM).count()).toBe(0);
});

test('the org admin sets the response time to 5 business days and it is kept after a reload', async () => {
  await page.goto(at('/referrals'));
  await page.getByRole('heading', { level: 1, name: '紹介' }).waitFor();
  await page.getByRole('link', { name: '回答期限の設定' }).click();
  await page.waitForURL((url) => url.pathname === '/settings/referrals');
  await page.getByRole('heading', { level: 1, name: '紹介への回答期限' }).waitFor();
  await page.getByText(`現在の設定：${originalDays}営業日`).waitFor();
  await page.getByText('土日・祝日・年末年始（12/29〜1/3）を除いて数えます。既定は3営業日。').waitFor();

  const days = page.getByLabel('回答期限（1〜20営業日）');
  expect(await days.inputValue()).toBe(String(originalDays));
  // Out of range: the server's message, next to the field.
  await days.fill('25');
  await page.getByRole('button', { name: '保存する' }).click();
  const error = page.locator('#response-days-error');
  await error.waitFor();
  expect(await error.textContent()).toBe('回答期限は1〜20営業日で指定してください。');
  expect(await days.getAttribute('aria-invalid')).toBe('true');
  expect(await days.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
  await shot('days-error');

  // Full-width digits are fine.
  await days.fill('５');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.getByRole('status').filter({ hasText: '回答期限を5営業日に設定しました。' }).waitFor();
  await page.getByText('現在の設定：5営業日').waitFor();
  expect(await error.count()).toBe(0);
  await shot('days-saved');

  await page.reload();
  await page.getByRole('heading', { level: 1, name: '紹介への回答期限' }).waitFor();
  await page.getByText('現在の設定：5営業日').waitFor();
  expect(await page.getByLabel('回答期限（1〜20営業日）').inputValue()).toBe('5');
  const stored = (
    await gql<{ referralSettings: { responseBusinessDays: number } }>('query($o: ID!) { referralSettings(organisationId: $o) { responseBusinessDays } }', { o: organisationId })
  ).referralSettings.responseBusinessDays;
  expect(stored).toBe(5);
  await shot('days-reloaded');
});
