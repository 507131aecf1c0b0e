import { type Kysely, sql } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.
// Summary tables kept in the write transaction of choices, so that dashboards never scan raw rows.
// Grain: scope (a territory and each territory above it; 0 = the whole network) × month × actor kind
// × key. `actors` holds up to three distinct actor ids: enough to know, for any union of cells,
// whether a figure comes from at least three actors (privacy threshold) without storing them all.
export async function up(db: Kysely<any>): Promise<void> {
  const cell = (name: string, key: string, extra: (t: any) => any = (t) => t) =>
    extra(db.schema.createTable(name)
      .addColumn('scope_id', 'integer', (c) => c.notNull())
      .addColumn('month', 'text', (c) => c.notNull())
      .addColumn('actor_kind', 'text', (c) => c.notNull())
      .addColumn(key, 'text', (c) => c.notNull())
      .addColumn('choices', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('actors', 'text', (c) => c.notNull().defaultTo('[]')))
      .addPrimaryKeyConstraint(`${name}_pk`, ['scope_id', 'month', 'actor_kind', key])
      .execute();
  await cell('summary_component', 'component_code');
  await cell('summary_dimension', 'dimension_code');
  await cell('summary_choice', 'level');
  await cell('summary_result', 'unit', (t) => t.addColumn('quantity_sum', 'real', (c: any) => c.notNull().defaultTo(0)).addColumn('results', 'integer', (c: any) => c.notNull().defaultTo(0)));
  await db.schema.createTable('summary_actor')
    .addColumn('scope_id', 'integer', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.notNull())
    .addColumn('choices', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('summary_actor_pk', ['scope_id', 'month', 'actor_kind', 'actor_id'])
    .execute();
  // The qualitative part reads the newest texts of a period across the network.
  await db.schema.createIndex('choice_made').on('choice').columns(['made_on', 'id']).execute();
  // Existing journals are summarised once at the next start (db/summary-store.ts rebuildSummaries).
  await db.schema.createTable('summary_meta').addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();
  await sql`INSERT INTO summary_meta (key, value) VALUES ('rebuild', 'needed')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('choice_made').ifExists().execute();
  for (const table of ['summary_meta', 'summary_actor', 'summary_result', 'summary_choice', 'summary_dimension', 'summary_component']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
