import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGate } from '../src/gates/gate.js';
import type { GateReport } from '../src/gates/report.js';
import { type FakeRegistry, LODASH_ADVISORY, startFakeRegistry } from './fixtures/gate/fake-registry.js';
import { fakeSecrets } from './fixtures/gate/fake-secrets.js';
import { createTempRepo, type TempRepo } from './fixtures/gate/temp-repo.js';

const run = promisify(execFile);
const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/gate/vulnerable-project/', import.meta.url));
const RUNWAY = join(REPOSITORY, 'packages/platform/bin/runway.js');
const TODAY = '2026-11-23';

/** The vulnerable fixture's lockfile plus a GPL-only production dependency. */
const badLockfile = async (): Promise<string> => {
  const lock = JSON.parse(await readFile(join(FIXTURE, 'package-lock.json'), 'utf8'));
  lock.packages[''].dependencies['gpl-only'] = '1.0.0';
  lock.packages['node_modules/gpl-only'] = { version: '1.0.0', license: 'GPL-3.0-only' };
  return `${JSON.stringify(lock, null, 2)}\n`;
};

const BAD_WORKFLOW = `name: bad
on: [push]
permissions:
  contents: read
concurrency: bad
jobs:
  test:
    runs-on: ubuntu-24.04
    timeout-minutes: 5
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
`;

const PRIVILEGED_MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: links
  namespace: links-dev
spec:
  selector:
    matchLabels: { app: links }
  template:
    metadata:
      labels: { app: links }
    spec:
      containers:
        - name: links
          image: ghcr.io/acme/links:latest
          securityContext:
            privileged: true
