import { z } from 'zod';
import { AppError, forbidden, invalid, notFound, unauthenticated } from '../errors.js';
import { type Locale, pickLabel } from '../i18n/index.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { recordAudit } from './audit.js';
import { forgetTaxonomyIndex } from './taxonomy-index.js';

const Labels = z.object({ en: z.string().min(1).max(300), fr: z.string().min(1).max(300), pt: z.string().min(1).max(300) }).catchall(z.string().max(300));
const Descriptions = z.object({ en: z.string().max(2000), fr: z.string().max(2000), pt: z.string().max(2000) }).catchall(z.string().max(2000));
const Coded = z.object({ code: z.string().min(1).max(40), labels: Labels });

/** The versioned JSON form of a taxonomy: what `seed/taxonomy/*.json`, export and import share. */
export const TaxonomySchema = z.object({
  version: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,60}$/, 'lower-case letters, digits, dots and hyphens'),
  name: Labels,
  source: z.string().max(2000).optional(),
  scale: z.array(z.object({ level: z.number().int().min(1).max(5), labels: Labels })).length(5),
  meanings: z.array(Coded),
  questions: z.array(Coded),
  actorKinds: z.array(Coded),
  levels: z.array(Coded),
  dimensions: z.array(z.object({
    code: z.string().regex(/^[A-Z]$/),
    labels: Labels,
    descriptions: Descriptions,
    components: z.array(z.object({
      code: z.string().regex(/^[A-Z]\d{2}$/),
      labels: Labels,
      descriptions: Descriptions,
      crosswalk: z.object({ oecd: z.array(z.string()).optional(), sdg: z.array(z.number().int().min(1).max(17)).optional() }).default({}),
    })).min(1),
  })).min(1),
}).superRefine((taxonomy, ctx) => {
  const seen = new Set<string>();
  taxonomy.dimensions.forEach((dimension, d) => dimension.components.forEach((component, c) => {
    if (!component.code.startsWith(dimension.code)) ctx.addIssue({ code: 'custom', path: ['dimensions', d, 'components', c, 'code'], message: `must start with ${dimension.code}` });
    if (seen.has(component.code)) ctx.addIssue({ code: 'custom', path: ['dimensions', d, 'components', c, 'code'], message: 'duplicate code' });
    seen.add(component.code);
  }));
});
export type TaxonomyDocument = z.infer<typeof TaxonomySchema>;

export async function importTaxonomy(deps: Deps, viewer: Viewer | null, document: unknown, options: { replace?: boolean; makeCurrent?: boolean } = {}) {
  const parsed = TaxonomySchema.safeParse(document);
  if (!parsed.success) {
    throw invalid('The taxonomy document is not valid.', parsed.error.issues.slice(0, 50).map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const taxonomy = parsed.data;
  const makeCurrent = options.makeCurrent ?? true;
  await deps.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('taxonomy_version').select('version').where('version', '=', taxonomy.version).executeTakeFirst();
    if (existing && !options.replace) throw new AppError(409, 'conflict', `Taxonomy version ${taxonomy.version} already exists; import it with replace to overwrite it.`);
    if (existing) await trx.deleteFrom('taxonomy_version').where('version', '=', taxonomy.version).execute();
    if (makeCurrent) await trx.updateTable('taxonomy_version').set({ is_current: 0 }).execute();
    const { dimensions, version, name, source, ...extra } = taxonomy;
    await trx.insertInto('taxonomy_version').values({ version, name: JSON.stringify(name), source: source ?? null, extra: JSON.stringify(extra), is_current: makeCurrent ? 1 : 0, created_at: nowIso(deps) }).execute();
    let position = 0;
    for (const [d, dimension] of dimensions.entries()) {
      await trx.insertInto('dimension').values({ version, code: dimension.code, labels: JSON.stringify(dimension.labels), descriptions: JSON.stringify(dimension.descriptions), position: d }).execute();
      await trx.insertInto('component').values(dimension.components.map((component) => ({
        version, code: component.code, dimension_code: dimension.code, labels: JSON.stringify(component.labels),
        descriptions: JSON.stringify(component.descriptions), crosswalk: JSON.stringify(component.crosswalk), position: position++,
      }))).execute();
    }
  });
  forgetTaxonomyIndex(deps);
  if (viewer) await recordAudit(deps, viewer.user.id, 'taxonomy.import', `taxonomy/${taxonomy.version}`, { replace: Boolean(options.replace) });
  return { version: taxonomy.version, dimensions: taxonomy.dimensions.length, components: taxonomy.dimensions.reduce((n, d) => n + d.components.length, 0) };
}

async function resolveVersion(deps: Deps, version?: string): Promise<string> {
  const row = version
    ? await deps.db.selectFrom('taxonomy_version').select('version').where('version', '=', version).executeTakeFirst()
    : await deps.db.selectFrom('taxonomy_version').select('version').where('is_current', '=', 1).executeTakeFirst();
  if (!row) throw notFound(version ? `Taxonomy version ${version}` : 'Current taxonomy');
  return row.version;
}

