import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { countRows, createTestApp, createTreeTestApp, type TestApp } from '../helpers.js';

type Json = Record<string, any>;
type Auth = Record<string, string>;

const JOURNAL_TABLES = ['choice', 'choice_component', 'choice_result', 'choice_revision'] as const;

/** A fresh app with a small territory tree: region-x > (town-a, town-b), and south on its own. */
const journalApp = createTreeTestApp;


async function journalCounts(t: TestApp): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of JOURNAL_TABLES) out[table] = await countRows(t, table);
  return out;
}

const choiceBody = (over: Json = {}): Json => ({
  title: 'Cycling to work',
  description: 'I replaced my car trips to work by cycling.',
  madeOn: '2026-10-01',
  level: 'individual',
  components: ['A08', 'H06'],
  territory: 'town-a',
  visibility: 'public',
  ...over,
});

async function createChoice(t: TestApp, auth: Auth, over: Json = {}): Promise<Json> {
  const res = await t.json('POST', '/api/choices', choiceBody(over), auth);
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body;
}

async function listIds(t: TestApp, query: string, auth: Auth = {}): Promise<number[]> {
  const res = await t.request(`/api/choices${query}`, { headers: auth });
  const body = (await res.json()) as Json;
  expect(res.status, `${query}: ${JSON.stringify(body)}`).toBe(200);
  return body.choices.map((c: Json) => c.id);
}

