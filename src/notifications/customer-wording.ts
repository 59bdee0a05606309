import { customerWordingDe } from './customer-wording.de';
import { customerWordingEn } from './customer-wording.en';
import type { CustomerWording, Language } from './customer-wording.types';

export type { CustomerWording, Language } from './customer-wording.types';

/** The customer's locale picks the language; anything but German falls back to English. */
export function languageOf(locale: unknown): Language {
  return typeof locale === 'string' && locale.toLowerCase().startsWith('de') ? 'de' : 'en';
}

const WORDING: Record<Language, CustomerWording> = { en: customerWordingEn, de: customerWordingDe };

/**
 * Everything OwnIt says to a customer, one file per language (customer-wording.en.ts,
 * customer-wording.de.ts): the emails, the status page and the survey page all take their words
 * from here, so a language is added or reworded in one place.
 */
export function customerWording(language: Language): CustomerWording {
  return WORDING[language];
}
