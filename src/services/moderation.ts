import { sql } from 'kysely';
import type { Role } from '../../db/schema.js';
import { AppError, forbidden, notFound, unauthenticated } from '../errors.js';
import { recordAudit } from './audit.js';
import { type Deps, type Viewer, nowIso } from './deps.js';

// Blocking an account (admins): it can no longer log in, its sessions end and its tokens are revoked
// at once; what it wrote stays (pages keep their history, and can be reverted). Unblocking lets it log
// in again. Both are in the audit log with the reason.

function requireAdmin(viewer: Viewer | null): Viewer {
  if (!viewer) throw unauthenticated();
  if (viewer.user.role !== 'admin') throw forbidden('Only admins manage accounts.');
  return viewer;
}

export interface AccountRow {
  id: number;
  name: string;
  email: string;
  role: Role;
  createdAt: string;
  blockedAt: string | null;
}

/** Accounts, newest first, optionally those whose name or e-mail contains `q` (admins only). */
export async function listAccounts(deps: Deps, viewer: Viewer | null, options: { q?: string; limit: number; offset: number }) {
  requireAdmin(viewer);
  let query = deps.db.selectFrom('user').select(['id', 'name', 'email', 'role', 'created_at', 'disabled_at']).orderBy('id', 'desc');
  const q = options.q?.trim();
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    query = query.where((eb) => eb.or([sql<boolean>`name LIKE ${pattern} ESCAPE '\\'`, sql<boolean>`email LIKE ${pattern.toLowerCase()} ESCAPE '\\'`]));
  }
  const rows = await query.limit(options.limit + 1).offset(options.offset).execute();
  const accounts: AccountRow[] = rows.slice(0, options.limit).map((r) => ({ id: r.id, name: r.name, email: r.email, role: r.role, createdAt: r.created_at, blockedAt: r.disabled_at }));
  return { accounts, more: rows.length > options.limit };
}

export async function blockAccount(deps: Deps, viewer: Viewer | null, userId: number, reason: string): Promise<void> {
  const admin = requireAdmin(viewer);
  if (userId === admin.user.id) throw new AppError(409, 'conflict', 'You cannot block your own account.');
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('user').select(['id', 'disabled_at']).where('id', '=', userId).executeTakeFirst();
    if (!user) throw notFound('Account');
    if (user.disabled_at) return;
    await trx.updateTable('user').set({ disabled_at: now }).where('id', '=', userId).execute();
    await trx.deleteFrom('session').where('user_id', '=', userId).execute();
    await trx.updateTable('access_token').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
    await recordAudit({ ...deps, db: trx }, admin.user.id, 'user.block', `user/${userId}`, { reason });
  });
}

export async function unblockAccount(deps: Deps, viewer: Viewer | null, userId: number): Promise<void> {
  const admin = requireAdmin(viewer);
  const updated = await deps.db.updateTable('user').set({ disabled_at: null }).where('id', '=', userId).where('disabled_at', 'is not', null).executeTakeFirst();
  if (!Number(updated.numUpdatedRows)) {
    if (!(await deps.db.selectFrom('user').select('id').where('id', '=', userId).executeTakeFirst())) throw notFound('Account');
    return;
  }
  await recordAudit(deps, admin.user.id, 'user.unblock', `user/${userId}`, {});
}
