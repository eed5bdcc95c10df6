import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { snapshotPaths, takeSnapshot } from '../src/cluster/snapshot.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const RELEASED = `ghcr.io/acme/links@sha256:${'1'.repeat(64)}`;

const FILES: Record<string, string> = {
  'deploy/clusters/kind/root/application-root.yaml':
    'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: root\n  namespace: argocd\nspec:\n  source:\n    repoURL: https://github.com/acme/runway.git\n    targetRevision: main\n    path: deploy/clusters/kind/apps\n',
  'deploy/clusters/kind/argocd/configmap-argocd-cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  timeout.reconciliation: 60s\n',
  'deploy/envs/dev/app/rollout-links.yaml': `kind: Rollout\nspec:\n  template:\n    spec:\n      containers:\n        - image: ${RELEASED}\n`,
  'deploy/releases/dev.json': `${JSON.stringify({
    env: 'dev',
    image: 'ghcr.io/acme/links',
    digest: `sha256:${'1'.repeat(64)}`,
    gitSha: '1'.repeat(40),
    releasedAt: '2026-11-23T00:00:00.000Z',
    releasedBy: 'bootstrap',
    promotedFrom: null,
    verifiedAt: null,
    rejected: [],
  })}\n`,
  'README.md': 'untouched\n',
};

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Dev',
      GIT_AUTHOR_EMAIL: 'dev@example.test',
      GIT_COMMITTER_NAME: 'Dev',
      GIT_COMMITTER_EMAIL: 'dev@example.test',
      GIT_AUTHOR_DATE: '2026-11-23T09:00:00Z',
      GIT_COMMITTER_DATE: '2026-11-23T09:00:00Z',
    },
  }).trim();

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

let work: string;
let source: string;
let stateDir: string;
let head: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'runway-snapshot-'));
  source = join(work, 'source');
  stateDir = join(work, 'state');
  for (const [path, content] of Object.entries(FILES)) {
    await mkdir(dirname(join(source, path)), { recursive: true });
    await writeFile(join(source, path), content);
  }
  git(source, 'init', '-q', '-b', 'main');
  git(source, 'add', '.');
  git(source, 'commit', '-q', '-m', 'platform');
  head = git(source, 'rev-parse', 'HEAD');
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('takeSnapshot (real git)', () => {
  const options = () => ({
    root: source,
    revision: 'HEAD',
    digest: DIGEST,
    gitUrl: 'git://172.18.0.5/runway.git',
    stateDir,
  });

  it('adds one local commit on top of the chosen commit, with dev on the local build', async () => {
    const result = await takeSnapshot(options());
    const gitDir = snapshotPaths(stateDir).gitDir;
    expect(git(source, '--git-dir', gitDir, 'rev-parse', 'local')).toBe(result.commit);
    expect(git(source, '--git-dir', gitDir, 'rev-parse', 'local^')).toBe(head);
    expect(result.changed).toEqual([
      'deploy/clusters/kind/root/application-root.yaml',
      'deploy/envs/dev/app/rollout-links.yaml',
      'deploy/releases/dev.json',
    ]);
    expect(
      git(source, '--git-dir', gitDir, 'show', 'local:deploy/envs/dev/app/rollout-links.yaml'),
    ).toContain(`localhost:5001/links@${DIGEST}`);
    expect(
      JSON.parse(git(source, '--git-dir', gitDir, 'show', 'local:deploy/releases/dev.json')),
    ).toMatchObject({ digest: DIGEST, gitSha: head });
    expect(git(source, '--git-dir', gitDir, 'show', 'local:README.md')).toBe('untouched');
  });

  it('leaves the working copy alone: no change, no new branch, same HEAD', async () => {
    await takeSnapshot(options());
    expect(git(source, 'status', '--porcelain')).toBe('');
    expect(git(source, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(source, 'branch', '--format=%(refname:short)')).toBe('main');
  });

  it('gives the same commit for the same inputs, so a rerun changes nothing in the cluster', async () => {
    const first = await takeSnapshot(options());
    const second = await takeSnapshot(options());
    expect(second.commit).toBe(first.commit);
  });

  it('writes the localized bootstrap for kubectl apply', async () => {
    await takeSnapshot(options());
    const root = parse(
      await readFile(join(snapshotPaths(stateDir).bootstrapDir, 'application-root.yaml'), 'utf8'),
    );
    expect(root.spec.source).toMatchObject({
      repoURL: 'git://172.18.0.5/runway.git',
      targetRevision: 'local',
    });
    expect(
      await readFile(join(snapshotPaths(stateDir).bootstrapDir, 'configmap-argocd-cm.yaml'), 'utf8'),
    ).toContain('timeout.reconciliation: 60s');
  });

  it('takes the platform from a repository URL with --repo', async () => {
    const other = join(work, 'state-from-url');
    const result = await takeSnapshot({
      ...options(),
      repo: `file://${source}`,
      revision: 'main',
      stateDir: other,
    });
    expect(git(source, '--git-dir', snapshotPaths(other).gitDir, 'rev-parse', 'local^')).toBe(head);
    expect(result.changed).toHaveLength(3);
  });

  it('fails with the git error when the revision does not exist', async () => {
    await expect(takeSnapshot({ ...options(), revision: 'no-such-branch' })).rejects.toThrow(
      /git push .* failed: .*no-such-branch/s,
    );
  });
});

describe('the snapshot over git:// (what Argo CD reads), served by a real git daemon', () => {
  let daemon: ChildProcess | undefined;

  afterAll(() => {
    daemon?.kill('SIGTERM');
  });

  it('advertises the local branch at the snapshot commit', async () => {
    const { commit } = await takeSnapshot({
      root: source,
      revision: 'HEAD',
      digest: DIGEST,
      gitUrl: 'git://127.0.0.1/runway.git',
      stateDir,
    });
    const port = await freePort();
    const base = join(stateDir, 'git');
    daemon = spawn(
      'git',
      [
        'daemon',
        '--reuseaddr',
        '--export-all',
        `--base-path=${base}`,
        '--listen=127.0.0.1',
        `--port=${port}`,
        base,
      ],
      {
        stdio: 'ignore',
      },
    );
    let refs = '';
    for (let attempt = 0; attempt < 50 && !refs.includes('refs/heads/local'); attempt += 1) {
      try {
        refs = execFileSync('git', ['ls-remote', `git://127.0.0.1:${port}/runway.git`], {
          encoding: 'utf8',
          timeout: 5_000,
        });
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(refs).toContain(`${commit}\trefs/heads/local`);
  });
});
