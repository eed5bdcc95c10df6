import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp, type LinksApp } from './app.js';
import { housekeepingIntervalMs, purgeExpiredAuthState } from './auth/housekeeping.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import {
  currentSchemaVersion,
  loadMigrations,
  migrate,
  requiredSchemaVersion,
  SchemaNotCurrentError,
  schemaProblem,
} from './db/migrations.js';
import { openDatabase } from './db/open-database.js';
import { serviceTimeouts } from './db/postgres.js';
import { createLinksRepository } from './links/links-repository.js';
import { createShutdown } from './shutdown.js';
import { serviceVersion } from './version.js';

export interface RunningService {
  links: LinksApp;
  db: Database;
  /** The graceful shutdown sequence; resolves true when every click was flushed. */
  shutdown(signal: string): Promise<boolean>;
}

/** The port actually bound (differs from the configured one when that is 0). */
const boundPort = (server: FastifyInstance): number | undefined => {
  const address = server.server.address();
  return typeof address === 'object' && address !== null ? address.port : undefined;
};

/**
 * Refuses to start on a database whose schema is behind (a forgotten `links migrate`): every page would answer 500.
 * An unreachable database is no reason to refuse: readiness reports it, and the service recovers when it returns.
 */
const assertSchemaCurrent = async (db: Database, required: number, logger: Logger): Promise<void> => {
  let current: number;
  try {
    current = await currentSchemaVersion(db);
  } catch (error) {
    logger.warn({ err: error }, 'could not read the schema version at start-up; readiness will tell');
    return;
  }
  const problem = schemaProblem(current, required);
  if (problem !== undefined) {
    await db.close();
    throw new SchemaNotCurrentError(problem);
  }
};

/** Opens the database, builds the app and starts listening on both ports. */
export const startService = async (config: Config, logger: Logger): Promise<RunningService> => {
  const db = await openDatabase(config, logger);
  const migrations = await loadMigrations();
  if (db.kind === 'pglite') {
    // Only the embedded default migrates at start; with PostgreSQL, `links migrate` runs once per release.
    const applied = await migrate(db, migrations);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  } else {
    await assertSchemaCurrent(db, requiredSchemaVersion(migrations), logger);
  }
  const links = await buildApp({
    db,
    logger,
    sessionSecret: config.SESSION_SECRET,
    requiredSchemaVersion: requiredSchemaVersion(migrations),
    trustProxy: config.TRUST_PROXY,
    clickFlushIntervalMs: config.CLICK_FLUSH_INTERVAL_MS,
    faultInjection: config.FAULT_INJECTION === 'enabled',
    faultErrorRatio: config.FAULT_ERROR_RATIO,
    build: {
      version: serviceVersion,
      gitSha: config.GIT_SHA,
      buildTime: config.BUILD_TIME,
      imageDigest: config.IMAGE_DIGEST,
    },
  });
  links.clicks.start();
  const housekeeping = setInterval(() => {
    for (const purge of [
      () => purgeExpiredAuthState(db),
      () => createLinksRepository(db).purgeClickBatches(),
    ]) {
      purge().catch((error: unknown) => logger.warn({ err: error }, 'housekeeping failed'));
    }
  }, housekeepingIntervalMs);
  housekeeping.unref();
  await links.ops.listen({ port: config.OPS_PORT, host: config.HOST });
  await links.app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ port: boundPort(links.app), opsPort: boundPort(links.ops) }, 'links listening');

  const shutdown = createShutdown({
    links,
    db,
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    flushAttemptMs: serviceTimeouts.connectMs + serviceTimeouts.queryMs,
    stopTimers: () => clearInterval(housekeeping),
  });
  return { links, db, shutdown };
};
