import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../engine.js';

// Frozen in time: never edit a migration that has shipped; add a new one.
// FTS5 cannot look rows up by an UNINDEXED column: deleting an entry by (kind, ref) scanned the whole
// index. Each entry now has a row here whose id is the rowid of its full-text row.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_entry')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addUniqueConstraint('search_entry_kind_ref', ['kind', 'ref'])
    .execute();
  // PostgreSQL databases start at this schema with an empty index: nothing to carry over.
  if (isPostgres(db)) return;
  // Keep one full-text row per (kind, ref), the newest, and remember its rowid.
  await sql`DELETE FROM search_index WHERE rowid NOT IN (SELECT max(rowid) FROM search_index GROUP BY kind, ref)`.execute(db);
  await sql`INSERT INTO search_entry (id, kind, ref) SELECT rowid, kind, ref FROM search_index`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_entry').ifExists().execute();
}
