import type { Logger } from 'pino';
import type { LinksApp } from './app.js';
import type { Database } from './db/database.js';
import type { WriteClickBatches } from './links/click-counter.js';
import { createLinksRepository } from './links/links-repository.js';

export interface ShutdownOptions {
  links: LinksApp;
  db: Database;
  logger: Logger;
  graceMs: number;
  /** Everything after the grace period (drain, final flush, close) ends within this; the pod's grace covers it. */
  timeoutMs: number;
  /**
   * The most one final-flush attempt may take (connect plus query bounds): an attempt opened while the database
   * is black-holed (a failover during a node drain) gives up after this and the next one reaches the new primary.
   */
  flushAttemptMs: number;
  /** Background work to stop when shutdown begins. */
  stopTimers: () => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Resolves true when `promise` settles within `ms`, false when the deadline passes first. */
const within = async (promise: Promise<unknown>, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * How the deadline is shared: draining in-flight requests may take half of it (it usually takes milliseconds);
 * closing keeps a tenth, at most a second; the final click flush gets the rest, at least half.
 */
export const shutdownBudget = (timeoutMs: number) => ({
  drainMs: timeoutMs / 2,
  closeReserveMs: Math.min(1000, timeoutMs / 10),
});

const retryPauseMs = 500;
const minimumAttemptMs = 50;

/**
 * The last click flush, each attempt on a fresh connection bounded by one attempt's bound and the time left:
 * pooled connections may be stuck on a frozen database, and a blip or a failover at shutdown should not lose
 * clicks. Retrying is safe: each batch carries an id that `click_batches` records once.
 */
const flushClicks = async (
  { links, db, logger, flushAttemptMs }: ShutdownOptions,
  until: number,
): Promise<boolean> => {
  for (let attempt = 1; ; attempt++) {
    const budgetMs = Math.min(until - Date.now(), flushAttemptMs);
    const write: WriteClickBatches = (batches) =>
      db.withFreshConnection(budgetMs, (connection) =>
        createLinksRepository(connection).addClickBatches(batches),
      );
    try {
      await links.clicks.stop(write);
      return true;
    } catch (error) {
      logger.error({ err: error, attempt, pending: links.clicks.pending() }, 'shutdown: click flush failed');
      if (until - Date.now() < retryPauseMs + minimumAttemptMs) return false;
      await sleep(retryPauseMs);
    }
  }
};

/**
 * The shutdown sequence: readiness fails at once, the app keeps serving for the grace period (load balancers
 * still route here for a moment), then, within `timeoutMs`, stops accepting and drains in-flight requests,
 * flushes clicks on a fresh connection and closes the pool. Resolves true when every click was written.
 * Idempotent.
 */
export const createShutdown = (options: ShutdownOptions) => {
  const { links, db, logger } = options;
  let stopping: Promise<boolean> | undefined;
  const run = async (signal: string): Promise<boolean> => {
    logger.info({ signal, graceMs: options.graceMs }, 'shutdown: readiness failing, grace period');
    links.readiness.startDraining();
    options.stopTimers();
    await sleep(options.graceMs);
    const deadline = Date.now() + options.timeoutMs;
    const budget = shutdownBudget(options.timeoutMs);
    logger.info({ timeoutMs: options.timeoutMs }, 'shutdown: draining in-flight requests');
    if (!(await within(links.app.close(), budget.drainMs))) {
      logger.warn('shutdown: drain deadline passed, closing remaining connections');
      links.app.server.closeAllConnections();
    }
    const flushed = await flushClicks(options, deadline - budget.closeReserveMs);
    // The pool waits for checked-out clients, which give up within the query timeout; the deadline wins.
    if (!(await within(Promise.all([links.ops.close(), db.close()]), deadline - Date.now()))) {
      logger.warn('shutdown: close deadline passed, exiting with connections open');
    }
    logger.info({ flushed, pending: links.clicks.pending() }, 'shutdown: complete');
    return flushed;
  };
  return (signal: string): Promise<boolean> => {
    stopping ??= run(signal);
    return stopping;
  };
};
