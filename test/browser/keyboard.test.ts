import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { register, useBrowser, withSite } from './site.js';

// Keyboard only: Tab to each control (its focus always visible), type, Space and arrows to choose,
// Enter to send. Logging a choice, then approving a charter until it is adopted.

const browser = useBrowser();

/** Presses Tab until the focused element matches, checking on the way that focus is always visible. */
async function tabTo(page: Page, matches: (name: string) => boolean, label: string, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(async () => {
      // Styles settle on the next frame.
      await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
      // Inside a component the focused element is in its shadow root.
      let el = document.activeElement as HTMLElement | null;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement as HTMLElement;
      if (!el || el === document.body) return null;
      const root = el.getRootNode() as Document | ShadowRoot;
      const labelled = el.id ? root.querySelector(`label[for="${el.id}"]`)?.textContent : null;
      const name = (el.getAttribute('aria-label') ?? labelled ?? el.closest('label')?.textContent ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
      const style = getComputedStyle(el);
      const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      return { name, visible, tag: `${el.tagName} ${el.getAttribute('type') ?? ''} ${el.id} outline=${style.outlineStyle}/${style.outlineWidth} fv=${el.matches(':focus-visible')} focus=${el.matches(':focus')} doc=${document.hasFocus()}` };
    });
    if (!focused) continue;
    expect(focused.visible, `focus visible on ${focused.tag} "${focused.name}" while looking for ${label}`).toBe(true);
    if (matches(focused.name)) return;
  }
  throw new Error(`Tab never reached ${label}`);
}

describe('keyboard only', () => {
  it('logs a choice with its criteria and saves it', { timeout: 90_000 }, async () => {
    await withSite(browser(), async ({ server, page }) => {
      await register(page, server.url, 'Rita Keys');
      await page.goto(`${server.url}/choices/new`);
      await tabTo(page, (name) => name.startsWith('What did you choose to do?'), 'the title');
      await page.keyboard.type('I cycle to work instead of driving my car');
      await tabTo(page, (name) => name.startsWith('Details'), 'the details');
      await page.keyboard.type('About 8 km a day.');
      await page.getByRole('button', { name: /^Add A08 / }).waitFor();
      await tabTo(page, (name) => /^Add A08 /.test(name), 'the A08 suggestion');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('input[name="components"][value="A08"]').isChecked()).toBe(true);
      await tabTo(page, (name) => name.startsWith('Save the choice'), 'the save button', 200);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Saved.');
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('I cycle to work instead of driving my car');
    });
  });

  it('approves a charter until it is adopted', { timeout: 90_000 }, async () => {
    let charterId = 0;
    await withSite(browser(), async ({ server, page, testApp, admin }) => {
      const { cookie } = await testApp.loginCookie(admin.user.email);
      const [name, value] = cookie.split('=');
      await page.context().addCookies([{ name, value, url: server.url }]);
      await page.goto(`${server.url}/charters/${charterId}`);
      await tabTo(page, (label) => label.includes('approve this version'), 'the approve choice', 120);
      await page.keyboard.press('Space');
      await tabTo(page, (label) => label.startsWith('Send my decision'), 'the send button');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('the charter is adopted');
    }, async (t, admin) => {
      const res = await t.json('POST', '/api/charters', { title: 'Quiet streets charter', markdown: 'We keep the streets around schools quiet and safe.' }, admin.auth);
      expect(res.status).toBe(201);
      charterId = ((await res.json()) as { id: number }).id;
    });
  });
});
