import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { RunwayError } from '../errors.js';
import { runCommand } from './exec.js';
import { localizeDeploy } from './localize.js';
import type { Command } from './plan-types.js';
import {
  ARGOCD_CONFIG_DIR,
  KIND_TREE,
  LOCAL_ENV_DIR,
  LOCAL_IMAGE_REPOSITORY,
  RELEASES_DIR,
  ROOT_DIR,
  SNAPSHOT_BRANCH,
  SNAPSHOT_REPOSITORY,
  TIMEOUTS,
} from './settings.js';

export interface SnapshotOptions {
  /** The working copy runway runs in. */
  readonly root: string;
  /** A repository URL to snapshot instead of the working copy. */
  readonly repo?: string;
  readonly revision: string;
  readonly digest: string;
  readonly gitUrl: string;
  readonly stateDir: string;
}

/** The local state `runway up` keeps outside the repository: the served snapshot and the bootstrap manifests. */
export const snapshotPaths = (stateDir: string) => ({
  gitDir: join(stateDir, 'git', SNAPSHOT_REPOSITORY),
  bootstrapDir: join(stateDir, 'bootstrap'),
  index: join(stateDir, 'snapshot.index'),
});

const git = async (cwd: string, args: readonly string[], extra: Partial<Command> = {}): Promise<string> => {
  const result = await runCommand(
    { argv: ['git', ...args], timeoutSeconds: TIMEOUTS.snapshot, ...extra },
    cwd,
  );
  if (result.code !== 0) {
    throw new RunwayError(
      'SNAPSHOT_FAILED',
      `git ${args.join(' ')} failed: ${result.stderr.trim() || (result.timedOut ? 'timed out' : `exit ${result.code}`)}`,
    );
  }
  return result.stdout.trim();
};

const SOURCE_REF = 'refs/runway/source';
/** What the snapshot may change: the kind tree's repository URLs, and dev's release (its pointer and manifests). */
const LOCALIZED = [`${KIND_TREE}/`, `${LOCAL_ENV_DIR}/`, `${RELEASES_DIR}/`];
/** Applied by `runway up` itself: Argo CD's config before it starts, and the root once it runs. */
const BOOTSTRAP_DIRS = [ARGOCD_CONFIG_DIR, ROOT_DIR];

/**
 * Copies the chosen commit into the served snapshot and adds one local commit (dev on the local build, Applications
 * reading the snapshot), built with git plumbing so the working tree and the remote are never touched. Same inputs,
 * same commit: authorship and dates come from the source commit.
 */
export const takeSnapshot = async (
  options: SnapshotOptions,
): Promise<{ commit: string; changed: string[] }> => {
  const paths = snapshotPaths(options.stateDir);
  const bare = ['--git-dir', paths.gitDir];
  await mkdir(paths.gitDir, { recursive: true });
  await git(options.root, ['init', '--bare', '-q', paths.gitDir]);
  if (options.repo)
    await git(options.root, [
      ...bare,
      'fetch',
      '-q',
      '--no-tags',
      options.repo,
      `+${options.revision}:${SOURCE_REF}`,
    ]);
  else await git(options.root, ['push', '-q', '--force', paths.gitDir, `${options.revision}:${SOURCE_REF}`]);
  const source = await git(options.root, [...bare, 'rev-parse', `${SOURCE_REF}^{commit}`]);
  const [releasedAt = '', authorName = 'runway', authorEmail = 'runway@localhost'] = (
    await git(options.root, [...bare, 'show', '-s', '--format=%cI%n%an%n%ae', source])
  ).split('\n');
  const listed = (
    await git(options.root, [...bare, 'ls-tree', '-r', '--name-only', source, '--', 'deploy'])
  ).split('\n');
  const files = new Map<string, string>();
  for (const path of listed.filter((path) => LOCALIZED.some((prefix) => path.startsWith(prefix)))) {
    files.set(
      path,
      await git(options.root, [...bare, 'show', `${source}:${path}`]).then((text) => `${text}\n`),
    );
  }
  const changed = localizeDeploy(files, {
    gitUrl: options.gitUrl,
    branch: SNAPSHOT_BRANCH,
    localImage: { repository: LOCAL_IMAGE_REPOSITORY, digest: options.digest },
    gitSha: source,
    releasedAt: new Date(releasedAt).toISOString(),
  });
  const indexEnv = { env: { GIT_INDEX_FILE: paths.index } };
  await git(options.root, [...bare, 'read-tree', source], indexEnv);
  for (const [path, content] of changed) {
    const blob = await git(options.root, [...bare, 'hash-object', '-w', '--stdin'], { stdin: content });
    await git(
      options.root,
      [...bare, 'update-index', '--add', '--cacheinfo', `100644,${blob},${path}`],
      indexEnv,
    );
  }
  const tree = await git(options.root, [...bare, 'write-tree'], indexEnv);
  const identity = {
    GIT_AUTHOR_NAME: authorName,
    GIT_AUTHOR_EMAIL: authorEmail,
    GIT_AUTHOR_DATE: releasedAt,
    GIT_COMMITTER_NAME: authorName,
    GIT_COMMITTER_EMAIL: authorEmail,
    GIT_COMMITTER_DATE: releasedAt,
  };
  const message = `local: dev runs ${LOCAL_IMAGE_REPOSITORY}@${options.digest}; Applications read ${options.gitUrl}`;
  const commit = await git(options.root, [...bare, 'commit-tree', tree, '-p', source, '-m', message], {
    env: identity,
  });
  await git(options.root, [...bare, 'update-ref', `refs/heads/${SNAPSHOT_BRANCH}`, commit]);
  await rm(paths.bootstrapDir, { recursive: true, force: true });
  await mkdir(paths.bootstrapDir, { recursive: true });
  for (const [path, content] of files) {
    if (BOOTSTRAP_DIRS.some((dir) => path.startsWith(`${dir}/`)))
      await writeFile(join(paths.bootstrapDir, basename(path)), changed.get(path) ?? content);
  }
  return { commit, changed: [...changed.keys()].sort() };
};
