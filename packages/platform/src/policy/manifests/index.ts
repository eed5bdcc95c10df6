import type { KubeObject } from '../../synth/object.js';
import type { Finding } from '../finding.js';
import { imageDigestRule } from './image-digest.js';
import { requiredLabelsRule } from './labels.js';
import { podSecurityRule, readOnlyRootRule } from './pod-security.js';
import { portsRule } from './ports.js';
import { probesRule } from './probes.js';
import { resourcesRule } from './resources.js';
import type { ManifestRule } from './rule.js';

export type { ManifestRule } from './rule.js';

export const manifestRules: readonly ManifestRule[] = [
  podSecurityRule,
  readOnlyRootRule,
  resourcesRule,
  probesRule,
  imageDigestRule,
  requiredLabelsRule,
  portsRule,
];

/** Every manifest policy over a set of objects (one environment or all of deploy/). */
export const checkManifests = (objects: readonly KubeObject[]): Finding[] =>
  manifestRules.flatMap((rule) => rule.check(objects));
