import type {
  AuditOutcome,
  ConsentCategory,
  ConsentMethod,
  CouncilRole,
  DeclineReason,
  EmailMode,
  EngagementStage,
  IssueStatus,
  OrganisationCategory,
  OutcomeResult,
  OutcomeStage,
  Qualification,
  ReferralBox,
  ReferralStatus,
  ReferralUrgency,
  Role,
  SelfRelianceLevel,
  Speciality,
  SupportType,
  TeamMemberStatus,
  TeamSlot,
} from '@/gql/graphql';
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
  /** Staff of a body: its firms, registering them, and their consents. */
  'firms.read',
  'firms.register',
  'firms.merge',
  'consents.record',
  /** Referrals between bodies: reading, sending, answering, and the body's response time. */
  'referrals.read',
  'referrals.send',
  'referrals.respond',
  'referrals.settings',
  /** Organisation and hub admins: 第三者提供記録. */
  'provision_records.read',
  /** Engagements (伴走支援): reading and recording on those one leads or is on the team of; opening and running them; answering team invitations. */
  'engagements.read',
  'engagements.lead',
  'teams.respond',
] as const satisfies readonly Permission[];

/** Email modes in the order the settings page offers them. */
export const EMAIL_MODES: readonly EmailMode[] = ['IMMEDIATE', 'DAILY_DIGEST'];

/** Inbox boxes in tab order, with the address each tab has (?box=…). */
export const REFERRAL_BOXES: readonly { box: ReferralBox; slug: string }[] = [
  { box: 'NEW', slug: 'new' },
  { box: 'OVERDUE', slug: 'overdue' },
  { box: 'IN_PROGRESS', slug: 'in-progress' },
  { box: 'CLOSED', slug: 'closed' },
];

/** Statuses in the order a referral moves through them (the sent list's filter). */
export const REFERRAL_STATUSES: readonly ReferralStatus[] = [
  'DRAFT',
  'SENT',
  'ACCEPTED',
  'IN_PROGRESS',
  'ON_HOLD',
  'COMPLETED',
  'DECLINED',
  'FORWARDED',
  'CANCELLED',
];

export function isReferralStatus(value: unknown): value is ReferralStatus {
  return typeof value === 'string' && (REFERRAL_STATUSES as readonly string[]).includes(value);
}

export const REFERRAL_URGENCIES: readonly ReferralUrgency[] = ['NORMAL', 'HIGH', 'URGENT'];
export const SUPPORT_TYPES: readonly SupportType[] = ['ISSUE_SETTING', 'ISSUE_SOLVING'];
export const DECLINE_REASONS: readonly DeclineReason[] = [
  'OUT_OF_SCOPE',
  'NO_CAPACITY',
  'OUT_OF_AREA',
  'FIRM_UNREACHABLE',
  'ALREADY_SUPPORTED',
  'OTHER',
];
export const OUTCOME_STAGES: readonly OutcomeStage[] = ['ISSUE_SETTING', 'ISSUE_SOLVING', 'SELF_RUNNING'];
export const OUTCOME_RESULTS: readonly OutcomeResult[] = ['RESOLVED', 'PARTLY_RESOLVED', 'NOT_RESOLVED', 'FIRM_WITHDREW'];

/** Consent categories in the order the consent form lists them. */
export const CONSENT_CATEGORIES: readonly ConsentCategory[] = ['PROFILE', 'FINANCIALS', 'ISSUES', 'DOCUMENTS'];
/** What a consent must cover before a referral may be sent under it (the firm and its issue). */
export const CONSENT_REQUIRED_FOR_REFERRAL: readonly ConsentCategory[] = ['PROFILE', 'ISSUES'];
export const CONSENT_METHODS: readonly ConsentMethod[] = ['WRITTEN', 'ELECTRONIC'];

/** Sorts consent categories into the display order. */
export function sortConsentCategories(categories: readonly ConsentCategory[]): ConsentCategory[] {
  return [...categories].sort((a, b) => CONSENT_CATEGORIES.indexOf(a) - CONSENT_CATEGORIES.indexOf(b));
}

