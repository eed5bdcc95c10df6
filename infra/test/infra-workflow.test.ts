import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRecord, parseTerraformFile } from './lib/hcl-body.js';
import { checkInfraWorkflow, type InfraWorkflowExpectations } from './lib/infra-workflow.js';

const WORKFLOW = fileURLToPath(new URL('../../.github/workflows/infra.yml', import.meta.url));
const CI_ROLES = fileURLToPath(new URL('../terraform/bootstrap/ci.tf', import.meta.url));

/** The environments the bootstrap's CI roles trust, read from the Terraform itself. */
const trustedEnvironments = async (): Promise<InfraWorkflowExpectations> => {
  const file = await parseTerraformFile('bootstrap/ci.tf', await readFile(CI_ROLES, 'utf8'));
  const locals = Object.assign({}, ...(file.body.locals ?? [])) as Record<string, unknown>;
  const { plan_environment: plan, apply_environments: apply } = locals;
  if (typeof plan !== 'string' || !isRecord(apply)) {
    throw new Error('bootstrap/ci.tf: local.plan_environment / local.apply_environments are not literals');
  }
  return { planEnvironment: plan, applyEnvironments: Object.values(apply).map(String) };
};

describe('.github/workflows/infra.yml', () => {
  it('uses OIDC roles only, pinned actions, and assumes roles only in the environments they trust', async () => {
    const trusted = await trustedEnvironments();
    expect(trusted).toEqual({
      planEnvironment: 'infra-plan',
      applyEnvironments: ['infra-nonprod', 'infra-prod'],
    });
    expect(checkInfraWorkflow(await readFile(WORKFLOW, 'utf8'), trusted)).toEqual([]);
  });

  it('catches a plan job that assumes its role without the protected environment (a pull_request token)', async () => {
    const text = await readFile(WORKFLOW, 'utf8');
    const broken = text.replace('    environment: infra-plan\n', '');
    expect(broken).not.toBe(text);
    expect(checkInfraWorkflow(broken, await trustedEnvironments())).toEqual([
      'plan: assumes an AWS role outside the environments the roles trust (got "")',
    ]);
  });

  it('catches static keys, a floating action, and an apply outside the trusted environments', async () => {
    const text = await readFile(WORKFLOW, 'utf8');
    const broken = text
      .replace(/role-to-assume: (.*AWS_PLAN_ROLE_ARN.*)/, 'aws-access-key-id: $1')
      .replace(/actions\/checkout@[0-9a-f]{40} # v[\d.]+/, 'actions/checkout@v7')
      .replace('environment: infra-prod', 'environment: production');
    const problems = checkInfraWorkflow(broken, await trustedEnvironments());
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/action not pinned/),
        expect.stringMatching(/static AWS credentials/),
        'plan: AWS credentials without role-to-assume',
        'apply-prod: applies outside a protected environment the apply roles trust (got "production")',
        'apply-prod: assumes an AWS role outside the environments the roles trust (got "production")',
      ]),
    );
  });

  it('catches write permissions granted to every job', async () => {
    const text = (await readFile(WORKFLOW, 'utf8')).replace(
      'permissions:\n  contents: read',
      'permissions: write-all',
    );
    expect(checkInfraWorkflow(text, await trustedEnvironments())).toContain(
      'top-level permissions must be read-only',
    );
  });
});
