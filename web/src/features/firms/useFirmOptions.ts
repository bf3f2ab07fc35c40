import { computed, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { FirmOptionsDocument, type FirmOptionsQuery } from '@/gql/graphql';
import { request } from '@/lib/graphql-client';

// Prefectures and industries never change while the app is open: one request for every page.
const options = shallowRef<FirmOptionsQuery | null>(null);
const error = shallowRef<Error | null>(null);
let inFlight: Promise<void> | null = null;

function load(): Promise<void> {
  if (options.value) return Promise.resolve();
  inFlight ??= request(FirmOptionsDocument, {})
    .then((result) => {
      options.value = result.data;
      error.value = null;
    })
    .catch((cause: unknown) => {
      error.value = cause instanceof Error ? cause : new Error(String(cause));
    })
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}

/** The prefectures (JIS X 0401) and JSIC major divisions, with their names in the UI language. */
export function useFirmOptions() {
  const { locale } = useI18n();
  void load();
  const prefectures = computed(() => options.value?.prefectures ?? []);
  const industries = computed(() => options.value?.industryDivisions ?? []);
  const label = (item: { nameJa: string; nameEn: string }) => (locale.value === 'en' ? item.nameEn : item.nameJa);

  return {
    prefectures,
    industries,
    loaded: computed(() => options.value !== null),
    error,
    retry: load,
    label,
    /** 新潟県 for "15"; the code itself until the list has loaded. */
    prefectureName: (code: string) => {
      const prefecture = prefectures.value.find((p) => p.code === code);
      return prefecture ? label(prefecture) : code;
    },
    /** 製造業 for "E", with the division letter: E 製造業. */
    industryName: (code: string) => {
      const division = industries.value.find((d) => d.code === code);
      return division ? `${division.code} ${label(division)}` : code;
    },
  };
}
