import { type Kysely, PostgresAdapter } from 'kysely';

// Which engine a Kysely instance (or a transaction of one) runs on. Only modules under db/ ask:
// services never see the engine (DESIGN.md, "Scaling out").

export type Engine = 'sqlite' | 'postgres';

export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export function isPostgres(db: Kysely<any>): boolean {
  return engineOf(db) === 'postgres';
}
