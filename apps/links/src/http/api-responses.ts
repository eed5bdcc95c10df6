import { type TSchema, Type } from 'typebox';
import { type ErrorCode, errorCodes } from './app-error.js';

// The pieces the API's route schemas document their responses with, so the served OpenAPI document says what the
// service really answers: which statuses, which error codes at each, which headers, and in which media type.

export const problemMediaType = 'application/problem+json';

const reasonPhrases: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Content too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** Response headers, as @fastify/swagger reads them from a response schema's `headers`. */
export const retryAfterHeader = {
  'Retry-After': { type: 'integer', minimum: 0, description: 'Seconds to wait before trying again.' },
};

/** Statuses whose answer always carries Retry-After (the throttle and an unavailable database set it). */
const retryableStatuses: ReadonlySet<number> = new Set([429, 503]);

/** Errors any API route can answer. FAULT_INJECTED only while a fault drill runs (FAULT_INJECTION=enabled). */
const anyRoute: readonly ErrorCode[] = ['INTERNAL_ERROR', 'FAULT_INJECTED', 'DATABASE_UNAVAILABLE'];

/** Errors of a route that reads a JSON body. */
export const jsonBodyErrors: readonly ErrorCode[] = [
  'VALIDATION_FAILED',
  'INVALID_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
];

/** Errors of a route that needs an account and changes something (cookie callers must send the CSRF header). */
export const authenticatedChangeErrors: readonly ErrorCode[] = ['UNAUTHENTICATED', 'CSRF_REJECTED'];

const problemAt = (status: number, codes: readonly ErrorCode[]): TSchema =>
  Type.Object(
    {
      type: Type.String({ description: 'A URN naming the problem type.' }),
      title: Type.String(),
      status: Type.Literal(status),
      detail: Type.String({ description: 'What went wrong and what to do, safe to show to a person.' }),
      code: Type.Enum([...codes], { description: 'The stable error code; branch on this, not on the text.' }),
    },
    {
      description: `${reasonPhrases[status] ?? 'Error'}: ${codes.map((code) => `\`${code}\` (${errorCodes[code].title})`).join(', ')}.`,
      ...(retryableStatuses.has(status) ? { headers: retryAfterHeader } : {}),
    },
  );

/**
 * Problem details (RFC 9457) for each status the given codes answer with, plus the errors of every route. The media
 * type becomes application/problem+json when the document is served (`problemMediaTypes`).
 */
export const problemResponses = (...codes: ErrorCode[]): Record<number, TSchema> => {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set([...codes, ...anyRoute])) {
    const status = errorCodes[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries([...byStatus].map(([status, atStatus]) => [status, problemAt(status, atStatus)]));
};

interface MediaTypeObject {
  schema?: { required?: readonly string[] };
}

interface OpenApiDocument {
  paths?: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, MediaTypeObject> }> }>
  >;
}

/**
 * @fastify/swagger documents every response as application/json; errors are sent as application/problem+json
 * (error-response.ts), so their documented media type is renamed to match.
 */
export const problemMediaTypes = <T extends object>(document: T): T => {
  for (const operations of Object.values((document as OpenApiDocument).paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const json = response.content?.['application/json'];
        const isProblem = json?.schema?.required?.includes('detail') === true;
        if (!/^[45]/.test(status) || json === undefined || !isProblem) continue;
        response.content = { [problemMediaType]: json };
      }
    }
  }
  return document;
};
