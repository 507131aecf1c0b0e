import type { Transaction } from 'kysely';
import type { Db } from './database.js';
import type { Database } from './schema.js';
import { isTransientConflict, uniqueViolation } from './errors.js';

/**
 * Runs `work` in a transaction, again from the start (at most `attempts` times) when a concurrent
 * transaction got there first: a name chosen as free was taken meanwhile (`retryUnique` matches the
 * broken constraint), or the engine aborted one of two conflicting transactions. On SQLite writers
 * never interleave, so the first attempt is the only one. Joins the caller's transaction when `db` is one
 * (the caller then owns the retry).
 */
export async function retryingTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>, options: { retryUnique?: RegExp; attempts?: number } = {}): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      const unique = uniqueViolation(error);
      const again = isTransientConflict(error) || (unique !== null && options.retryUnique?.test(unique.detail) === true);
      if (!again || attempt >= attempts) throw error;
    }
  }
}
