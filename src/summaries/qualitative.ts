import { performance } from 'node:perf_hooks';
import { PRIVACY_THRESHOLD } from '../../db/summary-store.js';
import type { Locale } from '../i18n/index.js';
import { contentStems } from '../text/analysis.js';
import { type PhrasedText, candidatePhrases, phraseTable, rankPhrases } from '../text/key-phrases.js';
import { words } from '../text/word-forms.js';
import { EMERGING_SOURCES, EMERGING_TEXTS, sourceKeyOf } from './themes.js';
import { QUOTE_LENGTH, trimQuote } from '../text/snippets.js';

// The qualitative part of a summary, from texts the caller has already selected and prepared: no
// database here. Every text is analysed one way only (src/text/analysis.ts: the words of its own
// language, stop words removed, Snowball stems), so a stem means the same thing in a term, a quote
// score and an emerging theme.
//
// Privacy: the caller passes only texts that may be shown (never private ones): a quote is shown
// verbatim with its link. A term is shown only when it comes from at least 2 texts by at least 2
// different sources, so that no single person's words become a public characteristic; a count
// that rests on fewer than PRIVACY_THRESHOLD distinct sources is withheld (null), as in the
// quantitative part.
//
// Every loop over texts calls `pause` every PAUSE_EVERY texts (or PAUSE_AFTER_MS), so a server can hand the event loop
// back (see `yieldEventLoop`) and never block it for long, even on 10,000 texts.

export { PRIVACY_THRESHOLD };

export interface SourceText {
  id: string;
  url: string;
  title?: string;
  /** Plain text (markdown already rendered to text by the caller): what is analysed, title included. */
  text: string;
  /** The body alone, without the title: what a quote shows under it. Defaults to `text`. */
  body?: string;
  lang: Locale;
  /** Dimension codes ('A'…'H') the text is tagged with. */
  dimensions: string[];
  /** Component codes ('A01'…) the text is tagged with. */
  components: string[];
  /** 'YYYY-MM'. */
  month: string;
  /** The actor who wrote it; a text without one counts as its own source. */
  actorId?: number;
}

/** Document frequencies per key phrase (src/text/key-phrases.ts keys) over the network's texts. */
export interface Background {
  documents: number;
  documentFrequency: Map<string, number>;
}

export type Pause = () => Promise<void>;

export interface CharacteristicTerm {
  /** The phrase's language and stems ('fr:jardin partag'): one key for all its inflections. */
  key: string;
  /** The readable phrase, one to four words: its most frequent surface form, lower-case, accents kept. */
  term: string;
  lang: Locale;
  words: number;
  score: number;
  /** How many texts it appears in; null when they come from fewer than PRIVACY_THRESHOLD sources. */
  texts: number | null;
}

export interface Quote {
  id: string;
  url: string;
  title?: string;
  text: string;
  lang: Locale;
  score: number;
}

export interface EmergingTerm {
  key: string;
  term: string;
  lang: Locale;
  /** Texts of the current period it appears in (at least EMERGING_TEXTS, from EMERGING_SOURCES sources). */
  current: number;
  /** Texts of the previous period it appears in (null below PRIVACY_THRESHOLD sources, 0 stays 0). */
  previous: number | null;
  /** Smoothed ratio of its share of texts now to its share before; null for a phrase absent before. */
  growth: number | null;
  status: 'new' | 'growing';
}

export interface ComponentPair {
  a: string;
  b: string;
  count: number;
  /** count / number of choices given. */
  share: number;
}

/** Keyed by 'all' and by dimension code. */
export type ByDimension<T> = Record<string, T[]>;

export interface Qualitative {
  terms: ByDimension<CharacteristicTerm>;
  quotes: ByDimension<Quote>;
  emerging: EmergingTerm[];
  pairs: ComponentPair[];
  narrative: string;
}

export const ALL = 'all';
export const PAUSE_EVERY = 200;
/** The fewest texts, and distinct sources, a term must come from to be shown. */
export const MIN_TERM_TEXTS = 2;
export const MIN_TERM_SOURCES = 2;

/** A pause that lets pending I/O and timers run: pass it as `pause` on a server. */
export const yieldEventLoop: Pause = () => new Promise((resolve) => setImmediate(resolve));

interface CommonOptions {
  /** How many to return (per group where grouped). */
  top?: number;
  /** Called every PAUSE_EVERY texts. */
  pause?: Pause;
}

/** Also pause after this long without one: some texts (long, in a language met for the first time) cost far more. */
export const PAUSE_AFTER_MS = 8;

