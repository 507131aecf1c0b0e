import { sql } from 'kysely';
import { journalVersion } from '../../db/database.js';
import { DerivedCache, noteDerivedChange } from '../derived-cache.js';
import { nowIso } from '../services/deps.js';
import { asLocale } from '../i18n/index.js';
import type { Deps } from '../services/deps.js';
import { descendantIds } from '../services/territories.js';
import { taxonomyIndex } from '../services/taxonomy-index.js';
import { BackgroundMissing, analyseInWorker, loadBackground, workerGeneration } from './analysis-pool.js';
import type { AnalysisResult } from './analysis-worker.js';
import { type ByDimension, type Quote, type SourceText } from './qualitative.js';
import { awaitingBackground, backgroundTurn } from '../foreground.js';
import type { Theme } from './themes.js';

// What the qualitative part of a summary reads: only public texts (public choices and group
// statements) ever become phrases, quotes or themes; component pairs are counted over every choice
// that counts in summaries (anonymously, at least three actors per pair). The texts are read a page
// at a time here and analysed in the analysis worker (analysis-pool.ts), off the event loop; results
// are kept per scope and period until the journal's texts change.

/** The newest public texts of a scope and period that are analysed (themes: issue 18's 20,000). */
export const MAX_TEXTS = 20_000;
const BACKGROUND_TEXTS = 5_000;
const PAIR_CHOICES = 10_000;
const CACHE_MS = 10 * 60_000;
// Pages small enough that one read never holds the event loop for long, even with a cold disk cache.
const PAGE = 200;

export interface QualitativeScope {
  kind: 'network' | 'territory' | 'group';
  slug?: string | null;
  id?: number;
}

const STATEMENT_DAY = sql<string>`coalesce(statement.session_on, substr(statement.created_at, 1, 10))`;

async function territoryIdsOf(deps: Deps, scope: QualitativeScope): Promise<number[] | null> {
  return scope.kind === 'territory' && scope.slug ? descendantIds(deps, scope.slug) : null;
}

