import { describe, expect, it } from 'vitest';
import { PRIVACY_THRESHOLD } from '../../db/summary-store.js';
import { translator } from '../../src/i18n/index.js';
import { createTreeTestApp, publishedCount } from '../helpers.js';

// Consent (issue 8): what new choices start as and whether they count in summaries, chosen at sign-up
// or in settings, applied when a choice does not say; and the privacy page that tells the truth about
// the small-count threshold and the retention periods in force.

const choice = (over: Record<string, unknown> = {}) => ({ title: 'Cycling to work', madeOn: '2026-10-05', level: 'individual', components: ['A08'], territory: 'town-a', ...over });
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe('consent defaults for new choices', () => {
  it('keeps choices private and counted for people who never chose, and applies the defaults they choose', async () => {
    const t = await createTreeTestApp();
    const me = await t.userWithToken({ territory: 'town-a' });
    const profile = async () => ((await (await t.request('/api/me', { headers: me.auth })).json()) as { user: { defaultVisibility: string; countInSummaries: boolean } }).user;
    expect(await profile()).toMatchObject({ defaultVisibility: 'private', countInSummaries: true });

    const first = await t.json('POST', '/api/choices', choice(), me.auth);
    expect(first.status).toBe(201);
    const firstChoice = (await first.json()) as { id: number };
    expect(firstChoice).toMatchObject({ visibility: 'private', countInSummaries: true });

    expect((await t.json('PATCH', '/api/me', { defaultVisibility: 'public', countInSummaries: false }, me.auth)).status).toBe(200);
    expect(await profile()).toMatchObject({ defaultVisibility: 'public', countInSummaries: false });
    const second = await t.json('POST', '/api/choices', choice({ title: 'Repair café' }), me.auth);
    expect(await second.json()).toMatchObject({ visibility: 'public', countInSummaries: false });
    // What the choice says wins over the defaults; earlier choices keep theirs.
    const third = await t.json('POST', '/api/choices', choice({ title: 'Compost', visibility: 'territory', countInSummaries: true }), me.auth);
    expect(await third.json()).toMatchObject({ visibility: 'territory', countInSummaries: true });
    const earlier = (await (await t.request(`/api/choices/${firstChoice.id}`, { headers: me.auth })).json()) as { visibility: string };
    expect(earlier.visibility).toBe('private');

    // Only the three visibilities, and a real yes/no.
    expect((await t.json('PATCH', '/api/me', { defaultVisibility: 'friends' }, me.auth)).status).toBe(400);
    expect((await t.json('PATCH', '/api/me', { countInSummaries: 'no' }, me.auth)).status).toBe(400);
  });

  it('leaves the choices of people who said no out of the summaries', async () => {
    const t = await createTreeTestApp();
    const counted = [];
    for (let i = 0; i < PRIVACY_THRESHOLD; i++) counted.push(await t.userWithToken({ territory: 'town-a' }));
    const optedOut = await t.userWithToken({ territory: 'town-a' });
    await t.json('PATCH', '/api/me', { countInSummaries: false }, optedOut.auth);
    const countedIds: number[] = [];
    for (const person of counted) {
      const res = await t.json('POST', '/api/choices', choice(), person.auth);
      expect(res.status).toBe(201);
      countedIds.push(((await res.json()) as { id: number }).id);
    }
    const logged = await t.json('POST', '/api/choices', choice({ title: 'Not in the numbers' }), optedOut.auth);
    expect(await logged.json()).toMatchObject({ countInSummaries: false });
    const summary = (await (await t.request('/api/summaries?territory=town-a&from=2026-10-01&to=2026-10-31')).json()) as { totals: { choices: number; actors: number } };
    // Exactly the three counted choices and their three actors (what perturbation publishes for those records).
    const actorIds = (await t.db.selectFrom('choice').select('actor_id').where('id', 'in', countedIds).execute()).map((r) => r.actor_id);
    expect(summary.totals).toMatchObject({ choices: await publishedCount(t, 'choice', countedIds), actors: await publishedCount(t, 'actor', actorIds) });
    // The region above rolls up the same choices, without the one that opted out.
    const region = (await (await t.request('/api/summaries?territory=region-x&from=2026-10-01&to=2026-10-31')).json()) as { totals: { choices: number } };
    expect(region.totals.choices).toBe(await publishedCount(t, 'choice', countedIds));
  });

  it('takes the choices at registration, through the API and the form', async () => {
    const t = await createTreeTestApp();
    const res = await t.json('POST', '/api/auth/register', {
      email: 'consent@example.org', password: 'a long enough passphrase', name: 'Consent Person', actorKind: 'citizen', territory: 'town-a', defaultVisibility: 'territory', countInSummaries: false,
    });
    expect(res.status).toBe(202);
    const { cookie, csrfToken } = await t.loginCookie('consent@example.org', 'a long enough passphrase');
    const me = (await (await t.request('/api/me', { headers: { Cookie: cookie } })).json()) as { user: Record<string, unknown> };
    expect(me.user).toMatchObject({ defaultVisibility: 'territory', countInSummaries: false });
    const logged = await t.request('/api/choices', { method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' }, body: JSON.stringify(choice()) });
    expect(logged.status).toBe(201);
    expect(await logged.json()).toMatchObject({ visibility: 'territory', countInSummaries: false });
    expect((await t.json('POST', '/api/auth/register', { email: 'bad@example.org', password: 'a long enough passphrase', name: 'Bad', actorKind: 'citizen', defaultVisibility: 'everyone' })).status).toBe(400);

    // Someone who chose "public" but has not confirmed their address yet publishes nothing by default either.
    await t.json('POST', '/api/auth/register', { email: 'eager@example.org', password: 'a long enough passphrase', name: 'Eager', actorKind: 'citizen', defaultVisibility: 'public' });
    const { cookie: eagerCookie, csrfToken: eagerCsrf } = await t.loginCookie('eager@example.org', 'a long enough passphrase');
    const privately = await t.request('/api/choices', { method: 'POST', headers: { Cookie: eagerCookie, 'X-CSRF-Token': eagerCsrf, 'Content-Type': 'application/json' }, body: JSON.stringify(choice()) });
    expect(privately.status).toBe(201);
    expect(await privately.json()).toMatchObject({ visibility: 'private' });
    // Saying "public" outright is refused until then, with the reason.
    const refused = await t.request('/api/choices', { method: 'POST', headers: { Cookie: eagerCookie, 'X-CSRF-Token': eagerCsrf, 'Content-Type': 'application/json' }, body: JSON.stringify({ ...choice(), visibility: 'public' }) });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('email_unverified');

    // The form: the questions are there, with the link to the privacy page, and the answers are kept.
    const page = await (await t.request('/register')).text();
    expect(page).toContain('name="defaultVisibility" value="private" checked');
    expect(page).toContain('name="countInSummaries" value="yes" checked');
    expect(page).toContain('href="/privacy"');
    const posted = await t.request('/register', { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form({ name: 'Form Person', email: 'form@example.org', password: 'a long enough passphrase', actorKind: 'citizen', territory: '', locale: 'fr', defaultVisibility: 'public', countInSummaries: 'no' }) });
    expect(posted.status).toBe(200);
    const row = await t.db.selectFrom('user').select(['default_visibility', 'count_in_summaries_default']).where('email', '=', 'form@example.org').executeTakeFirstOrThrow();
    expect(row).toEqual({ default_visibility: 'public', count_in_summaries_default: 0 });
    // A form with an error keeps the answers given.
    const again = await t.request('/register', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form({ name: 'Form Person', email: 'form@example.org', password: 'short', actorKind: 'citizen', territory: '', defaultVisibility: 'territory', countInSummaries: 'no' }) });
    expect(again.status).toBe(400);
    const kept = await again.text();
    expect(kept).toContain('name="defaultVisibility" value="territory" checked');
    expect(kept).toContain('name="countInSummaries" value="no" checked');
  });

  it('changes them in the settings page without JavaScript, and the journal form starts from them', async () => {
    const t = await createTreeTestApp();
    const { user } = await t.userWithToken({ territory: 'town-a' });
    const { cookie, csrfToken } = await t.loginCookie(user.email);
    const get = async (path: string) => (await t.request(path, { headers: { Cookie: cookie } })).text();
    const settings = await get('/me/settings');
    expect(settings).toContain('action="/me/consent"');
    expect(settings).toContain('href="/privacy"');
    expect(await get('/choices/new')).toContain('name="visibility" value="private" checked');

    const res = await t.request('/me/consent', { method: 'POST', redirect: 'manual', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form({ _csrf: csrfToken, defaultVisibility: 'territory', countInSummaries: 'no' }) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/me/settings?consent=saved#privacy-choices');
    const saved = await get('/me/settings?consent=saved');
    expect(saved).toContain(translator('en')('consent.saved'));
    expect(saved).toContain('name="defaultVisibility" value="territory" checked');
    expect(saved).toContain('name="countInSummaries" value="no" checked');
    const journalForm = await get('/choices/new');
    expect(journalForm).toContain('name="visibility" value="territory" checked');
    expect(journalForm).not.toMatch(/name="countInSummaries" value="on" checked/);

    // Forged values are refused and change nothing; without a session, nothing happens at all.
    const forged = await t.request('/me/consent', { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: form({ _csrf: csrfToken, defaultVisibility: 'everyone' }) });
    expect(forged.status).toBe(400);
    expect((await t.request('/me/consent', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form({ defaultVisibility: 'public' }) })).status).toBe(401);
    const row = await t.db.selectFrom('user').select(['default_visibility', 'count_in_summaries_default']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ default_visibility: 'territory', count_in_summaries_default: 0 });
  });
});

describe('the privacy page', () => {
  it('renders in English, French and Portuguese without JavaScript, linked from every page', async () => {
    const t = await createTreeTestApp();
    expect(await (await t.request('/')).text()).toContain('href="/privacy"');
    for (const [locale, init] of [['en', {}], ['fr', { headers: { 'Accept-Language': 'fr-FR,fr;q=0.9' } }], ['pt', {}]] as const) {
      const res = await t.request(locale === 'pt' ? '/privacy?lang=pt' : '/privacy', init);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-language')).toBe(locale);
      const html = await res.text();
      const tr = translator(locale);
      expect(html).toContain(`<h1>${tr('privacy.title')}</h1>`);
      // The real threshold, from the summaries' own constant.
      expect(html).toContain(tr('privacy.summariesThreshold', { threshold: PRIVACY_THRESHOLD }));
      expect(html).toContain(String(PRIVACY_THRESHOLD));
      for (const href of ['/me/settings#your-data', '/me/settings#me-delete', '/me/settings#privacy-choices']) expect(html).toContain(`href="${href}"`);
      expect(html).toContain('GET /api/me/export');
      expect(html).toContain('DELETE /api/me');
      expect(html).toContain('sj_session');
      expect(html).not.toContain('<script>');
    }
  });

  it('states the retention periods in force', async () => {
    const t = await createTreeTestApp();
    const before = await (await t.request('/privacy')).text();
    expect(before).toContain('deleted from the outbox 30 days after they are sent');
    expect(before).toContain('Audit log entries: deleted after 365 days.');
    expect(before).toContain('after 7 days without activity, or 30 days after you signed in');
    expect((await t.json('PUT', '/api/admin/retention', { sessionsDays: 2, outboxDays: 12, readNotificationsDays: 1, auditDays: null }, t.admin.auth)).status).toBe(200);
    const after = await (await t.request('/privacy')).text();
    expect(after).toContain('deleted from the outbox 12 days after they are sent');
    expect(after).toContain('Notifications: deleted 1 day after you read them');
    expect(after).toContain('Audit log entries: kept with no limit.');
    // The retention period is shorter than the configured idle limit: the page says the shorter one.
    expect(after).toContain('after 2 days without activity');
    const fr = await (await t.request('/privacy?lang=fr')).text();
    // Periods are spelled in the reader's language (French puts a no-break space before the unit).
    expect(fr).toMatch(/supprimés de la boîte d’envoi 12\sjours après leur envoi/);
  });
});
