import type SQLite from 'better-sqlite3';
import { type BulkChoice, bulkInsertChoices } from '../db/bulk-load.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Deps } from '../src/services/deps.js';
import { registerUser } from '../src/services/accounts.js';
import { createTerritory } from '../src/services/territories.js';
import { taxonomyIndex } from '../src/services/taxonomy-index.js';
import { CHOICE_LEVELS } from '../src/services/choices.js';
import { seedTaxonomy } from './taxonomy.js';
import { randomBytes } from 'node:crypto';

// A network the size of the real one (about 300 territories in 20 countries) with as many choices as
// asked, for benchmarks. Territories and a few hundred accounts go through the services; the choices
// themselves are bulk-loaded (db/bulk-load.ts). Texts are drawn from the demo journal so that search
// and text analysis see realistic words. Deterministic for a given size.

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export async function seedSyntheticNetwork(deps: Deps, sqlite: SQLite.Database, options: { choices: number; countries?: number; townsPerCountry?: number; actors?: number }) {
  await seedTaxonomy(deps);
  const index = await taxonomyIndex(deps);
  const rand = random(42);
  const countries = options.countries ?? 20;
  const towns = options.townsPerCountry ?? 14;
  const admin = await registerUser(deps, { email: 'bench-admin@bench.invalid', password: `${randomBytes(18).toString('base64url')}-Bench`, name: 'Bench admin', actorKind: 'civil-society', role: 'admin' });
  const viewer = { user: { id: admin.id, email: admin.email, name: admin.name, role: admin.role, locale: 'en', time_zone: null }, via: 'token' as const };
  const territoryIds: number[] = [];
  const slugs = new Map<number, string>();
  for (let c = 0; c < countries; c++) {
    const country = await createTerritory(deps, viewer, { slug: `country-${c}`, name: `Country ${c}`, kind: 'country' });
    slugs.set(country.id, country.slug);
    for (let t = 0; t < towns; t++) {
      const town = await createTerritory(deps, viewer, { slug: `town-${c}-${t}`, name: `Town ${c}.${t}`, kind: 'municipality', parent: country.slug });
      territoryIds.push(town.id);
      slugs.set(town.id, town.slug);
    }
  }
  // Actors are inserted directly too: registering thousands of accounts would hash thousands of passwords.
  const actorCount = options.actors ?? 5_000;
  const now = deps.clock.now().toISOString();
  const insertActor = sqlite.prepare('INSERT INTO actor (slug, name, kind, home_territory_id, created_at) VALUES (?, ?, ?, ?, ?)');
  const insertMembership = sqlite.prepare('INSERT INTO membership (actor_id, territory_id, role, created_at) VALUES (?, ?, ?, ?)');
  const actors: { id: number; territoryId: number; kind: string }[] = [];
  sqlite.transaction(() => {
    for (let a = 0; a < actorCount; a++) {
      const territoryId = territoryIds[Math.floor(rand() * territoryIds.length)];
      const kind = ['citizen', 'citizen', 'citizen', 'household', 'civil-society', 'school', 'business', 'local-authority'][a % 8];
      const id = Number(insertActor.run(`bench-actor-${a}`, `Bench actor ${a}`, kind, territoryId, now).lastInsertRowid);
      insertMembership.run(id, territoryId, 'member', now);
      actors.push({ id, territoryId, kind });
    }
  })();
  const demo = JSON.parse(readFileSync(fileURLToPath(new URL('./demo-journal.json', import.meta.url)), 'utf8')) as { choices: { title: string; description: string; lang: string; components: string[] }[] };
  const codes = [...index.components.keys()];
  const start = Date.parse('2024-01-01T00:00:00Z');
  const span = Date.parse('2026-11-01T00:00:00Z') - start;
  function* choices(): Generator<BulkChoice> {
    for (let i = 0; i < options.choices; i++) {
      const template = demo.choices[Math.floor(rand() * demo.choices.length)];
      const actor = actors[Math.floor(rand() * actors.length)];
      const extra = rand() < 0.5 ? [codes[Math.floor(rand() * codes.length)]] : [];
      const picked = [...new Set([...template.components, ...extra])].slice(0, 4);
      const v = rand();
      yield {
        actorId: actor.id, territoryId: actor.territoryId, authorId: admin.id, taxonomyVersion: index.version,
        title: template.title, description: template.description, lang: template.lang,
        madeOn: new Date(start + Math.floor(rand() * span)).toISOString().slice(0, 10),
        level: CHOICE_LEVELS[Math.floor(rand() * CHOICE_LEVELS.length)],
        visibility: v < 0.5 ? 'public' : v < 0.75 ? 'territory' : 'private',
        countInSummaries: rand() < 0.9, status: rand() < 0.8 ? 'done' : 'planned',
        components: picked.map((code) => ({ code, dimension: index.components.get(code)!.dimension })), createdAt: now,
      };
    }
  }
  const kindOf = new Map(actors.map((a) => [a.id, a.kind]));
  const parentOf = new Map((await deps.db.selectFrom('territory').select(['id', 'parent_id']).execute()).map((t) => [t.id, t.parent_id]));
  const scopesOf = (territoryId: number) => {
    const scopes: number[] = [];
    for (let id: number | null | undefined = territoryId; id; id = parentOf.get(id)) scopes.push(id);
    return [...scopes, 0];
  };
  const inserted = bulkInsertChoices(sqlite, choices(), (id) => slugs.get(id) ?? 'unknown', { kindOf: (id) => kindOf.get(id) ?? 'citizen', scopesOf });
  // The summary tables are complete: nothing to rebuild at the next start.
  await deps.db.deleteFrom('summary_meta').where('key', '=', 'rebuild').execute();
  return { territories: territoryIds.length + countries, actors: actorCount, choices: inserted, adminId: admin.id };
}
