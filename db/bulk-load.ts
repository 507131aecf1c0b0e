import type SQLite from 'better-sqlite3';
import { stemLine } from '../src/text/word-forms.js';

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

export function bulkInsertChoices(sqlite: SQLite.Database, choices: Iterable<BulkChoice>, territorySlug: (id: number) => string): number {
  const insertChoice = sqlite.prepare(`INSERT INTO choice (actor_id, territory_id, author_id, taxonomy_version, title, description, description_html, lang, made_on, level,
    visibility, count_in_summaries, status, follow_up_on, result_count, revision, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, 1, ?, ?)`);
  const insertComponent = sqlite.prepare('INSERT INTO choice_component (choice_id, component_code, dimension_code, position) VALUES (?, ?, ?, ?)');
  const insertRevision = sqlite.prepare(`INSERT INTO choice_revision (choice_id, number, author_id, action, changed, snapshot, created_at) VALUES (?, 1, ?, 'created', '[]', ?, ?)`);
  const insertEntry = sqlite.prepare(`INSERT INTO search_entry (kind, ref) VALUES ('choice', ?)`);
  const insertSearch = sqlite.prepare(`INSERT INTO search_index (rowid, kind, ref, title, body, stems) VALUES (?, 'choice', ?, ?, ?, ?)`);
  let count = 0;
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
  return count;
}
