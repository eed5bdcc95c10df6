import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestOf, pointer } from './release-fixtures.js';
import { TempRepository } from './release-repository.js';

const BIN = fileURLToPath(new URL('../bin/runway.js', import.meta.url));

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const runway = (
  repo: TempRepository,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<Result> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: repo.root,
        env: { ...process.env, GITHUB_RUN_ID: '', KUBECONFIG: join(repo.root, 'no-kubeconfig'), ...env },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });

/**
 * A stand-in Kubernetes API on loopback (no cluster can run on this machine): it answers the two requests
 * `runway status` makes and records every path it was asked for.
 */
const requested: string[] = [];
const rolloutOf = (namespace: string) => ({
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'links', image: `ghcr.io/acme/links@${digestOf(namespace === 'links-dev' ? 'a' : '0')}` },
        ],
      },
    },
  },
  status: {
    phase: namespace === 'links-staging' ? 'Paused' : 'Healthy',
    message: namespace === 'links-staging' ? 'CanaryPauseStep' : '',
  },
});
const api: Server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  requested.push(path);
  const rollout = /^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/(links-[a-z]+)\/rollouts\/links$/.exec(path);
  if (path === '/readyz') response.end('ok');
  else if (rollout?.[1] && rollout[1] !== 'links-prod') response.end(JSON.stringify(rolloutOf(rollout[1])));
  else {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
        message: 'rollouts.argoproj.io "links" not found',
      }),
    );
  }
});

