import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../engine.js';

// Frozen in time: never edit a migration that has shipped; add a new one.
// Summary tables kept in the write transaction of choices, so that dashboards never scan raw rows.
// Grain: scope (a territory and each territory above it; 0 = the whole network) × month × actor kind
// × key. `actors` holds up to three distinct actor ids: enough to know, for any union of cells,
// whether a figure comes from at least three actors (privacy threshold) without storing them all.
// WITHOUT ROWID: the primary key is the storage order, so a scope's months are read as one contiguous run.
// summary_week keys each month's choices by the Monday of their week, so that a short period can be
// charted week by week and its first and last weeks are cut exactly at the period's edges.
export async function up(db: Kysely<any>): Promise<void> {
  // WITHOUT ROWID is SQLite's; a PostgreSQL table is a heap with its primary key index either way.
  const withoutRowid = (t: any) => (isPostgres(db) ? t : t.modifyEnd(sql`WITHOUT ROWID`));
  const cell = (name: string, key: string, extra: (t: any) => any = (t) => t) =>
    extra(db.schema.createTable(name)
      .addColumn('scope_id', 'integer', (c) => c.notNull())
      .addColumn('month', 'text', (c) => c.notNull())
      .addColumn('actor_kind', 'text', (c) => c.notNull())
      .addColumn(key, 'text', (c) => c.notNull())
      .addColumn('choices', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('actors', 'text', (c) => c.notNull().defaultTo('[]')))
      .addPrimaryKeyConstraint(`${name}_pk`, ['scope_id', 'month', 'actor_kind', key])
      .$call(withoutRowid)
      .execute();
  await cell('summary_component', 'component_code');
  await cell('summary_dimension', 'dimension_code');
  await cell('summary_choice', 'level');
  await cell('summary_week', 'week_start');
  await cell('summary_result', 'unit', (t) => t.addColumn('quantity_sum', 'real', (c: any) => c.notNull().defaultTo(0)).addColumn('results', 'integer', (c: any) => c.notNull().defaultTo(0)));
  await db.schema.createTable('summary_actor')
    .addColumn('scope_id', 'integer', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.notNull())
    .addColumn('choices', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('summary_actor_pk', ['scope_id', 'month', 'actor_kind', 'actor_id'])
    .$call(withoutRowid)
    .execute();
  // Distinct actors of a scope over a period: read in actor order, no temporary sort.
  await db.schema.createIndex('summary_actor_by_actor').on('summary_actor').columns(['scope_id', 'actor_id', 'month']).execute();
  // The qualitative part reads the newest choices of a period across the network (pairs of
  // components need only whether they count and whose they are: covered by the index).
  await db.schema.createIndex('choice_made').on('choice').columns(['made_on', 'id', 'count_in_summaries', 'actor_id']).execute();
  // Existing journals are summarised once at the next start (db/summary-store.ts rebuildSummaries).
  await db.schema.createTable('summary_meta').addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();
  await sql`INSERT INTO summary_meta (key, value) VALUES ('rebuild', 'needed')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('choice_made').ifExists().execute();
  for (const table of ['summary_meta', 'summary_actor', 'summary_week', 'summary_result', 'summary_choice', 'summary_dimension', 'summary_component']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
