import { AppError } from '../errors.js';
import type { Deps, Viewer } from './deps.js';

/** Whether someone whose address is (or is not) confirmed may publish on this instance. */
export function mayPublish(deps: Pick<Deps, 'config'>, emailVerified: boolean): boolean {
  return emailVerified || !deps.config.requireEmailVerification;
}

/**
 * Public writing (pages, comments, public choices, topics, tools, workshops, charters) needs a confirmed
 * e-mail address where the instance sends e-mail: people who sign up themselves keep a private journal
 * until they follow the link.
 */
export async function requireVerifiedToPublish(deps: Deps, viewer: Viewer): Promise<void> {
  if (!deps.config.requireEmailVerification) return;
  const user = await deps.db.selectFrom('user').select('email_verified_at').where('id', '=', viewer.user.id).executeTakeFirst();
  if (!user?.email_verified_at) throw new AppError(403, 'email_unverified', 'Confirm your e-mail address first: follow the link we sent you (your settings page sends a new one).');
}