/** Calls `pause` every PAUSE_EVERY ticks, or sooner when PAUSE_AFTER_MS have passed since the last. */
function ticker(pause: Pause | undefined) {
  let n = 0;
  let since = performance.now();
  return async () => {
    if (!pause) return;
    if (++n % PAUSE_EVERY === 0 || performance.now() - since >= PAUSE_AFTER_MS) {
      await pause();
      since = performance.now();
    }
  };
}

const round = (value: number, digits = 4) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

// ---------------------------------------------------------------------------------------------
// Analysis of one text: stem counts, and the surface words seen for each stem.

const wordStemCache = new Map<string, string | null>();

/** The content stem of one word (as contentStems would give it), or null for a stop word. */
function stemOfWord(word: string, lang: Locale): string | null {
  const key = `${lang}\u0000${word}`;
  let stem = wordStemCache.get(key);
  if (stem === undefined) {
    stem = contentStems(word, lang)[0] ?? null;
    if (wordStemCache.size > 50_000) wordStemCache.clear();
    wordStemCache.set(key, stem);
  }
  return stem;
}

interface Analysed {
  source: SourceText;
  /** Stem → occurrences in this text. */
  counts: Map<string, number>;
  /** The source key for the distinct-sources rule. */
  sourceKey: string;
}


function analyse(text: SourceText): Analysed {
  const counts = new Map<string, number>();
  for (const word of words(text.text)) {
    const stem = stemOfWord(word, text.lang);
    if (stem === null) continue;
    counts.set(stem, (counts.get(stem) ?? 0) + 1);
  }
  return { source: text, counts, sourceKey: sourceKeyOf(text) };
}

async function analyseAll(texts: SourceText[], tick: () => Promise<void>): Promise<Analysed[]> {
  const out: Analysed[] = [];
  for (const text of texts) {
    out.push(analyse(text));
    await tick();
  }
  return out;
}

/** Groups texts under 'all' and under each of their dimensions. */
function byGroup(analysed: Analysed[]): Map<string, Analysed[]> {
  const groups = new Map<string, Analysed[]>([[ALL, analysed]]);
  for (const item of analysed) {
    for (const code of new Set(item.source.dimensions)) {
      let list = groups.get(code);
      if (!list) groups.set(code, (list = []));
      list.push(item);
    }
  }
  return groups;
}

const sortedGroupKeys = (groups: Map<string, unknown>) => [ALL, ...[...groups.keys()].filter((k) => k !== ALL).sort()];

const shownCount = (count: number, sources: Set<string>) => (count === 0 ? 0 : sources.size >= PRIVACY_THRESHOLD ? count : null);

// ---------------------------------------------------------------------------------------------

/**
 * The background for characteristicTerms (analysed the same way): how many texts, and how many of
 * them contain each key phrase. Cache it: it changes slowly.
 */
export async function documentFrequencies(texts: readonly Pick<SourceText, 'text' | 'lang'>[], opts: { pause?: Pause } = {}): Promise<Background> {
  const tick = ticker(opts.pause);
  const documentFrequency = new Map<string, number>();
  for (const text of texts) {
    for (const phrase of candidatePhrases(text.text, text.lang)) documentFrequency.set(phrase.key, (documentFrequency.get(phrase.key) ?? 0) + 1);
    await tick();
  }
  return { documents: texts.length, documentFrequency };
}

// ---------------------------------------------------------------------------------------------

export interface TermOptions extends CommonOptions {
  /** Default 8. */
  top?: number;
  /** Default MIN_TERM_TEXTS (2). */
  minTexts?: number;
  /** Default MIN_TERM_SOURCES (2). Never below 2. */
  minSources?: number;
}

/**
 * The key phrases that characterise the scope, overall ('all') and per dimension: candidate phrases
 * of one to four words (src/text/key-phrases.ts) ranked by c-TF-IDF against the network's texts, a
 * phrase overlapping a better one left out, every language present given its best phrase first. A
 * phrase is shown only when it is in at least `minTexts` texts from at least `minSources` sources.
 */
