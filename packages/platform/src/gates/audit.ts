import { execFile } from 'node:child_process';
import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { AUDIT_SKIP_FLAG } from '../policy/workflow.js';
import type { GateFinding } from './finding.js';

/**
 * Known vulnerabilities from `npm audit --json` (npm's bulk advisory endpoint). HIGH and CRITICAL block: with
 * a fix, always (upgrade); without one, unless an exception accepts the advisory by its GHSA id. Lower
 * severities are warnings. An audit that cannot run is itself a blocking finding: no answer is not "clean".
 */
const Advisory = Type.Object({
  source: Type.Union([Type.Number(), Type.String()]),
  name: Type.String(),
  title: Type.String(),
  url: Type.String(),
  severity: Type.String(),
  range: Type.String(),
});

const Vulnerability = Type.Object({
  name: Type.String(),
  severity: Type.String(),
  via: Type.Array(Type.Union([Type.String(), Advisory])),
  fixAvailable: Type.Union([
    Type.Boolean(),
    Type.Object({ name: Type.String(), version: Type.String(), isSemVerMajor: Type.Boolean() }),
  ]),
});

export const AuditReport = Type.Object({
  auditReportVersion: Type.Literal(2),
  vulnerabilities: Type.Record(Type.String(), Vulnerability),
});
export type AuditReport = Static<typeof AuditReport>;

const checkReport = Compile(AuditReport);
const BLOCKING = new Set(['high', 'critical']);

const advisoryId = (advisory: Static<typeof Advisory>): string =>
  /GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/.exec(advisory.url)?.[0] ?? `npm-advisory-${advisory.source}`;

const fixText = (fix: Exclude<Static<typeof Vulnerability>['fixAvailable'], false>): string =>
  fix === true
    ? 'a fix is available: run "npm audit fix"'
    : `a fix is available: upgrade ${fix.name} to ${fix.version}${fix.isSemVerMajor ? ' (semver-major)' : ''}`;

/**
 * `tolerated` is --audit-unavailable-ok, for a machine whose registry refuses the advisory endpoint: the
 * finding stays in every report, as a warning.
 */
const unavailableFinding = (reason: string, tolerated: boolean, lockfile: string): GateFinding => ({
  check: 'dependencies',
  policy: 'dependencies/audit-unavailable',
  severity: tolerated ? 'warning' : 'error',
  target: 'npm audit',
  path: '-',
  file: lockfile,
  message: `the dependency audit could not run (${reason}): vulnerabilities were NOT checked${
    tolerated
      ? ` (${AUDIT_SKIP_FLAG})`
      : `; where the advisory endpoint is unreachable, ${AUDIT_SKIP_FLAG} makes this a warning (never in CI)`
  }`,
});

/** Pure: npm's JSON output in, findings out. */
export const auditFindings = (
  output: string,
  lockfile: string,
  toleratesUnavailable = false,
): GateFinding[] => {
  let data: unknown;
  try {
    data = JSON.parse(output);
  } catch {
    return [unavailableFinding('npm audit printed no JSON', toleratesUnavailable, lockfile)];
  }
  if (!checkReport.Check(data)) {
    const message = (data as { message?: unknown; error?: { summary?: unknown } } | null) ?? {};
    const reason = String(message.message ?? message.error?.summary ?? 'unexpected output').split('\n')[0];
    return [unavailableFinding(reason ?? 'unexpected output', toleratesUnavailable, lockfile)];
  }
  const findings = new Map<string, GateFinding>();
  for (const vulnerability of Object.values(data.vulnerabilities)) {
    for (const advisory of vulnerability.via) {
      if (typeof advisory === 'string') continue;
      const id = advisoryId(advisory);
      const key = `${id}|${advisory.name}`;
      const blocking = BLOCKING.has(advisory.severity);
      const fix = vulnerability.fixAvailable;
      const base = {
        check: 'dependencies',
        policy: `dependencies/${advisory.severity}`,
        target: `${advisory.name} ${advisory.range}`,
        path: id,
        file: lockfile,
      } as const;
      findings.set(
        key,
        fix !== false
          ? {
              ...base,
              severity: blocking ? 'error' : 'warning',
              message: `${advisory.severity.toUpperCase()} ${id} in ${advisory.name} (${advisory.title}): ${fixText(fix)}`,
            }
          : {
              ...base,
              severity: blocking ? 'error' : 'warning',
              message: `${advisory.severity.toUpperCase()} ${id} in ${advisory.name} (${advisory.title}): no fix exists; accept it in .runway/exceptions.yaml with id ${id} or drop the dependency`,
              exceptionId: id,
            },
      );
    }
  }
  return [...findings.values()];
};

export interface AuditOptions {
  readonly root: string;
  /** The registry npm asks for advisories; npm's default when absent. */
  readonly registry?: string;
}

/** Runs `npm audit --json`; npm exits non-zero when it finds something, so the exit code is not the verdict. */
export const runNpmAudit = ({ root, registry }: AuditOptions): Promise<string> =>
  new Promise((resolve) => {
    const args = ['audit', '--json', '--audit=true', ...(registry ? ['--registry', registry] : [])];
    execFile('npm', args, { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (_error, stdout) => resolve(stdout));
  });
