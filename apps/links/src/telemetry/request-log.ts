import { tracingChannel } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { type Logger, pino } from 'pino';
import { matchedRoute } from '../http/matched-route.js';

const probePaths = new Set(['/livez', '/readyz']);

interface Completion {
  reqId: string;
  method: string;
  url: string;
  route: string;
  statusCode: number;
  responseTime: number;
}

const message = 'request completed';

/** The line's fields as pino takes them. */
const fieldsOf = (c: Completion) => ({
  reqId: c.reqId,
  req: { method: c.method, url: c.url, route: c.route },
  res: { statusCode: c.statusCode },
  responseTime: c.responseTime,
});

/** pino renders its lines inside this channel's trace when anything subscribes (pino 10 lib/tools.js). */
const pinoRendering = tracingChannel('pino_asJson');

/** A completion whose line shows whether the logger's options change a line (time is the caller's). */
const probe: Completion = {
  reqId: 'probe "\\ \u00e9',
  method: 'GET',
  url: '/probe?q="\\',
  route: '/probe',
  statusCode: 200,
  responseTime: 1.25,
};
const probeTime = ',"time":"probe"';

/**
 * Writes the info completion line as pino would write it through `logger`, straight to pino's own stream, with
 * the logger's time function and bindings. pino's generic path (walking the fields, stringifying the nested
 * objects) cost about 12 µs per line in an A/B of the list route (bench/README.md), a tenth of its CPU; this
 * costs what building one string costs. At construction, pino's own rendering of a probe must equal this one, which
 * covers the options that shape a line (formatters, serializers, keys, the line's end); what pino adds only as
 * it writes (a mixin such as the trace ids, hooks, a message prefix, a stream that wants each line's metadata)
 * leaves the line to pino, as does anyone watching pino's rendering. Undefined where the line is pino's.
 */
export const completionLineWriter = (logger: Logger): ((completion: Completion) => void) | undefined => {
  const internals = logger as unknown as Record<symbol, unknown>;
  const stream = internals[pino.symbols.streamSym] as { write(line: string): void } & Record<symbol, unknown>;
  const hooks = internals[pino.symbols.hooksSym] as
    | { logMethod?: unknown; streamWrite?: unknown }
    | undefined;
  if (
    internals[pino.symbols.mixinSym] !== undefined ||
    stream[pino.symbols.needsMetadataGsym] === true ||
    hooks?.logMethod !== undefined ||
    hooks?.streamWrite !== undefined ||
    logger.msgPrefix !== undefined
  )
    return undefined;
  const time = internals[pino.symbols.timeSym] as () => string;
  const bindings = internals[pino.symbols.chindingsSym] as string;
  const line = (at: string, c: Completion): string =>
    `{"level":"info"${at}${bindings},"reqId":${JSON.stringify(c.reqId)},"req":{"method":${JSON.stringify(c.method)},` +
    `"url":${JSON.stringify(c.url)},"route":${JSON.stringify(c.route)}},"res":{"statusCode":${c.statusCode}},` +
    `"responseTime":${Number.isFinite(c.responseTime) ? c.responseTime : null},"msg":"${message}"}\n`;
  const render = internals[pino.symbols.asJsonSym] as (
    fields: object,
    msg: string,
    level: number,
    at: string,
  ) => string;
  const info = logger.levels.values.info ?? 30;
  if (render.call(logger, fieldsOf(probe), message, info, probeTime) !== line(probeTime, probe))
    return undefined;
  return (c) => {
    if (pinoRendering.hasSubscribers) logger.info(fieldsOf(c), message);
    else stream.write(line(time(), c));
  };
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
    if (this.isLogDisabled(request)) return;
    const completion: Completion = {
      reqId: request.id,
      method: request.method,
      url: request.url,
      route: matchedRoute(request).url ?? 'unmatched',
      statusCode: reply.statusCode,
      responseTime: reply.elapsedTime,
    };
    if (error) {
      const { req, res, responseTime } = fieldsOf(completion);
      reply.log.error({ req, res, responseTime, err: error }, 'request errored');
    } else if (probePaths.has(request.url)) {
      this.#completions.debug(fieldsOf(completion), message);
    } else if (this.#completions.isLevelEnabled('info')) {
      if (this.#writeCompletion !== undefined) this.#writeCompletion(completion);
      else this.#completions.info(fieldsOf(completion), message);
    }
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
