import type { Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.
// The journal: choices with their components, results and history; SPIRAL groups and statements;
// progress indicators and their ratings.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('choice')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('actor_id', 'integer', (c) => c.notNull().references('actor.id').onDelete('cascade'))
    .addColumn('territory_id', 'integer', (c) => c.notNull().references('territory.id'))
    .addColumn('author_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('taxonomy_version', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description_html', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('made_on', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('private'))
    .addColumn('count_in_summaries', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('status', 'text')
    .addColumn('follow_up_on', 'text')
    .addColumn('result_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Lists are ordered by (made_on DESC, id DESC) and paginated by that key.
  await db.schema.createIndex('choice_territory_made').on('choice').columns(['territory_id', 'made_on', 'id']).execute();
  await db.schema.createIndex('choice_actor_made').on('choice').columns(['actor_id', 'made_on', 'id']).execute();
  await db.schema.createIndex('choice_visibility_made').on('choice').columns(['visibility', 'made_on', 'id']).execute();
  await db.schema.createIndex('choice_follow_up').on('choice').columns(['actor_id', 'result_count', 'follow_up_on']).execute();

  await db.schema
    .createTable('choice_component')
    .addColumn('choice_id', 'integer', (c) => c.notNull().references('choice.id').onDelete('cascade'))
    .addColumn('component_code', 'text', (c) => c.notNull())
    .addColumn('dimension_code', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('choice_component_pk', ['choice_id', 'component_code'])
    .execute();
  await db.schema.createIndex('choice_component_code').on('choice_component').columns(['component_code', 'choice_id']).execute();
  await db.schema.createIndex('choice_component_dimension').on('choice_component').columns(['dimension_code', 'choice_id']).execute();

  await db.schema
    .createTable('choice_result')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('choice_id', 'integer', (c) => c.notNull().references('choice.id').onDelete('cascade'))
    .addColumn('observed_on', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('quantity', 'real')
    .addColumn('unit', 'text')
    .addColumn('author_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('choice_result_choice').on('choice_result').columns(['choice_id', 'observed_on']).execute();

  // Append-only history of a choice: a full snapshot per revision, plus what changed.
  await db.schema
    .createTable('choice_revision')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('choice_id', 'integer', (c) => c.notNull().references('choice.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('changed', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('choice_revision_number', ['choice_id', 'number'])
    .execute();

  await db.schema
    .createTable('spiral_group')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('territory_id', 'integer', (c) => c.notNull().references('territory.id'))
    .addColumn('profile', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('spiral_group_territory').on('spiral_group').columns(['territory_id', 'kind']).execute();
  await db.schema.createIndex('spiral_group_kind').on('spiral_group').columns(['kind', 'updated_at']).execute();

  await db.schema
    .createTable('group_member')
    .addColumn('group_id', 'integer', (c) => c.notNull().references('spiral_group.id').onDelete('cascade'))
    .addColumn('actor_id', 'integer', (c) => c.notNull().references('actor.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_member_pk', ['group_id', 'actor_id'])
    .execute();

  await db.schema
    .createTable('group_session')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('group_id', 'integer', (c) => c.notNull().references('spiral_group.id').onDelete('cascade'))
    .addColumn('held_on', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('group_session_group').on('group_session').columns(['group_id', 'held_on']).execute();

  await db.schema
    .createTable('statement')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('group_id', 'integer', (c) => c.notNull().references('spiral_group.id').onDelete('cascade'))
    .addColumn('taxonomy_version', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('meaning', 'text')
    .addColumn('session_on', 'text')
    .addColumn('author_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('statement_group').on('statement').columns(['group_id', 'question', 'id']).execute();
  await db.schema.createIndex('statement_created').on('statement').column('created_at').execute();

  await db.schema
    .createTable('statement_component')
    .addColumn('statement_id', 'integer', (c) => c.notNull().references('statement.id').onDelete('cascade'))
    .addColumn('component_code', 'text', (c) => c.notNull())
    .addColumn('dimension_code', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('statement_component_pk', ['statement_id', 'component_code'])
    .execute();
  await db.schema.createIndex('statement_component_code').on('statement_component').columns(['component_code', 'statement_id']).execute();

  await db.schema
    .createTable('indicator')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('territory_id', 'integer', (c) => c.notNull().references('territory.id').onDelete('cascade'))
    .addColumn('component_code', 'text', (c) => c.notNull())
    .addColumn('taxonomy_version', 'text', (c) => c.notNull())
    .addColumn('descriptors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('updated_by', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('indicator_territory_component', ['territory_id', 'component_code'])
    .execute();

  await db.schema
    .createTable('indicator_rating')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicator.id').onDelete('cascade'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('rated_on', 'text', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull().defaultTo('ex-post'))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('author_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('indicator_rating_indicator').on('indicator_rating').columns(['indicator_id', 'rated_on', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['indicator_rating', 'indicator', 'statement_component', 'statement', 'group_session', 'group_member',
    'spiral_group', 'choice_revision', 'choice_result', 'choice_component', 'choice']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
