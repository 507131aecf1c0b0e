import { PRIVACY_THRESHOLD } from '../../db/summary-store.js';
import { LOCALES, type Locale } from '../i18n/index.js';
import { contentStems } from '../text/analysis.js';
import { type PhrasedText, type RankedPhrase, candidatePhrases, phraseTable, rankPhrases, stemsOfKey } from '../text/key-phrases.js';
import { trimQuote } from '../text/snippets.js';
import { foldDiacritics } from '../text/word-forms.js';

// Themes of a scope: groups of public texts about the same thing, whatever their language. No
// database here: the caller gives the texts (public ones only) and the lexicons.
//
// Each text becomes a sparse vector of language-independent features, TF-IDF weighted over the
// scope and L2-normalised:
//  - concepts (seed/lexicon/themes.json): everyday themes with their words in EN, FR and PT, matched
//    by Snowball stems ("vélo", "bicicleta" and "cycled" all give `c:cycling`);
//  - SPIRAL components, from the component lexicon (seed/lexicon) and from the criteria the writer
//    chose — the taxonomy is the same in every language;
//  - cognate stems: a content stem folded to a rough spelling key (recycl-/recicl-, énergi-/energi-)
//    so that words shared by the three languages meet.
// Themes are seeded by the concepts (conceptCover: a greedy cover, then k-means rounds on cosine
// similarity); a text the cover did not place joins a theme whose centre is close enough; texts no
// theme took are grouped among themselves by average-linkage clustering, strictly
// (MERGE_SIMILARITY), on a sample of at most SAMPLE_SIZE. A text unlike the rest of its theme
// (COHESION) leaves it. A theme is published only when it has MIN_THEME_TEXTS texts from
// PRIVACY_THRESHOLD distinct sources; the rest is "unassigned". Measured against human groupings
// on six corpora, five written apart from the code: bench/themes-accuracy.ts.

export interface ThemeConcept {
  id: string;
  labels: Record<Locale, string>;
  terms: Partial<Record<Locale, string[]>>;
}

export interface ThemeLexicons {
  concepts: ThemeConcept[];
  /** Component code → its words per language (seed/lexicon/<taxonomy>.json). */
  components: Record<string, Partial<Record<Locale, string[]>>>;
}

export interface ThemeText {
  id: string;
  url: string;
  title?: string;
  /** The body alone (for quotes); `text` is what is analysed (title and body). */
  body: string;
  text: string;
  lang: Locale;
  components: string[];
  actorId?: number;
}

export type ThemeStatus = 'new' | 'growing' | 'stable' | 'declining';

export interface ThemeQuote {
  id: string;
  title?: string;
  text: string;
  lang: Locale;
  url: string;
}

export interface Theme {
  id: string;
  /** The theme's name in each language (a concept's labels, or its best phrase in all three). */
  labels: Record<Locale, string>;
  phrases: { phrase: string; lang: Locale }[];
  size: number;
  actors: number;
  languages: Locale[];
  components: string[];
  /** Its share of texts now over its share in the previous period; null when there is nothing to compare with. */
  growth: number | null;
  status: ThemeStatus;
  previous: number;
  members: string[];
  quotes: ThemeQuote[];
}

export interface ThemesResult {
  themes: Theme[];
  /** Texts of the scope in no published theme. */
  unassigned: number;
  texts: number;
}

/** Texts no theme took are grouped among themselves only when this alike (average linkage, cosine). */
export const MERGE_SIMILARITY = 0.3;
/** A text the concept cover did not place (or a previous period's text) joins a theme this alike to its centre. */
export const ASSIGN_SIMILARITY = 0.2;
/** At most this many of the texts no theme took are grouped among themselves (the rest stay unassigned). */
export const SAMPLE_SIZE = 1_500;
/** What a feature no other text shares weighs in a text's length, against the rarest shared one. */
export const UNSHARED_WEIGHT = 0.5;
export const MIN_THEME_TEXTS = 3;
/** How alike a text must be to the rest of its theme to stay in it (cosine). */
export const COHESION = 0.3;
/** How many texts a concept must explain to found a theme (each text shares itself among its concepts by TF-IDF weight). */
export const COVER_SUPPORT = 2.5;
export const REFINE_ROUNDS = 2;
/** A text joins a concept's theme when it names that concept at least this much as its most named one. */
const DOMINANCE = 0.8;
/** Emerging ("new", "growing") needs this much support now. */
export const EMERGING_TEXTS = 5;
export const EMERGING_SOURCES = 3;
const MAX_PHRASES = 5;
const MIN_PHRASE_RELEVANCE = 0.1;
const MAX_QUOTES = 3;
/** Quotes are chosen among this many of the most central texts (C(12, 3) = 220 sets to weigh). */
const QUOTE_CANDIDATES = 12;
const THEME_QUOTE_LENGTH = 240;


