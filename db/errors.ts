// What each engine says when a write breaks a rule, read the same way for both.

/** The unique constraint a write broke (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY), or null. */
export function uniqueViolation(error: unknown): { detail: string } | null {
  if (!error || typeof error !== 'object') return null;
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code === '23505') return { detail: String(e.constraint ?? e.message ?? '') };
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return { detail: String(e.message ?? '') };
  return null;
}

/** A transaction the engine gave up so that concurrent ones stay correct (serialization failure, deadlock): run it again. */
export function isTransientConflict(error: unknown): boolean {
  const code = error && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  return code === '40001' || code === '40P01' || code === 'SQLITE_BUSY';
}