/** The full, all-languages document of a version (export). */
export async function exportTaxonomy(deps: Deps, version?: string): Promise<TaxonomyDocument> {
  const v = await resolveVersion(deps, version);
  const meta = await deps.db.selectFrom('taxonomy_version').selectAll().where('version', '=', v).executeTakeFirstOrThrow();
  const dimensions = await deps.db.selectFrom('dimension').selectAll().where('version', '=', v).orderBy('position').execute();
  const components = await deps.db.selectFrom('component').selectAll().where('version', '=', v).orderBy('position').execute();
  return {
    version: v,
    name: JSON.parse(meta.name),
    ...(meta.source ? { source: meta.source } : {}),
    ...JSON.parse(meta.extra),
    dimensions: dimensions.map((d) => ({
      code: d.code,
      labels: JSON.parse(d.labels),
      descriptions: JSON.parse(d.descriptions),
      components: components.filter((c) => c.dimension_code === d.code).map((c) => ({
        code: c.code, labels: JSON.parse(c.labels), descriptions: JSON.parse(c.descriptions), crosswalk: JSON.parse(c.crosswalk),
      })),
    })),
  };
}

export interface LocalisedComponent {
  code: string;
  label: string;
  description: string;
  crosswalk: { oecd?: string[]; sdg?: number[] };
}

export interface LocalisedTaxonomy {
  version: string;
  name: string;
  dimensions: { code: string; label: string; description: string; components: LocalisedComponent[] }[];
  scale: { level: number; label: string }[];
  actorKinds: { code: string; label: string }[];
  levels: { code: string; label: string }[];
}

/** The taxonomy in one language, as `GET /api/criteria` and the pages show it. */
export async function localisedTaxonomy(deps: Deps, locale: Locale, version?: string): Promise<LocalisedTaxonomy> {
  const doc = await exportTaxonomy(deps, version);
  const coded = (items: { code: string; labels: Record<string, string> }[]) => items.map((i) => ({ code: i.code, label: pickLabel(i.labels, locale) }));
  return {
    version: doc.version,
    name: pickLabel(doc.name, locale),
    dimensions: doc.dimensions.map((d) => ({
      code: d.code,
      label: pickLabel(d.labels, locale),
      description: pickLabel(d.descriptions, locale),
      components: d.components.map((c) => ({ code: c.code, label: pickLabel(c.labels, locale), description: pickLabel(c.descriptions, locale), crosswalk: c.crosswalk })),
    })),
    scale: doc.scale.map((s) => ({ level: s.level, label: pickLabel(s.labels, locale) })),
    actorKinds: coded(doc.actorKinds),
    levels: coded(doc.levels),
  };
}

export async function getCriterion(deps: Deps, code: string, locale: Locale) {
  const taxonomy = await exportTaxonomy(deps);
  const upper = code.toUpperCase();
  for (const dimension of taxonomy.dimensions) {
    const dimensionView = { code: dimension.code, label: pickLabel(dimension.labels, locale) };
    if (dimension.code === upper) {
      return { kind: 'dimension' as const, version: taxonomy.version, code: dimension.code, label: dimensionView.label, description: pickLabel(dimension.descriptions, locale), labels: dimension.labels, descriptions: dimension.descriptions, dimension: dimensionView, components: dimension.components.map((c) => ({ code: c.code, label: pickLabel(c.labels, locale) })) };
    }
    const component = dimension.components.find((c) => c.code === upper);
    if (component) {
      return { kind: 'component' as const, version: taxonomy.version, code: component.code, label: pickLabel(component.labels, locale), description: pickLabel(component.descriptions, locale), labels: component.labels, descriptions: component.descriptions, dimension: dimensionView, crosswalk: component.crosswalk, components: [] };
    }
  }
  throw notFound('Criterion');
}

export interface CriterionUpdate {
  labels?: Partial<Record<Locale, string>>;
  descriptions?: Partial<Record<Locale, string>>;
}

/** Admins edit the labels and descriptions of a dimension or component of the current version. */
export async function updateCriterion(deps: Deps, viewer: Viewer | null, code: string, update: CriterionUpdate) {
  if (!viewer) throw unauthenticated();
  if (viewer.user.role !== 'admin') throw forbidden('Only admins can edit the taxonomy.');
  const version = await resolveVersion(deps);
  const upper = code.toUpperCase();
  const table = /^[A-Z]$/.test(upper) ? 'dimension' : 'component';
  const row = await deps.db.selectFrom(table).select(['labels', 'descriptions']).where('version', '=', version).where('code', '=', upper).executeTakeFirst();
  if (!row) throw notFound('Criterion');
  const clean = (values: Partial<Record<Locale, string>> | undefined) =>
    Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, (v ?? '').trim()]).filter(([, v]) => v));
  const labels = { ...JSON.parse(row.labels), ...clean(update.labels) };
  const descriptions = { ...JSON.parse(row.descriptions), ...clean(update.descriptions) };
  await deps.db.updateTable(table).set({ labels: JSON.stringify(labels), descriptions: JSON.stringify(descriptions) }).where('version', '=', version).where('code', '=', upper).execute();
  forgetTaxonomyIndex(deps);
  await recordAudit(deps, viewer.user.id, 'taxonomy.edit', `criterion/${version}/${upper}`, { ...update });
  return { version, code: upper, labels, descriptions };
}

export async function listTaxonomyVersions(deps: Deps) {
  return deps.db.selectFrom('taxonomy_version').select(['version', 'is_current', 'created_at']).orderBy('created_at', 'desc').execute();
}
