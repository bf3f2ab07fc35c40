/**
 * Council meetings (協議会) in the web app, in Chromium against a whole hub. The secretariat schedules
 * the council's next meeting (a past date is refused with the API's words; a future date at 14:00–16:00
 * goes through), builds the agenda (the chair's notes on one item), uploads a PDF material (an .exe is
 * refused in Japanese), reorders and publishes it, and checks who is invited (the series' bodies come
 * with the meeting; the observer's invitation is withdrawn and made again from the directory search).
 * A member body (全国信用金庫協会, whose admin this run creates) answers 出席. The meeting is brought
 * forward to today — the API records attendance only from the day of the meeting — where someone else's
 * change first is said so; the secretariat records attendance, drafts minutes naming a firm listed in
 * the meeting's mask terms with an internal note, adds a decision and an action item for the member
 * body, and circulates; the member comments; the secretariat approves. The observer (金融庁) sees the
 * public version — the firm masked, no internal note — and neither the chair's notes nor members-only
 * materials; the member finds the action item under 自分のアクションアイテム; the printable attendance
 * list shows the bodies.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningHub } from '../../gateway/hub';
import { AccountsStore } from '../../services/accounts/accounts.store';
import { hashPassword } from '../../services/accounts/credentials';
import { openHubInBrowser, SCREENSHOT_DIR } from '../support/browser';
import { DEMO_PASSWORD, graphql, signIn as apiSignIn } from '../support/hub';

const SECRETARIAT = 'secretariat@banso.example.jp';
const OBSERVER = 'observer@fsa.example.jp';
const run = crypto.randomUUID().slice(0, 8);
/** An admin of 全国信用金庫協会 (a council member body), made for this run. */
const MEMBER = `yamada-${run}@shinkin.example.jp`;
const MEMBER_NAME = '山田 太郎';
const COUNCIL = '経営力再構築伴走支援推進協議会';
const SHINKIN = '全国信用金庫協会';
const FSA = '金融庁 監督局 銀行第二課';
const ITEM_A = '伴走支援の全国展開に向けた取組状況';
const ITEM_B = '金融機関との連携事例の共有';
const CHAIR_NOTE = '質疑は10分で打ち切る';
/** A firm without a legal form in its name: only the mask terms hide it. */
const FIRM = 'ミナト精工';
const INTERNAL_NOTE = `${FIRM}の社長は次回の事例発表に前向き`;
const PUBLIC_PDF = '資料1_取組状況.pdf';
const MEMBERS_PDF = '資料2_検討メモ.pdf';
const ACTION = '連携事例集の素案を作成する';
const DECISION = '信用金庫業界の連携事例を次回までに取りまとめる。';

let hub: RunningHub;
let page: Page;
let close: () => Promise<void> = async () => undefined;
let meetingId: string;
let title: string;

/** A control's name with its visually hidden detail, e.g. 上へ（議題）: the browser may put a space before the detail. */
const named = (label: string, detail: string) => new RegExp(`^${escape(label)}\\s*（${escape(detail)}）$`);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** YYYY-MM-DD in Tokyo, `days` from today. */
function tokyoDay(days = 0): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86_400_000));
  return parts;
}

/** One GraphQL call as a signed-in person; fails the test on errors or a refused mutation. */
async function gql<T>(cookie: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await graphql<T>(hub.url, query, variables, { cookie });
  if (res.body.errors?.length) throw new Error(JSON.stringify(res.body.errors));
  const data = res.body.data as T;
  for (const payload of Object.values(data as Record<string, unknown>)) {
    const p = payload as { ok?: boolean; error?: unknown } | null;
    if (p && typeof p === 'object' && p.ok === false) throw new Error(`refused: ${JSON.stringify(p.error)}`);
  }
  return data;
}

/** A tiny but real PDF (the server checks the first bytes). */
function pdf(text: string): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'utf8');
}

