import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, PostgresQueryCompiler, SqliteDialect, type ColumnDefinitionNode, type DataTypeNode, type Migration, type MigrationProvider } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from './schema.js';
import type { Engine } from './engine.js';
import * as foundation from './migrations/2026-11-22T0100-foundation.js';
import * as journal from './migrations/2026-11-22T0200-journal.js';
import * as searchEntries from './migrations/2026-11-22T0300-search-entries.js';
import * as summaries from './migrations/2026-11-22T0400-summaries.js';
import * as assessments from './migrations/2026-11-22T0500-assessments.js';
import * as workshops from './migrations/2026-11-22T0600-workshops.js';
import * as chartersTopicsTools from './migrations/2026-11-22T0700-charters-topics-tools.js';
import * as searchMerge from './migrations/2026-11-30T0800-search-merge.js';
import * as moderation from './migrations/2026-11-30T0900-moderation.js';
import * as emailVerification from './migrations/2026-11-30T1000-email-verification.js';
import * as attentionAndPrivacy from './migrations/2026-11-30T1100-attention-and-privacy.js';
import * as confirmedAccess from './migrations/2026-12-05T1200-confirmed-access.js';
import * as cellKeys from './migrations/2026-12-05T1300-cell-keys.js';

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
  '2026-11-30T0800-search-merge': searchMerge,
  '2026-11-30T0900-moderation': moderation,
  '2026-11-30T1000-email-verification': emailVerification,
  '2026-11-30T1100-attention-and-privacy': attentionAndPrivacy,
  '2026-12-05T1200-confirmed-access': confirmedAccess,
  '2026-12-05T1300-cell-keys': cellKeys,
};

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

export interface OpenedDatabase {
  db: Db;
  engine: Engine;
  /** Ends the database's use by this process (checkpoints SQLite's WAL first). */
  close(): Promise<void>;
}

/** Where the database is: a PostgreSQL URL (DATABASE_URL) or else a SQLite file (DATABASE_PATH, or `:memory:`). */
export interface DatabaseTarget {
  databaseUrl?: string | null;
  databasePath: string;
}

const STATEMENT_CACHE = 1_000;

interface WriteState {
  writes: number;
  /** Writes to what the journal's texts and their analysis are made of (see journalVersion). */
  journalWrites: number;
  /** Commits by other connections (SQLite's PRAGMA data_version); PostgreSQL: not tracked yet (one process). */
  otherConnections: () => number;
}
// Keyed by the root Kysely instance (a transaction object is not a key).
const writeStates = new WeakMap<object, WriteState>();
// The better-sqlite3 handle behind a Kysely instance, for the modules of db/ that need it (bulk load, backups).
const sqliteHandles = new WeakMap<object, SQLite.Database>();
// Versions from an earlier run of the process must never match: they may also serve as validators (ETags).
const RUN = Math.random().toString(36).slice(2, 8);

/**
 * A token that changes whenever what the database holds may have changed: after a write through this
 * connection, or a commit by another one (the CLI, another process). Caches of derived data (response
 * and summary caches) key on it. Null for a transaction or an unknown handle: never cache there.
 */
export function dataVersion(handle: object): string | null {
  const state = writeStates.get(handle);
  return state ? `${RUN}.${state.writes}.${state.otherConnections()}` : null;
}

/**
 * Like dataVersion, but changed only by writes to choices, statements, groups and territories (and by
 * other connections): what terms, quotes and themes are computed from. A choice made private or
 * edited changes it in the same statement, so no analysis of its old text is served after the write.
 */
export function journalVersion(handle: object): string | null {
  const state = writeStates.get(handle);
  return state ? `${RUN}.j${state.journalWrites}.${state.otherConnections()}` : null;
}

/** The part of the version that only other connections (processes) change; null as for dataVersion. */
export function otherConnectionsVersion(handle: object): string | null {
  const state = writeStates.get(handle);
  return state ? `${RUN}.${state.otherConnections()}` : null;
}

/** For writes made around Kysely (bulk loads). */
export function noteWrites(db: object): void {
  const state = writeStates.get(db);
  if (state) {
    state.writes++;
    state.journalWrites++;
  }
}

/** The better-sqlite3 handle of a SQLite database (for db/ modules only); null on PostgreSQL. */
export function sqliteHandle(db: Db): SQLite.Database | null {
  return sqliteHandles.get(db) ?? null;
}

