import type { IncomingMessage, ServerResponse } from 'node:http';
import { redirectHeaders } from '../http/security-headers.js';

export interface WarmRedirectDependencies {
  /** The cached target of `code`, its click counted; undefined when `code` is not in the redirect cache. */
  resolveCached(code: string): string | undefined;
  /** Called after each answered redirect, with how long answering took. */
  onAnswered(request: IncomingMessage, milliseconds: number): void;
}

export interface WarmRedirect {
  /** Answers a `GET /<code>` whose code is cached and returns true; returns false, touching nothing, otherwise. */
  answer(request: IncomingMessage, response: ServerResponse): boolean;
  /** From now on answers nothing, so every request meets the app's own closing behaviour. */
  stop(): void;
}

/** Exactly what the `/:code` route sends with a 302, plus the target. */
const fixedHeaders = Object.entries({ ...redirectHeaders, 'content-length': '0' }).flat();

/**
 * The redirect of a cached code, answered before the request reaches Fastify. It is the service's hot path, and
 * the framework's per-request work (request and reply objects, hooks, a child logger, the completion line) took
 * two thirds of its time (bench/README.md). A code enters the cache only after the `/:code` route resolved it,
 * so a path equal to a cached code is one that route would match, and this answers nothing the app would answer
 * differently. A query string is ignored, as the route ignores it; anything else goes to the app untouched.
 */
export const createWarmRedirect = (deps: WarmRedirectDependencies): WarmRedirect => {
  let serving = true;
  return {
    answer(request, response) {
      if (!serving || request.method !== 'GET') return false;
      const startedAt = performance.now();
      const url = request.url ?? '';
      const queryAt = url.indexOf('?');
      const target = deps.resolveCached(queryAt === -1 ? url.slice(1) : url.slice(1, queryAt));
      if (target === undefined) return false;
      response.writeHead(302, [...fixedHeaders, 'location', target]);
      response.end();
      deps.onAnswered(request, performance.now() - startedAt);
      return true;
    },
    stop() {
      serving = false;
    },
  };
};
