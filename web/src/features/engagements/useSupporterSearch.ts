import { computed, ref } from 'vue';
import { SupporterSearchDocument, type Qualification, type Speciality } from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';
import { QUALIFICATIONS, SPECIALITIES } from '@/lib/enums';

const PAGE_SIZE = 20;

/** Supporters across all bodies for a team, filtered by qualification, speciality, region, name and room. */
export function useSupporterSearch(initialRegion: string | null, enabled: () => boolean) {
  const qualifications = ref<Qualification[]>([]);
  const specialities = ref<Speciality[]>([]);
  const regionCode = ref<string>(initialRegion ?? '');
  const search = ref('');
  const availableOnly = ref(false);

  const filter = () => ({
    qualifications: qualifications.value.length > 0 ? qualifications.value : null,
    specialities: specialities.value.length > 0 ? specialities.value : null,
    regionCode: regionCode.value || null,
    search: search.value || null,
    availableOnly: availableOnly.value || null,
  });
  const query = useQuery(SupporterSearchDocument, () => ({ filter: filter(), first: PAGE_SIZE }), { enabled });

  const supporters = computed(() => query.data.value?.supporterSearch.nodes ?? []);
  const total = computed(() => query.data.value?.supporterSearch.totalCount ?? 0);

  /** Toggles a chip, keeping the list in the directory's order. */
  function toggleQualification(q: Qualification): void {
    qualifications.value = qualifications.value.includes(q) ? qualifications.value.filter((x) => x !== q) : QUALIFICATIONS.filter((x) => x === q || qualifications.value.includes(x));
  }
  function toggleSpeciality(s: Speciality): void {
    specialities.value = specialities.value.includes(s) ? specialities.value.filter((x) => x !== s) : SPECIALITIES.filter((x) => x === s || specialities.value.includes(x));
  }

  function loadMore(): Promise<void> {
    const cursor = query.data.value?.supporterSearch.pageInfo.endCursor;
    if (!cursor) return Promise.resolve();
    return query.fetchMore({ after: cursor }, (previous, next) => ({
      ...next,
      supporterSearch: { ...next.supporterSearch, nodes: [...previous.supporterSearch.nodes, ...next.supporterSearch.nodes] },
    }));
  }

  return {
    qualifications,
    specialities,
    regionCode,
    search,
    availableOnly,
    toggleQualification,
    toggleSpeciality,
    supporters,
    total,
    hasNext: computed(() => query.data.value?.supporterSearch.pageInfo.hasNextPage ?? false),
    remaining: computed(() => Math.max(total.value - supporters.value.length, 0)),
    loading: query.loading,
    firstLoad: computed(() => query.loading.value && query.data.value === null),
    error: query.error,
    refetch: query.refetch,
    loadingMore: query.loadingMore,
    moreError: query.moreError,
    loadMore,
  };
}
