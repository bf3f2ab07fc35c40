/**
 * The permission matrix, through the public API only: every role (and an anonymous caller) against
 * every object type and operation that exists so far, including another body's objects by guessed id.
 * Later issues add their rows here (firms, consents, referrals and provision records since issue 5).
 */
import type { RunningHub } from '../gateway/hub';
import { graphql, signIn, startTestHub } from './support/hub';

type Outcome = 'allow' | 'deny' | 'unauth';
type Actor = 'anonymous' | 'hubAdmin' | 'secretariat' | 'observer' | 'yorozuAdmin' | 'yorozuSupporter' | 'teamLead' | 'shinkinAdmin';

const EMAILS: Record<Exclude<Actor, 'anonymous'>, string> = {
  hubAdmin: 'hub-admin@banso.example.jp',
  secretariat: 'secretariat@banso.example.jp',
  observer: 'observer@fsa.example.jp',
  yorozuAdmin: 'admin@yorozu-niigata.example.jp',
  yorozuSupporter: 'staff@yorozu-niigata.example.jp',
  teamLead: 'lead@smrj-kanto.example.jp',
  shinkinAdmin: 'admin@echigo-shinkin.example.jp',
};

let hub: RunningHub;
const cookies: Partial<Record<Actor, { cookie: string }>> = {};
let yorozuId: string;
let yorozuSupporterAccountId: string;

async function orgId(search: string): Promise<string> {
  const res = await graphql<{ organisations: { nodes: Array<{ id: string; nameJa: string }> } }>(hub.url, 'query($s: String) { organisations(filter: { search: $s }) { nodes { id nameJa } } }', { s: search });
  return res.body.data!.organisations.nodes[0].id;
}

beforeAll(async () => {
  hub = await startTestHub();
  for (const [actor, email] of Object.entries(EMAILS)) cookies[actor as Actor] = await signIn(hub.url, email);
  yorozuId = await orgId('新潟県よろず支援拠点');
  const staff = await graphql<{ staff: { nodes: Array<{ account: { id: string; email: string } }> } }>(
    hub.url,
    'query($o: ID!) { staff(organisationId: $o) { nodes { account { id email } } } }',
    { o: yorozuId },
    cookies.yorozuAdmin,
  );
  yorozuSupporterAccountId = staff.body.data!.staff.nodes.find((n) => n.account.email === EMAILS.yorozuSupporter)!.account.id;
});
afterAll(async () => {
  await hub?.stop();
});

interface Op {
  name: string;
  /** A business refusal an authorised caller may get (the op is built to stop there, changing nothing). */
  businessError?: string;
  run: (headers: Record<string, string>) => Promise<{ status: number; code?: string; ok?: boolean; errorCode?: string }>;
}

/** Runs a GraphQL operation and reduces the answer to what the matrix asserts. */
async function gqlOutcome(query: string, variables: Record<string, unknown>, headers: Record<string, string>, resultField?: string) {
  const res = await graphql<Record<string, { ok?: boolean; error?: { code: string } | null } | null>>(hub.url, query, variables, headers);
  const code = res.body.errors?.[0]?.extensions?.code as string | undefined;
  const result = resultField ? res.body.data?.[resultField] : undefined;
  return { status: res.status, code, ok: result?.ok, errorCode: result?.error?.code };
}

