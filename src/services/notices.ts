import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { NotificationCategory } from '../../db/schema.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { unauthenticated } from '../errors.js';
import { type Translate, hasMessage } from '../i18n/index.js';

// Notifications: a row per person, written in the same transaction as what they announce (a
// registration, a new charter version, a change to something watched — see watchlist.ts); shown in the
// reader's language from their kind and parameters, in the app, by e-mail (notification-mail.ts) and in
// a personal Atom feed.

export type NoticeKind = 'workshop.registered' | 'workshop.promoted' | 'charter.version' | 'charter.approvalRequested' | 'charter.adopted' | 'charter.amendment'
  | 'membership.requested' | 'membership.approved' | 'membership.declined' | 'representative.invited' | 'representative.accepted';

/**
 * Something asked of me or done for me (as opposed to a change to something I watch). `mailed`: a
 * message of its own was just sent (the join link), so no notification e-mail repeats it.
 */
export async function notify(db: Db, deps: Pick<Deps, 'clock'>, userIds: number[], kind: NoticeKind, params: Record<string, string | number>, url: string, options: { mailed?: boolean } = {}): Promise<void> {
  const unique = [...new Set(userIds)];
  if (!unique.length) return;
  const now = nowIso(deps);
  await db.insertInto('notice').values(unique.map((user_id) => ({
    user_id, kind, params: JSON.stringify(params), url, created_at: now, read_at: null, category: 'participation' as const, emailed_at: options.mailed ? now : null,
  }))).execute();
}

export interface NoticeView {
  id: number;
  kind: string;
  category: NotificationCategory;
  params: Record<string, string | number>;
  url: string;
  createdAt: string;
  read: boolean;
}

export interface NoticeFilters {
  limit?: number;
  /** Older than this id (the next page). */
  before?: number;
  unreadOnly?: boolean;
  /** Only changes to what I watch. */
  watchedOnly?: boolean;
}

export function presentNotice(r: { id: number; kind: string; category: NotificationCategory; params: string; url: string; created_at: string; read_at: string | null }): NoticeView {
  return { id: r.id, kind: r.kind, category: r.category, params: JSON.parse(r.params) as Record<string, string | number>, url: r.url, createdAt: r.created_at, read: Boolean(r.read_at) };
}

export async function listNotices(deps: Deps, viewer: Viewer | null, filters: NoticeFilters = {}): Promise<NoticeView[]> {
  if (!viewer) throw unauthenticated();
  let query = deps.db.selectFrom('notice').select(['id', 'kind', 'category', 'params', 'url', 'created_at', 'read_at']).where('user_id', '=', viewer.user.id);
  if (filters.before) query = query.where('id', '<', filters.before);
  if (filters.unreadOnly) query = query.where('read_at', 'is', null);
  if (filters.watchedOnly) query = query.where('category', '!=', 'participation');
  const rows = await query.orderBy('id', 'desc').limit(Math.min(filters.limit ?? 50, 200)).execute();
  return rows.map(presentNotice);
}

export async function countUnread(deps: Deps, viewer: Viewer | null): Promise<number> {
  if (!viewer) return 0;
  const row = await deps.db.selectFrom('notice').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', viewer.user.id).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks these notices read (all of mine without ids); returns how many changed. */
export async function markNoticesRead(deps: Deps, viewer: Viewer | null, ids?: number[]): Promise<number> {
  if (!viewer) throw unauthenticated();
  if (ids && !ids.length) return 0;
  let query = deps.db.updateTable('notice').set({ read_at: nowIso(deps) }).where('user_id', '=', viewer.user.id).where('read_at', 'is', null);
  if (ids) query = query.where('id', 'in', ids);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A notice's sentence in the reader's language (kinds are message keys under `notice.`). */
export function noticeText(t: Translate, notice: Pick<NoticeView, 'kind' | 'params'>): string {
  const key = `notice.${notice.kind}`;
  return hasMessage(key) ? t(key, notice.params) : notice.kind;
}

/**
 * Notifications that quoted something which is no longer public (a choice made private, hidden by a
 * moderator or deleted) go with it, in the same transaction: they must not keep showing its title in
 * the app, the feed, a digest still to be sent or an export.
 */
export async function forgetNoticesAbout(db: Db, urls: string[]): Promise<void> {
  if (urls.length) await db.deleteFrom('notice').where('url', 'in', urls).execute();
}

const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** Likewise for a page that is gone (a personal page erased with its account), whatever revision they pointed to. */
export async function forgetNoticesAboutPage(db: Db, pageUrl: string): Promise<void> {
  await db.deleteFrom('notice').where((eb) => eb.or([
    eb('url', '=', pageUrl), sql<boolean>`url LIKE ${`${likeEscaped(pageUrl)}?%`} ESCAPE '\\'`, sql<boolean>`url LIKE ${`${likeEscaped(pageUrl)}#%`} ESCAPE '\\'`,
  ])).execute();
}

/** Someone who left is named in others' notifications no more: they say "a former member", as the page histories do. */
export async function renameAuthorInNotices(db: Db, name: string, replacement: string): Promise<void> {
  const rows = await db.selectFrom('notice').select(['id', 'params']).where('kind', 'in', ['watch.pageEdited', 'watch.commentAdded'])
    .where(sql<boolean>`params LIKE ${`%${likeEscaped(JSON.stringify(name))}%`} ESCAPE '\\'`).execute();
  for (const row of rows) {
    const params = JSON.parse(row.params) as Record<string, string | number>;
    if (params.author !== name) continue;
    await db.updateTable('notice').set({ params: JSON.stringify({ ...params, author: replacement }) }).where('id', '=', row.id).execute();
  }
}
