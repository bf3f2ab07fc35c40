/**
 * Council meetings end to end through the gateway: the secretariat schedules 第5回 of a series, builds
 * the agenda with materials, invites a member body and an observer, publishes (invitees are told),
 * records attendance, drafts the minutes, circulates them, a member comments, the secretariat approves;
 * the approved minutes are frozen, the public version hides internal notes and firm names; an action
 * item is carried onto the next meeting's agenda until done, with its reminder; the .ics and the
 * personal feed parse with a standard iCalendar parser and carry the time in Asia/Tokyo. Each bad input
 * gets its message; an observer reads only what is published to it and edits nothing.
 */
import type { RunningHub } from '../gateway/hub';
import { AccountsStore } from '../services/accounts/accounts.store';
import { hashPassword } from '../services/accounts/credentials';
import { toJstDay } from '../services/shared/business-days';
import { DEMO_PASSWORD, graphql, signIn, startTestHub } from './support/hub';

// ical.js (Mozilla's iCalendar parser) ships an ES module with a CommonJS build beside it.
type IcalModule = typeof import('ical.js', { with: { 'resolution-mode': 'import' } });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ICAL: IcalModule['default'] = require('ical.js');

let hub: RunningHub;
const ids: Record<string, string> = {};
const cookies: Record<string, string> = {};
const accountIds: Record<string, string> = {};
const RUN = String(Date.now()).slice(-8);
const today = toJstDay(new Date());
const dayOffset = (days: number) => toJstDay(new Date(Date.now() + days * 86_400_000));

type Err = { code: string; message: string; field: string | null } | null;

beforeAll(async () => {
  hub = await startTestHub();
  const prisma = hub.database.prisma;
  for (const slug of ['shinkin', 'fsa-banks-2', 'sme-agency-banso', 'jcci']) ids[slug] = (await prisma.organisation.findFirstOrThrow({ where: { slug } })).id;
  const accounts = new AccountsStore(prisma);
  const account = async (key: string, slug: string, roles: Array<'ORG_ADMIN' | 'SUPPORTER' | 'SECRETARIAT' | 'OBSERVER'>) => {
    const email = `mtg-${key.toLowerCase()}-${RUN}@test.example.jp`;
    const a = await accounts.createAccount({ email, displayName: `会議テスト ${key}`, passwordHash: await hashPassword(DEMO_PASSWORD) });
    await accounts.upsertMembership(a.id, ids[slug], roles);
    accountIds[key] = a.id;
    cookies[key] = (await signIn(hub.url, email)).cookie;
  };
  await account('secretariat', 'sme-agency-banso', ['SECRETARIAT']);
  await account('member', 'shinkin', ['ORG_ADMIN']);
  await account('memberStaff', 'shinkin', ['SUPPORTER']);
  await account('observer', 'fsa-banks-2', ['OBSERVER']);
  await account('outsider', 'jcci', ['ORG_ADMIN']);
});
afterAll(async () => {
  await hub?.stop();
});

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

const notices = async (who: string) => (await gql<{ notifications: { nodes: Array<{ type: string; titleJa: string; link: string | null }> } }>(who, '{ notifications(first: 50) { nodes { type titleJa link } } }')).notifications.nodes;

