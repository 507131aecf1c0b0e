import type SQLite from 'better-sqlite3';
import { stemLine } from '../src/text/word-forms.js';
import { type Db, noteWrites, sqliteHandle } from './database.js';
import type { ChoiceStatus } from './schema.js';
import { indexDocument } from './search-index.js';
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { ACTORS_KEPT, CELL_TABLES, type CellTable, RECORD_KEY_SPACE, cellsOf, monthOf, noteActorRowsChanged } from './summary-store.js';

// Bulk loading for large synthetic data sets (benchmarks, `seed --choices N`): batched transactions
// and prepared statements, because a million choices through the services would take minutes
// (about 4,000/s batched, measured). The rows are the ones the services write (choice, components,
// results, first revision, search entry), and the summary cells come from the same `cellsOf` the
// write path uses, added up in memory and written once at the end. On SQLite the rows go through
// prepared statements on the raw handle with secondary indexes dropped for the load; on PostgreSQL
// through Kysely in batched transactions (correct, not yet tuned: COPY would be the fast way).

export interface BulkResult { observedOn: string; text: string; quantity: number | null; unit: string | null; recordKey?: number }

export interface BulkChoice {
  actorId: number;
  territoryId: number;
  authorId: number;
  taxonomyVersion: string;
  title: string;
  description: string;
  /** The description rendered as the services render it (texts repeat: the caller renders each once). */
  descriptionHtml: string;
  /** Stems of the title and description for the search index (public choices only). */
  stems?: string;
  lang: string;
  madeOn: string;
  level: string;
  visibility: 'private' | 'territory' | 'public';
  countInSummaries: boolean;
  status: string | null;
  components: { code: string; dimension: string }[];
  results: BulkResult[];
  createdAt: string;
}

export interface BulkSummaryContext {
  kindOf: (actorId: number) => string;
  /** The territory, the ones above it, and 0 for the network. */
  scopesOf: (territoryId: number) => number[];
}

const KEY_COLUMN: Record<CellTable, string> = { summary_choice: 'level', summary_week: 'week_start', summary_component: 'component_code', summary_dimension: 'dimension_code', summary_result: 'unit' };
const BATCH = 10_000;

export interface BulkActor { slug: string; name: string; kind: string; territoryId: number; createdAt: string }

/** Inserts actors, each a member of its territory, in one transaction; returns their ids in order. */
export async function bulkInsertActors(db: Db, actors: BulkActor[]): Promise<number[]> {
  const sqlite = sqliteHandle(db);
  if (sqlite) {
    const insertActor = sqlite.prepare('INSERT INTO actor (slug, name, kind, home_territory_id, created_at) VALUES (?, ?, ?, ?, ?)');
    const insertMembership = sqlite.prepare('INSERT INTO membership (actor_id, territory_id, role, created_at) VALUES (?, ?, ?, ?)');
    const ids = sqlite.transaction((): number[] => actors.map((a) => {
      const id = Number(insertActor.run(a.slug, a.name, a.kind, a.territoryId, a.createdAt).lastInsertRowid);
      insertMembership.run(id, a.territoryId, 'member', a.createdAt);
      return id;
    }))();
    noteWrites(db);
    return ids;
  }
  return db.transaction().execute(async (trx) => {
    const ids: number[] = [];
    for (let i = 0; i < actors.length; i += ROWS_PER_INSERT) {
      const slice = actors.slice(i, i + ROWS_PER_INSERT);
      const rows = await trx.insertInto('actor').values(slice.map((a) => ({ slug: a.slug, name: a.name, kind: a.kind, home_territory_id: a.territoryId, created_at: a.createdAt })))
        .returning(['id', 'slug']).execute();
      const idOf = new Map(rows.map((r) => [r.slug, r.id]));
      const sliceIds = slice.map((a) => idOf.get(a.slug)!);
      await trx.insertInto('membership').values(slice.map((a, j) => ({ actor_id: sliceIds[j], territory_id: a.territoryId, role: 'member', created_at: a.createdAt }))).execute();
      ids.push(...sliceIds);
    }
    return ids;
  });
}

// Record keys as the trigger would give them (giving them here spares it an update per row).
const newKey = () => randomInt(1, RECORD_KEY_SPACE);

// PostgreSQL binds at most 65,535 parameters per statement.
const ROWS_PER_INSERT = 1_000;