// Writes that no derived data depends on: touching a session or a token once a minute, sending
// e-mail, reading or mailing one's notifications, watching, merging the search index's segments.
// Counting them would throw the caches away whenever anyone signed in reads a page.
const JOURNAL_TABLES = /^\s*(?:insert\s+into|update|delete\s+from)\s+"(?:choice|choice_component|statement|statement_component|spiral_group|territory)"/i;
const BOOKKEEPING = /^\s*(?:(?:insert\s+into|update|delete\s+from)\s+"(?:session|access_token|outbox|notice|notification_delivery|notification_preference|watch|personal_feed)"|insert\s+into\s+search_index\s*\(\s*search_index\b)/i;
const WRITE = /^\s*(?:with\b[\s\S]*?\b)?(?:insert|update|delete|merge)\b/i;

/** The part of a statement Kysely's driver uses, counting the executions that changed something. */
class WritingStatement {
  constructor(private readonly statement: SQLite.Statement, private readonly state: WriteState, private readonly journal: boolean) {}
  private changed() {
    this.state.writes++;
    if (this.journal) this.state.journalWrites++;
  }
  get reader() {
    return this.statement.reader;
  }
  all(parameters: unknown[]) {
    const rows = this.statement.all(parameters);
    if (rows.length) this.changed();
    return rows;
  }
  run(parameters: unknown[]) {
    const result = this.statement.run(parameters);
    if (result.changes) this.changed();
    return result;
  }
  iterate(parameters: unknown[]) {
    return this.statement.iterate(parameters);
  }
}

/**
 * What Kysely sees of the connection: the same database, but each distinct SQL text is prepared once
 * and reused (preparing again on every query showed at the top of the read path's profile). Queries
 * are run one at a time on this single connection, so a statement is never in use twice at once.
 * Statements that can write count the writes that changed rows (see dataVersion).
 */
function withStatementCache(sqlite: SQLite.Database, state: WriteState) {
  const statements = new Map<string, SQLite.Statement | WritingStatement>();
  return {
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        const prepared = sqlite.prepare(sql);
        statement = prepared.readonly || BOOKKEEPING.test(sql) ? prepared : new WritingStatement(prepared, state, JOURNAL_TABLES.test(sql));
        // Generated SQL varies with list lengths (IN (…)): keep the cache bounded.
        if (statements.size >= STATEMENT_CACHE) statements.clear();
        statements.set(sql, statement);
      }
      return statement;
    },
    close: () => sqlite.close(),
  };
}

/** Opens the database DATABASE_URL names (PostgreSQL), or else the SQLite file (created if missing) or `:memory:`. */
export function openDatabase(target: DatabaseTarget | string): OpenedDatabase {
  const where = typeof target === 'string' ? { databasePath: target } : target;
  return where.databaseUrl ? openPostgres(where.databaseUrl) : openSqlite(where.databasePath);
}

function openSqlite(path: string): OpenedDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged write survives power loss, not only a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const dataVersionPragma = sqlite.prepare('PRAGMA data_version').pluck();
  const state: WriteState = { writes: 0, journalWrites: 0, otherConnections: () => dataVersionPragma.get() as number };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, state) as never }) });
  writeStates.set(db, state);
  sqliteHandles.set(db, sqlite);
  return {
    db,
    engine: 'sqlite',
    close: async () => {
      if (sqlite.open && path !== ':memory:') sqlite.pragma('wal_checkpoint(TRUNCATE)');
      await db.destroy();
    },
  };
}

// PostgreSQL returns 64-bit integers (count, sum of integers, bigint columns) and numerics as strings:
// parsed here, once, so that services get numbers on both engines.
const PG_INT8 = 20;
const PG_NUMERIC = 1700;
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === PG_INT8) return (value: string) => Number.parseInt(value, 10);
    if (oid === PG_NUMERIC) return (value: string) => Number.parseFloat(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/**
 * The schema builder's portable types mean on PostgreSQL what they mean on SQLite: `integer` is
 * 64-bit (bigint), `real` is a double, and an integer primary key numbers its rows by itself
 * (SQLite's rowid; an identity column here).
 */
class PortablePostgresQueryCompiler extends PostgresQueryCompiler {
  protected override visitDataType(node: DataTypeNode): void {
    const type = node.dataType as string;
    this.append(type === 'integer' ? 'bigint' : type === 'real' ? 'double precision' : type);
  }
  protected override visitColumnDefinition(node: ColumnDefinitionNode): void {
    const rowid = node.primaryKey && node.dataType.kind === 'DataTypeNode' && (node.dataType as DataTypeNode).dataType === 'integer';
    super.visitColumnDefinition(rowid && !node.autoIncrement ? { ...node, autoIncrement: true } : node);
  }
  protected override getAutoIncrement(): string {
    return 'generated by default as identity';
  }
}

class PortablePostgresDialect extends PostgresDialect {
  override createQueryCompiler() {
    return new PortablePostgresQueryCompiler();
  }
}

// PostgreSQL text cannot hold U+0000 (SQLite can): a NUL in a value becomes U+FFFD, the replacement
// character, rather than failing the statement (no text of the journal means anything by a NUL).
const withoutNul = (value: unknown) => (typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value);

function openPostgres(url: string): OpenedDatabase {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10), types: pgTypes });
  // An idle client's error (the server restarted) must not crash the process: the pool replaces it.
  pool.on('error', () => {});
  const state: WriteState = { writes: 0, journalWrites: 0, otherConnections: () => 0 };
  const counted = new WeakSet<pg.PoolClient>();
  // Writes that changed rows are counted as on SQLite (see dataVersion), by wrapping each client's query once.
  const countingPool = {
    async connect() {
      const client = await pool.connect();
      if (!counted.has(client)) {
        counted.add(client);
        const query = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
        (client as { query: unknown }).query = async (text: string, values?: unknown[]) => {
          const result = await query(text, values?.map(withoutNul));
          if (typeof text === 'string' && WRITE.test(text) && !BOOKKEEPING.test(text) && (result.rowCount ?? 0) > 0) {
            state.writes++;
            if (JOURNAL_TABLES.test(text)) state.journalWrites++;
          }
          return result;
        };
      }
      return client;
    },
    end: () => pool.end(),
  };
  const db = new Kysely<Database>({ dialect: new PortablePostgresDialect({ pool: countingPool }) });
  writeStates.set(db, state);
  return { db, engine: 'postgres', close: () => db.destroy() };
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
