/**
 * Engagements (伴走支援) in the web app, in Chromium against a whole hub with Redis. A bank's supporter
 * refers a firm to SMRJ 関東本部 (set up through GraphQL); the team lead accepts it and, in the browser,
 * opens the engagement from the referral page, builds a cross-organisation team in the team builder
 * (an SME consultant of the よろず支援拠点 and an advisor of the chamber, each under the firm's consent;
 * a bank other than the firm's main bank only with the conflict acknowledged); the invitees answer in
 * the 招待 section of their board; the lead logs a session, moves the stage (back only with a reason;
 * someone else's update first is said so) and records outcome figures; the board shows the engagement
 * in its stage column (stacked on a narrow screen); the bank that referred the firm, not on the team,
 * finds nothing at the engagement's address.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningHub } from '../../gateway/hub';
import { AccountsStore } from '../../services/accounts/accounts.store';
import { hashPassword } from '../../services/accounts/credentials';
import { openHubInBrowser, SCREENSHOT_DIR } from '../support/browser';
import { DEMO_PASSWORD, graphql, signIn as apiSignIn } from '../support/hub';

const LEAD = 'lead@smrj-kanto.example.jp';
const BANK_STAFF = 'staff@echigo-shinkin.example.jp';
/** 高橋 美咲 (demo-takahashi): 中小企業診断士 of the よろず支援拠点. */
const CONSULTANT = 'admin@yorozu-niigata.example.jp';
const run = crypto.randomUUID().slice(0, 8);
/** 佐藤 浩二 (demo-sato), 経営指導員 of 新潟商工会議所, has no demo account: this run gives him one. */
const ADVISOR = `sato-${run}@cci-niigata.example.jp`;
const FIRM = `株式会社越後伴走テスト${run}`;
const YOROZU = '新潟県よろず支援拠点';
const CCI = '新潟商工会議所';
const SMRJ = '中小企業基盤整備機構 関東本部';
const MAIN_BANK = '越後中央信用金庫';

let hub: RunningHub;
let page: Page;
let close: () => Promise<void> = async () => undefined;
let referralId: string;
let referralReference: string;
let engagementPath: string;
let reference: string;

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

const RECORD_CONSENT = `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { ok error { code message } consent { id } } }`;

beforeAll(async () => {
  ({ hub, page, close } = await openHubInBrowser());
  const prisma = hub.database.prisma;
  const ids: Record<string, string> = {};
  for (const slug of ['smrj-kanto', 'niigata-yorozu', 'niigata-cci']) ids[slug] = (await prisma.organisation.findFirstOrThrow({ where: { slug } })).id;
  const sato = await prisma.person.findFirstOrThrow({ where: { slug: 'demo-sato' } });
  const store = new AccountsStore(prisma);
  const account = await store.createAccount({ email: ADVISOR, displayName: '佐藤 浩二', passwordHash: await hashPassword(DEMO_PASSWORD), personId: sato.id });
  await store.upsertMembership(account.id, ids['niigata-cci'], ['SUPPORTER']);

  // The bank registers the firm, records its consent for SMRJ 関東本部 and refers it; the lead accepts.
  const bank = (await apiSignIn(hub.url, BANK_STAFF)).cookie;
  const lead = (await apiSignIn(hub.url, LEAD)).cookie;
  const { registerFirm } = await gql<{ registerFirm: { firm: { id: string } } }>(
    bank,
    `mutation($i: RegisterFirmInput!) { registerFirm(input: $i) { ok error { code message } firm { id } } }`,
    { i: { nameJa: FIRM, nameKana: 'エチゴバンソウテスト', prefectureCode: '15', industryDivision: 'E', representativeTitle: '代表取締役', representativeName: '越後 太郎' } },
  );
  const firmId = registerFirm.firm.id;
  const consent = { method: 'WRITTEN', obtainedAt: '2024-06-17', givenBy: '代表取締役 越後 太郎' };
  const { recordConsent } = await gql<{ recordConsent: { consent: { id: string } } }>(bank, RECORD_CONSENT, {
    i: { firmId, recipientOrganisationId: ids['smrj-kanto'], categories: ['PROFILE', 'ISSUES', 'FINANCIALS'], ...consent },
  });
  const { createReferral } = await gql<{ createReferral: { referral: { id: string; reference: string; version: number } } }>(
    bank,
    `mutation($i: CreateReferralInput!) { createReferral(input: $i, send: true) { ok error { code message } referral { id reference version } } }`,
    {
      i: {
        firmId,
        recipientOrganisationId: ids['smrj-kanto'],
        consentId: recordConsent.consent.id,
        supportType: 'ISSUE_SETTING',
        reason: '経営課題の設定から伴走支援をお願いしたい',
        summary: '受注に生産が追いつかず、納期遅れが続いている。経営者は原因がつかめていない。',
      },
    },
  );
  referralId = createReferral.referral.id;
  referralReference = createReferral.referral.reference;
  await gql(lead, `mutation($id: ID!, $v: Int!) { acceptReferral(id: $id, expectedVersion: $v) { ok error { code message } } }`, {
    id: referralId,
    v: createReferral.referral.version,
  });
  // SMRJ's own consents from the firm to share with the よろず支援拠点 and the chamber (what the team needs).
  for (const body of ['niigata-yorozu', 'niigata-cci']) {
    await gql(lead, RECORD_CONSENT, { i: { firmId, recipientOrganisationId: ids[body], categories: ['PROFILE', 'ISSUES'], ...consent } });
  }
});
afterAll(async () => {
  await close();
});