export const DEFAULT_THEME_WEIGHTS = { concept: 1.6, chosenComponent: 0.5, lexiconComponent: 0.6, cognate: 0.6 };
export type ThemeWeights = typeof DEFAULT_THEME_WEIGHTS;

// ---------------------------------------------------------------------------------------------
// Features

/** A rough spelling key shared by cognates across EN, FR and PT: recycl → recicl, energi → energ. */
export function cognateKey(stem: string): string {
  let key = foldDiacritics(stem).toLowerCase()
    .replace(/ph/g, 'f').replace(/th/g, 't').replace(/qu/g, 'c').replace(/[kq]/g, 'c').replace(/y/g, 'i').replace(/ss/g, 's').replace(/(.)\1/g, '$1');
  key = key.replace(/[aeiou]+$/, '');
  return key.slice(0, 7);
}

interface Entry { stems: string[]; feature: string }

/** Finds lexicon phrases (as stem sequences) in a text's stems: longest match first. */
class PhraseMatcher {
  private readonly byLanguage: Record<Locale, Map<string, Entry[]>> = { en: new Map(), fr: new Map(), pt: new Map() };

  add(lang: Locale, term: string, feature: string) {
    const stems = contentStems(term, lang);
    if (!stems.length) return;
    const table = this.byLanguage[lang];
    let list = table.get(stems[0]);
    if (!list) table.set(stems[0], (list = []));
    list.push({ stems, feature });
    list.sort((a, b) => b.stems.length - a.stems.length);
  }

  match(stems: string[], lang: Locale): string[] {
    const found: string[] = [];
    const table = this.byLanguage[lang];
    for (let i = 0; i < stems.length; i++) {
      const list = table.get(stems[i]);
      if (!list) continue;
      for (const entry of list) {
        if (entry.stems.every((stem, j) => stems[i + j] === stem)) {
          found.push(entry.feature);
          // The words of a phrase speak through it: "flea market" is about clothes, not a market.
          i += entry.stems.length - 1;
          break;
        }
      }
    }
    return found;
  }
}

export class ThemeFeatures {
  private readonly concepts = new PhraseMatcher();
  private readonly components = new PhraseMatcher();
  readonly conceptById = new Map<string, ThemeConcept>();

  private readonly weights: ThemeWeights;

  constructor(lexicons: ThemeLexicons, weights: Partial<ThemeWeights> = {}) {
    this.weights = { ...DEFAULT_THEME_WEIGHTS, ...weights };
    for (const concept of lexicons.concepts) {
      this.conceptById.set(concept.id, concept);
      for (const lang of LOCALES) {
        for (const term of concept.terms[lang] ?? []) this.concepts.add(lang, term, `c:${concept.id}`);
        this.concepts.add(lang, concept.labels[lang], `c:${concept.id}`);
      }
    }
    for (const [code, terms] of Object.entries(lexicons.components)) {
      for (const lang of LOCALES) for (const term of terms[lang] ?? []) this.components.add(lang, term, `m:${code}`);
    }
  }

  /** Feature → raw weight for one text. */
  of(text: ThemeText): Map<string, number> {
    const stems = contentStems(text.text, text.lang);
    const features = new Map<string, number>();
    const put = (feature: string, weight: number) => features.set(feature, Math.max(features.get(feature) ?? 0, weight));
    // A text that names a concept by several of its words is more about it than one that names it once.
    const hits = new Map<string, number>();
    for (const feature of this.concepts.match(stems, text.lang)) hits.set(feature, (hits.get(feature) ?? 0) + 1);
    for (const [feature, count] of hits) put(feature, this.weights.concept * (1 + Math.log(count)));
    for (const feature of this.components.match(stems, text.lang)) put(feature, this.weights.lexiconComponent);
    for (const code of text.components) put(`m:${code}`, this.weights.chosenComponent);
    for (const stem of stems) if (stem.length >= 4) put(`k:${cognateKey(stem)}`, this.weights.cognate);
    return features;
  }

