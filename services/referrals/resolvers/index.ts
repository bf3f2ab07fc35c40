/** Thin resolvers: unpack arguments, call the manager, map rows to the schema's shape. */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { ConsentCategory, DeclineReason, ReferralStatus, ReferralUrgency } from '../../../generated/prisma/enums';
import { toResultPayload } from '../../shared/results';
import type { ReferralsContext } from '../context';
import { JSIC_DIVISIONS } from '../firm-identity';
import { referenceOf, type ClockView, type ConsentInput, type FirmInput, type FirmView, type OutcomeInput, type ReferralInput, type ReferralView } from '../referrals.manager';
import type { AttachmentMeta, ConsentRow, DuplicateFlagRow, InboxBox, ProvisionRow, ReferralEventRow } from '../referrals.store';

type Ctx = ReferralsContext;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const org = (id: string | null | undefined) => (id ? { __typename: 'Organisation', id } : null);
const account = (id: string | null | undefined) => (id ? { __typename: 'Account', id } : null);
const num = (b: bigint | null | undefined) => (b === null || b === undefined ? null : Number(b));
type Versioned = { id: string; expectedVersion: number };

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    firms: (_: unknown, a: { search?: string | null; first?: number; after?: string }, ctx: Ctx) => ctx.referrals.firms(a.search, a.first, a.after),
    firm: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.referrals.firm(a.id),
    firmByCorporateNumber: (_: unknown, a: { corporateNumber: string }, ctx: Ctx) => ctx.referrals.firmByCorporateNumber(a.corporateNumber),
    firmDuplicates: async (_: unknown, __: unknown, ctx: Ctx) => (await ctx.referrals.duplicates()).map((d) => ({ id: d.flag.id, firm: d.firm, candidate: d.candidate, flaggedAt: iso(d.flag.flaggedAt) })),
    referral: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.referrals.referral(a.id),
    referralInbox: (_: unknown, a: { box: InboxBox; first?: number; after?: string }, ctx: Ctx) => ctx.referrals.inbox(a.box, a.first, a.after),
    sentReferrals: (_: unknown, a: { status?: ReferralStatus[] | null; first?: number; after?: string }, ctx: Ctx) => ctx.referrals.sent(a.status, a.first, a.after),
    referralCounts: (_: unknown, __: unknown, ctx: Ctx) => ctx.referrals.counts(),
    referralSettings: (_: unknown, a: { organisationId: string }, ctx: Ctx) => ctx.referrals.settings(a.organisationId),
    provisionRecords: (_: unknown, a: { filter?: { from?: string; to?: string; firmId?: string }; first?: number; after?: string }, ctx: Ctx) => ctx.referrals.provisionRecords(a.filter, a.first, a.after),
    industryDivisions: () => JSIC_DIVISIONS,
  },
  Mutation: {
    registerFirm: async (_: unknown, a: { input: FirmInput }, ctx: Ctx) => withDefaults(toResultPayload(await ctx.referrals.registerFirm(a.input))),
    updateFirm: async (_: unknown, a: { input: FirmInput & Versioned }, ctx: Ctx) => withDefaults(toResultPayload(await ctx.referrals.updateFirm(a.input))),
    resolveFirmDuplicate: async (_: unknown, a: { id: string; resolution: 'MERGED' | 'DISTINCT' }, ctx: Ctx) => toResultPayload(await ctx.referrals.resolveDuplicate(a.id, a.resolution)),
    recordConsent: async (_: unknown, a: { input: ConsentInput }, ctx: Ctx) => toResultPayload(await ctx.referrals.recordConsent(a.input)),
    withdrawConsent: async (_: unknown, a: { id: string; note?: string | null }, ctx: Ctx) => toResultPayload(await ctx.referrals.withdrawConsent(a.id, a.note)),
    createReferral: async (_: unknown, a: { input: ReferralInput; send?: boolean }, ctx: Ctx) => toResultPayload(await ctx.referrals.createReferral(a.input, a.send ?? false)),
    updateReferralDraft: async (_: unknown, a: { input: ReferralInput & Versioned & { urgency: ReferralUrgency } }, ctx: Ctx) => toResultPayload(await ctx.referrals.updateDraft(a.input)),
    sendReferral: async (_: unknown, a: Versioned, ctx: Ctx) => toResultPayload(await ctx.referrals.send(a.id, a.expectedVersion)),
    acceptReferral: async (_: unknown, a: Versioned & { note?: string }, ctx: Ctx) => toResultPayload(await ctx.referrals.accept(a.id, a.expectedVersion, a.note)),
    declineReferral: async (_: unknown, a: Versioned & { reason: DeclineReason; note?: string }, ctx: Ctx) => toResultPayload(await ctx.referrals.decline(a.id, a.expectedVersion, a.reason, a.note)),
    forwardReferral: async (_: unknown, a: Versioned & { recipientOrganisationId: string; consentId: string; note?: string }, ctx: Ctx) =>
      toResultPayload(await ctx.referrals.forward(a.id, a.expectedVersion, a.recipientOrganisationId, a.consentId, a.note)),
    startReferral: async (_: unknown, a: Versioned & { note?: string }, ctx: Ctx) => toResultPayload(await ctx.referrals.start(a.id, a.expectedVersion, a.note)),
    holdReferral: async (_: unknown, a: Versioned & { note: string }, ctx: Ctx) => toResultPayload(await ctx.referrals.hold(a.id, a.expectedVersion, a.note)),
    resumeReferral: async (_: unknown, a: Versioned & { note?: string }, ctx: Ctx) => toResultPayload(await ctx.referrals.resume(a.id, a.expectedVersion, a.note)),
    completeReferral: async (_: unknown, a: Versioned & { outcome: OutcomeInput }, ctx: Ctx) => toResultPayload(await ctx.referrals.complete(a.id, a.expectedVersion, a.outcome)),
    cancelReferral: async (_: unknown, a: Versioned & { note: string }, ctx: Ctx) => toResultPayload(await ctx.referrals.cancel(a.id, a.expectedVersion, a.note)),
    assignReferral: async (_: unknown, a: Versioned & { assigneeAccountId?: string | null }, ctx: Ctx) => toResultPayload(await ctx.referrals.assign(a.id, a.expectedVersion, a.assigneeAccountId)),
    removeReferralAttachment: async (_: unknown, a: { id: string }, ctx: Ctx) => toResultPayload(await ctx.referrals.removeAttachment(a.id)),
    setReferralResponseDays: async (_: unknown, a: { organisationId: string; days: number }, ctx: Ctx) => toResultPayload(await ctx.referrals.setResponseDays(a.organisationId, a.days)),
  },
  Firm: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.referrals.firm(ref.id),
    id: (f: FirmView) => f.row.id,
    corporateNumber: (f: FirmView) => f.row.corporateNumber,
    nameJa: (f: FirmView) => f.row.nameJa,
    nameKana: (f: FirmView) => f.row.nameKana,
    prefectureCode: (f: FirmView) => f.row.prefectureCode,
    industryDivision: (f: FirmView) => f.row.industryDivision,
    industryCode: (f: FirmView) => f.row.industryCode,
    representativeName: (f: FirmView) => f.row.representativeName,
    representativeTitle: (f: FirmView) => f.row.representativeTitle,
    figures: (f: FirmView) =>
      f.figures && f.categories.includes('FINANCIALS')
        ? { capitalYen: num(f.figures.capitalYen), employees: f.figures.employees, annualSalesYen: num(f.figures.annualSalesYen), fiscalYearEndMonth: f.figures.fiscalYearEndMonth }
        : null,
    access: (f: FirmView) => f.access,
    visibleCategories: (f: FirmView) => f.categories,
    consents: (f: FirmView, _: unknown, ctx: Ctx) => ctx.referrals.consentsOfFirm(f),
    referrals: (f: FirmView, _: unknown, ctx: Ctx) => ctx.referrals.referralsOfFirm(f),
    version: (f: FirmView) => f.row.version,
    createdAt: (f: FirmView) => iso(f.row.createdAt),
    updatedAt: (f: FirmView) => iso(f.row.updatedAt),
  },
  Consent: {
    firm: (c: ConsentRow, _: unknown, ctx: Ctx) => ctx.referrals.firmQuiet(c.firmId),
    provider: (c: ConsentRow) => org(c.providerOrganisationId),
    recipient: (c: ConsentRow) => org(c.recipientOrganisationId),
    categories: (c: ConsentRow) => c.categories as ConsentCategory[],
    obtainedAt: (c: ConsentRow) => iso(c.obtainedAt),
    recordedBy: (c: ConsentRow) => account(c.recordedByAccountId),
    recordedAt: (c: ConsentRow) => iso(c.recordedAt),
    firstSharedAt: (c: ConsentRow) => iso(c.firstSharedAt),
    withdrawnAt: (c: ConsentRow) => iso(c.withdrawnAt),
    withdrawnBy: (c: ConsentRow) => account(c.withdrawnByAccountId),
    active: (c: ConsentRow) => c.withdrawnAt === null,
  },
  Referral: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.referrals.referral(ref.id),
    id: (v: ReferralView) => v.row.id,
    number: (v: ReferralView) => v.row.number,
    reference: (v: ReferralView) => referenceOf(v.row.number),
    firm: (v: ReferralView, _: unknown, ctx: Ctx) => ctx.referrals.firmQuiet(v.row.firmId),
    sender: (v: ReferralView) => org(v.row.senderOrganisationId),
    senderAccount: (v: ReferralView) => account(v.row.senderAccountId),
    recipient: (v: ReferralView) => org(v.row.recipientOrganisationId),
    assignee: (v: ReferralView) => account(v.row.assigneeAccountId),
    viewerSide: (v: ReferralView) => v.side,
    forwardedFrom: (v: ReferralView, _: unknown, ctx: Ctx) => (v.row.forwardedFromId ? ctx.referrals.referralQuiet(v.row.forwardedFromId) : null),
    forwardedTo: async (v: ReferralView, _: unknown, ctx: Ctx) => {
      if (v.row.status !== 'FORWARDED') return null;
      const next = await ctx.referrals.forwardedTo(v.row.id);
      return next ? ctx.referrals.referralQuiet(next.id) : null;
    },
    forwardedToOrganisation: async (v: ReferralView, _: unknown, ctx: Ctx) => (v.row.status === 'FORWARDED' ? org((await ctx.referrals.forwardedTo(v.row.id))?.recipientOrganisationId) : null),
    supportType: (v: ReferralView) => v.row.supportType,
    urgency: (v: ReferralView) => v.row.urgency,
    reason: (v: ReferralView) => v.row.reason,
    summary: (v: ReferralView) => v.row.summary,
    status: (v: ReferralView) => v.row.status,
    version: (v: ReferralView) => v.row.version,
    createdAt: (v: ReferralView) => iso(v.row.createdAt),
    sentAt: (v: ReferralView) => iso(v.row.sentAt),
    closedAt: (v: ReferralView) => iso(v.row.closedAt),
    clock: (v: ReferralView, _: unknown, ctx: Ctx) => ctx.referrals.clock(v),
    declineReason: (v: ReferralView) => v.row.declineReason,
    declineNote: (v: ReferralView) => v.row.declineNote,
    outcome: (v: ReferralView) =>
      v.row.outcomeSummary && v.row.outcomeStage && v.row.outcomeResult ? { summary: v.row.outcomeSummary, stage: v.row.outcomeStage, result: v.row.outcomeResult } : null,
    consent: (v: ReferralView) => v.row.consent,
    attachments: (v: ReferralView, _: unknown, ctx: Ctx) => ctx.referrals.attachments(v),
    timeline: (v: ReferralView, _: unknown, ctx: Ctx) => ctx.referrals.timeline(v),
    allowedActions: (v: ReferralView, _: unknown, ctx: Ctx) => ctx.referrals.allowedActions(v),
  },
  ResponseClock: {
    dueAt: (c: ClockView) => iso(c.dueAt),
    escalatesAt: (c: ClockView) => iso(c.escalatesAt),
    answeredAt: (c: ClockView) => iso(c.answeredAt),
  },
  ReferralEvent: {
    id: (e: ReferralEventRow) => e.id.toString(),
    at: (e: ReferralEventRow) => iso(e.at),
    actor: (e: ReferralEventRow) => account(e.actorAccountId),
    actorOrganisation: (e: ReferralEventRow) => org(e.actorOrganisationId),
    assignee: (e: ReferralEventRow) => (e.kind === 'assigned' ? account((e.details as { assigneeAccountId?: string | null } | null)?.assigneeAccountId) : null),
  },
  Attachment: {
    uploadedAt: (a: AttachmentMeta) => iso(a.uploadedAt),
    uploadedBy: (a: AttachmentMeta) => account(a.uploadedByAccountId),
    downloadPath: (a: AttachmentMeta) => `/files/attachments/${a.id}`,
  },
  ReferralSettings: {
    organisation: (s: { organisationId: string }) => org(s.organisationId),
  },
  ProvisionRecord: {
    providedAt: (r: ProvisionRow) => iso(r.providedAt),
    provider: (r: ProvisionRow) => org(r.providerOrganisationId),
    recipient: (r: ProvisionRow) => org(r.recipientOrganisationId),
    recordedBy: (r: ProvisionRow) => account(r.recordedByAccountId),
    retainUntil: (r: ProvisionRow) => iso(r.retainUntil),
  },
  FirmDuplicate: {
    firm: (d: { firm: FirmView }) => d.firm,
    candidate: (d: { candidate: FirmView }) => d.candidate,
  },
};

/** A failed FirmResult still answers the non-null fields. */
function withDefaults<T extends object>(payload: T): T & { linkedExisting: boolean; possibleDuplicates: FirmView[] } {
  return { linkedExisting: false, possibleDuplicates: [], ...payload };
}

export type { DuplicateFlagRow };
