import type { TestProject } from 'vitest/node';
import { createTemplates, dropTemplates } from './database.js';

// With TEST_DATABASE_URL set, the schema is migrated once per run into template databases that every
// test copies (test/database.ts). Without it, nothing to do: tests use in-memory SQLite.
export default async function setup(_project: TestProject) {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return;
  const run = `${process.pid}`;
  // Workers are started after this and inherit the environment.
  process.env.TEST_DATABASE_RUN = run;
  await createTemplates(base, run);
  return async () => {
    await dropTemplates(base, run);
  };
}
