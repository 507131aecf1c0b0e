import { AppError, forbidden, invalid, notFound, unauthenticated } from '../errors.js';
import { type ActorKind, normaliseEmail, uniqueActorSlug } from './accounts.js';
import { recordAudit } from './audit.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { createPageRevision } from './pages.js';

// Actors a user acts for. Everyone has their own; an organisation, school or authority gets its own
// actor, which several people can represent and log choices for.

export async function myActors(deps: Deps, viewer: Viewer | null) {
  if (!viewer) throw unauthenticated();
  const rows = await deps.db.selectFrom('actor').innerJoin('user_actor', 'user_actor.actor_id', 'actor.id')
    .leftJoin('territory', 'territory.id', 'actor.home_territory_id')
    .select(['actor.slug', 'actor.name', 'actor.kind', 'user_actor.is_primary', 'territory.slug as territory'])
    .where('user_actor.user_id', '=', viewer.user.id).orderBy('user_actor.is_primary', 'desc').orderBy('actor.name').execute();
  return rows.map((r) => ({ slug: r.slug, name: r.name, kind: r.kind, primary: Boolean(r.is_primary), territory: r.territory ?? null, page: `actor/${r.slug}` }));
}

export async function createActor(deps: Deps, viewer: Viewer | null, input: { name: string; kind: ActorKind; territory?: string | null }) {
  if (!viewer) throw unauthenticated();
  return deps.db.transaction().execute(async (trx) => {
    const tx = { ...deps, db: trx };
    let territoryId: number | null = null;
    if (input.territory) {
      const territory = await trx.selectFrom('territory').select('id').where('slug', '=', input.territory).executeTakeFirst();
      if (!territory) throw invalid('Unknown territory.', [{ path: 'territory', message: 'not_found' }]);
      territoryId = territory.id;
    }
    const now = nowIso(deps);
    const slug = await uniqueActorSlug(tx, input.name);
    const actor = await trx.insertInto('actor').values({ slug, name: input.name.trim(), kind: input.kind, home_territory_id: territoryId, created_at: now })
      .returningAll().executeTakeFirstOrThrow();
    await trx.insertInto('user_actor').values({ user_id: viewer.user.id, actor_id: actor.id, is_primary: 0 }).execute();
    if (territoryId) await trx.insertInto('membership').values({ actor_id: actor.id, territory_id: territoryId, role: 'member', created_at: now }).execute();
    await createPageRevision(tx, { path: `actor/${slug}`, title: actor.name, markdown: `# ${actor.name}\n`, summary: 'Page created', authorId: viewer.user.id, ownerActorId: actor.id, territoryId });
    await recordAudit(tx, viewer.user.id, 'actor.create', `actor/${slug}`, { kind: input.kind });
    return { slug, name: actor.name, kind: actor.kind, territory: input.territory ?? null, page: `actor/${slug}` };
  });
}

/** A representative of an actor adds another account as representative. */
export async function addRepresentative(deps: Deps, viewer: Viewer | null, actorSlug: string, email: string) {
  if (!viewer) throw unauthenticated();
  const actor = await deps.db.selectFrom('actor').select(['id', 'slug']).where('slug', '=', actorSlug).executeTakeFirst();
  if (!actor) throw notFound('Actor');
  const mine = await deps.db.selectFrom('user_actor').select('actor_id').where('user_id', '=', viewer.user.id).where('actor_id', '=', actor.id).executeTakeFirst();
  if (!mine) throw forbidden('Only its representatives can add someone to an actor.');
  const user = await deps.db.selectFrom('user').select('id').where('email', '=', normaliseEmail(email)).executeTakeFirst();
  if (!user) throw invalid('No account uses this email address.', [{ path: 'email', message: 'not_found' }]);
  const existing = await deps.db.selectFrom('user_actor').select('actor_id').where('user_id', '=', user.id).where('actor_id', '=', actor.id).executeTakeFirst();
  if (existing) throw new AppError(409, 'conflict', 'This person already represents this actor.');
  await deps.db.insertInto('user_actor').values({ user_id: user.id, actor_id: actor.id, is_primary: 0 }).execute();
  await recordAudit(deps, viewer.user.id, 'actor.representative', `actor/${actor.slug}`, { user: user.id });
}
