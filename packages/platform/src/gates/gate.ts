import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { RunwayError } from '../errors.js';
import { auditFindings, runNpmAudit } from './audit.js';
import { applyExceptions, EXCEPTIONS_FILE, parseExceptions } from './exceptions.js';
import type { CheckName, GateFinding } from './finding.js';
import { isBlocking } from './finding.js';
import { git } from './git.js';
import {
  LICENCES_FILE,
  licenceFindings,
  parseLicencePolicy,
  parseLockfile,
  productionPackages,
} from './licences.js';
import { checkPolicies } from './policies.js';
import { type CheckOutcome, type CheckSummary, type GateReport, summarizeCheck } from './report.js';
import { toSarif } from './sarif.js';
import { writeSbom } from './sbom.js';
import { checkSecrets } from './secrets/check.js';

export interface GateOptions {
  /** Repository root: the gate reads its git history, lockfile, .runway/ config and policy targets. */
  readonly root: string;
  readonly outDir: string;
  readonly allHistory: boolean;
  /** Registry npm audit asks for advisories (a loopback fake in tests); npm's configured one when absent. */
  readonly auditRegistry?: string;
  /** Turns "the audit could not run" from blocking into a loud warning; for machines without the endpoint. */
  readonly auditUnavailableOk: boolean;
  /** ISO date exceptions are compared with. */
  readonly today: string;
  /** Run only these checks (exceptions always apply); all when absent. For focused runs, never for CI's verdict. */
  readonly only?: readonly CheckName[];
}

const LOCKFILE = 'package-lock.json';
const { version: RUNWAY_VERSION } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

const readOptional = async (path: string): Promise<string | undefined> =>
  existsSync(path) ? readFile(path, 'utf8') : undefined;

const configProblem = (check: CheckName, file: string, message: string): GateFinding => ({
  check,
  policy: `${check}/config`,
  severity: 'error',
  target: file,
  path: '/',
  message,
  file,
});

interface Service {
  /** Lockfile key of the service package: '' for a single-package project, else its workspace path. */
  readonly key: string;
  readonly workspace: string | undefined;
  readonly label: string;
}

/** Services are the workspaces under apps/; a project without workspaces is one service. */
const servicesOf = (lockfile: Exclude<ReturnType<typeof parseLockfile>, string>): Service[] => {
  const apps = Object.entries(lockfile.packages).filter(([key]) => /^apps\/[^/]+$/.test(key));
  if (apps.length === 0)
    return [{ key: '', workspace: undefined, label: lockfile.packages['']?.name ?? 'root' }];
  return apps.map(([key, entry]) => ({ key, workspace: entry.name, label: basename(key) }));
};

/**
 * A check that throws (a scanner's bug, a WASM abort, a missing tool) yields a blocking finding instead of
 * taking the verdict and the reports with it: an unjudged change is not a passed one.
 */
export const crashFinding = (check: CheckName, error: unknown): GateFinding => ({
  check,
  policy: `${check}/crashed`,
  severity: 'error',
  target: check,
  path: '/',
  message: `the ${check} check crashed (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): nothing it covers was judged; rerun, and report the crash if it persists`,
  file: '.',
});

const timed = async (name: CheckName, work: () => Promise<CheckOutcome>) => {
  const started = performance.now();
  const outcome = await work().catch(
    (error: unknown): CheckOutcome => ({ findings: [crashFinding(name, error)], scope: 'crashed' }),
  );
  return { name, ...outcome, seconds: (performance.now() - started) / 1000 };
};

