import type { IncomingMessage } from 'node:http';
import { type FastifyBaseLogger, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Logger } from 'pino';

const probePaths = new Set(['/livez', '/readyz']);

/**
 * One log line per request, written when it completes (half the volume of Fastify's default pair), with the
 * route template next to the URL. Probes log at debug: a kubelet polling every few seconds is not news.
 *
 * The completion line goes through a child logger without redaction: it carries only the fields built here
 * (request id, method, URL, route, status, time), none of them a redacted path, and redaction walks every
 * configured path on every line, which cost more than the rest of the line together (about 7 µs of 10). Lines
 * that carry an error, whose fields are not ours, keep the request's redacting logger.
 */
export class RequestLogController extends LogController {
  readonly #completions: FastifyBaseLogger;

  constructor(logger: FastifyBaseLogger) {
    super({ requestIdLogLabel: 'reqId' });
    this.#completions = logger.child({}, { redact: [] });
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const req = { method: request.method, url: request.url, route: request.routeOptions.url ?? 'unmatched' };
    const res = { statusCode: reply.statusCode };
    const responseTime = reply.elapsedTime;
    if (error) reply.log.error({ req, res, responseTime, err: error }, 'request errored');
    else if (probePaths.has(request.url))
      this.#completions.debug({ reqId: request.id, req, res, responseTime }, 'request completed');
    else this.#completions.info({ reqId: request.id, req, res, responseTime }, 'request completed');
  }
}

/**
 * The line of a redirect answered ahead of the app (links/warm-redirect.ts): the same fields, at debug. At the
 * hot path's rate the line cost a third of its throughput, and the gateway's access log records every request
 * with the same `x-request-id`; its count and latency are in the RED metrics.
 */
export const warmRedirectLog = (logger: Logger) => {
  const completions = logger.child({}, { redact: [] });
  return (request: IncomingMessage, responseTime: number): void => {
    if (!completions.isLevelEnabled('debug')) return;
    const reqId = request.headers['x-request-id'] ?? crypto.randomUUID();
    const req = { method: request.method, url: request.url, route: '/:code' };
    completions.debug({ reqId, req, res: { statusCode: 302 }, responseTime }, 'request completed');
  };
};
