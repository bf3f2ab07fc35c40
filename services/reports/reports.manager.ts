/**
 * The report rules: who sees which body's figures (the secretariat every body; an organisation admin
 * their own), periods (fiscal years April–March, or a range), suppression of small counts in reports
 * shared beyond a body, outcome figures only as statistics over enough engagements, the survey link's
 * life (issued by the lead of a closed engagement, answered once, expiring) and yearly targets.
 */
import crypto from 'node:crypto';
import type { SurveyAwareness, SurveyChange, SurveyOverall, TargetMetric } from '../../generated/prisma/enums';
import { forbidden, unauthenticated } from '../shared/auth-errors';
import { jstDayStart, toJstDay } from '../shared/business-days';
import type { DomainError } from '../shared/errors';
import { isUuid } from '../shared/pagination';
import { can } from '../shared/permissions';
import type { Viewer } from '../shared/viewer';
import { isPrefectureCode } from '../directory/prefectures';
import { reportsErrors } from './reports.errors';
import { STAGES, type EngagementFigures, type OutcomePair, type ReferralBin, type ReportsStore, type Scope, type SurveyRow, type TargetRow } from './reports.store';

export type Result<T> = ({ ok: true; error: null } & T) | { ok: false; error: DomainError };

/** Counts from 1 to THRESHOLD - 1 are suppressed in reports shared beyond a body. */
export const SUPPRESSION_THRESHOLD = 3;
export const SURVEY_VALID_DAYS = 30;
const DECLINE_REASONS = ['OUT_OF_SCOPE', 'NO_CAPACITY', 'OUT_OF_AREA', 'FIRM_UNREACHABLE', 'ALREADY_SUPPORTED', 'OTHER'];
const SELF_RELIANCE = ['NOT_YET', 'PARTLY', 'SELF_RUNNING'];
export const SURVEY_SCALES = {
  overall: ['VERY_SATISFIED', 'SATISFIED', 'DISSATISFIED'],
  awareness: ['STRONGLY', 'YES', 'NOT_MUCH'],
  change: ['A_LOT', 'SOME', 'NOT_MUCH', 'NONE'],
} as const;
export const METRICS: TargetMetric[] = ['FIRMS_SUPPORTED', 'ENGAGEMENTS_COMPLETED', 'REFERRALS_ACCEPTED'];
const PERCENT_BUCKETS = [
  { key: 'LT_MINUS_10', label: '−10%未満', test: (p: number) => p < -10 },
  { key: 'MINUS_10_TO_0', label: '−10%〜0%未満', test: (p: number) => p >= -10 && p < 0 },
  { key: '0_TO_10', label: '0%〜10%未満', test: (p: number) => p >= 0 && p < 10 },
  { key: '10_TO_20', label: '10%〜20%未満', test: (p: number) => p >= 10 && p < 20 },
  { key: '20_PLUS', label: '20%以上', test: (p: number) => p >= 20 },
];
const SIGN_BUCKETS = [
  { key: 'DECREASE', label: '減少', test: (d: number) => d < 0 },
  { key: 'NO_CHANGE', label: '変化なし', test: (d: number) => d === 0 },
  { key: 'INCREASE', label: '増加', test: (d: number) => d > 0 },
];
const EMPLOYEE_BUCKETS = [
  { key: 'DECREASE', label: '減少', test: (d: number) => d < 0 },
  { key: 'NO_CHANGE', label: '変化なし', test: (d: number) => d === 0 },
  { key: 'PLUS_1_TO_4', label: '1〜4人増', test: (d: number) => d >= 1 && d <= 4 },
  { key: 'PLUS_5_PLUS', label: '5人以上増', test: (d: number) => d >= 5 },
];

export interface Count {
  value: number | null;
  suppressed: boolean;
}

export interface ChangeStats {
  n: number;
  medianChange: number | null;
  medianPercent: number | null;
  distribution: Array<{ key: string; label: string; count: Count }>;
}

export interface Flow {
  fromKey: string;
  toKey: string;
  sent: Count;
  accepted: Count;
  byBody: boolean;
}

