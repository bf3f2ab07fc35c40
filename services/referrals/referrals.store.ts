/**
 * The only module that touches the database for firms, consents, provision records and referrals.
 * No rules here: it stores and fetches, and answers "what may this body see" in SQL so that lists are
 * scoped in the database, not filtered after the fact.
 */
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import type { ConsentCategory, ReferralStatus, Role } from '../../generated/prisma/enums';
import type { EventPayload, EventType } from '../notifications/events';
import { publishEvent } from '../notifications/outbox';
import { cancelScheduledNotice, scheduleNotice } from '../notifications/scheduling';
import { recordProvision, type Provision } from './provision';

export type FirmRow = Prisma.FirmGetPayload<{ include: { holdings: true } }>;
export type HoldingRow = Prisma.FirmHoldingGetPayload<object>;
export type ConsentRow = Prisma.FirmConsentGetPayload<object>;
export type ReferralRow = Prisma.ReferralGetPayload<{ include: { consent: true } }>;
export type ReferralEventRow = Prisma.ReferralEventGetPayload<object>;
export type AttachmentMeta = Omit<Prisma.ReferralAttachmentGetPayload<object>, 'content'>;
export type ProvisionRow = Prisma.ProvisionRecordGetPayload<object>;
export type DuplicateFlagRow = Prisma.FirmDuplicateFlagGetPayload<object>;

export interface SharedConsent {
  firmId: string;
  providerOrganisationId: string;
  categories: ConsentCategory[];
  firstSharedAt: Date;
}

export interface Page {
  take: number;
  /** Sort key and id of the last row of the previous page. */
  after?: { key: string; id: string };
}

export interface PageResult<T> {
  rows: T[];
  hasNextPage: boolean;
  totalCount: number;
}

export type InboxBox = 'NEW' | 'OVERDUE' | 'IN_PROGRESS' | 'CLOSED';

const ATTACHMENT_META = { id: true, referralId: true, fileName: true, contentType: true, sizeBytes: true, sha256: true, uploadedByAccountId: true, uploadedAt: true } as const;

/** A firm the body holds, or that was shared with it under a consent still in force. */
function firmVisibleTo(organisationId: string): Prisma.FirmWhereInput {
  return {
    mergedIntoId: null,
    OR: [
      { holdings: { some: { organisationId } } },
      { consents: { some: { recipientOrganisationId: organisationId, firstSharedAt: { not: null }, withdrawnAt: null } } },
    ],
  };
}

export class ReferralsStore {
  constructor(private readonly prisma: PrismaClient) {}

