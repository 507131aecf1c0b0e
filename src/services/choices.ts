import { announce, componentTargets, territoryTargets } from './watchlist.js';
import { forgetNoticesAbout } from './notices.js';
import type { Choice, ChoiceStatus, Visibility } from '../../db/schema.js';
import { indexDocument, removeDocument } from '../../db/search-index.js';
import { type ChoiceContribution, applyContribution, scopesOf } from '../../db/summary-store.js';
import { AppError, type ErrorIssue, forbidden, invalid, notFound, unauthenticated } from '../errors.js';
import type { Locale } from '../i18n/index.js';
import { asLocale } from '../i18n/index.js';
import { markdownToText, renderMarkdown } from '../markdown/render.js';
import { detectLanguage } from '../text/language.js';
import { recordAudit } from './audit.js';
import { syncConfirmed } from './criteria-suggest.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { componentView, taxonomyIndex, type TaxonomyIndex } from './taxonomy-index.js';
import { descendantIds } from './territories.js';
import { type ViewerScope, canSeeChoice, viewerScope, visibleChoiceBranches } from './visibility.js';
import { mayPublish, requireVerifiedToPublish } from './publishing.js';

export const VISIBILITIES = ['private', 'territory', 'public'] as const satisfies readonly Visibility[];
export const CHOICE_STATUSES = ['planned', 'done', 'given-up'] as const satisfies readonly ChoiceStatus[];
export const CHOICE_LEVELS = ['individual', 'family', 'local-community', 'organisation', 'public-institution', 'government'] as const;
export type ChoiceLevel = (typeof CHOICE_LEVELS)[number];
/** Units offered as suggestions; any other unit is accepted as typed. */
export const COMMON_UNITS = ['kg CO2e', 't CO2e', '€', 'km', 'hours', 'people', 'kWh', 'litres', 'kg', 'meals', 'trees', 'm²', 'events'];
export const FOLLOW_UP_DELAYS = [7, 30, 90, 180, 365] as const;
export const DEFAULT_FOLLOW_UP_DAYS = 90;
export const MAX_COMPONENTS = 8;

export interface ResultInput {
  observedOn: string;
  text?: string;
  quantity?: number | null;
  unit?: string | null;
}

export interface ChoiceInput {
  title: string;
  description?: string;
  madeOn: string;
  level: ChoiceLevel;
  components: string[];
  territory: string;
  visibility?: Visibility;
  countInSummaries?: boolean;
  status?: ChoiceStatus | null;
  lang?: Locale;
  /** Slug of the actor the choice is logged for (default: the user's own actor). */
  actor?: string;
  /** Days after madeOn when the journal asks for a result; null: never. */
  followUpInDays?: number | null;
  results?: ResultInput[];
}

export type ChoicePatch = Partial<Omit<ChoiceInput, 'results' | 'actor'>>;