export interface Dashboard {
  periodLabel: string;
  from: string;
  to: string;
  fiscalYear: number | null;
  suppressing: boolean;
  suppressionThreshold: number;
  organisationId: string | null;
  referrals: {
    sent: Count;
    received: Count;
    answered: Count;
    accepted: Count;
    declined: Count;
    forwarded: Count;
    acceptanceRate: number | null;
    responseDaysMedian: number | null;
    responseDaysP90: number | null;
    declinesByReason: Array<{ reason: string; count: Count }>;
  };
  engagements: { opened: Count; completed: Count; firmsSupported: Count; funnel: Array<{ stage: string; count: Count }>; teamsByBodies: Array<{ bodies: number; count: Count }> };
  network: { byCategory: Flow[]; byBody: Flow[] };
  outcomes: { measured: Count; sales: ChangeStats; operatingProfit: ChangeStats; valueAdded: ChangeStats; employees: ChangeStats; selfReliance: Array<{ level: string; count: Count }>; issuesResolved: Count; issuesTotal: Count };
  survey: { issued: Count; answered: Count; overall: AnswerCount[]; awareness: AnswerCount[]; change: AnswerCount[] };
  targets: Array<{ metric: TargetMetric; target: number; actual: number | null; progress: number | null }>;
}

interface AnswerCount {
  answer: string;
  count: Count;
  share: number | null;
}

export interface DashboardFilter {
  fiscalYear?: number | null;
  from?: string | null;
  to?: string | null;
  organisationId?: string | null;
  category?: string | null;
  prefectureCode?: string | null;
}

