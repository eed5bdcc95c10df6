import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import type { Finding } from './finding.js';
import { pipeToShellLines } from './pipe-to-shell.js';
import { hasUntrustedExpression } from './untrusted-expression.js';

/**
 * How a workflow or a composite action hands the repository to an attacker, beyond workflow.ts: untrusted code
 * run with secrets (`pull_request_target` / `workflow_run` checking out or fetching the pull request), untrusted
 * event data expanded into scripts, secrets printed or transformed past the log masking, `curl | sh`, self-hosted
 * runners on pull requests, and the token or unsafe commands put in `$GITHUB_ENV`. Pure: text in, findings out.
 *
 * Upstream facts, GitHub Actions docs ("Security hardening for GitHub Actions", "Events that trigger workflows"):
 * `pull_request_target` and `workflow_run` run in the base repository's context with its secrets and a token
 * that can write, whatever the pull request changed; a workflow's `permissions:` do not reach the secrets;
 * masking hides a secret's exact value only, so an encoded or reversed copy prints in clear; every later step
 * of the job reads `$GITHUB_ENV`; `ACTIONS_ALLOW_UNSECURE_COMMANDS` revives `set-env`/`add-path`, which any
 * log line can then trigger.
 */
/** issue_comment runs in the base repository too (secrets, a write token) for comments on any pull request. */
const PRIVILEGED_TRIGGERS = ['pull_request_target', 'workflow_run', 'issue_comment'];
const PULL_REQUEST_TRIGGERS = ['pull_request', 'pull_request_target'];
/** Refs and repositories that name the pull request's (or the triggering run's) code, not the base's. */
const UNTRUSTED_REF =
  /github\.event\.(pull_request\.head|pull_request\.merge_commit_sha|pull_request\.(diff|patch)_url|workflow_run\.(head_|pull_requests|id\b)|issue\.pull_request|number\b|pull_request\.number)|github\.head_ref|refs\/pull\/|\bpull\/[^\s/]+\/(head|merge)\b|context\.payload\.(pull_request\.(head|number|merge_commit_sha)|workflow_run\.(head_|pull_requests))/;
/** git or gh fetching code, in a shell script or as github-script's `exec.exec('git', ['fetch', …])`. */
const FETCHES_CODE =
  /\bgh\s+pr\s+(checkout|diff|view\s+.*--json\s+files)|\bgit\s+(fetch|checkout|switch|pull|clone|worktree\s+add|reset|apply|am)\b|['"`]git['"`]\s*,\s*\[\s*['"`](fetch|checkout|switch|pull|clone|worktree|reset|apply|am)['"`]|\bpatch\s+-p\d|\bhub\s+pr\b/;
/** The triggering run's artifacts: built by a pull request, so data at best. */
const DOWNLOADS_RUN = /\bgh\s+run\s+download\b/;
const SECRET_EXPRESSION =
  /\$\{\{[^}]*\b(secrets\.|secrets\[|github\.token\b|toJSON\(\s*secrets\s*\))[^}]*\}\}/i;
const ALL_SECRETS = /\$\{\{[^}]*toJSON\(\s*secrets\s*\)[^}]*\}\}/i;
const PRINTS = /^\s*(?:[A-Za-z_]\w*=\S*\s+)*(echo|printf|cat|print|Write-(Host|Output)|console\.log)\b/;
const TRANSFORMS =
  /^\s*(base64|base32|basenc|rev|xxd|od|hexdump|sed|awk|tr|cut|fold|tee|gzip|openssl|python[23]?|perl|jq)\b/;
const TOKEN_NAMES =
  /^(GITHUB_TOKEN|GH_TOKEN|GITHUB_PAT|ACTIONS_RUNTIME_TOKEN|ACTIONS_ID_TOKEN_REQUEST_TOKEN)$/;
const UNSECURE_COMMANDS = /ACTIONS_ALLOW_UNSECURE_COMMANDS|::(set-env|add-path)\s/;