const at = (pathname: string) => new URL(pathname.replace(/^\//, ''), hub.url).toString();
const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true });
const accountMenu = () => page.getByRole('button', { name: /アカウントメニュー/ });
const nav = () => page.getByRole('banner').getByRole('navigation', { name: 'メインメニュー' });
const supporter = (name: string) => page.getByRole('list', { name: '検索結果' }).getByRole('article').filter({ hasText: name });
const member = (list: string, name: string) => page.getByRole('list', { name: list }).getByRole('article').filter({ hasText: name });

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

async function isFocused(locator: ReturnType<Page['locator']>): Promise<boolean> {
  return locator.evaluate((el) => el === el.ownerDocument.activeElement);
}

test('the lead opens an engagement from the accepted referral', async () => {
  await signIn(LEAD);
  await page.goto(at(`/referrals/${referralId}`));
  await page.getByRole('heading', { level: 1, name: new RegExp(FIRM) }).waitFor();
  await page.getByRole('link', { name: '伴走支援を開始' }).click();

  await page.getByRole('heading', { level: 1, name: '伴走支援を開始する' }).waitFor();
  await page.getByText(`紹介 ${referralReference} から開始します。`).waitFor();
  await page.getByText(FIRM, { exact: true }).waitFor();
  // The referral's kind of support is the likely one.
  expect(await page.getByRole('radio', { name: /課題設定型/ }).isChecked()).toBe(true);
  // Banks in the firm's prefecture come first.
  const mainBank = page.getByLabel('メインバンク（任意）');
  expect(await mainBank.locator('optgroup').first().getAttribute('label')).toBe('企業の所在地の金融機関');
  await mainBank.selectOption({ label: MAIN_BANK });
  await shot('engagements-new-ja.png');
  await page.getByRole('button', { name: '伴走支援を開始する' }).click();

  await page.waitForURL(/\/engagements\/[0-9a-f-]{36}$/);
  engagementPath = new URL(page.url()).pathname;
  await page.getByRole('heading', { level: 1, name: new RegExp(FIRM) }).waitFor();
  reference = ((await page.locator('.engagement-header__ref').textContent()) ?? '').trim();
  expect(reference).toMatch(/^E-\d{6}$/);
  await page.getByText('あなたがリーダーの伴走支援').waitFor();
  const stepper = page.getByRole('list', { name: '伴走支援の段階' });
  expect((await stepper.getByRole('listitem').allTextContents()).length).toBe(7);
  expect(await stepper.locator('[aria-current="step"]').textContent()).toMatch(/^\s*1\s*支援対象/);
  await page.locator('.engagement-header__facts').getByText(MAIN_BANK).waitFor();
  await page.locator('.engagement-header__facts').getByRole('link', { name: referralReference }).waitFor();
  // The lead heads the team before anyone is invited.
  expect(await member('チーム', '渡辺 誠').locator('.member__slot').textContent()).toMatch(/リーダー$/);
});

