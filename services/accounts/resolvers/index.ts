/** Thin resolvers: unpack arguments, call the manager, map rows to the schema's shape. */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { toResultPayload } from '../../shared/results';
import type { AccountsContext } from '../context';
import type { AuditFilterInput, StaffView, ViewerView } from '../accounts.manager';
import type { AccountRow, AuditRow, InvitationRow } from '../accounts.store';
import type { Role } from '../../../generated/prisma/enums';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const org = (id: string | null) => (id ? { __typename: 'Organisation', id } : null);

function invitationStatus(inv: InvitationRow, now = new Date()) {
  if (inv.acceptedAt) return 'ACCEPTED';
  if (inv.revokedAt) return 'REVOKED';
  if (inv.expiresAt <= now) return 'EXPIRED';
  return 'PENDING';
}

export const resolvers: GraphQLResolverMap<AccountsContext> = {
  Query: {
    viewer: (_: unknown, __: unknown, ctx: AccountsContext) => ctx.accounts.currentViewer(),
    staff: (_: unknown, a: { organisationId: string; first?: number; after?: string }, ctx: AccountsContext) => ctx.accounts.staff(a.organisationId, a.first, a.after),
    invitations: (_: unknown, a: { organisationId: string }, ctx: AccountsContext) => ctx.accounts.invitations(a.organisationId),
    invitationPreview: (_: unknown, a: { token: string }, ctx: AccountsContext) => ctx.accounts.invitationPreview(a.token),
    auditEvents: (_: unknown, a: { filter?: AuditFilterInput; first?: number; after?: string }, ctx: AccountsContext) => ctx.accounts.auditEvents(a.filter, a.first, a.after),
    permissionTable: (_: unknown, __: unknown, ctx: AccountsContext) => ctx.accounts.permissionTable(),
  },
  Mutation: {
    switchOrganisation: async (_: unknown, a: { organisationId: string }, ctx: AccountsContext) => toResultPayload(await ctx.accounts.switchOrganisation(a.organisationId)),
    inviteStaff: async (_: unknown, a: { input: { organisationId: string; email: string; roles: Role[] } }, ctx: AccountsContext) => toResultPayload(await ctx.accounts.inviteStaff(a.input)),
    revokeInvitation: async (_: unknown, a: { id: string }, ctx: AccountsContext) => toResultPayload(await ctx.accounts.revokeInvitation(a.id)),
    setStaffRoles: async (_: unknown, a: { input: { accountId: string; organisationId: string; roles: Role[] } }, ctx: AccountsContext) => toResultPayload(await ctx.accounts.setStaffRoles(a.input)),
    removeStaff: async (_: unknown, a: { accountId: string; organisationId: string }, ctx: AccountsContext) => toResultPayload(await ctx.accounts.removeStaff(a.accountId, a.organisationId)),
  },
  Viewer: {
    account: (v: ViewerView, _: unknown, ctx: AccountsContext) => ctx.accounts.account(v.accountId),
    activeOrganisation: (v: ViewerView) => org(v.organisationId),
    memberships: (v: ViewerView) => v.memberships.map((m) => ({ organisation: org(m.organisationId), roles: m.roles })),
  },
  Account: {
    __resolveReference: (ref: { id: string }, ctx: AccountsContext) => ctx.accounts.account(ref.id),
    person: (a: AccountRow) => (a.personId ? { __typename: 'Person', id: a.personId } : null),
  },
  StaffMember: {
    organisation: (s: StaffView) => org(s.organisationId),
    lastSignInAt: (s: StaffView) => iso(s.account.lastSignInAt),
  },
  Invitation: {
    organisation: (i: InvitationRow) => org(i.organisationId),
    expiresAt: (i: InvitationRow) => iso(i.expiresAt),
    createdAt: (i: InvitationRow) => iso(i.createdAt),
    status: (i: InvitationRow) => invitationStatus(i),
  },
  InvitationPreview: {
    organisation: (i: InvitationRow) => org(i.organisationId),
    expiresAt: (i: InvitationRow) => iso(i.expiresAt),
  },
  AuditEvent: {
    id: (e: AuditRow) => e.id.toString(),
    at: (e: AuditRow) => iso(e.at),
    actor: (e: AuditRow, _: unknown, ctx: AccountsContext) => (e.actorAccountId ? ctx.accounts.account(e.actorAccountId) : null),
    actingOrganisation: (e: AuditRow) => org(e.actingOrganisationId),
    details: (e: AuditRow) => (e.details === null ? null : JSON.stringify(e.details)),
  },
};
