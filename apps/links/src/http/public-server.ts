import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** Answers a request itself and returns true, or returns false without touching it. */
export type FirstResponder = (request: IncomingMessage, response: ServerResponse) => boolean;

export interface ServerTimeouts {
  /** Until the request's headers are in (slow-loris). */
  headersMs: number;
  /** Until the whole request is in. */
  requestMs: number;
  /** An idle keep-alive connection. */
  keepAliveMs: number;
}

/**
 * Fastify's `serverFactory`: the public node:http server, which offers each request to `first` before the app.
 * Fastify sets no timeouts on a server it did not create, so they are set here.
 */
export const publicServerFactory =
  (first: FirstResponder, timeouts: ServerTimeouts) =>
  (app: (request: IncomingMessage, response: ServerResponse) => void): Server => {
    const server = createServer((request, response) => {
      if (!first(request, response)) app(request, response);
    });
    server.headersTimeout = timeouts.headersMs;
    server.requestTimeout = timeouts.requestMs;
    server.keepAliveTimeout = timeouts.keepAliveMs;
    return server;
  };
