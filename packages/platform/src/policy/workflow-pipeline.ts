import { parse } from 'yaml';
import type { Finding } from './finding.js';

/**
 * Rules about how the pipeline behaves on GitHub, each from a run that could not reach `publish` or let a release
 * through (issue 13). Pure: workflow text in, findings out; `path` names the job and step.
 */

type Data = Record<string, unknown>;
const isData = (value: unknown): value is Data =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const dataAt = (value: unknown, key: string): Data => {
  const inner = isData(value) ? value[key] : undefined;
  return isData(inner) ? inner : {};
};
const listAt = (value: unknown, key: string): Data[] => {
  const inner = isData(value) ? value[key] : undefined;
  return Array.isArray(inner) ? inner.filter(isData) : [];
};
const textAt = (value: unknown, key: string): string | undefined => {
  const inner = isData(value) ? value[key] : undefined;
  return inner === undefined || inner === null || isData(inner) ? undefined : String(inner);
};

/** The Actions token, by either name: what GitHub's ruleset cannot let bypass, and whose PRs start no CI. */
const ACTIONS_TOKEN = /\bsecrets\.GITHUB_TOKEN\b|\bgithub\.token\b/;
/** A token minted by actions/create-github-app-token in an earlier step. */
const STEP_TOKEN = /\bsteps\.[\w-]+\.outputs\.token\b/;
const GIT_WRITE = /\bgit\s+push\b|\bgh\s+pr\s+create\b/;

const error = (target: string, path: string, policy: string, message: string): Finding => ({
  policy,
  severity: 'error',
  target,
  path,
  message,
});

/**
 * trivy-action v0.36.0 entrypoint.sh: with `format: sarif` it unsets TRIVY_SEVERITY unless the input
 * `limit-severities-for-sarif` is exactly "true", so a blocking step fails on any finding, LOW included.
 */
const checkTrivySarif = (target: string, path: string, step: Data): Finding[] => {
  const inputs = dataAt(step, 'with');
  const blocking = (textAt(inputs, 'exit-code') ?? '0') !== '0';
  if (!blocking || textAt(inputs, 'format') !== 'sarif' || textAt(inputs, 'severity') === undefined)
    return [];
  if (textAt(inputs, 'limit-severities-for-sarif') === 'true') return [];
  return [
    error(
      target,
      path,
      'workflow/trivy-sarif-severity',
      'a blocking Trivy step with "format: sarif" ignores "severity" unless "limit-severities-for-sarif: true" (trivy-action entrypoint.sh): it fails on LOW findings',
    ),
  ];
};

/** Trivy scans the remote Terraform modules it downloads unless told not to; their findings are not ours to fix. */
const checkTrivyConfigScope = (target: string, path: string, step: Data): Finding[] => {
  const inputs = dataAt(step, 'with');
  if (textAt(inputs, 'scan-type') !== 'config') return [];
  const excluded =
    textAt(dataAt(step, 'env'), 'TRIVY_TF_EXCLUDE_DOWNLOADED_MODULES') === 'true' ||
    (textAt(inputs, 'skip-dirs') ?? '').includes('.terraform');
  return excluded
    ? []
    : [
        error(
          target,
          path,
          'workflow/trivy-config-scope',
          'the Trivy config scan also scans downloaded remote Terraform modules: set env TRIVY_TF_EXCLUDE_DOWNLOADED_MODULES: "true"',
        ),
      ];
};

/** Decision 20: pushes to main and promotion PRs use the GitHub App's token, never GITHUB_TOKEN. */
const checkGitWrites = (target: string, path: string, step: Data): Finding[] => {
  const run = textAt(step, 'run') ?? '';
  if (!GIT_WRITE.test(run)) return [];
  const env = Object.values(dataAt(step, 'env')).map(String);
  if (
    env.some((value) => ACTIONS_TOKEN.test(value)) ||
    ACTIONS_TOKEN.test(run) ||
    !env.some((value) => STEP_TOKEN.test(value))
  ) {
    return [
      error(
        target,
        path,
        'workflow/app-token-for-git-writes',
        'git push / gh pr create must use a GitHub App installation token (actions/create-github-app-token): GITHUB_TOKEN cannot bypass main’s ruleset, and its pull requests start no CI',
      ),
    ];
  }
  return [];
};

/**
 * `runway verify` must be given the signal's analysis phase: Argo Rollouts v1.8.3 reports a completion also when no
 * analysis ran (initial deploy, `promote --full`), and without `--analysis Successful` runway verifies nothing.
 */
const checkVerifyAnalysis = (target: string, path: string, step: Data): Finding[] => {
  const run = textAt(step, 'run') ?? '';
  if (!/\bnpx\s+runway\s+verify\b/.test(run) || /\s--analysis\s/.test(run)) return [];
  return [
    error(
      target,
      path,
      'workflow/verify-passes-analysis',
      'runway verify must pass the signal’s analysis phase (--analysis "$ANALYSIS", from client_payload.analysis): a completion without a successful analysis verifies nothing',
    ),
  ];
};

