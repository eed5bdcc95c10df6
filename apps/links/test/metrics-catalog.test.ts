import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { createPostgresDatabase } from '../src/db/postgres.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { buildTestApp, migrateDatabase, signUpAndLogIn } from './helpers/test-app.js';

const catalogFile = new URL('../../../docs/metrics.md', import.meta.url);

/** Metric names from the catalog's tables: first cell, in backticks, of every row under a `links` section. */
const catalogNames = (markdown: string): Set<string> => {
  const names = new Set<string>();
  let inServiceSection = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) inServiceSection = line.includes('`links`');
    const match = /^\|\s*`([a-z_:][a-z0-9_:]*)`\s*\|/.exec(line);
    if (inServiceSection && match?.[1]) names.add(match[1]);
  }
  return names;
};

/** Metric family names from the exposition: TYPE lines, so histogram series suffixes do not count. */
const exposedNames = (exposition: string): Set<string> =>
  new Set([...exposition.matchAll(/^# TYPE (\S+) \S+$/gm)].map((match) => match[1] ?? ''));

describe('/metrics on the ops port', () => {
  let database: TestDatabase;
  let db: Database;
  let links: Awaited<ReturnType<typeof buildTestApp>>;

  beforeAll(async () => {
    database = await createTestDatabase('metrics');
    db = createPostgresDatabase({ url: database.url, max: 2 });
    await migrateDatabase(db);
    links = await buildTestApp(db);
  });

  afterAll(async () => {
    await links?.app.close();
    await links?.ops.close();
    await db?.close();
    await database?.drop();
  });

  const scrape = async () => {
    const response = await links.ops.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    return response.body;
  };

  it('exposes exactly the names in docs/metrics.md, both ways', async () => {
    const catalog = catalogNames(readFileSync(catalogFile, 'utf8'));
    expect(catalog.size).toBeGreaterThan(20);
    const exposed = exposedNames(await scrape());
    expect(
      [...exposed].filter((name) => !catalog.has(name)),
      'exposed but not in the catalog',
    ).toEqual([]);
    expect(
      [...catalog].filter((name) => !exposed.has(name)),
      'in the catalog but not exposed',
    ).toEqual([]);
  });

  it('labels requests with the route template, never the raw URL', async () => {
    const { app } = links;
    await app.inject({ method: 'GET', url: '/some-unknown-code' });
    await app.inject({ method: 'GET', url: '/another-code?x=1' });
    await app.inject({
      method: 'DELETE',
      url: '/api/v1/links/abc',
      headers: { authorization: 'Bearer nope' },
    });
    await app.inject({ method: 'GET', url: '/deeply/nested/nothing' });
    const body = await scrape();
    expect(body).toContain('http_requests_total{method="GET",route="/:code",status_code="404"} 2');
    expect(body).toContain(
      'http_requests_total{method="DELETE",route="/api/v1/links/:code",status_code="401"} 1',
    );
    expect(body).toContain('http_requests_total{method="GET",route="unmatched",status_code="404"} 1');
    expect(body).not.toMatch(/route="\/(some-unknown-code|another-code|deeply)/);
    expect(body).toMatch(
      /http_request_duration_seconds_bucket\{le="0.3",method="GET",route="\/:code",status_code="404"\} 2/,
    );
  });

  it('counts business events and reports the build and the pool', async () => {
    const { app } = links;
    const json = { 'content-type': 'application/json' };
    const auth = { authorization: `Bearer ${await signUpAndLogIn(app, 'metrics')}` };
    await app.inject({
      method: 'POST',
      url: '/api/v1/links',
      headers: { ...json, ...auth },
      payload: { url: 'https://example.com', code: 'metric-1' },
    });
    await app.inject({ method: 'GET', url: '/metric-1' });
    const body = await scrape();
    expect(body).toContain('links_signups_total 1');
    expect(body).toContain('links_logins_total{outcome="success"} 1');
    expect(body).toContain('links_created_total 1');
    expect(body).toContain('links_redirects_total{outcome="found"} 1');
    expect(body).toContain('links_clicks_pending 1');
    expect(body).toContain('links_db_pool_max 2');
    expect(body).toMatch(/links_db_pool_connections\{state="total"\} \d/);
    expect(body).toContain('links_build_info{version="0.0.0-test",git_sha="abc123"} 1');
  });

  it('serves /faults only when fault injection is enabled, and then fails app requests but not probes', async () => {
    expect((await links.ops.inject({ method: 'GET', url: '/faults' })).statusCode).toBe(404);
    const faulty = await buildTestApp(db, { faultInjection: true, faultErrorRatio: 0 });
    try {
      expect((await faulty.app.inject({ method: 'GET', url: '/nothing-here' })).statusCode).toBe(404);
      const set = await faulty.ops.inject({ method: 'PUT', url: '/faults', payload: { errorRatio: 1 } });
      expect(set.json()).toEqual({ errorRatio: 1 });
      expect(
        (await faulty.ops.inject({ method: 'PUT', url: '/faults', payload: { errorRatio: 2 } })).statusCode,
      ).toBe(400);
      const failed = await faulty.app.inject({ method: 'GET', url: '/api/v1/links' });
      expect(failed.statusCode).toBe(500);
      expect(failed.json().code).toBe('FAULT_INJECTED');
      expect((await faulty.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      expect((await faulty.app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
    } finally {
      await faulty.app.close();
      await faulty.ops.close();
    }
  });
});