const isDay = (v: string | null | undefined): v is string => !!v && /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v && v >= '2000-01-01' && v <= '2100-12-31';
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** 令和7年度 for 2025 (令和元年度 for 2019); 平成 before. */
export function fiscalYearLabel(fy: number): string {
  if (fy >= 2019) return fy === 2019 ? '令和元年度' : `令和${fy - 2018}年度`;
  return `平成${fy - 1988}年度`;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = Float64Array.from(values).sort(); // numeric order, without a comparator call per pair
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function hashSurveyToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export class ReportsManager {
  constructor(
    private readonly store: ReportsStore,
    private readonly viewer: Viewer,
    private readonly publicUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private acting(permission: 'reports.read' | 'reports.targets' | 'surveys.issue'): { accountId: string; organisationId: string } {
    const v = this.viewer;
    if (!v.accountId || !v.organisationId) throw unauthenticated();
    if (!can(v, permission, v.organisationId)) throw forbidden();
    return { accountId: v.accountId, organisationId: v.organisationId };
  }

  private get isSecretariat(): boolean {
    return this.viewer.roles.includes('SECRETARIAT');
  }

  // ── The dashboard ───────────────────────────────────────────────────────────────────────────

  /** Checks the filter and works out the scope: the period, and the body the viewer may see. */
  async scopeOf(filter: DashboardFilter): Promise<Result<{ scope: Scope; fiscalYear: number | null; label: string; fromDay: string; toDay: string }>> {
    const a = this.acting('reports.read');
    let fromDay: string;
    let toDay: string;
    let fiscalYear: number | null = null;
    if (filter.fiscalYear !== null && filter.fiscalYear !== undefined) {
      if (!Number.isInteger(filter.fiscalYear) || filter.fiscalYear < 2000 || filter.fiscalYear > 2100) return { ok: false, error: reportsErrors.invalidPeriod() };
      fiscalYear = filter.fiscalYear;
      fromDay = `${fiscalYear}-04-01`;
      toDay = `${fiscalYear + 1}-03-31`;
    } else {
      if (!isDay(filter.from) || !isDay(filter.to)) return { ok: false, error: reportsErrors.invalidPeriod() };
      if (filter.from > filter.to) return { ok: false, error: reportsErrors.invalidRange() };
      if (Date.parse(filter.to) - Date.parse(filter.from) > 5 * 366 * 86_400_000) return { ok: false, error: reportsErrors.rangeTooLong() };
      fromDay = filter.from;
      toDay = filter.to;
    }
    let organisationId = filter.organisationId || null;
    if (!this.isSecretariat) {
      // An organisation admin's reports are their own body's, whether asked for or not.
      if (organisationId && organisationId !== a.organisationId) return { ok: false, error: reportsErrors.bodyNotAllowed() };
      organisationId = a.organisationId;
    } else if (organisationId && !(isUuid(organisationId) && (await this.store.organisation(organisationId)))) {
      return { ok: false, error: reportsErrors.unknownBody() };
    }
    if (filter.prefectureCode && !isPrefectureCode(filter.prefectureCode)) return { ok: false, error: reportsErrors.invalidPrefecture() };
    const label = fiscalYear !== null ? fiscalYearLabel(fiscalYear) : `${fromDay}〜${toDay}`;
    return {
      ok: true,
      error: null,
      fiscalYear,
      label,
      fromDay,
      toDay,
      scope: { from: jstDayStart(fromDay), to: jstDayStart(nextDay(toDay)), organisationId, category: filter.category ?? null, prefectureCode: filter.prefectureCode || null },
    };
  }

  async dashboard(filter: DashboardFilter): Promise<Result<{ dashboard: Dashboard }>> {
    const checked = await this.scopeOf(filter);
    if (!checked.ok) return checked;
    const { scope, fiscalYear } = checked;
    // A body's own report is not shared beyond it; everything else is (the secretariat's network views).
    const suppressing = !(scope.organisationId && scope.organisationId === this.viewer.organisationId && !this.isSecretariat);
    const count = (value: number): Count => (suppressing && value > 0 && value < SUPPRESSION_THRESHOLD ? { value: null, suppressed: true } : { value, suppressed: false });

    const figures = await sharedFigures(this.store, scope, fiscalYear);
    const { bins, flows, eng, stages, sizes, levels, issues, pairs, survey, targets } = figures;
    const ref = referralCounts(bins);
    const declines = ref.declines;
    const { byCategory, byBody } = flows;

    const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);
    const acceptedCell = count(ref.accepted);
    const answeredCell = count(ref.answered);
    const funnel = STAGES.map((stage, i) => ({ stage, count: count([...stages.entries()].filter(([reached]) => reached >= i + 1).reduce((s, [, c]) => s + c, 0)) }));
    const flow = (byBodyFlow: boolean) => (r: { fromKey: string; toKey: string; sent: number; accepted: number }): Flow => ({ fromKey: r.fromKey, toKey: r.toKey, sent: count(r.sent), accepted: count(r.accepted), byBody: byBodyFlow });
    const answers = (question: 'overall' | 'awareness' | 'change'): AnswerCount[] => {
      const rows = survey.answers.filter((a) => a.question === question);
      const total = rows.reduce((s, r) => s + r.count, 0);
      return SURVEY_SCALES[question].map((answer) => {
        const c = count(rows.find((r) => r.answer === answer)?.count ?? 0);
        return { answer, count: c, share: c.value === null ? null : rate(c.value, total) };
      });
    };
    const actual: Record<TargetMetric, number> = { FIRMS_SUPPORTED: eng.firmsSupported, ENGAGEMENTS_COMPLETED: eng.completed, REFERRALS_ACCEPTED: ref.accepted };

    const dashboard: Dashboard = {
      periodLabel: checked.label,
      from: checked.fromDay,
      to: checked.toDay,
      fiscalYear,
      suppressing,
      suppressionThreshold: SUPPRESSION_THRESHOLD,
      organisationId: scope.organisationId,
      referrals: {
        sent: count(ref.sent),
        received: count(ref.received),
        answered: answeredCell,
        accepted: acceptedCell,
        declined: count(ref.declined),
        forwarded: count(ref.forwarded),
        acceptanceRate: acceptedCell.suppressed || answeredCell.suppressed ? null : rate(ref.accepted, ref.answered),
        // Statistics over fewer answers than the threshold would describe single referrals.
        responseDaysMedian: !suppressing || ref.answered >= SUPPRESSION_THRESHOLD ? ref.median : null,
        responseDaysP90: !suppressing || ref.answered >= SUPPRESSION_THRESHOLD ? ref.p90 : null,
        declinesByReason: DECLINE_REASONS.map((reason) => ({ reason, count: count(declines.find((d) => d.reason === reason)?.count ?? 0) })),
      },
      engagements: {
        opened: count(eng.opened),
        completed: count(eng.completed),
        firmsSupported: count(eng.firmsSupported),
        funnel,
        teamsByBodies: [1, 2, 3, 4].map((bodies) => ({ bodies, count: count(sizes.get(bodies) ?? 0) })),
      },
      network: { byCategory: byCategory.map(flow(false)), byBody: byBody.map(flow(true)) },
      outcomes: {
        measured: count(pairs.length),
        ...outcomeStats(pairs, count),
        selfReliance: SELF_RELIANCE.map((level) => ({ level, count: count(levels.find((l) => l.level === level)?.count ?? 0) })),
        issuesResolved: count(issues.resolved),
        issuesTotal: count(issues.total),
      },
      survey: { issued: count(survey.issued), answered: count(survey.answered), overall: answers('overall'), awareness: answers('awareness'), change: answers('change') },
      targets: targets.map((t) => {
        const c = count(actual[t.metric]);
        return { metric: t.metric, target: t.target, actual: c.value, progress: c.value === null ? null : c.value / t.target };
      }),
    };
    return { ok: true, error: null, dashboard };
  }

  // ── Targets ─────────────────────────────────────────────────────────────────────────────────

  async targets(fiscalYear: number): Promise<TargetRow[]> {
    const a = this.acting('reports.read');
    if (!Number.isInteger(fiscalYear) || fiscalYear < 2000 || fiscalYear > 2100) throw reportsErrors.invalidPeriod();
    if (this.isSecretariat) return this.store.targetsOfYear(fiscalYear);
    return this.store.targets(fiscalYear, ['programme', a.organisationId]);
  }

  async setTarget(input: { fiscalYear: number; organisationId?: string | null; metric: TargetMetric; target: number }): Promise<Result<{ target: TargetRow | null }>> {
    const a = this.acting('reports.targets');
    if (!Number.isInteger(input.fiscalYear) || input.fiscalYear < 2000 || input.fiscalYear > 2100) return { ok: false, error: reportsErrors.invalidPeriod() };
    if (!Number.isInteger(input.target) || input.target < 0 || input.target > 1_000_000) return { ok: false, error: reportsErrors.invalidTarget() };
    const org = input.organisationId || null;
    if (org && !(isUuid(org) && (await this.store.organisation(org)))) return { ok: false, error: reportsErrors.unknownBody() };
    const scopeKey = org ?? 'programme';
    if (input.target === 0) {
      await this.store.removeTarget(input.fiscalYear, scopeKey, input.metric);
      return { ok: true, error: null, target: null };
    }
    const target = await this.store.setTarget({ fiscalYear: input.fiscalYear, scopeKey, organisationId: org, metric: input.metric, target: input.target, setByAccountId: a.accountId });
    return { ok: true, error: null, target };
  }

  // ── The satisfaction survey ─────────────────────────────────────────────────────────────────

  private async ledEngagement(engagementId: string): Promise<Result<{ engagement: { id: string; ownerOrganisationId: string; status: string } }>> {
    const a = this.acting('surveys.issue');
    const e = isUuid(engagementId) ? await this.store.engagement(engagementId) : null;
    if (!e || e.leadAccountId !== a.accountId) return { ok: false, error: reportsErrors.engagementNotFound() };
    return { ok: true, error: null, engagement: e };
  }

  async engagementSurvey(engagementId: string): Promise<SurveyRow | null> {
    if (!this.viewer.accountId || !can(this.viewer, 'surveys.issue', this.viewer.organisationId)) return null;
    const e = await this.ledEngagement(engagementId);
    return e.ok ? this.store.surveyOfEngagement(engagementId) : null;
  }

  async issueSurveyLink(engagementId: string): Promise<Result<{ url: string; survey: SurveyRow }>> {
    const e = await this.ledEngagement(engagementId);
    if (!e.ok) return e;
    if (e.engagement.status !== 'CLOSED') return { ok: false, error: reportsErrors.engagementNotClosed() };
    const existing = await this.store.surveyOfEngagement(engagementId);
    if (existing?.answeredAt) return { ok: false, error: reportsErrors.surveyAnswered() };
    const token = crypto.randomBytes(32).toString('base64url');
    const now = this.now();
    const survey = await this.store.issueSurvey({
      engagementId,
      organisationId: e.engagement.ownerOrganisationId,
      tokenHash: hashSurveyToken(token),
      issuedByAccountId: this.viewer.accountId!,
      issuedAt: now,
      expiresAt: new Date(jstDayStart(toJstDay(new Date(now.getTime() + SURVEY_VALID_DAYS * 86_400_000))).getTime() + 86_400_000 - 1),
    });
    return { ok: true, error: null, url: new URL(`/survey/${token}`, this.publicUrl).toString(), survey };
  }

  private async surveyByToken(token: string): Promise<SurveyRow | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    return this.store.surveyByTokenHash(hashSurveyToken(token));
  }

  async lookupSurvey(token: string): Promise<{ state: 'OPEN' | 'ANSWERED' | 'EXPIRED' | 'NOT_FOUND'; organisationName: string | null; expiresAt: Date | null }> {
    const s = await this.surveyByToken(token);
    if (!s) return { state: 'NOT_FOUND', organisationName: null, expiresAt: null };
    const org = await this.store.organisation(s.organisationId);
    const state = s.answeredAt ? 'ANSWERED' : s.expiresAt <= this.now() ? 'EXPIRED' : 'OPEN';
    return { state, organisationName: org?.nameJa ?? null, expiresAt: s.expiresAt };
  }

  async answerSurvey(token: string, input: { overall: SurveyOverall; awareness: SurveyAwareness; change: SurveyChange; comment?: string | null }): Promise<Result<object>> {
    const comment = (input.comment ?? '').normalize('NFC').trim() || null;
    if (comment && comment.length > 2000) return { ok: false, error: reportsErrors.commentTooLong() };
    const now = this.now();
    const s = await this.surveyByToken(token);
    if (!s) return { ok: false, error: reportsErrors.surveyNotFound() };
    if (await this.store.answerSurvey(hashSurveyToken(token), now, { overall: input.overall, awareness: input.awareness, change: input.change, comment })) return { ok: true, error: null };
    // Answered or expired, perhaps a moment ago by a second tab.
    const again = await this.surveyByToken(token);
    return { ok: false, error: again?.answeredAt ? reportsErrors.surveyAnswered() : reportsErrors.surveyExpired() };
  }
}