async function text(t: TestApp, path: string, auth: Auth = {}): Promise<{ status: number; body: string; type: string | null }> {
  const res = await t.request(path, { headers: auth });
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

function atomEntries(xml: string): Json[] {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml);
  expect(parsed.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
  return [parsed.feed.entry ?? []].flat();
}

// Atom titles are declared type="html": what a feed reader shows is the text with entities decoded.
const decodeHtml = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const titleOf = (entry: Json): string => decodeHtml(typeof entry.title === 'object' ? String(entry.title['#text']) : String(entry.title));

/** RFC 4180 reader (quoted cells, doubled quotes, CRLF), enough to check our own exports. */
function parseCsv(input: string): string[][] {
  const source = input.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\n' || (ch === '\r' && source[i + 1] === '\n')) {
      if (ch === '\r') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += ch;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

function expectErrorShape(body: Json, code: string) {
  expect(body).toHaveProperty('error');
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  if (body.error.issues !== undefined) {
    expect(Array.isArray(body.error.issues)).toBe(true);
    for (const issue of body.error.issues) expect(typeof issue.path === 'string' && typeof issue.message === 'string').toBe(true);
  }
}

describe('choices: the contract routes', () => {
  it('logs a choice with components and results, reads it, edits it with history, adds a result and deletes it', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ name: 'Alice Cyclist', territory: 'town-a' });
    const created = await t.json('POST', '/api/choices', choiceBody({
      visibility: 'territory',
      results: [{ observedOn: '2026-11-01', text: 'Feel fitter', quantity: -410, unit: 'kg CO2e' }],
    }), alice.auth);
    expect(created.status).toBe(201);
    const choice = (await created.json()) as Json;
    expect(typeof choice.id).toBe('number');
    expect(choice).toMatchObject({
      title: 'Cycling to work', madeOn: '2026-10-01', level: 'individual', visibility: 'territory',
      territory: { slug: 'town-a', name: 'Town A' },
      components: [
        { code: 'A08', label: 'Mobility / transport', dimension: { code: 'A' } },
        { code: 'H06', label: 'Eco-responsible behaviour', dimension: { code: 'H' } },
      ],
      results: [{ observedOn: '2026-11-01', text: 'Feel fitter', quantity: -410, unit: 'kg CO2e' }],
    });
    expect(choice.actor.kind).toBe('citizen');

    const got = await t.request(`/api/choices/${choice.id}`, { headers: alice.auth });
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ id: choice.id, title: 'Cycling to work', components: [{ code: 'A08' }, { code: 'H06' }], results: [{ quantity: -410 }] });

    const patched = await t.json('PATCH', `/api/choices/${choice.id}`, { title: 'Cycling to work every day', visibility: 'public', components: ['A08', 'B01'] }, alice.auth);
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ title: 'Cycling to work every day', visibility: 'public', components: [{ code: 'A08' }, { code: 'B01' }] });

    const withResult = await t.json('POST', `/api/choices/${choice.id}/results`, { observedOn: '2026-11-20', text: 'Saved on fuel', quantity: 30, unit: '€' }, alice.auth);
    expect(withResult.status).toBe(201);
    const afterResult = (await withResult.json()) as Json;
    expect(afterResult.results).toHaveLength(2);
    expect(afterResult.results[1]).toMatchObject({ observedOn: '2026-11-20', text: 'Saved on fuel', quantity: 30, unit: '€' });

    const history = await t.request(`/api/choices/${choice.id}/history`, { headers: alice.auth });
    expect(history.status).toBe(200);
    const { revisions } = (await history.json()) as Json;
    expect(revisions.map((r: Json) => r.number)).toEqual([3, 2, 1]);
    expect(revisions.every((r: Json) => r.author === 'Alice Cyclist')).toBe(true);
    expect(revisions[2].action).toBe('created');
    expect(revisions[1].action).toBe('edited');
    expect([...revisions[1].changed].sort()).toEqual(['components', 'title', 'visibility']);
    expect(revisions[0].changed).toEqual(['results']);

    const deleted = await t.request(`/api/choices/${choice.id}`, { method: 'DELETE', headers: alice.auth });
    expect(deleted.status).toBe(204);
    const gone = await t.request(`/api/choices/${choice.id}`, { headers: alice.auth });
    expect(gone.status).toBe(404);
    expectErrorShape((await gone.json()) as Json, 'not_found');
    expect((await t.request(`/api/choices/${choice.id}`, { method: 'DELETE', headers: alice.auth })).status).toBe(404);
    // Its components, results and history go with it.
    expect(await journalCounts(t)).toEqual({ choice: 0, choice_component: 0, choice_result: 0, choice_revision: 0 });
  });

  it('keeps a choice private unless asked otherwise, and asks for a login to write', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    const choice = await createChoice(t, alice.auth, { visibility: undefined });
    expect(choice.visibility).toBe('private');
    expect((await t.request(`/api/choices/${choice.id}`)).status).toBe(404);
    const before = await journalCounts(t);
    const anonymous = await t.json('POST', '/api/choices', choiceBody());
    expect(anonymous.status).toBe(401);
    expectErrorShape((await anonymous.json()) as Json, 'unauthenticated');
    expect(await journalCounts(t)).toEqual(before);
  });

  it('refuses bad input with 400 and the error shape, saving nothing', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    const cases: [string, Json, RegExp][] = [
      ['no component', { components: [] }, /^components/],
      ['components missing', { components: undefined }, /^components/],
      ['unknown component', { components: ['A08', 'Z99'] }, /^components/],
      ['malformed component', { components: ['cycling'] }, /^components/],
      ['impossible date', { madeOn: '2026-02-30' }, /^madeOn$/],
      ['words for a date', { madeOn: 'yesterday' }, /^madeOn$/],
      ['bad level', { level: 'planet' }, /^level$/],
      ['bad visibility', { visibility: 'friends' }, /^visibility$/],
      ['non-numeric quantity', { results: [{ observedOn: '2026-11-01', quantity: '12kg', unit: 'kg' }] }, /^results\.0\.quantity$/],
      ['quantity without unit', { results: [{ observedOn: '2026-11-01', quantity: 12 }] }, /^results\.0/],
      ['result with a bad date', { results: [{ observedOn: '2026-13-01', text: 'ok' }] }, /^results\.0\.observedOn$/],
      ['unknown territory', { territory: 'atlantis' }, /^territory$/],
      ['empty title', { title: '' }, /^title$/],
      ['blank title', { title: '   ' }, /^title$/],
      ['oversized title', { title: 'x'.repeat(201) }, /^title$/],
      ['oversized description', { description: 'x'.repeat(20_001) }, /^description$/],
      ['too many components', { components: ['A01', 'A02', 'A03', 'A04', 'A05', 'A06', 'A07', 'A08', 'A09'] }, /^components/],
      ['unknown language', { lang: 'de' }, /^lang$/],
      ['title missing', { title: undefined }, /^title$/],
      ['date missing', { madeOn: undefined }, /^madeOn$/],
    ];
    for (const [name, over, path] of cases) {
      const before = await journalCounts(t);
      const res = await t.json('POST', '/api/choices', choiceBody(over), alice.auth);
      const body = (await res.json()) as Json;
      expect(res.status, `${name}: ${JSON.stringify(body)}`).toBe(400);
      expectErrorShape(body, 'validation_failed');
      expect(body.error.issues?.some((issue: Json) => path.test(issue.path)), `${name}: ${JSON.stringify(body.error.issues)}`).toBe(true);
      expect(await journalCounts(t), name).toEqual(before);
    }
    expect(await journalCounts(t)).toEqual({ choice: 0, choice_component: 0, choice_result: 0, choice_revision: 0 });
    // The same checks hold for a description of exactly 20,000 characters (allowed) …
    expect((await t.json('POST', '/api/choices', choiceBody({ description: 'x'.repeat(20_000) }), alice.auth)).status).toBe(201);
    // … and a body over 1 MB is refused before it is read.
    const before = await journalCounts(t);
    const huge = await t.json('POST', '/api/choices', choiceBody({ description: 'y'.repeat(1100 * 1024) }), alice.auth);
    expect(huge.status).toBe(413);
    expectErrorShape((await huge.json()) as Json, 'payload_too_large');
    expect(await journalCounts(t)).toEqual(before);
  });

  it('asks cookie-authenticated writes for the CSRF token, and saves nothing without it', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a', email: 'alice@example.org' });
    const choice = await createChoice(t, alice.auth);
    const { cookie, csrfToken } = await t.loginCookie('alice@example.org');
    const before = await journalCounts(t);
    const send = (method: string, path: string, body: unknown, headers: Auth) =>
      t.request(path, { method, headers: { Cookie: cookie, 'Content-Type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const attempts: [string, string, unknown][] = [
      ['POST', '/api/choices', choiceBody()], ['PATCH', `/api/choices/${choice.id}`, { title: 'Forged' }],
      ['POST', `/api/choices/${choice.id}/results`, { observedOn: '2026-11-01', text: 'Forged' }], ['DELETE', `/api/choices/${choice.id}`, undefined],
    ];
    for (const [method, path, body] of attempts) {
      const variants: Auth[] = [{}, { 'X-CSRF-Token': 'forged' }, { 'X-CSRF-Token': csrfToken, Origin: 'https://evil.example' }];
      for (const headers of variants) {
        const res = await send(method, path, body, headers);
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403);
        expectErrorShape((await res.json()) as Json, 'csrf_failed');
      }
    }
    expect(await journalCounts(t)).toEqual(before);
    expect((await send('POST', '/api/choices', choiceBody({ title: 'From the browser' }), { 'X-CSRF-Token': csrfToken })).status).toBe(201);
    expect((await send('PATCH', `/api/choices/${choice.id}`, { title: 'Edited in the browser' }, { 'X-CSRF-Token': csrfToken })).status).toBe(200);
  });

  it('refuses bad edits and bad results with 400, leaving the choice as it was', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    const choice = await createChoice(t, alice.auth);
    const badPatches: Json[] = [
      {}, { components: [] }, { components: ['Z99'] }, { madeOn: '2026-02-30' }, { level: 'planet' }, { visibility: 'friends' },
      { title: '' }, { territory: 'atlantis' }, { description: 'x'.repeat(20_001) },
    ];
    for (const patch of badPatches) {
      const before = await journalCounts(t);
      const res = await t.json('PATCH', `/api/choices/${choice.id}`, patch, alice.auth);
      expect(res.status, JSON.stringify(patch)).toBe(400);
      expectErrorShape((await res.json()) as Json, 'validation_failed');
      expect(await journalCounts(t)).toEqual(before);
    }
    const badResults: Json[] = [
      { observedOn: '2026-11-01', quantity: '12kg', unit: 'kg' }, { observedOn: '2026-11-01', quantity: 12 }, { observedOn: 'yesterday', text: 'ok' },
      { observedOn: '2026-11-01' }, { observedOn: '2026-11-01', text: 'x'.repeat(5001) },
    ];
    for (const result of badResults) {
      const before = await journalCounts(t);
      const res = await t.json('POST', `/api/choices/${choice.id}/results`, result, alice.auth);
      expect(res.status, JSON.stringify(result)).toBe(400);
      expectErrorShape((await res.json()) as Json, 'validation_failed');
      expect(await journalCounts(t)).toEqual(before);
    }
    const after = (await (await t.request(`/api/choices/${choice.id}`, { headers: alice.auth })).json()) as Json;
    expect(after).toMatchObject({ title: 'Cycling to work', madeOn: '2026-10-01', level: 'individual', visibility: 'public', revision: 1, results: [] });
    expect(after.components.map((c: Json) => c.code)).toEqual(['A08', 'H06']);
    expect((await t.json('PATCH', '/api/choices/999999', { title: 'Nope' }, alice.auth)).status).toBe(404);
    expect((await t.json('PATCH', '/api/choices/not-a-number', { title: 'Nope' }, alice.auth)).status).toBe(404);
  });
});

