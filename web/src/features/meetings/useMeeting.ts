import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { MeetingDocument, type MeetingsErrorFieldsFragment } from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';
import { useLocalisedMessage } from '@/composables/useLocalisedMessage';
import { serverMessage, userInputMessage } from '@/lib/graphql-errors';

/** What every meeting mutation answers. */
export interface MeetingMutationResult {
  ok: boolean;
  error: MeetingsErrorFieldsFragment | null;
  meeting: { id: string; version: number } | null;
}

/** An answer that carries no meeting (action items, uploads): the page reads the meeting again. */
export interface PlainMutationResult {
  ok: boolean;
  error: MeetingsErrorFieldsFragment | null;
}

/**
 * How a change went: the error to show (by its field), and whether the page was reloaded because
 * someone else changed the meeting first.
 */
export type MeetingOutcome = { ok: true } | { ok: false; error: MeetingsErrorFieldsFragment | null; message: string; stale: boolean };

/** The meeting as a mutation needs it: its id and the version the page shows. */
export type MeetingTarget = { id: string; expectedVersion: number };

/** Runs one change with the version the page shows, and keeps the page in step with the answer. */
export type RunMeetingAction = (call: (target: MeetingTarget) => Promise<MeetingMutationResult | PlainMutationResult>) => Promise<MeetingOutcome>;

/** Codes ending in /stale mean someone else changed the object first. */
export const isStale = (code: string | null | undefined): boolean => !!code && code.endsWith('/stale');

/** The server's own words for a thrown error (no permission, bad input), or ours. */
export function thrownMessage(cause: unknown, locale: string, fallback: string): string {
  if (!(cause instanceof Error)) return fallback;
  return serverMessage(cause, locale) ?? userInputMessage(cause, locale) ?? fallback;
}

/** One meeting, and a runner for its changes. */
export function useMeeting(id: () => string) {
  const { t, locale } = useI18n();
  const localised = useLocalisedMessage();
  const query = useQuery(MeetingDocument, () => ({ id: id() }));
  const meeting = computed(() => query.data.value?.meeting ?? null);

  const run: RunMeetingAction = async (call) => {
    const current = meeting.value;
    if (!current) return { ok: false, error: null, message: t('meetings.actionFailed'), stale: false };
    try {
      const outcome = await call({ id: current.id, expectedVersion: current.version });
      if (outcome.ok) {
        await query.refetch();
        return { ok: true };
      }
      if (outcome.error && isStale(outcome.error.code)) {
        // Someone else was first: show what they did, so the person decides again on the latest state.
        await query.refetch();
        return { ok: false, error: outcome.error, message: t('meetings.stale'), stale: true };
      }
      return { ok: false, error: outcome.error, message: outcome.error ? localised(outcome.error) : t('meetings.actionFailed'), stale: false };
    } catch (cause) {
      return { ok: false, error: null, message: thrownMessage(cause, locale.value, t('meetings.actionFailed')), stale: false };
    }
  };

  return {
    meeting,
    /** True once the server has answered that the viewer may not see such a meeting. */
    notFound: computed(() => query.data.value !== null && query.data.value.meeting === null),
    loading: computed(() => query.loading.value && query.data.value === null),
    error: query.error,
    partial: computed(() => query.warnings.value.length > 0),
    refetch: query.refetch,
    run,
  };
}