/** A push to main that builds an image must not rebuild for a commit that only moved release pointers. */
const checkBuildIgnoresDeploy = (target: string, workflow: Data, jobs: [string, Data][]): Finding[] => {
  const push = dataAt(dataAt(workflow, 'on'), 'push');
  const onPush = isData(workflow.on) && 'push' in workflow.on;
  const builds = jobs.some(([, job]) =>
    listAt(job, 'steps').some((step) => (textAt(step, 'uses') ?? '').startsWith('docker/build-push-action@')),
  );
  if (!onPush || !builds) return [];
  const ignored = Array.isArray(push['paths-ignore']) ? push['paths-ignore'].map(String) : [];
  return ignored.includes('deploy/**')
    ? []
    : [
        error(
          target,
          'on.push',
          'workflow/build-ignores-deploy',
          'a push that only changes deploy/ (a release, verify or rollback commit, a merged promotion) rebuilds the image: a new digest and a new unverified release each time; add "paths-ignore: [deploy/**]"',
        ),
      ];
};

/**
 * A job waiting for an environment's approval holds its concurrency group, and GitHub keeps one pending run per
 * group, replacing it with the next: a shared group drops other runs. So such a workflow's own group is unique
 * per run (github.run_id) or absent, and each job with an environment has its own group.
 */
const checkApprovalConcurrency = (target: string, workflow: Data, jobs: [string, Data][]): Finding[] => {
  const gated = jobs.filter(([, job]) => job.environment !== undefined);
  if (gated.length === 0) return [];
  const findings: Finding[] = [];
  const group = textAt(dataAt(workflow, 'concurrency'), 'group') ?? textAt(workflow, 'concurrency');
  if (group !== undefined && !group.includes('github.run_id')) {
    findings.push(
      error(
        target,
        'concurrency',
        'workflow/concurrency-per-environment',
        `the workflow-level group "${group}" is shared by runs with jobs that wait for approval: a waiting run holds it and later runs are replaced; use job-level groups per environment`,
      ),
    );
  }
  for (const [jobId, job] of gated) {
    const jobGroup = textAt(dataAt(job, 'concurrency'), 'group') ?? textAt(job, 'concurrency');
    if (jobGroup === undefined) {
      findings.push(
        error(
          target,
          `jobs.${jobId}`,
          'workflow/concurrency-per-environment',
          `job "${jobId}" runs in an environment without its own concurrency group: two runs could deploy it at once`,
        ),
      );
    }
  }
  return findings;
};

/** actions/attest-sbom is deprecated in favour of actions/attest, which attests an SBOM given sbom-path. */
const checkDeprecated = (target: string, path: string, step: Data): Finding[] =>
  (textAt(step, 'uses') ?? '').startsWith('actions/attest-sbom@')
    ? [
        error(
          target,
          path,
          'workflow/deprecated-action',
          'actions/attest-sbom is deprecated: use actions/attest with sbom-path',
        ),
      ]
    : [];

/** codeql-action/upload-sarif reads the run's status through the Actions API: on a private repository it needs actions: read. */
const checkSarifUpload = (target: string, jobId: string, job: Data): Finding[] => {
  const uploads = listAt(job, 'steps').some((step) =>
    (textAt(step, 'uses') ?? '').startsWith('github/codeql-action/upload-sarif@'),
  );
  const level = textAt(dataAt(job, 'permissions'), 'actions');
  return uploads && level !== 'read' && level !== 'write'
    ? [
        error(
          target,
          `jobs.${jobId}.permissions`,
          'workflow/sarif-upload-permissions',
          `job "${jobId}" uploads SARIF without "actions: read": the upload fails on a private repository`,
        ),
      ]
    : [];
};

export const checkPipeline = (target: string, content: string): Finding[] => {
  let workflow: unknown;
  try {
    workflow = parse(content);
  } catch {
    return []; // checkWorkflow reports the syntax error
  }
  if (!isData(workflow)) return [];
  const jobs = Object.entries(dataAt(workflow, 'jobs')).filter((entry): entry is [string, Data] =>
    isData(entry[1]),
  );
  const findings = [
    ...checkBuildIgnoresDeploy(target, workflow, jobs),
    ...checkApprovalConcurrency(target, workflow, jobs),
  ];
  for (const [jobId, job] of jobs) {
    findings.push(...checkSarifUpload(target, jobId, job));
    listAt(job, 'steps').forEach((step, index) => {
      const path = `jobs.${jobId}.steps[${index}]`;
      findings.push(
        ...checkGitWrites(target, path, step),
        ...checkDeprecated(target, path, step),
        ...checkVerifyAnalysis(target, path, step),
      );
      if ((textAt(step, 'uses') ?? '').startsWith('aquasecurity/trivy-action@')) {
        findings.push(...checkTrivySarif(target, path, step), ...checkTrivyConfigScope(target, path, step));
      }
    });
  }
  return findings;
};
