import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { type Db, sqliteHandle } from './database.js';

// Integrity checks, backups and restores: what each engine offers for them, behind one interface.

export interface IntegrityReport {
  ok: boolean;
  /** What the engine said, for the operator. */
  detail: string;
}

/** Checks the stored database itself (SQLite: integrity_check and foreign keys; PostgreSQL: its catalogue answers, constraints are enforced by the server). */
export async function checkIntegrity(db: Db): Promise<IntegrityReport> {
  const sqlite = sqliteHandle(db);
  if (!sqlite) {
    // PostgreSQL enforces foreign keys on every write and checksums pages itself; a query over the
    // catalogue shows that the server answers and the schema is there.
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('page', 'user', 'territory')`.execute(db);
    const ok = Number(rows[0]?.n) === 3;
    return { ok, detail: ok ? 'PostgreSQL: schema present, constraints enforced by the server' : 'PostgreSQL: the schema is missing tables' };
  }
  const integrity = sqlite.pragma('integrity_check', { simple: true });
  const orphans = sqlite.pragma('foreign_key_check') as unknown[];
  const ok = integrity === 'ok' && orphans.length === 0;
  return { ok, detail: ok ? 'integrity_check ok, foreign keys ok' : `integrity_check says ${String(integrity)}; ${orphans.length} rows point to missing rows` };
}

/**
 * Copies a SQLite database file to `file` as it is at one instant (VACUUM INTO: one read transaction,
 * safe while the server writes, compact) and checks the copy.
 */
export function backupSqliteFile(databasePath: string, file: string): void {
  const sqlite = new SQLite(databasePath, { fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  // One read transaction: writers go on meanwhile (WAL), and the copy is the state at its start. The
  // online backup API restarts whenever another process writes, so under steady writes it may never end.
  sqlite.prepare('VACUUM INTO ?').run(file);
  sqlite.close();
  const check = new SQLite(file, { readonly: true });
  const result = check.pragma('integrity_check', { simple: true });
  check.close();
  if (result !== 'ok') throw new Error(`The backup failed its integrity check: ${result}`);
}

/**
 * Checks that `file` is a sound Spiral Journal SQLite database, then (after `beforeCopy`, which moves
 * any database in the way) copies it to `target`.
 */
export async function restoreSqliteFile(file: string, target: string, beforeCopy: () => void): Promise<void> {
  const source = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = source.pragma('integrity_check', { simple: true });
    const tables = source.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name IN ('page','user','territory')").all();
    if (integrity !== 'ok') throw new Error(`The backup is damaged: ${integrity}`);
    if (tables.length !== 3) throw new Error('This file is not a Spiral Journal database.');
    beforeCopy();
    await source.backup(target);
  } finally {
    source.close();
  }
}


/** Folds SQLite's write-ahead log back into the database file (after a bulk load, before measuring); nothing to do on PostgreSQL. */
export function checkpoint(db: Db): void {
  sqliteHandle(db)?.pragma('wal_checkpoint(TRUNCATE)');
}
