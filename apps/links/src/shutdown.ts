import type { Logger } from 'pino';
import type { LinksApp } from './app.js';
import type { Database } from './db/database.js';

export interface ShutdownOptions {
  links: LinksApp;
  db: Database;
  logger: Logger;
  graceMs: number;
  timeoutMs: number;
  /** Background work to stop when shutdown begins. */
  stopTimers: () => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves true when `promise` settles within `ms`, false when the deadline passes first. */
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

const finalFlushAttempts = 3;
const finalFlushPauseMs = 500;

/** The last click flush, retried briefly: a database blip at shutdown should not lose clicks. */
const flushClicks = async ({ links, logger }: ShutdownOptions): Promise<boolean> => {
  for (let attempt = 1; attempt <= finalFlushAttempts; attempt++) {
    try {
      await links.clicks.stop();
      return true;
    } catch (error) {
      logger.error({ err: error, attempt, pending: links.clicks.pending() }, 'shutdown: click flush failed');
      if (attempt < finalFlushAttempts) await sleep(finalFlushPauseMs);
    }
  }
  return false;
};

/**
 * The shutdown sequence: readiness fails at once, the app keeps serving for the grace period (load balancers
 * still route here for a moment), then stops accepting and drains in-flight requests within the deadline,
 * flushes clicks and closes the pool. Resolves true when every click was written. Idempotent.
 */
export const createShutdown = (options: ShutdownOptions) => {
  const { links, db, logger } = options;
  let stopping: Promise<boolean> | undefined;
  const run = async (signal: string): Promise<boolean> => {
    logger.info({ signal, graceMs: options.graceMs }, 'shutdown: readiness failing, grace period');
    links.readiness.startDraining();
    options.stopTimers();
    await sleep(options.graceMs);
    logger.info({ timeoutMs: options.timeoutMs }, 'shutdown: draining in-flight requests');
    if (!(await within(links.app.close(), options.timeoutMs))) {
      logger.warn('shutdown: drain deadline passed, closing remaining connections');
      links.app.server.closeAllConnections();
    }
    const flushed = await flushClicks(options);
    await links.ops.close();
    await db.close();
    logger.info({ flushed }, 'shutdown: complete');
    return flushed;
  };
  return (signal: string): Promise<boolean> => {
    stopping ??= run(signal);
    return stopping;
  };
};
