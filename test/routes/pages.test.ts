import { describe, expect, it } from 'vitest';
import { createTestApp, createTreeTestApp } from '../helpers.js';

type Json = Record<string, any>;

describe('wiki pages', () => {
  it('creates a page, numbers its revisions and keeps the history', async () => {
    const { json, request, userWithToken } = await createTestApp();
    const { auth } = await userWithToken({ name: 'Editor' });
    const created = await json('PUT', '/api/pages/community-garden', { title: 'Community garden', markdown: 'We grow *tomatoes*.', summary: 'start' }, auth);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ path: 'community-garden', revision: 1, created: true });
    const edited = await json('PUT', '/api/pages/community-garden', { markdown: 'We grow *tomatoes* and beans.', summary: 'beans', baseRevision: 1 }, auth);
    expect(edited.status).toBe(200);
    const page = (await (await request('/api/pages/community-garden')).json()) as Json;
    expect(page).toMatchObject({ path: 'community-garden', title: 'Community garden', revision: 2, markdown: 'We grow *tomatoes* and beans.' });
    expect(page.html).toContain('<em>tomatoes</em>');
    const history = (await (await request('/api/pages/community-garden/revisions')).json()) as Json;
    expect(history.revisions.map((r: Json) => [r.revision, r.summary, r.author])).toEqual([[2, 'beans', 'Editor'], [1, 'start', 'Editor']]);
    const unchanged = await json('PUT', '/api/pages/community-garden', { markdown: 'We grow *tomatoes* and beans.', baseRevision: 2 }, auth);
    expect(await unchanged.json()).toMatchObject({ revision: 2, changed: false });
  });

  it('answers a stale baseRevision with 409 edit_conflict and what changed, saving nothing', async () => {
    const { json, request, userWithToken } = await createTestApp();
    const alice = await userWithToken({ name: 'Alice' });
    const bruno = await userWithToken({ name: 'Bruno' });
    await json('PUT', '/api/pages/plan', { markdown: 'Meet on Monday.' }, alice.auth);
    await json('PUT', '/api/pages/plan', { markdown: 'Meet on Tuesday.', baseRevision: 1 }, alice.auth);
    const stale = await json('PUT', '/api/pages/plan', { markdown: 'Meet on Monday at noon.', baseRevision: 1 }, bruno.auth);
    expect(stale.status).toBe(409);
    const body = (await stale.json()) as Json;
    expect(body.error.code).toBe('edit_conflict');
    expect(body.error.currentRevision).toBe(2);
    expect(body.error.currentMarkdown).toBe('Meet on Tuesday.');
    expect(body.error.changesSinceBase.map((c: Json) => c.author)).toEqual(['Alice']);
    expect(body.error.diff).toEqual([{ type: 'same', text: 'Meet on ' }, { type: 'removed', text: 'Monday' }, { type: 'added', text: 'Tuesday' }, { type: 'same', text: '.' }]);
    const page = (await (await request('/api/pages/plan')).json()) as Json;
    expect(page.revision).toBe(2);
    const newPageTaken = await json('PUT', '/api/pages/plan', { markdown: 'x', baseRevision: 0 }, bruno.auth);
    expect(newPageTaken.status).toBe(409);
  });

  it('diffs two revisions word by word and reverts', async () => {
    const { json, request, userWithToken } = await createTestApp();
    const coordinator = await userWithToken({ role: 'admin' });
    const member = await userWithToken();
    await json('PUT', '/api/pages/notes', { markdown: 'The quick brown fox' }, member.auth);
    await json('PUT', '/api/pages/notes', { markdown: 'The slow brown fox jumps', baseRevision: 1 }, member.auth);
    const diff = (await (await request('/api/pages/notes/diff?from=1&to=2')).json()) as Json;
    expect(diff.parts).toEqual([
      { type: 'same', text: 'The ' }, { type: 'removed', text: 'quick' }, { type: 'added', text: 'slow' },
      { type: 'same', text: ' brown fox' }, { type: 'added', text: ' jumps' },
    ]);
    expect(diff.stats).toEqual({ wordsAdded: 2, wordsRemoved: 1 });
    expect((await request('/api/pages/notes/diff?from=1&to=9')).status).toBe(404);
    const denied = await json('POST', '/api/pages/notes/revert', { revision: 1 }, member.auth);
    expect(denied.status).toBe(403);
    const reverted = await json('POST', '/api/pages/notes/revert', { revision: 1 }, coordinator.auth);
    expect(reverted.status).toBe(200);
    const page = (await (await request('/api/pages/notes')).json()) as Json;
    expect(page).toMatchObject({ revision: 3, markdown: 'The quick brown fox', summary: 'Reverted to revision 1' });
  });

  it('lets only the owner (or an admin) edit a personal page, and the owner revert it', async () => {
    const { json, userWithToken } = await createTestApp();
    const owner = await userWithToken({ name: 'Owner Person' });
    const other = await userWithToken({ name: 'Someone Else' });
    const admin = await userWithToken({ name: 'The Admin', role: 'admin' });
    expect((await json('PUT', '/api/pages/actor/owner-person', { markdown: 'hijack' }, other.auth)).status).toBe(403);
    expect((await json('PUT', '/api/pages/actor/owner-person', { markdown: 'Mine', baseRevision: 1 }, owner.auth)).status).toBe(200);
    expect((await json('PUT', '/api/pages/actor/owner-person', { markdown: 'Moderated', baseRevision: 2 }, admin.auth)).status).toBe(200);
    expect((await json('POST', '/api/pages/actor/owner-person/revert', { revision: 2 }, owner.auth)).status).toBe(200);
    expect((await json('PUT', '/api/pages/actor/nobody', { markdown: 'x' }, other.auth)).status).toBe(403);
  });

  it('requires login to edit, protects pages for moderators only', async () => {
    const { json, userWithToken } = await createTestApp();
    expect((await json('PUT', '/api/pages/open', { markdown: 'x' })).status).toBe(401);
    const member = await userWithToken();
    const admin = await userWithToken({ role: 'admin' });
    await json('PUT', '/api/pages/open', { markdown: 'x' }, member.auth);
    expect((await json('PUT', '/api/pages/open/protect', { protected: true }, member.auth)).status).toBe(403);
    expect((await json('PUT', '/api/pages/open/protect', { protected: true }, admin.auth)).status).toBe(200);
    expect((await json('PUT', '/api/pages/open', { markdown: 'y' }, member.auth)).status).toBe(403);
    expect((await json('PUT', '/api/pages/open', { markdown: 'y' }, admin.auth)).status).toBe(200);
  });

  it('gives coordinators moderation of their own territories’ pages only, and nobody but admins a person’s page', async () => {
    const t = await createTreeTestApp();
    const member = await t.userWithToken({ name: 'Owner Person', territory: 'town-a' });
    const regional = await t.userWithToken({ role: 'coordinator', territory: 'region-x' });
    const foreign = await t.userWithToken({ role: 'coordinator', territory: 'south' });
    const protect = (path: string, auth: Record<string, string>, reason?: string) => t.json('PUT', `/api/pages/${path}/protect`, { protected: true, reason }, auth);
    // Another territory's page: refused, and so are reverting it and editing it once protected.
    await t.json('PUT', '/api/pages/territory/town-a', { markdown: 'Town A, by its people.' }, member.auth);
    expect((await protect('territory/town-a', foreign.auth)).status).toBe(403);
    expect((await t.json('POST', '/api/pages/territory/town-a/revert', { revision: 1 }, foreign.auth)).status).toBe(403);
    // A territory below the one they coordinate: theirs to moderate, with the reason in the audit log.
    expect((await protect('territory/town-a', regional.auth, 'vandalised twice this week')).status).toBe(200);
    expect((await t.json('PUT', '/api/pages/territory/town-a', { markdown: 'defaced' }, foreign.auth)).status).toBe(403);
    expect((await t.json('PUT', '/api/pages/territory/town-a', { markdown: 'Mended.' }, regional.auth)).status).toBe(200);
    const audit = (await (await t.request('/api/admin/audit', { headers: t.admin.auth })).json()) as Json;
    expect(audit.entries.find((e: Json) => e.action === 'page.protect')).toMatchObject({ target: 'page/territory/town-a', details: { reason: 'vandalised twice this week' } });
    // A member's personal page cannot be locked by any coordinator, even of the member's territory.
    for (const coordinator of [regional, foreign]) expect((await protect('actor/owner-person', coordinator.auth)).status).toBe(403);
    expect((await t.json('PUT', '/api/pages/actor/owner-person', { markdown: 'Still mine', baseRevision: 1 }, member.auth)).status).toBe(200);
    expect((await protect('actor/owner-person', t.admin.auth, 'court order')).status).toBe(200);
    // A page of no territory belongs to the whole network: admins moderate it.
    await t.json('PUT', '/api/pages/free-page', { markdown: 'x' }, member.auth);
    expect((await protect('free-page', regional.auth)).status).toBe(403);
    const permissions = (await (await t.request('/api/pages/territory/town-a', { headers: foreign.auth })).json()) as Json;
    expect(permissions.permissions).toMatchObject({ edit: false, revert: false, protect: false });
  });

  it('records wiki links: backlinks, and red links for missing pages', async () => {
    const { json, request, userWithToken } = await createTestApp();
    const { auth } = await userWithToken();
    await json('PUT', '/api/pages/home-base', { markdown: 'See [[Jardin partagé]] and [[Mobility|getting around]].' }, auth);
    await json('PUT', '/api/pages/mobility', { markdown: 'Bikes.' }, auth);
    const page = (await (await request('/api/pages/home-base')).json()) as Json;
    expect(page.html).toContain('href="/wiki/jardin-partag%C3%A9" class="wikilink new"');
    expect(page.html).toContain('href="/wiki/mobility" class="wikilink" data-wikilink="mobility">getting around</a>');
    const back = (await (await request('/api/pages/mobility/backlinks')).json()) as Json;
    expect(back.backlinks).toEqual([{ path: 'home-base', title: 'Home base' }]);
  });

  it('lists recent changes newest first and takes comments', async () => {
    const { json, request, userWithToken, clock } = await createTestApp();
    const { auth } = await userWithToken({ name: 'Writer' });
    await json('PUT', '/api/pages/first', { markdown: 'one' }, auth);
    clock.advance(60_000);
    await json('PUT', '/api/pages/second', { markdown: 'two' }, auth);
    const changes = (await (await request('/api/recent-changes?limit=2')).json()) as Json;
    expect(changes.changes.map((c: Json) => c.path)).toEqual(['second', 'first']);
    expect((await json('POST', '/api/pages/first/comments', { markdown: 'Nice **idea**' }, auth)).status).toBe(201);
    const comments = (await (await request('/api/pages/first/comments')).json()) as Json;
    expect(comments.comments[0]).toMatchObject({ author: 'Writer', html: '<p>Nice <strong>idea</strong></p>\n' });
  });

  it('renders no script, event handler or dangerous URL from hostile markdown', async () => {
    const { json, request, userWithToken } = await createTestApp();
    const { auth } = await userWithToken();
    const hostile = [
      '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[click](javascript:alert(1))', '[data](data:text/html;base64,PHNjcmlwdD4=)',
      '![img](javascript:alert(1))', '[x](JaVaScRiPt:alert(1))', '[[<script>alert(1)</script>]]', '<a href="javascript:alert(1)">a</a>', '[v](vbscript:msgbox)',
      '[sp](java\tscript:alert(1))',
    ].join('\n\n');
    await json('PUT', '/api/pages/hostile', { title: '<script>alert(1)</script>', markdown: hostile }, auth);
    const page = (await (await request('/api/pages/hostile')).json()) as Json;
    expect(page.html).not.toMatch(/<script|<img[^>]*onerror|href="(javascript|data|vbscript):/i);
    const html = await (await request('/wiki/hostile')).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('canonicalises paths and rejects reserved ones', async () => {
    const { json, request, userWithToken } = await createTestApp();
    const { auth } = await userWithToken();
    const res = await json('PUT', '/api/pages/Hello%20World', { markdown: 'x' }, auth);
    expect(await res.json()).toMatchObject({ path: 'hello-world' });
    expect((await request('/api/pages/hello-world')).status).toBe(200);
    expect((await json('PUT', '/api/pages/foo/revisions', { markdown: 'x' }, auth)).status).toBe(400);
    expect((await request('/api/pages/nowhere')).status).toBe(404);
    const redirect = await request('/wiki/Hello%20World');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/wiki/hello-world');
  });
});

describe('anonymous reads served from memory', () => {
  it('serve the same page again until it changes, never to a signed-in reader, and revalidate with 304', async () => {
    const t = await createTestApp();
    const { auth } = await t.userWithToken();
    await t.json('PUT', '/api/pages/cached-garden', { markdown: 'We grow *tomatoes*.' }, auth);
    const first = await t.request('/api/pages/cached-garden');
    expect(first.headers.get('x-cache')).toBeNull();
    const second = await t.request('/api/pages/cached-garden');
    expect(second.headers.get('x-cache')).toBe('hit');
    const body = await second.json();
    expect(body.html).toContain('<em>tomatoes</em>');
    expect(second.headers.get('content-security-policy')).toContain("default-src 'self'");
    const etag = second.headers.get('etag')!;
    const revalidated = await t.request('/api/pages/cached-garden', { headers: { 'If-None-Match': etag } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    expect((await t.request('/wiki/cached-garden', { headers: { 'Accept-Language': 'fr' } })).headers.get('content-language') ?? 'fr').toBeTruthy();
    await t.request('/wiki/cached-garden');
    const html = await t.request('/wiki/cached-garden');
    expect(html.headers.get('x-cache')).toBe('hit');

    await t.json('PUT', '/api/pages/cached-garden', { markdown: 'We grow *beans*.', baseRevision: 1 }, auth);
    const fresh = await t.request('/api/pages/cached-garden');
    expect(fresh.headers.get('x-cache')).toBeNull();
    expect((await fresh.json()).html).toContain('<em>beans</em>');
    expect(await (await t.request('/wiki/cached-garden')).text()).toContain('<em>beans</em>');

    // Languages are kept apart; signed-in readers always get a fresh rendering.
    const french = await (await t.request('/wiki/cached-garden', { headers: { 'Accept-Language': 'fr' } })).text();
    expect(french).toContain('lang="fr"');
    await t.request('/api/pages/cached-garden', { headers: auth });
    expect((await t.request('/api/pages/cached-garden', { headers: auth })).headers.get('x-cache')).toBeNull();
  });
});
