import AxeBuilder from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { useBrowser, withSite } from './site.js';

const browser = useBrowser();

describe('the dashboard in Chromium', () => {
  it('draws charts with data tables on a phone, without console errors or sideways scrolling', { timeout: 60_000 }, async () => {
    await withSite(browser(), async ({ server, page }) => {
      await page.setViewportSize({ width: 390, height: 844 });
      for (const path of ['/territories/sines', '/summaries']) {
        await page.goto(`${server.url}${path}`);
        const charts = page.locator('sj-chart');
        expect(await charts.count(), path).toBeGreaterThanOrEqual(3);
        // Each chart draws on a canvas inside its shadow root.
        await expect.poll(() => page.locator('sj-chart canvas').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
        const drawn = await page.locator('sj-chart canvas').evaluateAll((canvases) => canvases.filter((c) => (c as HTMLCanvasElement).width > 0).length);
        expect(drawn, path).toBeGreaterThanOrEqual(3);
        expect(await page.locator('sj-chart table').count(), path).toBeGreaterThanOrEqual(3);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, path).toBeLessThanOrEqual(1);
        const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
        const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${path}: ${v.id} ${v.nodes[0]?.target}`);
        expect(serious).toEqual([]);
      }
      await page.goto(`${server.url}/territories/sines`);
      const narrative = await page.locator('.narrative').textContent();
      expect(narrative).toMatch(/Sines/);
    }, async (testApp, admin) => {
      const people = [];
      for (let i = 0; i < 4; i++) people.push(await testApp.userWithToken({ territory: 'sines' }));
      const month = (n: number) => `2026-${String(6 + n).padStart(2, '0')}-10`;
      for (const [i, person] of people.entries()) {
        for (let n = 0; n < 3; n++) {
          const res = await testApp.json('POST', '/api/choices', {
            title: `We cycle to the market ${i}-${n}`, description: 'Fresh vegetables from the local farm', madeOn: month(n), level: 'family', components: n % 2 ? ['A08', 'H06'] : ['A01', 'E06'],
            territory: 'sines', visibility: 'public', results: [{ observedOn: month(n), quantity: -5 * (n + 1), unit: 'kg CO2e' }],
          }, person.auth);
          expect(res.status).toBe(201);
        }
      }
      expect(admin.auth.Authorization).toBeTruthy();
      testApp.clock.set('2026-10-15T10:00:00Z');
    });
  });
});
