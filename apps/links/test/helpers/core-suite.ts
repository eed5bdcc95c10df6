import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinksApp } from '../../src/app.js';
import type { Database } from '../../src/db/database.js';
import {
  buildTestApp,
  CookieJar,
  csrfFieldOf,
  goodPassword,
  type LogCapture,
  migrateDatabase,
  uniqueEmail,
} from './test-app.js';

export interface DatabaseHandle {
  db: Database;
  close(): Promise<void>;
}

const json = { 'content-type': 'application/json' };

/** The behaviour every database backend must show: run against PostgreSQL and against PGlite. */
export const coreSuite = (label: string, open: () => Promise<DatabaseHandle>) => {
  describe(`links core (${label})`, () => {
    let handle: DatabaseHandle;
    let links: LinksApp & { logs: LogCapture };
    let app: FastifyInstance;

    const register = (email: string, password = goodPassword) =>
      app.inject({ method: 'POST', url: '/api/v1/accounts', headers: json, payload: { email, password } });

    const login = async (email: string, password = goodPassword) =>
      app.inject({ method: 'POST', url: '/api/v1/sessions', headers: json, payload: { email, password } });

    /** A fresh account and its bearer token. */
    const newUser = async (): Promise<{ email: string; auth: Record<string, string> }> => {
      const email = uniqueEmail();
      expect((await register(email)).statusCode).toBe(201);
      const response = await login(email);
      expect(response.statusCode).toBe(201);
      return { email, auth: { authorization: `Bearer ${response.json<{ token: string }>().token}` } };
    };

    const createLink = (auth: Record<string, string>, payload: object) =>
      app.inject({ method: 'POST', url: '/api/v1/links', headers: { ...json, ...auth }, payload });

    beforeAll(async () => {
      handle = await open();
      await migrateDatabase(handle.db);
      links = await buildTestApp(handle.db);
      app = links.app;
    });

    afterAll(async () => {
      await app?.close();
      await handle?.close();
    });

    describe('accounts', () => {
      it('registers once per e-mail, case-insensitively, answering a taken e-mail like a new one', async () => {
        const email = uniqueEmail('Case');
        const first = await register(email);
        const again = await register(email.toUpperCase(), 'another fine passphrase');
        expect(first.statusCode).toBe(201);
        expect({ status: again.statusCode, body: again.json() }).toEqual({
          status: 201,
          body: { email: email.toUpperCase() },
        });
        // Nothing was taken over: the first password still works, the second never did.
        expect((await login(email, 'another fine passphrase')).statusCode).toBe(401);
        expect((await login(email)).statusCode).toBe(201);
      });

      it('applies NIST password rules: 8–128 code points, no common passwords, no composition rules', async () => {
        const cases: [string, number][] = [
          ['short1!', 400],
          ['password1', 400],
          ['Password123', 400],
          ['a'.repeat(129), 400],
          ['alllowercaseletters', 201],
          ['😀'.repeat(8), 201],
          ['b'.repeat(128), 201],
        ];
        for (const [password, status] of cases) {
          const response = await register(uniqueEmail(), password);
          expect({ password, status: response.statusCode }).toEqual({ password, status });
          if (status === 400) expect(response.json().code).toBe('VALIDATION_FAILED');
        }
      });

      it('answers an unknown e-mail exactly like a wrong password', async () => {
        const { email } = await newUser();
        const wrongPassword = await login(email, 'not the right password');
        const unknownUser = await login(uniqueEmail('nobody'), 'not the right password');
        expect(wrongPassword.statusCode).toBe(401);
        expect(unknownUser.statusCode).toBe(401);
        expect(wrongPassword.json()).toEqual(unknownUser.json());
        expect(wrongPassword.json().code).toBe('INVALID_CREDENTIALS');
      });

      it('creates exactly one account from concurrent registrations of one e-mail, answering each alike', async () => {
        const email = uniqueEmail('race');
        const responses = await Promise.all([
          register(email),
          register(email),
          register(email.toUpperCase()),
        ]);
        expect(responses.map((response) => response.statusCode)).toEqual([201, 201, 201]);
        const { rows } = await handle.db.query('select 1 from accounts where email_normalized = $1', [
          email.toLowerCase(),
        ]);
        expect(rows).toHaveLength(1);
      });

      it('evaluates at most the limit of 40 parallel guesses at one account from one address', async () => {
        const { email } = await newUser();
        const guesses = await Promise.all(
          Array.from({ length: 40 }, (_, i) => login(email, `wrong guess number ${i}`)),
        );
        const statuses = guesses.map((response) => response.statusCode);
        expect(statuses.filter((status) => status === 401)).toHaveLength(5);
        expect(statuses.filter((status) => status === 429)).toHaveLength(35);
      });
    });

    describe('request validation', () => {
      it('answers malformed JSON with 400 INVALID_JSON problem details', async () => {
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/accounts',
          headers: json,
          payload: '{"email":',
        });
        expect(response.statusCode).toBe(400);
        expect(response.headers['content-type']).toContain('application/problem+json');
        expect(response.json()).toMatchObject({
          code: 'INVALID_JSON',
          status: 400,
          title: expect.any(String),
        });
      });

      it('answers wrong types and unknown fields with 400 VALIDATION_FAILED, naming the field', async () => {
        const cases: [unknown, RegExp][] = [
          [{ email: 5, password: goodPassword }, /email must be string/],
          [{ email: 'a@b.c' }, /required properties password/],
          [[], /must be object/],
          ['x', /must be object/],
          [{ email: 'a@b.c', password: goodPassword, admin: true }, /additional properties/],
          [{ email: 'a@b.c', password: { $ne: null } }, /password must be string/],
        ];
        for (const [payload, detail] of cases) {
          const response = await app.inject({
            method: 'POST',
            url: '/api/v1/accounts',
            headers: json,
            payload: JSON.stringify(payload),
          });
          expect(response.statusCode).toBe(400);
          expect(response.json()).toMatchObject({
            code: 'VALIDATION_FAILED',
            detail: expect.stringMatching(detail),
          });
        }
      });

      it('answers an oversized body with 413 PAYLOAD_TOO_LARGE', async () => {
        const payload = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(20_000) });
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/accounts',
          headers: json,
          payload,
        });
        expect(response.statusCode).toBe(413);
        expect(response.json().code).toBe('PAYLOAD_TOO_LARGE');
      });

      it('refuses form-encoded bodies on the API (no cross-site form posts)', async () => {
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/accounts',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'email=a%40b.c&password=whatever12345',
        });
        expect(response.statusCode).toBe(415);
        expect(response.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
      });

      it('stores SQL-injection strings as plain data', async () => {
        const { auth } = await newUser();
        const url = "https://example.com/?q=1';drop/**/table/**/links;--";
        const created = await createLink(auth, { url });
        expect(created.statusCode).toBe(201);
        const { code } = created.json<{ code: string }>();
        const fetched = await app.inject({ method: 'GET', url: `/api/v1/links/${code}`, headers: auth });
        expect(fetched.json().url).toBe(new URL(url).href);
        const injectedLogin = await login("x' or '1'='1@example.test", "' or '1'='1");
        expect(injectedLogin.statusCode).toBe(401);
        const injectedCode = await createLink(auth, {
          url: 'https://example.com',
          code: "a'; delete from links;--",
        });
        expect(injectedCode.statusCode).toBe(400);
      });

      it('handles Unicode edge cases without errors', async () => {
        const { auth } = await newUser();
        const idn = await createLink(auth, { url: 'https://bücher.example/straße?q=日本' });
        expect(idn.statusCode).toBe(201);
        expect(idn.json().url).toBe('https://xn--bcher-kva.example/stra%C3%9Fe?q=%E6%97%A5%E6%9C%AC');
        for (const code of ['日本語', 'abc\u0000d', 'a\u202eb', 'ﬀﬀﬀ']) {
          expect((await createLink(auth, { url: 'https://example.com', code })).statusCode).toBe(400);
        }
        const zeroWidth = await register(`zero\u200bwidth${uniqueEmail()}`, goodPassword);
        expect(zeroWidth.statusCode).toBe(201);
        const lone = await register(uniqueEmail(), `\ud800${'x'.repeat(10)}`);
        expect(lone.statusCode).toBeLessThan(500);
        for (const path of ['/%E6%97%A5', '/%F0%9F%98%80', '/a%00b', '/%C3%A9t%C3%A9']) {
          expect({ path, status: (await app.inject({ method: 'GET', url: path })).statusCode }).toEqual({
            path,
            status: 404,
          });
        }
        const undecodable = await app.inject({ method: 'GET', url: '/%ff' });
        expect(undecodable.statusCode).toBe(400);
      });
    });

    describe('links', () => {
      it('refuses non-http URLs, reserved and malformed codes', async () => {
        const { auth } = await newUser();
        for (const url of [
          'javascript:alert(1)',
          'data:text/html,hi',
          'ftp://example.com',
          'example.com',
          'https://user:pw@example.com',
          `https://example.com/${'a'.repeat(2100)}`,
        ]) {
          const response = await createLink(auth, { url });
          expect({ url, status: response.statusCode }).toEqual({ url, status: 400 });
        }
        for (const code of ['api', 'Login', 'dashboard', 'ab', '-abc', 'a/b', 'x'.repeat(33)]) {
          const response = await createLink(auth, { url: 'https://example.com', code });
          expect({ code, status: response.statusCode }).toEqual({ code, status: 400 });
        }
      });

      it('creates, gets, lists with a cursor, and deletes', async () => {
        const { auth } = await newUser();
        const codes: string[] = [];
        for (let i = 0; i < 5; i++) {
          const response = await createLink(auth, { url: `https://example.com/${i}` });
          expect(response.statusCode).toBe(201);
          codes.push(response.json<{ code: string }>().code);
        }
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const query: string = cursor === null ? 'limit=2' : `limit=2&cursor=${cursor}`;
          const page = await app.inject({ method: 'GET', url: `/api/v1/links?${query}`, headers: auth });
          expect(page.statusCode).toBe(200);
          const body = page.json<{ items: { code: string }[]; nextCursor: string | null }>();
          seen.push(...body.items.map((item) => item.code));
          cursor = body.nextCursor;
        } while (cursor !== null);
        expect(seen).toEqual([...codes].reverse());
        const removed = await app.inject({
          method: 'DELETE',
          url: `/api/v1/links/${codes[0]}`,
          headers: auth,
        });
        expect(removed.statusCode).toBe(204);
        const gone = await app.inject({ method: 'GET', url: `/api/v1/links/${codes[0]}`, headers: auth });
        expect(gone.statusCode).toBe(404);
        expect((await app.inject({ method: 'GET', url: `/${codes[0]}` })).statusCode).toBe(404);
        const badCursor = await app.inject({
          method: 'GET',
          url: '/api/v1/links?cursor=bm9wZQ',
          headers: auth,
        });
        expect(badCursor.statusCode).toBe(400);
        expect(
          (await app.inject({ method: 'GET', url: '/api/v1/links?limit=1000', headers: auth })).statusCode,
        ).toBe(400);
      });

      it('lists, page by page, exactly what get answers for each link, as JSON the database wrote', async () => {
        const { auth } = await newUser();
        const list = (query: string) =>
          app.inject({ method: 'GET', url: `/api/v1/links?${query}`, headers: auth });
        const empty = await list('');
        expect(empty.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(empty.body).toBe('{"items":[],"nextCursor":null}');
        // A backslash, braces and a pipe stay as they are in a normalized URL's query: JSON must escape them.
        const urls = [
          'https://example.com/?q=back\\slash{x}|y',
          'https://example.com/ü',
          'https://b.example/',
          'https://c.example/',
        ];
        const codes: string[] = [];
        for (const url of urls) codes.push((await createLink(auth, { url })).json<{ code: string }>().code);
        const expected = [];
        for (const code of [...codes].reverse()) {
          expected.push(
            (await app.inject({ method: 'GET', url: `/api/v1/links/${code}`, headers: auth })).json(),
          );
        }
        // Four links in pages of two: the second page is the last, though it is full.
        const first = await list('limit=2');
        const firstBody = first.json<{ items: unknown[]; nextCursor: string | null }>();
        expect(firstBody.nextCursor).toEqual(expect.any(String));
        const second = await list(`limit=2&cursor=${firstBody.nextCursor}`);
        const secondBody = second.json<{ items: unknown[]; nextCursor: string | null }>();
        expect([...firstBody.items, ...secondBody.items]).toEqual(expected);
        expect(secondBody.nextCursor).toBeNull();
        expect(Object.keys(firstBody.items[0] ?? {})).toEqual(['code', 'url', 'clicks', 'createdAt']);
        expect((await list('limit=4')).json()).toEqual({ items: expected, nextCursor: null });
        expect((await list('limit=3')).json<{ items: unknown[] }>().items).toEqual(expected.slice(0, 3));
      });

      it("writes createdAt as the stored instant in toISOString's form, alike on create, get and list", async () => {
        const { auth } = await newUser();
        const created = (await createLink(auth, { url: 'https://example.com/when' })).json<{
          code: string;
          createdAt: string;
        }>();
        const { rows } = await handle.db.query<{ created_at: Date }>(
          'select created_at from links where code = $1',
          [created.code],
        );
        expect(created.createdAt).toBe(new Date(rows[0]?.created_at ?? 0).toISOString());
        const got = await app.inject({ method: 'GET', url: `/api/v1/links/${created.code}`, headers: auth });
        const listed = await app.inject({ method: 'GET', url: '/api/v1/links', headers: auth });
        expect(got.json().createdAt).toBe(created.createdAt);
        expect(listed.json().items[0].createdAt).toBe(created.createdAt);
      });

      it('keeps codes unique whatever their case, across owners', async () => {
        const first = await newUser();
        const second = await newUser();
        const code = `PayPal-Login-${Date.now()}`;
        expect((await createLink(first.auth, { url: 'https://example.com/a', code })).statusCode).toBe(201);
        const variant = await createLink(second.auth, {
          url: 'https://example.com/b',
          code: code.toLowerCase(),
        });
        expect(variant.statusCode).toBe(409);
        expect(variant.json().code).toBe('LINK_CODE_TAKEN');
      });

      it('retires a deleted code: nobody takes it again at once, in any case, and its pending clicks reach no one', async () => {
        const owner = await newUser();
        const stranger = await newUser();
        const code = `retired-${Date.now()}`;
        expect((await createLink(owner.auth, { url: 'https://example.com/old', code })).statusCode).toBe(201);
        expect((await app.inject({ method: 'GET', url: `/${code}` })).statusCode).toBe(302);
        const removed = await app.inject({
          method: 'DELETE',
          url: `/api/v1/links/${code}`,
          headers: owner.auth,
        });
        expect(removed.statusCode).toBe(204);
        for (const [auth, taken] of [
          [stranger.auth, code],
          [stranger.auth, code.toUpperCase()],
          [owner.auth, code],
        ] as const) {
          const again = await createLink(auth, { url: 'https://example.com/new', code: taken });
          expect({ taken, status: again.statusCode }).toEqual({ taken, status: 409 });
        }
        await links.clicks.flush();
        const { rows } = await handle.db.query('select code from links where lower(code) = lower($1)', [
          code,
        ]);
        expect(rows).toEqual([]);
      });

      it('refuses a link to the service itself, which would redirect in a loop', async () => {
        const { auth } = await newUser();
        for (const url of ['http://links.example.test/abc', 'https://LINKS.example.test./x?y=1']) {
          const response = await app.inject({
            method: 'POST',
            url: '/api/v1/links',
            headers: { ...json, ...auth, host: 'links.example.test' },
            payload: { url },
          });
          expect({ url, status: response.statusCode }).toEqual({ url, status: 400 });
          expect(response.json().detail).toContain('loop');
        }
        // Another port of the same host is another service (a dev machine runs several on 127.0.0.1).
        for (const url of ['https://example.test/links.example.test', 'http://links.example.test:3000/x']) {
          const elsewhere = await app.inject({
            method: 'POST',
            url: '/api/v1/links',
            headers: { ...json, ...auth, host: 'links.example.test' },
            payload: { url },
          });
          expect({ url, status: elsewhere.statusCode }).toEqual({ url, status: 201 });
        }
      });

      it("does not show or delete another account's links", async () => {
        const owner = await newUser();
        const other = await newUser();
        const { code } = (await createLink(owner.auth, { url: 'https://example.com/mine' })).json<{
          code: string;
        }>();
        expect(
          (await app.inject({ method: 'GET', url: `/api/v1/links/${code}`, headers: other.auth })).statusCode,
        ).toBe(404);
        expect(
          (await app.inject({ method: 'DELETE', url: `/api/v1/links/${code}`, headers: other.auth }))
            .statusCode,
        ).toBe(404);
        expect((await app.inject({ method: 'GET', url: `/${code}` })).statusCode).toBe(302);
      });

      it('lets exactly one of two concurrent creations of one custom code succeed', async () => {
        const a = await newUser();
        const b = await newUser();
        const code = `race-${Date.now().toString(36)}`;
        const responses = await Promise.all([
          createLink(a.auth, { url: 'https://a.example', code }),
          createLink(b.auth, { url: 'https://b.example', code }),
        ]);
        expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 409]);
        expect(responses.find((response) => response.statusCode === 409)?.json().code).toBe(
          'LINK_CODE_TAKEN',
        );
      });

      it('redirects with 302, counts clicks in memory and flushes them in one batch', async () => {
        const { auth } = await newUser();
        const code = `go-${Date.now().toString(36)}`;
        expect((await createLink(auth, { url: 'https://example.com/target', code })).statusCode).toBe(201);
        const pendingBefore = links.clicks.pending();
        for (let i = 0; i < 3; i++) {
          const response = await app.inject({ method: 'GET', url: `/${code}` });
          expect(response.statusCode).toBe(302);
          expect(response.headers.location).toBe('https://example.com/target');
          expect(response.headers['x-content-type-options']).toBe('nosniff');
          expect(response.headers['referrer-policy']).toBe('no-referrer');
          expect(response.headers['content-security-policy']).toBe("default-src 'none'");
          expect(response.headers['strict-transport-security']).toContain('max-age=');
        }
        const head = await app.inject({ method: 'HEAD', url: `/${code}` });
        expect(head.statusCode).toBe(302);
        const before = await app.inject({ method: 'GET', url: `/api/v1/links/${code}`, headers: auth });
        expect(before.json().clicks).toBe(0);
        expect(links.clicks.pending() - pendingBefore).toBe(3);
        await links.clicks.flush();
        const after = await app.inject({ method: 'GET', url: `/api/v1/links/${code}`, headers: auth });
        expect(after.json().clicks).toBe(3);
      });

      it('answers an unknown code with the 404 page', async () => {
        const response = await app.inject({ method: 'GET', url: '/no-such-code' });
        expect(response.statusCode).toBe(404);
        expect(response.headers['content-type']).toContain('text/html');
        expect(response.body).toContain('Page not found');
        // A page, unlike the redirect, gets the page headers: its stylesheet is allowed, framing is not.
        expect(response.headers['content-security-policy']).toContain("style-src 'self'");
        expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      });
    });

    describe('sessions and CSRF', () => {
      const browserLogin = async (jar: CookieJar, email: string) => {
        // /login redirects a logged-in browser away, /register always shows a form with the token.
        const page = jar.store(
          await app.inject({ method: 'GET', url: '/register', headers: { cookie: jar.header() } }),
        );
        return jar.store(
          await app.inject({
            method: 'POST',
            url: '/login',
            headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams({
              email,
              password: goodPassword,
              _csrf: csrfFieldOf(page.body),
            }).toString(),
          }),
        );
      };

      it('rejects a form post without a valid CSRF token', async () => {
        const jar = new CookieJar();
        jar.store(await app.inject({ method: 'GET', url: '/register' }));
        for (const csrf of [undefined, 'forged-token']) {
          const fields: Record<string, string> = { email: uniqueEmail(), password: goodPassword };
          if (csrf !== undefined) fields._csrf = csrf;
          const response = await app.inject({
            method: 'POST',
            url: '/register',
            headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams(fields).toString(),
          });
          expect(response.statusCode).toBe(403);
        }
      });

      it('refuses a CSRF token from before login or from another session, whatever cookies were tossed in', async () => {
        const victim = new CookieJar();
        await browserLogin(victim, (await newUser()).email);
        const dashboard = await app.inject({
          method: 'GET',
          url: '/dashboard',
          headers: { cookie: victim.header() },
        });
        const ownToken = csrfFieldOf(dashboard.body);

        // The attacker's own (cookie, token) pairs: an anonymous form, and a dashboard of the attacker's session.
        const anonymous = new CookieJar();
        const loginPage = anonymous.store(await app.inject({ method: 'GET', url: '/login' }));
        const attacker = new CookieJar();
        await browserLogin(attacker, (await newUser()).email);
        const attackerPage = await app.inject({
          method: 'GET',
          url: '/dashboard',
          headers: { cookie: attacker.header() },
        });

        const postLink = (csrfCookie: string | undefined, token: string) =>
          app.inject({
            method: 'POST',
            url: '/links',
            headers: {
              // A sibling host can set cookies for the parent domain: the victim's browser sends the tossed one.
              cookie: [
                `links_session=${victim.cookies.get('links_session')}`,
                csrfCookie && `links_csrf=${csrfCookie}`,
              ]
                .filter(Boolean)
                .join('; '),
              'content-type': 'application/x-www-form-urlencoded',
            },
            payload: new URLSearchParams({ url: 'https://example.com/csrf', _csrf: token }).toString(),
          });
        const tossed = [
          ['an anonymous pair', anonymous.cookies.get('links_csrf'), csrfFieldOf(loginPage.body)],
          ["the attacker's session pair", attacker.cookies.get('links_csrf'), csrfFieldOf(attackerPage.body)],
        ] as const;
        for (const [name, cookie, token] of tossed) {
          expect({ name, status: (await postLink(cookie, token)).statusCode }).toEqual({ name, status: 403 });
        }
        expect((await postLink(undefined, ownToken)).statusCode).toBe(303);
      });

      it('requires the x-csrf-token header on cookie-authenticated API changes, not on bearer ones', async () => {
        const { email } = await newUser();
        const jar = new CookieJar();
        expect((await browserLogin(jar, email)).statusCode).toBe(303);
        const without = await app.inject({
          method: 'POST',
          url: '/api/v1/links',
          headers: { ...json, cookie: jar.header() },
          payload: { url: 'https://example.com' },
        });
        expect(without.statusCode).toBe(403);
        expect(without.json().code).toBe('CSRF_REJECTED');
        const current = await app.inject({
          method: 'GET',
          url: '/api/v1/sessions/current',
          headers: { cookie: jar.header() },
        });
        expect(current.statusCode).toBe(200);
        const withHeader = await app.inject({
          method: 'POST',
          url: '/api/v1/links',
          headers: { ...json, cookie: jar.header(), 'x-csrf-token': current.json().csrfToken },
          payload: { url: 'https://example.com' },
        });
        expect(withHeader.statusCode).toBe(201);
      });

      it('rotates the session at login and revokes it at logout', async () => {
        const { email } = await newUser();
        const jar = new CookieJar();
        await browserLogin(jar, email);
        const first = jar.cookies.get('links_session');
        await browserLogin(jar, email);
        const second = jar.cookies.get('links_session');
        expect(first).toBeDefined();
        expect(second).not.toBe(first);
        const stale = await app.inject({
          method: 'GET',
          url: '/api/v1/sessions/current',
          headers: { cookie: `links_session=${first}` },
        });
        expect(stale.statusCode).toBe(401);
        const dashboard = await app.inject({
          method: 'GET',
          url: '/dashboard',
          headers: { cookie: jar.header() },
        });
        expect(dashboard.statusCode).toBe(200);
        const logout = await app.inject({
          method: 'POST',
          url: '/logout',
          headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
          payload: `_csrf=${csrfFieldOf(dashboard.body)}`,
        });
        expect(logout.statusCode).toBe(303);
        const revoked = await app.inject({
          method: 'GET',
          url: '/api/v1/sessions/current',
          headers: { cookie: `links_session=${second}` },
        });
        expect(revoked.statusCode).toBe(401);
      });

      it('sets the session cookie HttpOnly and SameSite=Lax, Secure only over TLS', async () => {
        const email = (await newUser()).email;
        const plain = await login(email);
        const cookie = String(plain.headers['set-cookie']);
        expect(cookie).toMatch(/links_session=[^;]+;.*HttpOnly/);
        expect(cookie).toContain('SameSite=Lax');
        expect(cookie).not.toContain('Secure');
      });

      it('revokes a bearer token with DELETE /api/v1/sessions/current', async () => {
        const { auth } = await newUser();
        expect(
          (await app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: auth })).statusCode,
        ).toBe(204);
        const after = await app.inject({ method: 'GET', url: '/api/v1/links', headers: auth });
        expect(after.statusCode).toBe(401);
        expect(after.json().code).toBe('UNAUTHENTICATED');
      });
    });

    describe('pages and documents', () => {
      it('serves pages with a strict CSP and escapes user data', async () => {
        const jar = new CookieJar();
        const page = jar.store(await app.inject({ method: 'GET', url: '/login' }));
        expect(page.headers['content-security-policy']).toContain("default-src 'none'");
        expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
        expect(page.body).not.toContain('<script');
        const xss = '"><script>alert(1)</script>@example.test';
        const failed = await app.inject({
          method: 'POST',
          url: '/login',
          headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({
            email: xss,
            password: 'whatever-long',
            _csrf: csrfFieldOf(page.body),
          }).toString(),
        });
        expect(failed.statusCode).toBe(401);
        expect(failed.body).not.toContain('<script>');
        expect(failed.body).toContain('&lt;script&gt;');
      });

      it('walks the pages: register, log in, shorten, see clicks, delete, log out', async () => {
        const jar = new CookieJar();
        const form = (url: string, fields: Record<string, string>) =>
          app
            .inject({
              method: 'POST',
              url,
              headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
              payload: new URLSearchParams(fields).toString(),
            })
            .then((response) => jar.store(response));
        const get = (url: string) =>
          app.inject({ method: 'GET', url, headers: { cookie: jar.header() } }).then((r) => jar.store(r));

        expect((await get('/')).headers.location).toBe('/login');
        const registerPage = await get('/register');
        expect(registerPage.body).toMatch(/<label for="email">Email<\/label>/);
        expect(registerPage.body).toMatch(/<label for="password">Password<\/label>/);
        expect(registerPage.body).toContain('>Create account</button>');
        const email = uniqueEmail('pages');
        const registered = await form('/register', {
          email,
          password: goodPassword,
          _csrf: csrfFieldOf(registerPage.body),
        });
        expect(registered.statusCode).toBe(303);
        expect(registered.headers.location).toBe('/login?registered=1');
        const loginPage = await get('/login?registered=1');
        expect(loginPage.body).toContain('Account created. Log in to continue.');
        expect(loginPage.body).toContain('>Log in</button>');
        const loggedIn = await form('/login', {
          email,
          password: goodPassword,
          _csrf: csrfFieldOf(loginPage.body),
        });
        expect(loggedIn.headers.location).toBe('/dashboard');

        let dashboard = await get('/dashboard');
        expect(dashboard.body).toContain('<label for="url">URL</label>');
        expect(dashboard.body).toContain('<label for="code">Custom code (optional)</label>');
        expect(dashboard.body).toContain('>Shorten</button>');
        expect(dashboard.body).toContain('>Log out</button>');
        const code = `page-${Date.now().toString(36)}`;
        const refused = await form('/links', {
          url: 'javascript:alert(1)',
          code,
          _csrf: csrfFieldOf(dashboard.body),
        });
        expect(refused.statusCode).toBe(400);
        expect(refused.body).toContain('role="alert"');
        const created = await form('/links', {
          url: 'https://example.com/page',
          code,
          _csrf: csrfFieldOf(dashboard.body),
        });
        expect(created.headers.location).toBe(`/dashboard?created=${code}`);
        await app.inject({ method: 'GET', url: `/${code}` });
        await links.clicks.flush();
        dashboard = await get(`/dashboard?created=${code}`);
        expect(dashboard.body).toContain(`Created <span class="short">http://localhost:80/${code}</span>.`);
        expect(dashboard.body).toMatch(
          new RegExp(
            `<a class="short" href="/${code}">http://localhost:80/${code}</a></td>\\s*<td[^>]*>https://example.com/page</td>\\s*<td[^>]*>1</td>`,
          ),
        );
        const confirm = await get(`/links/${code}/delete`);
        expect(confirm.body).toContain('<h1>Delete this link?</h1>');
        const deleted = await form(`/links/${code}/delete`, { _csrf: csrfFieldOf(confirm.body) });
        expect(deleted.headers.location).toBe(`/dashboard?deleted=${code}`);
        dashboard = await get(`/dashboard?deleted=${code}`);
        expect(dashboard.body).toContain(`Deleted ${code}.`);
        expect(dashboard.body).not.toContain(`href="/${code}"`);
        const loggedOut = await form('/logout', { _csrf: csrfFieldOf(dashboard.body) });
        expect(loggedOut.headers.location).toBe('/login');
        expect((await get('/dashboard')).headers.location).toBe('/login');
      });

      it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
        const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
        expect(response.statusCode).toBe(200);
        const document = response.json<{ openapi: string; paths: Record<string, object> }>();
        expect(document.openapi).toBe('3.1.0');
        expect(Object.keys(document.paths)).toEqual(
          expect.arrayContaining([
            '/api/v1/accounts',
            '/api/v1/sessions',
            '/api/v1/links',
            '/api/v1/links/{code}',
          ]),
        );
        expect(Object.keys(document.paths)).not.toContain('/dashboard');
      });

      it('answers probes and /version, and never serves /metrics on the public port', async () => {
        expect((await app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
        expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
        expect((await app.inject({ method: 'GET', url: '/version' })).json()).toMatchObject({
          gitSha: 'abc123',
        });
        expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      });
    });
  });
};
