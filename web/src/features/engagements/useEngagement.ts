import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import {
  EngagementDocument,
  type EngagementDetailFragment,
  type EngagementErrorFieldsFragment,
  type TeamMemberResultFieldsFragment,
} from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';
import { useLocalisedMessage } from '@/composables/useLocalisedMessage';
import { serverMessage, userInputMessage } from '@/lib/graphql-errors';

/** What every engagement mutation answers. */
export interface EngagementMutationResult {
  ok: boolean;
  error: EngagementErrorFieldsFragment | null;
  engagement: EngagementDetailFragment | null;
}

/**
 * How an action went: the error to show (by its field), and whether the page was reloaded because
 * someone else changed the engagement first.
 */
export type ActionOutcome = { ok: true } | { ok: false; error: EngagementErrorFieldsFragment | null; message: string; stale: boolean };

/** The engagement as a mutation needs it: its id and the version the page shows. */
export type Target = { id: string; expectedVersion: number };

/** Runs one change on the engagement with the version the page shows. */
export type RunAction = (call: (target: Target) => Promise<EngagementMutationResult>) => Promise<ActionOutcome>;

/** How a team action went; `warning` is the conflict or AT_CAPACITY the server wants a note for. */
export type TeamOutcome =
  | { ok: true; result: TeamMemberResultFieldsFragment }
  | { ok: false; error: EngagementErrorFieldsFragment | null; message: string; warning: string | null };

/** Runs one team change (invite, remove, leave) and reads the engagement again when it worked. */
export type RunTeamAction = (call: () => Promise<TeamMemberResultFieldsFragment>) => Promise<TeamOutcome>;

export const STALE_CODE = 'engagements/stale';
/** Answers that mean the engagement moved on under the person: show the latest. */
const MOVED_ON_CODES: readonly string[] = [STALE_CODE, 'engagements/closed'];

/** The server's own words for a thrown error (no permission, bad input), or ours. */
export function thrownMessage(cause: unknown, locale: string, fallback: string): string {
  if (!(cause instanceof Error)) return fallback;
  return serverMessage(cause, locale) ?? userInputMessage(cause, locale) ?? fallback;
}

/** One engagement, and runners for its changes that keep the page in step with the server. */
export function useEngagement(id: () => string) {
  const { t, locale } = useI18n();
  const localised = useLocalisedMessage();
  const query = useQuery(EngagementDocument, () => ({ id: id() }));
  const engagement = computed(() => query.data.value?.engagement ?? null);

  function replace(next: EngagementDetailFragment): void {
    query.data.value = { ...query.data.value, engagement: next };
  }

  const run: RunAction = async (call) => {
    const current = engagement.value;
    if (!current) return { ok: false, error: null, message: t('engagement.actionFailed'), stale: false };
    try {
      const outcome = await call({ id: current.id, expectedVersion: current.version });
      if (outcome.ok && outcome.engagement) {
        replace(outcome.engagement);
        return { ok: true };
      }
      if (outcome.ok) {
        await query.refetch();
        return { ok: true };
      }
      if (outcome.error && MOVED_ON_CODES.includes(outcome.error.code)) {
        // Someone else was first: show what they did, so the person decides again on the latest state.
        await query.refetch();
        const message = outcome.error.code === STALE_CODE ? t('engagement.stale') : t('engagement.movedOn', { message: localised(outcome.error) });
        return { ok: false, error: outcome.error, message, stale: true };
      }
      return { ok: false, error: outcome.error, message: outcome.error ? localised(outcome.error) : t('engagement.actionFailed'), stale: false };
    } catch (cause) {
      return { ok: false, error: null, message: thrownMessage(cause, locale.value, t('engagement.actionFailed')), stale: false };
    }
  };

  const runTeam: RunTeamAction = async (call) => {
    try {
      const result = await call();
      if (result.ok) {
        // The team changed (and with it, perhaps, the version): read the engagement again.
        await query.refetch();
        return { ok: true, result };
      }
      return { ok: false, error: result.error, message: result.error ? localised(result.error) : t('engagement.team.failed'), warning: result.warning };
    } catch (cause) {
      return { ok: false, error: null, message: thrownMessage(cause, locale.value, t('engagement.team.failed')), warning: null };
    }
  };

  return {
    engagement,
    /** True once the server has answered that the viewer may not see such an engagement. */
    notFound: computed(() => query.data.value !== null && query.data.value.engagement === null),
    loading: computed(() => query.loading.value && query.data.value === null),
    error: query.error,
    partial: computed(() => query.warnings.value.length > 0),
    refetch: query.refetch,
    replace,
    run,
    runTeam,
  };
}
