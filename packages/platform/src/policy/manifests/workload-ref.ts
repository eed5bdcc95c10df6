import { finding, type ManifestRule } from './rule.js';

/**
 * Argo Rollouts (v1.x, docs "Migrating to Rollouts" / `spec.workloadRef`) lets a Rollout take its pod template
 * from a referenced Deployment at run time instead of `spec.template`. The pod policies read the template in the
 * object; a Rollout with `workloadRef` runs a template they never saw (the Deployment may be anywhere, or
 * scaled to zero and edited by hand). The platform's Rollouts carry their template.
 */
export const workloadRefRule: ManifestRule = {
  id: 'rollout/inline-template',
  description: 'Rollouts carry their pod template (no workloadRef)',
  check: (objects) =>
    objects.flatMap((object) => {
      const spec = object.spec as { workloadRef?: unknown } | undefined;
      if (object.kind !== 'Rollout' || spec?.workloadRef === undefined) return [];
      return [
        finding(
          'rollout/inline-template',
          object,
          'spec.workloadRef',
          'the Rollout takes its pod template from another workload, so the pod policies never check what it runs; put the template in spec.template',
        ),
      ];
    }),
};
