import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase } from '../src/db/pglite.js';
import { buildTestApp, migrateDatabase, signUpAndLogIn } from './helpers/test-app.js';

type TestApp = Awaited<ReturnType<typeof buildTestApp>>;

/**
 * Counts reads of Fastify's `request.routeOptions` getter until the returned function restores it: the getter,
 * which Fastify defines once and for good, is shadowed on the root context's request prototype, which every
 * route's request inherits from.
 */
const countRouteOptionsReads = (app: FastifyInstance) => {
  const requestClass = Object.getOwnPropertySymbols(app)
    .filter((symbol) => symbol.description === 'fastify.Request')
    .map((symbol) => (app as unknown as Record<symbol, { prototype: object }>)[symbol])[0];
  const prototype = requestClass?.prototype;
  if (prototype === undefined) throw new Error("Fastify's request class was not found");
  let owner: object | null = prototype;
  while (owner !== null && !Object.hasOwn(owner, 'routeOptions')) owner = Object.getPrototypeOf(owner);
  const getter = owner === null ? undefined : Object.getOwnPropertyDescriptor(owner, 'routeOptions')?.get;
  if (getter === undefined) throw new Error("Fastify's request has no routeOptions getter");
  const counter = { reads: 0 };
  Object.defineProperty(prototype, 'routeOptions', {
    configurable: true,
    get(this: unknown) {
      counter.reads++;
      return getter.call(this);
    },
  });
  return { counter, restore: () => Reflect.deleteProperty(prototype, 'routeOptions') };
};

describe('the route a request matched', () => {
  let links: TestApp;
  let close: () => Promise<void>;
  let token: string;

  beforeAll(async () => {
    const db = await createPgliteDatabase(undefined);
    close = () => db.close();
    await migrateDatabase(db);
    links = await buildTestApp(db);
    token = await signUpAndLogIn(links.app, 'route');
  });

  afterAll(async () => {
    await links?.app.close();
    await links?.ops.close();
    await close?.();
  });

  it('is read from Fastify once per request, for the headers, the metrics and the log line alike', async () => {
    const { counter, restore } = countRouteOptionsReads(links.app);
    try {
      const list = await links.app.inject({
        method: 'GET',
        url: '/api/v1/links',
        headers: { authorization: `Bearer ${token}`, 'x-request-id': 'route-list' },
      });
      expect(list.statusCode).toBe(200);
      expect(list.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(counter.reads).toBe(1);
      const missing = await links.app.inject({
        method: 'GET',
        url: '/no/such/page',
        headers: { 'x-request-id': 'route-missing' },
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(counter.reads).toBe(2);
    } finally {
      restore();
    }
    const routeOf = (reqId: string) =>
      (links.logs.lines.find((line) => line.reqId === reqId) as { req?: { route?: string } } | undefined)?.req
        ?.route;
    expect(routeOf('route-list')).toBe('/api/v1/links');
    expect(routeOf('route-missing')).toBe('unmatched');
    const { values } = await links.metrics.httpRequests.get();
    const count = (route: string, status: string) =>
      values.find((value) => value.labels.route === route && value.labels.status_code === status)?.value;
    expect(count('/api/v1/links', '200')).toBe(1);
    expect(count('unmatched', '404')).toBe(1);
  });
});
