import { describe, expect, it } from 'vitest';
import { type Site, useBrowser, withSite } from './site.js';

// Small things forms do in the browser: text areas for prose in the body font (markdown sources in a
// monospace one), and time-zone fields that start from the browser's zone when the server has none.

const browser = useBrowser();

async function signIn({ testApp, admin, server }: Site, context: Site['context']) {
  const { cookie } = await testApp.loginCookie(admin.user.email);
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: server.url }]);
}

const fontOf = (site: Site, selector: string) => site.page.locator(selector).evaluate((el) => getComputedStyle(el).fontFamily);

describe('form fields in Chromium', () => {
  it('writes results, descriptions and comments in the body font, markdown sources in a monospace one', async () => {
    await withSite(browser(), async (site) => {
      await signIn(site, site.context);
      await site.page.goto(`${site.server.url}/choices/new`);
      const body = await site.page.evaluate(() => getComputedStyle(document.body).fontFamily);
      expect(body).toMatch(/system-ui/);
      expect(await fontOf(site, '#resultText')).toBe(body);
      expect(await fontOf(site, '#description')).toBe(body);
      await site.page.goto(`${site.server.url}/wiki/garden?action=edit`);
      expect(await fontOf(site, '#markdown')).toMatch(/monospace/);
    });
  }, 60_000);

  it('prefills an empty time zone from the browser on the workshop form and the profile, and leaves it to the server without JavaScript', async () => {
    await withSite(browser(), async (site) => {
      for (const javaScriptEnabled of [true, false]) {
        const context = await site.context.browser()!.newContext({ locale: 'en-GB', timezoneId: 'America/Sao_Paulo', javaScriptEnabled });
        try {
          await signIn(site, context);
          const page = await context.newPage();
          for (const path of ['/workshops/new', '/me/settings']) {
            await page.goto(`${site.server.url}${path}`);
            expect(await page.locator('#timeZone').inputValue(), `${path}, JavaScript ${javaScriptEnabled}`).toBe(javaScriptEnabled ? 'America/Sao_Paulo' : '');
          }
          // A zone the reader chose is never replaced by the browser's.
          expect((await site.testApp.json('PATCH', '/api/me', { timeZone: 'Europe/Lisbon' }, site.admin.auth)).status).toBe(200);
          await page.goto(`${site.server.url}/me/settings`);
          expect(await page.locator('#timeZone').inputValue()).toBe('Europe/Lisbon');
          await page.goto(`${site.server.url}/workshops/new`);
          expect(await page.locator('#timeZone').inputValue()).toBe('Europe/Lisbon');
          expect((await site.testApp.json('PATCH', '/api/me', { timeZone: null }, site.admin.auth)).status).toBe(200);
        } finally {
          await context.close();
        }
      }
    });
  }, 60_000);
});
