import { sql } from 'kysely';
import { type Locale, isLocale } from '../i18n/index.js';
import type { Deps } from '../services/deps.js';
import { descendantIds } from '../services/territories.js';
import {
  type Background, type SourceText, characteristicTerms, componentPairs, documentFrequencies, emergingTerms, representativeQuotes, yieldEventLoop,
} from './qualitative.js';

// What the qualitative part of a summary reads: only public texts (public choices and group
// statements) ever become terms or quotes; component pairs are counted over every choice that
// counts in summaries (anonymously, at least three actors per pair). Results are cached for a few
// minutes per scope and period, and computed a batch at a time so the server stays responsive.

const MAX_TEXTS = 3_000;
const BACKGROUND_TEXTS = 5_000;
const PAIR_CHOICES = 20_000;
const CACHE_MS = 10 * 60_000;

export interface QualitativeScope {
  kind: 'network' | 'territory' | 'group';
  slug?: string | null;
  id?: number;
}

const STATEMENT_DAY = sql<string>`coalesce(statement.session_on, substr(statement.created_at, 1, 10))`;
const asLocale = (value: string): Locale => (isLocale(value) ? value : 'en');

async function territoryIdsOf(deps: Deps, scope: QualitativeScope): Promise<number[] | null> {
  return scope.kind === 'territory' && scope.slug ? descendantIds(deps, scope.slug) : null;
}

/** Public texts of a scope and period, newest first (bounded). */
async function publicTexts(deps: Deps, scope: QualitativeScope, from: string, to: string, limit = MAX_TEXTS): Promise<SourceText[]> {
  const territories = await territoryIdsOf(deps, scope);
  const texts: SourceText[] = [];
  if (scope.kind !== 'group') {
    let choices = deps.db.selectFrom('choice').select(['id', 'actor_id', 'title', 'description', 'lang', 'made_on'])
      .where('visibility', '=', 'public').where('made_on', '>=', from).where('made_on', '<=', to);
    if (territories) choices = choices.where('territory_id', 'in', territories);
    const rows = await choices.orderBy('made_on', 'desc').orderBy('id', 'desc').limit(limit).execute();
    const components = new Map<number, { code: string; dimension: string }[]>();
    for (let i = 0; i < rows.length; i += 500) {
      const ids = rows.slice(i, i + 500).map((r) => r.id);
      for (const c of await deps.db.selectFrom('choice_component').select(['choice_id', 'component_code', 'dimension_code']).where('choice_id', 'in', ids).execute()) {
        components.set(c.choice_id, [...(components.get(c.choice_id) ?? []), { code: c.component_code, dimension: c.dimension_code }]);
      }
    }
    for (const r of rows) {
      const codes = components.get(r.id) ?? [];
      texts.push({
        id: `choice:${r.id}`, url: `/choices/${r.id}`, title: r.title, text: `${r.title}\n${r.description}`, lang: asLocale(r.lang),
        components: codes.map((c) => c.code), dimensions: [...new Set(codes.map((c) => c.dimension))], month: r.made_on.slice(0, 7), actorId: r.actor_id,
      });
    }
  }
  let statements = deps.db.selectFrom('statement').innerJoin('spiral_group', 'spiral_group.id', 'statement.group_id')
    .select(['statement.id', 'statement.group_id', 'statement.text', 'statement.lang', STATEMENT_DAY.as('day')])
    .where(STATEMENT_DAY, '>=', from).where(STATEMENT_DAY, '<=', to);
  if (scope.kind === 'group') statements = statements.where('statement.group_id', '=', scope.id!);
  else if (territories) statements = statements.where('spiral_group.territory_id', 'in', territories);
  const statementRows = await statements.orderBy('statement.id', 'desc').limit(limit).execute();
  const statementComponents = new Map<number, { code: string; dimension: string }[]>();
  for (let i = 0; i < statementRows.length; i += 500) {
    const ids = statementRows.slice(i, i + 500).map((r) => r.id);
    for (const c of await deps.db.selectFrom('statement_component').select(['statement_id', 'component_code', 'dimension_code']).where('statement_id', 'in', ids).execute()) {
      statementComponents.set(c.statement_id, [...(statementComponents.get(c.statement_id) ?? []), { code: c.component_code, dimension: c.dimension_code }]);
    }
  }
  for (const r of statementRows) {
    const codes = statementComponents.get(r.id) ?? [];
    texts.push({
      id: `statement:${r.id}`, url: `/groups/${r.group_id}#statement-${r.id}`, text: r.text, lang: asLocale(r.lang),
      components: codes.map((c) => c.code), dimensions: [...new Set(codes.map((c) => c.dimension))], month: String(r.day).slice(0, 7),
    });
  }
  return texts;
}

