import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers.js';

type Json = Record<string, any>;

describe('open-space topics', () => {
  it('counts interest once per person, sorts by it, and becomes a workshop in one step', async () => {
    const t = await createTestApp();
    const people = await Promise.all(Array.from({ length: 4 }, () => t.userWithToken()));
    const propose = async (title: string, who: number) => ((await (await t.json('POST', '/api/topics', { title }, people[who].auth)).json()) as Json).id as number;
    const food = await propose('Healthy food in canteens', 0);
    const time = await propose('Good choices and another conception of time', 1);
    expect((await t.json('POST', '/api/topics', { title: '   ' }, people[0].auth)).status).toBe(400);
    expect((await t.json('POST', '/api/topics', { title: 'Anonymous' })).status).toBe(401);
    // Interest: once each, however many clicks; the proposer counts.
    for (const who of [1, 2, 2, 2, 3]) await t.request(`/api/topics/${time}/interest`, { method: 'POST', headers: people[who].auth });
    expect(await (await t.request(`/api/topics/${time}/interest`, { method: 'POST', headers: people[3].auth })).json()).toEqual({ interest: 3 });
    expect(await (await t.request(`/api/topics/${time}/interest`, { method: 'DELETE', headers: people[3].auth })).json()).toEqual({ interest: 2 });
    const list = ((await (await t.request('/api/topics')).json()) as Json).topics;
    expect(list.map((x: Json) => [x.title, x.interest])).toEqual([['Good choices and another conception of time', 2], ['Healthy food in canteens', 1]]);
    // An organiser makes it a workshop; it leaves the open list and links the workshop.
    expect((await t.json('POST', `/api/topics/${time}/workshop`, { startsAt: '2026-12-15T18:00', timeZone: 'Europe/Paris', durationMinutes: 90, languages: ['fr'] }, people[0].auth)).status).toBe(403);
    const organiser = await t.userWithToken({ role: 'facilitator' });
    const made = await t.json('POST', `/api/topics/${time}/workshop`, { startsAt: '2026-12-15T18:00', timeZone: 'Europe/Paris', durationMinutes: 90, languages: ['fr'] }, organiser.auth);
    expect(made.status).toBe(201);
    expect(((await made.json()) as Json).title).toBe('Good choices and another conception of time');
    expect((await t.json('POST', `/api/topics/${time}/workshop`, { startsAt: '2026-12-16T18:00', timeZone: 'Europe/Paris', durationMinutes: 90, languages: ['fr'] }, organiser.auth)).status).toBe(409);
    // Two organisers at once: one workshop.
    const twice = await Promise.all([0, 1].map(() => t.json('POST', `/api/topics/${food}/workshop`, { startsAt: '2026-12-17T18:00', timeZone: 'Europe/Paris', durationMinutes: 90, languages: ['fr'] }, organiser.auth)));
    expect(twice.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((((await (await t.request('/api/topics')).json()) as Json).topics as Json[]).map((x) => x.id)).toEqual([]);
    expect((((await (await t.request('/api/topics?status=scheduled')).json()) as Json).topics as Json[])[0].workshop.title).toBe('Good choices and another conception of time');
    expect((await t.request('/topics')).status).toBe(200);
  });
});

describe('the tools catalogue', () => {
  it('lists tools by language, takes proposals, and shows where a tool was used without revealing private choices', async () => {
    const t = await createTestApp();
    const admin = await t.userWithToken({ role: 'admin' });
    await t.json('POST', '/api/territories', { slug: 'sines', name: 'Sines', kind: 'municipality' }, admin.auth);
    const member = await t.userWithToken({ territory: 'sines' });
    const created = await t.json('POST', '/api/tools', { name: 'CO2 calculator of consumption choices', description: 'Estimates the **CO2e** of a basket.', url: 'https://tools.example.org/co2', languages: ['fr', 'pt'], offeredBy: 'TOGETHER' }, member.auth);
    expect(created.status).toBe(201);
    const tool = (await created.json()) as Json;
    expect(tool.slug).toBe('co2-calculator-of-consumption-choices');
    expect((await t.json('POST', '/api/tools', { name: 'Bad link', description: 'x', url: 'javascript:alert(1)' }, member.auth)).status).toBe(400);
    expect((((await (await t.request('/api/tools?lang=pt')).json()) as Json).tools as Json[]).map((x) => x.name)).toEqual(['CO2 calculator of consumption choices']);
    expect((((await (await t.request('/api/tools?lang=en')).json()) as Json).tools as Json[])).toEqual([]);
    expect((await t.json('POST', `/api/tools/${tool.slug}/proposals`, { kind: 'improvement', text: 'Add public transport' }, member.auth)).status).toBe(201);
    expect((await t.json('POST', `/api/tools/${tool.slug}/proposals`, { kind: 'other', text: 'x' }, member.auth)).status).toBe(400);
    // Used in a public choice and a private one: only the public one is listed.
    const choice = async (visibility: string) => ((await (await t.json('POST', '/api/choices', { title: `We measured our basket (${visibility})`, madeOn: '2026-11-01', level: 'family', components: ['A01'], territory: 'sines', visibility }, member.auth)).json()) as Json).id;
    const open = await choice('public');
    const hidden = await choice('private');
    for (const id of [open, hidden]) expect((await t.json('POST', `/api/tools/${tool.slug}/uses`, { choice: id }, member.auth)).status).toBe(201);
    expect((await t.json('POST', `/api/tools/${tool.slug}/uses`, { choice: open }, member.auth)).status).toBe(409);
    const stranger = await t.userWithToken();
    expect((await t.json('POST', `/api/tools/${tool.slug}/uses`, { choice: open }, stranger.auth)).status).toBe(403);
    const page = (await (await t.request(`/api/tools/${tool.slug}`)).json()) as Json;
    expect(page.usedIn.choices.map((c: Json) => c.id)).toEqual([open]);
    expect(page.proposals[0]).toMatchObject({ kind: 'improvement', text: 'Add public transport' });
    const html = await (await t.request(`/tools/${tool.slug}`)).text();
    expect(html).toContain('We measured our basket (public)');
    expect(html).not.toContain('We measured our basket (private)');
    expect((await t.request('/tools/no-such-tool')).status).toBe(404);
    // A name of digits gets a slug that is not an id.
    const year = await t.json('POST', '/api/tools', { name: '2024', description: 'A year planner' }, member.auth);
    expect(year.status).toBe(201);
    expect(((await year.json()) as Json).slug).toBe('tool-2024');
    expect((await t.request('/tools/tool-2024')).status).toBe(200);
  });
});