test('the lead invites an SME consultant of the よろず支援拠点 and an advisor of the chamber, under the firm’s consents', async () => {
  await page.getByRole('link', { name: 'チームを編成する' }).click();
  await page.getByRole('heading', { level: 1, name: 'チームを編成する' }).waitFor();
  // The region starts at the firm's prefecture (新潟県, 15).
  expect(await page.getByLabel('対応地域').inputValue()).toBe('15');
  await page.getByLabel('対応地域').selectOption('15');
  await page.getByRole('group', { name: '保有資格' }).getByRole('button', { name: '中小企業診断士' }).click();
  const takahashi = supporter('高橋 美咲');
  await takahashi.waitFor();
  expect(await takahashi.locator('.supporter__load-text').textContent()).toMatch(/\d+件 \/ 上限6件/);
  // The lead is listed as such, not offered an invitation to their own team.
  await supporter('渡辺 誠').getByText('リーダー', { exact: true }).waitFor();
  expect(await supporter('渡辺 誠').getByRole('button').count()).toBe(0);
  await shot('engagements-team-builder-ja.png');

  await takahashi.getByRole('button', { name: '高橋 美咲 さんを招待する' }).click();
  const slot = takahashi.getByLabel('役割');
  expect(await isFocused(slot)).toBe(true);
  // Leaving the form incomplete says what is missing, in Japanese.
  await takahashi.getByRole('button', { name: '招待する', exact: true }).click();
  await takahashi.getByText('役割を選んでください。').waitFor();
  await slot.selectOption({ label: '専門家' });
  await takahashi.getByRole('radio', { name: YOROZU }).check();
  // Another body than SMRJ: the consent SMRJ recorded for the よろず支援拠点 is the one, and it is chosen.
  const consent = takahashi.getByRole('radio', { name: /基本情報、経営課題・相談内容/ });
  await consent.waitFor();
  expect(await consent.isChecked()).toBe(true);
  await shot('engagements-invite-ja.png');
  await takahashi.getByRole('button', { name: '招待する', exact: true }).click();
  await page.getByText('高橋 美咲 さんを専門家としてチームに招待しました。').first().waitFor();
  await member('現在のチーム', '高橋 美咲').getByText('招待中', { exact: true }).waitFor();
  await takahashi.getByText('招待中', { exact: true }).waitFor();

  // Inviting her again: the server's own words.
  await takahashi.getByRole('button', { name: '高橋 美咲 さんを招待する' }).click();
  await takahashi.getByLabel('役割').selectOption({ label: 'ファシリテーター' });
  await takahashi.getByRole('radio', { name: YOROZU }).check();
  await takahashi.getByRole('radio', { name: /基本情報、経営課題・相談内容/ }).waitFor();
  await takahashi.getByRole('button', { name: '招待する', exact: true }).click();
  await takahashi.getByText('この支援者はすでにチームにいるか、招待中です。').waitFor();
  await takahashi.getByRole('button', { name: 'キャンセル' }).click();

  // The chamber's 経営指導員.
  await page.getByRole('group', { name: '保有資格' }).getByRole('button', { name: '中小企業診断士' }).click();
  await page.getByRole('group', { name: '保有資格' }).getByRole('button', { name: '経営指導員' }).click();
  const sato = supporter('佐藤 浩二');
  await sato.waitFor();
  await sato.getByRole('button', { name: '佐藤 浩二 さんを招待する' }).click();
  await sato.getByLabel('役割').selectOption({ label: '地域の支援者' });
  // His only body is chosen already.
  expect(await sato.getByRole('radio', { name: CCI }).isChecked()).toBe(true);
  expect(await sato.getByRole('radio', { name: /基本情報、経営課題・相談内容/ }).isChecked()).toBe(true);
  await sato.getByRole('button', { name: '招待する', exact: true }).click();
  await page.getByText('佐藤 浩二 さんを地域の支援者としてチームに招待しました。').first().waitFor();
  await member('現在のチーム', '佐藤 浩二').getByText('招待中', { exact: true }).waitFor();
});

