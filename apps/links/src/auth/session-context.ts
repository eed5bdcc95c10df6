import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../http/app-error.js';
import type { AuthService, NewSession } from './auth-service.js';
import type { SessionAccount } from './sessions-repository.js';
import { csrfTokenFor, isValidCsrfToken, newToken, tokenDigest } from './tokens.js';

export const sessionCookie = 'links_session';
/** The pre-session cookie: binds the CSRF tokens of forms shown before login (login, register). */
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

/**
 * Over TLS a cookie is `__Host-` prefixed: browsers then accept it only Secure, for this exact host and path /,
 * so a sibling host (dev and staging are subdomains of prod) cannot set or shadow it. The plain name, which a
 * sibling could set, is not even read over TLS.
 */
export const cookieName = (request: FastifyRequest, name: string): string =>
  isSecure(request) ? `__Host-${name}` : name;

/** Cookie and CSRF handling shared by the pages and the API. */
export const createSessionContext = (auth: AuthService, secret: string) => {
  const cookieOptions = (request: FastifyRequest) =>
    ({ path: '/', httpOnly: true, sameSite: 'lax', secure: isSecure(request) }) as const;

  const readCookie = (request: FastifyRequest, name: string): string | undefined =>
    request.cookies[cookieName(request, name)];

  /** A new random pre-session cookie; tokens derived from the previous one stop working. */
  const issuePreSessionCookie = (request: FastifyRequest, reply: FastifyReply): string => {
    const value = newToken();
    request.cookies[cookieName(request, csrfCookie)] = value;
    reply.setCookie(cookieName(request, csrfCookie), value, cookieOptions(request));
    return value;
  };

  /**
   * What this request's CSRF token is bound to: its session when it is authenticated by the session cookie,
   * otherwise the browser's pre-session cookie. A token from before login, or from another session, never
   * matches a session's binding.
   */
  const csrfBinding = (request: FastifyRequest): string | undefined => {
    if (request.authMethod === 'cookie' && request.sessionToken !== null)
      return `session:${tokenDigest(request.sessionToken)}`;
    const preSession = readCookie(request, csrfCookie);
    return preSession !== undefined && preSession.length >= 20 ? `pre-session:${preSession}` : undefined;
  };

  /** The token that this browser's forms and headers must carry, issuing a pre-session cookie if needed. */
  const csrfToken = (request: FastifyRequest, reply: FastifyReply): string => {
    const binding = csrfBinding(request) ?? `pre-session:${issuePreSessionCookie(request, reply)}`;
    return csrfTokenFor(secret, binding);
  };

  return {
    /** Resolves who is calling: a bearer token wins over the session cookie. */
    async identify(request: FastifyRequest): Promise<void> {
      const bearer = bearerToken(request);
      const cookie = readCookie(request, sessionCookie);
      const token = bearer ?? cookie;
      if (token === undefined || token.length > 100) return;
      const account = await auth.authenticate(token);
      if (account === undefined) return;
      request.account = account;
      request.sessionToken = token;
      request.authMethod = bearer === undefined ? 'cookie' : 'bearer';
    },

    /** The session token the browser presents by cookie, if any (replaced at login). */
    presentedSessionToken: (request: FastifyRequest): string | undefined =>
      readCookie(request, sessionCookie),

    csrfToken,

    /** Throws CSRF_REJECTED unless `candidate` is the token bound to this request's session or pre-session. */
    assertCsrf(request: FastifyRequest, candidate: string | undefined): void {
      const binding = csrfBinding(request);
      if (binding === undefined || candidate === undefined || !isValidCsrfToken(secret, binding, candidate)) {
        throw new AppError('CSRF_REJECTED', 'Reload the page and try again.');
      }
    },

    /** Sets the new session cookie and rotates the pre-session cookie, so tokens from before login stop working. */
    startSession(request: FastifyRequest, reply: FastifyReply, session: NewSession): void {
      reply.setCookie(cookieName(request, sessionCookie), session.token, {
        ...cookieOptions(request),
        expires: session.expiresAt,
      });
      issuePreSessionCookie(request, reply);
    },

    endSession(request: FastifyRequest, reply: FastifyReply): void {
      reply.clearCookie(cookieName(request, sessionCookie), cookieOptions(request));
      issuePreSessionCookie(request, reply);
    },
  };
};

export type SessionContext = ReturnType<typeof createSessionContext>;
