import { siteOrigin } from '../config.js';
import { createHash, randomBytes } from 'node:crypto';
import type { Role, User, Visibility } from '../../db/schema.js';
import { AppError, forbidden, invalid, notFound } from '../errors.js';
import { retryingTransaction } from '../../db/transactions.js';
import { uniqueViolation } from '../../db/errors.js';
import { lockName } from '../../db/portable.js';
import { type Locale, asLocale, translator } from '../i18n/index.js';
import { enqueueMail } from './outbox.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { checkPasswordPolicy, dummyPasswordHash, hashPassword, verifyPassword } from './passwords.js';
import { toPagePath } from './page-paths.js';
import { createPageRevision } from './pages.js';
import { recordAudit } from './audit.js';
import { joinTerritory } from './memberships.js';

export const ACTOR_KINDS = [
  'citizen', 'household', 'civil-society', 'local-authority', 'school', 'business', 'public-institution', 'government',
] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export interface RegisterInput {
  email: string;
  password: string;
  name: string;
  actorKind: ActorKind;
  territory?: string | null;
  locale?: Locale;
  role?: Role;
  /** False for people who sign up themselves: they confirm their address before publishing. */
  verified?: boolean;
  /** True for people who sign up themselves: their home territory's coordinators accept them as members. */
  pendingMembership?: boolean;
  /** Consent: what new choices start as (private unless the person chooses otherwise). */
  defaultVisibility?: Visibility;
  /** Consent: whether new choices count, anonymously, in summaries (yes unless the person says no). */
  countInSummaries?: boolean;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
export const newSecret = (prefix = '') => prefix + randomBytes(32).toString('base64url');

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Creates a user, the actor they represent, their membership of their home territory and their personal page. */
export async function registerUser(deps: Deps, input: RegisterInput): Promise<User> {
  const email = normaliseEmail(input.email);
  checkPasswordPolicy(input.password, [email, email.split('@')[0], input.name]);
  const passwordHash = await hashPassword(input.password);
  const now = nowIso(deps);
  // A slug found free can be taken by a concurrent sign-up of the same name: then the whole sign-up runs again.
  return retryingTransaction(deps.db, async (trx) => {
    if (await trx.selectFrom('user').select('id').where('email', '=', email).executeTakeFirst()) {
      throw new AppError(409, 'conflict', 'An account already uses this email address.');
    }
    let territoryId: number | null = null;
    if (input.territory) {
      const territory = await trx.selectFrom('territory').select('id').where('slug', '=', input.territory).executeTakeFirst();
      if (!territory) throw invalid('Unknown territory.', [{ path: 'territory', message: 'not_found' }]);
      territoryId = territory.id;
    }
    const user = await trx
      .insertInto('user')
      .values({ email, password_hash: passwordHash, name: input.name.trim(), role: input.role ?? 'member', locale: input.locale ?? 'en', time_zone: null, created_at: now, disabled_at: null,
        email_verified_at: input.verified === false ? null : now,
        default_visibility: input.defaultVisibility ?? 'private', count_in_summaries_default: input.countInSummaries === false ? 0 : 1 })
      .returningAll()
      .executeTakeFirstOrThrow();
    const slug = await uniqueActorSlug({ ...deps, db: trx }, input.name);
    const actor = await trx
      .insertInto('actor')
      .values({ slug, name: input.name.trim(), kind: input.actorKind, home_territory_id: territoryId, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.insertInto('user_actor').values({ user_id: user.id, actor_id: actor.id, is_primary: 1 }).execute();
    if (territoryId && input.role === 'coordinator') {
      await trx.insertInto('membership').values({ actor_id: actor.id, territory_id: territoryId, role: 'coordinator', status: 'active', created_at: now }).execute();
    } else if (territoryId) {
      await joinTerritory({ ...deps, db: trx }, null, actor.id, territoryId, { trusted: !input.pendingMembership });
    }
    await createPageRevision({ ...deps, db: trx }, {
      path: `actor/${slug}`,
      title: actor.name,
      markdown: `# ${actor.name}\n`,
      summary: 'Personal page created',
      authorId: user.id,
      ownerActorId: actor.id,
      territoryId,
    });
    return user;
  }, { retryUnique: ACTOR_SLUG_TAKEN }).catch((error: unknown) => {
    // The same address signing up twice at the same moment: the second is told as if it had come later.
    if (uniqueViolation(error) && /user_email|user\.email/.test(uniqueViolation(error)!.detail)) throw new AppError(409, 'conflict', 'An account already uses this email address.');
    throw error;
  });
}

/**
 * Sign-up as people do it themselves: an unconfirmed account, a pending membership, a confirmation link.
 * Where this instance sends e-mail, the answer never tells whether an account uses the address (as
 * login does): a taken address gets no account, and its owner a message saying someone tried. Without
 * e-mail nobody could receive that message, so the clear "already used" answer stays, and the new
 * account signs in at once (`signIn`).
 */
export async function signUp(deps: Deps, input: Omit<RegisterInput, 'role' | 'verified' | 'pendingMembership'>): Promise<{ user: User | null; signIn: boolean }> {
  const neutral = deps.config.requireEmailVerification;
  try {
    const user = await registerUser(deps, { ...input, verified: false, pendingMembership: true });
    await sendEmailVerification(deps, user.id);
    return { user, signIn: !neutral };
  } catch (error) {
    if (!neutral || !(error instanceof AppError) || error.status !== 409) throw error;
    const owner = await deps.db.selectFrom('user').select(['email', 'locale']).where('email', '=', normaliseEmail(input.email)).executeTakeFirstOrThrow();
    const t = translator(asLocale(owner.locale));
    await enqueueMail(deps.db, deps, { to: owner.email, subject: t('mail.signUpTakenSubject'), body: t('mail.signUpTakenBody', { login: `${siteOrigin(deps.config)}/login` }) });
    return { user: null, signIn: false };
  }
}

/** The constraints a concurrent creator of the same actor name breaks (actor slug, its page's path): try again with the next free slug. */
export const ACTOR_SLUG_TAKEN = /actor_slug|actor\.slug|page_path|page\.path/;

/** A free actor slug from a name; in a transaction, creators of the same name take turns until their commit. */
export async function uniqueActorSlug(deps: Deps, name: string): Promise<string> {
  const base = toPagePath(name).replace(/\//g, '-') || 'actor';
  if (deps.db.isTransaction) await lockName(deps.db, `actor-slug:${base}`);
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    const taken = await deps.db.selectFrom('actor').select('id').where('slug', '=', slug).executeTakeFirst();
    if (!taken) return slug;
  }
}

export async function verifyCredentials(deps: Deps, emailInput: string, password: string): Promise<User | null> {
  const user = await deps.db.selectFrom('user').selectAll().where('email', '=', normaliseEmail(emailInput)).executeTakeFirst();
  if (!user || user.disabled_at) {
    await verifyPassword(password, await dummyPasswordHash());
    return null;
  }
  return (await verifyPassword(password, user.password_hash)) ? user : null;
}

// Sessions: the cookie holds a random 256-bit token; the database keeps only its SHA-256.

export async function createSession(deps: Deps, userId: number, userAgent: string | null, previousToken?: string | null): Promise<string> {
  const token = newSecret();
  const now = deps.clock.now();
  const expires = new Date(now.getTime() + deps.config.sessionAbsoluteDays * 86_400_000);
  await deps.db.transaction().execute(async (trx) => {
    // Rotation at login: whatever session the browser carried before is dropped.
    if (previousToken) await trx.deleteFrom('session').where('token_hash', '=', sha256(previousToken)).execute();
    await trx.insertInto('session').values({
      token_hash: sha256(token), user_id: userId, created_at: now.toISOString(), last_seen_at: now.toISOString(),
      expires_at: expires.toISOString(), user_agent: userAgent?.slice(0, 300) ?? null,
    }).execute();
  });
  return token;
}

export async function resolveSession(deps: Deps, token: string): Promise<Viewer | null> {
  if (!token || token.length > 100) return null;
  const hash = sha256(token);
  const row = await deps.db
    .selectFrom('session')
    .innerJoin('user', 'user.id', 'session.user_id')
    .select(['session.last_seen_at', 'session.expires_at', 'user.id', 'user.email', 'user.name', 'user.role', 'user.locale', 'user.time_zone', 'user.disabled_at'])
    .where('session.token_hash', '=', hash)
    .executeTakeFirst();
  if (!row || row.disabled_at) return null;
  const now = deps.clock.now();
  const idleLimit = new Date(row.last_seen_at).getTime() + deps.config.sessionIdleMinutes * 60_000;
  if (now.getTime() > idleLimit || now.toISOString() > row.expires_at) {
    await deps.db.deleteFrom('session').where('token_hash', '=', hash).execute();
    return null;
  }
  // Touch at most once a minute so reads do not turn into writes.
  if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000) {
    await deps.db.updateTable('session').set({ last_seen_at: now.toISOString() }).where('token_hash', '=', hash).execute();
  }
  const { last_seen_at: _l, expires_at: _e, disabled_at: _d, ...user } = row;
  return { user, via: 'session' };
}

/**
 * Tells the owner of an account (if there is one) that it was just locked after failed logins: if it
 * was not them, someone is guessing their password. Unknown addresses get nothing (no enumeration).
 */
export async function sendLockoutNotice(deps: Deps, email: string, minutes: number): Promise<void> {
  const user = await deps.db.selectFrom('user').select(['id', 'email', 'locale']).where('email', '=', normaliseEmail(email)).where('disabled_at', 'is', null).executeTakeFirst();
  if (!user) return;
  const t = translator(asLocale(user.locale));
  const settings = `${siteOrigin(deps.config)}/me/settings`;
  await enqueueMail(deps.db, deps, { to: user.email, subject: t('mail.lockoutSubject'), body: t('mail.lockoutBody', { minutes, settings }) });
  await recordAudit(deps, null, 'user.locked', `user/${user.id}`, { minutes });
}

// Confirming an e-mail address: a random link sent through the outbox (only its hash is kept), valid a
// week. Until then the account keeps a private journal but publishes nothing public (spam-safe sign-up).

const VERIFICATION_DAYS = 7;

export async function sendEmailVerification(deps: Deps, userId: number): Promise<void> {
  const user = await deps.db.selectFrom('user').select(['email', 'locale', 'email_verified_at']).where('id', '=', userId).executeTakeFirstOrThrow();
  if (user.email_verified_at) return;
  const token = newSecret();
  const now = deps.clock.now();
  await deps.db.insertInto('email_verification').values({
    token_hash: sha256(token), user_id: userId, created_at: now.toISOString(), expires_at: new Date(now.getTime() + VERIFICATION_DAYS * 86_400_000).toISOString(),
  }).execute();
  const t = translator(asLocale(user.locale));
  const link = `${siteOrigin(deps.config)}/verify-email?token=${token}`;
  await enqueueMail(deps.db, deps, { to: user.email, subject: t('mail.verifySubject'), body: t('mail.verifyBody', { link, days: VERIFICATION_DAYS }) });
}

/** Follows a confirmation link: the account's address is confirmed and its other links void. */
export async function verifyEmail(deps: Deps, token: string): Promise<number> {
  const row = token.length <= 100 ? await deps.db.selectFrom('email_verification').select(['user_id', 'expires_at']).where('token_hash', '=', sha256(token)).executeTakeFirst() : undefined;
  if (!row || row.expires_at <= nowIso(deps)) throw new AppError(400, 'invalid_token', 'This confirmation link is not valid or has expired: ask for a new one in your settings.');
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('user').set({ email_verified_at: nowIso(deps) }).where('id', '=', row.user_id).where('email_verified_at', 'is', null).execute();
    await trx.deleteFrom('email_verification').where('user_id', '=', row.user_id).execute();
  });
  return row.user_id;
}