const OPS: Op[] = [
  { name: 'directory: list bodies', run: (h) => gqlOutcome('{ organisations { totalCount } }', {}, h) },
  { name: 'directory: list supporters', run: (h) => gqlOutcome('{ people { totalCount } }', {}, h) },
  { name: 'accounts: read own staff list (yorozu)', run: (h) => gqlOutcome('query($o: ID!) { staff(organisationId: $o) { totalCount } }', { o: yorozuId }, h) },
  { name: 'accounts: read invitations (yorozu)', run: (h) => gqlOutcome('query($o: ID!) { invitations(organisationId: $o) { id } }', { o: yorozuId }, h) },
  {
    name: 'accounts: invite staff to yorozu',
    run: (h) => gqlOutcome('mutation($o: ID!) { inviteStaff(input: { organisationId: $o, email: "new.person@example.jp", roles: [SUPPORTER] }) { ok error { code } } }', { o: yorozuId }, h, 'inviteStaff'),
  },
  {
    name: "accounts: set a yorozu supporter's roles (unchanged)",
    run: (h) => gqlOutcome('mutation($a: ID!, $o: ID!) { setStaffRoles(input: { accountId: $a, organisationId: $o, roles: [SUPPORTER] }) { ok error { code } } }', { a: yorozuSupporterAccountId, o: yorozuId }, h, 'setStaffRoles'),
  },
  {
    // Authorised callers reach the membership check (not a member) without changing anything.
    name: 'accounts: remove staff from yorozu',
    run: (h) => gqlOutcome('mutation($o: ID!) { removeStaff(accountId: "00000000-0000-4000-8000-000000000000", organisationId: $o) { ok error { code } } }', { o: yorozuId }, h, 'removeStaff'),
  },
  { name: 'audit: browse the log', run: (h) => gqlOutcome('{ auditEvents(first: 5) { totalCount } }', {}, h) },
  {
    name: 'audit: export the log as CSV',
    run: async (h) => {
      const res = await fetch(new URL('admin/audit.csv', hub.url), { headers: h });
      await res.arrayBuffer();
      return { status: res.status, code: res.status === 200 ? undefined : res.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN' };
    },
  },
  { name: 'firms: list the body’s firms', run: (h) => gqlOutcome('{ firms { totalCount } }', {}, h) },
  {
    name: 'firms: register a firm (bad 法人番号)',
    businessError: 'firms/corporate_number_check_digit',
    run: (h) => gqlOutcome('mutation { registerFirm(input: { corporateNumber: "1234567890123", nameJa: "試験", nameKana: "シケン", prefectureCode: "15", industryDivision: "E" }) { ok error { code } } }', {}, h, 'registerFirm'),
  },
  { name: 'firms: likely duplicates', run: (h) => gqlOutcome('{ firmDuplicates { id } }', {}, h) },
  {
    name: 'consents: record a consent (unknown firm)',
    businessError: 'referrals/firm_not_found',
    run: (h) =>
      gqlOutcome('mutation { recordConsent(input: { firmId: "00000000-0000-4000-8000-000000000000", recipientOrganisationId: "00000000-0000-4000-8000-000000000000", categories: [PROFILE], method: WRITTEN, obtainedAt: "2026-04-01", givenBy: "x" }) { ok error { code } } }', {}, h, 'recordConsent'),
  },
  { name: 'referrals: the inbox', run: (h) => gqlOutcome('{ referralInbox(box: NEW) { totalCount } referralCounts { new } }', {}, h) },
  {
    name: 'referrals: accept (unknown referral)',
    businessError: 'referrals/not_found',
    run: (h) => gqlOutcome('mutation { acceptReferral(id: "00000000-0000-4000-8000-000000000000", expectedVersion: 1) { ok error { code } } }', {}, h, 'acceptReferral'),
  },
  {
    name: 'referrals: send (unknown firm)',
    businessError: 'referrals/firm_not_found',
    run: (h) =>
      gqlOutcome('mutation { createReferral(input: { firmId: "00000000-0000-4000-8000-000000000000", recipientOrganisationId: "00000000-0000-4000-8000-000000000000", consentId: "00000000-0000-4000-8000-000000000000", supportType: ISSUE_SETTING, reason: "r", summary: "s" }) { ok error { code } } }', {}, h, 'createReferral'),
  },
  {
    name: 'referrals: set yorozu’s response days',
    run: (h) => gqlOutcome('mutation($o: ID!) { setReferralResponseDays(organisationId: $o, days: 3) { ok error { code } } }', { o: yorozuId }, h, 'setReferralResponseDays'),
  },
  { name: 'provision records: list', run: (h) => gqlOutcome('{ provisionRecords { totalCount } }', {}, h) },
  { name: 'engagements: my engagements', run: (h) => gqlOutcome('{ myEngagements { totalCount } }', {}, h) },
  { name: 'engagements: search supporters', run: (h) => gqlOutcome('{ supporterSearch(first: 5) { totalCount } }', {}, h) },
  {
    name: 'engagements: open one (unknown firm)',
    businessError: 'engagements/firm_not_found',
    run: (h) => gqlOutcome('mutation { openEngagement(input: { firmId: "00000000-0000-4000-8000-000000000000", supportType: ISSUE_SETTING }) { ok error { code } } }', {}, h, 'openEngagement'),
  },
  {
    name: 'teams: answer an invitation (none)',
    businessError: 'engagements/invitation_not_found',
    run: (h) => gqlOutcome('mutation { respondToTeamInvitation(memberId: "00000000-0000-4000-8000-000000000000", accept: true) { ok error { code } } }', {}, h, 'respondToTeamInvitation'),
  },
  { name: 'meetings: list series', run: (h) => gqlOutcome('{ meetingSeries { slug } }', {}, h) },
  {
    name: 'meetings: schedule (unknown series)',
    businessError: 'meetings/series_not_found',
    run: (h) => gqlOutcome('mutation { scheduleMeeting(input: { seriesId: "00000000-0000-4000-8000-000000000000", date: "2099-01-01" }) { ok error { code } } }', {}, h, 'scheduleMeeting'),
  },
  {
    name: 'meetings: answer an invitation (none)',
    businessError: 'meetings/invitation_not_found',
    run: (h) => gqlOutcome('mutation { respondToMeetingInvitation(invitationId: "00000000-0000-4000-8000-000000000000", rsvp: ATTENDING) { ok error { code } } }', {}, h, 'respondToMeetingInvitation'),
  },
  {
    name: 'minutes: comment (unknown meeting)',
    businessError: 'meetings/not_found',
    run: (h) => gqlOutcome('mutation { commentOnMinutes(meetingId: "00000000-0000-4000-8000-000000000000", body: "x") { ok error { code } } }', {}, h, 'commentOnMinutes'),
  },
  {
    name: 'minutes: approve (unknown meeting)',
    businessError: 'meetings/not_found',
    run: (h) => gqlOutcome('mutation { approveMinutes(meetingId: "00000000-0000-4000-8000-000000000000", expectedVersion: 1) { ok error { code } } }', {}, h, 'approveMinutes'),
  },
  { name: 'action items: mine', run: (h) => gqlOutcome('{ myActionItems { id } }', {}, h) },
  {
    name: 'action items: update (none)',
    businessError: 'meetings/item_not_found',
    run: (h) => gqlOutcome('mutation { setActionItemStatus(id: "00000000-0000-4000-8000-000000000000", expectedVersion: 1, status: DONE) { ok error { code } } }', {}, h, 'setActionItemStatus'),
  },
  { name: 'reports: the dashboard (own body)', run: (h) => gqlOutcome('query { reportDashboard(filter: { fiscalYear: 2025 }) { ok error { code } } }', {}, h, 'reportDashboard') },
  {
    name: 'reports: set a target',
    run: (h) => gqlOutcome('mutation { setReportTarget(input: { fiscalYear: 2099, metric: FIRMS_SUPPORTED, target: 0 }) { ok error { code } } }', {}, h, 'setReportTarget'),
  },
  {
    name: 'surveys: issue a link (unknown engagement)',
    businessError: 'reports/engagement_not_found',
    run: (h) => gqlOutcome('mutation { issueSurveyLink(engagementId: "00000000-0000-4000-8000-000000000000") { ok error { code } } }', {}, h, 'issueSurveyLink'),
  },
  {
    name: 'surveys: answer (unknown link)',
    businessError: 'reports/survey_not_found',
    run: (h) => gqlOutcome('mutation { answerSurvey(token: "unknown", input: { overall: SATISFIED, awareness: YES, change: SOME }) { ok error { code } } }', {}, h, 'answerSurvey'),
  },
  {
    name: 'provision records: export as CSV',
    run: async (h) => {
      const res = await fetch(new URL('files/provision-records.csv', hub.url), { headers: h });
      await res.arrayBuffer();
      return { status: res.status, code: res.status === 200 ? undefined : res.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN' };
    },
  },
];

// Rows: operations; columns: actors. Yorozu is the organisation admin's own body and not the shinkin's.
const MATRIX: Record<string, Record<Actor, Outcome>> = {
  'directory: list bodies': { anonymous: 'allow', hubAdmin: 'allow', secretariat: 'allow', observer: 'allow', yorozuAdmin: 'allow', yorozuSupporter: 'allow', teamLead: 'allow', shinkinAdmin: 'allow' },
  'directory: list supporters': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'allow', observer: 'allow', yorozuAdmin: 'allow', yorozuSupporter: 'allow', teamLead: 'allow', shinkinAdmin: 'allow' },
  'accounts: read own staff list (yorozu)': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'deny', teamLead: 'deny', shinkinAdmin: 'deny' },
  'accounts: read invitations (yorozu)': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'deny', teamLead: 'deny', shinkinAdmin: 'deny' },
  'accounts: invite staff to yorozu': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'deny', teamLead: 'deny', shinkinAdmin: 'deny' },
  "accounts: set a yorozu supporter's roles (unchanged)": { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'deny', teamLead: 'deny', shinkinAdmin: 'deny' },
  'accounts: remove staff from yorozu': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'deny', teamLead: 'deny', shinkinAdmin: 'deny' },
  'audit: browse the log': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'deny', yorozuSupporter: 'deny', teamLead: 'deny', shinkinAdmin: 'deny' },
  'audit: export the log as CSV': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'deny', yorozuSupporter: 'deny', teamLead: 'deny', shinkinAdmin: 'deny' },
  // Firm data is for the bodies that work with firms: not the hub's operators, the secretariat or observers.
  // (The demo team lead is also a supporter of SMRJ Kanto.)
  'firms: list the body’s firms': { anonymous: 'unauth', hubAdmin: 'deny', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'allow', teamLead: 'allow', shinkinAdmin: 'allow' },
  'firms: register a firm (bad 法人番号)': { anonymous: 'unauth', hubAdmin: 'deny', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'allow', teamLead: 'allow', shinkinAdmin: 'allow' },
  'firms: likely duplicates': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'deny', teamLead: 'deny', shinkinAdmin: 'allow' },
  'consents: record a consent (unknown firm)': { anonymous: 'unauth', hubAdmin: 'deny', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'allow', teamLead: 'allow', shinkinAdmin: 'allow' },
  'referrals: the inbox': { anonymous: 'unauth', hubAdmin: 'deny', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'allow', teamLead: 'allow', shinkinAdmin: 'allow' },
  'referrals: accept (unknown referral)': { anonymous: 'unauth', hubAdmin: 'deny', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'allow', teamLead: 'allow', shinkinAdmin: 'allow' },
  'referrals: send (unknown firm)': { anonymous: 'unauth', hubAdmin: 'deny', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'allow', teamLead: 'allow', shinkinAdmin: 'allow' },
  'referrals: set yorozu’s response days': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'deny', teamLead: 'deny', shinkinAdmin: 'deny' },
  'provision records: list': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'deny', teamLead: 'deny', shinkinAdmin: 'allow' },
  'engagements: my engagements': { anonymous: 'unauth', hubAdmin: 'deny', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'allow', teamLead: 'allow', shinkinAdmin: 'allow' },
  'engagements: search supporters': { anonymous: 'unauth', hubAdmin: 'deny', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'deny', yorozuSupporter: 'deny', teamLead: 'allow', shinkinAdmin: 'deny' },
  'engagements: open one (unknown firm)': { anonymous: 'unauth', hubAdmin: 'deny', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'deny', yorozuSupporter: 'deny', teamLead: 'allow', shinkinAdmin: 'deny' },
  'teams: answer an invitation (none)': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'allow', observer: 'allow', yorozuAdmin: 'allow', yorozuSupporter: 'allow', teamLead: 'allow', shinkinAdmin: 'allow' },
  // Meetings: every signed-in person reads what their body is invited to; only the secretariat edits.
  'meetings: list series': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'allow', observer: 'allow', yorozuAdmin: 'allow', yorozuSupporter: 'allow', teamLead: 'allow', shinkinAdmin: 'allow' },
  'meetings: schedule (unknown series)': { anonymous: 'unauth', hubAdmin: 'deny', secretariat: 'allow', observer: 'deny', yorozuAdmin: 'deny', yorozuSupporter: 'deny', teamLead: 'deny', shinkinAdmin: 'deny' },
  'meetings: answer an invitation (none)': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'allow', observer: 'allow', yorozuAdmin: 'allow', yorozuSupporter: 'allow', teamLead: 'allow', shinkinAdmin: 'allow' },
  'minutes: comment (unknown meeting)': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'allow', observer: 'allow', yorozuAdmin: 'allow', yorozuSupporter: 'allow', teamLead: 'allow', shinkinAdmin: 'allow' },
  'minutes: approve (unknown meeting)': { anonymous: 'unauth', hubAdmin: 'deny', secretariat: 'allow', observer: 'deny', yorozuAdmin: 'deny', yorozuSupporter: 'deny', teamLead: 'deny', shinkinAdmin: 'deny' },
  'action items: mine': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'allow', observer: 'allow', yorozuAdmin: 'allow', yorozuSupporter: 'allow', teamLead: 'allow', shinkinAdmin: 'allow' },
  'action items: update (none)': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'allow', observer: 'allow', yorozuAdmin: 'allow', yorozuSupporter: 'allow', teamLead: 'allow', shinkinAdmin: 'allow' },
  // Reports: the secretariat (whole network) and each body's admin (own body); survey links by team leads; answers by anyone with a link.
  'reports: the dashboard (own body)': { anonymous: 'unauth', hubAdmin: 'deny', secretariat: 'allow', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'deny', teamLead: 'deny', shinkinAdmin: 'allow' },
  'reports: set a target': { anonymous: 'unauth', hubAdmin: 'deny', secretariat: 'allow', observer: 'deny', yorozuAdmin: 'deny', yorozuSupporter: 'deny', teamLead: 'deny', shinkinAdmin: 'deny' },
  'surveys: issue a link (unknown engagement)': { anonymous: 'unauth', hubAdmin: 'deny', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'deny', yorozuSupporter: 'deny', teamLead: 'allow', shinkinAdmin: 'deny' },
  'surveys: answer (unknown link)': { anonymous: 'allow', hubAdmin: 'allow', secretariat: 'allow', observer: 'allow', yorozuAdmin: 'allow', yorozuSupporter: 'allow', teamLead: 'allow', shinkinAdmin: 'allow' },
  'provision records: export as CSV': { anonymous: 'unauth', hubAdmin: 'allow', secretariat: 'deny', observer: 'deny', yorozuAdmin: 'allow', yorozuSupporter: 'deny', teamLead: 'deny', shinkinAdmin: 'allow' },
};

