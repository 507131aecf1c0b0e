import type { Db } from '../../db/database.js';
import type { NotificationCategory } from '../../db/schema.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { unauthenticated } from '../errors.js';
import { type Translate, hasMessage } from '../i18n/index.js';

// Notifications: a row per person, written in the same transaction as what they announce (a
// registration, a new charter version, a change to something watched — see watchlist.ts); shown in the
// reader's language from their kind and parameters, in the app, by e-mail (notification-mail.ts) and in
// a personal Atom feed.

export type NoticeKind = 'workshop.registered' | 'workshop.promoted' | 'charter.version' | 'charter.approvalRequested' | 'charter.adopted' | 'charter.amendment';

/** Something asked of me or done for me (as opposed to a change to something I watch). */
export async function notify(db: Db, deps: Pick<Deps, 'clock'>, userIds: number[], kind: NoticeKind, params: Record<string, string | number>, url: string): Promise<void> {
  const unique = [...new Set(userIds)];
  if (!unique.length) return;
  const now = nowIso(deps);
  await db.insertInto('notice').values(unique.map((user_id) => ({ user_id, kind, params: JSON.stringify(params), url, created_at: now, read_at: null, category: 'participation' as const }))).execute();
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
