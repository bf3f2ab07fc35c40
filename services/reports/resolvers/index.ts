/** Thin resolvers: unpack arguments, call the manager, map rows to the schema's shape. */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { SurveyAwareness, SurveyChange, SurveyOverall, TargetMetric } from '../../../generated/prisma/enums';
import { toResultPayload } from '../../shared/results';
import type { ReportsContext } from '../context';
import type { Count, DashboardFilter, Dashboard, Flow } from '../reports.manager';
import type { SurveyRow, TargetRow } from '../reports.store';

type Ctx = ReportsContext;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const org = (id: string | null | undefined) => (id ? { __typename: 'Organisation', id } : null);

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    reportDashboard: async (_: unknown, a: { filter: DashboardFilter }, ctx: Ctx) => toResultPayload(await ctx.reports.dashboard(a.filter)),
    reportTargets: (_: unknown, a: { fiscalYear: number }, ctx: Ctx) => ctx.reports.targets(a.fiscalYear),
    survey: (_: unknown, a: { token: string }, ctx: Ctx) => ctx.reports.lookupSurvey(a.token),
    engagementSurvey: (_: unknown, a: { engagementId: string }, ctx: Ctx) => ctx.reports.engagementSurvey(a.engagementId),
  },
  Mutation: {
    setReportTarget: async (_: unknown, a: { input: { fiscalYear: number; organisationId?: string; metric: TargetMetric; target: number } }, ctx: Ctx) => toResultPayload(await ctx.reports.setTarget(a.input)),
    issueSurveyLink: async (_: unknown, a: { engagementId: string }, ctx: Ctx) => toResultPayload(await ctx.reports.issueSurveyLink(a.engagementId)),
    answerSurvey: async (_: unknown, a: { token: string; input: { overall: SurveyOverall; awareness: SurveyAwareness; change: SurveyChange; comment?: string } }, ctx: Ctx) =>
      toResultPayload(await ctx.reports.answerSurvey(a.token, a.input)),
  },
  ReportDashboard: {
    organisation: (d: Dashboard) => org(d.organisationId),
  },
  Flow: {
    from: (f: Flow) => (f.byBody ? org(f.fromKey) : null),
    to: (f: Flow) => (f.byBody ? org(f.toKey) : null),
  },
  Bucket: {
    value: (b: { count: Count }) => b.count.value,
    suppressed: (b: { count: Count }) => b.count.suppressed,
  },
  ReportTarget: {
    organisation: (t: TargetRow) => org(t.organisationId),
    updatedAt: (t: TargetRow) => iso(t.updatedAt),
  },
  SurveyLookup: {
    expiresAt: (s: { expiresAt: Date | null }) => iso(s.expiresAt),
  },
  EngagementSurvey: {
    issuedAt: (s: SurveyRow) => iso(s.issuedAt),
    expiresAt: (s: SurveyRow) => iso(s.expiresAt),
    answeredAt: (s: SurveyRow) => iso(s.answeredAt),
  },
};
