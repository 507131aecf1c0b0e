import { nowIso } from '../src/services/deps.js';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type WorkshopInput, createWorkshop, register } from '../src/services/workshops.js';
import { markInterest, proposeTopic } from '../src/services/topics.js';
import { createTool } from '../src/services/tools.js';
import { createCharter } from '../src/services/charters.js';
import type { Deps, Viewer } from '../src/services/deps.js';
import { registerUser } from '../src/services/accounts.js';
import { savePage } from '../src/services/pages.js';
import { createTerritory, setCoordinator } from '../src/services/territories.js';
import { seedTaxonomy } from './taxonomy.js';
import { seedDemoJournal } from './demo-journal.js';
import { PROJECT_ROOT } from '../src/project-root.js';

// A small network to explore on first start: a region with two towns and a district, a few actors
// and pages. Demo accounts get random passwords nobody knows (they cannot be logged into); the first
// admin is made with `npm run journal -- user create`.

const asViewer = (user: { id: number; email: string; name: string; role: Viewer['user']['role']; locale: string }): Viewer => ({
  user: { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale, time_zone: null },
  via: 'session',
});

const unknownPassword = () => `${randomBytes(24).toString('base64url')}-Demo`;

export async function isSeeded(deps: Deps): Promise<boolean> {
  return Boolean(await deps.db.selectFrom('territory').select('id').limit(1).executeTakeFirst());
}

export async function seedDemo(deps: Deps): Promise<{ territories: number; users: number; pages: number }> {
  await seedTaxonomy(deps);
  const steward = await registerUser(deps, { email: 'network@demo.invalid', password: unknownPassword(), name: 'TOGETHER network (demo)', actorKind: 'civil-society', role: 'admin', locale: 'en' });
  const admin = asViewer(steward);
  const region = await createTerritory(deps, admin, { slug: 'alentejo-litoral', name: 'Alentejo Litoral', kind: 'region', description: '# Alentejo Litoral\n\nA coastal region where towns, schools and associations log the right choices they make for the well-being of all.\n\nSee [[territory/braine-l-alleud]] for a partner town and the [[Right choices guide]].' });
  await createTerritory(deps, admin, { slug: 'sines', name: 'Sines', kind: 'municipality', parent: region.slug, description: '# Sines\n\nMunicipality of the region. The coordination group meets monthly at the town hall.\n\n## Ongoing\n\n- Community gardens (jardins comunitários) near the schools\n- Car-sharing for commuters' });
  await createTerritory(deps, admin, { slug: 'santiago-do-cacem', name: 'Santiago do Cacém', kind: 'municipality', parent: region.slug });
  await createTerritory(deps, admin, { slug: 'braine-l-alleud', name: "Braine-l'Alleud", kind: 'municipality', description: "# Braine-l'Alleud\n\nHost of the third international meeting (2016). Homogeneous groups of young people, elderly people and parents meet each season." });
  await createTerritory(deps, admin, { slug: 'bars-a', name: 'Bars A', kind: 'district', parent: 'braine-l-alleud' });

  const people = [
    { email: 'ana@demo.invalid', name: 'Ana Ferreira', actorKind: 'citizen' as const, territory: 'sines', locale: 'pt' as const },
    { email: 'marc@demo.invalid', name: 'Marc Dupont', actorKind: 'citizen' as const, territory: 'braine-l-alleud', locale: 'fr' as const },
    { email: 'school@demo.invalid', name: 'Escola Básica de Sines', actorKind: 'school' as const, territory: 'sines', locale: 'pt' as const },
    { email: 'coop@demo.invalid', name: 'Les Jardins de Bars', actorKind: 'civil-society' as const, territory: 'bars-a', locale: 'fr' as const, role: 'coordinator' as const },
    { email: 'joao@demo.invalid', name: 'João Marques', actorKind: 'citizen' as const, territory: 'santiago-do-cacem', locale: 'pt' as const },
    { email: 'marie@demo.invalid', name: 'Marie Lambert', actorKind: 'citizen' as const, territory: 'bars-a', locale: 'fr' as const },
    { email: 'tom@demo.invalid', name: 'Tom Baker', actorKind: 'citizen' as const, territory: 'bars-a', locale: 'en' as const },
    { email: 'facilitator@demo.invalid', name: 'Inês Costa', actorKind: 'civil-society' as const, territory: 'sines', locale: 'pt' as const, role: 'facilitator' as const },
  ];
  const users = [steward];
  for (const person of people) users.push(await registerUser(deps, { ...person, password: unknownPassword() }));
  // The demo's people have been in the network as long as their journal goes back (its choices span
  // the past year): established accounts, which lift summary cells over the privacy threshold.
  const joined = new Date(deps.clock.now().getTime() - 400 * 86_400_000).toISOString();
  await deps.db.updateTable('user').set({ created_at: joined }).where('id', 'in', users.map((u) => u.id)).execute();
  const coop = users[4];
  const coopActor = await deps.db.selectFrom('user_actor').select('actor_id').where('user_id', '=', coop.id).executeTakeFirstOrThrow();
  await setCoordinator(deps, coopActor.actor_id, 'bars-a');

  const ana = asViewer(users[1]);
  const marc = asViewer(users[2]);
  await savePage(deps, ana, 'actor/ana-ferreira', { markdown: '# Ana Ferreira\n\nI live in [[territory/sines]]. I cycle to work since March and grow vegetables in the community garden.\n\n- Cycling instead of driving: about 8 km a day\n- Buying from local producers', summary: 'About me' });
  await savePage(deps, marc, 'actor/marc-dupont', { markdown: "# Marc Dupont\n\nHabitant de [[territory/bars-a]]. J'ai isolé la toiture de la maison et je participe au jardin partagé du quartier.", summary: 'Présentation' });
  await savePage(deps, admin, 'right-choices-guide', { title: 'Right choices guide', markdown: '# Right choices guide\n\nThe **right choices** are those we make every day to ensure the well-being of all while preserving living conditions on earth in the long term.\n\n## How to log a choice\n\n1. Describe what you decided and why.\n2. Tag it with the [well-being criteria](/criteria) it concerns.\n3. Come back later with the results obtained.\n\nSee also [[Jardins partagés]] and [[Mobility ideas]].', summary: 'First version' });
  await savePage(deps, marc, 'jardins-partagés', { title: 'Jardins partagés', markdown: "# Jardins partagés\n\nLes jardins partagés réunissent voisins et écoles : on y cultive des légumes, on y apprend, on s'y rencontre.\n\nÀ Bars A, le jardin accueille trois classes chaque semaine.", summary: 'Création' });
  await savePage(deps, ana, 'jardins-partagés', { title: 'Jardins partagés', markdown: "# Jardins partagés\n\nLes jardins partagés réunissent voisins et écoles : on y cultive des légumes, on y apprend, on s'y rencontre.\n\nÀ Bars A, le jardin accueille trois classes chaque semaine. Em Sines, as hortas comunitárias funcionam junto das escolas.", summary: 'Ajout de Sines' });
  const byEmail = (email: string) => asViewer(users.find((u) => u.email === email)!);
  await seedDemoJournal(deps, {
    actors: { ana: byEmail('ana@demo.invalid'), joao: byEmail('joao@demo.invalid'), 'escola-sines': byEmail('school@demo.invalid'), marie: byEmail('marie@demo.invalid'), 'asbl-bars-a': byEmail('coop@demo.invalid'), tom: byEmail('tom@demo.invalid') },
    facilitator: byEmail('facilitator@demo.invalid'),
    coordinator: byEmail('coop@demo.invalid'),
  });
  await seedDemoWorkshops(deps, byEmail('facilitator@demo.invalid'), byEmail);
  // Demo people have no mailbox: what the demo told them stays in the app, not in the outbox.
  await deps.db.updateTable('notice').set({ emailed_at: nowIso(deps) }).where('emailed_at', 'is', null).execute();
  await deps.db.deleteFrom('outbox').where('to_address', 'like', '%@demo.invalid').where('sent_at', 'is', null).execute();
  const counts = await deps.db.selectFrom('page').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { territories: 5, users: users.length, pages: Number(counts.n) };
}

