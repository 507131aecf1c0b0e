import { type CellGroup, PRIVACY_THRESHOLD, countActors, monthOf, readGroups, weekStartOf } from '../../db/summary-store.js';
import { sql } from 'kysely';
import { invalid, notFound } from '../errors.js';
import { type Locale, pickLabel, translator } from '../i18n/index.js';
import { analyseScope } from './qualitative-sources.js';
import { PRIVACY_METHOD, perturbCount, perturbSum, unestablishedActors } from './perturbation.js';
import { yieldEventLoop } from './qualitative.js';
import { narrative } from './narrative.js';
import type { Theme } from './themes.js';
import { DerivedCache, responseVersion } from '../derived-cache.js';
import type { Deps } from '../services/deps.js';
import { descendantIds, findTerritory } from '../services/territories.js';
import { listIndicators } from '../services/indicators.js';
import { componentLabel, dimensionLabel, taxonomyIndex } from '../services/taxonomy-index.js';

// Quantitative summaries read from the summary tables only (never raw choices): totals, dimensions,
// components, months, actor kinds, levels, results by unit, blind spots, and a comparison. A figure
// that rests on fewer than PRIVACY_THRESHOLD distinct actors is withheld (null) and counted in
// `suppressed`, whoever asks. Choices that do not count in summaries are not in the tables at all.

export interface SummaryQuery {
  territory?: string;
  group?: number;
  from?: string;
  to?: string;
  actorKind?: string;
  compareFrom?: string;
  compareTo?: string;
  compareTerritory?: string;
  timeline?: TimelineGrain;
}

export interface Figure {
  count: number | null;
  share: number | null;
  suppressed: boolean;
  /** 'zero': nobody did it; 'withheld': too few actors to show (or the whole breakdown is); 'shown': a published (perturbed) count. */
  status: FigureStatus;
}
export type FigureStatus = 'shown' | 'zero' | 'withheld';

const addMonths = (month: string, delta: number) => {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};
const monthsBetween = (from: string, to: string) => {
  const out: string[] = [];
  for (let m = from; m <= to && out.length < 600; m = addMonths(m, 1)) out.push(m);
  return out;
};
const lastDay = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);

/** The period in whole months: the default is the last six months including the current one. */
export function resolvePeriod(deps: Deps, from?: string, to?: string) {
  const current = monthOf(deps.clock.now().toISOString());
  const toMonth = to ? monthOf(to) : current;
  const fromMonth = from ? monthOf(from) : addMonths(toMonth, -5);
  if (fromMonth > toMonth) throw invalid('The period ends before it starts.', [{ path: 'from', message: 'issue.periodOrder' }]);
  const months = monthsBetween(fromMonth, toMonth);
  return { from: `${fromMonth}-01`, to: lastDay(toMonth), fromMonth, toMonth, months };
}

async function scopeOf(deps: Deps, slug?: string) {
  if (!slug) return { id: 0, kind: 'network' as const, slug: null, name: null };
  const territory = await findTerritory(deps, slug);
  return { id: territory.id, kind: 'territory' as const, slug: territory.slug, name: territory.name };
}

/** Short periods are charted week by week, longer ones month by month (unless asked). */
export type TimelineGrain = 'month' | 'week';
const grainFor = (period: ReturnType<typeof resolvePeriod>, asked?: TimelineGrain): TimelineGrain => asked ?? (period.months.length <= 3 ? 'week' : 'month');

