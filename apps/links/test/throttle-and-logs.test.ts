import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredAuthState } from '../src/auth/housekeeping.js';
import { parseConfig } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { createPostgresDatabase } from '../src/db/postgres.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { buildTestApp, goodPassword, migrateDatabase, uniqueEmail } from './helpers/test-app.js';

const json = { 'content-type': 'application/json' };
type TestApp = Awaited<ReturnType<typeof buildTestApp>>;

describe('login throttling and log redaction (PostgreSQL, two app instances)', () => {
  let database: TestDatabase;
  let dbA: Database;
  let dbB: Database;
  let replicaA: TestApp;
  let replicaB: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase('throttle');
    dbA = createPostgresDatabase({ url: database.url, max: 2 });
    dbB = createPostgresDatabase({ url: database.url, max: 2 });
    await migrateDatabase(dbA);
    const throttlePolicy = { maxFailures: 3, windowSeconds: 60 };
    replicaA = await buildTestApp(dbA, { throttlePolicy });
    replicaB = await buildTestApp(dbB, { throttlePolicy });
  });

  afterAll(async () => {
    await replicaA?.app.close();
    await replicaB?.app.close();
    await dbA?.close();
    await dbB?.close();
    await database?.drop();
  });

  const login = (replica: TestApp, email: string, password: string, remoteAddress = '127.0.0.1') =>
    replica.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      headers: json,
      payload: { email, password },
      remoteAddress,
    });

  const register = (replica: TestApp, email: string, remoteAddress = '127.0.0.1') =>
    replica.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: json,
      payload: { email, password: goodPassword },
      remoteAddress,
    });

  it('counts failures across replicas and answers 429 with Retry-After to that client, even for the right password', async () => {
    const email = uniqueEmail('throttled');
    const registered = await replicaA.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: json,
      payload: { email, password: goodPassword },
    });
    expect(registered.statusCode).toBe(201);
    expect((await login(replicaA, email, 'wrong password 1')).statusCode).toBe(401);
    expect((await login(replicaB, email, 'wrong password 2')).statusCode).toBe(401);
    expect((await login(replicaA, email, 'wrong password 3')).statusCode).toBe(401);

    const throttled = await login(replicaB, email, goodPassword);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', status: 429 });
    const retryAfter = Number(throttled.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // The owner, from another address, is not locked out by the guesses: they came from elsewhere.
    expect((await login(replicaA, email, goodPassword, '192.0.2.77')).statusCode).toBe(201);

    // Another e-mail is not affected by this one's failures.
    const other = uniqueEmail('unaffected');
    await replicaB.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: json,
      payload: { email: other, password: goodPassword },
    });
    expect((await login(replicaA, other, goodPassword)).statusCode).toBe(201);

    const metrics = await replicaB.metrics.registry.getSingleMetricAsString('links_logins_total');
    expect(metrics).toContain('links_logins_total{outcome="throttled"} 1');
  });

  it('slows an account down after 10 failures a minute from many addresses, without a long lockout', async () => {
    const email = uniqueEmail('spread');
    expect((await register(replicaA, email)).statusCode).toBe(201);
    for (let i = 0; i < 10; i++) {
      expect((await login(replicaA, email, `wrong ${i} wrong`, `198.51.100.${i + 1}`)).statusCode).toBe(401);
    }
    const slowed = await login(replicaB, email, goodPassword, '198.51.100.200');
    expect(slowed.statusCode).toBe(429);
    expect(Number(slowed.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('limits registrations to 10 an hour per address, counted atomically', async () => {
    const limited = await buildTestApp(dbA, {
      registrationThrottlePolicy: { maxFailures: 10, windowSeconds: 3600 },
    });
    try {
      const address = '203.0.113.9';
      const responses = await Promise.all(
        Array.from({ length: 40 }, () => register(limited, uniqueEmail('flood'), address)),
      );
      const statuses = responses.map((response) => response.statusCode);
      expect(statuses.filter((status) => status === 201)).toHaveLength(10);
      expect(statuses.filter((status) => status === 429)).toHaveLength(30);
      const { rows } = await dbA.query("select 1 from accounts where email like 'flood.%'");
      expect(rows).toHaveLength(10);
      expect((await register(limited, uniqueEmail('elsewhere'), '203.0.113.10')).statusCode).toBe(201);
    } finally {
      await limited.app.close();
    }
  });

  it("keys the address budget on the gateway's hop, whatever a client writes leftmost in X-Forwarded-For", async () => {
    // TRUST_PROXY as synth renders it for every environment: one hop, the gateway.
    const behindGateway = await buildTestApp(dbA, {
      trustProxy: parseConfig({ TRUST_PROXY: '1' }).TRUST_PROXY,
    });
    try {
      const sprayed = Array.from({ length: 8 }, (_, i) => `198.18.${i}.1`);
      for (const spoofed of sprayed) {
        const response = await behindGateway.app.inject({
          method: 'POST',
          url: '/api/v1/sessions',
          headers: { ...json, 'x-forwarded-for': `${spoofed}, 192.0.2.44` },
          payload: { email: uniqueEmail('spray'), password: 'not the password' },
          remoteAddress: '10.244.1.17',
        });
        expect(response.statusCode).toBe(401);
      }
      const { rows } = await dbA.query<{ key: string; failures: number }>(
        "select key, failures from login_attempts where key like 'address:192.0.2.44' or key like 'address:198.18.%'",
      );
      expect(rows).toEqual([{ key: 'address:192.0.2.44', failures: 8 }]);
    } finally {
      await behindGateway.app.close();
    }
  });

  it('purges expired sessions and stale failure counters, keeping live ones', async () => {
    await dbA.query(`insert into login_attempts (key, failures, window_started_at) values
      ('email:stale@example.test', 9, now() - interval '2 days'), ('email:live@example.test', 1, now())`);
    const email = uniqueEmail('expired');
    await replicaA.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: json,
      payload: { email, password: goodPassword },
    });
    const { token } = (await login(replicaA, email, goodPassword)).json<{ token: string }>();
    await dbA.query(`update sessions set expires_at = now() - interval '1 second'`);
    const purged = await purgeExpiredAuthState(dbA);
    expect(purged.attempts).toBeGreaterThanOrEqual(1);
    expect(purged.sessions).toBeGreaterThanOrEqual(1);
    const keys = await dbA.query<{ key: string }>('select key from login_attempts');
    expect(keys.rows.map((row) => row.key)).toContain('email:live@example.test');
    expect(keys.rows.map((row) => row.key)).not.toContain('email:stale@example.test');
    const expired = await replicaA.app.inject({
      method: 'GET',
      url: '/api/v1/links',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(expired.statusCode).toBe(401);
  });

  it('uses __Host- cookies over TLS through the trusted gateway, and ignores the plain names there', async () => {
    const behindProxy = await buildTestApp(dbB, { trustProxy: 1 });
    try {
      const tls = { 'x-forwarded-proto': 'https' };
      const page = await behindProxy.app.inject({ method: 'GET', url: '/register', headers: tls });
      expect(String(page.headers['set-cookie'])).toMatch(
        /^__Host-links_csrf=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
      );
      const email = uniqueEmail('tls');
      await register(behindProxy, email);
      const loggedIn = await behindProxy.app.inject({
        method: 'POST',
        url: '/api/v1/sessions',
        headers: { ...json, ...tls },
        payload: { email, password: goodPassword },
      });
      const cookies = ([] as string[]).concat(loggedIn.headers['set-cookie'] ?? []);
      expect(cookies.find((c) => c.startsWith('__Host-links_session='))).toMatch(
        /Path=\/;.*HttpOnly; Secure/,
      );
      expect(cookies.join('\n')).not.toMatch(/Domain=/i);
      const { token } = loggedIn.json<{ token: string }>();
      const current = (cookie: string) =>
        behindProxy.app.inject({
          method: 'GET',
          url: '/api/v1/sessions/current',
          headers: { ...tls, cookie },
        });
      expect((await current(`__Host-links_session=${token}`)).statusCode).toBe(200);
      // A plain-named cookie is one a sibling host could have set: not read over TLS.
      expect((await current(`links_session=${token}`)).statusCode).toBe(401);

      const plain = await replicaA.app.inject({ method: 'GET', url: '/register', headers: tls });
      expect(String(plain.headers['set-cookie'])).toMatch(/^links_csrf=/);
      expect(String(plain.headers['set-cookie'])).not.toContain('Secure');
    } finally {
      await behindProxy.app.close();
    }
  });

  it('throttles the login form too, with a 429 page', async () => {
    const email = uniqueEmail('form');
    for (let i = 0; i < 3; i++) await login(replicaA, email, `nope ${i} nope`);
    const page = await replicaA.app.inject({ method: 'GET', url: '/register' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const response = await replicaB.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email, password: goodPassword, _csrf: csrf }).toString(),
    });
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBeDefined();
    expect(response.body).toContain('Too many failed logins');
  });

  it('never writes passwords, tokens or cookies to the log, and tags each line with a request id', async () => {
    const email = uniqueEmail('logs');
    const password = `log-${'secret'}-passphrase-${Date.now()}`;
    await replicaA.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: json,
      payload: { email, password },
    });
    const session = await login(replicaA, email, password);
    const { token } = session.json<{ token: string }>();
    await replicaA.app.inject({
      method: 'GET',
      url: '/api/v1/links',
      headers: {
        authorization: `Bearer ${token}`,
        cookie: `links_session=${token}`,
        'x-request-id': 'req-from-gateway',
      },
    });
    await replicaA.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      headers: { ...json, 'x-request-id': 'req-refused' },
      payload: { email, password: `${password}-wrong` },
    });
    // Written through the request's own logger, which is made only when the request logs (lazy-child-logger.ts).
    const refused = replicaA.logs.lines.filter((line) => line.reqId === 'req-refused');
    expect(refused.map((line) => [line.msg, line.code])).toEqual([
      ['request refused', 'INVALID_CREDENTIALS'],
      ['request completed', undefined],
    ]);
    const everything = replicaA.logs.raw.join('\n');
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(token);
    const requestLines = replicaA.logs.lines.filter((line) => line.msg === 'request completed');
    expect(requestLines.length).toBeGreaterThanOrEqual(3);
    for (const line of requestLines) expect(line.reqId).toEqual(expect.any(String));
    expect(requestLines.map((line) => line.reqId)).toContain('req-from-gateway');

    // A deliberate log of credential-shaped fields, as a careless handler might write it.
    replicaA.app.log.info(
      { password, token, headers: { authorization: `Bearer ${token}`, cookie: 'links_session=x' } },
      'careless',
    );
    const careless = replicaA.logs.lines.find((line) => line.msg === 'careless');
    expect(careless).toMatchObject({
      password: '[redacted]',
      token: '[redacted]',
      headers: { authorization: '[redacted]', cookie: '[redacted]' },
    });
    expect(replicaA.logs.raw.join('\n')).not.toContain(token);
  });
});