test('a bank other than the firm’s main bank is invited only with the conflict acknowledged, and the invitation can be withdrawn', async () => {
  await page.getByRole('group', { name: '保有資格' }).getByRole('button', { name: '経営指導員' }).click();
  await page.getByLabel('氏名で検索').fill('吉田');
  const yoshida = supporter('吉田 修');
  await yoshida.waitFor();
  await yoshida.getByRole('button', { name: '吉田 修 さんを招待する' }).click();
  await yoshida.getByLabel('役割').selectOption({ label: '金融機関' });
  // No consent for this bank yet: the lead records the one the firm gave, here.
  await yoshida.getByText('有効な同意が記録されていません', { exact: false }).waitFor();
  await yoshida.getByRole('button', { name: '同意を記録する' }).click();
  await yoshida.getByLabel('同意した方（企業側）').fill('代表取締役 越後 太郎');
  await yoshida.getByRole('button', { name: '同意を記録する' }).last().click();
  const consent = yoshida.getByRole('radio', { name: /基本情報、経営課題・相談内容/ });
  await consent.waitFor();
  expect(await consent.isChecked()).toBe(true);

  await yoshida.getByRole('button', { name: '招待する', exact: true }).click();
  // The server flags the conflict; the page says which, in Japanese, and asks why.
  await yoshida.getByText('企業のメインバンクと競合する金融機関の方です', { exact: true }).waitFor();
  const ack = yoshida.getByLabel(/^利益相反について確認した内容/);
  await ack.waitFor();
  expect(await isFocused(ack)).toBe(true);
  expect(await ack.getAttribute('aria-invalid')).toBe('true');
  await shot('engagements-invite-conflict-ja.png');
  await ack.fill('企業の了解を得た。メインバンクの越後中央信用金庫にも説明済み。');
  await yoshida.getByRole('button', { name: '招待する', exact: true }).click();
  await page.getByText('吉田 修 さんを金融機関としてチームに招待しました。').first().waitFor();
  const invited = member('現在のチーム', '吉田 修');
  await invited.getByText('メインバンクと競合する金融機関').waitFor();

  await invited.getByRole('button', { name: '招待を取り消す' }).click();
  const dialog = page.getByRole('dialog', { name: '吉田 修 さんへの招待を取り消しますか？' });
  await dialog.getByRole('button', { name: '取り消す' }).click();
  await dialog.getByText('理由を入力してください。').waitFor();
  await dialog.getByLabel(/^理由/).fill('融資の相談は別途メインバンクで行うため');
  await dialog.getByRole('button', { name: '取り消す' }).click();
  await page.getByText('吉田 修 さんへの招待を取り消しました。').first().waitFor();
  await invited.getByText('解除', { exact: true }).waitFor();
  await signOut();
});

test('the invitees answer in the 招待 section of their board', async () => {
  await signIn(CONSULTANT);
  await nav().getByRole('link', { name: '伴走支援' }).click();
  await page.getByRole('heading', { level: 1, name: '伴走支援' }).waitFor();
  const invitation = page.getByRole('list', { name: '招待' }).getByRole('article').filter({ hasText: reference });
  await invitation.getByText(SMRJ).waitFor();
  await invitation.getByText('専門家', { exact: true }).waitFor();
  await invitation.getByText('支援対象', { exact: true }).waitFor();
  await shot('engagements-invitations-ja.png');
  await invitation.getByRole('button', { name: '参加する' }).click();
  await page.getByText(`${reference} のチームに参加しました。`).first().waitFor();
  // Now on the team: the engagement is on her board, the firm's name shown under the consent.
  const card = page.getByRole('list', { name: '支援対象' }).getByRole('article').filter({ hasText: reference });
  await card.getByText(FIRM).waitFor();
  await signOut();

  await signIn(ADVISOR);
  await nav().getByRole('link', { name: '伴走支援' }).click();
  const his = page.getByRole('list', { name: '招待' }).getByRole('article').filter({ hasText: reference });
  await his.getByText('地域の支援者', { exact: true }).waitFor();
  // Declining needs a reason; he thinks better of it and joins.
  await his.getByRole('button', { name: '辞退する' }).click();
  const reason = his.getByLabel(/^辞退の理由/);
  expect(await isFocused(reason)).toBe(true);
  await his.getByRole('button', { name: '辞退する' }).click();
  await his.getByText('辞退の理由を入力してください。').waitFor();
  await his.getByRole('button', { name: 'キャンセル' }).click();
  await his.getByRole('button', { name: '参加する' }).click();
  await page.getByText(`${reference} のチームに参加しました。`).first().waitFor();
  await page.getByRole('list', { name: '支援対象' }).getByRole('article').filter({ hasText: reference }).waitFor();
  await signOut();
});

