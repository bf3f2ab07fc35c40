import { computed, shallowRef, watch } from 'vue';
import { useRoute, useRouter, type LocationQueryRaw } from 'vue-router';
import { ReferralInboxDocument, SentReferralsDocument, type ReferralBox, type ReferralRowFragment, type ReferralStatus } from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';
import { REFERRAL_BOXES, isReferralStatus } from '@/lib/enums';

const PAGE_SIZE = 30;

/** A tab of the referrals page: one inbox box, or the referrals the body sent. */
export type ReferralTab = ReferralBox | 'SENT';

function single(value: unknown): string {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : '';
}

/** The slug each tab has in the address (?box=overdue). */
export function tabSlug(tab: ReferralTab): string {
  return tab === 'SENT' ? 'sent' : (REFERRAL_BOXES.find((b) => b.box === tab)?.slug ?? 'new');
}

/**
 * The referrals page's lists. The tab and the sent list's status filter live in the address
 * (?box=overdue, ?box=sent&status=DRAFT) so a view can be bookmarked and Back works.
 */
export function useReferralLists() {
  const route = useRoute();
  const router = useRouter();

  const tab = computed<ReferralTab>(() => {
    const slug = single(route.query.box);
    if (slug === 'sent') return 'SENT';
    return REFERRAL_BOXES.find((b) => b.slug === slug)?.box ?? 'NEW';
  });
  const status = computed<ReferralStatus | null>(() => {
    const value = single(route.query.status);
    return tab.value === 'SENT' && isReferralStatus(value) ? value : null;
  });

  const inbox = useQuery(
    ReferralInboxDocument,
    () => ({ box: (tab.value === 'SENT' ? 'NEW' : tab.value) as ReferralBox, first: PAGE_SIZE }),
    { enabled: () => tab.value !== 'SENT' },
  );
  const sent = useQuery(SentReferralsDocument, () => ({ status: status.value ? [status.value] : null, first: PAGE_SIZE }), {
    enabled: () => tab.value === 'SENT',
  });

  // Which tab the shown data belongs to (useQuery drops answers for older variables, so data that
  // arrives belongs to the current tab): a switch from 新着 to 期限超過 shows loading, not 新着's rows.
  const loadedTab = shallowRef<ReferralTab | null>(null);
  watch([inbox.data, sent.data], () => {
    loadedTab.value = tab.value;
  });

  const connection = computed(() => (tab.value === 'SENT' ? (sent.data.value?.sentReferrals ?? null) : (inbox.data.value?.referralInbox ?? null)));
  const active = computed(() => (tab.value === 'SENT' ? sent : inbox));
  const items = computed<readonly ReferralRowFragment[]>(() => connection.value?.nodes ?? []);
  const total = computed(() => connection.value?.totalCount ?? 0);

  function go(query: LocationQueryRaw): Promise<unknown> {
    return router.push({ query });
  }

  function loadMore(): Promise<void> {
    const cursor = connection.value?.pageInfo.endCursor;
    if (!cursor) return Promise.resolve();
    if (tab.value === 'SENT') {
      return sent.fetchMore({ after: cursor }, (previous, next) => ({
        ...next,
        sentReferrals: { ...next.sentReferrals, nodes: [...previous.sentReferrals.nodes, ...next.sentReferrals.nodes] },
      }));
    }
    return inbox.fetchMore({ after: cursor }, (previous, next) => ({
      ...next,
      referralInbox: { ...next.referralInbox, nodes: [...previous.referralInbox.nodes, ...next.referralInbox.nodes] },
    }));
  }

  return {
    tab,
    status,
    /** Another tab: a new history entry, so Back returns to the previous box. */
    setTab: (next: ReferralTab) => go(next === 'NEW' ? {} : { box: tabSlug(next) }),
    setStatus: (next: ReferralStatus | null) => router.replace({ query: { box: 'sent', ...(next ? { status: next } : {}) } }),
    items,
    total,
    hasNext: computed(() => connection.value?.pageInfo.hasNextPage ?? false),
    remaining: computed(() => Math.max(total.value - items.value.length, 0)),
    loading: computed(() => active.value.loading.value),
    /** Nothing to show yet for this tab (a tab switch keeps no stale rows from another box). */
    firstLoad: computed(() => active.value.loading.value && (active.value.data.value === null || loadedTab.value !== tab.value)),
    error: computed(() => active.value.error.value),
    partial: computed(() => active.value.warnings.value.length > 0),
    refetch: () => active.value.refetch(),
    loadingMore: computed(() => active.value.loadingMore.value),
    moreError: computed(() => active.value.moreError.value),
    loadMore,
  };
}