`;

// One repository that breaks every check at once: the gate must report each and fail.
describe('runway gate on a repository that breaks every check', () => {
  let repo: TempRepo;
  let registry: FakeRegistry;
  let out: string;
  let report: GateReport;
  const secrets = fakeSecrets();

  beforeAll(async () => {
    repo = await createTempRepo();
    registry = await startFakeRegistry({
      advisories: { lodash: [LODASH_ADVISORY] },
      packuments: { lodash: ['4.17.20', '4.17.21'] },
    });
    out = await mkdtemp(join(tmpdir(), 'runway-gate-out-'));
    await repo.commit('leak', { 'old.env': `${secrets[1]?.line}\n` });
    await repo.git('rm', '-q', 'old.env');
    await repo.commit('bad project', {
      'package.json': await readFile(join(FIXTURE, 'package.json'), 'utf8'),
      'package-lock.json': await badLockfile(),
      '.runway/licences.yaml': 'allowed: [MIT]\n',
      '.runway/exceptions.yaml':
        'exceptions:\n  - id: GHSA-0000-0000-0000\n    reason: accepted last year\n    owner: "@team"\n    expires: 2025-01-31\n',
      Dockerfile: 'FROM node:24\nUSER root\nCMD ["node"]\n',
      '.github/workflows/ci.yml': BAD_WORKFLOW,
      'deploy/dev/deployment.yaml': PRIVILEGED_MANIFEST,
      'src/config.ts': `export const token = '${secrets[3]?.line}';\n`,
    });
    report = await runGate({
      root: repo.root,
      outDir: out,
      allHistory: false,
      auditRegistry: registry.url,
      auditUnavailableOk: false,
      today: TODAY,
    });
  }, 60_000);

  afterAll(async () => {
    await registry.close();
    await repo.remove();
    await rm(out, { recursive: true, force: true });
  });

  it('fails, with blocking findings from every check', () => {
    expect(report.passed).toBe(false);
    const failing = report.checks.filter((check) => check.errors > 0).map((check) => check.name);
    expect(failing.sort()).toEqual(['dependencies', 'exceptions', 'licences', 'policy', 'secrets']);
  });

  it.each([
    ['a secret in a file', 'secret/github-token', 'src/config.ts'],
    ['a secret in a past commit', 'secret/aws-access-key-id', 'old.env@'],
    ['a vulnerable dependency with a fix', 'dependencies/high', 'lodash <4.17.21'],
    ['an expired exception', 'exceptions/valid', '.runway/exceptions.yaml'],
    ['a GPL-only dependency', 'licences/not-allowed', 'gpl-only@1.0.0'],
    ['a root Dockerfile', 'dockerfile/non-root-user', 'Dockerfile'],
    ['an unpinned base image', 'dockerfile/base-pinned-by-digest', 'Dockerfile'],
    ['an unpinned action', 'workflow/action-pinned', '.github/workflows/ci.yml'],
    ['a privileged manifest', 'pod/restricted', 'links-dev/Deployment/links'],
  ])('blocks %s', (_name, policy, target) => {
    const hit = report.findings.find(
      (finding) => finding.policy === policy && finding.target.startsWith(target),
    );
    expect(hit?.severity).toBe('error');
  });

  it('asked the advisory endpoint about exactly the locked packages', () => {
    const bulk = registry.requests.find((request) => request.url === '/-/npm/v1/security/advisories/bulk');
    expect(bulk?.body).toEqual({ lodash: ['4.17.20'], 'gpl-only': ['1.0.0'] });
  });

  it('writes the JSON report, a SARIF 2.1.0 log and a CycloneDX SBOM', async () => {
    const json = JSON.parse(await readFile(join(out, 'gate.json'), 'utf8'));
    expect(json.passed).toBe(false);
    expect(json.findings).toHaveLength(report.findings.length);
    const sarif = JSON.parse(await readFile(join(out, 'gate.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0].results as { ruleId: string; level: string; locations: unknown[] }[];
    expect(results).toHaveLength(report.findings.length);
    expect(results.find((result) => result.ruleId === 'dockerfile/non-root-user')?.locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: 'Dockerfile' }, region: { startLine: 2 } } },
    ]);
    const rules = sarif.runs[0].tool.driver.rules.map((rule: { id: string }) => rule.id);
    expect(new Set(results.map((result) => result.ruleId))).toEqual(new Set(rules));
    const sbom = JSON.parse(await readFile(join(out, 'sbom-vulnerable-fixture.cdx.json'), 'utf8'));
    expect(sbom.bomFormat).toBe('CycloneDX');
    expect(sbom.components.map((component: { name: string }) => component.name)).toContain('lodash');
  });

  it('exits non-zero from the CLI with a summary naming the failure', async () => {
    const result = await run(
      process.execPath,
      [RUNWAY, 'gate', '--root', repo.root, '--out', out, '--audit-registry', registry.url],
      { cwd: repo.root },
    ).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^runway gate: FAIL \(\d+ blocking/);
    expect(result.stdout).toContain('expired on 2025-01-31');
  }, 60_000);
});

describe('runway gate outside a git repository', () => {
  it('refuses with a clear error instead of scanning nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runway-gate-nogit-'));
    try {
      const options = {
        root: dir,
        outDir: join(dir, 'reports'),
        allHistory: false,
        auditUnavailableOk: true,
        today: TODAY,
      };
      await expect(runGate(options)).rejects.toMatchObject({
        code: 'GATE_NOT_A_REPOSITORY',
        message: `${dir} is not a git repository`,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('runway gate on this repository', () => {
  it('passes clean: no false positive from any check', async () => {
    const registry = await startFakeRegistry({ advisories: {} });
    const out = await mkdtemp(join(tmpdir(), 'runway-gate-repo-'));
    try {
      const report = await runGate({
        root: REPOSITORY,
        outDir: out,
        allHistory: true,
        auditRegistry: registry.url,
        auditUnavailableOk: false,
        today: new Date().toISOString().slice(0, 10),
      });
      expect(report.findings.filter((finding) => finding.severity === 'error')).toEqual([]);
      expect(report.passed).toBe(true);
    } finally {
      await registry.close();
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);
});
