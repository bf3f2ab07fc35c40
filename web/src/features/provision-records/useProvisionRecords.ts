import { computed } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import { ProvisionRecordsDocument, type ProvisionRecordFilter } from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';
import { isIsoDate } from '@/lib/dates';

const PAGE_SIZE = 50;

/** The date range as chosen (Tokyo calendar days, both inclusive); kept in the address. */
export interface RangeForm {
  from: string;
  to: string;
}

function single(value: LocationQuery[string] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : '';
}

export function rangeFromQuery(query: LocationQuery): RangeForm {
  const from = single(query.from);
  const to = single(query.to);
  return { from: isIsoDate(from) ? from : '', to: isIsoDate(to) ? to : '' };
}

/** `/files/provision-records.csv?from=…&to=…`: exactly the range the table shows. */
export function csvHref(range: RangeForm): string {
  const params = new URLSearchParams();
  if (range.from) params.set('from', range.from);
  if (range.to) params.set('to', range.to);
  const query = params.toString();
  return `/files/provision-records.csv${query ? `?${query}` : ''}`;
}

/** 第三者提供記録 of the viewer's body, newest first, within a date range. */
export function useProvisionRecords() {
  const route = useRoute();
  const router = useRouter();
  const range = computed(() => rangeFromQuery(route.query));
  const filter = computed<ProvisionRecordFilter>(() => ({ from: range.value.from || null, to: range.value.to || null }));
  const query = useQuery(ProvisionRecordsDocument, () => ({ filter: filter.value, first: PAGE_SIZE }));

  const records = computed(() => query.data.value?.provisionRecords.nodes ?? []);
  const total = computed(() => query.data.value?.provisionRecords.totalCount ?? 0);

  function apply(next: RangeForm): Promise<unknown> {
    const q: Record<string, string> = {};
    if (next.from) q.from = next.from;
    if (next.to) q.to = next.to;
    return router.replace({ query: q });
  }

  function loadMore(): Promise<void> {
    const cursor = query.data.value?.provisionRecords.pageInfo.endCursor;
    if (!cursor) return Promise.resolve();
    return query.fetchMore({ after: cursor }, (previous, next) => ({
      ...next,
      provisionRecords: { ...next.provisionRecords, nodes: [...previous.provisionRecords.nodes, ...next.provisionRecords.nodes] },
    }));
  }

  return {
    range,
    apply,
    csv: computed(() => csvHref(range.value)),
    records,
    total,
    hasNext: computed(() => query.data.value?.provisionRecords.pageInfo.hasNextPage ?? false),
    remaining: computed(() => Math.max(total.value - records.value.length, 0)),
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
