import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { parse } from 'yaml';
import type { GateFinding, WaivedFinding } from './finding.js';

/**
 * `.runway/exceptions.yaml`: the one reviewed place where a risk is accepted, each entry with an id (what
 * it accepts: a GHSA id, `licence:<name>@<version>`, `secret:<fingerprint>`), a reason, an owner and an
 * expiry date. Pure: text and today's date in, findings out.
 */
export const EXCEPTIONS_FILE = '.runway/exceptions.yaml';

export const RiskException = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    reason: Type.String({ minLength: 10 }),
    owner: Type.String({ minLength: 1 }),
    expires: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  },
  { additionalProperties: false },
);
export type RiskException = Static<typeof RiskException>;

const ExceptionsFile = Type.Object(
  { exceptions: Type.Array(Type.Unknown()) },
  { additionalProperties: false },
);
const checkFile = Compile(ExceptionsFile);
const checkEntry = Compile(RiskException);

const problem = (path: string, message: string): GateFinding => ({
  check: 'exceptions',
  policy: 'exceptions/valid',
  severity: 'error',
  target: EXCEPTIONS_FILE,
  path,
  message,
  file: EXCEPTIONS_FILE,
});

const nameOf = (entry: unknown, index: number): string => {
  const id = (entry as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id ? `exceptions[${index}] (${id})` : `exceptions[${index}]`;
};

export interface ParsedExceptions {
  /** Entries that are well-formed and not expired: the only ones that can waive a finding. */
  readonly active: RiskException[];
  readonly problems: GateFinding[];
}

/** `today` is an ISO date (YYYY-MM-DD); an exception is valid through its expiry date. */
export const parseExceptions = (text: string | undefined, today: string): ParsedExceptions => {
  if (text === undefined) return { active: [], problems: [] };
  let data: unknown;
  try {
    data = parse(text) ?? { exceptions: [] };
  } catch (error) {
    return {
      active: [],
      problems: [problem('/', `not valid YAML: ${(error as Error).message.split('\n')[0]}`)],
    };
  }
  if (!checkFile.Check(data)) {
    return { active: [], problems: [problem('/', 'expected a mapping with an "exceptions:" list')] };
  }
  const active: RiskException[] = [];
  const problems: GateFinding[] = [];
  data.exceptions.forEach((entry, index) => {
    if (!checkEntry.Check(entry)) {
      const details = [...checkEntry.Errors(entry)]
        .map((error) => `${error.instancePath || '/'} ${error.message}`)
        .join('; ');
      problems.push(
        problem(
          `exceptions[${index}]`,
          `${nameOf(entry, index)} is malformed: ${details} (needs id, reason, owner, expires: YYYY-MM-DD)`,
        ),
      );
    } else if (Number.isNaN(Date.parse(entry.expires))) {
      problems.push(problem(`exceptions[${index}]`, `${nameOf(entry, index)} expires on an invalid date`));
    } else if (entry.expires < today) {
      problems.push(
        problem(
          `exceptions[${index}]`,
          `${nameOf(entry, index)} owned by ${entry.owner} expired on ${entry.expires}: fix the finding, or renew it with a new review`,
        ),
      );
    } else {
      active.push(entry);
    }
  });
  return { active, problems };
};

export interface AppliedExceptions {
  readonly findings: GateFinding[];
  readonly waived: WaivedFinding[];
}

/** Waives the findings an active exception names; an exception that waives nothing is a warning. */
export const applyExceptions = (
  findings: readonly GateFinding[],
  active: readonly RiskException[],
): AppliedExceptions => {
  const byId = new Map(active.map((entry) => [entry.id, entry]));
  const used = new Set<string>();
  const kept: GateFinding[] = [];
  const waived: WaivedFinding[] = [];
  for (const finding of findings) {
    const exception = finding.exceptionId ? byId.get(finding.exceptionId) : undefined;
    if (!exception) {
      kept.push(finding);
      continue;
    }
    used.add(exception.id);
    const { id, owner, reason, expires } = exception;
    waived.push({ ...finding, waivedBy: { id, owner, reason, expires } });
  }
  const unused = active
    .filter((entry) => !used.has(entry.id))
    .map(
      (entry): GateFinding => ({
        check: 'exceptions',
        policy: 'exceptions/unused',
        severity: 'warning',
        target: EXCEPTIONS_FILE,
        path: entry.id,
        message: `exception ${entry.id} (owner ${entry.owner}) matches no finding: remove it`,
        file: EXCEPTIONS_FILE,
      }),
    );
  return { findings: [...kept, ...unused], waived };
};
