import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers.js';
import { loadConfig } from '../../src/config.js';

const NO_MAIL = { requireEmailVerification: false };
const good = { email: 'Ana@Example.org', password: 'a garden by the river', name: 'Ana Ferreira', actorKind: 'citizen', locale: 'pt' };

describe('accounts', () => {
  // An instance without e-mail signs a new account in at once; one with e-mail answers neutrally (below).
  it('registers, sets a hardened session cookie, and shows the profile', async () => {
    const { json, request } = await createTestApp(NO_MAIL);
    const res = await json('POST', '/api/auth/register', good);
    expect(res.status).toBe(201);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/sj_session=[\w-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    const me = await request('/api/me', { headers: { Cookie: cookie.split(';')[0] } });
    const body = (await me.json()) as { user: { email: string; locale: string }; actors: { page: string }[] };
    expect(body.user.email).toBe('ana@example.org');
    expect(body.user.locale).toBe('pt');
    expect(body.actors[0].page).toBe('actor/ana-ferreira');
    const page = await request('/api/pages/actor/ana-ferreira');
    expect(page.status).toBe(200);
  });

  it('gives people signing up at the same moment under the same name each their own actor page', async () => {
    const t = await createTestApp();
    // At once: on PostgreSQL these transactions really interleave, and each finds the same slug free.
    const made = await Promise.all(Array.from({ length: 6 }, (_, i) => t.userWithToken({ name: 'Maria Silva', email: `maria${i}@example.org` })));
    const actors = await t.db.selectFrom('actor').select('slug').where('name', '=', 'Maria Silva').execute();
    expect(made).toHaveLength(6);
    expect(new Set(actors.map((a) => a.slug)).size).toBe(6);
    for (const { slug } of actors) expect((await t.request(`/api/pages/actor/${slug}`)).status).toBe(200);
    // The same e-mail twice at once: one account, and the same neutral answer to both (never an error).
    const both = await Promise.all([0, 1].map(() => t.json('POST', '/api/auth/register', { email: 'twice@example.org', password: 'correct horse battery staple', name: 'Twice', actorKind: 'citizen' })));
    expect(both.map((r) => r.status)).toEqual([202, 202]);
    expect(await t.db.selectFrom('user').select('id').where('email', '=', 'twice@example.org').execute()).toHaveLength(1);
  });

  it('stores sessions hashed, never the cookie token itself', async () => {
    const { json, db } = await createTestApp(NO_MAIL);
    const res = await json('POST', '/api/auth/register', good);
    const token = res.headers.get('set-cookie')!.split(';')[0].split('=')[1];
    const rows = await db.selectFrom('session').select('token_hash').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).not.toBe(token);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    const user = await db.selectFrom('user').select('password_hash').executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^scrypt\$/);
  });

  it('refuses short and common passwords, bad emails and duplicate accounts', async () => {
    const { json } = await createTestApp(NO_MAIL);
    const short = await json('POST', '/api/auth/register', { ...good, password: 'short1' });
    expect(short.status).toBe(400);
    const common = await json('POST', '/api/auth/register', { ...good, password: 'password1234' });
    expect(common.status).toBe(400);
    expect(((await common.json()) as { error: { issues: { message: string }[] } }).error.issues[0].message).toBe('This password is too common or too easy to guess; choose another.');
    const badEmail = await json('POST', '/api/auth/register', { ...good, email: 'not-an-email' });
    expect(badEmail.status).toBe(400);
    expect((await json('POST', '/api/auth/register', good)).status).toBe(201);
    const again = await json('POST', '/api/auth/register', { ...good, email: 'ana@example.org' });
    expect(again.status).toBe(409);
  });

  it('answers a sign-up the same for a known and an unknown address where the instance sends e-mail, and tells the owner', async () => {
    const t = await createTestApp({ publicUrl: 'https://journal.example.org' });
    const first = await t.json('POST', '/api/auth/register', good);
    const again = await t.json('POST', '/api/auth/register', { ...good, email: 'ana@example.org', name: 'Someone Else', password: 'another long passphrase' });
    const stranger = await t.json('POST', '/api/auth/register', { ...good, email: 'bruno@example.org', name: 'Bruno' });
    for (const res of [first, again, stranger]) {
      expect(res.status).toBe(202);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    const bodies = await Promise.all([again, stranger].map(async (r) => JSON.stringify(await r.json()).replace(/ana@example\.org|bruno@example\.org/, '<email>')));
    expect(bodies[0]).toBe(bodies[1]);
    // One account for Ana, made by the first sign-up: the second left it alone, and its owner heard of it.
    expect(await t.db.selectFrom('user').select('name').where('email', '=', 'ana@example.org').execute()).toEqual([{ name: 'Ana Ferreira' }]);
    const mails = await t.db.selectFrom('outbox').select(['to_address', 'body']).where('to_address', '=', 'ana@example.org').orderBy('id').execute();
    expect(mails.map((m) => /verify-email/.test(m.body) ? 'link' : m.body.includes('https://journal.example.org/login') ? 'someone tried' : 'other')).toEqual(['link', 'someone tried']);
    // The new account logs in with its password, as the answer says.
    expect((await t.json('POST', '/api/auth/login', { email: good.email, password: good.password })).status).toBe(200);
    // The form answers the same page for both.
    const form = (email: string) => t.request('/register', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ name: 'Zé', email, password: 'hortas comunitárias 2026', actorKind: 'citizen', territory: '' }) });
    const [known, unknown] = await Promise.all([form('ana@example.org'), form('carla@example.org')]);
    expect([known.status, unknown.status]).toEqual([200, 200]);
    const strip = (html: string) => html.replace(/ana@example\.org|carla@example\.org/g, '<email>').replace(/name="csrf" value="[^"]*"/g, '').replace(/nonce="[^"]*"/g, '');
    expect(strip(await known.text())).toBe(strip(await unknown.text()));
  });

  it('logs in, rotates the session at login, and logs out', async () => {
    const { json, request } = await createTestApp(NO_MAIL);
    const first = (await json('POST', '/api/auth/register', good)).headers.get('set-cookie')!.split(';')[0];
    const wrong = await json('POST', '/api/auth/login', { email: good.email, password: 'not the password' });
    expect(wrong.status).toBe(401);
    const login = await json('POST', '/api/auth/login', { email: good.email, password: good.password }, { Cookie: first, Origin: 'http://localhost' });
    expect(login.status).toBe(200);
    const second = login.headers.get('set-cookie')!.split(';')[0];
    expect(second).not.toBe(first);
    expect((await request('/api/me', { headers: { Cookie: first } })).status).toBe(401);
    expect((await request('/api/me', { headers: { Cookie: second } })).status).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const logout = await json('POST', '/api/auth/logout', undefined, { Cookie: second, 'X-CSRF-Token': csrfToken });
    expect(logout.status).toBe(200);
    expect((await request('/api/me', { headers: { Cookie: second } })).status).toBe(401);
  });

  it('expires idle sessions and sessions past their absolute lifetime', async () => {
    const { json, request, clock } = await createTestApp({ ...NO_MAIL, sessionIdleMinutes: 30, sessionAbsoluteDays: 1 });
    const cookie = (await json('POST', '/api/auth/register', good)).headers.get('set-cookie')!.split(';')[0];
    clock.advance(29 * 60_000);
    expect((await request('/api/me', { headers: { Cookie: cookie } })).status).toBe(200);
    clock.advance(31 * 60_000);
    expect((await request('/api/me', { headers: { Cookie: cookie } })).status).toBe(401);
    const again = await json('POST', '/api/auth/login', { email: good.email, password: good.password });
    const fresh = again.headers.get('set-cookie')!.split(';')[0];
    // Active every 25 minutes (never idle) for 25 hours: the absolute lifetime of 1 day still ends it.
    for (let i = 0; i < 60; i++) {
      clock.advance(25 * 60_000);
      await request('/api/me', { headers: { Cookie: fresh } });
    }
    expect((await request('/api/me', { headers: { Cookie: fresh } })).status).toBe(401);
  });

  it('locks an account after repeated failed logins, with Retry-After', async () => {
    const { json } = await createTestApp();
    await json('POST', '/api/auth/register', good);
    for (let i = 0; i < 5; i++) expect((await json('POST', '/api/auth/login', { email: good.email, password: 'wrong password!' })).status).toBe(401);
    const locked = await json('POST', '/api/auth/login', { email: good.email, password: good.password });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await locked.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('tells the owner of a locked account once, and nobody about an address that has no account', async () => {
    const t = await createTestApp();
    await t.json('POST', '/api/auth/register', { ...good, locale: 'fr' });
    for (let i = 0; i < 7; i++) await t.json('POST', '/api/auth/login', { email: good.email, password: 'wrong password!' });
    for (let i = 0; i < 7; i++) await t.json('POST', '/api/auth/login', { email: 'nobody@example.org', password: 'wrong password!' });
    // (Besides the confirmation link that signing up sends.)
    const mails = (await t.db.selectFrom('outbox').select(['to_address', 'subject', 'body']).execute()).filter((m) => !m.body.includes('verify-email'));
    expect(mails).toHaveLength(1);
    expect(mails[0].to_address).toBe(good.email.toLowerCase());
    expect(mails[0].subject).toContain('bloqué');
    expect(mails[0].body).toContain('/me/settings');
  });

  it('limits writes and searches per account too, whatever address they come from', async () => {
    const t = await createTestApp({ rateLimitScale: 0.05, publicUrl: 'https://journal.example.org' });
    const { auth } = await t.userWithToken();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await t.json('PATCH', '/api/me', { name: `Name ${i}` }, { ...auth, 'X-Forwarded-For': `203.0.113.${i}` });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    const searches: number[] = [];
    for (let i = 0; i < 8; i++) searches.push((await t.request('/api/search?q=garden', { headers: { ...auth, 'X-Forwarded-For': `198.51.100.${i}` } })).status);
    expect(searches.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(searches.slice(6)).toEqual([429, 429]);
    // Another account from those same addresses is not held back by the first one's count.
    const other = await t.userWithToken();
    expect((await t.json('PATCH', '/api/me', { name: 'Someone else' }, { ...other.auth, 'X-Forwarded-For': '192.0.2.1' })).status).toBe(200);
  });

  it('rate-limits registrations per IP, scaled by RATE_LIMIT_SCALE', async () => {
    const strict = await createTestApp({ ...NO_MAIL, rateLimitScale: 0.2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await strict.json('POST', '/api/auth/register', { ...good, email: `p${i}@example.org` })).status);
    expect(statuses).toEqual([201, 201, 429]);
    const relaxed = await createTestApp({ ...NO_MAIL, rateLimitScale: 2 });
    for (let i = 0; i < 12; i++) expect((await relaxed.json('POST', '/api/auth/register', { ...good, email: `p${i}@example.org` })).status).toBe(201);
  });

  it('creates, uses, lists and revokes personal access tokens', async () => {
    const { json, request, loginCookie } = await createTestApp();
    await json('POST', '/api/auth/register', good);
    const { cookie, csrfToken } = await loginCookie(good.email, good.password);
    const created = await json('POST', '/api/auth/tokens', { name: 'my script' }, { Cookie: cookie, 'X-CSRF-Token': csrfToken });
    expect(created.status).toBe(201);
    const { token, id } = (await created.json()) as { token: string; id: number };
    expect(token).toMatch(/^sj_/);
    const me = await request('/api/me', { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    const list = (await (await request('/api/auth/tokens', { headers: { Authorization: `Bearer ${token}` } })).json()) as { tokens: object[] };
    expect(JSON.stringify(list)).not.toContain(token);
    expect((await request(`/api/auth/tokens/${id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await request('/api/me', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('edits the profile and changes the password', async () => {
    const { json, request, userWithToken } = await createTestApp();
    const { auth, user } = await userWithToken();
    const bad = await json('PATCH', '/api/me', { timeZone: 'Mars/Olympus' }, auth);
    expect(bad.status).toBe(400);
    expect((await json('PATCH', '/api/me', { name: 'Renamed', locale: 'fr', timeZone: 'Europe/Brussels' }, auth)).status).toBe(200);
    const me = (await (await request('/api/me', { headers: auth })).json()) as { user: { name: string; locale: string; timeZone: string } };
    expect(me.user).toMatchObject({ name: 'Renamed', locale: 'fr', timeZone: 'Europe/Brussels' });
    const wrong = await json('PATCH', '/api/me', { currentPassword: 'nope nope nope', newPassword: 'a brand new passphrase' }, auth);
    expect(wrong.status).toBe(400);
    expect((await json('PATCH', '/api/me', { currentPassword: 'correct horse battery staple', newPassword: 'a brand new passphrase' }, auth)).status).toBe(200);
    expect((await json('POST', '/api/auth/login', { email: user.email, password: 'a brand new passphrase' })).status).toBe(200);
  });
});

describe('where I am signed in', () => {
  it('lists my browser sessions, ends one or all the others, and never someone else’s', async () => {
    const t = await createTestApp();
    const me = await t.userWithToken({ email: 'sessions@example.org' });
    const other = await t.userWithToken({ email: 'other@example.org' });
    const login = async (email: string, userAgent: string) => {
      const res = await t.json('POST', '/api/auth/login', { email, password: 'correct horse battery staple' }, { 'User-Agent': userAgent });
      expect(res.status).toBe(200);
      return { cookie: res.headers.get('set-cookie')!.split(';')[0], csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
    };
    const phone = await login('sessions@example.org', 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36');
    const laptop = await login('sessions@example.org', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) Gecko/20100101 Firefox/121.0');
    const desk = await login('sessions@example.org', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Edg/120.0');
    const strangers = await login('other@example.org', 'curl/8.0');
    const list = async (session: { cookie: string }) => (await (await t.request('/api/me/sessions', { headers: { Cookie: session.cookie } })).json()) as { sessions: { id: string; current: boolean; device: { browser: string | null; system: string | null } }[] };
    const seen = await list(laptop);
    expect(seen.sessions).toHaveLength(3);
    expect(seen.sessions.filter((s) => s.current)).toHaveLength(1);
    expect(seen.sessions.find((s) => s.current)!.device).toEqual({ browser: 'Firefox', system: 'macOS' });
    expect(seen.sessions.map((s) => s.device.system).sort()).toEqual(['Android', 'Windows', 'macOS']);
    // No secret in the list: ids are not tokens.
    expect(JSON.stringify(seen)).not.toContain(phone.cookie.split('=')[1]);

    // End the phone's session from the laptop: the phone is signed out, the laptop is not.
    const phoneId = seen.sessions.find((s) => s.device.system === 'Android')!.id;
    const byStranger = await t.json('DELETE', `/api/me/sessions/${phoneId}`, undefined, other.auth);
    expect(byStranger.status).toBe(404);
    expect((await t.request('/api/me', { headers: { Cookie: phone.cookie } })).status).toBe(200);
    const ended = await t.request(`/api/me/sessions/${phoneId}`, { method: 'DELETE', headers: { Cookie: laptop.cookie, 'X-CSRF-Token': laptop.csrf } });
    expect(ended.status).toBe(200);
    expect((await t.request('/api/me', { headers: { Cookie: phone.cookie } })).status).toBe(401);
    expect((await t.request('/api/me', { headers: { Cookie: laptop.cookie } })).status).toBe(200);
    // Without the CSRF token a cookie request cannot end anything.
    expect((await t.request('/api/me/sessions', { method: 'DELETE', headers: { Cookie: laptop.cookie, Origin: 'https://evil.example' } })).status).toBe(403);

    // From the settings page, without JavaScript: log out everywhere else.
    const page = await (await t.request('/me/settings', { headers: { Cookie: laptop.cookie } })).text();
    expect(page).toContain('this browser');
    expect(page).toContain('Edge, Windows');
    const form = new URLSearchParams({ _csrf: laptop.csrf });
    const res = await t.request('/me/sessions/end-others', { method: 'POST', headers: { Cookie: laptop.cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' }, body: form });
    expect(res.status).toBeLessThan(400);
    expect(await res.text()).toContain('1 other session was ended.');
    expect((await t.request('/api/me', { headers: { Cookie: desk.cookie } })).status).toBe(401);
    expect((await list(laptop)).sessions).toHaveLength(1);
    // Someone else's sessions were never touched.
    expect((await t.request('/api/me', { headers: { Cookie: strangers.cookie } })).status).toBe(200);
  });
});

describe('the audit log', () => {
  it('shows admins who did what, newest first, filtered and paged, and nobody else', async () => {
    const t = await createTestApp();
    const admin = await t.userWithToken({ role: 'admin', name: 'Ada Admin' });
    const member = await t.userWithToken();
    await t.json('POST', '/api/territories', { slug: 'audited-town', name: 'Audited town', kind: 'municipality' }, admin.auth);
    for (let i = 0; i < 6; i++) await t.json('POST', '/api/auth/login', { email: member.user.email, password: 'wrong password!' });
    const res = await t.request('/api/admin/audit', { headers: admin.auth });
    expect(res.status).toBe(200);
    const log = (await res.json()) as { entries: { action: string; target: string; by: { name: string } | null }[]; actions: string[] };
    expect(log.entries[0]).toMatchObject({ action: 'user.locked', by: null });
    expect(log.entries.find((e) => e.action === 'territory.create')).toMatchObject({ by: { name: 'Ada Admin' } });
    expect(log.actions).toEqual(expect.arrayContaining(['territory.create', 'user.locked']));
    expect(JSON.stringify(log)).not.toMatch(/password|wrong/i);
    const filtered = (await (await t.request('/api/admin/audit?action=territory.create', { headers: admin.auth })).json()) as { entries: { action: string }[] };
    expect(filtered.entries.map((e) => e.action)).toEqual(['territory.create']);
    const first = (await (await t.request('/api/admin/audit?limit=1', { headers: admin.auth })).json()) as { entries: { id: number }[]; nextBefore: number };
    const second = (await (await t.request(`/api/admin/audit?limit=1&before=${first.nextBefore}`, { headers: admin.auth })).json()) as { entries: { id: number }[] };
    expect(second.entries[0].id).toBeLessThan(first.entries[0].id);
    expect((await t.request('/api/admin/audit', { headers: member.auth })).status).toBe(403);
    expect((await t.request('/api/admin/audit')).status).toBe(401);
    const page = await t.request('/admin/audit', { headers: admin.auth });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('audited-town');
    expect((await t.request('/admin/audit', { headers: member.auth })).status).toBe(403);
  });
});

describe('blocking an account', () => {
  it('lets an admin block someone (logged out everywhere, tokens revoked, no login) and unblock them, with reasons in the audit log', async () => {
    const t = await createTestApp();
    const admin = await t.userWithToken({ role: 'admin', name: 'Ada Admin' });
    const spammer = await t.userWithToken({ name: 'Sam Spam', email: 'spam@example.org' });
    const { cookie } = await t.loginCookie('spam@example.org');
    expect((await t.request('/api/me', { headers: { Cookie: cookie } })).status).toBe(200);
    const found = (await (await t.request('/api/admin/users?q=SPAM', { headers: admin.auth })).json()) as { accounts: { id: number; email: string; blockedAt: string | null }[] };
    expect(found.accounts.map((a) => a.email)).toEqual(['spam@example.org']);
    const id = found.accounts[0].id;
    // Only admins, never oneself, always with a reason.
    expect((await t.json('POST', `/api/admin/users/${id}/block`, { reason: 'spam' }, spammer.auth)).status).toBe(403);
    expect((await t.json('POST', `/api/admin/users/${admin.user.id}/block`, { reason: 'oops' }, admin.auth)).status).toBe(409);
    expect((await t.json('POST', `/api/admin/users/${id}/block`, { reason: '  ' }, admin.auth)).status).toBe(400);
    expect((await t.json('POST', '/api/admin/users/999999/block', { reason: 'who?' }, admin.auth)).status).toBe(404);
    expect((await t.json('POST', `/api/admin/users/${id}/block`, { reason: 'Posting adverts on every page' }, admin.auth)).status).toBe(200);
    expect((await t.request('/api/me', { headers: { Cookie: cookie } })).status).toBe(401);
    expect((await t.request('/api/me', { headers: spammer.auth })).status).toBe(401);
    expect((await t.json('POST', '/api/auth/login', { email: 'spam@example.org', password: 'correct horse battery staple' })).status).toBe(401);
    const listed = (await (await t.request('/api/admin/users?q=spam', { headers: admin.auth })).json()) as { accounts: { blockedAt: string | null }[] };
    expect(listed.accounts[0].blockedAt).toBeTruthy();
    // The page shows it and unblocks it without JavaScript.
    const page = await t.request('/admin/users?q=spam', { headers: admin.auth });
    expect(await page.text()).toContain('Blocked since');
    expect((await t.json('DELETE', `/api/admin/users/${id}/block`, undefined, admin.auth)).status).toBe(200);
    expect((await t.json('POST', '/api/auth/login', { email: 'spam@example.org', password: 'correct horse battery staple' })).status).toBe(200);
    // The old token stays revoked: unblocking does not bring back what was cut.
    expect((await t.request('/api/me', { headers: spammer.auth })).status).toBe(401);
    const audit = (await (await t.request('/api/admin/audit', { headers: admin.auth })).json()) as { entries: { action: string; details: Record<string, unknown> }[] };
    // Looking accounts up is on record too (user.list); the block and unblock are what matter here.
    const changes = audit.entries.filter((e) => e.action !== 'user.list');
    expect(changes.slice(0, 2).map((e) => e.action)).toEqual(['user.unblock', 'user.block']);
    expect(changes[1].details).toEqual({ reason: 'Posting adverts on every page' });
    expect((await t.request('/admin/users', { headers: spammer.auth })).status).toBe(401);
  });
});

describe('confirming the e-mail address', () => {
  it('keeps a new account private until it follows the link from the outbox, then lets it publish', async () => {
    const t = await createTestApp();
    const res = await t.json('POST', '/api/auth/register', { email: 'new@example.org', password: 'a long sign-up passphrase', name: 'New Person', actorKind: 'citizen', locale: 'pt' });
    expect(res.status).toBe(202);
    const { cookie, csrfToken } = await t.loginCookie('new@example.org', 'a long sign-up passphrase');
    const headers = { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' };
    const me = (await (await t.request('/api/me', { headers: { Cookie: cookie } })).json()) as { user: { emailVerified: boolean } };
    expect(me.user.emailVerified).toBe(false);
    const mails = await t.db.selectFrom('outbox').select(['to_address', 'subject', 'body']).where('to_address', '=', 'new@example.org').execute();
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain('Confirme');
    // Until then: a private journal, nothing public.
    const refused = await t.request('/api/pages/my-spam', { method: 'PUT', headers, body: JSON.stringify({ markdown: 'Buy now' }) });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'email_unverified' } });
    const base = { title: 'Walked to work', madeOn: '2026-10-01', level: 'individual', components: ['A08'] };
    const admin = await t.userWithToken({ role: 'admin' });
    await t.json('POST', '/api/territories', { slug: 'home', name: 'Home', kind: 'municipality' }, admin.auth);
    expect((await t.request('/api/choices', { method: 'POST', headers, body: JSON.stringify({ ...base, territory: 'home', visibility: 'public' }) })).status).toBe(403);
    expect((await t.request('/api/choices', { method: 'POST', headers, body: JSON.stringify({ ...base, territory: 'home' }) })).status).toBe(201);
    expect((await t.request('/api/topics', { method: 'POST', headers, body: JSON.stringify({ title: 'Spam topic' }) })).status).toBe(403);
    // A wrong or old link does nothing; a new one can be asked for; the right one confirms.
    expect((await t.json('POST', '/api/auth/verify-email', { token: 'sj_nope' })).status).toBe(400);
    expect((await t.request('/api/me/verification', { method: 'POST', headers })).status).toBe(200);
    const links = (await t.db.selectFrom('outbox').select('body').where('to_address', '=', 'new@example.org').orderBy('id').execute()).map((m) => /verify-email\?token=(\S+)/.exec(m.body)![1]);
    expect(links).toHaveLength(2);
    t.clock.advance(8 * 86_400_000);
    expect((await t.request(`/verify-email?token=${links[0]}`)).status).toBe(400);
    t.clock.advance(-8 * 86_400_000);
    const confirmed = await t.request(`/verify-email?token=${links[1]}`, { headers: { Cookie: cookie } });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe('/me/settings?confirmed=1');
    expect(((await (await t.request('/api/me', { headers: { Cookie: cookie } })).json()) as { user: { emailVerified: boolean } }).user.emailVerified).toBe(true);
    // Used links are void; publishing works now.
    expect((await t.json('POST', '/api/auth/verify-email', { token: links[1] })).status).toBe(400);
    expect((await t.request('/api/pages/my-page', { method: 'PUT', headers, body: JSON.stringify({ markdown: 'Hello' }) })).status).toBe(201);
    expect((await t.request('/api/choices', { method: 'POST', headers, body: JSON.stringify({ ...base, territory: 'home', visibility: 'public' }) })).status).toBe(201);
  });

  it('is asked only where the instance sends e-mail: without SMTP_URL a new account publishes at once', async () => {
    expect(loadConfig({}).requireEmailVerification).toBe(false);
    expect(loadConfig({ SMTP_URL: 'smtp://mail.example.org' }).requireEmailVerification).toBe(true);
    expect(loadConfig({ SMTP_URL: 'smtp://mail.example.org', REQUIRE_EMAIL_VERIFICATION: 'false' }).requireEmailVerification).toBe(false);
    expect(loadConfig({ REQUIRE_EMAIL_VERIFICATION: 'true' }).requireEmailVerification).toBe(true);
    const t = await createTestApp({ requireEmailVerification: false });
    const res = await t.json('POST', '/api/auth/register', { email: 'local@example.org', password: 'a long sign-up passphrase', name: 'Local Person', actorKind: 'citizen', defaultVisibility: 'public' });
    expect(res.status).toBe(201);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const headers = { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' };
    expect((await t.request('/api/pages/hello', { method: 'PUT', headers, body: JSON.stringify({ markdown: 'Hello' }) })).status).toBe(201);
    const admin = await t.userWithToken({ role: 'admin' });
    await t.json('POST', '/api/territories', { slug: 'home', name: 'Home', kind: 'municipality' }, admin.auth);
    const choice = await t.request('/api/choices', { method: 'POST', headers, body: JSON.stringify({ title: 'Walked to work', madeOn: '2026-10-01', level: 'individual', components: ['A08'], territory: 'home' }) });
    expect(choice.status).toBe(201);
    expect(await choice.json()).toMatchObject({ visibility: 'public' });
    // No notice asks for a confirmation nobody could receive.
    expect(await (await t.request('/me/settings', { headers: { Cookie: cookie } })).text()).not.toContain('action="/me/verification"');
  });
});
