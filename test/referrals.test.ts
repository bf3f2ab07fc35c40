/**
 * Referrals end to end through the gateway, as the web app calls it, on the real PostgreSQL and Redis:
 * a bank registers a firm, records the firm's consent, refers it to a chamber of commerce; the chamber
 * sees it in its inbox, accepts, completes with an outcome; the bank sees the outcome and was notified;
 * the APPI provision record exists. Around it: bad input, stale updates, a third body that sees nothing,
 * consent withdrawal, attachments, forwarding, duplicates, and the response clock's reminders.
 */
import type { RunningHub } from '../gateway/hub';
import { AccountsStore } from '../services/accounts/accounts.store';
import { hashPassword } from '../services/accounts/credentials';
import { fireScheduledNotice } from '../services/notifications/scheduling';
import { businessCalendar, jstDayStart, responseDeadline, toJstDay } from '../services/shared/business-days';
import { corporateNumberCheckDigit } from '../services/referrals/firm-identity';
import { DEMO_PASSWORD, graphql, signIn, startTestHub } from './support/hub';

let hub: RunningHub;
const ids: Record<string, string> = {};
const cookies: Record<string, string> = {};
const accountIds: Record<string, string> = {};

/** A valid 法人番号 from twelve digits. */
const corporateNumber = (twelve: string) => `${corporateNumberCheckDigit(twelve)}${twelve}`;
const RUN = String(Date.now()).slice(-8);
/** Twelve digits unique to this run and n. */
const unique = (n: number) => `${RUN}${String(n).padStart(4, '0')}`;

beforeAll(async () => {
  hub = await startTestHub();
  const prisma = hub.database.prisma;
  for (const slug of ['jfc-niigata', 'niigata-cci', 'shokochukin']) ids[slug] = (await prisma.organisation.findFirstOrThrow({ where: { slug } })).id;
  const store = new AccountsStore(prisma);
  const make = async (key: string, slug: string, roles: Array<'ORG_ADMIN' | 'SUPPORTER'>) => {
    const email = `ref-${key.toLowerCase()}@test.example.jp`;
    const account = await store.createAccount({ email, displayName: `紹介テスト ${key}`, passwordHash: await hashPassword(DEMO_PASSWORD) });
    await store.upsertMembership(account.id, ids[slug], roles);
    accountIds[key] = account.id;
    cookies[key] = (await signIn(hub.url, email)).cookie;
  };
  await make('bank', 'jfc-niigata', ['SUPPORTER']);
  await make('bankAdmin', 'jfc-niigata', ['ORG_ADMIN']);
  await make('cci', 'niigata-cci', ['SUPPORTER']);
  await make('cciAdmin', 'niigata-cci', ['ORG_ADMIN']);
  await make('outsider', 'shokochukin', ['SUPPORTER', 'ORG_ADMIN']);
});
afterAll(async () => {
  await hub?.stop();
});

type Err = { code: string; message: string; field: string | null } | null;