/** Choices counted in summaries (any visibility: only their components are used), for component pairs. */
async function countedChoices(deps: Deps, scope: QualitativeScope, from: string, to: string) {
  if (scope.kind === 'group') return [];
  const territories = await territoryIdsOf(deps, scope);
  let query = deps.db.selectFrom('choice').select(['id', 'actor_id']).where('count_in_summaries', '=', 1).where('made_on', '>=', from).where('made_on', '<=', to);
  if (territories) query = query.where('territory_id', 'in', territories);
  const rows = await query.orderBy('made_on', 'desc').limit(PAIR_CHOICES).execute();
  const components = new Map<number, string[]>();
  for (let i = 0; i < rows.length; i += 500) {
    for (const c of await deps.db.selectFrom('choice_component').select(['choice_id', 'component_code']).where('choice_id', 'in', rows.slice(i, i + 500).map((r) => r.id)).execute()) {
      components.set(c.choice_id, [...(components.get(c.choice_id) ?? []), c.component_code]);
    }
    await yieldEventLoop();
  }
  return rows.map((r) => ({ actorId: r.actor_id, components: components.get(r.id) ?? [] }));
}

const backgrounds = new WeakMap<object, { at: number; value: Promise<Background> }>();

/** Word frequencies over the network's newest public texts: what makes a scope's words characteristic. */
function networkBackground(deps: Deps): Promise<Background> {
  const cached = backgrounds.get(deps.db);
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.value;
  const value = publicTexts(deps, { kind: 'network' }, '0000-01-01', '9999-12-31', BACKGROUND_TEXTS).then((texts) => documentFrequencies(texts, { pause: yieldEventLoop }));
  backgrounds.set(deps.db, { at: Date.now(), value });
  return value;
}

const results = new WeakMap<object, Map<string, { at: number; value: Promise<QualitativeAnalysis> }>>();

export interface QualitativeAnalysis {
  terms: Awaited<ReturnType<typeof characteristicTerms>>;
  quotes: Awaited<ReturnType<typeof representativeQuotes>>;
  emerging: Awaited<ReturnType<typeof emergingTerms>>;
  pairs: Awaited<ReturnType<typeof componentPairs>>;
}

/** Terms, quotes, emerging terms and component pairs of a scope and period (cached a few minutes). */
export function analyseScope(deps: Deps, scope: QualitativeScope, period: { from: string; to: string }, previous: { from: string; to: string }): Promise<QualitativeAnalysis> {
  const key = `${scope.kind}|${scope.slug ?? scope.id ?? ''}|${period.from}|${period.to}`;
  let byKey = results.get(deps.db);
  if (!byKey) results.set(deps.db, (byKey = new Map()));
  const cached = byKey.get(key);
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.value;
  const value = (async () => {
    const [texts, before, background, choices] = await Promise.all([
      publicTexts(deps, scope, period.from, period.to), publicTexts(deps, scope, previous.from, previous.to), networkBackground(deps), countedChoices(deps, scope, period.from, period.to),
    ]);
    const options = { pause: yieldEventLoop };
    return {
      terms: await characteristicTerms(texts, background, options),
      quotes: await representativeQuotes(texts, options),
      emerging: await emergingTerms(texts, before, options),
      pairs: await componentPairs(choices, options),
    };
  })();
  value.catch(() => byKey!.delete(key));
  if (byKey.size > 500) byKey.clear();
  byKey.set(key, { at: Date.now(), value });
  return value;
}
