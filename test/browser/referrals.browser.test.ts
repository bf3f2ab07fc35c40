/**
 * Closed-loop referrals in the web app, in Chromium against a whole hub with Redis: a bank's supporter
 * registers a firm (a wrong 法人番号 is caught next to the field, in Japanese), records the firm's
 * consent for the prefecture's よろず支援拠点 and sends the referral through the guided form with an
 * attachment; the よろず supporter finds it in the 新着 box, accepts it and completes it with an outcome;
 * the bank sees 完了 with the outcome on the referral page, and the news in the header's bell.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningHub } from '../../gateway/hub';
import { corporateNumberCheckDigit } from '../../services/referrals/firm-identity';
import { openHubInBrowser, SCREENSHOT_DIR } from '../support/browser';
import { DEMO_PASSWORD } from '../support/hub';

const BANK_STAFF = 'staff@echigo-shinkin.example.jp';
const YOROZU_STAFF = 'staff@yorozu-niigata.example.jp';
const YOROZU = '新潟県よろず支援拠点';
// A firm of this run's own, so nothing another run or test registered gets in the way.
const run = crypto.randomUUID().slice(0, 8);
const FIRM = `株式会社越後紹介テスト${run}`;
const BASE_NUMBER = String(crypto.randomInt(1e11, 1e12)).padStart(12, '0');
const CHECK_DIGIT = corporateNumberCheckDigit(BASE_NUMBER);
const CORPORATE_NUMBER = `${CHECK_DIGIT}${BASE_NUMBER}`;
const WRONG_CORPORATE_NUMBER = `${(CHECK_DIGIT % 9) + 1}${BASE_NUMBER}`;
const REASON = '資金繰りの改善に向けた伴走支援をお願いしたい';
const OUTCOME = `資金繰り表を作成し、金融機関との対話の準備ができた（${run}）。`;

let hub: RunningHub;
let page: Page;
let close: () => Promise<void> = async () => undefined;
let firmPath: string;
let referralPath: string;
let reference: string;

beforeAll(async () => {
  ({ hub, page, close } = await openHubInBrowser());
});
afterAll(async () => {
  await close();
});

const at = (pathname: string) => new URL(pathname.replace(/^\//, ''), hub.url).toString();
const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true });
const accountMenu = () => page.getByRole('button', { name: /アカウントメニュー/ });
const header = () => page.getByRole('banner');
const nav = () => header().getByRole('navigation', { name: 'メインメニュー' });
/** The bell: its name carries the unread count (お知らせ, or お知らせ（未読3件）). */
const bell = () => header().getByRole('link', { name: /^お知らせ(（未読\d+件）)?$/ });
const status = () => page.locator('.referral-header__badges .referral-status');
const actionPanel = () => page.locator('#referral-action-panel');

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

/** Goes to the step's heading; the form moves focus there, so check that too. */
async function nextStep(title: string): Promise<void> {
  await page.getByRole('button', { name: '次へ' }).click();
  const heading = page.getByRole('heading', { level: 2, name: new RegExp(`${title}$`) });
  await heading.waitFor();
  expect(await heading.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
}

/** Reloads until the header's bell shows unread notices (they travel through the queue first). */
async function waitForUnread(timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const label = (await bell().getAttribute('aria-label')) ?? '';
    if (/^お知らせ（未読\d+件）$/.test(label)) return label;
    if (Date.now() > deadline) throw new Error(`the bell never showed unread notices; last: ${label}`);
    await page.waitForTimeout(1000);
    await page.reload();
    await bell().waitFor();
  }
}

