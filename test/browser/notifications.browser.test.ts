/**
 * Notifications in the web app, in Chromium against a whole hub with Redis: an organisation admin
 * changes a staff member's roles on the staff page; the staff member sees the unread count in the
 * header, reads the notice in Japanese (and English), marks it read and the count goes; their
 * preferences survive a reload; the admin registers a webhook (secret shown once, server-side URL
 * check next to the field), pauses, rotates and deletes it; a hub admin opens the failed-jobs page.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningHub } from '../../gateway/hub';
import { AccountsStore } from '../../services/accounts/accounts.store';
import { hashPassword } from '../../services/accounts/credentials';
import { openHubInBrowser, SCREENSHOT_DIR } from '../support/browser';
import { DEMO_PASSWORD, graphql, signIn as apiSignIn } from '../support/hub';

const HUB_ADMIN = 'hub-admin@banso.example.jp';
// Fresh people in a body no other test changes, so the counts here are this file's alone.
const run = crypto.randomUUID().slice(0, 8);
const ADMIN = `notify-ui-admin-${run}@test.example.jp`;
const STAFF = `notify-ui-staff-${run}@test.example.jp`;
const STAFF_NAME = `通知 花子 ${run}`;

let hub: RunningHub;
let page: Page;
let close: () => Promise<void> = async () => undefined;
let orgId: string;
let orgName: string;
let staffId: string;

beforeAll(async () => {
  ({ hub, page, close } = await openHubInBrowser());
  const org = await hub.database.prisma.organisation.findFirstOrThrow({ where: { slug: 'jfc-niigata' } });
  orgId = org.id;
  orgName = org.nameJa;
  const store = new AccountsStore(hub.database.prisma);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const admin = await store.createAccount({ email: ADMIN, displayName: `通知 管理者 ${run}`, passwordHash });
  await store.upsertMembership(admin.id, orgId, ['ORG_ADMIN', 'SUPPORTER']);
  const staff = await store.createAccount({ email: STAFF, displayName: STAFF_NAME, passwordHash });
  await store.upsertMembership(staff.id, orgId, ['SUPPORTER']);
  staffId = staff.id;
});
afterAll(async () => {
  await close();
});

const at = (pathname: string) => new URL(pathname.replace(/^\//, ''), hub.url).toString();
const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true });
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A control's name made of visible text and a visually hidden suffix (Chromium may put a space between). */
const named = (visible: string, hidden: string) => new RegExp(`^${escapeRegExp(visible)}\\s*${escapeRegExp(hidden)}$`);
const accountMenu = () => page.getByRole('button', { name: /アカウントメニュー/ });
const header = () => page.getByRole('banner');
/** The bell: its name carries the unread count (お知らせ, or お知らせ（未読3件）). */
const bell = () => header().getByRole('link', { name: /^お知らせ(（未読\d+件）)?$/ });

async function signIn(email: string): Promise<void> {
  // Whoever the last test left signed in, start anonymous (and in Japanese).
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

async function openFromMenu(link: string, heading: string): Promise<void> {
  await accountMenu().click();
  await page.locator('#account-menu').getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
}

/** Reloads until the header shows what the server has (notices travel through the queue first). */
async function waitForBell(name: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await bell().getAttribute('aria-label')) === name) return;
    if (Date.now() > deadline) throw new Error(`bell never read ${name}; last: ${await bell().getAttribute('aria-label')}`);
    await page.waitForTimeout(1000);
    await page.reload();
    await bell().waitFor();
  }
}

test('a staff member with no notices sees the bell without a count', async () => {
  await signIn(STAFF);
  await bell().waitFor();
  expect(await bell().getAttribute('aria-label')).toBe('お知らせ');
  expect(await header().locator('.bell__badge').count()).toBe(0);
  await signOut();
  // Anonymous visitors have no bell.
  expect(await bell().count()).toBe(0);
});

test("an organisation admin changes the staff member's roles on the staff page", async () => {
  await signIn(ADMIN);
  await openFromMenu('スタッフ管理', 'スタッフ管理');
  await page.getByRole('button', { name: named('役割を編集', `（${STAFF_NAME}）`) }).click();
  await page.getByRole('group', { name: `${STAFF_NAME} さんの役割` }).getByLabel('チームリーダー').check();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.getByText('役割を保存しました。', { exact: true }).waitFor();
  await signOut();
});

