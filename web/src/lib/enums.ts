import type { AuditOutcome, CouncilRole, EmailMode, OrganisationCategory, Role } from '@/gql/graphql';
import type { Permission } from '@/composables/useViewer';

/** Categories in the order the council lists its members (and the directory groups them). */
export const CATEGORY_ORDER: readonly OrganisationCategory[] = [
  'COMMERCE_AND_INDUSTRY',
  'PROFESSIONAL',
  'FINANCIAL',
  'ADMINISTRATIVE_AGENCY',
  'OBSERVER',
  'PUBLIC_BODY',
];

/** Narrows an untrusted string (e.g. from the URL) to a category. */
export function isCategory(value: unknown): value is OrganisationCategory {
  return typeof value === 'string' && (CATEGORY_ORDER as readonly string[]).includes(value);
}

/** Roles that earn a badge in lists; NONE is the common case and stays quiet. */
export function hasCouncilBadge(role: CouncilRole): boolean {
  return role !== 'NONE';
}

/** Roles in the order the staff pages list them. */
export const ROLE_ORDER: readonly Role[] = ['ORG_ADMIN', 'SUPPORTER', 'TEAM_LEAD', 'SECRETARIAT', 'OBSERVER', 'HUB_ADMIN'];

/**
 * Roles an organisation admin may hand out in their own body; the rest only a hub admin grants.
 * Mirrors services/shared/permissions.ts so the form can say so up front; the server decides.
 */
export const ROLES_GRANTABLE_BY_ORG_ADMIN: readonly Role[] = ['ORG_ADMIN', 'SUPPORTER', 'TEAM_LEAD'];

/** Roles the viewer may tick in the staff forms. */
export function grantableRoles(viewerRoles: readonly Role[]): readonly Role[] {
  return viewerRoles.includes('HUB_ADMIN') ? ROLE_ORDER : ROLES_GRANTABLE_BY_ORG_ADMIN;
}

/** Sorts roles into the display order (the server returns them as stored). */
export function sortRoles(roles: readonly Role[]): Role[] {
  return [...roles].sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b));
}

/** Audit actions the UI has a name for; others are shown as their code. */
export const AUDIT_ACTIONS = [
  'auth.sign_in',
  'auth.sign_out',
  'staff.invite',
  'invitation.accept',
  'staff.set_roles',
  'staff.remove',
  'access.denied',
  'audit.export',
  'staff.revoke_invitation',
  'accounts.switch_organisation',
  'webhook.create',
  'webhook.update',
  'webhook.rotate_secret',
  'webhook.delete',
  'notifications.retry_job',
] as const;
export type KnownAuditAction = (typeof AUDIT_ACTIONS)[number];

export function isKnownAuditAction(value: unknown): value is KnownAuditAction {
  return typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value);
}

export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['SUCCESS', 'FAILURE', 'DENIED'];

export function isAuditOutcome(value: unknown): value is AuditOutcome {
  return typeof value === 'string' && (AUDIT_OUTCOMES as readonly string[]).includes(value);
}

/**
 * Permissions the web app checks (menus, route guards), mirroring services/shared/permissions.ts.
 * The server decides; these only choose what to offer.
 */
export const PERMISSIONS = [
  'accounts.staff.read',
  'accounts.staff.invite',
  'accounts.staff.set_roles',
  'accounts.staff.remove',
  'audit.read',
  'audit.export',
  /** Any signed-in person: their own inbox and preferences. */
  'notifications.self',
  /** Organisation and hub admins, for the body they act for. */
  'notifications.webhooks.manage',
  /** Hub admins: failed notification jobs. */
  'notifications.jobs.manage',
] as const satisfies readonly Permission[];

/** Email modes in the order the settings page offers them. */
export const EMAIL_MODES: readonly EmailMode[] = ['IMMEDIATE', 'DAILY_DIGEST'];
