import { existsSync, readFileSync } from 'node:fs';
import { type Locale, asLocale } from '../i18n/index.js';
import { type ConfirmedExample, CriteriaClassifier, type Lexicon } from '../text/criteria-classifier.js';
import type { Deps } from './deps.js';
import { type TaxonomyIndex, componentView, taxonomyIndex } from './taxonomy-index.js';
import { PROJECT_ROOT } from '../project-root.js';

// Criteria suggestion: the classifier is built once per database and taxonomy version from the
// curated lexicon and from what people already classified, then learns each new confirmed text as
// it is saved. Suggestions are only ever suggestions: nothing here writes.

const LEXICON_DIR = `${PROJECT_ROOT}seed/lexicon/`;
/** How many recent classified texts the model starts from (the newest say most about current usage). */
const EXAMPLES_AT_START = 20_000;
/** The newest public choices of one actor that count; together they weigh as much as one example. */
const CHOICES_PER_ACTOR = 20;

interface Model {
  generation: number;
  /** Null until the lexicon is in (a few hundred milliseconds after start). */
  classifier: CriteriaClassifier | null;
  /** Per actor, the keys of their choices in the model, newest last. */
  byActor: Map<number, { key: string }[]>;
  /** Keys changed by people while the model was loading. */
  touched: Set<string>;
  loading: boolean;
  ready: Promise<void>;
}

/**
 * One actor, one voice: an actor's choices share the weight of a single example, so that nobody can
 * steer what everyone is suggested by logging the same words many times.
 */
function teachActorChoice(model: Model, actorId: number, key: string, example: ConfirmedExample | null, older = false) {
  const classifier = model.classifier!;
  const current = (model.byActor.get(actorId) ?? []).filter((entry) => entry.key !== key);
  classifier.forget(key);
  if (example) {
    if (older) current.unshift({ key });
    else current.push({ key });
  }
  while (current.length > CHOICES_PER_ACTOR) classifier.forget(current.shift()!.key);
  const weight = 1 / Math.max(1, current.length);
  for (const entry of current) classifier.reweight(entry.key, weight);
  if (example && current.some((entry) => entry.key === key)) classifier.learn(example, key, weight);
  if (current.length) model.byActor.set(actorId, current);
  else model.byActor.delete(actorId);
}

const models = new WeakMap<object, Model>();

export function readLexicon(version: string): Lexicon | null {
  const path = `${LEXICON_DIR}${version}.json`;
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Lexicon) : null;
}

/** Curated classified texts shipped with the lexicon: what the model knows before anyone classifies anything here. */
export function readCuratedExamples(version: string): ConfirmedExample[] {
  const path = `${LEXICON_DIR}${version}.examples.json`;
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { examples: ConfirmedExample[] }).examples : [];
}

type KeyedExample = ConfirmedExample & { key: string; actorId?: number };
const BATCH = 250;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function componentsOf(deps: Deps, table: 'statement' | 'choice', ids: number[]): Promise<Map<number, string[]>> {
  const codes = new Map<number, string[]>();
  if (!ids.length) return codes;
  const rows = table === 'statement'
    ? (await deps.db.selectFrom('statement_component').select(['statement_id as id', 'component_code']).where('statement_id', 'in', ids).orderBy('statement_id').orderBy('position').execute())
    : (await deps.db.selectFrom('choice_component').select(['choice_id as id', 'component_code']).where('choice_id', 'in', ids).orderBy('choice_id').orderBy('position').execute());
  for (const row of rows) codes.set(row.id, [...(codes.get(row.id) ?? []), row.component_code]);
  return codes;
}

/**
 * What people classified here, newest first, a batch at a time: statements, then public choices
 * (private and territory-only texts must not shape what strangers are told).
 */