export async function characteristicTerms(texts: SourceText[], background: Background, opts: TermOptions = {}): Promise<ByDimension<CharacteristicTerm>> {
  const top = opts.top ?? 8;
  const minTexts = Math.max(MIN_TERM_TEXTS, opts.minTexts ?? MIN_TERM_TEXTS);
  const minSources = Math.max(MIN_TERM_SOURCES, opts.minSources ?? MIN_TERM_SOURCES);
  const tick = ticker(opts.pause);
  const phrased: (PhrasedText & { dimensions: string[] })[] = [];
  for (const text of texts) {
    phrased.push({ lang: text.lang, sourceKey: sourceKeyOf(text), phrases: candidatePhrases(text.text, text.lang), dimensions: text.dimensions });
    await tick();
  }
  const groups = new Map<string, typeof phrased>([[ALL, phrased]]);
  for (const item of phrased) {
    for (const code of new Set(item.dimensions)) {
      let list = groups.get(code);
      if (!list) groups.set(code, (list = []));
      list.push(item);
    }
  }
  const out: ByDimension<CharacteristicTerm> = {};
  for (const key of sortedGroupKeys(groups)) {
    const items = groups.get(key)!;
    const table = phraseTable(items, PRIVACY_THRESHOLD);
    await tick();
    const ranked = rankPhrases(table, {
      top, minTexts, minSources, groupSize: items.length,
      referenceSize: background.documents, referenceFrequency: (phrase) => background.documentFrequency.get(phrase) ?? 0,
    });
    out[key] = ranked.map((p) => ({ key: p.key, term: p.phrase, lang: p.lang, words: p.words, score: round(p.score), texts: shownCount(p.texts, table.get(p.key)!.sources) }));
    await tick();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

export interface QuoteOptions extends CommonOptions {
  /** Default 3. */
  top?: number;
  /** Default QUOTE_LENGTH (280). */
  maxLength?: number;
}

/**
 * The most central texts, overall ('all') and per dimension: each text's TF-IDF vector (IDF over
 * the given texts) scored by its mean cosine similarity to the other texts of the group. One quote
 * per source first (then the next best), identical texts once.
 */
export async function representativeQuotes(texts: SourceText[], opts: QuoteOptions = {}): Promise<ByDimension<Quote>> {
  const top = opts.top ?? 3;
  const maxLength = opts.maxLength ?? QUOTE_LENGTH;
  const tick = ticker(opts.pause);
  const analysed = (await analyseAll(texts, tick)).filter((item) => item.counts.size > 0);
  const df = new Map<string, number>();
  for (const item of analysed) for (const stem of item.counts.keys()) df.set(stem, (df.get(stem) ?? 0) + 1);
  const n = analysed.length;
  // Unit TF-IDF vectors.
  const vectors = new Map<Analysed, Map<string, number>>();
  for (const item of analysed) {
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [stem, count] of item.counts) {
      const weight = (1 + Math.log(count)) * (Math.log((1 + n) / (1 + df.get(stem)!)) + 1);
      vector.set(stem, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm);
    for (const [stem, weight] of vector) vector.set(stem, weight / norm);
    vectors.set(item, vector);
    await tick();
  }
  const groups = byGroup(analysed);
  const out: ByDimension<Quote> = {};
  for (const key of sortedGroupKeys(groups)) {
    const items = groups.get(key)!;
    // Mean cosine to the others = (v·S − v·v) / (m − 1), with S the sum of the group's unit vectors.
    const sum = new Map<string, number>();
    for (const item of items) {
      for (const [stem, weight] of vectors.get(item)!) sum.set(stem, (sum.get(stem) ?? 0) + weight);
      await tick();
    }
    const scored: { item: Analysed; score: number }[] = [];
    for (const item of items) {
      let dot = 0;
      for (const [stem, weight] of vectors.get(item)!) dot += weight * sum.get(stem)!;
      scored.push({ item, score: items.length > 1 ? (dot - 1) / (items.length - 1) : 0 });
      await tick();
    }
    scored.sort((a, b) => b.score - a.score || a.item.source.id.localeCompare(b.item.source.id));
    const chosen: typeof scored = [];
    const seenText = new Set<string>();
    const seenSource = new Set<string>();
    for (const pass of [true, false]) {
      for (const entry of scored) {
        if (chosen.length >= top) break;
        const flat = entry.item.source.text.replace(/\s+/g, ' ').trim().toLowerCase();
        if (seenText.has(flat) || (pass && seenSource.has(entry.item.sourceKey))) continue;
        seenText.add(flat);
        seenSource.add(entry.item.sourceKey);
        chosen.push(entry);
      }
    }
    out[key] = chosen.map(({ item: { source }, score }) => ({
      id: source.id,
      url: source.url,
      ...(source.title ? { title: source.title } : {}),
      text: trimQuote(source.body ?? source.text, maxLength),
      lang: source.lang,
      score: round(score),
    }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

export interface EmergingOptions extends CommonOptions {
  /** Default 5. */
  top?: number;
  /** Fewest current texts a phrase needs; default EMERGING_TEXTS (5), never below 2. */
  minTexts?: number;
  /** Fewest distinct sources of those texts; default EMERGING_SOURCES (3), never below 2. */
  minSources?: number;
  /** Additive smoothing of the shares; default 1. */
  smoothing?: number;
}

/** How much a phrase's share of texts must grow to be called growing. */
export const GROWING = 1.5;

/**
 * Key phrases whose share of texts grew most since the previous period: growth = ((c + α) / (N + 2α))
 * / ((p + α) / (M + 2α)), c of N current texts and p of M previous ones, α the smoothing. Only
 * phrases with enough support now (EMERGING_TEXTS texts from EMERGING_SOURCES sources); a phrase
 * absent before is "new" (no growth figure: it would be infinite), one at least GROWING times
 * more frequent is "growing". New phrases first, then by growth.
 */
export async function emergingTerms(current: SourceText[], previous: SourceText[], opts: EmergingOptions = {}): Promise<EmergingTerm[]> {
  const top = opts.top ?? 5;
  const minTexts = Math.max(2, opts.minTexts ?? EMERGING_TEXTS);
  const minSources = Math.max(2, opts.minSources ?? EMERGING_SOURCES);
  const alpha = opts.smoothing ?? 1;
  const tick = ticker(opts.pause);
  const phrase = async (texts: SourceText[]) => {
    const out: PhrasedText[] = [];
    for (const text of texts) {
      out.push({ lang: text.lang, sourceKey: sourceKeyOf(text), phrases: candidatePhrases(text.text, text.lang) });
      await tick();
    }
    return out;
  };
  const now = phraseTable(await phrase(current), Math.max(minSources, PRIVACY_THRESHOLD));
  const before = phraseTable(await phrase(previous), PRIVACY_THRESHOLD);
  const n = current.length;
  const m = previous.length;
  const ranked = rankPhrases(now, { top: top * 3, minTexts, minSources, groupSize: n, referenceSize: Math.max(1, m), referenceFrequency: (key) => before.get(key)?.texts ?? 0 });
  const out: EmergingTerm[] = [];
  for (const candidate of ranked) {
    const earlier = before.get(candidate.key);
    const p = earlier?.texts ?? 0;
    if (m === 0) continue; // nothing to compare with: nothing is emerging
    const growth = ((candidate.texts + alpha) / (n + 2 * alpha)) / ((p + alpha) / (m + 2 * alpha));
    if (p > 0 && growth < GROWING) continue;
    out.push({
      key: candidate.key, term: candidate.phrase, lang: candidate.lang, current: candidate.texts,
      previous: earlier ? shownCount(p, earlier.sources) : 0, growth: p === 0 ? null : round(growth, 2), status: p === 0 ? 'new' : 'growing',
    });
  }
  out.sort((a, b) => (a.growth === null ? 0 : 1) - (b.growth === null ? 0 : 1) || (b.growth ?? 0) - (a.growth ?? 0) || b.current - a.current || a.term.localeCompare(b.term));
  return out.slice(0, top);
}

// ---------------------------------------------------------------------------------------------

export interface PairOptions extends CommonOptions {
  /** Default 10. */
  top?: number;
}

/**
 * Components chosen together in the same choice, counted over the choices given; a pair is shown
 * only when its choices come from at least PRIVACY_THRESHOLD distinct actors. Share = count /
 * number of choices.
 */
export async function componentPairs(choices: { components: string[]; actorId: number }[], opts: PairOptions = {}): Promise<ComponentPair[]> {
  const top = opts.top ?? 10;
  const tick = ticker(opts.pause);
  const pairs = new Map<string, { a: string; b: string; count: number; actors: Set<number> }>();
  for (const choice of choices) {
    const codes = [...new Set(choice.components)].sort();
    for (let i = 0; i < codes.length; i++) {
      for (let j = i + 1; j < codes.length; j++) {
        const key = `${codes[i]}\u0000${codes[j]}`;
        let entry = pairs.get(key);
        if (!entry) pairs.set(key, (entry = { a: codes[i], b: codes[j], count: 0, actors: new Set() }));
        entry.count++;
        if (entry.actors.size < PRIVACY_THRESHOLD) entry.actors.add(choice.actorId);
      }
    }
    await tick();
  }
  return [...pairs.values()]
    .filter((p) => p.actors.size >= PRIVACY_THRESHOLD)
    .sort((x, y) => y.count - x.count || x.a.localeCompare(y.a) || x.b.localeCompare(y.b))
    .slice(0, top)
    .map(({ a, b, count }) => ({ a, b, count, share: round(count / choices.length) }));
}
