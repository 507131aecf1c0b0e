import { eld as languageDetector } from 'eld/small';
import { LOCALES, type Locale } from '../i18n/index.js';
import { words } from './word-forms.js';

// Its own module: the n-gram database (about 38 MB of heap) is loaded only where texts are written,
// never in the analysis worker.
languageDetector.setLanguageSubset([...LOCALES]);

/**
 * The language of a text, among the journal's languages, by eld's n-gram model (the "small"
 * database: on the short journal texts of bench/language-detection.ts it is right 99 % of the time
 * from three words, where franc-min and tinyld are 87 % and 92 %). Null when the text has fewer than
 * two words or eld is not sure: the caller then falls back to the writer's language.
 */
export function detectLanguage(text: string): Locale | null {
  if (words(text).length < 2) return null;
  const result = languageDetector.detect(text);
  return result.isReliable() && (LOCALES as readonly string[]).includes(result.language) ? (result.language as Locale) : null;
}
