import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { MyEngagementsDocument, type EngagementCardFragment, type EngagementStage } from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';
import { ENGAGEMENT_STAGES } from '@/lib/enums';

const PAGE_SIZE = 50;

/** The viewer's engagements for the board, grouped by stage; closed ones only when asked (?closed=1). */
export function useEngagementBoard() {
  const route = useRoute();
  const router = useRouter();
  const includeClosed = computed(() => route.query.closed === '1');
  const query = useQuery(MyEngagementsDocument, () => ({ includeClosed: includeClosed.value, first: PAGE_SIZE }));

  const engagements = computed(() => query.data.value?.myEngagements.nodes ?? []);
  const total = computed(() => query.data.value?.myEngagements.totalCount ?? 0);
  /** One column per stage, in stage order, each with its engagements (empty columns included). */
  const columns = computed(() =>
    ENGAGEMENT_STAGES.map((stage) => ({ stage, items: engagements.value.filter((e) => e.stage === stage) as EngagementCardFragment[] })),
  );

  function loadMore(): Promise<void> {
    const cursor = query.data.value?.myEngagements.pageInfo.endCursor;
    if (!cursor) return Promise.resolve();
    return query.fetchMore({ after: cursor }, (previous, next) => ({
      ...next,
      myEngagements: { ...next.myEngagements, nodes: [...previous.myEngagements.nodes, ...next.myEngagements.nodes] },
    }));
  }

  return {
    includeClosed,
    /** The toggle replaces the history entry, like the other list filters. */
    setIncludeClosed: (on: boolean) => router.replace({ query: on ? { closed: '1' } : {} }),
    engagements,
    columns,
    total,
    hasNext: computed(() => query.data.value?.myEngagements.pageInfo.hasNextPage ?? false),
    remaining: computed(() => Math.max(total.value - engagements.value.length, 0)),
    loading: query.loading,
    firstLoad: computed(() => query.loading.value && query.data.value === null),
    error: query.error,
    partial: computed(() => query.warnings.value.length > 0),
    refetch: query.refetch,
    loadingMore: query.loadingMore,
    moreError: query.moreError,
    loadMore,
  };
}

/** How many people work on an engagement: those who accepted a place, and the lead (when not listed as one). */
export function teamSize(engagement: Pick<EngagementCardFragment, 'team'>): number {
  const accepted = engagement.team.filter((m) => m.status === 'ACCEPTED');
  return accepted.length + (accepted.some((m) => m.slot === 'LEAD') ? 0 : 1);
}

export type { EngagementStage };
