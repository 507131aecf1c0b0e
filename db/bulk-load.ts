import type SQLite from 'better-sqlite3';
import { stemLine } from '../src/text/word-forms.js';
import { weekStartOf } from './summary-store.js';

// Bulk loading for large synthetic data sets (benchmarks, `seed --choices N`): one transaction and
// prepared statements, because a million choices through the services would take many minutes.
// The rows are the same ones the services write (choice, components, first revision, search entry).

export interface BulkChoice {
  actorId: number;
  territoryId: number;
  authorId: number;
  taxonomyVersion: string;
  title: string;
  description: string;
  lang: string;
  madeOn: string;
  level: string;
  visibility: 'private' | 'territory' | 'public';
  countInSummaries: boolean;
  status: string | null;
  components: { code: string; dimension: string }[];
  createdAt: string;
}

export interface BulkSummaryContext {
  kindOf: (actorId: number) => string;
  /** The territory, the ones above it, and 0 for the network. */
  scopesOf: (territoryId: number) => number[];
}

export function bulkInsertChoices(sqlite: SQLite.Database, choices: Iterable<BulkChoice>, territorySlug: (id: number) => string, summary?: BulkSummaryContext): number {
  const insertChoice = sqlite.prepare(`INSERT INTO choice (actor_id, territory_id, author_id, taxonomy_version, title, description, description_html, lang, made_on, level,
    visibility, count_in_summaries, status, follow_up_on, result_count, revision, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, 1, ?, ?)`);
  const insertComponent = sqlite.prepare('INSERT INTO choice_component (choice_id, component_code, dimension_code, position) VALUES (?, ?, ?, ?)');
  const insertRevision = sqlite.prepare(`INSERT INTO choice_revision (choice_id, number, author_id, action, changed, snapshot, created_at) VALUES (?, 1, ?, 'created', '[]', ?, ?)`);
  const insertEntry = sqlite.prepare(`INSERT INTO search_entry (kind, ref) VALUES ('choice', ?)`);
  const insertSearch = sqlite.prepare(`INSERT INTO search_index (rowid, kind, ref, title, body, stems) VALUES (?, 'choice', ?, ?, ?, ?)`);
  let count = 0;
  // Summary cells, added up in memory and written at the end (the same rows the services maintain).
  const cells = new Map<string, { choices: number; actors: number[] }>();
  const actorMonths = new Map<string, number>();
  const addCell = (key: string, actorId: number) => {
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { choices: 0, actors: [] }));
    cell.choices++;
    if (cell.actors.length < 3 && !cell.actors.includes(actorId)) cell.actors.push(actorId);
  };
  const summarise = (c: BulkChoice) => {
    if (!summary || !c.countInSummaries) return;
    const kind = summary.kindOf(c.actorId);
    const month = c.madeOn.slice(0, 7);
    const week = weekStartOf(c.madeOn);
    for (const scope of summary.scopesOf(c.territoryId)) {
      const at = `${scope}|${month}|${kind}`;
      addCell(`summary_choice|${at}|${c.level}`, c.actorId);
      addCell(`summary_week|${at}|${week}`, c.actorId);
      for (const component of c.components) addCell(`summary_component|${at}|${component.code}`, c.actorId);
      for (const dimension of new Set(c.components.map((x) => x.dimension))) addCell(`summary_dimension|${at}|${dimension}`, c.actorId);
      const actorKey = `${at}|${c.actorId}`;
      actorMonths.set(actorKey, (actorMonths.get(actorKey) ?? 0) + 1);
    }
  };
  const run = sqlite.transaction((batch: BulkChoice[]) => {
    for (const c of batch) {
      const html = c.description ? `<p>${c.description.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>\n` : '';
      const id = Number(insertChoice.run(c.actorId, c.territoryId, c.authorId, c.taxonomyVersion, c.title, c.description, html, c.lang, c.madeOn, c.level,
        c.visibility, c.countInSummaries ? 1 : 0, c.status, c.createdAt, c.createdAt).lastInsertRowid);
      c.components.forEach((component, position) => insertComponent.run(id, component.code, component.dimension, position));
      insertRevision.run(id, c.authorId, JSON.stringify({
        title: c.title, description: c.description, madeOn: c.madeOn, level: c.level, components: c.components.map((x) => x.code), territory: territorySlug(c.territoryId),
        visibility: c.visibility, countInSummaries: c.countInSummaries, status: c.status, lang: c.lang, followUpOn: null,
      }), c.createdAt);
      if (c.visibility === 'public') {
        const entry = Number(insertEntry.run(String(id)).lastInsertRowid);
        insertSearch.run(entry, String(id), c.title, c.description, stemLine(`${c.title} ${c.description}`));
      }
      summarise(c);
      count++;
    }
  });
  let batch: BulkChoice[] = [];
  for (const choice of choices) {
    batch.push(choice);
    if (batch.length === 10_000) {
      run(batch);
      batch = [];
    }
  }
  if (batch.length) run(batch);
  if (summary) {
    const keyColumn: Record<string, string> = { summary_choice: 'level', summary_week: 'week_start', summary_component: 'component_code', summary_dimension: 'dimension_code' };
    const inserts = Object.fromEntries(Object.entries(keyColumn).map(([table, column]) => [table, sqlite.prepare(
      `INSERT INTO ${table} (scope_id, month, actor_kind, ${column}, choices, actors) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET choices = choices + excluded.choices`)]));
    const insertActor = sqlite.prepare(`INSERT INTO summary_actor (scope_id, month, actor_kind, actor_id, choices) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET choices = choices + excluded.choices`);
    sqlite.transaction(() => {
      for (const [key, cell] of cells) {
        const [table, scope, month, kind, value] = key.split('|');
        inserts[table].run(Number(scope), month, kind, value, cell.choices, JSON.stringify(cell.actors));
      }
      for (const [key, n] of actorMonths) {
        const [scope, month, kind, actor] = key.split('|');
        insertActor.run(Number(scope), month, kind, Number(actor), n);
      }
    })();
  }
  return count;
}
