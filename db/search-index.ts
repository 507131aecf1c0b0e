import { type RawBuilder, sql } from 'kysely';
import type { Db } from './database.js';
import { isPostgres } from './engine.js';
import { stemLine, stemsOf, words } from '../src/text/word-forms.js';
import { detectLanguage } from '../src/text/language.js';

// The dialect-specific part of search: FTS5 on SQLite; on PostgreSQL a tsvector per document, built
// with its language's configuration (english, french, portuguese, simple for the others; accents
// folded by unaccent), ranked with ts_rank and highlighted with ts_headline. Both engines also index
// the EN/FR/PT stems of every word, so that word forms match across languages the same way.
// What is indexed (public objects only) is the callers' decision, the same on both engines.

export interface SearchDocument {
  kind: string;
  ref: string;
  title: string;
  body: string;
  /** The text's language when known (otherwise detected on PostgreSQL, for its configuration). */
  lang?: string;
}

export interface SearchHit extends SearchDocument {
  score: number;
  /** Highlighted by the engine (PostgreSQL's ts_headline), as safe HTML with <mark>; absent on SQLite. */
  titleHtml?: string;
  snippetHtml?: string;
}

const CONFIGS: Record<string, string> = { en: 'sj_english', fr: 'sj_french', pt: 'sj_portuguese' };
const QUERY_CONFIGS = ['sj_english', 'sj_french', 'sj_portuguese'];
// Highlight markers that cannot come from the text (removed from it when indexed), turned into <mark>.
const START = '\uE000';
const STOP = '\uE001';
const MARKERS = /[\uE000\uE001]/g;

// search_entry maps (kind, ref) to the rowid of the full-text row, so updates and deletions find it
// by key instead of scanning the index.
export async function indexDocument(db: Db, doc: SearchDocument): Promise<void> {
  const stems = stemLine(`${doc.title} ${doc.body}`);
  if (isPostgres(db)) return indexDocumentPostgres(db, doc, stems);
  const entry = await db.selectFrom('search_entry').select('id').where('kind', '=', doc.kind).where('ref', '=', doc.ref).executeTakeFirst();
  if (entry) {
    await sql`DELETE FROM search_index WHERE rowid = ${entry.id}`.execute(db);
    await sql`INSERT INTO search_index (rowid, kind, ref, title, body, stems) VALUES (${entry.id}, ${doc.kind}, ${doc.ref}, ${doc.title}, ${doc.body}, ${stems})`.execute(db);
    return;
  }
  const { id } = await db.insertInto('search_entry').values({ kind: doc.kind, ref: doc.ref }).returning('id').executeTakeFirstOrThrow();
  await sql`INSERT INTO search_index (rowid, kind, ref, title, body, stems) VALUES (${id}, ${doc.kind}, ${doc.ref}, ${doc.title}, ${doc.body}, ${stems})`.execute(db);
}

async function indexDocumentPostgres(db: Db, doc: SearchDocument, stems: string): Promise<void> {
  const title = doc.title.replace(MARKERS, '');
  const body = doc.body.replace(MARKERS, '');
  const config = CONFIGS[doc.lang ?? detectLanguage(`${title}\n${body}`) ?? ''] ?? 'sj_simple';
  // One statement each, safe under concurrent writers of the same document (no read-then-insert).
  const { id } = await db.insertInto('search_entry').values({ kind: doc.kind, ref: doc.ref })
    .onConflict((oc) => oc.columns(['kind', 'ref']).doUpdateSet({ kind: doc.kind })).returning('id').executeTakeFirstOrThrow();
  await sql`INSERT INTO search_index (id, kind, ref, title, body, stems, config, document)
    VALUES (${id}, ${doc.kind}, ${doc.ref}, ${title}, ${body}, ${stems}, ${config},
      setweight(to_tsvector(${config}::regconfig, ${title}), 'A') || setweight(to_tsvector(${config}::regconfig, ${body}), 'B') || setweight(to_tsvector('sj_simple', ${stems}), 'D'))
    ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body, stems = excluded.stems, config = excluded.config, document = excluded.document`.execute(db);
}

