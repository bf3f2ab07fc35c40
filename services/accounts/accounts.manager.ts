/**
 * The accounts rules: who may see and change whose staff, which roles an organisation admin may
 * grant, the audit log. Every refusal is audited; no answer says whether another body's object exists.
 */
import DataLoader from 'dataloader';
import type { AuditOutcome, Role } from '../../generated/prisma/enums';
import { forbidden, unauthenticated } from '../shared/auth-errors';
import { decodeCursor, encodeCursor, isUuid, type Connection } from '../shared/pagination';
import { can, PERMISSIONS, permissionsOf, ROLES_GRANTABLE_BY_ORG_ADMIN, type Permission } from '../shared/permissions';
import type { Viewer } from '../shared/viewer';
import { accountsErrors, type AccountsError } from './accounts.errors';
import type { AccountRow, AccountsStore, AuditQuery, AuditRow, InvitationRow, MembershipRow } from './accounts.store';
import { hashToken, newToken, normaliseEmail } from './credentials';

const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;
/** The inviter is reminded this long before an unaccepted invitation expires. */
const INVITATION_REMINDER_BEFORE_MS = 24 * 60 * 60_000;
const MAX_PAGE = 100;
const ALL_ROLES: readonly Role[] = ['ORG_ADMIN', 'SUPPORTER', 'TEAM_LEAD', 'SECRETARIAT', 'OBSERVER', 'HUB_ADMIN'];

export type Result<T> = ({ ok: true; error: null } & T) | { ok: false; error: AccountsError };

export interface ViewerView {
  accountId: string;
  organisationId: string;
  roles: Role[];
  memberships: MembershipRow[];
  permissions: Permission[];
}

export interface StaffView {
  account: AccountRow;
  organisationId: string;
  roles: Role[];
}

export interface AuditFilterInput {
  action?: string | null;
  outcome?: AuditOutcome | null;
  organisationId?: string | null;
  from?: string | null;
  to?: string | null;
}

export class AccountsManager {
  private readonly accountLoader: DataLoader<string, AccountRow | null>;

