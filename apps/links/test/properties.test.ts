import { validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordProblem } from '../src/auth/password-policy.js';
import type { Database } from '../src/db/database.js';
import { createPostgresDatabase } from '../src/db/postgres.js';
import {
  checkTargetUrl,
  codePattern,
  codeProblem,
  reservedCodes,
  urlMaxLength,
} from '../src/links/link-rules.js';
import { commonPasswordsForTest } from './helpers/common-passwords.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { buildTestApp, goodPassword, migrateDatabase, signUpAndLogIn } from './helpers/test-app.js';

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.webUrl(),
);

describe('validation rules (pure)', () => {
  it('accepts only absolute http(s) URLs within the length limit, and never throws', () => {
    fc.assert(
      fc.property(anyText, (input) => {
        const result = checkTargetUrl(input);
        if (result.ok) {
          expect(result.url).toMatch(/^https?:\/\/[^/\s]+/);
          expect(result.url.length).toBeLessThanOrEqual(urlMaxLength);
          // It becomes a Location header as it is, on the warm path with no framework to catch a throw.
          expect(() => validateHeaderValue('location', result.url)).not.toThrow();
        }
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom('javascript:', 'data:', 'JaVaScRiPt:', ' javascript:', 'vbscript:', 'file:'),
        anyText,
        (scheme, rest) => {
          expect(checkTargetUrl(scheme + rest).ok).toBe(false);
        },
      ),
    );
  });

  it('accepts only safe, unreserved custom codes', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.constantFrom(...reservedCodes)), (code) => {
        if (codeProblem(code) === undefined) {
          expect(code).toMatch(codePattern);
          expect(reservedCodes.has(code.toLowerCase())).toBe(false);
          expect(encodeURIComponent(code)).toBe(code);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('judges passwords by length in code points and the common list only', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 0, maxLength: 140 }), (password) => {
        const problem = passwordProblem(password, commonPasswordsForTest);
        const length = [...password.normalize('NFC')].length;
        if (length >= 8 && length <= 128 && !commonPasswordsForTest.has(password.toLowerCase())) {
          expect(problem).toBeUndefined();
        } else {
          expect(problem).toBeDefined();
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('no input yields a 5xx (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;
  let links: Awaited<ReturnType<typeof buildTestApp>>;
  let auth: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase('props');
    db = createPostgresDatabase({ url: database.url, max: 4 });
    await migrateDatabase(db);
    links = await buildTestApp(db);
    const json = { 'content-type': 'application/json' };
    auth = { authorization: `Bearer ${await signUpAndLogIn(links.app, 'props')}` };
    await links.app.inject({
      method: 'POST',
      url: '/api/v1/links',
      headers: { ...json, ...auth },
      payload: { url: 'https://example.com', code: 'known' },
    });
  });

  afterAll(async () => {
    await links?.app.close();
    await db?.close();
    await database?.drop();
  });

  it('GET /:code answers 302, 400 or 404 for any path segment', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyText, fc.constant('known')), async (segment) => {
        // `.` and `..` are dot-segments, removed by URL resolution (RFC 3986 5.2.4): `/.` is the root page, not a code.
        fc.pre(segment !== '' && segment !== '.' && segment !== '..');
        const response = await links.app.inject({ method: 'GET', url: `/${encodeURIComponent(segment)}` });
        expect([302, 400, 404]).toContain(response.statusCode);
      }),
      { numRuns: 300 },
    );
  });

  it('POST /api/v1/links answers 201, 400, 409 or 413 for any JSON body', async () => {
    const body = fc.oneof(
      fc.record(
        { url: fc.oneof(anyText, fc.webUrl()), code: fc.option(anyText, { nil: undefined }) },
        { requiredKeys: ['url'] },
      ),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const response = await links.app.inject({
          method: 'POST',
          url: '/api/v1/links',
          headers: { 'content-type': 'application/json', ...auth },
          payload: JSON.stringify(payload ?? null),
        });
        expect([201, 400, 409, 413]).toContain(response.statusCode);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses e-mails with control characters: 400 at registration, the wrong-password 401 at login', async () => {
    // The NUL case is a counterexample the property below once found: PostgreSQL text cannot hold it.
    for (const email of ['\u0000', 'a\u0000@example.test', 'a@example.test\u0007']) {
      const payload = { email, password: goodPassword };
      const headers = { 'content-type': 'application/json' };
      const registered = await links.app.inject({
        method: 'POST',
        url: '/api/v1/accounts',
        headers,
        payload,
      });
      expect(registered.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      const login = await links.app.inject({ method: 'POST', url: '/api/v1/sessions', headers, payload });
      expect(login.json()).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    }
  });

  it('POST /api/v1/accounts and /sessions answer 4xx or 201 for arbitrary bodies, raw or JSON', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/v1/accounts', '/api/v1/sessions'),
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.jsonValue().map((value) => JSON.stringify(value ?? null)),
          fc.record({ email: anyText, password: anyText }).map((value) => JSON.stringify(value)),
        ),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        async (url, payload, contentType) => {
          const response = await links.app.inject({
            method: 'POST',
            url,
            headers: { 'content-type': contentType },
            payload,
          });
          expect(response.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