/** The weeks of a period, each named by its first day inside the period (Mondays, except perhaps the first). */
function weeksOf(period: ReturnType<typeof resolvePeriod>): { start: string; key: string }[] {
  const out: { start: string; key: string }[] = [];
  for (let monday = weekStartOf(period.from); monday <= period.to; ) {
    out.push({ start: monday < period.from ? period.from : monday, key: monday });
    const next = new Date(`${monday}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 7);
    monday = next.toISOString().slice(0, 10);
  }
  return out;
}

async function figuresFor(deps: Deps, scopeId: number, period: ReturnType<typeof resolvePeriod>, actorKind: string | undefined, locale: Locale, grain: TimelineGrain) {
  const index = await taxonomyIndex(deps);
  const untrusted = await unestablishedActors(deps);
  // One read at a time, handing the event loop back in between: each is short, all together are not.
  const read = async (table: Parameters<typeof readGroups>[1], by: Parameters<typeof readGroups>[5]) => {
    await yieldEventLoop();
    return new Map((await readGroups(deps.db, table, scopeId, period.fromMonth, period.toMonth, by, actorKind, untrusted)).map((g) => [g.group, g]));
  };
  const totalMap = await read('summary_choice', 'all');
  const byMonth = await read('summary_choice', 'month');
  const byKind = await read('summary_choice', 'actor_kind');
  const byLevel = await read('summary_choice', 'key');
  const byWeek = grain === 'week' ? await read('summary_week', 'key') : new Map<string, CellGroup>();
  const byComponentMap = await read('summary_component', 'key');
  const byDimensionMap = await read('summary_dimension', 'key');
  const byUnit = await read('summary_result', 'key');
  const resultTotalMap = await read('summary_result', 'all');
  await yieldEventLoop();
  const actors = await countActors(deps.db, scopeId, period.fromMonth, period.toMonth, actorKind, untrusted);
  let suppressed = 0;
  const total = totalMap.get('all') ?? { choices: 0, actors: 0, keySum: 0 };
  // A scope whose choices rest on too few actors shows no breakdown at all, zeros included: "0 here,
  // withheld there" would tell which components, levels or months its one or two actors chose.
  const totalShown = total.choices === 0 || total.actors >= PRIVACY_THRESHOLD;
  const publishedTotal = totalShown ? perturbCount(total.choices, total.keySum) : null;
  const share = (count: number) => (publishedTotal ? Math.round((count / publishedTotal) * 10_000) / 10_000 : null);
  const withheld = (): Figure => {
    suppressed++;
    return { count: null, share: null, suppressed: true, status: 'withheld' };
  };
  const figure = (entry: CellGroup | undefined): Figure => {
    if (!totalShown) return withheld();
    if (!entry || entry.choices === 0) return { count: 0, share: publishedTotal ? 0 : null, suppressed: false, status: 'zero' };
    if (entry.actors < PRIVACY_THRESHOLD) return withheld();
    const count = perturbCount(entry.choices, entry.keySum);
    return { count, share: share(count), suppressed: false, status: 'shown' };
  };
  const resultTotal = resultTotalMap.get('all');
  const establishedActors = actors.count - actors.untrusted;
  const totals = {
    choices: publishedTotal,
    actors: actors.count === 0 ? 0 : totalShown && establishedActors >= PRIVACY_THRESHOLD ? perturbCount(actors.count, actors.keySum) : null,
    results: !resultTotal ? 0 : totalShown && resultTotal.actors >= PRIVACY_THRESHOLD ? perturbCount(resultTotal.results, resultTotal.keySum) : null,
  };
  if (!totalShown) suppressed++;
  if (totals.actors === null) suppressed++;
  if (totals.results === null) suppressed++;
  const timeline = grain === 'week'
    ? weeksOf(period).map((week) => ({ period: week.start, ...figure(byWeek.get(week.key)) }))
    : period.months.map((month) => ({ period: month, ...figure(byMonth.get(month)) }));
  const series = {
    byDimension: index.document.dimensions.map((d) => ({ code: d.code, label: dimensionLabel(index, d.code, locale), ...figure(byDimensionMap.get(d.code)) })),
    byComponent: [...index.components.keys()].map((code) => ({ code, label: componentLabel(index, code, locale), dimension: index.components.get(code)!.dimension, ...figure(byComponentMap.get(code)) })),
    timelineGrain: grain,
    timeline,
    byActorKind: index.document.actorKinds.map((k) => ({ code: k.code, label: pickLabel(k.labels, locale), ...figure(byKind.get(k.code)) })),
    byLevel: index.document.levels.map((l) => ({ code: l.code, label: pickLabel(l.labels, locale), ...figure(byLevel.get(l.code)) })),
    // Units are listed only where the breakdown is shown: a unit's name alone can say what one person measured.
    results: !totalShown ? [] : [...byUnit.values()].filter((entry) => entry.group !== '').sort((a, b) => a.group.localeCompare(b.group)).map((entry) => {
      if (entry.actors < PRIVACY_THRESHOLD) {
        suppressed++;
        return { unit: entry.group, sum: null, count: null, suppressed: true, status: 'withheld' as FigureStatus };
      }
      return { unit: entry.group, sum: perturbSum(entry.quantity, entry.keySum), count: perturbCount(entry.results, entry.keySum), suppressed: false, status: 'shown' as FigureStatus };
    }),
    // What nobody acts on, when it can be said without telling what the few who act here chose.
    blindSpots: !totalShown ? [] : [...index.components.keys()].filter((code) => !byComponentMap.has(code)).map((code) => ({ code, label: componentLabel(index, code, locale), dimension: index.components.get(code)!.dimension })),
    breakdownWithheld: !totalShown,
  };
  return { totals, ...series, suppressed };
}

/** A statement belongs to the day of its session, or else the day it was recorded. */
const STATEMENT_DAY = sql<string>`coalesce(statement.session_on, substr(statement.created_at, 1, 10))`;

/** Statements of a scope and period, published like any count (perturbed by their record keys). */
export async function statementCount(deps: Deps, scopeId: number, period: ReturnType<typeof resolvePeriod>) {
  let query = deps.db.selectFrom('statement').innerJoin('spiral_group', 'spiral_group.id', 'statement.group_id')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('statement.record_key').as('k')])
    .where(STATEMENT_DAY, '>=', period.from).where(STATEMENT_DAY, '<=', period.to);
  if (scopeId !== 0) {
    const slug = await deps.db.selectFrom('territory').select('slug').where('id', '=', scopeId).executeTakeFirstOrThrow();
    query = query.where('spiral_group.territory_id', 'in', await descendantIds(deps, slug.slug));
  }
  const row = await query.executeTakeFirstOrThrow();
  return perturbCount(Number(row.n), Number(row.k ?? 0));
}

/** A group's summary rests on its statements: anonymous group work, counted by question, dimension, component and month. */
async function groupSummary(deps: Deps, groupId: number, query: SummaryQuery, locale: Locale) {
  const period = resolvePeriod(deps, query.from, query.to);
  const index = await taxonomyIndex(deps);
  const group = await deps.db.selectFrom('spiral_group').innerJoin('territory', 'territory.id', 'spiral_group.territory_id')
    .select(['spiral_group.id', 'spiral_group.name', 'spiral_group.kind', 'territory.slug']).where('spiral_group.id', '=', groupId).executeTakeFirst();
  if (!group) throw notFound('Group');
  const day = STATEMENT_DAY;
  const statements = await deps.db.selectFrom('statement').select(['statement.id', 'statement.question', 'statement.record_key', day.as('day')])
    .where('statement.group_id', '=', groupId).where(day, '>=', period.from).where(day, '<=', period.to).execute();
  // A group's figures follow the same rules as a territory's, its statements being what is counted (they
  // are the group's voice, not one person's): a cell of one or two statements is withheld, the others
  // perturbed, and a group with fewer than three statements in the period shows no breakdown at all.
  const shown = statements.length >= PRIVACY_THRESHOLD;
  const keyOf = new Map(statements.map((s) => [s.id, s.record_key]));
  const ids = statements.map((s) => s.id);
  const links = ids.length ? await deps.db.selectFrom('statement_component').select(['statement_id', 'component_code', 'dimension_code']).where('statement_id', 'in', ids).execute() : [];
  const total = perturbCount(statements.length, statements.reduce((sum, s) => sum + s.record_key, 0));
  const share = (n: number) => (total ? Math.round((n / total) * 10_000) / 10_000 : 0);
  // Counted with the key sum of the statements in each cell.
  const countBy = <T>(items: T[], key: (item: T) => string, recordKey: (item: T) => number) => items.reduce((m, item) => {
    const cell = m.get(key(item)) ?? { n: 0, keySum: 0 };
    return m.set(key(item), { n: cell.n + 1, keySum: cell.keySum + recordKey(item) });
  }, new Map<string, { n: number; keySum: number }>());
  const linkKey = (l: { statement_id: number }) => keyOf.get(l.statement_id) ?? 0;
  const statementKey = (s: { record_key: number }) => s.record_key;
  const byComponent = countBy(links, (l) => l.component_code, linkKey);
  const byDimension = countBy([...new Map(links.map((l) => [`${l.statement_id}|${l.dimension_code}`, l])).values()], (l) => l.dimension_code, linkKey);
  const grain = grainFor(period, query.timeline);
  const byPeriod = grain === 'week' ? countBy(statements, (s) => weekStartOf(String(s.day)), statementKey) : countBy(statements, (s) => String(s.day).slice(0, 7), statementKey);
  const byQuestion = countBy(statements, (s) => s.question, statementKey);
  let suppressed = 0;
  const figure = (cell: { n: number; keySum: number } | undefined): Figure => {
    if (!shown && statements.length) {
      suppressed++;
      return { count: null, share: null, suppressed: true, status: 'withheld' };
    }
    if (!cell) return { count: 0, share: 0, suppressed: false, status: 'zero' };
    if (cell.n < PRIVACY_THRESHOLD) {
      suppressed++;
      return { count: null, share: null, suppressed: true, status: 'withheld' };
    }
    const count = perturbCount(cell.n, cell.keySum);
    return { count, share: share(count), suppressed: false, status: 'shown' };
  };
  return {
    scope: { kind: 'group' as const, id: group.id, name: group.name, groupKind: group.kind, territory: group.slug },
    period: { from: period.from, to: period.to, months: period.months.length },
    actorKind: null,
    threshold: PRIVACY_THRESHOLD,
    privacy: PRIVACY_METHOD,
    totals: { choices: null, actors: null, results: null, statements: shown || !statements.length ? total : null },
    byQuestion: index.document.questions.map((q) => ({ code: q.code, label: pickLabel(q.labels, locale), ...figure(byQuestion.get(q.code)) })),
    byDimension: index.document.dimensions.map((d) => ({ code: d.code, label: dimensionLabel(index, d.code, locale), ...figure(byDimension.get(d.code)) })),
    byComponent: [...index.components.keys()].map((code) => ({ code, label: componentLabel(index, code, locale), dimension: index.components.get(code)!.dimension, ...figure(byComponent.get(code)) })),
    timelineGrain: grain,
    timeline: grain === 'week'
      ? weeksOf(period).map((week) => ({ period: week.start, ...figure(byPeriod.get(week.key)) }))
      : period.months.map((month) => ({ period: month, ...figure(byPeriod.get(month)) })),
    byActorKind: [],
    byLevel: [],
    results: [],
    indicators: [],
    blindSpots: !shown && statements.length ? [] : [...index.components.keys()].filter((code) => !byComponent.has(code)).map((code) => ({ code, label: componentLabel(index, code, locale), dimension: index.components.get(code)!.dimension })),
    breakdownWithheld: !shown && statements.length > 0,
    comparison: null,
    suppressed,
  };
}

export async function quantitativeSummary(deps: Deps, query: SummaryQuery, locale: Locale) {
  if (query.group) return groupSummary(deps, query.group, query, locale);
  const scope = await scopeOf(deps, query.territory);
  const period = resolvePeriod(deps, query.from, query.to);
  const [figures, statements] = await Promise.all([figuresFor(deps, scope.id, period, query.actorKind, locale, grainFor(period, query.timeline)), statementCount(deps, scope.id, period)]);
  // Indicator levels as they stand (the latest rating), with their history; who rated is not part of a summary.
  const rating = (r: { level: number; label: string; ratedOn: string; phase: string; note: string | null }) => ({ level: r.level, label: r.label, ratedOn: r.ratedOn, phase: r.phase, note: r.note });
  const indicators = scope.slug ? (await listIndicators(deps, scope.slug, locale)).indicators.map((i) => ({
    component: { code: i.component.code, label: i.component.label, dimension: i.component.dimension },
    current: i.current ? { ...rating(i.current), descriptor: i.descriptors[i.current.level - 1] ?? null } : null,
    history: i.history.map(rating),
  })) : [];
  let comparison = null;
  if (query.compareFrom || query.compareTo || query.compareTerritory) {
    const otherScope = query.compareTerritory ? await scopeOf(deps, query.compareTerritory) : scope;
    const otherPeriod = query.compareFrom || query.compareTo ? resolvePeriod(deps, query.compareFrom, query.compareTo) : period;
    const other = await figuresFor(deps, otherScope.id, otherPeriod, query.actorKind, locale, 'month');
    const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
    comparison = {
      scope: otherScope,
      period: { from: otherPeriod.from, to: otherPeriod.to },
      totals: other.totals,
      deltas: { choices: delta(figures.totals.choices, other.totals.choices), actors: delta(figures.totals.actors, other.totals.actors) },
      byDimension: figures.byDimension.map((d, i) => ({ code: d.code, label: d.label, count: other.byDimension[i].count, delta: delta(d.count, other.byDimension[i].count) })),
      suppressed: other.suppressed,
    };
  }
  return {
    scope,
    period: { from: period.from, to: period.to, months: period.months.length },
    actorKind: query.actorKind ?? null,
    threshold: PRIVACY_THRESHOLD,
    privacy: PRIVACY_METHOD,
    totals: { ...figures.totals, statements },
    byDimension: figures.byDimension,
    byComponent: figures.byComponent,
    timelineGrain: figures.timelineGrain,
    timeline: figures.timeline,
    byActorKind: figures.byActorKind,
    byLevel: figures.byLevel,
    results: figures.results,
    indicators,
    blindSpots: figures.blindSpots,
    breakdownWithheld: figures.breakdownWithheld,
    comparison,
    suppressed: figures.suppressed,
  };
}

/** The period of the same length just before (emerging terms compare with it). */
function previousPeriod(period: { from: string; to: string; months: number }) {
  const fromMonth = period.from.slice(0, 7);
  return { from: `${addMonths(fromMonth, -period.months)}-01`, to: lastDay(addMonths(fromMonth, -1)) };
}

/** The whole summary: figures from the summary tables, then words, quotes and a narrative from public texts. */
// Summaries do not depend on who reads them: the same figures for everyone, kept until the next write.
const summaryCaches = new WeakMap<object, DerivedCache<Awaited<ReturnType<typeof computeSummary>>>>();

/** The summary (figures and words) for a query, shared by every reader until the journal changes. */
export async function getSummary(deps: Deps, query: SummaryQuery, locale: Locale) {
  let cache = summaryCaches.get(deps.db);
  if (!cache) summaryCaches.set(deps.db, (cache = new DerivedCache(deps.clock, { maxEntries: 200, ttlMs: 10 * 60_000 })));
  const key = JSON.stringify([deps.clock.now().toISOString().slice(0, 10), locale, Object.entries(query).filter(([, v]) => v !== undefined).sort()]);
  // A summary served with a provisional analysis (its successor still being computed) is not kept.
  return cache.getOrCompute(deps.db, key, () => computeSummary(deps, query, locale), responseVersion(deps.db), (summary) => !summary.qualitative.provisional);
}

/** How many themes a summary shows; GET /api/summaries/themes gives them all. */
export const TOP_THEMES = 5;

type TaxonomyIndex = Awaited<ReturnType<typeof taxonomyIndex>>;

/** A theme as the API and pages give it: its label and components in the reader's language. */
export function presentTheme(theme: Theme, index: TaxonomyIndex, locale: Locale, want: { members: boolean } = { members: true }) {
  const { labels, components, ...rest } = theme;
  return {
    id: rest.id, label: labels[locale], phrases: rest.phrases.map((p) => p.phrase), phraseLanguages: rest.phrases.map((p) => p.lang), size: rest.size, actors: rest.actors, languages: rest.languages,
    components: components.map((code) => ({ code, label: componentLabel(index, code, locale), dimension: index.components.get(code)?.dimension ?? code[0] })),
    growth: rest.growth, status: rest.status, previous: rest.previous, ...(want.members ? { members: rest.members } : {}), quotes: rest.quotes,
  };
}
export type ThemeView = ReturnType<typeof presentTheme>;

const analysisScopeOf = (summary: { scope: { kind: string; id?: number | null; slug?: string | null } }) =>
  summary.scope.kind === 'group' ? { kind: 'group' as const, id: summary.scope.id! } : summary.scope.kind === 'territory' ? { kind: 'territory' as const, slug: summary.scope.slug } : { kind: 'network' as const };

async function computeSummary(deps: Deps, query: SummaryQuery, locale: Locale) {
  const summary = await quantitativeSummary(deps, query, locale);
  const index = await taxonomyIndex(deps);
  // The top themes without their members (GET /api/summaries/themes lists them): a network's are thousands of ids.
  const analysis = await analyseScope(deps, analysisScopeOf(summary), summary.period, previousPeriod(summary.period), { members: false });
  const pairs = analysis.pairs.map((p) => ({ ...p, aLabel: componentLabel(index, p.a, locale), bLabel: componentLabel(index, p.b, locale) }));
  const themes = analysis.themes.themes.slice(0, TOP_THEMES).map((theme) => presentTheme(theme, index, locale, { members: false }));
  const qualitative = { ...analysis, pairs, themes, themesFound: analysis.themes.themes.length, textsAnalysed: analysis.themes.texts };
  return { ...summary, qualitative: { ...qualitative, narrative: narrative(summary, qualitative, translator(locale), locale) } };
}

/** Every theme of a scope and period (GET /api/summaries/themes): the same parameters as the summary. */
export async function getThemes(deps: Deps, query: SummaryQuery, locale: Locale) {
  const summary = await getSummary(deps, query, locale);
  const index = await taxonomyIndex(deps);
  const analysis = await analyseScope(deps, analysisScopeOf(summary), summary.period, previousPeriod(summary.period), { members: true });
  return {
    scope: summary.scope, period: summary.period, threshold: PRIVACY_THRESHOLD, provisional: analysis.provisional,
    texts: analysis.themes.texts, unassigned: analysis.themes.unassigned,
    themes: analysis.themes.themes.map((theme) => presentTheme(theme, index, locale)),
  };
}
