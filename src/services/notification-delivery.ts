import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NotificationCategory, NotificationFrequency } from '../../db/schema.js';
import { siteOrigin } from '../config.js';
import { AppError, notFound, unauthenticated } from '../errors.js';
import { asLocale, translator } from '../i18n/index.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { enqueueMail } from './outbox.js';
import { noticeText, presentNotice } from './notices.js';
import { WATCH_KINDS } from './watchlist.js';

// E-mail about notifications, per category: immediately (within a minute), a daily or weekly digest
// (at most one message a day or a week: what happened since the last one), or never. Every message carries one-click unsubscribe links (RFC 8058): signed with the instance's
// secret, so they work without logging in and cannot be made up for someone else.

export const NOTIFICATION_CATEGORIES = [...WATCH_KINDS, 'participation'] as const satisfies readonly NotificationCategory[];
export const FREQUENCIES = ['immediate', 'daily', 'weekly', 'never'] as const satisfies readonly NotificationFrequency[];
const PERIOD_MS: Record<NotificationFrequency, number> = { immediate: 0, daily: 86_400_000, weekly: 7 * 86_400_000, never: Infinity };

/**
 * Until a person chooses: at once for what is asked of them and for things that change now and then (a
 * page, a group, a workshop, a charter); a daily digest for a territory (busy, with all below it); a
 * weekly one for a criterion across the network (busier still).
 */
export const DEFAULT_FREQUENCIES: Record<NotificationCategory, NotificationFrequency> = {
  participation: 'immediate', page: 'immediate', territory: 'daily', component: 'weekly', group: 'immediate', workshop: 'immediate', charter: 'immediate',
};

export type Frequencies = Record<NotificationCategory, NotificationFrequency>;

async function frequenciesOf(deps: Deps, userId: number): Promise<Frequencies> {
  const rows = await deps.db.selectFrom('notification_preference').select(['category', 'frequency']).where('user_id', '=', userId).execute();
  const chosen = { ...DEFAULT_FREQUENCIES };
  for (const row of rows) if (row.category in chosen) chosen[row.category] = row.frequency;
  return chosen;
}

export async function getNotificationSettings(deps: Deps, viewer: Viewer | null): Promise<{ frequencies: Frequencies; personalFeed: boolean }> {
  if (!viewer) throw unauthenticated();
  const [frequencies, feed] = await Promise.all([
    frequenciesOf(deps, viewer.user.id),
    deps.db.selectFrom('personal_feed').select('user_id').where('user_id', '=', viewer.user.id).executeTakeFirst(),
  ]);
  return { frequencies, personalFeed: Boolean(feed) };
}

async function saveFrequencies(deps: Deps, userId: number, changes: Partial<Frequencies>): Promise<void> {
  const entries = Object.entries(changes).filter(([category]) => NOTIFICATION_CATEGORIES.includes(category as NotificationCategory)) as [NotificationCategory, NotificationFrequency][];
  if (!entries.length) return;
  await deps.db.insertInto('notification_preference').values(entries.map(([category, frequency]) => ({ user_id: userId, category, frequency })))
    .onConflict((oc) => oc.columns(['user_id', 'category']).doUpdateSet((eb) => ({ frequency: eb.ref('excluded.frequency') }))).execute();
}

export async function setNotificationFrequencies(deps: Deps, viewer: Viewer | null, changes: Partial<Frequencies>): Promise<Frequencies> {
  if (!viewer) throw unauthenticated();
  await saveFrequencies(deps, viewer.user.id, changes);
  return frequenciesOf(deps, viewer.user.id);
}

// Unsubscribe links -----------------------------------------------------------------------------------

export type UnsubscribeScope = NotificationCategory | 'all';

async function signingSecret(deps: Deps): Promise<string> {
  const row = await deps.db.selectFrom('setting').select('value').where('key', '=', 'signing.secret').executeTakeFirst();
  if (row) return row.value;
  const value = randomBytes(32).toString('base64url');
  await deps.db.insertInto('setting').values({ key: 'signing.secret', value }).onConflict((oc) => oc.column('key').doNothing()).execute();
  return (await deps.db.selectFrom('setting').select('value').where('key', '=', 'signing.secret').executeTakeFirstOrThrow()).value;
}

function signature(secret: string, userId: number, scope: UnsubscribeScope): string {
  return createHmac('sha256', secret).update(`unsubscribe:${userId}:${scope}`).digest('base64url');
}

export async function unsubscribeToken(deps: Deps, userId: number, scope: UnsubscribeScope): Promise<string> {
  return `${userId}.${scope}.${signature(await signingSecret(deps), userId, scope)}`;
}

const invalidLink = () => new AppError(400, 'invalid_token', 'This unsubscribe link is not valid: open the latest e-mail again, or change your notifications in your settings.');

