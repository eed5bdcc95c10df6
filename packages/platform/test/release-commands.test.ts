import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunwayError } from '../src/errors.js';
import { promote, type ReleaseContext, release, rollback, status, verify } from '../src/release/commands.js';
import { ENVIRONMENT_NAMES, imageReference, type ReleasePointer } from '../src/release/pointer.js';
import { digestOf, shaOf } from './release-fixtures.js';
import { TempRepository } from './release-repository.js';

/**
 * Stands in for `runway synth` (tested on its own): renders each environment's image reference into
 * deploy/envs/<env>/image.txt, so a test can see that a command re-rendered deploy/ and committed the result.
 */
const synthRoots: string[] = [];
const renderImages: ReleaseContext['synth'] = async (root) => {
  synthRoots.push(root);
  const changed: string[] = [];
  for (const env of ENVIRONMENT_NAMES) {
    const pointer = JSON.parse(
      await readFile(join(root, `deploy/releases/${env}.json`), 'utf8'),
    ) as ReleasePointer;
    const relative = `deploy/envs/${env}/image.txt`;
    const text = `${imageReference(pointer)}\n`;
    if ((await readFile(join(root, relative), 'utf8').catch(() => undefined)) === text) continue;
    await mkdir(dirname(join(root, relative)), { recursive: true });
    await writeFile(join(root, relative), text);
    changed.push(relative);
  }
  return { changed };
};

let repo: TempRepository;
let clock: number;
const ci = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/runway', GITHUB_RUN_ID: '7' };
const context = (environment: ReleaseContext['environment'] = ci): ReleaseContext => ({
  cwd: repo.root,
  synth: renderImages,
  environment,
  /** Each action happens a minute after the previous one. */
  now: () => {
    clock += 60_000;
    return new Date(clock);
  },
});

const refusal = async (action: Promise<unknown>): Promise<{ code: string; message: string }> => {
  const error: unknown = await action.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error instanceof RunwayError) return { code: error.code, message: error.message };
  throw new Error(`expected a RunwayError, got ${String(error)}`);
};

/** What CI does on main, then what the verify workflow does when the Rollout reports it completed. */
const releaseAndVerify = async (env: 'dev', hex: string): Promise<void> => {
  await release(context(), env, digestOf(hex), { gitSha: shaOf(hex), commit: true });
  await verify(context(), env, {
    digest: digestOf(hex),
    at: new Date(clock + 30_000).toISOString(),
    analysis: 'Successful',
  });
};

beforeEach(async () => {
  repo = new TempRepository();
  await renderImages(repo.root);
  repo.commitAll('synth');
  synthRoots.length = 0;
  clock = Date.parse('2026-11-23T10:00:00.000Z');
});
afterEach(() => repo.remove());

