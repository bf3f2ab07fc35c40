import { watchEffect } from 'vue';
import { useI18n } from 'vue-i18n';

/** Keeps `document.title` as "<page> | 伴走ハブ" (or just the app name when the page has none). */
export function useDocumentTitle(page: () => string | null | undefined): void {
  const { t } = useI18n();
  watchEffect(() => {
    const app = t('app.name');
    const title = page();
    document.title = title ? `${title} | ${app}` : app;
  });
}
