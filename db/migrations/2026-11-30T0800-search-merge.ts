import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../engine.js';

// Frozen in time: never edit a migration that has shipped; add a new one.
// FTS5 merges its index segments inside whichever commit crosses its threshold: at a million choices
// one write in a hundred took 15–35 ms more. Automatic merging is turned off here; the server merges
// a little at a time in the background instead (db/search-index.ts mergeSearchIndex).
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return; // FTS5 only: a GIN index has no segments to merge.
  await sql`INSERT INTO search_index(search_index, rank) VALUES ('automerge', 0)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  await sql`INSERT INTO search_index(search_index, rank) VALUES ('automerge', 4)`.execute(db);
}