  constructor(
    private readonly store: AccountsStore,
    private readonly viewer: Viewer,
    private readonly publicUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.accountLoader = new DataLoader(async (ids) => {
      const rows = await store.accountsByIds(ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  account(id: string): Promise<AccountRow | null> {
    return this.accountLoader.load(id);
  }

  async currentViewer(): Promise<ViewerView | null> {
    const v = this.viewer;
    if (!v.accountId || !v.organisationId) return null;
    const memberships = await this.store.membershipsOf(v.accountId);
    return { accountId: v.accountId, organisationId: v.organisationId, roles: v.roles, memberships, permissions: permissionsOf(v) };
  }

  async switchOrganisation(organisationId: string): Promise<Result<{ viewer: ViewerView }>> {
    const v = this.requireSignedIn();
    const membership = isUuid(organisationId) ? await this.store.membership(v.accountId, organisationId.toLowerCase()) : null;
    if (!membership || !v.sessionId) {
      await this.audit('accounts.switch_organisation', 'DENIED', 'Organisation', organisationId);
      return { ok: false, error: accountsErrors.notAMember() };
    }
    await this.store.setSessionOrganisation(v.sessionId, membership.organisationId);
    await this.audit('accounts.switch_organisation', 'SUCCESS', 'Organisation', membership.organisationId);
    const memberships = await this.store.membershipsOf(v.accountId);
    const switched: Viewer = { ...v, organisationId: membership.organisationId, roles: membership.roles };
    return {
      ok: true,
      error: null,
      viewer: { accountId: v.accountId, organisationId: membership.organisationId, roles: membership.roles, memberships, permissions: permissionsOf(switched) },
    };
  }

  async staff(organisationId: string, first: number | null | undefined, after: string | null | undefined): Promise<Connection<StaffView>> {
    const orgId = await this.authorise('accounts.staff.read', organisationId, 'staff.read');
    const take = this.pageSize(first);
    const afterId = after ? decodeCursor('staff', after) : undefined;
    if (after && !afterId) throw accountsErrors.invalidCursor();
    const page = await this.store.staffOf(orgId, take, afterId ?? undefined);
    for (const row of page.rows) this.accountLoader.prime(row.account.id, row.account);
    const last = page.rows.at(-1);
    return {
      nodes: page.rows.map((r) => ({ account: r.account, organisationId: r.organisationId, roles: r.roles })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: last ? encodeCursor('staff', last.accountId) : null },
      totalCount: page.totalCount,
    };
  }

  async invitations(organisationId: string): Promise<InvitationRow[]> {
    const orgId = await this.authorise('accounts.staff.invite', organisationId, 'invitation.read');
    return this.store.invitationsOf(orgId);
  }

  /** Anyone holding the link may see what it is for (the link is the secret). */
  async invitationPreview(token: string): Promise<InvitationRow | null> {
    if (!token || token.length > 200) return null;
    const inv = await this.store.invitationByTokenHash(hashToken(token));
    if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt <= this.now()) return null;
    return inv;
  }

  async inviteStaff(input: { organisationId: string; email: string; roles: Role[] }): Promise<Result<{ invitation: InvitationRow; link: string }>> {
    const orgId = await this.authorise('accounts.staff.invite', input.organisationId, 'staff.invite');
    const email = normaliseEmail(String(input.email ?? ''));
    if (!email) return { ok: false, error: accountsErrors.invalidEmail() };
    const rolesCheck = await this.checkGrant([], input.roles, orgId, 'staff.invite');
    if (rolesCheck) return { ok: false, error: rolesCheck };
    const existing = await this.store.accountByEmail(email);
    if (existing && (await this.store.membership(existing.id, orgId))) return { ok: false, error: accountsErrors.alreadyMember() };
    const { token, hash } = newToken();
    const organisationName = await this.organisationName(orgId);
    const invitation = await this.store.transaction(async (tx) => {
      const created = await tx.createInvitation({
        tokenHash: hash,
        organisationId: orgId,
        email,
        roles: [...new Set(input.roles)],
        invitedById: this.viewer.accountId!,
        expiresAt: new Date(this.now().getTime() + INVITATION_TTL_MS),
      });
      await tx.remindBeforeExpiry(created, organisationName, new Date(created.expiresAt.getTime() - INVITATION_REMINDER_BEFORE_MS));
      return created;
    });
    await this.audit('staff.invite', 'SUCCESS', 'Invitation', invitation.id, orgId, { email, roles: invitation.roles });
    return { ok: true, error: null, invitation, link: new URL(`/invitations/${token}`, this.publicUrl).toString() };
  }

  async revokeInvitation(id: string): Promise<Result<object>> {
    const v = this.requireSignedIn();
    const inv = isUuid(id) ? await this.store.invitationById(id.toLowerCase()) : null;
    if (!inv || !can(v, 'accounts.staff.invite', inv.organisationId)) {
      await this.audit('access.denied', 'DENIED', 'Invitation', id, null, { permission: 'accounts.staff.invite' });
      throw forbidden();
    }
    const { count } = await this.store.revokeInvitation(inv.id, this.now());
    if (count !== 1) return { ok: false, error: accountsErrors.invitationInvalid() };
    await this.audit('staff.revoke_invitation', 'SUCCESS', 'Invitation', inv.id, inv.organisationId);
    return { ok: true, error: null };
  }

  async setStaffRoles(input: { accountId: string; organisationId: string; roles: Role[] }): Promise<Result<{ staffMember: StaffView }>> {
    const orgId = await this.authorise('accounts.staff.set_roles', input.organisationId, 'staff.set_roles');
    const membership = isUuid(input.accountId) ? await this.store.membership(input.accountId.toLowerCase(), orgId) : null;
    if (!membership) return { ok: false, error: accountsErrors.notAMember() };
    const grant = await this.checkGrant(membership.roles, input.roles, orgId, 'staff.set_roles', membership.accountId);
    if (grant) return { ok: false, error: grant };
    const roles = [...new Set(input.roles)];
    const lost = membership.roles.filter((r) => !roles.includes(r));
    const lastHolder = await this.wouldLeaveNoAdmin(lost, orgId);
    if (lastHolder) return { ok: false, error: lastHolder };
    // Read before the transaction: on the embedded database a read outside it would wait for it.
    const organisationName = await this.organisationName(orgId);
    await this.store.transaction(async (tx) => {
      await tx.upsertMembership(membership.accountId, orgId, roles);
      // Someone who can no longer invite must not leave open invitations behind.
      if (lost.includes('ORG_ADMIN') || lost.includes('HUB_ADMIN')) await tx.revokeInvitationsBy(membership.accountId, orgId, this.now());
      await tx.publish('accounts.roles_changed', { accountId: membership.accountId, organisationId: orgId, organisationName, roles });
    });
    await this.audit('staff.set_roles', 'SUCCESS', 'Account', membership.accountId, orgId, { before: membership.roles, after: roles });
    const account = (await this.account(membership.accountId))!;
    return { ok: true, error: null, staffMember: { account, organisationId: orgId, roles } };
  }

  async removeStaff(accountId: string, organisationId: string): Promise<Result<object>> {
    const orgId = await this.authorise('accounts.staff.remove', organisationId, 'staff.remove');
    const membership = isUuid(accountId) ? await this.store.membership(accountId.toLowerCase(), orgId) : null;
    if (!membership) return { ok: false, error: accountsErrors.notAMember() };
    // Removing someone strips their roles: roles an organisation admin may not grant, they may not take away either.
    const grant = await this.checkGrant(membership.roles, membership.roles.filter((r) => ROLES_GRANTABLE_BY_ORG_ADMIN.includes(r)).concat('SUPPORTER'), orgId, 'staff.remove', membership.accountId);
    if (grant) return { ok: false, error: grant };
    const lastHolder = await this.wouldLeaveNoAdmin(membership.roles, orgId);
    if (lastHolder) return { ok: false, error: lastHolder };
    const now = this.now();
    const organisationName = await this.organisationName(orgId);
    await this.store.transaction(async (tx) => {
      await tx.deleteMembership(membership.accountId, orgId);
      await tx.revokeSessionsActingFor(membership.accountId, orgId, now);
      await tx.revokeInvitationsBy(membership.accountId, orgId, now);
      await tx.publish('accounts.staff_removed', { accountId: membership.accountId, organisationId: orgId, organisationName });
    });
    await this.audit('staff.remove', 'SUCCESS', 'Account', membership.accountId, orgId, { roles: membership.roles });
    return { ok: true, error: null };
  }

  /** A body keeps at least one organisation admin, and the hub at least one hub admin. */
  private async wouldLeaveNoAdmin(lost: readonly Role[], orgId: string): Promise<AccountsError | null> {
    if (lost.includes('ORG_ADMIN') && (await this.store.countRoleHolders('ORG_ADMIN', orgId)) <= 1) return accountsErrors.lastAdmin();
    if (lost.includes('HUB_ADMIN') && (await this.store.countRoleHolders('HUB_ADMIN', null)) <= 1) return accountsErrors.lastAdmin();
    return null;
  }

  /** The body's name for notices, through the graph's shared table of bodies. */
  private async organisationName(orgId: string): Promise<string> {
    return (await this.store.organisationName(orgId)) ?? orgId;
  }

  async auditEvents(filter: AuditFilterInput | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<Connection<AuditRow>> {
    await this.authorise('audit.read', null, 'audit.read');
    const take = this.pageSize(first);
    let beforeId: bigint | undefined;
    if (after) {
      const decoded = /^\d{1,19}$/.test(Buffer.from(after, 'base64url').toString('utf8')) ? BigInt(Buffer.from(after, 'base64url').toString('utf8')) : null;
      if (decoded === null) throw accountsErrors.invalidCursor();
      beforeId = decoded;
    }
    const page = await this.store.auditEvents(this.auditQuery(filter), take, beforeId);
    const last = page.rows.at(-1);
    return {
      nodes: page.rows,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: last ? Buffer.from(last.id.toString()).toString('base64url') : null },
      totalCount: page.totalCount,
    };
  }

  /** The filtered log for CSV export; the export itself is audited. */
  async exportAudit(filter: AuditFilterInput): Promise<AsyncGenerator<AuditRow>> {
    await this.authorise('audit.export', null, 'audit.export');
    const query = this.auditQuery(filter);
    await this.audit('audit.export', 'SUCCESS', null, null, null, { filter: { ...filter } });
    return this.store.auditEventsAll(query);
  }

  permissionTable() {
    return (Object.entries(PERMISSIONS) as Array<[Permission, (typeof PERMISSIONS)[Permission]]>).map(([permission, rule]) => ({
      permission,
      roles: typeof rule.holders === 'string' ? [rule.holders] : [...rule.holders],
      ownOrganisationOnly: rule.ownOrganisation,
      descriptionJa: rule.ja,
      descriptionEn: rule.en,
    }));
  }

  private auditQuery(filter: AuditFilterInput | null | undefined): AuditQuery {
    const f = filter ?? {};
    const date = (value: string | null | undefined, field: string) => {
      if (!value) return undefined;
      const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00+09:00`) : new Date(value);
      if (Number.isNaN(d.getTime())) throw accountsErrors.invalidDate(field);
      return d;
    };
    return {
      action: f.action ?? undefined,
      outcome: f.outcome ?? undefined,
      organisationId: f.organisationId && isUuid(f.organisationId) ? f.organisationId.toLowerCase() : undefined,
      from: date(f.from, 'filter.from'),
      to: date(f.to, 'filter.to'),
    };
  }

  private requireSignedIn(): Viewer & { accountId: string } {
    if (!this.viewer.accountId) throw unauthenticated();
    return this.viewer as Viewer & { accountId: string };
  }

  /**
   * Refuses (and audits) unless the viewer holds the permission for the body. A body that is not
   * the viewer's gets the same answer as one that does not exist.
   */
  private async authorise(permission: Permission, organisationId: string | null, action: string): Promise<string> {
    const v = this.requireSignedIn();
    const orgId = organisationId && isUuid(organisationId) ? organisationId.toLowerCase() : null;
    const scoped = PERMISSIONS[permission].ownOrganisation;
    if (!can(v, permission, scoped ? orgId : undefined) || (scoped && !orgId)) {
      await this.audit('access.denied', 'DENIED', organisationId ? 'Organisation' : null, organisationId, null, { permission, attempted: action });
      throw forbidden();
    }
    return orgId ?? '';
  }

  /** Roles outside ROLES_GRANTABLE_BY_ORG_ADMIN change only in a hub admin's hands. */
  private async checkGrant(current: readonly Role[], requested: Role[], orgId: string, action: string, targetId?: string): Promise<AccountsError | null> {
    if (!requested?.length) return accountsErrors.noRoles();
    if (requested.some((r) => !ALL_ROLES.includes(r))) return accountsErrors.noRoles();
    if (this.viewer.roles.includes('HUB_ADMIN')) return null;
    const restricted = (roles: readonly Role[]) => roles.filter((r) => !ROLES_GRANTABLE_BY_ORG_ADMIN.includes(r)).sort().join(',');
    if (restricted(current) !== restricted(requested)) {
      await this.audit('access.denied', 'DENIED', targetId ? 'Account' : 'Organisation', targetId ?? orgId, orgId, { attempted: action, requested });
      return accountsErrors.roleNotGrantable();
    }
    return null;
  }

  private pageSize(first: number | null | undefined): number {
    const take = first ?? 50;
    if (!Number.isInteger(take) || take < 1 || take > MAX_PAGE) throw accountsErrors.invalidPageSize(MAX_PAGE);
    return take;
  }

  private audit(action: string, outcome: AuditOutcome, targetType: string | null, targetId: string | null, organisationId?: string | null, details?: Record<string, unknown>) {
    return this.store.audit({
      actorAccountId: this.viewer.accountId,
      actingOrganisationId: organisationId ?? this.viewer.organisationId,
      action,
      outcome,
      targetType,
      targetId: targetId ? String(targetId).slice(0, 100) : null,
      ip: this.viewer.ip,
      userAgent: this.viewer.userAgent?.slice(0, 300) ?? null,
      ...(details ? { details: JSON.parse(JSON.stringify(details)) } : {}),
    });
  }
}
