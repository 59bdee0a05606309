import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { de } from '../locales/de';
import { en } from '../locales/en';

export const LANGUAGES = ['en', 'de'] as const;

/** The browser's first language we speak (English and German, like the emails), else English. */
export function browserLanguage(preferred: readonly string[] = navigator.languages): string {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base && (LANGUAGES as readonly string[]).includes(base)) return base;
  }
  return 'en';
}

export function initI18n(): typeof i18next {
  const lng = browserLanguage();
  document.documentElement.lang = lng;
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, de: { translation: de } },
    lng,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}
