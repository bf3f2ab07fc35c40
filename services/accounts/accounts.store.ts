/**
 * The only module that touches Prisma for accounts, sessions, invitations and the audit log.
 */
import type { Prisma, PrismaClient, Account, AccountMembership, Invitation, Session, AuditEvent } from '../../generated/prisma/client';
import type { AuditOutcome, Role } from '../../generated/prisma/enums';
import type { EventPayload, EventType } from '../notifications/events';
import { publishEvent } from '../notifications/outbox';
import { cancelScheduledNotice, scheduleNotice } from '../notifications/scheduling';

export const invitationReminderKey = (invitationId: string) => `invitation-expiring:${invitationId}`;

export type AccountRow = Account;
export type MembershipRow = AccountMembership;
export type InvitationRow = Invitation;
export type SessionRow = Session;
export type AuditRow = AuditEvent;

export interface AuditInput {
  actorAccountId: string | null;
  actingOrganisationId: string | null;
  action: string;
  outcome: AuditOutcome;
  targetType?: string | null;
  targetId?: string | null;
  subject?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  details?: Prisma.InputJsonValue;
}

export interface AuditQuery {
  action?: string;
  outcome?: AuditOutcome;
  organisationId?: string;
  from?: Date;
  to?: Date;
}

export class AccountsStore {
  constructor(private readonly prisma: PrismaClient) {}

  accountByEmail(email: string): Promise<AccountRow | null> {
    return this.prisma.account.findUnique({ where: { email } });
  }

  accountsByIds(ids: readonly string[]): Promise<AccountRow[]> {
    return this.prisma.account.findMany({ where: { id: { in: [...ids] } } });
  }

  createAccount(data: { email: string; displayName: string; passwordHash: string; personId?: string | null; demo?: boolean }): Promise<AccountRow> {
    return this.prisma.account.create({ data });
  }

  updateAccount(id: string, data: Prisma.AccountUpdateInput): Promise<AccountRow> {
    return this.prisma.account.update({ where: { id }, data });
  }

  membershipsOf(accountId: string): Promise<MembershipRow[]> {
    return this.prisma.accountMembership.findMany({ where: { accountId }, orderBy: { createdAt: 'asc' } });
  }

  membership(accountId: string, organisationId: string): Promise<MembershipRow | null> {
    return this.prisma.accountMembership.findUnique({ where: { accountId_organisationId: { accountId, organisationId } } });
  }

  upsertMembership(accountId: string, organisationId: string, roles: Role[]): Promise<MembershipRow> {
    return this.prisma.accountMembership.upsert({
      where: { accountId_organisationId: { accountId, organisationId } },
      create: { accountId, organisationId, roles },
      update: { roles },
    });
  }

  deleteMembership(accountId: string, organisationId: string): Promise<unknown> {
    return this.prisma.accountMembership.delete({ where: { accountId_organisationId: { accountId, organisationId } } });
  }

  /** Holders of a role in a body, or (organisationId null) across the hub. Raw SQL: PGlite's adapter cannot bind enum-array filters. */
  async countRoleHolders(role: Role, organisationId: string | null): Promise<number> {
    const rows = organisationId
      ? await this.prisma.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM "AccountMembership" WHERE "organisationId" = ${organisationId}::uuid AND ${role}::"Role" = ANY(roles)`
      : await this.prisma.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM "AccountMembership" WHERE ${role}::"Role" = ANY(roles)`;
    return rows[0]?.n ?? 0;
  }

  /** Serialises sign-in attempts per key (account, address) until the transaction ends. */
  async lockForSignIn(keys: string[]): Promise<void> {
    for (const key of keys) await this.prisma.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
  }

  /** Withdraws a person's open invitations in a body, and their expiry reminders. */
  async revokeInvitationsBy(invitedById: string, organisationId: string, at: Date): Promise<{ count: number }> {
    const open = await this.prisma.invitation.findMany({ where: { invitedById, organisationId, acceptedAt: null, revokedAt: null }, select: { id: true } });
    for (const inv of open) await cancelScheduledNotice(this.prisma, invitationReminderKey(inv.id));
    return this.prisma.invitation.updateMany({ where: { id: { in: open.map((i) => i.id) }, acceptedAt: null, revokedAt: null }, data: { revokedAt: at } });
  }

  async staffOf(organisationId: string, take: number, afterAccountId?: string): Promise<{ rows: Array<MembershipRow & { account: AccountRow }>; hasNextPage: boolean; totalCount: number }> {
    const where = { organisationId };
    const [rows, totalCount] = await Promise.all([
      this.prisma.accountMembership.findMany({
        where,
        include: { account: true },
        orderBy: [{ accountId: 'asc' }],
        take: take + 1,
        ...(afterAccountId ? { cursor: { accountId_organisationId: { accountId: afterAccountId, organisationId } }, skip: 1 } : {}),
      }),
      this.prisma.accountMembership.count({ where }),
    ]);
    return { rows: rows.slice(0, take), hasNextPage: rows.length > take, totalCount };
  }

  createSession(data: { id: string; accountId: string; activeOrganisationId: string; expiresAt: Date; ip: string | null; userAgent: string | null }): Promise<SessionRow> {
    return this.prisma.session.create({ data });
  }

  sessionById(id: string): Promise<(SessionRow & { account: AccountRow }) | null> {
    return this.prisma.session.findUnique({ where: { id }, include: { account: true } });
  }

  touchSession(id: string, lastSeenAt: Date): Promise<unknown> {
    return this.prisma.session.update({ where: { id }, data: { lastSeenAt } });
  }

