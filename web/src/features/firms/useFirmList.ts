import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { FirmsDocument } from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';

const PAGE_SIZE = 50;

/** The body's firms, searched by name or reading; the search lives in the address (?q=エチゴ). */
export function useFirmList() {
  const route = useRoute();
  const router = useRouter();
  const search = computed(() => {
    const q = Array.isArray(route.query.q) ? route.query.q[0] : route.query.q;
    return (typeof q === 'string' ? q : '').trim();
  });
  const query = useQuery(FirmsDocument, () => ({ search: search.value || null, first: PAGE_SIZE }));

  const firms = computed(() => query.data.value?.firms.nodes ?? []);
  const total = computed(() => query.data.value?.firms.totalCount ?? 0);

  function loadMore(): Promise<void> {
    const cursor = query.data.value?.firms.pageInfo.endCursor;
    if (!cursor) return Promise.resolve();
    return query.fetchMore({ after: cursor }, (previous, next) => ({
      ...next,
      firms: { ...next.firms, nodes: [...previous.firms.nodes, ...next.firms.nodes] },
    }));
  }

  return {
    search,
    /** Typing replaces the history entry; a new search should not need many Back presses. */
    setSearch: (q: string) => router.replace({ query: q.trim() ? { q: q.trim() } : {} }),
    firms,
    total,
    hasNext: computed(() => query.data.value?.firms.pageInfo.hasNextPage ?? false),
    remaining: computed(() => Math.max(total.value - firms.value.length, 0)),
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
