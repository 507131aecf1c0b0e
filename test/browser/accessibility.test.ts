import AxeBuilder from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { useBrowser, withSite } from './site.js';

// axe-core (WCAG 2.1 A and AA rules) on every kind of page, with real content in it, anonymous and
// signed in: no serious or critical violation; and no sideways scrolling on a 390 px phone or in a
// 1280 px window zoomed to 200 %.

const browser = useBrowser();

describe('every page type', () => {
  it('has no serious or critical WCAG 2.1 A/AA violation, on a desktop and on a phone', async () => {
    const ids: Record<string, number> = {};
    await withSite(browser(), async ({ page, server, context, testApp, admin, problems }) => {
      const notFound: string[] = [];
      page.on('response', (res) => {
        if (res.status() === 404) notFound.push(new URL(res.url()).pathname);
      });
      const anonymous = ['/', '/wiki/garden', '/wiki/garden?action=history', '/territories', '/territories/sines', '/territories/sines/indicators', '/choices',
        `/choices/${ids.choice}`, '/groups', `/groups/${ids.group}`, '/workshops', `/workshops/${ids.workshop}`, '/workshops/program?event=Charter%20days', '/charters', `/charters/${ids.charter}`,
        '/topics', '/tools', '/summaries', '/search?q=garden', '/recent-changes', '/criteria', '/criteria/A08', '/login', '/register', '/privacy', '/wiki/nobody-wrote-this'];
      const signedIn = ['/me', '/me/settings', '/me/notifications', '/me/watchlist', '/me/notifications/settings', '/admin/audit', '/admin/users', '/admin/flags', '/admin/retention', '/choices/new', `/choices/${ids.choice}/edit`, `/choices/${ids.choice}/history`, '/groups/new', '/workshops/new', '/charters/new', '/territories/new', '/wiki/garden?action=edit'];
      const failures: string[] = [];
      const check = async (paths: string[], label: string) => {
        for (const path of paths) {
          await page.goto(`${server.url}${path}`);
          const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
          for (const v of results.violations) if (v.impact === 'serious' || v.impact === 'critical') failures.push(`${label} ${path}: ${v.id} ${v.nodes[0]?.target}`);
        }
      };
      // A 390 px phone, and a 1280 px window zoomed to 200 % (640 CSS pixels wide): nothing scrolls sideways.
      const narrow = async (paths: string[], label: string) => {
        for (const width of [390, 640]) {
          await page.setViewportSize({ width, height: 844 });
          for (const path of paths) {
            await page.goto(`${server.url}${path}`);
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
            if (overflow > 1) failures.push(`${label} ${path}: ${overflow}px sideways scroll at ${width} px`);
          }
        }
        await page.setViewportSize({ width: 1280, height: 900 });
      };
      await check(anonymous, 'anonymous');
      await narrow(anonymous, 'anonymous');
      const { cookie } = await testApp.loginCookie(admin.user.email);
      const [name, value] = cookie.split('=');
      await context.addCookies([{ name, value, url: server.url }]);
      await check(signedIn, 'signed in');
      await narrow(signedIn, 'signed in');
      expect(failures).toEqual([]);
      // The page nobody wrote answers 404 on purpose (and says how to create it); nothing else may be missing.
      expect([...new Set(notFound)]).toEqual(['/wiki/nobody-wrote-this']);
      problems.splice(0, problems.length, ...problems.filter((problem) => !/status of 404 \(Not Found\)/.test(problem)));
    }, async (t, admin) => {
      const ok = async (method: string, path: string, body: unknown) => {
        const res = await t.json(method, path, body, admin.auth);
        expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
        return (await res.json()) as Record<string, any>;
      };
      await ok('PUT', '/api/pages/garden', { markdown: '# Garden\n\nWe grow **tomatoes** with the school. See [[Compost]].\n\n- water\n- weed' });
      await ok('PUT', '/api/pages/garden', { markdown: '# Garden\n\nWe grow **tomatoes and beans** with the school.', baseRevision: 1 });
      ids.choice = (await ok('POST', '/api/choices', { title: 'Cycled to school', description: 'Every day, 4 km.', madeOn: '2026-11-01', level: 'family', components: ['A08', 'H06'], territory: 'sines', visibility: 'public',
        results: [{ observedOn: '2026-11-10', text: 'No car trips', quantity: -12, unit: 'kg CO2e' }] })).id;
      ids.group = (await ok('POST', '/api/groups', { name: 'Young parents', kind: 'homogeneous', territory: 'sines', profile: 'Parents of young children.' })).id;
      await ok('POST', `/api/groups/${ids.group}/statements`, { question: 'wellbeing', text: 'Safe streets to play in', components: ['B05'] });
      ids.workshop = (await ok('POST', '/api/workshops', { title: 'Charter workshop', description: 'Drafting together.', event: 'Charter days', startsAt: '2026-12-10T10:00', timeZone: 'Europe/Brussels', durationMinutes: 90, languages: ['en', 'fr'], territory: 'sines' })).id;
      ids.charter = (await ok('POST', '/api/charters', { title: 'Street charter', markdown: 'We keep the streets safe for children.' })).id;
      await ok('POST', '/api/topics', { title: 'Shared bikes', description: 'A bike library?' });
      await ok('POST', '/api/tools', { name: 'Photo language cards', description: 'Cards to start a conversation.' });
      // Something new on the watchlist and under the bell.
      await ok('POST', '/api/me/watchlist', { kind: 'territory', target: 'sines', expiresAt: '2027-06-30' });
      await ok('POST', '/api/me/watchlist', { kind: 'component', target: 'A08' });
      const neighbour = await t.userWithToken({ name: 'Neighbour', territory: 'sines' });
      expect((await t.json('POST', '/api/choices', { title: 'Walked to the market', madeOn: '2026-11-02', level: 'individual', components: ['A08'], territory: 'sines', visibility: 'public' }, neighbour.auth)).status).toBe(201);
    });
  }, 240_000);
});