interface Context {
  readonly target: string;
  readonly lines: LineCounter;
  readonly findings: Finding[];
  /** In a composite action: `${{ inputs.<name> }}` of its secret-named inputs (a caller passes secrets there). */
  readonly secretInputs?: RegExp;
}

/** Input names a caller fills with a secret: `token`, `api-key`, `password`, `ssh_private_key`… */
const SECRET_INPUT = /token|secret|passw(or)?d|api[-_]?key|private[-_]?key|credential|(^|[-_])pat$/i;
/** …unless the name says what it is about a secret (`secret-name`, `token-format`) or switches something on. */
const NOT_A_SECRET_INPUT =
  /[-_](name|id|path|file|url|format|type|region|audience|ttl|lifetime|enabled?)$|^(create|enable|use|skip)[-_]/i;

const report = (context: Context, line: number, policy: string, message: string): void => {
  context.findings.push({ policy, severity: 'error', target: context.target, path: `line ${line}`, message });
};

const lineOf = (context: Context, node: Node | undefined | null): number =>
  node?.range ? context.lines.linePos(node.range[0]).line : 1;

const get = (map: unknown, key: string): Node | undefined => {
  if (!isMap(map)) return undefined;
  const pair = map.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
  return (pair?.value ?? undefined) as Node | undefined;
};

const text = (node: unknown): string | undefined =>
  isScalar(node) && node.value !== null ? String(node.value) : undefined;

const triggersOf = (workflow: YAMLMap): string[] => {
  const on = get(workflow, 'on') ?? get(workflow, 'true');
  if (isScalar(on)) return [String(on.value)];
  if (isSeq(on)) return on.items.filter(isScalar).map((item) => String(item.value));
  return isMap(on) ? on.items.flatMap((pair) => (isScalar(pair.key) ? [String(pair.key.value)] : [])) : [];
};

/** Names of the env variables, at any of these levels (workflow, job, step), whose name and value pass `test`. */
const envNames = (
  test: (name: string, value: string) => boolean,
  envs: (Node | undefined)[],
): Set<string> => {
  const names = new Set<string>();
  for (const env of envs) {
    if (!isMap(env)) continue;
    for (const pair of env.items) {
      const name = text(pair.key);
      if (name && test(name, text(pair.value) ?? '')) names.add(name);
    }
  }
  return names;
};

/** Names of env variables set from a secret or the token at some level (workflow, job, step). */
const secretEnvNames = (...envs: (Node | undefined)[]): Set<string> =>
  envNames((name, value) => SECRET_EXPRESSION.test(value) || TOKEN_NAMES.test(name), envs);

/** Names of env variables that carry the pull request's ref, repository or number (a fetch of them is untrusted). */
const untrustedEnvNames = (...envs: (Node | undefined)[]): Set<string> =>
  envNames((_name, value) => UNTRUSTED_REF.test(value), envs);

