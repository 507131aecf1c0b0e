import { announce, componentTargets, territoryTargets } from './watchlist.js';
import type { GroupKind, SpiralGroup } from '../../db/schema.js';
import { indexDocument, removeDocument } from '../../db/search-index.js';
import { type ErrorIssue, forbidden, invalid, notFound, unauthenticated } from '../errors.js';
import { type Locale, asLocale, pickLabel } from '../i18n/index.js';
import { detectLanguage } from '../text/language.js';
import { normaliseEmail } from './accounts.js';
import { recordAudit } from './audit.js';
import { syncConfirmed } from './criteria-suggest.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { componentView, taxonomyIndex, type TaxonomyIndex } from './taxonomy-index.js';
import { coordinatedIds, descendantIds } from './territories.js';

// SPIRAL groups: homogeneous groups (people who share a situation), coordination groups (the
// stakeholders of a territory) and mixed ones. A facilitator records what the group says, one idea
// per statement, answering the four SPIRAL questions. Group work is public: statements carry no author.

export const GROUP_KINDS = ['homogeneous', 'coordination', 'mixed'] as const satisfies readonly GroupKind[];
export const QUESTIONS = ['wellbeing', 'illbeing', 'actions', 'proposals'] as const;
export type Question = (typeof QUESTIONS)[number];
export const MEANINGS = ['P', 'O', 'Q', 'S', 'R'] as const;
export const MAX_STATEMENT_COMPONENTS = 5;

export interface GroupInput {
  name: string;
  kind: GroupKind;
  territory: string;
  profile?: string;
  lang?: Locale;
}

export interface StatementInput {
  question: Question;
  text: string;
  components?: string[];
  lang?: Locale;
  meaning?: (typeof MEANINGS)[number] | null;
  sessionOn?: string | null;
}

/** Coordinators of a territory or of one above it. */
async function coordinatesTerritory(deps: Deps, viewer: Viewer, territoryId: number): Promise<boolean> {
  return (await coordinatedIds(deps, viewer.user.id)).has(territoryId);
}

/** Who may create a group in a territory: admins, facilitators, and coordinators of the territory. */
async function canCreateGroupIn(deps: Deps, viewer: Viewer, territoryId: number): Promise<boolean> {
  return viewer.user.role === 'admin' || viewer.user.role === 'facilitator' || coordinatesTerritory(deps, viewer, territoryId);
}

/** Who may run a group: admins, its creator, its facilitators, and coordinators of its territory. */
/** The one check of the group's writes: 401 without a viewer, 403 for anyone who does not run the group. */
async function requireRunner(deps: Deps, viewer: Viewer | null, group: Pick<SpiralGroup, 'id' | 'territory_id' | 'created_by'>, message: string): Promise<Viewer> {
  if (!viewer) throw unauthenticated();
  if (!(await canRunGroup(deps, viewer, group))) throw forbidden(message);
  return viewer;
}

async function canRunGroup(deps: Deps, viewer: Viewer | null, group: Pick<SpiralGroup, 'id' | 'territory_id' | 'created_by'>): Promise<boolean> {
  if (!viewer) return false;
  if (viewer.user.role === 'admin' || group.created_by === viewer.user.id) return true;
  const facilitator = await deps.db.selectFrom('group_member').innerJoin('user_actor', 'user_actor.actor_id', 'group_member.actor_id')
    .select('group_member.group_id').where('group_member.group_id', '=', group.id).where('group_member.role', '=', 'facilitator')
    .where('user_actor.user_id', '=', viewer.user.id).executeTakeFirst();
  return Boolean(facilitator) || coordinatesTerritory(deps, viewer, group.territory_id);
}

async function findGroup(deps: Deps, id: number) {
  const group = await deps.db.selectFrom('spiral_group').innerJoin('territory', 'territory.id', 'spiral_group.territory_id')
    .selectAll('spiral_group').select(['territory.slug as territory_slug', 'territory.name as territory_name'])
    .where('spiral_group.id', '=', id).executeTakeFirst();
  if (!group) throw notFound('Group');
  return group;
}

