import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers.js';

describe('CSRF protection on cookie-authenticated writes', () => {
  async function setup() {
    const t = await createTestApp();
    const { user } = await t.userWithToken({ name: 'Cookie User' });
    const session = await t.loginCookie(user.email);
    return { ...t, ...session };
  }
  const body = JSON.stringify({ markdown: 'hello' });

  it('refuses a JSON write from another origin even with the token', async () => {
    const { request, cookie, csrfToken } = await setup();
    const res = await request('/api/pages/notes', { method: 'PUT', headers: { Cookie: cookie, 'Content-Type': 'application/json', Origin: 'https://evil.example', 'X-CSRF-Token': csrfToken }, body });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'csrf_failed' } });
  });

  it('refuses a cross-site form post (Sec-Fetch-Site) and one without token or origin', async () => {
    const { request, cookie } = await setup();
    const form = new URLSearchParams({ action: 'save', markdown: 'x', title: 'x', baseRevision: '0' });
    const crossSite = await request('/wiki/notes', { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'cross-site' }, body: form });
    expect(crossSite.status).toBe(403);
    const bare = await request('/api/pages/notes', { method: 'PUT', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body });
    expect(bare.status).toBe(403);
  });

  it('accepts same-origin writes and writes with the session token', async () => {
    const { request, cookie, csrfToken } = await setup();
    const sameOrigin = await request('/api/pages/notes', { method: 'PUT', headers: { Cookie: cookie, 'Content-Type': 'application/json', Origin: 'http://localhost' }, body });
    expect(sameOrigin.status).toBe(201);
    const withToken = await request('/api/pages/notes', { method: 'PUT', headers: { Cookie: cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken }, body: JSON.stringify({ markdown: 'hello again' }) });
    expect(withToken.status).toBe(200);
    const form = new URLSearchParams({ _csrf: csrfToken, action: 'save', markdown: 'from a form', title: 'Notes', baseRevision: '2' });
    const formPost = await request('/wiki/notes', { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: form });
    expect(formPost.status).toBe(303);
    const wrongToken = new URLSearchParams({ _csrf: 'forged', action: 'save', markdown: 'x', baseRevision: '3' });
    expect((await request('/wiki/notes', { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: wrongToken })).status).toBe(403);
  });

  it('does not ask Bearer clients for a CSRF token', async () => {
    const { json, userWithToken } = await createTestApp();
    const { auth } = await userWithToken();
    expect((await json('PUT', '/api/pages/notes', { markdown: 'hi' }, { ...auth, Origin: 'https://elsewhere.example' })).status).toBe(201);
  });
});

describe('body limits', () => {
  it('answers 413 for pages over 512 KB and bodies over 1 MB, chunked or not', async () => {
    const { json, request, userWithToken } = await createTestApp();
    const { auth } = await userWithToken();
    const big = await json('PUT', '/api/pages/big', { markdown: 'a'.repeat(600 * 1024) }, auth);
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const huge = await json('PUT', '/api/pages/big', { markdown: 'a'.repeat(1100 * 1024) }, auth);
    expect(huge.status).toBe(413);
    const payload = new TextEncoder().encode(JSON.stringify({ markdown: 'b'.repeat(1100 * 1024) }));
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < payload.length; i += 64 * 1024) controller.enqueue(payload.slice(i, i + 64 * 1024));
        controller.close();
      },
    });
    const chunked = await request('/api/pages/big', { method: 'PUT', headers: { ...auth, 'Content-Type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    const ok = await json('PUT', '/api/pages/big', { markdown: 'a'.repeat(500 * 1024) }, auth);
    expect(ok.status).toBe(201);
  });
});

describe('rate limits on writes', () => {
  it('answers 429 with Retry-After once the per-IP write budget is spent', async () => {
    const { json, userWithToken } = await createTestApp({ rateLimitScale: 0.05 });
    const { auth } = await userWithToken();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await json('PUT', '/api/pages/busy', { markdown: `v${i}` }, auth)).status);
    expect(statuses.slice(0, 6).every((s) => s === 201 || s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const last = await json('PUT', '/api/pages/busy', { markdown: 'again' }, auth);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
