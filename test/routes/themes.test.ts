import { describe, expect, it } from 'vitest';
import { type TestApp, createTreeTestApp } from '../helpers.js';

// Themes of a summary (issue 18, point 3) through the API: public choices about the same thing are
// grouped whatever their language, each theme rests on at least three people, and nothing private
// ever shows in a theme, a phrase, a quote or a label.

type Json = Record<string, any>;
const PERIOD = 'from=2026-10-01&to=2026-10-31';

async function person(t: TestApp, name: string) {
  return t.userWithToken({ name, territory: 'town-a' });
}

async function log(t: TestApp, who: { auth: Record<string, string> }, title: string, description: string, lang: string, extra: Json = {}) {
  const res = await t.json('POST', '/api/choices', {
    title, description, lang, madeOn: '2026-10-05', level: 'individual', components: ['A08'], territory: 'town-a', visibility: 'public', ...extra,
  }, who.auth);
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as Json).id as number;
}

async function themes(t: TestApp, query = `territory=town-a&${PERIOD}`): Promise<Json> {
  const res = await t.request(`/api/summaries/themes?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

async function cyclingTown() {
  const t = await createTreeTestApp();
  const people = await Promise.all(['Ana', 'Bruno', 'Chloé', 'Dan', 'Eva', 'Fred'].map((name) => person(t, name)));
  const ids = {
    cycling: [
      await log(t, people[0], 'Cycled to work all week', 'I took the bike instead of the car, twelve kilometres a day.', 'en'),
      await log(t, people[1], 'Au travail à vélo', 'Je vais au bureau à vélo depuis septembre, par la piste cyclable du canal.', 'fr'),
      await log(t, people[2], 'De bicicleta para a escola', 'Levo os miúdos à escola de bicicleta todas as manhãs.', 'pt'),
      await log(t, people[3], 'New bike lane on our street', 'We now cycle to the market on the new bike lane.', 'en'),
    ],
    repair: [
      await log(t, people[0], 'Repair café on Saturday', 'We fixed a toaster and two lamps at the repair café.', 'en', { components: ['H06'] }),
      await log(t, people[4], 'Réparer plutôt que jeter', 'Au repair café du quartier, on a réparé mon grille-pain.', 'fr', { components: ['H06'] }),
      await log(t, people[5], 'Consertar em vez de deitar fora', 'No repair café da junta consertámos uma torradeira e um candeeiro.', 'pt', { components: ['H06'] }),
    ],
  };
  return { t, people, ids };
}

describe('themes of a summary', () => {
  it('groups public choices about the same thing across languages, with phrases, languages, components and quotes', async () => {
    const { t, ids } = await cyclingTown();
    const body = await themes(t);
    expect(body.texts).toBe(7);
    const cycling = body.themes.find((theme: Json) => theme.members.includes(`choice:${ids.cycling[0]}`));
    expect(cycling).toBeDefined();
    expect(cycling.members.sort()).toEqual(ids.cycling.map((id) => `choice:${id}`).sort());
    expect(cycling).toMatchObject({ id: 'cycling', label: 'Cycling', size: 4, actors: 4, status: 'stable' });
    expect(new Set(cycling.languages)).toEqual(new Set(['en', 'fr', 'pt']));
    expect(cycling.components.map((c: Json) => c.code)).toContain('A08');
    expect(cycling.phrases.some((p: string) => p.includes(' '))).toBe(true);
    expect(cycling.quotes.length).toBeGreaterThanOrEqual(2);
    for (const quote of cycling.quotes) {
      expect(quote.title).toBeTruthy();
      expect(quote.text).not.toContain(quote.title); // title and text apart
      expect(['en', 'fr', 'pt']).toContain(quote.lang);
      expect(quote.url).toMatch(/^\/choices\/\d+$/);
    }
    const repair = body.themes.find((theme: Json) => theme.members.includes(`choice:${ids.repair[0]}`));
    expect(repair.members.sort()).toEqual(ids.repair.map((id) => `choice:${id}`).sort());
    expect(body.unassigned).toBe(0);
    // In the reader's language.
    const french = await themes(t, `territory=town-a&${PERIOD}&lang=fr`);
    expect(french.themes.find((theme: Json) => theme.id === 'cycling').label).toBe('Vélo');
  });

  it('publishes no theme resting on fewer than three people', async () => {
    const t = await createTreeTestApp();
    const [ana, bruno] = await Promise.all([person(t, 'Ana'), person(t, 'Bruno')]);
    await log(t, ana, 'Cycled to work', 'Bike instead of the car.', 'en');
    await log(t, ana, 'Cycled to the market', 'By bike again, on the bike lane.', 'en');
    await log(t, bruno, 'Au travail à vélo', 'Par la piste cyclable.', 'fr');
    const body = await themes(t);
    expect(body.themes).toEqual([]);
    expect(body.unassigned).toBe(3);
  });

  it('never shows a private text, and drops a text made private at once', async () => {
    const { t, people, ids } = await cyclingTown();
    await log(t, people[4], 'Zanzibar bike secret', 'My secret Zanzibar route to work by bike avoids my ex.', 'en', { visibility: 'private' });
    await log(t, people[5], 'Vélo Zanzibar', 'Zanzibar à vélo, sur la piste cyclable, seulement pour mon équipe.', 'fr', { visibility: 'territory' });
    const before = await themes(t);
    expect(JSON.stringify(before)).not.toMatch(/zanzibar/i);
    const summary = await (await t.request(`/api/summaries?territory=town-a&${PERIOD}`)).json() as Json;
    expect(JSON.stringify(summary.qualitative)).not.toMatch(/zanzibar/i);
    // Made private: gone from the very next answer, members and quotes alike.
    const hidden = ids.cycling[1];
    const res = await t.json('PATCH', `/api/choices/${hidden}`, { visibility: 'private' }, people[1].auth);
    expect(res.status).toBe(200);
    const after = await themes(t);
    const text = JSON.stringify(after);
    expect(text).not.toContain(`choice:${hidden}"`);
    expect(text).not.toMatch(/canal/);
  });

  it('gives the top themes in the summary, and speaks of them in the narrative', async () => {
    const { t } = await cyclingTown();
    const summary = await (await t.request(`/api/summaries?territory=town-a&${PERIOD}&lang=en`)).json() as Json;
    expect(summary.qualitative.themes.map((theme: Json) => theme.id)).toEqual(expect.arrayContaining(['cycling']));
    // Members are listed by GET /api/summaries/themes only: a network's themes hold thousands of ids.
    for (const theme of summary.qualitative.themes) expect(theme).not.toHaveProperty('members');
    expect(summary.qualitative.narrative).toMatch(/public choices and statements in Town A are about “(Cycling|Repairing and reusing)”/);
  });

  it('calls a theme absent from the previous period new once it has enough support', async () => {
    const { t, people } = await cyclingTown();
    // September (the previous month of an October summary) had only repair.
    for (const who of people.slice(0, 3)) await log(t, who, 'Repair café', 'We fixed a lamp at the repair café.', 'en', { madeOn: '2026-09-10', components: ['H06'] });
    await log(t, people[4], 'À vélo au marché', 'Le vélo cargo pour les courses du samedi.', 'fr');
    const body = await themes(t);
    const cycling = body.themes.find((theme: Json) => theme.id === 'cycling');
    expect(cycling).toMatchObject({ size: 5, status: 'new', growth: null, previous: 0 });
    const repair = body.themes.find((theme: Json) => theme.members.length === 3 && theme.id !== 'cycling');
    expect(repair.status).not.toBe('new');
  });
});
