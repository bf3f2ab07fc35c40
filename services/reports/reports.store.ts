/**
 * The only module that touches the database for reports. It aggregates in SQL (one scan of a period's
 * referrals per question, using the sentAt index) and hands the manager raw counts; no rules here.
 * Referrals, engagements and bodies are other domains' tables in the same database, read only.
 */
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import type { SurveyAwareness, SurveyChange, SurveyOverall, TargetMetric } from '../../generated/prisma/enums';
import { splitAtFiscalYears, type Range } from './fiscal-years';

export interface Scope {
  from: Date;
  to: Date;
  organisationId: string | null;
  category: string | null;
  prefectureCode: string | null;
}

/** One cell of the period's referral histogram. */
export interface ReferralBin {
  isSent: boolean;
  isReceived: boolean;
  status: string;
  reason: string | null;
  days: number | null;
  answered: boolean;
  /** Taken on by the receiver, as the database's report_referral_accepted() says. */
  accepted: boolean;
  count: number;
}

export interface FlowRow {
  fromKey: string;
  toKey: string;
  sent: number;
  accepted: number;
}

export interface EngagementCounts {
  opened: number;
  completed: number;
  firmsSupported: number;
}

export interface EngagementFigures {
  counts: EngagementCounts;
  /** Engagements by the furthest stage reached, 1–7. */
  stages: Map<number, number>;
  /** Engagements by bodies on the team, 1–4 (4 = four or more). */
  sizes: Map<number, number>;
  levels: Array<{ level: string; count: number }>;
}

export interface OutcomePair {
  engagementId: string;
  baseSales: bigint | null;
  lastSales: bigint | null;
  baseProfit: bigint | null;
  lastProfit: bigint | null;
  baseValueAdded: bigint | null;
  lastValueAdded: bigint | null;
  baseEmployees: number | null;
  lastEmployees: number | null;
}

export type SurveyRow = { id: string; engagementId: string; organisationId: string; issuedAt: Date; expiresAt: Date; answeredAt: Date | null };
export type TargetRow = Prisma.ReportTargetGetPayload<object>;

export const STAGES = ['TARGETING', 'MUTUAL_UNDERSTANDING', 'TRUST_BUILDING', 'AWARENESS', 'INTRINSIC_MOTIVATION', 'PROBLEM_SOLVING', 'FOLLOW_UP'] as const;

