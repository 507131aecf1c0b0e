import { randomBytes } from 'node:crypto';
import { AppError, invalid, notFound, unauthenticated } from '../errors.js';
import { removeDocument } from '../../db/search-index.js';
import { recordAudit } from './audit.js';
import { forgetNoticesAboutPage, renameAuthorInNotices } from './notices.js';
import { encodePath } from '../markdown/render.js';
import { verifyCredentials } from './accounts.js';
import { eraseChoicesOfActors } from './choices.js';
import { type Deps, type Viewer, nowIso, requireAdmin } from './deps.js';

// Leaving for good. The person's journal goes (every choice of the actors only they speak for, with
// results and revisions; summaries count them no more), and so do their sessions, tokens, calendar
// feed, workshop registrations, topic interests, notices, pending confirmations and their personal
// pages (named after them). What they wrote in
// the shared wiki stays, attributed to "a former member", because others built on it. The account row
// remains only as that anonymous name (so history keeps its shape); its e-mail address is free again.

export const FORMER_MEMBER = 'A former member';

async function erase(deps: Deps, userId: number, by: number | null, reason?: string): Promise<{ choices: number }> {
  const user = await deps.db.selectFrom('user').select(['id', 'disabled_at', 'email', 'name']).where('id', '=', userId).executeTakeFirst();
  if (!user || user.email.endsWith('@deleted.invalid')) throw notFound('Account');
  const links = await deps.db.selectFrom('user_actor').select('actor_id').where('user_id', '=', userId).execute();
  const ownActors: number[] = [];
  for (const { actor_id: actorId } of links) {
    const others = await deps.db.selectFrom('user_actor').select('user_id').where('actor_id', '=', actorId).where('user_id', '!=', userId).executeTakeFirst();
    if (!others) ownActors.push(actorId);
  }
  const choices = await eraseChoicesOfActors(deps, ownActors);
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    for (const table of ['session', 'access_token', 'email_verification', 'calendar_feed', 'registration', 'topic_interest', 'notice', 'watch', 'notification_preference', 'notification_delivery', 'personal_feed'] as const) {
      await trx.deleteFrom(table).where('user_id', '=', userId).execute();
    }
    // Organisations the person spoke for keep going with their other representatives.
    await trx.deleteFrom('user_actor').where('user_id', '=', userId).where('actor_id', 'not in', ownActors.length ? ownActors : [0]).execute();
    // Their personal pages (named after them) go too, with their revisions and comments.
    const personal = ownActors.length ? await trx.selectFrom('page').select(['id', 'path']).where('owner_actor_id', 'in', ownActors).execute() : [];
    for (const page of personal) {
      await removeDocument(trx, 'page', page.path);
      await forgetNoticesAboutPage(trx, `/wiki/${encodePath(page.path)}`);
      await trx.deleteFrom('page').where('id', '=', page.id).execute();
    }
    for (const actorId of ownActors) {
      await trx.deleteFrom('membership').where('actor_id', '=', actorId).execute();
      await trx.updateTable('actor').set({ name: FORMER_MEMBER, slug: `former-member-${actorId}`, home_territory_id: null }).where('id', '=', actorId).execute();
    }
    // Nothing more is mailed to them, and others' notifications name them no more.
    await trx.deleteFrom('outbox').where('to_address', '=', user.email).where('sent_at', 'is', null).execute();
    await renameAuthorInNotices(trx, user.name, FORMER_MEMBER);
    await trx.updateTable('user').set({
      email: `former-member-${userId}@deleted.invalid`, name: FORMER_MEMBER, password_hash: `!${randomBytes(16).toString('hex')}`, role: 'member',
      time_zone: null, disabled_at: now, email_verified_at: null,
    }).where('id', '=', userId).execute();
    await recordAudit({ ...deps, db: trx }, by, 'user.delete', `user/${userId}`, { choices, ...(reason ? { reason } : {}), bySelf: by === userId });
  });
  return { choices };
}

/** Deletes my account; my password says it is really me. */
export async function deleteMyAccount(deps: Deps, viewer: Viewer | null, password: string) {
  if (!viewer) throw unauthenticated();
  if (!(await verifyCredentials(deps, viewer.user.email, password))) {
    throw invalid('The password is not right.', [{ path: 'password', message: 'wrong' }]);
  }
  return erase(deps, viewer.user.id, viewer.user.id);
}

/** An admin deletes an account at its owner's request (the reason goes to the audit log). */
export async function deleteAccountByAdmin(deps: Deps, viewer: Viewer | null, userId: number, reason: string) {
  const admin = requireAdmin(viewer, 'Only admins delete other accounts.');
  if (userId === admin.user.id) throw new AppError(409, 'conflict', 'Delete your own account from your settings.');
  return erase(deps, userId, admin.user.id, reason);
}