export async function createGroup(deps: Deps, viewer: Viewer | null, input: GroupInput) {
  if (!viewer) throw unauthenticated();
  const territory = await deps.db.selectFrom('territory').select(['id', 'slug']).where('slug', '=', input.territory).executeTakeFirst();
  if (!territory) throw invalid('Unknown territory.', [{ path: 'territory', message: 'not_found' }]);
  if (!(await canCreateGroupIn(deps, viewer, territory.id))) throw forbidden('Facilitators, admins and coordinators of the territory create groups.');
  const now = nowIso(deps);
  const lang = input.lang ?? asLocale(viewer.user.locale);
  const id = await deps.db.transaction().execute(async (trx) => {
    const group = await trx.insertInto('spiral_group').values({
      name: input.name.trim(), kind: input.kind, territory_id: territory.id, profile: input.profile?.trim() ?? '', lang, created_by: viewer.user.id, created_at: now, updated_at: now,
    }).returningAll().executeTakeFirstOrThrow();
    // The person who creates a group facilitates it.
    const actor = await trx.selectFrom('user_actor').select('actor_id').where('user_id', '=', viewer.user.id).orderBy('is_primary', 'desc').executeTakeFirst();
    if (actor) await trx.insertInto('group_member').values({ group_id: group.id, actor_id: actor.actor_id, role: 'facilitator', created_at: now }).execute();
    await indexDocument(trx, { kind: 'group', ref: String(group.id), title: group.name, body: group.profile });
    await recordAudit({ ...deps, db: trx }, viewer.user.id, 'group.create', `group/${group.id}`, { territory: territory.slug, kind: input.kind });
    await announce({ ...deps, db: trx }, {
      targets: await territoryTargets({ ...deps, db: trx }, territory.id), kind: 'watch.groupCreated', params: { name: group.name }, url: `/groups/${group.id}`, authorId: viewer.user.id,
    });
    return group.id;
  });
  return id;
}

export async function updateGroup(deps: Deps, viewer: Viewer | null, id: number, patch: Partial<Pick<GroupInput, 'name' | 'profile' | 'lang'>>) {
  const group = await findGroup(deps, id);
  await requireRunner(deps, viewer, group, 'Only the group’s facilitators can change it.');
  const name = patch.name?.trim() ?? group.name;
  const profile = patch.profile?.trim() ?? group.profile;
  await deps.db.updateTable('spiral_group').set({ name, profile, lang: patch.lang ?? group.lang, updated_at: nowIso(deps) }).where('id', '=', id).execute();
  await indexDocument(deps.db, { kind: 'group', ref: String(id), title: name, body: profile });
}

export async function listGroups(deps: Deps, filters: { territory?: string; kind?: GroupKind }) {
  let query = deps.db.selectFrom('spiral_group').innerJoin('territory', 'territory.id', 'spiral_group.territory_id')
    .select((eb) => [
      'spiral_group.id', 'spiral_group.name', 'spiral_group.kind', 'spiral_group.profile', 'spiral_group.lang', 'spiral_group.updated_at',
      'territory.slug as territory_slug', 'territory.name as territory_name',
      eb.selectFrom('statement').select((s) => s.fn.countAll<number>().as('n')).whereRef('statement.group_id', '=', 'spiral_group.id').as('statements'),
    ]);
  if (filters.territory) query = query.where('spiral_group.territory_id', 'in', await descendantIds(deps, filters.territory));
  if (filters.kind) query = query.where('spiral_group.kind', '=', filters.kind);
  const rows = await query.orderBy('spiral_group.updated_at', 'desc').limit(500).execute();
  return rows.map((r) => ({
    id: r.id, url: `/groups/${r.id}`, name: r.name, kind: r.kind, profile: r.profile, lang: r.lang, updatedAt: r.updated_at,
    territory: { slug: r.territory_slug, name: r.territory_name }, statements: Number(r.statements ?? 0),
  }));
}

export async function getGroup(deps: Deps, viewer: Viewer | null, id: number) {
  const group = await findGroup(deps, id);
  const [members, sessions, canRun] = await Promise.all([
    deps.db.selectFrom('group_member').innerJoin('actor', 'actor.id', 'group_member.actor_id')
      .select(['actor.slug', 'actor.name', 'actor.kind', 'group_member.role']).where('group_member.group_id', '=', id).orderBy('group_member.role').orderBy('actor.name').execute(),
    deps.db.selectFrom('group_session').select(['id', 'held_on', 'notes']).where('group_id', '=', id).orderBy('held_on').execute(),
    canRunGroup(deps, viewer, group),
  ]);
  return {
    id: group.id, url: `/groups/${group.id}`, name: group.name, kind: group.kind, profile: group.profile, lang: group.lang,
    territory: { slug: group.territory_slug, name: group.territory_name }, createdAt: group.created_at, updatedAt: group.updated_at,
    members: members.map((m) => ({ slug: m.slug, name: m.name, kind: m.kind, role: m.role })),
    sessions: sessions.map((s) => ({ id: s.id, heldOn: s.held_on, notes: s.notes })),
    canRecord: canRun,
  };
}