/** Change statistics per figure: medians over at least the threshold's number of engagements, and buckets. */
function outcomeStats(pairs: OutcomePair[], count: (v: number) => Count): Pick<Dashboard['outcomes'], 'sales' | 'operatingProfit' | 'valueAdded' | 'employees'> {
  const stats = (pick: (p: OutcomePair) => [number | null, number | null], buckets: typeof SIGN_BUCKETS, percent: boolean): ChangeStats => {
    const changes: number[] = [];
    const percents: number[] = [];
    for (const p of pairs) {
      const [base, last] = pick(p);
      if (base === null || last === null) continue;
      changes.push(last - base);
      if (percent && base > 0) percents.push(((last - base) / base) * 100);
    }
    const enough = changes.length >= SUPPRESSION_THRESHOLD;
    const values = percent ? percents : changes;
    return {
      n: changes.length,
      medianChange: enough ? median(changes) : null,
      medianPercent: percent && percents.length >= SUPPRESSION_THRESHOLD ? median(percents) : null,
      distribution: buckets.map((b) => ({ key: b.key, label: b.label, count: enough ? count(values.filter(b.test).length) : { value: null, suppressed: values.length > 0 } })),
    };
  };
  const num = (v: bigint | number | null) => (v === null ? null : Number(v));
  return {
    sales: stats((p) => [num(p.baseSales), num(p.lastSales)], PERCENT_BUCKETS, true),
    operatingProfit: stats((p) => [num(p.baseProfit), num(p.lastProfit)], SIGN_BUCKETS, false),
    valueAdded: stats((p) => [num(p.baseValueAdded), num(p.lastValueAdded)], PERCENT_BUCKETS, true),
    employees: stats((p) => [p.baseEmployees, p.lastEmployees], EMPLOYEE_BUCKETS, false),
  };
}

