import type { Db } from '../../db/database.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Role, User } from '../../db/schema.js';

/** What every service needs, passed in by createApp: no global singletons. */
export interface Deps {
  db: Db;
  clock: Clock;
  config: Config;
}

/** Who is acting. `null` is an anonymous visitor. */
export interface Viewer {
  user: Pick<User, 'id' | 'email' | 'name' | 'role' | 'locale' | 'time_zone'>;
  via: 'session' | 'token';
}

export const ROLES: readonly Role[] = ['admin', 'coordinator', 'facilitator', 'member'];

export function nowIso(deps: Pick<Deps, 'clock'>): string {
  return deps.clock.now().toISOString();
}

export function isAdmin(viewer: Viewer | null): boolean {
  return viewer?.user.role === 'admin';
}
