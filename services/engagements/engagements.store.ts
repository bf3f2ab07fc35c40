/**
 * The only module that touches the database for engagements and teams. No rules: it stores and
 * fetches. Reads of firms, consents, referrals, people and accounts (other domains, same database)
 * are read-only and kept here so the manager has one door to the data.
 */
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import type { EngagementStage, Qualification, Speciality } from '../../generated/prisma/enums';
import type { EventPayload, EventType } from '../notifications/events';
import { publishEvent } from '../notifications/outbox';
import { scheduleNotice } from '../notifications/scheduling';
import { recordProvision, type Provision } from '../referrals/provision';

export type EngagementRow = Prisma.EngagementGetPayload<object>;
export type TeamMemberRow = Prisma.TeamMemberGetPayload<object>;
export type StageChangeRow = Prisma.EngagementStageChangeGetPayload<object>;
export type IssueRow = Prisma.EssentialIssueGetPayload<object>;
export type SessionRow = Prisma.EngagementSessionGetPayload<object>;
export type OutcomeRow = Prisma.OutcomeMeasurementGetPayload<object>;
export type ConsentRow = Prisma.FirmConsentGetPayload<object>;

export interface SupporterRow {
  id: string;
  capacity: number;
  load: number;
}

export interface SupporterQuery {
  qualifications: Qualification[];
  specialities: Speciality[];
  regionCode: string | null;
  /** Already normalised for search. */
  searchText: string | null;
  availableOnly: boolean;
}

export class EngagementsStore {
  constructor(private readonly prisma: PrismaClient) {}