const n = (v: unknown) => Number(v ?? 0);
const nullable = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export class ReportsStore {
  constructor(private readonly prisma: PrismaClient) {}

  // ── Scope pieces ────────────────────────────────────────────────────────────────────────────

  /** Whether a body (by alias) is in the scope: the body itself, or a body of the category. */
  private bodyIn(alias: string, s: Scope): Prisma.Sql {
    const a = Prisma.raw(alias);
    if (s.organisationId && s.category) return Prisma.sql`(${a}.id = ${s.organisationId}::uuid AND ${a}.category::text = ${s.category})`;
    if (s.organisationId) return Prisma.sql`${a}.id = ${s.organisationId}::uuid`;
    if (s.category) return Prisma.sql`${a}.category::text = ${s.category}`;
    return Prisma.sql`TRUE`;
  }

  private firmIn(s: Scope, firmIdColumn: string): Prisma.Sql {
    if (!s.prefectureCode) return Prisma.sql`TRUE`;
    return Prisma.sql`EXISTS (SELECT 1 FROM "Firm" f WHERE f.id = ${Prisma.raw(firmIdColumn)} AND f."prefectureCode" = ${s.prefectureCode})`;
  }

  // ── Referrals ───────────────────────────────────────────────────────────────────────────────
  //
  // A period's referrals are read in two ways and added up: the fiscal years wholly inside it from the
  // tallies the database keeps (ReferralPairTally, ReferralAnswerTally), and the days around them from
  // the referrals themselves (the report index, sentAt first). A prefecture filter reads everything
  // from the referrals: the tallies do not know the firm.

  private parts(s: Scope): { years: number[]; rest: Range[] } {
    return s.prefectureCode ? { years: [], rest: s.from < s.to ? [{ from: s.from, to: s.to }] : [] } : splitAtFiscalYears(s.from, s.to);
  }

  private static inYears(column: string, years: number[]): Prisma.Sql {
    return Prisma.sql`${Prisma.raw(column)} = ANY (string_to_array(${years.join(',')}, ',')::int[])`;
  }

  /** Whether a referral side (a body column) is in the scope: the body itself, and/or a body of the category. */
  private side(column: string, s: Scope): Prisma.Sql {
    const col = Prisma.raw(column);
    const parts: Prisma.Sql[] = [];
    if (s.organisationId) parts.push(Prisma.sql`${col} = ${s.organisationId}::uuid`);
    if (s.category) parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "Organisation" o WHERE o.id = ${col} AND o.category::text = ${s.category})`);
    return parts.length ? Prisma.join(parts, ' AND ') : Prisma.sql`TRUE`;
  }

  /** The scope's referrals sent in one range of days, straight from the referrals. */
  private referralsIn(r: Range, s: Scope): Prisma.Sql {
    return Prisma.sql`r."sentAt" >= ${r.from} AND r."sentAt" < ${r.to} AND (${this.side('r."senderOrganisationId"', s)} OR ${this.side('r."recipientOrganisationId"', s)}) AND ${this.firmIn(s, 'r."firmId"')}`;
  }

  /**
   * Referrals sent in the period as one histogram of what they count toward: sent by the scope, received
   * by it (status, decline reason, business days to the answer, answered). The manager sums it into
   * counts, reasons and percentiles. From the referrals a row counts toward both sides where it belongs
   * to both; from the tallies the sent side comes from the pair tally and the received side from the
   * answer tally.
   */
  async referralHistogram(s: Scope): Promise<ReferralBin[]> {
    const { years, rest } = this.parts(s);
    const sources: Prisma.Sql[] = rest.map(
      (r) => Prisma.sql`
        SELECT "isSent", "isReceived", status, reason::text, days, answered, count FROM (
          SELECT ${this.side('r."senderOrganisationId"', s)} AS "isSent", ${this.side('r."recipientOrganisationId"', s)} AS "isReceived",
                 r.status, r."declineReason" AS reason, r."respondedBusinessDays" AS days, r."respondedAt" IS NOT NULL AS answered, count(*) AS count
            FROM "Referral" r WHERE ${this.referralsIn(r, s)}
           GROUP BY 1, 2, 3, 4, 5, 6
        ) g`,
    );
    if (years.length) {
      sources.push(Prisma.sql`
        SELECT TRUE, FALSE, 'SENT'::"ReferralStatus", NULL::text, NULL::int, FALSE, sum(t.sent)
          FROM "ReferralPairTally" t WHERE ${ReportsStore.inYears('t."fiscalYear"', years)} AND ${this.side('t."senderOrganisationId"', s)}`);
      sources.push(Prisma.sql`
        SELECT FALSE, TRUE, a.status, nullif(a."declineReason", ''), nullif(a."respondedBusinessDays", -1), a.answered, sum(a.count)
          FROM "ReferralAnswerTally" a WHERE ${ReportsStore.inYears('a."fiscalYear"', years)} AND ${this.side('a."recipientOrganisationId"', s)}
         GROUP BY 3, 4, 5, 6`);
    }
    if (!sources.length) return [];
    // Grouped on the enum values; only the few groups are turned into text.
    const rows = await this.prisma.$queryRaw<Array<{ isSent: boolean; isReceived: boolean; status: string; reason: string | null; days: number | null; answered: boolean; accepted: boolean; count: bigint }>>`
      SELECT h."isSent", h."isReceived", h.status::text AS status, h.reason, h.days, h.answered, report_referral_accepted(h.status, h.answered) AS accepted, sum(h.count) AS count
        FROM (${Prisma.join(sources, ' UNION ALL ')}) h ("isSent", "isReceived", status, reason, days, answered, count)
       WHERE h.count > 0
       GROUP BY h."isSent", h."isReceived", h.status, h.reason, h.days, h.answered`;
    return rows.map((r) => ({ ...r, count: n(r.count) }));
  }

  /** Who refers to whom, by body pair (the largest) and by category pair (all), from one grouping of pairs. */
  async flows(s: Scope, limit = 50): Promise<{ byBody: FlowRow[]; byCategory: FlowRow[] }> {
    const { years, rest } = this.parts(s);
    const sources: Prisma.Sql[] = rest.map(
      (r) => Prisma.sql`
        SELECT r."senderOrganisationId", r."recipientOrganisationId", count(*), count(*) FILTER (WHERE report_referral_accepted(r.status, r."respondedAt" IS NOT NULL))
          FROM "Referral" r WHERE ${this.referralsIn(r, s)}
         GROUP BY 1, 2`,
    );
    if (years.length) {
      sources.push(Prisma.sql`
        SELECT t."senderOrganisationId", t."recipientOrganisationId", t.sent, t.accepted
          FROM "ReferralPairTally" t
         WHERE ${ReportsStore.inYears('t."fiscalYear"', years)} AND t.sent > 0 AND (${this.side('t."senderOrganisationId"', s)} OR ${this.side('t."recipientOrganisationId"', s)})`);
    }
    if (!sources.length) return { byBody: [], byCategory: [] };
    // One source needs no second grouping (one fiscal year, or a range within one).
    const pairs =
      sources.length === 1
        ? sources[0]!
        : Prisma.sql`SELECT "from", "to", sum(sent)::bigint, sum(accepted)::bigint FROM (${Prisma.join(sources, ' UNION ALL ')}) u ("from", "to", sent, accepted) GROUP BY 1, 2`;
    const rows = await this.prisma.$queryRaw<Array<{ kind: string; fromKey: string; toKey: string; sent: bigint; accepted: bigint }>>`
      WITH pairs ("from", "to", sent, accepted) AS MATERIALIZED (${pairs}),
      top AS (SELECT 'body' AS kind, "from"::text AS "fromKey", "to"::text AS "toKey", sent, accepted FROM pairs ORDER BY sent DESC, "from", "to" LIMIT ${limit}),
      cat AS (
        SELECT 'category' AS kind, f::text AS "fromKey", t::text AS "toKey", sent, accepted FROM (
          SELECT so.category AS f, ro.category AS t, sum(p.sent)::bigint AS sent, sum(p.accepted)::bigint AS accepted
            FROM pairs p JOIN "Organisation" so ON so.id = p."from" JOIN "Organisation" ro ON ro.id = p."to"
           GROUP BY 1, 2
        ) c
      )
      SELECT * FROM top UNION ALL SELECT * FROM cat`;
    const all = rows.map((r) => ({ kind: r.kind, fromKey: r.fromKey, toKey: r.toKey, sent: n(r.sent), accepted: n(r.accepted) }));
    const order = (a: FlowRow, b: FlowRow) => b.sent - a.sent || a.fromKey.localeCompare(b.fromKey) || a.toKey.localeCompare(b.toKey);
    const strip = ({ kind: _kind, ...f }: FlowRow & { kind: string }) => f;
    return { byBody: all.filter((r) => r.kind === 'body').map(strip).sort(order), byCategory: all.filter((r) => r.kind === 'category').map(strip).sort(order) };
  }

  // ── Engagements ─────────────────────────────────────────────────────────────────────────────

  /** Engagements of the scope's bodies (owner) and firms, active at some time in the period. */
  private activeEngagements(s: Scope): Prisma.Sql {
    return Prisma.sql`
      SELECT e.id, e."firmId", e."furthestStage", e."teamBodies", e."selfReliance", e."createdAt", e."closedAt"
        FROM "Engagement" e
       WHERE e."createdAt" < ${s.to} AND (e."closedAt" IS NULL OR e."closedAt" >= ${s.from})
         AND ${this.side('e."ownerOrganisationId"', s)} AND ${this.firmIn(s, 'e."firmId"')}`;
  }

  /**
   * The active engagements' figures in one pass: opened and completed in the period and firms supported,
   * and the engagements by furthest stage reached (1–7), by bodies on the team (four or more together)
   * and by self-reliance — the last two kept on the engagement by the database.
   */
  async engagementFigures(s: Scope): Promise<EngagementFigures> {
    const rows = await this.prisma.$queryRaw<Array<{ set: number; furthest: string | null; bodies: number | null; level: string | null; count: bigint; opened: bigint; completed: bigint; firms: bigint | null }>>`
      WITH e AS MATERIALIZED (${this.activeEngagements(s)})
      SELECT GROUPING("furthestStage", least("teamBodies", 4), "selfReliance")::int AS set,
             "furthestStage"::text AS furthest, least("teamBodies", 4)::int AS bodies, "selfReliance"::text AS level, count(*) AS count,
             count(*) FILTER (WHERE "createdAt" >= ${s.from}) AS opened,
             count(*) FILTER (WHERE "closedAt" >= ${s.from} AND "closedAt" < ${s.to}) AS completed,
             CASE WHEN GROUPING("furthestStage", least("teamBodies", 4), "selfReliance") = 7 THEN (SELECT count(DISTINCT "firmId") FROM e) END AS firms
        FROM e
       GROUP BY GROUPING SETS (("furthestStage"), (least("teamBodies", 4)), ("selfReliance"), ())`;
    // GROUPING() sets a bit per column left out: 3 = by stage, 5 = by team size, 6 = by self-reliance, 7 = all.
    const all = rows.find((r) => r.set === 7);
    const stages = new Map<number, number>();
    const sizes = new Map<number, number>();
    const levels: Array<{ level: string; count: number }> = [];
    for (const r of rows) {
      if (r.set === 3 && r.furthest) stages.set(STAGES.indexOf(r.furthest as (typeof STAGES)[number]) + 1, n(r.count));
      if (r.set === 5 && r.bodies !== null) sizes.set(Number(r.bodies), n(r.count));
      if (r.set === 6 && r.level) levels.push({ level: r.level, count: n(r.count) });
    }
    return { counts: { opened: n(all?.opened), completed: n(all?.completed), firmsSupported: n(all?.firms) }, stages, sizes, levels };
  }

  async issues(s: Scope): Promise<{ resolved: number; total: number }> {
    const rows = await this.prisma.$queryRaw<Array<{ resolved: bigint; total: bigint }>>`
      WITH e AS (${this.activeEngagements(s)})
      SELECT count(*) FILTER (WHERE i.status = 'RESOLVED') AS resolved, count(*) FILTER (WHERE i.status <> 'DROPPED') AS total
        FROM e JOIN "EssentialIssue" i ON i."engagementId" = e.id`;
    return { resolved: n(rows[0]?.resolved), total: n(rows[0]?.total) };
  }

  /**
   * For engagements of the scope whose latest follow-up falls in the period: the baseline and that
   * follow-up. Only engagements with a follow-up in the period are looked at; their baseline is found
   * through the (engagement, date) index.
   */
  outcomePairs(s: Scope): Promise<OutcomePair[]> {
    return this.prisma.$queryRaw<OutcomePair[]>`
      WITH l AS (
        SELECT DISTINCT ON (m."engagementId") m."engagementId", m."measuredOn", m."salesYen", m."operatingProfitYen", m."valueAddedYen", m.employees
          FROM "OutcomeMeasurement" m
         WHERE NOT m.baseline
           AND m."engagementId" IN (SELECT c."engagementId" FROM "OutcomeMeasurement" c WHERE NOT c.baseline AND c."measuredOn" >= ${s.from} AND c."measuredOn" < ${s.to})
         ORDER BY m."engagementId", m."measuredOn" DESC, m."createdAt" DESC
      )
      SELECT l."engagementId", b."salesYen" AS "baseSales", l."salesYen" AS "lastSales", b."operatingProfitYen" AS "baseProfit", l."operatingProfitYen" AS "lastProfit",
             b."valueAddedYen" AS "baseValueAdded", l."valueAddedYen" AS "lastValueAdded", b.employees AS "baseEmployees", l.employees AS "lastEmployees"
        FROM l
        JOIN "Engagement" e ON e.id = l."engagementId"
        JOIN LATERAL (
          SELECT m."salesYen", m."operatingProfitYen", m."valueAddedYen", m.employees FROM "OutcomeMeasurement" m
           WHERE m."engagementId" = l."engagementId" AND m.baseline ORDER BY m."measuredOn", m."createdAt" LIMIT 1
        ) b ON TRUE
       WHERE l."measuredOn" >= ${s.from} AND l."measuredOn" < ${s.to} AND ${this.side('e."ownerOrganisationId"', s)} AND ${this.firmIn(s, 'e."firmId"')}`;
  }

  // ── Survey ──────────────────────────────────────────────────────────────────────────────────

  private surveyScope(s: Scope): Prisma.Sql {
    return Prisma.sql`JOIN "Organisation" o ON o.id = v."organisationId" WHERE ${this.bodyIn('o', s)}
      AND (${s.prefectureCode}::text IS NULL OR EXISTS (SELECT 1 FROM "Engagement" e JOIN "Firm" f ON f.id = e."firmId" WHERE e.id = v."engagementId" AND f."prefectureCode" = ${s.prefectureCode}))`;
  }

  async surveyCounts(s: Scope): Promise<{ issued: number; answered: number; answers: Array<{ question: 'overall' | 'awareness' | 'change'; answer: string; count: number }> }> {
    const [counts, answers] = await Promise.all([
      this.prisma.$queryRaw<Array<{ issued: bigint; answered: bigint }>>`
        SELECT count(*) FILTER (WHERE v."issuedAt" >= ${s.from} AND v."issuedAt" < ${s.to}) AS issued,
               count(*) FILTER (WHERE v."answeredAt" >= ${s.from} AND v."answeredAt" < ${s.to}) AS answered
          FROM "SatisfactionSurvey" v ${this.surveyScope(s)}`,
      this.prisma.$queryRaw<Array<{ question: 'overall' | 'awareness' | 'change'; answer: string; count: bigint }>>`
        SELECT q.question, q.answer, count(*) AS count
          FROM "SatisfactionSurvey" v
          CROSS JOIN LATERAL (VALUES ('overall', v.overall::text), ('awareness', v.awareness::text), ('change', v.change::text)) AS q(question, answer)
          ${this.surveyScope(s)} AND v."answeredAt" >= ${s.from} AND v."answeredAt" < ${s.to}
         GROUP BY 1, 2`,
    ]);
    return { issued: n(counts[0]?.issued), answered: n(counts[0]?.answered), answers: answers.map((a) => ({ question: a.question, answer: a.answer, count: n(a.count) })) };
  }

  surveyOfEngagement(engagementId: string): Promise<SurveyRow | null> {
    return this.prisma.satisfactionSurvey.findUnique({ where: { engagementId }, select: { id: true, engagementId: true, organisationId: true, issuedAt: true, expiresAt: true, answeredAt: true } });
  }

  surveyByTokenHash(tokenHash: string): Promise<SurveyRow | null> {
    return this.prisma.satisfactionSurvey.findUnique({ where: { tokenHash }, select: { id: true, engagementId: true, organisationId: true, issuedAt: true, expiresAt: true, answeredAt: true } });
  }

  /** Issues (or re-issues, while unanswered) the survey link of an engagement. */
  async issueSurvey(data: { engagementId: string; organisationId: string; tokenHash: string; issuedByAccountId: string; issuedAt: Date; expiresAt: Date }): Promise<SurveyRow> {
    const select = { id: true, engagementId: true, organisationId: true, issuedAt: true, expiresAt: true, answeredAt: true } as const;
    return this.prisma.satisfactionSurvey.upsert({ where: { engagementId: data.engagementId }, create: data, update: { tokenHash: data.tokenHash, issuedAt: data.issuedAt, expiresAt: data.expiresAt, issuedByAccountId: data.issuedByAccountId }, select });
  }

  /** Records the answers if the link is open; false when it was answered or expired meanwhile. */
  async answerSurvey(tokenHash: string, now: Date, answers: { overall: SurveyOverall; awareness: SurveyAwareness; change: SurveyChange; comment: string | null }): Promise<boolean> {
    const { count } = await this.prisma.satisfactionSurvey.updateMany({ where: { tokenHash, answeredAt: null, expiresAt: { gt: now } }, data: { ...answers, answeredAt: now } });
    return count === 1;
  }

  // ── Targets ─────────────────────────────────────────────────────────────────────────────────

  targets(fiscalYear: number, scopeKeys: string[]): Promise<TargetRow[]> {
    return this.prisma.reportTarget.findMany({ where: { fiscalYear, scopeKey: { in: scopeKeys } }, orderBy: [{ scopeKey: 'asc' }, { metric: 'asc' }] });
  }

  targetsOfYear(fiscalYear: number): Promise<TargetRow[]> {
    return this.prisma.reportTarget.findMany({ where: { fiscalYear }, orderBy: [{ scopeKey: 'asc' }, { metric: 'asc' }] });
  }

  setTarget(data: { fiscalYear: number; scopeKey: string; organisationId: string | null; metric: TargetMetric; target: number; setByAccountId: string }): Promise<TargetRow> {
    return this.prisma.reportTarget.upsert({
      where: { fiscalYear_scopeKey_metric: { fiscalYear: data.fiscalYear, scopeKey: data.scopeKey, metric: data.metric } },
      create: data,
      update: { target: data.target, setByAccountId: data.setByAccountId },
    });
  }

  async removeTarget(fiscalYear: number, scopeKey: string, metric: TargetMetric): Promise<void> {
    await this.prisma.reportTarget.deleteMany({ where: { fiscalYear, scopeKey, metric } });
  }

  // ── Other domains (read-only) ───────────────────────────────────────────────────────────────

  organisation(id: string): Promise<{ id: string; nameJa: string } | null> {
    return this.prisma.organisation.findUnique({ where: { id }, select: { id: true, nameJa: true } });
  }

  engagement(id: string): Promise<{ id: string; leadAccountId: string; ownerOrganisationId: string; status: string } | null> {
    return this.prisma.engagement.findUnique({ where: { id }, select: { id: true, leadAccountId: true, ownerOrganisationId: true, status: true } });
  }
}