beforeAll(async () => {
  ({ hub, page, close } = await openHubInBrowser());
  const prisma = hub.database.prisma;
  const shinkin = await prisma.organisation.findFirstOrThrow({ where: { slug: 'shinkin' } });
  const store = new AccountsStore(prisma);
  const account = await store.createAccount({ email: MEMBER, displayName: MEMBER_NAME, passwordHash: await hashPassword(DEMO_PASSWORD), personId: null });
  await store.upsertMembership(account.id, shinkin.id, ['ORG_ADMIN']);
});
afterAll(async () => {
  await close();
});

const at = (pathname: string) => new URL(pathname.replace(/^\//, ''), hub.url).toString();
const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true });
const accountMenu = () => page.getByRole('button', { name: /アカウントメニュー/ });
const nav = () => page.getByRole('banner').getByRole('navigation', { name: 'メインメニュー' });
const agendaItem = (name: string) => page.getByRole('list', { name: '議事（順番どおり）' }).getByRole('article').filter({ hasText: name });
const outcomes = (name: string) => page.getByRole('region', { name: '決定事項・アクションアイテム' }).getByRole('article').filter({ hasText: name });

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

async function openEditor(): Promise<void> {
  await page.goto(at(`/meetings/${meetingId}/edit`));
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

async function openTab(tab: string): Promise<void> {
  await page.getByRole('navigation', { name: '会議の内容' }).getByRole('link', { name: new RegExp(`^${tab}`) }).click();
  await page.getByRole('heading', { level: 2, name: new RegExp(`^${tab}`) }).waitFor();
}

test('the secretariat schedules the council’s next meeting: a past date is refused in Japanese, a future one goes through', async () => {
  await signIn(SECRETARIAT);
  await nav().getByRole('link', { name: '会議', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '会議' }).waitFor();
  // The seeded 第4回 is tentative: late September 2024.
  const council = page.getByRole('list', { name: `${COUNCIL}の会議` });
  await council.getByRole('article').filter({ hasText: '第4回' }).getByText('令和6年9月下旬（2024年9月下旬）（予定）').waitFor();
  await council.getByRole('article').filter({ hasText: '第1回' }).getByText('開催済み').waitFor();
  await page.getByRole('link', { name: '自分のアクションアイテム' }).waitFor();
  await page.getByRole('region', { name: 'カレンダー購読' }).waitFor();

  await page.getByRole('button', { name: named('会議を予定する', COUNCIL) }).click();
  const form = page.getByRole('form', { name: `${COUNCIL}の会議を予定する` });
  expect(await form.getByRole('textbox', { name: /^日付/ }).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
  await form.getByRole('textbox', { name: /^日付/ }).fill(tokyoDay(-10));
  await form.getByLabel('開始時刻').fill('14:00');
  await form.getByLabel('終了時刻').fill('16:00');
  await form.getByLabel('開催場所').fill('中小企業庁 第1会議室（オンライン併用）');
  await form.getByRole('button', { name: '会議を予定する', exact: true }).click();
  // The API's own words, next to the date, and what was typed stays.
  await form.getByText('過去の日付で新しい会議は予定できません。', { exact: false }).waitFor();
  expect(await form.getByRole('textbox', { name: /^日付/ }).getAttribute('aria-invalid')).toBe('true');
  expect(await form.getByLabel('開催場所').inputValue()).toBe('中小企業庁 第1会議室（オンライン併用）');
  await shot('meetings-schedule-error-ja.png');

  await form.getByRole('textbox', { name: /^日付/ }).fill(tokyoDay(30));
  await form.getByRole('button', { name: '会議を予定する', exact: true }).click();
  await page.waitForURL(/\/meetings\/[0-9a-f-]{36}\/edit\?scheduled=1$/);
  meetingId = new URL(page.url()).pathname.split('/')[2]!;
  title = ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim();
  expect(title).toMatch(new RegExp(`^第([5-9]|\\d{2,})回 ${COUNCIL}$`));
  await page.getByText(`${title}を予定しました。議事次第を作成し、招待する機関を確認してください。`).waitFor();
  await page.getByText(/令和\d+年\d+月\d+日（\d{4}年\d+月\d+日） 14:00〜16:00/).first().waitFor();
});

test('the secretariat builds the agenda with the chair’s notes, uploads materials (an .exe is refused), reorders and publishes', async () => {
  await page.getByRole('button', { name: '議事を追加' }).click();
  let form = page.getByRole('form', { name: '議事を追加' });
  await form.getByRole('button', { name: '追加する' }).click();
  await form.getByText('議事を入力してください。').waitFor();
  await form.getByLabel(/^議事/).fill(ITEM_A);
  await form.getByLabel('説明する機関').selectOption({ label: '中小企業基盤整備機構' });
  await form.getByLabel('説明者').fill('事務局 木村');
  await form.getByLabel('時間（分）').fill('30');
  await form.getByLabel('説明（招待者に表示）').fill('各地域の伴走支援の取組状況を報告する。');
  await form.getByLabel('議長用メモ').fill(CHAIR_NOTE);
  await form.getByRole('button', { name: '追加する' }).click();
  await page.getByText(`議事「${ITEM_A}」を追加しました。`).first().waitFor();

  await page.getByRole('button', { name: '議事を追加' }).click();
  form = page.getByRole('form', { name: '議事を追加' });
  await form.getByLabel(/^議事/).fill(ITEM_B);
  await form.getByLabel('説明する機関').selectOption({ label: SHINKIN });
  await form.getByLabel('時間（分）').fill('20');
  await form.getByRole('button', { name: '追加する' }).click();
  await page.getByText(`議事「${ITEM_B}」を追加しました。`).first().waitFor();
  await agendaItem(ITEM_A).getByText(CHAIR_NOTE).waitFor();

  // Materials: a disallowed file is refused with the API's Japanese message; PDFs go through.
  const a = agendaItem(ITEM_A);
  await a.getByLabel(`「${ITEM_A}」の資料ファイル`).setInputFiles({ name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ\x90\x00\x03\x00\x00\x00 not a document') });
  await a.getByRole('button', { name: named('アップロード', ITEM_A) }).click();
  await a.getByText('会議資料として登録できるのは PDF と Office ファイル（Word・Excel・PowerPoint）だけです。').waitFor();
  await a.getByLabel(`「${ITEM_A}」の資料ファイル`).setInputFiles({ name: PUBLIC_PDF, mimeType: 'application/pdf', buffer: pdf('public') });
  await a.getByRole('radio', { name: '公開' }).check();
  await a.getByRole('button', { name: named('アップロード', ITEM_A) }).click();
  await page.getByText(`資料「${PUBLIC_PDF}」を登録しました。`).first().waitFor();
  expect(await a.getByLabel(`「${PUBLIC_PDF}」の公開範囲`).inputValue()).toBe('PUBLIC');
  await a.getByLabel(`「${ITEM_A}」の資料ファイル`).setInputFiles({ name: MEMBERS_PDF, mimeType: 'application/pdf', buffer: pdf('members') });
  await a.getByRole('button', { name: named('アップロード', ITEM_A) }).click();
  await page.getByText(`資料「${MEMBERS_PDF}」を登録しました。`).first().waitFor();
  expect(await a.getByLabel(`「${MEMBERS_PDF}」の公開範囲`).inputValue()).toBe('MEMBERS');

  // B goes before A.
  const titles = async () => (await page.getByRole('list', { name: '議事（順番どおり）' }).locator('h3').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
  const before = await titles();
  expect(before.findIndex((s) => s.includes(ITEM_A))).toBeLessThan(before.findIndex((s) => s.includes(ITEM_B)));
  await agendaItem(ITEM_B).getByRole('button', { name: named('上へ', ITEM_B) }).click();
  await page.getByText(new RegExp(`「${ITEM_B}」を\\d+番目に移動しました。`)).first().waitFor();
  const after = await titles();
  expect(after.findIndex((s) => s.includes(ITEM_B))).toBeLessThan(after.findIndex((s) => s.includes(ITEM_A)));

  await page.getByRole('button', { name: '議事次第を公開する' }).click();
  await page.getByText('議事次第を公開しました。招待されている機関に通知しました。').first().waitFor();
  await page.getByRole('button', { name: '議事次第を再度公開する（再通知）' }).waitFor();
});

test('the series’ bodies come invited; the observer’s invitation is withdrawn and made again from the directory', async () => {
  const invited = page.getByRole('list', { name: '招待している機関' });
  await invited.getByRole('listitem').filter({ hasText: SHINKIN }).getByText('委員', { exact: true }).waitFor();
  await invited.getByRole('listitem').filter({ hasText: FSA }).getByText('オブザーバー', { exact: true }).waitFor();
  await invited.getByRole('button', { name: named('招待を取り消す', FSA) }).click();
  await page.getByText(`${FSA}への招待を取り消しました。`).first().waitFor();
  expect(await invited.getByRole('listitem').filter({ hasText: FSA }).count()).toBe(0);

  const form = page.getByRole('form', { name: '機関を招待する' });
  await form.getByRole('button', { name: '招待する', exact: true }).click();
  await form.getByText('招待する機関を選んでください。').waitFor();
  await form.getByLabel('機関名で検索').fill('金融庁');
  await form.getByRole('radio', { name: FSA, exact: true }).check();
  await form.getByRole('radio', { name: 'オブザーバー' }).check();
  await form.getByRole('button', { name: '招待する', exact: true }).click();
  await page.getByText(`${FSA}をオブザーバーとして招待しました。`).first().waitFor();
  await invited.getByRole('listitem').filter({ hasText: FSA }).getByText('オブザーバー', { exact: true }).waitFor();
  await shot('meetings-editor-ja.png');
});

test('the member body answers 出席 on the meeting page, and does not see the chair’s notes', async () => {
  await signIn(MEMBER);
  await nav().getByRole('link', { name: '会議', exact: true }).click();
  // A personal calendar feed: its URL is shown once, and a calendar app reading it finds the meeting.
  const feed = page.getByRole('region', { name: 'カレンダー購読' });
  await feed.getByRole('button', { name: '購読用URLを作成' }).click();
  const url = await feed.getByRole('textbox', { name: '購読用URL' }).inputValue();
  expect(url).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  const ics = await fetch(at(new URL(url).pathname));
  expect(ics.status).toBe(200);
  expect(await ics.text()).toContain('BEGIN:VCALENDAR');
  await feed.getByText('このURLを知っている人は', { exact: false }).waitFor();
  await page.getByRole('list', { name: '今後の会議' }).getByRole('link', { name: title }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.getByText('委員として招待されています').waitFor();
  await page.getByText(/令和\d+年\d+月\d+日（\d{4}年\d+月\d+日） 14:00〜16:00（日本時間）/).first().waitFor();
  const icsHref = await page.getByRole('link', { name: 'カレンダーに追加（.ics）' }).getAttribute('href');
  const event = await page.request.get(at(icsHref ?? ''));
  expect(event.status()).toBe(200);
  expect(await event.text()).toContain('DTSTART');
  expect(await page.getByRole('link', { name: '会議を編集する' }).count()).toBe(0);

  await openTab('議事次第');
  const agenda = page.getByRole('list', { name: '議事次第' });
  await agenda.getByRole('article').filter({ hasText: ITEM_A }).getByRole('link', { name: new RegExp(PUBLIC_PDF) }).waitFor();
  await agenda.getByRole('article').filter({ hasText: ITEM_A }).getByRole('link', { name: new RegExp(MEMBERS_PDF) }).waitFor();
  await agenda.getByRole('article').filter({ hasText: ITEM_B }).getByText(SHINKIN).waitFor();
  expect(await page.getByText(CHAIR_NOTE).count()).toBe(0);
  expect(await page.getByText('議長用メモ').count()).toBe(0);
  await shot('meetings-meeting-member-ja.png');

  await openTab('出欠');
  const rsvp = page.getByRole('form', { name: '出欠の回答' });
  await rsvp.getByRole('button', { name: '回答する' }).click();
  await rsvp.getByText('出欠を選んでください。').waitFor();
  await rsvp.getByRole('radio', { name: '出席', exact: true }).check();
  await rsvp.getByRole('button', { name: '回答する' }).click();
  await page.getByText('「出席」と回答しました。').first().waitFor();
  const row = page.getByRole('table').getByRole('row').filter({ hasText: SHINKIN });
  await row.getByRole('cell', { name: '出席', exact: true }).waitFor();

  // English second: the same page, with the body names in English.
  await page.getByRole('group', { name: '表示言語' }).getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 2, name: /^Attendance/ }).waitFor();
  await page.getByRole('table').getByRole('row').filter({ hasText: 'National Association of Shinkin Banks' }).getByRole('cell', { name: 'Attending', exact: true }).waitFor();
  await shot('meetings-attendance-member-en.png');
  await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: '日本語' }).click();
  await page.getByRole('heading', { level: 2, name: /^出欠/ }).waitFor();
});

test('on the day the secretariat records attendance, drafts masked-firm minutes with an internal note, adds a decision and an action item, and circulates', async () => {
  await signIn(SECRETARIAT);
  await openEditor();
  // The meeting is brought forward to today (attendance is recorded from the day of the meeting)…
  const details = page.getByRole('form', { name: '会議の詳細' });
  await details.getByRole('textbox', { name: /^日付/ }).fill(tokyoDay(0));
  // …while someone else changes the meeting first: the page says so, reloads, and keeps what was typed.
  const secretariat = (await apiSignIn(hub.url, SECRETARIAT)).cookie;
  const { meeting } = await gql<{ meeting: { version: number } }>(secretariat, `query($id: ID!) { meeting(id: $id) { version } }`, { id: meetingId });
  await gql(secretariat, `mutation($id: ID!, $v: Int!) { updateMeeting(id: $id, expectedVersion: $v, input: { date: "${tokyoDay(30)}", startTime: "14:00", endTime: "16:00", place: "中小企業庁 第1会議室（オンライン併用）", onlineUrl: "https://meet.example.jp/council" }) { ok error { code message } } }`, {
    id: meetingId,
    v: meeting.version,
  });
  await details.getByRole('button', { name: '詳細を保存' }).click();
  await page.getByText('他の方が先にこの会議を更新しました。最新の内容を読み込みました。', { exact: false }).first().waitFor();
  expect(await details.getByRole('textbox', { name: /^日付/ }).inputValue()).toBe(tokyoDay(0));
  await details.getByLabel('オンライン会議のURL').fill('https://meet.example.jp/council');
  await details.getByRole('button', { name: '詳細を保存' }).click();
  await page.getByText('会議の詳細を保存しました。').first().waitFor();

  const attendance = page.getByRole('region', { name: '当日の出欠' });
  const shinkin = attendance.getByRole('form', { name: SHINKIN, exact: true });
  expect(await shinkin.getByLabel('当日の出欠').inputValue()).toBe('PRESENT');
  await shinkin.getByLabel('出席者').fill(MEMBER_NAME);
  await shinkin.getByRole('button', { name: named('記録する', SHINKIN) }).click();
  await page.getByText(`${SHINKIN}を「出席」と記録しました。`).first().waitFor();
  const fsa = attendance.getByRole('form', { name: FSA, exact: true });
  await fsa.getByLabel('当日の出欠').selectOption({ label: '代理出席' });
  await fsa.getByRole('button', { name: named('記録する', FSA) }).click();
  await fsa.getByText('代理出席の場合は出席者の氏名を入力してください。').waitFor();
  await fsa.getByLabel('出席者').fill('金融 花子');
  await fsa.getByRole('button', { name: named('記録する', FSA) }).click();
  await page.getByText(`${FSA}を「代理出席」と記録しました。`).first().waitFor();

  // Minutes: the firm is one of the meeting's mask terms.
  await page.getByLabel('伏せる語句（1行に1つ）').fill(FIRM);
  await page.getByRole('button', { name: '語句を保存' }).click();
  await page.getByText('伏せる語句を保存しました（1件）。').first().waitFor();
  await page.getByLabel(`「${ITEM_A}」の議事録`).fill(`事務局から各地域の取組状況を報告した。${FIRM}の事例では、金融機関と支援機関が連携して経営課題の設定を支援した。`);
  await page.getByLabel(`「${ITEM_A}」の内部メモ`).fill(INTERNAL_NOTE);
  await page.getByRole('button', { name: named('保存', ITEM_A) }).click();
  await page.getByText(`「${ITEM_A}」の議事録を保存しました。`).first().waitFor();
  await page.getByLabel(`「${ITEM_B}」の議事録`).fill('全国信用金庫協会から、会員信用金庫と支援機関の連携事例を紹介した。');
  await page.getByRole('button', { name: named('保存', ITEM_B) }).click();
  await page.getByText(`「${ITEM_B}」の議事録を保存しました。`).first().waitFor();

  const b = outcomes(ITEM_B);
  await b.getByLabel(`「${ITEM_B}」の決定事項`).fill(DECISION);
  await b.getByRole('button', { name: named('決定事項を追加', ITEM_B) }).click();
  await b.getByText('決定事項を追加しました。').waitFor();
  await b.getByLabel('アクションアイテム', { exact: true }).fill(ACTION);
  await b.getByLabel('担当機関').selectOption({ label: SHINKIN });
  await b.getByLabel('期限').fill(tokyoDay(60));
  await b.getByRole('button', { name: named('追加する', ITEM_B) }).click();
  await page.getByText(`アクションアイテム「${ACTION}」を追加しました。担当機関に通知しました。`).first().waitFor();
  await b.getByRole('list', { name: `「${ITEM_B}」のアクションアイテム` }).getByText(ACTION).waitFor();

  await page.getByLabel('意見の締切（任意）').fill(tokyoDay(7));
  await page.getByRole('button', { name: '回覧する' }).click();
  await page.getByText('議事録（案）を回覧しました。').first().waitFor();
  await page.getByRole('region', { name: '議事録', exact: true }).getByText('回覧中').first().waitFor();
  await shot('meetings-editor-minutes-ja.png');
});

test('the member reads the circulated minutes with the internal note and comments', async () => {
  await signIn(MEMBER);
  await page.goto(at(`/meetings/${meetingId}?tab=minutes`));
  await page.getByRole('heading', { level: 2, name: '議事録' }).waitFor();
  await page.getByText('議事録（案）を回覧中です。', { exact: false }).waitFor();
  const entries = page.getByRole('list', { name: '議事録の本文' });
  await entries.getByText(`${FIRM}の事例では`, { exact: false }).waitFor();
  await entries.getByText('内部メモ', { exact: true }).waitFor();
  await entries.getByText(INTERNAL_NOTE).waitFor();
  const form = page.getByRole('form', { name: '議事録（案）への意見' });
  await form.getByLabel('対象').selectOption({ label: ITEM_B });
  await form.getByLabel(/^意見/).fill('連携事例には地方の小規模な信用金庫の事例も加えてください。');
  await form.getByRole('button', { name: '意見を送る' }).click();
  await page.getByText('意見を送りました。').first().waitFor();
  await page.getByRole('list', { name: '意見' }).getByText('連携事例には地方の小規模な信用金庫の事例も加えてください。').waitFor();
});

test('the secretariat approves the minutes', async () => {
  await signIn(SECRETARIAT);
  await openEditor();
  await page.getByRole('list', { name: '意見' }).getByText(MEMBER_NAME, { exact: false }).waitFor();
  await page.getByRole('button', { name: '承認する' }).click();
  await page.getByText('議事録を承認しました。公開版を作成しました。').first().waitFor();
  await page.getByRole('button', { name: '新しい版を作成する' }).waitFor();
});

test('the observer sees the public version — firm masked, no internal note — and neither the chair’s notes nor members-only materials', async () => {
  await signIn(OBSERVER);
  await page.goto(at(`/meetings/${meetingId}`));
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.getByText('オブザーバーとして招待されています').waitFor();
  const tabs = page.getByRole('navigation', { name: '会議の内容' });
  expect(await tabs.getByRole('link', { name: /^議事録/ }).count()).toBe(0);
  expect(await tabs.getByRole('link', { name: /^アクションアイテム/ }).count()).toBe(0);

  await openTab('議事次第');
  await page.getByRole('link', { name: new RegExp(PUBLIC_PDF) }).waitFor();
  expect(await page.getByText(MEMBERS_PDF).count()).toBe(0);
  expect(await page.getByText(CHAIR_NOTE).count()).toBe(0);

  await openTab('公開版');
  const minutes = page.getByRole('list', { name: '議事録（公開版）の本文' });
  await minutes.getByText('〇〇の事例では', { exact: false }).waitFor();
  const text = (await minutes.textContent()) ?? '';
  expect(text).not.toContain(FIRM);
  expect(text).not.toContain(INTERNAL_NOTE);
  expect(await page.getByText('内部メモ', { exact: true }).count()).toBe(0);
  await page.getByText('承認済み').first().waitFor();
  await shot('meetings-public-minutes-ja.png');

  await openTab('決定事項');
  await page.getByText(DECISION).waitFor();
});

test('the member finds the action item under 自分のアクションアイテム and moves it on', async () => {
  await signIn(MEMBER);
  await nav().getByRole('link', { name: '会議', exact: true }).click();
  await page.getByRole('link', { name: '自分のアクションアイテム' }).click();
  await page.getByRole('heading', { level: 1, name: '自分のアクションアイテム' }).waitFor();
  const item = page.getByRole('list', { name: '自分のアクションアイテム' }).getByRole('article').filter({ hasText: ACTION });
  await item.getByText(SHINKIN).waitFor();
  await item.getByRole('link', { name: title }).waitFor();
  await item.getByText('未着手', { exact: true }).first().waitFor();
  await item.getByLabel('状況', { exact: true }).selectOption({ label: '対応中' });
  await item.getByRole('button', { name: named('状況を更新', ACTION) }).click();
  await page.getByText(`「${ACTION}」の状況を「対応中」にしました。`).first().waitFor();
  await item.getByText('対応中', { exact: true }).first().waitFor();
  await shot('meetings-my-action-items-ja.png');
});

test('the printable attendance list shows the bodies, with the print button only on screen', async () => {
  await page.goto(at(`/meetings/${meetingId}?tab=attendance`));
  await page.getByRole('link', { name: '印刷用の出席者名簿' }).click();
  await page.getByRole('heading', { level: 1, name: `${title}　出席者名簿` }).waitFor();
  const table = page.getByRole('table', { name: '出席者名簿' });
  const headers = (await table.getByRole('columnheader').allTextContents()).map((s) => s.trim());
  expect(headers).toEqual(['番号', '機関名', '区分', '出欠', '出席者', '備考']);
  const shinkin = table.getByRole('row').filter({ hasText: SHINKIN });
  await shinkin.getByRole('cell', { name: '委員', exact: true }).waitFor();
  await shinkin.getByRole('cell', { name: '出席', exact: true }).waitFor();
  await shinkin.getByRole('cell', { name: MEMBER_NAME, exact: true }).waitFor();
  const fsa = table.getByRole('row').filter({ hasText: FSA });
  await fsa.getByRole('cell', { name: 'オブザーバー', exact: true }).waitFor();
  await fsa.getByRole('cell', { name: '代理出席', exact: true }).waitFor();
  await page.getByText(/令和\d+年\d+月\d+日（\d{4}年\d+月\d+日） 14:00〜16:00/).first().waitFor();
  // The Excel-ready CSV of the same list.
  const csv = await page.request.get(at(`/files/meetings/${meetingId}/attendance.csv`));
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain(SHINKIN);
  const print = page.getByRole('button', { name: '印刷する' });
  expect(await print.isVisible()).toBe(true);
  await page.emulateMedia({ media: 'print' });
  expect(await print.isVisible()).toBe(false);
  expect(await page.getByRole('banner').isVisible()).toBe(false);
  await page.emulateMedia({ media: 'screen' });
  await shot('meetings-attendance-print-ja.png');
});
