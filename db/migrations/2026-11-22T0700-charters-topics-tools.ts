import type { Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.
// Charters drafted from workshop conclusions, adopted only when every participant approves the
// current version (an approval names one exact version; a new version voids the earlier ones);
// open-space topics with interest marks; the tools catalogue with proposals; in-app notices.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('charter')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('workshop_id', 'integer', (c) => c.references('workshop.id').onDelete('set null'))
    .addColumn('drafter_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('current_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('adopted_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('charter_version')
    .addColumn('charter_id', 'integer', (c) => c.notNull().references('charter.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('markdown', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('author_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('amendment_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('charter_version_pk', ['charter_id', 'number'])
    .execute();
  await db.schema.createTable('charter_participant')
    .addColumn('charter_id', 'integer', (c) => c.notNull().references('charter.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('charter_participant_pk', ['charter_id', 'user_id'])
    .execute();
  await db.schema.createTable('amendment')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('charter_id', 'integer', (c) => c.notNull().references('charter.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('base_version', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('rationale', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('reason', 'text')
    .addColumn('decided_by', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('amendment_charter').on('amendment').columns(['charter_id', 'status', 'id']).execute();
  await db.schema.createTable('approval')
    .addColumn('charter_id', 'integer', (c) => c.notNull().references('charter.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('approval_pk', ['charter_id', 'user_id'])
    .execute();
  await db.schema.createTable('charter_signature')
    .addColumn('charter_id', 'integer', (c) => c.notNull().references('charter.id').onDelete('cascade'))
    .addColumn('actor_id', 'integer', (c) => c.notNull().references('actor.id').onDelete('cascade'))
    .addColumn('signed_by', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('charter_signature_pk', ['charter_id', 'actor_id'])
    .execute();

  await db.schema.createTable('topic')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description_html', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('proposer_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('workshop_id', 'integer', (c) => c.references('workshop.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('topic_interest')
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('topic.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('topic_interest_pk', ['topic_id', 'user_id'])
    .execute();

  await db.schema.createTable('tool')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('description_html', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('languages', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('offered_by', 'text')
    .addColumn('author_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('tool_proposal')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('tool_id', 'integer', (c) => c.references('tool.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // Where a tool was used: a workshop or a choice.
  await db.schema.createTable('tool_use')
    .addColumn('tool_id', 'integer', (c) => c.notNull().references('tool.id').onDelete('cascade'))
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tool_use_pk', ['tool_id', 'target_kind', 'target_id'])
    .execute();

  await db.schema.createTable('notice')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('notice_user').on('notice').columns(['user_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['notice', 'tool_use', 'tool_proposal', 'tool', 'topic_interest', 'topic', 'charter_signature', 'approval', 'amendment', 'charter_participant', 'charter_version', 'charter']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
