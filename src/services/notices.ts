import type { Db } from '../../db/database.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { unauthenticated } from '../errors.js';

// In-app notices (registrations, new charter versions, approvals requested, adoption): a row per
// person, written in the same transaction as what they announce; shown on /me in the reader's
// language from their kind and parameters.

export type NoticeKind = 'workshop.registered' | 'workshop.promoted' | 'charter.version' | 'charter.approvalRequested' | 'charter.adopted' | 'charter.amendment';

export async function notify(db: Db, deps: Pick<Deps, 'clock'>, userIds: number[], kind: NoticeKind, params: Record<string, string | number>, url: string): Promise<void> {
  const unique = [...new Set(userIds)];
  if (!unique.length) return;
  const now = nowIso(deps);
  await db.insertInto('notice').values(unique.map((user_id) => ({ user_id, kind, params: JSON.stringify(params), url, created_at: now, read_at: null }))).execute();
}

export async function listNotices(deps: Deps, viewer: Viewer | null, limit = 50) {
  if (!viewer) throw unauthenticated();
  const rows = await deps.db.selectFrom('notice').selectAll().where('user_id', '=', viewer.user.id).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind as NoticeKind, params: JSON.parse(r.params) as Record<string, string | number>, url: r.url, createdAt: r.created_at, read: Boolean(r.read_at) }));
}

export async function markNoticesRead(deps: Deps, viewer: Viewer | null): Promise<void> {
  if (!viewer) throw unauthenticated();
  await deps.db.updateTable('notice').set({ read_at: nowIso(deps) }).where('user_id', '=', viewer.user.id).where('read_at', 'is', null).execute();
}