describe('runway release', () => {
  it('writes the pointer, re-synths and commits both in one commit', async () => {
    const head = repo.git('rev-parse', 'HEAD');
    const outcome = await release(context(), 'dev', digestOf('a'), { commit: true });
    expect(repo.pointer('dev')).toMatchObject({
      digest: digestOf('a'),
      gitSha: head,
      releasedAt: '2026-11-23T10:01:00.000Z',
      releasedBy: 'https://github.com/acme/runway/actions/runs/7',
      verifiedAt: null,
    });
    expect(synthRoots).toEqual([repo.root]);
    expect(outcome.commit).toBe(repo.git('rev-parse', 'HEAD'));
    expect(repo.subjects(1)).toEqual([`release(dev): ${head.slice(0, 7)} sha256:aaaaaaaaaaaa`]);
    expect(repo.git('show', '--name-only', '--format=', 'HEAD').split('\n')).toEqual([
      'deploy/envs/dev/image.txt',
      'deploy/releases/dev.json',
    ]);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('records the git identity when not in CI and --by is absent', async () => {
    await release(context({}), 'dev', digestOf('a'), { commit: true });
    expect(repo.pointer('dev').releasedBy).toBe('release-test@example.com');
  });

  it('with --no-commit writes and re-synths but leaves committing to the caller', async () => {
    const head = repo.git('rev-parse', 'HEAD');
    await release(context(), 'dev', digestOf('a'), { gitSha: shaOf('b'), commit: false });
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(repo.git('diff', '--name-only').split('\n')).toEqual([
      'deploy/envs/dev/image.txt',
      'deploy/releases/dev.json',
    ]);
  });

  it('makes no commit when the environment already runs the digest', async () => {
    const head = repo.git('rev-parse', 'HEAD');
    const outcome = await release(context(), 'dev', digestOf('0'), { commit: true });
    expect(outcome).toEqual({ summary: 'dev already runs sha256:000000000000 (git 0000000)' });
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
  });

  it('refuses a dirty working tree and writes nothing', async () => {
    repo.write('notes.txt', 'work in progress\n');
    expect(await refusal(release(context(), 'dev', digestOf('a'), { commit: true }))).toEqual({
      code: 'DIRTY_TREE',
      message:
        'the working tree has 1 uncommitted change(s) (first: notes.txt): commit or stash them first, so the release commit contains only the release',
    });
    expect(repo.pointer('dev').digest).toBe(digestOf('0'));
    expect(synthRoots).toEqual([]);
  });

  it('refuses a missing or malformed pointer, naming the file', async () => {
    repo.git('rm', '--quiet', 'deploy/releases/staging.json');
    repo.commitAll('lose staging');
    expect(await refusal(release(context(), 'dev', digestOf('a'), { commit: true }))).toEqual({
      code: 'POINTER_MISSING',
      message: 'deploy/releases/staging.json does not exist: every environment needs a release pointer',
    });
    repo.write('deploy/releases/staging.json', '{"env":"staging"}\n');
    repo.commitAll('break staging');
    expect((await refusal(release(context(), 'dev', digestOf('a'), { commit: true }))).message).toMatch(
      /^deploy\/releases\/staging\.json is not a release pointer: \/ must have required properties/,
    );
  });
});

describe('runway verify', () => {
  it('marks the current release verified once, at the signal’s time; a repeated signal commits nothing', async () => {
    await release(context(), 'dev', digestOf('a'), { gitSha: shaOf('a'), commit: true });
    await verify(context(), 'dev', {
      digest: digestOf('a'),
      at: '2026-11-23T10:01:30Z',
      analysis: 'Successful',
    });
    expect(repo.pointer('dev').verifiedAt).toBe('2026-11-23T10:01:30.000Z');
    expect(repo.subjects(1)).toEqual(['verify(dev): aaaaaaa sha256:aaaaaaaaaaaa']);
    const head = repo.git('rev-parse', 'HEAD');
    const again = await verify(context(), 'dev', {
      digest: digestOf('a'),
      at: '2026-11-23T10:05:00Z',
      analysis: 'Successful',
    });
    expect(again.commit).toBeUndefined();
    expect(again.summary).toContain('already verified');
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
  });

  it('refuses a signal for another digest, and one sent before the release was made', async () => {
    await release(context(), 'dev', digestOf('a'), { gitSha: shaOf('a'), commit: true });
    await release(context(), 'dev', digestOf('b'), { gitSha: shaOf('b'), commit: true });
    const head = repo.git('rev-parse', 'HEAD');
    expect(
      await refusal(
        verify(context(), 'dev', {
          digest: digestOf('a'),
          at: '2026-11-23T10:03:00Z',
          analysis: 'Successful',
        }),
      ),
    ).toEqual({
      code: 'VERIFY_STALE',
      message:
        'dev runs sha256:bbbbbbbbbbbb (git bbbbbbb), not sha256:aaaaaaaaaaaa: the completion signal is for another release, so nothing is verified',
    });
    // b was released at 10:02; a completion at 10:01:59 is about the rollout before it.
    expect(
      await refusal(
        verify(context(), 'dev', {
          digest: digestOf('b'),
          at: '2026-11-23T10:01:59Z',
          analysis: 'Successful',
        }),
      ),
    ).toEqual({
      code: 'VERIFY_BEFORE_RELEASE',
      message:
        'the completion signal for sha256:bbbbbbbbbbbb in dev is from 2026-11-23T10:01:59.000Z, before this release was made at 2026-11-23T10:02:00.000Z: it is about an earlier rollout, so nothing is verified',
    });
    expect(
      (
        await refusal(
          verify(context(), 'dev', { digest: digestOf('b'), at: '10:03', analysis: 'Successful' }),
        )
      ).code,
    ).toBe('SIGNAL_TIME_INVALID');
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
  });
});

describe('defect 5: a release rebased onto a verify commit of the previous release', () => {
  it('carries its verifiedAt (before the new releasedAt), and runway refuses the pointer instead of promoting it', async () => {
    await release(context(), 'dev', digestOf('a'), { gitSha: shaOf('a'), commit: true });
    // CI builds b from main as it is; meanwhile a's completion signal lands a verify commit on main.
    repo.git('switch', '--quiet', '--create', 'ci');
    await release(context(), 'dev', digestOf('b'), { gitSha: shaOf('b'), commit: true });
    repo.git('switch', '--quiet', 'main');
    await verify(context(), 'dev', {
      digest: digestOf('a'),
      at: '2026-11-23T10:01:30Z',
      analysis: 'Successful',
    });
    // The old push retry: git pull --rebase. It merges cleanly.
    repo.git('switch', '--quiet', 'ci');
    repo.git('rebase', '--quiet', 'main');
    expect(repo.pointer('dev')).toMatchObject({
      digest: digestOf('b'),
      releasedAt: '2026-11-23T10:02:00.000Z',
      verifiedAt: '2026-11-23T10:01:30.000Z',
    });
    expect(await refusal(promote(context(), 'dev', 'staging', {}))).toMatchObject({
      code: 'POINTER_INVALID',
      message: expect.stringContaining(
        'verifiedAt 2026-11-23T10:01:30.000Z precedes releasedAt 2026-11-23T10:02:00.000Z',
      ),
    });
  });
});

describe('runway promote', () => {
  it('commits the verified dev release to staging on a new branch and leaves the user on their branch', async () => {
    await releaseAndVerify('dev', 'a');
    const outcome = await promote(context(), 'dev', 'staging', {});
    expect(outcome.branch).toBe('promote/staging-aaaaaaa');
    expect(repo.git('branch', '--show-current')).toBe('main');
    expect(repo.git('log', '-1', '--format=%s', 'promote/staging-aaaaaaa')).toBe(
      'promote(staging): aaaaaaa sha256:aaaaaaaaaaaa from dev',
    );
    expect(
      JSON.parse(repo.git('show', 'promote/staging-aaaaaaa:deploy/releases/staging.json')),
    ).toMatchObject({
      digest: digestOf('a'),
      promotedFrom: 'dev',
      verifiedAt: null,
    });
    expect(repo.git('show', 'promote/staging-aaaaaaa:deploy/envs/staging/image.txt')).toBe(
      `ghcr.io/acme/links@${digestOf('a')}`,
    );
    expect(repo.pointer('staging').digest).toBe(digestOf('0'));
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('refuses a release that is not verified, or already promoted (branch name taken)', async () => {
    await release(context(), 'dev', digestOf('a'), { gitSha: shaOf('a'), commit: true });
    expect((await refusal(promote(context(), 'dev', 'staging', {}))).code).toBe('PROMOTION_UNVERIFIED');
    await verify(context(), 'dev', {
      digest: digestOf('a'),
      at: new Date(clock).toISOString(),
      analysis: 'Successful',
    });
    await promote(context(), 'dev', 'staging', {});
    expect(await refusal(promote(context(), 'dev', 'staging', {}))).toEqual({
      code: 'BRANCH_EXISTS',
      message:
        'branch promote/staging-aaaaaaa already exists: a promotion of this release is probably open already (or pass --branch)',
    });
    expect(repo.git('branch', '--show-current')).toBe('main');
  });

  it('says there is nothing to do, without failing, when the target already runs the release', async () => {
    await releaseAndVerify('dev', 'a');
    await promote(context(), 'dev', 'staging', {});
    repo.git('merge', '--quiet', '--ff-only', 'promote/staging-aaaaaaa');
    const outcome = await promote(context(), 'dev', 'staging', {});
    expect(outcome).toEqual({
      summary: 'staging already runs sha256:aaaaaaaaaaaa (git aaaaaaa): nothing to promote',
    });
  });

  it('refuses, once merged and then rolled back in staging, to promote the rejected release again', async () => {
    await releaseAndVerify('dev', 'a');
    await promote(context(), 'dev', 'staging', {});
    repo.git('merge', '--quiet', '--ff-only', 'promote/staging-aaaaaaa');
    await releaseAndVerify('dev', 'b');
    expect(
      (
        await refusal(
          rollback(context(), 'staging', { reason: 'p95 latency 1.4 s > 0.5 s', digest: digestOf('a') }),
        )
      ).code,
    ).toBe('NO_GOOD_RELEASE');
  });
});

describe('runway rollback', () => {
  it('rolls back to the last verified release, twice, then says there is nothing good left', async () => {
    await releaseAndVerify('dev', 'a');
    await releaseAndVerify('dev', 'b');
    await release(context(), 'dev', digestOf('c'), { gitSha: shaOf('c'), commit: true });
    await release(context(), 'dev', digestOf('d'), { gitSha: shaOf('d'), commit: true });

    // c was never verified, so it is skipped: an aborted d goes back to b, the last release that passed here.
    await rollback(context(), 'dev', { reason: 'error ratio 9 %', digest: digestOf('d') });
    expect(repo.pointer('dev')).toMatchObject({
      digest: digestOf('b'),
      gitSha: shaOf('b'),
      releasedAt: '2026-11-23T10:05:00.000Z',
      verifiedAt: '2026-11-23T10:05:00.000Z',
    });
    expect(repo.subjects(1)).toEqual([
      'rollback(dev): bbbbbbb sha256:bbbbbbbbbbbb, rejected sha256:dddddddddddd',
    ]);
    expect(repo.read('deploy/envs/dev/image.txt')).toBe(`ghcr.io/acme/links@${digestOf('b')}\n`);

    await rollback(context(), 'dev', { reason: 'still failing', digest: digestOf('b') });
    const dev = repo.pointer('dev');
    expect(dev).toMatchObject({ digest: digestOf('a') });
    expect(dev.rejected.map((entry) => [entry.digest, entry.reason])).toEqual([
      [digestOf('d'), 'error ratio 9 %'],
      [digestOf('b'), 'still failing'],
    ]);

    // Only the bootstrap placeholder is left behind a: a rollback never falls to it.
    const head = repo.git('rev-parse', 'HEAD');
    expect(
      await refusal(rollback(context(), 'dev', { reason: 'again', digest: digestOf('a') })),
    ).toMatchObject({
      code: 'NO_GOOD_RELEASE',
    });
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('defect 7: a late abort signal naming the restored release, sent before the rollback, rejects nothing', async () => {
    await releaseAndVerify('dev', 'a');
    await release(context(), 'dev', digestOf('b'), { gitSha: shaOf('b'), commit: true });
    const abortedAt = new Date(clock).toISOString();
    await rollback(context(), 'dev', { reason: 'aborted', digest: digestOf('b'), at: abortedAt });
    const head = repo.git('rev-parse', 'HEAD');
    expect(
      await refusal(rollback(context(), 'dev', { reason: 'aborted', digest: digestOf('a'), at: abortedAt })),
    ).toMatchObject({ code: 'ROLLBACK_BEFORE_RELEASE' });
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(repo.pointer('dev').rejected.map((entry) => entry.digest)).toEqual([digestOf('b')]);
  });

  it('refuses a stale abort signal and a dirty tree without touching git', async () => {
    await release(context(), 'dev', digestOf('a'), { gitSha: shaOf('a'), commit: true });
    const head = repo.git('rev-parse', 'HEAD');
    expect((await refusal(rollback(context(), 'dev', { reason: 'x', digest: digestOf('b') }))).code).toBe(
      'ROLLBACK_STALE',
    );
    repo.write('deploy/releases/dev.json', '{}\n');
    expect((await refusal(rollback(context(), 'dev', { reason: 'x', digest: digestOf('a') }))).code).toBe(
      'DIRTY_TREE',
    );
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
  });
});

describe('runway status', () => {
  it('reports what git says per environment, and an unreachable cluster', async () => {
    await releaseAndVerify('dev', 'a');
    const report = await status({
      ...context(),
      readCluster: async () => ({ reachable: false, reason: 'connection refused' }),
    });
    expect(report.environments.map((env) => [env.env, env.digest, env.verifiedAt !== null])).toEqual([
      ['dev', digestOf('a'), true],
      ['staging', digestOf('0'), false],
      ['prod', digestOf('0'), false],
    ]);
    expect(report.cluster).toEqual({ reachable: false, reason: 'connection refused' });
  });
});