async function gql<T>(who: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await graphql<T>(hub.url, query, variables, { cookie: cookies[who] });
  if (res.body.errors?.length) throw new Error(`${who}: ${JSON.stringify(res.body.errors)}`);
  return res.body.data as T;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} not met within ${timeoutMs} ms`);
}

const REGISTER = `mutation($i: RegisterFirmInput!) { registerFirm(input: $i) { ok error { code message field } linkedExisting possibleDuplicates { id } firm { id nameJa corporateNumber access version } } }`;
const RECORD_CONSENT = `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { ok error { code message field } consent { id active categories } } }`;
const CREATE = `mutation($i: CreateReferralInput!, $send: Boolean) { createReferral(input: $i, send: $send) { ok error { code message field } referral { id reference status version clock { businessDays dueAt escalatesAt businessDaysLeft overdue } } } }`;
const REFERRAL = `query($id: ID!) { referral(id: $id) { id reference status version viewerSide allowedActions firm { id nameJa } sender { id nameJa } recipient { id nameJa } assignee { id displayName }
  outcome { summary stage result } declineReason clock { dueAt overdue answeredAt } timeline { kind fromStatus toStatus actor { id } note } attachments { id fileName sizeBytes downloadPath } forwardedToOrganisation { id } } }`;
type Ref = {
  id: string;
  reference: string;
  status: string;
  version: number;
  viewerSide: string;
  allowedActions: string[];
  firm: { id: string; nameJa: string } | null;
  sender: { id: string; nameJa: string };
  recipient: { id: string; nameJa: string };
  assignee: { id: string; displayName: string } | null;
  outcome: { summary: string; stage: string; result: string } | null;
  declineReason: string | null;
  clock: { dueAt: string; overdue: boolean; answeredAt: string | null } | null;
  timeline: Array<{ kind: string; fromStatus: string | null; toStatus: string | null; actor: { id: string } | null; note: string | null }>;
  attachments: Array<{ id: string; fileName: string; sizeBytes: number; downloadPath: string }>;
  forwardedToOrganisation: { id: string } | null;
};

const firmInput = (n: number, extra: Record<string, unknown> = {}) => ({
  corporateNumber: corporateNumber(unique(n)),
  nameJa: `株式会社越後テスト工業${n}`,
  nameKana: `エチゴテストコウギョウ${[...String(n)].map((d) => 'アイウエオカキクケコ'[Number(d)]).join('')}`,
  prefectureCode: '15',
  industryDivision: 'E',
  representativeTitle: '代表取締役',
  representativeName: '越後 太郎',
  figures: { capitalYen: 10_000_000, employees: 25, annualSalesYen: 480_000_000, fiscalYearEndMonth: 3 },
  ...extra,
});

async function registerFirm(who: string, n: number, extra: Record<string, unknown> = {}) {
  const r = (await gql<{ registerFirm: { ok: boolean; error: Err; linkedExisting: boolean; firm: { id: string; version: number } } }>(who, REGISTER, { i: firmInput(n, extra) })).registerFirm;
  expect(r.error).toBeNull();
  return r.firm;
}

async function recordConsent(who: string, firmId: string, recipient: string, categories = ['PROFILE', 'ISSUES', 'FINANCIALS', 'DOCUMENTS']) {
  const r = (await gql<{ recordConsent: { ok: boolean; error: Err; consent: { id: string } } }>(who, RECORD_CONSENT, {
    i: { firmId, recipientOrganisationId: ids[recipient], categories, method: 'WRITTEN', obtainedAt: toJstDay(new Date()), givenBy: '代表取締役 越後 太郎' },
  })).recordConsent;
  expect(r.error).toBeNull();
  return r.consent.id;
}

async function sendReferral(who: string, firmId: string, recipient: string, consentId: string) {
  const r = (await gql<{ createReferral: { ok: boolean; error: Err; referral: { id: string; version: number; reference: string } } }>(who, CREATE, {
    i: { firmId, recipientOrganisationId: ids[recipient], consentId, supportType: 'ISSUE_SETTING', urgency: 'HIGH', reason: '資金繰りの相談から、事業の本質的な課題の整理が必要と判断しました。', summary: '売上は横ばい。後継者が決まっていない。' },
    send: true,
  })).createReferral;
  expect(r.error).toBeNull();
  return r.referral;
}

const referral = async (who: string, id: string) => (await gql<{ referral: Ref | null }>(who, REFERRAL, { id })).referral;
const act = async (who: string, mutation: string, args: string, vars: Record<string, unknown>) =>
  (await gql<Record<string, { ok: boolean; error: Err; referral: { id: string; status: string; version: number } | null }>>(who, `mutation(${args}) { ${mutation} { ok error { code message field } referral { id status version } } }`, vars));
const noticesOf = async (who: string) =>
  (await gql<{ notifications: { nodes: Array<{ type: string; titleJa: string; bodyJa: string; link: string | null }> } }>(who, '{ notifications(first: 50) { nodes { type titleJa bodyJa link } } }')).notifications.nodes;

describe('the closed loop: register, consent, refer, accept, complete', () => {
  let firmId: string;
  let referralId: string;
  let version: number;

  test('bank staff registers a firm with a valid 法人番号', async () => {
    const firm = await registerFirm('bank', 1);
    firmId = firm.id;
    const seen = await gql<{ firm: { nameJa: string; access: string; figures: { capitalYen: number; employees: number } } }>('bank', `query($id: ID!) { firm(id: $id) { nameJa access figures { capitalYen employees } } }`, { id: firmId });
    expect(seen.firm).toMatchObject({ nameJa: '株式会社越後テスト工業1', access: 'HOLDER', figures: { capitalYen: 10_000_000, employees: 25 } });
  });

  test('without consent the referral is refused, in Japanese, and nothing is written', async () => {
    // Counted for this firm: other test files write referrals to the same database meanwhile.
    const before = await hub.database.prisma.referral.count({ where: { firmId } });
    const r = (await gql<{ createReferral: { ok: boolean; error: Err } }>('bank', CREATE, {
      i: { firmId, recipientOrganisationId: ids['niigata-cci'], consentId: '00000000-0000-4000-8000-000000000000', supportType: 'ISSUE_SETTING', reason: 'r', summary: 's' },
      send: true,
    })).createReferral;
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ code: 'referrals/no_consent', field: 'consentId' });
    expect(r.error!.message).toMatch(/同意が記録されていません/);
    expect(await hub.database.prisma.referral.count({ where: { firmId } })).toBe(before);
  });

  test('referring to one’s own body is refused', async () => {
    const r = (await gql<{ recordConsent: { ok: boolean; error: Err } }>('bank', RECORD_CONSENT, {
      i: { firmId, recipientOrganisationId: ids['jfc-niigata'], categories: ['PROFILE', 'ISSUES'], method: 'WRITTEN', obtainedAt: toJstDay(new Date()), givenBy: '越後 太郎' },
    })).recordConsent;
    expect(r.error).toMatchObject({ code: 'referrals/own_body', message: '自組織を紹介先・提供先にすることはできません。' });
  });

  test('a consent without 経営課題 does not allow a referral', async () => {
    const narrow = await recordConsent('bank', firmId, 'niigata-cci', ['PROFILE']);
    const r = (await gql<{ createReferral: { ok: boolean; error: Err } }>('bank', CREATE, {
      i: { firmId, recipientOrganisationId: ids['niigata-cci'], consentId: narrow, supportType: 'ISSUE_SETTING', reason: 'r', summary: 's' },
    })).createReferral;
    expect(r.error).toMatchObject({ code: 'referrals/consent_scope' });
    expect(r.error!.message).toBe('同意の範囲に「経営課題・相談内容」が含まれていません。');
  });

  test('with consent the bank sends it; the clock runs 3 business days; reminders are scheduled', async () => {
    const consentId = await recordConsent('bank', firmId, 'niigata-cci');
    const sent = await sendReferral('bank', firmId, 'niigata-cci', consentId);
    referralId = sent.id;
    expect(sent.reference).toMatch(/^R-\d{6}$/);
    const view = await referral('bank', referralId);
    expect(view).toMatchObject({ status: 'SENT', viewerSide: 'SENDER', sender: { nameJa: expect.any(String) }, recipient: { id: ids['niigata-cci'] } });
    const row = await hub.database.prisma.referral.findUniqueOrThrow({ where: { id: referralId } });
    expect(row.responseDueAt!.toISOString()).toBe(responseDeadline(row.sentAt!, 3).toISOString());
    const notices = await hub.database.prisma.scheduledNotice.findMany({ where: { key: { endsWith: referralId } } });
    expect(notices.map((n) => n.key.split(':')[0]).sort()).toEqual(expect.arrayContaining(['referral-escalation', 'referral-overdue']));
    const escalation = notices.find((n) => n.key.startsWith('referral-escalation'))!;
    // The secretariat is told when one more business day has passed without an answer.
    const cal = businessCalendar();
    const graceDay = cal.nextBusinessDay(toJstDay(row.responseDueAt!));
    expect(row.escalatesAt!.getTime()).toBe(jstDayStart(graceDay).getTime() + 86_400_000 - 1);
    expect(escalation.dueAt.getTime()).toBe(row.escalatesAt!.getTime() + 1);
    const overdue = notices.find((n) => n.key.startsWith('referral-overdue'))!;
    expect(overdue.dueAt.getTime()).toBe(row.responseDueAt!.getTime() + 1);
  });

  test('the receiver sees it in the NEW inbox with the firm, both bodies and no assignee yet; and is notified', async () => {
    const inbox = await gql<{ referralInbox: { totalCount: number; nodes: Array<{ id: string; firm: { nameJa: string }; sender: { nameJa: string }; recipient: { nameJa: string }; assignee: null; clock: { businessDaysLeft: number } }> } }>(
      'cci',
      '{ referralInbox(box: NEW) { totalCount nodes { id firm { nameJa } sender { nameJa } recipient { nameJa } assignee { id } clock { businessDaysLeft } } } }',
    );
    const mine = inbox.referralInbox.nodes.find((n) => n.id === referralId)!;
    expect(mine).toMatchObject({ firm: { nameJa: '株式会社越後テスト工業1' }, assignee: null });
    expect(mine.sender.nameJa).toMatch(/日本政策金融公庫|新潟/);
    expect(mine.clock.businessDaysLeft).toBeGreaterThanOrEqual(2);
    const counts = await gql<{ referralCounts: { new: number } }>('cci', '{ referralCounts { new overdue inProgress sentOpen } }');
    expect(counts.referralCounts.new).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await noticesOf('cci')).some((n) => n.type === 'referrals.received' && n.link === `/referrals/${referralId}`), 20_000, 'received notice');
    const notice = (await noticesOf('cci')).find((n) => n.type === 'referrals.received')!;
    expect(notice.titleJa).toMatch(/^【急ぎ】.+から紹介が届きました（R-\d{6}）$/);
  });

  test('the receiver accepts; accepting twice and a stale update are refused', async () => {
    const before = (await referral('cci', referralId))!;
    expect(before.allowedActions).toEqual(expect.arrayContaining(['ACCEPT', 'DECLINE', 'FORWARD', 'ASSIGN']));
    const accepted = (await act('cci', 'acceptReferral(id: $id, expectedVersion: $v)', '$id: ID!, $v: Int!', { id: referralId, v: before.version })).acceptReferral;
    expect(accepted).toMatchObject({ ok: true, referral: { status: 'ACCEPTED' } });
    version = accepted.referral!.version;
    // Kept for reports: business days from sending to this first answer (the same day here).
    const row = await hub.database.prisma.referral.findUniqueOrThrow({ where: { id: referralId } });
    expect(row.respondedBusinessDays).toBe(businessCalendar().businessDaysBetween(toJstDay(row.sentAt!), toJstDay(row.respondedAt!)));
    expect(row.respondedBusinessDays).toBeGreaterThanOrEqual(0);
    const again = (await act('cciAdmin', 'acceptReferral(id: $id, expectedVersion: $v)', '$id: ID!, $v: Int!', { id: referralId, v: version })).acceptReferral;
    expect(again.error).toMatchObject({ code: 'referrals/already_accepted', message: 'この紹介はすでに受け付けられています。' });
    const stale = (await act('cciAdmin', 'startReferral(id: $id, expectedVersion: $v)', '$id: ID!, $v: Int!', { id: referralId, v: before.version })).startReferral;
    expect(stale.error).toMatchObject({ code: 'referrals/stale' });
    expect(stale.error!.message).toMatch(/他の方が先に/);
    const view = (await referral('cci', referralId))!;
    expect(view.assignee).toMatchObject({ id: accountIds.cci, displayName: '紹介テスト cci' });
    expect(view.clock!.answeredAt).not.toBeNull();
    // Answered: the reminder, overdue notice and escalation are cancelled.
    const open = await hub.database.prisma.scheduledNotice.count({ where: { key: { endsWith: referralId }, cancelledAt: null, firedAt: null } });
    expect(open).toBe(0);
    await waitFor(async () => (await noticesOf('bank')).some((n) => n.type === 'referrals.accepted'), 20_000, 'accepted notice');
    const boxes = await gql<{ inProgress: { nodes: Array<{ id: string }> }; fresh: { nodes: Array<{ id: string }> } }>(
      'cci',
      '{ inProgress: referralInbox(box: IN_PROGRESS) { nodes { id } } fresh: referralInbox(box: NEW) { nodes { id } } }',
    );
    expect(boxes.inProgress.nodes.map((n) => n.id)).toContain(referralId);
    expect(boxes.fresh.nodes.map((n) => n.id)).not.toContain(referralId);
  });

  test('the sender cannot act for the receiver', async () => {
    const r = (await act('bank', 'completeReferral(id: $id, expectedVersion: $v, outcome: $o)', '$id: ID!, $v: Int!, $o: OutcomeInput!', {
      id: referralId,
      v: version,
      o: { summary: 'x', stage: 'ISSUE_SETTING', result: 'RESOLVED' },
    })).completeReferral;
    expect(r.error).toMatchObject({ code: 'referrals/wrong_side' });
  });

  test('the receiver works on it and completes it with an outcome; the sender sees the outcome and is told', async () => {
    const started = (await act('cci', 'startReferral(id: $id, expectedVersion: $v)', '$id: ID!, $v: Int!', { id: referralId, v: version })).startReferral;
    expect(started.referral!.status).toBe('IN_PROGRESS');
    const done = (await act('cci', 'completeReferral(id: $id, expectedVersion: $v, outcome: $o)', '$id: ID!, $v: Int!, $o: OutcomeInput!', {
      id: referralId,
      v: started.referral!.version,
      o: { summary: '経営者との対話で本質的課題（後継者育成）を設定し、事業承継計画の作成に着手した。', stage: 'ISSUE_SETTING', result: 'PARTLY_RESOLVED' },
    })).completeReferral;
    expect(done).toMatchObject({ ok: true, referral: { status: 'COMPLETED' } });
    const seen = (await referral('bank', referralId))!;
    expect(seen.status).toBe('COMPLETED');
    expect(seen.outcome).toEqual({ summary: '経営者との対話で本質的課題（後継者育成）を設定し、事業承継計画の作成に着手した。', stage: 'ISSUE_SETTING', result: 'PARTLY_RESOLVED' });
    expect(seen.timeline.map((e) => e.kind)).toEqual(['created', 'sent', 'accepted', 'started', 'completed']);
    expect(seen.timeline.every((e) => e.actor)).toBe(true);
    await waitFor(async () => (await noticesOf('bank')).some((n) => n.type === 'referrals.completed'), 20_000, 'completed notice');
    const notice = (await noticesOf('bank')).find((n) => n.type === 'referrals.completed')!;
    expect(notice.titleJa).toMatch(/の支援が完了しました（一部解決）$/);
    expect(notice.bodyJa).toContain('課題設定まで');
  });

  test('the APPI provision record exists for the bank’s admin and exports as CSV', async () => {
    const records = await gql<{ provisionRecords: { nodes: Array<{ firmName: string; dataItems: string[]; referralId: string; provider: { id: string }; recipient: { id: string }; personsConcerned: string[]; retainUntil: string; providedAt: string }> } }>(
      'bankAdmin',
      '{ provisionRecords(first: 100) { nodes { firmName dataItems referralId provider { id } recipient { id } personsConcerned retainUntil providedAt } } }',
    );
    const rec = records.provisionRecords.nodes.find((r) => r.referralId === referralId)!;
    expect(rec).toMatchObject({ firmName: '株式会社越後テスト工業1', provider: { id: ids['jfc-niigata'] }, recipient: { id: ids['niigata-cci'] } });
    expect(rec.dataItems.sort()).toEqual(['FINANCIALS', 'ISSUES', 'PROFILE']);
    expect(rec.personsConcerned).toEqual(expect.arrayContaining(['越後 太郎']));
    expect(new Date(rec.retainUntil).getUTCFullYear() - new Date(rec.providedAt).getUTCFullYear()).toBe(3);
    // The receiving body's admin sees it too (as recipient); a supporter may not read them.
    const asRecipient = await gql<{ provisionRecords: { nodes: Array<{ referralId: string }> } }>('cciAdmin', '{ provisionRecords { nodes { referralId } } }');
    expect(asRecipient.provisionRecords.nodes.some((r) => r.referralId === referralId)).toBe(true);
    const denied = await graphql(hub.url, '{ provisionRecords { totalCount } }', {}, { cookie: cookies.bank });
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const csv = await fetch(new URL('files/provision-records.csv', hub.url), { headers: { cookie: cookies.bankAdmin } });
    expect(csv.status).toBe(200);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    const text = bytes.toString('utf8');
    expect(text.slice(1).startsWith('"提供日時 (JST)"')).toBe(true);
    expect(text).toContain('"株式会社越後テスト工業1"');
    expect(text).toContain('"基本情報、');
    // The records cannot be altered.
    await expect(hub.database.prisma.provisionRecord.updateMany({ where: { referralId }, data: { firmName: 'x' } })).rejects.toThrow(/kept until its retention ends/);
  });

  test('the sent list pages through every referral the bank sent, and the closed box holds the completed one', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i += 1) {
      const page: { sentReferrals: { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number } } = await gql('bank', 'query($a: String) { sentReferrals(first: 1, after: $a) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }', { a: after });
      seen.push(...page.sentReferrals.nodes.map((n) => n.id));
      if (!page.sentReferrals.pageInfo.hasNextPage) break;
      after = page.sentReferrals.pageInfo.endCursor;
    }
    expect(seen).toContain(referralId);
    expect(new Set(seen).size).toBe(seen.length);
    const closed = await gql<{ referralInbox: { nodes: Array<{ id: string; status: string }> } }>('cci', '{ referralInbox(box: CLOSED) { nodes { id status } } }');
    expect(closed.referralInbox.nodes.find((n) => n.id === referralId)?.status).toBe('COMPLETED');
    const bad = await graphql(hub.url, '{ sentReferrals(after: "not-a-cursor") { totalCount } }', {}, { cookie: cookies.bank });
    expect(bad.body.errors?.[0]?.message).toBe('ページ位置 (after) が正しくありません。');
  });

  test('the firm page lists the referral and the consents', async () => {
    const page = await gql<{ firm: { referrals: Array<{ id: string }>; consents: Array<{ active: boolean; categories: string[] }> } }>('bank', `query($id: ID!) { firm(id: $id) { referrals { id } consents { active categories } } }`, { id: firmId });
    expect(page.firm.referrals.map((r) => r.id)).toContain(referralId);
    expect(page.firm.consents.length).toBe(2);
  });
});

describe('access: a third body sees nothing; withdrawing consent removes the recipient’s access', () => {
  let firmId: string;
  let consentId: string;
  let referralId: string;

  beforeAll(async () => {
    firmId = (await registerFirm('bank', 2)).id;
    consentId = await recordConsent('bank', firmId, 'niigata-cci');
    referralId = (await sendReferral('bank', firmId, 'niigata-cci', consentId)).id;
  });

  test('a third body cannot see the firm or the referral, even by id, nor act on it', async () => {
    expect((await gql<{ firm: null }>('outsider', 'query($id: ID!) { firm(id: $id) { id } }', { id: firmId })).firm).toBeNull();
    expect(await referral('outsider', referralId)).toBeNull();
    const firms = await gql<{ firms: { nodes: Array<{ id: string }> } }>('outsider', '{ firms(first: 100) { nodes { id } } }');
    expect(firms.firms.nodes.map((f) => f.id)).not.toContain(firmId);
    const inbox = await gql<{ referralInbox: { nodes: Array<{ id: string }> } }>('outsider', '{ referralInbox(box: NEW, first: 100) { nodes { id } } }');
    expect(inbox.referralInbox.nodes.map((r) => r.id)).not.toContain(referralId);
    const accept = (await act('outsider', 'acceptReferral(id: $id, expectedVersion: $v)', '$id: ID!, $v: Int!', { id: referralId, v: 2 })).acceptReferral;
    expect(accept.error).toMatchObject({ code: 'referrals/not_found' });
    // The same answer as for an id that does not exist.
    const missing = (await act('outsider', 'acceptReferral(id: $id, expectedVersion: $v)', '$id: ID!, $v: Int!', { id: '00000000-0000-4000-8000-000000000000', v: 2 })).acceptReferral;
    expect(missing.error).toEqual(accept.error);
    // Nor record a consent for a firm it does not hold.
    const consent = (await gql<{ recordConsent: { error: Err } }>('outsider', RECORD_CONSENT, {
      i: { firmId, recipientOrganisationId: ids['niigata-cci'], categories: ['PROFILE'], method: 'WRITTEN', obtainedAt: toJstDay(new Date()), givenBy: 'x' },
    })).recordConsent;
    expect(consent.error).toMatchObject({ code: 'referrals/firm_not_found' });
  });

  test('the recipient sees the firm (shared) with the provider’s figures under FINANCIALS', async () => {
    const seen = await gql<{ firm: { access: string; figures: { annualSalesYen: number } | null } }>('cci', 'query($id: ID!) { firm(id: $id) { access figures { annualSalesYen } } }', { id: firmId });
    expect(seen.firm).toEqual({ access: 'SHARED', figures: { annualSalesYen: 480_000_000 } });
  });

  test('after withdrawal the recipient loses the firm and the referral; the referral is cancelled and the receiver told', async () => {
    const w = await gql<{ withdrawConsent: { ok: boolean; error: Err; consent: { active: boolean } } }>('bank', 'mutation($id: ID!) { withdrawConsent(id: $id, note: "企業から電話で撤回の申し出") { ok error { code } consent { active } } }', { id: consentId });
    expect(w.withdrawConsent).toMatchObject({ ok: true, consent: { active: false } });
    expect((await gql<{ firm: null }>('cci', 'query($id: ID!) { firm(id: $id) { id } }', { id: firmId })).firm).toBeNull();
    expect(await referral('cci', referralId)).toBeNull();
    const mine = (await referral('bank', referralId))!;
    expect(mine.status).toBe('CANCELLED');
    expect(mine.timeline.at(-1)).toMatchObject({ kind: 'consent_withdrawn', note: '企業から電話で撤回の申し出' });
    await waitFor(async () => (await noticesOf('cci')).some((n) => n.type === 'referrals.cancelled' && n.link === null), 20_000, 'cancelled notice');
    // The withdrawn consent cannot carry a new referral.
    const again = (await gql<{ createReferral: { error: Err } }>('bank', CREATE, {
      i: { firmId, recipientOrganisationId: ids['niigata-cci'], consentId, supportType: 'ISSUE_SOLVING', reason: 'r', summary: 's' },
    })).createReferral;
    expect(again.error).toMatchObject({ code: 'referrals/consent_withdrawn' });
  });
});

describe('bad input', () => {
  test('an invalid 法人番号 is refused with the check-digit message, and no firm is written', async () => {
    // Counted for this run's names: other test files register firms in the same database meanwhile.
    const mine = { nameJa: { startsWith: '株式会社越後テスト工業3' } };
    const before = await hub.database.prisma.firm.count({ where: mine });
    const good = corporateNumber(unique(3));
    const bad = `${(Number(good[0]) + 1) % 10}${good.slice(1)}`;
    const r = (await gql<{ registerFirm: { ok: boolean; error: Err } }>('bank', REGISTER, { i: firmInput(3, { corporateNumber: bad }) })).registerFirm;
    expect(r).toMatchObject({ ok: false, error: { code: 'firms/corporate_number_check_digit', field: 'corporateNumber', message: '法人番号の検査用数字が一致しません。番号をご確認ください。' } });
    const short = (await gql<{ registerFirm: { error: Err } }>('bank', REGISTER, { i: firmInput(3, { corporateNumber: '12345' }) })).registerFirm;
    expect(short.error!.message).toBe('法人番号は13桁の数字で入力してください。');
    const kana = (await gql<{ registerFirm: { error: Err } }>('bank', REGISTER, { i: firmInput(3, { nameKana: 'echigo' }) })).registerFirm;
    expect(kana.error).toMatchObject({ field: 'nameKana' });
    expect(await hub.database.prisma.firm.count({ where: mine })).toBe(before);
  });

  test('a 法人番号 already on the hub links the second body to the same record', async () => {
    const input = firmInput(4);
    await registerFirm('bank', 4);
    const second = (await gql<{ registerFirm: { ok: boolean; linkedExisting: boolean; firm: { id: string; access: string } } }>('cci', REGISTER, { i: { ...input, figures: { employees: 30 } } })).registerFirm;
    expect(second).toMatchObject({ ok: true, linkedExisting: true, firm: { access: 'HOLDER' } });
    expect(await hub.database.prisma.firm.count({ where: { corporateNumber: input.corporateNumber } })).toBe(1);
    // Each body keeps its own figures.
    const mine = await gql<{ firm: { figures: { employees: number; capitalYen: number | null } } }>('cci', 'query($id: ID!) { firm(id: $id) { figures { employees capitalYen } } }', { id: second.firm.id });
    expect(mine.firm.figures).toEqual({ employees: 30, capitalYen: null });
  });

  test('a likely duplicate (same name and prefecture) is flagged, never merged silently; an admin merges it', async () => {
    const first = await registerFirm('bank', 5, { corporateNumber: null, nameJa: '山田精機製作所', nameKana: 'ヤマダセイキセイサクショ' });
    const r = (await gql<{ registerFirm: { ok: boolean; possibleDuplicates: Array<{ id: string }>; firm: { id: string } } }>('bank', REGISTER, {
      i: firmInput(6, { corporateNumber: corporateNumber(unique(6)), nameJa: '（株）山田精機製作所', nameKana: 'ヤマダセイキセイサクショ' }),
    })).registerFirm;
    expect(r.ok).toBe(true);
    expect(r.possibleDuplicates.map((f) => f.id)).toEqual([first.id]);
    const both = await hub.database.prisma.firm.findMany({ where: { id: { in: [first.id, r.firm.id] } } });
    expect(both.every((f) => f.mergedIntoId === null)).toBe(true);
    const flags = await gql<{ firmDuplicates: Array<{ id: string; firm: { id: string }; candidate: { id: string } }> }>('bankAdmin', '{ firmDuplicates { id firm { id } candidate { id } } }');
    const flag = flags.firmDuplicates.find((f) => f.firm.id === r.firm.id)!;
    expect(flag.candidate.id).toBe(first.id);
    const merged = await gql<{ resolveFirmDuplicate: { ok: boolean } }>('bankAdmin', 'mutation($id: ID!) { resolveFirmDuplicate(id: $id, resolution: MERGED) { ok error { code } } }', { id: flag.id });
    expect(merged.resolveFirmDuplicate.ok).toBe(true);
    expect((await gql<{ firm: null }>('bank', 'query($id: ID!) { firm(id: $id) { id } }', { id: r.firm.id })).firm).toBeNull();
    const survivor = await gql<{ firm: { corporateNumber: string } }>('bank', 'query($id: ID!) { firm(id: $id) { corporateNumber } }', { id: first.id });
    expect(survivor.firm.corporateNumber).toBe(corporateNumber(unique(6)));
    const again = await gql<{ resolveFirmDuplicate: { error: Err } }>('bankAdmin', 'mutation($id: ID!) { resolveFirmDuplicate(id: $id, resolution: DISTINCT) { ok error { code } } }', { id: flag.id });
    expect(again.resolveFirmDuplicate.error).toMatchObject({ code: 'referrals/duplicate_resolved' });
  });
});

test('two records with different 法人番号 are never merged, whatever their names', async () => {
  const a = await registerFirm('bank', 11, { nameJa: '越後精工', nameKana: 'エチゴセイコウ' });
  const b = (await gql<{ registerFirm: { possibleDuplicates: Array<{ id: string }>; firm: { id: string } } }>('bank', REGISTER, { i: firmInput(12, { nameJa: '越後精工', nameKana: 'エチゴセイコウ' }) })).registerFirm;
  expect(b.possibleDuplicates.map((f) => f.id)).toEqual([a.id]);
  const flag = (await gql<{ firmDuplicates: Array<{ id: string; firm: { id: string } }> }>('bankAdmin', '{ firmDuplicates { id firm { id } } }')).firmDuplicates.find((f) => f.firm.id === b.firm.id)!;
  const merged = await gql<{ resolveFirmDuplicate: { ok: boolean; error: Err } }>('bankAdmin', 'mutation($id: ID!) { resolveFirmDuplicate(id: $id, resolution: MERGED) { ok error { code message } } }', { id: flag.id });
  expect(merged.resolveFirmDuplicate).toMatchObject({ ok: false, error: { code: 'referrals/distinct_numbers' } });
  const distinct = await gql<{ resolveFirmDuplicate: { ok: boolean } }>('bankAdmin', 'mutation($id: ID!) { resolveFirmDuplicate(id: $id, resolution: DISTINCT) { ok } }', { id: flag.id });
  expect(distinct.resolveFirmDuplicate.ok).toBe(true);
  expect((await gql<{ firm: { id: string } }>('bank', 'query($id: ID!) { firm(id: $id) { id } }', { id: b.firm.id })).firm).not.toBeNull();
});

describe('attachments', () => {
  let referralId: string;
  const upload = (who: string, id: string, name: string, body: Uint8Array, type = 'application/octet-stream') =>
    fetch(new URL(`files/referrals/${id}/attachments`, hub.url), { method: 'POST', headers: { cookie: cookies[who], 'content-type': type, 'x-file-name': encodeURIComponent(name) }, body });

  beforeAll(async () => {
    const firmId = (await registerFirm('bank', 7)).id;
    const consentId = await recordConsent('bank', firmId, 'niigata-cci');
    const draft = (await gql<{ createReferral: { referral: { id: string } } }>('bank', CREATE, {
      i: { firmId, recipientOrganisationId: ids['niigata-cci'], consentId, supportType: 'ISSUE_SOLVING', reason: '販路開拓', summary: '展示会出展の支援' },
    })).createReferral;
    referralId = draft.referral.id;
  });

  test('a PDF is attached to the draft and the receiver downloads the same bytes once it is sent', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 0x20), Buffer.from('\n%%EOF\n')]);
    const res = await upload('bank', referralId, '決算書 2025年度.pdf', pdf, 'application/pdf');
    expect(res.status).toBe(201);
    const body = (await res.json()) as { attachment: { id: string; fileName: string; sizeBytes: number; downloadPath: string } };
    expect(body.attachment).toMatchObject({ fileName: '決算書 2025年度.pdf', sizeBytes: pdf.length });
    const draft = (await referral('bank', referralId))!;
    const sent = (await act('bank', 'sendReferral(id: $id, expectedVersion: $v)', '$id: ID!, $v: Int!', { id: referralId, v: draft.version })).sendReferral;
    expect(sent.referral!.status).toBe('SENT');
    const seen = (await referral('cci', referralId))!;
    expect(seen.attachments).toHaveLength(1);
    const dl = await fetch(new URL(seen.attachments[0].downloadPath.slice(1), hub.url), { headers: { cookie: cookies.cci } });
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('application/pdf');
    expect(dl.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('決算書 2025年度.pdf')}`);
    expect(Buffer.from(await dl.arrayBuffer()).equals(pdf)).toBe(true);
    const outsider = await fetch(new URL(seen.attachments[0].downloadPath.slice(1), hub.url), { headers: { cookie: cookies.outsider } });
    expect(outsider.status).toBe(404);
    // Sent with the documents: the provision record lists them.
    const rec = await hub.database.prisma.provisionRecord.findFirstOrThrow({ where: { referralId } });
    expect(rec.dataItems).toContain('DOCUMENTS');
  });

  test('a file too large or of a disallowed type is refused with a Japanese message; nothing is stored', async () => {
    const before = await hub.database.prisma.referralAttachment.count({ where: { referralId } });
    const big = await upload('bank', referralId, 'big.pdf', Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(10 * 1024 * 1024)]));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { message: string } }).error.message).toBe('ファイルが大きすぎます。10MB以下のファイルを添付してください。');
    const exe = await upload('bank', referralId, 'setup.exe', Buffer.from('MZ\x90\x00'));
    expect(exe.status).toBe(400);
    expect(((await exe.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'referrals/file_type', message: expect.stringContaining('PDF・Word・Excel') });
    const disguised = await upload('bank', referralId, 'invoice.pdf', Buffer.from('MZ\x90\x00 not a pdf'));
    expect(((await disguised.json()) as { error: { code: string } }).error.code).toBe('referrals/file_type');
    expect(await hub.database.prisma.referralAttachment.count({ where: { referralId } })).toBe(before);
  });

  test('an upload from another site is refused', async () => {
    const res = await fetch(new URL(`files/referrals/${referralId}/attachments`, hub.url), {
      method: 'POST',
      headers: { cookie: cookies.bank, origin: 'https://evil.example', 'x-file-name': 'a.txt' },
      body: 'hello',
    });
    expect(res.status).toBe(403);
  });
});

