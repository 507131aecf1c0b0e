import { type BulkChoice, bulkInsertActors, bulkInsertChoices } from '../db/bulk-load.js';
import { readFileSync } from 'node:fs';
import type { Deps, Viewer } from '../src/services/deps.js';
import { registerUser } from '../src/services/accounts.js';
import { createTerritory } from '../src/services/territories.js';
import { taxonomyIndex } from '../src/services/taxonomy-index.js';
import { CHOICE_LEVELS } from '../src/services/choices.js';
import type { GroupKind } from '../db/schema.js';
import { addStatement, createGroup } from '../src/services/groups.js';
import { putIndicator } from '../src/services/indicators.js';
import { savePage } from '../src/services/pages.js';
import { renderMarkdown } from '../src/markdown/render.js';
import { stemLine } from '../src/text/word-forms.js';
import { seedTaxonomy } from './taxonomy.js';
import { randomBytes } from 'node:crypto';
import { PROJECT_ROOT } from '../src/project-root.js';

// A network the size of the real one (about 300 territories in 20 countries) with as many choices as
// asked, for benchmarks. Territories, accounts, groups and their statements, indicators and wiki
// pages go through the services; the choices (and their results) are bulk-loaded (db/bulk-load.ts).
// Texts are drawn from the demo journal so that search and text analysis see realistic words.
// Deterministic for a given size.

export interface SyntheticOptions {
  choices: number;
  /** Territories in all (countries and the towns in them); 300 by default. */
  territories?: number;
  actors?: number;
  /** The texts choices are drawn from (default: the demo journal's choices). */
  texts?: { title: string; description: string; lang: string; components: string[] }[];
  /** Share of the choices made public (default 0.5; the rest is split between territory and private). */
  publicShare?: number;
  /** Called as the choices are written, with how many are done. */
  onProgress?: (done: number, total: number) => void;
}

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface DemoJournal {
  choices: { title: string; description: string; lang: string; components: string[]; results?: { observedOn: string; text?: string; quantity?: number; unit?: string }[] }[];
  groups: { name: string; kind: GroupKind; lang: 'en' | 'fr' | 'pt'; statements: { question: 'wellbeing' | 'illbeing' | 'actions' | 'proposals'; text: string; components?: string[] }[] }[];
}

