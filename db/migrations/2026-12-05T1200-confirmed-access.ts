import type { Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.
// Joining a territory is confirmed: a self-declared membership waits for one of its coordinators
// (or an admin) before it opens the territory's territory-only content. Memberships that existed
// before were made under the earlier rule and stay active.
// Representing an organisation is accepted by the person invited, never imposed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('membership').addColumn('status', 'text', (c) => c.notNull().defaultTo('active')).execute();
  await db.schema.alterTable('membership').addColumn('decided_by', 'integer', (c) => c.references('user.id').onDelete('set null')).execute();
  await db.schema.alterTable('membership').addColumn('decided_at', 'text').execute();
  await db.schema.createIndex('membership_territory_status').on('membership').columns(['territory_id', 'status']).execute();
  await db.schema.createTable('representative_invitation')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('actor_id', 'integer', (c) => c.notNull().references('actor.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('invited_by', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('representative_invitation_actor_user', ['actor_id', 'user_id'])
    .execute();
  await db.schema.createIndex('representative_invitation_user').on('representative_invitation').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('representative_invitation').execute();
  await db.schema.dropIndex('membership_territory_status').execute();
  for (const column of ['decided_at', 'decided_by', 'status']) await db.schema.alterTable('membership').dropColumn(column).execute();
}
