import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// Checks a real response against the served OpenAPI 3.1 document: the status is documented for the operation, the
// media type is the documented one, every documented header is sent and valid, and the body validates against the
// documented schema (JSON Schema 2020-12, which OpenAPI 3.1 schema objects are, checked by ajv).

interface HeaderObject {
  schema?: object;
}

interface ResponseObject {
  description?: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, { schema?: object }>;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>;
}

export interface ObservedResponse {
  method: string;
  /** The path template as the document names it, e.g. `/api/v1/links/{code}`. */
  path: string;
  status: number;
  headers: Readonly<Record<string, string | string[] | number | undefined>>;
  body: string;
}

const pointer = (...segments: string[]): string =>
  segments.map((segment) => segment.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

const documentId = 'openapi.json';

/** A checker over one document; `findings` is empty for a response the document describes. */
export const openApiChecker = (document: OpenApiDocument) => {
  // The document is one schema resource, so a response schema's $refs resolve within it. Its non-schema parts
  // (parameters with `required: false`, …) are not meant for the meta-schema, hence no schema validation.
  const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(document, documentId);
  const validate = (ref: string, value: unknown): string[] => {
    const check = ajv.compile({ $ref: `${documentId}#/${ref}` });
    return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  };

  return {
    findings(observed: ObservedResponse): string[] {
      const where = `${observed.method} ${observed.path} → ${observed.status}`;
      const method = observed.method.toLowerCase();
      const operation = document.paths[observed.path]?.[method];
      if (operation === undefined) return [`${where}: no such operation in the document`];
      const key = [String(observed.status), `${String(observed.status)[0]}XX`].find(
        (candidate) => operation.responses[candidate] !== undefined,
      );
      const response = key === undefined ? undefined : operation.responses[key];
      if (key === undefined || response === undefined) return [`${where}: status not documented`];
      const findings: string[] = [];
      if (response.description === undefined || response.description === 'Default Response')
        findings.push(`${where}: no real description`);
      for (const [name, header] of Object.entries(response.headers ?? {})) {
        const value = observed.headers[name.toLowerCase()];
        if (value === undefined) {
          findings.push(`${where}: documented header ${name} not sent`);
          continue;
        }
        const text = String(value);
        const typed =
          (header.schema as { type?: string } | undefined)?.type === 'integer' ? Number(text) : text;
        const ref = pointer('paths', observed.path, method, 'responses', key, 'headers', name, 'schema');
        for (const problem of validate(ref, typed)) findings.push(`${where}: header ${name} ${problem}`);
      }
      const contentType = observed.headers['content-type'];
      const media = contentType === undefined ? undefined : String(contentType).split(';')[0]?.trim();
      if (response.content === undefined) {
        if (observed.body !== '') findings.push(`${where}: a body where the document says none`);
        return findings;
      }
      if (media === undefined || response.content[media] === undefined) {
        findings.push(
          `${where}: served as ${media ?? 'no content type'}, documented as ${Object.keys(response.content).join(', ')}`,
        );
        return findings;
      }
      let body: unknown;
      try {
        body = JSON.parse(observed.body);
      } catch {
        return [...findings, `${where}: body is not JSON`];
      }
      const ref = pointer('paths', observed.path, method, 'responses', key, 'content', media, 'schema');
      for (const problem of validate(ref, body)) findings.push(`${where}: body ${problem}`);
      return findings;
    },
  };
};

/** Every (operation, status) the document promises, as `METHOD path status`. */
export const documentedResponses = (document: OpenApiDocument): string[] =>
  Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, operation]) =>
      Object.keys(operation.responses).map((status) => `${method.toUpperCase()} ${path} ${status}`),
    ),
  );

/** Every error code the document promises per operation, as `METHOD path CODE`. */
export const documentedCodes = (document: OpenApiDocument): string[] =>
  Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, operation]) =>
      Object.values(operation.responses).flatMap((response) =>
        Object.values(response.content ?? {}).flatMap((media) => {
          const code = (media.schema as { properties?: { code?: { enum?: string[] } } } | undefined)
            ?.properties?.code;
          return (code?.enum ?? []).map((name) => `${method.toUpperCase()} ${path} ${name}`);
        }),
      ),
    ),
  );