  transaction<T>(fn: (store: EngagementsStore) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => fn(new EngagementsStore(tx as unknown as PrismaClient)), { timeout: 15_000 });
  }

  // ── Engagements ─────────────────────────────────────────────────────────────────────────────

  engagementsByIds(ids: readonly string[]): Promise<EngagementRow[]> {
    return this.prisma.engagement.findMany({ where: { id: { in: [...ids] } } });
  }

  engagementByReferral(referralId: string): Promise<EngagementRow | null> {
    return this.prisma.engagement.findUnique({ where: { referralId } });
  }

  /** Engagements the account leads or where the person accepted a place, by stage then newest. */
  async mine(accountId: string, personId: string | null, stage: EngagementStage | null, includeClosed: boolean, take: number, skip: number): Promise<{ rows: EngagementRow[]; totalCount: number }> {
    const where: Prisma.EngagementWhereInput = {
      OR: [{ leadAccountId: accountId }, ...(personId ? [{ members: { some: { personId, status: 'ACCEPTED' as const } } }] : [])],
      ...(stage ? { stage } : {}),
      ...(includeClosed ? {} : { status: 'ACTIVE' as const }),
    };
    const [rows, totalCount] = await Promise.all([
      this.prisma.engagement.findMany({ where, orderBy: [{ stageChangedAt: 'desc' }, { id: 'asc' }], take, skip }),
      this.prisma.engagement.count({ where }),
    ]);
    return { rows, totalCount };
  }

  createEngagement(data: Prisma.EngagementUncheckedCreateInput): Promise<EngagementRow> {
    return this.prisma.engagement.create({ data });
  }

  /** Applies a change if the engagement is still at `expectedVersion`; false otherwise. */
  async updateEngagement(id: string, expectedVersion: number, data: Prisma.EngagementUncheckedUpdateManyInput): Promise<boolean> {
    const { count } = await this.prisma.engagement.updateMany({ where: { id, version: expectedVersion }, data: { ...data, version: { increment: 1 } } });
    return count === 1;
  }

  async touch(id: string): Promise<void> {
    await this.prisma.engagement.update({ where: { id }, data: { version: { increment: 1 } } });
  }

  async addStageChange(data: Prisma.EngagementStageChangeUncheckedCreateInput): Promise<void> {
    await this.prisma.engagementStageChange.create({ data });
  }

  stageChanges(engagementIds: readonly string[]): Promise<StageChangeRow[]> {
    return this.prisma.engagementStageChange.findMany({ where: { engagementId: { in: [...engagementIds] } }, orderBy: { id: 'asc' } });
  }

  issues(engagementIds: readonly string[]): Promise<IssueRow[]> {
    return this.prisma.essentialIssue.findMany({ where: { engagementId: { in: [...engagementIds] } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  issue(id: string): Promise<IssueRow | null> {
    return this.prisma.essentialIssue.findUnique({ where: { id } });
  }

  async addIssue(data: Prisma.EssentialIssueUncheckedCreateInput): Promise<void> {
    await this.prisma.essentialIssue.create({ data });
  }

  async setIssueStatus(id: string, status: IssueRow['status']): Promise<void> {
    await this.prisma.essentialIssue.update({ where: { id }, data: { status } });
  }

  sessions(engagementIds: readonly string[]): Promise<SessionRow[]> {
    return this.prisma.engagementSession.findMany({ where: { engagementId: { in: [...engagementIds] } }, orderBy: [{ heldOn: 'desc' }, { createdAt: 'desc' }] });
  }

  async addSession(data: Prisma.EngagementSessionUncheckedCreateInput): Promise<void> {
    await this.prisma.engagementSession.create({ data });
  }

  outcomes(engagementIds: readonly string[]): Promise<OutcomeRow[]> {
    return this.prisma.outcomeMeasurement.findMany({ where: { engagementId: { in: [...engagementIds] } }, orderBy: [{ measuredOn: 'asc' }, { createdAt: 'asc' }] });
  }

  async addOutcome(data: Prisma.OutcomeMeasurementUncheckedCreateInput): Promise<void> {
    await this.prisma.outcomeMeasurement.create({ data });
  }

  // ── Teams ───────────────────────────────────────────────────────────────────────────────────

  members(engagementIds: readonly string[]): Promise<TeamMemberRow[]> {
    return this.prisma.teamMember.findMany({ where: { engagementId: { in: [...engagementIds] } }, orderBy: { invitedAt: 'asc' } });
  }

  member(id: string): Promise<TeamMemberRow | null> {
    return this.prisma.teamMember.findUnique({ where: { id } });
  }

  invitationsOf(personId: string): Promise<TeamMemberRow[]> {
    return this.prisma.teamMember.findMany({ where: { personId, status: 'INVITED', engagement: { status: 'ACTIVE' } }, orderBy: { invitedAt: 'desc' } });
  }

  addMember(data: Prisma.TeamMemberUncheckedCreateInput): Promise<TeamMemberRow> {
    return this.prisma.teamMember.create({ data });
  }

  /** Moves a member from `from` to a new status; false when someone else moved it first. */
  async updateMember(id: string, from: TeamMemberRow['status'], data: Prisma.TeamMemberUncheckedUpdateManyInput): Promise<boolean> {
    const { count } = await this.prisma.teamMember.updateMany({ where: { id, status: from }, data });
    return count === 1;
  }

  /** Active engagements the person is on, invited to, or leads. */
  async loadOf(personId: string): Promise<number> {
    const accounts = (await this.prisma.account.findMany({ where: { personId }, select: { id: true } })).map((a) => a.id);
    const [onTeams, leading] = await Promise.all([
      this.prisma.teamMember.count({ where: { personId, status: { in: ['INVITED', 'ACCEPTED'] }, engagement: { status: 'ACTIVE' } } }),
      accounts.length ? this.prisma.engagement.count({ where: { status: 'ACTIVE', leadAccountId: { in: accounts } } }) : Promise.resolve(0),
    ]);
    return onTeams + leading;
  }

  /**
   * Supporters matching the filter with their load, available first, then by reading. One statement
   * for the page (arrays travel as one text parameter: the embedded database cannot bind enum arrays).
   */
  async searchSupporters(q: SupporterQuery, take: number, skip: number): Promise<{ rows: SupporterRow[]; totalCount: number }> {
    const where = `
      ($1 = '' OR p.qualifications && string_to_array($1, ',')::"Qualification"[])
      AND ($2 = '' OR p.specialities && string_to_array($2, ',')::"Speciality"[])
      AND ($3 = '' OR $3 = ANY(p."regionCodes"))
      AND ($4 = '' OR p."searchText" LIKE '%' || $4 || '%')
      AND (NOT $5::boolean OR COALESCE(l.n, 0) < p.capacity)`;
    // Load: active engagements the person is on or invited to, and those they lead.
    const from = `FROM "Person" p LEFT JOIN (
        SELECT x."personId", count(*)::int AS n FROM (
          SELECT tm."personId" FROM "TeamMember" tm JOIN "Engagement" e ON e.id = tm."engagementId" AND e.status = 'ACTIVE'
           WHERE tm.status IN ('INVITED', 'ACCEPTED')
          UNION ALL
          SELECT a."personId" FROM "Engagement" e JOIN "Account" a ON a.id = e."leadAccountId"
           WHERE e.status = 'ACTIVE' AND a."personId" IS NOT NULL) x
         GROUP BY x."personId") l ON l."personId" = p.id`;
    const params = [q.qualifications.join(','), q.specialities.join(','), q.regionCode ?? '', escapeLike(q.searchText ?? ''), q.availableOnly];
    const rows = await this.prisma.$queryRawUnsafe<Array<{ id: string; capacity: number; load: number }>>(
      `SELECT p.id, p.capacity, COALESCE(l.n, 0)::int AS load ${from} WHERE ${where}
        ORDER BY (COALESCE(l.n, 0) >= p.capacity), p."nameKana", p.id LIMIT $6 OFFSET $7`,
      ...params,
      take,
      skip,
    );
    const [count] = await this.prisma.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n ${from} WHERE ${where}`, ...params);
    return { rows, totalCount: count?.n ?? 0 };
  }

  // ── Other domains, read-only ────────────────────────────────────────────────────────────────

  async personIdOf(accountId: string): Promise<string | null> {
    const row = await this.prisma.account.findUnique({ where: { id: accountId }, select: { personId: true } });
    return row?.personId ?? null;
  }

  async displayNameOf(accountId: string): Promise<string | null> {
    return (await this.prisma.account.findUnique({ where: { id: accountId }, select: { displayName: true } }))?.displayName ?? null;
  }

  async accountsOfPersons(personIds: readonly string[]): Promise<Map<string, string>> {
    if (personIds.length === 0) return new Map();
    const rows = await this.prisma.account.findMany({ where: { personId: { in: [...personIds] }, status: 'ACTIVE' }, select: { id: true, personId: true } });
    return new Map(rows.map((r) => [r.personId!, r.id]));
  }

  async person(id: string): Promise<{ id: string; capacity: number; nameJa: string } | null> {
    return this.prisma.person.findUnique({ where: { id }, select: { id: true, capacity: true, nameJa: true } });
  }

  async membershipsOfPeople(personIds: readonly string[]): Promise<Array<{ personId: string; organisationId: string }>> {
    return this.prisma.membership.findMany({ where: { personId: { in: [...personIds] } }, select: { personId: true, organisationId: true }, orderBy: [{ primary: 'desc' }, { createdAt: 'asc' }] });
  }

  async organisation(id: string): Promise<{ id: string; nameJa: string; category: string } | null> {
    return this.prisma.organisation.findUnique({ where: { id }, select: { id: true, nameJa: true, category: true } });
  }

  /** The firm, if the body holds it or it was shared with the body under a consent in force. */
  async firmVisibleTo(firmId: string, organisationId: string): Promise<{ id: string; nameJa: string; corporateNumber: string | null; representativeName: string | null } | null> {
    return this.prisma.firm.findFirst({
      where: {
        id: firmId,
        mergedIntoId: null,
        OR: [{ holdings: { some: { organisationId } } }, { consents: { some: { recipientOrganisationId: organisationId, firstSharedAt: { not: null }, withdrawnAt: null } } }],
      },
      select: { id: true, nameJa: true, corporateNumber: true, representativeName: true },
    });
  }

  async firmNames(ids: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.prisma.firm.findMany({ where: { id: { in: [...ids] } }, select: { id: true, nameJa: true } });
    return new Map(rows.map((r) => [r.id, r.nameJa]));
  }

  referral(id: string): Promise<{ id: string; firmId: string; recipientOrganisationId: string; status: string } | null> {
    return this.prisma.referral.findUnique({ where: { id }, select: { id: true, firmId: true, recipientOrganisationId: true, status: true } });
  }

  consent(id: string): Promise<ConsentRow | null> {
    return this.prisma.firmConsent.findUnique({ where: { id } });
  }

  consentsByIds(ids: readonly string[]): Promise<ConsentRow[]> {
    return this.prisma.firmConsent.findMany({ where: { id: { in: [...ids] } } });
  }

  // ── Writes that cross into other domains' records ───────────────────────────────────────────

  /** Data crossed bodies: see services/referrals/provision.ts. */
  recordProvision(p: Provision): Promise<void> {
    return recordProvision(this.prisma, p);
  }

  async logFirmReads(rows: Prisma.FirmDataReadCreateManyInput[]): Promise<void> {
    if (rows.length) await this.prisma.firmDataRead.createMany({ data: rows });
  }

  publish<T extends EventType>(type: T, payload: EventPayload<T>): Promise<string> {
    return publishEvent(this.prisma, type, payload);
  }

  schedule<T extends EventType>(key: string, dueAt: Date, type: T, payload: EventPayload<T>): Promise<void> {
    return scheduleNotice(this.prisma, { key, dueAt, type, payload });
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
