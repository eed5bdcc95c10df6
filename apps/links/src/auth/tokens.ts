import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** An opaque session token: 256 random bits. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** Only this digest is stored, so a copy of the database cannot be replayed as sessions. */
export const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A CSRF token bound to the per-browser CSRF cookie by an HMAC under the server secret. */
export const csrfTokenFor = (secret: string, csrfCookie: string): string =>
  createHmac('sha256', secret).update(`csrf:${csrfCookie}`).digest('base64url');

export const isValidCsrfToken = (secret: string, csrfCookie: string, candidate: string): boolean => {
  const expected = Buffer.from(csrfTokenFor(secret, csrfCookie));
  const actual = Buffer.from(candidate);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
};