describe('decline, forward and the response clock', () => {
  test('a decline carries its reason back to the sender', async () => {
    const firmId = (await registerFirm('bank', 8)).id;
    const id = (await sendReferral('bank', firmId, 'niigata-cci', await recordConsent('bank', firmId, 'niigata-cci'))).id;
    const v = (await referral('cci', id))!.version;
    const noNote = (await act('cci', 'declineReferral(id: $id, expectedVersion: $v, reason: OTHER)', '$id: ID!, $v: Int!', { id, v })).declineReferral;
    expect(noNote.error).toMatchObject({ field: 'note' });
    const d = (await act('cci', 'declineReferral(id: $id, expectedVersion: $v, reason: NO_CAPACITY, note: $n)', '$id: ID!, $v: Int!, $n: String', { id, v, n: '今月は相談員が不足しています' })).declineReferral;
    expect(d.referral!.status).toBe('DECLINED');
    expect((await referral('bank', id))!.declineReason).toBe('NO_CAPACITY');
    await waitFor(async () => (await noticesOf('bank')).some((n) => n.type === 'referrals.declined' && n.bodyJa.includes('受入余力なし')), 20_000, 'declined notice');
  });

  test('the receiver forwards to a third body under its own consent; the sender is told where it went', async () => {
    const firmId = (await registerFirm('bank', 9)).id;
    const id = (await sendReferral('bank', firmId, 'niigata-cci', await recordConsent('bank', firmId, 'niigata-cci'))).id;
    const v = (await referral('cci', id))!.version;
    const noConsent = (await act('cci', 'forwardReferral(id: $id, expectedVersion: $v, recipientOrganisationId: $to, consentId: $c)', '$id: ID!, $v: Int!, $to: ID!, $c: ID!', {
      id,
      v,
      to: ids.shokochukin,
      c: '00000000-0000-4000-8000-000000000000',
    })).forwardReferral;
    expect(noConsent.error).toMatchObject({ code: 'referrals/no_consent' });
    // The receiver passes on only what it may see: PROFILE and ISSUES (and FINANCIALS, shared to it).
    const consentId = await recordConsent('cci', firmId, 'shokochukin', ['PROFILE', 'ISSUES']);
    const f = (await act('cci', 'forwardReferral(id: $id, expectedVersion: $v, recipientOrganisationId: $to, consentId: $c, note: $n)', '$id: ID!, $v: Int!, $to: ID!, $c: ID!, $n: String', {
      id,
      v,
      to: ids.shokochukin,
      c: consentId,
      n: '海外展開の専門家がいる機関へ',
    })).forwardReferral;
    expect(f.referral!.status).toBe('FORWARDED');
    expect((await referral('bank', id))!.forwardedToOrganisation).toEqual({ id: ids.shokochukin });
    const inbox = await gql<{ referralInbox: { nodes: Array<{ id: string; firm: { id: string }; forwardedFrom: { id: string } | null }> } }>('outsider', '{ referralInbox(box: NEW, first: 100) { nodes { id firm { id } forwardedFrom { id } } } }');
    const next = inbox.referralInbox.nodes.find((n) => n.firm.id === firmId)!;
    expect(next).toBeDefined();
    // The third body is not party to the first referral.
    expect(next.forwardedFrom).toBeNull();
    await waitFor(async () => (await noticesOf('bank')).some((n) => n.type === 'referrals.forwarded'), 20_000, 'forwarded notice');
  });

  test('an unanswered referral’s overdue notice reaches the receiver’s admins and the escalation reaches the council secretariat', async () => {
    const firmId = (await registerFirm('bank', 10)).id;
    const id = (await sendReferral('bank', firmId, 'niigata-cci', await recordConsent('bank', firmId, 'niigata-cci'))).id;
    const prisma = hub.database.prisma;
    const overdue = await prisma.scheduledNotice.findUniqueOrThrow({ where: { key: `referral-overdue:${id}` } });
    const escalation = await prisma.scheduledNotice.findUniqueOrThrow({ where: { key: `referral-escalation:${id}` } });
    // Fire them as the delayed jobs would at their time.
    expect(await fireScheduledNotice(prisma, overdue.key, overdue.dueAt.toISOString(), new Date(overdue.dueAt.getTime() + 1000))).toBe('fired');
    expect(await fireScheduledNotice(prisma, escalation.key, escalation.dueAt.toISOString(), new Date(escalation.dueAt.getTime() + 1000))).toBe('fired');
    await waitFor(async () => (await noticesOf('cciAdmin')).some((n) => n.type === 'referrals.overdue' && n.link === `/referrals/${id}`), 20_000, 'overdue notice to the admin');
    const secretariat = await prisma.account.findUniqueOrThrow({ where: { email: 'secretariat@banso.example.jp' } });
    await waitFor(async () => (await prisma.notification.count({ where: { recipientAccountId: secretariat.id, type: 'referrals.escalated' } })) > 0, 20_000, 'escalation to the secretariat');
    const notice = await prisma.notification.findFirstOrThrow({ where: { recipientAccountId: secretariat.id, type: 'referrals.escalated' }, orderBy: { createdAt: 'desc' } });
    // No firm data goes to the secretariat.
    expect(`${notice.titleJa}${notice.bodyJa}`).not.toContain('越後テスト工業');
    expect(notice.bodyJa).toMatch(/回答期限（.+）を1営業日過ぎても未回答です/);
  });
});

