import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Site, useBrowser, withSite } from './site.js';

// On a 390×844 phone the site header is a bar (name, current section, bell or "Log in", search) and a
// "Menu" disclosure (<details>) holding the navigation and the languages: it takes at most a quarter of
// the screen, opens and closes with and without JavaScript, and each main page's one main action is on
// the first screen. On a wide screen the navigation stays a horizontal list, always shown.

const browser = useBrowser();
const PHONE = { width: 390, height: 844 };
const ids: Record<string, number> = {};

const setup: Parameters<typeof withSite>[2] = async (t, admin) => {
  const ok = async (method: string, path: string, body: unknown) => {
    const res = await t.json(method, path, body, admin.auth);
    expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
    return (await res.json()) as Record<string, any>;
  };
  await ok('PUT', '/api/pages/garden', { markdown: '# Garden\n\nWe grow **tomatoes** with the school.' });
  await ok('POST', '/api/choices', { title: 'Cycled to school', madeOn: '2026-11-01', level: 'family', components: ['A08', 'H06'], territory: 'sines', visibility: 'public' });
  ids.workshop = (await ok('POST', '/api/workshops', { title: 'Charter workshop', startsAt: '2026-12-10T10:00', timeZone: 'Europe/Brussels', durationMinutes: 90, languages: ['en'], territory: 'sines' })).id;
  await ok('POST', '/api/charters', { title: 'Street charter', markdown: 'We keep the streets safe for children.' });
  await ok('POST', '/api/tools', { name: 'Photo language cards', description: 'Cards to start a conversation.' });
};

async function signIn({ testApp, admin, context, server }: Site, target: BrowserContext = context) {
  const { cookie } = await testApp.loginCookie(admin.user.email);
  const [name, value] = cookie.split('=');
  await target.addCookies([{ name, value, url: server.url }]);
}

const headerHeight = (page: Page) => page.locator('header.site-header').evaluate((el) => el.getBoundingClientRect().height);
const menu = (page: Page) => page.locator('header details.site-menu');

