/**
 * A person opens the hub in Chromium: the directory in Japanese, filtered and searched, an
 * organisation's page, a polite not-found page, and the switch to English.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningHub } from '../../gateway/hub';
import { openHubInBrowser, SCREENSHOT_DIR } from '../support/browser';

const MEMBERS = [
  '日本商工会議所', '全国商工会連合会', '全国中小企業団体中央会',
  '日本税理士会連合会', '日本公認会計士協会', '中小企業診断協会', '日本弁護士連合会', '全国社会保険労務士会連合会',
  '全国地方銀行協会', '第二地方銀行協会', '全国信用金庫協会', '全国信用組合中央協会', '日本政策金融公庫', '商工組合中央金庫', '全国信用保証協会連合会',
  '中小企業基盤整備機構',
];

let hub: RunningHub;
let page: Page;
let close: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  ({ hub, page, close } = await openHubInBrowser());
});
afterAll(async () => {
  await close();
});

const orgLink = (name: string) => page.getByRole('link', { name, exact: true });

test('the directory opens in Japanese and lists every member body and the observer', async () => {
  await page.goto(hub.url);
  await page.waitForURL(/\/organisations$/);
  await page.getByRole('heading', { level: 1, name: '組織ディレクトリ' }).waitFor();
  expect(await page.getAttribute('html', 'lang')).toBe('ja');
  await orgLink('日本商工会議所').waitFor();
  const loadMore = page.getByRole('button', { name: /さらに表示/ });
  for (let i = 0; i < 10 && (await loadMore.count()) > 0; i += 1) await loadMore.click();
  for (const name of [...MEMBERS, '金融庁 監督局 銀行第二課']) {
    expect(await orgLink(name).count()).toBe(1);
  }
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'directory-ja.png'), fullPage: true });
});

test('a category chip filters the list and is kept in the address', async () => {
  await page.getByRole('button', { name: /金融機関等/ }).click();
  await page.waitForURL(/category=FINANCIAL/);
  await orgLink('日本商工会議所').waitFor({ state: 'detached' });
  expect(await orgLink('全国信用金庫協会').count()).toBe(1);
  expect(await orgLink('日本政策金融公庫 新潟支店').count()).toBe(1);
  await page.reload();
  await orgLink('全国信用金庫協会').waitFor();
  expect(await orgLink('全国商工会連合会').count()).toBe(0);
});

test('searching by the reading in hiragana finds the chambers of commerce', async () => {
  await page.goto(new URL('organisations', hub.url).toString());
  await page.getByLabel('名称・よみがなで検索').fill('しょうこうかいぎしょ');
  await page.waitForURL(/q=/);
  // The unfiltered list shows the chambers too: wait for the filtered answer to replace it.
  await orgLink('全国信用金庫協会').waitFor({ state: 'detached' });
  await orgLink('新潟商工会議所').waitFor();
  expect(await orgLink('日本商工会議所').count()).toBe(1);
});

test("an organisation's page shows its details and branches, and keeps supporters for signed-in members", async () => {
  await orgLink('日本商工会議所').click();
  await page.getByRole('heading', { level: 1, name: '日本商工会議所' }).waitFor();
  expect(await page.title()).toBe('日本商工会議所 | 伴走ハブ');
  await page.getByRole('link', { name: '新潟商工会議所' }).click();
  await page.getByRole('heading', { level: 1, name: '新潟商工会議所' }).waitFor();
  // Supporters are people: an anonymous visitor is asked to sign in, and sees no names.
  await page.getByText('サインインすると支援者を表示できます').waitFor();
  expect(await page.getByText('佐藤 浩二').count()).toBe(0);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'organisation-ja.png'), fullPage: true });
});

test('an unknown organisation gets a polite not-found page', async () => {
  await page.goto(new URL('organisations/00000000-0000-4000-8000-000000000000', hub.url).toString());
  await page.getByText('お探しの組織は見つかりませんでした').waitFor();
  expect(await page.getByRole('link', { name: /組織ディレクトリ/ }).count()).toBeGreaterThan(0);
});

test('the language switch shows the hub in English and remembers it', async () => {
  await page.goto(new URL('organisations', hub.url).toString());
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: /Directory/i }).waitFor();
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  await page.reload();
  await page.getByRole('heading', { level: 1, name: /Directory/i }).waitFor();
  await page.getByRole('button', { name: '日本語' }).click();
  await page.getByRole('heading', { level: 1, name: '組織ディレクトリ' }).waitFor();
});
