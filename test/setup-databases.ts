import { afterAll, afterEach, expect } from 'vitest';
import type { TestDatabase } from './database.js';

// Databases made for one test are disposed of after it; those made outside a test (beforeAll, the
// file's top level) after the file. On PostgreSQL this closes their connections and drops them.
const perTest: TestDatabase[] = [];
const perFile: TestDatabase[] = [];

export function registerTestDatabase(database: TestDatabase): void {
  (expect.getState().currentTestName === undefined ? perFile : perTest).push(database);
}

afterEach(async () => {
  await Promise.all(perTest.splice(0).map((d) => d.dispose()));
});
afterAll(async () => {
  await Promise.all([...perTest.splice(0), ...perFile.splice(0)].map((d) => d.dispose()));
});
