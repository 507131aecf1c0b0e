import type { Db } from '../../db/database.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Role, User } from '../../db/schema.js';
import { forbidden, unauthenticated } from '../errors.js';

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

/** The one check for admin-only actions: 401 without a viewer, 403 for anyone but an admin. */
export function requireAdmin(viewer: Viewer | null, message: string): Viewer {
  if (!viewer) throw unauthenticated();
  if (viewer.user.role !== 'admin') throw forbidden(message);
  return viewer;
}
