import { describe, expect, it } from 'vitest';
import { createTreeTestApp } from '../helpers.js';

// Reports and the moderators' queue: readers report what they can see; admins hide comments and
// choices (a choice becomes private to its author) or close reports; pages are mended with revert.

describe('reporting content', () => {
  it('lets readers report what they see, and admins hide it or close the report', async () => {
    const t = await createTreeTestApp();
    const author = await t.userWithToken({ name: 'Author', territory: 'town-a' });
    const reader = await t.userWithToken({ name: 'Reader', territory: 'town-b' });
    await t.json('PUT', '/api/pages/market', { markdown: 'Saturday market.' }, author.auth);
    const comment = (await (await t.json('POST', '/api/pages/market/comments', { markdown: 'Buy cheap pills at spam.example' }, author.auth)).json()) as { id: number };
    const choice = (await (await t.json('POST', '/api/choices', { title: 'Visit spam.example', madeOn: '2026-10-01', level: 'individual', components: ['A08'], territory: 'town-a', visibility: 'public' }, author.auth)).json()) as { id: number };
    const secret = (await (await t.json('POST', '/api/choices', { title: 'My secret', madeOn: '2026-10-01', level: 'individual', components: ['A08'], territory: 'town-a' }, author.auth)).json()) as { id: number };

    // Anonymous readers cannot report; nobody reports what they cannot see; reporting twice changes nothing.
    expect((await t.json('POST', '/api/flags', { kind: 'comment', ref: String(comment.id), reason: 'spam' })).status).toBe(401);
    expect((await t.json('POST', '/api/flags', { kind: 'choice', ref: String(secret.id), reason: 'curious' }, reader.auth)).status).toBe(404);
    expect((await t.json('POST', '/api/flags', { kind: 'page', ref: 'no-such-page', reason: 'x' }, reader.auth)).status).toBe(404);
    expect((await t.json('POST', '/api/flags', { kind: 'comment', ref: String(comment.id), reason: '  ' }, reader.auth)).status).toBe(400);
    const first = await t.json('POST', '/api/flags', { kind: 'comment', ref: String(comment.id), reason: 'Spam link' }, reader.auth);
    expect(first.status).toBe(201);
    expect((await t.json('POST', '/api/flags', { kind: 'comment', ref: String(comment.id), reason: 'Spam link' }, reader.auth)).status).toBe(200);
    expect((await t.json('POST', '/api/flags', { kind: 'choice', ref: String(choice.id), reason: 'Advert' }, reader.auth)).status).toBe(201);
    expect((await t.json('POST', '/api/flags', { kind: 'page', ref: 'Market', reason: 'Wrong day' }, reader.auth)).status).toBe(201);

    // The queue is for admins only.
    expect((await t.request('/api/admin/flags', { headers: reader.auth })).status).toBe(403);
    const queue = (await (await t.request('/api/admin/flags', { headers: t.admin.auth })).json()) as { flags: { id: number; kind: string; reason: string; reporter: string; excerpt: string; url: string }[] };
    expect(queue.flags.map((f) => f.kind)).toEqual(['page', 'choice', 'comment']);
    expect(queue.flags.find((f) => f.kind === 'comment')).toMatchObject({ reason: 'Spam link', reporter: 'Reader', url: `/wiki/market#comment-${comment.id}` });

    // Hide the comment: gone from the page and the API, for everyone.
    const commentFlag = queue.flags.find((f) => f.kind === 'comment')!;
    expect((await t.json('POST', `/api/admin/flags/${commentFlag.id}`, { action: 'hide' }, reader.auth)).status).toBe(403);
    expect((await t.json('POST', `/api/admin/flags/${commentFlag.id}`, { action: 'hide' }, t.admin.auth)).status).toBe(200);
    expect(await (await t.request('/wiki/market')).text()).not.toContain('spam.example');
    expect(JSON.stringify(await (await t.request('/api/pages/market/comments')).json())).not.toContain('spam.example');

    // Hide the choice: private to its author from now on, out of search.
    const choiceFlag = queue.flags.find((f) => f.kind === 'choice')!;
    expect((await t.json('POST', `/api/admin/flags/${choiceFlag.id}`, { action: 'hide' }, t.admin.auth)).status).toBe(200);
    expect((await t.request(`/api/choices/${choice.id}`, { headers: reader.auth })).status).toBe(404);
    expect((await t.request(`/api/choices/${choice.id}`)).status).toBe(404);
    expect((await t.request(`/api/choices/${choice.id}`, { headers: author.auth })).status).toBe(200);
    expect(JSON.stringify(await (await t.request('/api/search?q=spam')).json())).not.toContain('Visit spam');
    const history = await (await t.request(`/choices/${choice.id}/history`, { headers: author.auth })).text();
    expect(history).toContain('Hidden by a moderator');

    // Pages are mended with revert: hiding is refused, closing works.
    const pageFlag = queue.flags.find((f) => f.kind === 'page')!;
    expect((await t.json('POST', `/api/admin/flags/${pageFlag.id}`, { action: 'hide' }, t.admin.auth)).status).toBe(409);
    expect((await t.json('POST', `/api/admin/flags/${pageFlag.id}`, { action: 'close' }, t.admin.auth)).status).toBe(200);
    expect(((await (await t.request('/api/admin/flags', { headers: t.admin.auth })).json()) as { flags: unknown[] }).flags).toEqual([]);
    const all = (await (await t.request('/api/admin/flags?status=all', { headers: t.admin.auth })).json()) as { flags: { resolution: string }[] };
    expect(all.flags.map((f) => f.resolution).sort()).toEqual(['closed', 'hidden', 'hidden']);
    const audit = (await (await t.request('/api/admin/audit', { headers: t.admin.auth })).json()) as { entries: { action: string }[] };
    expect(audit.entries.slice(0, 3).map((e) => e.action)).toEqual(['report.close', 'content.hide', 'content.hide']);
  });

  it('works from the pages without JavaScript: report a comment, then hide it from the queue', async () => {
    const t = await createTreeTestApp();
    const author = await t.userWithToken({ name: 'Author' });
    const reader = await t.userWithToken({ name: 'Reader', email: 'reader@example.org' });
    await t.json('PUT', '/api/pages/market', { markdown: 'Saturday market.' }, author.auth);
    const comment = (await (await t.json('POST', '/api/pages/market/comments', { markdown: 'Rude words here' }, author.auth)).json()) as { id: number };
    const { cookie, csrfToken } = await t.loginCookie('reader@example.org');
    const page = await (await t.request('/wiki/market', { headers: { Cookie: cookie } })).text();
    expect(page).toContain('Report this comment');
    expect(await (await t.request('/wiki/market')).text()).not.toContain('Report this comment');
    const form = new URLSearchParams({ _csrf: csrfToken, kind: 'comment', ref: String(comment.id), reason: 'Rude', next: '/wiki/market' });
    const sent = await t.request('/flags', { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' }, body: form });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/wiki/market?reported=1');
    expect(await (await t.request('/wiki/market?reported=1', { headers: { Cookie: cookie } })).text()).toContain('the moderators will look at it');
    const admin = await t.loginCookie(t.admin.user.email);
    const queue = await (await t.request('/admin/flags', { headers: { Cookie: admin.cookie } })).text();
    expect(queue).toContain('Rude');
    const flagId = /action="\/admin\/flags\/(\d+)"/.exec(queue)![1];
    const hidden = await t.request(`/admin/flags/${flagId}`, { method: 'POST', headers: { Cookie: admin.cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' }, body: new URLSearchParams({ _csrf: admin.csrfToken, action: 'hide' }) });
    expect(hidden.status).toBe(303);
    expect(await (await t.request('/wiki/market')).text()).not.toContain('Rude words');
    void reader;
  });
});
