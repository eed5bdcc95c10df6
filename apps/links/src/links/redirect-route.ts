import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { type TSchema, Type } from 'typebox';
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

const codeParamMaxLength = 200;
const params = Type.Object({ code: Type.String({ maxLength: codeParamMaxLength }) });
const notFound = new AppError('NOT_FOUND', 'Nothing here.');

/**
 * Route parameters arrive as strings, so the converting validator's per-request `Value.Convert` (about 3 % of a
 * redirect) has nothing to do here: a code within the limit passes at once, and only anything else goes through
 * the full validator, for the same 400 as before.
 */
const compileParamsValidator: FastifySchemaCompiler<TSchema> = (route) => {
  const full = TypeBoxValidatorCompiler(route);
  return (value) => {
    const code = (value as { code?: unknown }).code;
    return typeof code === 'string' && code.length <= codeParamMaxLength ? { value } : full(value);
  };
};

/** `GET /:code`: 302 to the target, or the 404 page. HEAD counts no click. */
export const redirectRoute = async (app: TypedApp, deps: RedirectDependencies) => {
  const answer = (url: string | undefined, request: FastifyRequest, reply: FastifyReply) =>
    url === undefined
      ? sendError(notFound, request, reply.headers(securityHeaders), deps.session)
      : reply.headers(redirectHeaders).redirect(url, 302);

  app.get(
    '/:code',
    {
      schema: { hide: true, params },
      validatorCompiler: compileParamsValidator,
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
