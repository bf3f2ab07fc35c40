import { computed, type ComputedRef } from 'vue';
import { useViewer } from '@/composables/useViewer';

/**
 * Whether the viewer runs the council's meetings (permission meetings.manage). Pages of one meeting
 * read Meeting.access instead; this is for lists, where there is no meeting to ask.
 */
export function useIsSecretariat(): ComputedRef<boolean> {
  const { viewer } = useViewer();
  return computed(() => (viewer.value?.permissions ?? []).includes('meetings.manage'));
}
