import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../src/db/postgres.js';
import { createShutdown } from '../src/shutdown.js';
import { createTestDatabase, postgresHost, postgresPort, type TestDatabase } from './helpers/postgres.js';
import { TcpProxy } from './helpers/tcp-proxy.js';
import { buildTestApp, migrateDatabase, signUpAndLogIn } from './helpers/test-app.js';

const json = { 'content-type': 'application/json' };

describe('shutdown sequence', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;

  beforeAll(async () => {
    database = await createTestDatabase('drain');
    proxy = new TcpProxy(postgresHost, postgresPort);
    await proxy.open();
  });

  afterAll(async () => {
    await proxy?.close();
    await database?.drop();
  });

  it('retries the final click flush through a database blip, then closes everything', async () => {
    const db = createPostgresDatabase({
      url: database.urlVia('127.0.0.1', proxy.port),
      max: 2,
      timeouts: { connectMs: 300 },
    });
    await migrateDatabase(db);
    const links = await buildTestApp(db);
    const { app } = links;
    const auth = { authorization: `Bearer ${await signUpAndLogIn(app, 'drain')}` };
    await app.inject({
      method: 'POST',
      url: '/api/v1/links',
      headers: { ...json, ...auth },
      payload: { url: 'https://example.com', code: 'blip' },
    });
    expect((await app.inject({ method: 'GET', url: '/blip' })).statusCode).toBe(302);

    await proxy.close();
    expect((await app.inject({ method: 'GET', url: '/blip' })).statusCode).toBe(302);
    expect(links.clicks.pending()).toBe(2);
    let stopped = false;
    const shutdown = createShutdown({
      links,
      db,
      logger: links.logger,
      graceMs: 0,
      timeoutMs: 1000,
      flushAttemptMs: 5000,
      stopTimers: () => {
        stopped = true;
      },
    });
    const done = shutdown('SIGTERM');
    expect(shutdown('SIGINT')).toBe(done);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    setTimeout(() => void proxy.open(), 200);
    expect(await done).toBe(true);
    expect(stopped).toBe(true);

    const check = createPostgresDatabase({ url: database.url, max: 1 });
    const { rows } = await check.query<{ clicks: string }>(`select clicks from links where code = 'blip'`);
    await check.close();
    expect(Number(rows[0]?.clicks)).toBe(2);
  });
});
