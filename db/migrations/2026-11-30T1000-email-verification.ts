import { type Kysely, sql } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.
// People who sign up themselves confirm their e-mail address before they publish anything public;
// accounts that existed before count as confirmed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('user').addColumn('email_verified_at', 'text').execute();
  await db.updateTable('user').set({ email_verified_at: sql.ref('created_at') }).execute();
  await db.schema.createTable('email_verification')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('email_verification_user').on('email_verification').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_verification').execute();
  await db.schema.alterTable('user').dropColumn('email_verified_at').execute();
}