const addDays = (isoDate: string, days: number) => new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export async function seedSyntheticNetwork(deps: Deps, options: SyntheticOptions) {
  await seedTaxonomy(deps);
  const index = await taxonomyIndex(deps);
  const rand = random(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const territoryCount = Math.max(2, options.territories ?? 300);
  const countries = Math.max(1, Math.round(territoryCount / 15));
  const admin = await registerUser(deps, { email: 'bench-admin@bench.invalid', password: `${randomBytes(18).toString('base64url')}-Bench`, name: 'Bench admin', actorKind: 'civil-society', role: 'admin' });
  const viewer: Viewer = { user: { id: admin.id, email: admin.email, name: admin.name, role: admin.role, locale: 'en', time_zone: null }, via: 'token' };
  const territoryIds: number[] = [];
  const towns: { id: number; slug: string }[] = [];
  const slugs = new Map<number, string>();
  for (let c = 0; c < countries; c++) {
    const country = await createTerritory(deps, viewer, { slug: `country-${c}`, name: `Country ${c}`, kind: 'country' });
    slugs.set(country.id, country.slug);
    // The towns are shared out between the countries, the first ones taking the remainder.
    const townCount = Math.floor((territoryCount - countries) / countries) + (c < (territoryCount - countries) % countries ? 1 : 0);
    for (let t = 0; t < townCount; t++) {
      const town = await createTerritory(deps, viewer, { slug: `town-${c}-${t}`, name: `Town ${c}.${t}`, kind: 'municipality', parent: country.slug });
      territoryIds.push(town.id);
      towns.push(town);
      slugs.set(town.id, town.slug);
    }
  }
  // Actors are inserted directly: registering thousands of accounts would hash thousands of passwords.
  const actorCount = options.actors ?? 5_000;
  const now = deps.clock.now().toISOString();
  const actorRows = Array.from({ length: actorCount }, (_, a) => ({
    slug: `bench-actor-${a}`, name: `Bench actor ${a}`, territoryId: territoryIds.length ? pick(territoryIds) : [...slugs.keys()][0], createdAt: now,
    kind: ['citizen', 'citizen', 'citizen', 'household', 'civil-society', 'school', 'business', 'local-authority'][a % 8],
  }));
  const actorIds = await bulkInsertActors(deps.db, actorRows);
  const actors = actorRows.map((a, i) => ({ id: actorIds[i], territoryId: a.territoryId, kind: a.kind }));
  const demo = JSON.parse(readFileSync(`${PROJECT_ROOT}seed/demo-journal.json`, 'utf8')) as DemoJournal;
  // Every template text is rendered and stemmed once, as the services would for each choice.
  const templates = (options.texts ?? demo.choices).map((t) => ({ ...t, results: (t as DemoJournal['choices'][number]).results, html: renderMarkdown(t.description).html, stems: stemLine(`${t.title} ${t.description}`) }));
  const codes = [...index.components.keys()];
  const publicShare = options.publicShare ?? 0.5;
  const start = Date.parse('2024-01-01T00:00:00Z');
  const span = Date.parse('2026-11-01T00:00:00Z') - start;
  function* choices(): Generator<BulkChoice> {
    for (let i = 0; i < options.choices; i++) {
      const template = pick(templates);
      const actor = pick(actors);
      const extra = rand() < 0.5 ? [pick(codes)] : [];
      const picked = [...new Set([...template.components, ...extra])].slice(0, 3);
      const v = rand();
      const madeOn = new Date(start + Math.floor(rand() * span)).toISOString().slice(0, 10);
      // A fifth of the choices report results, with the template's units and quantities varied.
      const results = rand() < 0.2 ? (template.results ?? []).map((r) => ({
        observedOn: addDays(madeOn, 30 + Math.floor(rand() * 60)), text: r.text ?? '',
        quantity: r.quantity === undefined ? null : Math.round(r.quantity * (0.5 + rand()) * 10) / 10, unit: r.unit ?? null,
      })) : [];
      yield {
        actorId: actor.id, territoryId: actor.territoryId, authorId: admin.id, taxonomyVersion: index.version,
        title: template.title, description: template.description, descriptionHtml: template.html, stems: template.stems, lang: template.lang,
        madeOn, level: pick(CHOICE_LEVELS),
        visibility: v < publicShare ? 'public' : v < publicShare + (1 - publicShare) / 2 ? 'territory' : 'private',
        countInSummaries: rand() < 0.9, status: rand() < 0.8 ? 'done' : 'planned',
        components: picked.map((code) => ({ code, dimension: index.components.get(code)!.dimension })), results, createdAt: now,
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
  const inserted = await bulkInsertChoices(deps.db, choices(), (id) => slugs.get(id) ?? 'unknown', { kindOf: (id) => kindOf.get(id) ?? 'citizen', scopesOf },
    (done) => options.onProgress?.(done, options.choices));

  // SPIRAL groups with their statements (one group per ten towns), indicators and wiki pages, through the services.
  let statements = 0;
  const groupTowns = towns.filter((_, i) => i % 10 === 0);
  const perGroup = Math.min(200, Math.max(4, Math.round(options.choices / 100 / Math.max(1, groupTowns.length))));
  for (const [g, town] of groupTowns.entries()) {
    const template = demo.groups[g % demo.groups.length];
    const group = await createGroup(deps, viewer, { name: `${template.name} (${town.slug})`, kind: template.kind, territory: town.slug, lang: template.lang });
    for (let s = 0; s < perGroup; s++) {
      const statement = template.statements[s % template.statements.length];
      await addStatement(deps, viewer, group, { question: statement.question, text: statement.text, components: statement.components, lang: template.lang }, 'en');
      statements++;
    }
  }
  let indicators = 0;
  for (const town of towns.filter((_, i) => i % 5 === 0)) {
    for (const code of ['A01', 'B03', 'F04']) {
      await putIndicator(deps, viewer, town.slug, code, { level: 1 + Math.floor(rand() * 5), ratedOn: '2026-03-01', phase: 'ex-ante',
        descriptors: ['Very unsatisfactory', 'Unsatisfactory', 'Average', 'Good', 'Ideal'] }, 'en');
      await putIndicator(deps, viewer, town.slug, code, { level: 1 + Math.floor(rand() * 5), ratedOn: '2026-09-01', phase: 'ex-post' }, 'en');
      indicators++;
    }
  }
  let pages = 0;
  for (const town of towns.filter((_, i) => i % 3 === 0)) {
    const lines = templates.filter((_, i) => (i + pages) % 4 === 0).map((t) => `## ${t.title}\n\n${t.description}`);
    for (let r = 1; r <= 3; r++) {
      await savePage(deps, viewer, `${town.slug}/journal-notes`, { markdown: `# Notes from ${town.slug}\n\n${lines.slice(0, r * 3).join('\n\n')}\n\nSee [[${town.slug}/ideas]].`, summary: `revision ${r}` });
    }
    pages++;
  }
  return { territories: territoryIds.length + countries, actors: actorCount, choices: inserted, statements, indicators, pages, adminId: admin.id };
}
