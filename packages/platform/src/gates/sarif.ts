import type { GateFinding, WaivedFinding } from './finding.js';

/**
 * SARIF 2.1.0, the format GitHub code scanning reads: one run, one rule per policy id, one result per
 * finding; waived findings carry an external suppression naming the exception, so they show but do not alert.
 */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly unknown[];
}

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const location = (finding: GateFinding) => ({
  physicalLocation: {
    artifactLocation: { uri: finding.file },
    ...(finding.line ? { region: { startLine: finding.line } } : {}),
  },
});

const result = (finding: GateFinding | WaivedFinding) => ({
  ruleId: finding.policy,
  level: finding.severity,
  message: { text: `[${finding.target}] ${finding.path}: ${finding.message}` },
  locations: [location(finding)],
  ...('waivedBy' in finding
    ? {
        suppressions: [
          {
            kind: 'external',
            justification: `${finding.waivedBy.id} (owner ${finding.waivedBy.owner}, expires ${finding.waivedBy.expires}): ${finding.waivedBy.reason}`,
          },
        ],
      }
    : {}),
});

export const toSarif = (
  findings: readonly GateFinding[],
  waived: readonly WaivedFinding[],
  version: string,
): SarifLog => {
  const all = [...findings, ...waived];
  const policies = [...new Set(all.map((finding) => finding.policy))].sort();
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'runway gate',
            version,
            rules: policies.map((id) => ({ id, shortDescription: { text: id } })),
          },
        },
        results: all.map(result),
      },
    ],
  };
};
