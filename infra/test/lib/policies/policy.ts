import type { Finding } from '../../../../packages/platform/src/policy/finding.js';
import type { TerraformRepository } from '../repository.js';

export type { Finding };

/** A rule over the Terraform repository: pure, data in → findings out. */
export interface TerraformPolicy {
  readonly id: string;
  readonly check: (repository: TerraformRepository) => Finding[];
}

export const finding = (policy: string, target: string, path: string, message: string): Finding => ({
  policy,
  severity: 'error',
  target,
  path,
  message,
});
