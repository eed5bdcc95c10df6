import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import type { AuthService } from '../auth/auth-service.js';
import { csrfField, type SessionContext } from '../auth/session-context.js';
import { AppError } from '../http/app-error.js';
import { serviceHostsOf } from '../http/service-hosts.js';
import type { TypedApp } from '../http/typed-app.js';
import { isWellFormedCode } from '../links/link-rules.js';
import type { LinksService } from '../links/links-service.js';
import { favicon } from './favicon.js';
import { html } from './html.js';
import { confirmDeletePage, dashboardPage, loginPage, registerPage } from './pages.js';
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

const dashboardPageSize = 50;

/** After a redirect (PRG): what just happened, shown once on the page the redirect leads to. */
const DashboardQuery = Type.Object({
  before: Type.Optional(Type.String({ maxLength: 40 })),
  created: Type.Optional(Type.String({ maxLength: 40 })),
  deleted: Type.Optional(Type.String({ maxLength: 40 })),
});

const LoginQuery = Type.Object({ registered: Type.Optional(Type.String({ maxLength: 10 })) });

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

  const originOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

  const noticeFor = (query: Static<typeof DashboardQuery>, origin: string) => {
    if (query.created !== undefined && isWellFormedCode(query.created))
      return html`Created <span class="short">${origin}/${query.created}</span>.`;
    if (query.deleted !== undefined && isWellFormedCode(query.deleted))
      return html`Deleted ${query.deleted}.`;
    return undefined;
  };

  const renderDashboard = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    form: { error?: string; url?: string; code?: string } = {},
    query: Static<typeof DashboardQuery> = {},
  ) => {
    const account = request.account;
    if (account === null) return reply.redirect('/login', 303);
    const page = await deps.links.list(account.accountId, dashboardPageSize, query.before);
    const origin = originOf(request);
    const notice = noticeFor(query, origin);
    return sendHtml(
      reply,
      status,
      dashboardPage({
        csrfToken: deps.session.csrfToken(request, reply),
        email: account.email,
        links: page.items,
        origin,
        olderCursor: page.nextCursor,
        paged: query.before !== undefined,
        ...(notice === undefined ? {} : { notice }),
        ...form,
      }),
    );
  };

  app.get('/favicon.svg', { schema: hide }, async (_request, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(favicon),
  );

  // Browsers and crawlers ask for /favicon.ico whatever the page says; the pages point at the SVG.
  app.get('/favicon.ico', { schema: hide }, async (_request, reply) => reply.redirect('/favicon.svg', 301));

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
      // Post/Redirect/Get: a reload of the page that follows does not post the form again.
      return reply.redirect('/login?registered=1', 303);
    },
  );

  app.get(
    '/login',
    { schema: { ...hide, querystring: LoginQuery, response: HtmlResponse } },
    async (request, reply) => {
      if (request.account !== null) return reply.redirect('/dashboard', 303);
      const csrfToken = deps.session.csrfToken(request, reply);
      const registered = request.query.registered === '1';
      return sendHtml(
        reply,
        200,
        loginPage(registered ? { csrfToken, notice: 'Account created. Log in to continue.' } : { csrfToken }),
      );
    },
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

  app.get(
    '/dashboard',
    { schema: { ...hide, querystring: DashboardQuery, response: HtmlResponse } },
    async (request, reply) => renderDashboard(request, reply, 200, {}, request.query),
  );

  app.post(
    '/links',
    { schema: { ...hide, body: CreateLinkBody, response: HtmlResponse } },
    async (request, reply) => {
      const account = request.account;
      if (account === null) return reply.redirect('/login', 303);
      const { url, code } = request.body;
      let created: string;
      try {
        created = (await deps.links.create(account.accountId, url, code?.trim(), serviceHostsOf(request)))
          .code;
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        return renderDashboard(request, reply, error.status, { error: error.detail, url, code: code ?? '' });
      }
      return reply.redirect(`/dashboard?created=${created}`, 303);
    },
  );

  app.get(
    '/links/:code/delete',
    { schema: { ...hide, params: CodeParams, response: HtmlResponse } },
    async (request, reply) => {
      const account = request.account;
      if (account === null) return reply.redirect('/login', 303);
      const link = await deps.links.get(account.accountId, request.params.code);
      return sendHtml(
        reply,
        200,
        confirmDeletePage({
          csrfToken: deps.session.csrfToken(request, reply),
          email: account.email,
          link,
          origin: originOf(request),
        }),
      );
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
        // Already gone (a second tab, a double submit): the outcome the person wanted.
      }
      const { code } = request.params;
      return reply.redirect(isWellFormedCode(code) ? `/dashboard?deleted=${code}` : '/dashboard', 303);
    },
  );
};