const dependencyChecks = async (options: GateOptions) => {
  const lockText = await readOptional(join(options.root, LOCKFILE));
  if (lockText === undefined) {
    const missing = configProblem(
      'dependencies',
      LOCKFILE,
      'no package-lock.json: dependencies cannot be audited',
    );
    return {
      sboms: [],
      checks: [timed('dependencies', async () => ({ findings: [missing], scope: LOCKFILE }))],
    };
  }
  const lockfile = parseLockfile(lockText);
  if (typeof lockfile === 'string') {
    return {
      sboms: [],
      checks: [
        timed('dependencies', async () => ({
          findings: [configProblem('dependencies', LOCKFILE, lockfile)],
          scope: LOCKFILE,
        })),
      ],
    };
  }
  const services = servicesOf(lockfile);
  const sboms = services.map((service) => join(options.outDir, `sbom-${service.label}.cdx.json`));
  const audit = timed('dependencies', async () => ({
    findings: auditFindings(
      await runNpmAudit({ root: options.root, registry: options.auditRegistry }),
      LOCKFILE,
      options.auditUnavailableOk,
    ),
    scope: `npm audit of ${LOCKFILE} (${options.auditRegistry ?? "npm's configured registry"})`,
  }));
  const sbom = timed('sbom', async () => ({
    findings: (
      await Promise.all(
        services.map((service, index) =>
          writeSbom({ root: options.root, workspace: service.workspace, outputFile: sboms[index] ?? '' }),
        ),
      )
    ).flat(),
    scope: `CycloneDX of the production dependencies of ${services.map((service) => service.label).join(', ')}`,
  }));
  const licences = timed('licences', async () => {
    const policyText = await readOptional(join(options.root, LICENCES_FILE));
    const allowed = policyText === undefined ? 'no licence allowlist' : parseLicencePolicy(policyText);
    if (typeof allowed === 'string') {
      return { findings: [configProblem('licences', LICENCES_FILE, allowed)], scope: LICENCES_FILE };
    }
    // Services share packages; each is checked once.
    const packages = [
      ...new Map(
        services
          .flatMap((service) => productionPackages(lockfile, service.key))
          .map((pkg) => [pkg.location, pkg]),
      ).values(),
    ];
    return {
      findings: licenceFindings(packages, allowed, LOCKFILE),
      scope: `${packages.length} production packages against ${LICENCES_FILE}`,
    };
  });
  return { sboms, checks: [audit, sbom, licences] };
};

/** Runs every check (concurrently: the slow ones are subprocesses), applies exceptions, writes the reports. */
export const runGate = async (options: GateOptions): Promise<GateReport> => {
  const started = performance.now();
  await git(options.root, ['rev-parse', '--is-inside-work-tree']).catch(() => {
    throw new RunwayError(
      'GATE_NOT_A_REPOSITORY',
      `${options.root} is not a git repository`,
      'runway gate scans tracked files and git history: run it in the repository, or pass --root <repository>',
    );
  });
  await mkdir(options.outDir, { recursive: true });
  const runs = (check: CheckName) => options.only === undefined || options.only.includes(check);
  const dependencies = ['dependencies', 'sbom', 'licences'].some((check) => runs(check as CheckName))
    ? await dependencyChecks(options).catch((error: unknown) => ({
        sboms: [] as string[],
        checks: [timed('dependencies', () => Promise.reject(error))],
      }))
    : { sboms: [], checks: [] };
  const results = await Promise.all([
    ...(runs('secrets')
      ? [timed('secrets', () => checkSecrets({ root: options.root, allHistory: options.allHistory }))]
      : []),
    ...dependencies.checks,
    ...(runs('policy') ? [timed('policy', () => checkPolicies(options.root))] : []),
  ]);
  const exceptions = parseExceptions(await readOptional(join(options.root, EXCEPTIONS_FILE)), options.today);
  const applied = applyExceptions(
    results.flatMap((result) => result.findings),
    exceptions.active,
  );
  const findings = [...exceptions.problems, ...applied.findings];
  const checks: CheckSummary[] = [
    ...results.map((result) =>
      summarizeCheck(
        result.name,
        findings.filter((finding) => finding.check === result.name),
        result.seconds,
        result.scope,
      ),
    ),
    summarizeCheck(
      'exceptions',
      findings.filter((finding) => finding.check === 'exceptions'),
      0,
      `${exceptions.active.length} active in ${EXCEPTIONS_FILE}`,
    ),
  ];
  const jsonPath = join(options.outDir, 'gate.json');
  const sarifPath = join(options.outDir, 'gate.sarif');
  const report: GateReport = {
    passed: !findings.some(isBlocking),
    seconds: (performance.now() - started) / 1000,
    checks,
    findings,
    waived: applied.waived,
    reports: [jsonPath, sarifPath, ...dependencies.sboms].map(
      (path) => relative(process.cwd(), path) || path,
    ),
  };
  await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(
    sarifPath,
    `${JSON.stringify(toSarif(findings, applied.waived, RUNWAY_VERSION), null, 2)}\n`,
  );
  return report;
};