  /** The features a phrase (a stem sequence of one language) carries. */
  ofPhrase(stems: string[], lang: Locale): string[] {
    return [...this.concepts.match(stems, lang), ...this.components.match(stems, lang), ...stems.filter((stem) => stem.length >= 4).map((stem) => `k:${cognateKey(stem)}`)];
  }

  conceptsOf(vector: Map<string, number>): string[] {
    return [...vector.keys()].filter((f) => f.startsWith('c:')).map((f) => f.slice(2));
  }
}

type Vector = Map<string, number>;

/**
 * TF-IDF over the texts given, unit length. A feature no other text has still weighs in the length
 * (as the rarest feature would): a text that shares one word with a theme and nothing else is not
 * close to it. Given an `idf` (another period's texts placed in these themes), features it does not
 * know count as that rare.
 */
function weigh(raw: Vector[], known?: { idf: Map<string, number>; rarest: number }): { vectors: Vector[]; idf: Map<string, number>; rarest: number } {
  let idf = known?.idf;
  let rarest = known?.rarest ?? 0;
  if (!idf) {
    const df = new Map<string, number>();
    for (const vector of raw) for (const feature of vector.keys()) df.set(feature, (df.get(feature) ?? 0) + 1);
    idf = new Map();
    rarest = (Math.log(Math.max(1, raw.length)) + 0.5) * UNSHARED_WEIGHT;
    for (const [feature, count] of df) if (count > 1) idf.set(feature, Math.log(raw.length / count) + 0.5);
  }
  const vectors = raw.map((vector) => {
    const out: Vector = new Map();
    let norm = 0;
    for (const [feature, weight] of vector) {
      const w = idf!.get(feature) ?? rarest;
      if (w <= 0) continue;
      const value = weight * w;
      out.set(feature, value);
      norm += value * value;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [feature, value] of out) out.set(feature, value / norm);
    return out;
  });
  return { vectors, idf, rarest };
}

const dot = (a: Vector, b: Vector) => {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [feature, value] of small) {
    const other = large.get(feature);
    if (other !== undefined) sum += value * other;
  }
  return sum;
};

// ---------------------------------------------------------------------------------------------
// Clustering

/**
 * Average-linkage agglomerative clustering on cosine similarity, merging while the best pair of
 * clusters is at least `threshold` alike. Each cluster keeps its best neighbour, so a merge costs
 * O(n) and the whole O(n²) time and memory (a similarity matrix of n² floats).
 */
export function averageLinkage(vectors: Vector[], threshold: number): number[][] {
  const n = vectors.length;
  const sim = new Float32Array(n * n);
  // Pairs sharing at least one feature, through an inverted index.
  const postings = new Map<string, { index: number; value: number }[]>();
  vectors.forEach((vector, index) => {
    for (const [feature, value] of vector) {
      let list = postings.get(feature);
      if (!list) postings.set(feature, (list = []));
      list.push({ index, value });
    }
  });
  for (const list of postings.values()) {
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const i = list[a].index, j = list[b].index;
        const v = list[a].value * list[b].value;
        sim[i * n + j] += v;
        sim[j * n + i] += v;
      }
    }
  }
  const size = new Int32Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const best = new Int32Array(n).fill(-1);
  const bestSim = new Float32Array(n).fill(-1);
  const refresh = (i: number) => {
    let b = -1, s = -1;
    for (let k = 0; k < n; k++) if (k !== i && active[k] && sim[i * n + k] > s) { s = sim[i * n + k]; b = k; }
    best[i] = b;
    bestSim[i] = s;
  };
  for (let i = 0; i < n; i++) refresh(i);
  for (;;) {
    let i = -1, s = threshold;
    for (let k = 0; k < n; k++) if (active[k] && best[k] >= 0 && bestSim[k] >= s) { s = bestSim[k]; i = k; }
    if (i < 0) break;
    const j = best[i];
    const si = size[i], sj = size[j];
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === i || k === j) continue;
      const v = (si * sim[i * n + k] + sj * sim[j * n + k]) / (si + sj);
      sim[i * n + k] = v;
      sim[k * n + i] = v;
    }
    active[j] = 0;
    size[i] = si + sj;
    members[i].push(...members[j]);
    members[j] = [];
    refresh(i);
    for (let k = 0; k < n; k++) if (active[k] && k !== i && (best[k] === i || best[k] === j)) refresh(k);
  }
  return members.filter((list, i) => active[i] && list.length > 0);
}

