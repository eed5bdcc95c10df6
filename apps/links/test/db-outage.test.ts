import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinksApp } from '../src/app.js';
import type { Database } from '../src/db/database.js';
import { createPostgresDatabase } from '../src/db/postgres.js';
import { createTestDatabase, postgresHost, postgresPort, type TestDatabase } from './helpers/postgres.js';
import { TcpProxy } from './helpers/tcp-proxy.js';
import { buildTestApp, migrateDatabase, signUpAndLogIn } from './helpers/test-app.js';

const json = { 'content-type': 'application/json' };

describe('the database going away mid-traffic', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let db: Database;
  let links: LinksApp;

  beforeAll(async () => {
    database = await createTestDatabase('outage');
    proxy = new TcpProxy(postgresHost, postgresPort);
    await proxy.open();
    db = createPostgresDatabase({
      url: database.urlVia('127.0.0.1', proxy.port),
      max: 4,
      timeouts: { connectMs: 500 },
    });
    await migrateDatabase(db);
    links = await buildTestApp(db);
  });

  afterAll(async () => {
    await links?.app.close();
    await db?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('answers 503 problems and /readyz 503 while down, without crashing, and recovers fully', async () => {
    const { app } = links;
    const auth = { authorization: `Bearer ${await signUpAndLogIn(app, 'outage')}` };
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/links',
      headers: { ...json, ...auth },
      payload: { url: 'https://example.com/up', code: 'outage-1' },
    });
    expect(created.statusCode).toBe(201);
    // One redirect while up puts the link in the redirect cache.
    expect((await app.inject({ method: 'GET', url: '/outage-1' })).statusCode).toBe(302);
    await links.clicks.flush();

    // Traffic keeps flowing while the proxy is cut underneath it.
    const traffic = Array.from({ length: 20 }, (_, i) =>
      app.inject({ method: 'GET', url: i % 2 === 0 ? '/api/v1/links' : '/missing-code', headers: auth }),
    );
    await proxy.close();
    const duringCut = await Promise.all(traffic);
    for (const response of duringCut) expect([200, 404, 503]).toContain(response.statusCode);

    const listed = await app.inject({ method: 'GET', url: '/api/v1/links', headers: auth });
    expect(listed.statusCode).toBe(503);
    expect(listed.headers['content-type']).toContain('application/problem+json');
    expect(listed.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503 });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    // The reason is public: never the driver's text, which names internal hosts and ports.
    expect(ready.json()).toEqual({ status: 'not ready', reason: 'database unreachable' });
    const databaseUp = () => links.metrics.registry.getSingleMetricAsString('links_database_up');
    expect(await databaseUp()).toMatch(/^links_database_up 0$/m);
    const page = await app.inject({ method: 'GET', url: '/unknown-code' });
    expect(page.statusCode).toBe(503);
    expect(page.headers['content-type']).toContain('text/html');
    expect((await app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);

    // A cached link still redirects; its click survives the failed flush and is written after recovery.
    expect((await app.inject({ method: 'GET', url: '/outage-1' })).statusCode).toBe(302);
    const pendingBefore = links.clicks.pending();
    expect(pendingBefore).toBe(1);
    await expect(links.clicks.flush()).rejects.toThrow();
    expect(links.clicks.pending()).toBe(pendingBefore);

    await proxy.open();
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect(await databaseUp()).toMatch(/^links_database_up 1$/m);
    expect((await app.inject({ method: 'GET', url: '/api/v1/links', headers: auth })).statusCode).toBe(200);
    await links.clicks.flush();
    const after = await app.inject({ method: 'GET', url: '/api/v1/links/outage-1', headers: auth });
    expect(after.json().clicks).toBe(2);
    const metrics = await links.metrics.registry.getSingleMetricAsString('links_click_flushes_total');
    expect(metrics).toMatch(/outcome="error"} [1-9]/);
  });
});
