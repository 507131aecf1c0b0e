import type { Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.
// Reports of content (a wiki page, a comment, a public choice) that moderators look at; comments can be
// hidden (kept for the record, shown to nobody).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('flag')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('reporter_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('resolution', 'text')
    .execute();
  await db.schema.createIndex('flag_open').on('flag').columns(['resolved_at', 'id']).execute();
  await db.schema.createIndex('flag_target').on('flag').columns(['kind', 'ref']).execute();
  await db.schema.alterTable('comment').addColumn('hidden_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('flag').execute();
  await db.schema.alterTable('comment').dropColumn('hidden_at').execute();
}
