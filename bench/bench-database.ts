import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { migrateToLatest, openDatabase } from '../db/database.js';

/** A database file under bench/tmp (gitignored) and a way to remove it with its WAL files. */
export function benchDatabaseFile(name: string) {
  const dir = new URL('./tmp/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}${name}.db`;
  const remove = () => {
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) rmSync(file + suffix);
  };
  return { file, remove };
}

/** A fresh, migrated file database under bench/tmp (WAL and synchronous=FULL, as the server runs), and a way to remove it. */
export async function freshBenchDatabase(name: string) {
  const { file, remove } = benchDatabaseFile(name);
  remove();
  const { db } = openDatabase(file);
  await migrateToLatest(db);
  return { file, db, remove };
}
