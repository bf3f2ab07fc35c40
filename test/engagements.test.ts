/**
 * Engagements and teams end to end through the gateway: an SMRJ team lead opens an engagement from an
 * accepted referral, finds an SME consultant and a chamber advisor in the firm's prefecture, invites
 * them (consent for their bodies, capacity and conflicts acknowledged), both accept, a session is
 * logged, the stage advances (back only with a reason), outcomes are recorded and the next one is
 * scheduled; a supporter outside the team reads nothing, and leaving ends access.
 */
import type { RunningHub } from '../gateway/hub';
import { AccountsStore } from '../services/accounts/accounts.store';
import { hashPassword } from '../services/accounts/credentials';
import { DirectoryStore } from '../services/directory/directory.store';
import { toJstDay } from '../services/shared/business-days';
import { corporateNumberCheckDigit } from '../services/referrals/firm-identity';
import { DEMO_PASSWORD, graphql, signIn, startTestHub } from './support/hub';

let hub: RunningHub;
const ids: Record<string, string> = {};
const cookies: Record<string, string> = {};
const people: Record<string, string> = {};
const RUN = String(Date.now()).slice(-8);

type Err = { code: string; message: string; field: string | null } | null;

beforeAll(async () => {
  hub = await startTestHub();
  const prisma = hub.database.prisma;
  for (const slug of ['jfc-niigata', 'smrj', 'niigata-smeca', 'niigata-cci', 'niigata-shinkin-demo']) ids[slug] = (await prisma.organisation.findFirstOrThrow({ where: { slug } })).id;
  const accounts = new AccountsStore(prisma);
  const directory = new DirectoryStore(prisma);
  const person = async (key: string, slug: string, p: { nameJa: string; nameKana: string; qualifications: Array<'SME_CONSULTANT' | 'BUSINESS_ADVISOR'>; capacity: number }) => {
    const row = await directory.upsertPerson({ slug: `eng-${key}-${RUN}`, nameJa: p.nameJa, nameKana: p.nameKana, nameEn: null, email: null, qualifications: p.qualifications, specialities: ['STRATEGY'], regionCodes: ['15'], capacity: p.capacity });
    await directory.upsertMembership({ personId: row.id, organisationId: ids[slug], title: null, primary: true });
    people[key] = row.id;
    return row.id;
  };
  const account = async (key: string, slug: string, roles: Array<'ORG_ADMIN' | 'SUPPORTER' | 'TEAM_LEAD'>, personId: string | null = null) => {
    const email = `eng-${key.toLowerCase()}@test.example.jp`;
    const a = await accounts.createAccount({ email, displayName: `伴走テスト ${key}`, passwordHash: await hashPassword(DEMO_PASSWORD) });
    if (personId) await prisma.account.update({ where: { id: a.id }, data: { personId } });
    await accounts.upsertMembership(a.id, ids[slug], roles);
    cookies[key] = (await signIn(hub.url, email)).cookie;
  };
  await account('bank', 'jfc-niigata', ['SUPPORTER']);
  await account('lead', 'smrj', ['TEAM_LEAD', 'SUPPORTER']);
  await account('consultant', 'niigata-smeca', ['SUPPORTER'], await person('consultant', 'niigata-smeca', { nameJa: '伴走 花子', nameKana: 'バンソウ ハナコ', qualifications: ['SME_CONSULTANT'], capacity: 5 }));
  await account('advisor', 'niigata-cci', ['SUPPORTER'], await person('advisor', 'niigata-cci', { nameJa: '商工 次郎', nameKana: 'ショウコウ ジロウ', qualifications: ['BUSINESS_ADVISOR'], capacity: 4 }));
  await person('busy', 'smrj', { nameJa: '多忙 三郎', nameKana: 'タボウ サブロウ', qualifications: ['SME_CONSULTANT'], capacity: 0 });
  await account('outsider', 'niigata-cci', ['SUPPORTER', 'TEAM_LEAD']);
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

const notices = async (who: string) => (await gql<{ notifications: { nodes: Array<{ type: string; titleJa: string }> } }>(who, '{ notifications(first: 50) { nodes { type titleJa } } }')).notifications.nodes;
const consent = async (who: string, firmId: string, recipient: string, categories = ['PROFILE', 'ISSUES', 'FINANCIALS']) =>
  (
    await gql<{ recordConsent: { error: Err; consent: { id: string } } }>(who, 'mutation($i: RecordConsentInput!) { recordConsent(input: $i) { error { code } consent { id } } }', {
      i: { firmId, recipientOrganisationId: ids[recipient], categories, method: 'WRITTEN', obtainedAt: toJstDay(new Date()), givenBy: '代表取締役 越後 太郎' },
    })
  ).recordConsent.consent.id;
const ENGAGEMENT = `query($id: ID!) { engagement(id: $id) { id reference firmName stage version viewerIsLead status team { id person { id } slot status conflict capacityNote } sessions { heldOn participants notes } outcomes { measuredOn baseline salesYen operatingProfitYen } stageHistory { fromStage toStage reason } issues { title status } } }`;
type Eng = { id: string; reference: string; firmName: string | null; stage: string; version: number; viewerIsLead: boolean; team: Array<{ id: string; person: { id: string }; slot: string; status: string; conflict: string | null; capacityNote: string | null }>; sessions: Array<{ heldOn: string; participants: string[]; notes: string }>; outcomes: Array<{ measuredOn: string; baseline: boolean; salesYen: number | null; operatingProfitYen: number | null }>; stageHistory: Array<{ fromStage: string | null; toStage: string; reason: string | null }>; issues: Array<{ title: string; status: string }> };
const engagement = async (who: string, id: string) => (await gql<{ engagement: Eng | null }>(who, ENGAGEMENT, { id })).engagement;
const INVITE = `mutation($i: InviteTeamMemberInput!) { inviteTeamMember(input: $i) { ok error { code message field } warning member { id status } } }`;
type InviteResult = { inviteTeamMember: { ok: boolean; error: Err; warning: string | null; member: { id: string; status: string } | null } };

describe('an SMRJ team lead runs an engagement from an accepted referral', () => {
  let firmId: string;
  let engagementId: string;
  const members: Record<string, string> = {};

  test('the bank refers a firm to SMRJ and the lead accepts; the lead opens an engagement from the referral', async () => {
    const twelve = `${RUN}0001`;
    firmId = (await gql<{ registerFirm: { firm: { id: string } } }>('bank', 'mutation($i: RegisterFirmInput!) { registerFirm(input: $i) { firm { id } } }', {
      i: { corporateNumber: `${corporateNumberCheckDigit(twelve)}${twelve}`, nameJa: '株式会社越後伴走製作所', nameKana: 'エチゴバンソウセイサクショ', prefectureCode: '15', industryDivision: 'E', representativeName: '越後 太郎', figures: { employees: 40 } },
    })).registerFirm.firm.id;
    const consentId = await consent('bank', firmId, 'smrj');
    const sent = (await gql<{ createReferral: { referral: { id: string; version: number } } }>('bank', 'mutation($i: CreateReferralInput!) { createReferral(input: $i, send: true) { referral { id version } } }', {
      i: { firmId, recipientOrganisationId: ids.smrj, consentId, supportType: 'ISSUE_SETTING', reason: '専門家チームでの伴走が必要', summary: '事業承継と販路' },
    })).createReferral.referral;
    await gql('lead', 'mutation($id: ID!, $v: Int!) { acceptReferral(id: $id, expectedVersion: $v) { ok } }', { id: sent.id, v: sent.version });

    const notAccepted = await gql<{ openEngagement: { error: Err } }>('outsider', 'mutation($i: OpenEngagementInput!) { openEngagement(input: $i) { error { code } } }', { i: { firmId, referralId: sent.id, supportType: 'ISSUE_SETTING' } });
    expect(notAccepted.openEngagement.error).toMatchObject({ code: 'engagements/firm_not_found' });
    const opened = await gql<{ openEngagement: { ok: boolean; error: Err; engagement: { id: string; reference: string; stage: string; firmName: string } } }>(
      'lead',
      'mutation($i: OpenEngagementInput!) { openEngagement(input: $i) { ok error { code message } engagement { id reference stage firmName } } }',
      { i: { firmId, referralId: sent.id, supportType: 'ISSUE_SETTING', mainBankOrganisationId: ids['jfc-niigata'] } },
    );
    expect(opened.openEngagement).toMatchObject({ ok: true, engagement: { stage: 'TARGETING', firmName: '株式会社越後伴走製作所' } });
    expect(opened.openEngagement.engagement.reference).toMatch(/^E-\d{6}$/);
    engagementId = opened.openEngagement.engagement.id;
    const twice = await gql<{ openEngagement: { error: Err } }>('lead', 'mutation($i: OpenEngagementInput!) { openEngagement(input: $i) { error { code } } }', { i: { firmId, referralId: sent.id, supportType: 'ISSUE_SETTING' } });
    expect(twice.openEngagement.error).toMatchObject({ code: 'engagements/already_opened' });
  });

  test('the lead finds an SME consultant and a chamber advisor in the prefecture, with their load', async () => {
    const found = await gql<{ supporterSearch: { totalCount: number; nodes: Array<{ person: { id: string; nameJa: string }; organisations: Array<{ id: string }>; load: number; capacity: number; atCapacity: boolean }> } }>(
      'lead',
      '{ supporterSearch(filter: { regionCode: "15", qualifications: [SME_CONSULTANT, BUSINESS_ADVISOR] }, first: 100) { totalCount nodes { person { id nameJa } organisations { id } load capacity atCapacity } } }',
    );
    const byId = new Map(found.supporterSearch.nodes.map((n) => [n.person.id, n]));
    expect(byId.get(people.consultant)).toMatchObject({ person: { nameJa: '伴走 花子' }, organisations: [{ id: ids['niigata-smeca'] }], load: 0, capacity: 5, atCapacity: false });
    expect(byId.get(people.advisor)).toMatchObject({ organisations: [{ id: ids['niigata-cci'] }] });
    expect(byId.get(people.busy)).toMatchObject({ atCapacity: true });
    // Available ones first.
    const flags = found.supporterSearch.nodes.map((n) => n.atCapacity);
    expect(flags.indexOf(true)).toBeGreaterThan(flags.lastIndexOf(false));
    const available = await gql<{ supporterSearch: { nodes: Array<{ person: { id: string } }> } }>('lead', '{ supporterSearch(filter: { regionCode: "15", availableOnly: true }, first: 100) { nodes { person { id } } } }');
    expect(available.supporterSearch.nodes.map((n) => n.person.id)).not.toContain(people.busy);
    const byName = await gql<{ supporterSearch: { nodes: Array<{ person: { id: string } }> } }>('lead', '{ supporterSearch(filter: { search: "ばんそう" }) { nodes { person { id } } } }');
    expect(byName.supporterSearch.nodes.map((n) => n.person.id)).toContain(people.consultant);
    const notLead = await graphql(hub.url, '{ supporterSearch { totalCount } }', {}, { cookie: cookies.consultant });
    expect(notLead.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test('inviting needs consent for another body; at capacity needs a reason; a competing bank needs an acknowledgement; nobody twice', async () => {
    const noConsent = await gql<InviteResult>('lead', INVITE, { i: { engagementId, personId: people.consultant, organisationId: ids['niigata-smeca'], slot: 'SPECIALIST' } });
    expect(noConsent.inviteTeamMember.error).toMatchObject({ code: 'engagements/consent_required', field: 'consentId' });
    const toSmeca = await consent('lead', firmId, 'niigata-smeca');
    const invited = await gql<InviteResult>('lead', INVITE, { i: { engagementId, personId: people.consultant, organisationId: ids['niigata-smeca'], slot: 'SPECIALIST', consentId: toSmeca } });
    expect(invited.inviteTeamMember).toMatchObject({ ok: true, warning: null, member: { status: 'INVITED' } });
    members.consultant = invited.inviteTeamMember.member!.id;
    const again = await gql<InviteResult>('lead', INVITE, { i: { engagementId, personId: people.consultant, organisationId: ids['niigata-smeca'], slot: 'FACILITATOR', consentId: toSmeca } });
    expect(again.inviteTeamMember.error).toMatchObject({ code: 'engagements/already_on_team', message: 'この支援者はすでにチームにいるか、招待中です。' });

    const toCci = await consent('lead', firmId, 'niigata-cci', ['PROFILE', 'ISSUES']);
    const advisor = await gql<InviteResult>('lead', INVITE, { i: { engagementId, personId: people.advisor, organisationId: ids['niigata-cci'], slot: 'LOCAL_ADVISOR', consentId: toCci } });
    members.advisor = advisor.inviteTeamMember.member!.id;

    const busy = await gql<InviteResult>('lead', INVITE, { i: { engagementId, personId: people.busy, organisationId: ids.smrj, slot: 'FACILITATOR' } });
    expect(busy.inviteTeamMember).toMatchObject({ ok: false, warning: 'AT_CAPACITY', error: { code: 'engagements/capacity_note_required', field: 'capacityNote' } });
    const busyAnyway = await gql<InviteResult>('lead', INVITE, { i: { engagementId, personId: people.busy, organisationId: ids.smrj, slot: 'FACILITATOR', capacityNote: '製造業の知見が必須のため' } });
    expect(busyAnyway.inviteTeamMember).toMatchObject({ ok: true, warning: 'AT_CAPACITY' });

    // 小林 由紀 of 越後中央信用金庫: a bank other than the firm's main bank (日本政策金融公庫).
    const kobayashi = (await hub.database.prisma.person.findFirstOrThrow({ where: { slug: 'demo-kobayashi' } })).id;
    const competing = await gql<InviteResult>('lead', INVITE, { i: { engagementId, personId: kobayashi, organisationId: ids['niigata-shinkin-demo'], slot: 'FINANCIAL_INSTITUTION' } });
    expect(competing.inviteTeamMember).toMatchObject({ ok: false, warning: 'COMPETING_BANK', error: { code: 'engagements/conflict_ack_required', field: 'conflictAcknowledgement' } });
    expect(competing.inviteTeamMember.error!.message).toMatch(/メインバンクと競合する金融機関/);
    const wrongBody = await gql<InviteResult>('lead', INVITE, { i: { engagementId, personId: people.consultant, organisationId: ids['niigata-cci'], slot: 'SPECIALIST' } });
    expect(wrongBody.inviteTeamMember.error).toMatchObject({ code: 'engagements/not_member_of_body' });
  });

  test('the invitees see their invitations without firm data, and accept; the lead is told; the provision record is written', async () => {
    await waitFor(async () => (await notices('consultant')).some((n) => n.type === 'engagements.invited'), 20_000, 'invitation notice');
    const inv = await gql<{ myTeamInvitations: Array<{ memberId: string; engagementReference: string; slot: string }> }>('consultant', '{ myTeamInvitations { memberId engagementReference slot } }');
    expect(inv.myTeamInvitations).toEqual([expect.objectContaining({ memberId: members.consultant, slot: 'SPECIALIST' })]);
    // Before accepting, the engagement is not theirs to read.
    expect(await engagement('consultant', engagementId)).toBeNull();
    for (const who of ['consultant', 'advisor']) {
      const r = await gql<{ respondToTeamInvitation: { ok: boolean; member: { status: string } } }>(who, 'mutation($m: ID!) { respondToTeamInvitation(memberId: $m, accept: true) { ok member { status } } }', { m: members[who] });
      expect(r.respondToTeamInvitation).toEqual({ ok: true, member: { status: 'ACCEPTED' } });
    }
    const declineWithout = await gql<{ respondToTeamInvitation: { error: Err } }>('advisor', 'mutation($m: ID!) { respondToTeamInvitation(memberId: $m, accept: false) { error { code } } }', { m: members.advisor });
    expect(declineWithout.respondToTeamInvitation.error).toMatchObject({ code: 'engagements/invitation_not_found' });
    await waitFor(async () => (await notices('lead')).filter((n) => n.type === 'engagements.invitation_answered').length >= 2, 20_000, 'answers to the lead');
    const rec = await hub.database.prisma.provisionRecord.findFirst({ where: { firmId, recipientOrganisationId: ids['niigata-smeca'] } });
    expect(rec).toMatchObject({ providerOrganisationId: ids.smrj, firmName: '株式会社越後伴走製作所' });
    const seen = (await engagement('consultant', engagementId))!;
    expect(seen).toMatchObject({ firmName: '株式会社越後伴走製作所', viewerIsLead: false });
    expect(seen.team.filter((m) => m.status === 'ACCEPTED').map((m) => m.person.id).sort()).toEqual([people.advisor, people.consultant].sort());
    // Every read of firm data through the engagement is recorded.
    expect(await hub.database.prisma.firmDataRead.count({ where: { engagementId, firmId } })).toBeGreaterThan(0);
  });

  test('a session is logged by a member, the stage advances (back only with a reason), outcomes are recorded', async () => {
    const logged = await gql<{ logSession: { ok: boolean; error: Err } }>('consultant', 'mutation($i: LogSessionInput!) { logSession(input: $i) { ok error { code } } }', {
      i: { engagementId, heldOn: toJstDay(new Date()), participants: ['越後 太郎（代表）', '伴走 花子'], notes: '経営者の想いと現状の課題認識を傾聴した。', nextSteps: '次回は財務の推移を一緒に確認する。' },
    });
    expect(logged.logSession).toEqual({ ok: true, error: null });
    const future = await gql<{ logSession: { error: Err } }>('consultant', 'mutation($i: LogSessionInput!) { logSession(input: $i) { error { code field } } }', { i: { engagementId, heldOn: '2999-01-01', participants: ['x'], notes: 'x' } });
    expect(future.logSession.error).toMatchObject({ code: 'engagements/invalid_date', field: 'heldOn' });
    await waitFor(async () => (await notices('lead')).some((n) => n.type === 'engagements.session_logged'), 20_000, 'session notice');

    let e = (await engagement('lead', engagementId))!;
    const forward = await gql<{ changeEngagementStage: { ok: boolean; engagement: { stage: string; version: number } } }>(
      'lead',
      'mutation($id: ID!, $v: Int!) { changeEngagementStage(id: $id, expectedVersion: $v, stage: MUTUAL_UNDERSTANDING) { ok engagement { stage version } } }',
      { id: engagementId, v: e.version },
    );
    expect(forward.changeEngagementStage.engagement.stage).toBe('MUTUAL_UNDERSTANDING');
    const stale = await gql<{ changeEngagementStage: { error: Err } }>('lead', 'mutation($id: ID!, $v: Int!) { changeEngagementStage(id: $id, expectedVersion: $v, stage: TRUST_BUILDING) { error { code } } }', { id: engagementId, v: e.version });
    expect(stale.changeEngagementStage.error).toMatchObject({ code: 'engagements/stale' });
    const backNoReason = await gql<{ changeEngagementStage: { error: Err } }>('lead', 'mutation($id: ID!, $v: Int!) { changeEngagementStage(id: $id, expectedVersion: $v, stage: TARGETING) { error { code message field } } }', { id: engagementId, v: forward.changeEngagementStage.engagement.version });
    expect(backNoReason.changeEngagementStage.error).toMatchObject({ code: 'engagements/reason_required', message: '段階を戻す理由を入力してください。' });
    const notLead = await gql<{ changeEngagementStage: { error: Err } }>('consultant', 'mutation($id: ID!, $v: Int!) { changeEngagementStage(id: $id, expectedVersion: $v, stage: TRUST_BUILDING) { error { code } } }', { id: engagementId, v: forward.changeEngagementStage.engagement.version });
    expect(notLead.changeEngagementStage.error).toMatchObject({ code: 'engagements/not_lead' });
    await waitFor(async () => (await notices('consultant')).some((n) => n.type === 'engagements.stage_changed' && n.titleJa.includes('双方の理解')), 20_000, 'stage notice to members');

    const bad = await gql<{ recordOutcome: { error: Err } }>('lead', 'mutation($i: OutcomeMeasurementInput!) { recordOutcome(input: $i) { error { code field } } }', { i: { engagementId, measuredOn: toJstDay(new Date()), baseline: true, salesYen: -5 } });
    expect(bad.recordOutcome.error).toMatchObject({ code: 'engagements/invalid_figure', field: 'salesYen' });
    const none = await gql<{ recordOutcome: { error: Err } }>('lead', 'mutation($i: OutcomeMeasurementInput!) { recordOutcome(input: $i) { error { code } } }', { i: { engagementId, measuredOn: toJstDay(new Date()), baseline: true } });
    expect(none.recordOutcome.error).toMatchObject({ code: 'engagements/no_figures' });
    const good = await gql<{ recordOutcome: { ok: boolean } }>('lead', 'mutation($i: OutcomeMeasurementInput!) { recordOutcome(input: $i) { ok } }', {
      i: { engagementId, measuredOn: toJstDay(new Date()), baseline: true, salesYen: 520_000_000, operatingProfitYen: -12_000_000, valueAddedYen: 140_000_000, employees: 40 },
    });
    expect(good.recordOutcome.ok).toBe(true);
    const due = await hub.database.prisma.scheduledNotice.findUniqueOrThrow({ where: { key: `engagement-outcome-due:${engagementId}` } });
    const months = (due.dueAt.getTime() - Date.now()) / (30.4 * 86_400_000);
    expect(months).toBeGreaterThan(5.5);
    expect(months).toBeLessThan(6.5);
    e = (await engagement('consultant', engagementId))!;
    expect(e.outcomes).toEqual([expect.objectContaining({ baseline: true, salesYen: 520_000_000, operatingProfitYen: -12_000_000 })]);
    expect(e.sessions[0]).toMatchObject({ participants: ['越後 太郎（代表）', '伴走 花子'] });
    expect(e.stageHistory.map((s) => s.toStage)).toEqual(['TARGETING', 'MUTUAL_UNDERSTANDING']);
    // The advisor's body's consent does not cover 財務・規模情報: no figures for the advisor.
    expect((await engagement('advisor', engagementId))!.outcomes).toEqual([]);
  });

  test('a supporter outside the team reads nothing; leaving the team ends access', async () => {
    expect(await engagement('outsider', engagementId)).toBeNull();
    expect(await engagement('bank', engagementId)).toBeNull();
    const board = await gql<{ myEngagements: { nodes: Array<{ id: string }> } }>('outsider', '{ myEngagements { nodes { id } } }');
    expect(board.myEngagements.nodes).toEqual([]);
    const log = await gql<{ logSession: { error: Err } }>('outsider', 'mutation($i: LogSessionInput!) { logSession(input: $i) { error { code } } }', { i: { engagementId, heldOn: toJstDay(new Date()), participants: ['x'], notes: 'x' } });
    expect(log.logSession.error).toMatchObject({ code: 'engagements/not_found' });
    const left = await gql<{ leaveTeam: { ok: boolean } }>('advisor', 'mutation($m: ID!) { leaveTeam(memberId: $m) { ok } }', { m: members.advisor });
    expect(left.leaveTeam.ok).toBe(true);
    expect(await engagement('advisor', engagementId)).toBeNull();
    const mine = await gql<{ myEngagements: { nodes: Array<{ id: string; stage: string }> } }>('consultant', '{ myEngagements { nodes { id stage } } }');
    expect(mine.myEngagements.nodes).toEqual([{ id: engagementId, stage: 'MUTUAL_UNDERSTANDING' }]);
  });
});