export async function bulkInsertChoices(db: Db, choices: Iterable<BulkChoice>, territorySlug: (id: number) => string, context?: BulkSummaryContext,
  onProgress?: (done: number) => void): Promise<number> {
  // Cells are added up here only into an empty journal; otherwise the summary tables are rebuilt from
  // all the rows at the next start (src/summaries/maintenance.ts), as after a migration.
  let empty = true;
  for (const table of ['choice', ...CELL_TABLES, 'summary_actor'] as const) {
    if (await db.selectFrom(table).select(sql.lit(1).as('one')).limit(1).executeTakeFirst()) empty = false;
  }
  const summary = empty ? context : undefined;
  const sqlite = sqliteHandle(db);
  if (!sqlite) return bulkInsertChoicesThroughKysely(db, choices, territorySlug, summary, onProgress);
  const insertChoice = sqlite.prepare(`INSERT INTO choice (actor_id, territory_id, author_id, taxonomy_version, title, description, description_html, lang, made_on, level,
    visibility, count_in_summaries, status, follow_up_on, result_count, revision, created_at, updated_at, record_key)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, 1, ?, ?, ?)`);
  const insertComponent = sqlite.prepare('INSERT INTO choice_component (choice_id, component_code, dimension_code, position) VALUES (?, ?, ?, ?)');
  const insertResult = sqlite.prepare('INSERT INTO choice_result (choice_id, observed_on, text, quantity, unit, author_id, created_at, record_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insertRevision = sqlite.prepare(`INSERT INTO choice_revision (choice_id, number, author_id, action, changed, snapshot, created_at) VALUES (?, 1, ?, 'created', '[]', ?, ?)`);
  const insertEntry = sqlite.prepare(`INSERT INTO search_entry (kind, ref) VALUES ('choice', ?)`);
  const insertSearch = sqlite.prepare(`INSERT INTO search_index (rowid, kind, ref, title, body, stems) VALUES (?, 'choice', ?, ?, ?, ?)`);
  let count = 0;
  // Index pages of a large journal do not fit SQLite's default 2 MB page cache: with a bigger one for
  // the load, inserts stop waiting on the disk (1 M choices: 8,800/s → see bench/RESULTS.md).
  const cacheSize = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma('cache_size = -524288');
  // Secondary indexes are built once at the end (sorted) rather than kept up to date row by row.
  const deferred = sqlite.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('choice', 'choice_component', 'choice_result')`).all() as { name: string; sql: string }[];
  for (const index of deferred) sqlite.exec(`DROP INDEX "${index.name}"`);
  const { summarise, cellRows, actorRows } = summaryAccumulator(summary);
  const run = sqlite.transaction((batch: BulkChoice[]) => {
    for (const c of batch) {
      const recordKey = newKey();
      const resultKeys = c.results.map(newKey);
      const id = Number(insertChoice.run(c.actorId, c.territoryId, c.authorId, c.taxonomyVersion, c.title, c.description, c.descriptionHtml, c.lang, c.madeOn, c.level,
        c.visibility, c.countInSummaries ? 1 : 0, c.status, c.results.length, c.createdAt, c.createdAt, recordKey).lastInsertRowid);
      c.components.forEach((component, position) => insertComponent.run(id, component.code, component.dimension, position));
      c.results.forEach((r, i) => insertResult.run(id, r.observedOn, r.text, r.quantity, r.unit, c.authorId, c.createdAt, resultKeys[i]));
      insertRevision.run(id, c.authorId, JSON.stringify({
        title: c.title, description: c.description, madeOn: c.madeOn, level: c.level, components: c.components.map((x) => x.code), territory: territorySlug(c.territoryId),
        visibility: c.visibility, countInSummaries: c.countInSummaries, status: c.status, lang: c.lang, followUpOn: null,
      }), c.createdAt);
      if (c.visibility === 'public') {
        const entry = Number(insertEntry.run(String(id)).lastInsertRowid);
        insertSearch.run(entry, String(id), c.title, c.description, c.stems ?? stemLine(`${c.title} ${c.description}`));
      }
      summarise(c, recordKey, resultKeys);
      count++;
    }
  });
  let batch: BulkChoice[] = [];
  for (const choice of choices) {
    batch.push(choice);
    if (batch.length === BATCH) {
      run(batch);
      batch = [];
      onProgress?.(count);
    }
  }
  if (batch.length) run(batch);
  onProgress?.(count);
  if (summary) {
    const inserts = Object.fromEntries(CELL_TABLES.map((table) => [table, sqlite.prepare(table === 'summary_result'
      ? 'INSERT INTO summary_result (scope_id, month, actor_kind, unit, choices, actors, quantity_sum, results, key_sum) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?)'
      : `INSERT INTO ${table} (scope_id, month, actor_kind, ${KEY_COLUMN[table]}, choices, actors, key_sum) VALUES (?, ?, ?, ?, ?, ?, ?)`)]));
    const insertActor = sqlite.prepare('INSERT INTO summary_actor (scope_id, month, actor_kind, actor_id, choices) VALUES (?, ?, ?, ?, ?)');
    sqlite.transaction(() => {
      for (const [table, rows] of cellRows()) {
        for (const cell of rows) {
          if (table === 'summary_result') inserts[table].run(cell.scope, cell.month, cell.kind, cell.key, JSON.stringify(cell.actors), cell.quantity, cell.results, cell.keySum);
          else inserts[table].run(cell.scope, cell.month, cell.kind, cell.key, cell.choices, JSON.stringify(cell.actors), cell.keySum);
        }
      }
      sqlite.prepare(`DELETE FROM summary_meta WHERE key = 'rebuild'`).run();
      for (const row of actorRows()) insertActor.run(row.scope, row.month, row.kind, row.actorId, row.choices);
    })();
  }
  for (const index of deferred) sqlite.exec(index.sql);
  // The segments written batch by batch become one (automatic merging is off: see db/search-index.ts).
  sqlite.prepare(`INSERT INTO search_index(search_index) VALUES ('optimize')`).run();
  sqlite.pragma(`cache_size = ${cacheSize}`);
  noteWrites(db);
  noteActorRowsChanged();
  return count;
}

type Cell = { scope: number; month: string; kind: string; key: string; choices: number; actors: number[]; quantity: number; results: number; keySum: number };
type ActorMonth = { scope: number; month: string; kind: string; actorId: number; choices: number };

/**
 * Summary cells, added up in memory and written at the end (the same rows the services maintain),
 * in primary-key order so that SQLite appends. Keys are numbers built from interned strings: with a
 * million choices, building and hashing key strings was most of the load's time.
 */
function summaryAccumulator(summary: BulkSummaryContext | undefined) {
  // Per table, per scope (territory ids are small integers): cells by (month, kind, key) packed in one small integer.
  const cells = new Map<CellTable, Map<number, Cell>[]>(CELL_TABLES.map((table) => [table, []]));
  const actorMonths: Map<number, ActorMonth>[][] = [];
  const interners = [256, 16, 4096].map((limit) => {
    const ids = new Map<string, number>();
    return (text: string) => {
      let id = ids.get(text);
      if (id === undefined) {
        ids.set(text, (id = ids.size));
        if (id >= limit) throw new Error('Too many distinct months, kinds or keys for one bulk load.');
      }
      return id;
    };
  });
  const [monthIdOf, kindIdOf, keyIdOf] = interners;
  const summarise = (c: BulkChoice, recordKey: number, resultKeys: number[]) => {
    if (!summary || !c.countInSummaries) return;
    const kind = summary.kindOf(c.actorId);
    const kindId = kindIdOf(kind);
    const changes = cellsOf({ actorId: c.actorId, actorKind: kind, territoryId: c.territoryId, madeOn: c.madeOn, level: c.level, recordKey, components: c.components,
      results: c.results.map((r, i) => ({ ...r, recordKey: resultKeys[i] })) });
    const month = monthOf(c.madeOn);
    const actorGroup = monthIdOf(month) * 16 + kindId;
    const keyed = changes.map((change) => ({ change, byScope: cells.get(change.table)!, part: (monthIdOf(change.month) * 16 + kindId) * 4096 + keyIdOf(change.key) }));
    for (const scope of summary.scopesOf(c.territoryId)) {
      for (const { change, byScope, part } of keyed) {
        const table = byScope[scope] ?? (byScope[scope] = new Map());
        let cell = table.get(part);
        if (!cell) table.set(part, (cell = { scope, month: change.month, kind, key: change.key, choices: 0, actors: [], quantity: 0, results: 0, keySum: 0 }));
        cell.keySum += change.recordKey;
        // A choice's cells are distinct within a table, except results (several may share a unit and month).
        if (change.table === 'summary_result') {
          cell.quantity += change.quantity ?? 0;
          cell.results++;
        } else cell.choices++;
        if (cell.actors.length < ACTORS_KEPT && !cell.actors.includes(c.actorId)) cell.actors.push(c.actorId);
      }
      const groups = actorMonths[scope] ?? (actorMonths[scope] = []);
      const actors = groups[actorGroup] ?? (groups[actorGroup] = new Map());
      const known = actors.get(c.actorId);
      if (known) known.choices++;
      else actors.set(c.actorId, { scope, month, kind, actorId: c.actorId, choices: 1 });
    }
  };
  const byKey = <T extends { scope: number; month: string; kind: string }>(key: (x: T) => string | number) => (x: T, y: T) =>
    x.scope - y.scope || (x.month < y.month ? -1 : x.month > y.month ? 1 : 0) || (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : 0) || (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0);
  const cellRows = () => [...cells].map(([table, byScope]) => [table, byScope.flatMap((scopeCells) => [...scopeCells.values()]).sort(byKey((x) => x.key))] as const);
  const actorRows = () => actorMonths.flat().flatMap((actors) => [...actors.values()]).sort(byKey((x) => x.actorId));
  return { summarise, cellRows, actorRows };
}

async function bulkInsertChoicesThroughKysely(db: Db, choices: Iterable<BulkChoice>, territorySlug: (id: number) => string, summary: BulkSummaryContext | undefined,
  onProgress?: (done: number) => void): Promise<number> {
  const { summarise, cellRows, actorRows } = summaryAccumulator(summary);
  let count = 0;
  const run = (batch: BulkChoice[]) => db.transaction().execute(async (trx) => {
    for (const c of batch) {
      const recordKey = newKey();
      const resultKeys = c.results.map(newKey);
      const { id } = await trx.insertInto('choice').values({
        actor_id: c.actorId, territory_id: c.territoryId, author_id: c.authorId, taxonomy_version: c.taxonomyVersion, title: c.title, description: c.description,
        description_html: c.descriptionHtml, lang: c.lang, made_on: c.madeOn, level: c.level, visibility: c.visibility, count_in_summaries: c.countInSummaries ? 1 : 0,
        status: c.status as ChoiceStatus | null, follow_up_on: null, result_count: c.results.length, revision: 1, created_at: c.createdAt, updated_at: c.createdAt, record_key: recordKey,
      }).returning('id').executeTakeFirstOrThrow();
      if (c.components.length) {
        await trx.insertInto('choice_component').values(c.components.map((component, position) => ({ choice_id: id, component_code: component.code, dimension_code: component.dimension, position }))).execute();
      }
      if (c.results.length) {
        await trx.insertInto('choice_result').values(c.results.map((r, i) => ({ choice_id: id, observed_on: r.observedOn, text: r.text, quantity: r.quantity, unit: r.unit, author_id: c.authorId, created_at: c.createdAt, record_key: resultKeys[i] }))).execute();
      }
      await trx.insertInto('choice_revision').values({ choice_id: id, number: 1, author_id: c.authorId, action: 'created', changed: '[]', created_at: c.createdAt, snapshot: JSON.stringify({
        title: c.title, description: c.description, madeOn: c.madeOn, level: c.level, components: c.components.map((x) => x.code), territory: territorySlug(c.territoryId),
        visibility: c.visibility, countInSummaries: c.countInSummaries, status: c.status, lang: c.lang, followUpOn: null,
      }) }).execute();
      if (c.visibility === 'public') await indexDocument(trx, { kind: 'choice', ref: String(id), title: c.title, body: c.description });
      summarise(c, recordKey, resultKeys);
      count++;
    }
  });
  let batch: BulkChoice[] = [];
  for (const choice of choices) {
    batch.push(choice);
    if (batch.length === BATCH / 10) {
      await run(batch);
      batch = [];
      onProgress?.(count);
    }
  }
  if (batch.length) await run(batch);
  onProgress?.(count);
  if (summary) {
    await db.transaction().execute(async (trx) => {
      for (const [table, rows] of cellRows()) {
        for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
          await trx.insertInto(table).values(rows.slice(i, i + ROWS_PER_INSERT).map((cell) => ({
            scope_id: cell.scope, month: cell.month, actor_kind: cell.kind, [KEY_COLUMN[table]]: cell.key, choices: cell.choices, actors: JSON.stringify(cell.actors), key_sum: cell.keySum,
            ...(table === 'summary_result' ? { quantity_sum: cell.quantity, results: cell.results } : {}),
          })) as never).execute();
        }
      }
      await trx.deleteFrom('summary_meta').where('key', '=', 'rebuild').execute();
      const rows = actorRows();
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        await trx.insertInto('summary_actor').values(rows.slice(i, i + ROWS_PER_INSERT).map((r) => ({ scope_id: r.scope, month: r.month, actor_kind: r.kind, actor_id: r.actorId, choices: r.choices }))).execute();
      }
    });
  }
  noteWrites(db);
  noteActorRowsChanged();
  return count;
}
