/** Thin resolvers: unpack arguments, call the manager, map rows to the schema's shape. */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { ActionItemStatus, AttendanceStatus, MaterialVisibility, MeetingRole, MeetingSeriesKind, MeetingStatus, PeriodPart, Rsvp } from '../../../generated/prisma/enums';
import { toResultPayload } from '../../shared/results';
import type { MeetingsContext } from '../context';
import { endOf, isoDay, type MeetingView, type MinutesView, startOf } from '../meetings.manager';
import type { ActionItemRow, AgendaItemRow, CommentRow, DecisionRow, InvitationRow, MaterialRow, MinutesRow, SeriesRow } from '../meetings.store';

type Ctx = MeetingsContext;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const ref = (typename: string) => (id: string | null | undefined) => (id ? { __typename: typename, id } : null);
const org = ref('Organisation');
const account = ref('Account');
type Versioned = { expectedVersion: number };
type ItemInput = { title: string; presenterOrganisationId?: string; presenterName?: string; durationMinutes?: number; publicDescription?: string; internalNotes?: string };
type ScheduleFields = { date?: string; startTime?: string; endTime?: string; tentativeYear?: number; tentativeMonth?: number; tentativePart?: PeriodPart; place?: string; onlineUrl?: string };

/** Agenda items carry their meeting's view so that nested fields know what the viewer may see. */
interface ItemView {
  item: AgendaItemRow;
  meeting: MeetingView;
}

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    meetingSeries: (_: unknown, __: unknown, ctx: Ctx) => ctx.meetings.seriesList(),
    meetingSeriesById: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.meetings.series(a.id),
    meeting: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.meetings.meeting(a.id),
    upcomingMeetings: (_: unknown, a: { first?: number }, ctx: Ctx) => ctx.meetings.upcoming(a.first),
    myActionItems: (_: unknown, a: { includeClosed?: boolean }, ctx: Ctx) => ctx.meetings.myActionItems(!!a.includeClosed),
    myCalendarFeed: (_: unknown, __: unknown, ctx: Ctx) => ctx.meetings.calendarFeed(),
  },
  Mutation: {
    createMeetingSeries: async (_: unknown, a: { input: { slug: string; kind: MeetingSeriesKind; nameJa: string; nameEn: string; description?: string; themes?: string[]; parentSeriesId?: string; bodies?: Array<{ organisationId: string; role: MeetingRole }> } }, ctx: Ctx) =>
      toResultPayload(await ctx.meetings.createSeries(a.input)),
    setSeriesBody: async (_: unknown, a: { seriesId: string; organisationId: string; role?: MeetingRole }, ctx: Ctx) => toResultPayload(await ctx.meetings.setSeriesBody(a.seriesId, a.organisationId, a.role)),
    scheduleMeeting: async (_: unknown, a: { input: ScheduleFields & { seriesId: string; number?: number; alreadyHeld?: boolean } }, ctx: Ctx) => toResultPayload(await ctx.meetings.schedule(a.input)),
    updateMeeting: async (_: unknown, a: Versioned & { id: string; input: ScheduleFields }, ctx: Ctx) => toResultPayload(await ctx.meetings.update(a.id, a.expectedVersion, a.input)),
    setMeetingStatus: async (_: unknown, a: Versioned & { id: string; status: MeetingStatus; reason?: string }, ctx: Ctx) => toResultPayload(await ctx.meetings.setStatus(a.id, a.expectedVersion, a.status, a.reason)),
    addAgendaItem: async (_: unknown, a: { meetingId: string; input: ItemInput }, ctx: Ctx) => toResultPayload(await ctx.meetings.addItem(a.meetingId, a.input)),
    updateAgendaItem: async (_: unknown, a: { itemId: string; input: ItemInput }, ctx: Ctx) => toResultPayload(await ctx.meetings.updateItem(a.itemId, a.input)),
    removeAgendaItem: async (_: unknown, a: { itemId: string }, ctx: Ctx) => toResultPayload(await ctx.meetings.removeItem(a.itemId)),
    reorderAgenda: async (_: unknown, a: Versioned & { meetingId: string; itemIds: string[] }, ctx: Ctx) => toResultPayload(await ctx.meetings.reorder(a.meetingId, a.expectedVersion, a.itemIds)),
    publishAgenda: async (_: unknown, a: Versioned & { meetingId: string }, ctx: Ctx) => toResultPayload(await ctx.meetings.publishAgenda(a.meetingId, a.expectedVersion)),
    setMaterialVisibility: async (_: unknown, a: { materialId: string; visibility: MaterialVisibility }, ctx: Ctx) => toResultPayload(await ctx.meetings.setMaterialVisibility(a.materialId, a.visibility)),
    removeMaterial: async (_: unknown, a: { materialId: string }, ctx: Ctx) => toResultPayload(await ctx.meetings.removeMaterial(a.materialId)),
    inviteToMeeting: async (_: unknown, a: { meetingId: string; input: { organisationId: string; role: MeetingRole; attendeeAccountId?: string } }, ctx: Ctx) => toResultPayload(await ctx.meetings.invite(a.meetingId, a.input)),
    removeInvitation: async (_: unknown, a: { invitationId: string }, ctx: Ctx) => toResultPayload(await ctx.meetings.removeInvitation(a.invitationId)),
    respondToMeetingInvitation: async (_: unknown, a: { invitationId: string; rsvp: Rsvp; proxyName?: string; note?: string }, ctx: Ctx) => toResultPayload(await ctx.meetings.respond(a.invitationId, a.rsvp, a.proxyName, a.note)),
    recordAttendance: async (_: unknown, a: { invitationId: string; attendance: AttendanceStatus; attendeeName?: string; note?: string }, ctx: Ctx) =>
      toResultPayload(await ctx.meetings.recordAttendance(a.invitationId, a.attendance, a.attendeeName, a.note)),
    saveMinutesEntry: async (_: unknown, a: { meetingId: string; agendaItemId: string; body: string; internalNote?: string }, ctx: Ctx) => toResultPayload(await ctx.meetings.saveEntry(a.meetingId, a.agendaItemId, a.body, a.internalNote)),
    setMaskTerms: async (_: unknown, a: { meetingId: string; terms: string[] }, ctx: Ctx) => toResultPayload(await ctx.meetings.setMaskTerms(a.meetingId, a.terms)),
    circulateMinutes: async (_: unknown, a: Versioned & { meetingId: string; commentsDueOn?: string }, ctx: Ctx) => toResultPayload(await ctx.meetings.circulate(a.meetingId, a.expectedVersion, a.commentsDueOn)),
    commentOnMinutes: async (_: unknown, a: { meetingId: string; agendaItemId?: string; body: string }, ctx: Ctx) => toResultPayload(await ctx.meetings.comment(a.meetingId, a.agendaItemId, a.body)),
    approveMinutes: async (_: unknown, a: Versioned & { meetingId: string; approvedAtMeetingId?: string }, ctx: Ctx) => toResultPayload(await ctx.meetings.approve(a.meetingId, a.expectedVersion, a.approvedAtMeetingId)),
    startMinutesRevision: async (_: unknown, a: Versioned & { meetingId: string; reason: string }, ctx: Ctx) => toResultPayload(await ctx.meetings.startRevision(a.meetingId, a.expectedVersion, a.reason)),
    addDecision: async (_: unknown, a: { meetingId: string; agendaItemId: string; text: string }, ctx: Ctx) => toResultPayload(await ctx.meetings.addDecision(a.meetingId, a.agendaItemId, a.text)),
    removeDecision: async (_: unknown, a: { decisionId: string }, ctx: Ctx) => toResultPayload(await ctx.meetings.removeDecision(a.decisionId)),
    addActionItem: async (_: unknown, a: { meetingId: string; agendaItemId: string; input: { title: string; description?: string; ownerOrganisationId?: string; ownerAccountId?: string; dueOn: string } }, ctx: Ctx) =>
      toResultPayload(await ctx.meetings.addActionItem(a.meetingId, a.agendaItemId, a.input)),
    setActionItemStatus: async (_: unknown, a: Versioned & { id: string; status: ActionItemStatus; note?: string }, ctx: Ctx) => toResultPayload(await ctx.meetings.setActionItemStatus(a.id, a.expectedVersion, a.status, a.note)),
    resetCalendarFeed: async (_: unknown, __: unknown, ctx: Ctx) => toResultPayload(await ctx.meetings.resetFeed()),
    revokeCalendarFeed: async (_: unknown, __: unknown, ctx: Ctx) => toResultPayload(await ctx.meetings.revokeFeed()),
  },
  MeetingSeries: {
    parentSeries: (s: SeriesRow, _: unknown, ctx: Ctx) => (s.parentSeriesId ? ctx.meetings.seriesQuiet(s.parentSeriesId) : null),
    bodies: (s: SeriesRow) => s.bodies.map((b) => ({ organisation: org(b.organisationId), role: b.role })),
    meetings: (s: SeriesRow, _: unknown, ctx: Ctx) => ctx.meetings.meetingsOfSeries(s.id),
  },
  Meeting: {
    id: (v: MeetingView) => v.row.id,
    series: (v: MeetingView, _: unknown, ctx: Ctx) => ctx.meetings.seriesOf(v),
    number: (v: MeetingView) => v.row.number,
    title: (v: MeetingView, _: unknown, ctx: Ctx) => ctx.meetings.title(v),
    status: (v: MeetingView) => v.row.status,
    access: (v: MeetingView) => v.access,
    date: (v: MeetingView) => isoDay(v.row.date),
    startTime: (v: MeetingView) => v.row.startTime,
    endTime: (v: MeetingView) => v.row.endTime,
    startsAt: (v: MeetingView) => (v.row.startTime ? iso(startOf(v.row)) : null),
    endsAt: (v: MeetingView) => iso(endOf(v.row)),
    tentativeYear: (v: MeetingView) => v.row.tentativeYear,
    tentativeMonth: (v: MeetingView) => v.row.tentativeMonth,
    tentativePart: (v: MeetingView) => v.row.tentativePart,
    place: (v: MeetingView) => v.row.place,
    onlineUrl: (v: MeetingView) => v.row.onlineUrl,
    agendaPublishedAt: (v: MeetingView) => iso(v.row.agendaPublishedAt),
    agenda: async (v: MeetingView, _: unknown, ctx: Ctx): Promise<ItemView[]> => (await ctx.meetings.agenda(v)).map((item) => ({ item, meeting: v })),
    materials: (v: MeetingView, _: unknown, ctx: Ctx) => ctx.meetings.materials(v),
    invitations: (v: MeetingView, _: unknown, ctx: Ctx) => ctx.meetings.invitations(v),
    myInvitation: (v: MeetingView, _: unknown, ctx: Ctx) => ctx.meetings.myInvitation(v),
    minutes: (v: MeetingView, _: unknown, ctx: Ctx) => ctx.meetings.minutes(v),
    minutesHistory: (v: MeetingView, _: unknown, ctx: Ctx) => ctx.meetings.minutesHistory(v),
    publicMinutes: (v: MeetingView, _: unknown, ctx: Ctx) => ctx.meetings.publicMinutes(v),
    decisions: (v: MeetingView, _: unknown, ctx: Ctx) => ctx.meetings.decisions(v),
    actionItems: (v: MeetingView, _: unknown, ctx: Ctx) => ctx.meetings.actionItems(v),
    carriedActionItems: (v: MeetingView, _: unknown, ctx: Ctx) => ctx.meetings.carriedActionItems(v),
    maskTerms: (v: MeetingView) => (v.access === 'SECRETARIAT' ? v.row.maskTerms : []),
    icsPath: (v: MeetingView) => `/files/meetings/${v.row.id}/meeting.ics`,
    attendanceCsvPath: (v: MeetingView) => `/files/meetings/${v.row.id}/attendance.csv`,
    version: (v: MeetingView) => v.row.version,
    createdAt: (v: MeetingView) => iso(v.row.createdAt),
  },
  AgendaItem: {
    id: (i: ItemView) => i.item.id,
    position: (i: ItemView) => i.item.position,
    kind: (i: ItemView) => i.item.kind,
    title: (i: ItemView) => i.item.title,
    presenter: (i: ItemView) => org(i.item.presenterOrganisationId),
    presenterName: (i: ItemView) => i.item.presenterName,
    durationMinutes: (i: ItemView) => i.item.durationMinutes,
    publicDescription: (i: ItemView) => i.item.publicDescription,
    internalNotes: (i: ItemView) => (i.meeting.access === 'SECRETARIAT' ? i.item.internalNotes : null),
    materials: (i: ItemView, _: unknown, ctx: Ctx) => ctx.meetings.materials(i.meeting, i.item.id),
    decisions: (i: ItemView, _: unknown, ctx: Ctx) => ctx.meetings.decisions(i.meeting, i.item.id),
    actionItems: (i: ItemView, _: unknown, ctx: Ctx) => (i.item.kind === 'ACTION_REVIEW' ? ctx.meetings.carriedActionItems(i.meeting) : ctx.meetings.actionItems(i.meeting, i.item.id)),
  },
  MeetingMaterial: {
    uploadedAt: (m: MaterialRow) => iso(m.uploadedAt),
    downloadPath: (m: MaterialRow) => `/files/meeting-materials/${m.id}`,
  },
  MeetingInvitation: {
    organisation: (i: InvitationRow) => org(i.organisationId),
    attendeeAccount: (i: InvitationRow) => account(i.attendeeAccountId),
    rsvpAt: (i: InvitationRow) => iso(i.rsvpAt),
    canRespond: (i: InvitationRow, _: unknown, ctx: Ctx) => ctx.meetings.canRespond(i),
  },
  Minutes: {
    version: (m: MinutesView) => m.row.version,
    status: (m: MinutesView) => m.row.status,
    isPublic: (m: MinutesView) => m.isPublic,
    reason: (m: MinutesView) => m.row.reason,
    circulatedAt: (m: MinutesView) => iso(m.row.circulatedAt),
    commentsDueOn: (m: MinutesView) => isoDay(m.row.commentsDueOn),
    approvedAt: (m: MinutesView) => iso(m.row.approvedAt),
    approvedBy: (m: MinutesView) => (m.isPublic ? null : account(m.row.approvedByAccountId)),
    approvedAtMeeting: (m: MinutesView, _: unknown, ctx: Ctx) => (m.row.approvedAtMeetingId ? ctx.meetings.meetingQuiet(m.row.approvedAtMeetingId) : null),
    entries: (m: MinutesView, _: unknown, ctx: Ctx) => ctx.meetings.entries(m),
    comments: (m: MinutesView, _: unknown, ctx: Ctx) => ctx.meetings.comments(m),
  },
  MinutesVersionInfo: {
    createdAt: (m: MinutesRow) => iso(m.createdAt),
    approvedAt: (m: MinutesRow) => iso(m.approvedAt),
  },
  MinutesComment: {
    author: (c: CommentRow) => account(c.accountId),
    organisation: (c: CommentRow) => org(c.organisationId),
    createdAt: (c: CommentRow) => iso(c.createdAt),
  },
  Decision: {
    createdAt: (d: DecisionRow) => iso(d.createdAt),
  },
  ActionItem: {
    meetingTitle: (i: ActionItemRow, _: unknown, ctx: Ctx) => ctx.meetings.meetingTitleOf(i.meetingId),
    ownerOrganisation: (i: ActionItemRow) => org(i.ownerOrganisationId),
    ownerAccount: (i: ActionItemRow) => account(i.ownerAccountId),
    dueOn: (i: ActionItemRow) => isoDay(i.dueOn),
    doneAt: (i: ActionItemRow) => iso(i.doneAt),
    overdue: (i: ActionItemRow, _: unknown, ctx: Ctx) => ctx.meetings.actionItemOverdue(i),
    canUpdate: (i: ActionItemRow, _: unknown, ctx: Ctx) => ctx.meetings.actionItemCanUpdate(i),
  },
  CalendarFeed: {
    createdAt: (f: { createdAt: Date }) => iso(f.createdAt),
  },
};
