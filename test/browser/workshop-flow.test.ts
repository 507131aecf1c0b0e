import AxeBuilder from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { register, useBrowser, withSite } from './site.js';

const browser = useBrowser();

describe('workshops in Chromium', () => {
  it('a facilitator creates a workshop in Brussels time; another person registers and reads it in São Paulo time', { timeout: 90_000 }, async () => {
    await withSite(browser(), async ({ server, page, context }) => {
      // The facilitator logs in and creates the workshop, in her own wall time.
      await page.goto(`${server.url}/login?next=/workshops/new`);
      await page.getByLabel('Email').fill('ines@example.org');
      await page.getByLabel('Password').fill('correct horse battery staple');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByLabel('Title').fill('Co-actors for food and health');
      await page.getByLabel('Start (wall time in the time zone)').fill('2026-12-12T16:00');
      await page.getByLabel('Time zone', { exact: true }).fill('Europe/Brussels');
      await page.getByLabel('Duration (minutes)').fill('120');
      await page.getByLabel('Portuguese').check();
      await page.getByLabel('Capacity (empty: no limit)').fill('2');
      await page.getByLabel('Video-call link (shown to registered participants only)').fill('https://meet.example.org/food-health');
      await page.getByRole('button', { name: 'Create the workshop' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Workshop created.');
      const workshopUrl = page.url().replace(/\?.*$/, '');
      // A wall time that does not exist is refused in the form, with the input kept.
      await page.goto(`${server.url}/workshops/new`);
      await page.getByLabel('Title').fill('Spring forward');
      await page.getByLabel('Start (wall time in the time zone)').fill('2027-03-28T02:30');
      await page.getByLabel('Time zone', { exact: true }).fill('Europe/Brussels');
      await page.getByRole('button', { name: 'Create the workshop' }).click();
      await expect.poll(() => page.locator('.error-summary').textContent()).toContain('does not exist in Europe/Brussels');
      expect(await page.getByLabel('Title').inputValue()).toBe('Spring forward');

      // Someone else, reading from Brazil, registers.
      const other = await context.browser()!.newContext({ locale: 'en-GB', timezoneId: 'America/Sao_Paulo' });
      const reader = await other.newPage();
      const problems: string[] = [];
      reader.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
      await register(reader, server.url, 'Rafael Souza');
      await reader.goto(workshopUrl);
      // The browser's zone is picked up: the time reads in São Paulo, the organiser's alongside.
      await expect.poll(() => reader.locator('.when').textContent()).toContain('12:00–14:00 (America/Sao_Paulo');
      expect(await reader.locator('.when').textContent()).toContain('Organiser’s time: 16:00–18:00 (Europe/Brussels)');
      expect(await reader.content()).not.toContain('meet.example.org/food-health');
      await reader.getByRole('button', { name: 'Register' }).click();
      await expect.poll(() => reader.getByRole('status').first().textContent()).toContain('You are registered.');
      expect(await reader.getByRole('link', { name: 'Join the video call' }).getAttribute('href')).toBe('https://meet.example.org/food-health');
      // ?tz= shows it in another zone, named.
      await reader.goto(`${workshopUrl}?tz=Atlantic/Cape_Verde`);
      expect(await reader.locator('.when').textContent()).toContain('14:00–16:00 (Atlantic/Cape_Verde');
      await reader.setViewportSize({ width: 390, height: 844 });
      const overflow = await reader.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      const results = await new AxeBuilder({ page: reader }).withTags(['wcag2a', 'wcag2aa']).analyze();
      expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} ${v.nodes[0]?.target}`)).toEqual([]);
      await reader.goto(`${server.url}/workshops`);
      expect(await reader.locator('.workshop-card').first().textContent()).toContain('You are registered.');
      await other.close();
      expect(problems).toEqual([]);
    }, async (testApp) => {
      await testApp.userWithToken({ role: 'facilitator', name: 'Inês Costa', email: 'ines@example.org' });
    });
  });
});
