import { describe, expect, it } from 'vitest';
import { dataVersion } from '../../db/database.js';
import { type TestApp, createTreeTestApp } from '../helpers.js';

// Every write route of the OpenAPI document × six people: anonymous, a member of the territory, a member
// of another territory, a coordinator of the territory, a coordinator of another territory, an admin.
// What they act on belongs to someone else (an owner in town-a, a facilitator for group work). A refusal
// is 401 for anonymous and 403 or 404 for the others, in the error shape, and writes nothing (the
// database version is unchanged); an allowed person is not refused (2xx, or a 4xx about the input or
// the state, never 401/403). Groups are run by their facilitators, admins and coordinators of their
// territory. The test fails when the document has a write route the table lacks.

type Json = Record<string, any>;
type Persona = 'anonymous' | 'member' | 'memberElsewhere' | 'coordinator' | 'coordinatorElsewhere' | 'admin';
const PERSONAS: Persona[] = ['anonymous', 'member', 'memberElsewhere', 'coordinator', 'coordinatorElsewhere', 'admin'];
const SIGNED_IN: Persona[] = PERSONAS.slice(1);
const ANYONE: Persona[] = PERSONAS;
const ADMIN: Persona[] = ['admin'];
const COORDINATION: Persona[] = ['coordinator', 'admin'];
const ORGANISERS: Persona[] = ['coordinator', 'coordinatorElsewhere', 'admin'];
const NOBODY: Persona[] = [];

async function world() {
  const t = await createTreeTestApp();
  const owner = await t.userWithToken({ name: 'Owner Person', email: 'owner@example.org', territory: 'town-a' });
  const lead = await t.userWithToken({ name: 'Lead Facilitator', role: 'facilitator', territory: 'town-a' });
  const people: Record<Persona, Record<string, string>> = {
    anonymous: {},
    member: (await t.userWithToken({ name: 'Member A', territory: 'town-a' })).auth,
    memberElsewhere: (await t.userWithToken({ name: 'Member B', territory: 'town-b' })).auth,
    coordinator: (await t.userWithToken({ name: 'Coordinator A', role: 'coordinator', territory: 'town-a' })).auth,
    coordinatorElsewhere: (await t.userWithToken({ name: 'Coordinator South', role: 'coordinator', territory: 'south' })).auth,
    admin: t.admin.auth,
  };
  const post = async (path: string, body: unknown, auth: Record<string, string>, method = 'POST') => {
    const res = await t.json(method, path, body, auth);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? {} : ((await res.json()) as Json);
  };
  const choice = await post('/api/choices', {
    title: 'Owner compost', madeOn: '2026-10-05', level: 'individual', components: ['A08'], territory: 'town-a', visibility: 'public',
    results: [{ observedOn: '2026-10-20', quantity: 3, unit: 'kg' }],
  }, owner.auth);
  await post('/api/pages/free-page', { markdown: 'One.' }, owner.auth, 'PUT');
  await post('/api/pages/free-page', { markdown: 'Two.', baseRevision: 1 }, owner.auth, 'PUT');
  await post('/api/pages/territory/town-a', { markdown: 'Town A, edited.' }, owner.auth, 'PUT');
  const group = await post('/api/groups', { name: 'Parents', kind: 'homogeneous', territory: 'town-a' }, lead.auth);
  const statement = await post(`/api/groups/${group.id}/statements`, { question: 'wellbeing', text: 'We meet at the market.', components: ['D01'] }, lead.auth);
  const workshop = await post('/api/workshops', { title: 'Food and health', startsAt: '2026-12-20T10:00', timeZone: 'Europe/Lisbon', durationMinutes: 60, languages: ['pt'], territory: 'town-a' }, lead.auth);
  const charter = await post('/api/charters', { title: 'Market charter', markdown: 'We agree.' }, lead.auth);
  await post(`/api/charters/${charter.id}/participants`, {}, owner.auth);
  const amendment = await post(`/api/charters/${charter.id}/amendments`, { text: 'We all agree.' }, owner.auth);
  const topic = await post('/api/topics', { title: 'Repair café' }, owner.auth);
  const tool = await post('/api/tools', { name: 'Photo language', description: 'Cards with pictures.' }, owner.auth);
  const org = await post('/api/actors', { name: 'Owner Club', kind: 'civil-society' }, owner.auth);
  await post(`/api/actors/${org.slug}/representatives`, { email: 'lead@example.org' }, owner.auth);
  await t.db.updateTable('user').set({ email: 'lead@example.org' }).where('id', '=', lead.user.id).execute();
  await post(`/api/actors/${org.slug}/representatives`, { email: 'lead@example.org' }, owner.auth);
  const invitation = ((await (await t.request('/api/me/invitations', { headers: lead.auth })).json()) as Json).invitations[0];
  const watch = await post('/api/me/watchlist', { kind: 'page', target: 'free-page' }, owner.auth);
  const ownerToken = ((await (await t.request('/api/auth/tokens', { headers: owner.auth })).json()) as Json).tokens[0];
  const flag = await post('/api/flags', { kind: 'page', ref: 'free-page', reason: 'Spam' }, owner.auth);
  const joiner = await t.userWithToken({ name: 'Joiner', territory: 'south' });
  await post('/api/me', { territory: 'town-a' }, joiner.auth, 'PATCH');
  const resultId = (choice.results as Json[])[0].id;
  return { t, people, owner, ids: { choice: choice.id, resultId, group: group.id, statement: statement.id, workshop: workshop.id, charter: charter.id, amendment: amendment.id, topic: topic.id, tool: tool.slug ?? tool.id, org: org.slug, invitation: invitation.id, watch: watch.id, token: ownerToken.id, flag: flag.id, user: owner.user.id } };
}

