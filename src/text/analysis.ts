import snowball from 'snowball-stemmers';
import { eng, fra, por } from 'stopword';
import { createRequire } from 'node:module';
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

// stopwords-iso is a bare JSON module: required, as Node's ESM loader would want an import attribute.
const stopwordsIso = createRequire(import.meta.url)('stopwords-iso') as Record<string, string[]>;

// Key phrases are also cut at stopwords-iso's longer French and Portuguese lists (numbers, "chaque",
// "cada", "pessoas"…): words a classifier may keep as evidence but that never make a phrase. Its
// English list is left out: it drops "home", "work" and "water".
const PHRASE_STOP_WORDS: Record<Locale, Set<string>> = {
  en: STOP_WORDS.en,
  fr: new Set([...STOP_WORDS.fr, ...stopwordsIso.fr.map(foldDiacritics)]),
  pt: new Set([...STOP_WORDS.pt, ...stopwordsIso.pt.map(foldDiacritics)]),
};

export function isPhraseStopWord(word: string, lang: Locale): boolean {
  return PHRASE_STOP_WORDS[lang].has(foldDiacritics(word));
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
