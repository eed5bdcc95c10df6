// Every page in a real browser (Debian chromium) at a phone's 375 px and a desktop's 1280 px, light and dark, with and
// without JavaScript, for an account with 5,000 links: nothing overflows sideways, no word in a heading, label or
// button is broken across lines, and every action is on screen. Screenshots go to LINKS_SCREENSHOTS when it is set.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { type ApiAccount, createAccount } from '../support/links-api.js';
import { type LinksProcess, migrateDatabase, startLinks } from '../support/links-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const linkCount = 5000;
const screenshots = process.env.LINKS_SCREENSHOTS;

let database: TestDatabase | undefined;
let links: LinksProcess | undefined;
let browser: Browser | undefined;
let account: ApiAccount | undefined;

beforeAll(async () => {
  database = await createTestDatabase('pages');
  await migrateDatabase(database.url);
  [links, browser] = await Promise.all([startLinks({ databaseUrl: database.url }), launchChromium()]);
  account = await createAccount(links.baseUrl);
  // 5,000 links in one statement; long targets with no spaces, and one with non-ASCII text, as real data has.
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(
      `insert into links (account_id, code, url, clicks)
       select a.id, 'seed-' || lpad(i::text, 5, '0'),
              case when i % 3 = 0 then 'https://example.com/' || repeat('a-very-long-path-segment/', 12) || '?q=' || i
                   when i % 3 = 1 then 'https://xn--bcher-kva.example/%C3%BCber/' || i
                   else 'https://example.org/' || i end,
              i * 7
       from accounts a, generate_series(1, $2::int) as i where a.email = $1`,
      [account.email, linkCount],
    );
  } finally {
    await client.end();
  }
  if (screenshots !== undefined) mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await Promise.allSettled([browser?.close(), links?.stop()]);
  await database?.drop();
});

interface Layout {
  overflow: number;
  brokenWords: string[];
  offscreen: string[];
}

/** Measures the page as laid out: sideways overflow, words split over lines, actions outside the viewport. */
const measure = (page: Page): Promise<Layout> =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const brokenWords: string[] = [];
    for (const element of Array.from(
      document.querySelectorAll('h1, h2, label, button, a.button, th, nav a, caption'),
    )) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const lines = new Set(Array.from(range.getClientRects()).map((rect) => Math.round(rect.top)));
          if (lines.size > 1) brokenWords.push(`${element.tagName.toLowerCase()}: ${match[0]}`);
        }
      }
    }
    const offscreen: string[] = [];
    for (const action of Array.from(document.querySelectorAll('button, a.button, nav a, input'))) {
      const box = action.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.left < 0 || box.right > width + 0.5) offscreen.push((action.textContent ?? action.id).trim());
    }
    return { overflow: document.documentElement.scrollWidth - width, brokenWords, offscreen };
  });

const viewports = [
  { name: 'phone', width: 375, height: 812 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;
const schemes = ['light', 'dark'] as const;
const scripts = [true, false] as const;

/** Logs in through the form, as a person does. */
const logIn = async (context: BrowserContext, base: string, who: ApiAccount): Promise<Page> => {
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${base}/dashboard`);
  return page;
};

describe('every page, at 375 and 1280 px, light and dark, with and without JavaScript, 5,000 links', () => {
  for (const viewport of viewports)
    for (const colorScheme of schemes)
      for (const javaScriptEnabled of scripts) {
        const label = `${viewport.name}-${colorScheme}-${javaScriptEnabled ? 'js' : 'nojs'}`;
        it(label, async () => {
          if (!links || !browser || !account) throw new Error('set-up failed');
          const base = links.baseUrl;
          const context = await browser.newContext({
            viewport: { width: viewport.width, height: viewport.height },
            colorScheme,
            javaScriptEnabled,
          });
          const failures: string[] = [];
          const check = async (page: Page, name: string) => {
            const layout = await measure(page);
            if (layout.overflow > 0) failures.push(`${name}: ${layout.overflow} px wider than the viewport`);
            for (const word of layout.brokenWords) failures.push(`${name}: broken word (${word})`);
            for (const action of layout.offscreen) failures.push(`${name}: "${action}" off screen`);
            if (screenshots !== undefined)
              await page.screenshot({ path: join(screenshots, `${label}-${name}.png`), fullPage: false });
          };
          try {
            const anonymous = await context.newPage();
            for (const [name, path] of [
              ['login', '/login'],
              ['register', '/register'],
              ['not-found', '/no/such/page'],
            ] as const) {
              await anonymous.goto(`${base}${path}`);
              await check(anonymous, name);
            }
            await anonymous.close();

            const page = await logIn(context, base, account);
            await check(page, 'dashboard');
            expect(await page.locator('tbody tr').count()).toBe(50);
            await page.getByRole('link', { name: 'Older links' }).click();
            await page.waitForURL(/\/dashboard\?before=/);
            await check(page, 'dashboard-older');

            // A refused URL keeps the form filled and says why.
            await page.getByLabel('URL').fill(`https://example.com/${'é'.repeat(700)}`);
            await page.getByRole('button', { name: 'Shorten' }).click();
            await page.waitForURL(`${base}/links`);
            expect(await page.getByRole('alert').textContent()).toContain('once encoded');
            await check(page, 'dashboard-error');

            // Create, see the whole short link, then delete it through the confirmation page.
            const code = `${label}`.slice(0, 32);
            await page.getByLabel('URL').fill('https://example.com/created-in-the-browser');
            await page.getByLabel('Custom code (optional)').fill(code);
            await page.getByRole('button', { name: 'Shorten' }).click();
            await page.waitForURL(`${base}/dashboard?created=${code}`);
            expect(await page.getByRole('status').textContent()).toBe(`Created ${base}/${code}.`);
            await check(page, 'dashboard-created');
            await page.getByRole('link', { name: `Delete ${code}` }).click();
            await page.waitForURL(`${base}/links/${code}/delete`);
            await check(page, 'confirm-delete');
            await page.getByRole('button', { name: 'Delete' }).click();
            await page.waitForURL(`${base}/dashboard?deleted=${code}`);
            expect(await page.getByRole('status').textContent()).toBe(`Deleted ${code}.`);
            await check(page, 'dashboard-deleted');
            expect(failures).toEqual([]);
          } finally {
            await context.close();
          }
        });
      }
});

describe('the layout checks', () => {
  it('find what the old stylesheet did: words broken by break-all, a page wider than the phone, an action off screen', async () => {
    if (!browser) throw new Error('set-up failed');
    const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
    try {
      const page = await context.newPage();
      await page.setContent(`<!doctype html><body style="margin:0">
        <table style="width:100%"><tr><th style="word-break:break-all;width:1.2em">Clicks</th>
        <td style="word-break:break-all"><button style="word-break:break-all;width:2.5em">Delete</button></td>
        <td><div style="width:600px">a row wider than the phone</div></td></tr></table>
        <nav><a href="#" style="position:absolute;left:420px">Older links</a></nav></body>`);
      const layout = await measure(page);
      expect(layout.brokenWords).toEqual(['th: Clicks', 'button: Delete']);
      expect(layout.overflow).toBeGreaterThan(0);
      expect(layout.offscreen).toEqual(['Older links']);
    } finally {
      await context.close();
    }
  });
});