/** Opens and closes the menu by its button, checking what a reader (and a screen reader) gets each time. */
async function toggleMenu(page: Page) {
  const button = page.getByRole('banner').getByText('Menu', { exact: true });
  const choices = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Choices' });
  const french = page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Français' });
  expect(await choices.isVisible()).toBe(false);
  expect(await menu(page).evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
  await button.click();
  await expect.poll(() => choices.isVisible()).toBe(true);
  expect(await french.isVisible()).toBe(true);
  expect(await menu(page).evaluate((d: HTMLDetailsElement) => d.open)).toBe(true);
  // The open menu covers the page below the bar; the bar itself keeps its height.
  expect(await headerHeight(page)).toBeLessThanOrEqual(PHONE.height / 4);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await button.click();
  await expect.poll(() => choices.isVisible()).toBe(false);
  expect(await menu(page).evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
}

describe('the header on a phone', () => {
  it('takes at most a quarter of the screen on every main page, with the main action on the first screen, no sideways scroll and no axe violation', async () => {
    await withSite(browser(), async (site) => {
      const { page, server } = site;
      await page.setViewportSize(PHONE);
      const heights: Record<string, number> = {};
      const failures: string[] = [];
      const pages = ['/', '/choices', '/territories/sines', '/summaries', '/groups', '/workshops', '/charters', '/tools', '/wiki/garden', '/search?q=x', '/criteria'];
      const signedInPages = ['/', '/me', '/choices', '/choices/new', ...pages.slice(2), `/workshops/${ids.workshop}`];
      // The one main action of a page, which must be on the first screen (signed in).
      const mainAction: Record<string, (p: Page) => ReturnType<Page['getByRole']>> = {
        '/me': (p) => p.getByRole('main').getByRole('link', { name: 'Log a choice' }),
        '/choices': (p) => p.getByRole('main').getByRole('link', { name: 'Log a choice' }),
        [`/workshops/${ids.workshop}`]: (p) => p.getByRole('main').getByRole('button', { name: 'Register' }),
        '/wiki/garden': (p) => p.getByRole('main').getByRole('link', { name: 'Edit', exact: true }),
      };
      const visit = async (label: string, paths: string[]) => {
        for (const path of paths) {
          await page.goto(`${server.url}${path}`);
          const height = await headerHeight(page);
          heights[`${label} ${path}`] = Math.round(height);
          if (height > PHONE.height / 4) failures.push(`${label} ${path}: header ${Math.round(height)} px`);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > PHONE.width) failures.push(`${label} ${path}: ${width} px wide`);
          const action = label === 'signed in' ? mainAction[path]?.(page) : undefined;
          if (action) {
            const box = await action.boundingBox();
            if (!box || box.y + box.height > PHONE.height) failures.push(`${label} ${path}: main action ends at ${box ? Math.round(box.y + box.height) : 'nowhere'} px`);
          }
          const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
          for (const v of results.violations) if (v.impact === 'serious' || v.impact === 'critical') failures.push(`${label} ${path}: ${v.id} ${v.nodes[0]?.target}`);
        }
      };
      await visit('anonymous', pages);
      await signIn(site);
      await visit('signed in', signedInPages);
      console.log('header heights at 390×844 (px):', heights);
      expect(failures).toEqual([]);
    }, setup);
  }, 240_000);

  it('shows the current section, the bell and the search on the bar, the rest in the menu', async () => {
    await withSite(browser(), async (site) => {
      const { page, server } = site;
      await page.setViewportSize(PHONE);
      await page.goto(`${server.url}/choices/new`);
      // Anonymous: "Log in" is on the bar; /choices/new sends there first.
      await expect.poll(() => page.getByRole('banner').getByRole('link', { name: 'Log in' }).isVisible()).toBe(true);
      await signIn(site);
      await page.goto(`${server.url}/choices/new`);
      const banner = page.getByRole('banner');
      expect(await banner.locator('.current-section').textContent()).toBe('Choices');
      expect(await banner.locator('.current-section').isVisible()).toBe(true);
      expect(await banner.getByRole('link', { name: /^Notifications/ }).isVisible()).toBe(true);
      expect(await banner.getByRole('searchbox').isVisible()).toBe(true);
      expect(await page.locator('nav.main-nav a[href="/choices"]').getAttribute('aria-current')).toBe('true');
      await page.goto(`${server.url}/choices`);
      expect(await page.locator('nav.main-nav a[href="/choices"]').getAttribute('aria-current')).toBe('page');
    }, setup);
  }, 60_000);

  it('opens and closes the menu without JavaScript', async () => {
    await withSite(browser(), async (site) => {
      const noScript = await site.context.browser()!.newContext({ locale: 'en-GB', viewport: PHONE, javaScriptEnabled: false });
      try {
        const page = await noScript.newPage();
        await page.goto(`${site.server.url}/workshops`);
        await toggleMenu(page);
        // A link in the menu takes the reader there, the language switch too.
        await page.getByRole('banner').getByText('Menu', { exact: true }).click();
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tools' }).click();
        await page.waitForURL(/\/tools$/);
        expect(await page.getByRole('banner').locator('.current-section').textContent()).toBe('Tools');
        await page.getByRole('banner').getByText('Menu', { exact: true }).click();
        await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Français' }).click();
        await page.waitForURL(/lang=fr/);
        expect(await page.getByRole('banner').locator('.current-section').textContent()).toBe('Outils');
        expect(await page.getByRole('banner').locator('summary').textContent()).toContain('Menu');
      } finally {
        await noScript.close();
      }
    }, setup);
  }, 60_000);

  it('opens and closes the menu with JavaScript, Escape closing it back onto its button', async () => {
    await withSite(browser(), async ({ page, server }) => {
      await page.setViewportSize(PHONE);
      await page.goto(`${server.url}/summaries`);
      await toggleMenu(page);
      const summary = page.getByRole('banner').locator('summary');
      // Keyboard: Enter opens, Escape closes and gives focus back to the button.
      await summary.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => menu(page).evaluate((d: HTMLDetailsElement) => d.open)).toBe(true);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Escape');
      await expect.poll(() => menu(page).evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SUMMARY');
      // A click outside closes it too.
      await summary.click();
      await page.mouse.click(PHONE.width / 2, PHONE.height - 5);
      await expect.poll(() => menu(page).evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
    });
  }, 60_000);

  it('keeps the horizontal navigation on a wide screen, with and without JavaScript', async () => {
    await withSite(browser(), async (site) => {
      for (const javaScriptEnabled of [true, false]) {
        const context = await site.context.browser()!.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 }, javaScriptEnabled });
        try {
          const page = await context.newPage();
          await page.goto(`${site.server.url}/groups`);
          const nav = page.getByRole('navigation', { name: 'Main' });
          expect(await nav.getByRole('link', { name: 'Tools' }).isVisible()).toBe(true);
          expect(await page.getByRole('banner').locator('summary').isVisible()).toBe(false);
          const [home, tools] = await Promise.all([nav.getByRole('link', { name: 'Home' }).boundingBox(), nav.getByRole('link', { name: 'Tools' }).boundingBox()]);
          expect(Math.abs(home!.y - tools!.y)).toBeLessThan(2);
        } finally {
          await context.close();
        }
      }
    }, setup);
  }, 60_000);
});