/** The referral figures from the period's histogram (percentiles interpolated as percentile_cont does). */
export function referralCounts(bins: ReferralBin[]) {
  const sum = (test: (b: ReferralBin) => boolean) => bins.filter(test).reduce((t, b) => t + b.count, 0);
  const received = bins.filter((b) => b.isReceived);
  const days = new Map<number, number>();
  for (const b of received) if (b.days !== null) days.set(b.days, (days.get(b.days) ?? 0) + b.count);
  const reasons = new Map<string, number>();
  for (const b of received) if (b.status === 'DECLINED' && b.reason) reasons.set(b.reason, (reasons.get(b.reason) ?? 0) + b.count);
  return {
    sent: sum((b) => b.isSent),
    received: sum((b) => b.isReceived),
    answered: sum((b) => b.isReceived && b.answered),
    accepted: sum((b) => b.isReceived && b.accepted),
    declined: sum((b) => b.isReceived && b.status === 'DECLINED'),
    forwarded: sum((b) => b.isReceived && b.status === 'FORWARDED'),
    median: percentile(days, 0.5),
    p90: percentile(days, 0.9),
    declines: [...reasons].map(([reason, count]) => ({ reason, count })),
  };
}

/** The continuous percentile of values given as value → how many (PostgreSQL's percentile_cont). */
export function percentile(counts: Map<number, number>, p: number): number | null {
  const values = [...counts].sort((a, b) => a[0] - b[0]);
  const total = values.reduce((t, [, c]) => t + c, 0);
  if (total === 0) return null;
  const at = (i: number) => {
    let seen = 0;
    for (const [v, c] of values) {
      seen += c;
      if (i < seen) return v;
    }
    return values[values.length - 1]![0];
  };
  const pos = p * (total - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return at(lo) + (at(hi) - at(lo)) * (pos - lo);
}

type Figures = {
  bins: ReferralBin[];
  flows: Awaited<ReturnType<ReportsStore['flows']>>;
  eng: EngagementFigures['counts'];
  stages: Map<number, number>;
  sizes: Map<number, number>;
  levels: Array<{ level: string; count: number }>;
  issues: { resolved: number; total: number };
  pairs: OutcomePair[];
  survey: Awaited<ReturnType<ReportsStore['surveyCounts']>>;
  targets: TargetRow[];
};

/**
 * Concurrent requests for the same scope share one computation (the web app asks for the dashboard in
 * parts, and a council meeting's audience opens the same report at once); nothing is kept after it
 * finishes, so every new request is current. A computation runs at most three statements at a time, so
 * one report never takes the whole connection pool.
 */
const inFlight = new Map<string, Promise<Figures>>();

function sharedFigures(store: ReportsStore, scope: Scope, fiscalYear: number | null): Promise<Figures> {
  const key = JSON.stringify([scope.from.toISOString(), scope.to.toISOString(), scope.organisationId, scope.category, scope.prefectureCode, fiscalYear]);
  let running = inFlight.get(key);
  if (!running) {
    running = computeFigures(store, scope, fiscalYear).finally(() => inFlight.delete(key));
    inFlight.set(key, running);
  }
  return running;
}

async function computeFigures(store: ReportsStore, scope: Scope, fiscalYear: number | null): Promise<Figures> {
  const [bins, flows, engagements] = await Promise.all([store.referralHistogram(scope), store.flows(scope), store.engagementFigures(scope)]);
  const [pairs, issues, targets] = await Promise.all([
    store.outcomePairs(scope),
    store.issues(scope),
    fiscalYear !== null ? store.targets(fiscalYear, [scope.organisationId ?? 'programme']) : Promise.resolve([] as TargetRow[]),
  ]);
  const survey = await store.surveyCounts(scope); // two statements
  return { bins, flows, eng: engagements.counts, stages: engagements.stages, sizes: engagements.sizes, levels: engagements.levels, issues, pairs, survey, targets };
}
