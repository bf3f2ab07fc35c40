import { computed } from 'vue';
import { ReferralSettingsDocument, type ReferralSettingsFieldsFragment } from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';

/** The referral settings of the body the viewer acts for, re-read when the viewer switches body. */
export function useReferralSettings(organisationId: () => string | null) {
  const query = useQuery(ReferralSettingsDocument, () => ({ organisationId: organisationId() ?? '' }), {
    enabled: () => organisationId() !== null,
  });

  /** Shows what the server stored after a save, without reading again. */
  function replace(settings: ReferralSettingsFieldsFragment): void {
    query.data.value = { ...query.data.value, referralSettings: settings };
  }

  return {
    settings: computed(() => query.data.value?.referralSettings ?? null),
    /** Nothing to show yet, or only the body the viewer switched away from. */
    loading: computed(() => {
      const shown = query.data.value?.referralSettings.organisation.id ?? null;
      return query.loading.value && shown !== organisationId();
    }),
    error: query.error,
    partial: computed(() => query.warnings.value.length > 0),
    refetch: query.refetch,
    replace,
  };
}
