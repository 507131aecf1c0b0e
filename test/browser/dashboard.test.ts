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
      // The story happens in October 2026: the people joined then (accounts made later would not count yet).
      testApp.clock.set('2026-10-15T10:00:00Z');
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
      const rating = await testApp.json('PUT', '/api/territories/sines/indicators/A08', {
        descriptors: ['No cycling', 'Some cycling', 'Cycle lanes planned', 'Cycle lanes in most streets', 'Everyone cycles safely'], level: 4, ratedOn: '2026-10-01', phase: 'ex-post',
      }, admin.auth);
      expect(rating.status, await rating.clone().text()).toBeLessThan(300);
      const assessment = await testApp.json('POST', '/api/assessments', { territory: 'sines', from: '2026-05-01', to: '2026-10-31' }, admin.auth);
      expect(assessment.status, await assessment.clone().text()).toBe(201);
      assessmentId = ((await assessment.json()) as { id: number }).id;
    });
  });

  it('never draws a withheld figure as zero: two actors get sentences, twelve get marked charts', { timeout: 60_000 }, async () => {
    await withSite(browser(), async ({ server, page }) => {
      await page.setViewportSize({ width: 390, height: 844 });
      // Two actors: every chart of counts is a sentence saying why it is withheld, its table says "withheld".
      await page.goto(`${server.url}/territories/pair?from=2026-06&to=2026-10`);
      expect(await page.locator('figure.chart-withheld').count()).toBeGreaterThanOrEqual(5);
      expect(await page.locator('sj-chart').count()).toBe(0);
      expect(await page.locator('figure.chart-withheld .chart-note').first().textContent()).toContain('fewer than 3 people');
      expect(await page.locator('figure.chart-withheld table').first().textContent()).toContain('withheld (fewer than 3 actors)');
      // Twelve actors, one kind of actor and one level used by a single person: those cells are marked, not zero.
      await page.goto(`${server.url}/territories/dozen?from=2026-06&to=2026-10`);
      await expect.poll(() => page.locator('sj-chart canvas').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
      const charts = await page.locator('sj-chart').evaluateAll((elements) => elements.map((e) => ({
        series: JSON.parse(e.getAttribute('series') ?? '{}') as { datasets: { values: (number | null)[] }[] },
        summary: e.getAttribute('summary') ?? '',
        rows: [...e.querySelectorAll('tbody tr')].map((row) => row.querySelector('td')?.textContent ?? ''),
      })));
      const levels = charts.find((chart) => chart.rows.length === 6)!;
      expect(levels.series.datasets[0].values.filter((v) => v === null).length).toBeGreaterThan(0);
      for (const chart of charts) {
        chart.series.datasets[0].values.forEach((value, i) => {
          if (chart.rows[i] === undefined) return;
          expect(value === null, `${chart.rows[i]} / ${value}`).toBe(chart.rows[i].startsWith('withheld'));
        });
        if (chart.series.datasets[0].values.includes(null)) expect(chart.summary).toMatch(/withheld/);
      }
      const serious = (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => v.id)).toEqual([]);
    }, async (testApp, admin) => {
      testApp.clock.set('2026-10-15T10:00:00Z');
      for (const slug of ['pair', 'dozen']) await testApp.json('POST', '/api/territories', { slug, name: slug, kind: 'municipality' }, admin.auth);
      const log = async (territory: string, i: number, level: string) => {
        const person = await testApp.userWithToken({ territory });
        const res = await testApp.json('POST', '/api/choices', { title: `Repair café ${i}`, madeOn: '2026-07-10', level, components: ['A08'], territory, visibility: 'private' }, person.auth);
        expect(res.status).toBe(201);
      };
      for (let i = 0; i < 2; i++) await log('pair', i, 'family');
      for (let i = 0; i < 12; i++) await log('dozen', i, i === 0 ? 'government' : 'family');
    });
  });
});