/** A person's signed-in browsers: an id (the start of the stored hash, never the secret), when and what. */
export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  device: { browser: string | null; system: string | null };
  current: boolean;
}

const SESSION_ID_LENGTH = 20;

/** Browser and system named from the user agent, coarsely: enough to recognise one's own devices. */
export function describeDevice(userAgent: string | null): SessionView['device'] {
  const ua = userAgent ?? '';
  const browser = /Edg\//.test(ua) ? 'Edge' : /OPR\//.test(ua) ? 'Opera' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : null;
  const system = /Android/.test(ua) ? 'Android' : /iPhone|iPad|iPod/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X|Macintosh/.test(ua) ? 'macOS' : /CrOS/.test(ua) ? 'ChromeOS' : /Linux/.test(ua) ? 'Linux' : null;
  return { browser, system };
}

export async function listSessions(deps: Deps, viewer: Viewer, currentToken: string | null): Promise<SessionView[]> {
  const current = currentToken ? sha256(currentToken) : null;
  const now = deps.clock.now().toISOString();
  const rows = await deps.db.selectFrom('session').select(['token_hash', 'created_at', 'last_seen_at', 'expires_at', 'user_agent'])
    .where('user_id', '=', viewer.user.id).where('expires_at', '>', now).orderBy('last_seen_at', 'desc').execute();
  return rows.map((row) => ({
    id: row.token_hash.slice(0, SESSION_ID_LENGTH), createdAt: row.created_at, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at,
    device: describeDevice(row.user_agent), current: row.token_hash === current,
  }));
}

