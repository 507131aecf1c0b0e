import { forbidden, invalid, notFound, unauthenticated } from '../errors.js';
import { notify } from './notices.js';
import { ACTOR_SLUG_TAKEN, type ActorKind, normaliseEmail, uniqueActorSlug } from './accounts.js';
import { retryingTransaction } from '../../db/transactions.js';
import { recordAudit } from './audit.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { createPageRevision } from './pages.js';
import { joinTerritory } from './memberships.js';

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
  return retryingTransaction(deps.db, async (trx) => {
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
    if (territoryId) await joinTerritory(tx, viewer, actor.id, territoryId);
    await createPageRevision(tx, { path: `actor/${slug}`, title: actor.name, markdown: `# ${actor.name}\n`, summary: 'Page created', authorId: viewer.user.id, ownerActorId: actor.id, territoryId });
    await recordAudit(tx, viewer.user.id, 'actor.create', `actor/${slug}`, { kind: input.kind });
    return { slug, name: actor.name, kind: actor.kind, territory: input.territory ?? null, page: `actor/${slug}` };
  }, { retryUnique: ACTOR_SLUG_TAKEN });
}

const INVITATION_DAYS = 30;

/**
 * A representative invites someone, by e-mail address, to act for an actor too. The person becomes a
 * representative only by accepting; the answer is the same whether an account uses the address or not
 * (an invitation never tells who has an account here), and only an existing account is told.
 */
export async function inviteRepresentative(deps: Deps, viewer: Viewer | null, actorSlug: string, email: string): Promise<void> {
  if (!viewer) throw unauthenticated();
  await deps.db.transaction().execute(async (trx) => {
    const actor = await trx.selectFrom('actor').select(['id', 'slug', 'name']).where('slug', '=', actorSlug).executeTakeFirst();
    if (!actor) throw notFound('Actor');
    const mine = await trx.selectFrom('user_actor').select('actor_id').where('user_id', '=', viewer.user.id).where('actor_id', '=', actor.id).executeTakeFirst();
    if (!mine) throw forbidden('Only its representatives can invite someone to act for an actor.');
    const user = await trx.selectFrom('user').select('id').where('email', '=', normaliseEmail(email)).where('disabled_at', 'is', null).executeTakeFirst();
    const already = user && await trx.selectFrom('user_actor').select('actor_id').where('user_id', '=', user.id).where('actor_id', '=', actor.id).executeTakeFirst();
    if (user && !already) {
      const now = deps.clock.now();
      const expires = new Date(now.getTime() + INVITATION_DAYS * 86_400_000).toISOString();
      const invitation = await trx.insertInto('representative_invitation')
        .values({ actor_id: actor.id, user_id: user.id, invited_by: viewer.user.id, created_at: now.toISOString(), expires_at: expires })
        .onConflict((oc) => oc.columns(['actor_id', 'user_id']).doUpdateSet({ invited_by: viewer.user.id, created_at: now.toISOString(), expires_at: expires }))
        .returning('id').executeTakeFirstOrThrow();
      await notify(trx, deps, [user.id], 'representative.invited', { actor: actor.name, by: viewer.user.name }, `/me/settings#invitation-${invitation.id}`);
    }
    await recordAudit({ ...deps, db: trx }, viewer.user.id, 'actor.invite', `actor/${actor.slug}`);
  });
}

export interface InvitationView {
  id: number;
  actor: { slug: string; name: string; kind: string };
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
}

/** Invitations waiting for my answer. */
export async function myInvitations(deps: Deps, viewer: Viewer | null): Promise<InvitationView[]> {
  if (!viewer) throw unauthenticated();
  const rows = await deps.db.selectFrom('representative_invitation')
    .innerJoin('actor', 'actor.id', 'representative_invitation.actor_id')
    .leftJoin('user as inviter', 'inviter.id', 'representative_invitation.invited_by')
    .select(['representative_invitation.id', 'actor.slug', 'actor.name', 'actor.kind', 'inviter.name as invitedBy', 'representative_invitation.created_at', 'representative_invitation.expires_at'])
    .where('representative_invitation.user_id', '=', viewer.user.id).where('representative_invitation.expires_at', '>', nowIso(deps))
    .orderBy('representative_invitation.id', 'desc').execute();
  return rows.map((r) => ({ id: r.id, actor: { slug: r.slug, name: r.name, kind: r.kind }, invitedBy: r.invitedBy ?? null, createdAt: r.created_at, expiresAt: r.expires_at }));
}

/** Accepting makes me a representative of the actor; declining forgets the invitation. */
export async function answerInvitation(deps: Deps, viewer: Viewer | null, id: number, decision: 'accept' | 'decline') {
  if (!viewer) throw unauthenticated();
  return deps.db.transaction().execute(async (trx) => {
    const invitation = await trx.selectFrom('representative_invitation').innerJoin('actor', 'actor.id', 'representative_invitation.actor_id')
      .select(['representative_invitation.id', 'representative_invitation.actor_id', 'representative_invitation.invited_by', 'representative_invitation.expires_at', 'actor.slug', 'actor.name'])
      .where('representative_invitation.id', '=', id).where('representative_invitation.user_id', '=', viewer.user.id).executeTakeFirst();
    // Someone else's invitation is as unknown as one that does not exist.
    if (!invitation || invitation.expires_at <= nowIso(deps)) throw notFound('Invitation');
    await trx.deleteFrom('representative_invitation').where('id', '=', id).execute();
    if (decision === 'accept') {
      await trx.insertInto('user_actor').values({ user_id: viewer.user.id, actor_id: invitation.actor_id, is_primary: 0 })
        .onConflict((oc) => oc.columns(['user_id', 'actor_id']).doNothing()).execute();
      if (invitation.invited_by) await notify(trx, deps, [invitation.invited_by], 'representative.accepted', { actor: invitation.name, name: viewer.user.name }, `/wiki/actor/${invitation.slug}`);
    }
    await recordAudit({ ...deps, db: trx }, viewer.user.id, decision === 'accept' ? 'actor.representative' : 'actor.invitation.decline', `actor/${invitation.slug}`);
    return { actor: invitation.slug, decision };
  });
}
