import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFiles } from '../src/synth/render.js';
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