/** Ends one of the viewer's sessions (someone else's answers 404, as an unknown one does). */
export async function endSessionById(deps: Deps, viewer: Viewer, id: string): Promise<void> {
  if (!/^[0-9a-f]+$/.test(id) || id.length !== SESSION_ID_LENGTH) throw notFound('Session');
  const ended = await deps.db.deleteFrom('session').where('user_id', '=', viewer.user.id).where('token_hash', 'like', `${id}%`).executeTakeFirst();
  if (!Number(ended.numDeletedRows)) throw notFound('Session');
  await recordAudit(deps, viewer.user.id, 'session.end', `user/${viewer.user.id}`, {});
}

/** "Log out everywhere else": every session but the one making the request (all of them from an API token). */
export async function endOtherSessions(deps: Deps, viewer: Viewer, currentToken: string | null): Promise<number> {
  let query = deps.db.deleteFrom('session').where('user_id', '=', viewer.user.id);
  if (currentToken) query = query.where('token_hash', '!=', sha256(currentToken));
  const ended = Number((await query.executeTakeFirst()).numDeletedRows);
  await recordAudit(deps, viewer.user.id, 'session.end-others', `user/${viewer.user.id}`, { ended });
  return ended;
}

export async function destroySession(deps: Deps, token: string): Promise<void> {
  await deps.db.deleteFrom('session').where('token_hash', '=', sha256(token)).execute();
}

