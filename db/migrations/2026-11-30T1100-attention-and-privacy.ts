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

  await db.schema.alterTable('notice').addColumn('category', 'text', (c) => c.notNull().defaultTo('participation')).execute();
  await db.schema.alterTable('notice').addColumn('watch_id', 'integer').execute();
  await db.schema.alterTable('notice').addColumn('emailed_at', 'text').execute();
  // Notices that existed before e-mail notifications are not mailed now.
  await db.updateTable('notice').set({ emailed_at: sql.ref('created_at') }).execute();
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

  await db.schema.alterTable('outbox').addColumn('headers', 'text').execute();

  await db.schema.alterTable('user').addColumn('default_visibility', 'text', (c) => c.notNull().defaultTo('private')).execute();
  await db.schema.alterTable('user').addColumn('count_in_summaries_default', 'integer', (c) => c.notNull().defaultTo(1)).execute();

  await db.schema.createTable('setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db.insertInto('setting').values({ key: 'signing.secret', value: randomBytes(32).toString('base64url') }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['setting', 'personal_feed', 'notification_delivery', 'notification_preference', 'watch']) await db.schema.dropTable(table).execute();
  await db.schema.dropIndex('notice_unmailed').execute();
  for (const column of ['category', 'watch_id', 'emailed_at']) await db.schema.alterTable('notice').dropColumn(column).execute();
  await db.schema.alterTable('outbox').dropColumn('headers').execute();
  await db.schema.alterTable('user').dropColumn('default_visibility').execute();
  await db.schema.alterTable('user').dropColumn('count_in_summaries_default').execute();
}
