import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../http/app-error.js';
import type { AuthService, NewSession } from './auth-service.js';
import type { SessionAccount } from './sessions-repository.js';
import { csrfTokenFor, isValidCsrfToken, newToken } from './tokens.js';

export const sessionCookie = 'links_session';
export const csrfCookie = 'links_csrf';
export const csrfHeader = 'x-csrf-token';
export const csrfField = '_csrf';

export type AuthMethod = 'bearer' | 'cookie';

declare module 'fastify' {
  interface FastifyRequest {
    account: SessionAccount | null;
    authMethod: AuthMethod | null;
    sessionToken: string | null;
  }
}

const bearerToken = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header);
  return match?.[1];
};

const isSecure = (request: FastifyRequest): boolean => request.protocol === 'https';

/** Cookie and CSRF handling shared by the pages and the API. */
export const createSessionContext = (auth: AuthService, secret: string) => {
  const cookieOptions = (request: FastifyRequest) =>
    ({ path: '/', httpOnly: true, sameSite: 'lax', secure: isSecure(request) }) as const;

  /** A new random CSRF cookie; tokens derived from the previous one stop working. */
  const issueCsrfCookie = (request: FastifyRequest, reply: FastifyReply): string => {
    const value = newToken();
    request.cookies[csrfCookie] = value;
    reply.setCookie(csrfCookie, value, cookieOptions(request));
    return value;
  };

  /** Makes sure the browser has a CSRF cookie; returns the token that forms and headers must carry. */
  const csrfToken = (request: FastifyRequest, reply: FastifyReply): string => {
    const current = request.cookies[csrfCookie];
    const value = current !== undefined && current.length >= 20 ? current : issueCsrfCookie(request, reply);
    return csrfTokenFor(secret, value);
  };

  return {
    /** Resolves who is calling: a bearer token wins over the session cookie. */
    async identify(request: FastifyRequest): Promise<void> {
      const bearer = bearerToken(request);
      const cookie = request.cookies[sessionCookie];
      const token = bearer ?? cookie;
      if (token === undefined || token.length > 100) return;
      const account = await auth.authenticate(token);
      if (account === undefined) return;
      request.account = account;
      request.sessionToken = token;
      request.authMethod = bearer === undefined ? 'cookie' : 'bearer';
    },

    csrfToken,

    /** Throws CSRF_REJECTED unless `candidate` matches this browser's CSRF cookie. */
    assertCsrf(request: FastifyRequest, candidate: string | undefined): void {
      const cookie = request.cookies[csrfCookie];
      if (cookie === undefined || candidate === undefined || !isValidCsrfToken(secret, cookie, candidate)) {
        throw new AppError('CSRF_REJECTED', 'Reload the page and try again.');
      }
    },

    /** Sets the new session cookie and a fresh CSRF cookie, so tokens from before login stop working. */
    startSession(request: FastifyRequest, reply: FastifyReply, session: NewSession): void {
      reply.setCookie(sessionCookie, session.token, {
        ...cookieOptions(request),
        expires: session.expiresAt,
      });
      request.cookies[csrfCookie] = undefined;
      csrfToken(request, reply);
    },

    endSession(request: FastifyRequest, reply: FastifyReply): void {
      reply.clearCookie(sessionCookie, cookieOptions(request));
      issueCsrfCookie(request, reply);
    },
  };
};

export type SessionContext = ReturnType<typeof createSessionContext>;
