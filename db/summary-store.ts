import { sql } from 'kysely';
import { type Db, otherConnectionsVersion } from './database.js';
import { isPostgres } from './engine.js';

// The summary tables (see migration 2026-11-22T0400-summaries): what a choice adds to them, kept in
// step inside the choice's own write transaction, and read back by src/summaries. Dialect-specific
// pieces (upserts, JSON sets) live here only.

export const PRIVACY_THRESHOLD = 3;
/** Actor ids a cell keeps: more than the threshold, so that actors too new to count can be left out of it. */
export const ACTORS_KEPT = 8;
/** Record keys are 1 … RECORD_KEY_SPACE − 1 (migration 2026-12-05T1300); a cell's key is its records' sum modulo this. */
export const RECORD_KEY_SPACE = 1_048_576;

export interface ChoiceContribution {
  actorId: number;
  actorKind: string;
  territoryId: number;
  madeOn: string;
  level: string;
  /** The choice's permanent random key (cell-key perturbation); results carry their own. */
  recordKey: number;
  components: { code: string; dimension: string }[];
  results: { observedOn: string; quantity: number | null; unit: string | null; recordKey: number }[];
}

export type CellTable = 'summary_component' | 'summary_dimension' | 'summary_choice' | 'summary_week' | 'summary_result';
const KEY: Record<CellTable, string> = { summary_component: 'component_code', summary_dimension: 'dimension_code', summary_choice: 'level', summary_week: 'week_start', summary_result: 'unit' };
export const CELL_TABLES = Object.keys(KEY) as CellTable[];

export const monthOf = (isoDate: string) => isoDate.slice(0, 7);
/** The Monday (ISO week start) of a day, as YYYY-MM-DD. */
export function weekStartOf(isoDate: string): string {
  const day = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}
