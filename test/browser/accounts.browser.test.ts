/**
 * Staff of member bodies sign in through the web app in Chromium: each organisation admin manages
 * only their own body's staff, the audit log is for hub admins, supporters' details need sign-in, and
 * a wrong password gets the same message whether or not the account exists.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningHub } from '../../gateway/hub';
import { openHubInBrowser, SCREENSHOT_DIR } from '../support/browser';

const PASSWORD = 'banso-demo-2024!';
const YOROZU_ADMIN = 'admin@yorozu-niigata.example.jp';
const YOROZU_STAFF = 'staff@yorozu-niigata.example.jp';
const SHINKIN_ADMIN = 'admin@echigo-shinkin.example.jp';
const SHINKIN_STAFF = 'staff@echigo-shinkin.example.jp';
const HUB_ADMIN = 'hub-admin@banso.example.jp';

let hub: RunningHub;
let page: Page;
let close: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  ({ hub, page, close } = await openHubInBrowser());
});
afterAll(async () => {
  await close();
});

const at = (pathname: string) => new URL(pathname.replace(/^\//, ''), hub.url).toString();
const accountMenu = () => page.getByRole('button', { name: /アカウントメニュー/ });
const staffList = () => page.getByRole('list', { name: 'スタッフ一覧' });

async function signIn(email: string, password = PASSWORD): Promise<void> {
  await page.goto(at('/sign-in'));
  await page.getByRole('heading', { level: 1, name: 'サインイン' }).waitFor();
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
}

async function signOut(): Promise<void> {
  await accountMenu().click();
  await page.getByRole('button', { name: 'サインアウト' }).click();
  await page.getByRole('link', { name: 'サインイン', exact: true }).waitFor();
}

async function openStaffPage(): Promise<void> {
  await accountMenu().click();
  await page.getByRole('link', { name: 'スタッフ管理' }).click();
  await page.getByRole('heading', { level: 1, name: 'スタッフ管理' }).waitFor();
  await staffList().waitFor();
}

test("an anonymous visitor reads the directory but is asked to sign in for an organisation's supporters", async () => {
  await page.goto(at('/organisations'));
  await page.getByRole('link', { name: '新潟商工会議所', exact: true }).waitFor();
  await page.getByRole('link', { name: '新潟商工会議所', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '新潟商工会議所' }).waitFor();
  await page.getByText('サインインすると支援者を表示できます').waitFor();
  expect(await page.getByText('佐藤 浩二').count()).toBe(0);
  await page.getByRole('link', { name: 'サインイン', exact: true }).first().waitFor();
});

test('a page that needs sign-in sends an anonymous visitor to the sign-in page and back', async () => {
  await page.goto(at('/admin/staff'));
  await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('next') === '/admin/staff');
  await page.getByLabel('メールアドレス').fill(YOROZU_ADMIN);
  await page.getByLabel('パスワード', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
  await page.waitForURL(/\/admin\/staff$/);
  await page.getByRole('heading', { level: 1, name: 'スタッフ管理' }).waitFor();
  await signOut();
});

test('the yorozu admin sees their body in the account menu and only its staff', async () => {
  await signIn(YOROZU_ADMIN);
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  await accountMenu().waitFor();
  expect(await accountMenu().textContent()).toContain('新潟県よろず支援拠点');

  await openStaffPage();
  await staffList().getByText(YOROZU_STAFF).waitFor();
  expect(await staffList().getByText(YOROZU_ADMIN).count()).toBe(1);
  expect(await page.getByText(SHINKIN_ADMIN).count()).toBe(0);
  expect(await page.getByText(SHINKIN_STAFF).count()).toBe(0);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'staff-yorozu-ja.png'), fullPage: true });

  await signOut();
});

test('the shinkin admin sees the shinkin staff and not the yorozu staff, and no audit log', async () => {
  await signIn(SHINKIN_ADMIN);
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  expect(await accountMenu().textContent()).toContain('越後中央信用金庫');

  await openStaffPage();
  await staffList().getByText(SHINKIN_STAFF).waitFor();
  expect(await page.getByText(YOROZU_STAFF).count()).toBe(0);
  expect(await page.getByText(YOROZU_ADMIN).count()).toBe(0);

  await accountMenu().click();
  expect(await page.getByRole('link', { name: '監査ログ' }).count()).toBe(0);
  await page.keyboard.press('Escape');

  await page.goto(at('/admin/audit'));
  await page.getByRole('heading', { level: 1, name: '権限がありません' }).waitFor();
  expect(await page.getByRole('table').count()).toBe(0);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'audit-forbidden-ja.png'), fullPage: true });

  await signOut();
});

test('a wrong password gets the generic message and keeps the visitor signed out', async () => {
  await signIn(SHINKIN_ADMIN, 'not-the-password-at-all');
  const alert = page.getByRole('alert').filter({ hasText: 'メールアドレスまたはパスワードが正しくありません' });
  await alert.waitFor();
  expect(page.url()).toContain('/sign-in');
  expect(await accountMenu().count()).toBe(0);

  // An address with no account gets exactly the same words.
  await signIn('nobody@nowhere.example.jp', 'not-the-password-at-all');
  await alert.waitFor();
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'sign-in-error-ja.png'), fullPage: true });
});

test('a hub admin reads the audit log, filters it to failures and gets the same filter in the CSV link', async () => {
  await signIn(HUB_ADMIN);
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  await accountMenu().click();
  await page.getByRole('link', { name: '監査ログ' }).click();
  await page.getByRole('heading', { level: 1, name: '監査ログ' }).waitFor();
  const table = page.getByRole('table');
  await table.waitFor();
  await table.getByRole('cell', { name: /^サインイン/ }).first().waitFor();

  await page.getByLabel('結果').selectOption('FAILURE');
  await page.getByRole('button', { name: '絞り込む' }).click();
  await page.waitForURL(/outcome=FAILURE/);
  await table.getByText('nobody@nowhere.example.jp').first().waitFor();
  const csv = page.getByRole('link', { name: /CSVで出力/ });
  expect(await csv.getAttribute('href')).toMatch(/^\/admin\/audit\.csv\?.*outcome=FAILURE/);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'audit-ja.png'), fullPage: true });
  await signOut();
});
