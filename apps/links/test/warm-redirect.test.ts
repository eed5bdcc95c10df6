import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { createPostgresDatabase } from '../src/db/postgres.js';
import { createWarmRedirect } from '../src/links/warm-redirect.js';
import { createLogger } from '../src/telemetry/logger.js';
import { warmRedirectLog } from '../src/telemetry/request-log.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { buildTestApp, goodPassword, LogCapture, migrateDatabase, uniqueEmail } from './helpers/test-app.js';

/** What the warm path did to a response: nothing, or one complete 302. */
const recordingResponse = () => {
  const written: { status?: number; headers?: string[]; ended: boolean } = { ended: false };
  const response = {
    writeHead(status: number, headers: string[]) {
      written.status = status;
      written.headers = headers;
      return response;
    },
    end() {
      written.ended = true;
      return response;
    },
  };
  return { response: response as unknown as ServerResponse, written };
};

const request = (method: string, url: string) => ({ method, url, headers: {} }) as IncomingMessage;

describe('warm redirect (no I/O)', () => {
  const cached = new Map([['abc123', 'https://example.com/target']]);
  const answered: number[] = [];
  const warm = createWarmRedirect({
    resolveCached: (code) => cached.get(code),
    onAnswered: (_request, milliseconds) => answered.push(milliseconds),
  });

  it('answers GET of a cached code, with or without a query, with one 302 and every redirect header', () => {
    for (const url of ['/abc123', '/abc123?utm_source=mail']) {
      const { response, written } = recordingResponse();
      expect(warm.answer(request('GET', url), response)).toBe(true);
      expect(written.status).toBe(302);
      expect(written.ended).toBe(true);
      const headers = Object.fromEntries(
        (written.headers ?? []).flatMap((value, i, all) => (i % 2 === 0 ? [[value, all[i + 1]]] : [])),
      );
      expect(headers).toEqual({
        'content-security-policy': "default-src 'none'",
        'referrer-policy': 'no-referrer',
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, max-age=0',
        'content-length': '0',
        location: 'https://example.com/target',
      });
    }
    expect(answered).toHaveLength(2);
    expect(answered.every((milliseconds) => milliseconds >= 0)).toBe(true);
  });

  it('leaves everything else untouched for the app: HEAD, POST, misses, other paths', () => {
    for (const [method, url] of [
      ['HEAD', '/abc123'],
      ['POST', '/abc123'],
      ['GET', '/ABC123'],
      ['GET', '/abc123/'],
      ['GET', '//abc123'],
      ['GET', '/%61bc123'],
      ['GET', '/'],
      ['GET', 'http://example.com/abc123'],
    ] as const) {
      const { response, written } = recordingResponse();
      expect(warm.answer(request(method, url), response), `${method} ${url}`).toBe(false);
      expect(written).toEqual({ ended: false });
    }
  });

  it('answers exactly GET /abc123 with or without a query, whatever else arrives', () => {
    fc.assert(
      fc.property(fc.constantFrom('GET', 'HEAD', 'POST'), fc.string({ unit: 'binary' }), (method, tail) => {
        for (const url of [tail, `/${tail}`, `/abc123${tail}`]) {
          const { response, written } = recordingResponse();
          const expected = method === 'GET' && (url === '/abc123' || url.startsWith('/abc123?'));
          expect(warm.answer(request(method, url), response)).toBe(expected);
          expect(written.ended).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers nothing once stopped', () => {
    const stopped = createWarmRedirect({ resolveCached: (code) => cached.get(code), onAnswered: () => {} });
    stopped.stop();
    const { response, written } = recordingResponse();
    expect(stopped.answer(request('GET', '/abc123'), response)).toBe(false);
    expect(written).toEqual({ ended: false });
  });
});

describe('warm redirect log line (no I/O)', () => {
  const line = (level: string) => {
    const capture = new LogCapture();
    const log = warmRedirectLog(createLogger(level, capture, false));
    const request = { method: 'GET', url: '/abc123?x=1', headers: { 'x-request-id': 'req-42' } };
    log(request as unknown as IncomingMessage, 0.05);
    return capture.lines;
  };

  it("writes the route's completion line at debug, with the caller's request id", () => {
    expect(line('debug')).toEqual([
      expect.objectContaining({
        level: 'debug',
        msg: 'request completed',
        reqId: 'req-42',
        req: { method: 'GET', url: '/abc123?x=1', route: '/:code' },
        res: { statusCode: 302 },
        responseTime: 0.05,
      }),
    ]);
  });

  it('writes nothing at info', () => {
    expect(line('info')).toEqual([]);
  });
});

/** One raw HTTP/1.1 exchange: writes `parts` in turn (a pause between), returns every byte the server sent. */
const rawExchange = (
  port: number,
  parts: string[],
  between: () => Promise<void> = async () => {},
): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.once('connect', async () => {
      for (const [i, part] of parts.entries()) {
        if (i > 0) await between();
        socket.write(part);
      }
    });
  });

const portOf = (server: Server): number => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on a port');
  return address.port;
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The status line of every response in `raw`; a body runs straight into the next response. */
const statusLines = (raw: string): string[] => raw.match(/HTTP\/1\.1 \d{3}/g) ?? [];

describe('warm redirect in the service (PostgreSQL, over HTTP)', () => {
  let database: TestDatabase;
  let db: Database;
  let links: Awaited<ReturnType<typeof buildTestApp>>;
  let baseUrl: string;
  let auth: { authorization: string };

  const newLink = async (url: string): Promise<string> => {
    const created = await fetch(`${baseUrl}/api/v1/links`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ url }),
    });
    expect(created.status).toBe(201);
    return ((await created.json()) as { code: string }).code;
  };

  const get = (path: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${path}`, { redirect: 'manual', ...init });

  /** Completion lines the service logged for `path` at info (the warm path logs at debug only). */
  const infoLinesFor = (path: string) =>
    links.logs.lines.filter(
      (line) => line.msg === 'request completed' && (line.req as { url?: string } | undefined)?.url === path,
    );

  /** The redirect's series on /metrics: requests, duration observations, `found` outcomes. */
  const redirectSeries = async () => {
    const body = (await links.ops.inject({ method: 'GET', url: '/metrics' })).body;
    const value = (series: string) =>
      Number(
        body
          .split('\n')
          .find((row) => row.startsWith(`${series} `))
          ?.split(' ')[1] ?? 0,
      );
    const labels = '{method="GET",route="/:code",status_code="302"}';
    return {
      requests: value(`http_requests_total${labels}`),
      durations: value(`http_request_duration_seconds_count${labels}`),
      found: value('links_redirects_total{outcome="found"}'),
    };
  };

  beforeAll(async () => {
    database = await createTestDatabase('warm_redirect');
    db = createPostgresDatabase({ url: database.url, max: 4 });
    await migrateDatabase(db);
    links = await buildTestApp(db);
    await links.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${portOf(links.app.server)}`;
    const email = uniqueEmail('warm');
    const json = { 'content-type': 'application/json' };
    const body = JSON.stringify({ email, password: goodPassword });
    await fetch(`${baseUrl}/api/v1/accounts`, { method: 'POST', headers: json, body });
    const session = await fetch(`${baseUrl}/api/v1/sessions`, { method: 'POST', headers: json, body });
    auth = { authorization: `Bearer ${((await session.json()) as { token: string }).token}` };
  });

  afterAll(async () => {
    await links?.app.close();
    await links?.ops.close();
    await db?.close();
    await database?.drop();
  });

  it('answers a cached code exactly as the route does, without the per-request line, counted all the same', async () => {
    const code = await newLink('https://example.com/warm?q=1');
    const seriesBefore = await redirectSeries();
    const pendingBefore = links.clicks.pending();

    const cold = await get(`/${code}`);
    const warm = await get(`/${code}`);
    const warmWithQuery = await get(`/${code}?utm_source=test`);

    const headersOf = (response: Response) =>
      Object.fromEntries([...response.headers].filter(([name]) => name !== 'date'));
    expect(cold.status).toBe(302);
    expect(headersOf(warm)).toEqual(headersOf(cold));
    expect(headersOf(warmWithQuery)).toEqual(headersOf(cold));
    expect(warm.headers.get('location')).toBe('https://example.com/warm?q=1');

    // The route logged the cold request; the warm path answered the other two.
    expect(infoLinesFor(`/${code}`)).toHaveLength(1);
    expect(infoLinesFor(`/${code}?utm_source=test`)).toHaveLength(0);
    const seriesAfter = await redirectSeries();
    expect(seriesAfter.requests - seriesBefore.requests).toBe(3);
    expect(seriesAfter.durations - seriesBefore.durations).toBe(3);
    expect(seriesAfter.found - seriesBefore.found).toBe(3);
    expect(links.clicks.pending() - pendingBefore).toBe(3);
    await links.clicks.flush();
    const stored = await fetch(`${baseUrl}/api/v1/links/${code}`, { headers: auth });
    expect(((await stored.json()) as { clicks: number }).clicks).toBe(3);
  });

  it('leaves HEAD, encoded codes and other paths to the app, which answers them as before', async () => {
    const code = await newLink('https://example.com/other');
    await get(`/${code}`);
    const pendingBefore = links.clicks.pending();

    const head = await get(`/${code}`, { method: 'HEAD' });
    expect(head.status).toBe(302);
    expect(links.clicks.pending()).toBe(pendingBefore);
    const encoded = `/%${code.charCodeAt(0).toString(16)}${code.slice(1)}`;
    expect((await get(encoded)).headers.get('location')).toBe('https://example.com/other');
    expect(infoLinesFor(encoded)).toHaveLength(1);
    expect((await get(`/${code}/`)).status).toBe(404);
    expect((await get('/login')).status).toBe(200);
  });

  it('keeps the server limits on the server it now creates: headers 10 s, request 30 s, keep-alive 72 s', async () => {
    const server = links.app.server;
    expect([server.headersTimeout, server.requestTimeout, server.keepAliveTimeout]).toEqual([
      10_000, 30_000, 72_000,
    ]);
    expect((await get('/livez')).headers.get('keep-alive')).toBe('timeout=72');
  });

  it('answers nothing ahead of the app while fault injection is on, so the switch meets every request', async () => {
    const drill = await buildTestApp(db, { faultInjection: true, faultErrorRatio: 0 });
    try {
      await drill.app.listen({ port: 0, host: '127.0.0.1' });
      const code = await newLink('https://example.com/drill');
      const drillUrl = `http://127.0.0.1:${portOf(drill.app.server)}/${code}`;
      expect((await fetch(drillUrl, { redirect: 'manual' })).status).toBe(302);
      drill.faults.setErrorRatio(1);
      expect((await fetch(drillUrl, { redirect: 'manual' })).status).toBe(500);
    } finally {
      await drill.app.close();
      await drill.ops.close();
    }
  });

  it('stops once the app closes: a request on a kept-alive connection gets the 503 of a closing app', async () => {
    const code = await newLink('https://example.com/closing');
    await get(`/${code}`);
    const pendingBefore = links.clicks.pending();
    // The connection is busy with a request whose body is still coming while the app starts closing; the GET
    // pipelined behind it arrives after that.
    const body = '{"url":"https://example.com/x"}';
    let closing: Promise<void> | undefined;
    const raw = await rawExchange(
      portOf(links.app.server),
      [
        `POST /api/v1/links HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
        `${body}GET /${code} HTTP/1.1\r\nhost: x\r\n\r\n`,
      ],
      async () => {
        await pause(100);
        closing = links.app.close();
        await pause(100);
      },
    );
    await closing;
    expect(statusLines(raw)).toEqual(['HTTP/1.1 401', 'HTTP/1.1 503']);
    expect(links.clicks.pending()).toBe(pendingBefore);
  });
});
