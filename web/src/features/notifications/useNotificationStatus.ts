import { onBeforeUnmount, onMounted, shallowRef, watch } from 'vue';
import { useRoute } from 'vue-router';
import { HeaderNotificationsDocument } from '@/gql/graphql';
import { useViewer } from '@/composables/useViewer';
import { request } from '@/lib/graphql-client';

const POLL_MS = 60_000;

// One state for the header's bell, the delay banner and the inbox (which lowers the count as it marks).
const unread = shallowRef(0);
const delayed = shallowRef(false);
let generation = 0;
let inFlight: { generation: number; done: Promise<void> } | null = null;

/** Asks the server for the unread count and the pipeline's health; failures keep what is shown. */
export function refreshNotificationStatus(): Promise<void> {
  // Page change, viewer load and start-up often ask at once: share one request.
  if (inFlight && inFlight.generation === generation) return inFlight.done;
  const mine = ++generation;
  const done = fetchStatus(mine).finally(() => {
    if (inFlight?.generation === mine) inFlight = null;
  });
  inFlight = { generation: mine, done };
  return done;
}

async function fetchStatus(mine: number): Promise<void> {
  try {
    const result = await request(HeaderNotificationsDocument, {});
    // A mark-read that happened meanwhile is newer than this answer.
    if (mine !== generation) return;
    unread.value = result.data.unreadNotificationCount ?? 0;
    delayed.value = result.data.notificationPipeline?.status === 'DELAYED';
  } catch {
    // The header is not the place to report a failed background check; the next one may succeed.
  }
}

/** Sets the count after the inbox changed it, and drops any answer already on its way. */
export function setUnreadCount(count: number): void {
  generation += 1;
  unread.value = Math.max(0, count);
}

export function useNotificationStatus() {
  return { unread, delayed };
}

/**
 * Keeps the status fresh while the app is open: on every page change, every minute while the tab is
 * visible (a hidden tab asks nothing), at once when it becomes visible again, and when the viewer changes.
 * Call once, from the header.
 */
export function useNotificationPolling(): void {
  const route = useRoute();
  const { viewer } = useViewer();
  let timer: number | null = null;

  function stop(): void {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
  }
  function start(): void {
    stop();
    if (document.visibilityState === 'hidden') return;
    timer = window.setInterval(() => void refreshNotificationStatus(), POLL_MS);
  }
  function onVisibility(): void {
    if (document.visibilityState === 'hidden') {
      stop();
    } else {
      void refreshNotificationStatus();
      start();
    }
  }

  watch(
    () => route.path,
    () => void refreshNotificationStatus(),
  );
  watch(
    () => viewer.value?.account.id ?? null,
    (id) => {
      if (id === null) setUnreadCount(0);
      void refreshNotificationStatus();
    },
  );

  onMounted(() => {
    document.addEventListener('visibilitychange', onVisibility);
    void refreshNotificationStatus();
    start();
  });
  onBeforeUnmount(() => {
    document.removeEventListener('visibilitychange', onVisibility);
    stop();
  });
}
