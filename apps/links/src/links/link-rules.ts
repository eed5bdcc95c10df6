import { randomInt } from 'node:crypto';

export const urlMaxLength = 2048;
export const codeMinLength = 3;
export const codeMaxLength = 32;
export const generatedCodeLength = 7;

/** Safe in a path segment without escaping, and not confusable with the service's own routes. */
export const codePattern = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

const codeAlphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Words a custom code may not take, compared case-insensitively: current and plausible future routes. */
export const reservedCodes: ReadonlySet<string> = new Set([
  'about',
  'account',
  'accounts',
  'admin',
  'api',
  'assets',
  'dashboard',
  'docs',
  'favicon.ico',
  'faults',
  'health',
  'healthz',
  'help',
  'links',
  'livez',
  'login',
  'logout',
  'metrics',
  'openapi',
  'readyz',
  'register',
  'robots.txt',
  'settings',
  'signup',
  'static',
  'status',
  'version',
  'www',
]);

export const isWellFormedCode = (code: string): boolean =>
  code.length >= codeMinLength && code.length <= codeMaxLength && codePattern.test(code);

/** Why a custom code is refused, or undefined. */
export const codeProblem = (code: string): string | undefined => {
  if (!isWellFormedCode(code)) {
    return `Custom code must be ${codeMinLength}–${codeMaxLength} characters: letters, digits, "-" or "_", starting with a letter or digit.`;
  }
  if (reservedCodes.has(code.toLowerCase())) return `"${code}" is reserved; choose another code.`;
  return undefined;
};

export type UrlCheck = { ok: true; url: string } | { ok: false; problem: string };

/** Where a URL points, as host name (lower case, no trailing dot) and port (empty for the default). */
const endpointOf = (url: URL): string => `${url.hostname.replace(/\.$/, '')}:${url.port}`;

/** The same for a Host header value; undefined when it is not one. */
const endpointOfHost = (host: string): string | undefined => {
  try {
    return endpointOf(new URL(`http://${host}`));
  } catch {
    return undefined;
  }
};

/**
 * Only absolute http(s) URLs with a host and no embedded credentials, and not to the service itself (the host and
 * port a request came in by), whose redirect would loop and count a click per hop. Returns the normalized form.
 */
export const checkTargetUrl = (input: string, serviceHosts: readonly string[] = []): UrlCheck => {
  const raw = input.trim();
  if (raw.length === 0) return { ok: false, problem: 'Enter a URL.' };
  if (raw.length > urlMaxLength)
    return { ok: false, problem: `URL must be at most ${urlMaxLength} characters.` };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f\s]/u.test(raw))
    return { ok: false, problem: 'URL must not contain spaces or control characters.' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: 'Enter a full URL starting with http:// or https://.' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, problem: 'Only http:// and https:// URLs can be shortened.' };
  }
  if (url.hostname === '') return { ok: false, problem: 'URL must have a host.' };
  if (url.username !== '' || url.password !== '')
    return { ok: false, problem: 'URL must not contain credentials.' };
  // What is stored and sent in Location is the encoded form, so that is what the limit counts, and the message says so.
  if (url.href.length > urlMaxLength)
    return {
      ok: false,
      problem: `URL must be at most ${urlMaxLength} characters once encoded for the web; this one is ${url.href.length} (each letter outside plain ASCII takes 6 or more).`,
    };
  const target = endpointOf(url);
  if (serviceHosts.some((host) => endpointOfHost(host) === target))
    return { ok: false, problem: 'A link to this service itself would redirect in a loop.' };
  return { ok: true, url: url.href };
};

export const generateCode = (): string =>
  Array.from({ length: generatedCodeLength }, () => codeAlphabet[randomInt(codeAlphabet.length)]).join('');
