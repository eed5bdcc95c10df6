import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../src/db/postgres.js';
import { createMigratedTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { type SpawnedService, seedLink, startMain } from './helpers/spawn-service.js';

const graceMs = 600;

/** Sends the head and half the body of a request, and returns a way to send the rest and read the reply. */
const startSlowRequest = async (
  port: number,
  path: string,
  headers: Record<string, string>,
  body: string,
) => {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const head = Object.entries({
    ...headers,
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const half = Math.floor(body.length / 2);
  socket.write(`POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${head}\r\n${body.slice(0, half)}`);
  return {
    finish: async (): Promise<string> => {
      socket.write(body.slice(half));
      await closed;
      return received;
    },
  };
};

describe('SIGTERM with requests in flight', () => {
  let database: TestDatabase;
  let service: SpawnedService | undefined;

  beforeAll(async () => {
    database = await createMigratedTestDatabase('shutdown');
  });

  afterAll(async () => {
    if (service?.child.exitCode === null) service.child.kill('SIGKILL');
    await database?.drop();
  });

  it('fails readiness at once, completes in-flight requests, flushes every click and exits 0', async () => {
    service = await startMain({
      DATABASE_URL: database.url,
      SHUTDOWN_GRACE_MS: String(graceMs),
      SHUTDOWN_TIMEOUT_MS: '10000',
      CLICK_FLUSH_INTERVAL_MS: '600000',
      LOG_LEVEL: 'info',
    });
    const running = service;
    const auth = await seedLink(running, 'sd-clicks', 'https://example.com/sd');

    const redirects = 40;
    const statuses = await Promise.all(
      Array.from({ length: redirects }, () =>
        fetch(running.url('/sd-clicks'), { redirect: 'manual' }).then((r) => r.status),
      ),
    );
    expect(statuses.every((status) => status === 302)).toBe(true);

    const slow = await startSlowRequest(
      running.port,
      '/api/v1/links',
      { 'content-type': 'application/json', ...auth },
      JSON.stringify({ url: 'https://example.com/in-flight', code: 'sd-in-flight' }),
    );
    running.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));

    const readyz = await fetch(running.url('/readyz'));
    expect(readyz.status).toBe(503);
    // Still serving during the grace period: a load balancer may route here for a moment.
    expect((await fetch(running.url('/sd-clicks'), { redirect: 'manual' })).status).toBe(302);

    await new Promise((resolve) => setTimeout(resolve, graceMs));
    const reply = await slow.finish();
    expect(reply, running.stdout()).toMatch(/^HTTP\/1\.1 201/);

    expect(await running.exited).toBe(0);
    expect(running.stdout()).toContain('"flushed":true');

    const db = createPostgresDatabase({ url: database.url, max: 1 });
    try {
      const { rows } = await db.query<{ code: string; clicks: string }>(
        'select code, clicks from links order by code',
      );
      expect(rows.map((row) => [row.code, Number(row.clicks)])).toEqual([
        ['sd-clicks', redirects + 1],
        ['sd-in-flight', 0],
      ]);
    } finally {
      await db.close();
    }
  });
});
