import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers.js';
import { readTaxonomyFile } from '../../seed/taxonomy.js';

type Json = Record<string, any>;

describe('territories', () => {
  it('lets admins build a tree, each territory with its page', async () => {
    const { json, request, userWithToken } = await createTestApp();
    const admin = await userWithToken({ role: 'admin' });
    expect((await json('POST', '/api/territories', { slug: 'region-x', name: 'Region X', kind: 'region' }, admin.auth)).status).toBe(201);
    expect((await json('POST', '/api/territories', { slug: 'town-a', name: 'Town A', kind: 'municipality', parent: 'region-x' }, admin.auth)).status).toBe(201);
    expect((await json('POST', '/api/territories', { slug: 'town-a', name: 'Again', kind: 'municipality' }, admin.auth)).status).toBe(409);
    expect((await json('POST', '/api/territories', { slug: 'Bad Slug', name: 'x', kind: 'region' }, admin.auth)).status).toBe(400);
    const list = (await (await request('/api/territories')).json()) as Json;
    expect(list.territories.map((t: Json) => [t.slug, t.depth, t.parent])).toEqual([['region-x', 0, null], ['town-a', 1, 'region-x']]);
    const town = (await (await request('/api/territories/town-a')).json()) as Json;
    expect(town).toMatchObject({ slug: 'town-a', parent: 'region-x', page: 'territory/town-a', ancestors: [{ slug: 'region-x', name: 'Region X' }] });
    expect((await request('/api/pages/territory/town-a')).status).toBe(200);
    expect((await request('/api/territories/nowhere')).status).toBe(404);
  });

  it('lets coordinators create only inside the territories they coordinate, and members not at all', async () => {
    const { json, userWithToken } = await createTestApp();
    const admin = await userWithToken({ role: 'admin' });
    await json('POST', '/api/territories', { slug: 'north', name: 'North', kind: 'region' }, admin.auth);
    await json('POST', '/api/territories', { slug: 'south', name: 'South', kind: 'region' }, admin.auth);
    const coordinator = await userWithToken({ role: 'coordinator', territory: 'north' });
    const member = await userWithToken({ territory: 'north' });
    expect((await json('POST', '/api/territories', { slug: 'n1', name: 'N1', kind: 'village', parent: 'north' }, coordinator.auth)).status).toBe(201);
    expect((await json('POST', '/api/territories', { slug: 'n2', name: 'N2', kind: 'village', parent: 'n1' }, coordinator.auth)).status).toBe(201);
    expect((await json('POST', '/api/territories', { slug: 's1', name: 'S1', kind: 'village', parent: 'south' }, coordinator.auth)).status).toBe(403);
    expect((await json('POST', '/api/territories', { slug: 'top', name: 'Top', kind: 'region' }, coordinator.auth)).status).toBe(403);
    expect((await json('POST', '/api/territories', { slug: 'm1', name: 'M1', kind: 'village', parent: 'north' }, member.auth)).status).toBe(403);
    expect((await json('PUT', '/api/pages/territory/n1', { markdown: 'Anyone logged in may edit', baseRevision: 1 }, member.auth)).status).toBe(200);
    expect((await json('PUT', '/api/pages/territory/ghost', { markdown: 'x' }, member.auth)).status).toBe(403);
  });

  it('publishes valid Atom feeds of recent changes, per territory with its children', async () => {
    const { json, request, userWithToken } = await createTestApp();
    const admin = await userWithToken({ role: 'admin', name: 'Admin <&> Person' });
    await json('POST', '/api/territories', { slug: 'north', name: 'North', kind: 'region' }, admin.auth);
    await json('POST', '/api/territories', { slug: 'n1', name: 'N1 & co', kind: 'village', parent: 'north' }, admin.auth);
    await json('POST', '/api/territories', { slug: 'south', name: 'South', kind: 'region' }, admin.auth);
    await json('PUT', '/api/pages/free', { markdown: 'x', summary: '<b>bold</b> & more' }, admin.auth);
    const all = await request('/feeds/recent.atom');
    expect(all.headers.get('content-type')).toContain('application/atom+xml');
    const xml = await all.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml);
    expect(parsed.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(parsed.feed.entry.length).toBe(5);
    for (const entry of parsed.feed.entry) expect(entry.id && entry.updated && entry.title).toBeTruthy();
    const north = new XMLParser().parse(await (await request('/feeds/territories/north.atom')).text());
    // Titles are type="html": the entity is what keeps "&" literal for feed readers.
    const titles = [north.feed.entry].flat().map((e: Json) => e.title);
    expect(titles.sort()).toEqual(['N1 &amp; co (revision 1)', 'North (revision 1)']);
    expect((await request('/feeds/territories/nowhere.atom')).status).toBe(404);
  });
});

