// The pages as a person uses them: feedback after each action (Post/Redirect/Get), a confirmation before delete,
// every link reachable by paging, the short link shown whole, a favicon, error pages that greet the right visitor,
// readable colours in both schemes, and a development secret that survives a restart. On the real PostgreSQL.
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../src/db/postgres.js';
import { devSessionSecret } from '../src/dev-secret.js';
import { checkTargetUrl } from '../src/links/link-rules.js';
import { palette, stylesheet } from '../src/web/stylesheet.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import {
  buildTestApp,
  CookieJar,
  csrfFieldOf,
  goodPassword,
  migrateDatabase,
  uniqueEmail,
} from './helpers/test-app.js';

// WCAG 2.x relative luminance and contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).
const luminance = (hex: string): number => {
  const channels = [1, 3, 5].map((start) => Number.parseInt(hex.slice(start, start + 2), 16) / 255);
  const [r = 0, g = 0, b = 0] = channels.map((c) =>
    c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
  );
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string): number => {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
};

/** The canvas Chromium paints under `color-scheme: light dark` when the stylesheet sets no background. */
const browserCanvas = { light: '#ffffff', dark: '#121212' };

/**
 * The colours a stylesheet gives body text, its background and `.error` in one scheme, read from the CSS text: the
 * dark scheme is the top-level rules overridden by the `prefers-color-scheme: dark` block.
 */
const schemeColours = (css: string, scheme: 'light' | 'dark') => {
  const darkStart = css.indexOf('@media (prefers-color-scheme: dark)');
  const darkBlock = darkStart < 0 ? '' : css.slice(darkStart, css.indexOf('\n}', darkStart));
  const topLevel = darkStart < 0 ? css : css.replace(darkBlock, '');
  const find = (text: string, selector: string, property: string) =>
    new RegExp(`(?:^|\\s|\\})${selector}\\s*\\{[^}]*?(?:^|[\\s;{])${property}:\\s*(#[0-9a-fA-F]{6})`).exec(
      text,
    )?.[1];
  const pick = (selector: string, property: string) =>
    (scheme === 'dark' ? find(darkBlock, selector, property) : undefined) ??
    find(topLevel, selector, property);
  return {
    background: pick('body', 'background') ?? browserCanvas[scheme],
    error: pick('\\.error', 'color'),
  };
};