const ACTORS: Actor[] = ['anonymous', 'hubAdmin', 'secretariat', 'observer', 'yorozuAdmin', 'yorozuSupporter', 'teamLead', 'shinkinAdmin'];
const CASES = OPS.flatMap((op) => ACTORS.map((actor) => [op.name, actor, MATRIX[op.name][actor]] as const));

describe('permission matrix', () => {
  test.each(CASES)('%s — %s: %s', async (opName, actor, expected) => {
    const op = OPS.find((o) => o.name === opName)!;
    const headers: Record<string, string> = actor === 'anonymous' ? {} : { cookie: cookies[actor]!.cookie };
    const outcome = await op.run(headers);
    expect(outcome.status).toBeLessThan(500);
    if (expected === 'allow') {
      expect(outcome.code).toBeUndefined();
      // A mutation may still refuse on business grounds, but never on authorisation.
      if (outcome.errorCode) expect(outcome.errorCode).toBe(op.businessError ?? 'accounts/not_a_member');
    } else {
      expect(outcome.code).toBe(expected === 'unauth' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    }
  });
});

describe('cross-body access and escalation', () => {
  test("an organisation admin asking for another body's staff by id learns nothing, and it is audited", async () => {
    const denied = await graphql(hub.url, 'query($o: ID!) { staff(organisationId: $o) { totalCount } }', { o: yorozuId }, cookies.shinkinAdmin);
    const unknown = await graphql(hub.url, 'query($o: ID!) { staff(organisationId: $o) { totalCount } }', { o: '00000000-0000-4000-8000-000000000000' }, cookies.shinkinAdmin);
    // The same answer whether the body exists or not.
    expect(denied.body.errors?.[0].message).toBe(unknown.body.errors?.[0].message);
    expect(denied.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const log = await graphql<{ auditEvents: { nodes: Array<{ action: string; outcome: string; targetId: string; details: string }> } }>(
      hub.url,
      '{ auditEvents(filter: { action: "access.denied" }, first: 20) { nodes { action outcome targetId details } } }',
      {},
      cookies.hubAdmin,
    );
    expect(log.body.data!.auditEvents.nodes.some((e) => e.targetId === yorozuId && e.outcome === 'DENIED' && e.details.includes('accounts.staff.read'))).toBe(true);
  });

  test('an organisation admin cannot grant the hub admin role, and the attempt is audited', async () => {
    const res = await graphql<{ setStaffRoles: { ok: boolean; error: { code: string; message: string } } }>(
      hub.url,
      'mutation($a: ID!, $o: ID!) { setStaffRoles(input: { accountId: $a, organisationId: $o, roles: [SUPPORTER, HUB_ADMIN] }) { ok error { code message } } }',
      { a: yorozuSupporterAccountId, o: yorozuId },
      cookies.yorozuAdmin,
    );
    expect(res.body.data!.setStaffRoles).toMatchObject({ ok: false, error: { code: 'accounts/role_not_grantable' } });
    const viewer = await graphql<{ viewer: { roles: string[] } }>(hub.url, '{ viewer { roles } }', {}, await signIn(hub.url, EMAILS.yorozuSupporter));
    expect(viewer.body.data!.viewer.roles).toEqual(['SUPPORTER']);
  });

  test('a person cannot switch to a body they do not belong to', async () => {
    const shinkinId = await orgId('越後中央信用金庫');
    const res = await graphql<{ switchOrganisation: { ok: boolean; error: { code: string } } }>(
      hub.url,
      'mutation($o: ID!) { switchOrganisation(organisationId: $o) { ok error { code } } }',
      { o: shinkinId },
      cookies.yorozuSupporter,
    );
    expect(res.body.data!.switchOrganisation).toEqual({ ok: false, error: { code: 'accounts/not_a_member' } });
  });

  test('every mutation refuses an anonymous caller with a clear error, never a 5xx', async () => {
    const mutations = [
      'mutation { switchOrganisation(organisationId: "00000000-0000-4000-8000-000000000000") { ok } }',
      'mutation { inviteStaff(input: { organisationId: "00000000-0000-4000-8000-000000000000", email: "a@b.jp", roles: [SUPPORTER] }) { ok } }',
      'mutation { revokeInvitation(id: "00000000-0000-4000-8000-000000000000") { ok } }',
      'mutation { setStaffRoles(input: { accountId: "00000000-0000-4000-8000-000000000000", organisationId: "00000000-0000-4000-8000-000000000000", roles: [SUPPORTER] }) { ok } }',
      'mutation { removeStaff(accountId: "00000000-0000-4000-8000-000000000000", organisationId: "00000000-0000-4000-8000-000000000000") { ok } }',
    ];
    for (const m of mutations) {
      const res = await graphql(hub.url, m);
      expect(res.status).toBeLessThan(500);
      expect(res.body.errors?.[0]).toMatchObject({ message: 'サインインが必要です。', extensions: { code: 'UNAUTHENTICATED' } });
    }
  });
});
