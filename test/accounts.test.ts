/**
 * Signing in and out, sessions, invitations and the audit log, through the gateway's public endpoints.
 */
import type { RunningHub } from '../gateway/hub';
import { AccountsStore } from '../services/accounts/accounts.store';
import { AuthManager, DEFAULT_AUTH_SETTINGS } from '../services/accounts/auth.manager';
import { hashPassword } from '../services/accounts/credentials';
import { DEMO_PASSWORD, graphql, signIn, startTestHub } from './support/hub';

let hub: RunningHub;
/** Accounts of this file alone: locking them out must not disturb other test files running in parallel. */
const LOCKOUT = { single: 'lockout-single@test.example.jp', parallel: 'lockout-parallel@test.example.jp' };
beforeAll(async () => {
  hub = await startTestHub();
  const store = new AccountsStore(hub.database.prisma);
  const org = await hub.database.prisma.organisation.findFirstOrThrow({ where: { slug: 'niigata-yorozu' } });
  for (const email of Object.values(LOCKOUT)) {
    const account = await store.createAccount({ email, displayName: email, passwordHash: await hashPassword(DEMO_PASSWORD) });
    await store.upsertMembership(account.id, org.id, ['SUPPORTER']);
  }
});
afterAll(async () => {
  await hub?.stop();
});