describe('the stylesheet', () => {
  it('gives error text at least 4.5:1 contrast in the light and the dark scheme', () => {
    for (const scheme of ['light', 'dark'] as const) {
      const colours = schemeColours(stylesheet, scheme);
      expect(colours.error).toBe(palette[scheme].error);
      expect(contrast(colours.error ?? '', colours.background)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('catches the stylesheet that had the light red on the dark canvas (about 2.6:1)', () => {
    const before = '.error { color: #b00020; border-left: 4px solid #b00020; padding-left: 0.5rem; }';
    const dark = schemeColours(before, 'dark');
    expect(dark).toEqual({ background: '#121212', error: '#b00020' });
    expect(contrast(dark.error ?? '', dark.background)).toBeLessThan(3);
  });

  it('never breaks words anywhere: only URLs may wrap mid-word', () => {
    expect(stylesheet).not.toMatch(/word-break:\s*break-all/);
    expect(stylesheet).toMatch(/button, a\.button \{[^}]*white-space: nowrap/);
  });
});

describe('the URL length limit', () => {
  it('counts the encoded form and says so', () => {
    const short = checkTargetUrl(`https://example.com/${'é'.repeat(300)}`);
    expect(short.ok).toBe(true);
    const long = checkTargetUrl(`https://example.com/${'é'.repeat(700)}`);
    expect(long).toEqual({
      ok: false,
      problem: expect.stringMatching(/at most 2048 characters once encoded for the web; this one is 4220 /),
    });
  });
});

describe('the development session secret', () => {
  it('is created once in the data directory, owner-only, and the same after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'links-secret-'));
    try {
      const first = devSessionSecret(join(dir, 'data'));
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(devSessionSecret(join(dir, 'data'))).toBe(first);
      expect(statSync(join(dir, 'data', 'session-secret')).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the pages', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let dead: FastifyInstance;
  let close: () => Promise<void>;

  beforeAll(async () => {
    database = await createTestDatabase('pages');
    const db = createPostgresDatabase({ url: database.url, max: 4 });
    await migrateDatabase(db);
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 1));
      });
    });
    const down = createPostgresDatabase({ url: `postgres://postgres@127.0.0.1:${port}/none`, max: 1 });
    [app, dead] = await Promise.all([
      buildTestApp(db).then((l) => l.app),
      buildTestApp(down).then((l) => l.app),
    ]);
    close = async () => {
      await Promise.allSettled([app.close(), dead.close()]);
      await Promise.allSettled([db.close(), down.close()]);
    };
  });

  afterAll(async () => {
    await close?.();
    await database?.drop();
  });

  /** A browser's session: cookies kept, forms posted urlencoded. */
  const browse = (target: () => FastifyInstance = () => app) => {
    const jar = new CookieJar();
    return {
      jar,
      get: (url: string) =>
        target()
          .inject({ method: 'GET', url, headers: { cookie: jar.header() } })
          .then((r) => jar.store(r)),
      post: (url: string, fields: Record<string, string>) =>
        target()
          .inject({
            method: 'POST',
            url,
            headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams(fields).toString(),
          })
          .then((r) => jar.store(r)),
    };
  };

  const signedIn = async () => {
    const visitor = browse();
    const email = uniqueEmail('pages');
    const form = await visitor.get('/register');
    const registered = await visitor.post('/register', {
      email,
      password: goodPassword,
      _csrf: csrfFieldOf(form.body),
    });
    expect(registered.statusCode).toBe(303);
    const login = await visitor.get(registered.headers.location as string);
    await visitor.post('/login', { email, password: goodPassword, _csrf: csrfFieldOf(login.body) });
    return { ...visitor, email };
  };

  it('redirects after registering (a reload does not post again) and says the account exists', async () => {
    const visitor = browse();
    const form = await visitor.get('/register');
    const email = uniqueEmail('prg');
    const response = await visitor.post('/register', {
      email,
      password: goodPassword,
      _csrf: csrfFieldOf(form.body),
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login?registered=1');
    const login = await visitor.get('/login?registered=1');
    expect(login.body).toContain('<p role="status">Account created. Log in to continue.</p>');
  });

  it('shows the whole short link after creating, asks before deleting, and says it deleted', async () => {
    const visitor = await signedIn();
    const dashboard = await visitor.get('/dashboard');
    const created = await visitor.post('/links', {
      url: 'https://example.com/x',
      code: 'pages-one',
      _csrf: csrfFieldOf(dashboard.body),
    });
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/dashboard?created=pages-one');
    const after = await visitor.get('/dashboard?created=pages-one');
    expect(after.body).toContain(
      'role="status">Created <span class="short">http://localhost:80/pages-one</span>.',
    );
    expect(after.body).toContain('<a class="short" href="/pages-one">http://localhost:80/pages-one</a>');
    // The dashboard's Delete only leads to the question; nothing is deleted by following it.
    expect(after.body).toContain(
      '<a class="button" href="/links/pages-one/delete" aria-label="Delete pages-one">Delete</a>',
    );
    const confirm = await visitor.get('/links/pages-one/delete');
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('<h1>Delete this link?</h1>');
    expect(confirm.body).toContain('<a href="/dashboard">Cancel</a>');
    expect((await visitor.get('/dashboard')).body).toContain('href="/pages-one"');
    const deleted = await visitor.post('/links/pages-one/delete', { _csrf: csrfFieldOf(confirm.body) });
    expect(deleted.headers.location).toBe('/dashboard?deleted=pages-one');
    const gone = await visitor.get('/dashboard?deleted=pages-one');
    expect(gone.body).toContain('role="status">Deleted pages-one.</p>');
    expect(gone.body).not.toContain('href="/pages-one"');
    expect((await visitor.get('/links/pages-one/delete')).statusCode).toBe(404);
  });

  it('pages through every link, newest first, so the oldest can be seen and deleted', async () => {
    const visitor = await signedIn();
    const csrf = csrfFieldOf((await visitor.get('/dashboard')).body);
    for (let i = 0; i < 53; i++)
      await visitor.post('/links', {
        url: `https://example.com/${i}`,
        code: `page-${String(i).padStart(3, '0')}`,
        _csrf: csrf,
      });
    const first = await visitor.get('/dashboard');
    expect(first.body.match(/<tr>/g)?.length).toBe(1 + 50);
    expect(first.body).toContain('href="/page-052"');
    expect(first.body).not.toContain('href="/page-002"');
    const older = /<a href="(\/dashboard\?before=[^"]+)">Older links<\/a>/.exec(first.body)?.[1];
    expect(older).toBeDefined();
    const second = await visitor.get(older ?? '');
    expect(second.body.match(/<tr>/g)?.length).toBe(1 + 3);
    expect(second.body).toContain('href="/links/page-000/delete"');
    expect(second.body).toContain('<a href="/dashboard">Newest links</a>');
    expect(second.body).not.toContain('Older links');
  });

  it('serves a favicon, so no page load ends in a 404', async () => {
    const ico = await app.inject({ method: 'GET', url: '/favicon.ico' });
    expect(ico.statusCode).toBe(301);
    expect(ico.headers.location).toBe('/favicon.svg');
    const svg = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.body).toContain('<svg');
  });

  it('does not offer "Log in" on the 503 page to someone with a session, and does to a stranger', async () => {
    const visitor = await signedIn();
    const outage = await dead.inject({
      method: 'GET',
      url: '/dashboard',
      headers: { cookie: visitor.jar.header() },
    });
    expect(outage.statusCode).toBe(503);
    expect(outage.body).toContain('The database is unavailable');
    expect(outage.body).not.toContain('Log in');
    const stranger = await dead.inject({ method: 'GET', url: '/dashboard' });
    expect(stranger.statusCode).toBe(303);
    const notFound = await app.inject({ method: 'GET', url: '/no/such/page' });
    expect(notFound.body).toContain('<a href="/login">Log in</a>');
    const mine = await visitor.get('/no/such/page');
    expect(mine.statusCode).toBe(404);
    expect(mine.body).not.toContain('Log in');
  });
});
