import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from '../db/database.js';

/** Buckets from docs/metrics.md; 0.3 s is the latency SLO threshold. */
export const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5, 5];

export interface MetricsSources {
  pool: () => PoolStats;
  poolMax: number;
  clicksPending: () => number;
  databaseUp: () => boolean;
  version: string;
  gitSha: string;
}

/** The series of a redirect answered from the cache, ahead of the app (links/warm-redirect.ts). */
const warmRedirectLabels = { method: 'GET', route: '/:code', status_code: '302' } as const;

/** Every metric the service exposes, in its own registry (several apps may share a test process). */
export const createMetrics = (sources: MetricsSources) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  // Warm redirects are tallied as plain numbers and added to their two counters when those are collected: at the
  // hot path's rate, the label handling of two labelled increments per request cost about a tenth of its
  // throughput. A histogram cannot take a tally, so each one is still observed.
  let untalliedRequests = 0;
  let untalliedFound = 0;
  const metrics = {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'Requests completed, by route template.',
      labelNames: ['method', 'route', 'status_code'] as const,
      registers,
      collect() {
        if (untalliedRequests > 0) this.inc(warmRedirectLabels, untalliedRequests);
        untalliedRequests = 0;
      },
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request received to response sent, by route template.',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: durationBuckets,
      registers,
    }),
    signups: new Counter({ name: 'links_signups_total', help: 'Accounts created.', registers }),
    logins: new Counter({
      name: 'links_logins_total',
      help: 'Login attempts by outcome.',
      labelNames: ['outcome'] as const,
      registers,
    }),
    linksCreated: new Counter({ name: 'links_created_total', help: 'Short links created.', registers }),
    redirects: new Counter({
      name: 'links_redirects_total',
      help: 'Public GET /:code lookups.',
      labelNames: ['outcome'] as const,
      registers,
      collect() {
        if (untalliedFound > 0) this.inc({ outcome: 'found' }, untalliedFound);
        untalliedFound = 0;
      },
    }),
    clickFlushes: new Counter({
      name: 'links_click_flushes_total',
      help: 'Batch flushes of click counts.',
      labelNames: ['outcome'] as const,
      registers,
    }),
    /** One redirect answered from the cache: the request, its `found` outcome and its duration. */
    warmRedirect(seconds: number): void {
      untalliedRequests += 1;
      untalliedFound += 1;
      metrics.httpDuration.observe(warmRedirectLabels, seconds);
    },
  };
  new Gauge({
    name: 'links_clicks_pending',
    help: 'Clicks counted in memory and not yet confirmed written, the batch being flushed included.',
    registers,
    collect() {
      this.set(sources.clicksPending());
    },
  });
  new Gauge({
    name: 'links_db_pool_connections',
    help: 'Database pool: open connections, idle ones, queued requests.',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const stats = sources.pool();
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  new Gauge({
    name: 'links_database_up',
    help: 'Whether the database answered the last readiness check: 1 yes, 0 no (or not yet asked).',
    registers,
    collect() {
      this.set(sources.databaseUp() ? 1 : 0);
    },
  });
  new Gauge({ name: 'links_db_pool_max', help: 'Configured pool size.', registers }).set(sources.poolMax);
  new Gauge({
    name: 'links_build_info',
    help: 'Always 1; identifies the running build.',
    labelNames: ['version', 'git_sha'] as const,
    registers,
  }).set({ version: sources.version, git_sha: sources.gitSha }, 1);
  // Outcomes exist from the start, so rate() over them works before the first event.
  for (const outcome of ['success', 'failure', 'throttled']) metrics.logins.inc({ outcome }, 0);
  for (const outcome of ['found', 'not_found']) metrics.redirects.inc({ outcome }, 0);
  for (const outcome of ['ok', 'error']) metrics.clickFlushes.inc({ outcome }, 0);
  return metrics;
};

export type Metrics = ReturnType<typeof createMetrics>;
