import { computed } from 'vue';
import { useRoute, useRouter, type LocationQueryRaw } from 'vue-router';
import type { OrganisationCategory } from '@/gql/graphql';
import { isCategory } from '@/lib/enums';

/** The directory's search and filter live in the URL (?q=信用&category=FINANCIAL) so links can be shared. */
export function useDirectoryQuery() {
  const route = useRoute();
  const router = useRouter();

  const search = computed<string>(() => {
    const q = route.query.q;
    return (typeof q === 'string' ? q : '').trim();
  });
  const category = computed<OrganisationCategory | null>(() => {
    const value = route.query.category;
    return isCategory(value) ? value : null;
  });

  function update(patch: { q?: string; category?: OrganisationCategory | null }, replace: boolean): void {
    const next: LocationQueryRaw = { ...route.query };
    if (patch.q !== undefined) next.q = patch.q.trim() || undefined;
    if (patch.category !== undefined) next.category = patch.category ?? undefined;
    void router[replace ? 'replace' : 'push']({ query: next });
  }

  return {
    search,
    category,
    /** Typing replaces the history entry; a new search should not need many Back presses. */
    setSearch: (q: string) => update({ q }, true),
    setCategory: (c: OrganisationCategory | null) => update({ category: c }, false),
    clear: () => update({ q: '', category: null }, false),
  };
}
