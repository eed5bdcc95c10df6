/**
 * Values that look like credentials and are known not to be, allowlisted the way gitleaks does it: by exact
 * documented value (not by a word like "example" inside a real-looking key), and loopback database URLs in test
 * code (a test database on 127.0.0.1 protects nothing). Each entry has a test. Pure.
 */
const DOCUMENTED_EXAMPLES = new Set([
  // AWS, "Managing access keys" / every AWS CLI doc page: the example key pair.
  ['AKIAIOSF', 'ODNN7EXAMPLE'].join(''),
  ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/'),
  ['AKIAI44Q', 'H8DHBEXAMPLE'].join(''),
  ['je7MtGbClwBF', '2Zp9Utk', 'h3yCo8nvbEXAMPLEKEY'].join('/'),
  // Stripe's documentation test key (a test-mode key published for everyone).
  ['sk_test_', '4eC39HqLyjWDarjtT1zdp7dc'].join(''),
]);

const TEST_PATH =
  /^\.github\/workflows\/|(^|\/)(test|tests|__tests__|spec|e2e|fixtures?|testdata)\/|\.(test|spec)\.[cm]?[jt]sx?$|_test\.(go|py)$/;
/** Domains reserved for documentation and tests (RFC 2606, RFC 6761): a credential for them opens nothing. */
const RESERVED_HOST_URL =
  /^[a-z][\w+.-]*:\/\/[^\s@]*@([\w-]+\.)*(example\.(com|org|net)|example|invalid|test|localhost)(:\d+)?(\/|$)/i;
const LOOPBACK_HOST = String.raw`(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?`;
/** `scheme://user:password@loopback…`, or JDBC's `jdbc:<driver>://loopback…?password=…`. */
const LOOPBACK_URL = new RegExp(
  String.raw`^(?:[a-z][\w+.-]*:\/\/[^\s@]*@${LOOPBACK_HOST}(\/|$)|jdbc:[\w:]+:\/\/${LOOPBACK_HOST}[/;?])`,
  'i',
);

/**
 * A value masked or elided for documentation: `sk_live_xxxx…`, `ghp_XXXX…`, `T00000000/B00000000/XXXX…`, `…`.
 * A real key is random and never has a run like these.
 */
const MASKED = /x{8,}|X{8,}|\*{4,}|\.{3}|…|0{8,}|<[^>]*>|(?:1234567890|abcdef){2}/;

export const isDocumentedExample = (secret: string): boolean =>
  DOCUMENTED_EXAMPLES.has(secret) || MASKED.test(secret);

/**
 * Whether a documented example value overlaps `content[start, end)`: a scanner that reports part of a value, or
 * its key with part of its value (secretlint's AWS rule in JSON: `"SecretAccessKey": "je7M…/2Zp9Utk`), is judged
 * by the whole value it cut into.
 */
export const overlapsDocumentedExample = (content: string, start: number, end: number): boolean =>
  [...DOCUMENTED_EXAMPLES].some((example) => {
    const at = content.indexOf(example, Math.max(0, start - example.length));
    return at !== -1 && at < end && at + example.length > start;
  });

/** A credential URL pointing at this machine, in a test file or a CI workflow (its service containers). */
export const isLoopbackTestUrl = (file: string, matchedText: string): boolean =>
  TEST_PATH.test(file) && LOOPBACK_URL.test(matchedText);

export const isReservedHostUrl = (matchedText: string): boolean => RESERVED_HOST_URL.test(matchedText);
