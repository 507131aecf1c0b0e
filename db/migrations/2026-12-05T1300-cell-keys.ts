import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../engine.js';

// Frozen in time: never edit a migration that has shipped; add a new one.
// Cell-key perturbation of published figures (src/summaries/perturbation.ts): every counted record (a
// choice, a result, a statement, an actor) gets a permanent random key, never shown; each summary cell
// keeps the sum of its records' keys, so any union of cells knows the key of exactly its records and
// the same records always get the same noise. A new record's key comes from a trigger (the one place
// that cannot forget it); bulk loads give their own. Cells now keep up to eight actor ids, so that
// actors too new to count (n−1 attacks) can be left out of the threshold; the tables are rebuilt once.
const KEYED = ['choice', 'choice_result', 'statement', 'actor'] as const;
export const RECORD_KEY_SPACE = 1_048_576;

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = isPostgres(db);
  // Triggers are written in each engine's language (dialect branch): SQLite updates the new row after
  // its insert; PostgreSQL sets the key before it, in one function shared by the four tables.
  if (postgres) {
    await sql.raw(`CREATE FUNCTION sj_record_key() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.record_key = 0 THEN NEW.record_key := 1 + floor(random() * ${RECORD_KEY_SPACE - 1})::bigint; END IF;
        RETURN NEW;
      END $$`).execute(db);
  }
  for (const table of KEYED) {
    await db.schema.alterTable(table).addColumn('record_key', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    if (postgres) {
      await sql`UPDATE ${sql.table(table)} SET record_key = 1 + floor(random() * ${sql.lit(RECORD_KEY_SPACE - 1)})::bigint`.execute(db);
      await sql.raw(`CREATE TRIGGER ${table}_record_key BEFORE INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION sj_record_key()`).execute(db);
      continue;
    }
    await sql`UPDATE ${sql.table(table)} SET record_key = 1 + abs(random()) % ${sql.lit(RECORD_KEY_SPACE - 1)}`.execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_record_key AFTER INSERT ON "${table}" WHEN NEW.record_key = 0
      BEGIN UPDATE "${table}" SET record_key = 1 + abs(random()) % ${RECORD_KEY_SPACE - 1} WHERE rowid = NEW.rowid; END`).execute(db);
  }
  for (const table of ['summary_component', 'summary_dimension', 'summary_choice', 'summary_week', 'summary_result']) {
    await db.schema.alterTable(table).addColumn('key_sum', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  }
  await sql`INSERT INTO summary_meta (key, value) VALUES ('rebuild', 'needed') ON CONFLICT (key) DO NOTHING`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['summary_component', 'summary_dimension', 'summary_choice', 'summary_week', 'summary_result']) {
    await db.schema.alterTable(table).dropColumn('key_sum').execute();
  }
  for (const table of KEYED) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${table}_record_key${isPostgres(db) ? ` ON "${table}"` : ''}`).execute(db);
    await db.schema.alterTable(table).dropColumn('record_key').execute();
  }
}
