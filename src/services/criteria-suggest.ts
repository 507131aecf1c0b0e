import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Locale, isLocale } from '../i18n/index.js';
import { type ConfirmedExample, CriteriaClassifier, type Lexicon } from '../text/criteria-classifier.js';
import type { Deps } from './deps.js';
import { componentView, taxonomyIndex } from './taxonomy-index.js';

// Criteria suggestion: the classifier is built once per database and taxonomy version from the
// curated lexicon and from what people already classified, then learns each new confirmed text as
// it is saved. Suggestions are only ever suggestions: nothing here writes.

const LEXICON_DIR = fileURLToPath(new URL('../../seed/lexicon/', import.meta.url));
/** How many recent classified texts the model starts from (the newest say most about current usage). */
const EXAMPLES_AT_START = 20_000;
/** The newest public choices of one actor that count; together they weigh as much as one example. */
const CHOICES_PER_ACTOR = 20;

interface Model {
  generation: number;
  classifier: CriteriaClassifier;
  /** Per actor, the keys and texts of their choices in the model, newest last. */
  byActor: Map<number, { key: string }[]>;
}

/**
 * One actor, one voice: an actor's choices share the weight of a single example, so that nobody can
 * steer what everyone is suggested by logging the same words many times.
 */
function teachActorChoice(model: Model, actorId: number, key: string, example: ConfirmedExample | null) {
  const current = (model.byActor.get(actorId) ?? []).filter((entry) => entry.key !== key);
  model.classifier.forget(key);
  if (example) current.push({ key });
  while (current.length > CHOICES_PER_ACTOR) model.classifier.forget(current.shift()!.key);
  const weight = 1 / Math.max(1, current.length);
  for (const entry of current) model.classifier.reweight(entry.key, weight);
  if (example) model.classifier.learn(example, key, weight);
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

async function confirmedExamples(deps: Deps): Promise<(ConfirmedExample & { key: string; actorId?: number })[]> {
  const lang = (value: string): Locale => (isLocale(value) ? value : 'en');
  const statements = await deps.db
    .selectFrom('statement')
    .select(['id', 'text', 'lang'])
    .where((eb) => eb.exists(eb.selectFrom('statement_component').select('statement_id').whereRef('statement_component.statement_id', '=', 'statement.id')))
    .orderBy('id', 'desc')
    .limit(EXAMPLES_AT_START)
    .execute();
  // Only public choices teach the model, which answers anyone: private and territory-only texts
  // must not shape what strangers are told.
  const choices = await deps.db
    .selectFrom('choice')
    .select(['id', 'actor_id', 'title', 'description', 'lang'])
    .where('visibility', '=', 'public')
    .orderBy('id', 'desc')
    .limit(EXAMPLES_AT_START)
    .execute();
  const statementCodes = new Map<number, string[]>();
  const choiceCodes = new Map<number, string[]>();
  const statementIds = statements.map((s) => s.id);
  const choiceIds = choices.map((c) => c.id);
  for (let i = 0; i < statementIds.length; i += 500) {
    const rows = await deps.db.selectFrom('statement_component').select(['statement_id', 'component_code'])
      .where('statement_id', 'in', statementIds.slice(i, i + 500)).orderBy('statement_id').orderBy('position').execute();
    for (const row of rows) statementCodes.set(row.statement_id, [...(statementCodes.get(row.statement_id) ?? []), row.component_code]);
  }
  for (let i = 0; i < choiceIds.length; i += 500) {
    const rows = await deps.db.selectFrom('choice_component').select(['choice_id', 'component_code'])
      .where('choice_id', 'in', choiceIds.slice(i, i + 500)).orderBy('choice_id').orderBy('position').execute();
    for (const row of rows) choiceCodes.set(row.choice_id, [...(choiceCodes.get(row.choice_id) ?? []), row.component_code]);
  }
  return [
    ...statements.map((s) => ({ key: `statement:${s.id}`, text: s.text, lang: lang(s.lang), components: statementCodes.get(s.id) ?? [] })),
    // Oldest first, so that each actor's newest choices are the ones kept.
    ...choices.reverse().map((c) => ({ key: `choice:${c.id}`, actorId: c.actor_id, text: `${c.title}\n${c.description}`, lang: lang(c.lang), components: choiceCodes.get(c.id) ?? [] })),
  ];
}

async function model(deps: Deps): Promise<Model> {
  const index = await taxonomyIndex(deps);
  const cached = models.get(deps.db);
  if (cached && cached.generation === index.generation) return cached;
  const classifier = new CriteriaClassifier(index.document, readLexicon(index.version));
  for (const example of readCuratedExamples(index.version)) classifier.learn(example);
  const built: Model = { generation: index.generation, classifier, byActor: new Map() };
  for (const { key, actorId, ...example } of await confirmedExamples(deps)) {
    if (actorId === undefined) classifier.learn(example, key);
    else teachActorChoice(built, actorId, key, example);
  }
  models.set(deps.db, built);
  return built;
}

/**
 * Keeps the loaded model in step with what people confirmed: a public choice or a statement teaches
 * it (`example`), a change replaces what it taught, and a text made private or deleted is forgotten
 * (`example` null). Without a loaded model nothing is needed: it reads the database when built.
 */
export function syncConfirmed(deps: Deps, key: string, example: ConfirmedExample | null, actorId?: number): void {
  const model = models.get(deps.db);
  if (!model) return;
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
  const { classifier } = await model(deps);
  const { lang, ranked } = classifier.rank(input.text, input.lang ?? labelLocale, input.limit ?? 5);
  return {
    version: index.version,
    lang,
    suggestions: ranked.map((r) => ({ ...componentView(index, r.code, labelLocale), score: r.score })),
  };
}
