/** Thin resolvers: unpack arguments, call the manager, map rows to the schema's shape. */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { EngagementStage, IssueStatus, Qualification, SelfRelianceLevel, Speciality, SupportType, TeamSlot } from '../../../generated/prisma/enums';
import { toResultPayload } from '../../shared/results';
import type { EngagementsContext } from '../context';
import { referenceOf, type EngagementView, type SupporterView } from '../engagements.manager';
import type { EngagementRow, IssueRow, OutcomeRow, SessionRow, StageChangeRow, TeamMemberRow } from '../engagements.store';

type Ctx = EngagementsContext;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);
const ref = (typename: string) => (id: string | null | undefined) => (id ? { __typename: typename, id } : null);
const org = ref('Organisation');
const account = ref('Account');
const num = (b: bigint | null | undefined) => (b === null || b === undefined ? null : Number(b));
type Versioned = { id: string; expectedVersion: number };

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    myEngagements: (_: unknown, a: { stage?: EngagementStage; includeClosed?: boolean; first?: number; after?: string }, ctx: Ctx) => ctx.engagements.mine(a.stage, a.includeClosed, a.first, a.after),
    engagement: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.engagements.engagement(a.id),
    myTeamInvitations: async (_: unknown, __: unknown, ctx: Ctx) =>
      (await ctx.engagements.invitations()).map(({ member, engagement }) => ({
        memberId: member.id,
        engagementId: engagement.id,
        engagementReference: referenceOf(engagement.number),
        owner: org(engagement.ownerOrganisationId),
        lead: account(engagement.leadAccountId),
        slot: member.slot,
        stage: engagement.stage,
        invitedAt: iso(member.invitedAt),
      })),
    supporterSearch: (_: unknown, a: { filter?: { qualifications?: Qualification[]; specialities?: Speciality[]; regionCode?: string; search?: string; availableOnly?: boolean }; first?: number; after?: string }, ctx: Ctx) =>
      ctx.engagements.supporterSearch(a.filter, a.first, a.after),
  },
  Mutation: {
    openEngagement: async (_: unknown, a: { input: { firmId: string; referralId?: string; supportType: SupportType; mainBankOrganisationId?: string } }, ctx: Ctx) => toResultPayload(await ctx.engagements.open(a.input)),
    changeEngagementStage: async (_: unknown, a: Versioned & { stage: EngagementStage; reason?: string }, ctx: Ctx) => toResultPayload(await ctx.engagements.changeStage(a.id, a.expectedVersion, a.stage, a.reason)),
    setSupportPlan: async (_: unknown, a: Versioned & { plan: string; agreedOn: string }, ctx: Ctx) => toResultPayload(await ctx.engagements.setPlan(a.id, a.expectedVersion, a.plan, a.agreedOn)),
    assessSelfReliance: async (_: unknown, a: Versioned & { level: SelfRelianceLevel; note?: string }, ctx: Ctx) => toResultPayload(await ctx.engagements.assess(a.id, a.expectedVersion, a.level, a.note)),
    closeEngagement: async (_: unknown, a: Versioned, ctx: Ctx) => toResultPayload(await ctx.engagements.close(a.id, a.expectedVersion)),
    addEssentialIssue: async (_: unknown, a: { engagementId: string; title: string; description?: string }, ctx: Ctx) => toResultPayload(await ctx.engagements.addIssue(a.engagementId, a.title, a.description)),
    setEssentialIssueStatus: async (_: unknown, a: { issueId: string; status: IssueStatus }, ctx: Ctx) => toResultPayload(await ctx.engagements.setIssueStatus(a.issueId, a.status)),
    logSession: async (_: unknown, a: { input: { engagementId: string; heldOn: string; participants: string[]; notes: string; nextSteps?: string } }, ctx: Ctx) => toResultPayload(await ctx.engagements.logSession(a.input)),
    recordOutcome: async (_: unknown, a: { input: Parameters<EngagementsContext['engagements']['recordOutcome']>[0] }, ctx: Ctx) => toResultPayload(await ctx.engagements.recordOutcome(a.input)),
    inviteTeamMember: async (_: unknown, a: { input: { engagementId: string; personId: string; organisationId: string; slot: TeamSlot; capacityNote?: string; conflictAcknowledgement?: string; consentId?: string } }, ctx: Ctx) =>
      withWarning(toResultPayload(await ctx.engagements.invite(a.input))),
    respondToTeamInvitation: async (_: unknown, a: { memberId: string; accept: boolean; reason?: string }, ctx: Ctx) => withWarning(toResultPayload(await ctx.engagements.respond(a.memberId, a.accept, a.reason))),
    removeTeamMember: async (_: unknown, a: { memberId: string; reason: string }, ctx: Ctx) => withWarning(toResultPayload(await ctx.engagements.remove(a.memberId, a.reason))),
    leaveTeam: async (_: unknown, a: { memberId: string }, ctx: Ctx) => withWarning(toResultPayload(await ctx.engagements.leave(a.memberId))),
  },
  Engagement: {
    __resolveReference: (r: { id: string }, ctx: Ctx) => ctx.engagements.engagementQuiet(r.id),
    id: (v: EngagementView) => v.row.id,
    reference: (v: EngagementView) => referenceOf(v.row.number),
    firm: (v: EngagementView) => (v.firmVisible ? { __typename: 'Firm', id: v.row.firmId } : null),
    firmName: (v: EngagementView, _: unknown, ctx: Ctx) => ctx.engagements.firmName(v),
    owner: (v: EngagementView) => org(v.row.ownerOrganisationId),
    lead: (v: EngagementView) => account(v.row.leadAccountId),
    referral: (v: EngagementView) => (v.row.referralId && v.isLead ? { __typename: 'Referral', id: v.row.referralId } : null),
    supportType: (v: EngagementView) => v.row.supportType,
    stage: (v: EngagementView) => v.row.stage,
    stageChangedAt: (v: EngagementView) => iso(v.row.stageChangedAt),
    status: (v: EngagementView) => v.row.status,
    mainBank: (v: EngagementView) => org(v.row.mainBankOrganisationId),
    supportPlan: (v: EngagementView) => (v.firmVisible ? v.row.supportPlan : null),
    supportPlanAgreedOn: (v: EngagementView) => day(v.row.supportPlanAgreedOn),
    selfReliance: (v: EngagementView) => v.row.selfReliance,
    selfRelianceNote: (v: EngagementView) => v.row.selfRelianceNote,
    version: (v: EngagementView) => v.row.version,
    createdAt: (v: EngagementView) => iso(v.row.createdAt),
    viewerIsLead: (v: EngagementView) => v.isLead,
    stageHistory: (v: EngagementView, _: unknown, ctx: Ctx) => ctx.engagements.stageHistory(v),
    issues: (v: EngagementView, _: unknown, ctx: Ctx) => ctx.engagements.issues(v),
    sessions: (v: EngagementView, _: unknown, ctx: Ctx) => ctx.engagements.sessions(v),
    outcomes: (v: EngagementView, _: unknown, ctx: Ctx) => ctx.engagements.outcomes(v),
    team: (v: EngagementView, _: unknown, ctx: Ctx) => ctx.engagements.team(v),
  },
  StageChange: {
    id: (s: StageChangeRow) => s.id.toString(),
    actor: (s: StageChangeRow) => account(s.actorAccountId),
    at: (s: StageChangeRow) => iso(s.at),
  },
  EssentialIssue: { createdAt: (i: IssueRow) => iso(i.createdAt) },
  EngagementSessionEntry: {
    heldOn: (s: SessionRow) => day(s.heldOn),
    recordedBy: (s: SessionRow) => account(s.recordedById),
  },
  OutcomeMeasurement: {
    measuredOn: (o: OutcomeRow) => day(o.measuredOn),
    salesYen: (o: OutcomeRow) => num(o.salesYen),
    operatingProfitYen: (o: OutcomeRow) => num(o.operatingProfitYen),
    valueAddedYen: (o: OutcomeRow) => num(o.valueAddedYen),
  },
  TeamMember: {
    person: (m: TeamMemberRow) => ({ __typename: 'Person', id: m.personId }),
    account: async (m: TeamMemberRow, _: unknown, ctx: Ctx) => account(await ctx.engagements.accountOf(m.personId)),
    organisation: (m: TeamMemberRow) => org(m.organisationId),
    invitedAt: (m: TeamMemberRow) => iso(m.invitedAt),
    respondedAt: (m: TeamMemberRow) => iso(m.respondedAt),
  },
  Supporter: {
    person: (s: SupporterView) => ({ __typename: 'Person', id: s.personId }),
    organisations: (s: SupporterView) => s.organisationIds.map((id) => ({ __typename: 'Organisation', id })),
    atCapacity: (s: SupporterView) => s.load >= s.capacity,
  },
};

/** The warning the lead must acknowledge: on success (AT_CAPACITY or the conflict), or with the error asking for the reason. */
function withWarning<T extends object>(payload: T): T & { warning: string | null } {
  const code = (payload as { error?: { code?: string } | null }).error?.code;
  const fromError = code === 'engagements/capacity_note_required' ? 'AT_CAPACITY' : code === 'engagements/conflict_ack_required' ? 'COMPETING_BANK' : null;
  return { warning: fromError, ...payload } as T & { warning: string | null };
}

export type { EngagementRow };