/**
 * Themes seeded by the everyday concepts texts speak of, then settled as k-means settles. A greedy
 * cover picks the concept that explains most of the texts not yet placed — each text shares itself
 * among the concepts it names by their TF-IDF weight, so a concept every text mentions in passing
 * ("family", "home") explains little — and places the texts that name it about as much as their most
 * named concept (DOMINANCE: a compost text that mentions a flat waits for compost); it goes on while
 * a concept explains at least `minSupport` texts. Then each placed text moves to the theme whose
 * centre it is closest to, a few rounds. Texts placed nowhere are left for the caller (-1).
 */
export function conceptCover(vectors: Vector[], minSupport: number, rounds = REFINE_ROUNDS): { clusters: number[][]; assigned: Int32Array } {
  // Concepts too rare to found a theme do not compete for a text.
  const found = new Map<string, number>();
  for (const v of vectors) for (const f of v.keys()) if (f.startsWith('c:')) found.set(f, (found.get(f) ?? 0) + 1);
  const conceptsOf = vectors.map((v) => [...v.keys()].filter((f) => f.startsWith('c:') && found.get(f)! >= MIN_THEME_TEXTS));
  const assigned = new Int32Array(vectors.length).fill(-1);
  const spent = new Set<string>();
  let clusters: number[][] = [];
  for (;;) {
    const score = new Map<string, number>();
    conceptsOf.forEach((list, i) => {
      if (assigned[i] >= 0) return;
      let total = 0;
      for (const c of list) total += vectors[i].get(c)!;
      for (const c of list) if (!spent.has(c)) score.set(c, (score.get(c) ?? 0) + vectors[i].get(c)! / total);
    });
    let best: string | null = null, value = 0;
    for (const [concept, s] of score) if (s > value + 1e-9 || (Math.abs(s - value) <= 1e-9 && best !== null && concept < best)) { best = concept; value = s; }
    if (!best || value < minSupport) break;
    spent.add(best);
    const members: number[] = [];
    conceptsOf.forEach((list, i) => {
      if (assigned[i] >= 0 || !list.includes(best!)) return;
      const strongest = Math.max(...list.map((c) => vectors[i].get(c)!));
      if (vectors[i].get(best!)! >= DOMINANCE * strongest) {
        assigned[i] = clusters.length;
        members.push(i);
      }
    });
    if (members.length) clusters.push(members);
  }
  for (let round = 0; round < rounds; round++) {
    const nearest = new NearestCentre(clusters.map((list) => centroidOf(vectors, list)));
    let moved = 0;
    for (let i = 0; i < vectors.length; i++) {
      if (assigned[i] < 0) continue;
      const bestGroup = nearest.of(vectors[i], 0, assigned[i]);
      if (bestGroup !== assigned[i]) {
        assigned[i] = bestGroup;
        moved++;
      }
    }
    clusters = clusters.map(() => []);
    assigned.forEach((g, i) => g >= 0 && clusters[g].push(i));
    if (!moved) break;
  }
  return { clusters, assigned };
}

/**
 * The theme closest to a vector, through an inverted index of the centres' features: a text's
 * dozen features meet only the centres that have them (20,000 texts × 100 themes by Map lookups
 * took 16 s; this takes a fraction of one).
 */
class NearestCentre {
  private readonly postings = new Map<string, { g: number; value: number }[]>();
  private readonly scores: Float64Array;

