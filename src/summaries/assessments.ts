import { forbidden, invalid, notFound, unauthenticated } from '../errors.js';
import { type Locale, pickLabel } from '../i18n/index.js';
import { componentLabel, dimensionLabel, taxonomyIndex } from '../services/taxonomy-index.js';
import { recordAudit } from '../services/audit.js';
import { type Deps, type Viewer, nowIso } from '../services/deps.js';
import { coordinatedIds, descendantIds, findTerritory } from '../services/territories.js';
import { workshopIdsOf, workshopsHeld } from '../services/workshops.js';
import { chartersAdopted } from '../services/charters.js';
import { getSummary, resolvePeriod } from './quantitative.js';

// Six-month assessments: a coordinator freezes the summary of a territory for a period; later data
// never changes it. It is compared with the previous period of the same length.

export const ASSESSMENT_EVERY_MONTHS = 6;

const monthsBefore = (month: string, n: number) => {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};

export async function canAssess(deps: Deps, viewer: Viewer | null, territoryId: number): Promise<boolean> {
  if (!viewer) return false;
  return viewer.user.role === 'admin' || (await coordinatedIds(deps, viewer.user.id)).has(territoryId);
}

export async function createAssessment(deps: Deps, viewer: Viewer | null, input: { territory: string; from: string; to: string }) {
  if (!viewer) throw unauthenticated();
  const territory = await findTerritory(deps, input.territory).catch(() => {
    throw invalid('Unknown territory.', [{ path: 'territory', message: 'not_found' }]);
  });
  if (!(await canAssess(deps, viewer, territory.id))) throw forbidden('Only coordinators of this territory make its assessments.');
  const period = resolvePeriod(deps, input.from, input.to);
  if (period.fromMonth > deps.clock.now().toISOString().slice(0, 7)) {
    throw invalid('An assessment looks back: the period has not started yet.', [{ path: 'from', message: 'issue.dateFuture' }]);
  }
  const length = period.months.length;
  const previousTo = monthsBefore(period.fromMonth, 1);
  const previousFrom = monthsBefore(period.fromMonth, length);
  // Frozen in English; labels are given again in the reader's language when the report is shown.
  const [snapshot, previous, held] = await Promise.all([
    getSummary(deps, { territory: territory.slug, from: period.from, to: period.to }, 'en'),
    getSummary(deps, { territory: territory.slug, from: `${previousFrom}-01`, to: `${previousTo}-01` }, 'en'),
    descendantIds(deps, territory.slug).then((ids) => workshopsHeld(deps, ids, period.from, period.to)),
  ]);
  const adopted = await chartersAdopted(deps, period.from, period.to, await descendantIds(deps, territory.slug).then((ids) => workshopIdsOf(deps, ids)));
  const row = await deps.db.insertInto('assessment').values({
    territory_id: territory.id, period_from: period.from, period_to: period.to, snapshot: JSON.stringify(snapshot), previous: JSON.stringify(previous),
    activities: JSON.stringify({ chartersAdopted: adopted, workshopsHeld: held }), created_by: viewer.user.id, created_at: nowIso(deps),
  }).returning('id').executeTakeFirstOrThrow();
  await recordAudit(deps, viewer.user.id, 'assessment.create', `assessment/${row.id}`, { territory: territory.slug, from: period.from, to: period.to });
  return row.id;
}

/** Labels of a frozen summary in the reader's language (the figures never change). */
async function relabel(deps: Deps, summary: any, locale: Locale) {
  const index = await taxonomyIndex(deps);
  const coded = (items: { code: string; labels: Record<string, string> }[]) => new Map(items.map((i) => [i.code, pickLabel(i.labels, locale)]));
  const kinds = coded(index.document.actorKinds);
  const levels = coded(index.document.levels);
  const relabelled = {
    ...summary,
    byDimension: summary.byDimension.map((d: any) => ({ ...d, label: dimensionLabel(index, d.code, locale) })),
    byComponent: summary.byComponent.map((x: any) => ({ ...x, label: componentLabel(index, x.code, locale) })),
    blindSpots: summary.blindSpots.map((x: any) => ({ ...x, label: componentLabel(index, x.code, locale) })),
    byActorKind: summary.byActorKind.map((k: any) => ({ ...k, label: kinds.get(k.code) ?? k.code })),
    byLevel: summary.byLevel.map((l: any) => ({ ...l, label: levels.get(l.code) ?? l.code })),
  };
  if (summary.comparison) relabelled.comparison = { ...summary.comparison, byDimension: summary.comparison.byDimension.map((d: any) => ({ ...d, label: dimensionLabel(index, d.code, locale) })) };
  return relabelled;
}

export async function getAssessment(deps: Deps, id: number, locale: Locale) {
  const row = await deps.db.selectFrom('assessment').innerJoin('territory', 'territory.id', 'assessment.territory_id')
    .leftJoin('user', 'user.id', 'assessment.created_by')
    .select(['assessment.id', 'assessment.period_from', 'assessment.period_to', 'assessment.snapshot', 'assessment.previous', 'assessment.activities', 'assessment.created_at',
      'territory.slug', 'territory.name', 'user.name as author'])
    .where('assessment.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Assessment');
  return {
    id: row.id, url: `/assessments/${row.id}`, territory: { slug: row.slug, name: row.name }, period: { from: row.period_from, to: row.period_to },
    createdAt: row.created_at, author: row.author ?? null,
    summary: await relabel(deps, JSON.parse(row.snapshot), locale), previous: await relabel(deps, JSON.parse(row.previous), locale), activities: JSON.parse(row.activities),
  };
}

export async function listAssessments(deps: Deps, territorySlug: string) {
  const territory = await findTerritory(deps, territorySlug);
  const rows = await deps.db.selectFrom('assessment').select(['id', 'period_from', 'period_to', 'created_at']).where('territory_id', '=', territory.id)
    .orderBy('created_at', 'desc').execute();
  const last = rows[0];
  const dueSince = last ? monthsBefore(deps.clock.now().toISOString().slice(0, 7), ASSESSMENT_EVERY_MONTHS) >= last.created_at.slice(0, 7) : false;
  return {
    assessments: rows.map((r) => ({ id: r.id, url: `/assessments/${r.id}`, period: { from: r.period_from, to: r.period_to }, createdAt: r.created_at })),
    // Six months after the last assessment, the territory page reminds coordinators to make the next one.
    due: dueSince,
  };
}
