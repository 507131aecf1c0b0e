import { type Locale, type MessageKey, type Translate, asLocale } from '../i18n/index.js';
import type { CharacteristicTerm, EmergingTerm } from './qualitative.js';

// The generated paragraph of a summary, in the reader's language. It reads the figures exactly as
// the summary gives them (never recomputes or adds anything up) and never mentions a withheld one
// (null). Sentences come from the `narrative.*` messages of the
// catalogues); months, numbers, percentages and lists are formatted with Intl in the reader's locale.

interface Figure {
  code: string;
  label: string;
  count: number | null;
  share: number | null;
  suppressed?: boolean;
}

interface Scope {
  /** 'network', 'territory' or 'group'. */
  kind: string;
  slug?: string | null;
  id?: number;
  name: string | null;
}

/** What the narrative reads from a summary (GET /api/summaries gives all of it). */
export interface NarrativeSummary {
  scope: Scope;
  period: { from: string; to: string };
  /** A group's summary counts statements (its choices and actors are null). */
  totals: { choices: number | null; actors: number | null; statements?: number | null };
  byDimension: readonly Figure[];
  byComponent: readonly (Figure & { dimension: string })[];
  results: readonly { unit: string; sum: number | null; count: number | null; suppressed?: boolean }[];
  blindSpots?: readonly unknown[];
  comparison?: {
    scope: Scope;
    period: { from: string; to: string };
    totals: { choices: number | null };
    deltas: { choices: number | null };
  } | null;
}

/** What the narrative reads from the qualitative part (terms keyed by 'all' and dimension code). */
export interface NarrativeQualitative {
  terms?: Record<string, readonly CharacteristicTerm[]>;
  emerging?: readonly EmergingTerm[];
  /** The top themes, largest first, and how many public texts they were found among. */
  themes?: readonly { label: string; size: number; status: string }[];
  textsAnalysed?: number;
}

const MAX_TERMS = 4;
const MAX_EMERGING = 3;
const MAX_TIED_COMPONENTS = 3;
const MAX_OTHER_THEMES = 3;

/** Shares said in words when they are close to a simple fraction (message select keys). */
const FRACTIONS: [number, string][] = [
  [1, 'all'],
  [3 / 4, 'threeQuarters'],
  [2 / 3, 'twoThirds'],
  [1 / 2, 'half'],
  [1 / 3, 'third'],
  [1 / 4, 'quarter'],
  [1 / 5, 'fifth'],
];
const FRACTION_TOLERANCE = 0.02;

export function fractionOf(share: number): string {
  if (share >= 1) return 'all';
  for (const [value, key] of FRACTIONS) if (value < 1 && Math.abs(share - value) <= FRACTION_TOLERANCE) return key;
  return 'other';
}

const startsWithVowel = (text: string) => (/^[aeiouyhàâäéèêëîïôöùûüœæ]/i.test(text) ? 'yes' : 'no');

/**
 * A paragraph describing the summary in the reader's language. `t` is the app translator for the
 * reader's locale; `locale` defaults to the catalogue's own `narrative.locale` message.
 */
