import { describe, expect, it } from 'vitest';
import { countRows, createTreeTestApp, type TestApp } from '../helpers.js';
import { sendDueNotifications } from '../../src/services/notification-delivery.js';

// Issue 8: watch what matters, hear of it in the app, by e-mail (at once or in digests, with one-click
// unsubscribe links that need no login and cannot be forged) and in a personal feed.

type Auth = Record<string, string>;
type Notices = { notifications: { id: number; kind: string; category: string; text: string; url: string; read: boolean }[]; unread: number };

const notices = async (t: TestApp, auth: Auth) => (await (await t.request('/api/me/notifications', { headers: auth })).json()) as Notices;
const logChoice = async (t: TestApp, auth: Auth, visibility: string, territory = 'town-a', components = ['A08']) => {
  const res = await t.json('POST', '/api/choices', { title: `A ${visibility} choice`, madeOn: '2026-11-01', level: 'individual', components, territory, visibility }, auth);
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
};
const watch = (t: TestApp, auth: Auth, body: Record<string, unknown>) => t.json('POST', '/api/me/watchlist', body, auth);
const outbox = (t: TestApp) => t.db.selectFrom('outbox').selectAll().orderBy('id').execute();

describe('watchlists and notifications', () => {
  it('a public choice in a child territory tells the watcher of the parent once, nobody else, and never for a private or territory choice', async () => {
    const t = await createTreeTestApp();
    const watcher = await t.userWithToken({ name: 'Watcher' });
    const bystander = await t.userWithToken({ name: 'Bystander' });
    const author = await t.userWithToken({ name: 'Author', territory: 'town-a' });
    expect((await watch(t, watcher.auth, { kind: 'territory', target: 'region-x' })).status).toBe(201);
    // Watching the component as well still makes one notification per change.
    expect((await watch(t, watcher.auth, { kind: 'component', target: 'a08' })).status).toBe(201);

    await logChoice(t, author.auth, 'private');
    await logChoice(t, author.auth, 'territory');
    expect((await notices(t, watcher.auth)).notifications).toHaveLength(0);

    const id = await logChoice(t, author.auth, 'public');
    const mine = await notices(t, watcher.auth);
    expect(mine.notifications).toHaveLength(1);
    expect(mine.notifications[0]).toMatchObject({ kind: 'watch.choiceLogged', category: 'territory', url: `/choices/${id}`, read: false });
    expect(mine.notifications[0].text).toContain('Town A');
    expect(mine.unread).toBe(1);
    expect((await notices(t, bystander.auth)).notifications).toHaveLength(0);
    // The author is not told of their own choice, even when watching.
    await watch(t, author.auth, { kind: 'territory', target: 'town-a' });
    await logChoice(t, author.auth, 'public');
    expect((await notices(t, author.auth)).notifications).toHaveLength(0);
    expect((await notices(t, watcher.auth)).notifications).toHaveLength(2);

    // A private choice made public later is news then.
    const later = await logChoice(t, author.auth, 'private', 'town-b');
    expect((await notices(t, watcher.auth)).notifications).toHaveLength(2);
    expect((await t.json('PATCH', `/api/choices/${later}`, { visibility: 'public' }, author.auth)).status).toBe(200);
    expect((await notices(t, watcher.auth)).notifications).toHaveLength(3);
  });

  it('watches pages, groups, workshops and charters, validates targets, expires, and lists with unread counts', async () => {
    const t = await createTreeTestApp();
    const me = await t.userWithToken({ name: 'Me' });
    const editor = await t.userWithToken({ name: 'Editor', role: 'facilitator', territory: 'town-a' });
    await t.json('PUT', '/api/pages/garden', { markdown: 'The garden.' }, editor.auth);

    expect((await watch(t, me.auth, { kind: 'planet', target: 'x' })).status).toBe(400);
    expect((await watch(t, me.auth, { kind: 'page', target: 'no-such-page' })).status).toBe(404);
    expect((await watch(t, me.auth, { kind: 'territory', target: 'atlantis' })).status).toBe(404);
    expect((await watch(t, me.auth, { kind: 'component', target: 'Z99' })).status).toBe(404);
    expect((await watch(t, me.auth, { kind: 'group', target: '999' })).status).toBe(404);
    expect((await watch(t, me.auth, { kind: 'page', target: 'garden', expiresAt: '2020-01-01' })).status).toBe(400);
    expect((await watch(t, me.auth, { kind: 'page', target: 'garden', expiresAt: 'soon' })).status).toBe(400);
    expect(await countRows(t, 'watch')).toBe(0);
    expect((await t.request('/api/me/watchlist')).status).toBe(401);

    const page = await watch(t, me.auth, { kind: 'page', target: 'Garden' });
    expect(page.status).toBe(201);
    const pageWatch = (await page.json()) as { id: number; target: string; url: string };
    expect(pageWatch).toMatchObject({ target: 'garden', url: '/wiki/garden' });
    expect((await watch(t, me.auth, { kind: 'page', target: 'garden', expiresAt: '2026-12-31' })).status).toBe(200);

    const group = await t.json('POST', '/api/groups', { name: 'Elders', kind: 'homogeneous', territory: 'town-a' }, editor.auth);
    const groupId = ((await group.json()) as { id: number }).id;
    expect((await watch(t, me.auth, { kind: 'group', target: groupId })).status).toBe(201);
    const workshop = await t.json('POST', '/api/workshops', { title: 'Mobility', startsAt: '2026-12-10T18:00', durationMinutes: 90, timeZone: 'Europe/Paris', languages: ['fr'] }, editor.auth);
    const workshopId = ((await workshop.json()) as { id: number }).id;
    expect((await watch(t, me.auth, { kind: 'workshop', target: String(workshopId), expiresAt: '2026-11-25' })).status).toBe(201);

    await t.json('PUT', '/api/pages/garden', { markdown: 'The garden, open in May.', baseRevision: 1 }, editor.auth);
    await t.json('POST', `/api/groups/${groupId}/statements`, { question: 'wellbeing', text: 'Meeting the neighbours in the garden.' }, editor.auth);
    await t.json('PUT', `/api/workshops/${workshopId}/conclusions`, { markdown: 'We agreed on car sharing.' }, editor.auth);
    const kinds = (await notices(t, me.auth)).notifications.map((n) => n.kind);
    expect(kinds).toEqual(['watch.pageEdited', 'watch.statementRecorded', 'watch.pageEdited']);

    const list = (await (await t.request('/api/me/watchlist', { headers: me.auth })).json()) as { watchlist: { id: number; kind: string; unread: number; expiresAt: string | null }[] };
    expect(list.watchlist.map((w) => [w.kind, w.unread])).toEqual([['workshop', 1], ['group', 1], ['page', 1]]);
    expect(list.watchlist.find((w) => w.kind === 'page')!.expiresAt).toBe('2026-12-31T23:59:59.999Z');

    // Past its expiry, a watch says nothing and leaves the list.
    (t.clock as unknown as { advance(ms: number): void }).advance(4 * 86_400_000);
    await t.json('PATCH', `/api/workshops/${workshopId}`, { title: 'Mobility together' }, editor.auth);
    expect((await notices(t, me.auth)).notifications).toHaveLength(3);
    const after = (await (await t.request('/api/me/watchlist', { headers: me.auth })).json()) as { watchlist: { kind: string }[] };
    expect(after.watchlist.map((w) => w.kind)).toEqual(['group', 'page']);

    // Mark one read, then all; only my own watches can be removed.
    const first = (await notices(t, me.auth)).notifications[0];
    expect(await (await t.json('POST', '/api/me/notifications/read', { ids: [first.id] }, me.auth)).json()).toEqual({ marked: 1, unread: 2 });
    expect(await (await t.json('POST', '/api/me/notifications/read', {}, me.auth)).json()).toEqual({ marked: 2, unread: 0 });
    expect((await t.request(`/api/me/watchlist/${pageWatch.id}`, { method: 'DELETE', headers: editor.auth })).status).toBe(404);
    expect((await t.request(`/api/me/watchlist/${pageWatch.id}`, { method: 'DELETE', headers: me.auth })).status).toBe(204);
    expect((await t.request(`/api/me/watchlist/${pageWatch.id}`, { method: 'DELETE', headers: me.auth })).status).toBe(404);
  });

  it('e-mails at once, in digests or never, with unsubscribe links that work without login and cannot be forged', async () => {
    const t = await createTreeTestApp();
    const me = await t.userWithToken({ name: 'Reader', email: 'reader@example.org' });
    const other = await t.userWithToken({ name: 'Other', email: 'other@example.org' });
    const author = await t.userWithToken({ name: 'Author', territory: 'town-a' });
    await watch(t, me.auth, { kind: 'territory', target: 'town-a' });
    await watch(t, other.auth, { kind: 'territory', target: 'town-a' });
    expect((await t.json('PUT', '/api/me/notification-settings', { frequencies: { territory: 'immediate' } }, me.auth)).status).toBe(200);
    expect((await t.json('PUT', '/api/me/notification-settings', { frequencies: { territory: 'hourly' } }, me.auth)).status).toBe(400);
    const mailsBefore = (await outbox(t)).length;
    await logChoice(t, author.auth, 'public');

    // Immediately for me; the other reader's daily digest (the default for territories) goes out too,
    // being the first; after that, at most one a day.
    expect(await sendDueNotifications(t.deps)).toBe(2);
    let mails = (await outbox(t)).slice(mailsBefore);
    expect(mails.map((m) => m.to_address).sort()).toEqual(['other@example.org', 'reader@example.org']);
    const mail = mails.find((m) => m.to_address === 'reader@example.org')!;
    expect(mail.subject).toContain('1 new notification');
    expect(mail.body).toContain('New public choice in Town A');
    const headers = JSON.parse(mail.headers!) as Record<string, string>;
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const link = /http:\/\/[^\s]+\/unsubscribe\/(\S+)/.exec(mail.body)![0];
    expect(headers['List-Unsubscribe']).toBe(`<${link}>`);
    expect(await sendDueNotifications(t.deps)).toBe(0);
    await logChoice(t, author.auth, 'public');
    expect(await sendDueNotifications(t.deps)).toBe(1);
    (t.clock as unknown as { advance(ms: number): void }).advance(86_400_000);
    expect(await sendDueNotifications(t.deps)).toBe(1);
    mails = (await outbox(t)).slice(mailsBefore);
    expect(mails.map((m) => m.to_address)).toEqual(['reader@example.org', 'other@example.org', 'reader@example.org', 'other@example.org']);
    expect(mails[3].body).toContain('since yesterday');

    // Forged links change nothing: another id with my signature, a made-up signature, another category.
    const path = new URL(link).pathname;
    const token = path.split('/').pop()!;
    const [userId, scope, signature] = token.split('.');
    for (const forged of [`${other.user.id}.${scope}.${signature}`, `${userId}.${scope}.${'A'.repeat(43)}`, `${userId}.all.${signature}`, 'nonsense', `${userId}.${scope}`]) {
      const res = await t.request(`/unsubscribe/${forged}`);
      expect(res.status).toBe(400);
      expect((await t.json('POST', '/api/unsubscribe', { token: forged })).status).toBe(400);
    }
    const settings = async (auth: Auth) => ((await (await t.request('/api/me/notification-settings', { headers: auth })).json()) as { frequencies: Record<string, string> }).frequencies;
    expect((await settings(me.auth)).territory).toBe('immediate');
    expect((await settings(other.auth)).territory).toBe('daily');

    // The real link, without any login: done, and the page offers to undo it.
    const res = await t.request(path);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/undo');
    expect((await settings(me.auth)).territory).toBe('never');
    expect((await settings(me.auth)).participation).toBe('immediate');
    await logChoice(t, author.auth, 'public');
    expect(await sendDueNotifications(t.deps)).toBe(0);
    // Still in the app.
    expect((await notices(t, me.auth)).notifications).toHaveLength(3);
    // Undo, then the mail client's one-click POST (no cookie, no CSRF token, from elsewhere).
    expect((await t.request(`${path}/undo`, { method: 'POST' })).status).toBe(200);
    expect((await settings(me.auth)).territory).toBe('daily');
    const oneClick = await t.request(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://mail.example.com' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);
    expect((await settings(me.auth)).territory).toBe('never');
    // What I already read in the app is not mailed again.
    await t.json('PUT', '/api/me/notification-settings', { frequencies: { territory: 'immediate' } }, me.auth);
    await logChoice(t, author.auth, 'public');
    await t.json('POST', '/api/me/notifications/read', {}, me.auth);
    expect(await sendDueNotifications(t.deps)).toBe(0);
    await logChoice(t, author.auth, 'public');
    expect(await sendDueNotifications(t.deps)).toBe(1);
    expect((await outbox(t)).at(-1)!.body).not.toContain('/me/settings#');
  });

  it('keeps a personal Atom feed at a secret address that can be renewed and revoked', async () => {
    const t = await createTreeTestApp();
    const me = await t.userWithToken({ name: 'Feed Reader' });
    const author = await t.userWithToken({ name: 'Author', territory: 'town-a' });
    await watch(t, me.auth, { kind: 'territory', target: 'region-x' });
    await logChoice(t, author.auth, 'public');
    const created = await t.request('/api/me/notifications/feed', { method: 'POST', headers: me.auth });
    expect(created.status).toBe(201);
    const { url } = (await created.json()) as { url: string };
    const path = new URL(url).pathname;
    const feed = await t.request(path);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toContain('application/atom+xml');
    expect(feed.headers.get('cache-control')).toContain('no-store');
    expect(await feed.text()).toContain('New public choice in Town A');
    const renewed = ((await (await t.request('/api/me/notifications/feed', { method: 'POST', headers: me.auth })).json()) as { url: string }).url;
    expect((await t.request(path)).status).toBe(404);
    expect((await t.request(new URL(renewed).pathname)).status).toBe(200);
    expect((await t.request('/api/me/notifications/feed', { method: 'DELETE', headers: me.auth })).status).toBe(204);
    expect((await t.request(new URL(renewed).pathname)).status).toBe(404);
  });

  it('works without JavaScript: watch button, bell with the unread count, pages that mark what is new', async () => {
    const t = await createTreeTestApp();
    const me = await t.userWithToken({ name: 'Browser', email: 'browser@example.org' });
    const author = await t.userWithToken({ name: 'Author', territory: 'town-a' });
    const { cookie, csrfToken } = await t.loginCookie('browser@example.org');
    const html = async (path: string) => (await t.request(path, { headers: { Cookie: cookie } })).text();
    const form = (path: string, fields: Record<string, string>) => t.request(path, {
      method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrfToken, ...fields }).toString(),
    });
    const territory = await html('/territories/region-x');
    expect(territory).toContain('action="/me/watchlist"');
    const watched = await form('/me/watchlist', { kind: 'territory', target: 'region-x', months: '3', next: '/territories/region-x' });
    expect(watched.status).toBe(303);
    expect(watched.headers.get('location')).toBe('/territories/region-x');
    expect(await html('/territories/region-x')).toContain('Stop watching');
    expect((await form('/me/watchlist', { kind: 'territory', target: 'nowhere' })).status).toBe(404);

    await logChoice(t, author.auth, 'public');
    const page = await html('/me/watchlist');
    expect(page).toMatch(/class="badge"><span aria-hidden="true">1<\/span><span class="visually-hidden">1 unread/);
    expect(page).toContain('class="unread"');
    expect(page).toContain('Region X');
    // The visit read them: next time nothing is new and the bell is quiet.
    const again = await html('/me/notifications');
    expect(again).not.toContain('class="unread"');
    expect(again).not.toMatch(/class="badge"><span aria-hidden="true">/);
    expect((await notices(t, me.auth)).unread).toBe(0);

    // The journal's "mark all as read" comes back to the journal.
    await logChoice(t, author.auth, 'public');
    expect(await html('/me')).toContain('action="/me/notifications/read"');
    const marked = await form('/me/notifications/read', { next: '/me' });
    expect(marked.status).toBe(303);
    expect(marked.headers.get('location')).toBe('/me');
    expect((await notices(t, me.auth)).unread).toBe(0);

    const saved = await form('/me/notifications/settings', { territory: 'weekly', participation: 'never' });
    expect(saved.status).toBe(200);
    const frequencies = ((await (await t.request('/api/me/notification-settings', { headers: me.auth })).json()) as { frequencies: Record<string, string> }).frequencies;
    expect(frequencies).toMatchObject({ territory: 'weekly', participation: 'never', page: 'immediate' });
    expect((await form('/me/notifications/settings', { territory: 'sometimes' })).status).toBe(400);
  });
});