type World = Awaited<ReturnType<typeof world>>;
interface Case { route: string; path: (w: World) => string; body?: (w: World) => unknown; allowed: Persona[] }
const w = (route: string, allowed: Persona[], path: Case['path'] | string, body?: Case['body']): Case => ({ route, allowed, path: typeof path === 'string' ? () => path : path, body });
const workshopBody = { title: 'Another workshop', startsAt: '2026-12-21T10:00', timeZone: 'Europe/Lisbon', durationMinutes: 60, languages: ['en'] };

const CASES: Case[] = [
  w('POST /api/auth/register', ANYONE, '/api/auth/register', () => ({ email: `new-${Math.random().toString(36).slice(2)}@example.org`, password: 'a long sign-up passphrase', name: 'New', actorKind: 'citizen' })),
  w('POST /api/auth/verify-email', ANYONE, '/api/auth/verify-email', () => ({ token: 'not-a-token' })),
  w('POST /api/me/verification', SIGNED_IN, '/api/me/verification'),
  w('POST /api/auth/login', ANYONE, '/api/auth/login', () => ({ email: 'owner@example.org', password: 'correct horse battery staple' })),
  w('POST /api/auth/logout', ANYONE, '/api/auth/logout'),
  w('PATCH /api/me', SIGNED_IN, '/api/me', () => ({ locale: 'fr' })),
  w('DELETE /api/me', SIGNED_IN, '/api/me', () => ({ password: 'not the password' })),
  w('DELETE /api/me/sessions', SIGNED_IN, '/api/me/sessions'),
  w('DELETE /api/me/sessions/{id}', SIGNED_IN, '/api/me/sessions/unknownsession0000'),
  w('POST /api/admin/users/{id}/block', ADMIN, (x) => `/api/admin/users/${x.ids.user}/block`, () => ({ reason: 'Spam' })),
  w('DELETE /api/admin/users/{id}/block', ADMIN, (x) => `/api/admin/users/${x.ids.user}/block`),
  w('DELETE /api/admin/users/{id}', ADMIN, (x) => `/api/admin/users/${x.ids.user}`, () => ({ reason: 'Asked by e-mail' })),
  w('POST /api/auth/tokens', SIGNED_IN, '/api/auth/tokens', () => ({ name: 'script' })),
  // Someone else's token, session, watch or invitation is as unknown as one that does not exist.
  w('DELETE /api/auth/tokens/{id}', NOBODY, (x) => `/api/auth/tokens/${x.ids.token}`),
  w('POST /api/criteria/suggest', ANYONE, '/api/criteria/suggest', () => ({ text: 'I cycle to work' })),
  w('POST /api/criteria/import', ADMIN, '/api/criteria/import', () => ({ not: 'a taxonomy' })),
  w('PATCH /api/criteria/{code}', ADMIN, '/api/criteria/A08', () => ({ labels: { en: 'Mobility' } })),
  w('POST /api/choices', SIGNED_IN, '/api/choices', () => ({ title: 'Mine', madeOn: '2026-10-06', level: 'individual', components: ['A08'], territory: 'town-a', visibility: 'private' })),
  w('PATCH /api/choices/{id}', NOBODY, (x) => `/api/choices/${x.ids.choice}`, () => ({ title: 'Taken over' })),
  w('DELETE /api/choices/{id}', NOBODY, (x) => `/api/choices/${x.ids.choice}`),
  w('POST /api/choices/{id}/results', NOBODY, (x) => `/api/choices/${x.ids.choice}/results`, () => ({ observedOn: '2026-10-21', quantity: 1, unit: 'kg' })),
  w('DELETE /api/choices/{id}/results/{resultId}', NOBODY, (x) => `/api/choices/${x.ids.choice}/results/${x.ids.resultId}`),
  w('POST /api/groups', COORDINATION, '/api/groups', () => ({ name: 'Elders', kind: 'homogeneous', territory: 'town-a' })),
  w('PATCH /api/groups/{id}', COORDINATION, (x) => `/api/groups/${x.ids.group}`, () => ({ name: 'Renamed' })),
  w('POST /api/groups/{id}/members', COORDINATION, (x) => `/api/groups/${x.ids.group}/members`, () => ({ email: 'owner@example.org' })),
  w('POST /api/groups/{id}/sessions', COORDINATION, (x) => `/api/groups/${x.ids.group}/sessions`, () => ({ heldOn: '2026-10-10' })),
  w('POST /api/groups/{id}/statements', COORDINATION, (x) => `/api/groups/${x.ids.group}/statements`, () => ({ question: 'illbeing', text: 'Too much traffic.' })),
  w('DELETE /api/groups/{id}/statements/{statementId}', COORDINATION, (x) => `/api/groups/${x.ids.group}/statements/${x.ids.statement}`),
  w('PATCH /api/groups/{id}/statements/{statementId}', COORDINATION, (x) => `/api/groups/${x.ids.group}/statements/${x.ids.statement}`, () => ({ lang: 'fr' })),
  w('PUT /api/territories/{slug}/indicators/{code}', COORDINATION, '/api/territories/town-a/indicators/A08', () => ({ level: 3, ratedOn: '2026-10-01' })),
  w('POST /api/actors', SIGNED_IN, '/api/actors', () => ({ name: 'A school', kind: 'school' })),
  w('POST /api/actors/{slug}/representatives', NOBODY, (x) => `/api/actors/${x.ids.org}/representatives`, () => ({ email: 'someone@example.org' })),
  w('POST /api/me/invitations/{id}', NOBODY, (x) => `/api/me/invitations/${x.ids.invitation}`, () => ({ decision: 'accept' })),
  w('POST /api/assessments', COORDINATION, '/api/assessments', () => ({ territory: 'town-a', from: '2026-05-01', to: '2026-10-31' })),
  w('POST /api/workshops', ORGANISERS, '/api/workshops', () => workshopBody),
  w('PATCH /api/workshops/{id}', ADMIN, (x) => `/api/workshops/${x.ids.workshop}`, () => ({ title: 'Taken over' })),
  w('POST /api/workshops/{id}/registrations', SIGNED_IN, (x) => `/api/workshops/${x.ids.workshop}/registrations`),
  w('DELETE /api/workshops/{id}/registrations', SIGNED_IN, (x) => `/api/workshops/${x.ids.workshop}/registrations`),
  w('PUT /api/workshops/{id}/conclusions', ADMIN, (x) => `/api/workshops/${x.ids.workshop}/conclusions`, () => ({ markdown: 'We concluded.' })),
  w('POST /api/me/calendar-feed', SIGNED_IN, '/api/me/calendar-feed'),
  w('POST /api/charters', ORGANISERS, '/api/charters', () => ({ title: 'Another charter', markdown: 'We agree too.' })),
  w('POST /api/charters/{id}/versions', ADMIN, (x) => `/api/charters/${x.ids.charter}/versions`, () => ({ markdown: 'We agree, version 2.' })),
  w('POST /api/charters/{id}/participants', SIGNED_IN, (x) => `/api/charters/${x.ids.charter}/participants`),
  w('POST /api/charters/{id}/amendments', NOBODY, (x) => `/api/charters/${x.ids.charter}/amendments`, () => ({ text: 'Not a participant.' })),
  w('POST /api/charters/{id}/amendments/{amendmentId}/decision', ADMIN, (x) => `/api/charters/${x.ids.charter}/amendments/${x.ids.amendment}/decision`, () => ({ decision: 'decline', reason: 'No' })),
  w('POST /api/charters/{id}/approvals', NOBODY, (x) => `/api/charters/${x.ids.charter}/approvals`, () => ({ version: 1, decision: 'approve' })),
  w('POST /api/charters/{id}/signatures', SIGNED_IN, (x) => `/api/charters/${x.ids.charter}/signatures`),
  w('POST /api/me/watchlist', SIGNED_IN, '/api/me/watchlist', () => ({ kind: 'territory', target: 'town-a' })),
  w('DELETE /api/me/watchlist/{id}', NOBODY, (x) => `/api/me/watchlist/${x.ids.watch}`),
  w('POST /api/me/notifications/read', SIGNED_IN, '/api/me/notifications/read'),
  w('PUT /api/me/notification-settings', SIGNED_IN, '/api/me/notification-settings', () => ({ frequencies: { page: 'daily' } })),
  w('POST /api/me/notifications/feed', SIGNED_IN, '/api/me/notifications/feed'),
  w('DELETE /api/me/notifications/feed', SIGNED_IN, '/api/me/notifications/feed'),
  w('POST /api/unsubscribe', ANYONE, '/api/unsubscribe', () => ({ token: 'forged' })),
  w('POST /api/topics', SIGNED_IN, '/api/topics', () => ({ title: 'Seed swap' })),
  w('POST /api/topics/{id}/interest', SIGNED_IN, (x) => `/api/topics/${x.ids.topic}/interest`),
  w('DELETE /api/topics/{id}/interest', SIGNED_IN, (x) => `/api/topics/${x.ids.topic}/interest`),
  w('POST /api/topics/{id}/workshop', ORGANISERS, (x) => `/api/topics/${x.ids.topic}/workshop`, () => ({ startsAt: '2026-12-22T10:00', timeZone: 'Europe/Lisbon', durationMinutes: 60, languages: ['en'] })),
  w('POST /api/tools', SIGNED_IN, '/api/tools', () => ({ name: `Tool ${Math.random().toString(36).slice(2, 7)}`, description: 'Useful.' })),
  w('POST /api/tools/{id}/proposals', SIGNED_IN, (x) => `/api/tools/${x.ids.tool}/proposals`, () => ({ kind: 'improvement', text: 'Add cards.' })),
  w('POST /api/tools/{id}/uses', ADMIN, (x) => `/api/tools/${x.ids.tool}/uses`, (x) => ({ workshop: x.ids.workshop })),
  w('POST /api/flags', SIGNED_IN, '/api/flags', () => ({ kind: 'page', ref: 'free-page', reason: 'Spam' })),
  w('POST /api/admin/flags/{id}', ADMIN, (x) => `/api/admin/flags/${x.ids.flag}`, () => ({ action: 'close' })),
  w('PUT /api/admin/retention', ADMIN, '/api/admin/retention', () => ({ sessionsDays: 90, outboxDays: 30, readNotificationsDays: 180, auditDays: 365 })),
  w('POST /api/territories', COORDINATION, '/api/territories', () => ({ slug: `ward-${Math.random().toString(36).slice(2, 7)}`, name: 'Ward', kind: 'district', parent: 'town-a' })),
  w('POST /api/territories/{slug}/members/{actor}/decision', COORDINATION, '/api/territories/town-a/members/joiner/decision', () => ({ decision: 'approve' })),
  w('POST /api/pages/{path}/revert', COORDINATION, '/api/pages/territory/town-a/revert', () => ({ revision: 1 })),
  w('POST /api/pages/{path}/comments', SIGNED_IN, '/api/pages/free-page/comments', () => ({ markdown: 'Nice.' })),
  w('PUT /api/pages/{path}/protect', COORDINATION, '/api/pages/territory/town-a/protect', () => ({ protected: true, reason: 'Vandalism' })),
  // A person's own page: no coordinator may lock them out of it.
  w('PUT /api/pages/{path}/protect', ADMIN, '/api/pages/actor/owner-person/protect', () => ({ protected: true })),
  w('PUT /api/pages/{path}', SIGNED_IN, '/api/pages/free-page', () => ({ markdown: `Edited ${Math.random()}` })),
  // A personal page: its owner and, to moderate it, admins; no coordinator, not even of the owner's territory.
  w('PUT /api/pages/{path}', ADMIN, '/api/pages/actor/owner-person', () => ({ markdown: 'Moderated' })),
];

