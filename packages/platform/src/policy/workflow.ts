import { isMap, isScalar, isSeq, LineCounter, type Node, type Pair, parseDocument, type YAMLMap } from 'yaml';
import type { Finding } from './finding.js';
import { hasUntrustedExpression } from './untrusted-expression.js';
import { checkPipeline } from './workflow-pipeline.js';

/**
 * GitHub Actions workflow policy: pure text in, findings out. It reads the YAML syntax tree rather than plain
 * data because two rules are about comments: a SHA pin carries a `# vX.Y.Z` comment, and every write grant
 * says why it is needed.
 */
const SHA_PINNED = /^[^@\s]+@[0-9a-f]{40}$/;
const VERSION_COMMENT = /v?\d+(\.\d+)*/;
const PR_HEAD_REF = /github\.event\.pull_request\.head|github\.head_ref|refs\/pull\//;
/** The gate's escape hatch for machines without an advisory endpoint; CI must never use it. */
export const AUDIT_SKIP_FLAG = '--audit-unavailable-ok';

interface Context {
  readonly target: string;
  readonly lines: LineCounter;
}

const finding = (
  context: Context,
  node: Node | null | undefined,
  policy: string,
  message: string,
  severity: Finding['severity'] = 'error',
): Finding => {
  const offset = node?.range?.[0];
  const path = offset === undefined ? 'line 1' : `line ${context.lines.linePos(offset).line}`;
  return { policy, severity, target: context.target, path, message };
};

const scalarText = (node: unknown): string | undefined =>
  isScalar(node) && node.value !== null ? String(node.value) : undefined;

const pairOf = (map: unknown, key: string): Pair | undefined =>
  isMap(map) ? map.items.find((pair) => isScalar(pair.key) && pair.key.value === key) : undefined;

const nodeAt = (map: unknown, key: string): Node | undefined => {
  const value = pairOf(map, key)?.value;
  return value === null ? undefined : (value as Node | undefined);
};

const stringOf = (map: unknown, key: string): string | undefined => scalarText(nodeAt(map, key));

const mapsOf = (node: unknown): YAMLMap[] => (isSeq(node) ? node.items.filter(isMap) : []);

const entriesOf = (node: unknown): [string, Node | undefined][] =>
  isMap(node)
    ? node.items.map((pair): [string, Node | undefined] => [
        isScalar(pair.key) ? String(pair.key.value) : '',
        (pair.value ?? undefined) as Node | undefined,
      ])
    : [];

const triggers = (workflow: YAMLMap): string[] => {
  const on = nodeAt(workflow, 'on');
  if (isScalar(on)) return [String(on.value)];
  if (isSeq(on)) return on.items.filter(isScalar).map((item) => String(item.value));
  return entriesOf(on).map(([name]) => name);
};

const checkUses = (context: Context, usesNode: Node | undefined): Finding[] => {
  if (!isScalar(usesNode)) return [];
  const uses = String(usesNode.value);
  if (uses.startsWith('./')) return [];
  if (uses.startsWith('docker://')) {
    return uses.includes('@sha256:')
      ? []
      : [finding(context, usesNode, 'workflow/action-pinned', `"${uses}" is not pinned by image digest`)];
  }
  if (!SHA_PINNED.test(uses)) {
    return [
      finding(
        context,
        usesNode,
        'workflow/action-pinned',
        `"${uses}" is not pinned by a full commit SHA: a tag or branch can be moved to other code; use owner/repo@<40-hex sha> # vX.Y.Z`,
      ),
    ];
  }
  return VERSION_COMMENT.test(usesNode.comment ?? '')
    ? []
    : [
        finding(
          context,
          usesNode,
          'workflow/action-pinned',
          `"${uses}" has no "# vX.Y.Z" comment saying which release the SHA is`,
          'warning',
        ),
      ];
};

/** `permissions:` as (scope, level, node) grants; the shorthand `write-all` / `read-all` is scope `*`. */
const grantsOf = (permissions: Node | undefined): { scope: string; level: string; node: Node }[] => {
  if (permissions === undefined) return [];
  const shorthand = scalarText(permissions);
  if (shorthand !== undefined)
    return [{ scope: '*', level: shorthand.replace('-all', ''), node: permissions }];
  if (!isMap(permissions)) return [];
  return permissions.items.flatMap((pair) => {
    const scope = scalarText(pair.key);
    const level = scalarText(pair.value);
    return scope === undefined || level === undefined ? [] : [{ scope, level, node: pair.value as Node }];
  });
};

/** A grant says why beside it (`id-token: write # keyless signing`) or on the line above it. */
const hasReason = (pair: Pair): boolean =>
  Boolean((pair.value as Node | null)?.comment?.trim() || (pair.key as Node | null)?.commentBefore?.trim());

const checkTopLevelPermissions = (context: Context, workflow: YAMLMap): Finding[] => {
  const permissions = nodeAt(workflow, 'permissions');
  if (permissions === undefined) {
    return [
      finding(
        context,
        workflow,
        'workflow/least-permissions',
        'no top-level "permissions:": the token gets the repository default (possibly read-write); set "permissions: {}" or "contents: read" and grant more per job',
      ),
    ];
  }
  return grantsOf(permissions)
    .filter((grant) => grant.level === 'write')
    .map((grant) =>
      finding(
        context,
        grant.node,
        'workflow/least-permissions',
        `top-level permissions grant "${grant.scope}: write" to every job; keep the default read-only and grant per job`,
      ),
    );
};

