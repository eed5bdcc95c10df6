import { type Static, Type } from 'typebox';

/** RFC 9457 problem details, with the service's stable `code`. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
  },
  { $id: 'Problem' },
);
export type Problem = Static<typeof ProblemSchema>;

export const errorCodes = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  BAD_REQUEST: { status: 400, title: 'The request cannot be read' },
  INVALID_JSON: { status: 400, title: 'The request body is not valid JSON' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  INVALID_CREDENTIALS: { status: 401, title: 'E-mail or password is wrong' },
  CSRF_REJECTED: { status: 403, title: 'Missing or invalid CSRF token' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  LINK_CODE_TAKEN: { status: 409, title: 'This short code is taken' },
  REQUEST_TIMEOUT: { status: 408, title: 'The request took too long to arrive' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  URI_TOO_LONG: { status: 414, title: 'The address is too long' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type' },
  TOO_MANY_ATTEMPTS: { status: 429, title: 'Too many attempts' },
  HEADERS_TOO_LARGE: { status: 431, title: 'The request headers are too large' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
  FAULT_INJECTED: { status: 500, title: 'Injected fault' },
  DATABASE_UNAVAILABLE: { status: 503, title: 'The database is unavailable' },
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** An error meant for the client: a stable code, its status, and a detail that is safe to show. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${code}: ${detail}`);
    this.status = errorCodes[code].status;
  }
}

export const problemOf = (code: ErrorCode, detail: string): Problem => ({
  type: `urn:problem-type:links:${code.toLowerCase().replaceAll('_', '-')}`,
  title: errorCodes[code].title,
  status: errorCodes[code].status,
  detail,
  code,
});
