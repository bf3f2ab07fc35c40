import { computed } from 'vue';
import {
  ReportEngagementsDocument,
  ReportNetworkDocument,
  ReportOutcomesDocument,
  ReportReferralsDocument,
  ReportDistributionsDocument,
  type CountFieldsFragment,
  type ReportFilter,
} from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';

/**
 * The dashboard for a filter. The whole dashboard is larger than one operation may be (the web app keeps
 * every operation under a quarter of the gateway's token limit), so it is asked for in four parts that
 * run side by side: period and referrals (with targets), engagements and the survey, the network, and
 * outcomes. `filter` returns null while the filter is incomplete (a range with one date).
 */
export function useReportDashboard(filter: () => ReportFilter | null) {
  const variables = () => ({ filter: filter() ?? {} });
  const enabled = { enabled: () => filter() !== null };
  const referrals = useQuery(ReportReferralsDocument, variables, enabled);
  const engagements = useQuery(ReportEngagementsDocument, variables, enabled);
  const network = useQuery(ReportNetworkDocument, variables, enabled);
  const outcomes = useQuery(ReportOutcomesDocument, variables, enabled);
  const parts = [referrals, engagements, network, outcomes] as const;

  const distribution = useOutcomeDistribution(filter);

  return {
    /** Period, suppression, the body, referrals and target progress. */
    head: computed(() => referrals.data.value?.reportDashboard.dashboard ?? null),
    engagementFigures: computed(() => engagements.data.value?.reportDashboard.dashboard?.engagements ?? null),
    surveyFigures: computed(() => engagements.data.value?.reportDashboard.dashboard?.survey ?? null),
    networkFigures: computed(() => network.data.value?.reportDashboard.dashboard?.network ?? null),
    outcomeFigures: computed(() => outcomes.data.value?.reportDashboard.dashboard?.outcomes ?? null),
    distribution,
    /** The server's answer when it refused the filter (a range the wrong way round, another body …). */
    refusal: computed(() => referrals.data.value?.reportDashboard.error ?? null),
    /** A failure with nothing to show (network, no permission). */
    error: computed(() => parts.find((p) => p.error.value)?.error.value ?? null),
    partial: computed(() => parts.some((p) => p.warnings.value.length > 0)),
    /** True until every part has answered once. */
    loading: computed(() => parts.some((p) => p.loading.value && p.data.value === null)),
    /** True while the figures are being read again for a new filter. */
    refreshing: computed(() => parts.some((p) => p.loading.value)),
    refetch: async () => {
      await Promise.all([...parts.map((p) => p.refetch()), distribution.refetch()]);
    },
  };
}

/** A figure's distribution over the server's buckets. */
export type Distribution = Array<{ label: string; count: CountFieldsFragment }>;
export type DistributionFigure = 'sales' | 'operatingProfit' | 'valueAdded' | 'employees';

/**
 * The outcome distributions (the histograms' buckets), in a query of their own: the same filter and
 * rules as the rest of the dashboard (the server computes the dashboard once for concurrent requests).
 */
export function useOutcomeDistribution(filter: () => ReportFilter | null) {
  const query = useQuery(ReportDistributionsDocument, () => ({ filter: filter() ?? {} }), { enabled: () => filter() !== null });
  const data = computed<Record<DistributionFigure, Distribution> | null>(() => {
    const o = query.data.value?.reportDashboard.dashboard?.outcomes;
    if (!o) return null;
    const of = (s: { distribution: Array<{ label: string; value?: number | null; suppressed: boolean }> }): Distribution => s.distribution.map((b) => ({ label: b.label, count: { value: b.value ?? null, suppressed: b.suppressed } }));
    return { sales: of(o.sales), operatingProfit: of(o.operatingProfit), valueAdded: of(o.valueAdded), employees: of(o.employees) };
  });
  return { data, failed: computed(() => query.error.value !== null), refetch: query.refetch };
}
