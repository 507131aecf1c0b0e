import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers.js';

// The journal works without JavaScript: plain form posts, errors shown with what was typed kept.

async function site() {
  const t = await createTestApp();
  const admin = await t.userWithToken({ role: 'admin' });
  await t.json('POST', '/api/territories', { slug: 'sines', name: 'Sines', kind: 'municipality' }, admin.auth);
  const { user } = await t.userWithToken({ name: 'Rita Form', territory: 'sines' });
  const session = await t.loginCookie(user.email);
  const post = (path: string, fields: [string, string][]) => {
    const body = new URLSearchParams([['_csrf', session.csrfToken], ...fields]);
    return t.request(path, { method: 'POST', headers: { Cookie: session.cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
  };
  const get = (path: string) => t.request(path, { headers: { Cookie: session.cookie } });
  return { ...t, admin, user, session, post, get };
}

const choiceFields = (over: Record<string, string | string[]> = {}): [string, string][] => {
  const base: Record<string, string | string[]> = {
    title: 'Walking the children to school', description: 'Every morning', madeOn: '2026-10-01', level: 'family', territory: 'sines', lang: 'en',
    components: ['A08', 'D01'], visibility: 'territory', countInSummaries: 'on', status: 'done', followUpInDays: '30', ...over,
  };
  return Object.entries(base).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]]));
};

describe('journal forms without JavaScript', () => {
  it('logs a choice from the form with several components, then shows it', async () => {
    const s = await site();
    const page = await s.get('/choices/new');
    expect(page.status).toBe(200);
    const form = await page.text();
    expect(form).toContain('name="components" value="A08"');
    expect(form).toContain('<sj-criteria-picker');
    const res = await s.post('/choices', choiceFields());
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/choices\/\d+\?saved=1$/);
    const shown = await (await s.get(location)).text();
    expect(shown).toContain('Walking the children to school');
    expect(shown).toContain('A08');
    expect(shown).toContain('D01');
    const api = (await (await s.request(`/api/choices/${location.match(/\d+/)![0]}`, { headers: { Cookie: s.session.cookie } })).json()) as { visibility: string; components: { code: string }[]; countInSummaries: boolean };
    expect(api.visibility).toBe('territory');
    expect(api.components.map((c) => c.code)).toEqual(['A08', 'D01']);
    expect(api.countInSummaries).toBe(true);
  });

  it('keeps what was typed and says what is wrong, in the page language, when the form has errors', async () => {
    const s = await site();
    const before = await s.db.selectFrom('choice').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await s.post('/choices?lang=fr', choiceFields({ components: [], madeOn: '2026-02-30', title: 'Mon titre gardé', resultQuantity: 'beaucoup', resultText: 'x' }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('value="Mon titre gardé"');
    expect(html).toContain('role="alert"');
    expect(html).toContain('Choisissez au moins une composante.');
    expect(html).toContain('Cette date n’existe pas.');
    expect(html).toContain('La quantité doit être un nombre.');
    expect(html).toContain('value="beaucoup"');
    const after = await s.db.selectFrom('choice').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('adds a result, edits the choice and deletes it through forms', async () => {
    const s = await site();
    const created = await s.post('/choices', choiceFields());
    const url = created.headers.get('location')!.replace(/\?.*$/, '');
    const result = await s.post(`${url}/results`, [['resultObservedOn', '2026-11-01'], ['resultText', 'Ten minutes longer, much calmer'], ['resultQuantity', '-3,5'], ['resultUnit', 'kg CO2e']]);
    expect(result.status).toBe(303);
    const page = await (await s.get(url)).text();
    expect(page).toContain('Ten minutes longer, much calmer');
    expect(page).toMatch(/-3\.5\s*kg CO2e/);
    const edit = await s.post(`${url}/edit`, choiceFields({ title: 'Walking to school, all year', countInSummaries: [] as unknown as string }));
    expect(edit.status).toBe(303);
    const history = await (await s.get(`${url}/history`)).text();
    expect(history).toContain('title');
    expect(history).toContain('Rita Form');
    const removed = await s.post(`${url}/delete`, []);
    expect(removed.status).toBe(303);
    expect((await s.get(url)).status).toBe(404);
  });

  it('lets a facilitator run a group and record statements with plain forms', async () => {
    const s = await site();
    const { user } = await s.userWithToken({ name: 'Faci Litator', role: 'facilitator', territory: 'sines' });
    const session = await s.loginCookie(user.email);
    const post = (path: string, fields: [string, string][]) => s.request(path, {
      method: 'POST', redirect: 'manual', headers: { Cookie: session.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([['_csrf', session.csrfToken], ...fields]),
    });
    const created = await post('/groups', [['name', 'Jovens de Sines'], ['kind', 'homogeneous'], ['territory', 'sines'], ['profile', '16–25'], ['lang', 'pt']]);
    expect(created.status).toBe(303);
    const groupUrl = created.headers.get('location')!;
    const recorded = await post(`${groupUrl}/statements`, [['question', 'proposals'], ['text', 'Mais autocarros à noite'], ['components', 'A08'], ['meaning', 'P'], ['lang', 'pt']]);
    expect(recorded.status).toBe(303);
    expect(recorded.headers.get('location')).toContain('question=proposals');
    const bad = await post(`${groupUrl}/statements`, [['question', 'proposals'], ['text', ''], ['components', 'Z99']]);
    expect(bad.status).toBe(400);
    const page = await (await s.request(groupUrl)).text();
    expect(page).toContain('Mais autocarros à noite');
    expect(page).not.toContain('Record a statement'); // anonymous readers see no recording form
  });

  it('lets a coordinator describe and rate an indicator with a plain form', async () => {
    const s = await site();
    const { user } = await s.userWithToken({ name: 'Coord Inator', role: 'coordinator', territory: 'sines' });
    const coordinatorActor = await s.db.selectFrom('user_actor').select('actor_id').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    await s.db.updateTable('membership').set({ role: 'coordinator' }).where('actor_id', '=', coordinatorActor.actor_id).execute();
    const session = await s.loginCookie(user.email);
    const form = await s.request('/territories/sines/indicators?component=B03', { headers: { Cookie: session.cookie } });
    expect(form.status).toBe(200);
    const res = await s.request('/territories/sines/indicators', {
      method: 'POST', redirect: 'manual', headers: { Cookie: session.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([['_csrf', session.csrfToken], ['code', 'B03'], ['descriptor1', 'Nowhere to meet'], ['descriptor2', ''], ['descriptor3', 'A square'], ['descriptor4', ''], ['descriptor5', 'Lively places for all'], ['level', '3'], ['ratedOn', '2026-11-01'], ['phase', 'ex-ante']]),
    });
    expect(res.status).toBe(303);
    const page = await (await s.request('/territories/sines')).text();
    expect(page).toContain('3/5');
    expect(page).toContain('A square');
    expect((await s.get('/territories/sines/indicators')).status).toBe(403); // Rita is a plain member
  });
});
