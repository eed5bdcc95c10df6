import type { FastifyInstance } from 'fastify';
import { AppError } from '../http/app-error.js';
import { matchedRoute } from '../http/matched-route.js';
import type { FaultSwitch } from './fault-switch.js';
import type { Metrics } from './metrics.js';

const probePaths = new Set(['/livez', '/readyz', '/version']);

/** RED metrics per route template; `unmatched` when no route matched, so a raw URL never becomes a label. */
export const recordHttpMetrics = (app: FastifyInstance, metrics: Metrics): void => {
  // A callback hook, not an async one: no promise per request for two synchronous updates.
  app.addHook('onResponse', (request, reply, done) => {
    const labels = {
      method: request.method,
      route: matchedRoute(request).url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
};

/** With fault injection enabled, answers the configured share of app requests (never probes) with a 500. */
export const injectFaults = (app: FastifyInstance, faults: FaultSwitch): void => {
  if (!faults.enabled) return;
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    if (!probePaths.has(path) && faults.shouldFail()) {
      throw new AppError('FAULT_INJECTED', 'Answered 500 by the fault switch.');
    }
  });
};