test('the lead logs a session, moves the stage (back only with a reason) and records outcome figures', async () => {
  await signIn(LEAD);
  await page.goto(at(engagementPath));
  await page.getByRole('heading', { level: 1, name: new RegExp(FIRM) }).waitFor();
  await member('チーム', '高橋 美咲').getByText('参加', { exact: true }).waitFor();
  await member('チーム', '佐藤 浩二').getByText('参加', { exact: true }).waitFor();

  // 本質的課題
  await page.getByRole('button', { name: '課題を追加' }).click();
  await page.getByRole('textbox', { name: /^課題/ }).fill('部門間の情報共有が不十分で、受注に生産が追いついていない');
  await page.getByRole('button', { name: '追加する' }).click();
  await page.getByText('本質的課題「部門間の情報共有が不十分で、受注に生産が追いついていない」を追加しました。').first().waitFor();

  // 面談記録
  await page.getByRole('button', { name: '面談を記録' }).click();
  expect(await isFocused(page.getByLabel(/^面談日/))).toBe(true);
  await page.getByRole('button', { name: '記録する', exact: true }).click();
  await page.getByText('参加者を入力してください。').waitFor();
  await page.getByLabel(/^参加者/).fill('代表取締役 越後 太郎、渡辺 誠\n高橋 美咲');
  await page.getByLabel(/^内容/).fill('受注の増加に生産が追いつかない理由を、営業部と製造部の双方から聞き取った。');
  await page.getByLabel('次回までの取り組み（任意）').fill('製造部の週次会議に同席する');
  await page.getByRole('button', { name: '記録する', exact: true }).click();
  await page.getByText(/^令和\d+年\d+月\d+日（\d{4}年\d+月\d+日）の面談を記録しました。$/).first().waitFor();
  const session = page.getByRole('list', { name: '面談記録' }).getByRole('article').first();
  expect(await session.getByRole('heading').textContent()).toMatch(/^\s*令和\d+年\d+月\d+日（\d{4}年\d+月\d+日）\s*$/);
  await session.getByText('代表取締役 越後 太郎、渡辺 誠、高橋 美咲').waitFor();

  // The stage moves on.
  const stepper = page.getByRole('list', { name: '伴走支援の段階' });
  await page.getByRole('button', { name: '段階を変更する' }).click();
  await page.getByLabel('変更後の段階').selectOption({ label: '3. 信頼関係の構築' });
  await page.getByRole('button', { name: '段階を変更する' }).click();
  await page.getByText('段階を「信頼関係の構築」に変更しました。').first().waitFor();
  expect(await stepper.locator('[aria-current="step"]').textContent()).toMatch(/信頼関係の構築/);

  // Going back needs a reason: the page asks before sending.
  await page.getByRole('button', { name: '段階を変更する' }).click();
  await page.getByLabel('変更後の段階').selectOption({ label: '2. 双方の理解' });
  await page.getByText('前の段階に戻します。理由を入力してください。').waitFor();
  await page.getByRole('button', { name: '段階を変更する' }).click();
  const reason = page.getByLabel(/^段階を戻す理由/);
  await page.getByText('段階を戻す理由を入力してください。').waitFor();
  expect(await isFocused(reason)).toBe(true);

  // Meanwhile the engagement changes elsewhere (the lead in another tab): the page says so and reloads.
  const lead = (await apiSignIn(hub.url, LEAD)).cookie;
  const engagementId = engagementPath.split('/').pop() as string;
  const { engagement } = await gql<{ engagement: { version: number } }>(lead, `query($id: ID!) { engagement(id: $id) { version } }`, { id: engagementId });
  await gql(lead, `mutation($id: ID!, $v: Int!) { setSupportPlan(id: $id, expectedVersion: $v, plan: "生産・受注・在庫の情報をITツールで共有する", agreedOn: "2024-07-01") { ok error { code message } } }`, {
    id: engagementId,
    v: engagement.version,
  });
  await reason.fill('経営者との認識合わせが不十分だったため、もう一度双方の理解から始める');
  await page.getByRole('button', { name: '段階を変更する' }).click();
  await page.getByText('他の方が先に更新しました。最新の内容を読み込みました。').first().waitFor();
  await page.getByRole('region', { name: '支援計画' }).getByText('生産・受注・在庫の情報をITツールで共有する').waitFor();
  // What was typed stays; sending again goes through on the latest version.
  await page.getByRole('button', { name: '段階を変更する' }).click();
  await page.getByText('段階を「双方の理解」に変更しました。').first().waitFor();
  expect(await stepper.locator('[aria-current="step"]').textContent()).toMatch(/双方の理解/);
  const history = page.getByRole('region', { name: '段階の履歴' });
  await history.getByText('前の段階に戻す').waitFor();
  await history.getByText('経営者との認識合わせが不十分だったため、もう一度双方の理解から始める').waitFor();

  // 成果指標: the baseline, with a loss.
  await page.getByRole('button', { name: '成果指標を記録' }).click();
  expect(await page.getByRole('radio', { name: '基準値（支援開始時）' }).isChecked()).toBe(true);
  await page.getByLabel('売上高（円）').fill('1,300,000,000');
  await page.getByLabel('営業利益（円）').fill('-12,000,000');
  await page.getByLabel('付加価値額（円）').fill('３２０，０００，０００');
  await page.getByLabel('従業員数（人）').fill('117');
  await page.getByRole('button', { name: '記録する', exact: true }).click();
  await page.getByText(/の成果指標を記録しました。$/).first().waitFor();
  const row = page.getByRole('table', { name: '成果指標（測定日順）' }).getByRole('row').nth(1);
  await row.getByText('基準値', { exact: true }).waitFor();
  await row.getByText('1,300,000,000円').waitFor();
  await row.getByText('−12,000,000円').waitFor();
  await row.getByText('320,000,000円').waitFor();
  await row.getByText('117人').waitFor();
  await shot('engagements-detail-ja.png');
});

