import { CELL_TABLES, type ChoiceContribution, rebuildSummaries, summariesNeedRebuild } from '../../db/summary-store.js';
import type { Db } from '../../db/database.js';
import type { Deps } from '../services/deps.js';

const BATCH = 500;

/** Counted choices with what they contribute, in id order after `afterId`, a batch at a time. */
async function loadContributions(db: Db, afterId: number): Promise<{ id: number; contribution: ChoiceContribution }[]> {
  const choices = await db.selectFrom('choice').innerJoin('actor', 'actor.id', 'choice.actor_id')
    .select(['choice.id', 'choice.actor_id', 'actor.kind', 'choice.territory_id', 'choice.made_on', 'choice.level', 'choice.record_key'])
    .where('choice.count_in_summaries', '=', 1).where('choice.id', '>', afterId).orderBy('choice.id').limit(BATCH).execute();
  if (!choices.length) return [];
  const ids = choices.map((c) => c.id);
  const [components, results] = await Promise.all([
    db.selectFrom('choice_component').select(['choice_id', 'component_code', 'dimension_code']).where('choice_id', 'in', ids).orderBy('position').execute(),
    db.selectFrom('choice_result').select(['choice_id', 'observed_on', 'quantity', 'unit', 'record_key']).where('choice_id', 'in', ids).execute(),
  ]);
  return choices.map((c) => ({
    id: c.id,
    contribution: {
      actorId: c.actor_id, actorKind: c.kind, territoryId: c.territory_id, madeOn: c.made_on, level: c.level, recordKey: c.record_key,
      components: components.filter((x) => x.choice_id === c.id).map((x) => ({ code: x.component_code, dimension: x.dimension_code })),
      results: results.filter((r) => r.choice_id === c.id).map((r) => ({ observedOn: r.observed_on, quantity: r.quantity, unit: r.unit, recordKey: r.record_key })),
    },
  }));
}

/** Summarises the journal once after the summary tables appear (or when asked to repair them). */
export async function ensureSummaries(deps: Deps, force = false): Promise<number | null> {
  if (!force && !(await summariesNeedRebuild(deps.db))) return null;
  return rebuildSummaries(deps.db, loadContributions);
}

/** Every summary cell as comparable text (capped actor sets compared by size: which ≤3 ids they hold may differ). */
async function snapshotSummaries(deps: Deps): Promise<Map<string, string>> {
  const cells = new Map<string, string>();
  for (const table of [...CELL_TABLES, 'summary_actor'] as const) {
    const rows = await deps.db.selectFrom(table).selectAll().execute();
    for (const row of rows as Record<string, unknown>[]) {
      const { choices, actors, quantity_sum: sum, results, key_sum: keySum, ...key } = row;
      const value = JSON.stringify([choices, typeof actors === 'string' ? (JSON.parse(actors) as unknown[]).length : null, sum === undefined ? null : Math.round(Number(sum) * 1000) / 1000, results ?? null, keySum ?? null]);
      cells.set(`${table}|${JSON.stringify(key)}`, value);
    }
  }
  return cells;
}

export interface SummaryVerification {
  cells: number;
  differences: { cell: string; kept: string | null; recounted: string | null }[];
}

/**
 * Checks that the summary tables never drifted from the journal: rebuilds them from the raw rows
 * and compares cell by cell. Whatever differed is repaired by the rebuild itself.
 */
export async function verifySummaries(deps: Deps): Promise<SummaryVerification> {
  const before = await snapshotSummaries(deps);
  await rebuildSummaries(deps.db, loadContributions);
  const after = await snapshotSummaries(deps);
  const differences: SummaryVerification['differences'] = [];
  for (const cell of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(cell) !== after.get(cell)) differences.push({ cell, kept: before.get(cell) ?? null, recounted: after.get(cell) ?? null });
  }
  return { cells: after.size, differences };
}
