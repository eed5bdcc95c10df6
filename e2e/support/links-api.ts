import { randomBytes } from 'node:crypto';

/** A fresh account with a random password (never a literal in source) and its bearer token. */
export interface ApiAccount {
  readonly email: string;
  readonly password: string;
  readonly token: string;
}

export interface ApiLink {
  readonly code: string;
  readonly url: string;
  readonly clicks: number;
}

const call = async (
  baseUrl: string,
  path: string,
  init: RequestInit & { token?: string },
): Promise<Response> => {
  const headers = new Headers(init.headers);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  if (init.token !== undefined) headers.set('authorization', `Bearer ${init.token}`);
  const response = await fetch(`${baseUrl}/api/v1${path}`, { ...init, headers, redirect: 'manual' });
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return response;
};

export const randomPassword = (): string => `pw-${randomBytes(12).toString('base64url')}`;

/** Registers an account through the JSON API and logs in; the token is a Bearer token. */
export const createAccount = async (baseUrl: string): Promise<ApiAccount> => {
  const email = `user-${randomBytes(6).toString('hex')}@example.test`;
  const password = randomPassword();
  const credentials = JSON.stringify({ email, password });
  await call(baseUrl, '/accounts', { method: 'POST', body: credentials });
  const session = (await (
    await call(baseUrl, '/sessions', { method: 'POST', body: credentials })
  ).json()) as {
    token: string;
  };
  return { email, password, token: session.token };
};

export const createLink = async (baseUrl: string, token: string, url: string): Promise<ApiLink> =>
  (
    await call(baseUrl, '/links', { method: 'POST', token, body: JSON.stringify({ url }) })
  ).json() as Promise<ApiLink>;

export const getLink = async (baseUrl: string, token: string, code: string): Promise<ApiLink> =>
  (await call(baseUrl, `/links/${encodeURIComponent(code)}`, { token })).json() as Promise<ApiLink>;
