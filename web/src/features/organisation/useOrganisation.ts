import { computed, shallowRef, watch } from 'vue';
import {
  OrganisationMembersDocument,
  OrganisationPageDocument,
  type SupporterCardFragment,
} from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';
import { useViewer } from '@/composables/useViewer';
import { request } from '@/lib/graphql-client';
import { accessFailure, errorsAt } from '@/lib/graphql-errors';

const MEMBERS_PAGE_SIZE = 20;

/**
 * The organisation page's data: the body itself (public) plus its supporters (sign-in needed), paged
 * with "さらに表示". The two are separate requests so that an anonymous visitor still gets the body
 * while the supporters part answers UNAUTHENTICATED.
 */
export function useOrganisation(id: () => string) {
  const page = useQuery(OrganisationPageDocument, () => ({ id: id() }));
  const { viewer } = useViewer();
  const firstMembers = useQuery(OrganisationMembersDocument, () => ({ id: id(), first: MEMBERS_PAGE_SIZE }));
  // Signing in or out (or switching body) changes what the supporters list may show: ask again.
  watch(
    () => (viewer.value ? `${viewer.value.account.id}:${viewer.value.activeOrganisation.id}` : null),
    () => void firstMembers.refetch(),
  );

  const members = shallowRef<readonly SupporterCardFragment[]>([]);
  const membersTotal = shallowRef(0);
  const membersCursor = shallowRef<string | null>(null);
  const membersHasNext = shallowRef(false);
  const loadingMore = shallowRef(false);
  const moreError = shallowRef<Error | null>(null);
  const moreWarnings = shallowRef(0);

  watch(
    firstMembers.data,
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

  /** UNAUTHENTICATED or FORBIDDEN when the supporters are not for this viewer; null otherwise. */
  const membersAccess = computed(
    () => accessFailure(firstMembers.error.value) ?? accessFailure(errorsAt(firstMembers.warnings.value, ['organisation'])),
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
    partial: computed(
      () =>
        page.warnings.value.length > 0 ||
        moreWarnings.value > 0 ||
        (membersAccess.value === null && firstMembers.warnings.value.length > 0),
    ),
    refetch: page.refetch,
    members,
    membersLoading: computed(() => firstMembers.loading.value && firstMembers.data.value === null),
    /** The supporters request failed outright for a reason other than access (network, server). */
    membersError: computed(() => (membersAccess.value ? null : firstMembers.error.value)),
    membersAccess,
    refetchMembers: firstMembers.refetch,
    membersTotal,
    membersHasNext,
    membersRemaining: computed(() => Math.max(membersTotal.value - members.value.length, 0)),
    loadingMore,
    moreError,
    loadMoreMembers,
  };
}
