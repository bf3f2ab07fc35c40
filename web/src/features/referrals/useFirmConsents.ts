import { computed } from 'vue';
import { FirmDocument, type ConsentRowFragment } from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';
import { useViewer } from '@/composables/useViewer';
import { CONSENT_REQUIRED_FOR_REFERRAL } from '@/lib/enums';

/** Whether a consent covers what a referral needs (the firm's profile and its issue). */
export function coversReferral(consent: Pick<ConsentRowFragment, 'categories'>): boolean {
  return CONSENT_REQUIRED_FOR_REFERRAL.every((c) => consent.categories.includes(c));
}

/**
 * The consents the viewer's body recorded for a firm and one recipient that still stand: the ones a
 * referral to that body may be sent under.
 */
export function useFirmConsents(firmId: () => string | null, recipientId: () => string | null) {
  const { organisationId } = useViewer();
  const query = useQuery(FirmDocument, () => ({ id: firmId() ?? '' }), { enabled: () => firmId() !== null });
  const firm = computed(() => (firmId() !== null ? (query.data.value?.firm ?? null) : null));
  const usable = computed<ConsentRowFragment[]>(() =>
    (firm.value?.consents ?? []).filter((c) => c.active && c.provider.id === organisationId.value && c.recipient.id === recipientId()),
  );
  return {
    firm,
    consents: usable,
    loading: computed(() => query.loading.value),
    error: query.error,
    refetch: query.refetch,
  };
}