export interface ChoiceFilters {
  territory?: string;
  component?: string;
  dimension?: string;
  actor?: string;
  level?: string;
  status?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

interface Snapshot {
  title: string;
  description: string;
  madeOn: string;
  level: string;
  components: string[];
  territory: string;
  visibility: Visibility;
  countInSummaries: boolean;
  status: ChoiceStatus | null;
  lang: string;
  followUpOn: string | null;
}

const addDays = (isoDate: string, days: number) => new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const today = (deps: Deps) => deps.clock.now().toISOString().slice(0, 10);
/** A planned choice may be dated up to a year ahead; a result cannot be observed in the future (a day of slack for time zones). */
const PLANNED_DAYS_AHEAD = 366;

function checkMadeOn(deps: Deps, madeOn: string) {
  if (madeOn > addDays(today(deps), PLANNED_DAYS_AHEAD)) throw invalid('The date is too far in the future.', [{ path: 'madeOn', message: 'issue.dateTooFar' }]);
}

function checkObservedOn(deps: Deps, observedOn: string, path: string) {
  if (observedOn > addDays(today(deps), 1)) throw invalid('A result cannot be observed in the future.', [{ path, message: 'issue.dateFuture' }]);
}

/** Checks component codes against the current taxonomy: at least one, all known, no more than MAX_COMPONENTS. */
function checkComponents(index: TaxonomyIndex, codes: string[]): string[] {
  const unique = [...new Set(codes.map((c) => c.trim().toUpperCase()))];
  const issues: ErrorIssue[] = [];
  if (!unique.length) issues.push({ path: 'components', message: 'issue.componentsRequired' });
  if (unique.length > MAX_COMPONENTS) issues.push({ path: 'components', message: 'issue.componentsMany', params: { max: MAX_COMPONENTS } });
  unique.forEach((code, i) => {
    if (!index.components.has(code)) issues.push({ path: `components.${i}`, message: 'not_found' });
  });
  if (issues.length) throw invalid('Check the components.', issues);
  return unique;
}

async function territoryBySlug(deps: Deps, slug: string) {
  const territory = await deps.db.selectFrom('territory').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
  if (!territory) throw invalid('Unknown territory.', [{ path: 'territory', message: 'not_found' }]);
  return territory;
}

/** The actor a user logs for: one they represent (their own by default). */
async function actingActor(deps: Deps, viewer: Viewer, slug?: string) {
  let query = deps.db.selectFrom('actor').innerJoin('user_actor', 'user_actor.actor_id', 'actor.id')
    .select(['actor.id', 'actor.slug', 'actor.name', 'actor.kind']).where('user_actor.user_id', '=', viewer.user.id);
  query = slug ? query.where('actor.slug', '=', slug) : query.orderBy('user_actor.is_primary', 'desc');
  const actor = await query.executeTakeFirst();
  if (!actor) {
    if (slug) throw forbidden('You do not act for this actor.');
    throw new AppError(409, 'conflict', 'Your account has no actor to log choices for.');
  }
  return actor;
}

function checkResult(result: ResultInput, path: string): ResultInput {
  const text = result.text?.trim() ?? '';
  const unit = result.unit?.trim() || null;
  const hasQuantity = result.quantity !== undefined && result.quantity !== null;
  if (!text && !hasQuantity) throw invalid('Describe the result or give a quantity.', [{ path, message: 'issue.resultEmpty' }]);
  if (hasQuantity && !unit) throw invalid('Give the unit of the quantity.', [{ path: `${path}.unit`, message: 'issue.unitRequired' }]);
  return { observedOn: result.observedOn, text, quantity: hasQuantity ? result.quantity : null, unit: hasQuantity ? unit : unit };
}

/** What a choice adds to the summary tables, as the journal now holds it (null when it does not count). */
async function contributionOf(deps: Deps, id: number): Promise<ChoiceContribution | null> {
  const choice = await deps.db.selectFrom('choice').innerJoin('actor', 'actor.id', 'choice.actor_id')
    .select(['choice.actor_id', 'actor.kind', 'choice.territory_id', 'choice.made_on', 'choice.level', 'choice.count_in_summaries', 'choice.record_key'])
    .where('choice.id', '=', id).executeTakeFirst();
  if (!choice || !choice.count_in_summaries) return null;
  const [components, results] = await Promise.all([
    deps.db.selectFrom('choice_component').select(['component_code', 'dimension_code']).where('choice_id', '=', id).orderBy('position').execute(),
    deps.db.selectFrom('choice_result').select(['observed_on', 'quantity', 'unit', 'record_key']).where('choice_id', '=', id).execute(),
  ]);
  return {
    actorId: choice.actor_id, actorKind: choice.kind, territoryId: choice.territory_id, madeOn: choice.made_on, level: choice.level, recordKey: choice.record_key,
    components: components.map((c) => ({ code: c.component_code, dimension: c.dimension_code })),
    results: results.map((r) => ({ observedOn: r.observed_on, quantity: r.quantity, unit: r.unit, recordKey: r.record_key })),
  };
}

/** Keeps the summary tables in step with a change made inside `change` (same transaction). */
async function withSummaries<T>(deps: Deps, id: number, change: () => Promise<T>): Promise<T> {
  const before = await contributionOf(deps, id);
  const result = await change();
  if (before) await applyContribution(deps.db, before, -1);
  const after = await contributionOf(deps, id);
  if (after) await applyContribution(deps.db, after, 1);
  return result;
}

async function isRepresentative(deps: Deps, viewer: Viewer | null, actorId: number): Promise<boolean> {
  if (!viewer) return false;
  const link = await deps.db.selectFrom('user_actor').select('actor_id').where('user_id', '=', viewer.user.id).where('actor_id', '=', actorId).executeTakeFirst();
  return Boolean(link);
}

export async function loadOwnChoice(deps: Deps, viewer: Viewer | null, id: number): Promise<Choice> {
  if (!viewer) throw unauthenticated();
  const choice = await deps.db.selectFrom('choice').selectAll().where('id', '=', id).executeTakeFirst();
  if (!choice) throw notFound('Choice');
  if (!(await isRepresentative(deps, viewer, choice.actor_id))) {
    const scope = await viewerScope(deps, viewer);
    // Someone who cannot see the choice learns nothing about it, not even that it exists.
    if (!canSeeChoice(scope, choice)) throw notFound('Choice');
    throw forbidden('Only the actor who logged this choice can change it.');
  }
  return choice;
}

async function snapshotOf(deps: Deps, choice: Choice): Promise<Snapshot> {
  const [components, territory] = await Promise.all([
    deps.db.selectFrom('choice_component').select('component_code').where('choice_id', '=', choice.id).orderBy('position').execute(),
    deps.db.selectFrom('territory').select('slug').where('id', '=', choice.territory_id).executeTakeFirstOrThrow(),
  ]);
  return {
    title: choice.title, description: choice.description, madeOn: choice.made_on, level: choice.level,
    components: components.map((c) => c.component_code), territory: territory.slug, visibility: choice.visibility,
    countInSummaries: Boolean(choice.count_in_summaries), status: choice.status, lang: choice.lang, followUpOn: choice.follow_up_on,
  };
}

async function appendRevision(deps: Deps, choiceId: number, number: number, authorId: number, action: string, changed: string[], snapshot: Snapshot) {
  await deps.db.insertInto('choice_revision').values({
    choice_id: choiceId, number, author_id: authorId, action, changed: JSON.stringify(changed), snapshot: JSON.stringify(snapshot), created_at: nowIso(deps),
  }).execute();
}

async function refreshSearchEntry(deps: Deps, choice: Pick<Choice, 'id' | 'title' | 'description' | 'visibility'>) {
  // Only public choices are searchable: the index has no notion of who is reading.
  if (choice.visibility === 'public') {
    await indexDocument(deps.db, { kind: 'choice', ref: String(choice.id), title: choice.title, body: markdownToText(choice.description) });
  } else {
    await removeDocument(deps.db, 'choice', String(choice.id));
  }
}

async function insertResults(deps: Deps, choiceId: number, authorId: number, results: ResultInput[]): Promise<ResultView[]> {
  if (!results.length) return [];
  const now = nowIso(deps);
  const rows = await deps.db.insertInto('choice_result').values(results.map((r) => ({
    choice_id: choiceId, observed_on: r.observedOn, text: r.text ?? '', quantity: r.quantity ?? null, unit: r.unit ?? null, author_id: authorId, created_at: now,
  }))).returning(['id', 'observed_on', 'text', 'quantity', 'unit']).execute();
  return rows.map((r) => ({ id: r.id, observedOn: r.observed_on, text: r.text, quantity: r.quantity, unit: r.unit }))
    .sort((a, b) => (a.observedOn === b.observedOn ? a.id - b.id : a.observedOn < b.observedOn ? -1 : 1));
}

/** A choice's components, in the order given, each with its dimension (summaries and filters read it). */
async function insertComponents(db: Deps['db'], index: TaxonomyIndex, choiceId: number, components: string[]) {
  await db.insertInto('choice_component').values(components.map((code, position) => ({
    choice_id: choiceId, component_code: code, dimension_code: index.components.get(code)!.dimension, position,
  }))).execute();
}

/** The addresses notifications about a choice point to (see forgetNoticesAbout). */
const choiceUrls = (id: number) => [`/choices/${id}`];

/** A choice that becomes public is news for those watching its territory (or one above) or its components. */
async function announceChoice(deps: Deps, choice: Pick<Choice, 'id' | 'title'>, territory: { id: number; name: string }, components: string[], authorId: number) {
  await announce(deps, {
    targets: [...(await territoryTargets(deps, territory.id)), ...componentTargets(components)],
    kind: 'watch.choiceLogged', params: { title: choice.title, territory: territory.name }, url: `/choices/${choice.id}`, authorId,
  });
}

/**
 * Consent: what a choice becomes when its author does not say. The person's own defaults (set at
 * sign-up or in settings; private and counted for those who never chose), whoever they log for.
 */
async function consentDefaults(deps: Deps, viewer: Viewer, input: Pick<ChoiceInput, 'visibility' | 'countInSummaries'>) {
  if (input.visibility !== undefined && input.countInSummaries !== undefined) return { visibility: input.visibility, countInSummaries: input.countInSummaries };
  const user = await deps.db.selectFrom('user').select(['default_visibility', 'count_in_summaries_default', 'email_verified_at']).where('id', '=', viewer.user.id).executeTakeFirstOrThrow();
  // Until the address is confirmed nothing is published by default (an explicit "public" is refused instead).
  const visibility = user.default_visibility === 'public' && !mayPublish(deps, Boolean(user.email_verified_at)) ? 'private' : user.default_visibility;
  return { visibility: input.visibility ?? visibility, countInSummaries: input.countInSummaries ?? user.count_in_summaries_default === 1 };
}

export async function createChoice(deps: Deps, viewer: Viewer | null, input: ChoiceInput, locale: Locale) {
  if (!viewer) throw unauthenticated();
  const consent = await consentDefaults(deps, viewer, input);
  if (consent.visibility === 'public') await requireVerifiedToPublish(deps, viewer);
  const index = await taxonomyIndex(deps);
  const components = checkComponents(index, input.components);
  checkMadeOn(deps, input.madeOn);
  const results = (input.results ?? []).map((r, i) => checkResult(r, `results.${i}`));
  results.forEach((r, i) => checkObservedOn(deps, r.observedOn, `results.${i}.observedOn`));
  const rendered = renderMarkdown(input.description ?? '');
  const lang = input.lang ?? detectLanguage(`${input.title}\n${input.description ?? ''}`) ?? asLocale(viewer.user.locale);
  const followUpDays = input.followUpInDays === undefined ? DEFAULT_FOLLOW_UP_DAYS : input.followUpInDays;
  const { view, actorId } = await deps.db.transaction().execute(async (trx) => {
    const tx = { ...deps, db: trx };
    const territory = await territoryBySlug(tx, input.territory);
    const actor = await actingActor(tx, viewer, input.actor);
    const now = nowIso(deps);
    const row = await trx.insertInto('choice').values({
      actor_id: actor.id, territory_id: territory.id, author_id: viewer.user.id, taxonomy_version: index.version,
      title: input.title.trim(), description: input.description ?? '', description_html: rendered.html, lang, made_on: input.madeOn,
      level: input.level, visibility: consent.visibility, count_in_summaries: consent.countInSummaries ? 1 : 0, status: input.status ?? null,
      follow_up_on: followUpDays === null ? null : addDays(input.madeOn, followUpDays), result_count: results.length, revision: 1,
      created_at: now, updated_at: now,
    }).returningAll().executeTakeFirstOrThrow();
    await insertComponents(trx, index, row.id, components);
    const savedResults = await insertResults(tx, row.id, viewer.user.id, results);
    // The first snapshot is what was just written: no need to read it back.
    await appendRevision(tx, row.id, 1, viewer.user.id, 'created', [], {
      title: row.title, description: row.description, madeOn: row.made_on, level: row.level, components, territory: territory.slug, visibility: row.visibility,
      countInSummaries: Boolean(row.count_in_summaries), status: row.status, lang: row.lang, followUpOn: row.follow_up_on,
    });
    await refreshSearchEntry(tx, row);
    if (row.visibility === 'public') await announceChoice(tx, row, territory, components, viewer.user.id);
    // Read back what was written: the record keys come from the database (a trigger gives each row one).
    const contribution = row.count_in_summaries ? await contributionOf(tx, row.id) : null;
    if (contribution) await applyContribution(trx, contribution, 1, await scopesOf(trx, territory.id, deps.db));
    // The answer is built from what was written, as GET /api/choices/{id} would show it to its author.
    const shown = { ...row, actor_slug: actor.slug, actor_name: actor.name, actor_kind: actor.kind, territory_slug: territory.slug, territory_name: territory.name };
    const view = present(shown, components, savedResults, index, locale, { userId: viewer.user.id, actorIds: [actor.id], territoryIds: [] }, today(deps));
    return { view, actorId: actor.id };
  });
  if (consent.visibility === 'public') syncConfirmed(deps, `choice:${view.id}`, { text: `${input.title}\n${input.description ?? ''}`, lang, components }, actorId);
  return view;
}

/**
 * A moderator hides a public or territory choice: it becomes private (its author still sees it, with a
 * revision saying so), leaves search, and stops teaching the suggestions. Summaries are unchanged.
 */
export async function hideChoiceByModerator(deps: Deps, moderatorId: number, id: number): Promise<void> {
  const hidden = await deps.db.transaction().execute(async (trx) => {
    const tx = { ...deps, db: trx };
    const choice = await trx.selectFrom('choice').selectAll().where('id', '=', id).executeTakeFirst();
    if (!choice) throw notFound('Choice');
    if (choice.visibility === 'private') return null;
    const before = await snapshotOf(tx, choice);
    const row = await trx.updateTable('choice').set({ visibility: 'private', revision: choice.revision + 1, updated_at: nowIso(deps) }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await appendRevision(tx, id, row.revision, moderatorId, 'hidden', ['visibility'], { ...before, visibility: 'private' });
    await refreshSearchEntry(tx, row);
    await forgetNoticesAbout(trx, choiceUrls(id));
    return row;
  });
  if (hidden) syncConfirmed(deps, `choice:${id}`, null, hidden.actor_id);
}

const SNAPSHOT_FIELDS: (keyof Snapshot)[] = ['title', 'description', 'madeOn', 'level', 'components', 'territory', 'visibility', 'countInSummaries', 'status', 'lang', 'followUpOn'];

export async function updateChoice(deps: Deps, viewer: Viewer | null, id: number, patch: ChoicePatch, locale: Locale) {
  if (viewer && patch.visibility === 'public') await requireVerifiedToPublish(deps, viewer);
  const index = await taxonomyIndex(deps);
  const components = patch.components ? checkComponents(index, patch.components) : undefined;
  if (patch.madeOn) checkMadeOn(deps, patch.madeOn);
  const saved = await deps.db.transaction().execute(async (trx) => {
    const tx = { ...deps, db: trx };
    const choice = await loadOwnChoice(tx, viewer, id);
    const before = await snapshotOf(tx, choice);
    const territory = patch.territory ? await territoryBySlug(tx, patch.territory) : null;
    const madeOn = patch.madeOn ?? choice.made_on;
    let followUpOn = choice.follow_up_on;
    if (patch.followUpInDays !== undefined) followUpOn = patch.followUpInDays === null ? null : addDays(madeOn, patch.followUpInDays);
    else if (patch.madeOn && choice.follow_up_on) followUpOn = addDays(patch.madeOn, Math.round((Date.parse(choice.follow_up_on) - Date.parse(choice.made_on)) / 86_400_000));
    const rendered = patch.description !== undefined ? renderMarkdown(patch.description) : null;
    const after: Snapshot = {
      title: patch.title?.trim() ?? before.title,
      description: patch.description ?? before.description,
      madeOn,
      level: patch.level ?? before.level,
      components: components ?? before.components,
      territory: territory?.slug ?? before.territory,
      visibility: patch.visibility ?? before.visibility,
      countInSummaries: patch.countInSummaries ?? before.countInSummaries,
      status: patch.status === undefined ? before.status : patch.status,
      lang: patch.lang ?? before.lang,
      followUpOn,
    };
    const changed = SNAPSHOT_FIELDS.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
    if (!changed.length) return null;
    const updated = await withSummaries(tx, id, async () => {
      const row = await trx.updateTable('choice').set({
        title: after.title, description: after.description, ...(rendered ? { description_html: rendered.html } : {}), made_on: after.madeOn,
        level: after.level, territory_id: territory?.id ?? choice.territory_id, visibility: after.visibility,
        count_in_summaries: after.countInSummaries ? 1 : 0, status: after.status, lang: after.lang, follow_up_on: after.followUpOn,
        revision: choice.revision + 1, updated_at: nowIso(deps),
      }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      if (components) {
        await trx.deleteFrom('choice_component').where('choice_id', '=', id).execute();
        await insertComponents(trx, index, id, components);
      }
      return row;
    });
    await appendRevision(tx, id, updated.revision, viewer!.user.id, 'edited', changed, after);
    await refreshSearchEntry(tx, updated);
    if (before.visibility === 'public' && after.visibility !== 'public') await forgetNoticesAbout(trx, choiceUrls(id));
    if (before.visibility !== 'public' && after.visibility === 'public') {
      const where = await trx.selectFrom('territory').select(['id', 'name']).where('id', '=', updated.territory_id).executeTakeFirstOrThrow();
      await announceChoice(tx, updated, where, after.components, viewer!.user.id);
    }
    return { after, actorId: choice.actor_id };
  });
  if (saved) {
    const { after, actorId } = saved;
    const lang = asLocale(after.lang);
    syncConfirmed(deps, `choice:${id}`, after.visibility === 'public' ? { text: `${after.title}\n${after.description}`, lang, components: after.components } : null, actorId);
  }
  return getChoice(deps, viewer, id, locale);
}

export interface ImportedChoice {
  actorId: number;
  actorKind: string;
  territoryId: number;
  territorySlug: string;
  authorId: number;
  title: string;
  description: string;
  lang: string;
  madeOn: string;
  level: string;
  visibility: Visibility;
  countInSummaries: boolean;
  status: ChoiceStatus | null;
  followUpOn: string | null;
  /** Codes known to the current taxonomy (the importer drops the others). */
  components: string[];
  results: { observedOn: string; text: string; quantity: number | null; unit: string | null; createdAt: string }[];
  /** The choice's history as exported (oldest first); `mine` revisions are attributed to the author. */
  revisions: { action: string; changed: string[]; snapshot: Record<string, unknown>; mine: boolean; createdAt: string }[];
  createdAt: string;
  updatedAt: string;
}

/**
 * A choice carried over from another instance by `journal import`, inside the caller's transaction
 * (so that a failed import leaves nothing): the rows createChoice writes, with the choice's own dates
 * and history, its search entry when public, and its summary cells when it counts.
 */
export async function insertImportedChoice(deps: Deps, index: TaxonomyIndex, input: ImportedChoice): Promise<number> {
  const components = input.components.filter((code) => index.components.has(code));
  if (!components.length) throw invalid('A choice needs at least one known component.', [{ path: 'components', message: 'issue.componentsRequired' }]);
  const snapshot: Snapshot = {
    title: input.title, description: input.description, madeOn: input.madeOn, level: input.level, components, territory: input.territorySlug,
    visibility: input.visibility, countInSummaries: input.countInSummaries, status: input.status, lang: input.lang, followUpOn: input.followUpOn,
  };
  // Without a history (or with a partial one), the choice starts with one revision of what it is now.
  const revisions = input.revisions.length ? input.revisions : [{ action: 'created', changed: [], snapshot, mine: true, createdAt: input.createdAt }];
  const row = await deps.db.insertInto('choice').values({
    actor_id: input.actorId, territory_id: input.territoryId, author_id: input.authorId, taxonomy_version: index.version,
    title: input.title, description: input.description, description_html: renderMarkdown(input.description).html, lang: input.lang, made_on: input.madeOn,
    level: input.level, visibility: input.visibility, count_in_summaries: input.countInSummaries ? 1 : 0, status: input.status,
    follow_up_on: input.followUpOn, result_count: input.results.length, revision: revisions.length, created_at: input.createdAt, updated_at: input.updatedAt,
  }).returningAll().executeTakeFirstOrThrow();
  await insertComponents(deps.db, index, row.id, components);
  if (input.results.length) {
    await deps.db.insertInto('choice_result').values(input.results.map((r) => ({
      choice_id: row.id, observed_on: r.observedOn, text: r.text, quantity: r.quantity, unit: r.unit, author_id: input.authorId, created_at: r.createdAt,
    }))).execute();
  }
  await deps.db.insertInto('choice_revision').values(revisions.map((r, i) => ({
    choice_id: row.id, number: i + 1, author_id: r.mine ? input.authorId : null, action: r.action, changed: JSON.stringify(r.changed), snapshot: JSON.stringify(r.snapshot), created_at: r.createdAt,
  }))).execute();
  await refreshSearchEntry(deps, row);
  const contribution = row.count_in_summaries ? await contributionOf(deps, row.id) : null;
  if (contribution) await applyContribution(deps.db, contribution, 1);
  return row.id;
}

/**
 * Erases every choice of these actors (an account being deleted): rows, results, revisions, search
 * entries and what they taught the suggestions; the summary tables count them no more. No audit entry
 * keeps their titles.
 */
export async function eraseChoicesOfActors(deps: Deps, actorIds: number[]): Promise<number> {
  if (!actorIds.length) return 0;
  const ids = (await deps.db.selectFrom('choice').select(['id', 'actor_id']).where('actor_id', 'in', actorIds).execute());
  for (const { id, actor_id: actorId } of ids) {
    await deps.db.transaction().execute(async (trx) => {
      const counted = await contributionOf({ ...deps, db: trx }, id);
      await trx.deleteFrom('choice').where('id', '=', id).execute();
      if (counted) await applyContribution(trx, counted, -1);
      await removeDocument(trx, 'choice', String(id));
      await forgetNoticesAbout(trx, choiceUrls(id));
    });
    syncConfirmed(deps, `choice:${id}`, null, actorId);
  }
  return ids.length;
}

export async function deleteChoice(deps: Deps, viewer: Viewer | null, id: number): Promise<void> {
  const actorId = await deps.db.transaction().execute(async (trx) => {
    const tx = { ...deps, db: trx };
    const choice = await loadOwnChoice(tx, viewer, id);
    const counted = await contributionOf(tx, id);
    await trx.deleteFrom('choice').where('id', '=', id).execute();
    if (counted) await applyContribution(trx, counted, -1);
    await removeDocument(trx, 'choice', String(id));
    await forgetNoticesAbout(trx, choiceUrls(id));
    await recordAudit(tx, viewer!.user.id, 'choice.delete', `choice/${id}`, { title: choice.title, revisions: choice.revision });
    return choice.actor_id;
  });
  syncConfirmed(deps, `choice:${id}`, null, actorId);
}

export async function addResult(deps: Deps, viewer: Viewer | null, id: number, input: ResultInput, locale: Locale) {
  const result = checkResult(input, 'body');
  checkObservedOn(deps, result.observedOn, 'observedOn');
  await deps.db.transaction().execute(async (trx) => {
    const tx = { ...deps, db: trx };
    const choice = await loadOwnChoice(tx, viewer, id);
    await withSummaries(tx, id, () => insertResults(tx, id, viewer!.user.id, [result]));
    const updated = await trx.updateTable('choice').set({ result_count: choice.result_count + 1, revision: choice.revision + 1, updated_at: nowIso(deps) })
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await appendRevision(tx, id, updated.revision, viewer!.user.id, 'result-added', ['results'], await snapshotOf(tx, updated));
    if (updated.visibility === 'public') {
      const territory = await trx.selectFrom('territory').select(['id', 'name']).where('id', '=', updated.territory_id).executeTakeFirstOrThrow();
      const components = (await trx.selectFrom('choice_component').select('component_code').where('choice_id', '=', id).orderBy('position').execute()).map((r) => r.component_code);
      await announce(tx, {
        targets: [...(await territoryTargets(tx, territory.id)), ...componentTargets(components)],
        kind: 'watch.resultAdded', params: { title: updated.title, territory: territory.name }, url: `/choices/${id}`, authorId: viewer!.user.id,
      });
    }
  });
  return getChoice(deps, viewer, id, locale);
}

export async function deleteResult(deps: Deps, viewer: Viewer | null, id: number, resultId: number, locale: Locale) {
  await deps.db.transaction().execute(async (trx) => {
    const tx = { ...deps, db: trx };
    const choice = await loadOwnChoice(tx, viewer, id);
    const removed = await withSummaries(tx, id, () => trx.deleteFrom('choice_result').where('id', '=', resultId).where('choice_id', '=', id).executeTakeFirst());
    if (!removed.numDeletedRows) throw notFound('Result');
    const updated = await trx.updateTable('choice').set({ result_count: Math.max(0, choice.result_count - 1), revision: choice.revision + 1, updated_at: nowIso(deps) })
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await appendRevision(tx, id, updated.revision, viewer!.user.id, 'result-removed', ['results'], await snapshotOf(tx, updated));
  });
  return getChoice(deps, viewer, id, locale);
}

// Reading

const CHOICE_COLUMNS = [
  'choice.id', 'choice.title', 'choice.description', 'choice.description_html', 'choice.made_on', 'choice.level', 'choice.visibility',
  'choice.count_in_summaries', 'choice.status', 'choice.lang', 'choice.follow_up_on', 'choice.result_count', 'choice.revision',
  'choice.created_at', 'choice.updated_at', 'choice.actor_id', 'choice.territory_id', 'choice.taxonomy_version',
  'actor.slug as actor_slug', 'actor.name as actor_name', 'actor.kind as actor_kind', 'territory.slug as territory_slug', 'territory.name as territory_name',
] as const;

function choicesQuery(deps: Deps) {
  return deps.db.selectFrom('choice')
    .innerJoin('actor', 'actor.id', 'choice.actor_id')
    .innerJoin('territory', 'territory.id', 'choice.territory_id')
    .select(CHOICE_COLUMNS);
}

type ChoiceRow = Awaited<ReturnType<ReturnType<typeof choicesQuery>['executeTakeFirstOrThrow']>>;

export interface ResultView {
  id: number;
  observedOn: string;
  text: string;
  quantity: number | null;
  unit: string | null;
}

async function detailsOf(deps: Deps, ids: number[]) {
  const components = new Map<number, string[]>();
  const results = new Map<number, ResultView[]>();
  if (!ids.length) return { components, results };
  const [componentRows, resultRows] = await Promise.all([
    deps.db.selectFrom('choice_component').select(['choice_id', 'component_code']).where('choice_id', 'in', ids).orderBy('choice_id').orderBy('position').execute(),
    deps.db.selectFrom('choice_result').select(['id', 'choice_id', 'observed_on', 'text', 'quantity', 'unit']).where('choice_id', 'in', ids).orderBy('observed_on').orderBy('id').execute(),
  ]);
  for (const row of componentRows) components.set(row.choice_id, [...(components.get(row.choice_id) ?? []), row.component_code]);
  for (const row of resultRows) {
    results.set(row.choice_id, [...(results.get(row.choice_id) ?? []), { id: row.id, observedOn: row.observed_on, text: row.text, quantity: row.quantity, unit: row.unit }]);
  }
  return { components, results };
}

function present(row: ChoiceRow, codes: string[], results: ResultView[], index: TaxonomyIndex, locale: Locale, scope: ViewerScope, day: string) {
  const mine = scope.actorIds.includes(row.actor_id);
  return {
    id: row.id,
    url: `/choices/${row.id}`,
    title: row.title,
    description: row.description,
    descriptionHtml: row.description_html,
    madeOn: row.made_on,
    level: row.level,
    components: codes.map((code) => componentView(index, code, locale)),
    territory: { slug: row.territory_slug, name: row.territory_name },
    actor: { slug: row.actor_slug, name: row.actor_name, kind: row.actor_kind },
    visibility: row.visibility,
    countInSummaries: Boolean(row.count_in_summaries),
    status: row.status,
    lang: row.lang,
    results,
    revision: row.revision,
    taxonomyVersion: row.taxonomy_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    // Only the actor's representatives see when the journal will ask them for a result.
    ...(mine ? { followUpOn: row.follow_up_on, needsFollowUp: isDue(row, day) } : {}),
    canEdit: mine,
  };
}

const isDue = (row: Pick<ChoiceRow, 'result_count' | 'follow_up_on' | 'status'>, day: string) =>
  row.result_count === 0 && row.status !== 'given-up' && row.follow_up_on !== null && row.follow_up_on <= day;

export type ChoiceView = ReturnType<typeof present>;

export async function getChoice(deps: Deps, viewer: Viewer | null, id: number, locale: Locale): Promise<ChoiceView> {
  const [scope, index, row] = await Promise.all([
    viewerScope(deps, viewer), taxonomyIndex(deps), choicesQuery(deps).where('choice.id', '=', id).executeTakeFirst(),
  ]);
  if (!row || !canSeeChoice(scope, row)) throw notFound('Choice');
  const { components, results } = await detailsOf(deps, [id]);
  return present(row, components.get(id) ?? [], results.get(id) ?? [], index, locale, scope, today(deps));
}

function encodeCursor(row: { made_on: string; id: number }): string {
  return Buffer.from(JSON.stringify([row.made_on, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { madeOn: string; id: number } {
  try {
    const [madeOn, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof madeOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(madeOn) && Number.isInteger(id)) return { madeOn, id };
  } catch {
    // fall through to the error below
  }
  throw invalid('This page cursor is not valid; start from the first page.', [{ path: 'cursor', message: 'issue.cursor' }]);
}

/** Choices the viewer may see, newest first (by date made), a page at a time. */
export async function listChoices(deps: Deps, viewer: Viewer | null, filters: ChoiceFilters, locale: Locale) {
  const [scope, index] = await Promise.all([viewerScope(deps, viewer), taxonomyIndex(deps)]);
  const limit = Math.min(Math.max(filters.limit ?? 20, 1), 100);
  type Query = ReturnType<typeof choicesQuery>;
  const conditions: ((query: Query) => Query)[] = [];
  if (filters.territory) {
    const ids = await descendantIds(deps, filters.territory);
    conditions.push((q) => q.where('choice.territory_id', 'in', ids));
  }
  // Each way of seeing a choice (visibility.ts) is its own query; their pages are merged below.
  let branches: ((query: Query) => Query)[];
  if (filters.actor === 'me') {
    if (!viewer) throw unauthenticated();
    branches = scope.actorIds.length ? [(q) => q.where('choice.actor_id', 'in', scope.actorIds)] : [];
  } else {
    branches = visibleChoiceBranches(scope).map((branch) => (q: Query) => q.where(branch));
    if (filters.actor) {
      const actor = await deps.db.selectFrom('actor').select('id').where('slug', '=', filters.actor).executeTakeFirst();
      if (!actor) throw notFound('Actor');
      conditions.push((q) => q.where('choice.actor_id', '=', actor.id));
    }
  }
  if (filters.component) {
    const code = filters.component.toUpperCase();
    if (!index.components.has(code)) throw invalid('Unknown component.', [{ path: 'component', message: 'not_found' }]);
    conditions.push((q) => q.where((eb) => eb.exists(eb.selectFrom('choice_component').select('choice_id').whereRef('choice_component.choice_id', '=', 'choice.id').where('component_code', '=', code))));
  }
  if (filters.dimension) {
    const code = filters.dimension.toUpperCase();
    if (!index.dimensions.has(code)) throw invalid('Unknown dimension.', [{ path: 'dimension', message: 'not_found' }]);
    conditions.push((q) => q.where((eb) => eb.exists(eb.selectFrom('choice_component').select('choice_id').whereRef('choice_component.choice_id', '=', 'choice.id').where('dimension_code', '=', code))));
  }
  if (filters.level) conditions.push((q) => q.where('choice.level', '=', filters.level!));
  if (filters.status) conditions.push((q) => q.where('choice.status', '=', filters.status as ChoiceStatus));
  if (filters.from) conditions.push((q) => q.where('choice.made_on', '>=', filters.from!));
  if (filters.to) conditions.push((q) => q.where('choice.made_on', '<=', filters.to!));
  if (filters.cursor) {
    const after = decodeCursor(filters.cursor);
    conditions.push((q) => q.where((eb) => eb.or([
      eb('choice.made_on', '<', after.madeOn),
      eb.and([eb('choice.made_on', '=', after.madeOn), eb('choice.id', '<', after.id)]),
    ])));
  }
  const merged = new Map<number, ChoiceRow>();
  for (const branch of branches) {
    const query = conditions.reduce((q, condition) => condition(q), branch(choicesQuery(deps)));
    for (const row of await query.orderBy('choice.made_on', 'desc').orderBy('choice.id', 'desc').limit(limit + 1).execute()) merged.set(row.id, row);
  }
  const rows = [...merged.values()].sort((a, b) => (a.made_on === b.made_on ? b.id - a.id : a.made_on < b.made_on ? 1 : -1)).slice(0, limit + 1);
  const page = rows.slice(0, limit);
  const { components, results } = await detailsOf(deps, page.map((r) => r.id));
  const day = today(deps);
  return {
    choices: page.map((row) => present(row, components.get(row.id) ?? [], results.get(row.id) ?? [], index, locale, scope, day)),
    nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null,
  };
}

/** Every page of a list, for exports (bounded so one request cannot walk a million rows). */
export async function* allChoices(deps: Deps, viewer: Viewer | null, filters: ChoiceFilters, locale: Locale, max = 50_000) {
  let cursor = filters.cursor;
  let seen = 0;
  do {
    const page = await listChoices(deps, viewer, { ...filters, cursor, limit: 100 }, locale);
    for (const choice of page.choices) {
      if (seen++ >= max) return;
      yield choice;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** My choices still waiting for a result once their follow-up date has come. */
export async function followUps(deps: Deps, viewer: Viewer | null, locale: Locale) {
  if (!viewer) throw unauthenticated();
  const [scope, index] = await Promise.all([viewerScope(deps, viewer), taxonomyIndex(deps)]);
  if (!scope.actorIds.length) return [];
  const day = today(deps);
  const rows = await choicesQuery(deps)
    .where('choice.actor_id', 'in', scope.actorIds)
    .where('choice.result_count', '=', 0)
    .where('choice.follow_up_on', '<=', day)
    .where((eb) => eb.or([eb('choice.status', 'is', null), eb('choice.status', '!=', 'given-up')]))
    .orderBy('choice.follow_up_on').limit(100).execute();
  const { components } = await detailsOf(deps, rows.map((r) => r.id));
  return rows.map((row) => present(row, components.get(row.id) ?? [], [], index, locale, scope, day));
}

/**
 * Who changed what, when: every revision of a choice, newest first. Readers who do not act for the
 * actor see a revision's content only if they could have seen the choice as it was then (an edit
 * before making a choice public must not reveal the private text), and never its follow-up date.
 */
export async function choiceHistory(deps: Deps, viewer: Viewer | null, id: number) {
  const scope = await viewerScope(deps, viewer);
  const choice = await deps.db.selectFrom('choice').select(['id', 'visibility', 'actor_id', 'territory_id']).where('id', '=', id).executeTakeFirst();
  if (!choice || !canSeeChoice(scope, choice)) throw notFound('Choice');
  const rows = await deps.db.selectFrom('choice_revision').leftJoin('user', 'user.id', 'choice_revision.author_id')
    .select(['choice_revision.number', 'choice_revision.action', 'choice_revision.changed', 'choice_revision.snapshot', 'choice_revision.created_at', 'user.name as author'])
    .where('choice_id', '=', id).orderBy('number', 'desc').execute();
  const representative = scope.actorIds.includes(choice.actor_id);
  const territoryIds = new Map<string, number>();
  if (!representative) {
    const slugs = [...new Set(rows.map((r) => (JSON.parse(r.snapshot) as Snapshot).territory))];
    if (slugs.length) for (const t of await deps.db.selectFrom('territory').select(['id', 'slug']).where('slug', 'in', slugs).execute()) territoryIds.set(t.slug, t.id);
  }
  return rows.map((r) => {
    const snapshot = JSON.parse(r.snapshot) as Snapshot;
    let shown: Partial<Snapshot> | null = snapshot;
    if (!representative) {
      const visibleThen = canSeeChoice(scope, { visibility: snapshot.visibility, actor_id: choice.actor_id, territory_id: territoryIds.get(snapshot.territory) ?? -1 });
      const { followUpOn: _hidden, ...rest } = snapshot;
      shown = visibleThen ? rest : null;
    }
    const changed = (JSON.parse(r.changed) as string[]).filter((field) => representative || field !== 'followUpOn');
    return { number: r.number, action: r.action, changed, author: r.author ?? null, createdAt: r.created_at, snapshot: shown };
  });
}

/** Units already used in the journal, most used first, after the common ones (for the unit field's suggestions). */
export async function unitSuggestions(deps: Deps): Promise<string[]> {
  const rows = await deps.db.selectFrom('choice_result').select((eb) => ['unit', eb.fn.countAll<number>().as('n')])
    .where('unit', 'is not', null).groupBy('unit').orderBy('n', 'desc').limit(30).execute();
  return [...new Set([...COMMON_UNITS, ...rows.map((r) => r.unit!)])];
}