test('the board shows the engagement in its stage column, stacked on a narrow screen', async () => {
  await nav().getByRole('link', { name: '伴走支援' }).click();
  await page.getByRole('heading', { level: 1, name: '伴走支援' }).waitFor();
  const card = page.getByRole('list', { name: '双方の理解' }).getByRole('article').filter({ hasText: reference });
  await card.getByText(FIRM).waitFor();
  // Seven columns in stage order, empty ones included.
  const headings = await page.locator('.board__label').allTextContents();
  expect(headings.map((h) => h.trim())).toEqual(['支援対象', '双方の理解', '信頼関係の構築', '気づき・腹落ち', '内発的動機づけ', '課題解決', 'フォローアップ・自走化']);
  await card.getByText(SMRJ).waitFor();
  await card.getByText('渡辺 誠').waitFor();
  // The lead and the two who joined.
  await card.getByText('3名').waitFor();
  await shot('engagements-board-ja.png');

  await page.setViewportSize({ width: 390, height: 844 });
  const columns = page.locator('.board__column');
  const first = await columns.nth(0).boundingBox();
  const second = await columns.nth(1).boundingBox();
  expect(first && second && second.y > first.y && Math.abs(second.x - first.x) < 2).toBe(true);
  await card.waitFor();
  await shot('engagements-board-narrow-ja.png');
  await page.setViewportSize({ width: 1280, height: 900 });
  await signOut();
});

test('the bank that referred the firm is not on the team and finds nothing at the engagement’s address', async () => {
  await signIn(BANK_STAFF);
  await page.goto(at(engagementPath));
  await page.getByRole('heading', { level: 1, name: '伴走支援が見つかりません' }).waitFor();
  expect(await page.getByText(FIRM).count()).toBe(0);
  await shot('engagements-outsider-ja.png');
  await signOut();
});