describe('criteria', () => {
  it('serves the SPIRAL taxonomy: 8 dimensions and their components, in EN, FR and PT', async () => {
    const { request } = await createTestApp();
    const en = (await (await request('/api/criteria?lang=en')).json()) as Json;
    expect(en.version).toBe('spiral-2010-8');
    expect(en.dimensions.map((d: Json) => d.code)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']);
    expect(en.dimensions.flatMap((d: Json) => d.components).length).toBe(65);
    expect(en.dimensions[0].components[1]).toMatchObject({ code: 'A01', label: 'Food / drink' });
    const fr = (await (await request('/api/criteria?lang=fr')).json()) as Json;
    expect(fr.dimensions[0].label).toBe('Accès aux ressources essentielles');
    const pt = (await (await request('/api/criteria?lang=pt')).json()) as Json;
    expect(pt.dimensions[0].components[8]).toMatchObject({ code: 'A08', label: 'Mobilidade / transporte' });
    expect((await request('/api/criteria?lang=xx')).status).toBe(400);
    expect((await request('/api/criteria/A08?lang=fr')).status).toBe(200);
    expect((await request('/api/criteria/Z99')).status).toBe(404);
  });

  it('lets admins edit labels, and export and import versions', async () => {
    const { json, request, userWithToken } = await createTestApp();
    const admin = await userWithToken({ role: 'admin' });
    const member = await userWithToken();
    expect((await json('PATCH', '/api/criteria/A08', { labels: { en: 'Getting around' } }, member.auth)).status).toBe(403);
    expect((await json('PATCH', '/api/criteria/A08', { labels: { en: 'Getting around' } }, admin.auth)).status).toBe(200);
    const a08 = (await (await request('/api/criteria/A08?lang=en')).json()) as Json;
    expect(a08.label).toBe('Getting around');
    const exported = (await (await request('/api/criteria/export')).json()) as Json;
    expect(exported.dimensions[0].components[8].labels.en).toBe('Getting around');
    const next: Json = { ...(readTaxonomyFile() as Json), version: 'spiral-2027-test' };
    next.dimensions[0].components.push({ code: 'A12', labels: { en: 'Digital access', fr: 'Accès numérique', pt: 'Acesso digital' }, descriptions: { en: '', fr: '', pt: '' } });
    expect((await json('POST', '/api/criteria/import', next, member.auth)).status).toBe(403);
    expect((await json('POST', '/api/criteria/import', { ...next, dimensions: 'nope' }, admin.auth)).status).toBe(400);
    expect((await json('POST', '/api/criteria/import', next, admin.auth)).status).toBe(201);
    expect((await json('POST', '/api/criteria/import', next, admin.auth)).status).toBe(409);
    const current = (await (await request('/api/criteria')).json()) as Json;
    expect(current.version).toBe('spiral-2027-test');
    expect(current.dimensions[0].components.at(-1).code).toBe('A12');
    const versions = (await (await request('/api/criteria/versions')).json()) as Json;
    expect(versions.versions.map((v: Json) => v.version).sort()).toEqual(['spiral-2010-8', 'spiral-2027-test']);
  });
});

describe('search', () => {
  it('matches word forms across languages, ignores accents and highlights matches', async () => {
    const { json, request, userWithToken } = await createTestApp();
    const { auth } = await userWithToken();
    await json('PUT', '/api/pages/jardins', { title: 'Jardins partagés', markdown: 'Nos jardins accueillent les écoles du quartier.' }, auth);
    await json('PUT', '/api/pages/hortas', { title: 'Hortas', markdown: 'As escolas cuidam das hortas comunitárias.' }, auth);
    await json('PUT', '/api/pages/bikes', { title: 'Bikes', markdown: 'Cycling to work <every> day.' }, auth);
    const jardin = (await (await request('/api/search?q=jardin')).json()) as Json;
    expect(jardin.results.map((r: Json) => r.ref)).toEqual(['jardins']);
    expect(jardin.results[0].snippetHtml).toContain('<mark>jardins</mark>');
    const ecole = (await (await request('/api/search?q=ecole')).json()) as Json;
    expect(ecole.results.map((r: Json) => r.ref)).toEqual(['jardins']);
    const escola = (await (await request('/api/search?q=escola')).json()) as Json;
    expect(escola.results.map((r: Json) => r.ref)).toEqual(['hortas']);
    const cycle = (await (await request('/api/search?q=cycled')).json()) as Json;
    expect(cycle.results[0].snippetHtml).toContain('&lt;every&gt;');
    const hostile = await request('/api/search?q=' + encodeURIComponent('"jardin" OR * NEAR( )'));
    expect(hostile.status).toBe(200);
    expect((await request('/api/search?q=')).status).toBe(400);
  });
});