/** Adds an actor (by slug, or the actor of an account by email) to a group. */
export async function addGroupMember(deps: Deps, viewer: Viewer | null, id: number, input: { actor?: string; email?: string; role?: 'facilitator' | 'member' }) {
  const group = await findGroup(deps, id);
  await requireRunner(deps, viewer, group, 'Only the group’s facilitators can add members.');
  let actorId: number | undefined;
  if (input.actor) {
    actorId = (await deps.db.selectFrom('actor').select('id').where('slug', '=', input.actor).executeTakeFirst())?.id;
  } else if (input.email) {
    actorId = (await deps.db.selectFrom('user').innerJoin('user_actor', 'user_actor.user_id', 'user.id').select('user_actor.actor_id')
      .where('user.email', '=', normaliseEmail(input.email)).orderBy('user_actor.is_primary', 'desc').executeTakeFirst())?.actor_id;
  } else {
    throw invalid('Give the actor or the email address of the member.', [{ path: 'email', message: 'issue.memberRequired' }]);
  }
  if (!actorId) throw invalid('Nobody is known under this name or address.', [{ path: input.actor ? 'actor' : 'email', message: 'not_found' }]);
  await deps.db.insertInto('group_member').values({ group_id: id, actor_id: actorId, role: input.role ?? 'member', created_at: nowIso(deps) })
    .onConflict((oc) => oc.columns(['group_id', 'actor_id']).doUpdateSet({ role: input.role ?? 'member' })).execute();
  return getGroup(deps, viewer, id);
}

export async function addGroupSession(deps: Deps, viewer: Viewer | null, id: number, input: { heldOn: string; notes?: string }) {
  const group = await findGroup(deps, id);
  await requireRunner(deps, viewer, group, 'Only the group’s facilitators can plan sessions.');
  await deps.db.insertInto('group_session').values({ group_id: id, held_on: input.heldOn, notes: input.notes?.trim() ?? '', created_at: nowIso(deps) }).execute();
  return getGroup(deps, viewer, id);
}

function checkStatementComponents(index: TaxonomyIndex, codes: string[] | undefined): string[] {
  const unique = [...new Set((codes ?? []).map((c) => c.trim().toUpperCase()))];
  const issues: ErrorIssue[] = [];
  if (unique.length > MAX_STATEMENT_COMPONENTS) issues.push({ path: 'components', message: 'issue.statementComponentsMany', params: { max: MAX_STATEMENT_COMPONENTS } });
  unique.forEach((code, i) => {
    if (!index.components.has(code)) issues.push({ path: `components.${i}`, message: 'not_found' });
  });
  if (issues.length) throw invalid('Check the components.', issues);
  return unique;
}

export async function addStatement(deps: Deps, viewer: Viewer | null, id: number, input: StatementInput, locale: Locale) {
  const index = await taxonomyIndex(deps);
  const components = checkStatementComponents(index, input.components);
  const group = await findGroup(deps, id);
  if (!viewer) throw unauthenticated();
  await requireRunner(deps, viewer, group, 'Only the group’s facilitators record its statements.');
  const lang = input.lang ?? detectLanguage(input.text) ?? asLocale(group.lang);
  const now = nowIso(deps);
  const statementId = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('statement').values({
      group_id: id, taxonomy_version: index.version, question: input.question, text: input.text.trim(), lang, meaning: input.meaning ?? null,
      session_on: input.sessionOn ?? null, author_id: viewer.user.id, created_at: now,
    }).returningAll().executeTakeFirstOrThrow();
    if (components.length) {
      await trx.insertInto('statement_component').values(components.map((code, position) => ({
        statement_id: row.id, component_code: code, dimension_code: index.components.get(code)!.dimension, position,
      }))).execute();
    }
    await trx.updateTable('spiral_group').set({ updated_at: now }).where('id', '=', id).execute();
    await indexDocument(trx, { kind: 'statement', ref: `${id}#${row.id}`, title: group.name, body: row.text });
    await announce({ ...deps, db: trx }, {
      targets: [{ kind: 'group', target: String(id) }, ...(await territoryTargets({ ...deps, db: trx }, group.territory_id)), ...componentTargets(components)],
      kind: 'watch.statementRecorded', params: { group: group.name }, url: `/groups/${id}#statement-${row.id}`, authorId: viewer.user.id,
    });
    return row.id;
  });
  if (components.length) syncConfirmed(deps, `statement:${statementId}`, { text: input.text, lang, components });
  const [statement] = await statementsOf(deps, id, locale, { id: statementId });
  return statement;
}