const RESULT = 'ok error { code message field } meeting { id number title version status access }';
type MeetingResult = { ok: boolean; error: Err; meeting: { id: string; number: number; title: string; version: number; status: string; access: string } | null };
const SCHEDULE = `mutation($i: ScheduleMeetingInput!) { scheduleMeeting(input: $i) { ${RESULT} } }`;
const schedule = async (who: string, input: Record<string, unknown>) => (await gql<{ scheduleMeeting: MeetingResult }>(who, SCHEDULE, { i: input })).scheduleMeeting;
const MEETING = `query($id: ID!) { meeting(id: $id) {
  id number title status access version date startTime endTime startsAt agendaPublishedAt
  agenda { id kind title presenterName durationMinutes publicDescription internalNotes materials { id fileName } actionItems { id title status } }
  materials { id fileName visibility downloadPath }
  invitations { id organisation { id } role rsvp attendance attendeeName canRespond }
  myInvitation { id role canRespond }
  minutes { version status isPublic entries { agendaItemId agendaItemTitle body internalNote } comments { body organisation { id } } }
  minutesHistory { version status reason }
  publicMinutes { version status isPublic entries { agendaItemTitle body internalNote } }
  decisions { text }
  actionItems { id title status dueOn }
  carriedActionItems { id title status }
  icsPath attendanceCsvPath
} }`;
type Meeting = {
  id: string;
  number: number;
  title: string;
  status: string;
  access: string;
  version: number;
  date: string | null;
  startTime: string | null;
  endTime: string | null;
  startsAt: string | null;
  agendaPublishedAt: string | null;
  agenda: Array<{ id: string; kind: string; title: string; presenterName: string | null; durationMinutes: number | null; publicDescription: string | null; internalNotes: string | null; materials: Array<{ id: string; fileName: string }>; actionItems: Array<{ id: string; title: string; status: string }> }>;
  materials: Array<{ id: string; fileName: string; visibility: string; downloadPath: string }>;
  invitations: Array<{ id: string; organisation: { id: string }; role: string; rsvp: string | null; attendance: string | null; attendeeName: string | null; canRespond: boolean }>;
  myInvitation: { id: string; role: string; canRespond: boolean } | null;
  minutes: { version: number; status: string; isPublic: boolean; entries: Array<{ agendaItemId: string; agendaItemTitle: string; body: string; internalNote: string | null }>; comments: Array<{ body: string; organisation: { id: string } }> } | null;
  minutesHistory: Array<{ version: number; status: string; reason: string | null }>;
  publicMinutes: { version: number; status: string; isPublic: boolean; entries: Array<{ agendaItemTitle: string; body: string; internalNote: string | null }> } | null;
  decisions: Array<{ text: string }>;
  actionItems: Array<{ id: string; title: string; status: string; dueOn: string }>;
  carriedActionItems: Array<{ id: string; title: string; status: string }>;
  icsPath: string;
  attendanceCsvPath: string;
};
const meeting = async (who: string, id: string) => (await gql<{ meeting: Meeting | null }>(who, MEETING, { id })).meeting;

async function upload(who: string, meetingId: string, name: string, bytes: Buffer, agendaItemId?: string) {
  const url = new URL(`files/meetings/${meetingId}/materials${agendaItemId ? `?agendaItemId=${agendaItemId}` : ''}`, hub.url);
  const res = await fetch(url, { method: 'POST', headers: { cookie: cookies[who], 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name), origin: new URL(hub.url).origin }, body: bytes });
  return { status: res.status, body: (await res.json()) as { ok: boolean; error: Err; material?: { id: string; downloadPath: string } } };
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const FIRM = `株式会社越後会議テスト${RUN}`;
const SECRET_WORD = `内密案件${RUN}`;

describe('the seeded history', () => {
  test('the council has 第1回–第3回 held and 第4回 tentative in 令和6年9月下旬; the working group has its themes', async () => {
    const data = await gql<{ meetingSeries: Array<{ slug: string; nameJa: string; themes: string[]; parentSeries: { slug: string } | null; bodies: Array<{ role: string }>; meetings: Array<{ number: number; status: string; date: string | null; tentativeYear: number | null; tentativeMonth: number | null; tentativePart: string | null }> }> }>(
      'secretariat',
      '{ meetingSeries { slug nameJa themes parentSeries { slug } bodies { role } meetings { number status date tentativeYear tentativeMonth tentativePart } } }',
    );
    const council = data.meetingSeries.find((s) => s.slug === 'council')!;
    expect(council.nameJa).toBe('経営力再構築伴走支援推進協議会');
    expect(council.meetings.filter((m) => m.number <= 4)).toEqual([
      { number: 1, status: 'HELD', date: '2022-06-17', tentativeYear: null, tentativeMonth: null, tentativePart: null },
      { number: 2, status: 'HELD', date: '2023-02-24', tentativeYear: null, tentativeMonth: null, tentativePart: null },
      { number: 3, status: 'HELD', date: '2023-06-19', tentativeYear: null, tentativeMonth: null, tentativePart: null },
      { number: 4, status: 'SCHEDULED', date: null, tentativeYear: 2024, tentativeMonth: 9, tentativePart: 'LATE' },
    ]);
    // 16 member bodies and the FSA's observer.
    expect(council.bodies.filter((b) => b.role === 'MEMBER')).toHaveLength(16);
    expect(council.bodies.filter((b) => b.role === 'OBSERVER')).toHaveLength(1);
    const wg = data.meetingSeries.find((s) => s.slug === 'working-group')!;
    expect(wg.parentSeries).toEqual({ slug: 'council' });
    expect(wg.themes).toContain('支援機関連携の在り方');
    // A body in the council sees the council; one outside it sees neither.
    const seen = await gql<{ meetingSeries: Array<{ slug: string }> }>('observer', '{ meetingSeries { slug } }');
    expect(seen.meetingSeries.map((s) => s.slug)).toEqual(expect.arrayContaining(['council', 'working-group']));
    const outsider = await gql<{ meetingSeries: Array<{ slug: string }> }>('outsider', '{ meetingSeries { slug } }');
    expect(outsider.meetingSeries.map((s) => s.slug)).toEqual(expect.arrayContaining(['council']));
  });
});

