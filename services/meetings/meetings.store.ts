/**
 * The only module that touches the database for meetings. No rules: it stores and fetches. Reads of
 * bodies, accounts and firm names (other domains, same database) are read-only and kept here so the
 * manager has one door to the data.
 */
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import type { ActionItemStatus, AttendanceStatus, MeetingRole, MinutesStatus, Rsvp } from '../../generated/prisma/enums';
import type { EventPayload, EventType } from '../notifications/events';
import { publishEvent } from '../notifications/outbox';
import { cancelScheduledNotice, scheduleNotice } from '../notifications/scheduling';

export type SeriesRow = Prisma.MeetingSeriesGetPayload<{ include: { bodies: true } }>;
export type MeetingRow = Prisma.MeetingGetPayload<object>;
export type AgendaItemRow = Prisma.AgendaItemGetPayload<object>;
export type MaterialRow = Omit<Prisma.MeetingMaterialGetPayload<object>, 'content'>;
export type InvitationRow = Prisma.MeetingInvitationGetPayload<object>;
export type MinutesRow = Prisma.MinutesVersionGetPayload<object>;
export type EntryRow = Prisma.MinutesEntryGetPayload<object>;
export type CommentRow = Prisma.MinutesCommentGetPayload<object>;
export type DecisionRow = Prisma.MeetingDecisionGetPayload<object>;
export type ActionItemRow = Prisma.ActionItemGetPayload<object>;

const MATERIAL_META = { id: true, meetingId: true, agendaItemId: true, fileName: true, contentType: true, sizeBytes: true, sha256: true, visibility: true, uploadedByAccountId: true, uploadedAt: true } as const;
const OPEN: ActionItemStatus[] = ['OPEN', 'IN_PROGRESS'];

export class MeetingsStore {
  constructor(private readonly prisma: PrismaClient) {}