describe('choices: who sees what', () => {
  it('keeps a private choice to its author in every list, page, search result, feed and export', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ name: 'Alice', territory: 'town-a' });
    const neighbour = await t.userWithToken({ name: 'Neighbour', territory: 'town-a' });
    const coordinator = await t.userWithToken({ name: 'Coordinator', role: 'coordinator', territory: 'region-x' });
    const secret = await createChoice(t, alice.auth, { title: 'Zorblax private cycling', description: 'Only mine: zorblax', visibility: 'private' });
    const open = await createChoice(t, alice.auth, { title: 'Public composting', components: ['A08', 'B04'], visibility: 'public' });
    const aliceSlug = secret.actor.slug as string;
    const queries = ['', '?territory=town-a', '?territory=region-x', '?component=A08', '?dimension=A', `?actor=${aliceSlug}`, '?from=2026-01-01&to=2026-12-31', '?level=individual'];

    const viewers: [string, Auth][] = [['anonymous', {}], ['a member of the same territory', neighbour.auth], ['a coordinator above', coordinator.auth]];
    for (const [who, auth] of viewers) {
      for (const query of queries) {
        const ids = await listIds(t, query, auth);
        expect(ids, `${who} ${query}`).toContain(open.id);
        expect(ids, `${who} ${query}`).not.toContain(secret.id);
      }
      expect((await t.request(`/api/choices/${secret.id}`, { headers: auth })).status, who).toBe(404);
      expect((await t.request(`/api/choices/${secret.id}/history`, { headers: auth })).status, who).toBe(404);
      const search = (await (await t.request('/api/search?q=zorblax', { headers: auth })).json()) as Json;
      expect(search.results, who).toEqual([]);
      for (const path of ['/feeds/choices.atom', '/feeds/choices.atom?territory=town-a', '/api/choices.csv', '/api/choices.csv?territory=region-x', '/feeds/territories/town-a.atom', '/feeds/territories/region-x.atom', '/feeds/recent.atom']) {
        const res = await text(t, path, auth);
        expect(res.status, `${who} ${path}`).toBe(200);
        expect(res.body.toLowerCase(), `${who} ${path}`).not.toContain('zorblax');
      }
      // The public choice does show, so the checks above look at a real list.
      expect((await text(t, '/feeds/choices.atom', auth)).body).toContain('Public composting');
      expect((await text(t, '/api/choices.csv', auth)).body).toContain('Public composting');
      // The HTML pages follow the same rule.
      for (const path of ['/choices', '/choices?territory=town-a', '/territories/town-a', '/territories/region-x', '/search?q=zorblax', '/', `/wiki/actor/${aliceSlug}`]) {
        const res = await text(t, path, auth);
        expect(res.status, `${who} ${path}`).toBe(200);
        // (The search page echoes the query word, so look for the rest of the title and the link.)
        expect(res.body.toLowerCase(), `${who} ${path}`).not.toContain('private cycling');
        expect(res.body.toLowerCase(), `${who} ${path}`).not.toContain('only mine');
        expect(res.body, `${who} ${path}`).not.toContain(`/choices/${secret.id}"`);
      }
      expect((await text(t, '/choices', auth)).body).toContain('Public composting');
      expect((await text(t, `/choices/${secret.id}`, auth)).status, who).toBe(404);
      expect((await text(t, `/choices/${secret.id}/history`, auth)).status, who).toBe(404);
      if (auth.Authorization) {
        expect((await text(t, `/choices/${secret.id}/edit`, auth)).status, who).toBe(404);
        expect((await text(t, `/choices/${secret.id}/delete`, auth)).status, who).toBe(404);
        expect((await text(t, `/choices/${open.id}/edit`, auth)).status, who).toBe(403);
      }
    }

    expect(await listIds(t, '?actor=me', alice.auth)).toEqual(expect.arrayContaining([secret.id, open.id]));
    expect(await listIds(t, '', alice.auth)).toContain(secret.id);
    expect(await listIds(t, '?actor=me', neighbour.auth)).toEqual([]);
    expect((await t.request('/api/choices?actor=me')).status).toBe(401);
    const mine = await t.request(`/api/choices/${secret.id}`, { headers: alice.auth });
    expect(mine.status).toBe(200);
    expect(((await mine.json()) as Json).canEdit).toBe(true);
    expect((await text(t, '/api/choices.csv?actor=me', alice.auth)).body).toContain('Zorblax private cycling');
    expect((await text(t, '/me', alice.auth)).body).toContain('Zorblax private cycling');
    expect((await text(t, `/choices/${secret.id}`, alice.auth)).status).toBe(200);

    // Those who cannot see it cannot touch it either, and learn nothing of its existence.
    const before = await journalCounts(t);
    for (const [who, auth] of [['a member of the same territory', neighbour.auth], ['a coordinator above', coordinator.auth]] as const) {
      expect((await t.json('PATCH', `/api/choices/${secret.id}`, { title: 'Hijacked' }, auth)).status, who).toBe(404);
      expect((await t.request(`/api/choices/${secret.id}`, { method: 'DELETE', headers: auth })).status, who).toBe(404);
      expect((await t.json('POST', `/api/choices/${secret.id}/results`, { observedOn: '2026-11-01', text: 'x' }, auth)).status, who).toBe(404);
    }
    expect((await t.json('PATCH', `/api/choices/${secret.id}`, { title: 'Hijacked' })).status).toBe(401);
    expect((await t.request(`/api/choices/${secret.id}`, { method: 'DELETE' })).status).toBe(401);
    expect(await journalCounts(t)).toEqual(before);
  });

  it('shows a territory choice to members of that territory and coordinators above it, and to nobody else', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ name: 'Alice', territory: 'town-a' });
    const sameTown = await t.userWithToken({ name: 'Same town', territory: 'town-a' });
    const regionCoordinator = await t.userWithToken({ name: 'Region coordinator', role: 'coordinator', territory: 'region-x' });
    const otherTown = await t.userWithToken({ name: 'Other town', territory: 'town-b' });
    const otherCoordinator = await t.userWithToken({ name: 'Other coordinator', role: 'coordinator', territory: 'town-b' });
    const southMember = await t.userWithToken({ name: 'South member', territory: 'south' });
    const nowhere = await t.userWithToken({ name: 'No territory' });
    const parentMember = await t.userWithToken({ name: 'Parent member', territory: 'region-x' });
    const townCoordinator = await t.userWithToken({ name: 'Town coordinator', role: 'coordinator', territory: 'town-a' });
    const shared = await createChoice(t, alice.auth, { title: 'Quorvex shared garden', visibility: 'territory' });

    for (const [who, auth] of [['same territory', sameTown.auth], ['coordinator of the parent', regionCoordinator.auth], ['coordinator of the territory', townCoordinator.auth]] as const) {
      expect(await listIds(t, '', auth), who).toContain(shared.id);
      expect(await listIds(t, '?territory=region-x', auth), who).toContain(shared.id);
      expect(await listIds(t, '?territory=town-a&component=A08', auth), who).toContain(shared.id);
      expect((await t.request(`/api/choices/${shared.id}`, { headers: auth })).status, who).toBe(200);
      expect((await text(t, '/api/choices.csv', auth)).body, who).toContain('Quorvex shared garden');
      expect((await text(t, '/feeds/choices.atom', auth)).body, who).toContain('Quorvex shared garden');
      expect((await text(t, `/choices/${shared.id}`, auth)).body, who).toContain('Quorvex shared garden');
    }
    const outsiders: [string, Auth][] = [
      ['anonymous', {}], ['member of a sibling territory', otherTown.auth], ['coordinator of a sibling territory', otherCoordinator.auth],
      ['member of another region', southMember.auth], ['member of no territory', nowhere.auth], ['plain member of the parent', parentMember.auth],
    ];
    for (const [who, auth] of outsiders) {
      for (const query of ['', '?territory=town-a', '?territory=region-x', '?component=A08', '?dimension=H', `?actor=${shared.actor.slug}`]) {
        expect(await listIds(t, query, auth), `${who} ${query}`).not.toContain(shared.id);
      }
      expect((await t.request(`/api/choices/${shared.id}`, { headers: auth })).status, who).toBe(404);
      expect((await t.request(`/api/choices/${shared.id}/history`, { headers: auth })).status, who).toBe(404);
      expect((await text(t, `/choices/${shared.id}`, auth)).status, who).toBe(404);
      for (const path of ['/api/choices.csv', '/feeds/choices.atom', '/feeds/territories/town-a.atom', '/choices', '/territories/town-a', '/territories/region-x']) {
        expect((await text(t, path, auth)).body.toLowerCase(), `${who} ${path}`).not.toContain('quorvex');
      }
      const search = (await (await t.request('/api/search?q=quorvex', { headers: auth })).json()) as Json;
      expect(search.results, who).toEqual([]);
    }

    // Seeing it is not owning it: members who can see it get 403, those who cannot get 404.
    const before = await journalCounts(t);
    for (const auth of [sameTown.auth, regionCoordinator.auth]) {
      const patch = await t.json('PATCH', `/api/choices/${shared.id}`, { title: 'Hijacked' }, auth);
      expect(patch.status).toBe(403);
      expectErrorShape((await patch.json()) as Json, 'forbidden');
      expect((await t.request(`/api/choices/${shared.id}`, { method: 'DELETE', headers: auth })).status).toBe(403);
      expect((await t.json('POST', `/api/choices/${shared.id}/results`, { observedOn: '2026-11-01', text: 'x' }, auth)).status).toBe(403);
    }
    expect((await t.json('PATCH', `/api/choices/${shared.id}`, { title: 'Hijacked' }, otherTown.auth)).status).toBe(404);
    expect((await t.request(`/api/choices/${shared.id}`, { method: 'DELETE', headers: otherTown.auth })).status).toBe(404);
    expect((await t.json('POST', `/api/choices/${shared.id}/results`, { observedOn: '2026-11-01', text: 'x' }, otherTown.auth)).status).toBe(404);
    expect(await journalCounts(t)).toEqual(before);
    const unchanged = (await (await t.request(`/api/choices/${shared.id}`, { headers: alice.auth })).json()) as Json;
    expect(unchanged).toMatchObject({ title: 'Quorvex shared garden', revision: 1, results: [] });

    // Coordinators see territory choices all the way down the tree.
    expect((await t.json('POST', '/api/territories', { slug: 'old-town', name: 'Old town', kind: 'district', parent: 'town-a' }, t.admin.auth)).status).toBe(201);
    const resident = await t.userWithToken({ name: 'Resident', territory: 'old-town' });
    const deep = await createChoice(t, resident.auth, { title: 'Old town benches', territory: 'old-town', visibility: 'territory' });
    for (const auth of [regionCoordinator.auth, townCoordinator.auth, resident.auth]) {
      expect(await listIds(t, '?territory=region-x', auth)).toContain(deep.id);
      expect((await t.request(`/api/choices/${deep.id}`, { headers: auth })).status).toBe(200);
    }
    for (const auth of [otherCoordinator.auth, otherTown.auth, {}]) {
      expect(await listIds(t, '?territory=region-x', auth)).not.toContain(deep.id);
      expect((await t.request(`/api/choices/${deep.id}`, { headers: auth })).status).toBe(404);
    }
  });

  it('lets no other member edit, delete or add results to a public choice', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    const bob = await t.userWithToken({ territory: 'town-a' });
    const choice = await createChoice(t, alice.auth);
    const before = await journalCounts(t);
    const patch = await t.json('PATCH', `/api/choices/${choice.id}`, { title: 'Bob was here', visibility: 'private' }, bob.auth);
    expect(patch.status).toBe(403);
    expectErrorShape((await patch.json()) as Json, 'forbidden');
    expect((await t.request(`/api/choices/${choice.id}`, { method: 'DELETE', headers: bob.auth })).status).toBe(403);
    expect((await t.json('POST', `/api/choices/${choice.id}/results`, { observedOn: '2026-11-01', quantity: 3, unit: 'km' }, bob.auth)).status).toBe(403);
    expect(await journalCounts(t)).toEqual(before);
    // Nor remove its results.
    const withResult = (await (await t.json('POST', `/api/choices/${choice.id}/results`, { observedOn: '2026-11-01', quantity: 3, unit: 'km' }, alice.auth)).json()) as Json;
    const resultId = withResult.results[0].id;
    expect((await t.request(`/api/choices/${choice.id}/results/${resultId}`, { method: 'DELETE', headers: bob.auth })).status).toBe(403);
    expect((await t.request(`/api/choices/${choice.id}/results/${resultId}`, { method: 'DELETE', headers: alice.auth })).status).toBe(200);
    expect(await journalCounts(t)).toEqual({ ...before, choice_revision: before.choice_revision + 2 });
    const after = (await (await t.request(`/api/choices/${choice.id}`)).json()) as Json;
    expect(after).toMatchObject({ title: 'Cycling to work', visibility: 'public', revision: 3, results: [], canEdit: false });
  });

  it('never reveals, in the history, what a choice said while others could not see it', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    const choice = await createChoice(t, alice.auth, { title: 'Quit smoking after my diagnosis', visibility: 'private' });
    expect((await t.json('PATCH', `/api/choices/${choice.id}`, { title: 'Quit smoking', visibility: 'public' }, alice.auth)).status).toBe(200);
    const own = (await (await t.request(`/api/choices/${choice.id}/history`, { headers: alice.auth })).json()) as Json;
    expect(own.revisions.map((r: Json) => r.snapshot?.title)).toEqual(['Quit smoking', 'Quit smoking after my diagnosis']);
    const history = await t.request(`/api/choices/${choice.id}/history`);
    expect(history.status).toBe(200);
    const body = (await history.json()) as Json;
    expect(body.revisions).toHaveLength(2);
    expect(body.revisions[0].snapshot.title).toBe('Quit smoking');
    expect(body.revisions[1].snapshot).toBeNull();
    expect(JSON.stringify(body)).not.toContain('diagnosis');
  });

  it('shows the follow-up date to the actor’s representatives only, in the history too', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    const bob = await t.userWithToken({ territory: 'town-a' });
    const choice = await createChoice(t, alice.auth, { followUpInDays: 30 });
    expect((await t.json('PATCH', `/api/choices/${choice.id}`, { title: 'Cycling, edited' }, alice.auth)).status).toBe(200);
    expect(choice.followUpOn).toBe('2026-10-31');
    const own = (await (await t.request(`/api/choices/${choice.id}/history`, { headers: alice.auth })).json()) as Json;
    expect(own.revisions).toHaveLength(2);
    for (const auth of [{}, bob.auth]) {
      const seen = (await (await t.request(`/api/choices/${choice.id}`, { headers: auth })).json()) as Json;
      expect(seen).not.toHaveProperty('followUpOn');
      expect(seen).not.toHaveProperty('needsFollowUp');
      const history = await t.request(`/api/choices/${choice.id}/history`, { headers: auth });
      expect(history.status).toBe(200);
      const body = await history.text();
      expect(body).not.toContain('2026-10-31');
      expect(body).not.toContain('followUpOn');
    }
  });

  it('finds public choices in search and feeds, and drops them once made private or deleted', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    const choice = await createChoice(t, alice.auth, { title: 'Quuxberry composting', description: 'We compost with the quuxberry method.' });
    const territoryOnly = await createChoice(t, alice.auth, { title: 'Quuxberry territory note', visibility: 'territory' });

    const found = (await (await t.request('/api/search?q=quuxberry')).json()) as Json;
    expect(found.results.filter((r: Json) => r.kind === 'choice').map((r: Json) => r.ref)).toEqual([String(choice.id)]);
    expect(found.results[0].url).toBe(`/choices/${choice.id}`);
    expect(atomEntries((await text(t, '/feeds/choices.atom')).body).map(titleOf)).toEqual(['Quuxberry composting']);
    expect(territoryOnly.visibility).toBe('territory');

    // A new title is searchable under its new words only.
    expect((await t.json('PATCH', `/api/choices/${choice.id}`, { title: 'Wobblefrost composting', description: 'Plain compost.' }, alice.auth)).status).toBe(200);
    expect(((await (await t.request('/api/search?q=wobblefrost')).json()) as Json).results.map((r: Json) => r.ref)).toEqual([String(choice.id)]);
    expect(((await (await t.request('/api/search?q=quuxberry')).json()) as Json).results).toEqual([]);

    expect((await t.json('PATCH', `/api/choices/${choice.id}`, { visibility: 'private' }, alice.auth)).status).toBe(200);
    for (const auth of [{}, alice.auth]) {
      expect(((await (await t.request('/api/search?q=wobblefrost', { headers: auth })).json()) as Json).results).toEqual([]);
    }
    expect((await text(t, '/feeds/choices.atom')).body).not.toContain('Wobblefrost');
    expect((await text(t, '/api/choices.csv')).body).not.toContain('Wobblefrost');
    expect((await t.request(`/api/choices/${choice.id}`)).status).toBe(404);

    expect((await t.json('PATCH', `/api/choices/${choice.id}`, { visibility: 'public' }, alice.auth)).status).toBe(200);
    expect(((await (await t.request('/api/search?q=wobblefrost')).json()) as Json).results).toHaveLength(1);
    expect((await t.request(`/api/choices/${choice.id}`, { method: 'DELETE', headers: alice.auth })).status).toBe(204);
    expect(((await (await t.request('/api/search?q=wobblefrost')).json()) as Json).results).toEqual([]);
    expect((await text(t, '/feeds/choices.atom')).body).not.toContain('Wobblefrost');
  });
});

