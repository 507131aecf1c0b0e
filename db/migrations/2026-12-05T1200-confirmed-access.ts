import { type Kysely, sql } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.
// Joining a territory is confirmed: a self-declared membership waits for one of its coordinators
// (or an admin) before it opens the territory's territory-only content. Memberships that existed
// before were made under the earlier rule and stay active.
// Representing an organisation is accepted by the person invited, never imposed.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE membership ADD COLUMN status text NOT NULL DEFAULT 'active'`.execute(db);
  await sql`ALTER TABLE membership ADD COLUMN decided_by integer REFERENCES user(id) ON DELETE SET NULL`.execute(db);
  await sql`ALTER TABLE membership ADD COLUMN decided_at text`.execute(db);
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
  await sql`ALTER TABLE membership DROP COLUMN decided_at`.execute(db);
  await sql`ALTER TABLE membership DROP COLUMN decided_by`.execute(db);
  await sql`ALTER TABLE membership DROP COLUMN status`.execute(db);
}
