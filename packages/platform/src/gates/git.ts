import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { RunwayError } from '../errors.js';

const run = promisify(execFile);
const MAX_BUFFER = 256 * 1024 * 1024;

export const git = async (cwd: string, args: readonly string[]): Promise<string> => {
  try {
    const { stdout } = await run('git', ['-c', 'core.quotePath=false', ...args], {
      cwd,
      maxBuffer: MAX_BUFFER,
    });
    return stdout;
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || String(error);
    throw new RunwayError('GIT_FAILED', `git ${args.join(' ')} failed in ${cwd}: ${detail}`);
  }
};

export const trackedFiles = async (cwd: string): Promise<string[]> =>
  (await git(cwd, ['ls-files', '-z'])).split('\0').filter(Boolean);

const hasRef = async (cwd: string, ref: string): Promise<boolean> =>
  git(cwd, ['rev-parse', '--verify', '--quiet', ref]).then(
    () => true,
    () => false,
  );

/**
 * The history the secret scan reads: everything not yet on the remote main (what a push would publish),
 * the whole history of a repository without one, or every ref with `allHistory`.
 */
export const historyRange = async (cwd: string, allHistory: boolean): Promise<string[]> => {
  if (allHistory) return ['--all'];
  if (!(await hasRef(cwd, 'HEAD'))) return [];
  return (await hasRef(cwd, 'refs/remotes/origin/main')) ? ['origin/main..HEAD'] : ['HEAD'];
};

export interface HistoryBlob {
  readonly blob: string;
  readonly commit: string;
  readonly path: string;
}

/**
 * Every file version a commit in the range added or modified, each blob once (at its first appearance). Merge
 * commits are diffed against each parent (`--diff-merges=separate`): a conflict resolution or an "evil merge"
 * can add content that no parent had, and plain `git log` shows merges without a diff.
 */
export const historyBlobs = async (cwd: string, range: readonly string[]): Promise<HistoryBlob[]> => {
  if (range.length === 0) return [];
  const log = await git(cwd, [
    'log',
    '--root',
    '--raw',
    '--diff-merges=separate',
    '--no-abbrev',
    '--no-renames',
    '--diff-filter=AM',
    '--format=commit %H',
    ...range,
    '--',
  ]);
  const blobs = new Map<string, HistoryBlob>();
  let commit = '';
  for (const line of log.split('\n')) {
    if (line.startsWith('commit ')) commit = line.slice('commit '.length);
    const raw = /^:\d+ (\d+) [0-9a-f]+ ([0-9a-f]+) [AM]\t(.*)$/.exec(line);
    if (!raw?.[2] || !raw[3] || raw[1] === '160000') continue;
    blobs.set(raw[2], { blob: raw[2], commit, path: raw[3] });
  }
  return [...blobs.values()];
};

/** Reads many blobs through one `git cat-file --batch` process. */
export const readBlobs = (cwd: string, blobs: readonly string[]): Promise<Map<string, Buffer>> =>
  new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new RunwayError('GIT_FAILED', `git cat-file --batch failed in ${cwd}: ${stderr.trim()}`));
        return;
      }
      resolve(parseBatch(Buffer.concat(chunks)));
    });
    child.stdin.end(blobs.map((blob) => `${blob}\n`).join(''));
  });

const parseBatch = (output: Buffer): Map<string, Buffer> => {
  const contents = new Map<string, Buffer>();
  let offset = 0;
  while (offset < output.length) {
    const headerEnd = output.indexOf(0x0a, offset);
    const [sha = '', type, size] = output.subarray(offset, headerEnd).toString().split(' ');
    if (type === 'missing' || size === undefined) {
      offset = headerEnd + 1;
      continue;
    }
    const start = headerEnd + 1;
    contents.set(sha, output.subarray(start, start + Number(size)));
    offset = start + Number(size) + 1;
  }
  return contents;
};
