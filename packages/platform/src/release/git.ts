import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RunwayError } from '../errors.js';

const run = promisify(execFile);

/** Runs git in `root`; a failure becomes a RunwayError naming the command and git's own first line. */
export const git = async (root: string, args: readonly string[], input?: string): Promise<string> => {
  try {
    const child = run('git', [...args], { cwd: root, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
    if (input !== undefined) child.child.stdin?.end(input);
    return (await child).stdout;
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    const detail = (stderr?.trim() || message).split('\n')[0];
    throw new RunwayError('GIT_FAILED', `git ${args[0]} failed: ${detail}`);
  }
};

export const repositoryRoot = async (cwd: string): Promise<string> => {
  try {
    return (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
  } catch {
    throw new RunwayError(
      'NOT_A_REPOSITORY',
      `${cwd} is not inside a git repository: run runway from the repository`,
    );
  }
};

export const headSha = async (root: string): Promise<string> =>
  (await git(root, ['rev-parse', 'HEAD'])).trim();

/** A release commit must contain only the release, so commands that commit refuse a dirty working tree. */
export const requireCleanTree = async (root: string): Promise<void> => {
  const dirty = (await git(root, ['status', '--porcelain', '--untracked-files=all']))
    .split('\n')
    .filter(Boolean);
  if (dirty.length === 0) return;
  throw new RunwayError(
    'DIRTY_TREE',
    `the working tree has ${dirty.length} uncommitted change(s) (first: ${dirty[0]?.slice(3)}): commit or stash them first, so the release commit contains only the release`,
  );
};

/** Every committed version of `path`, newest first; commits where it was deleted are left out. */
export const fileHistory = async (
  root: string,
  path: string,
): Promise<{ commit: string; text: string }[]> => {
  const commits = (await git(root, ['log', '--format=%H', '--', path])).split('\n').filter(Boolean);
  if (commits.length === 0) return [];
  const batch = Buffer.from(
    await git(root, ['cat-file', '--batch'], commits.map((c) => `${c}:${path}\n`).join('')),
  );
  const versions: { commit: string; text: string }[] = [];
  let offset = 0;
  for (const commit of commits) {
    const headerEnd = batch.indexOf('\n', offset);
    const header = batch.subarray(offset, headerEnd).toString('utf8');
    offset = headerEnd + 1;
    if (header.endsWith(' missing')) continue;
    const size = Number(header.split(' ')[2]);
    versions.push({ commit, text: batch.subarray(offset, offset + size).toString('utf8') });
    offset += size + 1;
  }
  return versions;
};

export const switchToNewBranch = async (root: string, branch: string): Promise<void> => {
  const exists = await git(root, ['branch', '--list', branch]);
  if (exists.trim() !== '') {
    throw new RunwayError(
      'BRANCH_EXISTS',
      `branch ${branch} already exists: a promotion of this release is probably open already (or pass --branch)`,
    );
  }
  await git(root, ['switch', '--quiet', '--create', branch]);
};

export const commitPaths = async (
  root: string,
  paths: readonly string[],
  message: string,
): Promise<string> => {
  await git(root, ['add', '--', ...paths]);
  await git(root, ['commit', '--quiet', '--message', message, '--', ...paths]);
  return headSha(root);
};

/** Where the working tree is: a branch name, or the commit of a detached HEAD. */
export type Checkout = { readonly branch: string } | { readonly detached: string };

export const currentCheckout = async (root: string): Promise<Checkout> => {
  const branch = (await git(root, ['branch', '--show-current'])).trim();
  return branch === '' ? { detached: await headSha(root) } : { branch };
};

export const returnTo = async (root: string, checkout: Checkout): Promise<void> => {
  await git(
    root,
    'branch' in checkout
      ? ['switch', '--quiet', checkout.branch]
      : ['switch', '--quiet', '--detach', checkout.detached],
  );
};
