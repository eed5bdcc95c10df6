import { parse } from 'yaml';
import { isRecord } from './hcl-body.js';

/**
 * What infra.yml must guarantee beyond the repository-wide workflow policy: AWS credentials only through OIDC role
 * assumption, from a job in a protected environment the roles trust (a job without one gets the `pull_request` or
 * `ref:` subject, which no role accepts), and every apply in an apply environment.
 */
export interface InfraWorkflowExpectations {
  /** The environment the plan roles trust (infra/terraform/bootstrap/ci.tf, `local.plan_environment`). */
  readonly planEnvironment: string;
  /** The environments the apply roles trust (`local.apply_environments`). */
  readonly applyEnvironments: readonly string[];
}

const PINNED_USES = /^\s*-?\s*uses:\s*[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/;
const STATIC_KEY_NAMES =
  /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-session-token/;
const CONFIGURE_AWS = 'aws-actions/configure-aws-credentials@';

type Step = Record<string, unknown>;

const stepsOf = (job: Record<string, unknown>): Step[] =>
  Array.isArray(job.steps) ? job.steps.filter(isRecord) : [];

const usesAction = (step: Step, action: string): boolean =>
  typeof step.uses === 'string' && step.uses.startsWith(action);

const lineProblems = (text: string): string[] =>
  text.split('\n').flatMap((line, index) => {
    const where = `line ${index + 1}`;
    const problems: string[] = [];
    if (/^\s*-?\s*uses:/.test(line) && !PINNED_USES.test(line))
      problems.push(`${where}: action not pinned by SHA # vX.Y.Z`);
    if (STATIC_KEY_NAMES.test(line)) problems.push(`${where}: static AWS credentials`);
    if (/id-token:\s*write/.test(line) && !line.includes('#'))
      problems.push(`${where}: id-token: write without a reason`);
    return problems;
  });

const jobProblems = (
  name: string,
  job: Record<string, unknown>,
  expectations: InfraWorkflowExpectations,
): string[] => {
  const steps = stepsOf(job);
  const problems: string[] = [];
  if (typeof job['timeout-minutes'] !== 'number') problems.push(`${name}: no timeout-minutes`);
  for (const step of steps.filter((s) => usesAction(s, 'actions/checkout@'))) {
    if (!isRecord(step.with) || step.with['persist-credentials'] !== false)
      problems.push(`${name}: checkout persists credentials`);
  }
  const assumesRole = steps.filter((s) => usesAction(s, CONFIGURE_AWS));
  for (const step of assumesRole) {
    if (!isRecord(step.with) || typeof step.with['role-to-assume'] !== 'string')
      problems.push(`${name}: AWS credentials without role-to-assume`);
  }
  const permissions = isRecord(job.permissions) ? job.permissions : {};
  if (assumesRole.length > 0 && permissions['id-token'] !== 'write')
    problems.push(`${name}: assumes a role without id-token: write`);
  if (assumesRole.length === 0 && permissions['id-token'] === 'write')
    problems.push(`${name}: id-token: write it does not use`);
  const environment = typeof job.environment === 'string' ? job.environment : '';
  const trusted = [expectations.planEnvironment, ...expectations.applyEnvironments];
  if (assumesRole.length > 0 && !trusted.includes(environment)) {
    problems.push(
      `${name}: assumes an AWS role outside the environments the roles trust (got "${environment}")`,
    );
  }
  const runsApply = steps.some((s) => typeof s.run === 'string' && /terraform apply/.test(s.run));
  if (runsApply && !expectations.applyEnvironments.includes(environment)) {
    problems.push(
      `${name}: applies outside a protected environment the apply roles trust (got "${environment}")`,
    );
  }
  return problems;
};

export const checkInfraWorkflow = (text: string, expectations: InfraWorkflowExpectations): string[] => {
  const workflow: unknown = parse(text);
  if (!isRecord(workflow) || !isRecord(workflow.jobs)) return ['not a workflow with jobs'];
  const topPermissions = workflow.permissions;
  const readOnly =
    isRecord(topPermissions) && Object.entries(topPermissions).every(([, level]) => level !== 'write');
  return [
    ...(readOnly ? [] : ['top-level permissions must be read-only']),
    ...lineProblems(text),
    ...Object.entries(workflow.jobs).flatMap(([name, job]) =>
      isRecord(job) ? jobProblems(name, job, expectations) : [],
    ),
  ];
};
