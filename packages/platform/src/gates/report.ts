import type { CheckName, GateFinding, WaivedFinding } from './finding.js';
import { isBlocking } from './finding.js';

/** The gate's verdict as data: what the terminal summary, gate.json and gate.sarif are rendered from. */
export interface CheckSummary {
  readonly name: CheckName;
  readonly seconds: number;
  readonly errors: number;
  readonly warnings: number;
  /** What the check looked at, e.g. "406 tracked files; history HEAD: 212 file versions". */
  readonly scope: string;
}

/** What a check found and what it looked at. */
export interface CheckOutcome {
  readonly findings: GateFinding[];
  readonly scope: string;
}

export interface GateReport {
  readonly passed: boolean;
  readonly seconds: number;
  readonly checks: readonly CheckSummary[];
  readonly findings: readonly GateFinding[];
  readonly waived: readonly WaivedFinding[];
  readonly reports: readonly string[];
}

export const summarizeCheck = (
  name: CheckName,
  findings: readonly GateFinding[],
  seconds: number,
  scope: string,
): CheckSummary => ({
  name,
  seconds,
  scope,
  errors: findings.filter(isBlocking).length,
  warnings: findings.filter((finding) => !isBlocking(finding)).length,
});

const line = (mark: string, finding: GateFinding): string =>
  `  ${mark} [${finding.target}] ${finding.path}: ${finding.message} (${finding.policy})`;

/** The human summary: the verdict first, then each check, then every finding grouped by what it means. */
export const renderSummary = (report: GateReport): string => {
  const blocking = report.findings.filter(isBlocking);
  const warnings = report.findings.filter((finding) => !isBlocking(finding));
  const out = [
    `runway gate: ${report.passed ? 'PASS' : 'FAIL'} (${blocking.length} blocking, ${warnings.length} warnings, ${report.waived.length} waived) in ${report.seconds.toFixed(1)} s`,
    ...report.checks.map(
      (check) =>
        `  ${check.errors ? '✗' : '✓'} ${check.name.padEnd(13)} ${`${check.errors} errors, ${check.warnings} warnings`.padEnd(24)} ${`${check.seconds.toFixed(1)} s`.padStart(6)}  ${check.scope}`,
    ),
  ];
  if (blocking.length) out.push('Blocking:', ...blocking.map((finding) => line('✗', finding)));
  if (warnings.length) out.push('Warnings:', ...warnings.map((finding) => line('!', finding)));
  if (report.waived.length) {
    out.push(
      'Waived by .runway/exceptions.yaml:',
      ...report.waived.map(
        (finding) => `${line('~', finding)} by ${finding.waivedBy.id} until ${finding.waivedBy.expires}`,
      ),
    );
  }
  out.push(`Reports: ${report.reports.join(', ')}`);
  return out.join('\n');
};
