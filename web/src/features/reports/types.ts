import type { ReportEngagementsQuery, ReportNetworkQuery, ReportOutcomesQuery, ReportReferralsQuery } from '@/gql/graphql';

/** Period, suppression, the body, referrals and target progress. */
export type ReportHead = NonNullable<ReportReferralsQuery['reportDashboard']['dashboard']>;
type EngagementsPart = NonNullable<ReportEngagementsQuery['reportDashboard']['dashboard']>;
export type EngagementFigures = EngagementsPart['engagements'];
export type SurveyFigures = EngagementsPart['survey'];
export type NetworkFigures = NonNullable<ReportNetworkQuery['reportDashboard']['dashboard']>['network'];
export type OutcomeFigures = NonNullable<ReportOutcomesQuery['reportDashboard']['dashboard']>['outcomes'];