let repo: TempRepository;
/** Inside .git, so it neither dirties the working tree nor outlives the repository. */
const kubeconfig = (): string => join(repo.root, '.git', 'fake-kubeconfig');
beforeAll(async () => {
  repo = new TempRepository();
  repo.writePointer(pointer('dev', 'a', { releasedBy: 'ci', verifiedAt: '2026-11-23T09:00:00.000Z' }));
  repo.commitAll('release a to dev');
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  const { port } = api.address() as AddressInfo;
  writeFileSync(
    kubeconfig(),
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: fake, cluster: {server: "http://127.0.0.1:${port}"}}]`,
      'users: [{name: fake, user: {}}]',
      'contexts: [{name: fake, context: {cluster: fake, user: fake}}]',
      'current-context: fake',
      '',
    ].join('\n'),
  );
});
afterAll(() => {
  api.close();
  repo.remove();
});

/** Each spawn starts the CLI from TypeScript source (several seconds on a loaded machine). */
const SPAWNING = { timeout: 60_000 };

describe('runway CLI: bad input gets one line on stderr and exit code 1', SPAWNING, () => {
  const cases: [string, string[], RegExp][] = [
    [
      'an unknown environment',
      ['release', 'qa', digestOf('b')],
      /^runway: unknown environment "qa": expected one of dev, staging, prod\n$/,
    ],
    [
      'a malformed digest',
      ['release', 'dev', 'sha256:abc'],
      /^runway: "sha256:abc" is not an image digest: expected sha256: followed by 64 lowercase hex characters\n$/,
    ],
    [
      'a skipped environment',
      ['promote', 'dev', 'prod'],
      /^runway: cannot promote dev to prod: releases go dev → staging → prod one step at a time, so dev promotes to staging\n$/,
    ],
  ];
  it.each(cases)('%s', async (_name, args, stderr) => {
    const result = await runway(repo, args);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(stderr);
  });

  it('a dirty working tree, and a missing pointer', async () => {
    repo.write('deploy/releases/prod.json', '');
    const dirty = await runway(repo, [
      'verify',
      'dev',
      '--digest',
      digestOf('a'),
      '--at',
      '2026-11-23T10:00:00Z',
    ]);
    expect(dirty).toMatchObject({ code: 1, stdout: '' });
    expect(dirty.stderr).toMatch(
      /^runway: the working tree has 1 uncommitted change\(s\) \(first: deploy\/releases\/prod\.json\)/,
    );
    repo.git('rm', '--quiet', '--force', 'deploy/releases/prod.json');
    const missing = await runway(repo, ['status']);
    repo.git('restore', '--source=HEAD', '--staged', '--worktree', 'deploy/releases/prod.json');
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: 'runway: deploy/releases/prod.json does not exist: every environment needs a release pointer\n',
    });
  });
});

describe(
  'runway CLI: a signal that does not apply is refused with exit code 3; a repeated one is not red',
  SPAWNING,
  () => {
    it('refuses a completion signal for another digest, and says a repeated one has nothing to do', async () => {
      const unanalysed = await runway(repo, [
        'verify',
        'dev',
        '--digest',
        digestOf('a'),
        '--at',
        '2026-11-23T10:00:00Z',
      ]);
      expect(unanalysed).toEqual({
        code: 3,
        stdout: '',
        stderr:
          'runway: the completion signal for sha256:aaaaaaaaaaaa in dev reports analysis "", not "Successful": a completion without a successful canary analysis (initial deploy, promote --full) verifies nothing\n',
      });
      const stale = await runway(repo, [
        'verify',
        'dev',
        '--digest',
        digestOf('b'),
        '--at',
        '2026-11-23T10:00:00Z',
        '--analysis',
        'Successful',
      ]);
      expect(stale).toEqual({
        code: 3,
        stdout: '',
        stderr:
          'runway: dev runs sha256:aaaaaaaaaaaa (git aaaaaaa), not sha256:bbbbbbbbbbbb: the completion signal is for another release, so nothing is verified\n',
      });
      const repeated = await runway(repo, [
        'verify',
        'dev',
        '--digest',
        digestOf('a'),
        '--at',
        '2026-11-23T10:00:00Z',
        '--analysis',
        'Successful',
      ]);
      expect(repeated).toEqual({
        code: 0,
        stdout:
          'dev release sha256:aaaaaaaaaaaa (git aaaaaaa) was already verified at 2026-11-23T09:00:00.000Z: nothing to do\n',
        stderr: '',
      });
    });

    it('prints its version', async () => {
      expect(await runway(repo, ['--version'])).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
    });
  },
);

describe('runway status', SPAWNING, () => {
  it('says the cluster is not reachable when kubectl cannot reach one', async () => {
    const result = await runway(repo, ['status']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('dev\n  git       sha256:aaaaaaaaaaaa (git aaaaaaa) released');
    expect(result.stdout).toMatch(/\ncluster: not reachable \(.+\)\n$/);
  });

  it('--json shows, per environment, what git says and what the cluster Rollout runs', async () => {
    requested.length = 0;
    const result = await runway(repo, ['status', '--json'], { KUBECONFIG: kubeconfig() });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(result.stdout) as {
      environments: { env: string; digest: string; cluster: unknown }[];
    };
    expect(report.environments.map(({ env, digest, cluster }) => ({ env, digest, cluster }))).toEqual([
      {
        env: 'dev',
        digest: digestOf('a'),
        cluster: {
          found: true,
          image: `ghcr.io/acme/links@${digestOf('a')}`,
          phase: 'Healthy',
          message: '',
          matchesGit: true,
        },
      },
      {
        env: 'staging',
        digest: digestOf('0'),
        cluster: {
          found: true,
          image: `ghcr.io/acme/links@${digestOf('0')}`,
          phase: 'Paused',
          message: 'CanaryPauseStep',
          matchesGit: true,
        },
      },
      {
        env: 'prod',
        digest: digestOf('0'),
        cluster: {
          found: false,
          message:
            'no Rollout links readable: Error from server (NotFound): rollouts.argoproj.io "links" not found',
          matchesGit: false,
        },
      },
    ]);
    expect(requested).toEqual(
      expect.arrayContaining([
        '/readyz',
        '/apis/argoproj.io/v1alpha1/namespaces/links-dev/rollouts/links',
        '/apis/argoproj.io/v1alpha1/namespaces/links-staging/rollouts/links',
        '/apis/argoproj.io/v1alpha1/namespaces/links-prod/rollouts/links',
      ]),
    );
  });
});
