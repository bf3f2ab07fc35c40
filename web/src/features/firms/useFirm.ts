import { computed } from 'vue';
import { FirmDocument, type ConsentRowFragment, type FirmDetailFragment } from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';

/** One firm with its consents and referrals, and local updates after each change. */
export function useFirm(id: () => string) {
  const query = useQuery(FirmDocument, () => ({ id: id() }));
  const firm = computed(() => query.data.value?.firm ?? null);

  function replace(next: FirmDetailFragment): void {
    query.data.value = { ...query.data.value, firm: next };
  }
  /** Puts a recorded or withdrawn consent in place (newest first) without reloading the firm. */
  function putConsent(consent: ConsentRowFragment): void {
    const current = firm.value;
    if (!current) return;
    const others = current.consents.filter((c) => c.id !== consent.id);
    const known = others.length !== current.consents.length;
    replace({ ...current, consents: known ? current.consents.map((c) => (c.id === consent.id ? consent : c)) : [consent, ...others] });
  }

  return {
    firm,
    /** True once the server has answered that the body may not see such a firm. */
    notFound: computed(() => query.data.value !== null && query.data.value.firm === null),
    loading: computed(() => query.loading.value && query.data.value === null),
    error: query.error,
    partial: computed(() => query.warnings.value.length > 0),
    refetch: query.refetch,
    replace,
    putConsent,
  };
}
