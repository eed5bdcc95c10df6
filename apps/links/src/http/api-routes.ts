import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/auth-service.js';
import { csrfHeader, type SessionContext } from '../auth/session-context.js';
import type { SessionAccount } from '../auth/sessions-repository.js';
import type { Link } from '../links/links-repository.js';
import type { LinksService } from '../links/links-service.js';
import { authenticatedChangeErrors, jsonBodyErrors, problemResponses } from './api-responses.js';
import {
  AccountCreated,
  CodeParams,
  CreateLinkBody,
  Credentials,
  CsrfHeaders,
  CurrentSession,
  defaultPageSize,
  LinkCreated,
  LinkPageSchema,
  LinkSchema,
  ListLinksQuery,
  NoContent,
  SessionCreated,
} from './api-schemas.js';
import { AppError } from './app-error.js';
import { serviceHostsOf } from './service-hosts.js';
import type { TypedApp } from './typed-app.js';

export interface ApiDependencies {
  auth: AuthService;
  links: LinksService;
  session: SessionContext;
}

const bearer: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const jsonMediaType = 'application/json; charset=utf-8';

const toLinkView = (link: Link) => ({
  code: link.code,
  url: link.url,
  clicks: link.clicks,
  createdAt: link.createdAt,
});

/** The JSON API, mounted at /api/v1. JSON bodies only: a cross-site form cannot post here. */
export const apiRoutes = async (app: TypedApp, deps: ApiDependencies) => {
  // Only JSON is parsed here: any other media type (text/plain included, which Fastify parses by default) is 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );
  app.addHook('onRequest', async (request) => deps.session.identify(request));

  /** The caller's account; a cookie-authenticated change must also carry the CSRF header. */
  const requireAccount = (request: FastifyRequest): SessionAccount => {
    if (request.account === null) throw new AppError('UNAUTHENTICATED', 'Send a bearer token or log in.');
    if (request.authMethod === 'cookie' && request.method !== 'GET' && request.method !== 'HEAD') {
      const header = request.headers[csrfHeader];
      deps.session.assertCsrf(request, typeof header === 'string' ? header : undefined);
    }
    return request.account;
  };

  app.post(
    '/accounts',
    {
      schema: {
        tags: ['accounts'],
        body: Credentials,
        response: { 201: AccountCreated, ...problemResponses(...jsonBodyErrors, 'TOO_MANY_ATTEMPTS') },
      },
    },
    async (request, reply) => {
      await deps.auth.register(request.body.email, request.body.password, request.ip);
      return reply.code(201).send({ email: request.body.email.trim() });
    },
  );

  app.post(
    '/sessions',
    {
      schema: {
        tags: ['sessions'],
        description: 'Log in. The token works as a bearer token; the session cookie is set too.',
        body: Credentials,
        response: {
          201: SessionCreated,
          ...problemResponses(...jsonBodyErrors, 'INVALID_CREDENTIALS', 'TOO_MANY_ATTEMPTS'),
        },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const session = await deps.auth.login(
        email,
        password,
        request.ip,
        deps.session.presentedSessionToken(request),
      );
      deps.session.startSession(request, reply, session);
      return reply.code(201).send({ token: session.token, expiresAt: session.expiresAt.toISOString() });
    },
  );

  app.get(
    '/sessions/current',
    {
      schema: {
        tags: ['sessions'],
        security: bearer,
        response: { 200: CurrentSession, ...problemResponses('UNAUTHENTICATED') },
      },
    },
    async (request, reply) => {
      const account = requireAccount(request);
      return {
        email: account.email,
        expiresAt: account.expiresAt.toISOString(),
        csrfToken: deps.session.csrfToken(request, reply),
      };
    },
  );

  app.delete(
    '/sessions/current',
    {
      schema: {
        tags: ['sessions'],
        description: 'Log out: the token stops working.',
        security: bearer,
        headers: CsrfHeaders,
        response: { 204: NoContent('Logged out.'), ...problemResponses(...authenticatedChangeErrors) },
      },
    },
    async (request, reply) => {
      requireAccount(request);
      if (request.sessionToken !== null) await deps.auth.logout(request.sessionToken);
      if (request.authMethod === 'cookie') deps.session.endSession(request, reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/links',
    {
      schema: {
        tags: ['links'],
        security: bearer,
        querystring: ListLinksQuery,
        response: { 200: LinkPageSchema, ...problemResponses('VALIDATION_FAILED', 'UNAUTHENTICATED') },
      },
    },
    async (request, reply) => {
      const account = requireAccount(request);
      const limit = request.query.limit ?? defaultPageSize;
      const page = await deps.links.listJson(account.accountId, limit, request.query.cursor);
      // JSON text with a JSON media type is sent as it is, not serialized again: the database wrote it in
      // LinkPageSchema's shape (a test holds the two to each other), hence the untyped reply.
      const textReply: FastifyReply = reply;
      return textReply.type(jsonMediaType).send(page);
    },
  );

  app.post(
    '/links',
    {
      schema: {
        tags: ['links'],
        security: bearer,
        headers: CsrfHeaders,
        body: CreateLinkBody,
        response: {
          201: LinkCreated,
          ...problemResponses(...jsonBodyErrors, ...authenticatedChangeErrors, 'LINK_CODE_TAKEN'),
        },
      },
    },
    async (request, reply) => {
      const account = requireAccount(request);
      const link = await deps.links.create(
        account.accountId,
        request.body.url,
        request.body.code,
        serviceHostsOf(request),
      );
      return reply.code(201).header('location', `/api/v1/links/${link.code}`).send(toLinkView(link));
    },
  );

  app.get(
    '/links/:code',
    {
      schema: {
        tags: ['links'],
        security: bearer,
        params: CodeParams,
        response: {
          200: LinkSchema,
          ...problemResponses('VALIDATION_FAILED', 'UNAUTHENTICATED', 'NOT_FOUND'),
        },
      },
    },
    async (request) =>
      toLinkView(await deps.links.get(requireAccount(request).accountId, request.params.code)),
  );

  app.delete(
    '/links/:code',
    {
      schema: {
        tags: ['links'],
        security: bearer,
        headers: CsrfHeaders,
        params: CodeParams,
        response: {
          204: NoContent('Deleted.'),
          ...problemResponses('VALIDATION_FAILED', ...authenticatedChangeErrors, 'NOT_FOUND'),
        },
      },
    },
    async (request, reply) => {
      await deps.links.delete(requireAccount(request).accountId, request.params.code);
      return reply.code(204).send(null);
    },
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};
