import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import type { Finding } from './finding.js';

/**
 * Validates a workflow against SchemaStore's published GitHub workflow schema (a data file committed beside
 * this module; its source is in schemas/README.md). The schema uses keywords Ajv's strict mode rejects, so
 * strict mode is off; the validation itself is unchanged.
 */
const schema: unknown = JSON.parse(
  readFileSync(new URL('./schemas/github-workflow.json', import.meta.url), 'utf8'),
);

let validator: ReturnType<Ajv['compile']> | undefined;
const validate = (data: unknown) => {
  validator ??= new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema as object);
  return { valid: validator(data) as boolean, errors: validator.errors ?? [] };
};

/** `oneOf` branches each fail for their own reason; the error with the deepest path says what is wrong. */
const mostSpecific = (errors: readonly ErrorObject[]): ErrorObject[] => {
  const deepest = Math.max(...errors.map((error) => error.instancePath.split('/').length));
  const kept = errors.filter((error) => error.instancePath.split('/').length === deepest);
  return kept.filter(
    (error, index) => kept.findIndex((other) => other.instancePath === error.instancePath) === index,
  );
};

export const checkWorkflowSchema = (target: string, content: string): Finding[] => {
  let data: unknown;
  try {
    data = parse(content);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return [{ policy: 'workflow/schema', severity: 'error', target, path: 'line 1', message: `${message}` }];
  }
  const { valid, errors } = validate(data);
  if (valid) return [];
  return mostSpecific(errors).map((error) => ({
    policy: 'workflow/schema',
    severity: 'error',
    target,
    path: error.instancePath || '/',
    message: `does not match the GitHub workflow schema: ${error.message ?? error.keyword}${
      error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : ''
    }`,
  }));
};
