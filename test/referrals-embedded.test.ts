/**
 * The referral loop and an engagement on the embedded database (PGlite), as `npm start` runs it for a first-time user
 * with the demo accounts: PGlite binds parameters differently from PostgreSQL and runs one connection,
 * so everything the loop touches is exercised here once more.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toJstDay } from '../services/shared/business-days';
import { corporateNumberCheckDigit } from '../services/referrals/firm-identity';
import { DEMO_PASSWORD, graphql, signIn } from './support/hub';
import { spawnDist, type Spawned } from './support/process';

let dataDir: string;
let hub: Spawned;
let url: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-referrals-embedded-'));
  hub = spawnDist('gateway/main.js', { DATA_DIR: dataDir, PORT: '0', DIRECTORY_PORT: '0', ACCOUNTS_PORT: '0', NOTIFICATIONS_PORT: '0', REFERRALS_PORT: '0', ENGAGEMENTS_PORT: '0', MEETINGS_PORT: '0', REPORTS_PORT: '0', LOG_LEVEL: 'warn' });
  [, url] = await hub.waitFor(/is running: (http:\/\/localhost:\d+\/)/, 90_000);
});
afterAll(async () => {
  await hub?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function gql<T>(cookie: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await graphql<T>(url, query, variables, { cookie });
  if (res.body.errors?.length) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data as T;
}

test('a demo bank supporter refers a firm to the よろず支援拠点, which accepts and completes it; withdrawal ends the sharing', async () => {
  const bank = (await signIn(url, 'staff@echigo-shinkin.example.jp', DEMO_PASSWORD)).cookie;
  const yorozu = (await signIn(url, 'staff@yorozu-niigata.example.jp', DEMO_PASSWORD)).cookie;
  const bankAdmin = (await signIn(url, 'admin@echigo-shinkin.example.jp', DEMO_PASSWORD)).cookie;

  const candidates = await gql<{ referralCandidates: Array<{ organisation: { id: string; nameJa: string }; matchedSpecialities: string[] }> }>(
    bank,
    '{ referralCandidates(prefectureCode: "15", specialities: [STRATEGY], first: 20) { organisation { id nameJa } matchedSpecialities } }',
  );
  const yorozuBody = candidates.referralCandidates.find((c) => c.organisation.nameJa === '新潟県よろず支援拠点')!;
  expect(yorozuBody.matchedSpecialities).toEqual(['STRATEGY']);

  const twelve = '202611270001';
  const firm = await gql<{ registerFirm: { ok: boolean; firm: { id: string } } }>(bank, 'mutation($i: RegisterFirmInput!) { registerFirm(input: $i) { ok firm { id } } }', {
    i: { corporateNumber: `${corporateNumberCheckDigit(twelve)}${twelve}`, nameJa: '株式会社越後味噌醸造', nameKana: 'えちごみそじょうぞう', prefectureCode: '15', industryDivision: 'E', figures: { employees: 18 } },
  });
  const firmId = firm.registerFirm.firm.id;
  const consent = await gql<{ recordConsent: { consent: { id: string } } }>(bank, 'mutation($i: RecordConsentInput!) { recordConsent(input: $i) { consent { id } } }', {
    i: { firmId, recipientOrganisationId: yorozuBody.organisation.id, categories: ['PROFILE', 'ISSUES'], method: 'ELECTRONIC', obtainedAt: toJstDay(new Date()), givenBy: '代表取締役 越後 一郎' },
  });
  const sent = await gql<{ createReferral: { ok: boolean; error: unknown; referral: { id: string; version: number } } }>(
    bank,
    'mutation($i: CreateReferralInput!) { createReferral(input: $i, send: true) { ok error { code } referral { id version } } }',
    { i: { firmId, recipientOrganisationId: yorozuBody.organisation.id, consentId: consent.recordConsent.consent.id, supportType: 'ISSUE_SETTING', reason: '事業の方向性の整理', summary: '販路の縮小' } },
  );
  expect(sent.createReferral.error).toBeNull();
  const id = sent.createReferral.referral.id;

  const inbox = await gql<{ referralInbox: { nodes: Array<{ id: string; firm: { nameKana: string } }> }; referralCounts: { new: number } }>(
    yorozu,
    '{ referralInbox(box: NEW) { nodes { id firm { nameKana } } } referralCounts { new } }',
  );
  expect(inbox.referralInbox.nodes).toEqual([{ id, firm: { nameKana: 'エチゴミソジョウゾウ' } }]);
  expect(inbox.referralCounts.new).toBe(1);
  const accepted = await gql<{ acceptReferral: { referral: { version: number } } }>(yorozu, 'mutation($id: ID!, $v: Int!) { acceptReferral(id: $id, expectedVersion: $v) { referral { version } } }', { id, v: sent.createReferral.referral.version });
  const done = await gql<{ completeReferral: { ok: boolean; referral: { status: string } } }>(
    yorozu,
    'mutation($id: ID!, $v: Int!) { completeReferral(id: $id, expectedVersion: $v, outcome: { summary: "本質的課題を設定", stage: ISSUE_SETTING, result: RESOLVED }) { ok referral { status } } }',
    { id, v: accepted.acceptReferral.referral.version },
  );
  expect(done.completeReferral).toEqual({ ok: true, referral: { status: 'COMPLETED' } });

  // The notices arrive through the private redis-server.
  const deadline = Date.now() + 20_000;
  let types: string[] = [];
  while (Date.now() < deadline && !types.includes('referrals.completed')) {
    types = (await gql<{ notifications: { nodes: Array<{ type: string }> } }>(bank, '{ notifications { nodes { type } } }')).notifications.nodes.map((n) => n.type);
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(types).toEqual(expect.arrayContaining(['referrals.accepted', 'referrals.completed']));

  const records = await gql<{ provisionRecords: { nodes: Array<{ referralId: string }> } }>(bankAdmin, '{ provisionRecords { nodes { referralId } } }');
  expect(records.provisionRecords.nodes.map((r) => r.referralId)).toContain(id);

  const withdrawn = await gql<{ withdrawConsent: { ok: boolean } }>(bank, 'mutation($id: ID!) { withdrawConsent(id: $id) { ok } }', { id: consent.recordConsent.consent.id });
  expect(withdrawn.withdrawConsent.ok).toBe(true);
  expect((await gql<{ firm: null }>(yorozu, 'query($id: ID!) { firm(id: $id) { id } }', { id: firmId })).firm).toBeNull();
  expect((await gql<{ referral: null }>(yorozu, 'query($id: ID!) { referral(id: $id) { id } }', { id })).referral).toBeNull();
});

test('the demo SMRJ team lead runs an engagement with a よろず supporter on the embedded database', async () => {
  const lead = (await signIn(url, 'lead@smrj-kanto.example.jp', DEMO_PASSWORD)).cookie;
  const ishikawa = (await signIn(url, 'staff@yorozu-niigata.example.jp', DEMO_PASSWORD)).cookie;
  const found = await gql<{ supporterSearch: { nodes: Array<{ person: { id: string; nameJa: string }; organisations: Array<{ id: string; nameJa: string }>; load: number }> } }>(
    lead,
    '{ supporterSearch(filter: { regionCode: "15", qualifications: [SME_CONSULTANT], specialities: [PRODUCTION], search: "いしかわ" }) { nodes { person { id nameJa } organisations { id nameJa } load } } }',
  );
  const [ishikawaPerson] = found.supporterSearch.nodes;
  expect(ishikawaPerson).toMatchObject({ person: { nameJa: '石川 健一' }, organisations: [{ nameJa: '新潟県よろず支援拠点' }], load: 0 });
  const firmId = (await gql<{ registerFirm: { firm: { id: string } } }>(lead, 'mutation { registerFirm(input: { nameJa: "越後試験工業", nameKana: "エチゴシケンコウギョウ", prefectureCode: "15", industryDivision: "E" }) { firm { id } } }')).registerFirm.firm.id;
  const opened = await gql<{ openEngagement: { engagement: { id: string } } }>(lead, 'mutation($f: ID!) { openEngagement(input: { firmId: $f, supportType: ISSUE_SOLVING }) { engagement { id } } }', { f: firmId });
  const engagementId = opened.openEngagement.engagement.id;
  const yorozu = ishikawaPerson.organisations[0].id;
  const consentId = (await gql<{ recordConsent: { consent: { id: string } } }>(lead, 'mutation($i: RecordConsentInput!) { recordConsent(input: $i) { consent { id } } }', {
    i: { firmId, recipientOrganisationId: yorozu, categories: ['PROFILE', 'ISSUES'], method: 'WRITTEN', obtainedAt: toJstDay(new Date()), givenBy: '代表' },
  })).recordConsent.consent.id;
  const invited = await gql<{ inviteTeamMember: { ok: boolean; member: { id: string } } }>(lead, 'mutation($i: InviteTeamMemberInput!) { inviteTeamMember(input: $i) { ok member { id } } }', {
    i: { engagementId, personId: ishikawaPerson.person.id, organisationId: yorozu, slot: 'SPECIALIST', consentId },
  });
  await gql(ishikawa, 'mutation($m: ID!) { respondToTeamInvitation(memberId: $m, accept: true) { ok } }', { m: invited.inviteTeamMember.member.id });
  await gql(ishikawa, 'mutation($i: LogSessionInput!) { logSession(input: $i) { ok } }', { i: { engagementId, heldOn: toJstDay(new Date()), participants: ['代表', '石川 健一'], notes: '初回面談' } });
  const board = await gql<{ myEngagements: { nodes: Array<{ firmName: string; team: Array<{ status: string }>; sessions: Array<{ notes: string }> }> } }>(ishikawa, '{ myEngagements { nodes { firmName team { status } sessions { notes } } } }');
  expect(board.myEngagements.nodes).toEqual([{ firmName: '越後試験工業', team: [{ status: 'ACCEPTED' }], sessions: [{ notes: '初回面談' }] }]);
});

test('the demo secretariat schedules the next council meeting on the embedded database; an invited body answers and owns an action item', async () => {
  const secretariat = (await signIn(url, 'secretariat@banso.example.jp', DEMO_PASSWORD)).cookie;
  const yorozuAdmin = (await signIn(url, 'admin@yorozu-niigata.example.jp', DEMO_PASSWORD)).cookie;
  const series = await gql<{ meetingSeries: Array<{ id: string; slug: string; meetings: Array<{ number: number }> }> }>(secretariat, '{ meetingSeries { id slug meetings { number } } }');
  const council = series.meetingSeries.find((s) => s.slug === 'council')!;
  expect(council.meetings.map((m) => m.number)).toEqual([1, 2, 3, 4]);
  const future = toJstDay(new Date(Date.now() + 30 * 86_400_000));
  const scheduled = await gql<{ scheduleMeeting: { ok: boolean; error: unknown; meeting: { id: string; number: number; version: number } } }>(
    secretariat,
    'mutation($i: ScheduleMeetingInput!) { scheduleMeeting(input: $i) { ok error { code } meeting { id number version } } }',
    { i: { seriesId: council.id, date: future, startTime: '14:00', endTime: '16:00', place: '中小企業庁 会議室' } },
  );
  expect(scheduled.scheduleMeeting).toMatchObject({ ok: true, meeting: { number: 5 } });
  const meetingId = scheduled.scheduleMeeting.meeting.id;
  const item = await gql<{ addAgendaItem: { meeting: { version: number; agenda: Array<{ id: string }> } } }>(secretariat, 'mutation($m: ID!) { addAgendaItem(meetingId: $m, input: { title: "伴走支援の全国展開について", durationMinutes: 30 }) { meeting { version agenda { id } } } }', { m: meetingId });
  const yorozuBody = (await gql<{ organisations: { nodes: Array<{ id: string; nameJa: string }> } }>(secretariat, '{ organisations(filter: { search: "新潟県よろず" }, first: 5) { nodes { id nameJa } } }')).organisations.nodes[0]!;
  const invited = await gql<{ inviteToMeeting: { ok: boolean; meeting: { version: number } } }>(secretariat, 'mutation($m: ID!, $o: ID!) { inviteToMeeting(meetingId: $m, input: { organisationId: $o, role: MEMBER }) { ok meeting { version } } }', { m: meetingId, o: yorozuBody.id });
  expect(invited.inviteToMeeting.ok).toBe(true);
  const published = await gql<{ publishAgenda: { ok: boolean; error: unknown } }>(secretariat, 'mutation($m: ID!, $v: Int!) { publishAgenda(meetingId: $m, expectedVersion: $v) { ok error { code } } }', { m: meetingId, v: invited.inviteToMeeting.meeting.version });
  expect(published.publishAgenda).toEqual({ ok: true, error: null });

  const seen = await gql<{ meeting: { title: string; access: string; agenda: Array<{ title: string }>; myInvitation: { id: string; canRespond: boolean } } }>(yorozuAdmin, 'query($id: ID!) { meeting(id: $id) { title access agenda { title } myInvitation { id canRespond } } }', { id: meetingId });
  expect(seen.meeting).toMatchObject({ title: '第5回 経営力再構築伴走支援推進協議会', access: 'MEMBER', agenda: [{ title: '伴走支援の全国展開について' }], myInvitation: { canRespond: true } });
  const rsvp = await gql<{ respondToMeetingInvitation: { ok: boolean } }>(yorozuAdmin, 'mutation($id: ID!) { respondToMeetingInvitation(invitationId: $id, rsvp: ATTENDING) { ok } }', { id: seen.meeting.myInvitation.id });
  expect(rsvp.respondToMeetingInvitation.ok).toBe(true);

  const action = await gql<{ addActionItem: { ok: boolean; error: unknown } }>(secretariat, 'mutation($m: ID!, $i: ID!, $a: ActionItemInput!) { addActionItem(meetingId: $m, agendaItemId: $i, input: $a) { ok error { code } } }', {
    m: meetingId,
    i: item.addAgendaItem.meeting.agenda[0]!.id,
    a: { title: '新潟県内の伴走支援事例を共有', ownerOrganisationId: yorozuBody.id, dueOn: toJstDay(new Date(Date.now() + 40 * 86_400_000)) },
  });
  expect(action.addActionItem).toEqual({ ok: true, error: null });
  const mine = await gql<{ myActionItems: Array<{ title: string; status: string }> }>(yorozuAdmin, '{ myActionItems { title status } }');
  expect(mine.myActionItems).toEqual([{ title: '新潟県内の伴走支援事例を共有', status: 'OPEN' }]);
  const next = await gql<{ scheduleMeeting: { meeting: { number: number; carriedActionItems: Array<{ title: string }>; agenda: Array<{ kind: string }> } } }>(
    secretariat,
    'mutation($i: ScheduleMeetingInput!) { scheduleMeeting(input: $i) { meeting { number carriedActionItems { title } agenda { kind } } } }',
    { i: { seriesId: council.id, tentativeYear: 2027, tentativeMonth: 9, tentativePart: 'LATE' } },
  );
  expect(next.scheduleMeeting.meeting).toEqual({ number: 6, carriedActionItems: [{ title: '新潟県内の伴走支援事例を共有' }], agenda: [{ kind: 'ACTION_REVIEW' }] });
});

test('the reports run on the embedded database: the secretariat’s dashboard and the よろず admin’s own, with the CSV', async () => {
  const secretariat = (await signIn(url, 'secretariat@banso.example.jp', DEMO_PASSWORD)).cookie;
  const yorozuAdmin = (await signIn(url, 'admin@yorozu-niigata.example.jp', DEMO_PASSWORD)).cookie;
  const today = toJstDay(new Date());
  const fy = Number(today.slice(5, 7)) >= 4 ? Number(today.slice(0, 4)) : Number(today.slice(0, 4)) - 1;
  const Q = 'query($f: ReportFilter!) { reportDashboard(filter: $f) { ok error { code } dashboard { periodLabel suppressing referrals { received { value suppressed } responseDaysMedian } engagements { funnel { stage count { value suppressed } } } survey { answered { value } } } } }';
  type R = { reportDashboard: { ok: boolean; error: unknown; dashboard: { periodLabel: string; suppressing: boolean; referrals: { received: { value: number | null } }; engagements: { funnel: unknown[] } } } };
  const network = await gql<R>(secretariat, Q, { f: { fiscalYear: fy } });
  expect(network.reportDashboard).toMatchObject({ ok: true, dashboard: { suppressing: true } });
  expect(network.reportDashboard.dashboard.engagements.funnel).toHaveLength(7);
  // The よろず支援拠点 received the demo bank's referral in the first test of this file.
  const own = await gql<R>(yorozuAdmin, Q, { f: { fiscalYear: fy } });
  expect(own.reportDashboard.dashboard).toMatchObject({ suppressing: false, referrals: { received: { value: 1 } } });
  const csv = await fetch(new URL(`files/reports/dashboard.csv?fiscalYear=${fy}`, url), { headers: { cookie: yorozuAdmin } });
  expect(csv.status).toBe(200);
  expect((await csv.text()).split('\r\n')).toContain('"紹介","受付","","1","",""');
});