export function narrative(summary: NarrativeSummary, qualitative: NarrativeQualitative | null | undefined, t: Translate, locale?: Locale): string {
  const say = (key: string, values?: Record<string, string | number | Date>) => t(key as MessageKey, values);
  const fromCatalogue = say('narrative.locale');
  const lang: Locale = locale ?? asLocale(fromCatalogue);

  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  const list = (items: string[]) => new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
  const quoted = (text: string) => say('narrative.quoted', { text });
  const monthDate = (iso: string) => new Date(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, 1));
  const monthName = (iso: string, withYear: boolean) =>
    new Intl.DateTimeFormat(lang, { month: 'long', ...(withYear ? { year: 'numeric' } : {}), timeZone: 'UTC' }).format(monthDate(iso));
  const periodPhrase = (period: { from: string; to: string }) => {
    if (period.from.slice(0, 7) === period.to.slice(0, 7)) return say('narrative.period.single', { month: monthName(period.from, true) });
    const sameYear = period.from.slice(0, 4) === period.to.slice(0, 4);
    return say('narrative.period.range', { from: monthName(period.from, !sameYear), to: monthName(period.to, true) });
  };
  const scopeValues = (scope: Scope) => ({ scope: scope.kind === 'network' || !scope.name ? 'network' : 'territory', name: scope.name ?? '' });
  const signed = (value: number) => number.format(value).replace(/^-/, '\u2212');

  const period = periodPhrase(summary.period);
  const where = scopeValues(summary.scope);
  const { choices, actors, statements } = summary.totals;
  const isGroup = summary.scope.kind === 'group';
  const subject = isGroup ? 'statements' : 'choices';
  const sentences: string[] = [];

  if (isGroup) {
    // A group's summary rests on its statements (anonymous group work).
    const name = quoted(summary.scope.name ?? '');
    if (statements === null || statements === undefined) return say('narrative.withheld', { ...where, period });
    if (statements === 0) return say('narrative.groupNothing', { name, period });
    sentences.push(say('narrative.groupOpening', { name, period, statements }));
  } else {
    if (choices === null) return say('narrative.withheld', { ...where, period });
    if (choices === 0) return say('narrative.nothing', { ...where, period });
    sentences.push(actors === null ? say('narrative.openingNoActors', { ...where, period, choices }) : say('narrative.opening', { ...where, period, choices, actors }));
  }

  // The dimension chosen most often, and its most frequent component(s).
  const shown = (f: Figure) => !f.suppressed && f.count !== null && f.count > 0;
  const top = summary.byDimension.filter(shown).reduce<Figure | null>((best, f) => (best === null || f.count! > best.count! ? f : best), null);
  if (top) {
    const components = summary.byComponent.filter((c) => c.dimension === top.code && shown(c));
    const most = Math.max(0, ...components.map((c) => c.count!));
    const leaders = components.filter((c) => c.count === most).slice(0, MAX_TIED_COMPONENTS);
    const dimension = quoted(top.label);
    if (top.share === null) sentences.push(say('narrative.topDimensionPlain', { dimension }));
    else {
      sentences.push(say('narrative.topDimension', {
        subject,
        fraction: fractionOf(top.share),
        percent: percent.format(top.share),
        dimension,
        components: list(leaders.map((c) => quoted(c.label))),
        componentCount: leaders.length,
      }));
    }
  }

  // What is said next is among the figures shown: say so when some are withheld.
  const withheldDimensions = summary.byDimension.filter((f) => f.suppressed).length;
  if (withheldDimensions) sentences.push(say('narrative.partial', { count: withheldDimensions }));

  // Results as the summary adds them up, per unit.
  const results = summary.results.filter((r) => !r.suppressed && r.sum !== null && r.unit);
  if (results.length) sentences.push(say('narrative.results', { results: list(results.map((r) => say('narrative.quantity', { value: signed(r.sum!), unit: r.unit }))) }));

  if (summary.blindSpots) sentences.push(say('narrative.blindSpots', { count: summary.blindSpots.length, subject }));

  // The comparison, when both totals are shown.
  const comparison = isGroup ? null : summary.comparison;
  if (comparison && comparison.deltas.choices !== null && comparison.totals.choices !== null) {
    const delta = comparison.deltas.choices;
    const sameScope = comparison.scope.kind === summary.scope.kind && comparison.scope.slug === summary.scope.slug;
    const than = say('narrative.compareTarget', {
      ...(sameScope ? { scope: 'same', name: '' } : scopeValues(comparison.scope)),
      period: periodPhrase(comparison.period),
    });
    sentences.push(say('narrative.comparison', { diff: delta > 0 ? 'more' : delta < 0 ? 'fewer' : 'same', count: Math.abs(delta), than, thanVowel: startsWithVowel(than) }));
  }

  // Themes: what the largest is about and whether it is new, then the next ones.
  const themes = qualitative?.themes ?? [];
  const analysed = qualitative?.textsAnalysed ?? 0;
  if (themes.length && analysed > 0) {
    const [first, ...others] = themes;
    const share = first.size / analysed;
    sentences.push(say('narrative.theme', {
      fraction: fractionOf(share), percent: percent.format(share), theme: quoted(first.label), status: first.status,
      scope: where.scope, name: where.name,
    }));
    if (others.length) sentences.push(say('narrative.otherThemes', { themes: list(others.slice(0, MAX_OTHER_THEMES).map((x) => quoted(x.label))) }));
  }

  // Phrases: those of the top dimension, else those of the whole scope; then the rising ones.
  const terms = (top && qualitative?.terms?.[top.code]?.length ? qualitative.terms[top.code] : null) ?? null;
  const allTerms = qualitative?.terms?.all ?? [];
  if (terms) sentences.push(say('narrative.terms', { terms: list(terms.slice(0, MAX_TERMS).map((x) => quoted(x.term))) }));
  else if (allTerms.length) sentences.push(say('narrative.termsAll', { terms: list(allTerms.slice(0, MAX_TERMS).map((x) => quoted(x.term))) }));
  const emerging = qualitative?.emerging ?? [];
  if (emerging.length) sentences.push(say('narrative.emerging', { terms: list(emerging.slice(0, MAX_EMERGING).map((x) => quoted(x.term))) }));

  return sentences.join(' ');
}
