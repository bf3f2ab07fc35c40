/**
 * Notifications through the gateway's public API, as the web app uses them: a change in Accounts
 * reaches the person's inbox; only they can read and mark it; preferences persist; a body's admins
 * manage only their body's webhooks (the secret is shown once); failed jobs are for hub admins;
 * /readyz reports whether notices flow; an invitation schedules its reminder and revoking cancels it.
 */
import type { RunningHub } from '../gateway/hub';
import { AccountsStore } from '../services/accounts/accounts.store';
import { hashPassword } from '../services/accounts/credentials';
import { DEMO_PASSWORD, graphql, signIn, startTestHub } from './support/hub';

let hub: RunningHub;
let orgId: string;
let adminCookie: string;
let staffCookie: string;
let staffId: string;
let peerCookie: string;
const ADMIN = 'notify-admin@test.example.jp';
const STAFF = 'notify-staff@test.example.jp';
const PEER = 'notify-peer@test.example.jp';

beforeAll(async () => {
  hub = await startTestHub();
  const store = new AccountsStore(hub.database.prisma);
  // A body of this file's own, so changing roles here disturbs no other test file.
  const org = await hub.database.prisma.organisation.findFirstOrThrow({ where: { slug: 'niigata-smeca' } });
  orgId = org.id;
  const make = async (email: string, roles: Array<'ORG_ADMIN' | 'SUPPORTER'>) => {
    const account = await store.createAccount({ email, displayName: email.split('@')[0], passwordHash: await hashPassword(DEMO_PASSWORD) });
    await store.upsertMembership(account.id, orgId, roles);
    return account.id;
  };
  await make(ADMIN, ['ORG_ADMIN', 'SUPPORTER']);
  staffId = await make(STAFF, ['SUPPORTER']);
  await make(PEER, ['SUPPORTER']);
  adminCookie = (await signIn(hub.url, ADMIN)).cookie;
  staffCookie = (await signIn(hub.url, STAFF)).cookie;
  peerCookie = (await signIn(hub.url, PEER)).cookie;
});
afterAll(async () => {
  await hub?.stop();
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} not met within ${timeoutMs} ms`);
}

const unread = async (cookie: string) => (await graphql<{ unreadNotificationCount: number }>(hub.url, '{ unreadNotificationCount }', {}, { cookie })).body.data!.unreadNotificationCount;

describe('the inbox', () => {
  let noticeId: string;

  test('a roles change made by the admin reaches the staff member’s inbox, unread, in Japanese', async () => {
    const res = await graphql<{ setStaffRoles: { ok: boolean } }>(
      hub.url,
      'mutation($i: SetStaffRolesInput!) { setStaffRoles(input: $i) { ok error { code } } }',
      { i: { accountId: staffId, organisationId: orgId, roles: ['SUPPORTER', 'TEAM_LEAD'] } },
      { cookie: adminCookie },
    );
    expect(res.body.data!.setStaffRoles.ok).toBe(true);
    await waitFor(async () => (await unread(staffCookie)) === 1, 20_000, 'unread count 1');
    const list = await graphql<{ notifications: { nodes: Array<{ id: string; type: string; titleJa: string; bodyJa: string; read: boolean }>; pageInfo: { hasNextPage: boolean } } }>(
      hub.url,
      '{ notifications(first: 10) { nodes { id type titleJa bodyJa read } pageInfo { hasNextPage } } }',
      {},
      { cookie: staffCookie },
    );
    const [notice] = list.body.data!.notifications.nodes;
    expect(notice).toMatchObject({ type: 'accounts.roles_changed', read: false, bodyJa: '現在の役割: 支援担当者、チームリーダー' });
    expect(notice.titleJa).toMatch(/での役割が変更されました$/);
    noticeId = notice.id;
    // Nobody else sees it or can mark it.
    expect(await unread(peerCookie)).toBe(0);
    const other = await graphql<{ markNotificationRead: { ok: boolean; error: { code: string; message: string } } }>(
      hub.url,
      'mutation($id: ID!) { markNotificationRead(id: $id) { ok error { code message } } }',
      { id: noticeId },
      { cookie: peerCookie },
    );
    expect(other.body.data!.markNotificationRead).toMatchObject({ ok: false, error: { code: 'notifications/not_found', message: '見つかりません。' } });
    expect(await unread(staffCookie)).toBe(1);
  });

  test('marking it read clears the count; unreadOnly then lists nothing', async () => {
    const res = await graphql<{ markNotificationRead: { ok: boolean; notification: { read: boolean } } }>(
      hub.url,
      'mutation($id: ID!) { markNotificationRead(id: $id) { ok notification { read } } }',
      { id: noticeId },
      { cookie: staffCookie },
    );
    expect(res.body.data!.markNotificationRead).toEqual({ ok: true, notification: { read: true } });
    expect(await unread(staffCookie)).toBe(0);
    const list = await graphql<{ notifications: { nodes: unknown[] } }>(hub.url, '{ notifications(unreadOnly: true) { nodes { id } } }', {}, { cookie: staffCookie });
    expect(list.body.data!.notifications.nodes).toEqual([]);
  });

  test('anonymous callers get a zero count and no inbox', async () => {
    expect(await unread('')).toBe(0);
    const res = await graphql(hub.url, '{ notifications { nodes { id } } }');
    expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('preferences', () => {
  test('a person turns email off for one kind of notice and chooses the daily digest; it persists', async () => {
    const save = await graphql<{ updateNotificationPreferences: { ok: boolean; preferences: { emailMode: string; events: Array<{ eventType: string; inApp: boolean; email: boolean }> } } }>(
      hub.url,
      'mutation($i: NotificationPreferencesInput!) { updateNotificationPreferences(input: $i) { ok preferences { emailMode events { eventType inApp email } } } }',
      { i: { emailMode: 'DAILY_DIGEST', events: [{ eventType: 'accounts.staff_removed', inApp: true, email: false }] } },
      { cookie: peerCookie },
    );
    expect(save.body.data!.updateNotificationPreferences.ok).toBe(true);
    const read = await graphql<{ notificationPreferences: { emailAddress: string; emailMode: string; events: Array<{ eventType: string; labelJa: string; email: boolean }> } }>(
      hub.url,
      '{ notificationPreferences { emailAddress emailMode events { eventType labelJa email } } }',
      {},
      { cookie: peerCookie },
    );
    const prefs = read.body.data!.notificationPreferences;
    expect(prefs.emailAddress).toBe(PEER);
    expect(prefs.emailMode).toBe('DAILY_DIGEST');
    expect(prefs.events.find((e) => e.eventType === 'accounts.staff_removed')).toMatchObject({ email: false, labelJa: '組織のスタッフから外されたとき' });
    expect(prefs.events.find((e) => e.eventType === 'accounts.roles_changed')).toMatchObject({ email: true });
    // Another person's preferences are untouched.
    const staff = await graphql<{ notificationPreferences: { emailMode: string } }>(hub.url, '{ notificationPreferences { emailMode } }', {}, { cookie: staffCookie });
    expect(staff.body.data!.notificationPreferences.emailMode).toBe('IMMEDIATE');
  });

  test('an unknown event type is refused with a Japanese message and nothing is saved', async () => {
    const res = await graphql<{ updateNotificationPreferences: { ok: boolean; error: { code: string; message: string } } }>(
      hub.url,
      'mutation($i: NotificationPreferencesInput!) { updateNotificationPreferences(input: $i) { ok error { code message } } }',
      { i: { emailMode: 'IMMEDIATE', events: [{ eventType: 'nope.nothing', inApp: false, email: false }] } },
      { cookie: peerCookie },
    );
    expect(res.body.data!.updateNotificationPreferences).toMatchObject({ ok: false, error: { code: 'notifications/unknown_event_type_choice', message: '通知の種類「nope.nothing」はありません。' } });
    const read = await graphql<{ notificationPreferences: { emailMode: string } }>(hub.url, '{ notificationPreferences { emailMode } }', {}, { cookie: peerCookie });
    expect(read.body.data!.notificationPreferences.emailMode).toBe('DAILY_DIGEST');
  });
});

describe('webhooks', () => {
  const CREATE = 'mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { ok secret endpoint { id url eventTypes active } error { code message field } } }';

  test('an organisation admin registers an endpoint for their body; the secret is shown once', async () => {
    const res = await graphql<{ createWebhookEndpoint: { ok: boolean; secret: string; endpoint: { id: string; url: string } } }>(
      hub.url,
      CREATE,
      { i: { organisationId: orgId, url: 'https://crm.example.jp/banso', description: '顧客管理', eventTypes: ['accounts.roles_changed'] } },
      { cookie: adminCookie },
    );
    const created = res.body.data!.createWebhookEndpoint;
    expect(created.ok).toBe(true);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    const list = await graphql<{ webhookEndpoints: Array<{ id: string; url: string; deliveries: unknown[] }> }>(
      hub.url,
      'query($o: ID!) { webhookEndpoints(organisationId: $o) { id url deliveries { id } } }',
      { o: orgId },
      { cookie: adminCookie },
    );
    expect(list.body.data!.webhookEndpoints.map((e) => e.url)).toContain('https://crm.example.jp/banso');
    // Stored encrypted: the secret is nowhere in the row.
    const row = await hub.database.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: created.endpoint.id } });
    expect(row.secretCiphertext).not.toContain(created.secret.slice(6));
  });

  test('bad input: a URL that is not http(s) and an unknown event type are refused with messages for the form', async () => {
    const bad = await graphql<{ createWebhookEndpoint: { ok: boolean; error: { code: string; message: string; field: string } } }>(
      hub.url,
      CREATE,
      { i: { organisationId: orgId, url: 'javascript:alert(1)' } },
      { cookie: adminCookie },
    );
    expect(bad.body.data!.createWebhookEndpoint).toMatchObject({ ok: false, error: { code: 'notifications/invalid_webhook_url', field: 'url' } });
    expect(bad.body.data!.createWebhookEndpoint.error.message).toMatch(/URL/);
    const unknown = await graphql<{ createWebhookEndpoint: { ok: boolean; error: { code: string } } }>(
      hub.url,
      CREATE,
      { i: { organisationId: orgId, url: 'https://crm.example.jp/x', eventTypes: ['made.up'] } },
      { cookie: adminCookie },
    );
    expect(unknown.body.data!.createWebhookEndpoint).toMatchObject({ ok: false, error: { code: 'notifications/unknown_event_type_choice' } });
  });

  test('another body’s admin and a supporter cannot list, add or delete this body’s endpoints, even by id', async () => {
    const otherAdmin = (await signIn(hub.url, 'admin@echigo-shinkin.example.jp')).cookie;
    const list = await graphql(hub.url, 'query($o: ID!) { webhookEndpoints(organisationId: $o) { id } }', { o: orgId }, { cookie: otherAdmin });
    expect(list.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const add = await graphql(hub.url, CREATE, { i: { organisationId: orgId, url: 'https://evil.example.com/' } }, { cookie: otherAdmin });
    expect(add.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const supporter = await graphql(hub.url, CREATE, { i: { organisationId: orgId, url: 'https://crm.example.jp/y' } }, { cookie: staffCookie });
    expect(supporter.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const [endpoint] = await hub.database.prisma.webhookEndpoint.findMany({ where: { organisationId: orgId } });
    const del = await graphql(hub.url, 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { ok } }', { id: endpoint.id }, { cookie: otherAdmin });
    expect(del.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await hub.database.prisma.webhookEndpoint.count({ where: { id: endpoint.id } })).toBe(1);
    const denied = await hub.database.prisma.auditEvent.count({ where: { action: 'access.denied', targetId: endpoint.id } });
    expect(denied).toBe(1);
  });

  test('pausing, rotating and deleting are audited; rotation returns a new secret', async () => {
    const [endpoint] = await hub.database.prisma.webhookEndpoint.findMany({ where: { organisationId: orgId } });
    const pause = await graphql<{ updateWebhookEndpoint: { ok: boolean; endpoint: { active: boolean } } }>(
      hub.url,
      'mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { ok endpoint { active } } }',
      { i: { id: endpoint.id, active: false } },
      { cookie: adminCookie },
    );
    expect(pause.body.data!.updateWebhookEndpoint).toEqual({ ok: true, endpoint: { active: false } });
    const rotate = await graphql<{ rotateWebhookSecret: { ok: boolean; secret: string } }>(hub.url, 'mutation($id: ID!) { rotateWebhookSecret(id: $id) { ok secret } }', { id: endpoint.id }, { cookie: adminCookie });
    expect(rotate.body.data!.rotateWebhookSecret.secret).toMatch(/^whsec_/);
    const del = await graphql<{ deleteWebhookEndpoint: { ok: boolean } }>(hub.url, 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { ok } }', { id: endpoint.id }, { cookie: adminCookie });
    expect(del.body.data!.deleteWebhookEndpoint.ok).toBe(true);
    const actions = (await hub.database.prisma.auditEvent.findMany({ where: { targetId: endpoint.id, outcome: 'SUCCESS' }, orderBy: { at: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['webhook.create', 'webhook.update', 'webhook.rotate_secret', 'webhook.delete']);
  });
});

describe('operations', () => {
  test('failed jobs are listed for hub admins only', async () => {
    const hubAdmin = (await signIn(hub.url, 'hub-admin@banso.example.jp')).cookie;
    const ok = await graphql<{ failedNotificationJobs: unknown[] }>(hub.url, '{ failedNotificationJobs { queue id name failedReason } }', {}, { cookie: hubAdmin });
    expect(ok.body.errors).toBeUndefined();
    expect(Array.isArray(ok.body.data!.failedNotificationJobs)).toBe(true);
    const no = await graphql(hub.url, '{ failedNotificationJobs { id } }', {}, { cookie: adminCookie });
    expect(no.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  test('/readyz and the API say whether notices flow', async () => {
    await waitFor(async () => ((await (await fetch(new URL('readyz', hub.url))).json()) as { notifications: string }).notifications === 'ok', 15_000, 'readyz ok');
    const res = await graphql<{ notificationPipeline: { status: string; waitingEvents: number } }>(hub.url, '{ notificationPipeline { status waitingEvents } }');
    expect(res.body.data!.notificationPipeline.status).toBe('OK');
  });

  test('an invitation schedules a reminder for the day before it expires; revoking it cancels the reminder', async () => {
    const invite = await graphql<{ inviteStaff: { ok: boolean; invitation: { id: string; expiresAt: string } } }>(
      hub.url,
      'mutation($i: InviteStaffInput!) { inviteStaff(input: $i) { ok invitation { id expiresAt } } }',
      { i: { organisationId: orgId, email: 'reminder-me@test.example.jp', roles: ['SUPPORTER'] } },
      { cookie: adminCookie },
    );
    const { id, expiresAt } = invite.body.data!.inviteStaff.invitation;
    const reminder = await hub.database.prisma.scheduledNotice.findUniqueOrThrow({ where: { key: `invitation-expiring:${id}` } });
    expect(new Date(expiresAt).getTime() - reminder.dueAt.getTime()).toBe(24 * 3600_000);
    expect(reminder.cancelledAt).toBeNull();
    await graphql(hub.url, 'mutation($id: ID!) { revokeInvitation(id: $id) { ok } }', { id }, { cookie: adminCookie });
    const after = await hub.database.prisma.scheduledNotice.findUniqueOrThrow({ where: { key: `invitation-expiring:${id}` } });
    expect(after.cancelledAt).not.toBeNull();
  });
});
