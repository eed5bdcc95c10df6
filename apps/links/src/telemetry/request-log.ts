import type { IncomingMessage } from 'node:http';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { type Logger, pino } from 'pino';

const probePaths = new Set(['/livez', '/readyz']);

interface Completion {
  reqId: string;
  method: string;
  url: string;
  route: string;
  statusCode: number;
  responseTime: number;
}

/**
 * Writes the info completion line as pino would write it through `logger` (level label, its time function, its
 * bindings, the fields, the message), straight to pino's own stream. pino's generic path (walking the fields,
 * stringifying the nested objects) cost about 12 µs per line in `npm run bench:http`, a tenth of the list
 * route's CPU; this one costs what building one string costs. Undefined where pino would add to a line something
 * of its own: a mixin (the trace ids, with tracing on) or a stream that wants each line's metadata. A test holds
 * the two forms to each other (test/request-log.test.ts).
 */
export const completionLineWriter = (logger: Logger): ((completion: Completion) => void) | undefined => {
  const internals = logger as unknown as Record<symbol, unknown>;
  const stream = internals[pino.symbols.streamSym] as { write(line: string): void } & Record<symbol, unknown>;
  if (internals[pino.symbols.mixinSym] !== undefined || stream[pino.symbols.needsMetadataGsym] === true)
    return undefined;
  const time = internals[pino.symbols.timeSym] as () => string;
  const bindings = internals[pino.symbols.chindingsSym] as string;
  return (c) =>
    stream.write(
      `{"level":"info"${time()}${bindings},"reqId":${JSON.stringify(c.reqId)},"req":{"method":${JSON.stringify(c.method)},` +
        `"url":${JSON.stringify(c.url)},"route":${JSON.stringify(c.route)}},"res":{"statusCode":${c.statusCode}},` +
        `"responseTime":${c.responseTime},"msg":"request completed"}\n`,
    );
};

/**
 * One log line per request, written when it completes (half the volume of Fastify's default pair), with the
 * route template next to the URL. Probes log at debug: a kubelet polling every few seconds is not news.
 *
 * The completion line carries only the fields built here (request id, method, URL, route, status, time), none of
 * them a redacted path, so it skips redaction, which walks every configured path on every line (about 7 µs of
 * 10): it is written by `completionLineWriter`, or else through a child logger without redaction. Lines that
 * carry an error, whose fields are not ours, keep the request's redacting logger.
 */
export class RequestLogController extends LogController {
  readonly #completions: Logger;
  readonly #writeCompletion: ((completion: Completion) => void) | undefined;

  constructor(logger: Logger) {
    super({ requestIdLogLabel: 'reqId' });
    this.#completions = logger.child({}, { redact: [] });
    this.#writeCompletion = completionLineWriter(this.#completions);
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const route = request.routeOptions.url ?? 'unmatched';
    const responseTime = reply.elapsedTime;
    const info = !error && !probePaths.has(request.url);
    if (info && this.#writeCompletion !== undefined) {
      if (!this.#completions.isLevelEnabled('info')) return;
      this.#writeCompletion({
        reqId: request.id,
        method: request.method,
        url: request.url,
        route,
        statusCode: reply.statusCode,
        responseTime,
      });
      return;
    }
    const req = { method: request.method, url: request.url, route };
    const res = { statusCode: reply.statusCode };
    if (error) reply.log.error({ req, res, responseTime, err: error }, 'request errored');
    else if (info) this.#completions.info({ reqId: request.id, req, res, responseTime }, 'request completed');
    else this.#completions.debug({ reqId: request.id, req, res, responseTime }, 'request completed');
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
