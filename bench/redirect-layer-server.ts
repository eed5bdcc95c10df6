// One layer of the redirect stack, answering GET /:code with a fixed 302, for bench/redirect-layers.ts.
// Usage: tsx bench/redirect-layer-server.ts <port> <fastify | access-log | hooks | warm>
import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { publicServerFactory } from '../apps/links/src/http/public-server.js';
import { addSecurityHeaders, redirectHeaders } from '../apps/links/src/http/security-headers.js';
import { createClickCounter } from '../apps/links/src/links/click-counter.js';
import { createWarmRedirect } from '../apps/links/src/links/warm-redirect.js';
import { recordHttpMetrics } from '../apps/links/src/ops/http-metrics.js';
import { createMetrics, type Metrics } from '../apps/links/src/ops/metrics.js';
import { createLogger } from '../apps/links/src/telemetry/logger.js';
import { RequestLogController } from '../apps/links/src/telemetry/request-log.js';

const [port, layer] = process.argv.slice(2);

/** The service's own logger and per-request line, as in production (info, trace ids off). */
const withAccessLog = (options: FastifyServerOptions = {}): FastifyInstance => {
  const logger = createLogger('info', undefined, false);
  const loggerInstance: FastifyBaseLogger = logger;
  return Fastify({ ...options, loggerInstance, logController: new RequestLogController(logger) });
};

const benchMetrics = (): Metrics =>
  createMetrics({
    pool: () => ({ total: 0, idle: 0, waiting: 0 }),
    poolMax: 10,
    clicksPending: () => 0,
    databaseUp: () => true,
    version: 'bench',
    gitSha: 'bench',
  });

/** Plus what every links request passes through besides its route: cookies, security headers, HTTP metrics. */
const withHooks = async (app: FastifyInstance, metrics: Metrics): Promise<FastifyInstance> => {
  recordHttpMetrics(app, metrics);
  addSecurityHeaders(app);
  await app.register(cookie);
  return app;
};

/**
 * All of the above, with the service's warm path in front (links/warm-redirect.ts): the cached code is answered
 * before Fastify, its click counted and its metrics recorded as in links.
 */
const withWarmRedirect = async (): Promise<FastifyInstance> => {
  const metrics = benchMetrics();
  const clicks = createClickCounter({ write: async () => {}, intervalMs: 1000 });
  const warm = createWarmRedirect({
    resolveCached: (code) => {
      if (code !== 'abc') return undefined;
      clicks.record(code);
      return 'https://example.com/';
    },
    onAnswered: (_request, milliseconds) => metrics.warmRedirect(milliseconds / 1000),
  });
  return withHooks(withAccessLog({ serverFactory: publicServerFactory(warm.answer) }), metrics);
};

const layers: Record<string, () => FastifyInstance | Promise<FastifyInstance>> = {
  fastify: () => Fastify(),
  'access-log': withAccessLog,
  hooks: () => withHooks(withAccessLog(), benchMetrics()),
  warm: withWarmRedirect,
};

const build = layers[layer ?? ''];
if (build === undefined)
  throw new Error(`unknown layer '${layer}': one of ${Object.keys(layers).join(', ')}`);
const app = await build();
const hooked = layer === 'hooks' || layer === 'warm';
app.get('/:code', { config: { ownSecurityHeaders: hooked } }, (_request, reply) =>
  (hooked ? reply.headers(redirectHeaders) : reply).redirect('https://example.com/', 302),
);
await app.listen({ port: Number(port), host: '127.0.0.1' });