export async function deleteStatement(deps: Deps, viewer: Viewer | null, groupId: number, statementId: number) {
  const group = await findGroup(deps, groupId);
  await requireRunner(deps, viewer, group, 'Only the group’s facilitators can remove statements.');
  await deps.db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('statement').where('id', '=', statementId).where('group_id', '=', groupId).executeTakeFirst();
    if (!removed.numDeletedRows) throw notFound('Statement');
    await removeDocument(trx, 'statement', `${groupId}#${statementId}`);
    await recordAudit({ ...deps, db: trx }, viewer!.user.id, 'statement.delete', `group/${groupId}/statement/${statementId}`);
  });
  syncConfirmed(deps, `statement:${statementId}`, null);
}

/** Corrects the language a statement was recorded in (detected, or chosen by mistake): its facilitators. */
export async function correctStatementLanguage(deps: Deps, viewer: Viewer | null, groupId: number, statementId: number, lang: Locale) {
  const group = await findGroup(deps, groupId);
  await requireRunner(deps, viewer, group, 'Only the group’s facilitators correct its statements.');
  await deps.db.transaction().execute(async (trx) => {
    const changed = await trx.updateTable('statement').set({ lang }).where('id', '=', statementId).where('group_id', '=', groupId).executeTakeFirst();
    if (!changed.numUpdatedRows) throw notFound('Statement');
    await recordAudit({ ...deps, db: trx }, viewer!.user.id, 'statement.language', `group/${groupId}/statement/${statementId}`, { lang });
  });
}

export interface StatementFilters {
  question?: Question;
  dimension?: string;
  id?: number;
}

export async function statementsOf(deps: Deps, groupId: number, locale: Locale, filters: StatementFilters = {}) {
  const index = await taxonomyIndex(deps);
  let query = deps.db.selectFrom('statement').select(['id', 'question', 'text', 'lang', 'meaning', 'session_on', 'created_at']).where('group_id', '=', groupId);
  if (filters.id) query = query.where('id', '=', filters.id);
  if (filters.question) query = query.where('question', '=', filters.question);
  if (filters.dimension) {
    const code = filters.dimension.toUpperCase();
    query = query.where((eb) => eb.exists(eb.selectFrom('statement_component').select('statement_id').whereRef('statement_component.statement_id', '=', 'statement.id').where('dimension_code', '=', code)));
  }
  const rows = await query.orderBy('id').limit(5000).execute();
  const codes = new Map<number, string[]>();
  if (rows.length) {
    const ids = rows.map((r) => r.id);
    for (let i = 0; i < ids.length; i += 500) {
      const componentRows = await deps.db.selectFrom('statement_component').select(['statement_id', 'component_code'])
        .where('statement_id', 'in', ids.slice(i, i + 500)).orderBy('statement_id').orderBy('position').execute();
      for (const r of componentRows) codes.set(r.statement_id, [...(codes.get(r.statement_id) ?? []), r.component_code]);
    }
  }
  const meanings = index.document.meanings;
  return rows.map((r) => ({
    id: r.id, question: r.question, text: r.text, lang: r.lang, sessionOn: r.session_on, createdAt: r.created_at,
    meaning: r.meaning ? { code: r.meaning, label: pickLabel(meanings.find((m) => m.code === r.meaning)?.labels ?? {}, locale) } : null,
    components: (codes.get(r.id) ?? []).map((code) => componentView(index, code, locale)),
  }));
}

export async function listStatements(deps: Deps, groupId: number, locale: Locale, filters: StatementFilters = {}) {
  await findGroup(deps, groupId);
  return statementsOf(deps, groupId, locale, filters);
}

/** Newest statements of every group of one kind, for the group feeds. */
export async function recentStatements(deps: Deps, kind: GroupKind, limit = 50) {
  return deps.db.selectFrom('statement').innerJoin('spiral_group', 'spiral_group.id', 'statement.group_id')
    .innerJoin('territory', 'territory.id', 'spiral_group.territory_id')
    .select(['statement.id', 'statement.question', 'statement.text', 'statement.lang', 'statement.created_at', 'spiral_group.id as group_id',
      'spiral_group.name as group_name', 'territory.name as territory_name'])
    .where('spiral_group.kind', '=', kind).orderBy('statement.id', 'desc').limit(limit).execute();
}
