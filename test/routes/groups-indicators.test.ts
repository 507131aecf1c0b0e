import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { countRows, createTestApp, createTreeTestApp, type TestApp } from '../helpers.js';

type Json = Record<string, any>;

/** A fresh app with region-x > (town-a, town-b) and south. */
const groupsApp = createTreeTestApp;


async function counts(t: TestApp, tables: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) out[table] = await countRows(t, table);
  return out;
}

/** Every table of the database with its row count. */
async function allCounts(t: TestApp): Promise<Record<string, number>> {
  const tables = await t.db.introspection.getTables();
  return counts(t, tables.map((table) => table.name).sort());
}

function expectError(body: Json, code: string) {
  expect(body.error?.code, JSON.stringify(body)).toBe(code);
  expect(typeof body.error.message).toBe('string');
  if (body.error.issues !== undefined) expect(Array.isArray(body.error.issues)).toBe(true);
}

const GROUP_TABLES = ['spiral_group', 'group_member'] as const;
const STATEMENT_TABLES = ['statement', 'statement_component'] as const;
const INDICATOR_TABLES = ['indicator', 'indicator_rating'] as const;

async function createGroup(t: TestApp, auth: Record<string, string>, body: Json): Promise<Json> {
  const res = await t.json('POST', '/api/groups', body, auth);
  const json = (await res.json()) as Json;
  expect(res.status, JSON.stringify(json)).toBe(201);
  return json;
}

async function addStatement(t: TestApp, auth: Record<string, string>, groupId: number, body: Json): Promise<Json> {
  const res = await t.json('POST', `/api/groups/${groupId}/statements`, body, auth);
  const json = (await res.json()) as Json;
  expect(res.status, JSON.stringify(json)).toBe(201);
  return json;
}

function atomEntries(xml: string): Json[] {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml);
  expect(parsed.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
  return [parsed.feed.entry ?? []].flat();
}

// Atom text here is declared type="html": what a feed reader shows is the text with entities decoded.
const decodeHtml = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const textOf = (value: unknown): string => decodeHtml(value && typeof value === 'object' ? String((value as Json)['#text']) : String(value));

