import { useI18n } from 'vue-i18n';

export interface NamePair {
  nameJa: string;
  nameEn: string | null;
}

export interface LocalisedName {
  /** The name to lead with in the current UI language. */
  primary: string;
  primaryLang: 'ja' | 'en';
  /** The other-language name, if there is one. */
  secondary: string | null;
  secondaryLang: 'ja' | 'en';
}

/**
 * Japanese readers lead with the official Japanese name; English readers with the English one
 * (the Japanese name stays visible, tagged with lang="ja" for screen readers).
 */
export function useLocalisedNames(): { nameOf: (entity: NamePair) => LocalisedName; prefectureName: (p: { nameJa: string; nameEn: string }) => string } {
  const { locale } = useI18n();
  function nameOf(entity: NamePair): LocalisedName {
    if (locale.value === 'en' && entity.nameEn) {
      return { primary: entity.nameEn, primaryLang: 'en', secondary: entity.nameJa, secondaryLang: 'ja' };
    }
    return { primary: entity.nameJa, primaryLang: 'ja', secondary: entity.nameEn, secondaryLang: 'en' };
  }
  function prefectureName(prefecture: { nameJa: string; nameEn: string }): string {
    return locale.value === 'en' ? prefecture.nameEn : prefecture.nameJa;
  }
  return { nameOf, prefectureName };
}
