import { describe, expect, it } from 'vitest';
import { type Site, useBrowser, withSite } from './site.js';

// Small things forms do in the browser: text areas for prose in the body font (markdown sources in a
// monospace one).

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
});
