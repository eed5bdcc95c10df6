import type { TerraformRepository } from '../repository.js';
import { clusterTagPolicy, rolesUnderBoundaryPolicy } from './boundary.js';
import { ciRolePolicies } from './ci-roles.js';
import { eksPolicies } from './eks.js';
import { iamDecisionsPolicy } from './iam-decisions.js';
import { documentedInterfacePolicy } from './interface.js';
import { moduleInterfacePolicy } from './module-interface.js';
import { openIngressPolicy } from './open-ingress.js';
import { modulePinnedPolicy, providerPinnedPolicy } from './pinning.js';
import type { Finding, TerraformPolicy } from './policy.js';
import { rdsPolicies } from './rds.js';
import { secretRecoveryWindowPolicy } from './secret-recovery.js';
import { backendPolicy, stateBucketPolicy } from './state.js';
import { staticCredentialsPolicy } from './static-credentials.js';

export const terraformPolicies: readonly TerraformPolicy[] = [
  ...rdsPolicies,
  openIngressPolicy,
  staticCredentialsPolicy,
  modulePinnedPolicy,
  providerPinnedPolicy,
  backendPolicy,
  stateBucketPolicy,
  documentedInterfacePolicy,
  moduleInterfacePolicy,
  ...eksPolicies,
  ...ciRolePolicies,
  iamDecisionsPolicy,
  rolesUnderBoundaryPolicy,
  clusterTagPolicy,
  secretRecoveryWindowPolicy,
];

export const checkTerraform = (repository: TerraformRepository): Finding[] =>
  terraformPolicies.flatMap((policy) => policy.check(repository));
