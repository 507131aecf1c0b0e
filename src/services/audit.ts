import { type Deps, type Viewer, nowIso, requireAdmin } from './deps.js';

/** Records an administrative action (who did what to which object) for later review. */
export async function recordAudit(deps: Deps, userId: number | null, action: string, target: string, details: Record<string, unknown> = {}): Promise<void> {
  await deps.db.insertInto('audit_log').values({ user_id: userId, action, target, details: JSON.stringify(details), created_at: nowIso(deps) }).execute();
}

export interface AuditEntry {
  id: number;
  action: string;
  target: string;
  details: Record<string, unknown>;
  createdAt: string;
  by: { id: number; name: string; email: string } | null;
}

/** The audit log, newest first, a page at a time (admins only): what was done, by whom, to what. */
export async function listAudit(deps: Deps, viewer: Viewer | null, options: { limit: number; before?: number; action?: string }) {
  requireAdmin(viewer, 'Only admins read the audit log.');
  let query = deps.db.selectFrom('audit_log').leftJoin('user', 'user.id', 'audit_log.user_id')
    .select(['audit_log.id', 'audit_log.action', 'audit_log.target', 'audit_log.details', 'audit_log.created_at', 'user.id as user_id', 'user.name', 'user.email'])
    .orderBy('audit_log.id', 'desc').limit(options.limit + 1);
  if (options.before) query = query.where('audit_log.id', '<', options.before);
  if (options.action) query = query.where('audit_log.action', '=', options.action);
  const [rows, actions] = await Promise.all([
    query.execute(),
    deps.db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute(),
  ]);
  const entries: AuditEntry[] = rows.slice(0, options.limit).map((row) => ({
    id: row.id, action: row.action, target: row.target, details: JSON.parse(row.details) as Record<string, unknown>, createdAt: row.created_at,
    by: row.user_id === null ? null : { id: row.user_id, name: row.name ?? '', email: row.email ?? '' },
  }));
  return { entries, actions: actions.map((a) => a.action), nextBefore: rows.length > options.limit ? entries[entries.length - 1].id : null };
}
