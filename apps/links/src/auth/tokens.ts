import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** An opaque session token: 256 random bits. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/**
 * Only this digest is stored, so a copy of the database cannot be replayed as sessions. One-shot `hash`: every
 * authenticated request computes it, and a Hash object per request cost twice as much.
 */
export const tokenDigest = (token: string): string => hash('sha256', token, 'hex');

/**
 * A CSRF token: an HMAC under the server secret of what it is bound to (a session, or a pre-session cookie), so
 * only the server can make one and it works for nothing else.
 */
export const csrfTokenFor = (secret: string, binding: string): string =>
  createHmac('sha256', secret).update(`csrf:${binding}`).digest('base64url');

export const isValidCsrfToken = (secret: string, binding: string, candidate: string): boolean => {
  const expected = Buffer.from(csrfTokenFor(secret, binding));
  const actual = Buffer.from(candidate);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
};