export async function removeDocument(db: Db, kind: string, ref: string): Promise<void> {
  const entry = await db.selectFrom('search_entry').select('id').where('kind', '=', kind).where('ref', '=', ref).executeTakeFirst();
  if (!entry) return;
  if (isPostgres(db)) await sql`DELETE FROM search_index WHERE id = ${entry.id}`.execute(db);
  else await sql`DELETE FROM search_index WHERE rowid = ${entry.id}`.execute(db);
  await db.deleteFrom('search_entry').where('id', '=', entry.id).execute();
}

/** Builds an FTS5 query from free text: every word must match one of its stems. Returns null for no words. */
export function buildMatchQuery(text: string): string | null {
  const groups = words(text)
    .slice(0, 12)
    .map((word) => `(${stemsOf(word).map((stem) => `"${stem.replace(/"/g, '')}"`).join(' OR ')})`);
  return groups.length ? `{stems} : (${groups.join(' AND ')})` : null;
}

/** The same query as a tsquery: every word must match, in any language's configuration or by one of its stems. */
function buildTsQuery(text: string): RawBuilder<unknown> | null {
  const groups = words(text).slice(0, 12).map((word) => sql`(${sql.join([
    ...QUERY_CONFIGS.map((config) => sql`plainto_tsquery(${sql.lit(config)}::regconfig, ${word})`),
    ...stemsOf(word).map((stem) => sql`plainto_tsquery('sj_simple', ${stem})`),
  ], sql` || `)})`);
  return groups.length ? sql`(${sql.join(groups, sql` && `)})` : null;
}

export async function searchDocuments(
  db: Db,
  text: string,
  options: { kinds?: string[]; limit: number; offset: number },
): Promise<{ hits: SearchHit[]; total: number }> {
  if (isPostgres(db)) return searchDocumentsPostgres(db, text, options);
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

// ts_headline is given HTML-escaped text (it would drop anything that looks like a tag), so its
// answer is safe HTML once the markers become <mark>.
const marked = (headline: string) => headline.replaceAll(START, '<mark>').replaceAll(STOP, '</mark>');
const escapedHtml = (column: string) =>
  sql.raw(`replace(replace(replace(replace(replace(${column}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;')`);

async function searchDocumentsPostgres(db: Db, text: string, options: { kinds?: string[]; limit: number; offset: number }): Promise<{ hits: SearchHit[]; total: number }> {
  const query = buildTsQuery(text);
  if (!query) return { hits: [], total: 0 };
  const kindFilter = options.kinds?.length ? sql`AND kind IN (${sql.join(options.kinds)})` : sql``;
  const rows = await sql<{ kind: string; ref: string; title: string; body: string; score: number; title_hl: string; body_hl: string }>`
    WITH q AS (SELECT ${query} AS query), found AS (
      SELECT s.id, s.kind, s.ref, s.title, s.body, s.config, ts_rank(s.document, q.query) AS score, q.query
      FROM search_index s, q WHERE s.document @@ q.query ${kindFilter}
      ORDER BY score DESC, s.id LIMIT ${options.limit} OFFSET ${options.offset})
    SELECT kind, ref, title, body, score,
      ts_headline(config::regconfig, ${escapedHtml('title')}, query, ${`StartSel=${START}, StopSel=${STOP}, HighlightAll=true`}) AS title_hl,
      ts_headline(config::regconfig, ${escapedHtml('body')}, query, ${`StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, ShortWord=2`}) AS body_hl
    FROM found ORDER BY score DESC, id`.execute(db);
  const count = await sql<{ n: number }>`SELECT count(*) AS n FROM search_index WHERE document @@ ${query} ${kindFilter}`.execute(db);
  return {
    hits: rows.rows.map((r) => ({ kind: r.kind, ref: r.ref, title: r.title, body: r.body, score: r.score, titleHtml: marked(r.title_hl), snippetHtml: marked(r.body_hl) })),
    total: Number(count.rows[0]?.n ?? 0),
  };
}

/**
 * Merges some of the full-text index's segments (at most about `pages` pages of work), as FTS5 would
 * inside a commit if automatic merging were on (see migration 2026-11-30T0800). The server calls it
 * every few seconds, between requests; the bulk loader once at the end. PostgreSQL: nothing to merge.
 */
export async function mergeSearchIndex(db: Db, pages = 100): Promise<void> {
  if (isPostgres(db)) return;
  await sql`INSERT INTO search_index(search_index, rank) VALUES ('merge', ${pages})`.execute(db);
}