test('a 法人番号 with a wrong check digit gets the Japanese message next to the field', async () => {
  await signIn(BANK_STAFF);
  await nav().getByRole('link', { name: '企業', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '企業' }).waitFor();
  await page.getByRole('link', { name: '企業を登録する' }).first().click();
  await page.getByRole('heading', { level: 1, name: '企業を登録する' }).waitFor();

  const number = page.getByLabel('法人番号（任意）');
  await number.fill(WRONG_CORPORATE_NUMBER);
  await page.getByLabel(/^商号/).fill(FIRM);
  await page.getByLabel(/^フリガナ/).fill('エチゴショウカイテスト');
  await page.getByLabel(/^都道府県/).selectOption({ label: '新潟県' });
  await page.getByLabel(/^業種/).selectOption({ label: 'E 製造業' });
  await page.getByRole('button', { name: '登録する', exact: true }).click();

  const error = page.locator('#firm-new-corporateNumber-error');
  await error.waitFor();
  expect(await error.textContent()).toBe('法人番号の検査用数字が一致しません。番号をご確認ください。');
  expect(await number.getAttribute('aria-invalid')).toBe('true');
  expect(await number.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
  await shot('referrals-firm-check-digit-ja.png');
});

test('the bank supporter registers the firm and records its consent for the よろず支援拠点', async () => {
  await page.getByLabel('法人番号（任意）').fill(CORPORATE_NUMBER);
  await page.getByLabel('資本金（円）').fill('10,000,000');
  await page.getByLabel('従業員数（人）').fill('25');
  await page.getByLabel('決算月').selectOption({ label: '3月' });
  await page.getByLabel('代表者の役職').fill('代表取締役');
  await page.getByLabel('代表者の氏名').fill('越後 太郎');
  await page.getByRole('button', { name: '登録する', exact: true }).click();
  await page.getByRole('heading', { name: '企業を登録しました' }).waitFor();
  await page.getByText(CORPORATE_NUMBER).first().waitFor();

  await page.getByRole('link', { name: '企業の詳細を開く' }).click();
  await page.getByRole('heading', { level: 1, name: FIRM }).waitFor();
  firmPath = new URL(page.url()).pathname;
  await page.getByText('自組織の取引先', { exact: true }).waitFor();
  await page.getByText('10,000,000円').waitFor();

  await page.getByRole('button', { name: '同意を記録する' }).click();
  await page.getByRole('radio', { name: YOROZU }).check();
  const categories = page.getByRole('group', { name: '提供する情報' });
  // Profile and issue are ticked for a referral; the file goes along only with documents too.
  expect(await categories.getByLabel('基本情報').isChecked()).toBe(true);
  expect(await categories.getByLabel('経営課題・相談内容').isChecked()).toBe(true);
  await categories.getByLabel('添付資料').check();
  await page.getByLabel('同意した方（企業側）').fill('代表取締役 越後 太郎');
  await page.getByRole('button', { name: '同意を記録する' }).last().click();

  const consent = page.getByRole('list', { name: '情報提供の同意' }).getByRole('article').filter({ hasText: YOROZU });
  await consent.getByText('有効', { exact: true }).waitFor();
  await consent.getByText('添付資料', { exact: true }).waitFor();
  expect(await consent.locator('time').first().textContent()).toMatch(/^令和\d+年\d+月\d+日（\d{4}年\d+月\d+日）$/);
  await shot('referrals-firm-ja.png');
});

test('the bank supporter sends the referral through the guided form', async () => {
  await page.getByRole('link', { name: 'この企業を紹介する' }).click();
  // Coming from the firm's page, the firm is chosen and the form opens at the recipient.
  await page.getByRole('heading', { level: 2, name: /紹介先$/ }).waitFor();
  const candidate = page.getByRole('radio', { name: YOROZU });
  await candidate.waitFor();
  expect(await page.getByText('同じ都道府県').count()).toBeGreaterThan(0);
  await candidate.check();
  await shot('referrals-new-recipient-ja.png');

  await nextStep('同意');
  // The one consent that fits is chosen already.
  expect(await page.getByRole('radio', { name: /基本情報、経営課題・相談内容、添付資料/ }).isChecked()).toBe(true);

  await nextStep('内容');
  // Leaving the step incomplete says what is missing, in Japanese.
  await page.getByRole('button', { name: '次へ' }).click();
  await page.getByText('紹介の理由を入力してください。').waitFor();
  await page.getByRole('radio', { name: /課題設定型/ }).check();
  await page.getByRole('radio', { name: '優先' }).check();
  await page.getByLabel(/^紹介の理由/).fill(REASON);
  await page.getByLabel(/^相談内容の概要/).fill('主要取引先の減産により売上が2割減少。\n経営者は新規販路の開拓も検討している。');
  await page.getByLabel('添付資料（任意）').setInputFiles([
    { name: 'tool.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') },
    { name: '面談メモ.txt', mimeType: 'text/plain', buffer: Buffer.from('面談メモ：資金繰り表を確認した。\n') },
  ]);
  await page.getByText('「tool.exe」は添付できない種類のファイルです。', { exact: false }).waitFor();
  await page.getByRole('list', { name: '添付するファイル' }).getByText('面談メモ.txt', { exact: true }).waitFor();
  await shot('referrals-new-content-ja.png');

  await nextStep('確認して送信');
  await page.getByText(FIRM).first().waitFor();
  await page.getByText(REASON).waitFor();
  await shot('referrals-new-review-ja.png');
  await page.getByRole('button', { name: '紹介を送信する' }).click();

  await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
  referralPath = new URL(page.url()).pathname;
  await page.getByRole('heading', { level: 1, name: new RegExp(FIRM) }).waitFor();
  reference = ((await page.locator('.referral-header__ref').textContent()) ?? '').trim();
  expect(reference).toMatch(/^R-\d{6}$/);
  expect(await status().textContent()).toBe('送付済み');
  const download = page.getByRole('link', { name: /面談メモ\.txt/ });
  expect(await download.getAttribute('href')).toMatch(/^\/files\//);
  // The clock shows the due date in 和暦 and what is left, in business days.
  await page.getByText(/^あと\d+営業日$|^本日が回答期限$/).first().waitFor();
  expect(await page.locator('.clock__due time').textContent()).toMatch(/^令和\d+年\d+月\d+日 \d{2}:\d{2}$/);
  await shot('referrals-sent-ja.png');
  await signOut();
});

test('the よろず supporter finds it in the 新着 box, opens it and accepts it', async () => {
  await signIn(YOROZU_STAFF);
  await nav().getByRole('link', { name: /^紹介/ }).click();
  await page.getByRole('heading', { level: 1, name: '紹介' }).waitFor();
  expect(await page.getByRole('navigation', { name: '紹介の区分' }).getByRole('link', { name: /^新着/ }).getAttribute('aria-current')).toBe('page');
  const row = page.getByRole('list', { name: '新着' }).getByRole('article').filter({ hasText: reference });
  await row.waitFor();
  await row.getByText('越後中央信用金庫').waitFor();
  await row.getByText('送付済み', { exact: true }).waitFor();
  await row.getByText(/^あと\d+営業日$|^本日が回答期限$/).waitFor();
  await shot('referrals-inbox-new-ja.png');

  await row.getByRole('link', { name: new RegExp(reference) }).click();
  await page.waitForURL((url) => url.pathname === referralPath);
  await page.getByRole('heading', { level: 1, name: new RegExp(FIRM) }).waitFor();
  await page.getByRole('button', { name: '受け付ける' }).click();
  await actionPanel().getByRole('button', { name: '受け付ける' }).click();
  await page.getByText(`紹介 ${reference} を受け付けました。`).first().waitFor();
  expect(await status().textContent()).toBe('受付済み');
  await page.locator('.timeline__kind', { hasText: /^受付$/ }).waitFor();
  await shot('referrals-accepted-ja.png');
});

test('the よろず supporter completes it with an outcome', async () => {
  await page.getByRole('button', { name: '完了にする' }).click();
  await actionPanel().getByRole('radio', { name: '課題設定まで' }).check();
  await actionPanel().getByRole('radio', { name: '一部解決', exact: true }).check();
  await actionPanel().getByLabel(/^支援の結果の概要/).fill(OUTCOME);
  await actionPanel().getByRole('button', { name: '完了にする' }).click();
  await page.getByText(`紹介 ${reference} を完了にしました。`).first().waitFor();
  expect(await status().textContent()).toBe('完了');
  await page.getByRole('heading', { name: '支援の結果' }).waitFor();
  await shot('referrals-completed-recipient-ja.png');
  await signOut();
});

test('the bank sees 完了 with the outcome on the referral page, and the bell counts the news', async () => {
  await signIn(BANK_STAFF);
  await nav().getByRole('link', { name: /^紹介/ }).click();
  await page.getByRole('heading', { level: 1, name: '紹介' }).waitFor();
  await page.getByRole('navigation', { name: '紹介の区分' }).getByRole('link', { name: /^送った紹介/ }).click();
  await page.waitForURL(/box=sent/);
  const row = page.getByRole('list', { name: '送った紹介' }).getByRole('article').filter({ hasText: reference });
  await row.getByText('完了', { exact: true }).waitFor();
  await row.getByRole('link', { name: new RegExp(reference) }).click();

  await page.waitForURL((url) => url.pathname === referralPath);
  await page.getByRole('heading', { level: 1, name: new RegExp(FIRM) }).waitFor();
  expect(await status().textContent()).toBe('完了');
  const outcome = page.getByRole('region', { name: '支援の結果' });
  await outcome.getByText(OUTCOME).waitFor();
  await outcome.getByText('一部解決').waitFor();
  await outcome.getByText('課題設定まで').waitFor();
  // The sender has nothing left to do.
  expect(await page.getByRole('button', { name: '取り下げる' }).count()).toBe(0);

  const label = await waitForUnread();
  expect(Number(label.match(/未読(\d+)件/)?.[1])).toBeGreaterThan(0);
  await shot('referrals-completed-sender-ja.png');

  // The firm's page lists the referral too.
  await page.goto(at(firmPath));
  await page.getByRole('heading', { level: 1, name: FIRM }).waitFor();
  await page.getByRole('link', { name: reference }).waitFor();
  await signOut();
});
