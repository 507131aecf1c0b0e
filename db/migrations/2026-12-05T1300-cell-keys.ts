import { type Kysely, sql } from 'kysely';

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
  for (const table of KEYED) {
    await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN record_key integer NOT NULL DEFAULT 0`.execute(db);
    await sql`UPDATE ${sql.table(table)} SET record_key = 1 + abs(random()) % ${sql.lit(RECORD_KEY_SPACE - 1)}`.execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_record_key AFTER INSERT ON "${table}" WHEN NEW.record_key = 0
      BEGIN UPDATE "${table}" SET record_key = 1 + abs(random()) % ${RECORD_KEY_SPACE - 1} WHERE rowid = NEW.rowid; END`).execute(db);
  }
  for (const table of ['summary_component', 'summary_dimension', 'summary_choice', 'summary_week', 'summary_result']) {
    await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN key_sum integer NOT NULL DEFAULT 0`.execute(db);
  }
  await sql`INSERT INTO summary_meta (key, value) VALUES ('rebuild', 'needed') ON CONFLICT (key) DO NOTHING`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['summary_component', 'summary_dimension', 'summary_choice', 'summary_week', 'summary_result']) {
    await sql`ALTER TABLE ${sql.table(table)} DROP COLUMN key_sum`.execute(db);
  }
  for (const table of KEYED) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${table}_record_key`).execute(db);
    await sql`ALTER TABLE ${sql.table(table)} DROP COLUMN record_key`.execute(db);
  }
}
