import type { Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.
// Workshops: a start stored as a UTC instant with the organiser's IANA zone (what the organiser
// entered, and what every reader's own zone is computed from); registrations with a waiting list;
// a secret per person for their calendar feed; an outbox of e-mails sent by a background worker.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workshop')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description_html', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('theme', 'text')
    .addColumn('actor_kind', 'text')
    .addColumn('territory_id', 'integer', (c) => c.references('territory.id'))
    .addColumn('event', 'text')
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('languages', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer')
    .addColumn('join_url', 'text')
    .addColumn('organiser_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('workshop_starts').on('workshop').columns(['starts_at', 'id']).execute();
  await db.schema.createIndex('workshop_event').on('workshop').columns(['event', 'starts_at']).execute();

  await db.schema
    .createTable('registration')
    .addColumn('workshop_id', 'integer', (c) => c.notNull().references('workshop.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('registration_pk', ['workshop_id', 'user_id'])
    .execute();
  await db.schema.createIndex('registration_status').on('registration').columns(['workshop_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('registration_user').on('registration').columns(['user_id', 'workshop_id']).execute();

  await db.schema
    .createTable('calendar_feed')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('user.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('outbox_pending').on('outbox').columns(['sent_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['outbox', 'calendar_feed', 'registration', 'workshop']) await db.schema.dropTable(table).ifExists().execute();
}