describe('choosing the recipient', () => {
  test('bodies in the firm’s prefecture come first, with supporters of the wanted speciality; the own body, observers and the secretariat never', async () => {
    const r = await gql<{ referralCandidates: Array<{ organisation: { id: string; nameJa: string; category: string }; samePrefecture: boolean; national: boolean; supportersInRegion: number; matchedSpecialities: string[] }> }>(
      'bank',
      'query($e: ID) { referralCandidates(prefectureCode: "15", specialities: [SUCCESSION], excludeOrganisationId: $e, first: 50) { organisation { id nameJa category } samePrefecture national supportersInRegion matchedSpecialities } }',
      { e: ids['jfc-niigata'] },
    );
    const list = r.referralCandidates;
    expect(list.length).toBeGreaterThan(3);
    expect(list.map((c) => c.organisation.id)).not.toContain(ids['jfc-niigata']);
    expect(list.some((c) => c.organisation.category === 'OBSERVER')).toBe(false);
    expect(list.every((c) => c.samePrefecture || c.national || c.supportersInRegion > 0)).toBe(true);
    // SMRJ's Kanto office covers Niigata through its supporters.
    expect(list.some((c) => !c.samePrefecture && c.supportersInRegion > 0)).toBe(true);
    // Ranked: a body with a matching supporter before any without; in-prefecture before national at equal match.
    const firstWithout = list.findIndex((c) => c.matchedSpecialities.length === 0);
    expect(list.slice(firstWithout).every((c) => c.matchedSpecialities.length === 0)).toBe(true);
    const unmatched = list.filter((c) => c.matchedSpecialities.length === 0);
    const firstElsewhere = unmatched.findIndex((c) => !c.samePrefecture);
    expect(firstElsewhere).toBeGreaterThan(0);
    expect(unmatched.slice(firstElsewhere).every((c) => !c.samePrefecture)).toBe(true);
    // The viewer's own body is left out even when not named.
    const own = await gql<{ referralCandidates: Array<{ organisation: { id: string } }> }>('bank', '{ referralCandidates(prefectureCode: "15", first: 50) { organisation { id } } }');
    expect(own.referralCandidates.map((c) => c.organisation.id)).not.toContain(ids['jfc-niigata']);
    const bad = await graphql(hub.url, '{ referralCandidates(prefectureCode: "99") { national } }', {}, { cookie: cookies.bank });
    expect(bad.body.errors?.[0]?.message).toMatch(/都道府県コード/);
    const anonymous = await graphql(hub.url, '{ referralCandidates(prefectureCode: "15") { national } }');
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
