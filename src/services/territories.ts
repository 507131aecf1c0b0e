import { AppError, forbidden, invalid, notFound, unauthenticated } from '../errors.js';
import type { Territory } from '../../db/schema.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { createPageRevision } from './pages.js';
import { recordAudit } from './audit.js';

export const TERRITORY_KINDS = [
  'network', 'country', 'region', 'municipality', 'district', 'village', 'school', 'company', 'hospital', 'organisation', 'other',
] as const;
export type TerritoryKind = (typeof TERRITORY_KINDS)[number];

export interface TerritoryNode {
  slug: string;
  name: string;
  kind: string;
  parent: string | null;
  depth: number;
  children: number;
}

/** Every territory in tree order (parents before children, siblings by name), with its depth. */
export async function listTerritories(deps: Deps): Promise<TerritoryNode[]> {
  const rows = await deps.db.selectFrom('territory').select(['id', 'slug', 'name', 'kind', 'parent_id']).orderBy('name').execute();
  const byParent = new Map<number | null, typeof rows>();
  for (const row of rows) {
    const list = byParent.get(row.parent_id) ?? [];
    list.push(row);
    byParent.set(row.parent_id, list);
  }
  const slugOf = new Map(rows.map((r) => [r.id, r.slug]));
  const out: TerritoryNode[] = [];
  const walk = (parentId: number | null, depth: number) => {
    for (const row of byParent.get(parentId) ?? []) {
      out.push({ slug: row.slug, name: row.name, kind: row.kind, parent: row.parent_id ? slugOf.get(row.parent_id) ?? null : null, depth, children: byParent.get(row.id)?.length ?? 0 });
      walk(row.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export async function findTerritory(deps: Deps, slug: string): Promise<Territory> {
  const territory = await deps.db.selectFrom('territory').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (!territory) throw notFound('Territory');
  return territory;
}

export async function getTerritory(deps: Deps, slug: string) {
  const territory = await findTerritory(deps, slug);
  const [parent, children, ancestors, coordinators, memberCount] = await Promise.all([
    territory.parent_id ? deps.db.selectFrom('territory').select(['slug', 'name', 'kind']).where('id', '=', territory.parent_id).executeTakeFirst() : undefined,
    deps.db.selectFrom('territory').select(['slug', 'name', 'kind']).where('parent_id', '=', territory.id).orderBy('name').execute(),
    ancestorsOf(deps, territory),
    deps.db.selectFrom('membership').innerJoin('actor', 'actor.id', 'membership.actor_id').select(['actor.slug', 'actor.name'])
      .where('membership.territory_id', '=', territory.id).where('membership.role', '=', 'coordinator').where('membership.status', '=', 'active').orderBy('actor.name').execute(),
    deps.db.selectFrom('membership').select((eb) => eb.fn.countAll<number>().as('n')).where('territory_id', '=', territory.id).where('status', '=', 'active').executeTakeFirstOrThrow(),
  ]);
  return { territory, parent: parent ?? null, children, ancestors, coordinators, memberCount: Number(memberCount.n), pagePath: `territory/${territory.slug}` };
}

async function ancestorsOf(deps: Deps, territory: Territory) {
  const chain: { slug: string; name: string }[] = [];
  let parentId = territory.parent_id;
  while (parentId && chain.length < 20) {
    const parent = await deps.db.selectFrom('territory').select(['id', 'slug', 'name', 'parent_id']).where('id', '=', parentId).executeTakeFirst();
    if (!parent) break;
    chain.unshift({ slug: parent.slug, name: parent.name });
    parentId = parent.parent_id;
  }
  return chain;
}

/** Ids of a territory and all its descendants (children roll up into parents). */
export async function descendantIds(deps: Deps, slug: string): Promise<number[]> {
  const root = await findTerritory(deps, slug);
  const all = await deps.db.selectFrom('territory').select(['id', 'parent_id']).execute();
  const ids = [root.id];
  for (let i = 0; i < ids.length; i++) for (const t of all) if (t.parent_id === ids[i]) ids.push(t.id);
  return ids;
}

/** Territories a coordinator looks after: the ones they coordinate and everything below them. */
export async function coordinatedIds(deps: Deps, userId: number): Promise<Set<number>> {
  const roots = await deps.db
    .selectFrom('membership')
    .innerJoin('user_actor', 'user_actor.actor_id', 'membership.actor_id')
    .select('membership.territory_id')
    .where('user_actor.user_id', '=', userId)
    .where('membership.role', '=', 'coordinator')
    .where('membership.status', '=', 'active')
    .execute();
  const ids = new Set(roots.map((r) => r.territory_id));
  if (!ids.size) return ids;
  const all = await deps.db.selectFrom('territory').select(['id', 'parent_id']).execute();
  const queue = [...ids];
  while (queue.length) {
    const id = queue.pop()!;
    for (const t of all) if (t.parent_id === id && !ids.has(t.id)) { ids.add(t.id); queue.push(t.id); }
  }
  return ids;
}

export interface CreateTerritoryInput {
  slug: string;
  name: string;
  kind: TerritoryKind;
  parent?: string | null;
  description?: string;
}

export async function createTerritory(deps: Deps, viewer: Viewer | null, input: CreateTerritoryInput) {
  if (!viewer) throw unauthenticated();
  const role = viewer.user.role;
  if (role !== 'admin' && role !== 'coordinator') throw forbidden('Only admins and coordinators can create territories.');
  return deps.db.transaction().execute(async (trx) => {
    const tx = { ...deps, db: trx };
    let parentId: number | null = null;
    if (input.parent) {
      const parent = await trx.selectFrom('territory').select('id').where('slug', '=', input.parent).executeTakeFirst();
      if (!parent) throw invalid('Unknown parent territory.', [{ path: 'parent', message: 'not_found' }]);
      parentId = parent.id;
    }
    if (role === 'coordinator') {
      const scope = await coordinatedIds(tx, viewer.user.id);
      if (!parentId || !scope.has(parentId)) throw forbidden('Coordinators create territories inside the territories they coordinate.');
    }
    if (await trx.selectFrom('territory').select('id').where('slug', '=', input.slug).executeTakeFirst()) {
      throw new AppError(409, 'conflict', 'A territory already uses this slug.');
    }
    const now = nowIso(deps);
    const territory = await trx
      .insertInto('territory')
      .values({ slug: input.slug, name: input.name.trim(), kind: input.kind, parent_id: parentId, created_at: now, created_by: viewer.user.id })
      .returningAll()
      .executeTakeFirstOrThrow();
    await createPageRevision(tx, {
      path: `territory/${territory.slug}`,
      title: territory.name,
      markdown: input.description?.trim() || `# ${territory.name}\n`,
      summary: 'Territorial page created',
      authorId: viewer.user.id,
      territoryId: territory.id,
    });
    await recordAudit(tx, viewer.user.id, 'territory.create', `territory/${territory.slug}`, { parent: input.parent ?? null });
    return territory;
  });
}

/** Makes an actor coordinator of a territory (command line and admins). */
export async function setCoordinator(deps: Deps, actorId: number, territorySlug: string): Promise<void> {
  const territory = await findTerritory(deps, territorySlug);
  await deps.db
    .insertInto('membership')
    .values({ actor_id: actorId, territory_id: territory.id, role: 'coordinator', status: 'active', created_at: nowIso(deps) })
    .onConflict((oc) => oc.columns(['actor_id', 'territory_id']).doUpdateSet({ role: 'coordinator', status: 'active' }))
    .execute();
}
