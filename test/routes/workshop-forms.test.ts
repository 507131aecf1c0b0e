import { describe, expect, it } from 'vitest';
import { countRows, createTestApp } from '../helpers.js';

// Workshops work without JavaScript: plain form posts, errors in the page's language, input kept.

async function session(t: Awaited<ReturnType<typeof createTestApp>>, role: 'facilitator' | 'member', locale = 'en') {
  const { user } = await t.userWithToken({ role, name: role === 'facilitator' ? 'Inês Costa' : 'Rafael Souza' });
  await t.db.updateTable('user').set({ locale }).where('id', '=', user.id).execute();
  const s = await t.loginCookie(user.email);
  const post = (path: string, fields: [string, string][]) => t.request(path, {
    method: 'POST', body: new URLSearchParams([['_csrf', s.csrfToken], ...fields]), redirect: 'manual',
    headers: { Cookie: s.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  const get = (path: string) => t.request(path, { headers: { Cookie: s.cookie } });
  return { user, post, get };
}

const fields = (over: Record<string, string> = {}): [string, string][] => [
  ...Object.entries({ title: 'Atelier climat', startsAt: '2026-12-12T16:00', timeZone: 'Europe/Brussels', durationMinutes: '120', capacity: '1', joinUrl: 'https://meet.example.org/climat', disambiguation: '', ...over }),
  ['languages', 'fr'], ['languages', 'pt'],
];

describe('workshop forms without JavaScript', () => {
  it('creates a workshop, refuses a nonexistent wall time in French with the input kept, and registers and unregisters', async () => {
    const t = await createTestApp();
    const facilitator = await session(t, 'facilitator', 'fr');
    const refused = await facilitator.post('/workshops', fields({ startsAt: '2027-03-28T02:30', title: 'Heure fantôme' }));
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain('n’existe pas à Europe/Brussels');
    expect(page).toContain('value="Heure fantôme"');
    expect(await countRows(t, 'workshop')).toBe(0);
    const created = await facilitator.post('/workshops', fields());
    expect(created.status).toBe(303);
    const url = created.headers.get('location')!.replace(/\?.*$/, '');
    const reader = await session(t, 'member');
    expect(await (await reader.get(url)).text()).not.toContain('meet.example.org/climat');
    expect((await reader.post(`${url}/register`, [])).headers.get('location')).toBe(`${url}?registered=1`);
    expect(await (await reader.get(url)).text()).toContain('https://meet.example.org/climat');
    // The only seat is taken: the next person waits in line.
    const third = await session(t, 'member');
    expect((await third.post(`${url}/register`, [])).headers.get('location')).toBe(`${url}?waiting=1`);
    expect((await reader.post(`${url}/unregister`, [])).status).toBe(303);
    expect(await (await third.get(url)).text()).toContain('https://meet.example.org/climat');
    // Members cannot open the organiser's forms.
    expect((await reader.get('/workshops/new')).status).toBe(403);
    expect((await reader.get(`${url}/edit`)).status).toBe(403);
    // The organiser changes it: the form shows her own wall time; a second seat lets the reader back in.
    expect((await reader.post(`${url}/register`, [])).headers.get('location')).toBe(`${url}?waiting=1`);
    const edit = await (await facilitator.get(`${url}/edit`)).text();
    expect(edit).toContain('value="2026-12-12T16:00"');
    expect(edit).toContain('value="Europe/Brussels"');
    expect((await facilitator.post(`${url}/edit`, fields({ capacity: '2', startsAt: '2026-12-12T17:00' }))).headers.get('location')).toBe(`${url}?saved=1`);
    const moved = (await (await t.request(`/api/workshops/${url.split('/').pop()}`)).json()) as Record<string, unknown>;
    expect(moved).toMatchObject({ startsAt: '2026-12-12T16:00:00Z', registered: 2, waiting: 0 });
    // The organiser writes the conclusions from the page.
    expect((await facilitator.post(`${url}/conclusions`, [['markdown', 'Les cantines achètent **local**.']])).status).toBe(303);
    expect(await (await reader.get(url)).text()).toContain('<strong>local</strong>');
    expect((await reader.post(`${url}/conclusions`, [['markdown', 'Pas moi']])).status).toBe(403);
  });
});
