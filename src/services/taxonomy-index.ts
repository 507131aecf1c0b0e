import type { Locale } from '../i18n/index.js';
import { pickLabel } from '../i18n/index.js';
import type { Deps } from './deps.js';
import { exportTaxonomy, type TaxonomyDocument } from './criteria.js';

// The current taxonomy, parsed once per database and kept until it changes: every journal write
// validates its component codes against it, so it must not cost a query per request.

export interface TaxonomyIndex {
  version: string;
  generation: number;
  document: TaxonomyDocument;
  components: Map<string, { dimension: string; labels: Record<string, string> }>;
  dimensions: Map<string, { labels: Record<string, string> }>;
}

const cache = new WeakMap<object, TaxonomyIndex>();
let generation = 0;

export async function taxonomyIndex(deps: Deps): Promise<TaxonomyIndex> {
  const cached = cache.get(deps.db);
  if (cached) return cached;
  const document = await exportTaxonomy(deps);
  const index: TaxonomyIndex = { version: document.version, generation: ++generation, document, components: new Map(), dimensions: new Map() };
  for (const dimension of document.dimensions) {
    index.dimensions.set(dimension.code, { labels: dimension.labels });
    for (const component of dimension.components) index.components.set(component.code, { dimension: dimension.code, labels: component.labels });
  }
  cache.set(deps.db, index);
  return index;
}

/** Called after an import or an edit of the taxonomy. */
export function forgetTaxonomyIndex(deps: Deps): void {
  cache.delete(deps.db);
}

export function componentLabel(index: TaxonomyIndex, code: string, locale: Locale): string {
  const component = index.components.get(code);
  return component ? pickLabel(component.labels, locale) : code;
}

export function dimensionLabel(index: TaxonomyIndex, code: string, locale: Locale): string {
  const dimension = index.dimensions.get(code);
  return dimension ? pickLabel(dimension.labels, locale) : code;
}

/** A component as the API shows it: code, label, and its dimension. */
export function componentView(index: TaxonomyIndex, code: string, locale: Locale) {
  const dimension = index.components.get(code)?.dimension ?? code.slice(0, 1);
  return { code, label: componentLabel(index, code, locale), dimension: { code: dimension, label: dimensionLabel(index, dimension, locale) } };
}
