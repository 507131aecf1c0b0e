import type { Locale } from '../i18n/index.js';
import { LOCALES } from '../i18n/index.js';
import { contentStems } from './analysis.js';
import { detectLanguage } from './language.js';

// Ranks SPIRAL components for a free text. Two sources of evidence, both over stemmed content words
// and the two- and three-word phrases they form:
//  - what the criteria say: each component's curated lexicon (seed/lexicon), label and description;
//  - what people confirmed: every classified statement and non-private choice, counted per component
//    (a smoothed "which component do texts with this word end up in" vote, naive-Bayes style).
// Features shared by many components weigh less (inverse document frequency over components).

export interface ClassifierTaxonomy {
  dimensions: {
    code: string;
    labels: Partial<Record<string, string>>;
    descriptions: Partial<Record<string, string>>;
    components: { code: string; labels: Partial<Record<string, string>>; descriptions: Partial<Record<string, string>> }[];
  }[];
}

export interface Lexicon {
  components: Record<string, Partial<Record<Locale, string[]>>>;
}

export interface ConfirmedExample {
  text: string;
  lang: Locale;
  components: string[];
}

export interface RankedComponent {
  code: string;
  score: number;
}

type FeatureTable = Map<string, Map<string, number>>;
/** Marks a classifier whose criteria are added step by step by `create`. */
const PENDING = Symbol('pending') as unknown as Lexicon;

export const DEFAULT_WEIGHTS = { lexiconWord: 1, lexiconPhrase: 1.6, reducedPhrase: 0.2, label: 0.7, description: 0.25, learned: 1.2, secondaryExample: 0.5, dimension: 0, learnedSmoothing: 1 };
export type ClassifierWeights = typeof DEFAULT_WEIGHTS;
const MAX_PHRASE = 3;

/** Distinct unigrams, bigrams and trigrams of a stem sequence. */
export function featuresOf(stems: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < stems.length; i++) {
    let key = stems[i];
    out.add(key);
    for (let n = 1; n < MAX_PHRASE && i + n < stems.length; n++) {
      key += ` ${stems[i + n]}`;
      out.add(key);
    }
  }
  return out;
}

function add(table: FeatureTable, feature: string, component: string, weight: number, keepMax: boolean) {
  let row = table.get(feature);
  if (!row) table.set(feature, (row = new Map()));
  const current = row.get(component) ?? 0;
  row.set(component, keepMax ? Math.max(current, weight) : current + weight);
}

export class CriteriaClassifier {
  private readonly criteria: Record<Locale, FeatureTable> = { en: new Map(), fr: new Map(), pt: new Map() };
  private readonly learned: Record<Locale, FeatureTable> = { en: new Map(), fr: new Map(), pt: new Map() };
  private readonly componentCount: number;
  private readonly knownCodes: Set<string>;
  private readonly dimensionOf = new Map<string, string>();
  private readonly weights: ClassifierWeights;
  examples = 0;

  /** Builds the classifier at once (tests, tools). Servers use `create`, which pauses between components. */
  constructor(taxonomy: ClassifierTaxonomy, lexicon: Lexicon | null, weights: Partial<ClassifierWeights> = {}) {
    this.weights = { ...DEFAULT_WEIGHTS, ...weights };
    const components = taxonomy.dimensions.flatMap((dimension) => dimension.components.map((component) => ({ dimension: dimension.code, component })));
    this.componentCount = components.length;
    this.knownCodes = new Set(components.map((c) => c.component.code));
    if (lexicon !== PENDING) {
      for (const { dimension, component } of components) this.addCriterion(dimension, component, lexicon);
      this.weighByRarity();
    }
  }

  /** Builds the classifier a component at a time, calling `pause` in between (to keep a server responsive). */
  static async create(taxonomy: ClassifierTaxonomy, lexicon: Lexicon | null, pause: () => Promise<void>, weights: Partial<ClassifierWeights> = {}) {
    const classifier = new CriteriaClassifier(taxonomy, PENDING, weights);
    for (const dimension of taxonomy.dimensions) {
      for (const component of dimension.components) {
        classifier.addCriterion(dimension.code, component, lexicon);
        await pause();
      }
    }
    classifier.weighByRarity();
    return classifier;
  }

  private addCriterion(dimension: string, component: ClassifierTaxonomy['dimensions'][number]['components'][number], lexicon: Lexicon | null) {
    const WEIGHTS = this.weights;
    this.dimensionOf.set(component.code, dimension);
    for (const lang of LOCALES) {
      const table = this.criteria[lang];
      for (const term of lexicon?.components[component.code]?.[lang] ?? []) {
        const stems = contentStems(term, lang);
        if (!stems.length || stems.length > MAX_PHRASE) continue;
        // A phrase whose other words are stop words ("fait maison", "never stop") must not make its
        // one remaining word ("maison", "stop") count as if it named the component.
        const reduced = stems.length === 1 && /\s/.test(term.trim());
        add(table, stems.join(' '), component.code, stems.length > 1 ? WEIGHTS.lexiconPhrase : reduced ? WEIGHTS.reducedPhrase : WEIGHTS.lexiconWord, true);
      }
      for (const stem of contentStems(component.labels[lang] ?? '', lang)) add(table, stem, component.code, WEIGHTS.label, true);
      for (const stem of contentStems(component.descriptions[lang] ?? '', lang)) add(table, stem, component.code, WEIGHTS.description, true);
    }
  }

