import type SQLite from 'better-sqlite3';
import { stemLine } from '../src/text/word-forms.js';
import { noteWrites } from './database.js';
import { randomInt } from 'node:crypto';
import { ACTORS_KEPT, CELL_TABLES, type CellTable, RECORD_KEY_SPACE, cellsOf, monthOf, noteActorRowsChanged } from './summary-store.js';

// Bulk loading for large synthetic data sets (benchmarks, `seed --choices N`): batched transactions
// and prepared statements, because a million choices through the services would take minutes
// (about 4,000/s batched, measured). The rows are the ones the services write (choice, components,
// results, first revision, search entry), and the summary cells come from the same `cellsOf` the
// write path uses, added up in memory and written once at the end.

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

export function bulkInsertChoices(sqlite: SQLite.Database, choices: Iterable<BulkChoice>, territorySlug: (id: number) => string, context?: BulkSummaryContext,
  onProgress?: (done: number) => void): number {
  // Cells are added up here only into an empty journal; otherwise the summary tables are rebuilt from
  // all the rows at the next start (src/summaries/maintenance.ts), as after a migration.
  const empty = ['choice', ...CELL_TABLES, 'summary_actor'].every((table) => !sqlite.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get());
  const summary = empty ? context : undefined;
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
  // Summary cells, added up in memory and written at the end (the same rows the services maintain),
  // in primary-key order so that SQLite appends. Keys are numbers built from interned strings: with a
  // million choices, building and hashing key strings was most of the load's time.
  type Cell = { scope: number; month: string; kind: string; key: string; choices: number; actors: number[]; quantity: number; results: number; keySum: number };
  type ActorMonth = { scope: number; month: string; kind: string; actorId: number; choices: number };
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
  // Record keys as the trigger would give them (giving them here spares it an update per row).
  const newKey = () => randomInt(1, RECORD_KEY_SPACE);
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
    const byKey = <T extends { scope: number; month: string; kind: string }>(key: (x: T) => string | number) => (x: T, y: T) =>
      x.scope - y.scope || (x.month < y.month ? -1 : x.month > y.month ? 1 : 0) || (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : 0) || (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0);
    sqlite.transaction(() => {
      for (const [table, byScope] of cells) {
        for (const cell of byScope.flatMap((scopeCells) => [...scopeCells.values()]).sort(byKey((x) => x.key))) {
          if (table === 'summary_result') inserts[table].run(cell.scope, cell.month, cell.kind, cell.key, JSON.stringify(cell.actors), cell.quantity, cell.results, cell.keySum);
          else inserts[table].run(cell.scope, cell.month, cell.kind, cell.key, cell.choices, JSON.stringify(cell.actors), cell.keySum);
        }
      }
      sqlite.prepare(`DELETE FROM summary_meta WHERE key = 'rebuild'`).run();
      for (const row of actorMonths.flat().flatMap((actors) => [...actors.values()]).sort(byKey((x) => x.actorId))) insertActor.run(row.scope, row.month, row.kind, row.actorId, row.choices);
    })();
  }
  for (const index of deferred) sqlite.exec(index.sql);
  // The segments written batch by batch become one (automatic merging is off: see db/search-index.ts).
  sqlite.prepare(`INSERT INTO search_index(search_index) VALUES ('optimize')`).run();
  sqlite.pragma(`cache_size = ${cacheSize}`);
  noteWrites(sqlite);
  noteActorRowsChanged();
  return count;
}
