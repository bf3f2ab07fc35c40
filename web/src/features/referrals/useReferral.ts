import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { ReferralDocument, type ReferralAction, type ReferralDetailFragment, type ReferralErrorFieldsFragment } from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';
import { useLocalisedMessage } from '@/composables/useLocalisedMessage';
import { announce } from '@/composables/useAnnouncer';
import { serverMessage } from '@/lib/graphql-errors';
import { refreshReferralCounts } from './useReferralCounts';

/** What every referral mutation answers. */
export interface ReferralMutationResult {
  ok: boolean;
  error: ReferralErrorFieldsFragment | null;
  referral: ReferralDetailFragment | null;
}

/** How an action went: the error to show (by its field), and whether the page was reloaded because someone was first. */
export type ActionOutcome = { ok: true } | { ok: false; error: ReferralErrorFieldsFragment | null; message: string; stale: boolean };

/** Runs one action on the referral with the version the page shows. */
export type RunAction = (action: ReferralAction, call: (target: { id: string; expectedVersion: number }) => Promise<ReferralMutationResult>) => Promise<ActionOutcome>;

export const STALE_CODE = 'referrals/stale';
/** Answers that mean the referral moved on under the person (someone else acted first): show the latest. */
const MOVED_ON_CODES: readonly string[] = [STALE_CODE, 'referrals/already_accepted', 'referrals/illegal_transition'];

/** One referral, and a runner for its actions that keeps the page in step with the server. */
export function useReferral(id: () => string) {
  const { t, locale } = useI18n();
  const localised = useLocalisedMessage();
  const query = useQuery(ReferralDocument, () => ({ id: id() }));
  const referral = computed(() => query.data.value?.referral ?? null);

  function replace(next: ReferralDetailFragment): void {
    query.data.value = { ...query.data.value, referral: next };
  }

  const run: RunAction = async (action, call) => {
    const current = referral.value;
    if (!current) return { ok: false, error: null, message: t('referral.actionFailed'), stale: false };
    try {
      const outcome = await call({ id: current.id, expectedVersion: current.version });
      if (outcome.ok && outcome.referral) {
        replace(outcome.referral);
        announce(t(`referral.done.${action}`, { reference: outcome.referral.reference }));
        void refreshReferralCounts();
        return { ok: true };
      }
      if (outcome.error && MOVED_ON_CODES.includes(outcome.error.code)) {
        // Someone else acted first: show what they did, so the person decides again on the latest state.
        await query.refetch();
        const message = outcome.error.code === STALE_CODE ? t('referral.stale') : t('referral.movedOn', { message: localised(outcome.error) });
        return { ok: false, error: outcome.error, message, stale: true };
      }
      return { ok: false, error: outcome.error, message: outcome.error ? localised(outcome.error) : t('referral.actionFailed'), stale: false };
    } catch (cause) {
      const message = (cause instanceof Error && serverMessage(cause, locale.value)) || t('referral.actionFailed');
      return { ok: false, error: null, message, stale: false };
    }
  };

  return {
    referral,
    notFound: computed(() => query.data.value !== null && query.data.value.referral === null),
    loading: computed(() => query.loading.value && query.data.value === null),
    error: query.error,
    partial: computed(() => query.warnings.value.length > 0),
    refetch: query.refetch,
    replace,
    run,
  };
}
