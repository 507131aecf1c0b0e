import { sql } from 'kysely';
import type { Db } from './database.js';
import { stemLine, stemsOf, words } from '../src/text/word-forms.js';

// The dialect-specific part of search (SQLite FTS5). A PostgreSQL port replaces this module only.

export interface SearchDocument {
  kind: string;
  ref: string;
  title: string;
  body: string;
}

export interface SearchHit extends SearchDocument {
  score: number;
}

// search_entry maps (kind, ref) to the rowid of the full-text row, so updates and deletions find it
// by key instead of scanning the index.
export async function indexDocument(db: Db, doc: SearchDocument): Promise<void> {
  const stems = stemLine(`${doc.title} ${doc.body}`);
  const entry = await db.selectFrom('search_entry').select('id').where('kind', '=', doc.kind).where('ref', '=', doc.ref).executeTakeFirst();
  if (entry) {
    await sql`DELETE FROM search_index WHERE rowid = ${entry.id}`.execute(db);
    await sql`INSERT INTO search_index (rowid, kind, ref, title, body, stems) VALUES (${entry.id}, ${doc.kind}, ${doc.ref}, ${doc.title}, ${doc.body}, ${stems})`.execute(db);
    return;
  }
  const { id } = await db.insertInto('search_entry').values({ kind: doc.kind, ref: doc.ref }).returning('id').executeTakeFirstOrThrow();
  await sql`INSERT INTO search_index (rowid, kind, ref, title, body, stems) VALUES (${id}, ${doc.kind}, ${doc.ref}, ${doc.title}, ${doc.body}, ${stems})`.execute(db);
}

export async function removeDocument(db: Db, kind: string, ref: string): Promise<void> {
  const entry = await db.selectFrom('search_entry').select('id').where('kind', '=', kind).where('ref', '=', ref).executeTakeFirst();
  if (!entry) return;
  await sql`DELETE FROM search_index WHERE rowid = ${entry.id}`.execute(db);
  await db.deleteFrom('search_entry').where('id', '=', entry.id).execute();
}

/** Builds an FTS5 query from free text: every word must match one of its stems. Returns null for no words. */
export function buildMatchQuery(text: string): string | null {
  const groups = words(text)
    .slice(0, 12)
    .map((word) => `(${stemsOf(word).map((stem) => `"${stem.replace(/"/g, '')}"`).join(' OR ')})`);
  return groups.length ? `{stems} : (${groups.join(' AND ')})` : null;
}

export async function searchDocuments(
  db: Db,
  text: string,
  options: { kinds?: string[]; limit: number; offset: number },
): Promise<{ hits: SearchHit[]; total: number }> {
  const match = buildMatchQuery(text);
  if (!match) return { hits: [], total: 0 };
  const kindFilter = options.kinds?.length ? sql`AND kind IN (${sql.join(options.kinds)})` : sql``;
  const rows = await sql<SearchHit>`SELECT kind, ref, title, body, rank AS score FROM search_index
    WHERE search_index MATCH ${match} ${kindFilter}
    ORDER BY rank LIMIT ${options.limit} OFFSET ${options.offset}`.execute(db);
  const count = await sql<{ n: number }>`SELECT count(*) AS n FROM search_index
    WHERE search_index MATCH ${match} ${kindFilter}`.execute(db);
  return { hits: rows.rows, total: count.rows[0]?.n ?? 0 };
}

/**
 * Merges some of the full-text index's segments (at most about `pages` pages of work), as FTS5 would
 * inside a commit if automatic merging were on (see migration 2026-11-30T0800). The server calls it
 * every few seconds, between requests; the bulk loader once at the end.
 */
export async function mergeSearchIndex(db: Db, pages = 100): Promise<void> {
  await sql`INSERT INTO search_index(search_index, rank) VALUES ('merge', ${pages})`.execute(db);
}