  constructor(centres: Vector[]) {
    this.scores = new Float64Array(centres.length);
    centres.forEach((centre, g) => {
      for (const [feature, value] of centre) {
        let list = this.postings.get(feature);
        if (!list) this.postings.set(feature, (list = []));
        list.push({ g, value });
      }
    });
  }

  /** The index of the closest centre at least `threshold` alike (ties: the current one, then the first), or -1. */
  of(vector: Vector, threshold: number, current = -1): number {
    const scores = this.scores.fill(0);
    for (const [feature, value] of vector) for (const post of this.postings.get(feature) ?? []) scores[post.g] += value * post.value;
    let best = current, bestSim = current >= 0 ? scores[current] : threshold - 1e-9;
    for (let g = 0; g < scores.length; g++) if (scores[g] > bestSim + 1e-9) { bestSim = scores[g]; best = g; }
    return best;
  }
}

function centroidOf(vectors: Vector[], indices: number[]): Vector {
  const sum: Vector = new Map();
  for (const i of indices) for (const [feature, value] of vectors[i]) sum.set(feature, (sum.get(feature) ?? 0) + value);
  let norm = 0;
  for (const value of sum.values()) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [feature, value] of sum) sum.set(feature, value / norm);
  return sum;
}

/** Evenly spread indices: the same texts give the same sample. */
function sampleIndices(n: number, size: number): number[] {
  if (n <= size) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: size }, (_, k) => Math.floor((k * n) / size));
}

// ---------------------------------------------------------------------------------------------

export interface ThemeOptions {
  /** How many themes to return (the largest first). Default: all. */
  top?: number;
  mergeSimilarity?: number;
  assignSimilarity?: number;
  sampleSize?: number;
  cohesion?: number;
  support?: number;
}

/** Who a text counts for in the distinct-sources rules: its actor, or the text itself when it has none. */
export const sourceKeyOf = (text: { id: string; actorId?: number | null }) => (text.actorId === undefined || text.actorId === null ? `text:${text.id}` : `actor:${text.actorId}`);


/** Up to MAX_QUOTES of the candidates (most central first): most languages, then most sources, then most central. */
function quoteSet(candidates: ThemeText[]): ThemeText[] {
  const size = Math.min(MAX_QUOTES, candidates.length);
  let best: number[] = [];
  let bestScore = -Infinity;
  const choose = (start: number, chosen: number[]) => {
    if (chosen.length === size) {
      const picked = chosen.map((k) => candidates[k]);
      const score = new Set(picked.map((t) => t.lang)).size * 10_000 + new Set(picked.map(sourceKeyOf)).size * 100 - chosen.reduce((sum, k) => sum + k, 0);
      if (score > bestScore) { bestScore = score; best = [...chosen]; }
      return;
    }
    for (let k = start; k < candidates.length; k++) choose(k + 1, [...chosen, k]);
  };
  choose(0, []);
  return best.map((k) => candidates[k]);
}

function statusOf(size: number, sources: number, previous: number, growth: number | null, previousTexts: number): ThemeStatus {
  const supported = size >= EMERGING_TEXTS && sources >= EMERGING_SOURCES;
  if (previousTexts === 0 || growth === null) return previous === 0 && previousTexts > 0 && supported ? 'new' : 'stable';
  if (previous === 0) return supported ? 'new' : 'stable';
  if (growth >= 1.5 && supported) return 'growing';
  if (growth <= 0.67 && previous >= EMERGING_TEXTS) return 'declining';
  return 'stable';
}

const capitalise = (text: string) => (text ? text[0].toLocaleUpperCase() + text.slice(1) : text);

