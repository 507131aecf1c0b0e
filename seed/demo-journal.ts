import { readFileSync } from 'node:fs';
import type { Deps, Viewer } from '../src/services/deps.js';
import { type ChoiceInput, createChoice } from '../src/services/choices.js';
import { type StatementInput, addGroupSession, addStatement, createGroup, type GroupInput } from '../src/services/groups.js';
import { putIndicator } from '../src/services/indicators.js';
import { PROJECT_ROOT } from '../src/project-root.js';

// The demo journal (seed/demo-journal.json): choices with results, SPIRAL groups and their statements,
// and a few progress indicators. Everything goes through the services, as a person would.

interface DemoFile {
  choices: (ChoiceInput & { actor: string })[];
  groups: (GroupInput & { key: string; sessionOn: string; statements: StatementInput[] })[];
}

const DEMO_FILE = `${PROJECT_ROOT}seed/demo-journal.json`;

export async function seedDemoJournal(deps: Deps, people: { actors: Record<string, Viewer>; facilitator: Viewer; coordinator: Viewer }) {
  const demo = JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as DemoFile;
  for (const { actor, ...choice } of demo.choices) {
    const viewer = people.actors[actor];
    if (!viewer) throw new Error(`Demo choice for unknown actor ${actor}`);
    await createChoice(deps, viewer, choice, choice.lang ?? 'en');
  }
  for (const { key: _key, sessionOn, statements, ...group } of demo.groups) {
    const id = await createGroup(deps, people.facilitator, group);
    await addGroupSession(deps, people.facilitator, id, { heldOn: sessionOn });
    for (const statement of statements) await addStatement(deps, people.facilitator, id, { ...statement, sessionOn }, group.lang ?? 'en');
  }
  const indicators = [
    { code: 'B03', descriptors: ['Aucun lieu pour se retrouver dans le quartier.', 'Quelques bancs, mal entretenus, peu fréquentés.', 'Une place et un local associatif ouverts en journée.', 'Des lieux accueillants, utilisés par tous les âges.', 'Des espaces partagés, animés par les habitants eux-mêmes, ouverts à tous.'], ratings: [{ level: 2, ratedOn: '2026-04-20', phase: 'ex-ante' as const }, { level: 3, ratedOn: '2026-10-20', phase: 'ex-post' as const }] },
    { code: 'D04', descriptors: ['On ne connaît pas ses voisins.', 'On se salue, sans plus.', 'On se rend de petits services.', 'Des liens réguliers entre voisins de tous âges.', 'Un voisinage solidaire où personne n’est seul.'], ratings: [{ level: 2, ratedOn: '2026-04-20', phase: 'ex-ante' as const }, { level: 4, ratedOn: '2026-10-20', phase: 'ex-post' as const }] },
  ];
  for (const indicator of indicators) {
    await putIndicator(deps, people.coordinator, 'bars-a', indicator.code, { descriptors: indicator.descriptors }, 'fr');
    for (const rating of indicator.ratings) await putIndicator(deps, people.coordinator, 'bars-a', indicator.code, rating, 'fr');
  }
}
