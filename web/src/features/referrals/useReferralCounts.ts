import { computed, shallowRef, watch } from 'vue';
import { useRoute } from 'vue-router';
import { ReferralCountsDocument, type ReferralCountsQuery } from '@/gql/graphql';
import { useViewer } from '@/composables/useViewer';
import { request } from '@/lib/graphql-client';

type Counts = ReferralCountsQuery['referralCounts'];

// One state for the header's badge and the inbox tabs; a change on a referral page refreshes both.
const counts = shallowRef<Counts | null>(null);
let generation = 0;

/** Asks the server how many referrals wait; failures keep what is shown (the header is not where to report them). */
export async function refreshReferralCounts(): Promise<void> {
  const mine = ++generation;
  try {
    const result = await request(ReferralCountsDocument, {});
    if (mine === generation) counts.value = result.data.referralCounts;
  } catch {
    // The next page change asks again.
  }
}

export function useReferralCounts() {
  return {
    counts,
    /** New and overdue: referrals that wait for the body's answer. */
    waiting: computed(() => (counts.value ? counts.value.new + counts.value.overdue : 0)),
  };
}

/**
 * Keeps the counts fresh for viewers who may read referrals: on every page change and when the viewer
 * or their body changes. Call once, from the header.
 */
export function useReferralCountsRefresh(): void {
  const route = useRoute();
  const { viewer, can } = useViewer();
  const key = computed(() => (viewer.value && can('referrals.read') ? `${viewer.value.account.id}:${viewer.value.activeOrganisation.id}` : null));
  watch(
    [key, () => route.path],
    ([next], [previous]) => {
      if (next === null) {
        generation += 1;
        counts.value = null;
        return;
      }
      if (next !== previous) counts.value = null;
      void refreshReferralCounts();
    },
    { immediate: true },
  );
}
