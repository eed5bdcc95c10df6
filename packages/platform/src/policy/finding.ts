/** What every policy returns: pure data, so checks compose and reports (terminal, JSON, SARIF) are rendered elsewhere. */
export type Severity = 'error' | 'warning';

export interface Finding {
  /** Stable policy id, e.g. `pod/run-as-non-root`. */
  readonly policy: string;
  readonly severity: Severity;
  /** What was checked, e.g. `links-prod/Rollout/links` or `apps/links/Dockerfile`. */
  readonly target: string;
  /** Where inside the target, e.g. `spec.template.spec.containers[0].resources.limits.memory` or `line 12`. */
  readonly path: string;
  readonly message: string;
}

export const formatFinding = (finding: Finding): string =>
  `[${finding.target}] ${finding.path}: ${finding.message} (${finding.policy})`;
