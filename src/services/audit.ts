import type { Deps } from './deps.js';
import { nowIso } from './deps.js';

/** Records an administrative action (who did what to which object) for later review. */
export async function recordAudit(deps: Deps, userId: number | null, action: string, target: string, details: Record<string, unknown> = {}): Promise<void> {
  await deps.db.insertInto('audit_log').values({ user_id: userId, action, target, details: JSON.stringify(details), created_at: nowIso(deps) }).execute();
}
