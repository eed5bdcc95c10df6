import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AuthService } from '../auth/auth-service.js';
import { csrfField, type SessionContext } from '../auth/session-context.js';
import { AppError } from '../http/app-error.js';
import { serviceHostsOf } from '../http/service-hosts.js';
import type { TypedApp } from '../http/typed-app.js';
import type { LinksService } from '../links/links-service.js';
import { dashboardPage, loginPage, registerPage } from './pages.js';
import { stylesheet } from './stylesheet.js';

export interface WebDependencies {
  auth: AuthService;
  links: LinksService;
  session: SessionContext;
}

const CredentialsBody = Type.Object({
  email: Type.String({ maxLength: 1000 }),
  password: Type.String({ maxLength: 1000 }),
  [csrfField]: Type.Optional(Type.String({ maxLength: 200 })),
});

const CsrfBody = Type.Object({ [csrfField]: Type.Optional(Type.String({ maxLength: 200 })) });

const CreateLinkBody = Type.Object({
  url: Type.String({ maxLength: 4096 }),
  code: Type.Optional(Type.String({ maxLength: 200 })),
  [csrfField]: Type.Optional(Type.String({ maxLength: 200 })),
});

const CodeParams = Type.Object({ code: Type.String() });

const HtmlResponse = { 200: Type.String(), '4xx': Type.String(), '5xx': Type.String() };

const sendHtml = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).type('text/html; charset=utf-8').send(body);

const dashboardLinksShown = 100;

/** Server-rendered pages. Forms post urlencoded bodies, each with a CSRF token. */
export const webRoutes = async (app: TypedApp, deps: WebDependencies) => {
  await app.register(formbody, { bodyLimit: app.initialConfig.bodyLimit });
  app.addHook('onRequest', async (request) => deps.session.identify(request));
  app.addHook('preHandler', async (request) => {
    if (request.method !== 'POST') return;
    const body = request.body as Record<string, unknown> | undefined;
    const token = body?.[csrfField];
    deps.session.assertCsrf(request, typeof token === 'string' ? token : undefined);
  });

  const hide = { hide: true } as const;

  const renderDashboard = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    form: { error?: string; url?: string; code?: string } = {},
  ) => {
    const account = request.account;
    if (account === null) return reply.redirect('/login', 303);
    const { items } = await deps.links.list(account.accountId, dashboardLinksShown);
    return sendHtml(
      reply,
      status,
      dashboardPage({
        csrfToken: deps.session.csrfToken(request, reply),
        email: account.email,
        links: items,
        origin: `${request.protocol}://${request.host}`,
        ...form,
      }),
    );
  };

  app.get(
    '/assets/style.css',
    { schema: { ...hide, response: { 200: Type.String() } } },
    async (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet),
  );

  app.get('/', { schema: hide }, async (request, reply) =>
    reply.redirect(request.account === null ? '/login' : '/dashboard', 303),
  );

  app.get('/register', { schema: { ...hide, response: HtmlResponse } }, async (request, reply) =>
    sendHtml(reply, 200, registerPage({ csrfToken: deps.session.csrfToken(request, reply) })),
  );

  app.post(
    '/register',
    { schema: { ...hide, body: CredentialsBody, response: HtmlResponse } },
    async (request, reply) => {
      const { email, password } = request.body;
      try {
        await deps.auth.register(email, password, request.ip);
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        const page = registerPage({
          csrfToken: deps.session.csrfToken(request, reply),
          email,
          error: error.detail,
        });
        return sendHtml(reply, error.status, page);
      }
      const csrfToken = deps.session.csrfToken(request, reply);
      return sendHtml(
        reply,
        201,
        loginPage({ csrfToken, email, notice: 'Account created. Log in to continue.' }),
      );
    },
  );

  app.get('/login', { schema: { ...hide, response: HtmlResponse } }, async (request, reply) =>
    request.account === null
      ? sendHtml(reply, 200, loginPage({ csrfToken: deps.session.csrfToken(request, reply) }))
      : reply.redirect('/dashboard', 303),
  );

  app.post(
    '/login',
    { schema: { ...hide, body: CredentialsBody, response: HtmlResponse } },
    async (request, reply) => {
      const { email, password } = request.body;
      try {
        const session = await deps.auth.login(
          email,
          password,
          request.ip,
          deps.session.presentedSessionToken(request),
        );
        deps.session.startSession(request, reply, session);
        return reply.redirect('/dashboard', 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        reply.headers(error.headers);
        const page = loginPage({
          csrfToken: deps.session.csrfToken(request, reply),
          email,
          error: error.detail,
        });
        return sendHtml(reply, error.status, page);
      }
    },
  );

  app.post('/logout', { schema: { ...hide, body: CsrfBody } }, async (request, reply) => {
    if (request.sessionToken !== null) await deps.auth.logout(request.sessionToken);
    deps.session.endSession(request, reply);
    return reply.redirect('/login', 303);
  });

  app.get('/dashboard', { schema: { ...hide, response: HtmlResponse } }, async (request, reply) =>
    renderDashboard(request, reply, 200),
  );

  app.post(
    '/links',
    { schema: { ...hide, body: CreateLinkBody, response: HtmlResponse } },
    async (request, reply) => {
      const account = request.account;
      if (account === null) return reply.redirect('/login', 303);
      const { url, code } = request.body;
      try {
        await deps.links.create(account.accountId, url, code?.trim(), serviceHostsOf(request));
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        return renderDashboard(request, reply, error.status, { error: error.detail, url, code: code ?? '' });
      }
      return reply.redirect('/dashboard', 303);
    },
  );

  app.post(
    '/links/:code/delete',
    { schema: { ...hide, params: CodeParams, body: CsrfBody, response: HtmlResponse } },
    async (request, reply) => {
      const account = request.account;
      if (account === null) return reply.redirect('/login', 303);
      try {
        await deps.links.delete(account.accountId, request.params.code);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'NOT_FOUND') throw error;
      }
      return reply.redirect('/dashboard', 303);
    },
  );
};