test('the staff member sees the unread count, reads the notice in Japanese, and the count goes when it is marked read', async () => {
  await signIn(STAFF);
  await waitForBell('お知らせ（未読1件）');
  expect(await header().locator('.bell__badge').textContent()).toBe('1');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'notifications-header-ja.png'), clip: { x: 0, y: 0, width: 1280, height: 120 } });

  await bell().click();
  await page.waitForURL(/\/notifications$/);
  await page.getByRole('heading', { level: 1, name: 'お知らせ' }).waitFor();
  const list = page.getByRole('list', { name: 'お知らせ一覧' });
  const notice = list.getByRole('article').filter({ hasText: `${orgName}での役割が変更されました` });
  await notice.waitFor();
  await notice.getByText('現在の役割: 支援担当者、チームリーダー').waitFor();
  await notice.getByText('未読', { exact: true }).waitFor();
  expect(await notice.locator('time').textContent()).toMatch(/^令和\d+年\d+月\d+日 \d{2}:\d{2}$/);
  await shot('notifications-inbox-ja.png');

  // The same notice in English, then back to Japanese.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
  await page.getByRole('list', { name: 'Notifications' }).getByText(`Your roles at ${orgName} changed`).waitFor();
  await page.getByText('Your roles are now: SUPPORTER, TEAM_LEAD').waitFor();
  await page.getByRole('button', { name: '日本語' }).click();
  await page.getByRole('heading', { level: 1, name: 'お知らせ' }).waitFor();

  // Activating the notice marks it read: the label goes, and so does the header's count.
  await notice.getByRole('button', { name: named(`${orgName}での役割が変更されました`, '（既読にする）') }).click();
  await notice.getByText('未読', { exact: true }).waitFor({ state: 'detached' });
  await header().getByRole('link', { name: 'お知らせ', exact: true }).waitFor();
  expect(await header().locator('.bell__badge').count()).toBe(0);

  // Read on the server too: after a reload there is nothing unread.
  await page.reload();
  await page.getByRole('button', { name: '未読のみ' }).click();
  await page.getByText('未読のお知らせはありません。').waitFor();
  expect(await bell().getAttribute('aria-label')).toBe('お知らせ');
  await shot('notifications-inbox-empty-ja.png');
});

test('the staff member’s notification preferences are saved and still there after a reload', async () => {
  await openFromMenu('お知らせ設定', 'お知らせ設定');
  await page.getByText(STAFF, { exact: true }).waitFor();
  const digest = page.getByRole('radio', { name: '1日1回まとめて送る（午前8時）' });
  const rolesByEmail = page.getByRole('checkbox', { name: '自分の役割の変更（メール）' });
  const rolesInApp = page.getByRole('checkbox', { name: '自分の役割の変更（アプリ内）' });
  expect(await page.getByRole('radio', { name: 'すぐに送る' }).isChecked()).toBe(true);
  expect(await rolesByEmail.isChecked()).toBe(true);

  await digest.check();
  await rolesByEmail.uncheck();
  await page.getByRole('button', { name: '設定を保存' }).click();
  await page.getByRole('status').filter({ hasText: 'お知らせ設定を保存しました。' }).waitFor();
  await shot('notification-settings-ja.png');

  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'お知らせ設定' }).waitFor();
  await rolesByEmail.waitFor();
  expect(await digest.isChecked()).toBe(true);
  expect(await rolesByEmail.isChecked()).toBe(false);
  expect(await rolesInApp.isChecked()).toBe(true);
  await signOut();
});

