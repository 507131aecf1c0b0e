import { readFileSync } from 'node:fs';
import type { Deps } from '../src/services/deps.js';
import { importTaxonomy } from '../src/services/criteria.js';
import { PROJECT_ROOT } from '../src/project-root.js';

export const DEFAULT_TAXONOMY_FILE = `${PROJECT_ROOT}seed/taxonomy/spiral-2010-8.json`;

export function readTaxonomyFile(path = DEFAULT_TAXONOMY_FILE): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Loads the shipped SPIRAL taxonomy unless a current version exists already. */
export async function seedTaxonomy(deps: Deps): Promise<boolean> {
  const current = await deps.db.selectFrom('taxonomy_version').select('version').where('is_current', '=', 1).executeTakeFirst();
  if (current) return false;
  await importTaxonomy(deps, null, readTaxonomyFile());
  return true;
}