/** The script's lines with their line numbers in the file (a block scalar starts on the line after its key). */
const scriptLines = (context: Context, node: Scalar): { line: number; text: string }[] => {
  const first =
    lineOf(context, node) + (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED' ? 1 : 0);
  return String(node.value)
    .split('\n')
    .map((line, index) => ({ line: first + index, text: line }));
};

const checkScript = (context: Context, node: Scalar, secretVars: ReadonlySet<string>): void => {
  const varRef =
    secretVars.size === 0
      ? undefined
      : new RegExp(String.raw`\$\{?(${[...secretVars].join('|')})\b|\$env:(${[...secretVars].join('|')})\b`);
  const mentionsSecret = (segment: string) =>
    SECRET_EXPRESSION.test(segment) ||
    (varRef?.test(segment) ?? false) ||
    (context.secretInputs?.test(segment) ?? false);
  /** Files a secret was written to in this script: printing one prints the secret, past the masking of `$VAR`. */
  const secretFiles = new Set<string>();
  for (const { line, text: source } of scriptLines(context, node)) {
    // The secret is the data written (`echo "$KEY" > key.pem`), not an argument of a command whose output is.
    const writesSecret = source
      .split(/\|(?!\|)/)
      .some((segment) => mentionsSecret(segment) && (PRINTS.test(segment) || TRANSFORMS.test(segment)));
    if (writesSecret) {
      for (const written of source.matchAll(/(?:>>?|\btee\s+(?:-a\s+)?)\s*["']?([\w./~-]+)/g))
        if (written[1] !== undefined && !/^\$|^\/dev\//.test(written[1])) secretFiles.add(written[1]);
    }
    const shown = /^\s*(?:cat|head|tail|less|more|nl|Get-Content|type)\s+(.+)$/.exec(source)?.[1];
    if (shown?.split(/\s+/).some((word) => secretFiles.has(word.replace(/^["']|["']$/g, '')))) {
      report(
        context,
        line,
        'workflow/secret-printed',
        'a file a secret was written to is printed: the log shows the file as written, and masking may miss a multi-line or transformed value; never print it',
      );
    }
    if (hasUntrustedExpression(source)) {
      report(
        context,
        line,
        'workflow/untrusted-input-in-run',
        'event data (github.event…, github.head_ref, toJSON(github)) is expanded into a script: a crafted title or branch name runs as code; pass it through env: and quote "$VAR"',
      );
    }
    if (ALL_SECRETS.test(source)) {
      report(
        context,
        line,
        'workflow/secret-in-run',
        'toJSON(secrets) hands every secret of the repository to a script',
      );
    }
    if (UNSECURE_COMMANDS.test(source)) {
      report(
        context,
        line,
        'workflow/unsecure-commands',
        'set-env/add-path workflow commands (ACTIONS_ALLOW_UNSECURE_COMMANDS) let any printed line rewrite the environment; use $GITHUB_ENV / $GITHUB_PATH',
      );
    }
    if (
      /GITHUB_ENV/.test(source) &&
      (mentionsSecret(source) || /\$\{?(GITHUB_TOKEN|GH_TOKEN)\b/.test(source))
    ) {
      report(
        context,
        line,
        'workflow/token-in-github-env',
        'a secret or the token is written to $GITHUB_ENV: every later step, third-party actions included, reads it; pass it to the one step that needs it through env:',
      );
    }
    const segments = source.split(/\|(?!\|)/);
    segments.forEach((segment, index) => {
      if (!mentionsSecret(segment) || /GITHUB_ENV|GITHUB_OUTPUT/.test(source)) return;
      const next = segments[index + 1];
      const printed =
        PRINTS.test(segment) && (next === undefined ? !/>\s*\S/.test(segment) : TRANSFORMS.test(next));
      const transformed =
        TRANSFORMS.test(segment) || (/<<<\s*["']?\$/.test(segment) && !PRINTS.test(segment));
      if (printed || transformed) {
        report(
          context,
          line,
          'workflow/secret-printed',
          'a secret is printed or transformed in a script: masking hides only its exact value, so an encoded, reversed or split copy reaches the log in clear',
        );
      }
    });
  }
  for (const offset of pipeToShellLines(String(node.value))) {
    report(
      context,
      scriptLines(context, node)[offset - 1]?.line ?? lineOf(context, node),
      'workflow/curl-pipe-shell',
      'a script pipes a download into a shell: pin a released artifact by checksum, or use a pinned action',
    );
  }
};

const checkEnvBlock = (context: Context, env: Node | undefined): void => {
  if (!isMap(env)) return;
  for (const pair of env.items) {
    if (text(pair.key) === 'ACTIONS_ALLOW_UNSECURE_COMMANDS' && /^true$/i.test(text(pair.value) ?? '')) {
      report(
        context,
        lineOf(context, pair.key as Node),
        'workflow/unsecure-commands',
        'ACTIONS_ALLOW_UNSECURE_COMMANDS revives set-env/add-path, which any printed line can trigger; use $GITHUB_ENV / $GITHUB_PATH',
      );
    }
  }
};

const checkSteps = (
  context: Context,
  steps: Node | undefined,
  inheritedEnv: readonly (Node | undefined)[],
  privileged: boolean,
  holdsPower = true,
): void => {
  if (!isSeq(steps)) return;
  const stepList = steps.items.filter(isMap);
  for (const [index, step] of stepList.entries()) {
    const env = get(step, 'env');
    checkEnvBlock(context, env);
    const secretVars = secretEnvNames(...inheritedEnv, env);
    const uses = text(get(step, 'uses')) ?? '';
    const withBlock = get(step, 'with');
    const run = get(step, 'run');
    const script = /^actions\/github-script@/.test(uses) ? get(withBlock, 'script') : undefined;
    for (const code of [run, script]) if (isScalar(code)) checkScript(context, code, secretVars);
    if (!privileged) continue;
    const checksOutUntrusted =
      /^actions\/checkout@/.test(uses) &&
      ['ref', 'repository'].some((key) => UNTRUSTED_REF.test(text(get(withBlock, key)) ?? ''));
    const untrustedVars = untrustedEnvNames(...inheritedEnv, env);
    const namesUntrusted = (line: string) =>
      [...line.matchAll(/\$\{?([A-Za-z_]\w*)|\$env:([A-Za-z_]\w*)/g)].some((ref) =>
        untrustedVars.has(ref[1] ?? ref[2] ?? ''),
      );
    // A shell script line by line; github-script as a whole (a ref read into a const, then `exec.exec('git', …)`).
    const fetchesUntrusted =
      (text(run) ?? '')
        .split('\n')
        .some(
          (line) =>
            FETCHES_CODE.test(line) &&
            (UNTRUSTED_REF.test(line) || /\bgh\s+pr\s+checkout\b/.test(line) || namesUntrusted(line)),
        ) ||
      (FETCHES_CODE.test(text(script) ?? '') && UNTRUSTED_REF.test(text(script) ?? ''));
    // Artifacts are a risk where something could use them with power: a write token or secrets in the job, or
    // anything run after the download (a later step, an action the artifact could replace, or the same script
    // going on). A read-only job that only fetches them (a report) hands over nothing.
    const runSource = text(run) ?? '';
    const download = DOWNLOADS_RUN.exec(runSource);
    const runsAfter =
      stepList.length > index + 1 ||
      (download !== null &&
        /&&|\|\||[|;]|\n\s*\S/.test(runSource.slice(download.index + download[0].length)));
    const downloadsTriggeringRun =
      (/^(actions\/download-artifact|dawidd6\/action-download-artifact)@/.test(uses) &&
        /workflow_run|github\.event/.test(String(withBlock ? JSON.stringify(withBlock.toJSON()) : ''))) ||
      runSource
        .split('\n')
        .some(
          (line) =>
            DOWNLOADS_RUN.test(line) &&
            (/workflow_run|github\.event/.test(line) || UNTRUSTED_REF.test(line) || namesUntrusted(line)),
        );
    const downloadsRunArtifact = downloadsTriggeringRun && (holdsPower || runsAfter);
    if (checksOutUntrusted || fetchesUntrusted) {
      report(
        context,
        lineOf(context, step),
        'workflow/privileged-untrusted-checkout',
        "a pull_request_target / workflow_run job checks out or fetches the pull request's code: it runs with the base repository's secrets and write token; use pull_request, or keep the untrusted code out of this job",
      );
    }
    if (downloadsRunArtifact) {
      report(
        context,
        lineOf(context, step),
        'workflow/privileged-untrusted-checkout',
        "a workflow_run job downloads the triggering run's artifacts: a pull request built them, so treat them as data, never run them, and pass them through a job without secrets",
      );
    }
  }
};

/**
 * Whether a job's token can write or it reads secrets: `permissions` with a `write` (or `write-all`) at the job or
 * workflow level, none declared at either (the repository's default may be write), or `secrets.` other than the
 * token in the job.
 */
const holdsPower = (workflow: YAMLMap, job: YAMLMap): boolean => {
  const permissions = get(job, 'permissions') ?? get(workflow, 'permissions');
  const writes =
    permissions === undefined ||
    /write/.test(JSON.stringify(isScalar(permissions) ? permissions.value : permissions.toJSON()));
  // The workflow's env reaches every step of the job, third-party actions included.
  const secrets = JSON.stringify([job.toJSON(), get(workflow, 'env')?.toJSON() ?? null]);
  return writes || /\bsecrets\.(?!GITHUB_TOKEN\b)\w|\bsecrets\[|toJSON\(\s*secrets\s*\)/.test(secrets);
};

/** `runs-on: ${{ matrix.os }}`: the labels the matrix (its values and `include:` entries) puts there. */
const matrixLabels = (job: Node | undefined, runsOn: Node | undefined): Node[] => {
  const key = /\$\{\{\s*matrix\.([\w-]+)\s*\}\}/.exec(text(runsOn) ?? '')?.[1];
  const matrix = get(get(job, 'strategy'), 'matrix');
  if (key === undefined || !isMap(matrix)) return [];
  const include = get(matrix, 'include');
  return [
    ...[get(matrix, key)].filter((node): node is Node => node !== undefined),
    ...(isSeq(include)
      ? include.items.flatMap((item) => [get(item, key)].filter((node): node is Node => node !== undefined))
      : []),
  ];
};

const runsOnSelfHosted = (runsOn: Node | undefined): boolean => {
  const labels = (node: Node | undefined): string[] =>
    isScalar(node)
      ? [String(node.value)]
      : isSeq(node)
        ? node.items.flatMap((item) => labels(item as Node))
        : [];
  if (isMap(runsOn))
    return (
      get(runsOn, 'group') !== undefined ||
      labels(get(runsOn, 'labels')).some((l) => !/^(ubuntu|windows|macos)-/.test(l))
    );
  return labels(runsOn).some((label) => /self-hosted/i.test(label));
};

/** A workflow (`on:` + `jobs:`) or an action's metadata (`runs.steps` of a composite action). */
export const checkWorkflowInjection = (target: string, content: string): Finding[] => {
  const lines = new LineCounter();
  const document = parseDocument(content, { lineCounter: lines });
  const context: Context = { target, lines, findings: [] };
  const root = document.contents;
  if (document.errors.length > 0 || !isMap(root)) return [];
  const runs = get(root, 'runs');
  if (isMap(runs)) {
    const inputs = get(root, 'inputs');
    const secretNames = isMap(inputs)
      ? inputs.items
          .map((pair) => text(pair.key) ?? '')
          .filter((name) => SECRET_INPUT.test(name) && !NOT_A_SECRET_INPUT.test(name))
      : [];
    const secretInputs =
      secretNames.length === 0
        ? undefined
        : new RegExp(
            String.raw`\$\{\{\s*inputs\.(${secretNames.map((name) => name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|')})\s*\}\}`,
          );
    checkSteps(
      { ...context, ...(secretInputs === undefined ? {} : { secretInputs }) },
      get(runs, 'steps'),
      [],
      false,
    );
    return context.findings;
  }
  const triggers = triggersOf(root);
  const privileged = triggers.some((trigger) => PRIVILEGED_TRIGGERS.includes(trigger));
  const onPullRequests = triggers.some((trigger) => PULL_REQUEST_TRIGGERS.includes(trigger));
  const workflowEnv = get(root, 'env');
  checkEnvBlock(context, workflowEnv);
  const jobs = get(root, 'jobs');
  if (!isMap(jobs)) return context.findings;
  for (const pair of jobs.items) {
    const job = pair.value;
    if (!isMap(job)) continue;
    const jobEnv = get(job, 'env');
    checkEnvBlock(context, jobEnv);
    const runsOn = get(job, 'runs-on');
    if (onPullRequests && [runsOn, ...matrixLabels(job, runsOn)].some(runsOnSelfHosted)) {
      report(
        context,
        lineOf(context, get(job, 'runs-on')),
        'workflow/self-hosted-on-pull-request',
        "a job triggered by pull requests runs on a self-hosted runner: a fork's code runs on your machine and can persist there; use GitHub-hosted runners for pull requests",
      );
    }
    checkSteps(context, get(job, 'steps'), [workflowEnv, jobEnv], privileged, holdsPower(root, job));
  }
  return context.findings;
};
