import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { GateFinding, WaivedFinding } from '../src/gates/finding.js';
import { fromPolicyFinding } from '../src/gates/finding.js';
import { type GateReport, renderSummary, summarizeCheck } from '../src/gates/report.js';
import { toSarif } from '../src/gates/sarif.js';

const blocking: GateFinding = fromPolicyFinding(
  {
    policy: 'dockerfile/non-root-user',
    severity: 'error',
    target: 'Dockerfile',
    path: 'line 3',
    message: '"USER root" runs as root',
  },
  'Dockerfile',
);
const warning: GateFinding = {
  check: 'exceptions',
  policy: 'exceptions/unused',
  severity: 'warning',
  target: '.runway/exceptions.yaml',
  path: 'GHSA-x',
  message: 'matches no finding',
  file: '.runway/exceptions.yaml',
};
const waived: WaivedFinding = {
  check: 'licences',
  policy: 'licences/not-allowed',
  severity: 'error',
  target: 'lib@1.0.0',
  path: 'node_modules/lib',
  message: 'licence "LGPL-3.0-only" is not allowed',
  exceptionId: 'licence:lib@1.0.0',
  file: 'package-lock.json',
  waivedBy: {
    id: 'licence:lib@1.0.0',
    owner: '@legal',
    reason: 'dynamically linked, reviewed',
    expires: '2027-01-01',
  },
};

const report = (findings: GateFinding[]): GateReport => ({
  passed: !findings.some((finding) => finding.severity === 'error'),
  seconds: 4.2,
  checks: [summarizeCheck('policy', findings, 1.5, '1 Dockerfiles')],
  findings,
  waived: [waived],
  reports: ['reports/gate.json'],
});

describe('gate summary', () => {
  it('puts the verdict first, then each check, then findings grouped as blocking, warnings and waived', () => {
    const lines = renderSummary(report([blocking, warning])).split('\n');
    expect(lines[0]).toBe('runway gate: FAIL (1 blocking, 1 warnings, 1 waived) in 4.2 s');
    expect(lines[1]).toMatch(/^ {2}✗ policy +1 errors, 1 warnings +1\.5 s {2}1 Dockerfiles$/);
    expect(lines).toContain('Blocking:');
    expect(lines).toContain('  ✗ [Dockerfile] line 3: "USER root" runs as root (dockerfile/non-root-user)');
    expect(lines.at(-2)).toContain('by licence:lib@1.0.0 until 2027-01-01');
    expect(lines.at(-1)).toBe('Reports: reports/gate.json');
  });

  it('passes with warnings only', () => {
    expect(renderSummary(report([warning])).split('\n')[0]).toMatch(
      /^runway gate: PASS \(0 blocking, 1 warnings/,
    );
  });
});

const sarifSchema = JSON.parse(
  readFileSync(new URL('./fixtures/gate/schemas/sarif-2.1.0.json', import.meta.url), 'utf8'),
) as object;

describe('SARIF', () => {
  it('is valid SARIF 2.1.0 (OASIS schema, formats such as uri checked)', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    formats.default(ajv);
    const validate = ajv.compile(sarifSchema);
    const valid = validate(toSarif([blocking, warning], [waived], '0.1.0'));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('locates file findings by line and marks waived ones as externally suppressed', () => {
    const sarif = toSarif([blocking, warning], [waived], '0.1.0');
    const [run] = sarif.runs as {
      tool: { driver: { rules: { id: string }[] } };
      results: { ruleId: string; level: string; locations: unknown[]; suppressions?: unknown[] }[];
    }[];
    expect(run?.tool.driver.rules.map((rule) => rule.id)).toEqual([
      'dockerfile/non-root-user',
      'exceptions/unused',
      'licences/not-allowed',
    ]);
    expect(run?.results[0]).toMatchObject({
      ruleId: 'dockerfile/non-root-user',
      level: 'error',
      locations: [
        { physicalLocation: { artifactLocation: { uri: 'Dockerfile' }, region: { startLine: 3 } } },
      ],
    });
    expect(run?.results[0]?.suppressions).toBeUndefined();
    expect(run?.results[2]?.suppressions).toEqual([
      {
        kind: 'external',
        justification: 'licence:lib@1.0.0 (owner @legal, expires 2027-01-01): dynamically linked, reviewed',
      },
    ]);
  });
});
