import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Db, migrateToLatest, openDatabase } from '../db/database.js';
import { fixedClock } from '../src/clock.js';
import { testConfig } from '../src/config.js';
import { seedTaxonomy } from '../seed/taxonomy.js';

// Fresh databases for tests. SQLite (the default): a migrated in-memory database per call.
// PostgreSQL (TEST_DATABASE_URL=postgres://… naming a database the tests may create others from):
// the schema is migrated once per run into two template databases (test/postgres-global-setup.ts),
// and each call copies one (CREATE DATABASE … TEMPLATE, milliseconds) and drops it after its test.

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || null;

/** The template databases' names for a run: bare schema, and schema with the shipped taxonomy. */
export function templateNames(run: string) {
  return { bare: `sj_tpl_${run}_bare`, taxonomy: `sj_tpl_${run}_taxonomy` };
}

export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates the templates (called once per run, before the test files). */
export async function createTemplates(base: string, run: string): Promise<void> {
  const names = templateNames(run);
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    for (const [kind, name] of Object.entries(names)) {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
      const { db, close } = openDatabase({ databaseUrl: databaseUrl(base, name), databasePath: ':memory:' });
      try {
        await migrateToLatest(db);
        if (kind === 'taxonomy') await seedTaxonomy({ db, clock: fixedClock('2026-11-22T10:00:00.000Z'), config: testConfig() });
      } finally {
        await close();
      }
    }
  } finally {
    await admin.end();
  }
}

export async function dropTemplates(base: string, run: string): Promise<void> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    for (const name of Object.values(templateNames(run))) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    // Databases of tests that were killed before they could drop theirs.
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`sj_t_${run}_%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export interface TestDatabase {
  db: Db;
  engine: 'sqlite' | 'postgres';
  /** Closes the connections and, on PostgreSQL, drops the database. */
  dispose(): Promise<void>;
}

let admin: pg.Pool | null = null;

/** A fresh migrated database (with the shipped taxonomy unless `taxonomy` is false). */
export async function freshTestDatabase(options: { taxonomy: boolean }): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) {
    const { db, close } = openDatabase(':memory:');
    await migrateToLatest(db);
    if (options.taxonomy) await seedTaxonomy({ db, clock: fixedClock('2026-11-22T10:00:00.000Z'), config: testConfig() });
    return { db, engine: 'sqlite', dispose: close };
  }
  const run = process.env.TEST_DATABASE_RUN;
  if (!run) throw new Error('TEST_DATABASE_URL is set but the templates were not made: run the tests through vitest (test/postgres-global-setup.ts).');
  admin ??= new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
  const name = `sj_t_${run}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = templateNames(run)[options.taxonomy ? 'taxonomy' : 'bare'];
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  const { db, close } = openDatabase({ databaseUrl: databaseUrl(TEST_DATABASE_URL, name), databasePath: ':memory:' });
  let disposed = false;
  return {
    db,
    engine: 'postgres',
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      // Dropped first (FORCE ends its connections): a test that timed out may still hold some, and
      // closing the pool would wait for them.
      await admin!.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await close().catch(() => {});
    },
  };
}
