import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFiles, verifyObjects } from '../src/synth/render.js';
import { checkDeploy, writeDeploy } from '../src/synth/write.js';
import { fixtureInputs } from './synth-fixtures.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const run = promisify(execFile);

describe('golden output', () => {
  it('renders dev exactly as reviewed', async () => {
    const files = renderFiles(fixtureInputs());
    const dev = [...files].filter(([path]) => path.startsWith('deploy/envs/dev/'));
    const text = dev.map(([path, yaml]) => `### ${path}\n${yaml}`).join('\n');
    await expect(text).toMatchFileSnapshot('__snapshots__/synth-dev.golden.yaml');
  });
});

describe('synth refuses what fails a check', () => {
  it('reports schema and policy findings together, each with its object and path', async () => {
    const findings = await verifyObjects([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'x', namespace: 'n' },
        spec: { template: { spec: { containers: [{ name: 'x', image: 'nginx:latest' }] } } },
      },
    ]);
    expect(findings.map((finding) => finding.policy)).toEqual(
      expect.arrayContaining([
        'schema/valid',
        'pod/restricted',
        'pod/resources',
        'pod/probes',
        'pod/image-digest',
      ]),
    );
    expect(findings.every((finding) => finding.target === 'n/Deployment/x')).toBe(true);
  });
});

describe('determinism and drift', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'runway-synth-'));
    await cp(join(REPO_ROOT, 'deploy', 'releases'), join(root, 'deploy', 'releases'), { recursive: true });
    await cp(join(REPO_ROOT, 'deploy-inputs'), join(root, 'deploy-inputs'), { recursive: true });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('renders byte-identical output from the same inputs', () => {
    const first = renderFiles(fixtureInputs());
    const second = renderFiles(fixtureInputs());
    expect([...second]).toEqual([...first]);
    expect([...first.keys()]).toEqual([...first.keys()].sort((a, b) => a.localeCompare(b)));
  });

  it('writes deploy/ once; a second run changes nothing and the check passes', async () => {
    const first = await writeDeploy(root);
    expect(first.changed.length).toBeGreaterThan(90);
    expect((await writeDeploy(root)).changed).toEqual([]);
    expect((await checkDeploy(root)).stale).toEqual([]);
  });

  it('reports an edited file and a file synth no longer renders as stale, and synth repairs both', async () => {
    const edited = 'deploy/envs/prod/app/rollout-links.yaml';
    const orphan = 'deploy/envs/prod/app/deployment-old.yaml';
    await writeFile(join(root, edited), `${await readFile(join(root, edited), 'utf8')}# hand edit\n`);
    await writeFile(join(root, orphan), 'kind: Deployment\n');
    expect((await checkDeploy(root)).stale).toEqual([edited, orphan]);
    expect((await writeDeploy(root)).changed).toEqual([edited, orphan]);
    expect((await checkDeploy(root)).stale).toEqual([]);
  });

  it('refuses an invalid release pointer, naming the file and the field', async () => {
    const path = join(root, 'deploy', 'releases', 'staging.json');
    const original = await readFile(path, 'utf8');
    await writeFile(path, original.replace(/"digest": "sha256:[0-9a-f]+"/, '"digest": "latest"'));
    await expect(writeDeploy(root)).rejects.toThrow(
      /deploy\/releases\/staging\.json does not match its schema: \/digest/,
    );
    await writeFile(path, original);
  });

  it('`runway synth --check` exits 1, names the stale file and the command to run', async () => {
    const stale = 'deploy/envs/dev/app/service-links.yaml';
    await writeFile(join(root, stale), 'drift\n');
    const failure = await run(
      process.execPath,
      [join(REPO_ROOT, 'packages/platform/bin/runway.js'), 'synth', '--check'],
      {
        cwd: root,
      },
    ).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(stale);
    expect(failure?.stderr).toContain('npx runway synth');
  });
});

describe('`runway synth --check --for-cluster`', () => {
  const synthCheck = (cluster: string) =>
    run(
      process.execPath,
      [join(REPO_ROOT, 'packages/platform/bin/runway.js'), 'synth', '--check', '--for-cluster', cluster],
      {
        cwd: REPO_ROOT,
      },
    ).then(
      ({ stdout }) => ({ code: 0, out: stdout }),
      (error: { code: number; stderr: string }) => ({ code: error.code, out: error.stderr }),
    );

  it("refuses this repository's placeholder prod inputs, listing each; passes kind; names the clusters", async () => {
    const prod = await synthCheck('prod');
    expect(prod.code).toBe(1);
    expect(prod.out).toMatch(/^runway: prod is not ready to apply: \d+ input\(s\) still to set:/);
    expect(prod.out).toContain('deploy-inputs/rds-ca.pem is missing');
    expect(await synthCheck('kind')).toEqual({ code: 0, out: 'deploy/ is up to date\n' });
    const unknown = await synthCheck('staging');
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('no cluster named staging');
  });
});
