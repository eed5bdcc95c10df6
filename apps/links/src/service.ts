import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp, type LinksApp } from './app.js';
import { housekeepingIntervalMs, purgeExpiredAuthState } from './auth/housekeeping.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { loadMigrations, migrate, requiredSchemaVersion } from './db/migrations.js';
import { openDatabase } from './db/open-database.js';
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when `promise` settles or after `ms`, whichever comes first; says which. */
const within = async (promise: Promise<unknown>, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), deadline]);
  } finally {
    clearTimeout(timer);
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
    purgeExpiredAuthState(db).catch((error: unknown) => logger.warn({ err: error }, 'housekeeping failed'));
  }, housekeepingIntervalMs);
  housekeeping.unref();
  await links.ops.listen({ port: config.OPS_PORT, host: config.HOST });
  await links.app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ port: boundPort(links.app), opsPort: boundPort(links.ops) }, 'links listening');

  let stopping: Promise<boolean> | undefined;
  const shutdown = (signal: string): Promise<boolean> => {
    stopping ??= (async () => {
      logger.info({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'shutdown: readiness failing, grace period');
      links.readiness.startDraining();
      clearInterval(housekeeping);
      await sleep(config.SHUTDOWN_GRACE_MS);
      logger.info({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown: draining in-flight requests');
      const drained = await within(links.app.close(), config.SHUTDOWN_TIMEOUT_MS);
      if (!drained) {
        logger.warn('shutdown: drain deadline passed, closing remaining connections');
        links.app.server.closeAllConnections();
      }
      let flushed = true;
      try {
        await links.clicks.stop();
      } catch (error) {
        flushed = false;
        logger.error({ err: error, pending: links.clicks.pending() }, 'shutdown: final click flush failed');
      }
      await links.ops.close();
      await db.close();
      logger.info({ flushed }, 'shutdown: complete');
      return flushed;
    })();
    return stopping;
  };
  return { links, db, shutdown };
};
