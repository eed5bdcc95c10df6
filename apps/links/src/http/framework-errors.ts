import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../ops/metrics.js';
import { AppError, problemOf } from './app-error.js';
import { sendError } from './error-response.js';
import { securityHeaders } from './security-headers.js';

/**
 * Path segments longer than this answer 414; Fastify's default, set here so the number has a name. Every code
 * route relies on it: a short code is at most 32 characters (links/link-rules.ts).
 */
export const maxParamLength = 100;

// Error pages carry no form, so they need no CSRF token, and these requests never reached the cookie parser.
const noSession = { csrfToken: () => '' };

/** What Fastify's router refuses before any route or hook runs, as AppErrors: the client's path is not echoed. */
const routerErrorOf = (code: string): AppError =>
  code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? new AppError('URI_TOO_LONG', 'A part of the address is longer than 100 characters.')
    : new AppError('BAD_REQUEST', 'The address has an invalid %-encoding.');

const count = (metrics: Metrics, method: string, status: number, seconds?: number): void => {
  const labels = { method, route: 'unmatched', status_code: String(status) };
  metrics.httpRequests.inc(labels);
  if (seconds !== undefined) metrics.httpDuration.observe(labels, seconds);
};

/**
 * Fastify's `frameworkErrors`: a bad %-encoding (400) or an over-long path segment (414) found by the router.
 * No hook runs for these requests, so the security headers and the count are added here; the answer goes
 * through the one error handler (problem+json under /api, a page elsewhere).
 */
export const answerRouterError =
  (metrics: Metrics) =>
  (error: { code: string }, request: FastifyRequest, reply: FastifyReply): void => {
    const started = process.hrtime.bigint();
    reply.raw.once('finish', () =>
      count(metrics, request.method, reply.statusCode, Number(process.hrtime.bigint() - started) / 1e9),
    );
    sendError(routerErrorOf(error.code), request, reply.headers(securityHeaders), noSession);
  };

/** Node's parser errors that reach `clientError` with a socket still open, by Node's error code. */
const parserErrorOf = (code: string | undefined): AppError => {
  if (code === 'HPE_HEADER_OVERFLOW')
    return new AppError('HEADERS_TOO_LARGE', 'The request headers are larger than the server accepts.');
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return new AppError('REQUEST_TIMEOUT', 'The request did not arrive in time.');
  return new AppError('BAD_REQUEST', 'The request is not valid HTTP.');
};

/**
 * Fastify's `clientErrorHandler`: Node could not parse the request (oversized headers 431, a malformed request
 * 400, too slow 408). There is no request to route, so the answer is problem+json on the raw socket, with the
 * security headers, and the connection closes, as Node's own handler does.
 */
export const answerParserError =
  (metrics: Metrics) =>
  (error: NodeJS.ErrnoException, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const appError = parserErrorOf(error.code);
    if (socket.writable) {
      const body = JSON.stringify(problemOf(appError.code, appError.detail));
      const headers = {
        ...securityHeaders,
        'content-type': 'application/problem+json',
        'content-length': String(Buffer.byteLength(body)),
        connection: 'close',
      };
      const head = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(
        `HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status] ?? 'Error'}\r\n${head}\r\n${body}`,
      );
    }
    // No method could be read; the request took no measurable time of the app's.
    count(metrics, 'unparsed', appError.status);
    socket.destroy(error);
  };
