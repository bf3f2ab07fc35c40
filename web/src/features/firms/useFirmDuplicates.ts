import { computed, shallowRef, watch } from 'vue';
import { FirmDuplicatesDocument, type FirmDuplicateRowFragment } from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';

/**
 * The open possible duplicates the viewer may decide on, re-read when the viewer switches body, with
 * decided pairs taken out locally. A merge also settles the other pairs of the record merged away,
 * so the page reads the list again after one (`refetch`) and the server's answer replaces the rows.
 */
export function useFirmDuplicates(organisationId: () => string | null) {
  const query = useQuery(FirmDuplicatesDocument, () => ({}), { enabled: () => organisationId() !== null });
  // The query takes no body: the server answers for the one the viewer acts for, so ask again on a switch.
  watch(organisationId, (next, previous) => {
    if (next && previous && next !== previous) void query.refetch();
  });

  const duplicates = shallowRef<FirmDuplicateRowFragment[]>([]);
  watch(
    query.data,
    (data) => {
      duplicates.value = data ? [...data.firmDuplicates] : [];
    },
    { immediate: true },
  );

  function drop(id: string): void {
    duplicates.value = duplicates.value.filter((d) => d.id !== id);
  }

  return {
    duplicates,
    loading: computed(() => query.loading.value && query.data.value === null),
    error: query.error,
    partial: computed(() => query.warnings.value.length > 0),
    refetch: query.refetch,
    drop,
  };
}