  /** Inverse document frequency over components: a word that names one component says more than one that appears in ten. */
  private weighByRarity() {
    for (const lang of LOCALES) {
      for (const row of this.criteria[lang].values()) {
        const idf = Math.log(1 + this.componentCount / row.size);
        for (const [code, weight] of row) row.set(code, weight * idf);
      }
    }
  }

  // What each keyed example taught, to take it back later. Tens of thousands are kept: features are
  // stored as arrays of shared (interned) strings, which took the loaded model from ~100 MB to a third.
  private readonly taught = new Map<string, { lang: Locale; features: string[]; codes: string[]; weight: number }>();
  private readonly featureNames = new Map<string, string>();

  private intern(feature: string): string {
    const known = this.featureNames.get(feature);
    if (known !== undefined) return known;
    this.featureNames.set(feature, feature);
    return feature;
  }

  /**
   * Adds a text classified by a person (its first component is the main one). `key` names its source
   * (e.g. choice:12) so that it can be forgotten when the text is made private, changed or deleted.
   */
  learn(example: ConfirmedExample, key?: string, weight = 1): void {
    if (key) this.forget(key);
    const codes = example.components.filter((code) => this.knownCodes.has(code));
    if (!codes.length) return;
    const features = [...featuresOf(contentStems(example.text, example.lang))].map((f) => this.intern(f));
    if (!features.length) return;
    this.apply(example.lang, features, codes, weight);
    if (key) this.taught.set(key, { lang: example.lang, features, codes, weight });
    this.examples++;
  }

  /** Changes how much a keyed example counts, without analysing its text again. */
  reweight(key: string, weight: number): void {
    const example = this.taught.get(key);
    if (!example || example.weight === weight) return;
    this.apply(example.lang, example.features, example.codes, weight - example.weight);
    example.weight = weight;
  }

  /** Removes what a keyed example taught (nothing if it was never learned). */
  forget(key: string): void {
    const example = this.taught.get(key);
    if (!example) return;
    this.apply(example.lang, example.features, example.codes, -example.weight);
    this.taught.delete(key);
    this.examples--;
  }

  private apply(lang: Locale, features: readonly string[], codes: string[], factor: number) {
    const table = this.learned[lang];
    codes.forEach((code, index) => {
      const weight = factor * (index === 0 ? 1 : this.weights.secondaryExample);
      for (const feature of features) {
        add(table, feature, code, weight, false);
        const row = table.get(feature)!;
        if (row.get(code)! <= 1e-9) row.delete(code);
        if (!row.size) table.delete(feature);
      }
    });
  }

  /** Components ranked best first (only those with some evidence), with a score in (0, 1). */
  rank(text: string, lang: Locale, limit = 5): { lang: Locale; ranked: RankedComponent[] } {
    const detected = detectLanguage(text);
    const tried = [...new Set([lang, ...(detected ? [detected] : [])])];
    let best: { lang: Locale; scores: Map<string, number>; total: number } | null = null;
    for (const candidate of tried) {
      const scores = this.score(text, candidate);
      const total = [...scores.values()].reduce((a, b) => a + b, 0);
      if (!best || total > best.total * 1.25) best = { lang: candidate, scores, total };
    }
    const ranked = [...best!.scores.entries()]
      .filter(([, score]) => score > 0)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, limit)
      .map(([code, score]) => ({ code, score: Math.round((score / (score + 1.5)) * 1000) / 1000 }));
    return { lang: best!.lang, ranked };
  }

  private score(text: string, lang: Locale): Map<string, number> {
    const features = featuresOf(contentStems(text, lang));
    const scores = new Map<string, number>();
    const bump = (code: string, value: number) => scores.set(code, (scores.get(code) ?? 0) + value);
    for (const feature of features) {
      for (const [code, weight] of this.criteria[lang].get(feature) ?? []) bump(code, weight);
      const learnedRow = this.learned[lang].get(feature);
      if (learnedRow) {
        let total = 0;
        for (const count of learnedRow.values()) total += count;
        const idf = Math.log(1 + this.componentCount / learnedRow.size);
        // Smoothed share of this feature's confirmed uses that went to each component; one chance
        // sighting weighs less than a repeated one.
        for (const [code, count] of learnedRow) bump(code, this.weights.learned * idf * (count / (total + this.weights.learnedSmoothing)));
      }
    }
    if (this.weights.dimension > 0) {
      // Evidence for the other components of a dimension supports each of them a little.
      const byDimension = new Map<string, number>();
      for (const [code, score] of scores) byDimension.set(this.dimensionOf.get(code)!, (byDimension.get(this.dimensionOf.get(code)!) ?? 0) + score);
      for (const [code, score] of scores) scores.set(code, score + this.weights.dimension * (byDimension.get(this.dimensionOf.get(code)!)! - score));
    }
    return scores;
  }
}
