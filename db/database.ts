import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from './schema.js';
import * as foundation from './migrations/2026-11-22T0100-foundation.js';
import * as journal from './migrations/2026-11-22T0200-journal.js';
import * as searchEntries from './migrations/2026-11-22T0300-search-entries.js';
import * as summaries from './migrations/2026-11-22T0400-summaries.js';
import * as assessments from './migrations/2026-11-22T0500-assessments.js';
import * as workshops from './migrations/2026-11-22T0600-workshops.js';
import * as chartersTopicsTools from './migrations/2026-11-22T0700-charters-topics-tools.js';

export type Db = Kysely<Database>;

// Migrations are listed explicitly (not discovered on disk) so that tsx, bundlers and tests agree.
const migrations: Record<string, Migration> = {
  '2026-11-22T0100-foundation': foundation,
  '2026-11-22T0200-journal': journal,
  '2026-11-22T0300-search-entries': searchEntries,
  '2026-11-22T0400-summaries': summaries,
  '2026-11-22T0500-assessments': assessments,
  '2026-11-22T0600-workshops': workshops,
  '2026-11-22T0700-charters-topics-tools': chartersTopicsTools,
};

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

export interface OpenedDatabase {
  db: Db;
  sqlite: SQLite.Database;
}

/** Opens (and creates) a database file, or `:memory:`, with the pragmas user data needs. */
const STATEMENT_CACHE = 1_000;

/**
 * What Kysely sees of the connection: the same database, but each distinct SQL text is prepared once
 * and reused (preparing again on every query showed at the top of the read path's profile). Queries
 * are run one at a time on this single connection, so a statement is never in use twice at once.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        // Generated SQL varies with list lengths (IN (…)): keep the cache bounded.
        if (statements.size >= STATEMENT_CACHE) statements.clear();
        statements.set(sql, statement);
      }
      return statement;
    },
    close: () => sqlite.close(),
  };
}

export function openDatabase(path: string): OpenedDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged write survives power loss, not only a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, sqlite };
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