describe('choices: lists, pages and exports', () => {
  it('rolls child territories up into their parents and filters by component, dimension, level and dates', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    const c1 = (await createChoice(t, alice.auth, { territory: 'town-a', components: ['A08', 'H06'], level: 'individual', madeOn: '2026-03-10' })).id;
    const c2 = (await createChoice(t, alice.auth, { territory: 'town-b', components: ['A01'], level: 'family', madeOn: '2026-05-20' })).id;
    const c3 = (await createChoice(t, alice.auth, { territory: 'region-x', components: ['B04'], level: 'local-community', madeOn: '2026-07-01' })).id;
    const c4 = (await createChoice(t, alice.auth, { territory: 'south', components: ['A08'], level: 'organisation', madeOn: '2026-09-15' })).id;

    expect(await listIds(t, '')).toEqual([c4, c3, c2, c1]);
    expect(await listIds(t, '?territory=region-x')).toEqual([c3, c2, c1]);
    expect(await listIds(t, '?territory=town-a')).toEqual([c1]);
    expect(await listIds(t, '?territory=town-b')).toEqual([c2]);
    expect(await listIds(t, '?territory=south')).toEqual([c4]);
    expect(await listIds(t, '?component=A08')).toEqual([c4, c1]);
    expect(await listIds(t, '?component=a08')).toEqual([c4, c1]);
    expect(await listIds(t, '?component=H06')).toEqual([c1]);
    expect(await listIds(t, '?component=A02')).toEqual([]);
    expect(await listIds(t, '?dimension=A')).toEqual([c4, c2, c1]);
    expect(await listIds(t, '?dimension=B')).toEqual([c3]);
    expect(await listIds(t, '?dimension=H')).toEqual([c1]);
    expect(await listIds(t, '?level=family')).toEqual([c2]);
    expect(await listIds(t, '?from=2026-05-20')).toEqual([c4, c3, c2]);
    expect(await listIds(t, '?to=2026-05-20')).toEqual([c2, c1]);
    expect(await listIds(t, '?from=2026-05-01&to=2026-07-01')).toEqual([c3, c2]);
    expect(await listIds(t, '?territory=region-x&dimension=A')).toEqual([c2, c1]);
    expect(await listIds(t, '?territory=region-x&component=A08&from=2026-01-01&to=2026-12-31')).toEqual([c1]);

    for (const query of ['?component=Z99', '?dimension=Z', '?dimension=AB', '?level=planet', '?from=2026-02-30', '?to=yesterday', '?limit=0', '?limit=1000']) {
      const res = await t.request(`/api/choices${query}`);
      expect(res.status, query).toBe(400);
      expectErrorShape((await res.json()) as Json, 'validation_failed');
    }
    const unknownTerritory = await t.request('/api/choices?territory=atlantis');
    expect([400, 404]).toContain(unknownTerritory.status);
    expect(((await unknownTerritory.json()) as Json).error.code).toMatch(/^(validation_failed|not_found)$/);
  });

  it('pages through choices with a cursor, without duplicates or gaps', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    // Three share a date, so the order must break ties by id.
    const dates = ['2026-01-05', '2026-02-10', '2026-02-10', '2026-02-10', '2026-04-01', '2026-06-30', '2026-08-08'];
    const ids: number[] = [];
    for (const [i, madeOn] of dates.entries()) ids.push((await createChoice(t, alice.auth, { title: `Choice ${i}`, madeOn })).id);
    await createChoice(t, alice.auth, { title: 'Elsewhere', territory: 'south', madeOn: '2026-03-03' });

    const seen: number[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.request(`/api/choices?territory=region-x&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Json;
      sizes.push(body.choices.length);
      seen.push(...body.choices.map((c: Json) => c.id));
      cursor = body.nextCursor;
      if (++pages > 5) throw new Error('the cursor does not end');
    } while (cursor);
    expect(sizes).toEqual([3, 3, 1]);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    // Newest first by date made, ties newest id first.
    const madeOn = new Map(ids.map((id, i) => [id, dates[i]]));
    const expected = [...ids].sort((a, b) => (madeOn.get(b)! < madeOn.get(a)! ? -1 : madeOn.get(b)! > madeOn.get(a)! ? 1 : b - a));
    expect(seen).toEqual(expected);

    const last = (await (await t.request('/api/choices?territory=region-x&limit=7')).json()) as Json;
    expect(last.choices).toHaveLength(7);
    expect(last.nextCursor).toBeNull();

    const bogus = Buffer.from(JSON.stringify({ hello: 'world' })).toString('base64url');
    for (const bad of ['garbage!', bogus, 'x'.repeat(300)]) {
      const res = await t.request(`/api/choices?cursor=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expectErrorShape((await res.json()) as Json, 'validation_failed');
    }
  });

  it('pages through a list mixing public, territory and private choices in date order, without duplicates or gaps', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    const bob = await t.userWithToken({ territory: 'town-a' });
    const made: { id: number; madeOn: string; visibility: string; owner: 'alice' | 'bob' }[] = [];
    const plan: [string, string, 'alice' | 'bob'][] = [
      ['2026-01-01', 'private', 'alice'], ['2026-02-01', 'public', 'bob'], ['2026-03-01', 'territory', 'alice'], ['2026-03-01', 'public', 'alice'],
      ['2026-04-01', 'territory', 'bob'], ['2026-05-01', 'private', 'bob'], ['2026-06-01', 'public', 'alice'], ['2026-06-01', 'private', 'alice'],
      ['2026-07-01', 'territory', 'alice'], ['2026-08-01', 'private', 'alice'],
    ];
    for (const [madeOn, visibility, owner] of plan) {
      const auth = owner === 'alice' ? alice.auth : bob.auth;
      made.push({ id: (await createChoice(t, auth, { madeOn, visibility, title: `${owner} ${visibility} ${madeOn}` })).id, madeOn, visibility, owner });
    }
    const walk = async (auth: Auth, limit: number) => {
      const ids: number[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 20; pages++) {
        const body = (await (await t.request(`/api/choices?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: auth })).json()) as Json;
        ids.push(...body.choices.map((c: Json) => c.id));
        cursor = body.nextCursor;
        if (!cursor) return ids;
      }
      throw new Error('the cursor does not end');
    };
    const order = (rows: typeof made) => [...rows].sort((a, b) => (a.madeOn === b.madeOn ? b.id - a.id : a.madeOn < b.madeOn ? 1 : -1)).map((r) => r.id);
    const aliceSees = order(made.filter((c) => c.owner === 'alice' || c.visibility !== 'private'));
    const bobSees = order(made.filter((c) => c.owner === 'bob' || c.visibility !== 'private'));
    const anonymousSees = order(made.filter((c) => c.visibility === 'public'));
    for (const limit of [1, 2, 3, 4, 100]) {
      expect(await walk(alice.auth, limit), `alice, limit ${limit}`).toEqual(aliceSees);
      expect(await walk(bob.auth, limit), `bob, limit ${limit}`).toEqual(bobSees);
      expect(await walk({}, limit), `anonymous, limit ${limit}`).toEqual(anonymousSees);
    }
  });

  it('exports the list as CSV with the documented columns, neutralising spreadsheet formulas', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    const evil = await createChoice(t, alice.auth, {
      title: '=HYPERLINK("http://evil.example","click")',
      description: '+SUM(A1:A2), "quoted"\nsecond line',
      results: [{ observedOn: '2026-11-01', quantity: -410, unit: 'kg CO2e' }],
    });
    await createChoice(t, alice.auth, { title: 'Elsewhere', territory: 'south', madeOn: '2026-09-09', components: ['B04'] });
    const res = await t.request('/api/choices.csv?territory=town-a');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const rows = parseCsv(await res.text());
    expect(rows[0]).toEqual([
      'id', 'made_on', 'title', 'description', 'level', 'status', 'visibility', 'territory', 'actor', 'actor_kind', 'components', 'dimensions',
      'results', 'result_quantities', 'lang', 'url',
    ]);
    expect(rows).toHaveLength(2);
    const row = Object.fromEntries(rows[0].map((column, i) => [column, rows[1][i]]));
    expect(row.id).toBe(String(evil.id));
    expect(row.title.startsWith("'=")).toBe(true);
    expect(row.title).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(row.description).toBe('\'+SUM(A1:A2), "quoted"\nsecond line');
    expect(row.result_quantities.startsWith("'-")).toBe(true);
    expect(row).toMatchObject({ made_on: '2026-10-01', territory: 'town-a', components: 'A08 H06', dimensions: 'A H', results: '1', visibility: 'public' });
    expect(row.url).toMatch(new RegExp(`/choices/${evil.id}$`));
    // No cell of the export starts with a formula character.
    for (const r of rows.slice(1)) for (const cell of r) expect(cell, cell).not.toMatch(/^[=+\-@]/);
  });

  it('serves choices as a valid Atom feed, with the same filters', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ name: 'Alice <&> Co', territory: 'town-a' });
    await createChoice(t, alice.auth, { title: 'Bikes & <buses>', results: [{ observedOn: '2026-11-01', text: '<b>fitter</b> & happier', quantity: 3, unit: 'km' }] });
    await createChoice(t, alice.auth, { title: 'Southern orchard', territory: 'south', components: ['B04'], madeOn: '2026-09-09' });
    const all = await t.request('/feeds/choices.atom');
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toContain('application/atom+xml');
    const entries = atomEntries(await all.text());
    expect(entries.map(titleOf).sort()).toEqual(['Bikes & <buses>', 'Southern orchard']);
    for (const entry of entries) expect(entry.id && entry.updated).toBeTruthy();
    expect(atomEntries((await text(t, '/feeds/choices.atom?territory=region-x')).body).map(titleOf)).toEqual(['Bikes & <buses>']);
    expect(atomEntries((await text(t, '/feeds/choices.atom?dimension=B')).body).map(titleOf)).toEqual(['Southern orchard']);
  });
});

describe('choices: follow-ups', () => {
  it('lists my choices waiting for a result once their follow-up date has come, until a result or giving up', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    const bob = await t.userWithToken({ territory: 'town-a' });
    // The test clock starts on 2026-11-22.
    const f30 = (await createChoice(t, alice.auth, { title: 'In 30 days', madeOn: '2026-11-22', followUpInDays: 30 })).id;
    const f30result = (await createChoice(t, alice.auth, { title: 'In 30 days, result to come', madeOn: '2026-11-22', followUpInDays: 30 })).id;
    const f30giveUp = (await createChoice(t, alice.auth, { title: 'In 30 days, given up later', madeOn: '2026-11-22', followUpInDays: 30, visibility: 'private' })).id;
    const f90 = (await createChoice(t, alice.auth, { title: 'In 90 days', madeOn: '2026-11-22', followUpInDays: 90 })).id;
    const byDefault = (await createChoice(t, alice.auth, { title: 'Default delay', madeOn: '2026-11-22' })).id;
    await createChoice(t, alice.auth, { title: 'Never asked', madeOn: '2026-11-22', followUpInDays: null });
    await createChoice(t, alice.auth, { title: 'Already has a result', madeOn: '2026-11-22', followUpInDays: 30, results: [{ observedOn: '2026-11-22', text: 'done' }] });
    await createChoice(t, alice.auth, { title: 'Given up from the start', madeOn: '2026-11-22', followUpInDays: 30, status: 'given-up' });
    await createChoice(t, bob.auth, { title: 'Bob’s, due too', madeOn: '2026-11-22', followUpInDays: 30 });

    const followUps = async (auth: Auth = alice.auth) => {
      const res = await t.request('/api/me/follow-ups', { headers: auth });
      expect(res.status).toBe(200);
      return (((await res.json()) as Json).choices as Json[]).map((c) => c.id).sort((a, b) => a - b);
    };
    expect(await followUps()).toEqual([]);
    t.clock.set('2026-12-21T23:59:00.000Z');
    expect(await followUps()).toEqual([]);
    t.clock.set('2026-12-22T08:00:00.000Z');
    expect(await followUps()).toEqual([f30, f30result, f30giveUp]);
    expect(((await (await t.request(`/api/choices/${f30}`, { headers: alice.auth })).json()) as Json).needsFollowUp).toBe(true);

    expect((await t.json('POST', `/api/choices/${f30result}/results`, { observedOn: '2026-12-22', quantity: 120, unit: 'km' }, alice.auth)).status).toBe(201);
    expect(await followUps()).toEqual([f30, f30giveUp]);
    expect((await t.json('PATCH', `/api/choices/${f30giveUp}`, { status: 'given-up' }, alice.auth)).status).toBe(200);
    expect(await followUps()).toEqual([f30]);
    expect(await followUps(bob.auth)).toHaveLength(1);

    t.clock.set('2027-02-20T09:00:00.000Z');
    expect(await followUps()).toEqual([f30, f90, byDefault]);
    expect((await t.request('/api/me/follow-ups')).status).toBe(401);
  });
});

describe('choices: acting for an organisation', () => {
  it('logs choices for an organisation I represent, and refuses actors I do not represent', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ name: 'Alice', territory: 'town-a' });
    const bob = await t.userWithToken({ name: 'Bob', territory: 'town-a' });
    const created = await t.json('POST', '/api/actors', { name: 'Velo Club Town A', kind: 'civil-society', territory: 'town-a' }, alice.auth);
    expect(created.status).toBe(201);
    const club = (await created.json()) as Json;
    expect(club).toMatchObject({ name: 'Velo Club Town A', kind: 'civil-society' });
    expect(typeof club.slug).toBe('string');
    const mine = (await (await t.request('/api/me/actors', { headers: alice.auth })).json()) as Json;
    expect(mine.actors.map((a: Json) => a.slug)).toContain(club.slug);

    const forClub = await createChoice(t, alice.auth, { title: 'Bike repair workshop', actor: club.slug, level: 'organisation' });
    expect(forClub.actor).toMatchObject({ slug: club.slug, name: 'Velo Club Town A', kind: 'civil-society' });
    expect(await listIds(t, `?actor=${club.slug}`)).toEqual([forClub.id]);
    expect(await listIds(t, '?actor=me', alice.auth)).toContain(forClub.id);
    // Alice acts for the club: she may edit its choices.
    expect((await t.json('PATCH', `/api/choices/${forClub.id}`, { title: 'Bike repair workshop, monthly' }, alice.auth)).status).toBe(200);

    const before = await journalCounts(t);
    for (const actor of [club.slug, 'no-such-actor']) {
      const res = await t.json('POST', '/api/choices', choiceBody({ actor }), bob.auth);
      expect(res.status, actor).toBe(403);
      expectErrorShape((await res.json()) as Json, 'forbidden');
    }
    expect((await t.json('PATCH', `/api/choices/${forClub.id}`, { title: 'Bob’s now' }, bob.auth)).status).toBe(403);
    expect(await journalCounts(t)).toEqual(before);

    // Alice invites Bob: nothing changes until he accepts, and the answer is the same for an unknown address.
    const added = await t.json('POST', `/api/actors/${club.slug}/representatives`, { email: bob.user.email }, alice.auth);
    const unknown = await t.json('POST', `/api/actors/${club.slug}/representatives`, { email: 'nobody-here@example.org' }, alice.auth);
    expect([added.status, unknown.status]).toEqual([202, 202]);
    expect(await added.json()).toEqual(await unknown.json());
    expect((await t.json('POST', '/api/choices', choiceBody({ actor: club.slug }), bob.auth)).status).toBe(403);
    expect((await t.json('POST', `/api/actors/${club.slug}/representatives`, { email: bob.user.email }, bob.auth)).status).toBe(403);
    const invitations = (await (await t.request('/api/me/invitations', { headers: bob.auth })).json()) as { invitations: { id: number; actor: { slug: string } }[] };
    expect(invitations.invitations.map((i) => i.actor.slug)).toEqual([club.slug]);
    // Nobody else can answer Bob's invitation.
    expect((await t.json('POST', `/api/me/invitations/${invitations.invitations[0].id}`, { decision: 'accept' }, alice.auth)).status).toBe(404);
    expect((await t.json('POST', `/api/me/invitations/${invitations.invitations[0].id}`, { decision: 'accept' }, bob.auth)).status).toBe(200);
    const bobForClub = await createChoice(t, bob.auth, { title: 'Bike parking', actor: club.slug });
    expect(bobForClub.actor.slug).toBe(club.slug);
  });
});

describe('choices: hostile and odd text', () => {
  it('strips control characters and direction overrides, refuses invisible titles, and keeps feeds valid XML', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    const stripped = await createChoice(t, alice.auth, { title: 'Bus\u0000 to\u001b[31m work\u202e\u000b', description: 'line one\nline\u0007 two' });
    expect(stripped.title).toBe('Bus to[31m work');
    expect(stripped.description).toBe('line one\nline two');
    for (const title of ['\u200b\u200b', '   ', '\u00a0\u200b ']) {
      const res = await t.json('POST', '/api/choices', choiceBody({ title }), alice.auth);
      expect(res.status, JSON.stringify(title)).toBe(400);
    }
    await createChoice(t, alice.auth, { title: 'Tags <b>bold</b> & <script>alert(1)</script>' });
    const feed = await t.request('/feeds/choices.atom');
    const xml = await feed.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain('<b>bold</b>');
    expect(xml).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });

  it('explains validation issues in the reader’s language, in the API as in forms', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    const res = await t.json('POST', '/api/choices?lang=fr', choiceBody({ title: '', territory: 'atlantis', components: ['Z99'] }), alice.auth);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as Json;
    const byPath = Object.fromEntries(error.issues.map((i: Json) => [i.path, i.message]));
    expect(byPath.title).toBe('Donnez un titre au choix.');
    const unknown = await t.json('POST', '/api/choices?lang=pt', choiceBody({ territory: 'atlantis', components: ['Z99'] }), alice.auth);
    const issues = ((await unknown.json()) as Json).error.issues as Json[];
    expect(issues.map((i) => i.message).join(' ')).toMatch(/Componente desconhecido|Território desconhecido/);
    expect(issues.every((i) => !/^[a-z_]+$/.test(i.message))).toBe(true);
  });
});

describe('choices: dates, caching and moving home', () => {
  it('accepts planned choices up to a year ahead, refuses results observed in the future', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    // The test clock says 2026-11-22.
    await createChoice(t, alice.auth, { madeOn: '2027-06-01', status: 'planned' });
    const far = await t.json('POST', '/api/choices', choiceBody({ madeOn: '2099-01-01' }), alice.auth);
    expect(far.status).toBe(400);
    const choice = await createChoice(t, alice.auth);
    const future = await t.json('POST', `/api/choices/${choice.id}/results`, { observedOn: '2027-01-01', text: 'not yet' }, alice.auth);
    expect(future.status).toBe(400);
    expect(((await future.json()) as Json).error.issues[0].path).toBe('observedOn');
  });

  it('never lets shared caches keep a feed fetched with credentials', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    const mine = await t.request('/feeds/choices.atom', { headers: alice.auth });
    expect(mine.headers.get('cache-control')).toBe('private, no-store');
    const anonymous = await t.request('/feeds/choices.atom');
    expect(anonymous.headers.get('cache-control')).toMatch(/^public/);
  });

  it('ends the plain membership of the old home when someone moves, so its territory-only choices are no longer shown', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    const bob = await t.userWithToken({ territory: 'town-a' });
    const shared = await createChoice(t, alice.auth, { visibility: 'territory' });
    expect(await listIds(t, '', bob.auth)).toContain(shared.id);
    expect((await t.json('PATCH', '/api/me', { territory: 'town-b' }, bob.auth)).status).toBe(200);
    expect(await listIds(t, '', bob.auth)).not.toContain(shared.id);
    expect((await t.json('PATCH', '/api/me', {}, bob.auth)).status).toBeLessThan(500);
  });
});

describe('choices: answers', () => {
  it('answers a new choice exactly as reading it back does', async () => {
    const t = await journalApp();
    const alice = await t.userWithToken({ territory: 'town-a' });
    const created = await createChoice(t, alice.auth, {
      description: 'With **two** results', results: [{ observedOn: '2026-11-02', text: 'later', quantity: 3, unit: 'km' }, { observedOn: '2026-11-01', text: 'earlier' }],
    });
    const read = (await (await t.request(`/api/choices/${created.id}`, { headers: alice.auth })).json()) as Json;
    expect(created).toEqual(read);
    expect(created.results.map((r: Json) => r.text)).toEqual(['earlier', 'later']);
  });
});
