import type { Locale } from '../i18n/index.js';
import { isPhraseStopWord, stemIn } from './analysis.js';
import { words } from './word-forms.js';

// Candidate key phrases of a text, RAKE-style (Rose et al., 2010): the text is cut at punctuation
// and at stop words (the `stopword` library's lists for its language), and every run of one to
// MAX_PHRASE_WORDS content words left is a candidate. A phrase is known by its language and the
// Snowball stems of its words, so "jardins partagés" and "jardin partagé" are one phrase, shown in
// its most frequent surface form. Scoring is the caller's (c-TF-IDF against a reference set: see
// rankPhrases), so the same candidates serve characteristic phrases, emerging ones and themes.

export const MAX_PHRASE_WORDS = 4;

export interface PhraseOccurrence {
  /** `lang:stem stem…`: one key per phrase, whatever its inflection. */
  key: string;
  /** The words as written (lower case, accents kept). */
  surface: string;
  words: number;
}

const BREAKS = /[.,;:!?()[\]{}"«»“”‘’…\n\r\t–—/|*#_~<>=+]+|\s-\s/u;
const isContent = (word: string, lang: Locale) => word.length >= 2 && !/^\d/.test(word) && !isPhraseStopWord(word, lang);

/** The distinct candidate phrases of a text (the first surface form met for each). */
export function candidatePhrases(text: string, lang: Locale, maxWords = MAX_PHRASE_WORDS): PhraseOccurrence[] {
  const seen = new Map<string, PhraseOccurrence>();
  for (const segment of text.split(BREAKS)) {
    let run: string[] = [];
    const flush = () => {
      const stems = run.map((word) => stemIn(word, lang));
      for (let start = 0; start < run.length; start++) {
        for (let length = 1; length <= maxWords && start + length <= run.length; length++) {
          const key = `${lang}:${stems.slice(start, start + length).join(' ')}`;
          if (!seen.has(key)) seen.set(key, { key, surface: run.slice(start, start + length).join(' '), words: length });
        }
      }
      run = [];
    };
    for (const word of words(segment)) {
      if (isContent(word, lang)) run.push(word);
      else flush();
    }
    flush();
  }
  return [...seen.values()];
}

/** What is known of one phrase over a set of texts. */
export interface PhraseStats {
  key: string;
  lang: Locale;
  words: number;
  /** Texts it is in. */
  texts: number;
  /** Distinct sources of those texts (kept up to `keepSources`). */
  sources: Set<string>;
  /** Surface form → texts. */
  forms: Map<string, number>;
}

export interface PhrasedText {
  lang: Locale;
  sourceKey: string;
  phrases: PhraseOccurrence[];
}

/** Per-phrase statistics of a set of texts. */
export function phraseTable(texts: Iterable<PhrasedText>, keepSources = 3): Map<string, PhraseStats> {
  const table = new Map<string, PhraseStats>();
  for (const text of texts) {
    for (const phrase of text.phrases) {
      let entry = table.get(phrase.key);
      if (!entry) table.set(phrase.key, (entry = { key: phrase.key, lang: text.lang, words: phrase.words, texts: 0, sources: new Set(), forms: new Map() }));
      entry.texts++;
      if (entry.sources.size < keepSources) entry.sources.add(text.sourceKey);
      entry.forms.set(phrase.surface, (entry.forms.get(phrase.surface) ?? 0) + 1);
    }
  }
  return table;
}

/** The most frequent surface form (ties: the shortest, then alphabetical). */
export function surfaceOf(stats: PhraseStats): string {
  let best = '';
  let bestCount = -1;
  for (const [form, count] of stats.forms) {
    if (count > bestCount || (count === bestCount && (form.length < best.length || (form.length === best.length && form < best)))) {
      best = form;
      bestCount = count;
    }
  }
  return best;
}

export const stemsOfKey = (key: string) => key.slice(key.indexOf(':') + 1).split(' ');

/** True when one phrase's stems are a contiguous part of the other's (same language). */
export function overlaps(a: string, b: string): boolean {
  if (a.slice(0, 3) !== b.slice(0, 3)) return false;
  const [short, long] = a.length <= b.length ? [stemsOfKey(a), stemsOfKey(b)] : [stemsOfKey(b), stemsOfKey(a)];
  for (let i = 0; i + short.length <= long.length; i++) if (short.every((stem, j) => long[i + j] === stem)) return true;
  return false;
}

export interface RankedPhrase {
  key: string;
  phrase: string;
  lang: Locale;
  words: number;
  texts: number;
  sources: number;
  score: number;
}

export interface RankOptions {
  top: number;
  /** Fewest texts and distinct sources a phrase needs. */
  minTexts: number;
  minSources: number;
  /** How many texts the reference holds, and in how many of them a phrase is. */
  referenceSize: number;
  referenceFrequency: (key: string) => number;
  /** Texts in the group ranked (for the term frequency share). */
  groupSize: number;
  /** How much a phrase is about what the group is about (a factor on its score); default 1. */
  relevance?: (key: string) => number;
}

/**
 * The key phrases of a group of texts against a reference (c-TF-IDF, Grootendorst 2022): the share
 * of the group's texts a phrase is in, times log(1 + reference size / its reference frequency),
 * longer phrases preferred (a phrase of n words counts 1 + 0.5 (n − 1) times). A phrase overlapping a
 * better one ("café" under "repair café") is left out, and every language of the group gets its
 * best phrase before any language gets a second.
 */
export function rankPhrases(table: Map<string, PhraseStats>, opts: RankOptions): RankedPhrase[] {
  const candidates: RankedPhrase[] = [];
  for (const stats of table.values()) {
    if (stats.texts < opts.minTexts || stats.sources.size < opts.minSources) continue;
    const idf = Math.log(1 + opts.referenceSize / Math.max(1, opts.referenceFrequency(stats.key)));
    const score = (stats.texts / Math.max(1, opts.groupSize)) * idf * (1 + 0.5 * (stats.words - 1)) * (opts.relevance?.(stats.key) ?? 1);
    candidates.push({ key: stats.key, phrase: surfaceOf(stats), lang: stats.lang, words: stats.words, texts: stats.texts, sources: stats.sources.size, score });
  }
  candidates.sort((a, b) => b.score - a.score || a.phrase.localeCompare(b.phrase));
  const kept: RankedPhrase[] = [];
  for (const candidate of candidates) {
    if (kept.some((k) => overlaps(k.key, candidate.key))) continue;
    kept.push(candidate);
    if (kept.length >= opts.top * 4) break;
  }
  // One per language first, then the rest in score order.
  const chosen: RankedPhrase[] = [];
  const languages = new Set<Locale>();
  for (const phrase of kept) if (!languages.has(phrase.lang) && chosen.length < opts.top) { languages.add(phrase.lang); chosen.push(phrase); }
  for (const phrase of kept) if (chosen.length < opts.top && !chosen.includes(phrase)) chosen.push(phrase);
  return chosen.sort((a, b) => b.score - a.score || a.phrase.localeCompare(b.phrase));
}
