import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.
// Issue 8: watchlists, notifications by e-mail (digests, one-click unsubscribe, a personal feed),
// consent defaults for new choices, and instance settings (data retention, the signing secret).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('watch')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // Canonical target: page path, territory slug, component code, or the id of a group, workshop or charter.
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addUniqueConstraint('watch_user_target', ['user_id', 'kind', 'target'])
    .execute();
  await db.schema.createIndex('watch_target').on('watch').columns(['kind', 'target']).execute();

  await sql`ALTER TABLE notice ADD COLUMN category text NOT NULL DEFAULT 'participation'`.execute(db);
  await sql`ALTER TABLE notice ADD COLUMN watch_id integer`.execute(db);
  await sql`ALTER TABLE notice ADD COLUMN emailed_at text`.execute(db);
  // Notices that existed before e-mail notifications are not mailed now.
  await sql`UPDATE notice SET emailed_at = created_at`.execute(db);
  // By id alone: new notices land at its end (a fan-out to many people writes one page of it, not one per person).
  await db.schema.createIndex('notice_unmailed').on('notice').column('id').where(sql.ref('emailed_at'), 'is', null).execute();

  await db.schema.createTable('notification_preference')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preference_pk', ['user_id', 'category'])
    .execute();
  await db.schema.createTable('notification_delivery')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('last_sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_delivery_pk', ['user_id', 'frequency'])
    .execute();
  await db.schema.createTable('personal_feed')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('user.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await sql`ALTER TABLE outbox ADD COLUMN headers text`.execute(db);

  await sql`ALTER TABLE user ADD COLUMN default_visibility text NOT NULL DEFAULT 'private'`.execute(db);
  await sql`ALTER TABLE user ADD COLUMN count_in_summaries_default integer NOT NULL DEFAULT 1`.execute(db);

  await db.schema.createTable('setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db.insertInto('setting').values({ key: 'signing.secret', value: randomBytes(32).toString('base64url') }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['setting', 'personal_feed', 'notification_delivery', 'notification_preference', 'watch']) await db.schema.dropTable(table).execute();
  await db.schema.dropIndex('notice_unmailed').execute();
  for (const column of ['category', 'watch_id', 'emailed_at']) await sql`ALTER TABLE notice DROP COLUMN ${sql.raw(column)}`.execute(db);
  await sql`ALTER TABLE outbox DROP COLUMN headers`.execute(db);
  await sql`ALTER TABLE user DROP COLUMN default_visibility`.execute(db);
  await sql`ALTER TABLE user DROP COLUMN count_in_summaries_default`.execute(db);
}