/** Specialities in the directory's order (the chips that refine referral suggestions). */
export const SPECIALITIES: readonly Speciality[] = [
  'STRATEGY',
  'FINANCE',
  'MARKETING',
  'PRODUCTION',
  'DIGITAL',
  'HUMAN_RESOURCES',
  'SUCCESSION',
  'OVERSEAS',
  'LEGAL_AND_LABOUR',
  'TURNAROUND',
];

/** Timeline event kinds the UI has a label for; others are shown as their code. */
export const REFERRAL_EVENT_KINDS = [
  'created',
  'sent',
  'accepted',
  'declined',
  'forwarded',
  'started',
  'held',
  'resumed',
  'completed',
  'cancelled',
  'assigned',
  'attachment_added',
  'attachment_removed',
  'edited',
  'consent_withdrawn',
] as const;
export type ReferralEventKind = (typeof REFERRAL_EVENT_KINDS)[number];

export function isReferralEventKind(value: unknown): value is ReferralEventKind {
  return typeof value === 'string' && (REFERRAL_EVENT_KINDS as readonly string[]).includes(value);
}

/** Qualifications in the directory's order (the supporter search's chips). */
export const QUALIFICATIONS: readonly Qualification[] = [
  'SME_CONSULTANT',
  'TAX_ACCOUNTANT',
  'CPA',
  'LAWYER',
  'LABOUR_AND_SOCIAL_SECURITY_ATTORNEY',
  'ADMINISTRATIVE_SCRIVENER',
  'BUSINESS_ADVISOR',
  'IT_COORDINATOR',
  'PROFESSIONAL_ENGINEER',
];

/** The seven stages of 伴走支援, in the order an engagement moves through them (the board's columns). */
export const ENGAGEMENT_STAGES: readonly EngagementStage[] = [
  'TARGETING',
  'MUTUAL_UNDERSTANDING',
  'TRUST_BUILDING',
  'AWARENESS',
  'INTRINSIC_MOTIVATION',
  'PROBLEM_SOLVING',
  'FOLLOW_UP',
];

/** Where a stage sits in the order (0 for 支援対象); moving to a lower one is going back. */
export function stageIndex(stage: EngagementStage): number {
  return ENGAGEMENT_STAGES.indexOf(stage);
}

export function isEngagementStage(value: unknown): value is EngagementStage {
  return typeof value === 'string' && (ENGAGEMENT_STAGES as readonly string[]).includes(value);
}

/** Role slots on a team, the lead first. */
export const TEAM_SLOTS: readonly TeamSlot[] = ['LEAD', 'FACILITATOR', 'SPECIALIST', 'FINANCIAL_INSTITUTION', 'LOCAL_ADVISOR', 'OTHER'];
/** Slots the lead may invite someone into (the lead's own place is taken when the engagement opens). */
export const INVITABLE_SLOTS: readonly TeamSlot[] = ['FACILITATOR', 'SPECIALIST', 'FINANCIAL_INSTITUTION', 'LOCAL_ADVISOR', 'OTHER'];

/** Team member statuses; INVITED and ACCEPTED hold a place, the rest are history. */
export const TEAM_MEMBER_STATUSES: readonly TeamMemberStatus[] = ['INVITED', 'ACCEPTED', 'DECLINED', 'REMOVED', 'LEFT'];
export function holdsPlace(status: TeamMemberStatus): boolean {
  return status === 'INVITED' || status === 'ACCEPTED';
}

export const ISSUE_STATUSES: readonly IssueStatus[] = ['OPEN', 'WORKING', 'RESOLVED', 'DROPPED'];
export const SELF_RELIANCE_LEVELS: readonly SelfRelianceLevel[] = ['NOT_YET', 'PARTLY', 'SELF_RUNNING'];

/** Warnings and conflict codes the team builder has words for; others are shown as their code. */
export const TEAM_WARNINGS = ['AT_CAPACITY', 'COMPETING_BANK'] as const;
export type KnownTeamWarning = (typeof TEAM_WARNINGS)[number];
export function isKnownTeamWarning(value: unknown): value is KnownTeamWarning {
  return typeof value === 'string' && (TEAM_WARNINGS as readonly string[]).includes(value);
}
