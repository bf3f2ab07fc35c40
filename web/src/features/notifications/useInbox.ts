import { computed, shallowRef, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import {
  MarkAllNotificationsReadDocument,
  MarkNotificationReadDocument,
  NotificationsDocument,
  type NotificationErrorFieldsFragment,
  type NotificationItemFragment,
} from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';
import { request } from '@/lib/graphql-client';
import { refreshNotificationStatus, setUnreadCount, useNotificationStatus } from './useNotificationStatus';

const PAGE_SIZE = 20;

export type InboxFilter = 'all' | 'unread';

/** The outcome of a mark: a user error from the server, or a thrown failure (network, permission). */
export type MarkOutcome = { ok: true; count: number } | { ok: false; error: NotificationErrorFieldsFragment | null; cause?: unknown };

/** The viewer's inbox, filtered by the address (?filter=unread), with marking that keeps the header in step. */
export function useInbox() {
  const route = useRoute();
  const router = useRouter();
  const { unread } = useNotificationStatus();
  const filter = computed<InboxFilter>(() => (route.query.filter === 'unread' ? 'unread' : 'all'));
  const query = useQuery(NotificationsDocument, () => ({ unreadOnly: filter.value === 'unread', first: PAGE_SIZE }));

  const items = shallowRef<NotificationItemFragment[]>([]);
  const cursor = shallowRef<string | null>(null);
  const hasNext = shallowRef(false);
  const loadingMore = shallowRef(false);
  const moreError = shallowRef<Error | null>(null);

  watch(
    query.data,
    (data) => {
      items.value = data ? [...data.notifications.nodes] : [];
      cursor.value = data?.notifications.pageInfo.endCursor ?? null;
      hasNext.value = data?.notifications.pageInfo.hasNextPage ?? false;
      moreError.value = null;
    },
    { immediate: true },
  );

  async function loadMore(): Promise<void> {
    if (!cursor.value || loadingMore.value) return;
    const forFilter = filter.value;
    loadingMore.value = true;
    moreError.value = null;
    try {
      const result = await request(NotificationsDocument, { unreadOnly: forFilter === 'unread', first: PAGE_SIZE, after: cursor.value });
      if (forFilter !== filter.value) return;
      // A notice read since the first page may come again with the next one: keep one of each.
      const seen = new Set(items.value.map((n) => n.id));
      items.value = [...items.value, ...result.data.notifications.nodes.filter((n) => !seen.has(n.id))];
      cursor.value = result.data.notifications.pageInfo.endCursor;
      hasNext.value = result.data.notifications.pageInfo.hasNextPage;
    } catch (cause) {
      if (forFilter === filter.value) moreError.value = cause instanceof Error ? cause : new Error(String(cause));
    } finally {
      loadingMore.value = false;
    }
  }

  function setFilter(next: InboxFilter): Promise<unknown> {
    return router.replace({ query: next === 'unread' ? { filter: 'unread' } : {} });
  }

  async function markRead(notification: NotificationItemFragment): Promise<MarkOutcome> {
    if (notification.read) return { ok: true, count: 0 };
    try {
      const result = await request(MarkNotificationReadDocument, { id: notification.id });
      const outcome = result.data.markNotificationRead;
      if (!outcome.ok) return { ok: false, error: outcome.error };
      // Stays in the list (also under 未読のみ) so nothing moves under the pointer; it just reads as read.
      items.value = items.value.map((n) => (n.id === notification.id ? { ...n, read: true } : n));
      setUnreadCount(unread.value - 1);
      void refreshNotificationStatus();
      return { ok: true, count: 1 };
    } catch (cause) {
      return { ok: false, error: null, cause };
    }
  }

  async function markAllRead(): Promise<MarkOutcome> {
    try {
      const result = await request(MarkAllNotificationsReadDocument, {});
      const outcome = result.data.markAllNotificationsRead;
      if (!outcome.ok) return { ok: false, error: outcome.error };
      items.value = items.value.map((n) => (n.read ? n : { ...n, read: true }));
      setUnreadCount(0);
      void refreshNotificationStatus();
      return { ok: true, count: outcome.count };
    } catch (cause) {
      return { ok: false, error: null, cause };
    }
  }

  return {
    filter,
    setFilter,
    items,
    hasUnread: computed(() => unread.value > 0 || items.value.some((n) => !n.read)),
    hasNext,
    loading: query.loading,
    firstLoad: computed(() => query.loading.value && query.data.value === null),
    error: query.error,
    partial: computed(() => query.warnings.value.length > 0),
    refetch: query.refetch,
    loadingMore,
    moreError,
    loadMore,
    markRead,
    markAllRead,
  };
}
