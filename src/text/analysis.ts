import snowball from 'snowball-stemmers';
import { eng, fra, por } from 'stopword';
import type { Locale } from '../i18n/index.js';
import { foldDiacritics, words } from './word-forms.js';

// Language-aware analysis for classification and summaries: words of one language, stop words
// removed, reduced to their (diacritic-folded) Snowball stem. Search uses word-forms.ts instead,
// which matches across all three languages at once.

const STEMMERS: Record<Locale, ReturnType<typeof snowball.newStemmer>> = {
  en: snowball.newStemmer('english'),
  fr: snowball.newStemmer('french'),
  pt: snowball.newStemmer('portuguese'),
};

// The library lists plus the everyday fillers that carry no criterion in journal entries.
const EXTRA_STOP_WORDS: Record<Locale, string[]> = {
  en: ['also', 'can', 'could', 'would', 'will', 'get', 'got', 'one', 'like', 'lot', 'lots', 'really', 'much', 'many', 'every', 'since', 'now', 'us', 'our', 'we', 'i', 'me', 'my', 've', 'm', 's', 't', 'don', 'im'],
  fr: ['plus', 'très', 'aussi', 'tout', 'tous', 'toute', 'toutes', 'fait', 'faire', 'peu', 'beaucoup', 'depuis', 'quand', 'on', 'nous', 'notre', 'nos', 'je', 'j', 'c', 'd', 'l', 'qu', 'n', 's', 'y', 'chez', 'cela', 'ça'],
  pt: ['mais', 'muito', 'muitos', 'muita', 'também', 'todo', 'todos', 'toda', 'todas', 'fazer', 'faz', 'pouco', 'desde', 'quando', 'nós', 'nosso', 'nossa', 'eu', 'já', 'ainda', 'pra', 'pelo', 'pela', 'num', 'numa'],
};

const STOP_WORDS: Record<Locale, Set<string>> = {
  en: new Set([...eng, ...EXTRA_STOP_WORDS.en].map(foldDiacritics)),
  fr: new Set([...fra, ...EXTRA_STOP_WORDS.fr].map(foldDiacritics)),
  pt: new Set([...por, ...EXTRA_STOP_WORDS.pt].map(foldDiacritics)),
};

const stemCache: Record<Locale, Map<string, string>> = { en: new Map(), fr: new Map(), pt: new Map() };

export function isStopWord(word: string, lang: Locale): boolean {
  return STOP_WORDS[lang].has(foldDiacritics(word));
}

export function stemIn(word: string, lang: Locale): string {
  const cache = stemCache[lang];
  let stem = cache.get(word);
  if (stem === undefined) {
    stem = foldDiacritics(STEMMERS[lang].stem(word));
    if (cache.size > 50_000) cache.clear();
    cache.set(word, stem);
  }
  return stem;
}

/** The stems of the content words of a text, in order (stop words and one-letter words removed). */
export function contentStems(text: string, lang: Locale): string[] {
  const out: string[] = [];
  for (const word of words(text)) {
    if (word.length < 2 || /^\d+$/.test(word) || isStopWord(word, lang)) continue;
    out.push(stemIn(word, lang));
  }
  return out;
}

/**
 * Guesses the language of a text from its stop words. Returns null when the text is too short or
 * the evidence is not clear.
 */
export function detectLanguage(text: string): Locale | null {
  const all = words(text);
  if (all.length < 3) return null;
  const hits: Record<Locale, number> = { en: 0, fr: 0, pt: 0 };
  for (const word of all) for (const lang of ['en', 'fr', 'pt'] as const) if (STOP_WORDS[lang].has(foldDiacritics(word))) hits[lang]++;
  const ranked = (Object.entries(hits) as [Locale, number][]).sort((a, b) => b[1] - a[1]);
  if (ranked[0][1] < 2 || ranked[0][1] < ranked[1][1] * 1.5) return null;
  return ranked[0][0];
}