interface DemoWorkshop { title: string; durationMinutes: number; languages: string[]; actorKind?: string; theme?: string; territory?: string; capacity?: number; joinUrl?: string; description?: string }

/** The 2020 meeting's real programme (Brussels wall times) and two upcoming workshops, dated from today. */
async function seedDemoWorkshops(deps: Deps, facilitator: Viewer, byEmail: (email: string) => Viewer) {
  const data = JSON.parse(readFileSync(`${PROJECT_ROOT}seed/demo-workshops.json`, 'utf8')) as {
    event: string; timeZone: string; programme: (DemoWorkshop & { startsAt: string })[]; upcoming: (DemoWorkshop & { daysAhead: number; time: string; timeZone: string })[];
    topics: { title: string; description: string; interested: string[] }[];
    tools: { name: string; description: string; url?: string; languages: string[]; offeredBy: string }[];
    charter: { workshop: string; title: string; markdown: string; registrants: string[] };
  };
  for (const item of data.programme) await createWorkshop(deps, facilitator, { ...item, event: data.event, timeZone: data.timeZone } as WorkshopInput);
  for (const item of data.upcoming) {
    const day = new Date(deps.clock.now().getTime() + item.daysAhead * 86_400_000).toISOString().slice(0, 10);
    await createWorkshop(deps, facilitator, { ...item, startsAt: `${day}T${item.time}` } as WorkshopInput);
  }
  for (const topic of data.topics) {
    const id = await proposeTopic(deps, facilitator, topic);
    for (const email of topic.interested) await markInterest(deps, byEmail(email), id);
  }
  for (const tool of data.tools) await createTool(deps, facilitator, tool);
  const workshop = await deps.db.selectFrom('workshop').select('id').where('title', '=', data.charter.workshop).executeTakeFirstOrThrow();
  for (const email of data.charter.registrants) await register(deps, byEmail(email), workshop.id);
  await createCharter(deps, facilitator, { title: data.charter.title, markdown: data.charter.markdown, workshop: workshop.id });
}