async function verifyUnsubscribe(deps: Deps, token: string): Promise<{ userId: number; scope: UnsubscribeScope; locale: string }> {
  const match = /^(\d{1,12})\.([a-z]{3,13})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) throw invalidLink();
  const userId = Number(match[1]);
  const scope = match[2] as UnsubscribeScope;
  if (scope !== 'all' && !NOTIFICATION_CATEGORIES.includes(scope)) throw invalidLink();
  const expected = Buffer.from(signature(await signingSecret(deps), userId, scope));
  const given = Buffer.from(match[3]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidLink();
  const user = await deps.db.selectFrom('user').select(['locale', 'email']).where('id', '=', userId).executeTakeFirst();
  if (!user || user.email.endsWith('@deleted.invalid')) throw invalidLink();
  return { userId, scope, locale: user.locale };
}

/** Follows an unsubscribe link: no more e-mail of that category (or none at all); says what it was before. */
export async function unsubscribe(deps: Deps, token: string): Promise<{ scope: UnsubscribeScope; locale: string; previous: Partial<Frequencies> }> {
  const { userId, scope, locale } = await verifyUnsubscribe(deps, token);
  const categories = scope === 'all' ? NOTIFICATION_CATEGORIES : [scope];
  const current = await frequenciesOf(deps, userId);
  const previous = Object.fromEntries(categories.filter((c) => current[c] !== 'never').map((c) => [c, current[c]]));
  await saveFrequencies(deps, userId, Object.fromEntries(categories.map((c) => [c, 'never'])));
  return { scope, locale, previous };
}

/**
 * Undoes an unsubscribe link: each category of its scope gets back what it had (`restore`, as the
 * link's page remembered it), or its usual frequency.
 */
export async function resubscribe(deps: Deps, token: string, restore: Partial<Frequencies> = {}): Promise<{ scope: UnsubscribeScope; locale: string; previous: Partial<Frequencies> }> {
  const { userId, scope, locale } = await verifyUnsubscribe(deps, token);
  const categories = scope === 'all' ? NOTIFICATION_CATEGORIES : [scope];
  const back = (c: NotificationCategory) => (restore[c] && FREQUENCIES.includes(restore[c]) && restore[c] !== 'never' ? restore[c] : DEFAULT_FREQUENCIES[c]);
  await saveFrequencies(deps, userId, Object.fromEntries(categories.map((c) => [c, back(c)])));
  return { scope, locale, previous: {} };
}

// Sending ---------------------------------------------------------------------------------------------

/**
 * Puts in the outbox one message per person whose notifications are due: everything pending in an
 * "immediately" category, and a daily or weekly category unless a digest of that kind went out less
 * than a day or a week ago (the first one goes at once; then at most one per period). Notifications
 * of a "never" category, already read in the app, or for an address not confirmed are not mailed
 * (they stay in the app and the feed). Returns the number of messages queued.
 */
export async function sendDueNotifications(deps: Deps): Promise<number> {
  let mails = 0;
  // Everyone with something pending, a batch at a time in id order: people whose digest is not due yet
  // never hold back those after them.
  for (let after = 0; ;) {
    const people = await deps.db.selectFrom('notice').select('user_id').distinct().where('emailed_at', 'is', null).where('user_id', '>', after).orderBy('user_id').limit(200).execute();
    if (!people.length) return mails;
    for (const { user_id: userId } of people) if (await mailPerson(deps, userId)) mails++;
    after = people[people.length - 1].user_id;
  }
}

/** A message lists this many notifications at most, then says how many more wait on the site. */
const MAX_LISTED = 50;

