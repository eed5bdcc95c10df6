import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** Answers a request itself and returns true, or returns false without touching it. */
export type FirstResponder = (request: IncomingMessage, response: ServerResponse) => boolean;

const timeouts = {
  /** Until the request's headers are in (slow-loris). */
  headersMs: 10_000,
  /** Until the whole request is in. */
  requestMs: 30_000,
  /** An idle keep-alive connection: longer than proxies' usual 60 s, so a proxy closes an idle one first. */
  keepAliveMs: 72_000,
};

/**
 * Fastify's `serverFactory`: the public node:http server, which offers each request to `first` before the app.
 * Fastify sets no timeouts on a server it did not create, so they are set here.
 */
export const publicServerFactory =
  (first: FirstResponder) =>
  (app: (request: IncomingMessage, response: ServerResponse) => void): Server => {
    const server = createServer((request, response) => {
      if (!first(request, response)) app(request, response);
    });
    server.headersTimeout = timeouts.headersMs;
    server.requestTimeout = timeouts.requestMs;
    server.keepAliveTimeout = timeouts.keepAliveMs;
    return server;
  };