/** The CSRF token of a session: derived from the cookie token, so it needs no storage and dies with the session. */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}

// Personal access tokens for API clients (Authorization: Bearer sj_…).

export async function createAccessToken(deps: Deps, viewer: Viewer, name: string): Promise<{ id: number; name: string; token: string; createdAt: string }> {
  const token = newSecret('sj_');
  const createdAt = nowIso(deps);
  const row = await deps.db
    .insertInto('access_token')
    .values({ user_id: viewer.user.id, name: name.trim(), token_hash: sha256(token), created_at: createdAt, last_used_at: null, revoked_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, name: name.trim(), token, createdAt };
}

export async function listAccessTokens(deps: Deps, viewer: Viewer) {
  return deps.db
    .selectFrom('access_token')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('user_id', '=', viewer.user.id)
    .where('revoked_at', 'is', null)
    .orderBy('id', 'desc')
    .execute();
}

export async function revokeAccessToken(deps: Deps, viewer: Viewer, id: number): Promise<void> {
  const result = await deps.db
    .updateTable('access_token')
    .set({ revoked_at: nowIso(deps) })
    .where('id', '=', id)
    .where('user_id', '=', viewer.user.id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!result.numUpdatedRows) throw notFound('Token');
}

export async function resolveAccessToken(deps: Deps, token: string): Promise<Viewer | null> {
  if (!token.startsWith('sj_') || token.length > 100) return null;
  const row = await deps.db
    .selectFrom('access_token')
    .innerJoin('user', 'user.id', 'access_token.user_id')
    .select(['access_token.id as tokenId', 'access_token.last_used_at', 'user.id', 'user.email', 'user.name', 'user.role', 'user.locale', 'user.time_zone', 'user.disabled_at'])
    .where('access_token.token_hash', '=', sha256(token))
    .where('access_token.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row || row.disabled_at) return null;
  const now = deps.clock.now();
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
    await deps.db.updateTable('access_token').set({ last_used_at: now.toISOString() }).where('id', '=', row.tokenId).execute();
  }
  const { tokenId: _t, last_used_at: _l, disabled_at: _d, ...user } = row;
  return { user, via: 'token' };
}

// Profile.

export async function getProfile(deps: Deps, viewer: Viewer) {
  const { email_verified_at: verifiedAt, default_visibility: defaultVisibility, count_in_summaries_default: countDefault, ...user } = await deps.db.selectFrom('user')
    .select(['id', 'email', 'name', 'role', 'locale', 'time_zone', 'created_at', 'email_verified_at', 'default_visibility', 'count_in_summaries_default']).where('id', '=', viewer.user.id).executeTakeFirstOrThrow();
  const actors = await deps.db
    .selectFrom('user_actor')
    .innerJoin('actor', 'actor.id', 'user_actor.actor_id')
    .leftJoin('territory', 'territory.id', 'actor.home_territory_id')
    .select(['actor.id', 'actor.slug', 'actor.name', 'actor.kind', 'user_actor.is_primary', 'territory.slug as territorySlug', 'territory.name as territoryName'])
    .where('user_actor.user_id', '=', viewer.user.id)
    .orderBy('user_actor.is_primary', 'desc')
    .execute();
  const memberships = await deps.db
    .selectFrom('membership')
    .innerJoin('user_actor', 'user_actor.actor_id', 'membership.actor_id')
    .innerJoin('territory', 'territory.id', 'membership.territory_id')
    .select(['territory.slug', 'territory.name', 'membership.role', 'membership.status'])
    .where('user_actor.user_id', '=', viewer.user.id)
    .execute();
  return { user: { ...user, emailVerified: verifiedAt !== null, defaultVisibility, countInSummaries: countDefault === 1 }, actors, memberships };
}

export interface ProfileUpdate {
  name?: string;
  locale?: Locale;
  timeZone?: string | null;
  actorKind?: ActorKind;
  territory?: string | null;
  currentPassword?: string;
  newPassword?: string;
  defaultVisibility?: Visibility;
  countInSummaries?: boolean;
}

export async function updateProfile(deps: Deps, viewer: Viewer, update: ProfileUpdate): Promise<void> {
  if (update.timeZone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: update.timeZone });
    } catch {
      throw invalid('Unknown time zone.', [{ path: 'timeZone', message: 'invalid' }]);
    }
  }
  let passwordHash: string | undefined;
  if (update.newPassword) {
    const user = await verifyCredentials(deps, viewer.user.email, update.currentPassword ?? '');
    if (!user) throw invalid('The current password is wrong.', [{ path: 'currentPassword', message: 'wrong' }]);
    checkPasswordPolicy(update.newPassword, [viewer.user.email.split('@')[0], viewer.user.name]);
    passwordHash = await hashPassword(update.newPassword);
  }
  await deps.db.transaction().execute(async (trx) => {
    const changes = {
      ...(update.name ? { name: update.name.trim() } : {}),
      ...(update.locale ? { locale: update.locale } : {}),
      ...(update.timeZone !== undefined ? { time_zone: update.timeZone || null } : {}),
      ...(passwordHash ? { password_hash: passwordHash } : {}),
      ...(update.defaultVisibility ? { default_visibility: update.defaultVisibility } : {}),
      ...(update.countInSummaries !== undefined ? { count_in_summaries_default: update.countInSummaries ? 1 : 0 } : {}),
    };
    if (Object.keys(changes).length) await trx.updateTable('user').set(changes).where('id', '=', viewer.user.id).execute();
    const primary = await trx.selectFrom('user_actor').select('actor_id').where('user_id', '=', viewer.user.id).where('is_primary', '=', 1).executeTakeFirst();
    if (!primary) return;
    if (update.name || update.actorKind) {
      await trx.updateTable('actor').set({ ...(update.name ? { name: update.name.trim() } : {}), ...(update.actorKind ? { kind: update.actorKind } : {}) }).where('id', '=', primary.actor_id).execute();
    }
    if (update.territory !== undefined) {
      const territory = update.territory ? await trx.selectFrom('territory').select('id').where('slug', '=', update.territory).executeTakeFirst() : null;
      if (update.territory && !territory) throw invalid('Unknown territory.', [{ path: 'territory', message: 'not_found' }]);
      const previous = await trx.selectFrom('actor').select('home_territory_id').where('id', '=', primary.actor_id).executeTakeFirstOrThrow();
      await trx.updateTable('actor').set({ home_territory_id: territory?.id ?? null }).where('id', '=', primary.actor_id).execute();
      // Moving away ends the plain membership of the old home (and its territory-only content);
      // coordinating a territory is a role, and stays until it is handed over.
      if (previous.home_territory_id && previous.home_territory_id !== territory?.id) {
        await trx.deleteFrom('membership').where('actor_id', '=', primary.actor_id).where('territory_id', '=', previous.home_territory_id).where('role', '=', 'member').execute();
      }
      // Naming a territory asks to join it: its coordinators accept (past choices stay where they were logged).
      if (territory) await joinTerritory({ ...deps, db: trx }, viewer, primary.actor_id, territory.id);
    }
    if (passwordHash) {
      // A password change logs out every other session.
      await trx.deleteFrom('session').where('user_id', '=', viewer.user.id).execute();
    }
  });
}

/** The command line's way to make the first admin (the demo never creates an account with a known password). */
export async function createUserWithRole(deps: Deps, input: RegisterInput & { role: Role }, actor: Viewer | null = null): Promise<User> {
  if (actor && actor.user.role !== 'admin') throw forbidden();
  const user = await registerUser(deps, input);
  await recordAudit(deps, actor?.user.id ?? null, 'user.create', `user/${user.id}`, { role: input.role });
  return user;
}

/** Actors this user may act for (a user may represent several actors, e.g. an organisation). */
export async function actorIdsOf(deps: Deps, userId: number): Promise<number[]> {
  const rows = await deps.db.selectFrom('user_actor').select('actor_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.actor_id);
}

/** Whether someone can administer the site (demo accounts, whose passwords nobody knows, do not count). */
export async function hasUsableAdmin(deps: Deps): Promise<boolean> {
  const row = await deps.db.selectFrom('user').select('id').where('role', '=', 'admin').where('email', 'not like', '%@demo.invalid').executeTakeFirst();
  return Boolean(row);
}
