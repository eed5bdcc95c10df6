import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieName, type SessionContext, sessionCookie } from '../auth/session-context.js';
import { messagePage, type Visitor } from '../web/pages.js';
import { type ErrorCode, errorCodes, problemOf } from './app-error.js';
import { toAppError } from './error-mapping.js';

// Refusals worth an alert when they spike (credential stuffing, CSRF probing); other 4xx are routine.
const securityRelevant = new Set<ErrorCode>(['INVALID_CREDENTIALS', 'TOO_MANY_ATTEMPTS', 'CSRF_REJECTED']);

const isApiRequest = (request: FastifyRequest): boolean => request.url.startsWith('/api/');

/**
 * Whom an error page greets. A session cookie whose account was not looked up (the database down, or a path no
 * route serves) may well be a signed-in person: offering "Log in" would mislead, so the page offers neither.
 * A request the router or Node's parser refused (framework-errors.ts) never ran the hooks that set `account` or
 * parse cookies, so both may be missing here.
 */
const visitorOf = (request: FastifyRequest): Visitor => {
  const account = request.account as FastifyRequest['account'] | undefined;
  if (account) return { signedInAs: account.email };
  return request.cookies?.[cookieName(request, sessionCookie)] === undefined ? 'anonymous' : 'unknown';
};

/**
 * The one place errors become responses: problem+json under /api, an HTML page elsewhere. Details of
 * unexpected errors go to the log, never to the client.
 */
export const sendError = (
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  session: Pick<SessionContext, 'csrfToken'>,
) => {
  const appError = toAppError(error);
  if (appError.code === 'INTERNAL_ERROR') request.log.error({ err: error }, 'request failed');
  else if (appError.status >= 500) request.log.warn({ err: error, code: appError.code }, 'request refused');
  else if (securityRelevant.has(appError.code)) request.log.warn({ code: appError.code }, 'request refused');
  reply.code(appError.status).headers(appError.headers);
  if (isApiRequest(request)) {
    return reply
      .type('application/problem+json')
      .send(JSON.stringify(problemOf(appError.code, appError.detail)));
  }
  const title = errorCodes[appError.code].title;
  const page = messagePage(
    appError.code === 'NOT_FOUND' ? 'Page not found' : title,
    appError.code === 'NOT_FOUND'
      ? 'There is nothing at this address. Check the link or go home.'
      : appError.detail,
    session.csrfToken(request, reply),
    visitorOf(request),
  );
  return reply.type('text/html; charset=utf-8').send(page);
};
