import { forbidden, invalid, unauthenticated } from '../errors.js';
import { type Locale, pickLabel } from '../i18n/index.js';
import { recordAudit } from './audit.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { componentView, taxonomyIndex } from './taxonomy-index.js';
import { coordinatedIds, findTerritory } from './territories.js';

// Progress indicators: for one territory and one component, five level descriptors written by the
// territory (what "very unsatisfactory" … "ideal" look like here) and dated ratings on that scale,
// ex-ante (where we start) or ex-post (where we got to).

export const PHASES = ['ex-ante', 'ex-post'] as const;
export type Phase = (typeof PHASES)[number];

export interface IndicatorInput {
  level?: number;
  ratedOn?: string;
  phase?: Phase;
  note?: string;
  /** Five texts, level 1 (very unsatisfactory) to 5 (ideal); empty strings keep a level undescribed. */
  descriptors?: string[];
}

async function canRate(deps: Deps, viewer: Viewer, territoryId: number): Promise<boolean> {
  return viewer.user.role === 'admin' || (await coordinatedIds(deps, viewer.user.id)).has(territoryId);
}

/** Whether the viewer may write descriptors and ratings for this territory's indicators. */
export async function canRateIndicators(deps: Deps, viewer: Viewer | null, territorySlug: string): Promise<boolean> {
  if (!viewer) return false;
  const territory = await findTerritory(deps, territorySlug);
  return canRate(deps, viewer, territory.id);
}

export async function putIndicator(deps: Deps, viewer: Viewer | null, territorySlug: string, code: string, input: IndicatorInput, locale: Locale) {
  if (!viewer) throw unauthenticated();
  const index = await taxonomyIndex(deps);
  const component = code.toUpperCase();
  if (!index.components.has(component)) throw invalid('Unknown component.', [{ path: 'code', message: 'not_found' }]);
  if (input.level === undefined && !input.descriptors) throw invalid('Give a level, the level descriptors, or both.', [{ path: 'level', message: 'issue.levelOrDescriptors' }]);
  if (input.level !== undefined && !input.ratedOn) throw invalid('Give the date of the rating.', [{ path: 'ratedOn', message: 'issue.ratedOnRequired' }]);
  const tomorrow = new Date(deps.clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
  if (input.ratedOn && input.ratedOn > tomorrow) throw invalid('A rating cannot be dated in the future.', [{ path: 'ratedOn', message: 'issue.dateFuture' }]);
  const territory = await findTerritory(deps, territorySlug);
  if (!(await canRate(deps, viewer, territory.id))) throw forbidden('Only coordinators of this territory rate its indicators.');
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    let indicator = await trx.selectFrom('indicator').select(['id', 'descriptors']).where('territory_id', '=', territory.id).where('component_code', '=', component).executeTakeFirst();
    const descriptors = input.descriptors ? JSON.stringify(input.descriptors.map((d) => d.trim())) : undefined;
    if (!indicator) {
      indicator = await trx.insertInto('indicator').values({
        territory_id: territory.id, component_code: component, taxonomy_version: index.version, descriptors: descriptors ?? JSON.stringify(['', '', '', '', '']),
        updated_by: viewer.user.id, created_at: now, updated_at: now,
      }).returning(['id', 'descriptors']).executeTakeFirstOrThrow();
    } else if (descriptors) {
      await trx.updateTable('indicator').set({ descriptors, updated_by: viewer.user.id, updated_at: now }).where('id', '=', indicator.id).execute();
    }
    if (input.level !== undefined) {
      await trx.insertInto('indicator_rating').values({
        indicator_id: indicator.id, level: input.level, rated_on: input.ratedOn!, phase: input.phase ?? 'ex-post', note: input.note?.trim() ?? '', author_id: viewer.user.id, created_at: now,
      }).execute();
      await trx.updateTable('indicator').set({ updated_at: now }).where('id', '=', indicator.id).execute();
    }
    await recordAudit({ ...deps, db: trx }, viewer.user.id, 'indicator.put', `territory/${territory.slug}/indicator/${component}`, { level: input.level ?? null, phase: input.phase ?? null });
  });
  const { indicators } = await listIndicators(deps, territorySlug, locale, component);
  return indicators[0];
}

/** Indicators of a territory: descriptors, the current level (latest rating) and the history, per component. */
export async function listIndicators(deps: Deps, territorySlug: string, locale: Locale, onlyComponent?: string) {
  const index = await taxonomyIndex(deps);
  const territory = await findTerritory(deps, territorySlug);
  let query = deps.db.selectFrom('indicator').select(['id', 'component_code', 'descriptors', 'updated_at']).where('territory_id', '=', territory.id);
  if (onlyComponent) query = query.where('component_code', '=', onlyComponent);
  const indicators = await query.orderBy('component_code').execute();
  const ratings = indicators.length
    ? await deps.db.selectFrom('indicator_rating').leftJoin('user', 'user.id', 'indicator_rating.author_id')
      .select(['indicator_rating.indicator_id', 'indicator_rating.level', 'indicator_rating.rated_on', 'indicator_rating.phase', 'indicator_rating.note', 'user.name as author'])
      .where('indicator_id', 'in', indicators.map((i) => i.id)).orderBy('rated_on').orderBy('indicator_rating.id').execute()
    : [];
  const scale = index.document.scale;
  const levelLabel = (level: number) => pickLabel(scale.find((s) => s.level === level)?.labels ?? {}, locale);
  return {
    territory: { slug: territory.slug, name: territory.name },
    scale: scale.map((s) => ({ level: s.level, label: pickLabel(s.labels, locale) })),
    indicators: indicators.map((indicator) => {
      const history = ratings.filter((r) => r.indicator_id === indicator.id)
        .map((r) => ({ level: r.level, label: levelLabel(r.level), ratedOn: r.rated_on, phase: r.phase, note: r.note, author: r.author ?? null }));
      return {
        component: componentView(index, indicator.component_code, locale),
        descriptors: JSON.parse(indicator.descriptors) as string[],
        current: history.length ? history[history.length - 1] : null,
        history,
        updatedAt: indicator.updated_at,
      };
    }),
  };
}
