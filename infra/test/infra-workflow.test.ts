import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRecord, parseTerraformFile } from './lib/hcl-body.js';
import { checkInfraWorkflow } from './lib/infra-workflow.js';

const WORKFLOW = fileURLToPath(new URL('../../.github/workflows/infra.yml', import.meta.url));
const CI_ROLES = fileURLToPath(new URL('../terraform/bootstrap/ci.tf', import.meta.url));

/** The `environment:` subjects the bootstrap's CI roles trust, read from the Terraform itself. */
const applySubjects = async (): Promise<string[]> => {
  const file = await parseTerraformFile('bootstrap/ci.tf', await readFile(CI_ROLES, 'utf8'));
  const roles = file.body.module?.github_oidc?.[0]?.roles;
  if (!isRecord(roles)) throw new Error('bootstrap/ci.tf: module.github_oidc.roles is not a literal map');
  return Object.values(roles)
    .flatMap((role) => (isRecord(role) && Array.isArray(role.subjects) ? role.subjects : []))
    .filter(
      (subject): subject is string => typeof subject === 'string' && subject.startsWith('environment:'),
    );
};

describe('.github/workflows/infra.yml', () => {
  it('uses OIDC roles only, pinned actions, and applies only in environments the apply roles trust', async () => {
    const subjects = await applySubjects();
    expect(subjects.sort()).toEqual(['environment:infra-prod', 'environment:infra-staging']);
    expect(checkInfraWorkflow(await readFile(WORKFLOW, 'utf8'), { applySubjects: subjects })).toEqual([]);
  });

  it('catches static keys, a floating action, and an apply outside the trusted environments', async () => {
    const text = await readFile(WORKFLOW, 'utf8');
    const broken = text
      .replace(/role-to-assume: (.*AWS_PLAN_ROLE_ARN.*)/, 'aws-access-key-id: $1')
      .replace(/actions\/checkout@[0-9a-f]{40} # v[\d.]+/, 'actions/checkout@v7')
      .replace('environment: infra-prod', 'environment: production');
    const problems = checkInfraWorkflow(broken, { applySubjects: await applySubjects() });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/action not pinned/),
        expect.stringMatching(/static AWS credentials/),
        'plan: AWS credentials without role-to-assume',
        'apply-prod: applies outside a protected environment the apply roles trust (got "production")',
      ]),
    );
  });

  it('catches write permissions granted to every job', async () => {
    const text = (await readFile(WORKFLOW, 'utf8')).replace(
      'permissions:\n  contents: read',
      'permissions: write-all',
    );
    expect(checkInfraWorkflow(text, { applySubjects: [] })).toContain(
      'top-level permissions must be read-only',
    );
  });
});
