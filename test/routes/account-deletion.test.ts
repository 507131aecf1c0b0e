import { describe, expect, it } from 'vitest';
import { createTreeTestApp, publishedCount } from '../helpers.js';

// Leaving for good (issue 8's acceptance for deletion): afterwards login fails, private choices answer
// 404, summaries count fewer choices, pages edited still render with their history attributed to "a
// former member", and registering again with the same e-mail works.

describe('deleting my account', () => {
  it('erases my journal and access, keeps my wiki writing as “a former member”, and frees my e-mail', async () => {
    const t = await createTreeTestApp();
    const me = await t.userWithToken({ name: 'Leaving Person', email: 'leaving@example.org', territory: 'town-a' });
    const others = [];
    for (let i = 0; i < 3; i++) others.push(await t.userWithToken({ territory: 'town-a' }));
    const log = async (auth: Record<string, string>, visibility: string) => {
      const res = await t.json('POST', '/api/choices', { title: `Choice ${visibility}`, madeOn: '2026-10-05', level: 'individual', components: ['A08'], territory: 'town-a', visibility,
        results: [{ observedOn: '2026-10-20', quantity: 5, unit: 'kg' }] }, auth);
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: number }).id;
    };
    const mine = [await log(me.auth, 'private'), await log(me.auth, 'territory'), await log(me.auth, 'public')];
    const theirs: number[] = [];
    for (const other of others) theirs.push(await log(other.auth, 'public'));
    await t.json('PUT', '/api/pages/town-garden', { markdown: 'The garden opens in May.' }, others[0].auth);
    await t.json('PUT', '/api/pages/town-garden', { markdown: 'The garden opens in May. Bring gloves.', summary: 'gloves', baseRevision: 1 }, me.auth);
    await t.json('POST', '/api/pages/town-garden/comments', { markdown: 'See you there!' }, me.auth);
    const { cookie, csrfToken } = await t.loginCookie('leaving@example.org');
    const personal = ((await (await t.request('/api/me', { headers: me.auth })).json()) as { actors: { page: string }[] }).actors[0].page;
    expect((await t.request(`/wiki/${personal}`)).status).toBe(200);
    const summary = async () => ((await (await t.request('/api/summaries?territory=town-a&from=2026-10-01&to=2026-10-31')).json()) as { totals: { choices: number } }).totals.choices;
    expect(await summary()).toBe(await publishedCount(t, 'choice', [...mine, ...theirs]));

    // A wrong password changes nothing.
    const wrong = await t.request('/api/me', { method: 'DELETE', headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' }, body: JSON.stringify({ password: 'not my password' }) });
    expect(wrong.status).toBe(400);
    expect((await t.request(`/api/choices/${mine[0]}`, { headers: me.auth })).status).toBe(200);

    const res = await t.request('/api/me', { method: 'DELETE', headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' }, body: JSON.stringify({ password: 'correct horse battery staple' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ deleted: true, choices: 3 });

    // No way back in, with the password, the session or the token.
    expect((await t.json('POST', '/api/auth/login', { email: 'leaving@example.org', password: 'correct horse battery staple' })).status).toBe(401);
    expect((await t.request('/api/me', { headers: { Cookie: cookie } })).status).toBe(401);
    expect((await t.request('/api/me', { headers: me.auth })).status).toBe(401);
    // My choices are gone, for everyone, and no longer counted.
    for (const id of mine) expect((await t.request(`/api/choices/${id}`, { headers: others[0].auth })).status).toBe(404);
    expect(await summary()).toBe(await publishedCount(t, 'choice', theirs));
    expect(JSON.stringify(await (await t.request('/api/search?q=choice')).json())).not.toContain(`"${mine[2]}"`);
    // What I wrote in the wiki stays, signed "a former member"; nothing of my name is left.
    const history = await (await t.request('/wiki/town-garden?action=history')).text();
    expect(history).toContain('A former member');
    expect(history).not.toContain('Leaving Person');
    const comments = JSON.stringify(await (await t.request('/api/pages/town-garden/comments')).json());
    expect(comments).toContain('See you there!');
    expect(comments).toContain('A former member');
    expect(comments).not.toContain('Leaving Person');
    // Their personal page, named after them, is gone too.
    expect((await t.request(`/wiki/${personal}`)).status).toBe(404);
    expect(JSON.stringify(await (await t.request('/api/search?q=Leaving')).json())).not.toContain('Leaving Person');
    // The address is free again.
    const again = await t.json('POST', '/api/auth/register', { email: 'leaving@example.org', password: 'a brand new passphrase', name: 'Back Again', actorKind: 'citizen' });
    expect(again.status).toBe(202);
    expect(await t.db.selectFrom('user').select('name').where('email', '=', 'leaving@example.org').execute()).toEqual([{ name: 'Back Again' }]);
    const audit = (await (await t.request('/api/admin/audit?action=user.delete', { headers: t.admin.auth })).json()) as { entries: { details: Record<string, unknown> }[] };
    expect(audit.entries[0].details).toMatchObject({ choices: 3, bySelf: true });
    expect(JSON.stringify(audit)).not.toContain('Choice private');
  });

  it('lets an admin delete an account on request, from the page without JavaScript for oneself too', async () => {
    const t = await createTreeTestApp();
    const someone = await t.userWithToken({ name: 'Asked To Go', email: 'asked@example.org' });
    expect((await t.json('DELETE', `/api/admin/users/${someone.user.id}`, { reason: 'Asked by e-mail on 2026-11-29' }, someone.auth)).status).toBe(403);
    expect((await t.json('DELETE', `/api/admin/users/${someone.user.id}`, { reason: 'Asked by e-mail on 2026-11-29' }, t.admin.auth)).status).toBe(200);
    expect((await t.json('POST', '/api/auth/login', { email: 'asked@example.org', password: 'correct horse battery staple' })).status).toBe(401);
    expect((await t.json('DELETE', `/api/admin/users/${someone.user.id}`, { reason: 'again' }, t.admin.auth)).status).toBe(404);

    const self = await t.userWithToken({ name: 'Self Service', email: 'self@example.org' });
    void self;
    const { cookie, csrfToken } = await t.loginCookie('self@example.org');
    const form = (password: string) => ({ method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' }, body: new URLSearchParams({ _csrf: csrfToken, password }) });
    const refused = await t.request('/me/delete', form('wrong one'));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Delete my account');
    const done = await t.request('/me/delete', form('correct horse battery staple'));
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/?deleted=1');
    expect(await (await t.request('/?deleted=1')).text()).toContain('Your account is deleted');
  });
});
