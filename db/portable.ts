import { type Expression, type Kysely, type RawBuilder, sql } from 'kysely';
import { isPostgres } from './engine.js';

// SQL expressions that each engine spells its own way, for services that build queries. Each takes
// the Kysely instance (or transaction) the query runs on and returns an expression for it.

type AnyDb = Kysely<any>;

/** An ISO-8601 UTC instant (`…Z`) plus a number of minutes, as the same text form: comparable with stored instants. */
export function isoPlusMinutes(db: AnyDb, instant: Expression<string>, minutes: Expression<number>): RawBuilder<string> {
  return isPostgres(db)
    ? sql<string>`to_char((${instant})::timestamptz AT TIME ZONE 'UTC' + (${minutes}) * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`
    : sql<string>`strftime('%Y-%m-%dT%H:%M:%SZ', ${instant}, '+' || ${minutes} || ' minutes')`;
}

/** Whether a JSON array stored as text contains a string value. */
export function jsonArrayIncludes(db: AnyDb, array: Expression<string>, value: string): RawBuilder<boolean> {
  return isPostgres(db)
    ? sql<boolean>`(${array})::jsonb @> jsonb_build_array(${value}::text)`
    : sql<boolean>`EXISTS (SELECT 1 FROM json_each(${array}) WHERE value = ${value})`;
}

/** `text LIKE pattern` ignoring case (SQLite's LIKE ignores ASCII case; PostgreSQL needs ILIKE), with `\` as escape. */
export function likeIgnoringCase(db: AnyDb, text: Expression<string>, pattern: string): RawBuilder<boolean> {
  return isPostgres(db) ? sql<boolean>`${text} ILIKE ${pattern} ESCAPE '\\'` : sql<boolean>`${text} LIKE ${pattern} ESCAPE '\\'`;
}

/** A new random record key (1 … RECORD_KEY_SPACE − 1, see migration 2026-12-05T1300) for each row of an UPDATE. */
export function randomRecordKey(db: AnyDb, space: number): RawBuilder<number> {
  return isPostgres(db) ? sql<number>`1 + floor(random() * ${sql.lit(space - 1)})::bigint` : sql<number>`1 + abs(random()) % ${sql.lit(space - 1)}`;
}

/**
 * Makes transactions that choose a name from `key` (a slug's base) take turns until their commit, so
 * that the next one sees the name taken (PostgreSQL: an advisory transaction lock; SQLite: one writer).
 */
export async function lockName(trx: AnyDb, key: string): Promise<void> {
  if (!isPostgres(trx)) return;
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

/**
 * Takes the row's write lock until the end of the transaction, so that a check made next (seats left,
 * the current version) holds until the commit. On SQLite a write transaction already excludes every
 * other writer (one connection, one writer), so there is nothing to do.
 */
export async function lockRow(trx: AnyDb, table: string, id: number | string, column = 'id'): Promise<void> {
  if (!isPostgres(trx)) return;
  await sql`SELECT 1 FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${id} FOR UPDATE`.execute(trx);
}
