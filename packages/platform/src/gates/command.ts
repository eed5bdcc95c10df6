import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RunwayError } from '../errors.js';
import { AUDIT_SKIP_FLAG } from '../policy/workflow.js';
import type { CheckName } from './finding.js';
import { runGate } from './gate.js';
import { renderSummary } from './report.js';

interface GateFlags {
  readonly root: string;
  readonly out?: string;
  readonly allHistory?: boolean;
  readonly auditRegistry?: string;
  readonly auditUnavailableOk?: boolean;
  readonly only?: string;
}

const CHECKS: readonly CheckName[] = ['secrets', 'dependencies', 'sbom', 'licences', 'policy'];

const parseOnly = (value: string | undefined): CheckName[] | undefined => {
  if (value === undefined) return undefined;
  const names = value.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !CHECKS.includes(name as CheckName));
  if (unknown.length > 0) {
    throw new RunwayError(
      'GATE_UNKNOWN_CHECK',
      `unknown check ${unknown.join(', ')}`,
      `--only takes a comma-separated list of ${CHECKS.join(', ')}`,
    );
  }
  return names as CheckName[];
};

export const registerGateCommand = (program: Command): void => {
  program
    .command('gate')
    .description(
      'Secrets (tree + history), dependency audit, exceptions, SBOM, licences and Dockerfile/workflow policy: one verdict; exits 1 on any blocking finding',
    )
    .option('--root <dir>', 'repository root', process.cwd())
    .option('--out <dir>', 'where gate.json, gate.sarif and the SBOMs go (default: <root>/reports)')
    .option(
      '--all-history',
      'scan every commit of every ref for secrets, not only those missing from origin/main',
    )
    .option('--audit-registry <url>', 'registry npm audit asks for advisories')
    .option(
      '--only <checks>',
      `run only these checks, comma-separated (${CHECKS.join(', ')}): a partial verdict for local runs and the corpus test, never CI's`,
    )
    .option(
      AUDIT_SKIP_FLAG,
      'where the advisory endpoint is unreachable: report "audit not run" as a warning instead of failing (never in CI)',
    )
    .action(async (flags: GateFlags) => {
      const root = resolve(flags.root);
      const report = await runGate({
        root,
        outDir: resolve(flags.out ?? resolve(root, 'reports')),
        allHistory: flags.allHistory ?? false,
        auditRegistry: flags.auditRegistry,
        auditUnavailableOk: flags.auditUnavailableOk ?? false,
        today: new Date().toISOString().slice(0, 10),
        only: parseOnly(flags.only),
      });
      console.log(renderSummary(report));
      if (!report.passed) process.exitCode = 1;
    });
};
