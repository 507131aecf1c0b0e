import type { MembershipStatus } from '../../db/schema.js';
import { AppError, forbidden, notFound, unauthenticated } from '../errors.js';
import { recordAudit } from './audit.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { notify } from './notices.js';
import { coordinatedIds, findTerritory } from './territories.js';

// Belonging to a territory opens its territory-only choices, so it is confirmed, never self-declared:
// whoever names a territory as theirs (at sign-up, in settings, for a new organisation) becomes a
// pending member, who sees public content only, until a coordinator of that territory or of one above
// it (or an admin) accepts them. Admins and those coordinators join at once.

/** Whether the viewer decides who belongs to this territory: admins, and coordinators of it or above. */
export async function managesMembers(deps: Deps, viewer: Viewer | null, territoryId: number): Promise<boolean> {
  if (!viewer) return false;
  return viewer.user.role === 'admin' || (await coordinatedIds(deps, viewer.user.id)).has(territoryId);
}

/** Accounts that may accept members into a territory: coordinators of it and of every territory above it. */
async function deciderIds(deps: Deps, territoryId: number): Promise<number[]> {
  const chain: number[] = [];
  for (let id: number | null = territoryId; id !== null && chain.length < 50; ) {
    chain.push(id);
    id = (await deps.db.selectFrom('territory').select('parent_id').where('id', '=', id).executeTakeFirst())?.parent_id ?? null;
  }
  const rows = await deps.db.selectFrom('membership').innerJoin('user_actor', 'user_actor.actor_id', 'membership.actor_id')
    .select('user_actor.user_id').where('membership.territory_id', 'in', chain).where('membership.role', '=', 'coordinator')
    .where('membership.status', '=', 'active').execute();
  return rows.map((r) => r.user_id);
}

/**
 * Makes an actor a member of a territory, in the caller's transaction: active when `viewer` manages the
 * territory's members (or `trusted`: accounts made by an admin or the command line), else pending, and
 * then the coordinators are told. An existing membership is left as it is.
 */
export async function joinTerritory(deps: Deps, viewer: Viewer | null, actorId: number, territoryId: number, options: { trusted?: boolean } = {}): Promise<MembershipStatus> {
  const existing = await deps.db.selectFrom('membership').select('status').where('actor_id', '=', actorId).where('territory_id', '=', territoryId).executeTakeFirst();
  if (existing) return existing.status;
  const status: MembershipStatus = options.trusted || (await managesMembers(deps, viewer, territoryId)) ? 'active' : 'pending';
  await deps.db.insertInto('membership').values({ actor_id: actorId, territory_id: territoryId, role: 'member', status, created_at: nowIso(deps) }).execute();
  if (status === 'pending') {
    const [actor, territory] = await Promise.all([
      deps.db.selectFrom('actor').select('name').where('id', '=', actorId).executeTakeFirstOrThrow(),
      deps.db.selectFrom('territory').select(['slug', 'name']).where('id', '=', territoryId).executeTakeFirstOrThrow(),
    ]);
    const deciders = (await deciderIds(deps, territoryId)).filter((id) => id !== viewer?.user.id);
    await notify(deps.db, deps, deciders, 'membership.requested', { actor: actor.name, territory: territory.name }, `/territories/${territory.slug}#members`);
  }
  return status;
}

export interface MemberView {
  actor: string;
  name: string;
  kind: string;
  role: 'member' | 'coordinator';
  status: MembershipStatus;
  since: string;
}

/** Members of a territory, or those waiting (`status`), for the people who decide on them. */
export async function listMembers(deps: Deps, viewer: Viewer | null, slug: string, status: MembershipStatus): Promise<MemberView[]> {
  if (!viewer) throw unauthenticated();
  const territory = await findTerritory(deps, slug);
  if (!(await managesMembers(deps, viewer, territory.id))) throw forbidden('Only coordinators of this territory (or above it) and admins see its members.');
  const rows = await deps.db.selectFrom('membership').innerJoin('actor', 'actor.id', 'membership.actor_id')
    .select(['actor.slug', 'actor.name', 'actor.kind', 'membership.role', 'membership.status', 'membership.created_at'])
    .where('membership.territory_id', '=', territory.id).where('membership.status', '=', status)
    .orderBy('membership.created_at').orderBy('actor.name').limit(500).execute();
  return rows.map((r) => ({ actor: r.slug, name: r.name, kind: r.kind, role: r.role, status: r.status, since: r.created_at }));
}

/** Accepts a pending member, or declines (removes) a pending or plain member; coordinators stay until handed over. */
export async function decideMembership(deps: Deps, viewer: Viewer | null, slug: string, actorSlug: string, decision: 'approve' | 'decline') {
  if (!viewer) throw unauthenticated();
  return deps.db.transaction().execute(async (trx) => {
    const tx = { ...deps, db: trx };
    const territory = await findTerritory(tx, slug);
    if (!(await managesMembers(tx, viewer, territory.id))) throw forbidden('Only coordinators of this territory (or above it) and admins accept its members.');
    const member = await trx.selectFrom('membership').innerJoin('actor', 'actor.id', 'membership.actor_id')
      .select(['membership.actor_id', 'membership.role', 'membership.status']).where('membership.territory_id', '=', territory.id).where('actor.slug', '=', actorSlug).executeTakeFirst();
    if (!member) throw notFound('Membership');
    if (member.role === 'coordinator') throw new AppError(409, 'conflict', 'This actor coordinates the territory: an admin hands coordination over.');
    const users = (await trx.selectFrom('user_actor').select('user_id').where('actor_id', '=', member.actor_id).execute()).map((r) => r.user_id);
    const now = nowIso(deps);
    if (decision === 'approve') {
      await trx.updateTable('membership').set({ status: 'active', decided_by: viewer.user.id, decided_at: now })
        .where('actor_id', '=', member.actor_id).where('territory_id', '=', territory.id).execute();
      if (member.status === 'pending') await notify(trx, deps, users, 'membership.approved', { territory: territory.name }, `/territories/${territory.slug}`);
    } else {
      await trx.deleteFrom('membership').where('actor_id', '=', member.actor_id).where('territory_id', '=', territory.id).execute();
      await notify(trx, deps, users, 'membership.declined', { territory: territory.name }, `/territories/${territory.slug}`);
    }
    await recordAudit(tx, viewer.user.id, decision === 'approve' ? 'membership.approve' : 'membership.decline', `territory/${territory.slug}`, { actor: actorSlug, was: member.status });
    return { territory: territory.slug, actor: actorSlug, status: decision === 'approve' ? 'active' as const : null };
  });
}