  setSessionOrganisation(id: string, organisationId: string): Promise<unknown> {
    return this.prisma.session.update({ where: { id }, data: { activeOrganisationId: organisationId } });
  }

  revokeSession(id: string, at: Date): Promise<unknown> {
    return this.prisma.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
  }

  revokeSessionsActingFor(accountId: string, organisationId: string, at: Date): Promise<unknown> {
    return this.prisma.session.updateMany({ where: { accountId, activeOrganisationId: organisationId, revokedAt: null }, data: { revokedAt: at } });
  }

  createInvitation(data: { tokenHash: string; organisationId: string; email: string; roles: Role[]; invitedById: string; expiresAt: Date }): Promise<InvitationRow> {
    return this.prisma.invitation.create({ data });
  }

  invitationByTokenHash(tokenHash: string): Promise<InvitationRow | null> {
    return this.prisma.invitation.findUnique({ where: { tokenHash } });
  }

  invitationById(id: string): Promise<InvitationRow | null> {
    return this.prisma.invitation.findUnique({ where: { id } });
  }

  invitationsOf(organisationId: string): Promise<InvitationRow[]> {
    return this.prisma.invitation.findMany({ where: { organisationId }, orderBy: { createdAt: 'desc' }, take: 200 });
  }

  async revokeInvitation(id: string, at: Date): Promise<{ count: number }> {
    await cancelScheduledNotice(this.prisma, invitationReminderKey(id));
    return this.prisma.invitation.updateMany({ where: { id, acceptedAt: null, revokedAt: null }, data: { revokedAt: at } });
  }

  /**
   * Marks an invitation accepted only if it still is open: the single-use guarantee holds even when
   * two people press the button at once (the second update matches nothing).
   */
  async claimInvitation(id: string, at: Date): Promise<{ count: number }> {
    const claimed = await this.prisma.invitation.updateMany({ where: { id, acceptedAt: null, revokedAt: null, expiresAt: { gt: at } }, data: { acceptedAt: at } });
    if (claimed.count === 1) await cancelScheduledNotice(this.prisma, invitationReminderKey(id));
    return claimed;
  }

  /** Reminds the inviter a day before an unaccepted invitation expires (cancelled on accept or revoke). */
  remindBeforeExpiry(invitation: InvitationRow, organisationName: string, remindAt: Date): Promise<void> {
    return scheduleNotice(this.prisma, {
      key: invitationReminderKey(invitation.id),
      dueAt: remindAt,
      type: 'accounts.invitation_expiring',
      payload: { invitationId: invitation.id, inviterAccountId: invitation.invitedById, organisationId: invitation.organisationId, organisationName, email: invitation.email, expiresAt: invitation.expiresAt.toISOString() },
    });
  }

  /** Writes a notification event in this store's transaction (the transactional outbox). */
  publish<T extends EventType>(type: T, payload: EventPayload<T>): Promise<string> {
    return publishEvent(this.prisma, type, payload);
  }

  // TODO(directory): read the name through the graph once notices render on delivery.
  async organisationName(id: string): Promise<string | null> {
    const rows = await this.prisma.$queryRaw<Array<{ nameJa: string }>>`SELECT "nameJa" FROM "Organisation" WHERE id = ${id}::uuid`;
    return rows[0]?.nameJa ?? null;
  }

  transaction<T>(fn: (store: AccountsStore) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => fn(new AccountsStore(tx as unknown as PrismaClient)));
  }

  audit(event: AuditInput): Promise<unknown> {
    return this.prisma.auditEvent.create({ data: { ...event, details: event.details } });
  }

  countAudit(where: { action: string; outcome: AuditOutcome; subject?: string; ip?: string; since: Date }): Promise<number> {
    // (indexed: action, subject|ip, at)
    return this.prisma.auditEvent.count({
      where: { action: where.action, outcome: where.outcome, at: { gte: where.since }, ...(where.subject ? { subject: where.subject } : {}), ...(where.ip ? { ip: where.ip } : {}) },
    });
  }

  private auditWhere(q: AuditQuery): Prisma.AuditEventWhereInput {
    return {
      ...(q.action ? { action: q.action } : {}),
      ...(q.outcome ? { outcome: q.outcome } : {}),
      ...(q.organisationId ? { actingOrganisationId: q.organisationId } : {}),
      ...(q.from || q.to ? { at: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } : {}),
    };
  }

  async auditEvents(q: AuditQuery, take: number, beforeId?: bigint): Promise<{ rows: AuditRow[]; hasNextPage: boolean; totalCount: number }> {
    const where = this.auditWhere(q);
    const [rows, totalCount] = await Promise.all([
      this.prisma.auditEvent.findMany({ where: { ...where, ...(beforeId ? { id: { lt: beforeId } } : {}) }, orderBy: { id: 'desc' }, take: take + 1 }),
      this.prisma.auditEvent.count({ where }),
    ]);
    return { rows: rows.slice(0, take), hasNextPage: rows.length > take, totalCount };
  }

  /** Streams the whole filtered log in pages (for CSV export). */
  async *auditEventsAll(q: AuditQuery, pageSize = 1000): AsyncGenerator<AuditRow> {
    let beforeId: bigint | undefined;
    for (;;) {
      const rows = await this.prisma.auditEvent.findMany({ where: { ...this.auditWhere(q), ...(beforeId ? { id: { lt: beforeId } } : {}) }, orderBy: { id: 'desc' }, take: pageSize });
      yield* rows;
      if (rows.length < pageSize) return;
      beforeId = rows[rows.length - 1].id;
    }
  }
}
