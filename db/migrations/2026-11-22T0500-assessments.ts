import type { Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.
// Six-month assessments: a summary frozen at the moment it is made, with the previous period's.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('assessment')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('territory_id', 'integer', (c) => c.notNull().references('territory.id').onDelete('cascade'))
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('previous', 'text', (c) => c.notNull())
    .addColumn('activities', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_by', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assessment_territory').on('assessment').columns(['territory_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('assessment').ifExists().execute();
}