async function check(x: World, c: Case, persona: Persona, failures: string[]) {
  const method = c.route.split(' ')[0];
  const path = c.path(x);
  const before = dataVersion(x.t.db);
  const res = await x.t.json(method, path, c.body?.(x), x.people[persona]);
  const allowed = c.allowed.includes(persona);
  const label = `${c.route} (${path}) as ${persona}: ${res.status}`;
  if (allowed) {
    if (res.status === 401 || res.status === 403 || res.status >= 500) failures.push(`${label}, expected to be allowed: ${await res.text()}`);
    return;
  }
  const expected = persona === 'anonymous' ? [401] : [403, 404];
  if (!expected.includes(res.status)) failures.push(`${label}, expected ${expected.join(' or ')}`);
  else if (!((await res.json()) as Json).error?.code) failures.push(`${label} without the error shape`);
  if (dataVersion(x.t.db) !== before) failures.push(`${label} wrote something though refused`);
}

describe('the authorization matrix of every write route', () => {
  it('covers every write route of the OpenAPI document', async () => {
    const t = await createTreeTestApp();
    const doc = (await (await t.request('/api/openapi.json')).json()) as Json;
    const routes = Object.entries<Json>(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => m !== 'get').map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.filter((r) => !CASES.some((c) => c.route === r))).toEqual([]);
    expect(CASES.filter((c) => !routes.includes(c.route)).map((c) => c.route)).toEqual([]);
  });

  it('refuses whoever may not write, with nothing written, and lets through whoever may', { timeout: 120_000 }, async () => {
    const failures: string[] = [];
    for (const c of CASES) {
      const x = await world();
      for (const persona of PERSONAS) await check(x, c, persona, failures);
    }
    expect(failures).toEqual([]);
  });
});
