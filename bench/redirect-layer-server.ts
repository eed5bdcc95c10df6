// One layer of the redirect stack, answering GET /:code with a fixed 302, for bench/redirect-layers.ts.
// Usage: tsx bench/redirect-layer-server.ts <port> <fastify | access-log | hooks>
import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { addSecurityHeaders, redirectHeaders } from '../apps/links/src/http/security-headers.js';
import { recordHttpMetrics } from '../apps/links/src/ops/http-metrics.js';
import { createMetrics } from '../apps/links/src/ops/metrics.js';
import { createLogger } from '../apps/links/src/telemetry/logger.js';
import { RequestLogController } from '../apps/links/src/telemetry/request-log.js';

const [port, layer] = process.argv.slice(2);

/** The service's own logger and per-request line, as in production (info, trace ids off). */
const withAccessLog = (): FastifyInstance => {
  const logger: FastifyBaseLogger = createLogger('info', undefined, false);
  return Fastify({ loggerInstance: logger, logController: new RequestLogController(logger) });
};

/** Plus what every links request passes through besides its route: cookies, security headers, HTTP metrics. */
const withHooks = async (): Promise<FastifyInstance> => {
  const app = withAccessLog();
  const idle = { total: 0, idle: 0, waiting: 0 };
  recordHttpMetrics(
    app,
    createMetrics({
      pool: () => idle,
      poolMax: 10,
      clicksPending: () => 0,
      version: 'bench',
      gitSha: 'bench',
    }),
  );
  addSecurityHeaders(app);
  await app.register(cookie);
  return app;
};

const layers: Record<string, () => FastifyInstance | Promise<FastifyInstance>> = {
  fastify: () => Fastify(),
  'access-log': withAccessLog,
  hooks: withHooks,
};

const build = layers[layer ?? ''];
if (build === undefined)
  throw new Error(`unknown layer '${layer}': one of ${Object.keys(layers).join(', ')}`);
const app = await build();
const hooked = layer === 'hooks';
app.get('/:code', { config: { ownSecurityHeaders: hooked } }, (_request, reply) =>
  (hooked ? reply.headers(redirectHeaders) : reply).redirect('https://example.com/', 302),
);
await app.listen({ port: Number(port), host: '127.0.0.1' });