/** The themes of a scope's texts (public only), compared with the previous period's. */
export function findThemes(current: ThemeText[], previous: ThemeText[], features: ThemeFeatures, opts: ThemeOptions = {}): ThemesResult {
  const merge = opts.mergeSimilarity ?? MERGE_SIMILARITY;
  const assign = opts.assignSimilarity ?? ASSIGN_SIMILARITY;
  const raw = current.map((text) => features.of(text));
  const weighed = weigh(raw);
  const { vectors } = weighed;
  // 1. Themes the concepts found, over every text (linear in texts × themes: no sample needed).
  const { clusters, assigned: placed } = conceptCover(vectors, opts.support ?? COVER_SUPPORT);
  let groups = clusters.filter((list) => list.length > 0);
  // 2. A text the cover did not place (no concept, or none strong enough) joins the theme it is clearly close to.
  const nearest = new NearestCentre(groups.map((list) => centroidOf(vectors, list)));
  const left: number[] = [];
  for (let i = 0; i < current.length; i++) {
    if (placed[i] >= 0) continue;
    const bestGroup = nearest.of(vectors[i], assign);
    if (bestGroup >= 0) groups[bestGroup].push(i);
    else left.push(i);
  }
  // 3. Texts no theme took: those that share words or
  // components closely, by average linkage on at most SAMPLE_SIZE of them.
  const sample = sampleIndices(left.length, opts.sampleSize ?? SAMPLE_SIZE).map((k) => left[k]);
  groups.push(...averageLinkage(sample.map((i) => vectors[i]), merge).map((list) => list.map((k) => sample[k])));
  // 4. A text that shares only a stray feature with its theme is not about it: it leaves (measured
  // against the theme's other members) and is unassigned.
  const cohesion = opts.cohesion ?? COHESION;
  groups = groups.filter((list) => list.length >= MIN_THEME_TEXTS).map((list) => {
    const sum: Vector = new Map();
    for (const i of list) for (const [feature, value] of vectors[i]) sum.set(feature, (sum.get(feature) ?? 0) + value);
    let sumNorm = 0;
    for (const value of sum.values()) sumNorm += value * value;
    return list.filter((i) => {
      const self = dot(vectors[i], vectors[i]);
      const withSum = dot(vectors[i], sum);
      const othersNorm = Math.sqrt(Math.max(0, sumNorm - 2 * withSum + self));
      return othersNorm > 0 && (withSum - self) / othersNorm >= cohesion;
    });
  }).filter((list) => list.length >= MIN_THEME_TEXTS);
  // Privacy: a theme rests on at least PRIVACY_THRESHOLD distinct sources.
  groups = groups.filter((list) => new Set(list.map((i) => sourceKeyOf(current[i]))).size >= PRIVACY_THRESHOLD);
  const centroids = groups.map((list) => centroidOf(vectors, list));

  // The previous period's texts, placed in the current themes.
  const previousCounts = new Array<number>(groups.length).fill(0);
  if (previous.length && groups.length) {
    const before = weigh(previous.map((text) => features.of(text)), weighed).vectors;
    const nearestNow = new NearestCentre(centroids);
    for (const vector of before) {
      const bestGroup = nearestNow.of(vector, assign);
      if (bestGroup >= 0) previousCounts[bestGroup]++;
    }
  }

  // Key phrases: each theme's texts against the whole scope.
  const phrased: PhrasedText[] = current.map((text) => ({ lang: text.lang, sourceKey: sourceKeyOf(text), phrases: candidatePhrases(text.text, text.lang) }));
  const scopeTable = phraseTable(phrased, 1);
  const referenceFrequency = (key: string) => scopeTable.get(key)?.texts ?? 0;

  const usedIds = new Set<string>();
  const themes: Theme[] = groups.map((list, g) => {
    const texts = list.map((i) => current[i]);
    const sources = new Set(texts.map(sourceKeyOf));
    const table = phraseTable(list.map((i) => phrased[i]), 2);
    // A phrase counts as much as the theme's centre weighs what it speaks of: "jardin partagé" in a
    // gardens theme, not "dimanche matin".
    const relevance = (key: string) => {
      const lang = key.slice(0, 2) as Locale;
      let weight = 0;
      const stems = stemsOfKey(key);
      // Concepts and components say what a phrase is about; a shared spelling alone counts less,
      // and a lone word must say it by itself ("vélo", not "installé").
      for (const feature of features.ofPhrase(stems, lang)) weight = Math.max(weight, (centroids[g].get(feature) ?? 0) * (feature.startsWith('k:') ? (stems.length > 1 ? 0.6 : 0.25) : 1));
      return 0.05 + weight;
    };
    const rankOptions = { top: MAX_PHRASES, minSources: 1, referenceSize: current.length, referenceFrequency, groupSize: list.length, relevance };
    // Recurring phrases that speak of the theme; words that merely recur ("installé", "read") are left out.
    let ranked: RankedPhrase[] = rankPhrases(table, { ...rankOptions, minTexts: 2, top: MAX_PHRASES * 2 }).filter((p) => relevance(p.key) >= MIN_PHRASE_RELEVANCE).slice(0, MAX_PHRASES);
    // Every theme shows phrases of more than one word: the best single-text ones when none recurs.
    if (!ranked.some((p) => p.words > 1)) {
      const multi = rankPhrases(new Map([...table].filter(([, stats]) => stats.words === 2 || stats.words === 3)), { ...rankOptions, minTexts: 1, top: 2 });
      ranked = [...ranked.slice(0, MAX_PHRASES - multi.length), ...multi];
    }
    // Texts too short for any phrase of two words: their words that speak of the theme.
    if (!ranked.length) ranked = rankPhrases(table, { ...rankOptions, minTexts: 1, top: 3 }).filter((p) => relevance(p.key) >= MIN_PHRASE_RELEVANCE);
    // Label: the concept most of its texts share, else its best phrase.
    const conceptCounts = new Map<string, number>();
    for (const i of list) for (const id of features.conceptsOf(raw[i])) conceptCounts.set(id, (conceptCounts.get(id) ?? 0) + 1);
    const [topConcept, topCount] = [...conceptCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? [null, 0];
    const concept = topConcept && topCount >= Math.max(2, list.length * 0.3) ? features.conceptById.get(topConcept)! : null;
    const phraseLabel = capitalise([...ranked].sort((a, b) => b.texts - a.texts || b.score - a.score)[0]?.phrase ?? '');
    const labels = concept ? concept.labels : { en: phraseLabel, fr: phraseLabel, pt: phraseLabel };
    let id = concept?.id ?? (phraseLabel ? foldDiacritics(phraseLabel.toLowerCase()).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') : `theme-${g + 1}`);
    for (let n = 2; usedIds.has(id); n++) id = `${id.replace(/-\d+$/, '')}-${n}`;
    usedIds.add(id);
    // Languages and components, most frequent first.
    const count = <T,>(items: T[]) => {
      const counts = new Map<T, number>();
      for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
      return [...counts].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
    };
    const languages = count(texts.map((t) => t.lang)).map(([lang]) => lang);
    const components = count(texts.flatMap((t) => [...new Set(t.components)])).filter(([, n]) => n >= Math.max(2, list.length * 0.2)).slice(0, 4).map(([code]) => code);
    // Quotes: among the texts closest to the theme's centre, the set that shows most languages, then
    // most people, then the most central texts.
    const closeness = new Map(list.map((i) => [i, dot(vectors[i], centroids[g])]));
    const byCloseness = [...list].sort((a, b) => closeness.get(b)! - closeness.get(a)! || current[a].id.localeCompare(current[b].id));
    const quotes: ThemeQuote[] = quoteSet(byCloseness.slice(0, QUOTE_CANDIDATES).map((i) => current[i])).map((text) => ({
      id: text.id, ...(text.title ? { title: text.title } : {}), text: trimQuote(text.body || text.title || '', THEME_QUOTE_LENGTH), lang: text.lang, url: text.url,
    }));
    const previousCount = previousCounts[g];
    const growth = previous.length ? Math.round((((list.length + 0.5) / (current.length + 1)) / ((previousCount + 0.5) / (previous.length + 1))) * 100) / 100 : null;
    const status = statusOf(list.length, sources.size, previousCount, growth, previous.length);
    return {
      id, labels, phrases: ranked.map((p) => ({ phrase: p.phrase, lang: p.lang })), size: list.length, actors: sources.size, languages, components,
      growth: status === 'new' ? null : growth, status, previous: previousCount,
      members: texts.map((t) => t.id), quotes,
    };
  }).filter((theme) => theme.phrases.length > 0);
  themes.sort((a, b) => b.size - a.size || a.id.localeCompare(b.id));
  const assigned = themes.reduce((sum, theme) => sum + theme.size, 0);
  return { themes: opts.top ? themes.slice(0, opts.top) : themes, unassigned: current.length - assigned, texts: current.length };
}
