import { createI18n } from 'vue-i18n';
import ja, { type MessageSchema } from './ja';
import en from './en';

export const LOCALES = ['ja', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = 'banso-hub.locale';

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function storedLocale(): Locale {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(value)) return value;
  } catch {
    // Storage can be unavailable (private mode, blocked cookies); Japanese is the default anyway.
  }
  return 'ja';
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: 'ja',
  messages: { ja, en },
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
});

/** Switches the UI language, remembers it and keeps `<html lang>` in step. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered; the switch still applies for this visit.
  }
}

/** The current UI language. */
export function currentLocale(): Locale {
  return i18n.global.locale.value;
}

document.documentElement.lang = i18n.global.locale.value;
