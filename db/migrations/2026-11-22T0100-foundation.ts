import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../engine.js';

// Frozen in time: never edit a migration that has shipped; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('user')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('time_zone', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .execute();

  await db.schema
    .createTable('territory')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('territory.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('territory_parent').on('territory').column('parent_id').execute();

  await db.schema
    .createTable('actor')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('home_territory_id', 'integer', (c) => c.references('territory.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('user_actor')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('actor_id', 'integer', (c) => c.notNull().references('actor.id').onDelete('cascade'))
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('user_actor_pk', ['user_id', 'actor_id'])
    .execute();
  await db.schema.createIndex('user_actor_actor').on('user_actor').column('actor_id').execute();

  await db.schema
    .createTable('membership')
    .addColumn('actor_id', 'integer', (c) => c.notNull().references('actor.id').onDelete('cascade'))
    .addColumn('territory_id', 'integer', (c) => c.notNull().references('territory.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('membership_pk', ['actor_id', 'territory_id'])
    .execute();
  await db.schema.createIndex('membership_territory').on('membership').columns(['territory_id', 'role']).execute();

  await db.schema
    .createTable('session')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('session_user').on('session').column('user_id').execute();

  await db.schema
    .createTable('access_token')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('taxonomy_version')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('is_current', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('dimension')
    .addColumn('version', 'text', (c) => c.notNull().references('taxonomy_version.version').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('descriptions', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dimension_pk', ['version', 'code'])
    .execute();

  await db.schema
    .createTable('component')
    .addColumn('version', 'text', (c) => c.notNull().references('taxonomy_version.version').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('dimension_code', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('descriptions', 'text', (c) => c.notNull())
    .addColumn('crosswalk', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('component_pk', ['version', 'code'])
    .execute();

  await db.schema
    .createTable('page')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('path', 'text', (c) => c.notNull().unique())
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('current_revision', 'integer', (c) => c.notNull())
    .addColumn('protected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('owner_actor_id', 'integer', (c) => c.references('actor.id').onDelete('set null'))
    .addColumn('territory_id', 'integer', (c) => c.references('territory.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('page_updated').on('page').column('updated_at').execute();

  await db.schema
    .createTable('page_revision')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('page_id', 'integer', (c) => c.notNull().references('page.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('markdown', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('author_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('reverted_to', 'integer')
    .addUniqueConstraint('page_revision_number', ['page_id', 'number'])
    .execute();
  await db.schema.createIndex('page_revision_created').on('page_revision').column('created_at').execute();

  await db.schema
    .createTable('page_link')
    .addColumn('page_id', 'integer', (c) => c.notNull().references('page.id').onDelete('cascade'))
    .addColumn('target_path', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('page_link_pk', ['page_id', 'target_path'])
    .execute();
  await db.schema.createIndex('page_link_target').on('page_link').column('target_path').execute();

  await db.schema
    .createTable('comment')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('page_id', 'integer', (c) => c.notNull().references('page.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('markdown', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comment_page').on('comment').columns(['page_id', 'created_at']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Full-text index of every public object. `stems` holds the EN/FR/PT stems of each word so that
  // word forms match across languages; title and body keep the readable text for snippets.
  // PostgreSQL (dialect branch): a plain table whose `document` tsvector is written by
  // db/search-index.ts with the text's language configuration, over unaccented text, GIN-indexed.
  if (isPostgres(db)) {
    await sql`CREATE EXTENSION IF NOT EXISTS unaccent`.execute(db);
    // One configuration per journal language (and simple for the others) that folds accents before
    // stemming, so that the index, the query and ts_headline all ignore accents the same way.
    for (const [name, stemmer] of [['sj_english', 'english_stem'], ['sj_french', 'french_stem'], ['sj_portuguese', 'portuguese_stem'], ['sj_simple', 'simple']]) {
      await sql.raw(`CREATE TEXT SEARCH CONFIGURATION ${name} (COPY = ${name === 'sj_simple' ? 'simple' : name.slice(3)})`).execute(db);
      await sql.raw(`ALTER TEXT SEARCH CONFIGURATION ${name} ALTER MAPPING FOR hword, hword_part, word WITH unaccent, ${stemmer}`).execute(db);
    }
    await db.schema.createTable('search_index')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('stems', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('config', 'text', (c) => c.notNull().defaultTo('sj_simple'))
      .addColumn('document', sql`tsvector`, (c) => c.notNull())
      .execute();
    await sql`CREATE INDEX search_index_document ON search_index USING gin (document)`.execute(db);
    await db.schema.createIndex('search_index_kind_ref').on('search_index').columns(['kind', 'ref']).execute();
    return;
  }
  await sql`CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED, ref UNINDEXED, title, body, stems,
    tokenize = 'unicode61 remove_diacritics 2'
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS search_index`.execute(db);
  for (const table of ['audit_log', 'comment', 'page_link', 'page_revision', 'page', 'component', 'dimension',
    'taxonomy_version', 'access_token', 'session', 'membership', 'user_actor', 'actor', 'territory', 'user']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
