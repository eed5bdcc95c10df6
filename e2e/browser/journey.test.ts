// A person's first visit, in a real browser (Debian chromium) against the real service on the real PostgreSQL:
// register → log in → create a link → follow it → see the click counted → log out.
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { type Destination, startDestination } from '../support/destination.js';
import { randomPassword } from '../support/links-api.js';
import { type LinksProcess, migrateDatabase, startLinks } from '../support/links-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase | undefined;
let links: LinksProcess | undefined;
let destination: Destination | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  database = await createTestDatabase('browser');
  await migrateDatabase(database.url);
  [links, destination, browser] = await Promise.all([
    startLinks({ databaseUrl: database.url }),
    startDestination(),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await Promise.allSettled([browser?.close(), links?.stop(), destination?.stop()]);
  await database?.drop();
});

/**
 * What went wrong on the service's own pages: script errors, console errors (a CSP violation shows up here) and
 * failed sub-resource loads, by URL, the favicon included.
 */
const watchErrors = (page: Page, origin: string): string[] => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    const text = message.text();
    if (
      message.type() === 'error' &&
      page.url().startsWith(origin) &&
      !text.startsWith('Failed to load resource')
    ) {
      errors.push(text);
    }
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.origin === origin && response.status() >= 400) {
      errors.push(`${response.status()} ${url.pathname}`);
    }
  });
  return errors;
};

describe('the browser journey', () => {
  it('registers, logs in, shortens a URL, follows it, sees the click, logs out', async () => {
    if (!links || !destination || !browser) throw new Error('set-up failed');
    const base = links.baseUrl;
    const context = await browser.newContext({ baseURL: base });
    const page = await context.newPage();
    const errors = watchErrors(page, base);
    const email = `walker-${randomBytes(4).toString('hex')}@example.test`;
    const password = randomPassword();
    const code = `walk${randomBytes(3).toString('hex')}`;
    const target = `${destination.url}/journey?from=browser`;

    await page.goto('/register');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${base}/login?registered=1`);
    expect(await page.getByRole('status').textContent()).toContain('Account created');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/dashboard`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your links');
    const session = (await context.cookies()).filter((cookie) => cookie.httpOnly);
    expect(session.length).toBeGreaterThan(0);
    for (const cookie of session) expect(cookie.sameSite).toBe('Lax');

    await page.getByLabel('URL').fill(target);
    await page.getByLabel('Custom code (optional)').fill(code);
    await page.getByRole('button', { name: 'Shorten' }).click();
    await page.waitForURL(`${base}/dashboard?created=${code}`);
    expect(await page.getByRole('status').textContent()).toBe(`Created ${base}/${code}.`);
    const row = page.locator('tbody tr', { hasText: code });
    expect(await row.locator('td').nth(1).textContent()).toBe(target);
    expect(await row.locator('td').nth(2).textContent()).toBe('0');

    await row.getByRole('link', { name: `${base}/${code}`, exact: true }).click();
    await page.waitForURL(target);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You arrived');
    // The browser also asks the destination for its favicon; only the followed link counts.
    expect(destination.hits.filter((hit) => hit.startsWith('/journey'))).toEqual(['/journey?from=browser']);

    // Clicks reach the database in batches (about every second): reload until the count shows, no blind sleep.
    await page.goto('/dashboard');
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator('tbody tr', { hasText: code }).locator('td').nth(2).textContent();
        },
        { timeout: 10_000, interval: 250 },
      )
      .toBe('1');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${base}/login`);
    await page.goto('/dashboard');
    await page.waitForURL(`${base}/login`);
    expect(errors).toEqual([]);
    await context.close();
  });
});
