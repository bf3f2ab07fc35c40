import { computed } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import { AuditEventsDocument, type AuditFilter, type AuditOutcome } from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';
import { isAuditOutcome } from '@/lib/enums';
import { isIsoDate, nextDay } from '@/lib/dates';

const PAGE_SIZE = 50;

/** The filters as the person chose them; kept in the address so a filtered view can be shared. */
export interface AuditFilterForm {
  action: string;
  outcome: AuditOutcome | '';
  /** First day shown (YYYY-MM-DD), Tokyo calendar. */
  from: string;
  /** Last day shown, inclusive (YYYY-MM-DD). */
  to: string;
}

function single(value: LocationQuery[string] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : '';
}

export function formFromQuery(query: LocationQuery): AuditFilterForm {
  const action = single(query.action).trim().slice(0, 100);
  const outcome = single(query.outcome);
  const from = single(query.from);
  const to = single(query.to);
  return {
    action,
    outcome: isAuditOutcome(outcome) ? outcome : '',
    from: isIsoDate(from) ? from : '',
    to: isIsoDate(to) ? to : '',
  };
}

/** The server's filter: `to` is exclusive there, so the inclusive last day becomes the day after. */
export function toServerFilter(form: AuditFilterForm): AuditFilter {
  const filter: AuditFilter = {};
  if (form.action) filter.action = form.action;
  if (form.outcome) filter.outcome = form.outcome;
  if (form.from) filter.from = form.from;
  if (form.to) filter.to = nextDay(form.to);
  return filter;
}

/** `/admin/audit.csv?…` with exactly the filter the table shows. */
export function csvHref(filter: AuditFilter): string {
  const params = new URLSearchParams();
  for (const key of ['action', 'outcome', 'organisationId', 'from', 'to'] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  return `/admin/audit.csv?${params.toString()}`;
}

export function useAuditLog() {
  const route = useRoute();
  const router = useRouter();
  const form = computed(() => formFromQuery(route.query));
  const filter = computed(() => toServerFilter(form.value));
  const query = useQuery(AuditEventsDocument, () => ({ filter: filter.value, first: PAGE_SIZE }));

  function apply(next: AuditFilterForm): Promise<unknown> {
    const q: Record<string, string> = {};
    if (next.action.trim()) q.action = next.action.trim();
    if (next.outcome) q.outcome = next.outcome;
    if (next.from) q.from = next.from;
    if (next.to) q.to = next.to;
    return router.replace({ query: q });
  }

  function loadMore(): Promise<void> {
    const cursor = query.data.value?.auditEvents.pageInfo.endCursor;
    if (!cursor) return Promise.resolve();
    return query.fetchMore({ after: cursor }, (previous, next) => ({
      ...next,
      auditEvents: { ...next.auditEvents, nodes: [...previous.auditEvents.nodes, ...next.auditEvents.nodes] },
    }));
  }

  const events = computed(() => query.data.value?.auditEvents.nodes ?? []);
  const total = computed(() => query.data.value?.auditEvents.totalCount ?? 0);

  return {
    form,
    filter,
    apply,
    events,
    total,
    hasNext: computed(() => query.data.value?.auditEvents.pageInfo.hasNextPage ?? false),
    remaining: computed(() => Math.max(total.value - events.value.length, 0)),
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
