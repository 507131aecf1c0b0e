import { IntlMessageFormat } from 'intl-messageformat';
import en from './messages/en.json' with { type: 'json' };
import fr from './messages/fr.json' with { type: 'json' };
import pt from './messages/pt.json' with { type: 'json' };

export const LOCALES = ['en', 'fr', 'pt'] as const;
export type Locale = (typeof LOCALES)[number];
export type MessageKey = keyof typeof en;
export type Translate = (key: MessageKey, values?: Record<string, string | number | Date>) => string;

export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français', pt: 'Português' };

const catalogues: Record<Locale, Record<string, string>> = { en, fr, pt };
const compiled = new Map<string, IntlMessageFormat>();

export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(catalogues.en, key);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Returns the translator for a locale; a key missing in FR or PT falls back to English. */
/** A stored or requested language as one we speak: English when it is none of ours. */
export function asLocale(value: unknown): Locale {
  return isLocale(value) ? value : 'en';
}

export function translator(locale: Locale): Translate {
  return (key, values) => {
    const cacheKey = `${locale}:${key}`;
    let format = compiled.get(cacheKey);
    if (!format) {
      const source = catalogues[locale][key] ?? catalogues.en[key] ?? key;
      format = new IntlMessageFormat(source, locale);
      compiled.set(cacheKey, format);
    }
    return String(format.format(values));
  };
}

/** Picks the best supported locale from an Accept-Language header (quality values respected). */
export function negotiateLocale(acceptLanguage: string | undefined | null): Locale | null {
  if (!acceptLanguage) return null;
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((entry) => entry.tag && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split('-')[0];
    if (isLocale(base)) return base;
  }
  return null;
}

/** Picks a label from a `{en, fr, pt}` object in the reader's language, falling back to English. */
export function pickLabel(labels: Partial<Record<string, string>>, locale: Locale): string {
  return labels[locale] ?? labels.en ?? Object.values(labels)[0] ?? '';
}