async function* confirmedExamples(deps: Deps): AsyncGenerator<KeyedExample[]> {
    let before = Number.MAX_SAFE_INTEGER;
  for (let loaded = 0; loaded < EXAMPLES_AT_START;) {
    const statements = await deps.db.selectFrom('statement').select(['id', 'text', 'lang']).where('id', '<', before).orderBy('id', 'desc').limit(BATCH).execute();
    if (!statements.length) break;
    before = statements[statements.length - 1].id;
    loaded += statements.length;
    const codes = await componentsOf(deps, 'statement', statements.map((s) => s.id));
    yield statements.map((s) => ({ key: `statement:${s.id}`, text: s.text, lang: asLocale(s.lang), components: codes.get(s.id) ?? [] }));
  }
  before = Number.MAX_SAFE_INTEGER;
  for (let loaded = 0; loaded < EXAMPLES_AT_START;) {
    const choices = await deps.db.selectFrom('choice').select(['id', 'actor_id', 'title', 'description', 'lang'])
      .where('visibility', '=', 'public').where('id', '<', before).orderBy('id', 'desc').limit(BATCH).execute();
    if (!choices.length) break;
    before = choices[choices.length - 1].id;
    loaded += choices.length;
    const codes = await componentsOf(deps, 'choice', choices.map((c) => c.id));
    yield choices.map((c) => ({ key: `choice:${c.id}`, actorId: c.actor_id, text: `${c.title}\n${c.description}`, lang: asLocale(c.lang), components: codes.get(c.id) ?? [] }));
  }
}

/** Fills a model from the database a batch at a time, letting other requests run in between. */
async function loadConfirmed(deps: Deps, built: Model): Promise<void> {
  const perActor = new Map<number, number>();
  for await (const batch of confirmedExamples(deps)) {
    for (const { key, actorId, ...example } of batch) {
      // Something people changed while the model was loading is already in step (syncConfirmed).
      if (built.touched.has(key)) continue;
      if (actorId === undefined) {
        built.classifier!.learn(example, key);
      } else {
        // Newest first here: an actor's first CHOICES_PER_ACTOR choices seen are the ones that count.
        const seen = perActor.get(actorId) ?? 0;
        if (seen >= CHOICES_PER_ACTOR) continue;
        perActor.set(actorId, seen + 1);
        teachActorChoice(built, actorId, key, example, true);
      }
    }
    await yieldToEventLoop();
  }
  built.touched.clear();
  built.loading = false;
}

/**
 * The model of this database: the lexicon and curated examples, then what people classified here,
 * built in the background a piece at a time (`ready`). Call warmSuggestions at start so nobody waits.
 */
function model(deps: Deps, index: TaxonomyIndex): Model {
  const cached = models.get(deps.db);
  if (cached && cached.generation === index.generation) return cached;
  const built: Model = { generation: index.generation, classifier: null, byActor: new Map(), touched: new Set(), loading: true, ready: Promise.resolve() };
  models.set(deps.db, built);
  built.ready = (async () => {
    built.classifier = await CriteriaClassifier.create(index.document, readLexicon(index.version), yieldToEventLoop);
    const curated = readCuratedExamples(index.version);
    for (let i = 0; i < curated.length; i++) {
      built.classifier.learn(curated[i]);
      if (i % 100 === 99) await yieldToEventLoop();
    }
    await loadConfirmed(deps, built);
  })().catch((error) => {
    models.delete(deps.db);
    throw error;
  });
  return built;
}

/** Builds the suggestion model in the background (server start). */
export async function warmSuggestions(deps: Deps): Promise<void> {
  await model(deps, await taxonomyIndex(deps)).ready;
}

/**
 * Keeps the loaded model in step with what people confirmed: a public choice or a statement teaches
 * it (`example`), a change replaces what it taught, and a text made private or deleted is forgotten
 * (`example` null). Without a loaded model nothing is needed: it reads the database when built.
 */
export function syncConfirmed(deps: Deps, key: string, example: ConfirmedExample | null, actorId?: number): void {
  const model = models.get(deps.db);
  // Before the lexicon is in, the loader will read this change from the database anyway.
  if (!model?.classifier) return;
  if (model.loading) model.touched.add(key);
  if (actorId !== undefined) teachActorChoice(model, actorId, key, example);
  else if (example) model.classifier.learn(example, key);
  else model.classifier.forget(key);
}

export interface SuggestInput {
  text: string;
  lang?: Locale;
  limit?: number;
}

export async function suggestCriteria(deps: Deps, input: SuggestInput, labelLocale: Locale) {
  const index = await taxonomyIndex(deps);
  const current = model(deps, index);
  await current.ready;
  const classifier = current.classifier!;
  const { lang, ranked } = classifier.rank(input.text, input.lang ?? labelLocale, input.limit ?? 5);
  return {
    version: index.version,
    lang,
    suggestions: ranked.map((r) => ({ ...componentView(index, r.code, labelLocale), score: r.score })),
  };
}
