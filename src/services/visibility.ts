import type { ExpressionBuilder } from 'kysely';
import type { Database, Visibility } from '../../db/schema.js';
import type { Deps, Viewer } from './deps.js';
import { coordinatedIds } from './territories.js';

// Who sees what. A choice is `private` (the actors who logged it), `territory` (those actors, the
// members of that territory, and coordinators of it or of a territory above it) or `public`.
// Every list, page, search entry, feed, export and count of choices goes through this one rule.

export interface ViewerScope {
  userId: number | null;
  /** Actors the viewer acts for. */
  actorIds: number[];
  /** Territories whose territory-only content the viewer may read. */
  territoryIds: number[];
}

export const ANONYMOUS_SCOPE: ViewerScope = { userId: null, actorIds: [], territoryIds: [] };

export async function viewerScope(deps: Deps, viewer: Viewer | null): Promise<ViewerScope> {
  if (!viewer) return ANONYMOUS_SCOPE;
  const actors = await deps.db.selectFrom('user_actor').select('actor_id').where('user_id', '=', viewer.user.id).execute();
  const actorIds = actors.map((a) => a.actor_id);
  if (!actorIds.length) return { userId: viewer.user.id, actorIds, territoryIds: [] };
  // Pending members (who named a territory as theirs, not yet accepted by its coordinators) see public content only.
  const memberships = await deps.db.selectFrom('membership').select(['territory_id', 'role']).where('actor_id', 'in', actorIds).where('status', '=', 'active').execute();
  const territoryIds = new Set(memberships.map((m) => m.territory_id));
  if (memberships.some((m) => m.role === 'coordinator')) for (const id of await coordinatedIds(deps, viewer.user.id)) territoryIds.add(id);
  return { userId: viewer.user.id, actorIds, territoryIds: [...territoryIds] };
}

export function canSeeChoice(scope: ViewerScope, choice: { visibility: Visibility; actor_id: number; territory_id: number }): boolean {
  if (choice.visibility === 'public') return true;
  if (scope.actorIds.includes(choice.actor_id)) return true;
  return choice.visibility === 'territory' && scope.territoryIds.includes(choice.territory_id);
}

/**
 * The SQL form of canSeeChoice, as separate conditions whose union is what the viewer may see: each
 * one is served by an index in date order, where a single OR would sort every visible row.
 */
export function visibleChoiceBranches(scope: ViewerScope) {
  type Branch = (eb: ExpressionBuilder<Database, 'choice'>) => ReturnType<ExpressionBuilder<Database, 'choice'>['and']>;
  const branches: Branch[] = [(eb) => eb.and([eb('choice.visibility', '=', 'public')])];
  if (scope.actorIds.length) branches.push((eb) => eb.and([eb('choice.actor_id', 'in', scope.actorIds), eb('choice.visibility', '!=', 'public')]));
  if (scope.territoryIds.length) branches.push((eb) => eb.and([eb('choice.visibility', '=', 'territory'), eb('choice.territory_id', 'in', scope.territoryIds)]));
  return branches;
}
