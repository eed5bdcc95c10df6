import { Compile } from 'typebox/compile';
import { RunwayError } from '../errors.js';
import { ENVIRONMENT_NAMES, type EnvironmentName, ReleasePointer } from './pointer.js';

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const GIT_SHA = /^[a-f0-9]{40}$/;
const IMAGE = /^[a-z0-9.-]+(:[0-9]+)?\/[a-z0-9._/-]+$/;
const checkPointer = Compile(ReleasePointer);

export const isEnvironmentName = (name: string): name is EnvironmentName =>
  (ENVIRONMENT_NAMES as readonly string[]).includes(name);

export const parseEnvironment = (name: string): EnvironmentName => {
  if (isEnvironmentName(name)) return name;
  throw new RunwayError(
    'UNKNOWN_ENVIRONMENT',
    `unknown environment "${name}": expected one of ${ENVIRONMENT_NAMES.join(', ')}`,
  );
};

export const parseDigest = (value: string): string => {
  if (DIGEST.test(value)) return value;
  throw new RunwayError(
    'DIGEST_INVALID',
    `"${value}" is not an image digest: expected sha256: followed by 64 lowercase hex characters`,
  );
};

export const parseGitSha = (value: string): string => {
  if (GIT_SHA.test(value)) return value;
  throw new RunwayError(
    'GIT_SHA_INVALID',
    `"${value}" is not a full git commit sha (40 lowercase hex characters)`,
  );
};

export const parseImage = (value: string): string => {
  if (IMAGE.test(value)) return value;
  throw new RunwayError(
    'IMAGE_INVALID',
    `"${value}" is not an image repository: expected host/path without tag or digest, e.g. ghcr.io/acme/links`,
  );
};

/** The time a signal reports (when the Rollout completed or aborted), as a canonical ISO 8601 instant. */
export const parseSignalTime = (value: string): string => {
  const time = Date.parse(value);
  if (/^\d{4}-\d{2}-\d{2}T[^ ]*(Z|[+-]\d{2}:\d{2})$/.test(value) && Number.isFinite(time))
    return new Date(time).toISOString();
  throw new RunwayError(
    'SIGNAL_TIME_INVALID',
    `"${value}" is not a time: expected ISO 8601 with a zone, e.g. 2026-11-23T10:00:00Z`,
  );
};

/** A rejection reason is stored in JSON and shown in one-line messages, so it is one bounded line. */
export const parseReason = (value: string): string => {
  const line = value.replace(/\s+/g, ' ').trim();
  if (line === '') throw new RunwayError('REASON_INVALID', 'the rollback reason is empty');
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
};

/** One message per path: a union reports each failed branch and then the union, so the last one is kept. */
const schemaProblems = (value: unknown): string[] => {
  const byPath = new Map<string, string>();
  for (const error of checkPointer.Errors(value)) {
    if (error.keyword === 'boolean') continue;
    const extra =
      error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperties)})` : '';
    byPath.set(error.instancePath || '/', `${error.message}${extra}`);
  }
  return [...byPath].map(([path, message]) => `${path} ${message}`);
};

/** Parses a pointer file; `source` names it in errors, e.g. `deploy/releases/dev.json`. */
export const parsePointer = (text: string, source: string, env: EnvironmentName): ReleasePointer => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RunwayError('POINTER_INVALID', `${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (!checkPointer.Check(value)) {
    throw new RunwayError(
      'POINTER_INVALID',
      `${source} is not a release pointer: ${schemaProblems(value).join('; ')}`,
    );
  }
  if (value.env !== env) {
    throw new RunwayError(
      'POINTER_INVALID',
      `${source} is not a release pointer: /env is "${value.env}", expected "${env}"`,
    );
  }
  // A release is verified by a signal that came after it was released; an earlier stamp belongs to another
  // release (e.g. a verify commit that a rebase carried onto a newer release), so the pointer cannot be trusted.
  if (value.verifiedAt !== null && Date.parse(value.verifiedAt) < Date.parse(value.releasedAt)) {
    throw new RunwayError(
      'POINTER_INVALID',
      `${source} is not a valid release pointer: verifiedAt ${value.verifiedAt} precedes releasedAt ${value.releasedAt}, so the verification is of another release; restore the pointer from the commit that released it`,
    );
  }
  return value;
};