describe('notifications keep to what is still public, and reach everyone due', () => {
  it('forgets a choice once it is no longer public, and the name of someone who left', async () => {
    const t = await createTreeTestApp();
    const watcher = await t.userWithToken({ name: 'Watcher' });
    const author = await t.userWithToken({ name: 'Alice Author', email: 'alice@example.org', territory: 'town-a' });
    await watch(t, watcher.auth, { kind: 'territory', target: 'TOWN-A' });
    await t.json('PUT', '/api/pages/garden', { markdown: 'The garden.' }, watcher.auth);
    await watch(t, watcher.auth, { kind: 'page', target: '/Wiki/garden' });
    const id = await logChoice(t, author.auth, 'public');
    expect((await t.json('POST', `/api/choices/${id}/results`, { observedOn: '2026-11-10', quantity: 3, unit: 'km' }, author.auth)).status).toBe(201);
    await t.json('PUT', '/api/pages/garden', { markdown: 'The garden, in May.', baseRevision: 1 }, author.auth);
    expect((await t.json('POST', '/api/pages/garden/comments', { markdown: 'Lovely.' }, author.auth)).status).toBe(201);
    const kinds = (await notices(t, watcher.auth)).notifications.map((n) => n.kind);
    expect(kinds).toEqual(['watch.commentAdded', 'watch.pageEdited', 'watch.resultAdded', 'watch.choiceLogged']);

    // Made private: its title leaves the watcher's notifications, feed and export.
    expect((await t.json('PATCH', `/api/choices/${id}`, { visibility: 'private' }, author.auth)).status).toBe(200);
    const after = await notices(t, watcher.auth);
    expect(after.notifications.map((n) => n.kind)).toEqual(['watch.commentAdded', 'watch.pageEdited']);
    expect(JSON.stringify(await (await t.request('/api/me/export', { headers: watcher.auth })).json())).not.toContain('A public choice');

    // The author leaves: the watcher's notifications name "a former member".
    const { cookie, csrfToken } = await t.loginCookie('alice@example.org');
    const gone = await t.request('/api/me', { method: 'DELETE', headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' }, body: JSON.stringify({ password: 'correct horse battery staple' }) });
    expect(gone.status).toBe(200);
    const texts = (await notices(t, watcher.auth)).notifications.map((n) => n.text).join(' ');
    expect(texts).not.toContain('Alice');
    expect(texts).toContain('A former member');
  });

  it('marks read with no body at all, checks dates and targets as people write them', async () => {
    const t = await createTreeTestApp();
    const me = await t.userWithToken({ name: 'Me' });
    const organiser = await t.userWithToken({ name: 'Organiser', role: 'facilitator' });
    const res = await t.request('/api/me/notifications/read', { method: 'POST', headers: me.auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ marked: 0, unread: 0 });
    expect((await t.request('/api/me/notifications/read', { method: 'POST', headers: { ...me.auth, 'Content-Type': 'application/json' }, body: '' })).status).toBe(200);
    expect((await t.request('/api/me/notifications/read', { method: 'POST', headers: { ...me.auth, 'Content-Type': 'application/json' }, body: '{oops' })).status).toBe(400);

    const workshop = await t.json('POST', '/api/workshops', { title: 'Mobility', startsAt: '2026-12-10T18:00', durationMinutes: 90, timeZone: 'Europe/Paris', languages: ['fr'] }, organiser.auth);
    const { id: workshopId } = (await workshop.json()) as { id: number };
    const slug = (await t.db.selectFrom('workshop').select('slug').where('id', '=', workshopId).executeTakeFirstOrThrow()).slug;
    const bySlug = await watch(t, me.auth, { kind: 'workshop', target: slug });
    expect(bySlug.status).toBe(201);
    expect(await bySlug.json()).toMatchObject({ target: String(workshopId) });
    expect((await watch(t, me.auth, { kind: 'territory', target: 'town-a', expiresAt: '2027-02-30' })).status).toBe(400);
    expect((await watch(t, me.auth, { kind: 'territory', target: 'town-a', expiresAt: Date.parse('2027-01-15T00:00:00Z') })).status).toBe(201);
    expect((await watch(t, me.auth, { kind: 'territory', target: 'town-b', expiresAt: '2027-01-15T10:00:00+01:00' })).status).toBe(201);

    // Registering e-mails the join link once: the notification of it is not mailed again.
    expect((await t.request(`/api/workshops/${workshopId}/registrations`, { method: 'POST', headers: me.auth })).status).toBeLessThan(300);
    const before = await countRows(t, 'outbox');
    await sendDueNotifications(t.deps);
    expect(await countRows(t, 'outbox')).toBe(before);
  });

  it('unsubscribes on a real click only, and undo brings back what was chosen', async () => {
    const t = await createTreeTestApp();
    const me = await t.userWithToken({ name: 'Reader', email: 'reader@example.org' });
    const author = await t.userWithToken({ name: 'Author', territory: 'town-a' });
    await t.json('PUT', '/api/me/notification-settings', { frequencies: { territory: 'immediate' } }, me.auth);
    await watch(t, me.auth, { kind: 'territory', target: 'town-a' });
    await logChoice(t, author.auth, 'public');
    await sendDueNotifications(t.deps);
    const mail = (await outbox(t)).at(-1)!;
    const path = new URL(/http:\/\/\S+\/unsubscribe\/\S+/.exec(mail.body)![0]).pathname;
    const settings = async () => ((await (await t.request('/api/me/notification-settings', { headers: me.auth })).json()) as { frequencies: Record<string, string> }).frequencies;
    expect((await t.request(path, { method: 'HEAD' })).status).toBe(200);
    expect((await settings()).territory).toBe('immediate');
    const page = await (await t.request(path)).text();
    expect((await settings()).territory).toBe('never');
    const restore = /name="restore" value="([^"]*)"/.exec(page)![1];
    expect(restore).toBe('territory:immediate');
    expect((await t.request(`${path}/undo`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `restore=${encodeURIComponent(restore)}` })).status).toBe(200);
    expect((await settings()).territory).toBe('immediate');
  });

  it('mails those due even when many people before them wait for their digest', async () => {
    const t = await createTreeTestApp();
    const waiting = [];
    for (let i = 0; i < 205; i++) waiting.push(await t.userWithToken({ name: `Waiting ${i}` }));
    const eager = await t.userWithToken({ name: 'Eager', email: 'eager@example.org' });
    const author = await t.userWithToken({ name: 'Author', territory: 'town-a' });
    // (Straight into the table: through the API this many writes from one address would be rate limited.)
    await t.db.insertInto('watch').values(waiting.map((person) => ({ user_id: person.user.id, kind: 'territory' as const, target: 'region-x', created_at: '2026-11-22T09:00:00.000Z', expires_at: null }))).execute();
    // Their daily digest went out an hour ago: the next one is not due.
    await t.db.insertInto('notification_delivery').values(waiting.map((person) => ({ user_id: person.user.id, frequency: 'daily' as const, last_sent_at: '2026-11-22T09:00:00.000Z' }))).execute();
    await watch(t, eager.auth, { kind: 'territory', target: 'region-x' });
    await t.json('PUT', '/api/me/notification-settings', { frequencies: { territory: 'immediate' } }, eager.auth);
    await logChoice(t, author.auth, 'public');
    expect(await sendDueNotifications(t.deps)).toBe(1);
    expect((await outbox(t)).at(-1)!.to_address).toBe('eager@example.org');
  }, 60_000);
});
