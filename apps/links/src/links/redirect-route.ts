import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionContext } from '../auth/session-context.js';
import { AppError } from '../http/app-error.js';
import { sendError } from '../http/error-response.js';
import { redirectHeaders, securityHeaders } from '../http/security-headers.js';
import type { TypedApp } from '../http/typed-app.js';
import type { LinksService } from './links-service.js';

export interface RedirectDependencies {
  links: LinksService;
  session: SessionContext;
}

const notFound = new AppError('NOT_FOUND', 'Nothing here.');

/** `GET /:code`: 302 to the target, or the 404 page. HEAD counts no click. */
export const redirectRoute = async (app: TypedApp, deps: RedirectDependencies) => {
  const answer = (url: string | undefined, request: FastifyRequest, reply: FastifyReply) =>
    url === undefined
      ? sendError(notFound, request, reply.headers(securityHeaders), deps.session)
      : reply.headers(redirectHeaders).redirect(url, 302);

  // No params schema: the router hands over a string of at most `maxParamLength` characters (longer is a 414
  // before any route), and any string is a fine question; `resolve` answers 404 for what no code can be.
  app.get<{ Params: { code: string } }>(
    '/:code',
    {
      schema: { hide: true },
      config: { ownSecurityHeaders: true },
      // Anything but the redirect is a page (400, 503, a fault), so it gets the full set of a page.
      errorHandler: (error, request, reply) =>
        sendError(error, request, reply.headers(securityHeaders), deps.session),
    },
    // Not async: a warm lookup is synchronous, and only a cache miss goes through a promise.
    (request, reply) => {
      const url = deps.links.resolve(request.params.code, request.method === 'GET');
      return url instanceof Promise
        ? url.then((found) => answer(found, request, reply))
        : answer(url, request, reply);
    },
  );
};
