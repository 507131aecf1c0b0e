import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser, withSite } from './site.js';

const browser = useBrowser();

async function logIn(page: Page, base: string, email: string, next: string) {
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.pathname === next.replace(/\?.*$/, ''));
}

async function approveCurrent(page: Page) {
  await page.getByLabel('approve this version').check();
  await page.getByRole('button', { name: 'Send my decision' }).click();
}

describe('charters in Chromium', () => {
  it('drafts a charter from a workshop, amends it, and is adopted once every participant approved the current version', { timeout: 120_000 }, async () => {
    let workshopId = 0;
    await withSite(browser(), async ({ server, page }) => {
      // The facilitator drafts the charter from the workshop's conclusions.
      await logIn(page, server.url, 'ines@example.org', `/workshops/${workshopId}`);
      await page.getByRole('link', { name: 'Draft a charter from these conclusions' }).click();
      expect(await page.getByLabel('Text (Markdown)').inputValue()).toContain('School canteens buy local food.');
      await page.getByRole('button', { name: 'Create the draft' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Draft created');
      const charterUrl = page.url().replace(/\?.*$/, '');
      expect(await page.locator('table').textContent()).toContain('Ana Reis');
      await approveCurrent(page);
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Your decision is recorded.');

      // Ana objects, then proposes an amendment; Bruno approves version 1 meanwhile.
      const other = async (email: string) => {
        const context = await (page.context().browser() as Browser).newContext({ locale: 'en-GB' });
        const p = await context.newPage();
        await logIn(p, server.url, email, new URL(charterUrl).pathname);
        return { context, p };
      };
      const ana = await other('ana@example.org');
      await ana.p.getByLabel('object to this version').check();
      await ana.p.getByRole('button', { name: 'Send my decision' }).click();
      await expect.poll(() => ana.p.locator('.error-summary').textContent()).toContain('Say why.');
      await ana.p.getByLabel('Comment').fill('Fruit should be seasonal.');
      await ana.p.getByRole('button', { name: 'Send my decision' }).click();
      await expect.poll(() => ana.p.getByRole('status').first().textContent()).toContain('Your decision is recorded.');
      await ana.p.getByLabel('Propose an amendment: the text as you would have it').fill('School canteens buy local food.\n\nFruit is seasonal.');
      await ana.p.getByLabel('Why').fill('Seasons matter');
      await ana.p.getByRole('button', { name: 'Propose the amendment' }).click();
      await expect.poll(() => ana.p.getByRole('status').first().textContent()).toContain('Amendment proposed.');
      const bruno = await other('bruno@example.org');
      await approveCurrent(bruno.p);
      await expect.poll(() => bruno.p.getByRole('status').first().textContent()).toContain('Your decision is recorded.');

      // The drafter accepts: version 2, every earlier decision void.
      await page.goto(charterUrl);
      await page.getByRole('button', { name: 'Accept' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Amendment decided.');
      expect(await page.locator('#text-title').textContent()).toContain('Version 2');
      expect(await page.locator('p', { hasText: 'participants approved the current version' }).textContent()).toContain('0 of 3');
      await page.getByText('What changed since version 1').click();
      expect(await page.locator('.diff ins').first().textContent()).toContain('Fruit is seasonal.');

      // Everyone approves version 2: adopted, read-only, signatories shown.
      await approveCurrent(page);
      for (const person of [ana, bruno]) {
        await person.p.goto(charterUrl);
        await approveCurrent(person.p);
      }
      await expect.poll(() => bruno.p.getByRole('status').first().textContent()).toContain('the charter is adopted');
      expect(await bruno.p.locator('#participants-title').textContent()).toBe('Signatories');
      expect(await bruno.p.getByRole('button', { name: 'Send my decision' }).count()).toBe(0);
      expect(await bruno.p.getByRole('button', { name: 'Propose the amendment' }).count()).toBe(0);
      const results = await new AxeBuilder({ page: bruno.p }).withTags(['wcag2a', 'wcag2aa']).analyze();
      expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} ${v.nodes[0]?.target}`)).toEqual([]);
      // Ana's notices tell her so.
      await ana.p.goto(`${server.url}/me`);
      expect(await ana.p.locator('#notices').locator('..').textContent()).toContain('is adopted');
      await ana.context.close();
      await bruno.context.close();
    }, async (testApp) => {
      const ines = await testApp.userWithToken({ role: 'facilitator', name: 'Inês Costa', email: 'ines@example.org' });
      const people = [await testApp.userWithToken({ name: 'Ana Reis', email: 'ana@example.org' }), await testApp.userWithToken({ name: 'Bruno Lima', email: 'bruno@example.org' })];
      const workshop = await testApp.json('POST', '/api/workshops', { title: 'Food and health', startsAt: '2026-12-01T10:00', timeZone: 'Europe/Lisbon', durationMinutes: 60, languages: ['pt', 'en'] }, ines.auth);
      workshopId = ((await workshop.json()) as { id: number }).id;
      for (const p of people) await testApp.request(`/api/workshops/${workshopId}/registrations`, { method: 'POST', headers: p.auth });
      await testApp.json('PUT', `/api/workshops/${workshopId}/conclusions`, { markdown: 'School canteens buy local food.' }, ines.auth);
    });
  });
});