const addDays = (isoDate: string, days: number) => {
  const day = new Date(`${isoDate}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
};
const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};
/** Units are compared as written, spaces tidied: "kg  CO2e " and "kg CO2e" add up. */
export const normaliseUnit = (unit: string | null) => (unit ?? '').trim().replace(/\s+/g, ' ');

// Territories are never moved or deleted, so the scopes of a territory never change: remember them
// per database. `cacheKey` is the root Kysely instance (a transaction object is new each time).
const scopeCache = new WeakMap<object, Map<number, number[]>>();

/** The territory and every territory above it, then 0 for the whole network. */
export async function scopesOf(db: Db, territoryId: number, cacheKey: object = db): Promise<number[]> {
  let cache = scopeCache.get(cacheKey);
  const known = cache?.get(territoryId);
  if (known) return known;
  const rows = await sql<{ id: number }>`WITH RECURSIVE up(id, parent_id) AS (
      SELECT id, parent_id FROM territory WHERE id = ${territoryId}
      UNION ALL SELECT t.id, t.parent_id FROM territory t JOIN up ON t.id = up.parent_id)
    SELECT id FROM up`.execute(db);
  const scopes = [...rows.rows.map((r) => r.id), 0];
  if (!cache) scopeCache.set(cacheKey, (cache = new Map()));
  cache.set(territoryId, scopes);
  return scopes;
}

export interface CellChange {
  table: CellTable;
  month: string;
  key: string;
  quantity?: number;
  /** The record key this change adds to the cell's key sum. */
  recordKey: number;
}

/** The cells a counted choice adds one to (the write path and the bulk loader share this). */
export function cellsOf(c: ChoiceContribution): CellChange[] {
  const month = monthOf(c.madeOn);
  const recordKey = c.recordKey;
  const cells: CellChange[] = [{ table: 'summary_choice', month, key: c.level, recordKey }, { table: 'summary_week', month, key: weekStartOf(c.madeOn), recordKey }];
  for (const component of c.components) cells.push({ table: 'summary_component', month, key: component.code, recordKey });
  for (const dimension of new Set(c.components.map((x) => x.dimension))) cells.push({ table: 'summary_dimension', month, key: dimension, recordKey });
  for (const result of c.results) {
    const hasQuantity = result.quantity !== null && result.unit;
    cells.push({ table: 'summary_result', month: monthOf(result.observedOn), key: hasQuantity ? normaliseUnit(result.unit) : '', quantity: hasQuantity ? result.quantity! : 0, recordKey: result.recordKey });
  }
  return cells;
}

/** Raw choices behind one cell: its distinct actors, up to ACTORS_KEPT (used after a removal). */
async function actorsBehind(db: Db, scope: number, kind: string, cell: CellChange): Promise<number[]> {
  const from = `${cell.month}-01`;
  const to = `${nextMonth(cell.month)}-01`;
  const inScope = scope === 0 ? sql`1 = 1` : sql`c.territory_id IN (WITH RECURSIVE down(id) AS (SELECT CAST(${scope} AS BIGINT) UNION ALL SELECT t.id FROM territory t JOIN down ON t.parent_id = down.id) SELECT id FROM down)`;
  let condition;
  switch (cell.table) {
    case 'summary_choice': condition = sql`c.made_on >= ${from} AND c.made_on < ${to} AND c.level = ${cell.key}`; break;
    case 'summary_week': condition = sql`c.made_on >= ${from} AND c.made_on < ${to} AND c.made_on >= ${cell.key} AND c.made_on < ${addDays(cell.key, 7)}`; break;
    case 'summary_component': condition = sql`c.made_on >= ${from} AND c.made_on < ${to} AND EXISTS (SELECT 1 FROM choice_component cc WHERE cc.choice_id = c.id AND cc.component_code = ${cell.key})`; break;
    case 'summary_dimension': condition = sql`c.made_on >= ${from} AND c.made_on < ${to} AND EXISTS (SELECT 1 FROM choice_component cc WHERE cc.choice_id = c.id AND cc.dimension_code = ${cell.key})`; break;
    default: condition = sql`EXISTS (SELECT 1 FROM choice_result r WHERE r.choice_id = c.id AND r.observed_on >= ${from} AND r.observed_on < ${to}
      AND ${cell.key === '' ? sql`(r.quantity IS NULL OR coalesce(trim(r.unit), '') = '')` : sql`r.quantity IS NOT NULL AND trim(r.unit) = ${cell.key}`})`;
  }
  const rows = await sql<{ actor_id: number }>`SELECT DISTINCT c.actor_id FROM choice c JOIN actor a ON a.id = c.actor_id
    WHERE c.count_in_summaries = 1 AND a.kind = ${kind} AND ${inScope} AND ${condition} LIMIT ${ACTORS_KEPT}`.execute(db);
  return rows.rows.map((r) => r.actor_id);
}

async function removeCell(db: Db, scope: number, kind: string, actorId: number, cell: CellChange) {
  const key = sql.ref(KEY[cell.table]);
  const table = sql.table(cell.table);
  const isResult = cell.table === 'summary_result';
  await sql`UPDATE ${table} SET choices = choices - ${isResult ? 0 : 1}, key_sum = key_sum - ${cell.recordKey}
      ${isResult ? sql`, quantity_sum = quantity_sum - ${cell.quantity ?? 0}, results = results - 1` : sql``}
    WHERE scope_id = ${scope} AND month = ${cell.month} AND actor_kind = ${kind} AND ${key} = ${cell.key}`.execute(db);
  await sql`DELETE FROM ${table} WHERE scope_id = ${scope} AND month = ${cell.month} AND actor_kind = ${kind} AND ${key} = ${cell.key}
    AND ${isResult ? sql`results` : sql`choices`} <= 0`.execute(db);
  // The actor may have left this cell: count its actors again from the journal itself.
  const row = await sql<{ actors: string }>`SELECT actors FROM ${table} WHERE scope_id = ${scope} AND month = ${cell.month} AND actor_kind = ${kind} AND ${key} = ${cell.key}`.execute(db);
  if (row.rows[0] && (JSON.parse(row.rows[0].actors) as number[]).includes(actorId)) {
    const actors = await actorsBehind(db, scope, kind, cell);
    await sql`UPDATE ${table} SET actors = ${JSON.stringify(actors)} WHERE scope_id = ${scope} AND month = ${cell.month} AND actor_kind = ${kind} AND ${key} = ${cell.key}`.execute(db);
  }
}

/**
 * Adds (+1) or takes away (−1) what a counted choice contributes. Call −1 after the journal rows are
 * changed, so that recounting a cell's actors sees the journal as it now is. Runs in the caller's transaction.
 */
export async function applyContribution(db: Db, contribution: ChoiceContribution, sign: 1 | -1, knownScopes?: number[]): Promise<void> {
  const scopes = knownScopes ?? (await scopesOf(db, contribution.territoryId));
  const cells = cellsOf(contribution);
  const { actorKind: kind, actorId } = contribution;
  if (sign > 0) {
    // One statement per table for every scope and key: a choice touches three or four scopes.
    for (const table of CELL_TABLES) {
      const mine = cells.filter((cell) => cell.table === table);
      if (mine.length) await addCells(db, table, scopes.flatMap((scope) => mine.map((cell) => ({ scope, cell }))), kind, actorId);
    }
  } else {
    for (const scope of scopes) for (const cell of cells) await removeCell(db, scope, kind, actorId, cell);
  }
  const month = monthOf(contribution.madeOn);
  const upserted = await sql<{ choices: number }>`INSERT INTO summary_actor (scope_id, month, actor_kind, actor_id, choices)
    VALUES ${sql.join(scopes.map((scope) => sql`(${scope}, ${month}, ${kind}, ${actorId}, ${sign})`))}
    ON CONFLICT (scope_id, month, actor_kind, actor_id) DO UPDATE SET choices = summary_actor.choices + excluded.choices
    RETURNING choices`.execute(db);
  // A new row (its first choice there) or one about to go (its last one removed) changes distinct-actor counts.
  if (upserted.rows.some((row) => (sign > 0 ? row.choices === 1 : row.choices <= 0))) noteActorRowsChanged();
  if (sign < 0) {
    await sql`DELETE FROM summary_actor WHERE scope_id IN (${sql.join(scopes)}) AND month = ${month} AND actor_kind = ${kind} AND actor_id = ${actorId} AND choices <= 0`.execute(db);
  }
}

async function addCells(db: Db, table: CellTable, rows: { scope: number; cell: CellChange }[], kind: string, actorId: number) {
  const key = sql.ref(KEY[table]);
  const isResult = table === 'summary_result';
  // Several results of one choice can fall in the same cell: add them up before the upsert.
  const merged = new Map<string, { scope: number; cell: CellChange; quantity: number; results: number; keySum: number }>();
  for (const { scope, cell } of rows) {
    const id = `${scope}|${cell.month}|${cell.key}`;
    const entry = merged.get(id);
    if (entry) {
      entry.quantity += cell.quantity ?? 0;
      entry.results++;
      entry.keySum += cell.recordKey;
    } else merged.set(id, { scope, cell, quantity: cell.quantity ?? 0, results: 1, keySum: cell.recordKey });
  }
  // Bound JavaScript numbers arrive as reals: JSON would spell them "2.0".
  const postgres = isPostgres(db);
  const actorIdSql = postgres ? sql`CAST(${actorId} AS bigint)` : sql`CAST(${actorId} AS INTEGER)`;
  const firstActor = postgres ? sql`jsonb_build_array(${actorIdSql})::text` : sql`json_array(${actorIdSql})`;
  const values = [...merged.values()].map(({ scope, cell, quantity, results, keySum }) => isResult
    ? sql`(${scope}, ${cell.month}, ${kind}, ${cell.key}, 0, ${firstActor}, ${keySum}, ${quantity}, ${results})`
    : sql`(${scope}, ${cell.month}, ${kind}, ${cell.key}, 1, ${firstActor}, ${keySum})`);
  // Keep up to ACTORS_KEPT distinct actors: enough to tell whether any union reaches the threshold.
  const t = sql.table(table);
  const actors = postgres
    ? sql`CASE WHEN jsonb_array_length(${t}.actors::jsonb) >= ${ACTORS_KEPT} OR ${t}.actors::jsonb @> jsonb_build_array(${actorIdSql})
        THEN ${t}.actors ELSE (${t}.actors::jsonb || jsonb_build_array(${actorIdSql}))::text END`
    : sql`CASE WHEN json_array_length(actors) >= ${ACTORS_KEPT} OR EXISTS (SELECT 1 FROM json_each(actors) WHERE value = ${actorId})
        THEN actors ELSE json_insert(actors, '$[#]', ${actorIdSql}) END`;
  // PostgreSQL reads an unqualified column of DO UPDATE as ambiguous: name the table's row.
  const old = (column: string) => (postgres ? sql`${t}.${sql.ref(column)}` : sql.ref(column));
  await sql`INSERT INTO ${t} (scope_id, month, actor_kind, ${key}, choices, actors, key_sum ${isResult ? sql`, quantity_sum, results` : sql``})
    VALUES ${sql.join(values)}
    ON CONFLICT (scope_id, month, actor_kind, ${key}) DO UPDATE SET
      choices = ${old('choices')} + excluded.choices, key_sum = ${old('key_sum')} + excluded.key_sum,
      ${isResult ? sql`quantity_sum = ${old('quantity_sum')} + excluded.quantity_sum, results = ${old('results')} + excluded.results,` : sql``}
      actors = ${actors}`.execute(db);
}

/** Recomputes every summary table from the journal (after the migration, or to repair). */
export async function rebuildSummaries(db: Db, load: (db: Db, afterId: number) => Promise<{ id: number; contribution: ChoiceContribution }[]>): Promise<number> {
  await db.transaction().execute(async (trx) => {
    for (const table of [...CELL_TABLES, 'summary_actor'] as const) await trx.deleteFrom(table).execute();
  });
  let after = 0;
  let count = 0;
  for (;;) {
    const batch = await load(db, after);
    if (!batch.length) break;
    await db.transaction().execute(async (trx) => {
      for (const { contribution } of batch) await applyContribution(trx, contribution, 1);
    });
    after = batch[batch.length - 1].id;
    count += batch.length;
  }
  await sql`DELETE FROM summary_meta WHERE key = 'rebuild'`.execute(db);
  noteActorRowsChanged();
  return count;
}

export async function summariesNeedRebuild(db: Db): Promise<boolean> {
  const row = await sql<{ value: string }>`SELECT value FROM summary_meta WHERE key = 'rebuild'`.execute(db);
  return row.rows.length > 0;
}

export interface CellGroup {
  /** The grouping value (a key, a month or an actor kind), or 'all'. */
  group: string;
  choices: number;
  /** Distinct established actors behind the group (not `untrusted`), counted up to PRIVACY_THRESHOLD: enough to decide on showing it. */
  actors: number;
  quantity: number;
  results: number;
  /** The sum of the group's record keys: its cell key, once taken modulo RECORD_KEY_SPACE. */
  keySum: number;
}

/** Distinct ids in a run of JSON arrays ("[1,2],[3]"), leaving out `untrusted`, counted up to the threshold: usually a few cells suffice. */
function actorsUpToThreshold(arrays: string | null, untrusted: ReadonlySet<number>): number {
  if (!arrays) return 0;
  const seen = new Set<number>();
  for (const match of arrays.matchAll(/[\d.]+/g)) {
    const id = Number(match[0]);
    if (untrusted.has(id)) continue;
    seen.add(id);
    if (seen.size >= PRIVACY_THRESHOLD) break;
  }
  return seen.size;
}

/**
 * The cells of one table for a scope and a range of months (inclusive), added up in SQL by their key,
 * month or actor kind (or all together), optionally for one actor kind. Adding up in the database
 * matters: turning thousands of cells into JavaScript strings costs more than reading them.
 */
export async function readGroups(db: Db, table: CellTable, scope: number, fromMonth: string, toMonth: string, by: 'key' | 'month' | 'actor_kind' | 'all', actorKind?: string,
  untrusted: ReadonlySet<number> = new Set()): Promise<CellGroup[]> {
  const groupColumn = by === 'key' ? sql.ref(KEY[table]) : by === 'month' ? sql.ref('month') : by === 'actor_kind' ? sql.ref('actor_kind') : sql.lit('all');
  const isResult = table === 'summary_result';
  const kind = actorKind ? sql`AND actor_kind = ${actorKind}` : sql``;
  const rows = await sql<{ grp: string; choices: number; actors: string | null; quantity: number; results: number; key_sum: number }>`
    SELECT ${groupColumn} AS grp, sum(choices) AS choices, ${isPostgres(db) ? sql`string_agg(actors, ',')` : sql`group_concat(actors)`} AS actors, sum(key_sum) AS key_sum,
      ${isResult ? sql`sum(quantity_sum)` : sql`0`} AS quantity, ${isResult ? sql`sum(results)` : sql`0`} AS results
    FROM ${sql.table(table)} WHERE scope_id = ${scope} AND month >= ${fromMonth} AND month <= ${toMonth} ${kind}
    ${by === 'all' ? sql`` : sql`GROUP BY grp`}`.execute(db);
  return rows.rows.filter((r) => r.actors !== null).map((r) => ({
    group: String(r.grp), choices: Number(r.choices), actors: actorsUpToThreshold(r.actors, untrusted), quantity: Number(r.quantity ?? 0), results: Number(r.results ?? 0), keySum: Number(r.key_sum ?? 0),
  }));
}

/** Exact number of distinct actors with counted choices in a scope and range of months. */
// Counting distinct actors over many months walks every (actor, month) row of the scope: the slowest
// part of a network summary. The count only changes when a row of summary_actor appears or goes
// (an actor's first choice in a month, or their last one removed), far rarer than writes: counts are
// kept until then. Module-wide, so a change on any connection of this process forgets them all.
let actorRowsVersion = 0;
/** Call after writing summary_actor other than through applyContribution (bulk loads, rebuilds). */
export function noteActorRowsChanged(): void {
  actorRowsVersion++;
}
const actorCounts = new WeakMap<object, Map<string, { version: string; count: ActorCount }>>();

export interface ActorCount {
  /** Distinct actors. */
  count: number;
  /** The sum of their record keys (their cell key). */
  keySum: number;
}

/** Distinct actors of a scope and period, with their key sum, and how many of them are `untrusted`. */
export async function countActors(db: Db, scope: number, fromMonth: string, toMonth: string, actorKind?: string, untrusted: ReadonlySet<number> = new Set()): Promise<ActorCount & { untrusted: number }> {
  const all = await countAllActors(db, scope, fromMonth, toMonth, actorKind);
  if (!untrusted.size || !all.count) return { ...all, untrusted: 0 };
  const kind = actorKind ? sql`AND actor_kind = ${actorKind}` : sql``;
  const row = await sql<{ n: number }>`SELECT count(DISTINCT actor_id) AS n FROM summary_actor
    WHERE scope_id = ${scope} AND month >= ${fromMonth} AND month <= ${toMonth} ${kind} AND actor_id IN (${sql.join([...untrusted])})`.execute(db);
  return { ...all, untrusted: Number(row.rows[0]?.n ?? 0) };
}

async function countAllActors(db: Db, scope: number, fromMonth: string, toMonth: string, actorKind?: string): Promise<ActorCount> {
  const others = otherConnectionsVersion(db);
  if (others === null) return countActorsNow(db, scope, fromMonth, toMonth, actorKind);
  let counts = actorCounts.get(db);
  if (!counts) actorCounts.set(db, (counts = new Map()));
  const key = `${scope}|${fromMonth}|${toMonth}|${actorKind ?? ''}`;
  const version = `${actorRowsVersion}.${others}`;
  const known = counts.get(key);
  if (known?.version === version) return known.count;
  const count = await countActorsNow(db, scope, fromMonth, toMonth, actorKind);
  if (counts.size >= 1_000) counts.clear();
  counts.set(key, { version, count });
  return count;
}

async function countActorsNow(db: Db, scope: number, fromMonth: string, toMonth: string, actorKind?: string): Promise<ActorCount> {
  const kind = actorKind ? sql`AND actor_kind = ${actorKind}` : sql``;
  const row = await sql<{ n: number; k: number | null }>`SELECT count(*) AS n, sum(actor.record_key) AS k FROM (
      SELECT DISTINCT actor_id FROM summary_actor ${isPostgres(db) ? sql`` : sql`INDEXED BY summary_actor_by_actor`}
      WHERE scope_id = ${scope} AND month >= ${fromMonth} AND month <= ${toMonth} ${kind}) AS d
    JOIN actor ON actor.id = d.actor_id`.execute(db);
  return { count: Number(row.rows[0]?.n ?? 0), keySum: Number(row.rows[0]?.k ?? 0) };
}
