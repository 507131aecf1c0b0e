import AxeBuilder from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { useBrowser, withSite } from './site.js';

const browser = useBrowser();

describe('the dashboard in Chromium', () => {
  it('draws charts with data tables on a phone, without console errors or sideways scrolling', { timeout: 60_000 }, async () => {
    let assessmentId = 0;
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
      // Indicator levels are charted with their table.
      await expect.poll(() => page.locator('#chart-indicators-title').count()).toBe(1);
      expect(await page.locator('figure:has(#chart-indicators-title) table').textContent()).toMatch(/4\/5/);
      // The six-month report: a print button once scripts run; on paper, no site header, every table shown.
      await page.goto(`${server.url}/assessments/${assessmentId}`);
      await expect.poll(() => page.locator('button[data-print]').isVisible()).toBe(true);
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.site-header').isVisible()).toBe(false);
      expect(await page.locator('button[data-print]').isVisible()).toBe(false);
      expect(await page.locator('sj-chart table').first().isVisible()).toBe(true);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(1);
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
      testApp.clock.set('2026-10-15T10:00:00Z');
      const rating = await testApp.json('PUT', '/api/territories/sines/indicators/A08', {
        descriptors: ['No cycling', 'Some cycling', 'Cycle lanes planned', 'Cycle lanes in most streets', 'Everyone cycles safely'], level: 4, ratedOn: '2026-10-01', phase: 'ex-post',
      }, admin.auth);
      expect(rating.status, await rating.clone().text()).toBeLessThan(300);
      const assessment = await testApp.json('POST', '/api/assessments', { territory: 'sines', from: '2026-05-01', to: '2026-10-31' }, admin.auth);
      expect(assessment.status, await assessment.clone().text()).toBe(201);
      assessmentId = ((await assessment.json()) as { id: number }).id;
    });
  });
});