describe('groups', () => {
  it('lets facilitators, admins and coordinators of the territory create groups, and not plain members', async () => {
    const t = await groupsApp();
    const member = await t.userWithToken({ name: 'Member', territory: 'town-a' });
    const facilitator = await t.userWithToken({ name: 'Facilitator', role: 'facilitator' });
    const regionCoordinator = await t.userWithToken({ name: 'Region coordinator', role: 'coordinator', territory: 'region-x' });
    const siblingCoordinator = await t.userWithToken({ name: 'Sibling coordinator', role: 'coordinator', territory: 'town-b' });
    const body = { name: 'Young parents', kind: 'homogeneous', territory: 'town-a', profile: 'Parents of children under 6' };

    const before = await counts(t, GROUP_TABLES);
    for (const [who, auth] of [['member', member.auth], ['coordinator of a sibling territory', siblingCoordinator.auth]] as const) {
      const res = await t.json('POST', '/api/groups', body, auth);
      expect(res.status, who).toBe(403);
      expectError((await res.json()) as Json, 'forbidden');
    }
    expect((await t.json('POST', '/api/groups', body)).status).toBe(401);
    expect(await counts(t, GROUP_TABLES)).toEqual(before);

    const group = await createGroup(t, facilitator.auth, body);
    expect(typeof group.id).toBe('number');
    expect(group).toMatchObject({ name: 'Young parents', kind: 'homogeneous', profile: 'Parents of children under 6', territory: { slug: 'town-a', name: 'Town A' }, canRecord: true });
    expect(group.members).toEqual([expect.objectContaining({ name: 'Facilitator', role: 'facilitator' })]);
    const coordination = await createGroup(t, regionCoordinator.auth, { name: 'Town A stakeholders', kind: 'coordination', territory: 'town-a' });
    expect(coordination).toMatchObject({ kind: 'coordination', territory: { slug: 'town-a' } });
    await createGroup(t, t.admin.auth, { name: 'Southern mix', kind: 'mixed', territory: 'south' });

    const got = await t.request(`/api/groups/${group.id}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ id: group.id, name: 'Young parents' });
    expect((await t.request('/api/groups/999999')).status).toBe(404);
    const inRegion = (await (await t.request('/api/groups?territory=region-x')).json()) as Json;
    expect(inRegion.groups.map((g: Json) => g.name).sort()).toEqual(['Town A stakeholders', 'Young parents']);

    const beforeBad = await counts(t, GROUP_TABLES);
    const bad: [Json, number][] = [
      [{ ...body, kind: 'random' }, 400], [{ ...body, name: '' }, 400], [{ ...body, territory: 'atlantis' }, 400],
      [{ ...body, territory: 'Bad Slug' }, 400], [{ ...body, profile: 'x'.repeat(2001) }, 400], [{ name: 'No kind', territory: 'town-a' }, 400],
    ];
    for (const [input, status] of bad) {
      const res = await t.json('POST', '/api/groups', input, facilitator.auth);
      expect(res.status, JSON.stringify(input).slice(0, 80)).toBe(status);
      expectError((await res.json()) as Json, 'validation_failed');
    }
    expect(await counts(t, GROUP_TABLES)).toEqual(beforeBad);
  });

  it('records statements with criteria and meaning, and lists them by question and dimension', async () => {
    const t = await groupsApp();
    const facilitator = await t.userWithToken({ name: 'Facilitator', role: 'facilitator' });
    const group = await createGroup(t, facilitator.auth, { name: 'Groupe des aînés', kind: 'homogeneous', territory: 'town-a', lang: 'fr' });

    const first = await addStatement(t, facilitator.auth, group.id, {
      question: 'wellbeing', text: 'Manger les légumes du jardin partagé', components: ['A01', 'b04'], meaning: 'P', lang: 'fr', sessionOn: '2026-11-20',
    });
    expect(typeof first.id).toBe('number');
    expect(first).toMatchObject({
      question: 'wellbeing', text: 'Manger les légumes du jardin partagé', lang: 'fr', sessionOn: '2026-11-20',
      meaning: { code: 'P' },
      components: [{ code: 'A01', dimension: { code: 'A' } }, { code: 'B04', dimension: { code: 'B' } }],
    });
    expect(typeof first.meaning.label).toBe('string');
    expect(first.components[0].label.length).toBeGreaterThan(0);
    const lonely = await addStatement(t, facilitator.auth, group.id, { question: 'illbeing', text: 'Feeling alone in winter', components: ['G05'], meaning: 'R', lang: 'en' });
    const noCriteria = await addStatement(t, facilitator.auth, group.id, { question: 'actions', text: 'We call each other every week' });
    const bus = await addStatement(t, facilitator.auth, group.id, { question: 'proposals', text: 'Uma linha de autocarro ao domingo', components: ['A08'], lang: 'pt' });
    expect(noCriteria.components).toEqual([]);
    expect(noCriteria.lang).toBe('en'); // detected from the text
    const short = await addStatement(t, facilitator.auth, group.id, { question: 'actions', text: 'Jardinage' });
    expect(short.lang).toBe('fr'); // too short to tell: the group's language
    expect((await t.request(`/api/groups/${group.id}/statements/${short.id}`, { method: 'DELETE', headers: facilitator.auth })).status).toBe(204);
    expect(noCriteria.meaning).toBeNull();

    const list = async (query = '') => {
      const res = await t.request(`/api/groups/${group.id}/statements${query}`);
      expect(res.status, query).toBe(200);
      return (((await res.json()) as Json).statements as Json[]).map((s) => s.id);
    };
    expect(await list()).toEqual([first.id, lonely.id, noCriteria.id, bus.id]);
    expect(await list('?question=wellbeing')).toEqual([first.id]);
    expect(await list('?question=illbeing')).toEqual([lonely.id]);
    expect(await list('?question=proposals')).toEqual([bus.id]);
    expect(await list('?dimension=A')).toEqual([first.id, bus.id]);
    expect(await list('?dimension=b')).toEqual([first.id]);
    expect(await list('?dimension=G')).toEqual([lonely.id]);
    expect(await list('?dimension=H')).toEqual([]);
    expect(await list('?question=proposals&dimension=A')).toEqual([bus.id]);
    expect((await t.request(`/api/groups/${group.id}/statements?question=happiness`)).status).toBe(400);
    expect((await t.request('/api/groups/999999/statements')).status).toBe(404);

    const before = await counts(t, STATEMENT_TABLES);
    const bad: Json[] = [
      { question: 'happiness', text: 'x' },
      { text: 'no question' },
      { question: 'wellbeing', text: 'x', meaning: 'X' },
      { question: 'wellbeing', text: 'x', meaning: 'p' },
      { question: 'wellbeing', text: 'x', components: ['Z99'] },
      { question: 'wellbeing', text: 'x', components: ['A01', 'Z99'] },
      { question: 'wellbeing', text: 'x', components: ['A01', 'A02', 'A03', 'A04', 'A05', 'A06'] },
      { question: 'wellbeing', text: '' },
      { question: 'wellbeing', text: '   ' },
      { question: 'wellbeing', text: 'x'.repeat(2001) },
      { question: 'wellbeing', text: 'x', lang: 'de' },
      { question: 'wellbeing', text: 'x', sessionOn: '2026-02-30' },
    ];
    for (const input of bad) {
      const res = await t.json('POST', `/api/groups/${group.id}/statements`, input, facilitator.auth);
      expect(res.status, JSON.stringify(input).slice(0, 100)).toBe(400);
      expectError((await res.json()) as Json, 'validation_failed');
    }
    expect(await counts(t, STATEMENT_TABLES)).toEqual(before);
    expect((await t.json('POST', '/api/groups/999999/statements', { question: 'wellbeing', text: 'x' }, facilitator.auth)).status).toBe(404);
  });

  it('keeps statement recording to those who run the group', async () => {
    const t = await groupsApp();
    const facilitator = await t.userWithToken({ name: 'Facilitator', role: 'facilitator' });
    const otherFacilitator = await t.userWithToken({ name: 'Other facilitator', role: 'facilitator', email: 'other.facilitator@example.org' });
    const member = await t.userWithToken({ name: 'Member', territory: 'town-a' });
    const coordinator = await t.userWithToken({ name: 'Coordinator', role: 'coordinator', territory: 'region-x' });
    const siblingCoordinator = await t.userWithToken({ name: 'Sibling coordinator', role: 'coordinator', territory: 'town-b' });
    const group = await createGroup(t, facilitator.auth, { name: 'Cyclists', kind: 'homogeneous', territory: 'town-a' });
    const statement = { question: 'wellbeing', text: 'Riding together on Sundays', components: ['A07'] };

    const before = await counts(t, STATEMENT_TABLES);
    for (const [who, auth] of [['member', member.auth], ['another facilitator', otherFacilitator.auth], ['coordinator of a sibling territory', siblingCoordinator.auth]] as const) {
      const res = await t.json('POST', `/api/groups/${group.id}/statements`, statement, auth);
      expect(res.status, who).toBe(403);
      expectError((await res.json()) as Json, 'forbidden');
      expect((await t.json('PATCH', `/api/groups/${group.id}`, { name: 'Renamed' }, auth)).status, who).toBe(403);
    }
    expect((await t.json('POST', `/api/groups/${group.id}/statements`, statement)).status).toBe(401);
    expect(await counts(t, STATEMENT_TABLES)).toEqual(before);
    expect(((await (await t.request(`/api/groups/${group.id}`, { headers: member.auth })).json()) as Json).canRecord).toBe(false);

    await addStatement(t, facilitator.auth, group.id, statement);
    await addStatement(t, coordinator.auth, group.id, { ...statement, text: 'Safer crossings near the school' });
    // Made a facilitator of the group, the other facilitator may record too.
    const made = await t.json('POST', `/api/groups/${group.id}/members`, { email: 'other.facilitator@example.org', role: 'facilitator' }, facilitator.auth);
    expect(made.status).toBe(201);
    await addStatement(t, otherFacilitator.auth, group.id, { ...statement, text: 'A repair café' });
    const all = (await (await t.request(`/api/groups/${group.id}/statements`)).json()) as Json;
    expect(all.statements.map((s: Json) => s.text)).toEqual(['Riding together on Sundays', 'Safer crossings near the school', 'A repair café']);

    // Removing a statement is theirs too.
    const id = all.statements[0].id;
    expect((await t.request(`/api/groups/${group.id}/statements/${id}`, { method: 'DELETE', headers: member.auth })).status).toBe(403);
    expect((await t.request(`/api/groups/${group.id}/statements/${id}`, { method: 'DELETE', headers: facilitator.auth })).status).toBe(204);
    expect(((await (await t.request(`/api/groups/${group.id}/statements`)).json()) as Json).statements).toHaveLength(2);
  });

  it('publishes homogeneous and coordination statements each in their own Atom feed', async () => {
    const t = await groupsApp();
    const facilitator = await t.userWithToken({ name: 'Facilitator', role: 'facilitator' });
    const homogeneous = await createGroup(t, facilitator.auth, { name: 'Young parents', kind: 'homogeneous', territory: 'town-a' });
    const coordination = await createGroup(t, facilitator.auth, { name: 'Stakeholders & <partners>', kind: 'coordination', territory: 'town-b' });
    const mixed = await createGroup(t, facilitator.auth, { name: 'Mixed bag', kind: 'mixed', territory: 'south' });
    await addStatement(t, facilitator.auth, homogeneous.id, { question: 'wellbeing', text: 'Homogeneous alpha: playgrounds nearby' });
    await addStatement(t, facilitator.auth, homogeneous.id, { question: 'illbeing', text: 'Homogeneous beta: no crèche places' });
    await addStatement(t, facilitator.auth, coordination.id, { question: 'proposals', text: 'Coordination gamma: share <the> buses & vans' });
    await addStatement(t, facilitator.auth, mixed.id, { question: 'actions', text: 'Mixed delta: a street party' });

    const feed = async (kind: string) => {
      const res = await t.request(`/feeds/groups/${kind}.atom`);
      expect(res.status, kind).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/atom+xml');
      return atomEntries(await res.text());
    };
    const h = await feed('homogeneous');
    const hTexts = h.map((e) => textOf(e.summary ?? e.content)).join('\n');
    expect(h).toHaveLength(2);
    expect(hTexts).toContain('Homogeneous alpha');
    expect(hTexts).toContain('Homogeneous beta');
    expect(hTexts).not.toMatch(/gamma|delta/);
    for (const entry of h) expect(textOf(entry.title)).toContain('Young parents');

    const c = await feed('coordination');
    expect(c).toHaveLength(1);
    expect(textOf(c[0].summary ?? c[0].content)).toBe('Coordination gamma: share <the> buses & vans');
    expect(textOf(c[0].title)).toContain('Stakeholders & <partners>');
    expect(textOf(c[0].title)).not.toMatch(/alpha|beta|delta/);
  });

  it('answers 404 for the feed of a group kind that does not exist', async () => {
    const t = await groupsApp();
    expect((await t.request('/feeds/groups/mixed.atom')).status).toBe(200);
    const res = await t.request('/feeds/groups/nonsense.atom');
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('groupKind.');
  });
});

describe('indicators', () => {
  const descriptors = [
    'No safe cycle lane anywhere',
    'A few disconnected lanes',
    'Lanes on the main roads',
    'A connected network',
    'Everyone can cycle safely everywhere',
  ];

  it('lets coordinators describe and rate an indicator; the current level is the latest rating by date', async () => {
    const t = await groupsApp();
    const coordinator = await t.userWithToken({ name: 'Coordinator', role: 'coordinator', territory: 'region-x' });
    const first = await t.json('PUT', '/api/territories/town-a/indicators/A08', { descriptors, level: 2, ratedOn: '2026-03-01', phase: 'ex-ante' }, coordinator.auth);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      component: { code: 'A08', dimension: { code: 'A' } }, descriptors,
      current: { level: 2, ratedOn: '2026-03-01', phase: 'ex-ante' }, history: [{ level: 2 }],
    });
    const second = await t.json('PUT', '/api/territories/town-a/indicators/A08', { level: 4, ratedOn: '2026-10-01', phase: 'ex-post' }, coordinator.auth);
    expect(second.status).toBe(200);
    expect(((await second.json()) as Json).current).toMatchObject({ level: 4, ratedOn: '2026-10-01', phase: 'ex-post' });
    // A rating recorded later but dated earlier does not become the current level.
    const backdated = await t.json('PUT', '/api/territories/town-a/indicators/A08', { level: 1, ratedOn: '2025-12-01', phase: 'ex-ante', note: 'Found an old survey' }, coordinator.auth);
    expect(backdated.status).toBe(200);
    // The coordinator's own territory works as well as the ones below it.
    expect((await t.json('PUT', '/api/territories/region-x/indicators/B07', { level: 3, ratedOn: '2026-06-01' }, coordinator.auth)).status).toBe(200);

    const res = await t.request('/api/territories/town-a/indicators');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body.territory).toMatchObject({ slug: 'town-a' });
    expect(body.scale.map((s: Json) => s.level)).toEqual([1, 2, 3, 4, 5]);
    expect(body.indicators).toHaveLength(1);
    const a08 = body.indicators[0];
    expect(a08.component.code).toBe('A08');
    expect(a08.descriptors).toEqual(descriptors);
    expect(a08.current).toMatchObject({ level: 4, ratedOn: '2026-10-01', phase: 'ex-post' });
    expect(a08.history.map((h: Json) => [h.ratedOn, h.level, h.phase])).toEqual([
      ['2025-12-01', 1, 'ex-ante'], ['2026-03-01', 2, 'ex-ante'], ['2026-10-01', 4, 'ex-post'],
    ]);
    expect(a08.history[0]).toMatchObject({ note: 'Found an old survey', author: 'Coordinator' });
    const region = (await (await t.request('/api/territories/region-x/indicators')).json()) as Json;
    expect(region.indicators.map((i: Json) => [i.component.code, i.current.level])).toEqual([['B07', 3]]);

    // New descriptors replace the old ones and keep the ratings.
    const redescribed = [...descriptors.slice(0, 4), 'Children cycle to school alone'];
    expect((await t.json('PUT', '/api/territories/town-a/indicators/A08', { descriptors: redescribed }, coordinator.auth)).status).toBe(200);
    const after = (await (await t.request('/api/territories/town-a/indicators')).json()) as Json;
    expect(after.indicators[0].descriptors).toEqual(redescribed);
    expect(after.indicators[0].history).toHaveLength(3);
    expect(after.indicators[0].current.level).toBe(4);
  });

  it('refuses bad levels, dates, phases, descriptors and components with 400, saving nothing', async () => {
    const t = await groupsApp();
    const coordinator = await t.userWithToken({ role: 'coordinator', territory: 'town-a' });
    const ok = { level: 3, ratedOn: '2026-06-01', phase: 'ex-post' };
    const bad: [string, Json][] = [
      ['A08', { ...ok, level: 0 }],
      ['A08', { ...ok, level: 6 }],
      ['A08', { ...ok, level: 2.5 }],
      ['A08', { ...ok, level: '3' }],
      ['A08', { ...ok, level: -1 }],
      ['A08', { ...ok, ratedOn: '2026-02-30' }],
      ['A08', { ...ok, ratedOn: 'last week' }],
      ['A08', { level: 3 }],
      ['A08', { ...ok, phase: 'during' }],
      ['A08', { descriptors: descriptors.slice(0, 4) }],
      ['A08', { descriptors: [...descriptors, 'a sixth'] }],
      ['A08', { descriptors: [1, 2, 3, 4, 5] }],
      ['A08', {}],
      ['Z99', ok],
      ['A99', ok],
      ['nope', ok],
    ];
    const before = await counts(t, INDICATOR_TABLES);
    for (const [code, input] of bad) {
      const res = await t.json('PUT', `/api/territories/town-a/indicators/${code}`, input, coordinator.auth);
      expect(res.status, `${code} ${JSON.stringify(input).slice(0, 80)}`).toBe(400);
      expectError((await res.json()) as Json, 'validation_failed');
    }
    expect(await counts(t, INDICATOR_TABLES)).toEqual(before);
    expect(((await (await t.request('/api/territories/town-a/indicators')).json()) as Json).indicators).toEqual([]);
  });

  it('lets only coordinators of the territory (or above) and admins rate, and answers 404 for unknown territories', async () => {
    const t = await groupsApp();
    const member = await t.userWithToken({ name: 'Member', territory: 'town-a' });
    const facilitator = await t.userWithToken({ name: 'Facilitator', role: 'facilitator', territory: 'town-a' });
    const siblingCoordinator = await t.userWithToken({ name: 'Sibling coordinator', role: 'coordinator', territory: 'town-b' });
    const townCoordinator = await t.userWithToken({ name: 'Town coordinator', role: 'coordinator', territory: 'town-a' });
    const rating = { level: 3, ratedOn: '2026-06-01', phase: 'ex-post', descriptors };

    const before = await counts(t, INDICATOR_TABLES);
    for (const [who, auth] of [['member', member.auth], ['facilitator', facilitator.auth], ['coordinator of a sibling', siblingCoordinator.auth]] as const) {
      const res = await t.json('PUT', '/api/territories/town-a/indicators/A08', rating, auth);
      expect(res.status, who).toBe(403);
      expectError((await res.json()) as Json, 'forbidden');
    }
    // A coordinator of a child territory does not rate its parent.
    expect((await t.json('PUT', '/api/territories/region-x/indicators/A08', rating, townCoordinator.auth)).status).toBe(403);
    expect((await t.json('PUT', '/api/territories/town-a/indicators/A08', rating)).status).toBe(401);
    expect(await counts(t, INDICATOR_TABLES)).toEqual(before);

    const unknown = await t.json('PUT', '/api/territories/atlantis/indicators/A08', rating, townCoordinator.auth);
    expect(unknown.status).toBe(404);
    expectError((await unknown.json()) as Json, 'not_found');
    expect((await t.request('/api/territories/atlantis/indicators')).status).toBe(404);
    expect(await counts(t, INDICATOR_TABLES)).toEqual(before);

    expect((await t.json('PUT', '/api/territories/town-a/indicators/A08', rating, townCoordinator.auth)).status).toBe(200);
    expect((await t.json('PUT', '/api/territories/south/indicators/A08', rating, t.admin.auth)).status).toBe(200);
    expect(await counts(t, INDICATOR_TABLES)).toEqual({ indicator: 2, indicator_rating: 2 });
  });
});

describe('criteria suggestions', () => {
  // Labels come in the reader's language (here asked with ?lang=), whatever the language of the text.
  const suggest = async (t: TestApp, body: Json, readerLang?: string) => {
    const res = await t.json('POST', `/api/criteria/suggest${readerLang ? `?lang=${readerLang}` : ''}`, body);
    const json = (await res.json()) as Json;
    return { status: res.status, body: json };
  };

  const expectRanked = (suggestions: Json[]) => {
    expect(suggestions.length).toBeGreaterThan(0);
    for (const s of suggestions) {
      expect(s.code).toMatch(/^[A-H]\d{2}$/);
      expect(typeof s.label).toBe('string');
      expect(s.label.length).toBeGreaterThan(0);
      expect(s.score).toBeGreaterThan(0);
      expect(s.score).toBeLessThanOrEqual(1);
    }
    const scores = suggestions.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(new Set(suggestions.map((s) => s.code)).size).toBe(suggestions.length);
  };

  it('puts the right component in its top 3 for everyday statements in English, French and Portuguese, best first', async () => {
    const t = await createTestApp();
    const en = await suggest(t, { text: 'I cycle to work instead of driving', lang: 'en' });
    expect(en.status).toBe(200);
    expectRanked(en.body.suggestions);
    expect(en.body.suggestions.slice(0, 3).map((s: Json) => s.code)).toContain('A08');
    expect(en.body.suggestions.find((s: Json) => s.code === 'A08').label).toBe('Mobility / transport');

    const fr = await suggest(t, { text: 'Nous achetons des légumes bio au marché local', lang: 'fr' }, 'fr');
    expect(fr.status).toBe(200);
    expectRanked(fr.body.suggestions);
    expect(fr.body.suggestions.slice(0, 3).map((s: Json) => s.code)).toContain('A01');
    expect(fr.body.suggestions.find((s: Json) => s.code === 'A01').label).toBe('Alimentation / boisson');

    const pt = await suggest(t, { text: 'Vou para o trabalho de bicicleta em vez de ir de carro', lang: 'pt' }, 'pt');
    const ptForEnglishReader = await suggest(t, { text: 'Vou para o trabalho de bicicleta em vez de ir de carro', lang: 'pt' });
    expect(ptForEnglishReader.body.suggestions.find((s: Json) => s.code === 'A08').label).toBe('Mobility / transport');
    expect(pt.status).toBe(200);
    expectRanked(pt.body.suggestions);
    expect(pt.body.suggestions.slice(0, 3).map((s: Json) => s.code)).toContain('A08');
    expect(pt.body.suggestions.find((s: Json) => s.code === 'A08').label).toBe('Mobilidade / transporte');

    // "Most everyday statements": a small corpus across the three languages.
    const corpus: [string, string, string][] = [
      ['en', 'A01', 'We buy organic vegetables at the local market'],
      ['en', 'A08', 'I take the bus instead of the car'],
      ['en', 'B04', 'We planted trees in the park with the neighbours'],
      ['en', 'B07', 'I insulated my house to use less energy'],
      ['en', 'A02', 'We see a doctor more easily since the health centre opened'],
      ['fr', 'A08', 'Je vais au travail à vélo au lieu de prendre la voiture'],
      ['fr', 'B04', 'Nous avons planté des arbres dans le parc avec les voisins'],
      ['fr', 'D04', "J'aide ma voisine âgée à faire ses courses"],
      ['fr', 'A03', 'Nous avons rénové le logement pour mieux nous loger'],
      ['pt', 'A01', 'Compramos legumes biológicos no mercado local'],
      ['pt', 'A08', 'Vou de autocarro em vez de ir de carro'],
      ['pt', 'B04', 'Plantámos árvores no parque com os vizinhos'],
      ['pt', 'A05', 'Tenho mais tempo para estudar na escola'],
    ];
    const misses: string[] = [];
    for (const [lang, code, text] of corpus) {
      const { status, body } = await suggest(t, { text, lang });
      expect(status).toBe(200);
      expectRanked(body.suggestions);
      if (!body.suggestions.slice(0, 3).some((s: Json) => s.code === code)) misses.push(`${lang} ${code} "${text}" → ${body.suggestions.map((s: Json) => s.code).join(' ')}`);
    }
    expect(misses.length, misses.join('\n')).toBeLessThanOrEqual(2);
  });

  const logRituals = async (t: TestApp, auth: Record<string, string>, word: string, visibility: string) => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.json('POST', '/api/choices', {
        title: `${word} ritual ${i}`, madeOn: '2026-10-01', level: 'individual', components: ['G05'], territory: 'town-a', visibility,
      }, auth);
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as Json).id);
    }
    return ids;
  };
  const codesFor = async (t: TestApp, text: string) => ((await suggest(t, { text, lang: 'en' })).body.suggestions as Json[]).map((s) => s.code);

  it('learns from public choices, never from private ones, whether the model is already loaded or not', async () => {
    for (const warm of [true, false]) {
      const t = await groupsApp();
      const alice = await t.userWithToken({ territory: 'town-a' });
      if (warm) await codesFor(t, 'load the model first');
      await logRituals(t, alice.auth, 'Zorblax', 'private');
      await logRituals(t, alice.auth, 'Quuxberry', 'public');
      expect(await codesFor(t, 'zorblax'), `warm: ${warm}`).not.toContain('G05');
      expect(await codesFor(t, 'quuxberry'), `warm: ${warm}`).toContain('G05');
    }
  });

  it('stops learning from a choice once it is made private or deleted, as a freshly loaded model would', async () => {
    const t = await groupsApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    await codesFor(t, 'load the model first');
    const hidden = await logRituals(t, alice.auth, 'Quuxberry', 'public');
    const deleted = await logRituals(t, alice.auth, 'Wobblefrost', 'public');
    expect(await codesFor(t, 'quuxberry')).toContain('G05');
    expect(await codesFor(t, 'wobblefrost')).toContain('G05');
    for (const id of hidden) expect((await t.json('PATCH', `/api/choices/${id}`, { visibility: 'private' }, alice.auth)).status).toBe(200);
    for (const id of deleted) expect((await t.request(`/api/choices/${id}`, { method: 'DELETE', headers: alice.auth })).status).toBe(204);
    expect(await codesFor(t, 'quuxberry')).not.toContain('G05');
    expect(await codesFor(t, 'wobblefrost')).not.toContain('G05');
  });

  it('gives one actor one voice: logging the same words many times does not steer everyone’s suggestions', async () => {
    for (const warm of [true, false]) {
      const t = await groupsApp();
      const spammer = await t.userWithToken({ territory: 'town-a' });
      if (warm) await codesFor(t, 'load the model first');
      for (let i = 0; i < 30; i++) {
        const res = await t.json('POST', '/api/choices', {
          title: `I take the bus to work ${i}`, madeOn: '2026-10-01', level: 'individual', components: ['D02'], territory: 'town-a', visibility: 'public',
        }, spammer.auth);
        expect(res.status).toBe(201);
      }
      const codes = await codesFor(t, 'I take the bus to work');
      expect(codes[0], `warm=${warm}`).toBe('A08');
    }
  });

  it('refuses empty and oversized texts, and saves nothing', async () => {
    const t = await createTestApp();
    const before = await allCounts(t);
    expect(Object.keys(before)).toContain('choice');
    for (const body of [{ text: '' }, { text: '   ' }, {}, { text: 'x'.repeat(10_001) }, { text: 'bike', lang: 'de' }, { text: 42 }]) {
      const res = await suggest(t, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expectError(res.body, 'validation_failed');
    }
    const long = await suggest(t, { text: 'I cycle to work. '.repeat(580).slice(0, 10_000) });
    expect(long.status).toBe(200);
    for (const text of ['I cycle to work instead of driving', 'Je mange les légumes de mon jardin', 'Ajudo a minha vizinha idosa']) {
      expect((await suggest(t, { text })).status).toBe(200);
    }
    expect(await allCounts(t)).toEqual(before);
  });
});
