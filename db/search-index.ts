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

export async function indexDocument(db: Db, doc: SearchDocument): Promise<void> {
  await removeDocument(db, doc.kind, doc.ref);
  await sql`INSERT INTO search_index (kind, ref, title, body, stems)
    VALUES (${doc.kind}, ${doc.ref}, ${doc.title}, ${doc.body}, ${stemLine(`${doc.title} ${doc.body}`)})`.execute(db);
}

export async function removeDocument(db: Db, kind: string, ref: string): Promise<void> {
  await sql`DELETE FROM search_index WHERE kind = ${kind} AND ref = ${ref}`.execute(db);
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