/** Public texts of a scope and period, newest first (bounded). */
async function publicTexts(deps: Deps, scope: QualitativeScope, from: string, to: string, limit = MAX_TEXTS): Promise<SourceText[]> {
  const territories = await territoryIdsOf(deps, scope);
  const texts: SourceText[] = [];
  if (scope.kind !== 'group') {
    // Read a page at a time, newest first, pausing between pages: one big read would hold the event loop.
    const rows: { id: number; actor_id: number; title: string; description: string; lang: string; made_on: string }[] = [];
    while (rows.length < limit) {
      const last = rows[rows.length - 1];
      let page = deps.db.selectFrom('choice').select(['id', 'actor_id', 'title', 'description', 'lang', 'made_on'])
        .where('visibility', '=', 'public').where('made_on', '>=', from).where('made_on', '<=', to);
      if (territories) page = page.where('territory_id', 'in', territories);
      if (last) page = page.where(sql<boolean>`(made_on, id) < (${last.made_on}, ${last.id})`);
      const batch = await page.orderBy('made_on', 'desc').orderBy('id', 'desc').limit(Math.min(PAGE, limit - rows.length)).execute();
      rows.push(...batch);
      await backgroundTurn();
      if (batch.length < PAGE) break;
    }
    const components = new Map<number, { code: string; dimension: string }[]>();
    for (let i = 0; i < rows.length; i += PAGE) {
      const ids = rows.slice(i, i + PAGE).map((r) => r.id);
      await backgroundTurn();
      for (const c of await deps.db.selectFrom('choice_component').select(['choice_id', 'component_code', 'dimension_code']).where('choice_id', 'in', ids).execute()) {
        components.set(c.choice_id, [...(components.get(c.choice_id) ?? []), { code: c.component_code, dimension: c.dimension_code }]);
      }
    }
    for (const r of rows) {
      const codes = components.get(r.id) ?? [];
      texts.push({
        id: `choice:${r.id}`, url: `/choices/${r.id}`, title: r.title, text: `${r.title}\n${r.description}`, body: r.description, lang: asLocale(r.lang),
        components: codes.map((c) => c.code), dimensions: [...new Set(codes.map((c) => c.dimension))], month: r.made_on.slice(0, 7), actorId: r.actor_id,
      });
    }
  }
  const statementRows: { id: number; group_id: number; text: string; lang: string; day: string }[] = [];
  while (statementRows.length < limit) {
    const last = statementRows[statementRows.length - 1];
    let statements = deps.db.selectFrom('statement').innerJoin('spiral_group', 'spiral_group.id', 'statement.group_id')
      .select(['statement.id', 'statement.group_id', 'statement.text', 'statement.lang', STATEMENT_DAY.as('day')])
      .where(STATEMENT_DAY, '>=', from).where(STATEMENT_DAY, '<=', to);
    if (scope.kind === 'group') statements = statements.where('statement.group_id', '=', scope.id!);
    else if (territories) statements = statements.where('spiral_group.territory_id', 'in', territories);
    if (last) statements = statements.where('statement.id', '<', last.id);
    const batch = await statements.orderBy('statement.id', 'desc').limit(Math.min(PAGE, limit - statementRows.length)).execute();
    statementRows.push(...batch);
    await backgroundTurn();
    if (batch.length < PAGE) break;
  }
  const statementComponents = new Map<number, { code: string; dimension: string }[]>();
  for (let i = 0; i < statementRows.length; i += PAGE) {
    const ids = statementRows.slice(i, i + PAGE).map((r) => r.id);
    await backgroundTurn();
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
  const rows: { id: number; actor_id: number; made_on: string }[] = [];
  while (rows.length < PAIR_CHOICES) {
    const last = rows[rows.length - 1];
    const page = last ? query.where(sql<boolean>`(made_on, id) < (${last.made_on}, ${last.id})`) : query;
    const batch = await page.select('made_on').orderBy('made_on', 'desc').orderBy('id', 'desc').limit(PAGE * 2).execute();
    rows.push(...batch);
    await backgroundTurn();
    if (batch.length < PAGE * 2) break;
  }
  const components = new Map<number, string[]>();
  for (let i = 0; i < rows.length; i += PAGE) {
    for (const c of await deps.db.selectFrom('choice_component').select(['choice_id', 'component_code']).where('choice_id', 'in', rows.slice(i, i + PAGE).map((r) => r.id)).execute()) {
      components.set(c.choice_id, [...(components.get(c.choice_id) ?? []), c.component_code]);
    }
    await backgroundTurn();
  }
  return rows.map((r) => ({ actorId: r.actor_id, components: components.get(r.id) ?? [] }));
}

interface BackgroundEntry { at: number; key: string; generation: number; value: Promise<string>; ready?: string }
const backgrounds = new WeakMap<object, BackgroundEntry>();
let backgroundSerial = 0;

/**
 * Phrase frequencies over the network's newest public texts (what makes a scope's phrases
 * characteristic), loaded into the analysis worker; the answer is the key jobs name it by. Once
 * built, an old one keeps serving while its successor is computed, so no request waits for it.
 */
export function networkBackground(deps: Deps): Promise<string> {
  const cached = backgrounds.get(deps.db);
  const alive = cached && cached.generation === workerGeneration();
  if (cached && alive && Date.now() - cached.at < CACHE_MS) return cached.ready ? Promise.resolve(cached.ready) : cached.value;
  const key = `background-${++backgroundSerial}`;
  const entry: BackgroundEntry = { at: Date.now(), key, generation: -1, value: Promise.resolve(key), ready: alive ? cached?.ready : undefined };
  entry.value = publicTexts(deps, { kind: 'network' }, '0000-01-01', '9999-12-31', BACKGROUND_TEXTS)
    .then((texts) => loadBackground(key, texts.map((t) => ({ text: t.text, lang: t.lang }))))
    .then((generation) => {
      entry.generation = generation;
      entry.ready = key;
      return key;
    });
  entry.value.catch(() => backgrounds.get(deps.db) === entry && backgrounds.delete(deps.db));
  backgrounds.set(deps.db, entry);
  return entry.ready ? Promise.resolve(entry.ready) : entry.value;
}

const results = new WeakMap<object, DerivedCache<QualitativeAnalysis>>();

export interface QualitativeAnalysis extends AnalysisResult {
  /** When the texts were read (quotes of choices edited since are not served from it). */
  analysedAt: string;
}

/**
 * Terms, quotes, emerging terms and component pairs of a scope and period. Kept while the journal's
 * texts are unchanged (journalVersion: any write to choices, statements, groups or territories throws
 * it away, so a text made private is never analysed again), for at most ten minutes.
 */
export async function analyseScope(deps: Deps, scope: QualitativeScope, period: { from: string; to: string }, previous: { from: string; to: string }, want: { members: boolean }): Promise<QualitativeAnalysis & { provisional: boolean }> {
  const stillCurrent = (analysis: QualitativeAnalysis, staleSince: string | null) => checkedNow(deps, analysis, staleSince, want.members);
  const key = `${scope.kind}|${scope.slug ?? scope.id ?? ''}|${period.from}|${period.to}`;
  let cache = results.get(deps.db);
  if (!cache) results.set(deps.db, (cache = new DerivedCache(deps.clock, { maxEntries: 500, ttlMs: CACHE_MS })));
  const version = journalVersion(deps.db);
  const current = cache.get(key, version);
  if (current) return { ...(await stillCurrent(current, null)), provisional: false };
  const earlier = cache.peek(key);
  // Analysing a whole network's texts takes seconds of the server's time: under a steady flow of
  // writes it is done at most once every ANALYSIS_INTERVAL_MS per scope and period, and never twice
  // at once (each write would otherwise start one more reader of the same 20,000 texts).
  const running = cache.inFlight(key);
  const runningBefore = running && running.version !== version ? running.promise : null;
  if (earlier && (runningBefore || deps.clock.now().getTime() - Date.parse(earlier.analysedAt) < deps.config.analysisIntervalMs)) {
    return { ...(await stillCurrent(earlier, earlier.analysedAt)), provisional: true };
  }
  if (runningBefore) {
    const before = await awaitingBackground(runningBefore);
    return { ...(await stillCurrent(before, before.analysedAt)), provisional: true };
  }
  const fresh = cache.getOrCompute(deps.db, key, () => computeAnalysis(deps, scope, period, previous), version);
  // A large scope takes a while to analyse again after a write: meanwhile the previous analysis is
  // served, its quotes checked against the journal as it is now (a text made private or edited since
  // is never quoted), and marked provisional so that no cache keeps it; the new one replaces it.
  const budget = earlier ? deps.config.analysisWaitMs : Number.POSITIVE_INFINITY;
  fresh.catch(() => undefined);
  const analysis = await awaitingBackground(budget === Number.POSITIVE_INFINITY ? fresh : Promise.race([fresh, new Promise<null>((done) => setTimeout(() => done(null), budget))]));
  const served = analysis ?? earlier!;
  // Responses cached meanwhile hold the provisional answer: the new analysis makes them stale.
  if (analysis === null) fresh.then(noteDerivedChange, () => undefined);
  return { ...(await stillCurrent(served, analysis === null ? served.analysedAt : null)), provisional: analysis === null };
}

/**
 * The analysis with only texts that are public now and unchanged since: what another process
 * changed in between, or a previous analysis served while its successor is computed, never shows
 * old or private text. Quotes are always checked; theme members too when the analysis is stale and
 * the caller shows them (a summary does not: checking a network's 20,000 would cost it 400 ms).
 */
async function checkedNow(deps: Deps, analysis: QualitativeAnalysis, staleSince: string | null, withMembers: boolean): Promise<QualitativeAnalysis> {
  const quoted = [...Object.values(analysis.quotes).flat(), ...analysis.themes.themes.flatMap((theme) => theme.quotes)].map((q) => q.id);
  const ids = new Set([...quoted, ...(staleSince && withMembers ? analysis.themes.themes.flatMap((theme) => theme.members) : [])]);
  const current = new Set<string>();
  const choiceIds = [...ids].filter((id) => id.startsWith('choice:')).map((id) => Number(id.slice(7)));
  const statementIds = [...ids].filter((id) => id.startsWith('statement:')).map((id) => Number(id.slice(10)));
  for (let i = 0; i < choiceIds.length; i += 500) {
    // Looked up by id, then filtered here: a condition on visibility in SQL lets SQLite walk the
    // visibility index (half the network's choices) instead of the 500 ids.
    const rows = await deps.db.selectFrom('choice').select(['id', 'visibility', 'updated_at']).where('id', 'in', choiceIds.slice(i, i + 500)).execute();
    // Served while its successor is computed: a choice changed at or after the analysis is left out.
    for (const r of rows) if (r.visibility === 'public' && (!staleSince || r.updated_at < staleSince)) current.add(`choice:${r.id}`);
  }
  for (let i = 0; i < statementIds.length; i += 500) {
    for (const r of await deps.db.selectFrom('statement').select('id').where('id', 'in', statementIds.slice(i, i + 500)).execute()) current.add(`statement:${r.id}`);
  }
  const quotes: ByDimension<Quote> = Object.fromEntries(Object.entries(analysis.quotes).map(([dimension, list]) => [dimension, list.filter((q) => current.has(q.id))]));
  const themes: Theme[] = analysis.themes.themes.map((theme) => ({
    ...theme,
    quotes: theme.quotes.filter((q) => current.has(q.id)),
    members: !withMembers ? [] : staleSince ? theme.members.filter((id) => current.has(id)) : theme.members,
  }));
  return { ...analysis, quotes, themes: { ...analysis.themes, themes } };
}

async function computeAnalysis(deps: Deps, scope: QualitativeScope, period: { from: string; to: string }, previous: { from: string; to: string }): Promise<QualitativeAnalysis> {
  const analysedAt = nowIso(deps);
  const [texts, before, choices, index] = await Promise.all([
    publicTexts(deps, scope, period.from, period.to), publicTexts(deps, scope, previous.from, previous.to), countedChoices(deps, scope, period.from, period.to), taxonomyIndex(deps),
  ]);
  for (let attempt = 0; ; attempt++) {
    const backgroundKey = await networkBackground(deps);
    try {
      return { analysedAt, ...(await analyseInWorker({ texts, previous: before, choices, backgroundKey, taxonomyVersion: index.version })) };
    } catch (error) {
      // A worker started since the background was built does not hold it: build it again, once.
      if (!(error instanceof BackgroundMissing) || attempt > 0) throw error;
      backgrounds.delete(deps.db);
    }
  }
}
