import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { CHROMIUM_ARGS, type TestApp, createTestApp, startTestServer } from '../helpers.js';

// The one way browser tests get a site: a fresh app and database, served on a loopback port, a fresh
// browser context, console errors collected and failing the test, everything closed afterwards.

/** Launches Chromium once for the test file. */
export function useBrowser(): () => Browser {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser;
}

async function openSite(browser: Browser, setup?: (testApp: TestApp, admin: Awaited<ReturnType<TestApp['userWithToken']>>) => Promise<void>) {
  const testApp = await createTestApp();
  const admin = await testApp.userWithToken({ role: 'admin', name: 'Network Admin' });
  await testApp.json('POST', '/api/territories', { slug: 'sines', name: 'Sines', kind: 'municipality' }, admin.auth);
  await setup?.(testApp, admin);
  const server = await startTestServer(testApp);
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  const problems: string[] = [];
  // A refused form comes back with its errors and status 400 on purpose: Chromium logs that status, it is no fault.
  page.on('console', (message) => { if (message.type() === 'error' && !/status of 400 \(Bad Request\)/.test(message.text())) problems.push(message.text()); });
  page.on('pageerror', (error) => problems.push(error.message));
  return { testApp, admin, server, context, page, problems };
}

export type Site = Awaited<ReturnType<typeof openSite>>;

/** Runs a scenario on a fresh site and browser context, always closing both, and fails on console errors. */
export async function withSite(browser: Browser, scenario: (site: Site) => Promise<void>, setup?: Parameters<typeof openSite>[1]) {
  const site = await openSite(browser, setup);
  try {
    await scenario(site);
    expect(site.problems).toEqual([]);
  } finally {
    await site.context.close();
    await site.server.close();
  }
}

/**
 * Signs up through the form, then logs in: the test site sends e-mail, so signing up answers "check your
 * inbox" (the same for a new and a taken address) and does not sign in by itself.
 */
export async function register(page: Page, base: string, name: string) {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@example.org`;
  await page.goto(`${base}/register`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a long and private sentence');
  await page.getByLabel('I am…').selectOption('citizen');
  await page.getByLabel('Home territory').selectOption('sines');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain(`We have sent a message to ${email}`);
  await page.getByRole('main').getByRole('link', { name: 'Log in' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a long and private sentence');
  await page.getByRole('main').getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.goto(`${base}/me`);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent()).toBeTruthy();
}

/** Follows the confirmation link of the sign-up e-mail (from the outbox), as its reader would. */
export async function confirmEmail(page: Page, testApp: TestApp, base: string, name: string) {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@example.org`;
  const mail = await testApp.db.selectFrom('outbox').select('body').where('to_address', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const link = new URL(/https?:\/\/\S+\/verify-email\?token=\S+/.exec(mail.body)![0]);
  await page.goto(`${base}${link.pathname}${link.search}`);
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Your e-mail address is confirmed');
}
