import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../src/db/postgres.js';
import {
  createMigratedTestDatabase,
  postgresHost,
  postgresPort,
  type TestDatabase,
} from './helpers/postgres.js';
import { type SpawnedService, seedLink, startMain } from './helpers/spawn-service.js';
import { TcpProxy } from './helpers/tcp-proxy.js';

const graceMs = 200;
const timeoutMs = 8000;
const restoreAfterMs = 1500;

/**
 * Issue 16 review, item 1: the database is black-holed when SIGTERM arrives (a failover during a node drain) and
 * comes back 1.5 s later. The final flush's first attempt opens while nothing answers; it must give up within
 * one attempt's bound and retry, not wait out the whole deadline on a connection that will never answer.
 */
describe('SIGTERM during a database failover', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let service: SpawnedService | undefined;

  beforeAll(async () => {
    database = await createMigratedTestDatabase('failover');
    proxy = new TcpProxy(postgresHost, postgresPort);
    await proxy.open();
  });

  afterAll(async () => {
    if (service?.child.exitCode === null) service.child.kill('SIGKILL');
    await proxy?.close();
    await database?.drop();
  });

  it('retries the final flush once the database is back and stores every click', async () => {
    service = await startMain({
      DATABASE_URL: database.urlVia('127.0.0.1', proxy.port),
      DATABASE_POOL_MAX: '4',
      SHUTDOWN_GRACE_MS: String(graceMs),
      SHUTDOWN_TIMEOUT_MS: String(timeoutMs),
      // Clicks reach the database only in the final flush.
      CLICK_FLUSH_INTERVAL_MS: '600000',
      LOG_LEVEL: 'info',
    });
    const running = service;
    await seedLink(running, 'failover-hot', 'https://example.com/f');
    let redirects = 0;
    for (let i = 0; i < 20; i++) {
      if ((await fetch(running.url('/failover-hot'), { redirect: 'manual' })).status === 302) redirects += 1;
    }
    expect(redirects).toBe(20);

    proxy.freeze();
    const signalled = Date.now();
    running.child.kill('SIGTERM');
    const restored = new Promise<void>((resolve) =>
      setTimeout(() => {
        proxy.restore();
        resolve();
      }, restoreAfterMs),
    );
    const code = await running.exited;
    const exitedAfterMs = Date.now() - signalled;
    await restored;

    expect(code, running.stdout()).toBe(0);
    expect(exitedAfterMs, running.stdout()).toBeLessThanOrEqual(graceMs + timeoutMs + 500);
    expect(running.stdout()).toContain('"flushed":true');
    const db = createPostgresDatabase({ url: database.url, max: 1 });
    try {
      const { rows } = await db.query<{ clicks: string }>(
        `select clicks from links where code = 'failover-hot'`,
      );
      expect(Number(rows[0]?.clicks)).toBe(redirects);
    } finally {
      await db.close();
    }
  }, 30_000);
});