async function mailPerson(deps: Deps, userId: number): Promise<boolean> {
  const now = deps.clock.now();
  const nowText = now.toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const tx = { ...deps, db: trx };
    const pending = await trx.selectFrom('notice').select(['id', 'kind', 'category', 'params', 'url', 'created_at', 'read_at'])
      .where('user_id', '=', userId).where('emailed_at', 'is', null).orderBy('id').execute();
    if (!pending.length) return false;
    const user = await trx.selectFrom('user').select(['email', 'name', 'locale', 'disabled_at', 'email_verified_at']).where('id', '=', userId).executeTakeFirst();
    const markDone = async (ids: number[]) => {
      // In slices: a busy weekly digest can hold more notices than one statement takes parameters.
      for (let i = 0; i < ids.length; i += 500) await trx.updateTable('notice').set({ emailed_at: nowText }).where('id', 'in', ids.slice(i, i + 500)).execute();
    };
    if (!user || user.disabled_at || !user.email_verified_at) {
      await markDone(pending.map((n) => n.id));
      return false;
    }
    const frequencies = await frequenciesOf(tx, userId);
    const deliveries = await trx.selectFrom('notification_delivery').select(['frequency', 'last_sent_at']).where('user_id', '=', userId).execute();
    const lastSent = new Map(deliveries.map((d) => [d.frequency, d.last_sent_at]));
    const skipped: number[] = [];
    const due = new Set<NotificationFrequency>();
    for (const frequency of ['immediate', 'daily', 'weekly'] as const) {
      const mine = pending.filter((n) => frequencies[n.category] === frequency && !n.read_at);
      if (!mine.length) continue;
      const since = lastSent.get(frequency);
      if (!since || now.getTime() - Date.parse(since) >= PERIOD_MS[frequency]) due.add(frequency);
    }
    const included = pending.filter((n) => {
      const frequency = frequencies[n.category];
      // Already read in the app (or the feed): no need to say it again by e-mail.
      if (frequency === 'never' || n.read_at) skipped.push(n.id);
      if (n.read_at) return false;
      return due.has(frequency);
    });
    await markDone(skipped);
    if (!included.length) return false;

    const t = translator(asLocale(user.locale));
    const origin = siteOrigin(deps.config);
    const categories = [...new Set(included.map((n) => n.category))];
    const digest = due.has('weekly') ? 'weekly' : due.has('daily') ? 'daily' : 'immediate';
    const lines = included.slice(-MAX_LISTED).map((row) => {
      const notice = presentNotice(row);
      return `• ${noticeText(t, notice)}\n  ${origin}${notice.url}`;
    });
    const unsubscribeLines: string[] = [];
    for (const category of categories) {
      unsubscribeLines.push(t('mail.unsubscribeCategory', { category: t(`notifications.category.${category}`), link: `${origin}/unsubscribe/${await unsubscribeToken(tx, userId, category)}` }));
    }
    const allLink = `${origin}/unsubscribe/${await unsubscribeToken(tx, userId, 'all')}`;
    unsubscribeLines.push(t('mail.unsubscribeAll', { link: allLink }));
    const body = [
      t('mail.notificationsHello', { name: user.name }),
      '',
      t(`mail.notificationsIntro.${digest}`),
      '',
      ...lines,
      ...(included.length > MAX_LISTED ? [t('mail.notificationsMore', { count: included.length - MAX_LISTED })] : []),
      '',
      t('mail.notificationsAll', { link: `${origin}/me/notifications` }),
      '',
      '-- ',
      t('mail.notificationsSettings', { link: `${origin}/me/notifications/settings` }),
      ...unsubscribeLines,
    ].join('\n');
    const headerLink = categories.length === 1 ? `${origin}/unsubscribe/${await unsubscribeToken(tx, userId, categories[0])}` : allLink;
    await enqueueMail(trx, deps, {
      to: user.email,
      subject: t('mail.notificationsSubject', { count: included.length }),
      body,
      headers: { 'List-Unsubscribe': `<${headerLink}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    await markDone(included.map((n) => n.id));
    for (const frequency of due) {
      await trx.insertInto('notification_delivery').values({ user_id: userId, frequency, last_sent_at: nowText })
        .onConflict((oc) => oc.columns(['user_id', 'frequency']).doUpdateSet({ last_sent_at: nowText })).execute();
    }
    return true;
  });
}

// The personal feed: a secret address for feed readers (which send no cookies), renewable and revocable.

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new secret address for my notifications feed (the previous one stops working). */
export async function renewPersonalFeed(deps: Deps, viewer: Viewer | null): Promise<string> {
  if (!viewer) throw unauthenticated();
  const token = `sjfeed_${randomBytes(24).toString('base64url')}`;
  const now = nowIso(deps);
  await deps.db.insertInto('personal_feed').values({ user_id: viewer.user.id, token_hash: hashToken(token), created_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: hashToken(token), created_at: now })).execute();
  return token;
}

export async function revokePersonalFeed(deps: Deps, viewer: Viewer | null): Promise<void> {
  if (!viewer) throw unauthenticated();
  await deps.db.deleteFrom('personal_feed').where('user_id', '=', viewer.user.id).execute();
}

/** Whose feed this secret opens, with their latest notifications; 404 for an unknown or revoked one. */
export async function personalFeedOf(deps: Deps, token: string) {
  const user = await deps.db.selectFrom('personal_feed').innerJoin('user', 'user.id', 'personal_feed.user_id')
    .select(['user.id', 'user.name', 'user.locale', 'user.disabled_at']).where('personal_feed.token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!user || user.disabled_at) throw notFound('Feed');
  const rows = await deps.db.selectFrom('notice').select(['id', 'kind', 'category', 'params', 'url', 'created_at', 'read_at'])
    .where('user_id', '=', user.id).orderBy('id', 'desc').limit(50).execute();
  return { user: { id: user.id, name: user.name, locale: asLocale(user.locale) }, notices: rows.map(presentNotice) };
}