test('an organisation admin registers a webhook, sees its secret once, pauses, rotates and deletes it', async () => {
  await signIn(ADMIN);
  await openFromMenu('Webhook', 'Webhook');
  await page.getByText('Webhookはまだ登録されていません。').waitFor();

  // The server refuses credentials in the URL; its message sits next to the field.
  const url = page.getByRole('textbox', { name: /^URL/ });
  await url.fill('https://user:secret@example.jp/hooks/banso');
  await page.getByRole('button', { name: '登録する' }).click();
  const urlError = page.locator('#webhook-url-error');
  await urlError.waitFor();
  expect((await urlError.textContent())?.trim().length).toBeGreaterThan(0);
  expect(await url.getAttribute('aria-invalid')).toBe('true');
  await shot('webhooks-url-error-ja.png');

  const target = `https://example.jp/hooks/banso-${run}`;
  await url.fill(target);
  await page.getByLabel('説明（任意）').fill('基幹システム（テスト）');
  await page.getByRole('group', { name: '送信するイベント' }).getByLabel('自分の役割の変更').check();
  await page.getByRole('button', { name: '登録する' }).click();
  const secretBox = page.getByRole('region', { name: `Webhookを登録しました：${target}` });
  await secretBox.waitFor();
  await secretBox.getByText('今回だけ表示され').waitFor();
  const firstSecret = await secretBox.getByRole('textbox', { name: '署名用シークレット' }).inputValue();
  expect(firstSecret).toMatch(/^whsec_/);
  const endpoint = page.getByRole('article', { name: target });
  await endpoint.getByText('有効', { exact: true }).waitFor();
  await shot('webhooks-secret-ja.png');
  await secretBox.getByRole('button', { name: 'コピーしたので閉じる' }).click();
  await secretBox.waitFor({ state: 'detached' });

  // A real event for the body reaches the endpoint's delivery log (example.jp is not a receiver).
  const adminCookie = (await apiSignIn(hub.url, ADMIN)).cookie;
  const change = await graphql<{ setStaffRoles: { ok: boolean } }>(
    hub.url,
    'mutation($i: SetStaffRolesInput!) { setStaffRoles(input: $i) { ok } }',
    { i: { accountId: staffId, organisationId: orgId, roles: ['SUPPORTER'] } },
    { cookie: adminCookie },
  );
  expect(change.body.data!.setStaffRoles.ok).toBe(true);
  const deadline = Date.now() + 30_000;
  for (;;) {
    await page.reload();
    await endpoint.locator('summary').click();
    if ((await endpoint.getByRole('table').count()) > 0) break;
    if (Date.now() > deadline) throw new Error('no delivery appeared in the log');
    await page.waitForTimeout(1000);
  }
  await endpoint.getByRole('table').getByText('accounts.roles_changed').waitFor();
  await shot('webhooks-deliveries-ja.png');

  await endpoint.getByRole('button', { name: named('一時停止', `（${target}）`) }).click();
  await endpoint.getByText('停止中', { exact: true }).waitFor();
  await endpoint.getByRole('button', { name: named('再開', `（${target}）`) }).click();
  await endpoint.getByText('有効', { exact: true }).waitFor();

  await endpoint.getByRole('button', { name: named('シークレットを再発行', `（${target}）`) }).click();
  const dialog = page.getByRole('dialog', { name: 'シークレットを再発行しますか？' });
  await dialog.getByRole('button', { name: '再発行する' }).click();
  const rotated = page.getByRole('region', { name: `シークレットを再発行しました：${target}` });
  await rotated.waitFor();
  const secondSecret = await rotated.getByRole('textbox', { name: '署名用シークレット' }).inputValue();
  expect(secondSecret).toMatch(/^whsec_/);
  expect(secondSecret).not.toBe(firstSecret);
  await rotated.getByRole('button', { name: 'コピーしたので閉じる' }).click();

  await endpoint.getByRole('button', { name: named('削除', `（${target}）`) }).click();
  await page.getByRole('dialog', { name: 'Webhookを削除しますか？' }).getByRole('button', { name: '削除する' }).click();
  await page.getByText('Webhookはまだ登録されていません。').waitFor();
  // The secret is never shown again: after a reload only the empty list is there.
  await page.reload();
  await page.getByText('Webhookはまだ登録されていません。').waitFor();
  expect(await page.getByText(secondSecret).count()).toBe(0);

  // An organisation admin has no failed-jobs page.
  await accountMenu().click();
  expect(await page.getByRole('link', { name: '失敗した通知ジョブ' }).count()).toBe(0);
  await page.keyboard.press('Escape');
  await signOut();
});

test('a hub admin opens the failed notification jobs from the account menu', async () => {
  await signIn(HUB_ADMIN);
  await openFromMenu('失敗した通知ジョブ', '失敗した通知ジョブ');
  // Either the table or the empty state, never an error.
  await page.locator('table, .empty-state').first().waitFor();
  expect(await page.getByRole('alert').count()).toBe(0);
  await shot('notification-jobs-ja.png');
  await signOut();
});
