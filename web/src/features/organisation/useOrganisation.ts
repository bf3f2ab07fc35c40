import { computed, shallowRef, watch } from 'vue';
import {
  OrganisationMembersDocument,
  OrganisationPageDocument,
  type SupporterCardFragment,
} from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';
import { request } from '@/lib/graphql-client';

const MEMBERS_PAGE_SIZE = 20;

/** The organisation page's data: the body itself plus its supporters, paged with "さらに表示". */
export function useOrganisation(id: () => string) {
  const page = useQuery(OrganisationPageDocument, () => ({ id: id(), membersFirst: MEMBERS_PAGE_SIZE }));

  const members = shallowRef<readonly SupporterCardFragment[]>([]);
  const membersTotal = shallowRef(0);
  const membersCursor = shallowRef<string | null>(null);
  const membersHasNext = shallowRef(false);
  const loadingMore = shallowRef(false);
  const moreError = shallowRef<Error | null>(null);
  const moreWarnings = shallowRef(0);

  watch(
    page.data,
    (data) => {
      const connection = data?.organisation?.members;
      members.value = connection?.nodes ?? [];
      membersTotal.value = connection?.totalCount ?? 0;
      membersCursor.value = connection?.pageInfo.endCursor ?? null;
      membersHasNext.value = connection?.pageInfo.hasNextPage ?? false;
      moreError.value = null;
      moreWarnings.value = 0;
    },
    { immediate: true },
  );

  async function loadMoreMembers(): Promise<void> {
    const forId = id();
    if (!membersCursor.value || loadingMore.value) return;
    loadingMore.value = true;
    moreError.value = null;
    try {
      const result = await request(OrganisationMembersDocument, {
        id: forId,
        first: MEMBERS_PAGE_SIZE,
        after: membersCursor.value,
      });
      if (forId !== id()) return;
      const connection = result.data.organisation?.members;
      if (connection) {
        members.value = [...members.value, ...connection.nodes];
        membersTotal.value = connection.totalCount;
        membersCursor.value = connection.pageInfo.endCursor;
        membersHasNext.value = connection.pageInfo.hasNextPage;
      }
      moreWarnings.value += result.errors.length;
    } catch (cause) {
      if (forId === id()) moreError.value = cause instanceof Error ? cause : new Error(String(cause));
    } finally {
      loadingMore.value = false;
    }
  }

  return {
    organisation: computed(() => page.data.value?.organisation ?? null),
    /** True once the server has answered that no such organisation exists. */
    notFound: computed(() => page.data.value !== null && page.data.value.organisation === null),
    loading: page.loading,
    error: page.error,
    partial: computed(() => page.warnings.value.length > 0 || moreWarnings.value > 0),
    refetch: page.refetch,
    members,
    membersTotal,
    membersHasNext,
    membersRemaining: computed(() => Math.max(membersTotal.value - members.value.length, 0)),
    loadingMore,
    moreError,
    loadMoreMembers,
  };
}
