import AxeBuilder from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { confirmEmail, register, useBrowser, withSite as withSiteIn } from './site.js';

const browser = useBrowser();
const withSite = (scenario: Parameters<typeof withSiteIn>[1]) => withSiteIn(browser(), scenario);

describe('in Chromium', () => {
  it('register → log in → edit a page → see history → diff → revert', async () => {
    await withSite(async ({ server, page, testApp }) => {
      await register(page, server.url, 'Rosa Lima');
      await confirmEmail(page, testApp, server.url, 'Rosa Lima');
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('link', { name: 'Log in' }).first().click();
      await page.getByLabel('Email').fill('rosa.lima@example.org');
      await page.getByLabel('Password').fill('a long and private sentence');
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect.poll(() => page.url()).toMatch(/\/me$/);

      await page.getByRole('link', { name: 'Personal page of Rosa Lima' }).click();
      await page.getByRole('link', { name: 'Edit' }).click();
      await page.getByLabel('Content').fill('# Rosa Lima\n\nI cycle to work every day.');
      await page.getByLabel('Summary').fill('About my commute');
      await page.getByRole('button', { name: 'Save the page' }).click();
      await expect.poll(() => page.locator('.prose').first().textContent()).toContain('I cycle to work every day.');

      await page.getByRole('link', { name: 'Edit' }).click();
      await page.getByLabel('Content').fill('# Rosa Lima\n\nI take the bus to work every day.');
      await page.getByRole('button', { name: 'Save the page' }).click();
      await expect.poll(() => page.locator('.prose').first().textContent()).toContain('I take the bus');

      await page.getByRole('link', { name: 'History' }).click();
      const rows = page.locator('table tbody tr');
      await expect.poll(() => rows.count()).toBe(3);
      await expect.poll(() => rows.first().first().textContent()).toContain('Rosa Lima');
      await page.getByRole('button', { name: 'Compare the selected revisions' }).click();
      await expect.poll(() => page.locator('.diff del').allTextContents().then((t) => t.join(' '))).toContain('cycle');
      await expect.poll(() => page.locator('.diff ins').allTextContents().then((t) => t.join(' '))).toContain('take the bus');
      await page.getByRole('button', { name: 'Next change' }).click();
      await expect.poll(() => page.locator('sj-diff-viewer [role=status]').textContent()).toMatch(/^1 \/ [2-9]$/);

      await page.getByRole('link', { name: 'History' }).click();
      await page.getByRole('button', { name: 'Revert to 2' }).click();
      await expect.poll(() => page.locator('.prose').first().textContent()).toContain('I cycle to work every day.');
      await page.getByRole('link', { name: 'History' }).click();
      await expect.poll(() => page.locator('table tbody tr').first().first().textContent()).toContain('Reverted to revision 2');
    });
  });

  it('switches the interface language and remembers it', async () => {
    await withSite(async ({ server, page }) => {
      await page.goto(`${server.url}/criteria`);
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
      await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Français' }).click();
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('fr');
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Critères de bien-être');
      await page.getByRole('heading', { name: /Accès aux ressources essentielles/ }).waitFor();
      await page.getByRole('link', { name: 'Territoires' }).first().click();
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('fr');
      await page.getByRole('link', { name: 'Português' }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Territórios');
    });
  });

  it('filters the criteria as one types, and pages pass axe checks on a phone', async () => {
    await withSite(async ({ server, page }) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${server.url}/criteria`);
      await page.getByLabel('Filter the criteria').fill('mobility');
      await expect.poll(() => page.locator('li[data-code]:visible').count()).toBe(1);
      await expect.poll(() => page.locator('li[data-code]:visible').first().textContent()).toContain('A08');
      for (const path of ['/', '/criteria', '/register', '/territories/sines', '/wiki/territory/sines?action=history']) {
        await page.goto(`${server.url}${path}`);
        const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
        const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${path}: ${v.id} ${v.nodes[0]?.target}`);
        expect(serious).toEqual([]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, path).toBeLessThanOrEqual(1);
      }
    });
  });
});
