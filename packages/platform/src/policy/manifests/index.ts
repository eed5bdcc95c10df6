import type { KubeObject } from '../../synth/object.js';
import type { Finding } from '../finding.js';
import { serviceExposureRule } from './exposure.js';
import { imageDigestRule } from './image-digest.js';
import { requiredLabelsRule } from './labels.js';
import { plaintextSecretRule } from './plaintext-secret.js';
import { podSecurityRule, readOnlyRootRule } from './pod-security.js';
import { portsRule } from './ports.js';
import { probesRule } from './probes.js';
import { rbacRule } from './rbac.js';
import { resourcesRule } from './resources.js';
import type { ManifestRule } from './rule.js';
import { workloadRefRule } from './workload-ref.js';

export type { ManifestRule } from './rule.js';

/** What makes an object dangerous wherever it lives in the repository (anything kubectl can apply). */
export const securityRules: readonly ManifestRule[] = [
  podSecurityRule,
  readOnlyRootRule,
  imageDigestRule,
  serviceExposureRule,
  rbacRule,
  plaintextSecretRule,
  workloadRefRule,
];

/** All rules: the security rules plus the platform's conventions for what `runway synth` renders into deploy/. */
export const manifestRules: readonly ManifestRule[] = [
  ...securityRules,
  resourcesRule,
  probesRule,
  requiredLabelsRule,
  portsRule,
];

/** Every manifest policy over a set of objects (one environment or all of deploy/). */
export const checkManifests = (
  objects: readonly KubeObject[],
  rules: readonly ManifestRule[] = manifestRules,
): Finding[] => rules.flatMap((rule) => rule.check(objects));
