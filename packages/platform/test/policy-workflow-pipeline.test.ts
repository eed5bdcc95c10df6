import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkPipeline } from '../src/policy/workflow-pipeline.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WORKFLOWS = join(REPO_ROOT, '.github/workflows');
/** The workflows as they were before issue 13: each defect must be a finding on them. */
const BEFORE = fileURLToPath(new URL('fixtures/workflows-before-13/', import.meta.url));

const findings = (dir: string, file: string) =>
  checkPipeline(file, readFileSync(join(dir, file), 'utf8')).map(
    (finding) => `${finding.policy} ${finding.path}`,
  );

describe('pipeline policy (workflows as GitHub runs them)', () => {
  it('passes every committed workflow', () => {
    for (const file of readdirSync(WORKFLOWS)) expect(findings(WORKFLOWS, file), file).toEqual([]);
  });

  it('finds every defect of issue 13 in the workflows as they were', () => {
    expect(findings(BEFORE, 'ci.yml')).toEqual([
      'workflow/build-ignores-deploy on.push',
      'workflow/sarif-upload-permissions jobs.gate.permissions',
      'workflow/sarif-upload-permissions jobs.gitleaks.permissions',
      'workflow/sarif-upload-permissions jobs.image.permissions',
      'workflow/trivy-sarif-severity jobs.image.steps[4]',
      'workflow/trivy-sarif-severity jobs.image.steps[6]',
      'workflow/trivy-config-scope jobs.image.steps[6]',
      'workflow/deprecated-action jobs.publish.steps[6]',
      'workflow/app-token-for-git-writes jobs.release.steps[4]',
    ]);
    expect(findings(BEFORE, 'promote.yml')).toEqual([
      'workflow/concurrency-per-environment concurrency',
      'workflow/concurrency-per-environment jobs.promote',
      'workflow/app-token-for-git-writes jobs.verify.steps[3]',
      'workflow/verify-passes-analysis jobs.verify.steps[3]',
      'workflow/app-token-for-git-writes jobs.promote.steps[4]',
    ]);
    expect(findings(BEFORE, 'rollback.yml')).toEqual([
      'workflow/app-token-for-git-writes jobs.rollback.steps[4]',
    ]);
    expect(findings(BEFORE, 'infra.yml')).toEqual(['workflow/concurrency-per-environment concurrency']);
  });
});

/**
 * Tools the verify job's tests spawn, and the apt package that brings each; the rest the ubuntu-24.04 runner
 * image has (git, tar, npm, kubectl) or a setup step installs (terraform).
 */
const APT_PACKAGE: Readonly<Record<string, string>> = {
  'lua5.1': 'lua5.1',
  promtool: 'prometheus',
  amtool: 'prometheus-alertmanager',
  // The runner image has both today (procps in the base, PostgreSQL's binaries baked in); installed explicitly so a
  // change of image cannot take them away (npm-start.test.ts spawns ps, app-login.test.ts psql).
  ps: 'procps',
  psql: 'postgresql-client',
  // On the runner image too; explicit for the same reason (synth-database-tls.test.ts makes certificates with it).
  openssl: 'openssl',
};
const ON_THE_RUNNER = new Set(['git', 'tar', 'npm', 'node', 'kubectl', 'terraform']);
/** The test projects the verify job runs (`--project links --project platform --project observability --project infra`). */
const VERIFIED = ['apps/links/test', 'packages/platform/test', 'observability/test', 'infra/test'];
const SPAWN = /\b(?:run|runTool|execFile|execFileSync|spawn|spawnSync)\(\s*'([a-z][\w.-]*)'/g;

const spawnedTools = (): Set<string> => {
  const tools = new Set<string>();
  for (const dir of VERIFIED) {
    for (const file of readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      for (const match of readFileSync(join(REPO_ROOT, dir, file), 'utf8').matchAll(SPAWN))
        tools.add(match[1] ?? '');
    }
  }
  return tools;
};

const aptPackages = (ci: string): string[] => {
  const verify = (parse(ci) as { jobs: { verify: { steps: { run?: string }[] } } }).jobs.verify;
  return verify.steps.flatMap((step) =>
    [...(step.run ?? '').matchAll(/apt-get install ([^\n&|;]+)/g)].flatMap((match) =>
      (match[1] ?? '').split(/\s+/).filter((word) => word !== '' && !word.startsWith('-')),
    ),
  );
};

const missing = (ci: string): string[] => {
  const installed = new Set(aptPackages(ci));
  return [...spawnedTools()]
    .filter((tool) => !ON_THE_RUNNER.has(tool))
    .filter((tool) => !installed.has(APT_PACKAGE[tool] ?? `<no apt package known for ${tool}>`))
    .sort();
};

describe('the verify job installs every tool its tests spawn (defect 1)', () => {
  it('sees the tools the tests spawn', () => {
    expect([...spawnedTools()].filter((tool) => tool in APT_PACKAGE).sort()).toEqual([
      'amtool',
      'lua5.1',
      'openssl',
      'promtool',
      'ps',
      'psql',
    ]);
  });

  it('installs them all in ci.yml', () => {
    expect(missing(readFileSync(join(WORKFLOWS, 'ci.yml'), 'utf8'))).toEqual([]);
  });

  it('finds lua5.1 missing from the verify job as it was', () => {
    expect(missing(readFileSync(join(BEFORE, 'ci.yml'), 'utf8'))).toEqual([
      'lua5.1',
      'openssl',
      'ps',
      'psql',
    ]);
  });
});
