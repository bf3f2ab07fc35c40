import { computed, shallowRef, watch } from 'vue';
import { InvitationsDocument, StaffDocument, type InvitationRowFragment, type StaffMemberRowFragment } from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';
import { request } from '@/lib/graphql-client';

const PAGE_SIZE = 50;

/** The staff and invitations of one body, re-read whenever the viewer switches body. */
export function useStaff(organisationId: () => string | null) {
  const enabled = () => organisationId() !== null;
  const staffQuery = useQuery(StaffDocument, () => ({ organisationId: organisationId() ?? '', first: PAGE_SIZE }), { enabled });
  const invitationsQuery = useQuery(InvitationsDocument, () => ({ organisationId: organisationId() ?? '' }), { enabled });

  const staff = shallowRef<StaffMemberRowFragment[]>([]);
  const total = shallowRef(0);
  const cursor = shallowRef<string | null>(null);
  const hasNext = shallowRef(false);
  const loadingMore = shallowRef(false);
  const moreError = shallowRef<Error | null>(null);

  watch(
    staffQuery.data,
    (data) => {
      staff.value = data ? [...data.staff.nodes] : [];
      total.value = data?.staff.totalCount ?? 0;
      cursor.value = data?.staff.pageInfo.endCursor ?? null;
      hasNext.value = data?.staff.pageInfo.hasNextPage ?? false;
      moreError.value = null;
    },
    { immediate: true },
  );

  async function loadMore(): Promise<void> {
    const forOrg = organisationId();
    if (!forOrg || !cursor.value || loadingMore.value) return;
    loadingMore.value = true;
    moreError.value = null;
    try {
      const result = await request(StaffDocument, { organisationId: forOrg, first: PAGE_SIZE, after: cursor.value });
      if (forOrg !== organisationId()) return;
      staff.value = [...staff.value, ...result.data.staff.nodes];
      total.value = result.data.staff.totalCount;
      cursor.value = result.data.staff.pageInfo.endCursor;
      hasNext.value = result.data.staff.pageInfo.hasNextPage;
    } catch (cause) {
      if (forOrg === organisationId()) moreError.value = cause instanceof Error ? cause : new Error(String(cause));
    } finally {
      loadingMore.value = false;
    }
  }

  /** Puts a saved row in place without reloading the list. */
  function replace(member: StaffMemberRowFragment): void {
    staff.value = staff.value.map((m) => (m.account.id === member.account.id ? member : m));
  }
  function drop(accountId: string): void {
    staff.value = staff.value.filter((m) => m.account.id !== accountId);
    total.value = Math.max(total.value - 1, 0);
  }

  const invitations = computed<readonly InvitationRowFragment[]>(() => invitationsQuery.data.value?.invitations ?? []);

  return {
    staff,
    total,
    hasNext,
    remaining: computed(() => Math.max(total.value - staff.value.length, 0)),
    loading: computed(() => staffQuery.loading.value && staffQuery.data.value === null),
    error: staffQuery.error,
    partial: computed(() => staffQuery.warnings.value.length > 0),
    refetch: staffQuery.refetch,
    loadingMore,
    moreError,
    loadMore,
    replace,
    drop,
    invitations,
    invitationsLoading: computed(() => invitationsQuery.loading.value && invitationsQuery.data.value === null),
    invitationsError: invitationsQuery.error,
    refetchInvitations: invitationsQuery.refetch,
  };
}
