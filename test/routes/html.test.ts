import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers.js';

describe('server-rendered pages', () => {
  it('serves every main page without JavaScript, with landmarks and a language attribute', async () => {
    const { request, json, userWithToken } = await createTestApp();
    const admin = await userWithToken({ role: 'admin' });
    await json('POST', '/api/territories', { slug: 'sines', name: 'Sines', kind: 'municipality' }, admin.auth);
    await json('PUT', '/api/pages/guide', { markdown: '# Guide\n\nSee [[Missing page]].' }, admin.auth);
    for (const path of ['/', '/recent-changes', '/summaries', '/summaries?from=2026-01&to=2026-10&compareFrom=2025-01&compareTo=2025-10', '/choices', '/groups', '/topics', '/tools', '/charters', '/workshops', '/workshops?when=past&language=fr&tz=America/Sao_Paulo', '/workshops?tz=Not/AZone', '/territories', '/territories/sines', '/criteria', '/criteria/A08', '/wiki/guide', '/wiki/guide?action=history', '/search?q=guide', '/login', '/register']) {
      const res = await request(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html.startsWith('<!DOCTYPE html><html lang="en">'), path).toBe(true);
      expect(html, path).toContain('<main id="main"');
      expect(html, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
    expect((await request('/wiki/missing-page')).status).toBe(404);
    expect((await request('/territories/nowhere')).status).toBe(404);
  });

  it('names criteria and statuses in the reader\'s language, codes only as secondary text', async () => {
    const { request, json, userWithToken } = await createTestApp();
    const admin = await userWithToken({ role: 'admin' });
    await json('POST', '/api/territories', { slug: 'sines', name: 'Sines', kind: 'municipality' }, admin.auth);
    expect((await json('POST', '/api/choices', { title: 'Vélo pour aller au travail', madeOn: '2026-11-01', level: 'individual', components: ['A08'], territory: 'sines', visibility: 'public', status: 'done' }, admin.auth)).status).toBe(201);
    expect((await json('POST', '/api/charters', { title: 'Charte de la rue', markdown: 'Des rues sûres.' }, admin.auth)).status).toBe(201);
    const page = async (path: string) => (await request(path, { headers: { 'Accept-Language': 'fr' } })).text();
    const chip = 'Mobilité / transport <span class="code">A08</span>';
    // The home page listed codes alone ("A08"); now the label in French, the code after it.
    const home = await page('/');
    expect(home).toContain(chip);
    expect(home).not.toMatch(/·\s*A08\b/);
    const choices = await page('/choices');
    expect(choices).toContain(chip);
    expect(choices).toContain('<span class="badge status-done">Fait</span>');
    expect(choices).not.toMatch(/>\s*done\s*</);
    expect(await page('/charters')).toContain('<span class="badge status-draft">Projet</span>');
  });

  it('switches language with ?lang=, remembers it in a cookie, and follows Accept-Language otherwise', async () => {
    const { request } = await createTestApp();
    const fr = await request('/criteria?lang=fr');
    expect(await fr.text()).toContain('<html lang="fr">');
    const cookie = fr.headers.get('set-cookie')!;
    expect(cookie).toContain('sj_lang=fr');
    const remembered = await (await request('/', { headers: { Cookie: cookie.split(';')[0], 'Accept-Language': 'pt' } })).text();
    expect(remembered).toContain('<html lang="fr">');
    const negotiated = await request('/', { headers: { 'Accept-Language': 'pt-PT,pt;q=0.9' } });
    expect(await negotiated.text()).toContain('<html lang="pt">');
    expect(negotiated.headers.get('content-language')).toBe('pt');
  });

  it('registers through the form, keeping what was typed when something is wrong', async () => {
    const { request, loginCookie } = await createTestApp();
    const bad = await request('/register', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ name: 'Zé Silva', email: 'ze@example.org', password: 'password123', actorKind: 'citizen', territory: '', locale: 'pt' }) });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('value="Zé Silva"');
    expect(html).toContain('value="ze@example.org"');
    expect(html).toContain('role="alert"');
    const good = await request('/register', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ name: 'Zé Silva', email: 'ze@example.org', password: 'hortas comunitárias 2026', actorKind: 'citizen', territory: '', locale: 'pt' }) });
    // This instance sends e-mail: the answer is "check your inbox", then one logs in.
    expect(good.status).toBe(200);
    expect(await good.text()).toContain('ze@example.org');
    const { cookie } = await loginCookie('ze@example.org', 'hortas comunitárias 2026');
    const me = await request('/me', { headers: { Cookie: cookie } });
    expect(await me.text()).toContain('<html lang="pt">');
    // Without e-mail, the new account is signed in at once.
    const local = await createTestApp({ requireEmailVerification: false });
    const signedIn = await local.request('/register', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ name: 'Zé Silva', email: 'ze@example.org', password: 'hortas comunitárias 2026', actorKind: 'citizen', territory: '', locale: 'pt' }) });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/me?welcome=1');
  });

  it('keeps the editor text on an edit conflict in the form', async () => {
    const { request, json, userWithToken, loginCookie } = await createTestApp();
    const other = await userWithToken();
    const { user } = await userWithToken({ name: 'Form Editor' });
    const { cookie, csrfToken } = await loginCookie(user.email);
    await json('PUT', '/api/pages/shared', { markdown: 'v1' }, other.auth);
    await json('PUT', '/api/pages/shared', { markdown: 'v2 by other', baseRevision: 1 }, other.auth);
    const res = await request('/wiki/shared', { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrfToken, action: 'save', title: 'Shared', markdown: 'my careful text', baseRevision: '1' }) });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('my careful text');
    expect(html).toContain('v2 by other');
    expect(html).toContain('name="baseRevision" value="2"');
  });
});
