import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { register, useBrowser, withSite } from './site.js';

const browser = useBrowser();

async function expectAccessible(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${label}: ${v.id} ${v.nodes[0]?.target}`);
  expect(serious).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, label).toBeLessThanOrEqual(1);
}

describe('the journal in Chromium', () => {
  it('logs a choice with the picker, follows it up with a result, and shows it in the journal and on the territory page', { timeout: 90_000 }, async () => {
    await withSite(browser(), async ({ server, page, testApp }) => {
      await register(page, server.url, 'Joana Reis');
      await page.getByRole('link', { name: 'Log a choice' }).first().click();
      await page.getByLabel('What did you choose to do?').fill('I cycle to work instead of driving my car');
      await page.getByLabel('Details (optional)').fill('About 8 km a day along the coast road.');
      // The picker suggests from the text; nothing is ticked until the person chooses.
      const suggestion = page.getByRole('button', { name: /^Add A08 / });
      await suggestion.waitFor();
      expect(await page.locator('input[name="components"]:checked').count()).toBe(0);
      await suggestion.click();
      await expect.poll(() => page.locator('input[name="components"][value="A08"]').isChecked()).toBe(true);
      await expect.poll(() => page.getByRole('button', { name: /^Remove A08 / }).count()).toBe(1);
      // Word search over the criteria, in the reader's language.
      await page.getByLabel('Find a criterion by word').fill('eco-responsible');
      await page.getByRole('checkbox', { name: 'H06 Eco-responsible behaviour' }).check();
      await page.getByRole('radio', { name: /^My territory/ }).check();
      await page.getByRole('button', { name: 'Save the choice' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Saved.');
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('I cycle to work instead of driving my car');
      await expect.poll(() => page.locator('.chips').first().textContent()).toMatch(/A08[\s\S]*H06/);
      const choiceUrl = page.url().replace(/\?.*$/, '');

      // Three months later she comes back (her session has expired) and the journal asks what came of it.
      testApp.clock.advance(100 * 86_400_000);
      await page.goto(`${server.url}/login?next=/me`);
      await page.getByLabel('Email').fill('joana.reis@example.org');
      await page.getByLabel('Password').fill('a long and private sentence');
      await page.getByRole('button', { name: 'Log in' }).click();
      const followUps = page.locator('section[aria-labelledby="follow-ups"]');
      await expect.poll(() => followUps.textContent()).toContain('I cycle to work instead of driving my car');
      await followUps.getByRole('link', { name: 'I cycle to work instead of driving my car' }).click();
      await page.getByLabel('What came of it?').fill('No car trips to work for three months.');
      await page.getByLabel('Quantity (optional)').fill('-410');
      await page.getByLabel('Unit').fill('kg CO2e');
      await page.getByRole('button', { name: 'Save the result' }).click();
      await expect.poll(() => page.locator('.result-list').textContent()).toContain('No car trips to work');
      await expect.poll(() => page.locator('.result-list .quantity').textContent()).toMatch(/-410\s*kg CO2e/);

      await page.getByRole('link', { name: /My journal/ }).click();
      await expect.poll(() => page.locator('section[aria-labelledby="follow-ups"]').textContent()).toContain('Nothing to follow up');
      await expect.poll(() => page.locator('section[aria-labelledby="my-choices"]').textContent()).toContain('1 result');

      await page.goto(`${server.url}/territories/sines`);
      await expect.poll(() => page.locator('section[aria-labelledby="territory-choices"]').textContent()).toContain('I cycle to work instead of driving my car');
      // A territory-only choice stays out of the public list for someone who is not logged in.
      const anonymous = await fetch(`${server.url}/choices`).then((r) => r.text());
      expect(anonymous).not.toContain('I cycle to work instead of driving my car');
      const anonymousTerritory = await fetch(`${server.url}/territories/sines`).then((r) => r.text());
      expect(anonymousTerritory).not.toContain('I cycle to work instead of driving my car');

      await page.setViewportSize({ width: 390, height: 844 });
      for (const path of ['/choices/new', choiceUrl.replace(server.url, ''), '/me', '/choices']) {
        await page.goto(`${server.url}${path}`);
        await expectAccessible(page, path);
      }
    });
  });

  it('lets a facilitator create a group and record its statements with suggested criteria', async () => {
    await withSite(browser(), async ({ server, page }) => {
      await page.goto(`${server.url}/login`);
      await page.getByLabel('Email').fill('facilitator@example.org');
      await page.getByLabel('Password').fill('correct horse battery staple');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('link', { name: 'Groups' }).first().click();
      await page.getByRole('link', { name: 'Create a group' }).click();
      await page.getByLabel('Name').fill('Aînés de Sines');
      await page.getByRole('radio', { name: /^Homogeneous group/ }).check();
      await page.getByLabel('Territory', { exact: true }).selectOption('sines');
      await page.getByLabel('Profile').fill('Retired people living alone');
      await page.getByLabel('Language of the group').selectOption('fr');
      await page.getByRole('button', { name: 'Create the group' }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Aînés de Sines');

      await page.getByLabel('Question', { exact: true }).selectOption('illbeing');
      await page.getByLabel('Statement', { exact: true }).fill('Je me sens seule depuis que mes enfants sont partis');
      await page.getByLabel('Meaning (optional)').selectOption('R');
      const suggestion = page.getByRole('button', { name: /^Add G05 / });
      await suggestion.waitFor();
      await suggestion.click();
      await page.getByRole('button', { name: 'Record', exact: true }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Statement recorded');
      const illBeing = page.locator('section[aria-labelledby="q-illbeing"]');
      await expect.poll(() => illBeing.textContent()).toContain('Je me sens seule');
      await expect.poll(() => illBeing.locator('.chips').textContent()).toContain('G05');
      // The form is ready for the next statement on the same question.
      expect(await page.getByLabel('Question', { exact: true }).inputValue()).toBe('illbeing');

      await page.getByRole('link', { name: 'By dimension' }).click();
      await expect.poll(() => page.locator('section[aria-labelledby="d-G"]').textContent()).toContain('Je me sens seule');

      const feed = await fetch(`${server.url}/feeds/groups/homogeneous.atom`).then((r) => r.text());
      expect(feed).toContain('Je me sens seule depuis que mes enfants sont partis');
      const coordination = await fetch(`${server.url}/feeds/groups/coordination.atom`).then((r) => r.text());
      expect(coordination).not.toContain('Je me sens seule');
      await page.setViewportSize({ width: 390, height: 844 });
      await expectAccessible(page, 'group page');
    }, async (testApp) => {
      await testApp.userWithToken({ role: 'facilitator', name: 'Fátima Facilitator', email: 'facilitator@example.org' });
    });
  });
});