  transaction<T>(fn: (store: ReferralsStore) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => fn(new ReferralsStore(tx as unknown as PrismaClient)), { timeout: 15_000 });
  }

  // ── Firms ───────────────────────────────────────────────────────────────────────────────────

  /** The firms among ids the body may see (merged records excluded), with every holding. */
  firmsVisibleTo(ids: readonly string[], organisationId: string): Promise<FirmRow[]> {
    return this.prisma.firm.findMany({ where: { id: { in: [...ids] }, ...firmVisibleTo(organisationId) }, include: { holdings: true } });
  }

  /** Consents in force under which data of these firms was shared with the body. */
  sharedConsents(firmIds: readonly string[], organisationId: string): Promise<SharedConsent[]> {
    return this.prisma.firmConsent.findMany({
      where: { firmId: { in: [...firmIds] }, recipientOrganisationId: organisationId, firstSharedAt: { not: null }, withdrawnAt: null },
      select: { firmId: true, providerOrganisationId: true, categories: true, firstSharedAt: true },
      orderBy: { firstSharedAt: 'desc' },
    }) as Promise<SharedConsent[]>;
  }

  async findFirms(organisationId: string, search: string | undefined, page: Page): Promise<PageResult<FirmRow>> {
    const where: Prisma.FirmWhereInput = {
      ...firmVisibleTo(organisationId),
      ...(search
        ? { AND: [{ OR: [{ nameKana: { contains: search } }, { nameJa: { contains: search } }, { corporateNumber: { startsWith: search } }] }] }
        : {}),
    };
    const after = page.after;
    const [rows, totalCount] = await Promise.all([
      this.prisma.firm.findMany({
        where: after ? { AND: [where, { OR: [{ nameKana: { gt: after.key } }, { nameKana: after.key, id: { gt: after.id } }] }] } : where,
        include: { holdings: true },
        orderBy: [{ nameKana: 'asc' }, { id: 'asc' }],
        take: page.take + 1,
      }),
      this.prisma.firm.count({ where }),
    ]);
    return { rows: rows.slice(0, page.take), hasNextPage: rows.length > page.take, totalCount };
  }

  firmByCorporateNumber(corporateNumber: string): Promise<FirmRow | null> {
    return this.prisma.firm.findUnique({ where: { corporateNumber }, include: { holdings: true } });
  }

  firmById(id: string): Promise<FirmRow | null> {
    return this.prisma.firm.findUnique({ where: { id }, include: { holdings: true } });
  }

  createFirm(data: Omit<Prisma.FirmUncheckedCreateInput, 'holdings'>, holding: Omit<Prisma.FirmHoldingUncheckedCreateInput, 'firmId'>): Promise<FirmRow> {
    return this.prisma.firm.create({ data: { ...data, holdings: { create: holding } }, include: { holdings: true } });
  }

  upsertHolding(firmId: string, organisationId: string, figures: Pick<HoldingRow, 'capitalYen' | 'employees' | 'annualSalesYen' | 'fiscalYearEndMonth'>): Promise<HoldingRow> {
    return this.prisma.firmHolding.upsert({
      where: { organisationId_firmId: { organisationId, firmId } },
      create: { firmId, organisationId, ...figures },
      update: figures,
    });
  }

  /** Updates a firm if its version is still `expectedVersion`; false when someone changed it first. */
  async updateFirm(id: string, expectedVersion: number, data: Prisma.FirmUpdateManyMutationInput): Promise<boolean> {
    const { count } = await this.prisma.firm.updateMany({ where: { id, version: expectedVersion, mergedIntoId: null }, data: { ...data, version: { increment: 1 } } });
    return count === 1;
  }

  /** Other live firms with the same match key. */
  firmsWithMatchKey(matchKey: string, exceptId: string): Promise<Array<{ id: string }>> {
    return this.prisma.firm.findMany({ where: { matchKey, mergedIntoId: null, id: { not: exceptId } }, select: { id: true } });
  }

  async flagDuplicates(firmId: string, candidateIds: string[]): Promise<void> {
    if (candidateIds.length === 0) return;
    await this.prisma.firmDuplicateFlag.createMany({ data: candidateIds.map((candidateId) => ({ firmId, candidateId })), skipDuplicates: true });
  }

  /** Open flags; for a body, only those where it holds both records. */
  openDuplicateFlags(organisationId: string | null): Promise<DuplicateFlagRow[]> {
    return this.prisma.$queryRaw<DuplicateFlagRow[]>`
      SELECT d.* FROM "FirmDuplicateFlag" d
        JOIN "Firm" a ON a.id = d."firmId" AND a."mergedIntoId" IS NULL
        JOIN "Firm" b ON b.id = d."candidateId" AND b."mergedIntoId" IS NULL
       WHERE d."resolvedAt" IS NULL
         AND (${organisationId}::uuid IS NULL OR (
              EXISTS (SELECT 1 FROM "FirmHolding" h WHERE h."firmId" = d."firmId" AND h."organisationId" = ${organisationId}::uuid)
          AND EXISTS (SELECT 1 FROM "FirmHolding" h WHERE h."firmId" = d."candidateId" AND h."organisationId" = ${organisationId}::uuid)))
       ORDER BY d."flaggedAt" DESC
       LIMIT 200`;
  }

  duplicateFlag(id: string): Promise<DuplicateFlagRow | null> {
    return this.prisma.firmDuplicateFlag.findUnique({ where: { id } });
  }

  async resolveDuplicateFlag(id: string, resolution: 'MERGED' | 'DISTINCT', accountId: string): Promise<boolean> {
    const { count } = await this.prisma.firmDuplicateFlag.updateMany({ where: { id, resolvedAt: null }, data: { resolvedAt: new Date(), resolution, resolvedById: accountId } });
    return count === 1;
  }

  /**
   * Folds `duplicateId` into `survivorId`: holdings (the survivor's figures win where a body holds
   * both), consents and referrals move; the duplicate is marked merged. Provision records keep the
   * firm id and name they were written with.
   */
  async mergeFirm(duplicateId: string, survivorId: string, accountId: string): Promise<void> {
    const dup = await this.prisma.firm.findUniqueOrThrow({ where: { id: duplicateId } });
    const survivor = await this.prisma.firm.findUniqueOrThrow({ where: { id: survivorId } });
    await this.prisma.$executeRaw`
      INSERT INTO "FirmHolding" ("firmId", "organisationId", "capitalYen", employees, "annualSalesYen", "fiscalYearEndMonth", since, "updatedAt")
      SELECT ${survivorId}::uuid, h."organisationId", h."capitalYen", h.employees, h."annualSalesYen", h."fiscalYearEndMonth", h.since, now()
        FROM "FirmHolding" h WHERE h."firmId" = ${duplicateId}::uuid
      ON CONFLICT ("organisationId", "firmId") DO NOTHING`;
    await this.prisma.firmHolding.deleteMany({ where: { firmId: duplicateId } });
    await this.prisma.firmConsent.updateMany({ where: { firmId: duplicateId }, data: { firmId: survivorId } });
    await this.prisma.referral.updateMany({ where: { firmId: duplicateId }, data: { firmId: survivorId } });
    const moveNumber = dup.corporateNumber && !survivor.corporateNumber ? dup.corporateNumber : null;
    await this.prisma.firm.update({ where: { id: duplicateId }, data: { mergedIntoId: survivorId, corporateNumber: null, version: { increment: 1 } } });
    if (moveNumber) await this.prisma.firm.update({ where: { id: survivorId }, data: { corporateNumber: moveNumber, version: { increment: 1 } } });
    await this.prisma.firmDuplicateFlag.updateMany({
      where: { resolvedAt: null, OR: [{ firmId: duplicateId }, { candidateId: duplicateId }] },
      data: { resolvedAt: new Date(), resolution: 'MERGED', resolvedById: accountId },
    });
  }

  // ── Consents and provision records ──────────────────────────────────────────────────────────

  consentById(id: string): Promise<ConsentRow | null> {
    return this.prisma.firmConsent.findUnique({ where: { id } });
  }

  consentsByIds(ids: readonly string[]): Promise<ConsentRow[]> {
    return this.prisma.firmConsent.findMany({ where: { id: { in: [...ids] } } });
  }

  /** Consents of a firm the body gave or received. */
  consentsOfFirm(firmId: string, organisationId: string): Promise<ConsentRow[]> {
    return this.prisma.firmConsent.findMany({
      where: { firmId, OR: [{ providerOrganisationId: organisationId }, { recipientOrganisationId: organisationId, firstSharedAt: { not: null } }] },
      orderBy: [{ recordedAt: 'desc' }, { id: 'asc' }],
    });
  }

  createConsent(data: Prisma.FirmConsentUncheckedCreateInput): Promise<ConsentRow> {
    return this.prisma.firmConsent.create({ data });
  }

  async withdrawConsent(id: string, accountId: string, note: string | null, at: Date): Promise<boolean> {
    const { count } = await this.prisma.firmConsent.updateMany({ where: { id, withdrawnAt: null }, data: { withdrawnAt: at, withdrawnByAccountId: accountId, withdrawalNote: note } });
    return count === 1;
  }

  /** Firm data crossed bodies: see provision.ts. */
  recordProvision(p: Provision): Promise<void> {
    return recordProvision(this.prisma, p);
  }

  private provisionWhere(organisationId: string | null, f: { from?: Date; to?: Date; firmId?: string }): Prisma.ProvisionRecordWhereInput {
    return {
      ...(organisationId ? { OR: [{ providerOrganisationId: organisationId }, { recipientOrganisationId: organisationId }] } : {}),
      ...(f.from || f.to ? { providedAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } } : {}),
      ...(f.firmId ? { firmId: f.firmId } : {}),
    };
  }

  async provisionRecords(organisationId: string | null, f: { from?: Date; to?: Date; firmId?: string }, page: Page): Promise<PageResult<ProvisionRow>> {
    const where = this.provisionWhere(organisationId, f);
    const after = page.after;
    const [rows, totalCount] = await Promise.all([
      this.prisma.provisionRecord.findMany({
        where: after ? { AND: [where, { OR: [{ providedAt: { lt: new Date(after.key) } }, { providedAt: new Date(after.key), id: { lt: after.id } }] }] } : where,
        orderBy: [{ providedAt: 'desc' }, { id: 'desc' }],
        take: page.take + 1,
      }),
      this.prisma.provisionRecord.count({ where }),
    ]);
    return { rows: rows.slice(0, page.take), hasNextPage: rows.length > page.take, totalCount };
  }

  /** Every matching record, oldest first, a page at a time (for the CSV export). */
  async *allProvisionRecords(organisationId: string | null, f: { from?: Date; to?: Date; firmId?: string }): AsyncGenerator<ProvisionRow> {
    const where = this.provisionWhere(organisationId, f);
    let cursor: string | undefined;
    for (;;) {
      const rows = await this.prisma.provisionRecord.findMany({
        where,
        orderBy: [{ providedAt: 'asc' }, { id: 'asc' }],
        take: 500,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      });
      yield* rows;
      if (rows.length < 500) return;
      cursor = rows[rows.length - 1].id;
    }
  }

  // ── Referrals ───────────────────────────────────────────────────────────────────────────────

  referralsByIds(ids: readonly string[]): Promise<ReferralRow[]> {
    return this.prisma.referral.findMany({ where: { id: { in: [...ids] } }, include: { consent: true } });
  }

  referralsForwardedFrom(ids: readonly string[]): Promise<Array<{ id: string; forwardedFromId: string | null; recipientOrganisationId: string }>> {
    return this.prisma.referral.findMany({ where: { forwardedFromId: { in: [...ids] } }, select: { id: true, forwardedFromId: true, recipientOrganisationId: true } });
  }

  /** Referrals of a firm the body sent, or received under a consent still in force. */
  referralsOfFirm(firmId: string, organisationId: string): Promise<ReferralRow[]> {
    return this.prisma.referral.findMany({
      where: {
        firmId,
        OR: [{ senderOrganisationId: organisationId }, { recipientOrganisationId: organisationId, status: { not: 'DRAFT' }, consent: { withdrawnAt: null } }],
      },
      include: { consent: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
  }

  /**
   * Cancels every open (sent, not closed) referral under a consent, whatever its version: a withdrawal
   * is not a change someone can be stale against. Returns what each was before.
   */
  cancelOpenUnderConsent(consentId: string, at: Date): Promise<Array<{ id: string; number: number; fromStatus: ReferralStatus; recipientOrganisationId: string }>> {
    return this.prisma.$queryRaw`
      WITH open AS (
        SELECT id, status FROM "Referral"
         WHERE "consentId" = ${consentId}::uuid AND status IN ('SENT', 'ACCEPTED', 'IN_PROGRESS', 'ON_HOLD')
         FOR UPDATE)
      UPDATE "Referral" r SET status = 'CANCELLED', "closedAt" = ${at}, "updatedAt" = ${at}, version = r.version + 1
        FROM open WHERE r.id = open.id
      RETURNING r.id, r.number, open.status AS "fromStatus", r."recipientOrganisationId"`;
  }

  /**
   * The receiving body's box: a page of ids in one statement, its count in another, then the rows.
   * A referral counts only while its consent stands. NEW and OVERDUE come most urgent first (by
   * deadline), the others most recently changed first; each order has its index (see the schema),
   * and the status lists are literals so PostgreSQL can read those indexes in order.
   */
  async inbox(organisationId: string, box: InboxBox, page: Page, now: Date): Promise<PageResult<ReferralRow>> {
    const byDeadline = box === 'NEW' || box === 'OVERDUE';
    const status = byDeadline ? `r.status = 'SENT'` : box === 'IN_PROGRESS' ? `r.status IN ('ACCEPTED', 'IN_PROGRESS', 'ON_HOLD')` : `r.status IN ('DECLINED', 'FORWARDED', 'COMPLETED', 'CANCELLED')`;
    const due = box === 'NEW' ? 'AND r."responseDueAt" >= $2' : box === 'OVERDUE' ? 'AND r."responseDueAt" < $2' : 'AND $2::timestamp IS NOT NULL';
    const sortColumn = byDeadline ? '"responseDueAt"' : '"updatedAt"';
    const order = byDeadline ? 'ASC' : 'DESC';
    const after = page.after ? `AND (r.${sortColumn}, r.id) ${byDeadline ? '>' : '<'} ($4::timestamp, $5::uuid)` : '';
    const base = `FROM "Referral" r
                  WHERE r."recipientOrganisationId" = $1::uuid AND ${status} ${due}
                    AND r."consentId" IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM "FirmConsent" c WHERE c.id = r."consentId" AND c."withdrawnAt" IS NOT NULL)`;
    const params: unknown[] = [organisationId, now, page.take + 1];
    if (page.after) params.push(new Date(page.after.key), page.after.id);
    const ids = await this.prisma.$queryRawUnsafe<Array<{ id: string }>>(`SELECT r.id ${base} ${after} ORDER BY r.${sortColumn} ${order}, r.id ${order} LIMIT $3`, ...params);
    const countRows = await this.prisma.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(*) AS n ${base}`, organisationId, now);
    const rows = await this.referralsByIds(ids.slice(0, page.take).map((r) => r.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return { rows: ids.slice(0, page.take).flatMap((r) => byId.get(r.id) ?? []), hasNextPage: ids.length > page.take, totalCount: Number(countRows[0]?.n ?? 0) };
  }

  async sent(organisationId: string, statuses: ReferralStatus[] | undefined, page: Page): Promise<PageResult<ReferralRow>> {
    const where: Prisma.ReferralWhereInput = { senderOrganisationId: organisationId, ...(statuses?.length ? { status: { in: statuses } } : {}) };
    const after = page.after;
    const [rows, totalCount] = await Promise.all([
      this.prisma.referral.findMany({
        where: after ? { AND: [where, { OR: [{ createdAt: { lt: new Date(after.key) } }, { createdAt: new Date(after.key), id: { lt: after.id } }] }] } : where,
        include: { consent: true },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: page.take + 1,
      }),
      this.prisma.referral.count({ where }),
    ]);
    return { rows: rows.slice(0, page.take), hasNextPage: rows.length > page.take, totalCount };
  }

  async counts(organisationId: string, now: Date): Promise<{ new: number; overdue: number; inProgress: number; sentOpen: number }> {
    const [row] = await this.prisma.$queryRaw<Array<{ new: bigint; overdue: bigint; in_progress: bigint; sent_open: bigint }>>`
      SELECT
        (SELECT count(*) FROM "Referral" r
          WHERE r."recipientOrganisationId" = ${organisationId}::uuid AND r.status = 'SENT' AND r."responseDueAt" >= ${now} AND r."consentId" IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM "FirmConsent" c WHERE c.id = r."consentId" AND c."withdrawnAt" IS NOT NULL)) AS new,
        (SELECT count(*) FROM "Referral" r
          WHERE r."recipientOrganisationId" = ${organisationId}::uuid AND r.status = 'SENT' AND r."responseDueAt" < ${now} AND r."consentId" IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM "FirmConsent" c WHERE c.id = r."consentId" AND c."withdrawnAt" IS NOT NULL)) AS overdue,
        (SELECT count(*) FROM "Referral" r
          WHERE r."recipientOrganisationId" = ${organisationId}::uuid AND r.status IN ('ACCEPTED', 'IN_PROGRESS', 'ON_HOLD') AND r."consentId" IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM "FirmConsent" c WHERE c.id = r."consentId" AND c."withdrawnAt" IS NOT NULL)) AS in_progress,
        (SELECT count(*) FROM "Referral" r
          WHERE r."senderOrganisationId" = ${organisationId}::uuid AND r.status IN ('DRAFT', 'SENT', 'ACCEPTED', 'IN_PROGRESS', 'ON_HOLD')) AS sent_open`;
    return { new: Number(row.new), overdue: Number(row.overdue), inProgress: Number(row.in_progress), sentOpen: Number(row.sent_open) };
  }

  createReferral(data: Prisma.ReferralUncheckedCreateInput): Promise<ReferralRow> {
    return this.prisma.referral.create({ data, include: { consent: true } });
  }

  /** Applies a change if the referral is still at `expectedVersion` and in `status`; false otherwise. */
  async updateReferral(id: string, expectedVersion: number, status: ReferralStatus, data: Prisma.ReferralUncheckedUpdateManyInput): Promise<boolean> {
    const { count } = await this.prisma.referral.updateMany({ where: { id, version: expectedVersion, status }, data: { ...data, version: { increment: 1 } } });
    return count === 1;
  }

  async addEvent(e: Prisma.ReferralEventUncheckedCreateInput): Promise<void> {
    await this.prisma.referralEvent.create({ data: e });
  }

  eventsOf(referralIds: readonly string[]): Promise<ReferralEventRow[]> {
    return this.prisma.referralEvent.findMany({ where: { referralId: { in: [...referralIds] } }, orderBy: { id: 'asc' } });
  }

  // ── Attachments ─────────────────────────────────────────────────────────────────────────────

  attachmentsOf(referralIds: readonly string[]): Promise<AttachmentMeta[]> {
    return this.prisma.referralAttachment.findMany({ where: { referralId: { in: [...referralIds] } }, select: ATTACHMENT_META, orderBy: { uploadedAt: 'asc' } });
  }

  attachmentMeta(id: string): Promise<AttachmentMeta | null> {
    return this.prisma.referralAttachment.findUnique({ where: { id }, select: ATTACHMENT_META });
  }

  attachmentContent(id: string): Promise<{ content: Uint8Array } | null> {
    return this.prisma.referralAttachment.findUnique({ where: { id }, select: { content: true } });
  }

  countAttachments(referralId: string): Promise<number> {
    return this.prisma.referralAttachment.count({ where: { referralId } });
  }

  addAttachment(data: Prisma.ReferralAttachmentUncheckedCreateInput): Promise<AttachmentMeta> {
    return this.prisma.referralAttachment.create({ data, select: ATTACHMENT_META });
  }

  async removeAttachment(id: string): Promise<void> {
    await this.prisma.referralAttachment.delete({ where: { id } });
  }

  // ── Settings ────────────────────────────────────────────────────────────────────────────────

  async responseDays(organisationId: string): Promise<number | null> {
    const row = await this.prisma.referralSettings.findUnique({ where: { organisationId } });
    return row?.responseBusinessDays ?? null;
  }

  async setResponseDays(organisationId: string, days: number): Promise<void> {
    await this.prisma.referralSettings.upsert({ where: { organisationId }, create: { organisationId, responseBusinessDays: days }, update: { responseBusinessDays: days } });
  }

  // ── Reads of the directory and accounts (same database, read-only) ──────────────────────────

  async organisationNames(ids: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.prisma.organisation.findMany({ where: { id: { in: [...ids] } }, select: { id: true, nameJa: true } });
    return new Map(rows.map((r) => [r.id, r.nameJa]));
  }

  /** Active accounts holding any of the roles in the body. */
  async staffWithRoles(organisationId: string, roles: Role[]): Promise<string[]> {
    // Arrays travel as one text parameter: the embedded database's adapter cannot bind enum arrays.
    const rows = await this.prisma.$queryRaw<Array<{ accountId: string }>>`
      SELECT m."accountId" FROM "AccountMembership" m JOIN "Account" a ON a.id = m."accountId" AND a.status = 'ACTIVE'
       WHERE m."organisationId" = ${organisationId}::uuid AND m.roles && string_to_array(${roles.join(',')}, ',')::"Role"[]`;
    return rows.map((r) => r.accountId);
  }

  /** The council secretariat's staff (bodies with the SECRETARIAT council role, SECRETARIAT role). */
  async secretariatStaff(): Promise<{ organisationId: string | null; accountIds: string[] }> {
    const orgs = await this.prisma.organisation.findMany({ where: { councilRole: 'SECRETARIAT' }, select: { id: true } });
    if (orgs.length === 0) return { organisationId: null, accountIds: [] };
    const accountIds = new Set<string>();
    for (const org of orgs) for (const id of await this.staffWithRoles(org.id, ['SECRETARIAT'])) accountIds.add(id);
    return { organisationId: orgs[0].id, accountIds: [...accountIds] };
  }

  async isStaffOf(accountId: string, organisationId: string): Promise<boolean> {
    const m = await this.prisma.accountMembership.findUnique({ where: { accountId_organisationId: { accountId, organisationId } }, include: { account: { select: { status: true } } } });
    return !!m && m.account.status === 'ACTIVE' && m.roles.some((r) => r === 'ORG_ADMIN' || r === 'SUPPORTER' || r === 'TEAM_LEAD');
  }

  // ── Notifications (the transactional outbox) ────────────────────────────────────────────────

  publish<T extends EventType>(type: T, payload: EventPayload<T>): Promise<string> {
    return publishEvent(this.prisma, type, payload);
  }

  schedule<T extends EventType>(key: string, dueAt: Date, type: T, payload: EventPayload<T>): Promise<void> {
    return scheduleNotice(this.prisma, { key, dueAt, type, payload });
  }

  async cancelScheduled(keys: string[]): Promise<void> {
    for (const key of keys) await cancelScheduledNotice(this.prisma, key);
  }
}