describe('the secretariat runs 第5回 from agenda to approved minutes', () => {
  let seriesId: string;
  let fifth: string;
  let sixth: string;
  let items: { opening: string; cooperation: string };
  let actionItemId: string;

  test('a series of its own; bad dates, numbers and links are refused; 第5回 is numbered automatically', async () => {
    const created = await gql<{ createMeetingSeries: { ok: boolean; error: Err; series: { id: string } | null } }>(
      'secretariat',
      'mutation($i: MeetingSeriesInput!) { createMeetingSeries(input: $i) { ok error { code message } series { id } } }',
      { i: { slug: `test-wg-${RUN}`, kind: 'OTHER', nameJa: `連携テスト会議${RUN}`, nameEn: `Test series ${RUN}`, themes: ['支援機関連携の在り方'] } },
    );
    expect(created.createMeetingSeries.ok).toBe(true);
    seriesId = created.createMeetingSeries.series!.id;
    const again = await gql<{ createMeetingSeries: { error: Err } }>('secretariat', 'mutation($i: MeetingSeriesInput!) { createMeetingSeries(input: $i) { error { code } } }', { i: { slug: `test-wg-${RUN}`, kind: 'OTHER', nameJa: 'x', nameEn: 'x' } });
    expect(again.createMeetingSeries.error?.code).toBe('meetings/slug_taken');

    // 第4回 is recorded as already held, with its past date.
    const past = await schedule('secretariat', { seriesId, number: 4, date: '2024-09-27', startTime: '10:00', endTime: '12:00' });
    expect(past.error).toMatchObject({ code: 'meetings/past_date', field: 'date' });
    expect(past.error!.message).toContain('開催済みの会議として記録');
    const recorded = await schedule('secretariat', { seriesId, number: 4, date: '2024-09-27', startTime: '10:00', endTime: '12:00', alreadyHeld: true });
    expect(recorded).toMatchObject({ ok: true, meeting: { number: 4, status: 'HELD' } });
    expect((await schedule('secretariat', { seriesId, number: 4, date: dayOffset(30) })).error).toMatchObject({ code: 'meetings/duplicate_number', field: 'number' });
    expect((await schedule('secretariat', { seriesId, date: dayOffset(30), alreadyHeld: true })).error).toMatchObject({ code: 'meetings/future_held' });
    expect((await schedule('secretariat', { seriesId, tentativeYear: 2027, tentativeMonth: 9 })).error).toMatchObject({ code: 'meetings/invalid_period' });
    expect((await schedule('secretariat', { seriesId, date: '2026-02-30' })).error).toMatchObject({ code: 'meetings/invalid_date' });
    expect((await schedule('secretariat', { seriesId, date: dayOffset(30), startTime: '16:00', endTime: '14:00' })).error).toMatchObject({ code: 'meetings/invalid_time', field: 'endTime' });
    expect((await schedule('secretariat', { seriesId, date: dayOffset(30), onlineUrl: 'http://example.com/meet' })).error).toMatchObject({ code: 'meetings/invalid_url' });
    // An observer (or anyone but the secretariat) edits nothing.
    const denied = await graphql(hub.url, SCHEDULE, { i: { seriesId, date: dayOffset(30) } }, { cookie: cookies.observer });
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Today is allowed (the attendance below is recorded on the day).
    const next = await schedule('secretariat', { seriesId, date: today, startTime: '14:00', endTime: '16:00', place: '経済産業省 本館17階 第1特別会議室', onlineUrl: 'https://meet.example.jp/banso' });
    expect(next).toMatchObject({ ok: true, meeting: { number: 5, status: 'SCHEDULED', title: `第5回 連携テスト会議${RUN}`, access: 'SECRETARIAT' } });
    fifth = next.meeting!.id;
  });

  test('the agenda: two items, materials (PDF yes; a disguised or oversize file no), reordered, invitations, published', async () => {
    const add = async (input: Record<string, unknown>) => (await gql<{ addAgendaItem: MeetingResult }>('secretariat', `mutation($m: ID!, $i: AgendaItemInput!) { addAgendaItem(meetingId: $m, input: $i) { ${RESULT} } }`, { m: fifth, i: input })).addAgendaItem;
    expect((await add({ title: '' })).error).toMatchObject({ code: 'meetings/invalid_field', field: 'title' });
    await add({ title: '開会・事務局挨拶', presenterOrganisationId: ids['sme-agency-banso'], presenterName: '推進室長', durationMinutes: 5, publicDescription: '開会にあたり事務局から挨拶。' });
    await add({ title: '支援機関連携の在り方について', presenterOrganisationId: ids.shinkin, presenterName: '企画部長', durationMinutes: 40, publicDescription: '各機関の取組を共有し、連携の在り方を議論する。', internalNotes: '議長: 時間が押したら質疑を10分に短縮。' });
    let m = (await meeting('secretariat', fifth))!;
    items = { opening: m.agenda[0]!.id, cooperation: m.agenda[1]!.id };
    expect(m.agenda[1]!.internalNotes).toContain('議長');

    const ok = await upload('secretariat', fifth, '資料1_連携事例.pdf', PDF, items.cooperation);
    expect(ok.status).toBe(201);
    const exe = await upload('secretariat', fifth, '資料2.pdf', Buffer.from('MZ\x90\x00 not a pdf'), items.cooperation);
    expect(exe).toMatchObject({ status: 400, body: { error: { code: 'meetings/file_type' } } });
    expect(exe.body.error!.message).toContain('PDF と Office ファイル');
    expect((await upload('secretariat', fifth, 'tool.exe', Buffer.from('MZ\x90\x00'))).body.error?.code).toBe('meetings/file_type');
    const big = await upload('secretariat', fifth, '大きな資料.pdf', Buffer.concat([PDF, Buffer.alloc(21 * 1024 * 1024)]));
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'meetings/file_too_large' } } });
    expect((await upload('observer', fifth, '資料.pdf', PDF)).status).toBe(403);

    m = (await meeting('secretariat', fifth))!;
    const stale = (await gql<{ reorderAgenda: MeetingResult }>('secretariat', `mutation($m: ID!, $v: Int!, $ids: [ID!]!) { reorderAgenda(meetingId: $m, expectedVersion: $v, itemIds: $ids) { ${RESULT} } }`, { m: fifth, v: m.version - 1, ids: [items.cooperation, items.opening] })).reorderAgenda;
    expect(stale.error).toMatchObject({ code: 'meetings/stale' });
    const badOrder = (await gql<{ reorderAgenda: MeetingResult }>('secretariat', `mutation($m: ID!, $v: Int!, $ids: [ID!]!) { reorderAgenda(meetingId: $m, expectedVersion: $v, itemIds: $ids) { ${RESULT} } }`, { m: fifth, v: m.version, ids: [items.cooperation] })).reorderAgenda;
    expect(badOrder.error).toMatchObject({ code: 'meetings/bad_order' });
    const reordered = (await gql<{ reorderAgenda: MeetingResult }>('secretariat', `mutation($m: ID!, $v: Int!, $ids: [ID!]!) { reorderAgenda(meetingId: $m, expectedVersion: $v, itemIds: $ids) { ${RESULT} } }`, { m: fifth, v: m.version, ids: [items.cooperation, items.opening] })).reorderAgenda;
    expect(reordered.ok).toBe(true);
    expect((await meeting('secretariat', fifth))!.agenda.map((i) => i.title)).toEqual(['支援機関連携の在り方について', '開会・事務局挨拶']);

    const invite = async (slug: string, role: string) => (await gql<{ inviteToMeeting: MeetingResult }>('secretariat', `mutation($m: ID!, $i: MeetingInvitationInput!) { inviteToMeeting(meetingId: $m, input: $i) { ${RESULT} } }`, { m: fifth, i: { organisationId: ids[slug], role } })).inviteToMeeting;
    expect((await invite('shinkin', 'MEMBER')).ok).toBe(true);
    expect((await invite('fsa-banks-2', 'OBSERVER')).ok).toBe(true);
    expect((await invite('shinkin', 'MEMBER')).error).toMatchObject({ code: 'meetings/already_invited' });

    // Before publishing, invitees see the meeting but not its agenda.
    expect((await meeting('member', fifth))!).toMatchObject({ access: 'MEMBER', agenda: [], materials: [] });
    expect(await meeting('outsider', fifth)).toBeNull();

    m = (await meeting('secretariat', fifth))!;
    const published = (await gql<{ publishAgenda: MeetingResult }>('secretariat', `mutation($m: ID!, $v: Int!) { publishAgenda(meetingId: $m, expectedVersion: $v) { ${RESULT} } }`, { m: fifth, v: m.version })).publishAgenda;
    expect(published.ok).toBe(true);
    await waitFor(async () => (await notices('member')).some((n) => n.type === 'meetings.agenda_published' && n.link === `/meetings/${fifth}`), 15_000, 'the member body admin is told of the agenda');

    const member = (await meeting('member', fifth))!;
    expect(member.agenda.map((i) => i.title)).toEqual(['支援機関連携の在り方について', '開会・事務局挨拶']);
    expect(member.agenda[0]!.internalNotes).toBeNull();
    expect(member.agenda[0]!.materials.map((x) => x.fileName)).toEqual(['資料1_連携事例.pdf']);
    const download = await fetch(new URL(member.materials[0]!.downloadPath, hub.url), { headers: { cookie: cookies.member } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
    // The observer sees the published agenda, but no material until it is marked public.
    const observer = (await meeting('observer', fifth))!;
    expect(observer).toMatchObject({ access: 'OBSERVER', materials: [] });
    expect(observer.agenda.map((i) => i.internalNotes)).toEqual([null, null]);
    expect((await fetch(new URL(member.materials[0]!.downloadPath, hub.url), { headers: { cookie: cookies.observer } })).status).toBe(404);
    await gql('secretariat', `mutation($id: ID!) { setMaterialVisibility(materialId: $id, visibility: PUBLIC) { ok } }`, { id: member.materials[0]!.id });
    expect((await meeting('observer', fifth))!.materials).toHaveLength(1);
  });

  test('RSVP by the body (only its admin or named attendee); attendance on the day; the list as CSV', async () => {
    let m = (await meeting('member', fifth))!;
    expect(m.myInvitation).toMatchObject({ role: 'MEMBER', canRespond: true });
    const staff = (await meeting('memberStaff', fifth))!;
    expect(staff.myInvitation!.canRespond).toBe(false);
    const notYours = await gql<{ respondToMeetingInvitation: MeetingResult }>('memberStaff', `mutation($id: ID!) { respondToMeetingInvitation(invitationId: $id, rsvp: ATTENDING) { ${RESULT} } }`, { id: m.myInvitation!.id });
    expect(notYours.respondToMeetingInvitation.error).toMatchObject({ code: 'meetings/not_your_invitation' });
    const proxy = await gql<{ respondToMeetingInvitation: MeetingResult }>('member', `mutation($id: ID!) { respondToMeetingInvitation(invitationId: $id, rsvp: PROXY) { ${RESULT} } }`, { id: m.myInvitation!.id });
    expect(proxy.respondToMeetingInvitation.error).toMatchObject({ code: 'meetings/proxy_name_required', field: 'proxyName' });
    const yes = await gql<{ respondToMeetingInvitation: MeetingResult }>('member', `mutation($id: ID!) { respondToMeetingInvitation(invitationId: $id, rsvp: ATTENDING) { ${RESULT} } }`, { id: m.myInvitation!.id });
    expect(yes.respondToMeetingInvitation.ok).toBe(true);

    const sec = (await meeting('secretariat', fifth))!;
    const inv = (slug: string) => sec.invitations.find((i) => i.organisation.id === ids[slug])!;
    expect(inv('shinkin').rsvp).toBe('ATTENDING');
    const record = async (id: string, attendance: string, attendeeName?: string) =>
      (await gql<{ recordAttendance: MeetingResult }>('secretariat', `mutation($id: ID!, $a: AttendanceStatus!, $n: String) { recordAttendance(invitationId: $id, attendance: $a, attendeeName: $n) { ${RESULT} } }`, { id, a: attendance, n: attendeeName })).recordAttendance;
    expect((await record(inv('fsa-banks-2').id, 'PROXY')).error).toMatchObject({ code: 'meetings/proxy_name_required' });
    expect((await record(inv('shinkin').id, 'PRESENT', '信金 一郎')).ok).toBe(true);
    expect((await record(inv('fsa-banks-2').id, 'PROXY', '代理 花子')).ok).toBe(true);
    // The observer sees its own invitation only.
    expect((await meeting('observer', fifth))!.invitations.map((i) => i.organisation.id)).toEqual([ids['fsa-banks-2']]);

    m = (await meeting('member', fifth))!;
    const csv = await fetch(new URL(m.attendanceCsvPath, hub.url), { headers: { cookie: cookies.member } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('"会議","日時","機関名","区分","出欠の回答","代理出席者（回答）","出欠","出席者","備考","記録日時 (JST)"');
    expect(lines.find((l) => l.includes('全国信用金庫協会'))).toContain('"委員","出席","","出席","信金 一郎"');
    expect(lines.find((l) => l.includes('金融庁'))).toContain('"オブザーバー","未回答","","代理出席","代理 花子"');
    expect((await fetch(new URL(m.attendanceCsvPath, hub.url), { headers: { cookie: cookies.observer } })).status).toBe(404);
  });

  test('minutes: drafted, circulated, commented, approved and frozen; the public version masks; revisions keep history', async () => {
    const save = async (itemId: string, body: string, internalNote?: string) =>
      (await gql<{ saveMinutesEntry: MeetingResult }>('secretariat', `mutation($m: ID!, $i: ID!, $b: String!, $n: String) { saveMinutesEntry(meetingId: $m, agendaItemId: $i, body: $b, internalNote: $n) { ${RESULT} } }`, { m: fifth, i: itemId, b: body, n: internalNote })).saveMinutesEntry;
    expect((await save(items.cooperation, '   ')).error).toMatchObject({ code: 'meetings/invalid_field', field: 'body' });
    await save(items.cooperation, `全国信用金庫協会から、${FIRM}の事例（法人番号 1234567890123）を紹介。${SECRET_WORD}についても報告があった。`, '議長メモ: 次回は日本政策金融公庫からも事例を求める。');
    await save(items.opening, '事務局から開会の挨拶があった。');
    await gql('secretariat', 'mutation($m: ID!, $t: [String!]!) { setMaskTerms(meetingId: $m, terms: $t) { ok } }', { m: fifth, t: [SECRET_WORD] });
    // Members see nothing until it is circulated.
    expect((await meeting('member', fifth))!.minutes).toBeNull();

    let m = (await meeting('secretariat', fifth))!;
    expect((await gql<{ approveMinutes: MeetingResult }>('secretariat', `mutation($m: ID!, $v: Int!) { approveMinutes(meetingId: $m, expectedVersion: $v) { ${RESULT} } }`, { m: fifth, v: m.version })).approveMinutes.error).toMatchObject({ code: 'meetings/minutes_not_circulated' });
    const circulated = (await gql<{ circulateMinutes: MeetingResult }>('secretariat', `mutation($m: ID!, $v: Int!, $d: String) { circulateMinutes(meetingId: $m, expectedVersion: $v, commentsDueOn: $d) { ${RESULT} } }`, { m: fifth, v: m.version, d: dayOffset(7) })).circulateMinutes;
    expect(circulated.ok).toBe(true);
    await waitFor(async () => (await notices('member')).some((n) => n.type === 'meetings.minutes_circulated'), 15_000, 'the member is told of the circulation');

    let member = (await meeting('member', fifth))!;
    expect(member.minutes).toMatchObject({ version: 1, status: 'CIRCULATED', isPublic: false });
    expect(member.minutes!.entries.map((e) => e.agendaItemTitle)).toEqual(['支援機関連携の在り方について', '開会・事務局挨拶']);
    const comment = async (who: string, body: string) => (await gql<{ commentOnMinutes: MeetingResult }>(who, `mutation($m: ID!, $i: ID, $b: String!) { commentOnMinutes(meetingId: $m, agendaItemId: $i, body: $b) { ${RESULT} } }`, { m: fifth, i: items.cooperation, b: body })).commentOnMinutes;
    expect((await comment('member', '「事例を紹介」を「事例を報告」に修正願います。')).ok).toBe(true);
    expect((await comment('observer', '意見')).error).toMatchObject({ code: 'meetings/not_attendee' });
    expect((await meeting('secretariat', fifth))!.minutes!.comments).toEqual([{ body: '「事例を紹介」を「事例を報告」に修正願います。', organisation: { id: ids.shinkin } }]);
    // The secretariat takes the comment in while circulating, then approves.
    await save(items.cooperation, `全国信用金庫協会から、${FIRM}の事例（法人番号 1234567890123）を報告。${SECRET_WORD}についても報告があった。`, '議長メモ: 次回は日本政策金融公庫からも事例を求める。');
    m = (await meeting('secretariat', fifth))!;
    const approved = (await gql<{ approveMinutes: MeetingResult }>('secretariat', `mutation($m: ID!, $v: Int!) { approveMinutes(meetingId: $m, expectedVersion: $v) { ${RESULT} } }`, { m: fifth, v: m.version })).approveMinutes;
    expect(approved.ok).toBe(true);

    // Frozen: no edit through the API, and none in the database either.
    expect((await save(items.cooperation, '書き換え')).error).toMatchObject({ code: 'meetings/minutes_frozen' });
    const version = await hub.database.prisma.minutesVersion.findFirstOrThrow({ where: { meetingId: fifth, version: 1 } });
    await expect(hub.database.prisma.minutesEntry.updateMany({ where: { versionId: version.id }, data: { body: '改ざん' } })).rejects.toThrow(/frozen/);

    member = (await meeting('member', fifth))!;
    expect(member.minutes!.status).toBe('APPROVED');
    expect(member.minutes!.entries[0]!.body).toContain(FIRM);
    expect(member.minutes!.entries[0]!.internalNote).toContain('議長メモ');
    const observer = (await meeting('observer', fifth))!;
    expect(observer.minutes).toBeNull();
    expect(observer.publicMinutes).toMatchObject({ version: 1, status: 'APPROVED', isPublic: true });
    const body = observer.publicMinutes!.entries[0]!.body;
    expect(body).toBe('全国信用金庫協会から、〇〇社の事例（法人番号 （法人番号非公開））を報告。〇〇についても報告があった。');
    expect(JSON.stringify(observer.publicMinutes)).not.toContain('議長メモ');
    expect(observer.publicMinutes!.entries.every((e) => e.internalNote === null)).toBe(true);

    m = (await meeting('secretariat', fifth))!;
    const noReason = (await gql<{ startMinutesRevision: MeetingResult }>('secretariat', `mutation($m: ID!, $v: Int!, $r: String!) { startMinutesRevision(meetingId: $m, expectedVersion: $v, reason: $r) { ${RESULT} } }`, { m: fifth, v: m.version, r: ' ' })).startMinutesRevision;
    expect(noReason.error).toMatchObject({ code: 'meetings/reason_required' });
    const revised = (await gql<{ startMinutesRevision: MeetingResult }>('secretariat', `mutation($m: ID!, $v: Int!, $r: String!) { startMinutesRevision(meetingId: $m, expectedVersion: $v, reason: $r) { ${RESULT} } }`, { m: fifth, v: m.version, r: '出席者名の誤記を訂正' })).startMinutesRevision;
    expect(revised.ok).toBe(true);
    expect((await meeting('secretariat', fifth))!.minutesHistory).toEqual([
      { version: 2, status: 'DRAFT', reason: '出席者名の誤記を訂正' },
      { version: 1, status: 'APPROVED', reason: null },
    ]);
    // Members still read the approved version 1 while version 2 is drafted.
    expect((await meeting('member', fifth))!.minutes).toMatchObject({ version: 1, status: 'APPROVED' });
  });

  test('decisions and an action item; it is carried onto 第6回 until done, with its reminder', async () => {
    await gql('secretariat', 'mutation($m: ID!, $i: ID!, $t: String!) { addDecision(meetingId: $m, agendaItemId: $i, text: $t) { ok } }', { m: fifth, i: items.cooperation, t: '連携事例集を年度内に取りまとめる。' });
    const add = async (input: Record<string, unknown>) =>
      (await gql<{ addActionItem: { ok: boolean; error: Err; actionItem: { id: string; status: string; version: number } | null } }>('secretariat', 'mutation($m: ID!, $i: ID!, $a: ActionItemInput!) { addActionItem(meetingId: $m, agendaItemId: $i, input: $a) { ok error { code field } actionItem { id status version } } }', { m: fifth, i: items.cooperation, a: input })).addActionItem;
    expect((await add({ title: '事例の提出', dueOn: dayOffset(20) })).error).toMatchObject({ code: 'meetings/owner_required' });
    expect((await add({ title: '事例の提出', ownerOrganisationId: ids.shinkin, dueOn: '2020-01-01' })).error).toMatchObject({ code: 'meetings/invalid_date', field: 'dueOn' });
    const due = dayOffset(20);
    const added = await add({ title: '信用金庫の連携事例を3件提出', ownerOrganisationId: ids.shinkin, dueOn: due });
    expect(added.ok).toBe(true);
    actionItemId = added.actionItem!.id;
    const reminder = await hub.database.prisma.scheduledNotice.findUniqueOrThrow({ where: { key: `meeting-action-due:${actionItemId}` } });
    // Three days before, at 09:00 in Tokyo.
    expect(reminder.dueAt.toISOString()).toBe(new Date(`${dayOffset(17)}T09:00:00+09:00`).toISOString());
    await waitFor(async () => (await notices('member')).some((n) => n.type === 'meetings.action_item_assigned'), 15_000, 'the owner body is told');

    const mine = await gql<{ myActionItems: Array<{ id: string; canUpdate: boolean; meetingTitle: string; dueOn: string }> }>('memberStaff', '{ myActionItems { id canUpdate meetingTitle dueOn } }');
    expect(mine.myActionItems.find((i) => i.id === actionItemId)).toEqual({ id: actionItemId, canUpdate: true, meetingTitle: `第5回 連携テスト会議${RUN}`, dueOn: due });
    expect((await meeting('observer', fifth))!.actionItems).toEqual([]);
    expect((await meeting('observer', fifth))!.decisions).toEqual([{ text: '連携事例集を年度内に取りまとめる。' }]);

    const next = await schedule('secretariat', { seriesId, date: dayOffset(60), startTime: '10:00' });
    expect(next.meeting!.number).toBe(6);
    sixth = next.meeting!.id;
    let six = (await meeting('secretariat', sixth))!;
    expect(six.agenda[0]).toMatchObject({ kind: 'ACTION_REVIEW', title: '前回までのアクションアイテムの確認' });
    expect(six.agenda[0]!.actionItems.map((i) => i.id)).toEqual([actionItemId]);
    expect(six.carriedActionItems.map((i) => i.title)).toEqual(['信用金庫の連携事例を3件提出']);

    const setStatus = async (who: string, version: number, status: string) =>
      (await gql<{ setActionItemStatus: { ok: boolean; error: Err; actionItem: { status: string; version: number } | null } }>(who, 'mutation($id: ID!, $v: Int!, $s: ActionItemStatus!) { setActionItemStatus(id: $id, expectedVersion: $v, status: $s) { ok error { code } actionItem { status version } } }', { id: actionItemId, v: version, s: status })).setActionItemStatus;
    expect((await setStatus('observer', 1, 'DONE')).error).toMatchObject({ code: 'meetings/item_not_found' });
    const done = await setStatus('memberStaff', 1, 'DONE');
    expect(done).toMatchObject({ ok: true, actionItem: { status: 'DONE', version: 2 } });
    expect((await setStatus('member', 1, 'IN_PROGRESS')).error).toMatchObject({ code: 'meetings/stale' });
    expect((await hub.database.prisma.scheduledNotice.findUniqueOrThrow({ where: { key: `meeting-action-due:${actionItemId}` } })).cancelledAt).not.toBeNull();
    six = (await meeting('secretariat', sixth))!;
    expect(six.carriedActionItems).toEqual([]);
    // 第5回 keeps its record of the item, now done.
    expect((await meeting('member', fifth))!.actionItems).toMatchObject([{ id: actionItemId, status: 'DONE' }]);
  });

  test('the .ics file and the personal feed parse as iCalendar with the time in Asia/Tokyo', async () => {
    const m = (await meeting('member', fifth))!;
    const res = await fetch(new URL(m.icsPath, hub.url), { headers: { cookie: cookies.member } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/calendar');
    const cal = new ICAL.Component(ICAL.parse(await res.text()));
    const tz = cal.getFirstSubcomponent('vtimezone');
    expect(tz?.getFirstPropertyValue('tzid')).toBe('Asia/Tokyo');
    ICAL.TimezoneService.register(new ICAL.Timezone(tz!));
    const event = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
    expect(event.summary).toBe(`第5回 連携テスト会議${RUN}`);
    expect(event.startDate.zone.tzid).toBe('Asia/Tokyo');
    expect(event.startDate.toJSDate().toISOString()).toBe(new Date(`${today}T14:00:00+09:00`).toISOString());
    expect(event.endDate.toJSDate().toISOString()).toBe(new Date(`${today}T16:00:00+09:00`).toISOString());
    expect(event.location).toContain('第1特別会議室');
    expect(String(cal.getFirstSubcomponent('vevent')!.getFirstPropertyValue('url'))).toMatch(new RegExp(`^https?://[^/]+/meetings/${fifth}$`));
    expect(event.description).toContain(`/meetings/${fifth}`);
    expect((await fetch(new URL(m.icsPath, hub.url), { headers: { cookie: cookies.outsider } })).status).toBe(404);
    // 第4回 of the seeded council is still tentative: no calendar entry yet.
    const council = await gql<{ meetingSeries: Array<{ slug: string; meetings: Array<{ id: string; number: number; icsPath: string }> }> }>('observer', '{ meetingSeries { slug meetings { id number icsPath } } }');
    const fourth = council.meetingSeries.find((s) => s.slug === 'council')!.meetings.find((x) => x.number === 4)!;
    const tentative = await fetch(new URL(fourth.icsPath, hub.url), { headers: { cookie: cookies.observer } });
    expect(tentative.status).toBe(409);
    expect(await tentative.text()).toContain('日時が確定していない');

    const feed = await gql<{ resetCalendarFeed: { ok: boolean; feed: { url: string } } }>('member', 'mutation { resetCalendarFeed { ok feed { url } } }');
    const url = new URL(feed.resetCalendarFeed.feed.url);
    expect(url.pathname).toMatch(/^\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    expect((await gql<{ myCalendarFeed: { url: string | null } }>('member', '{ myCalendarFeed { url createdAt } }')).myCalendarFeed.url).toBeNull();
    const fetched = await fetch(new URL(url.pathname, hub.url));
    expect(fetched.status).toBe(200);
    const feedCal = new ICAL.Component(ICAL.parse(await fetched.text()));
    const summaries = feedCal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v).summary);
    // 第5回, to which the body is invited; not 第6回, to which it is not (yet).
    expect(summaries).toContain(`第5回 連携テスト会議${RUN}`);
    expect(summaries).not.toContain(`第6回 連携テスト会議${RUN}`);
    await gql('member', 'mutation { revokeCalendarFeed { ok } }');
    expect((await fetch(new URL(url.pathname, hub.url))).status).toBe(404);
    expect((await fetch(new URL('/calendar/not-a-token.ics', hub.url))).status).toBe(404);
  });
});