  transaction<T>(fn: (store: MeetingsStore) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => fn(new MeetingsStore(tx as unknown as PrismaClient)), { timeout: 15_000 });
  }

  // ── Series ──────────────────────────────────────────────────────────────────────────────────

  allSeries(): Promise<SeriesRow[]> {
    return this.prisma.meetingSeries.findMany({ include: { bodies: true }, orderBy: [{ createdAt: 'asc' }] });
  }

  seriesByIds(ids: readonly string[]): Promise<SeriesRow[]> {
    return this.prisma.meetingSeries.findMany({ where: { id: { in: [...ids] } }, include: { bodies: true } });
  }

  seriesBySlug(slug: string): Promise<SeriesRow | null> {
    return this.prisma.meetingSeries.findUnique({ where: { slug }, include: { bodies: true } });
  }

  createSeries(data: Prisma.MeetingSeriesUncheckedCreateInput, bodies: Array<{ organisationId: string; role: MeetingRole }>): Promise<SeriesRow> {
    return this.prisma.meetingSeries.create({ data: { ...data, bodies: { create: bodies } }, include: { bodies: true } });
  }

  async setSeriesBody(seriesId: string, organisationId: string, role: MeetingRole | null): Promise<void> {
    if (!role) {
      await this.prisma.meetingSeriesBody.deleteMany({ where: { seriesId, organisationId } });
      return;
    }
    await this.prisma.meetingSeriesBody.upsert({ where: { seriesId_organisationId: { seriesId, organisationId } }, create: { seriesId, organisationId, role }, update: { role } });
  }

  /** Series in which one of the bodies is a member or observer, or is invited to a meeting. */
  async seriesIdsOfBodies(organisationIds: string[]): Promise<string[]> {
    if (organisationIds.length === 0) return [];
    const [bodies, invited] = await Promise.all([
      this.prisma.meetingSeriesBody.findMany({ where: { organisationId: { in: organisationIds } }, select: { seriesId: true } }),
      this.prisma.meeting.findMany({ where: { invitations: { some: { organisationId: { in: organisationIds } } } }, select: { seriesId: true }, distinct: ['seriesId'] }),
    ]);
    return [...new Set([...bodies.map((b) => b.seriesId), ...invited.map((m) => m.seriesId)])];
  }

  // ── Meetings ────────────────────────────────────────────────────────────────────────────────

  meetingsByIds(ids: readonly string[]): Promise<MeetingRow[]> {
    return this.prisma.meeting.findMany({ where: { id: { in: [...ids] } } });
  }

  meetingsOfSeries(seriesIds: readonly string[]): Promise<MeetingRow[]> {
    return this.prisma.meeting.findMany({ where: { seriesId: { in: [...seriesIds] } }, orderBy: [{ seriesId: 'asc' }, { number: 'asc' }] });
  }

  /** Meetings from a day on, soonest first; all of them, or those one of the bodies is invited to. */
  upcoming(fromDay: Date, organisationIds: string[] | 'ALL', take: number): Promise<MeetingRow[]> {
    return this.prisma.meeting.findMany({
      where: { sortDate: { gte: fromDay }, status: { not: 'CANCELLED' }, ...(organisationIds === 'ALL' ? {} : { invitations: { some: { organisationId: { in: organisationIds } } } }) },
      orderBy: [{ sortDate: 'asc' }, { number: 'asc' }],
      take,
    });
  }

  /** Dated meetings for a calendar feed, from a day on. */
  calendarMeetings(fromDay: Date, organisationIds: string[] | 'ALL'): Promise<MeetingRow[]> {
    return this.prisma.meeting.findMany({
      where: { date: { gte: fromDay }, ...(organisationIds === 'ALL' ? {} : { invitations: { some: { organisationId: { in: organisationIds } } } }) },
      orderBy: [{ sortDate: 'asc' }],
      take: 500,
    });
  }

  async maxNumber(seriesId: string): Promise<number> {
    const r = await this.prisma.meeting.aggregate({ where: { seriesId }, _max: { number: true } });
    return r._max.number ?? 0;
  }

  numberTaken(seriesId: string, number: number): Promise<boolean> {
    return this.prisma.meeting.count({ where: { seriesId, number } }).then((n) => n > 0);
  }

  createMeeting(data: Prisma.MeetingUncheckedCreateInput): Promise<MeetingRow> {
    return this.prisma.meeting.create({ data });
  }

  /** Applies a change if the meeting is still at the expected version, bumping it; false when stale. */
  async updateMeetingIfVersion(id: string, expectedVersion: number, data: Prisma.MeetingUncheckedUpdateManyInput): Promise<boolean> {
    const { count } = await this.prisma.meeting.updateMany({ where: { id, version: expectedVersion }, data: { ...data, version: { increment: 1 } } });
    return count === 1;
  }

  /** Bumps the version after a change to the meeting's parts (agenda, materials, minutes). */
  async touchMeeting(id: string): Promise<void> {
    await this.prisma.meeting.update({ where: { id }, data: { version: { increment: 1 } } });
  }

  setMaskTerms(id: string, terms: string[]): Promise<MeetingRow> {
    return this.prisma.meeting.update({ where: { id }, data: { maskTerms: terms, version: { increment: 1 } } });
  }

  /** Scheduled meetings of a series after a number, for carrying action items forward. */
  laterScheduled(seriesId: string, afterNumber: number): Promise<MeetingRow[]> {
    return this.prisma.meeting.findMany({ where: { seriesId, number: { gt: afterNumber }, status: 'SCHEDULED' } });
  }

  // ── Agenda ──────────────────────────────────────────────────────────────────────────────────

  agendaOf(meetingIds: readonly string[]): Promise<AgendaItemRow[]> {
    return this.prisma.agendaItem.findMany({ where: { meetingId: { in: [...meetingIds] } }, orderBy: [{ position: 'asc' }, { createdAt: 'asc' }] });
  }

  agendaItem(id: string): Promise<AgendaItemRow | null> {
    return this.prisma.agendaItem.findUnique({ where: { id } });
  }

  async addAgendaItem(data: Omit<Prisma.AgendaItemUncheckedCreateInput, 'position'>, atStart = false): Promise<AgendaItemRow> {
    if (atStart) {
      await this.prisma.agendaItem.updateMany({ where: { meetingId: data.meetingId }, data: { position: { increment: 1 } } });
      return this.prisma.agendaItem.create({ data: { ...data, position: 1 } });
    }
    const max = await this.prisma.agendaItem.aggregate({ where: { meetingId: data.meetingId }, _max: { position: true } });
    return this.prisma.agendaItem.create({ data: { ...data, position: (max._max.position ?? 0) + 1 } });
  }

  updateAgendaItem(id: string, data: Prisma.AgendaItemUncheckedUpdateInput): Promise<AgendaItemRow> {
    return this.prisma.agendaItem.update({ where: { id }, data });
  }

  async removeAgendaItem(id: string): Promise<void> {
    await this.prisma.agendaItem.delete({ where: { id } });
  }

  async setPositions(ids: string[]): Promise<void> {
    for (const [i, id] of ids.entries()) await this.prisma.agendaItem.update({ where: { id }, data: { position: i + 1 } });
  }

  hasActionReview(meetingId: string): Promise<boolean> {
    return this.prisma.agendaItem.count({ where: { meetingId, kind: 'ACTION_REVIEW' } }).then((n) => n > 0);
  }

  /** Whether minutes of any version mention the item (then it stays, as part of the record). */
  itemHasMinutes(agendaItemId: string): Promise<boolean> {
    return this.prisma.minutesEntry.count({ where: { agendaItemId } }).then((n) => n > 0);
  }

  // ── Materials ───────────────────────────────────────────────────────────────────────────────

  materialsOf(meetingIds: readonly string[]): Promise<MaterialRow[]> {
    return this.prisma.meetingMaterial.findMany({ where: { meetingId: { in: [...meetingIds] } }, select: MATERIAL_META, orderBy: { uploadedAt: 'asc' } });
  }

  material(id: string): Promise<MaterialRow | null> {
    return this.prisma.meetingMaterial.findUnique({ where: { id }, select: MATERIAL_META });
  }

  materialContent(id: string): Promise<Uint8Array | null> {
    return this.prisma.meetingMaterial.findUnique({ where: { id }, select: { content: true } }).then((r) => r?.content ?? null);
  }

  countMaterials(meetingId: string): Promise<number> {
    return this.prisma.meetingMaterial.count({ where: { meetingId } });
  }

  addMaterial(data: Prisma.MeetingMaterialUncheckedCreateInput): Promise<MaterialRow> {
    return this.prisma.meetingMaterial.create({ data, select: MATERIAL_META });
  }

  setMaterialVisibility(id: string, visibility: 'MEMBERS' | 'PUBLIC'): Promise<MaterialRow> {
    return this.prisma.meetingMaterial.update({ where: { id }, data: { visibility }, select: MATERIAL_META });
  }

  async removeMaterial(id: string): Promise<void> {
    await this.prisma.meetingMaterial.delete({ where: { id } });
  }

  // ── Invitations and attendance ──────────────────────────────────────────────────────────────

  invitationsOf(meetingIds: readonly string[]): Promise<InvitationRow[]> {
    return this.prisma.meetingInvitation.findMany({ where: { meetingId: { in: [...meetingIds] } }, orderBy: [{ role: 'asc' }, { createdAt: 'asc' }] });
  }

  invitation(id: string): Promise<InvitationRow | null> {
    return this.prisma.meetingInvitation.findUnique({ where: { id } });
  }

  async invite(meetingId: string, bodies: Array<{ organisationId: string; role: MeetingRole; attendeeAccountId?: string | null }>): Promise<void> {
    if (bodies.length) await this.prisma.meetingInvitation.createMany({ data: bodies.map((b) => ({ meetingId, ...b })), skipDuplicates: true });
  }

  async removeInvitation(id: string): Promise<void> {
    await this.prisma.meetingInvitation.delete({ where: { id } });
  }

  answer(id: string, accountId: string, rsvp: Rsvp, proxyName: string | null, note: string | null, at: Date): Promise<InvitationRow> {
    return this.prisma.meetingInvitation.update({ where: { id }, data: { rsvp, rsvpAt: at, rsvpByAccountId: accountId, proxyName, rsvpNote: note } });
  }

  recordAttendance(id: string, accountId: string, attendance: AttendanceStatus, attendeeName: string | null, note: string | null, at: Date): Promise<InvitationRow> {
    return this.prisma.meetingInvitation.update({ where: { id }, data: { attendance, attendeeName, attendanceNote: note, attendanceRecordedAt: at, attendanceRecordedByAccountId: accountId } });
  }

  // ── Minutes ─────────────────────────────────────────────────────────────────────────────────

  minutesOf(meetingIds: readonly string[]): Promise<MinutesRow[]> {
    return this.prisma.minutesVersion.findMany({ where: { meetingId: { in: [...meetingIds] } }, orderBy: [{ version: 'desc' }] });
  }

  entriesOf(versionIds: readonly string[]): Promise<EntryRow[]> {
    return this.prisma.minutesEntry.findMany({ where: { versionId: { in: [...versionIds] } } });
  }

  commentsOf(versionIds: readonly string[]): Promise<CommentRow[]> {
    return this.prisma.minutesComment.findMany({ where: { versionId: { in: [...versionIds] } }, orderBy: { createdAt: 'asc' } });
  }

  createMinutesVersion(data: Prisma.MinutesVersionUncheckedCreateInput, entries: Array<{ agendaItemId: string; body: string; internalNote: string | null }>): Promise<MinutesRow> {
    return this.prisma.minutesVersion.create({ data: { ...data, entries: { create: entries } } });
  }

  async upsertEntry(versionId: string, agendaItemId: string, body: string, internalNote: string | null): Promise<void> {
    await this.prisma.minutesEntry.upsert({ where: { versionId_agendaItemId: { versionId, agendaItemId } }, create: { versionId, agendaItemId, body, internalNote }, update: { body, internalNote } });
  }

  async setPublicText(entryId: string, publicBody: string, publicTitle: string): Promise<void> {
    await this.prisma.minutesEntry.update({ where: { id: entryId }, data: { publicBody, publicTitle } });
  }

  /** Moves a version from one status to another; false when it was not in `from` any more. */
  async setMinutesStatus(id: string, from: MinutesStatus, data: Prisma.MinutesVersionUncheckedUpdateManyInput & { status: MinutesStatus }): Promise<boolean> {
    const { count } = await this.prisma.minutesVersion.updateMany({ where: { id, status: from }, data });
    return count === 1;
  }

  addComment(data: Prisma.MinutesCommentUncheckedCreateInput): Promise<CommentRow> {
    return this.prisma.minutesComment.create({ data });
  }

  // ── Decisions and action items ──────────────────────────────────────────────────────────────

  decisionsOf(meetingIds: readonly string[]): Promise<DecisionRow[]> {
    return this.prisma.meetingDecision.findMany({ where: { meetingId: { in: [...meetingIds] } }, orderBy: { createdAt: 'asc' } });
  }

  decision(id: string): Promise<DecisionRow | null> {
    return this.prisma.meetingDecision.findUnique({ where: { id } });
  }

  addDecision(data: Prisma.MeetingDecisionUncheckedCreateInput): Promise<DecisionRow> {
    return this.prisma.meetingDecision.create({ data });
  }

  async removeDecision(id: string): Promise<void> {
    await this.prisma.meetingDecision.delete({ where: { id } });
  }

  actionItemsOf(meetingIds: readonly string[]): Promise<ActionItemRow[]> {
    return this.prisma.actionItem.findMany({ where: { meetingId: { in: [...meetingIds] } }, orderBy: [{ dueOn: 'asc' }, { createdAt: 'asc' }] });
  }

  actionItem(id: string): Promise<ActionItemRow | null> {
    return this.prisma.actionItem.findUnique({ where: { id } });
  }

  /**
   * Action items of a series raised at meetings numbered below `beforeNumber` and still open at a
   * moment: open now, or finished at or after it (for a meeting already held).
   */
  carried(seriesId: string, beforeNumber: number, openAt: Date | null): Promise<ActionItemRow[]> {
    return this.prisma.actionItem.findMany({
      where: {
        seriesId,
        meeting: { number: { lt: beforeNumber } },
        OR: [{ status: { in: OPEN } }, ...(openAt ? [{ doneAt: { gte: openAt } }] : [])],
        ...(openAt ? { createdAt: { lt: openAt } } : {}),
      },
      orderBy: [{ dueOn: 'asc' }, { createdAt: 'asc' }],
    });
  }

  hasOpenActionItems(seriesId: string): Promise<boolean> {
    return this.prisma.actionItem.count({ where: { seriesId, status: { in: OPEN } } }).then((n) => n > 0);
  }

  actionItemsOwnedBy(accountId: string, organisationIds: string[], includeClosed: boolean): Promise<ActionItemRow[]> {
    return this.prisma.actionItem.findMany({
      where: { OR: [{ ownerAccountId: accountId }, { ownerOrganisationId: { in: organisationIds } }], ...(includeClosed ? {} : { status: { in: OPEN } }) },
      orderBy: [{ dueOn: 'asc' }, { createdAt: 'asc' }],
      take: 500,
    });
  }

  addActionItem(data: Prisma.ActionItemUncheckedCreateInput): Promise<ActionItemRow> {
    return this.prisma.actionItem.create({ data });
  }

  async updateActionItemIfVersion(id: string, expectedVersion: number, data: Prisma.ActionItemUncheckedUpdateManyInput): Promise<boolean> {
    const { count } = await this.prisma.actionItem.updateMany({ where: { id, version: expectedVersion }, data: { ...data, version: { increment: 1 } } });
    return count === 1;
  }

  // ── Calendar feeds ──────────────────────────────────────────────────────────────────────────

  feedOf(accountId: string): Promise<{ accountId: string; createdAt: Date } | null> {
    return this.prisma.calendarFeed.findUnique({ where: { accountId }, select: { accountId: true, createdAt: true } });
  }

  feedByTokenHash(tokenHash: string): Promise<{ accountId: string } | null> {
    return this.prisma.calendarFeed.findUnique({ where: { tokenHash }, select: { accountId: true } });
  }

  setFeed(accountId: string, tokenHash: string, at: Date): Promise<{ createdAt: Date }> {
    return this.prisma.calendarFeed.upsert({ where: { accountId }, create: { accountId, tokenHash, createdAt: at }, update: { tokenHash, createdAt: at }, select: { createdAt: true } });
  }

  async removeFeed(accountId: string): Promise<void> {
    await this.prisma.calendarFeed.deleteMany({ where: { accountId } });
  }

  // ── Other domains (read-only) ───────────────────────────────────────────────────────────────

  async organisationNames(ids: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.prisma.organisation.findMany({ where: { id: { in: [...ids] } }, select: { id: true, nameJa: true } });
    return new Map(rows.map((r) => [r.id, r.nameJa]));
  }

  organisationExists(id: string): Promise<boolean> {
    return this.prisma.organisation.count({ where: { id } }).then((n) => n > 0);
  }

  /** Active accounts and their bodies and roles: the memberships of one account. */
  membershipsOf(accountId: string): Promise<Array<{ organisationId: string; roles: string[] }>> {
    return this.prisma.accountMembership.findMany({ where: { accountId, account: { status: 'ACTIVE' } }, select: { organisationId: true, roles: true } });
  }

  accountInBody(accountId: string, organisationId: string): Promise<boolean> {
    return this.prisma.accountMembership.count({ where: { accountId, organisationId, account: { status: 'ACTIVE' } } }).then((n) => n > 0);
  }

  accountExists(accountId: string): Promise<boolean> {
    return this.prisma.account.count({ where: { id: accountId, status: 'ACTIVE' } }).then((n) => n > 0);
  }

  /** Active accounts that administer any of the bodies. */
  async adminsOf(organisationIds: readonly string[]): Promise<Array<{ accountId: string; organisationId: string }>> {
    if (organisationIds.length === 0) return [];
    // Arrays travel as one text parameter: the embedded database's adapter cannot bind enum arrays.
    return this.prisma.$queryRaw<Array<{ accountId: string; organisationId: string }>>`
      SELECT m."accountId", m."organisationId" FROM "AccountMembership" m JOIN "Account" a ON a.id = m."accountId" AND a.status = 'ACTIVE'
       WHERE m."organisationId" = ANY(string_to_array(${organisationIds.join(',')}, ',')::uuid[]) AND 'ORG_ADMIN'::"Role" = ANY(m.roles)`;
  }

  /** Names of the hub's firms (not merged away) that occur in the text. */
  async firmNamesIn(text: string): Promise<string[]> {
    if (!text) return [];
    const rows = await this.prisma.$queryRaw<Array<{ nameJa: string }>>`
      SELECT DISTINCT "nameJa" FROM "Firm" WHERE "mergedIntoId" IS NULL AND length("nameJa") >= 2 AND strpos(${text}, "nameJa") > 0`;
    return rows.map((r) => r.nameJa);
  }

  /** Core names (legal form removed) of the hub's firms that occur in the text. */
  async firmCoreNamesIn(text: string, core: string): Promise<string[]> {
    if (!text) return [];
    const rows = await this.prisma.$queryRaw<Array<{ name: string }>>`
      SELECT DISTINCT n AS name FROM (SELECT ${core}::text AS pattern) p,
        LATERAL (SELECT regexp_replace("nameJa", p.pattern, '', 'g') AS n FROM "Firm" WHERE "mergedIntoId" IS NULL) f
      WHERE length(n) >= 3 AND strpos(${text}, n) > 0`;
    return rows.map((r) => r.name);
  }

  /** Names of all directory bodies that occur in the text (never masked as firms). */
  async organisationNamesIn(text: string): Promise<string[]> {
    if (!text) return [];
    const rows = await this.prisma.$queryRaw<Array<{ nameJa: string }>>`SELECT "nameJa" FROM "Organisation" WHERE strpos(${text}, "nameJa") > 0`;
    return rows.map((r) => r.nameJa);
  }

  // ── Notices ─────────────────────────────────────────────────────────────────────────────────

  async publish<T extends EventType>(type: T, payload: EventPayload<T>): Promise<void> {
    await publishEvent(this.prisma, type, payload);
  }

  async schedule<T extends EventType>(key: string, dueAt: Date, type: T, payload: EventPayload<T>): Promise<void> {
    await scheduleNotice(this.prisma, { key, dueAt, type, payload });
  }

  async cancelNotice(key: string): Promise<void> {
    await cancelScheduledNotice(this.prisma, key);
  }
}
