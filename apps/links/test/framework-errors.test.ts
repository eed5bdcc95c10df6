import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { createPostgresDatabase } from '../src/db/postgres.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { buildTestApp, migrateDatabase } from './helpers/test-app.js';

type TestApp = Awaited<ReturnType<typeof buildTestApp>>;

/** What Fastify's router and Node's HTTP parser refuse, over a real socket (inject skips the parser). */
describe("Fastify's and Node's own refusals go through the one error answer", () => {
  let database: TestDatabase;
  let db: Database;
  let links: TestApp;
  let origin: string;

  beforeAll(async () => {
    database = await createTestDatabase('framework_errors');
    db = createPostgresDatabase({ url: database.url, max: 2 });
    await migrateDatabase(db);
    links = await buildTestApp(db);
    await links.app.listen({ host: '127.0.0.1', port: 0 });
    const address = links.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    origin = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await links?.app.close();
    await db?.close();
    await database?.drop();
  });

  const counted = async (method: string, status: number): Promise<number> => {
    const { values } = await links.metrics.httpRequests.get();
    const found = values.find(
      (v) =>
        v.labels.method === method &&
        v.labels.route === 'unmatched' &&
        v.labels.status_code === String(status),
    );
    return found?.value ?? 0;
  };

  const marker = 'reflected-marker';

  it.each([
    ['an over-long code (414)', `/${marker}${'a'.repeat(120)}`, 414, 'text/html', 'URI_TOO_LONG'],
    ['a bad %-encoding on a page (400)', `/${marker}%zz`, 400, 'text/html', 'BAD_REQUEST'],
    [
      'a bad %-encoding under /api (400)',
      `/api/v1/links/${marker}%zz`,
      400,
      'application/problem+json',
      'BAD_REQUEST',
    ],
    ['oversized headers (431)', `/${marker}`, 431, 'application/problem+json', 'HEADERS_TOO_LARGE'],
  ])(
    'answers %s with security headers, no path echoed, and counts it',
    async (_name, path, status, type, code) => {
      const method = status === 431 ? 'unparsed' : 'GET';
      const before = await counted(method, status);
      const headers = status === 431 ? { 'x-padding': 'p'.repeat(20_000) } : undefined;
      const response = await fetch(`${origin}${path}`, { headers });
      const body = await response.text();
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toContain(type);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(body).not.toContain(marker);
      if (type === 'application/problem+json') expect(JSON.parse(body)).toMatchObject({ status, code });
      expect(await counted(method, status)).toBe(before + 1);
    },
  );

  it('answers a request Node cannot parse with 400 problem details and closes the connection', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(origin).port), '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString();
      });
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      socket.write(`GET /${marker} HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n`);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(raw).toContain('x-content-type-options: nosniff');
    expect(raw).toContain('"code":"BAD_REQUEST"');
    expect(raw).not.toContain(marker);
  });
});
