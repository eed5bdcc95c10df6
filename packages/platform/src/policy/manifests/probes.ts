import { podTemplates } from './pod-templates.js';
import { finding, type ManifestRule } from './rule.js';

const ID = 'pod/probes';
const PROBES = ['startupProbe', 'readinessProbe', 'livenessProbe'] as const;

/** Long-running containers need all three: startup gates the others, readiness gates traffic, liveness restarts. */
export const probesRule: ManifestRule = {
  id: ID,
  description: 'long-running containers have startup, readiness and liveness probes',
  check: (objects) =>
    objects
      .flatMap(podTemplates)
      .filter((template) => template.longRunning)
      .flatMap((template) =>
        (template.spec.containers ?? []).flatMap((container, index) =>
          PROBES.filter((probe) => container[probe] === undefined).map((probe) =>
            finding(ID, template.object, `${template.path}.containers[${index}].${probe}`, `no ${probe}`),
          ),
        ),
      ),
};