type AuthAnswer = { ok: boolean; error: { code: string; message: string; field?: string | null } };
const json = async (res: Response) => (await res.json()) as AuthAnswer;

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(new URL(path, hub.url), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function auditFor(cookie: string, action: string) {
  const res = await graphql<{ auditEvents: { nodes: Array<{ action: string; outcome: string; subject: string | null; ip: string | null; details: string | null; actor: { email: string } | null }> } }>(
    hub.url,
    'query($a: String) { auditEvents(filter: { action: $a }, first: 100) { nodes { action outcome subject ip details actor { email } } } }',
    { a: action },
    { cookie },
  );
  return res.body.data!.auditEvents.nodes;
}

describe('signing in', () => {
  test('a correct password gives an HttpOnly, SameSite=Strict session cookie and a viewer acting for the body', async () => {
    const res = await post('auth/sign-in', { email: 'Admin@Yorozu-Niigata.example.jp ', password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^banso_session=[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const viewer = await graphql<{ viewer: { account: { email: string }; roles: string[]; activeOrganisation: { nameJa: string }; memberships: unknown[]; permissions: string[] } }>(
      hub.url,
      '{ viewer { account { email } roles activeOrganisation { nameJa } memberships { roles } permissions } }',
      {},
      { cookie: setCookie.split(';')[0] },
    );
    expect(viewer.body.data!.viewer).toMatchObject({
      account: { email: 'admin@yorozu-niigata.example.jp' },
      roles: ['ORG_ADMIN', 'SUPPORTER'],
      activeOrganisation: { nameJa: '新潟県よろず支援拠点' },
    });
    expect(viewer.body.data!.viewer.memberships).toHaveLength(2);
    expect(viewer.body.data!.viewer.permissions).toEqual(expect.arrayContaining(['accounts.staff.invite', 'directory.people.read']));
    expect(viewer.body.data!.viewer.permissions).not.toContain('audit.read');
  });

  test('a wrong password and an unknown account get the same answer, and both are audited', async () => {
    const wrong = await post('auth/sign-in', { email: 'staff@echigo-shinkin.example.jp', password: 'not-the-password-1' });
    const unknown = await post('auth/sign-in', { email: 'nobody@echigo-shinkin.example.jp', password: 'not-the-password-1' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await wrong.json(), await unknown.json()];
    expect(a).toEqual(b);
    expect(a).toEqual({ ok: false, error: expect.objectContaining({ code: 'accounts/invalid_credentials', message: 'メールアドレスまたはパスワードが正しくありません。' }) });
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const admin = await signIn(hub.url, 'hub-admin@banso.example.jp');
    const events = await auditFor(admin.cookie, 'auth.sign_in');
    expect(events.find((e) => e.subject === 'staff@echigo-shinkin.example.jp' && e.outcome === 'FAILURE')).toBeDefined();
    expect(events.find((e) => e.subject === 'nobody@echigo-shinkin.example.jp' && e.outcome === 'FAILURE')).toBeDefined();
    expect(events.find((e) => e.actor?.email === 'hub-admin@banso.example.jp' && e.outcome === 'SUCCESS')?.ip).toBeTruthy();
  });

  test('repeated failures for one account are refused for a while, even with the right password', async () => {
    const email = LOCKOUT.single;
    for (let i = 0; i < 5; i += 1) expect((await post('auth/sign-in', { email, password: `wrong-password-${i}` })).status).toBe(401);
    const limited = await post('auth/sign-in', { email, password: DEMO_PASSWORD });
    expect(limited.status).toBe(429);
    expect((await json(limited)).error.code).toBe('accounts/rate_limited');
  });

  test('sign-in must be JSON from the hub itself (CSRF)', async () => {
    const form = await fetch(new URL('auth/sign-in', hub.url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a&password=b' });
    expect(form.status).toBe(415);
    const crossSite = await post('auth/sign-in', { email: 'lead@smrj-kanto.example.jp', password: DEMO_PASSWORD }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const session = await signIn(hub.url, 'lead@smrj-kanto.example.jp');
    const crossSiteGraphql = await fetch(new URL('graphql', hub.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', cookie: session.cookie },
      body: JSON.stringify({ query: 'mutation { removeStaff(accountId: "00000000-0000-4000-8000-000000000000", organisationId: "00000000-0000-4000-8000-000000000000") { ok } }' }),
    });
    expect(crossSiteGraphql.status).toBe(403);
  });

  test('signing out ends the session on the server', async () => {
    const session = await signIn(hub.url, 'lead@smrj-kanto.example.jp');
    expect((await graphql<{ viewer: unknown }>(hub.url, '{ viewer { roles } }', {}, session)).body.data!.viewer).not.toBeNull();
    const out = await post('auth/sign-out', {}, session);
    expect(out.status).toBe(204);
    expect((await graphql<{ viewer: unknown }>(hub.url, '{ viewer { roles } }', {}, session)).body.data!.viewer).toBeNull();
  });

  test('a session idle for longer than the limit ends', async () => {
    const base = Date.now();
    let now = base;
    const auth = new AuthManager(new AccountsStore(hub.database.prisma), { ...DEFAULT_AUTH_SETTINGS, idleTimeoutMs: 30 * 60_000 }, () => new Date(now));
    const client = { ip: '127.0.0.9', userAgent: 'jest' };
    const { token } = await auth.signIn({ email: 'staff@yorozu-niigata.example.jp', password: DEMO_PASSWORD }, client);
    now = base + 29 * 60_000;
    expect(await auth.resolveSession(token, client, 'r1')).not.toBeNull();
    now = base + 29 * 60_000 + 31 * 60_000;
    expect(await auth.resolveSession(token, client, 'r2')).toBeNull();
    now = base + 29 * 60_000 + 32 * 60_000;
    expect(await auth.resolveSession(token, client, 'r3')).toBeNull();
  });
});

describe('invitations', () => {
  test('an organisation admin invites a person, who accepts once with a strong password and is signed in as staff', async () => {
    const admin = await signIn(hub.url, 'admin@echigo-shinkin.example.jp');
    const me = await graphql<{ viewer: { activeOrganisation: { id: string } } }>(hub.url, '{ viewer { activeOrganisation { id } } }', {}, admin);
    const orgId = me.body.data!.viewer.activeOrganisation.id;
    const invited = await graphql<{ inviteStaff: { ok: boolean; link: string; invitation: { status: string; email: string } } }>(
      hub.url,
      'mutation($o: ID!) { inviteStaff(input: { organisationId: $o, email: "Sato.New@Echigo.example.jp", roles: [SUPPORTER, TEAM_LEAD] }) { ok link invitation { status email } } }',
      { o: orgId },
      admin,
    );
    expect(invited.body.data!.inviteStaff).toMatchObject({ ok: true, invitation: { status: 'PENDING', email: 'sato.new@echigo.example.jp' } });
    const token = invited.body.data!.inviteStaff.link.split('/invitations/')[1];

    const preview = await graphql<{ invitationPreview: { email: string; roles: string[]; organisation: { nameJa: string } } }>(
      hub.url,
      'query($t: String!) { invitationPreview(token: $t) { email roles organisation { nameJa } } }',
      { t: token },
    );
    expect(preview.body.data!.invitationPreview).toEqual({ email: 'sato.new@echigo.example.jp', roles: ['SUPPORTER', 'TEAM_LEAD'], organisation: { nameJa: '越後中央信用金庫' } });

    const weak = await post('auth/accept-invitation', { token, displayName: '佐藤 新', password: 'short' });
    expect(weak.status).toBe(400);
    expect((await json(weak)).error).toMatchObject({ code: 'accounts/weak_password', field: 'password' });

    const accepted = await post('auth/accept-invitation', { token, displayName: '佐藤 新', password: 'kakeibo-to-kaizen-2026' });
    expect(accepted.status).toBe(200);
    const cookie = accepted.headers.get('set-cookie')!.split(';')[0];
    const viewer = await graphql<{ viewer: { roles: string[]; account: { displayName: string } } }>(hub.url, '{ viewer { roles account { displayName } } }', {}, { cookie });
    expect(viewer.body.data!.viewer).toEqual({ roles: ['SUPPORTER', 'TEAM_LEAD'], account: { displayName: '佐藤 新' } });

    const reused = await post('auth/accept-invitation', { token, displayName: '誰か', password: 'another-strong-pass-99' });
    expect(reused.status).toBe(400);
    expect((await json(reused)).error.code).toBe('accounts/invitation_invalid');
    expect((await graphql<{ invitationPreview: unknown }>(hub.url, 'query($t: String!) { invitationPreview(token: $t) { email } }', { t: token })).body.data!.invitationPreview).toBeNull();

    const staff = await graphql<{ staff: { nodes: Array<{ account: { email: string }; roles: string[] }> } }>(
      hub.url,
      'query($o: ID!) { staff(organisationId: $o) { nodes { account { email } roles } } }',
      { o: orgId },
      admin,
    );
    expect(staff.body.data!.staff.nodes).toEqual(expect.arrayContaining([{ account: { email: 'sato.new@echigo.example.jp' }, roles: ['SUPPORTER', 'TEAM_LEAD'] }]));

    const hubAdmin = await signIn(hub.url, 'hub-admin@banso.example.jp');
    const accepts = await auditFor(hubAdmin.cookie, 'invitation.accept');
    expect(accepts.map((e) => e.outcome)).toEqual(expect.arrayContaining(['SUCCESS', 'FAILURE']));
    expect((await auditFor(hubAdmin.cookie, 'staff.invite')).length).toBeGreaterThan(0);
  });

  test('an invitation link past its expiry is refused and the attempt audited', async () => {
    const admin = await signIn(hub.url, 'admin@yorozu-niigata.example.jp');
    const me = await graphql<{ viewer: { activeOrganisation: { id: string } } }>(hub.url, '{ viewer { activeOrganisation { id } } }', {}, admin);
    const invited = await graphql<{ inviteStaff: { link: string } }>(
      hub.url,
      'mutation($o: ID!) { inviteStaff(input: { organisationId: $o, email: "late.comer@example.jp", roles: [SUPPORTER] }) { link } }',
      { o: me.body.data!.viewer.activeOrganisation.id },
      admin,
    );
    const token = invited.body.data!.inviteStaff.link.split('/invitations/')[1];
    // Eight days later (invitations last seven).
    const later = new AuthManager(new AccountsStore(hub.database.prisma), DEFAULT_AUTH_SETTINGS, () => new Date(Date.now() + 8 * 24 * 60 * 60_000));
    await expect(later.acceptInvitation({ token, displayName: '遅刻 太郎', password: 'kakeibo-to-kaizen-2026' }, { ip: '127.0.0.8', userAgent: 'jest' })).rejects.toMatchObject({
      code: 'accounts/invitation_invalid',
    });
    const hubAdmin = await signIn(hub.url, 'hub-admin@banso.example.jp');
    expect((await auditFor(hubAdmin.cookie, 'invitation.accept')).some((e) => e.outcome === 'FAILURE' && (e.details ?? '').includes('expired'))).toBe(true);
  });

  test('an unknown invitation link is refused with the same message as a used one', async () => {
    const res = await post('auth/accept-invitation', { token: 'made-up-token', displayName: 'x', password: 'kakeibo-to-kaizen-2026' });
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('accounts/invitation_invalid');
  });
});

describe('the audit log', () => {
  test('exports as CSV that Excel opens in Japanese (UTF-8 with BOM), and the export is itself audited', async () => {
    const admin = await signIn(hub.url, 'hub-admin@banso.example.jp');
    const res = await fetch(new URL('admin/audit.csv?action=auth.sign_in', hub.url), { headers: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const [header, ...rows] = text.trimEnd().split('\r\n');
    expect(header).toContain('"日時 (JST)"');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.includes('"auth.sign_in"'))).toBe(true);
    expect((await auditFor(admin.cookie, 'audit.export')).length).toBeGreaterThan(0);
  });

  test('an export with malformed filters is refused with a 400 before anything is sent', async () => {
    const admin = await signIn(hub.url, 'hub-admin@banso.example.jp');
    for (const query of ['outcome=BOGUS', 'action=a&action=b', 'from=not-a-date']) {
      const res = await fetch(new URL(`admin/audit.csv?${query}`, hub.url), { headers: admin });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    }
  });

  test('cannot be changed or deleted, even by the database user', async () => {
    await expect(hub.database.prisma.$executeRawUnsafe('UPDATE "AuditEvent" SET action = \'x\'')).rejects.toThrow(/append-only/);
    await expect(hub.database.prisma.$executeRawUnsafe('DELETE FROM "AuditEvent"')).rejects.toThrow(/append-only/);
    await expect(hub.database.prisma.$executeRawUnsafe('TRUNCATE "AuditEvent"')).rejects.toThrow(/append-only/);
  });
});

describe('hardening found in review', () => {
  const gql = <T>(q: string, v: Record<string, unknown>, h: { cookie: string }) => graphql<T>(hub.url, q, v, h);
  const orgOf = async (h: { cookie: string }) =>
    (await gql<{ viewer: { activeOrganisation: { id: string } } }>('{ viewer { activeOrganisation { id } } }', {}, h)).body.data!.viewer.activeOrganisation.id;
  const invite = async (h: { cookie: string }, orgId: string, email: string, roles: string[]) =>
    (await gql<{ inviteStaff: { ok: boolean; link: string; error: { code: string } | null } }>(
      `mutation($o: ID!, $e: String!, $r: [Role!]!) { inviteStaff(input: { organisationId: $o, email: $e, roles: $r }) { ok link error { code } } }`,
      { o: orgId, e: email, r: roles },
      h,
    )).body.data!.inviteStaff;

  test('an invitation for an existing account never checks a password: the person must be signed in as that account', async () => {
    const shinkinAdmin = await signIn(hub.url, 'admin@echigo-shinkin.example.jp');
    const inv = await invite(shinkinAdmin, await orgOf(shinkinAdmin), 'secretariat@banso.example.jp', ['SUPPORTER']);
    const token = inv.link.split('/invitations/')[1];
    for (const password of ['guess-one-1234', DEMO_PASSWORD]) {
      const res = await post('auth/accept-invitation', { token, displayName: 'x', password });
      expect(res.status).toBe(400);
      expect((await json(res)).error.code).toBe('accounts/sign_in_first');
    }
    const secretariat = await signIn(hub.url, 'secretariat@banso.example.jp');
    const accepted = await post('auth/accept-invitation', { token, displayName: '', password: '' }, secretariat);
    expect(accepted.status).toBe(200);
  });

  test('guesses sent at the same moment are still limited to five per account', async () => {
    const email = LOCKOUT.parallel;
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post('auth/sign-in', { email, password: `parallel-guess-${i}` })));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });

  test('an organisation admin cannot remove a hub admin, and the last hub admin cannot be removed by anyone', async () => {
    const hubAdmin = await signIn(hub.url, 'hub-admin@banso.example.jp');
    const secretariatOrg = await orgOf(hubAdmin);
    const hubAdminId = (await gql<{ viewer: { account: { id: string } } }>('{ viewer { account { id } } }', {}, hubAdmin)).body.data!.viewer.account.id;
    // A new organisation admin of the secretariat's body.
    const inv = await invite(hubAdmin, secretariatOrg, 'office-admin@banso.example.jp', ['ORG_ADMIN']);
    const res = await post('auth/accept-invitation', { token: inv.link.split('/invitations/')[1], displayName: '事務局 管理者', password: 'kakeibo-to-kaizen-2026' });
    const officeAdmin = { cookie: res.headers.get('set-cookie')!.split(';')[0] };
    const removal = await gql<{ removeStaff: { ok: boolean; error: { code: string } } }>(
      'mutation($a: ID!, $o: ID!) { removeStaff(accountId: $a, organisationId: $o) { ok error { code } } }',
      { a: hubAdminId, o: secretariatOrg },
      officeAdmin,
    );
    expect(removal.body.data!.removeStaff).toEqual({ ok: false, error: { code: 'accounts/role_not_grantable' } });
    const self = await gql<{ setStaffRoles: { ok: boolean; error: { code: string } } }>(
      'mutation($a: ID!, $o: ID!) { setStaffRoles(input: { accountId: $a, organisationId: $o, roles: [SUPPORTER] }) { ok error { code } } }',
      { a: hubAdminId, o: secretariatOrg },
      hubAdmin,
    );
    expect(self.body.data!.setStaffRoles).toEqual({ ok: false, error: { code: 'accounts/last_admin' } });
  });

  test("removing an admin withdraws the invitations they sent, and the change reaches the person's notices through the outbox", async () => {
    const yorozuAdmin = await signIn(hub.url, 'admin@yorozu-niigata.example.jp');
    const orgId = await orgOf(yorozuAdmin);
    // A second admin, who then invites someone and is removed.
    const inv = await invite(yorozuAdmin, orgId, 'second-admin@yorozu.example.jp', ['ORG_ADMIN']);
    const second = await post('auth/accept-invitation', { token: inv.link.split('/invitations/')[1], displayName: '第二 管理者', password: 'kakeibo-to-kaizen-2026' });
    const secondAdmin = { cookie: second.headers.get('set-cookie')!.split(';')[0] };
    const secondId = (await gql<{ viewer: { account: { id: string } } }>('{ viewer { account { id } } }', {}, secondAdmin)).body.data!.viewer.account.id;
    const backdoor = await invite(secondAdmin, orgId, 'backdoor@evil.example', ['ORG_ADMIN']);
    expect(backdoor.ok).toBe(true);

    const removed = await gql<{ removeStaff: { ok: boolean } }>('mutation($a: ID!, $o: ID!) { removeStaff(accountId: $a, organisationId: $o) { ok } }', { a: secondId, o: orgId }, yorozuAdmin);
    expect(removed.body.data!.removeStaff.ok).toBe(true);
    const late = await post('auth/accept-invitation', { token: backdoor.link.split('/invitations/')[1], displayName: 'x', password: 'kakeibo-to-kaizen-2026' });
    expect(late.status).toBe(400);
    expect((await json(late)).error.code).toBe('accounts/invitation_invalid');

    const events = await hub.database.prisma.outboxEvent.findMany({ where: { type: 'accounts.staff_removed', payload: { path: ['accountId'], equals: secondId } } });
    expect(events).toHaveLength(1);
  });
});