const checkJobPermissions = (context: Context, jobId: string, job: YAMLMap): Finding[] => {
  const permissions = nodeAt(job, 'permissions');
  if (scalarText(permissions) === 'write-all') {
    return [finding(context, permissions, 'workflow/least-permissions', `job "${jobId}" grants write-all`)];
  }
  if (!isMap(permissions)) return [];
  return permissions.items
    .filter((pair) => scalarText(pair.value) === 'write' && !hasReason(pair))
    .map((pair) =>
      finding(
        context,
        pair.key as Node,
        'workflow/least-permissions',
        `job "${jobId}" grants "${scalarText(pair.key)}: write" without a comment saying why`,
      ),
    );
};

const checkStep = (context: Context, step: YAMLMap, isPullRequestTarget: boolean): Finding[] => {
  const findings = checkUses(context, nodeAt(step, 'uses'));
  const uses = stringOf(step, 'uses') ?? '';
  const withBlock = nodeAt(step, 'with');
  const run = nodeAt(step, 'run');
  const script = uses.startsWith('actions/github-script@') ? nodeAt(withBlock, 'script') : undefined;
  for (const code of [run, script]) {
    if (!isScalar(code)) continue;
    const text = String(code.value);
    if (hasUntrustedExpression(text)) {
      findings.push(
        finding(
          context,
          code,
          'workflow/untrusted-input-in-run',
          `an untrusted github.event.* / github.head_ref expression is expanded into a script (shell injection); pass it through env: and quote "$VAR"`,
        ),
      );
    }
    if (/\brunway\s+gate\b/.test(text) && text.includes(AUDIT_SKIP_FLAG)) {
      findings.push(
        finding(
          context,
          code,
          'workflow/gate-complete',
          `CI runs "runway gate ${AUDIT_SKIP_FLAG}": the audit must run`,
        ),
      );
    }
    if (isPullRequestTarget && /\bgh\s+pr\s+checkout\b/.test(text)) {
      findings.push(
        finding(
          context,
          code,
          'workflow/pull-request-target-checkout',
          'pull_request_target runs with secrets and a write token: it must not check out the pull request code',
        ),
      );
    }
  }
  if (uses.startsWith('actions/checkout@')) {
    if (stringOf(withBlock, 'persist-credentials') !== 'false') {
      findings.push(
        finding(
          context,
          nodeAt(step, 'uses'),
          'workflow/persist-credentials',
          'actions/checkout without "persist-credentials: false" leaves the token in .git/config for every later step',
        ),
      );
    }
    if (isPullRequestTarget && PR_HEAD_REF.test(stringOf(withBlock, 'ref') ?? '')) {
      findings.push(
        finding(
          context,
          nodeAt(withBlock, 'ref'),
          'workflow/pull-request-target-checkout',
          'pull_request_target runs with secrets and a write token: it must not check out the pull request head',
        ),
      );
    }
  }
  return findings;
};

const checkJob = (context: Context, jobId: string, job: YAMLMap, isPullRequestTarget: boolean): Finding[] => {
  const findings = [...checkJobPermissions(context, jobId, job), ...checkUses(context, nodeAt(job, 'uses'))];
  const isReusableCall = nodeAt(job, 'uses') !== undefined;
  const calls = stringOf(job, 'uses') ?? '';
  if (isReusableCall && !calls.startsWith('./') && stringOf(job, 'secrets') === 'inherit') {
    findings.push(
      finding(
        context,
        nodeAt(job, 'secrets'),
        'workflow/secrets-inherit',
        `job "${jobId}" hands every secret of this repository to "${calls}", a workflow another repository controls; pass only the secrets it needs by name`,
      ),
    );
  }
  if (!isReusableCall && nodeAt(job, 'timeout-minutes') === undefined) {
    findings.push(
      finding(
        context,
        job,
        'workflow/timeout',
        `job "${jobId}" has no timeout-minutes: a hung job holds a runner for 6 hours`,
      ),
    );
  }
  for (const step of mapsOf(nodeAt(job, 'steps')))
    findings.push(...checkStep(context, step, isPullRequestTarget));
  return findings;
};

export const checkWorkflow = (target: string, content: string): Finding[] => {
  const lines = new LineCounter();
  const document = parseDocument(content, { lineCounter: lines });
  const context: Context = { target, lines };
  if (document.errors.length > 0 || !isMap(document.contents)) {
    const message = document.errors[0]?.message.split('\n')[0] ?? 'the document is not a mapping';
    return [{ policy: 'workflow/syntax', severity: 'error', target, path: 'line 1', message }];
  }
  const workflow = document.contents;
  const isPullRequestTarget = triggers(workflow).includes('pull_request_target');
  const jobs = entriesOf(nodeAt(workflow, 'jobs')).filter((entry): entry is [string, YAMLMap] =>
    isMap(entry[1]),
  );
  const findings = checkTopLevelPermissions(context, workflow);
  if (nodeAt(workflow, 'concurrency') === undefined && !jobs.every(([, job]) => nodeAt(job, 'concurrency'))) {
    findings.push(
      finding(
        context,
        workflow,
        'workflow/concurrency',
        'no "concurrency:" group: overlapping runs race (e.g. two releases committing at once)',
      ),
    );
  }
  for (const [jobId, job] of jobs) findings.push(...checkJob(context, jobId, job, isPullRequestTarget));
  return [...findings, ...checkPipeline(target, content)];
};

/** An action's metadata (`runs.steps` of a composite action): its steps' `uses:` are pinned like a workflow's. */
export const checkActionMetadata = (target: string, content: string): Finding[] => {
  const lines = new LineCounter();
  const document = parseDocument(content, { lineCounter: lines });
  if (document.errors.length > 0 || !isMap(document.contents)) return [];
  const context: Context = { target, lines };
  return mapsOf(nodeAt(nodeAt(document.contents, 'runs'), 'steps')).flatMap((step) =>
    checkUses(context, nodeAt(step, 'uses')),
  );
};
